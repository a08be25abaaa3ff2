"""The poster screen: choose what goes on it, see a preview, make it, and download or share it."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import flet as ft

from kompas.i18n import N_, _
from kompas.model import Kompas, Paper, PosterChoice, PosterItem
from kompas.poster import make_files, poster_images, poster_paths, render_poster
from kompas.resources import POSTER_FOLDER
from kompas.ui import theme
from kompas.ui.widgets import Body, Card, Heading, TextInput, report, show_message
from kompas.workbook import Workbook

# The order the client reads them in; the private ones come last, with a word of warning.
_ITEMS: tuple[tuple[PosterItem, str], ...] = (
    (PosterItem.ACTION, N_("Mijn actie")),
    (PosterItem.WISH, N_("Mijn wens voor later")),
    (PosterItem.STARRED, N_("Het belangrijkst (met ster)")),
    (PosterItem.KRACHTEN, N_("Krachten en bronnen")),
    (PosterItem.WAARDEN, N_("Waarden")),
    (PosterItem.INZET, N_("Benodigde inzet en bronnen")),
    (PosterItem.AANLEIDING, N_("Aanleiding")),
    (PosterItem.BELEMMERINGEN, N_("Belemmeringen")),
)
_PRIVATE = {PosterItem.AANLEIDING, PosterItem.BELEMMERINGEN}
# Small enough to draw in a blink, large enough to see what is where.
_PREVIEW_DPI = 40


def _preview(kompas: Kompas, choice: PosterChoice, today: date, images: list) -> bytes:
    buffer = io.BytesIO()
    render_poster(kompas, choice, today, images, dpi=_PREVIEW_DPI).image.save(buffer, "PNG")
    return buffer.getvalue()


@ft.component
def PosterView(kompas: Kompas, workbook: Workbook, data_dir: Path, today: date) -> ft.Control:
    page = ft.context.page
    choice = kompas.poster
    busy, set_busy = ft.use_state(False)
    made, set_made = ft.use_state(None)
    # Decoded once per set of chosen photos, not again for every keystroke in the name field.
    on_poster = tuple(kompas.poster_photos())
    images = ft.use_memo(lambda: poster_images(kompas, data_dir), [on_poster])
    preview = ft.use_memo(
        lambda: _preview(kompas, choice, today, images),
        [choice, kompas.wish, kompas.action, tuple(kompas.notes), on_poster, today],
    )
    folder = data_dir / POSTER_FOLDER

    def change(**fields) -> None:
        set_made(None)
        report(page, workbook.set_poster(replace(choice, **fields)))

    def toggle(item: PosterItem, on: bool) -> None:
        change(items=choice.items | {item} if on else choice.items - {item})

    async def make() -> None:
        set_busy(True)
        set_made(None)
        pdf, png = poster_paths(folder, choice.paper)
        try:
            await asyncio.to_thread(make_files, kompas, choice, today, pdf, png, images)
        except OSError:
            show_message(page, _("De poster kon niet worden bewaard. Is er nog ruimte op het apparaat?"))
        else:
            set_made(choice.paper)
        finally:
            set_busy(False)

    async def share(path: Path) -> None:
        await ft.Share().share_files([ft.ShareFile.from_path(str(path))], text=_("Mijn kompas"))

    switches = []
    for item, label in _ITEMS:
        switches.append(ft.Switch(
            label=_(label),
            value=item in choice.items,
            on_change=lambda e, item=item: toggle(item, e.control.value),
            label_text_style=ft.TextStyle(size=theme.TEXT_BODY, color=theme.INK),
        ))
        if item is PosterItem.INZET:
            switches.append(Body(_("Bezoek ziet de poster ook. Zet de twee hieronder alleen aan als je dat wilt."),
                                 size=theme.TEXT_SMALL, color=theme.INK_SOFT))

    def paper_button(paper: Paper) -> ft.Control:
        chosen = paper is choice.paper
        style = ft.FilledButton if chosen else ft.OutlinedButton
        return ft.Semantics(
            label=_("Papier {paper}: gekozen", paper=paper.value) if chosen else _("Papier {paper}", paper=paper.value),
            button=True, selected=chosen,
            content=style(paper.value, icon=ft.Icons.CHECK if chosen else None, on_click=lambda: change(paper=paper)),
        )

    if busy:
        result = ft.Row([ft.ProgressRing(width=32, height=32), Body(_("De poster wordt gemaakt…"))],
                        spacing=theme.PAD)
    elif made:
        pdf, png = poster_paths(folder, made)
        if page.web:
            links = [
                ft.FilledButton(_("PDF downloaden"), icon=ft.Icons.PICTURE_AS_PDF,
                                url=ft.Url(f"/{POSTER_FOLDER}/{pdf.name}", ft.UrlTarget.SELF)),
                ft.OutlinedButton(_("Afbeelding (PNG) downloaden"), icon=ft.Icons.IMAGE,
                                  url=ft.Url(f"/{POSTER_FOLDER}/{png.name}", ft.UrlTarget.SELF)),
            ]
        else:
            links = [
                ft.FilledButton(_("PDF delen of printen"), icon=ft.Icons.SHARE, on_click=lambda: share(pdf)),
                ft.OutlinedButton(_("Afbeelding delen"), icon=ft.Icons.IMAGE, on_click=lambda: share(png)),
            ]
        result = ft.Column([Body(_("Je poster is klaar.")), *links], spacing=theme.GAP,
                           horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    else:
        result = ft.FilledButton(_("Poster maken"), icon=ft.Icons.PRINT, on_click=make)

    return ft.Column(
        [
            Card(
                Heading(_("Poster voor de koelkast"), theme.TEXT_TITLE),
                Body(_("Kies wat erop komt. Alleen wat aan staat, komt op de poster.")),
                *switches,
            ),
            Card(
                Heading(_("Naam op de poster")),
                TextInput(_("Naam (mag leeg blijven)"), choice.name, on_change=lambda text: change(name=text)),
                Heading(_("Papier")),
                ft.Row([paper_button(p) for p in Paper], spacing=theme.GAP),
            ),
            Card(
                Heading(_("Zo ziet je poster eruit")),
                ft.Container(
                    ft.Image(src=preview, fit=ft.BoxFit.CONTAIN,
                             semantics_label=_("Voorbeeld van de poster")),
                    border=ft.Border.all(1, theme.LINE),
                    alignment=ft.Alignment.CENTER,
                ),
                result,
            ),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
