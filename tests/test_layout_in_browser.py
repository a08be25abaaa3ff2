"""Every screen in every language, on a small phone and with the text at 200%: no word cut, broken or pushed off.

One server holds one kompas per language; one Chromium opens each in a browser set to that language, first at
360 px, then at 390 px with the browser's text size doubled (Flutter follows it, as a phone's text setting).
`layout.problems` says what is cut off, broken mid-word or outside the screen (see tests/layout.py).
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from browser import enable_semantics, settle, type_into
from conftest import AppServer, launch_chromium
from layout import problems, watch
from playwright.sync_api import expect

from kompas.base import clock
from kompas.domain.content import CONDITIONS
from kompas.domain.model import Condition, Mood
from kompas.i18n import LANGUAGE_NAMES, LANGUAGES, _, is_right_to_left, use_language
from kompas.screens.registry import route_of
from kompas.screens.state import Screen, ScreenKind
from kompas.store.pin import PIN_FILE, PinLock
from kompas.store.shelf import Shelf
from kompas.store.storage import Store
from kompas.workbook.demo import fill_demo
from kompas.workbook.workbook import Workbook

pytestmark = pytest.mark.browser

PIN = "2468"
# A nickname per kompas, in its client's script.
NICKNAMES = {"nl": "Sanne", "en": "Sam", "ar": "نور", "ti": "ሰላም", "tr": "Ayşe", "uk": "Оля", "fa": "مریم",
             "pl": "Kasia"}
# How each language's browser names itself (navigator.language), as a client's phone would.
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB", "ar": "ar-SY", "ti": "ti-ER", "tr": "tr-TR", "uk": "uk-UA",
                   "fa": "fa-IR", "pl": "pl-PL"}
SMALL_PHONE = {"width": 360, "height": 740}
PHONE = {"width": 390, "height": 844}

# The screens of an open kompas, each with the title its header shows (in the kompas's language).
SCREENS = [
    (Screen(ScreenKind.HOME), "Mijn kompas"),
    *[(Screen(ScreenKind.CONDITION, condition), CONDITIONS[condition].name) for condition in Condition],
    (Screen(ScreenKind.ACTION), "Mijn actie"),
    (Screen(ScreenKind.CHECK_IN), "Hoe gaat het?"),
    (Screen(ScreenKind.LOOK_BACK), "Terugkijken"),
    (Screen(ScreenKind.TIMELINE), "Mijn koers"),
    (Screen(ScreenKind.ALBUM), "Mijn plakboek"),
    (Screen(ScreenKind.POSTER), "Poster"),
    (Screen(ScreenKind.TAKE_ALONG), "Kopie en meenemen"),
    (Screen(ScreenKind.SETTINGS), "Slot en wissen"),
    (Screen(ScreenKind.ABOUT), "Over deze app"),
]


def said(code: str, message: str, **values) -> str:
    with use_language(code):
        return _(message, **values)


@pytest.fixture(scope="module")
def shelf_server(tmp_path_factory):
    """One kompas per language, each filled as the demo is, with a period behind it and a PIN: one server for all."""
    data = tmp_path_factory.mktemp("layout") / "data"
    today = clock.today()
    with Shelf.open(data) as shelf:
        pin_file = None
        for code in LANGUAGES:
            card = shelf.create(NICKNAMES[code], "blauw")
            shelf.change(card.id, language=code)
            folder = shelf.folder(card.id)
            with Store.open(folder) as store:
                workbook = Workbook(store)
                fill_demo(workbook, today - timedelta(days=14))
                workbook.check_in(Mood.GAAT_WEL, today - timedelta(days=7), note="Het formulier is lang")
                workbook.look_back("De brief is weg", "Vragen helpt", "Anouk", today)
                workbook.choose_action("Samen met papa een taart bakken", Condition.ERTOE_DOEN,
                                       today + timedelta(days=14), today, helper="Papa")
            # The same PIN everywhere, hashed once (scrypt takes half a second): its file holds its own salt.
            if pin_file is None:
                PinLock(folder).set(PIN)
                pin_file = folder / PIN_FILE
            else:
                shutil.copyfile(pin_file, folder / PIN_FILE)
    server = AppServer(data)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def set_text_scale(page, scale: float) -> None:
    """The browser's own text size, as a person sets it (200%: 32 px): Flutter scales its text by it."""
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": round(16 * scale)}})
    # Flutter follows the size a moment later: until then a title is one line of the usual height.
    page.wait_for_function("scale => document.documentElement.computedStyleMap().get('font-size').value"
                           " === 16 * scale", arg=scale)


