"""The photo album ("plakboek"): every photo by date in a grid that builds lazily; enlarge, caption or delete."""

from __future__ import annotations

from datetime import date

import flet as ft

from kompas.domain.model import Kompas, Photo
from kompas.i18n import _
from kompas.screens.state import photo_places
from kompas.ui import theme
from kompas.ui.fields import text_field
from kompas.ui.files import KompasFiles, PhotoButton
from kompas.ui.messages import report, undo_message
from kompas.ui.widgets import Body, Card, Heading, Tappable
from kompas.workbook.drafts import Draft
from kompas.workbook.workbook import Workbook


def open_photo(page: ft.Page, photo: Photo, workbook: Workbook, files: KompasFiles) -> None:
    """The photo large, with its caption, "Op de poster" and "Weghalen"."""
    # The dialog is drawn once and never redrawn from stored state, so a plain field cannot lose letters.
    caption_draft = Draft(lambda text: report(page, workbook.set_caption(photo.id, text)))

    def close() -> None:
        caption_draft.flush()
        page.pop_dialog()

    def delete() -> None:
        caption_draft.discard()
        page.pop_dialog()
        if report(page, workbook.delete_photo(photo.id)):
            undo_message(page, _("Foto weggehaald."), lambda: workbook.restore_photo(photo))

    caption = text_field(_("Wat zie je op de foto? (mag leeg blijven)"), photo.caption,
                         on_change=lambda e: caption_draft.type(e.control.value),
                         on_blur=lambda e: caption_draft.flush())
    poster = ft.Switch(
        label=_("Op de poster"), value=photo.on_poster,
        on_change=lambda e: report(page, workbook.set_on_poster(photo.id, e.control.value)),
        label_text_style=theme.text_style(),
    )
    page.show_dialog(ft.AlertDialog(
        content=ft.Column(
            [ft.Image(src=files.src(page, photo.file), fit=ft.BoxFit.CONTAIN, height=360,
                      semantics_label=photo.caption or _("Foto")), caption, poster],
            tight=True, spacing=theme.GAP, scroll=ft.ScrollMode.AUTO,
        ),
        actions=[
            ft.TextButton(_("Weghalen"), icon=ft.Icons.DELETE_OUTLINE, on_click=delete),
            ft.FilledButton(_("Klaar"), on_click=close),
        ],
        on_dismiss=lambda e: caption_draft.flush(),
    ))


def AlbumView(kompas: Kompas, workbook: Workbook, files: KompasFiles, today: date) -> ft.Control:
    page = ft.context.page
    photos = list(reversed(kompas.photos))  # newest first
    places = photo_places(kompas, today)

    def tile(photo: Photo) -> ft.Control:
        place = places[photo.id]
        # Where the photo belongs, in words under it; a screen reader hears its caption first.
        label = f"{photo.caption} · {place}" if photo.caption else place
        return Tappable(
            label, lambda: open_photo(page, photo, workbook, files),
            ft.Column([
                ft.Image(src=files.src(page, photo.thumb), fit=ft.BoxFit.COVER, expand=True,
                         border_radius=theme.RADIUS / 2),
                ft.Text(place, size=theme.TEXT_SMALL, color=theme.INK, max_lines=2,
                        overflow=ft.TextOverflow.ELLIPSIS, text_align=ft.TextAlign.CENTER),
            ], spacing=2, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            border_radius=theme.RADIUS / 2, clip_behavior=ft.ClipBehavior.HARD_EDGE,
        )

    header = Card(
        Heading(_("Mijn plakboek"), theme.TEXT_TITLE),
        Body(_("Al je foto's, de nieuwste eerst. Tik op een foto om hem groot te zien.")),
        PhotoButton(workbook, "kompas"),
    )
    if not photos:
        return ft.Column([header, Body(_("Nog geen foto's. Voeg er een toe bij je kompas, je actie of hier."))],
                         spacing=theme.PAD, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    # GridView builds only the tiles on screen, so 500 photos open as fast as 20.
    grid = ft.GridView(
        controls=[tile(p) for p in photos],
        max_extent=120, spacing=6, run_spacing=6, child_aspect_ratio=0.75,
        height=max(200, (page.height or 800) - 260),
    )
    return ft.Column([header, grid], spacing=theme.PAD, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
