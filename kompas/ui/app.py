"""The app shell: page set-up, routing, phone or wide layout, and the web server that serves it."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from dataclasses import replace
from typing import Callable

import flet as ft

from kompas.base import clock
from kompas.base.resources import ASSETS_DIR
from kompas.domain.content import STEPS
from kompas.domain.model import Step
from kompas.domain.words import Spoken
from kompas.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    _,
    current_language,
    is_right_to_left,
    known_language,
    set_language_source,
)
from kompas.media.speech import Speech
from kompas.media.speechpack import SPEECH_PACK
from kompas.screens.door import Door, DoorChoice, DoorFacts, door_for
from kompas.screens.readaloud import DoorState, door_aloud, hidden_aloud, language_aloud, new_kompas_aloud, shelf_aloud
from kompas.screens.registry import read_aloud, route_for, route_of, screen_at, title_of
from kompas.screens.state import Layout, Screen, ScreenKind, home_state, layout_for
from kompas.ui import theme
from kompas.ui.files import KompasFiles
from kompas.ui.hints import ButtonsHint
from kompas.ui.home import HomeView
from kompas.ui.messages import show_message, store_problem_message
from kompas.ui.pagestore import keep, kept, let_go
from kompas.ui.reach import PAIRING_PATH, Reach
from kompas.ui.record import forget_recorder, recorder_of
from kompas.ui.settings import PinCard
from kompas.ui.shelf import HiddenView, LanguageView, NewKompasView, PinView, ShelfView
from kompas.ui.views import VIEWS, Exits, Opened
from kompas.ui.voice import ROOM_FOR_VOICE, WithVoice, forget_speaker, speaker_of, use_speaker
from kompas.ui.widgets import Body, Card, Heading, IconAction, Labelled
from kompas.workbook.drafts import flush_all
from kompas.workbook.session import Library, Session

log = logging.getLogger(__name__)
# Seconds after a screen starts before the emoji font is sent: by then the first screen is drawn, which the
# font's 870 kB would otherwise hold back by a third (measured with tools/bench_startup.py).
LATE_FONTS_AFTER = 2.5


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


@ft.component
def App(library: Library, session: Session, reach: Reach | None, exits: Exits) -> ft.Control:
    page = ft.context.page
    workbook = session.workbook
    screen, set_screen = ft.use_state(lambda: screen_at(page.route))
    width, set_width = ft.use_state(page.width)
    _version, set_version = ft.use_state(0)

    def leave_screen() -> None:
        # Leaving a screen (a button here, or the browser's back) stops what was read on it at once, before the
        # next screen is drawn.
        speaker = speaker_of(page)
        if speaker is not None:
            speaker.leave()

    # One `go` for the life of the screen: the memoised views it is handed (home beside a condition) are drawn again
    # only when their own arguments change, and a new function each time would be a change.
    def go_to(target: Screen) -> None:
        leave_screen()
        # A discreet kompas's addresses say nothing: the browser's history is as visible as its screen.
        card = session.card
        page.navigate(route_for(target, discreet=card is not None and card.discreet))

    go = ft.use_callback(go_to, [])

    def mount():
        def route_changed(e) -> None:
            session.touch()
            leave_screen()
            set_screen(screen_at(e.route))

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
            # A change may come from another tab or device, on its event or from a worker thread: redraw as this
            # page's own task. A tab that is away (closed, or reconnecting) redraws whole when it comes back.
            _on_page(page, redraw)

        # A closed tab or a lost connection stores what was still being typed.
        page.on_disconnect = lambda _e: flush_all()
        return workbook.subscribe(changed)

    ft.use_effect(mount, [])
    if workbook is None:
        # Locked or closed a moment ago from another thread (its lock time, an erase on another screen), and drawn
        # again before the door took over: nothing of the kompas to show. Flet's drawing stops for the whole page at
        # the first error, so this draw must not fail.
        return ft.Container()
    files = KompasFiles(library.folder(session.card_id), session.file_key)

    today = clock.today()
    kompas = workbook.kompas
    route = route_of(screen)
    layout = layout_for(width)
    open_condition = screen.condition if screen.kind is ScreenKind.CONDITION else None

    view = VIEWS.get(screen.kind)
    shown = view(Opened(screen, library, session, reach, workbook, files, today, go, exits)) if view else None
    # A phone shows home or the open screen, never both: home (44 stars and the compass, at five years) is not
    # built for nothing behind "Mijn koers".
    home = HomeView(home_state(kompas, today), workbook, files, today, go, open_condition) if (
        layout is Layout.WIDE or shown is None) else None
    # Just taken in from a file, from a device where it had a PIN: say so first, and offer to set one here.
    on_top = [PinCard(library, session, on_answered=lambda: (library.answer_pin_offer(session.card_id),
                                                            set_version(lambda v: v + 1)))
             ] if library.pin_offered(session.card_id) else []
    # The first time on this device, at home on a phone (a mouse shows their tooltips): which of the header's
    # pictograms is which.
    if screen.kind is ScreenKind.HOME and layout is Layout.PHONE:
        on_top.append(ButtonsHint())
    if layout is Layout.WIDE:
        body = ft.Row(
            [
                ft.Container(
                    ft.Column([home, ft.Container(height=ROOM_FOR_VOICE)], scroll=ft.ScrollMode.AUTO),
                    width=theme.SIDE_PANEL,
                    padding=theme.PAD,
                ),
                ft.Container(
                    ft.Column([*on_top, ft.Container(shown or StepsGuide(), width=theme.CONTENT_MAX),
                               ft.Container(height=ROOM_FOR_VOICE)], scroll=ft.ScrollMode.AUTO, key=route),
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
            ft.Column([*on_top, shown or home, ft.Container(height=ROOM_FOR_VOICE)], scroll=ft.ScrollMode.AUTO,
                      key=route),
            expand=True,
            padding=ft.Padding.symmetric(horizontal=theme.PHONE_EDGE, vertical=theme.PAD),
        )

    at_home = screen.kind is ScreenKind.HOME
    title = title_of(screen) if layout is Layout.PHONE else _("Mijn kompas")
    back = [] if at_home else [IconAction(ft.Icons.ARROW_BACK, _("Terug naar mijn kompas"),
                                          lambda: go(Screen(ScreenKind.HOME)))]
    # On a phone these stand without their words: their words show as tooltips too, and a first-use hint names them.
    actions = [LanguageButton(exits.language),
               IconAction(ft.Icons.VISIBILITY_OFF, _("Snel verbergen"), exits.hide, tooltip=True),
               IconAction(ft.Icons.LOCK, _("Op slot doen"), exits.lock, tooltip=True)]
    heading = ft.Text(title, size=theme.TEXT_LARGE, weight=ft.FontWeight.BOLD, color=theme.INK, expand=True)
    edge = theme.GAP if back else theme.PAD
    if layout is Layout.PHONE:
        # The title on a line of its own, under the buttons (Material's medium top app bar): beside four buttons a
        # phone had no room for "Kopie en meenemen", nor for any title with the text at 200%. It wraps, never cut.
        bar = ft.Column([ft.Row([*back, ft.Container(expand=True), *actions], spacing=theme.GAP),
                         ft.Container(ft.Row([heading]), padding=ft.Padding.only(left=theme.PAD - edge))], spacing=0)
    else:
        bar = ft.Row([*back, heading, *actions], spacing=theme.GAP)
    header = ft.Container(
        bar,
        padding=ft.Padding.only(left=edge, right=theme.GAP, top=theme.GAP, bottom=theme.GAP),
        border=ft.Border.only(bottom=ft.BorderSide(1, theme.LINE)),
    )
    return ft.Column([header, WithVoice(body, lambda: read_aloud(screen, workbook.kompas, clock.today(),
                                                              _door(library, session, reach, page)),
                                        route)],
                     expand=True, spacing=0)


def _door(library: Library, session: Session, reach: Reach | None, page: ft.Page) -> DoorState:
    """What "Slot en wissen" and "Kopie en meenemen" show besides the kompas, for reading them aloud."""
    card, speaker = session.card, speaker_of(page)
    return DoorState(has_pin=session.has_pin(), discreet=bool(card and card.discreet),
                     lock_minutes=card.lock_minutes if card else 5, nickname=card.nickname if card else "",
                     can_pair=reach is not None and reach.url is not None, link_minutes=-(-library.pairing_seconds // 60),
                     slow=speaker is None or speaker.pace.name == "SLOW",
                     backup_days=tuple(session.workbook.backup_days()))


def LanguageButton(on_click: Callable[[], None]) -> ft.Control:
    """The way to another language on every screen: named in the language it is in, and in its own script."""
    return IconAction(ft.Icons.TRANSLATE, _("Taal kiezen: {language}", language=LANGUAGE_NAMES[current_language()]),
                      on_click, tooltip=True)


def Frame(title: str, content: ft.Control, on_language: Callable[[], None] | None = None,
          aloud: list[Spoken] | None = None) -> ft.Control:
    """A screen outside any kompas (the shelf, a door), with the same header and room as the rest.

    `aloud`: what "Voorlezen" reads there after the title, in order (nothing of what is inside a kompas).
    """
    # At least as high as its button, and higher when the title needs more lines (a large text size).
    header = ft.Container(
        ft.Row([ft.Text(title, size=theme.TEXT_LARGE, weight=ft.FontWeight.BOLD, color=theme.INK, expand=True),
                ft.Container(height=theme.TAP, width=0), *([LanguageButton(on_language)] if on_language else [])]),
        padding=ft.Padding.only(left=theme.PAD, right=theme.GAP, top=theme.GAP, bottom=theme.GAP),
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
def Root(library: Library, session: Session, reach: Reach | None) -> ft.Control:
    """Which door this screen stands at: a new kompas, the shelf, a PIN, a hidden screen, or an open kompas."""
    page = ft.context.page
    _version, set_version = ft.use_state(0)
    choice, set_choice = ft.use_state(DoorChoice())

    def refresh() -> None:
        set_version(lambda v: v + 1)

    def ask(**changes: bool) -> None:
        set_choice(lambda was: replace(was, **changes))

    def from_afar() -> bool:
        """A screen on another device in the network: it needs a kompas's PIN, or a pairing code, to open it."""
        ip = page.client_ip or ""
        return bool(ip) and not (ip.startswith("127.") or ip in ("::1", "localhost"))

    def hush() -> None:
        speaker = speaker_of(page)
        if speaker is not None:
            _on_page(page, speaker.silence)
        # A recording that runs stops and is not kept: whoever the kompas is hidden from must not be heard in it.
        _on_page(page, recorder_of(page).cancel)

    def lock() -> None:
        hush()
        # Without a PIN there is nothing to unlock with: the kompas closes, and the shelf shows names only.
        session.lock() if session.has_pin() else session.close()
        # The address bar must not keep the page it was on ("/kompas/meedoen") either.
        page.navigate("/")
        refresh()

    async def locked_by_itself() -> None:
        """The library locked this kompas at its lock time; this page is still there, so it shows the door now."""
        hush()
        page.navigate("/")
        refresh()

    def hide() -> None:
        hush()
        session.hide()
        page.navigate("/")
        ask(hidden=True)

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
        if route.startswith(f"/{PAIRING_PATH}/"):
            card_id = library.redeem(route.split("/")[2])
            if card_id:
                session.enter_paired(card_id)
            else:
                show_message(page, _("Deze code werkt niet meer. Vraag om een nieuwe code."))
            page.navigate("/")
        elif session.card_id is None and not from_afar():
            # One kompas without a PIN opens at once on this device, as a single kompas always did.
            only = library.only()
            if only and not session.has_pin(only.id):
                session.choose(only.id)

        # The lock time is kept by the library, whether or not this page is connected; a page that is there is told,
        # one that is gone finds the door when it comes back.
        session.on_idle_lock = lambda: _on_page(page, locked_by_itself)
        # Three minutes of speaking is not "idle": the lock would come in mid-sentence. Only while the page is there.
        session.busy = lambda: _connected(page) and recorder_of(page).take is not None

        _follow_page(page, session, hush, lock, hide, refresh)
        page.run_task(_load_late_fonts, page)
        refresh()

        def end() -> None:
            session.on_idle_lock = None
            let_go(page, _SESSION)
            library.end(session)

        return end

    ft.use_effect(start, [])

    language = current_language()
    cards = library.cards()
    card, unlocked = session.card, session.unlocked
    # Whether it has a PIN is asked of the disk only where it matters: at a kompas that is not open.
    facts = DoorFacts(choice, has_cards=bool(cards), language_chosen=session.language is not None,
                      chosen=bool(session.card_id), unlocked=unlocked, has_pin=not unlocked and session.has_pin(),
                      discreet=session.is_discreet(), discreet_inside=bool(card and card.discreet))
    name = _(facts.name)
    ft.use_effect(lambda: _speak(page, language, name), [language, name])
    door = door_for(facts)

    def pick(code: str) -> None:
        try:
            session.choose_language(code)
        except OSError:
            # This screen speaks it; only keeping it with the kompas failed.
            show_message(page, _("Opslaan lukte niet. Is er nog ruimte op het apparaat?"))
        ask(picking=False)
        refresh()

    def opened(card) -> None:
        """A kompas taken in from a file opens at once: it has no PIN on this device yet, or it keeps its own."""
        ask(making=False)
        try:
            session.choose(card.id)
        except KeyError:
            pass
        refresh()

    def made(card) -> None:
        ask(making=False)
        # The kompas speaks the language its client chose before making it, at its door too.
        try:
            library.change_card(card.id, language=language)
        except OSError:
            pass  # the kompas is made; it speaks the screen's language now and keeps a language once it can
        session.choose(card.id)
        refresh()

    def choose(card) -> None:
        if from_afar() and not session.has_pin(card.id):
            show_message(page, _("Dit kompas heeft geen PIN. Open het met de code op het scherm van je begeleider."))
            return
        try:
            session.choose(card.id)
        except KeyError:
            pass  # erased on another screen a moment ago: the shelf is drawn again without it
        refresh()

    def other_language() -> None:
        ask(picking=True)

    if door is Door.HIDDEN:
        return Frame(_("Notities"), HiddenView(_("Notities"), lambda: ask(hidden=False)), aloud=hidden_aloud())
    if door is Door.LANGUAGE:
        return Frame(name, LanguageView(language if choice.picking else None, pick,
                                        (lambda: ask(picking=False)) if choice.picking else None),
                     aloud=language_aloud())
    if door is Door.NEW_KOMPAS:
        return Frame(name, NewKompasView(library, made, (lambda: ask(making=False)) if cards else None, opened),
                     other_language, aloud=new_kompas_aloud())
    if door is Door.OPEN:
        return App(library, session, reach, Exits(lock, hide, leave, other_language, refresh),
                   key=f"{session.card_id}-{session.file_key}")
    if door is Door.PIN and card is not None:
        return Frame(name, PinView(session, refresh, leave), other_language,
                     aloud=door_aloud(card.nickname, session.is_discreet()))
    return Frame(name, ShelfView(library, choose, lambda: ask(making=True), opened, facts.neutral), other_language,
                 aloud=shelf_aloud([card.nickname for card in cards], facts.neutral))


