"""Working with the action over time: "Hoe gaat het?", looking back, and "Mijn koers", the earlier periods."""

from __future__ import annotations

from datetime import date
from typing import Callable

import flet as ft

from kompas.domain.model import CheckIn, Kompas, Mood, Period, Photo
from kompas.i18n import N_, _, format_date, ngettext
from kompas.screens.koers import newest_first, strengths_grown
from kompas.screens.readaloud import MOOD_WORDS, done_aloud
from kompas.screens.state import Screen, ScreenKind
from kompas.ui import theme
from kompas.ui.fields import TextInput, use_field, use_text
from kompas.ui.files import KompasFiles, PhotoButton
from kompas.ui.messages import report, show_message
from kompas.ui.pasted import PastedPhotos
from kompas.ui.record import FormVoice, VoiceLine
from kompas.ui.voice import Asked, SpeakButton
from kompas.ui.widgets import Body, Card, Heading, Pictogram, Tappable, name_of
from kompas.workbook.workbook import Workbook

Go = Callable[[Screen], None]

_FACES = {Mood.GOED: ft.Icons.SENTIMENT_VERY_SATISFIED, Mood.GAAT_WEL: ft.Icons.SENTIMENT_NEUTRAL,
          Mood.LASTIG: ft.Icons.SENTIMENT_DISSATISFIED}
MOODS: dict[Mood, tuple[ft.IconData, str]] = {mood: (_FACES[mood], word) for mood, word in MOOD_WORDS.items()}


def MoodFace(mood: Mood, size: int = theme.PICTOGRAM) -> ft.Control:
    icon, word = MOODS[mood]
    return ft.Row([ft.Icon(icon, size=size, color=theme.INK), Body(_(word))], spacing=theme.GAP, tight=True)


