"""Photos shown where they were pasted: on a condition, a step, the action, in Mijn koers; tap one to enlarge it."""

from __future__ import annotations

import flet as ft

from kompas.domain.model import Photo
from kompas.i18n import _
from kompas.ui import theme
from kompas.ui.album import open_photo
from kompas.ui.files import KompasFiles
from kompas.ui.widgets import Tappable
from kompas.workbook.workbook import Workbook

__all__ = ["PastedPhotos", "THUMB_HEIGHT"]

# Big enough to recognise a photo at arm's length, small enough for three beside a step's buttons on a phone.
THUMB_HEIGHT = 96


def PastedPhotos(photos: list[Photo] | tuple[Photo, ...], place: str, files: KompasFiles,
                 workbook: Workbook | None = None) -> ft.Control | None:
    """The thumbnails of `photos`, oldest first, each named by its caption or by `place` for screen readers; with a
    workbook each opens large, to caption or take away. None when there are none."""
    return _Thumbnails(tuple(photos), place, files, workbook) if photos else None


# Memoised: a condition holds hundreds of photos at five years, and a note typed beside them redraws the screen; the
# thumbnails are drawn again only when the photos (or where they are) changed.
@ft.memo
@ft.component
def _Thumbnails(photos: tuple[Photo, ...], place: str, files: KompasFiles, workbook: Workbook | None) -> ft.Control:
    page = ft.context.page

    def thumb(photo: Photo) -> ft.Control:
        image = ft.Image(src=files.src(page, photo.thumb), height=THUMB_HEIGHT, fit=ft.BoxFit.CONTAIN,
                         border_radius=theme.RADIUS / 2)
        label = _("Je foto: {what}", what=photo.caption or place)
        if workbook is None:
            return ft.Semantics(label=label, image=True, content=image)
        return Tappable(label, lambda: open_photo(page, photo, workbook, files), image,
                        border_radius=theme.RADIUS / 2, key=photo.id)

    return ft.Row([thumb(p) for p in photos], wrap=True, spacing=theme.GAP, run_spacing=theme.GAP)
