"""The app shell: page set-up, routing, phone or wide layout, and the web server that serves it."""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass
from datetime import date
from typing import Callable

import flet as ft

from kompas.content import STEPS
from kompas.drafts import flush_all
from kompas.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language, is_right_to_left, set_language_source
from kompas.model import Step
from kompas.readaloud import DoorState, door_aloud, hidden_aloud, language_aloud, new_kompas_aloud, read_aloud, shelf_aloud
from kompas.resources import ASSETS_DIR
from kompas.screens import Layout, Screen, ScreenKind, home_state, layout_for
from kompas.session import Library, Session
from kompas.speech import Speech
from kompas.speechpack import SPEECH_PACK
from kompas.ui import theme
from kompas.ui.about import AboutView
from kompas.ui.action import ActionView
from kompas.ui.album import AlbumView
from kompas.ui.carry import TakeAlongView
from kompas.ui.condition import ConditionView
from kompas.ui.home import HomeView
from kompas.ui.poster import PosterView
from kompas.ui.progress import CheckInView, LookBackView, TimelineView
from kompas.ui.record import forget_recorder, recorder_of
from kompas.ui.settings import SettingsView
from kompas.ui.shelf import HiddenView, LanguageView, NewKompasView, PinView, ShelfView
from kompas.ui.voice import ROOM_FOR_VOICE, WithVoice, forget_speaker, speaker_of, use_speaker
from kompas.ui.widgets import (
    Body,
    Card,
    Heading,
    IconAction,
    KompasFiles,
    Labelled,
    name_of,
    show_message,
    store_problem_message,
)
from kompas.words import Spoken

# How often an open kompas checks whether it has been left alone too long.
IDLE_CHECK = 10
# Seconds after a screen starts before the emoji font is sent: by then the first screen is drawn, which the
# font's 870 kB would otherwise hold back by a third (measured with tools/bench_startup.py).
LATE_FONTS_AFTER = 2.5


def _title(screen: Screen) -> str:
    if screen.kind is ScreenKind.CONDITION and screen.condition:
        return name_of(screen.condition)
    if screen.kind is ScreenKind.ACTION:
        return _("Mijn actie")
    if screen.kind is ScreenKind.ABOUT:
        return _("Over deze app")
    if screen.kind is ScreenKind.SETTINGS:
        return _("Slot en wissen")
    if screen.kind is ScreenKind.TAKE_ALONG:
        return _("Kopie en meenemen")
    return {
        ScreenKind.POSTER: _("Poster"),
        ScreenKind.CHECK_IN: _("Hoe gaat het?"),
        ScreenKind.LOOK_BACK: _("Terugkijken"),
        ScreenKind.TIMELINE: _("Mijn koers"),
        ScreenKind.ALBUM: _("Mijn plakboek"),
    }.get(screen.kind, _("Mijn kompas"))


def StepsGuide() -> ft.Control:
    """What the wide layout shows beside the compass before a condition is opened."""
    return Card(
        Heading(_("Zo werkt het kompas"), theme.TEXT_TITLE),
        Body(_("Kies een deel van het kompas. Bij elk deel horen vijf vragen. Ze gaan over een reis met een boot:")),
        *[
            ft.Column([Labelled(step), Body(_(STEPS[step].question), size=theme.TEXT_SMALL, color=theme.INK_SOFT)],
                      spacing=2)
            for step in Step
        ],
        Body(_("Je kiest steeds één kleine actie voor de komende weken.")),
    )


@dataclass(frozen=True)
class Exits:
    """The ways out of an open kompas, always in reach: lock it, hide it at once, or go back to the shelf."""

    lock: Callable[[], None]
    hide: Callable[[], None]
    leave: Callable[[], None]
    language: Callable[[], None]  # not a way out, but in reach on every screen all the same
    door_changed: Callable[[], None]  # the tab title follows a kompas made discreet at once