def go(page, screen: Screen, title: str) -> None:
    """Open `screen` as a link would, and wait until its header shows `title`."""
    page.evaluate("route => { history.pushState(null, '', route); dispatchEvent(new PopStateEvent('popstate')); }",
                  route_of(screen))
    expect(page.get_by_text(title, exact=True).first).to_be_attached(timeout=20_000)


class Looker:
    """Looks at each screen as it stands, and notes what is cut off, broken or pushed off, and where."""

    def __init__(self, page, shown, code: str):
        self.page, self.shown, self.code = page, shown, code
        self.scale = 1.0
        self.found: list[str] = []

    def __call__(self, where: str) -> None:
        rtl = is_right_to_left(self.code)
        seen = problems(self.page, self.shown, self.scale, rtl)
        if seen:
            # It may have been caught in the middle of a change: what is still wrong once it holds still, is.
            settle(self.page)
            seen = problems(self.page, self.shown, self.scale, rtl)
        width = self.page.viewport_size["width"]
        self.found += [f"{self.code} {width} px, text ×{self.scale:g}, {where}: {problem}" for problem in seen]


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_screen_cuts_a_word_or_pushes_a_control_off_in(code, browser, shelf_server):
    name, nickname = LANGUAGE_NAMES[code], NICKNAMES[code]
    page = browser.new_context(viewport=SMALL_PHONE, locale=BROWSER_LOCALES[code]).new_page()
    look = Looker(page, watch(page), code)
    page.goto(shelf_server.link())
    enable_semantics(page)

    def outside() -> None:
        """The shelf, choosing a language and a new kompas: the screens before any kompas is open."""
        look("the shelf")
        page.get_by_role("button", name=said(code, "Taal kiezen: {language}", language=name)).click()
        expect(page.get_by_role("button", name=LANGUAGE_NAMES["ti"], exact=True)).to_be_visible()
        look("choosing a language")
        page.get_by_role("button", name=name, exact=True).click()
        page.get_by_role("button", name=said(code, "Nieuw kompas")).click()
        expect(page.get_by_text(said(code, "Een nieuw kompas"), exact=True)).to_be_visible()
        look("a new kompas")
        page.get_by_role("button", name=said(code, "Terug"), exact=True).click()

    def inside() -> None:
        for screen, title in SCREENS:
            go(page, screen, said(code, title))
            look(route_of(screen))

    expect(page.get_by_role("button", name=re.compile(re.escape(nickname))).first).to_be_attached(timeout=20_000)
    # The shelf speaks the browser's language, since the app has it.
    language = next((c for c in LANGUAGES if page.get_by_text(said(c, "Kompassen op dit apparaat"), exact=True)
                     .count()), None)
    if language != code:
        look.found.append(f"{code}: the shelf opens in {language}, not in the browser's language")
        page.get_by_role("button", name=said(language or "nl", "Taal kiezen: {language}",
                                             language=LANGUAGE_NAMES[language or "nl"])).click()
        page.get_by_role("button", name=name, exact=True).click()
    outside()
    page.get_by_role("button", name=said(code, "{name} openen", name=nickname)).click()
    expect(page.get_by_role("button", name=said(code, "Openen"), exact=True)).to_be_visible()
    look("the PIN door")
    type_into(page, said(code, "PIN"), PIN)
    page.get_by_role("button", name=said(code, "Openen"), exact=True).click()
    inside()

    # The same screens on a larger phone, with the text at 200%.
    page.set_viewport_size(PHONE)
    set_text_scale(page, 2.0)
    look.scale = 2.0
    inside()
    page.get_by_role("button", name=said(code, "Op slot doen")).click()
    expect(page.get_by_role("button", name=said(code, "Openen"), exact=True)).to_be_visible()
    look("the PIN door")
    page.get_by_role("button", name=said(code, "Naar alle kompassen")).click()
    expect(page.get_by_role("button", name=re.compile(re.escape(nickname))).first).to_be_attached()
    outside()
    page.context.close()
    assert not look.found, "\n".join(look.found)


def test_a_client_can_pinch_to_zoom_in(browser, shelf_server):
    """Small print on a cheap phone: two fingers zoom in, as on any page (Flutter's page forbids it by itself)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(shelf_server.link())
    enable_semantics(page)
    viewport = page.evaluate("document.querySelector('meta[name=viewport]').content")
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport, viewport
    pinch(context.new_cdp_session(page), PHONE["width"] / 2, PHONE["height"] / 2)
    page.wait_for_function("visualViewport.scale > 1.5", timeout=10_000)
    context.close()


def pinch(session, x: float, y: float) -> None:
    """Two fingers on the screen, moving apart, as the phone's touch screen reports them."""
    def fingers(apart: float) -> list[dict]:
        return [{"x": x - apart, "y": y, "id": 0}, {"x": x + apart, "y": y, "id": 1}]

    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(20)})
    for apart in range(25, 160, 5):
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(apart)})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
