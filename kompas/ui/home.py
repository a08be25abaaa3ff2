"""Home, "Mijn kompas": the action on top, the four conditions as a compass, the wish and the stars."""

from __future__ import annotations

from datetime import date
from typing import Callable

import flet as ft

from kompas.domain.model import Condition
from kompas.i18n import _, format_date, is_right_to_left, ngettext
from kompas.screens.state import ActionSummary, ConditionTile, HomeState, Screen, ScreenKind
from kompas.ui import theme
from kompas.ui.fields import StoredText
from kompas.ui.files import KompasFiles, PhotoButton
from kompas.ui.pasted import PastedPhotos
from kompas.ui.record import VoiceLine
from kompas.ui.widgets import Body, Card, ConditionChip, Heading, Pictogram, Tappable, name_of, own_direction
from kompas.workbook.workbook import Workbook

Go = Callable[[Screen], None]


def ActionCard(summary: ActionSummary | None, workbook: Workbook, files: KompasFiles, today: date, go: Go) -> ft.Control:
    if summary is None:
        return Card(
            ft.Row([Pictogram("actie", theme.PICTOGRAM, label=""), Heading(_("Mijn actie"))], spacing=theme.GAP),
            Body(_("Kies één kleine stap die je de komende weken gaat doen.")),
            ft.FilledButton(
                _("Kies een actie"),
                icon=ft.Icons.FLAG,
                on_click=lambda: go(Screen(ScreenKind.ACTION)),
            ),
            bgcolor=theme.CONDITION_COLOURS[Condition.JEZELF_ZIJN],
        )
    action = summary.action
    if summary.days_left > 1:
        when = ngettext("Terugkijken op {date}, over {n} dag", "Terugkijken op {date}, over {n} dagen", summary.days_left,
                        date=format_date(summary.look_back, today))
    elif summary.days_left == 1:
        when = _("Terugkijken op {date}: morgen", date=format_date(summary.look_back, today))
    elif summary.days_left == 0:
        when = _("Vandaag kijken we terug")
    else:
        when = _("Op {date} zouden we terugkijken. Hoe ging het?", date=format_date(summary.look_back, today))
    lines = [
        ft.Row(
            [
                # The action's own pictogram beside its word, and the condition's beside the condition's name.
                Pictogram("actie", theme.PICTOGRAM, label=""),
                ft.Text(_("Mijn actie · {condition}", condition=name_of(action.condition)),
                        size=theme.TEXT_SMALL, color=theme.INK_SOFT, expand=True),
                Pictogram(action.condition, theme.PICTOGRAM_SMALL, label=""),
            ],
            spacing=theme.GAP,
        ),
        ft.Text(action.text, size=theme.TEXT_TITLE, weight=ft.FontWeight.BOLD, color=theme.INK,
                **own_direction(action.text)),
    ]
    if action.voice:
        lines.append(VoiceLine(action.voice, _("bij je actie")))
    if action.first_step:
        lines.append(Body(_("Eerste stapje: {step}", step=action.first_step)))
    if action.helper:
        lines.append(Body(_("Wie helpt: {helper}", helper=action.helper)))
    lines.append(Body(when))
    if summary.done:
        lines.append(ft.Row([ft.Icon(ft.Icons.CELEBRATION, color=theme.STAR), Body(_("Gedaan!"))], tight=True))
    if summary.checkins:
        lines.append(Body(ngettext("Hoe het ging: {n} keer bijgehouden", "Hoe het ging: {n} keer bijgehouden",
                                   summary.checkins), size=theme.TEXT_SMALL,
                          color=theme.INK_SOFT))
    pasted = PastedPhotos(summary.photos, _("Actie"), files, workbook)
    if pasted:
        lines.append(pasted)
    lines += [
        ft.FilledButton(_("Hoe gaat het?"), icon=ft.Icons.SENTIMENT_SATISFIED,
                        on_click=lambda: go(Screen(ScreenKind.CHECK_IN))),
        ft.Row(
            [
                ft.OutlinedButton(_("Terugkijken"), icon=ft.Icons.HISTORY,
                                  on_click=lambda: go(Screen(ScreenKind.LOOK_BACK))),
                ft.OutlinedButton(_("Actie veranderen"), icon=ft.Icons.EDIT,
                                  on_click=lambda: go(Screen(ScreenKind.ACTION, action.condition))),
                PhotoButton(workbook, "actie", label=_("Foto")),
            ],
            wrap=True, spacing=theme.GAP, run_spacing=theme.GAP,
        ),
    ]
    return Card(*lines, bgcolor=theme.CONDITION_COLOURS[action.condition])


def ConditionButton(tile: ConditionTile, go: Go, selected: bool) -> ft.Control:
    if tile.note_count == 0:
        count = _("Nog leeg") if tile.photo_count == 0 else ""
    else:
        count = ngettext("{n} notitie", "{n} notities", tile.note_count)
    photos = ngettext("{n} foto", "{n} foto's", tile.photo_count) if tile.photo_count else ""
    name = name_of(tile.condition)
    return ConditionChip(
        tile.condition,
        selected,
        _("{condition}: openen", condition=name),
        lambda: go(Screen(ScreenKind.CONDITION, tile.condition)),
        ft.Column(
            [
                Pictogram(tile.condition, theme.PICTOGRAM_LARGE, label=""),
                ft.Text(name, size=theme.TEXT_BODY, weight=ft.FontWeight.BOLD, color=theme.INK,
                        text_align=ft.TextAlign.CENTER),
                *[ft.Text(words, size=theme.TEXT_SMALL, color=theme.INK_SOFT, text_align=ft.TextAlign.CENTER)
                  for words in (count, photos) if words],
                # At least a tile's width; wider where a word needs it (a long word, or the text at 200%), rather
                # than a word broken in two ("notitie|s").
                ft.Container(width=theme.COMPASS_TILE - 2 * 4 - 2 * 3),
            ],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=2,
        ),
        padding=ft.Padding.symmetric(vertical=theme.GAP * 1.5, horizontal=4),
    )