@ft.component
def App(library: Library, session: Session, address: str | None, exits: Exits) -> ft.Control:
    page = ft.context.page
    workbook = session.workbook
    files = KompasFiles(library.folder(session.card_id), session.file_key)
    screen, set_screen = ft.use_state(lambda: Screen.parse(page.route))
    width, set_width = ft.use_state(page.width)
    _version, set_version = ft.use_state(0)

    def mount():
        def route_changed(e) -> None:
            session.touch()
            leave_screen()
            set_screen(Screen.parse(e.route))

        page.on_route_change = route_changed
        page.on_resize = lambda e: set_width(e.width)
        problem = workbook.problem_to_tell()
        if problem:
            show_message(page, store_problem_message(*problem))

        async def redraw() -> None:
            set_version(lambda v: v + 1)

        def changed() -> None:
            # A change on this kompas, here or on the screen beside it, counts as use: no idle lock meanwhile.
            session.touch()
            # A change may come from another tab or device, on its event or from a worker thread:
            # redraw as this page's own task, in a context of its own.
            if page.session.connection is None:
                # This tab is away (closed, or reconnecting): the whole screen redraws when it comes back.
                return
            contextvars.copy_context().run(page.run_task, redraw)

        # A closed tab or a lost connection stores what was still being typed.
        page.on_disconnect = lambda _e: flush_all()
        return workbook.subscribe(changed)

    ft.use_effect(mount, [])

    def leave_screen() -> None:
        # Leaving a screen (a button here, or the browser's back) stops what was read on it at once, before the
        # next screen is drawn.
        speaker = speaker_of(page)
        if speaker is not None:
            speaker.leave()

    def go(target: Screen) -> None:
        leave_screen()
        page.navigate(target.route)

    today = date.today()
    kompas = workbook.kompas
    layout = layout_for(width)
    open_condition = screen.condition if screen.kind is ScreenKind.CONDITION else None

    def detail() -> ft.Control | None:
        if screen.kind is ScreenKind.CONDITION and screen.condition:
            return ConditionView(screen.condition, kompas, workbook, go)
        if screen.kind is ScreenKind.ACTION:
            return ActionView(kompas, workbook, today, screen.condition, go, key=screen.route)
        if screen.kind is ScreenKind.POSTER:
            return PosterView(kompas, workbook, files, today)
        if screen.kind is ScreenKind.CHECK_IN:
            return CheckInView(kompas, workbook, files, today, go, key=screen.route)
        if screen.kind is ScreenKind.LOOK_BACK:
            return LookBackView(kompas, workbook, today, go, key=screen.route)
        if screen.kind is ScreenKind.TIMELINE:
            return TimelineView(kompas, files, today)
        if screen.kind is ScreenKind.ALBUM:
            return AlbumView(kompas, workbook, files, today)
        if screen.kind is ScreenKind.ABOUT:
            return AboutView(files)
        if screen.kind is ScreenKind.SETTINGS:
            return SettingsView(library, session, address, on_erased=exits.leave, on_door=exits.door_changed)
        if screen.kind is ScreenKind.TAKE_ALONG:
            return TakeAlongView(library, session, files, address, today, on_erased=exits.leave)
        return None

    home = HomeView(home_state(kompas, today), workbook, today, go, open_condition)
    shown = detail()
    if layout is Layout.WIDE:
        body = ft.Row(
            [
                ft.Container(
                    ft.Column([home, ft.Container(height=ROOM_FOR_VOICE)], scroll=ft.ScrollMode.AUTO),
                    width=theme.SIDE_PANEL,
                    padding=theme.PAD,
                ),
                ft.Container(
                    ft.Column([ft.Container(shown or StepsGuide(), width=theme.CONTENT_MAX),
                               ft.Container(height=ROOM_FOR_VOICE)], scroll=ft.ScrollMode.AUTO, key=screen.route),
                    expand=True,
                    padding=theme.PAD,
                    alignment=ft.Alignment.TOP_LEFT,
                ),
            ],
            expand=True,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    else:
        body = ft.Container(
            ft.Column([shown or home, ft.Container(height=ROOM_FOR_VOICE)], scroll=ft.ScrollMode.AUTO,
                      key=screen.route),
            expand=True,
            padding=ft.Padding.symmetric(horizontal=theme.PHONE_EDGE, vertical=theme.PAD),
        )

    at_home = screen.kind is ScreenKind.HOME
    title = _title(screen) if layout is Layout.PHONE else _("Mijn kompas")
    header = ft.Container(
        ft.Row(
            [
                *([] if at_home else [IconAction(
                    ft.Icons.ARROW_BACK, _("Terug naar mijn kompas"), lambda: go(Screen(ScreenKind.HOME))
                )]),
                ft.Text(title, size=theme.TEXT_LARGE, weight=ft.FontWeight.BOLD, color=theme.INK, expand=True),
                LanguageButton(exits.language),
                IconAction(ft.Icons.VISIBILITY_OFF, _("Snel verbergen"), exits.hide),
                IconAction(ft.Icons.LOCK, _("Op slot doen"), exits.lock),
            ],
            spacing=theme.GAP,
        ),
        height=theme.HEADER,
        padding=ft.Padding.only(left=theme.GAP if not at_home else theme.PAD, right=theme.GAP),
        border=ft.Border.only(bottom=ft.BorderSide(1, theme.LINE)),
    )
    return ft.Column([header, WithVoice(body, lambda: read_aloud(screen, workbook.kompas, date.today(),
                                                              _door(library, session, address, page)),
                                        screen.route)],
                     expand=True, spacing=0)


def _door(library: Library, session: Session, address: str | None, page: ft.Page) -> DoorState:
    """What "Slot en wissen" and "Kopie en meenemen" show besides the kompas, for reading them aloud."""
    card, speaker = session.card, speaker_of(page)
    return DoorState(has_pin=session.has_pin(), discreet=bool(card and card.discreet),
                     lock_minutes=card.lock_minutes if card else 5, nickname=card.nickname if card else "",
                     can_pair=address is not None, link_minutes=-(-library.pairing_seconds // 60),
                     slow=speaker is None or speaker.pace.name == "SLOW",
                     backup_days=tuple(session.workbook.backup_days()))


def LanguageButton(on_click: Callable[[], None]) -> ft.Control:
    """The way to another language on every screen: named in the language it is in, and in its own script."""
    return IconAction(ft.Icons.TRANSLATE, _("Taal kiezen: {language}", language=LANGUAGE_NAMES[current_language()]),
                      on_click)


def Frame(title: str, content: ft.Control, on_language: Callable[[], None] | None = None,
          aloud: list[Spoken] | None = None) -> ft.Control:
    """A screen outside any kompas (the shelf, a door), with the same header and room as the rest.

    `aloud`: what "Voorlezen" reads there after the title, in order (nothing of what is inside a kompas).
    """
    header = ft.Container(
        ft.Row([ft.Text(title, size=theme.TEXT_LARGE, weight=ft.FontWeight.BOLD, color=theme.INK, expand=True),
                *([LanguageButton(on_language)] if on_language else [])]),
        height=theme.HEADER, padding=ft.Padding.only(left=theme.PAD, right=theme.GAP),
        alignment=ft.Alignment.CENTER_LEFT, border=ft.Border.only(bottom=ft.BorderSide(1, theme.LINE)),
    )
    body = ft.Container(
        ft.Column([ft.Container(content, width=theme.CONTENT_MAX), ft.Container(height=ROOM_FOR_VOICE)],
                  scroll=ft.ScrollMode.AUTO),
        expand=True, padding=ft.Padding.symmetric(horizontal=theme.PHONE_EDGE, vertical=theme.PAD),
    )
    aloud_pieces = [Spoken(title), *(aloud or [])]
    return ft.Column([header, WithVoice(body, lambda: aloud_pieces, "|".join(p.text for p in aloud_pieces))],
                     expand=True, spacing=0)


@ft.component
def Root(library: Library, session: Session, address: str | None) -> ft.Control:
    """Which door this screen stands at: a new kompas, the shelf, a PIN, a hidden screen, or an open kompas."""
    page = ft.context.page
    _version, set_version = ft.use_state(0)
    hidden, set_hidden = ft.use_state(False)
    making, set_making = ft.use_state(False)
    picking, set_picking = ft.use_state(False)

    def refresh() -> None:
        set_version(lambda v: v + 1)

    def from_afar() -> bool:
        """A screen on another device in the network: it needs a kompas's PIN, or a pairing code, to open it."""
        ip = page.client_ip or ""
        return bool(ip) and not (ip.startswith("127.") or ip in ("::1", "localhost"))

    def hush() -> None:
        speaker = speaker_of(page)
        if speaker is not None:
            page.run_task(speaker.silence)
        # A recording that runs stops and is not kept: whoever the kompas is hidden from must not be heard in it.
        page.run_task(recorder_of(page).cancel)

    def lock() -> None:
        hush()
        # Without a PIN there is nothing to unlock with: the kompas closes, and the shelf shows names only.
        session.lock() if session.has_pin() else session.close()
        # The address bar and the history must not keep the page it was on ("/kompas/meedoen") either.
        page.navigate("/")
        refresh()

    def hide() -> None:
        hush()
        if session.has_pin():
            session.lock()
        page.navigate("/")
        set_hidden(True)

    def leave() -> None:
        # The screen goes on in the language it spoke: after the last kompas was erased or handed over, it asks
        # for a new kompas, not for the language again as at the very first start.
        session.language = session.language or current_language()
        hush()
        session.close()
        page.navigate("/")
        refresh()

    def start():
        route = page.route or "/"
        if route.startswith("/koppel/"):
            card_id = library.redeem(route.split("/")[2])
            if card_id:
                session.enter_paired(card_id)
            else:
                show_message(page, _("Deze code werkt niet meer. Vraag om een nieuwe code."))
            page.navigate("/")
        elif session.card_id is None and not from_afar():
            # One kompas without a PIN opens at once on this device, as a single kompas always did.
            only = library.shelf.only()
            if only and not session.has_pin(only.id):
                session.choose(only.id)

        async def watch_idle() -> None:
            while True:
                await asyncio.sleep(IDLE_CHECK)
                # Three minutes of speaking is not "idle": the timer would lock the kompas in mid-sentence.
                if recorder_of(page).take is not None:
                    session.touch()
                elif session.idle_too_long():
                    lock()

        def lifecycle(e) -> None:
            # The phone app going to the background locks a kompas with a PIN: whoever picks the phone up
            # sees no kompas. In a browser a tab is hidden by every reload and every look at another tab,
            # so there the lock button and the idle lock do this work.
            if not page.web and session.has_pin() and e.state in (ft.AppLifecycleState.HIDE,
                                                                   ft.AppLifecycleState.PAUSE):
                lock()

        page.on_app_lifecycle_state_change = lifecycle

        def closed(_e) -> None:
            # A closed tab stores what was still being typed; its session goes with it.
            flush_all()
            _SESSIONS.pop(id(page), None)
            forget_speaker(page)
            recorder = forget_recorder(page)
            if recorder is not None:
                recorder.keep_unfinished()

        page.on_close = closed
        # Changes while this screen was away (a reload, a phone asleep) were not sent: draw it all again.
        page.on_connect = lambda _e: refresh()
        page.on_keyboard_event = lambda _e: session.touch()
        watcher = page.run_task(watch_idle)
        page.run_task(_load_late_fonts, page)
        refresh()

        def end() -> None:
            watcher.cancel()
            _SESSIONS.pop(id(page), None)
            library.end(session)

        return end

    ft.use_effect(start, [])

    language = current_language()
    # Before the PIN, a discreet kompas (or any discreet one on this device) is never called a kompas.
    neutral = session.is_discreet() and not session.unlocked
    discreet_inside = session.unlocked and session.card is not None and session.card.discreet
    name = _("Notities") if hidden or neutral or discreet_inside else _("Kompas")
    ft.use_effect(lambda: _speak(page, language, name), [language, name])

    def pick(code: str) -> None:
        try:
            session.choose_language(code)
        except OSError:
            # This screen speaks it; only keeping it with the kompas failed.
            show_message(page, _("Opslaan lukte niet. Is er nog ruimte op het apparaat?"))
        set_picking(False)
        refresh()

    if hidden:
        return Frame(_("Notities"), HiddenView(_("Notities"), lambda: set_hidden(False)), aloud=hidden_aloud())
    cards = library.shelf.cards()
    if picking or (not cards and session.language is None):
        # The very first start asks for the language before any other word.
        return Frame(name, LanguageView(language if picking else None, pick,
                                        (lambda: set_picking(False)) if picking else None), aloud=language_aloud())
    def opened(card) -> None:
        """A kompas taken in from a file opens at once: it has no PIN on this device yet, or it keeps its own."""
        set_making(False)
        try:
            session.choose(card.id)
        except KeyError:
            pass
        refresh()

    if making or not cards:
        def made(card) -> None:
            set_making(False)
            # The kompas speaks the language its client chose before making it, at its door too.
            try:
                library.shelf.change(card.id, language=language)
            except OSError:
                pass  # the kompas is made; it speaks the screen's language now and keeps a language once it can
            session.choose(card.id)
            refresh()

        return Frame(name, NewKompasView(library, made, (lambda: set_making(False)) if cards else None, opened),
                     lambda: set_picking(True), aloud=new_kompas_aloud())
    if session.card_id and session.unlocked:
        return App(library, session, address, Exits(lock, hide, leave, lambda: set_picking(True), refresh),
                   key=f"{session.card_id}-{session.file_key}")
    if session.card_id and session.has_pin():
        return Frame(name, PinView(session, refresh, leave), lambda: set_picking(True),
                     aloud=door_aloud(session.card.nickname, session.is_discreet()))

    def choose(card) -> None:
        if from_afar() and not session.has_pin(card.id):
            show_message(page, _("Dit kompas heeft geen PIN. Open het met de code op het scherm van je begeleider."))
            return
        try:
            session.choose(card.id)
        except KeyError:
            pass  # erased on another screen a moment ago: the shelf is drawn again without it
        refresh()

    return Frame(name, ShelfView(library, choose, lambda: set_making(True), opened, neutral), lambda: set_picking(True),
                 aloud=shelf_aloud([card.nickname for card in cards], neutral))


async def _load_late_fonts(page: ft.Page) -> None:
    await asyncio.sleep(LATE_FONTS_AFTER)
    page.fonts = {**theme.FONTS, **theme.LATE_FONTS}
    page.update()


# Flutter has no words of its own (date picker, copy and paste) for Tigrinya; Amharic shares its script.
_FLUTTER_LOCALES = {"ti": "am"}


def _speak(page: ft.Page, language: str, name: str) -> None:
    """The page's own language, direction and tab title, which no control of ours carries."""
    flutter = _FLUTTER_LOCALES.get(language, language)
    page.title = name
    page.rtl = is_right_to_left(language)
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[ft.Locale(_FLUTTER_LOCALES.get(code, code)) for code in LANGUAGES],
        current_locale=ft.Locale(flutter),
    )
    page.update()


# Which session each page belongs to, so that `_` speaks that page's language wherever it is called from.
_SESSIONS: dict[int, Session] = {}


def _language_of_page() -> str | None:
    try:
        page = ft.context.page
    except RuntimeError:  # not inside a page's work: a command, a test
        return None
    session = _SESSIONS.get(id(page))
    return session.speaks() if session else None


def make_main(library: Library, address: str | None = None):
    """`address`: where a phone on the same network reaches this server, for pairing; None when it cannot."""

    set_language_source(_language_of_page)
    # Made once per server. The app's words come from a speech pack where the build made one (a phone, which has
    # no espeak-ng), else espeak-ng speaks them; it loads a moment after the first screen (kompas/ui/voice.py).
    speech = Speech(library.shelf.data_dir, ASSETS_DIR / "audio", ASSETS_DIR / SPEECH_PACK)

    def main(page: ft.Page) -> None:
        session = library.session()
        _SESSIONS[id(page)] = session
        use_speaker(page, speech,
                    lambda: library.folder(session.card_id) if session.card_id and session.unlocked else None)
        page.fonts = theme.FONTS
        page.theme = theme.app_theme()
        page.theme_mode = ft.ThemeMode.LIGHT
        page.bgcolor = theme.PAPER
        page.padding = 0
        page.spacing = 0
        page.render(Root, library, session, address)

    return main
