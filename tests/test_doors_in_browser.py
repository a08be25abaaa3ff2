"""Several clients on one device, each behind their own door, and a phone paired beside the laptop, in Chromium."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request

import pytest
from browser import enable_semantics, open_app, open_watched, type_into, wait_until
from conftest import AppServer, kompas_folder
from playwright.sync_api import Page, expect

from kompas.domain.model import Condition, Step
from kompas.i18n import LANGUAGE_NAMES
from kompas.store.shelf import Shelf
from kompas.store.storage import Store
from kompas.workbook.workbook import Workbook

pytestmark = pytest.mark.browser

TALL = {"width": 390, "height": 1600}


def new_kompas(page: Page, nickname: str, colour: str) -> None:
    expect(page.get_by_text("Een nieuw kompas")).to_be_visible()
    type_into(page, "Naam van het kompas", nickname)
    page.get_by_role("button", name=f"Kleur {colour}").click()
    page.get_by_role("button", name="Maak mijn kompas").click()
    expect(page.get_by_role("button", name="Kies een actie")).to_be_visible()


def add_note(page: Page, text: str) -> None:
    page.get_by_role("button", name="Meedoen: openen").click()
    type_into(page, "Schrijf iets bij Krachten en bronnen", text)
    page.get_by_role("button", name="Toevoegen bij Krachten en bronnen").click()
    expect(page.get_by_text(text, exact=True)).to_be_visible()
    page.get_by_role("button", name="Terug naar mijn kompas").click()


def set_pin(page: Page, pin: str) -> None:
    page.get_by_role("button", name="Slot en wissen").click()
    type_into(page, "Nieuwe PIN (4 tot 6 cijfers)", pin)
    type_into(page, "Typ de nieuwe PIN nog een keer", pin)
    page.get_by_role("button", name="PIN instellen").click()
    expect(page.get_by_text("Je PIN is klaar", exact=False).last).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Terug naar mijn kompas").click()


def enter_pin(page: Page, pin: str) -> None:
    type_into(page, "PIN", pin)
    page.get_by_role("button", name="Openen").click()


def pairing_code(laptop: Page) -> str:
    """Show the pairing QR code on the laptop and read it from the screen, as a phone camera would."""
    import zxingcpp
    from PIL import Image

    laptop.get_by_role("button", name="Slot en wissen").click()
    laptop.get_by_role("button", name="Laat de code zien").click()
    image = laptop.get_by_role("img", name="Code om te koppelen")
    expect(image).to_be_visible()
    codes = []
    # The image may take a frame or two to be drawn (seconds, on a loaded machine), and may stand partly below the
    # fold: then the page is scrolled on until a camera could see all of it.
    for attempt in range(100):
        codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(laptop.screenshot())))
        if codes:
            break
        box = image.bounding_box()
        if attempt in (4, 9, 14) and box:
            laptop.mouse.move(box["x"] + box["width"] / 2, laptop.viewport_size["height"] / 2)
            laptop.mouse.wheel(0, 400)
        laptop.wait_for_timeout(300)
    [code] = codes
    return code.text


def test_a_begeleider_with_three_clients_on_one_laptop(chromium, tmp_path):
    data = tmp_path / "data"
    with AppServer(data) as server:
        page = open_watched(chromium, server.link(), viewport=TALL)
        # The very first start asks for the language, each named in its own script, then a nickname and a colour.
        for name in LANGUAGE_NAMES.values():
            expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
        page.get_by_role("button", name="Nederlands", exact=True).click()
        new_kompas(page, "Noor", "geel")
        add_note(page, "Noor kookt graag soep")
        set_pin(page, "2468")
        page.evaluate("window.kompasSeen.length = 0")
        page.get_by_role("button", name="Op slot doen").click()
        expect(page.get_by_text("Typ je PIN om dit kompas te openen.")).to_be_visible()
        # Locked: nothing the client wrote is on the screen or in what a screen reader can find.
        assert "kookt graag" not in page.locator("body").aria_snapshot()
        assert "kookt graag" not in page.evaluate("window.kompasSeen.join(' ')")

        page.get_by_role("button", name="Naar alle kompassen").click()
        page.get_by_role("button", name="Nieuw kompas").click()
        new_kompas(page, "Sam", "blauw")
        add_note(page, "Sam fietst elke dag")
        page.get_by_role("button", name="Op slot doen").click()
        page.get_by_role("button", name="Nieuw kompas").click()
        new_kompas(page, "Ali", "groen")
        page.get_by_role("button", name="Op slot doen").click()

        # The shelf: three nicknames, nothing written inside any of them.
        expect(page.get_by_text("Kompassen op dit apparaat")).to_be_visible()
        for name in ("Noor", "Sam", "Ali"):
            expect(page.get_by_role("button", name=f"{name} openen")).to_be_visible()
        tree = page.locator("body").aria_snapshot()
        assert "kookt" not in tree and "fietst" not in tree

        # Noor's kompas opens with her PIN only.
        page.get_by_role("button", name="Noor openen").click()
        enter_pin(page, "1357")
        # A wrong PIN (checked in a thread, over half a second of scrypt) leaves the door shut, and says so. The next
        # PIN is typed after that answer, as a person would: on a loaded machine the check can take seconds.
        expect(page.get_by_text("Dat is niet de goede PIN. Probeer het nog een keer.")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("Typ je PIN om dit kompas te openen.")).to_be_visible()
        assert "kookt graag" not in page.locator("body").aria_snapshot()
        enter_pin(page, "2468")
        page.get_by_role("button", name="Meedoen: openen").click(timeout=15_000)
        expect(page.get_by_text("Noor kookt graag soep", exact=True)).to_be_visible()
        assert "Sam fietst" not in page.locator("body").aria_snapshot()
        page.get_by_role("button", name="Op slot doen").click()

        # Sam's kompas is erased after typing its name; Noor's stays byte for byte.
        noor = kompas_folder(data, "Noor")
        before = {p: p.read_bytes() for p in noor.rglob("*") if p.is_file() and "tries" not in p.name}
        page.get_by_role("button", name="Naar alle kompassen").click()
        page.get_by_role("button", name="Sam openen").click()
        page.get_by_role("button", name="Slot en wissen").click()
        type_into(page, "Typ ter bevestiging de naam: Sam", "Sam")
        page.get_by_role("button", name="Dit kompas wissen").click()
        expect(page.get_by_text("Kompassen op dit apparaat")).to_be_visible()
        expect(page.get_by_role("button", name="Sam openen")).to_have_count(0)
        assert not any("fietst" in p.read_text(errors="ignore") for p in data.rglob("*.json"))
        assert {p: p.read_bytes() for p in noor.rglob("*") if p.is_file() and "tries" not in p.name} == before
        page.context.close()


def test_a_phone_paired_from_the_laptop_opens_the_kompas_once(chromium, tmp_path):
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        card = shelf.create("Noor", "geel")
        folder = shelf.folder(card.id)
    with Store.open(folder) as store:
        Workbook(store).add_note(Condition.MEEDOEN, Step.KRACHTEN, "Noor kookt graag soep")
    with AppServer(data) as server:
        laptop, _ = open_app(chromium, server.link(), viewport={"width": 1280, "height": 1400})
        code = pairing_code(laptop)
        assert re.fullmatch(rf"{re.escape(server.url)}/koppel/[\w-]+", code)

        # The phone has no cookie and no link: the code alone lets it in, to this kompas.
        phone = chromium.new_context(viewport={"width": 390, "height": 1800}).new_page()
        phone.goto(code)
        enable_semantics(phone)
        phone.get_by_role("button", name="Meedoen: openen").click()
        expect(phone.get_by_text("Noor kookt graag soep", exact=True)).to_be_visible()

        # Both screens see each other's changes.
        type_into(phone, "Schrijf iets bij Waarden", "Familie")
        phone.get_by_role("button", name="Toevoegen bij Waarden").click()
        expect(phone.get_by_text("Familie", exact=True)).to_be_visible()
        laptop.get_by_role("button", name="Meedoen: openen").click()
        expect(laptop.get_by_text("Familie", exact=True)).to_be_visible()

        # Used once: the same code lets no second phone in.
        other = chromium.new_context().new_page()
        response = other.goto(code)
        assert response.status == 403
        assert "Noor" not in other.content()


def status_without_cookie(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_pairing_code_shown_too_long_ago_lets_no_phone_in(chromium, tmp_path):
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        shelf.create("Noor", "geel")
    with AppServer(data, env={"KOMPAS_PAIRING_SECONDS": "3"}) as server:
        laptop, _ = open_app(chromium, server.link(), viewport={"width": 1280, "height": 1400})
        code = pairing_code(laptop)
        # Until the server no longer knows the code: a look at it without any cookie does not use it up.
        wait_until(laptop, lambda: status_without_cookie(code) == 403, timeout_ms=20_000)
        # Scanned after its time: the phone gets no page, no session, no word of the kompas.
        phone = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
        response = phone.goto(code)
        assert response.status == 403
        assert "Noor" not in phone.content()
