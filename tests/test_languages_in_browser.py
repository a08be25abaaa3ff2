"""Each screen in its client's language and direction, and a discreet kompas that never says "kompas" before its PIN."""

from __future__ import annotations

import json
import re

import polib
import pytest
from browser import SEEN_TEXT, enable_semantics, open_app, open_watched, reopen, settle, type_into
from conftest import AppServer, one_kompas
from layout import watch
from playwright.sync_api import expect

from kompas.i18n import LANGUAGE_NAMES, _, catalog_path, use_language
from kompas.store.pin import PinLock
from kompas.store.shelf import CARD_FILE, SHELF_FOLDER, Shelf

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def said(code: str, message: str, **values) -> str:
    """What the app says in the language `code`, read from its catalogue as the app reads it."""
    with use_language(code):
        return _(message, **values)


def condition_button(language: str, condition: str) -> str:
    return said(language, "{condition}: openen", condition=said(language, condition))


def pick_language(page, now: str, name: str) -> None:
    page.get_by_role("button", name=said(now, "Taal kiezen: {language}", language=LANGUAGE_NAMES[now])).click()
    page.get_by_role("button", name=name, exact=True).click()


def test_arabic_turns_the_screen_right_to_left_for_one_client_while_the_other_keeps_dutch(chromium, tmp_path):
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        shelf.create("Noor", "groen")
        shelf.create("Sam", "blauw")
    with AppServer(data) as server:
        noor, _left = open_app(chromium, server.link(), viewport=PHONE)
        sam, _left = open_app(chromium, server.link(), viewport=PHONE)
        noor.get_by_role("button", name="Noor openen").click()
        sam.get_by_role("button", name="Sam openen").click()

        pick_language(noor, "nl", "العربية")
        # The home speaks Arabic: the four conditions by their Arabic names, read from the Arabic catalogue.
        for condition in ("Jezelf zijn", "Ertoe doen", "Meedoen", "Erbij horen"):
            name = condition_button("ar", condition)
            assert name != condition_button("nl", condition), "the Arabic catalogue lacks the condition names"
            expect(noor.get_by_role("button", name=name)).to_be_visible()
        # Right to left: the back arrow sits on the right of the header.
        noor.get_by_role("button", name=condition_button("ar", "Meedoen")).click()
        back = noor.get_by_role("button", name=said("ar", "Terug naar mijn kompas"))
        expect(back).to_be_visible()
        box = back.bounding_box()
        assert box["x"] > PHONE["width"] / 2, box
        expect(noor).to_have_title(said("ar", "Kompas"))

        # The other client on the same server still reads Dutch, left to right.
        sam.get_by_role("button", name="Meedoen: openen").click()
        dutch_back = sam.get_by_role("button", name="Terug naar mijn kompas")
        expect(dutch_back).to_be_visible()
        assert dutch_back.bounding_box()["x"] < PHONE["width"] / 2

        # The choice is the kompas's: opened again, it speaks Arabic at once.
        reopen(noor)
        expect(noor.get_by_role("button", name=said("ar", "Terug naar mijn kompas"))).to_be_visible()
        assert card_languages(data) == {"Noor": "ar", "Sam": None}


def card_languages(data) -> dict[str, str | None]:
    """The language on each card, read from the card files (a running app holds the shelf's lock)."""
    found = {}
    for card in (data / SHELF_FOLDER).glob(f"*/{CARD_FILE}"):
        raw = json.loads(card.read_text(encoding="utf-8"))
        found[raw["nickname"]] = raw.get("language")
    return found


def test_tigrinya_opens_the_date_picker_with_flutters_amharic_words_and_no_error(chromium, tmp_path):
    one_kompas(tmp_path / "data")
    with AppServer(tmp_path / "data") as server:
        page, _left = open_app(chromium, server.link(), viewport=PHONE)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        pick_language(page, "nl", "ትግርኛ")
        page.get_by_role("button", name=said("ti", "Kies een actie")).click()
        page.get_by_role("button", name=said("ti", "Andere datum kiezen")).click()
        # Flutter's picker, with our words in Tigrinya and Flutter's own (month and day names) in Amharic, which
        # shares Tigrinya's script: Flutter has no words for Tigrinya, and asking for them would throw.
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("button", name=said("ti", "Kiezen"))).to_be_visible()
        tree = dialog.aria_snapshot()
        assert said("ti", "Wanneer kijken we terug?") in tree, tree
        assert re.search("[\u1200-\u137F]{3,} [0-9]{1,2}|[0-9]{1,2} [\u1200-\u137F]{3,}", tree), tree
        page.get_by_role("button", name=said("ti", "Kiezen")).click()
        expect(dialog).to_have_count(0)
        assert said("ti", "Kiezen") != "Kiezen", "the Tigrinya catalogue lacks the picker's words"
        assert not [e for e in errors if re.search("ocaliz|Exception|Error", e)], errors


