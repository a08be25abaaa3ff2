"""Nothing typed or added is lost in a real browser: fast typing, pasting, whole words, five years of data, two tabs."""

from __future__ import annotations

import json
import re

import pytest
from browser import enable_semantics, field_text, open_app, reopen, scroll_to, settle
from conftest import AppServer, kompas_folder, kompas_json
from fiveyears import fill_five_years
from playwright.sync_api import expect

from kompas.base import clock
from kompas.store.storage import Store
from kompas.workbook.workbook import Workbook

pytestmark = pytest.mark.browser

TALL_PHONE = {"width": 390, "height": 2000}
# 300 characters as a client types them: Dutch with accents, a digit, punctuation, repeated words.
TYPED = ("Een eigen kamer en weer werken, dichtbij mijn kinderen. Zaterdag naar de markt met Samira, "
         "café op de hoek, 3 keer per week zwemmen; ĳs eten in de zomer! ") * 3
TYPED = TYPED[:300]
PASTED = ("Uit een brief van de gemeente: u kunt een Stadspas aanvragen bij het loket. " * 14)[:1000]
WORDS = ["Morgen ", "bel ", "ik ", "mijn ", "zus ", "Noor."]


@pytest.fixture
def five_years(tmp_path):
    """A data folder holding five years of weekly use, written by the app's own workbook."""
    data = tmp_path / "data"
    store = Store.open(data)
    fill_five_years(Workbook(store), clock.today())
    store.close()
    return data


def stored(data) -> dict:
    return json.loads(kompas_json(data).read_text(encoding="utf-8"))


def note_texts(data) -> set[str]:
    return {doc["text"] for doc in stored(data)["notes"].values()}


def test_fast_typing_whole_words_and_paste_lose_no_letter_on_five_years_of_data(chromium, five_years):
    with AppServer(five_years) as server:
        page, left = open_app(chromium, server.link(), viewport=TALL_PHONE)
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        # Start from an empty wish, as a client who clears it and starts over.
        wish = page.get_by_role("textbox", name="Mijn wens")
        wish.click()
        expect(wish).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        assert wish.input_value() == ""
        page.keyboard.type(TYPED, delay=10)
        # A phone keyboard puts a whole word in at once.
        for word in WORDS:
            page.keyboard.insert_text(word)
        page.evaluate("text => navigator.clipboard.writeText(text)", PASTED)
        page.keyboard.press("Control+V")
        expected = TYPED + "".join(WORDS) + PASTED
        # Closed and opened again at once: the last half second of typing is stored on the way out.
        reopen(page)
        assert stored(five_years)["kompas"]["1"]["wish"] == expected
        assert field_text(page, "Mijn wens") == expected

        # A new note, added the instant the typing stops.
        page.get_by_role("button", name="Meedoen: openen").click()
        field = scroll_to(page, page.get_by_role("textbox", name="Schrijf iets bij Waarden"))
        field.click()
        expect(field).to_be_focused()
        page.keyboard.type(TYPED, delay=10)
        page.get_by_role("button", name="Toevoegen bij Waarden").click()
        expect(page.get_by_text(TYPED, exact=True)).to_be_visible()

        # An existing note changed just as fast, then Klaar.
        scroll_to(page, page.get_by_role("button", name=re.compile("^Aanpassen: " + re.escape(TYPED[:20])))).click()
        field = scroll_to(page, page.get_by_role("textbox", name="Notitie aanpassen"))
        field.click()
        expect(field).to_be_focused()
        page.keyboard.press("Control+End")
        page.keyboard.type(" " + TYPED[:120], delay=10)
        page.get_by_role("button", name="Klaar").click()
        changed = TYPED + " " + TYPED[:120]
        expect(page.get_by_text(changed, exact=True)).to_be_visible()

        page.wait_for_url(re.compile(r".*/kompas/meedoen$"))
        reopen(page)
        expect(scroll_to(page, page.get_by_text(changed, exact=True))).to_be_visible()
        assert changed in note_texts(five_years)
        assert left == []
    assert "Traceback" not in server.log.read_text()


def test_two_tabs_each_add_notes_while_the_other_is_in_front(chromium, app_server):
    """A begeleider's laptop with two tabs open on one kompas: every tap on Toevoegen is stored, in either tab."""
    context = chromium.new_context(viewport=TALL_PHONE)
    tabs = []
    for _ in range(2):
        tab = context.new_page()
        tab.goto(app_server.link("/kompas/erbij_horen"))
        enable_semantics(tab)
        tabs.append(tab)
    added = []
    for round_ in range(4):
        for index, tab in enumerate(tabs):
            # The begeleider switches back and forth; the other tab waits in the background.
            tab.bring_to_front()
            text = f"Tab {index + 1}, ronde {round_ + 1}"
            field = tab.get_by_role("textbox", name="Schrijf iets bij Krachten en bronnen")
            field.click()
            field.fill(text)
            tab.get_by_role("button", name="Toevoegen bij Krachten en bronnen").click()
            added.append(text)
            expect(tab.get_by_text(text, exact=True)).to_be_visible()
    for tab in tabs:
        tab.bring_to_front()
        for text in added:
            expect(tab.get_by_text(text, exact=True)).to_be_visible()
    assert note_texts(app_server.data_dir) == set(added)
    context.close()
    log = app_server.log.read_text()
    assert "never awaited" not in log and "Traceback" not in log


def big_phone_photo(path, megabytes: int = 30) -> None:
    """A JPEG of `megabytes` or more, as a 2026 phone saves a detailed photo: far over a websocket message."""
    import io
    import os

    from PIL import Image

    width, height = 6000, 4500
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    assert buffer.tell() >= megabytes * 10**6
    path.write_bytes(buffer.getvalue())


def test_a_30_mb_photo_arrives_through_the_browser(chromium, app_server, tmp_path):
    photo = tmp_path / "IMG_20261121_101500.jpg"
    big_phone_photo(photo)
    page, left = open_app(chromium, app_server.link("/plakboek"))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Foto toevoegen").click()
    chooser.value.set_files(str(photo))
    expect(page.get_by_role("button", name=re.compile(r"^Foto van "))).to_be_visible(timeout=90_000)
    kept = sorted(p.name for p in (kompas_folder(app_server.data_dir) / "photos").iterdir())
    assert len(kept) == 2 and any(name.endswith("-klein.jpg") for name in kept), "the photo and its thumbnail"
    # The original never lands on the disk: only the cleaned photo, far smaller.
    assert all((kompas_folder(app_server.data_dir) / "photos" / name).stat().st_size < 2_000_000 for name in kept)
    assert left == []


def test_words_typed_just_before_the_server_stops_are_kept(chromium, app_server):
    page, _ = open_app(chromium, app_server.link())
    wish = page.get_by_role("textbox", name="Mijn wens")
    # A click while the late fonts redraw the page lands where the field was a moment ago (on a condition's tile).
    settle(page)
    wish.click()
    # Keys pressed before the cursor is in the field go nowhere, for a person as for a test.
    expect(wish).to_be_focused()
    page.keyboard.type("Een eigen huis", delay=10)
    app_server.stop()
    assert stored(app_server.data_dir)["kompas"]["1"]["wish"] == "Een eigen huis"
