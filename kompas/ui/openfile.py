"""Opening a kompas from a .kompas file, on the shelf or at the very first start: its passphrase, and the same kompas."""

from __future__ import annotations

import asyncio
from typing import Callable

import flet as ft

from kompas.i18n import _
from kompas.ui import theme
from kompas.ui.fields import TextInput, use_text
from kompas.ui.files import picked_bytes
from kompas.ui.filewords import file_problem_message, open_elsewhere_words, same_kompas_words
from kompas.ui.messages import outcome_message
from kompas.ui.pinwords import pin_words
from kompas.ui.uploads import UploadProblem
from kompas.ui.widgets import Body, Busy, Heading
from kompas.workbook.session import MAX_FILE, SUFFIXES, Arrival, FileProblem, FolderInUse, Library, PinAnswer
from kompas.workbook.session import Card as ShelfCard

__all__ = ["OpenFromFile"]


@ft.component
def OpenFromFile(library: Library, on_opened: Callable[[ShelfCard], None], neutral: bool = False) -> ft.Control:
    """ "Kompas openen uit bestand": pick a .kompas file, type its passphrase if it has one, and say what to do when
    the same kompas is here already. Every refusal is said here, under the button, and changes nothing.

    Replacing a kompas that has a PIN takes that PIN, typed here; one open on another screen is not replaced; what
    the replaced kompas held goes to its backups first, so "Terugzetten" brings it back.

    `neutral`: a kompas on this device is discreet, so nothing before any PIN says "kompas"; nor does anything
    about a discreet kompas's file, or about replacing a discreet kompas.
    """
    page = ft.context.page
    raw = ft.use_ref(None)  # the picked file, kept while the passphrase is asked for
    passphrase, pin = use_text(), use_text()
    asking, set_asking = ft.use_state(False)  # the file is sealed: ask for its passphrase
    waiting, set_waiting = ft.use_state(None)  # an Arrival of a kompas that is here already
    said, set_said = ft.use_state("")
    busy, set_busy = ft.use_state(False)
    quiet = neutral or (waiting is not None and (waiting.manifest.discreet or waiting.same.discreet))

    async def pick() -> None:
        picker = ft.FilePicker()
        # A browser offers .kompas files (and a discreet kompas's .notities) only; a phone knows no such type, so it
        # shows every file.
        chosen = await picker.pick_files(
            file_type=ft.FilePickerFileType.CUSTOM if page.web else ft.FilePickerFileType.ANY,
            allowed_extensions=[suffix.lstrip(".") for suffix in SUFFIXES] if page.web else None,
        )
        if not chosen:
            return
        set_said("")
        set_busy(True)
        try:
            data = await picked_bytes(page, picker, chosen[0], MAX_FILE)
        finally:
            set_busy(False)
        if data is UploadProblem.TOO_LARGE:
            set_said(file_problem_message(FileProblem.TOO_LARGE, neutral))
            return
        if not isinstance(data, bytes):
            set_said(outcome_message(data) or "")
            return
        raw.current = data
        await check(None)

    async def check(secret: str | None) -> None:
        set_busy(True)
        try:
            arrival = await asyncio.to_thread(library.receive, raw.current, secret)
        finally:
            set_busy(False)
        if arrival is FileProblem.NEEDS_PASSPHRASE or arrival is FileProblem.WRONG_PASSPHRASE:
            set_asking(True)
            if secret is not None:
                set_said(file_problem_message(arrival, neutral))
            return
        if isinstance(arrival, FileProblem):
            forget()
            set_said(file_problem_message(arrival, neutral))
            return
        raw.current = None
        set_asking(False)
        if arrival.same is not None:
            set_waiting(arrival)
            return
        await place(arrival, keep_both=False)

    async def place(arrival: Arrival, keep_both: bool) -> None:
        typed_pin = pin.current
        pin.put("")
        set_busy(True)
        try:
            # A PIN takes scrypt half a second to check: not on the event loop.
            card = await asyncio.to_thread(library.take_in, arrival, keep_both, typed_pin or None)
        except FolderInUse:
            library.discard(arrival)
            set_waiting(None)
            set_said(open_elsewhere_words(quiet))
            return
        except OSError:
            set_waiting(None)
            set_said(file_problem_message(FileProblem.NOT_SAVED, quiet))
            return
        finally:
            set_busy(False)
        if isinstance(card, PinAnswer):
            set_said(pin_words(card))  # the file waits: the PIN can be typed again, or the client says no
            return
        set_waiting(None)
        set_said("")
        on_opened(card)

    def forget() -> None:
        raw.current = None
        set_asking(False)
        passphrase.put("")

    def cancel() -> None:
        if waiting is not None:
            library.discard(waiting)
            set_waiting(None)
        forget()
        pin.put("")
        set_said(_("Er is niets veranderd."))

    async def unlock(_text: str | None = None) -> None:
        secret = passphrase.current
        passphrase.put("")
        await check(secret)

    parts: list[ft.Control] = [*([Body(said, color=theme.DANGER)] if said else [])]
    if busy:
        parts.append(Busy(_("Het bestand wordt gelezen…")))
    elif waiting is not None:
        name = waiting.same.nickname
        try:
            with_pin = library.pin(waiting.same.id).is_set
        except KeyError:  # erased on another screen meanwhile: the file would now come in as a new kompas
            with_pin = False
        parts += [
            Heading(same_kompas_words(name, quiet), theme.TEXT_BODY),
            *([TextInput(_("PIN van {name}", name=name), pin.current, on_change=pin.typed, reset=pin.reset,
                         secret=True)] if with_pin else []),
            ft.FilledButton(_("Vervangen door het bestand"), icon=ft.Icons.SWAP_HORIZ,
                            on_click=lambda: page.run_task(place, waiting, False)),
            Body(_("Wat nu in {name} staat, wordt eerst bewaard. Onder Kopie en meenemen kun je het terugzetten. "
                   "De naam en de PIN blijven.", name=name), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
            ft.OutlinedButton(_("Allebei houden"), icon=ft.Icons.COPY_ALL,
                              on_click=lambda: page.run_task(place, waiting, True)),
            ft.TextButton(_("Niet openen"), on_click=cancel),
        ]
    elif asking:
        parts += [
            Body(file_problem_message(FileProblem.NEEDS_PASSPHRASE, neutral)),
            TextInput(_("Wachtwoord"), passphrase.current, on_change=passphrase.typed, reset=passphrase.reset,
                      passphrase=True, on_submit=lambda _t: page.run_task(unlock)),
            ft.FilledButton(_("Openen"), icon=ft.Icons.LOCK_OPEN, on_click=unlock),
            ft.TextButton(_("Niet openen"), on_click=cancel),
        ]
    else:
        parts.append(ft.OutlinedButton(_("Openen uit bestand") if neutral else _("Kompas openen uit bestand"),
                                       icon=ft.Icons.FILE_OPEN, on_click=pick))
    return ft.Column(parts, spacing=theme.GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