def _follow_page(page: ft.Page, session: Session, hush: Callable[[], None], lock: Callable[[], None],
                 hide: Callable[[], None], refresh: Callable[[], None]) -> None:
    """What the page itself tells: going to the background, closing, coming back, a key pressed."""
    away = (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE, ft.AppLifecycleState.DETACH)
    latest = [ft.AppLifecycleState.RESUME]

    async def lifecycle(e) -> None:
        latest[0] = e.state
        if e.state not in away:
            return
        # Going to the background may be the last the app hears before the phone ends it: store what was typed.
        flush_all()
        # In a browser a tab is hidden by every reload and every look at another tab, so there the lock button
        # and the idle lock do the rest.
        if page.web:
            return
        # What was being said is kept, as a closed tab keeps it; then a kompas with a PIN locks and one without
        # hides behind the empty notes page: whoever picks the phone up sees no kompas, and coming back shows
        # the PIN or the cover. Reading aloud stops with either.
        await recorder_of(page).finish()
        # "hide" and "pause" come one after the other, and keeping a note takes a while: the client may be back
        # by now, and must not find the kompas hidden again after "Verder".
        if latest[0] in away and session.card_id and session.unlocked:
            lock() if session.has_pin() else hide()

    page.on_app_lifecycle_state_change = lifecycle

    def closed(_e) -> None:
        # A closed tab stores what was still being typed; its session goes with it.
        flush_all()
        let_go(page, _SESSION)
        forget_speaker(page)
        recorder = forget_recorder(page)
        # What was said so far is kept, as typed words are; not when the kompas locked meanwhile. Else nothing is
        # left to store: its kompas is let go now unless another screen has it (with a note being kept: at its lock
        # time), so a laptop that served hundreds of kompassen holds only those on a screen.
        if recorder is not None and recorder.take is not None and session.unlocked:
            recorder.keep_unfinished()
        else:
            session.library.end(session)

    def connected(_e) -> None:
        # Back after being away (another site and Back, a restored tab, a phone asleep): a kompas that locked
        # meanwhile shows its door, and stops whatever it was still doing. Changes while this screen was away
        # were not sent: draw it all again.
        if not session.unlocked and (page.route or "/") != "/":
            hush()
            page.navigate("/")
        refresh()

    page.on_close = closed
    page.on_connect = connected
    page.on_keyboard_event = lambda _e: session.touch()