def Compass(tiles: tuple[ConditionTile, ...], go: Go, open_condition: Condition | None) -> ft.Control:
    """The four conditions around a compass rose, clockwise from the top."""
    north, east, south, west = (ConditionButton(t, go, t.condition is open_condition) for t in tiles)
    centre = ft.Container(Pictogram("kompas", theme.ROSE, label=""), width=theme.ROSE + 4, alignment=ft.Alignment.CENTER)
    # Rows that wrap: with large text a tile grows, and west, the rose and east then take more than one line.
    row = dict(alignment=ft.MainAxisAlignment.CENTER, vertical_alignment=ft.CrossAxisAlignment.CENTER, spacing=4,
               wrap=True, run_spacing=4)
    return ft.Column(
        [ft.Row([north], **row), ft.Row(_west_to_east(west, centre, east), **row), ft.Row([south], **row)],
        spacing=4,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )


def _west_to_east(*controls: ft.Control) -> list[ft.Control]:
    # A compass is a map: west stays on the left in a right-to-left screen too, as on the printed poster. A row
    # there is laid out from the right, so it gets its children the other way round.
    return list(reversed(controls)) if is_right_to_left() else list(controls)


def WishCard(wish: str, workbook: Workbook) -> ft.Control:
    return Card(
        Heading(_("Mijn wens voor later")),
        Body(_("Waar wil je naartoe? Dit is je grote doel."), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
        StoredText(_("Mijn wens"), wish, workbook.set_wish, multiline=True),
    )


@ft.component
def StarredCard(state: HomeState, go: Go) -> ft.Control:
    """What the client starred: the newest few, and a button for all of them."""
    starred = state.starred
    everything, set_everything = ft.use_state(False)
    shown = starred if everything else state.newest_starred
    # Each one a button with one name, so a keyboard reaches it and a screen reader says where it leads.
    rows: list[ft.Control] = [
        Tappable(
            _("{note}: openen bij {condition}", note=note.text[:40] or _("Een ingesproken notitie"),
              condition=name_of(note.condition)),
            lambda _e=None, n=note: go(Screen(ScreenKind.CONDITION, n.condition)),
            ft.Row(
                [
                    ft.Icon(ft.Icons.STAR, color=theme.STAR, semantics_label=_("Belangrijk")),
                    ft.Text(note.text, size=theme.TEXT_BODY, color=theme.INK, expand=True, **own_direction(note.text)),
                    Pictogram(note.condition, theme.PICTOGRAM_SMALL),
                ],
                spacing=theme.GAP,
            ),
            padding=ft.Padding.symmetric(vertical=theme.GAP),
            key=note.id,
        )
        for note in shown
    ]
    if len(shown) < len(starred):
        rows.append(ft.OutlinedButton(ngettext("Alle {n} laten zien", "Alle {n} laten zien", len(starred)),
                                      icon=ft.Icons.EXPAND_MORE, on_click=lambda: set_everything(True)))
    if not rows:
        rows = [Body(_("Geef een ster aan wat voor jou het belangrijkst is. Dat zie je dan hier."),
                     size=theme.TEXT_SMALL, color=theme.INK_SOFT)]
    return Card(Heading(_("Wat voor mij het belangrijkst is")), *rows)


# Memoised: on a laptop home stands beside the open condition, and a note typed there redraws the screen; home is
# drawn again only when what it shows changed (its state, the day, the open condition).
@ft.memo
@ft.component
def HomeView(state: HomeState, workbook: Workbook, files: KompasFiles, today: date, go: Go,
             open_condition: Condition | None) -> ft.Control:
    return ft.Column(
        [
            ActionCard(state.action, workbook, files, today, go),
            Compass(state.tiles, go, open_condition),
            WishCard(state.wish, workbook),
            StarredCard(state, go),
            ft.OutlinedButton(_("Mijn plakboek"), icon=ft.Icons.PHOTO_LIBRARY, on_click=lambda: go(Screen(ScreenKind.ALBUM))),
            ft.OutlinedButton(_("Mijn koers"), icon=ft.Icons.TIMELINE, on_click=lambda: go(Screen(ScreenKind.TIMELINE))),
            ft.OutlinedButton(_("Poster voor de koelkast"), icon=ft.Icons.PRINT, on_click=lambda: go(Screen(ScreenKind.POSTER))),
            ft.TextButton(_("Kopie en meenemen"), icon=ft.Icons.SAVE_ALT,
                          on_click=lambda: go(Screen(ScreenKind.TAKE_ALONG))),
            ft.TextButton(_("Slot en wissen"), icon=ft.Icons.LOCK_OUTLINE,
                          on_click=lambda: go(Screen(ScreenKind.SETTINGS))),
            ft.TextButton(_("Over deze app"), icon=ft.Icons.INFO_OUTLINE, on_click=lambda: go(Screen(ScreenKind.ABOUT))),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