@ft.component
def CheckInView(kompas: Kompas, workbook: Workbook, files: KompasFiles, today: date, go: Go) -> ft.Control:
    page = ft.context.page
    mood, set_mood, mood_now = use_field(None)
    note = use_text()
    photo, set_photo, photo_now = use_field(None)

    if kompas.action is None:
        return Card(Body(_("Kies eerst een actie.")),
                    ft.FilledButton(_("Kies een actie"), on_click=lambda: go(Screen(ScreenKind.ACTION))))

    def save() -> None:
        if mood_now.current is None:
            show_message(page, _("Tik eerst op een gezicht."))
            return
        photo_id = photo_now.current.id if photo_now.current else None
        if report(page, workbook.check_in(mood_now.current, today, note=note.current, photo=photo_id)):
            go(Screen(ScreenKind.HOME))

    def done() -> None:
        if report(page, workbook.mark_done()):
            page.show_dialog(ft.AlertDialog(
                # A pop-up has its own speaker: the "Voorlezen" bar is behind it.
                icon=ft.Row([ft.Icon(ft.Icons.CELEBRATION, size=64, color=theme.STAR),
                             SpeakButton(_("Voorlezen: {question}", question=_("Gedaan! Goed gedaan!")), done_aloud)],
                            alignment=ft.MainAxisAlignment.CENTER, tight=True),
                title=ft.Text(_("Gedaan! Goed gedaan!"), size=theme.TEXT_TITLE, text_align=ft.TextAlign.CENTER),
                content=Body(_("Je hebt je actie gedaan. Dat is een stap op je koers. Kijk terug als je wilt, "
                               "en kies dan een nieuwe actie.")),
                actions=[ft.FilledButton(_("Terugkijken"), on_click=lambda: (page.pop_dialog(),
                                                                          go(Screen(ScreenKind.LOOK_BACK)))),
                         ft.TextButton(_("Later"), on_click=lambda: (page.pop_dialog(), go(Screen(ScreenKind.HOME))))],
            ))

    def face(option: Mood) -> ft.Control:
        icon, word = MOODS[option]
        chosen = option is mood
        return Tappable(
            _(word) + (_(": gekozen") if chosen else ""), lambda: set_mood(option),
            # At least 100 px wide, wider where the word needs it (with the text at 200%), never broken in two.
            ft.Column([ft.Icon(icon, size=56, color=theme.INK), Body(_(word)), ft.Container(width=100 - 2 * 8 - 2 * 3)],
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=2),
            selected=chosen,
            padding=theme.GAP, border_radius=theme.RADIUS,
            border=ft.Border.all(3 if chosen else 1, theme.INK if chosen else theme.LINE),
            bgcolor=theme.CARD,
        )

    attached = []
    if photo:
        attached = [ft.Image(src=files.src(page, photo.thumb), height=120, fit=ft.BoxFit.CONTAIN,
                             semantics_label=_("Foto bij deze keer"))]
    return ft.Column(
        [
            Card(
                Heading(_("Hoe gaat het?"), theme.TEXT_TITLE),
                Body(_("Met: {action}", action=kompas.action.text)),
                ft.Row([face(m) for m in Mood], alignment=ft.MainAxisAlignment.SPACE_AROUND, wrap=True),
                Asked(TextInput(_("Wil je er iets over zeggen? (mag leeg blijven)"), note.current,
                                on_change=note.typed, multiline=True), "Wil je er iets over zeggen? (mag leeg blijven)"),
                FormVoice(kompas, workbook, "checkin", _("Inspreken: hoe gaat het?"), _("bij deze keer")),
                *attached,
                PhotoButton(workbook, "checkin", on_added=set_photo),
                ft.FilledButton(_("Bewaar"), icon=ft.Icons.CHECK, on_click=save),
            ),
            Card(
                Asked(Heading(_("Is het gelukt?")), "Is het gelukt?"),
                ft.FilledButton(_("Gedaan!"), icon=ft.Icons.CELEBRATION, on_click=done,
                                style=ft.ButtonStyle(bgcolor=theme.STAR)),
            ),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


@ft.component
def LookBackView(kompas: Kompas, workbook: Workbook, today: date, go: Go) -> ft.Control:
    page = ft.context.page
    went_well, learned, helped = use_text(), use_text(), use_text()

    if kompas.action is None:
        return Card(Body(_("Er is nu geen actie om op terug te kijken.")),
                    ft.FilledButton(_("Kies een actie"), on_click=lambda: go(Screen(ScreenKind.ACTION))))

    def finish() -> None:
        outcome = workbook.look_back(went_well.current, learned.current, helped.current, today)
        if report(page, outcome):
            go(Screen(ScreenKind.ACTION))

    return Card(
        Heading(_("Terugkijken"), theme.TEXT_TITLE),
        Body(_("Op: {action}", action=kompas.action.text)),
        Asked(TextInput(_("Wat ging goed?"), went_well.current, on_change=went_well.typed, multiline=True),
              "Wat ging goed?"),
        Asked(TextInput(_("Wat heb je geleerd?"), learned.current, on_change=learned.typed, multiline=True),
              "Wat heb je geleerd?"),
        Asked(TextInput(_("Wie of wat hielp?"), helped.current, on_change=helped.typed, multiline=True),
              "Wie of wat hielp?"),
        FormVoice(kompas, workbook, "terugblik", _("Inspreken: hoe ging het?"), _("bij het terugkijken")),
        Body(_("Daarna kies je een nieuwe actie. Je kompas blijft zoals het is; je kunt het altijd aanpassen."),
             size=theme.TEXT_SMALL, color=theme.INK_SOFT),
        ft.FilledButton(_("Klaar: kies een nieuwe actie"), icon=ft.Icons.ARROW_FORWARD, on_click=finish),
    )


def _checkin_line(checkin: CheckIn, kompas: Kompas, page: ft.Page, files: KompasFiles, today: date) -> ft.Control:
    parts: list[ft.Control] = [
        ft.Row([Body(format_date(date.fromisoformat(checkin.day), today), size=theme.TEXT_SMALL,
                     color=theme.INK_SOFT), MoodFace(checkin.mood, 28)], spacing=theme.GAP, wrap=True),
    ]
    if checkin.note:
        parts.append(Body(checkin.note, own=True))
    if checkin.voice:
        parts.append(VoiceLine(checkin.voice, _("bij deze keer")))
    photo = kompas.photo(checkin.photo)
    if photo:
        parts.append(ft.Image(src=files.src(page, photo.thumb), height=96, fit=ft.BoxFit.CONTAIN,
                              semantics_label=photo.caption or _("Foto")))
    return ft.Column(parts, spacing=4)


# Enough cards to fill a phone's screen; more come on request, so that five years open nearly as fast as none
# (tools/bench_koers.py: with four, a tap took up to twice as long as on an empty Mijn koers).
TIMELINE_PAGE = 2
# The newest card is sent first on its own, and the rest of the page right after it: one card of a busy period
# nearly fills a phone's screen, and until the first drawing is sent the server also takes home off the screen
# (at five years hundreds of controls), so every card less in it is a sooner first look.
TIMELINE_FIRST = 1


def _period_card(period: Period, kompas: Kompas, page: ft.Page, files: KompasFiles, today: date,
                 photos: list[Photo]) -> ft.Control:
    action, look = period.action, period.look_back
    start = action.chosen or look.day
    lines: list[ft.Control] = [
        ft.Row([Pictogram(action.condition, theme.PICTOGRAM_SMALL, label=""),
                Body(_("{start} tot {end} · {condition}", start=format_date(date.fromisoformat(start), today),
                       end=format_date(date.fromisoformat(look.day), today), condition=name_of(action.condition)),
                     size=theme.TEXT_SMALL, color=theme.INK_SOFT)], spacing=theme.GAP, wrap=True),
        Heading(action.text, own=True),
        *([VoiceLine(action.voice, _("bij je actie"))] if action.voice else []),
    ]
    pasted = PastedPhotos(photos, _("Actie"), files)
    if pasted:
        lines.append(pasted)
    if period.done:
        lines.append(ft.Row([ft.Icon(ft.Icons.CELEBRATION, color=theme.STAR), Body(_("Gedaan!"))], tight=True))
    lines += [_checkin_line(c, kompas, page, files, today) for c in period.checkins]
    for question, answer in ((N_("Wat ging goed?"), look.went_well), (N_("Wat heb je geleerd?"), look.learned),
                             (N_("Wie of wat hielp?"), look.helped)):
        if answer:
            lines.append(ft.Column([Body(_(question), size=theme.TEXT_SMALL, color=theme.INK_SOFT), Body(answer)],
                                   spacing=2))
    if look.voice:
        lines.append(VoiceLine(look.voice, _("bij het terugkijken")))
    grown = strengths_grown(kompas, period)
    if grown:
        lines.append(Body(_("Krachten die erbij kwamen: {strengths}", strengths=", ".join(grown))))
    return Card(*lines, bgcolor=theme.CONDITION_COLOURS[action.condition], key=period.id)


@ft.component
def TimelineView(kompas: Kompas, files: KompasFiles, today: date) -> ft.Control:
    page = ft.context.page
    shown, set_shown = ft.use_state(TIMELINE_FIRST)
    # Runs once the first drawing is on its way.
    ft.use_effect(lambda: set_shown(lambda n: max(n, TIMELINE_PAGE)), [])
    if not kompas.periods:
        return Card(Heading(_("Mijn koers"), theme.TEXT_TITLE),
                    Body(_("Hier komt te staan wat je hebt gedaan. Na het terugkijken op je eerste actie zie je "
                           "het hier.")))
    periods, left = newest_first(kompas, shown)
    action_photos = kompas.action_photos()
    cards = [_period_card(p, kompas, page, files, today, action_photos.get(p.id, [])) for p in periods]
    if left > 0:
        cards.append(ft.OutlinedButton(
            ngettext("Eerdere acties laten zien ({n} nog)", "Eerdere acties laten zien ({n} nog)", left), icon=ft.Icons.EXPAND_MORE,
            on_click=lambda: set_shown(lambda n: n + TIMELINE_PAGE),
        ))
    return ft.Column([Heading(_("Mijn koers"), theme.TEXT_TITLE), *cards], spacing=theme.PAD,
                     horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