def _connected(page: ft.Page) -> bool:
    try:
        return page.session.connection is not None
    except RuntimeError:  # the session is gone altogether
        return False


def _on_page(page: ft.Page, handler, *args) -> bool:
    """Run `handler` as the page's own task, from any thread; a page whose connection dropped has no event loop and
    is simply not told. True when it was told."""
    if not _connected(page):
        return False
    try:
        contextvars.copy_context().run(page.run_task, handler, *args)
    except (AttributeError, RuntimeError):  # it went away just now
        return False
    return True


async def _load_late_fonts(page: ft.Page) -> None:
    await asyncio.sleep(LATE_FONTS_AFTER)
    page.fonts = {**theme.FONTS, **theme.LATE_FONTS}
    # A tab closed (or a server stopping) within those seconds is not sent anything; one that comes back gets the
    # whole page, fonts and all.
    if _connected(page):
        with contextlib.suppress(AttributeError, RuntimeError):
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


# How long the first screen may wait for the browser to say its languages.
CLIENT_LANGUAGE_WAIT = 3


async def _client_language(page: ft.Page) -> str | None:
    """The first of the browser's (or phone's) languages that the app speaks; None when it speaks none of them."""
    try:
        info = await asyncio.wait_for(page.get_device_info(), CLIENT_LANGUAGE_WAIT)
    except Exception as error:  # noqa: BLE001 - an old client or a slow one: the app's own language will do
        log.info("the client's languages are unknown (%s)", type(error).__name__)
        return None
    for locale in getattr(info, "locales", None) or []:
        language = known_language(getattr(locale, "language_code", None))
        if language:
            return language
    return None


