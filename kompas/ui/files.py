"""A kompas's files on a screen: where its photos and posters are served, a picked file's bytes, "Foto toevoegen"."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import flet as ft

from kompas.i18n import _
from kompas.media.photos import PhotoProblem
from kompas.ui import uploads
from kompas.ui.messages import report
from kompas.ui.uploads import MAX_UPLOAD, UPLOAD_TIMEOUT, UploadProblem
from kompas.ui.widgets import Busy

# Photos and posters of an unlocked kompas are served under /k/<key>/: the key dies when the kompas locks.
FILES_PATH = "/k"


@dataclass(frozen=True)
class KompasFiles:
    """Where one kompas's photos and posters are: its folder, and the key that opens them to this screen only."""

    folder: Path
    key: str | None = None

    def src(self, page: ft.Page, relative: str) -> str:
        """The address of a stored file: on the server behind this unlocking's key, or the file itself on a phone."""
        return f"{FILES_PATH}/{self.key}/{relative}" if page.web else str(self.folder / relative)


async def picked_bytes(page: ft.Page, picker: ft.FilePicker, file: ft.FilePickerFile,
                       limit: int = MAX_UPLOAD) -> bytes | PhotoProblem | UploadProblem:
    """The picked file's bytes: over HTTP in a browser (a websocket message stops at 16 MiB), read directly on a phone."""
    if file.size > limit:
        return UploadProblem.TOO_LARGE
    if not page.web:
        if file.bytes is not None:
            return file.bytes
        try:
            return await asyncio.to_thread(Path(file.path).read_bytes)
        except (OSError, TypeError):
            return PhotoProblem.DAMAGED
    # The page sent a photo the moment it was chosen (see uploads); anything else comes the way Flet sends files.
    sent = await uploads.claim(page.client_ip or "", file.name, file.size)
    if sent is not None:
        return sent
    upload = uploads.expect(limit)
    picker.on_upload = lambda e: upload.fail() if e.error else None
    try:
        await picker.upload([ft.FilePickerUploadFile(upload_url=upload.url, id=file.id, name=file.name)])
        return await upload.received(UPLOAD_TIMEOUT)
    finally:
        uploads.forget(upload)


@ft.component
def PhotoButton(workbook, about: str, on_added: Callable | None = None, label: str | None = None) -> ft.Control:
    """"Foto toevoegen": the file picker in a browser, camera or gallery on a phone."""
    page = ft.context.page
    busy, set_busy = ft.use_state(False)

    async def pick() -> None:
        picker = ft.FilePicker()
        # A phone hands over a path to its copy of the photo, which is read here: a 200 MP photo is not sent through
        # the app's own channel as bytes first.
        files = await picker.pick_files(
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=list(uploads.PHOTO_EXTENSIONS),
        )
        if not files:
            return
        set_busy(True)
        try:
            for file in files:
                data = await picked_bytes(page, picker, file)
                if not isinstance(data, bytes):
                    report(page, data)
                    continue
                # Cleaning a 200 MP photo takes a moment: off the event loop, so other screens stay quick.
                outcome, photo = await asyncio.to_thread(workbook.add_photo, data, about)
                del data
                if report(page, outcome) and on_added:
                    on_added(photo)
        finally:
            set_busy(False)

    if busy:
        return Busy(_("Foto wordt klaargemaakt…"))
    return ft.OutlinedButton(label or _("Foto toevoegen"), icon=ft.Icons.ADD_A_PHOTO, on_click=pick)
