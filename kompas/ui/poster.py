"""The poster screen: choose what goes on it, see a preview, make it, and download or share it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable, TypeVar

import flet as ft

from kompas.base.resources import POSTER_FOLDER
from kompas.domain.model import Kompas, Paper, PosterItem
from kompas.i18n import SOURCE_LANGUAGE, _, current_language
from kompas.poster.output import make_files, poster_paths
from kompas.poster.render import poster_images, preview_png
from kompas.screens.readaloud import POSTER_ITEMS
from kompas.ui import theme
from kompas.ui.fields import StoredText
from kompas.ui.files import KompasFiles
from kompas.ui.messages import report, show_message
from kompas.ui.widgets import Body, Card, Heading, LabelledSwitch, Tappable
from kompas.workbook.workbook import Outcome, Workbook

# The order the client reads them in (and hears them, kompas/screens/readaloud.py); the private ones come last.
_ITEMS = POSTER_ITEMS
_PRIVATE = {PosterItem.AANLEIDING, PosterItem.BELEMMERINGEN}
# A pause this long in typing or tapping means the client is done for now: quick changes draw one preview, not each.
_SETTLE_S = 0.25

T = TypeVar("T")


class Latest:
    """Does the newest of quick requests once they pause, off the event loop; an older result never lands after a newer one."""

    def __init__(self, settle_s: float = _SETTLE_S):
        self.settle_s = settle_s
        self.generation = 0

    def forget(self) -> None:
        """No request under way may deliver any more: the screen is gone."""
        self.generation += 1

    async def run(self, work: Callable[[], T], wait: bool = True) -> T | None:
        """The result of `work`, or None when a newer request came while waiting or working."""
        self.generation += 1
        mine = self.generation
        if wait:
            await asyncio.sleep(self.settle_s)
            if mine != self.generation:
                return None
        # In a thread: drawing takes long enough to stall every tap and keystroke if it ran on the event loop.
        result = await asyncio.to_thread(work)
        return result if mine == self.generation else None


@ft.component
def PosterView(kompas: Kompas, workbook: Workbook, files: KompasFiles, today: date) -> ft.Control:
    page = ft.context.page
    choice = kompas.poster
    busy, set_busy = ft.use_state(False)
    made, set_made = ft.use_state(None)
    preview, set_preview = ft.use_state(None)
    drawer = ft.use_ref(lambda: Latest()).current
    folder = files.folder / POSTER_FOLDER

    async def draw_preview() -> None:
        # The workbook swaps the kompas's fields as they change: the thread draws from a copy of this moment.
        shown = replace(kompas)
        # The first preview comes at once; later ones wait for the client to pause.
        png = await drawer.run(lambda: preview_png(shown, choice, today, files.folder), wait=preview is not None)
        if png is not None:
            set_preview(png)

    ft.use_effect(
        draw_preview,
        [choice, kompas.wish, kompas.action, tuple(kompas.notes), tuple(kompas.poster_photos()), today],
        cleanup=drawer.forget,
    )

    def change(**fields) -> Outcome:
        set_made(None)
        return workbook.change_poster(**fields)

    def toggle(item: PosterItem, on: bool) -> None:
        # From what is stored, not from this drawing of the screen: a second quick tap must not undo the first.
        items = workbook.kompas.poster.items
        report(page, change(items=items | {item} if on else items - {item}))

    async def make() -> None:
        set_busy(True)
        set_made(None)
        pdf, png = poster_paths(folder, choice.paper)
        shown = replace(kompas)
        try:
            # The photos are read at full size only here, in the thread: the preview keeps small copies of its own.
            await asyncio.to_thread(lambda: make_files(shown, choice, today, pdf, png, poster_images(shown, files.folder)))
        except OSError:
            show_message(page, _("De poster kon niet worden bewaard. Is er nog ruimte op het apparaat?"))
        else:
            set_made(choice.paper)
        finally:
            set_busy(False)

    async def share(path: Path) -> None:
        # No words beside the file: whatever app it goes to (a message, a mail) shows them to whoever reads along.
        await ft.Share().share_files([ft.ShareFile.from_path(str(path))])

    switches = []
    for item, label in _ITEMS:
        switches.append(LabelledSwitch(_(label), item in choice.items, lambda on, item=item: toggle(item, on)))
        if item is PosterItem.INZET:
            switches.append(Body(_("Bezoek ziet de poster ook. Zet de twee hieronder alleen aan als je dat wilt."),
                                 size=theme.TEXT_SMALL, color=theme.INK_SOFT))

    if current_language() != SOURCE_LANGUAGE:
        # The poster speaks the client's language; a begeleider who reads only Dutch can have its words beside them.
        switches.append(LabelledSwitch(_("Ook de Nederlandse woorden, klein erbij (voor de begeleider)"),
                                       choice.dutch_labels, lambda on: report(page, change(dutch_labels=on))))

    def paper_button(paper: Paper) -> ft.Control:
        chosen = paper is choice.paper
        label = _("Papier {paper}: gekozen", paper=paper.value) if chosen else _("Papier {paper}", paper=paper.value)
        return Tappable(
            label, lambda: report(page, change(paper=paper)),
            ft.Row([*([ft.Icon(ft.Icons.CHECK, color=theme.ON_ACCENT)] if chosen else []),
                    ft.Text(paper.value, size=theme.TEXT_BODY, weight=ft.FontWeight.W_600,
                            color=theme.ON_ACCENT if chosen else theme.ACCENT)], tight=True, spacing=theme.GAP),
            selected=chosen, bgcolor=theme.ACCENT if chosen else None, border_radius=theme.RADIUS,
            border=ft.Border.all(1, theme.ACCENT), padding=ft.Padding.symmetric(horizontal=20, vertical=12),
        )

    if busy:
        result = ft.Row([ft.ProgressRing(width=32, height=32), Body(_("De poster wordt gemaakt…"))],
                        spacing=theme.PAD)
    elif made:
        pdf, png = poster_paths(folder, made)
        if page.web:
            links = [
                ft.FilledButton(_("PDF downloaden"), icon=ft.Icons.PICTURE_AS_PDF,
                                url=ft.Url(files.src(page, f"{POSTER_FOLDER}/{pdf.name}"), ft.UrlTarget.SELF)),
                ft.OutlinedButton(_("Afbeelding (PNG) downloaden"), icon=ft.Icons.IMAGE,
                                  url=ft.Url(files.src(page, f"{POSTER_FOLDER}/{png.name}"), ft.UrlTarget.SELF)),
            ]
        else:
            links = [
                ft.FilledButton(_("PDF delen of printen"), icon=ft.Icons.SHARE, on_click=lambda: page.run_task(share, pdf)),
                ft.OutlinedButton(_("Afbeelding delen"), icon=ft.Icons.IMAGE, on_click=lambda: page.run_task(share, png)),
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
                StoredText(_("Naam (mag leeg blijven)"), choice.name, lambda text: change(name=text)),
                Heading(_("Papier")),
                ft.Row([paper_button(p) for p in Paper], spacing=theme.GAP),
            ),
            Card(
                Heading(_("Zo ziet je poster eruit")),
                ft.Container(
                    ft.Image(src=preview, fit=ft.BoxFit.CONTAIN, semantics_label=_("Voorbeeld van de poster"))
                    if preview else ft.ProgressRing(width=32, height=32),
                    border=ft.Border.all(1, theme.LINE),
                    alignment=ft.Alignment.CENTER,
                    height=None if preview else 200,
                ),
                result,
            ),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