# The key each page keeps its kompas session under, so that `_` speaks that page's language wherever it is called
# from.
_SESSION = "kompas.session"


def _language_of_page() -> str | None:
    try:
        page = ft.context.page
    except RuntimeError:  # not inside a page's work: a command, a test
        return None
    session: Session | None = kept(page, _SESSION)
    return session.speaks() if session else None


def make_main(library: Library, reach: Reach | None = None):
    """`reach`: where a phone on the same network reaches this server, for pairing; None in a phone build."""

    set_language_source(_language_of_page)
    # Made once per server. The app's words come from a speech pack where the build made one (a phone, which has
    # no espeak-ng), else espeak-ng speaks them; it loads a moment after the first screen (kompas/ui/voice.py).
    speech = Speech(library.data_dir, ASSETS_DIR / "audio", ASSETS_DIR / SPEECH_PACK)

    async def main(page: ft.Page) -> None:
        session = library.session()
        keep(page, _SESSION, session)
        # Before the first word: the shelf and the first start speak the browser's (or phone's) language.
        session.client_language = await _client_language(page)
        use_speaker(page, speech,
                    lambda: library.folder(session.card_id) if session.card_id and session.unlocked else None)
        page.fonts = theme.FONTS
        page.theme = theme.app_theme()
        page.theme_mode = ft.ThemeMode.LIGHT
        page.bgcolor = theme.PAPER
        page.padding = 0
        page.spacing = 0
        page.render(Root, library, session, reach)

    return main