def test_a_discreet_kompas_is_never_called_a_kompas_before_its_pin(chromium, tmp_path):
    data = tmp_path / "data"
    folder = one_kompas(data, "Noor")
    PinLock(folder).set("2468")
    with AppServer(data) as server:
        page = open_watched(chromium, server.link(), viewport=PHONE)
        page.get_by_role("button", name="Noor openen").click()
        type_into(page, "PIN", "2468")
        page.get_by_role("button", name="Openen").click()
        page.get_by_role("button", name="Slot en wissen").click()
        page.get_by_role("switch", name=re.compile("^Stil")).click()
        expect(page.get_by_role("switch", name=re.compile("^Stil"))).to_be_checked()
        # Open, the tab keeps the neutral name too: a tab is seen from across the room.
        expect(page).to_have_title("Notities")
        # Locked from a condition's page: now discreet, its address names nothing either.
        page.get_by_role("button", name="Terug naar mijn kompas").click()
        page.get_by_role("button", name=condition_button("nl", "Meedoen")).click()
        page.wait_for_url(re.compile("/p/3$"))
        # The condition's page fully drawn (its header moves the buttons), before the record starts afresh.
        expect(page.get_by_role("button", name="Terug naar mijn kompas")).to_be_visible()
        expect(page.get_by_text("Wat bracht mij uit koers?", exact=True)).to_be_visible()
        # The pointer on the lock first, and its tooltip shown: Flutter draws the screen anew for a tooltip, still
        # unlocked, and the record is about what the lock shows.
        page.get_by_role("button", name="Op slot doen").hover()
        page.wait_for_timeout(1500)
        settle(page)
        page.evaluate("window.kompasSeen.length = 0")
        page.get_by_role("button", name="Op slot doen").click()
        expect(page.get_by_text("Typ je PIN.", exact=True)).to_be_visible()

        def nothing_says_kompas() -> None:
            tree = page.locator("body").aria_snapshot()
            assert "ompas" not in tree.lower(), tree
            assert "ompas" not in page.evaluate("window.kompasSeen.join(' ')").lower()
            expect(page).to_have_title("Notities")
            # Nor the address bar, on the page it went to when the lock came.
            assert "ompas" not in page.url.lower() and "meedoen" not in page.url.lower(), page.url

        nothing_says_kompas()
        page.get_by_role("button", name="Terug").click()
        expect(page.get_by_text("Notities op dit apparaat")).to_be_visible()
        nothing_says_kompas()
        # Opened again from the link, before the app has even started: still no kompas in the tab.
        page.evaluate("window.kompasSeen.length = 0")
        page.goto(server.link())
        assert page.title() == "Notities"
        enable_semantics(page)
        expect(page.get_by_text("Notities op dit apparaat")).to_be_visible()
        nothing_says_kompas()
        # The PIN opens it as before.
        page.get_by_role("button", name="Noor openen").click()
        type_into(page, "PIN", "2468")
        page.get_by_role("button", name="Openen").click()
        expect(page.get_by_role("button", name=condition_button("nl", "Meedoen"))).to_be_visible()


def test_the_first_start_asks_the_language_before_any_dutch_word(chromium, tmp_path):
    with AppServer(tmp_path / "data") as server:
        page, _left = open_app(chromium, server.link(), viewport=PHONE)
        for name in LANGUAGE_NAMES.values():
            expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
        page.get_by_role("button", name="Українська", exact=True).click()
        expect(page.get_by_text(said("uk", "Een nieuw kompas"))).to_be_visible()
        assert said("uk", "Een nieuw kompas") != "Een nieuw kompas", "the Ukrainian catalogue lacks this screen"
        type_into(page, said("uk", "Naam van het kompas"), "Оля")
        page.get_by_role("button", name=said("uk", "Maak mijn kompas")).click()
        expect(page.get_by_role("button", name=condition_button("uk", "Erbij horen"))).to_be_visible()
        assert card_languages(tmp_path / "data") == {"Оля": "uk"}


def shelf_language(page) -> str | None:
    """The language the shelf speaks: the one whose "Kompassen op dit apparaat" it shows."""
    expect(page.get_by_role("button", name=re.compile("Noor")).first).to_be_attached(timeout=20_000)
    return next((code for code in LANGUAGE_NAMES if page.get_by_text(said(code, "Kompassen op dit apparaat"),
                                                                       exact=True).count()), None)


def test_the_shelf_speaks_the_browsers_language_else_the_one_all_its_kompassen_speak(chromium, tmp_path):
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        for name in ("Noor", "Sami"):
            shelf.change(shelf.create(name, "groen").id, language="ar")
    with AppServer(data) as server:
        # A Ukrainian browser: the app speaks Ukrainian, so the shelf does too.
        ukrainian = chromium.new_context(viewport=PHONE, locale="uk-UA").new_page()
        ukrainian.goto(server.link())
        enable_semantics(ukrainian)
        assert shelf_language(ukrainian) == "uk"
        # A German browser: the app has no German, and both kompassen speak Arabic.
        german = chromium.new_context(viewport=PHONE, locale="de-DE").new_page()
        german.goto(server.link())
        enable_semantics(german)
        assert shelf_language(german) == "ar"
        expect(german.get_by_role("button", name=said("ar", "{name} openen", name="Noor"))).to_be_visible()


def test_the_very_first_screen_has_no_dutch_word_for_a_client_whose_browser_speaks_arabic(chromium, tmp_path):
    with AppServer(tmp_path / "data") as server:
        context = chromium.new_context(viewport=PHONE, locale="ar-SY")
        context.add_init_script(SEEN_TEXT)
        page = context.new_page()
        shown = watch(page)
        page.goto(server.link())
        enable_semantics(page)
        for name in LANGUAGE_NAMES.values():
            expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
        # Each language says "choose your language" in its own words, under its name.
        for code in LANGUAGE_NAMES:
            assert said(code, "Kies je taal") in shown.sizes, code
        dutch = {entry.msgstr for entry in polib.pofile(str(catalog_path("nl"))) if entry.msgstr}
        # The app's name and the language's own name are the same in every language; nothing else may be Dutch.
        allowed = {"Nederlands", "Kompas"}
        seen = {text.strip() for text in page.evaluate("window.kompasSeen") if text.strip()}
        seen |= {line.strip() for line in page.locator("body").aria_snapshot().splitlines()}
        assert not {text for text in seen if text in dutch} - allowed, seen & dutch
        assert said("ar", "Kies je taal") != "Kies je taal"
