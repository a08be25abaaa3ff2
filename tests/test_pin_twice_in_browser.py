"""A PIN or a passphrase cannot be mistyped once and lost forever, in Chromium: typed twice, hidden, set only when
both match, said in place; the eye that shows a passphrase has a name; a phone gets the number pad for a PIN; and a
kompas that had a PIN on the old phone offers to set one on the new one."""

from __future__ import annotations

import re

import pytest
from browser import open_app, type_into
from conftest import AppServer, kompas_folder
from playwright.sync_api import expect

from kompas.store.shelf import Shelf
from kompas.workbook.session import Library

pytestmark = pytest.mark.browser

# A phone's browser as Flutter tells it from a desktop one: only there does it ask for a keyboard by inputmode.
PHONE_BROWSER = dict(
    viewport={"width": 412, "height": 839}, device_scale_factor=2.625, is_mobile=True, has_touch=True,
    user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/120.0.0.0 Mobile Safari/537.36",
)



def test_a_pin_is_typed_twice_hidden_and_set_only_when_both_are_the_same(chromium, app_server):
    page, _ = open_app(chromium, app_server.link("/instellingen"))
    for name in ("Nieuwe PIN (4 tot 6 cijfers)", "Typ de nieuwe PIN nog een keer"):
        assert page.get_by_role("textbox", name=name).get_attribute("type") == "password", name
    type_into(page, "Nieuwe PIN (4 tot 6 cijfers)", "2468")
    type_into(page, "Typ de nieuwe PIN nog een keer", "2486")
    page.get_by_role("button", name="PIN instellen").click()
    expect(page.get_by_text("De twee nieuwe PIN's zijn niet hetzelfde.", exact=False).last).to_be_visible()
    assert not (kompas_folder(app_server.data_dir) / "pin.json").exists(), "a mistyped PIN is never set"

    type_into(page, "Nieuwe PIN (4 tot 6 cijfers)", "2468")
    type_into(page, "Typ de nieuwe PIN nog een keer", "2468")
    page.get_by_role("button", name="PIN instellen").click()
    # Said in the PIN's own card, which now asks for the current PIN to change it: not only in a passing snackbar.
    card = page.get_by_role("group").filter(has=page.get_by_role("textbox", name="Huidige PIN"))
    expect(card.get_by_text("Je PIN is klaar.", exact=False)).to_be_visible(timeout=15_000)
    assert (kompas_folder(app_server.data_dir) / "pin.json").exists()

    # Changing it asks for the new one twice as well.
    type_into(page, "Huidige PIN", "2468")
    type_into(page, "Nieuwe PIN (laat leeg om de PIN weg te halen)", "1357")
    type_into(page, "Typ de nieuwe PIN nog een keer", "1375")
    page.get_by_role("button", name="PIN veranderen").click()
    expect(card.get_by_text("De twee nieuwe PIN's zijn niet hetzelfde.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Op slot doen").click()
    type_into(page, "PIN", "2468")
    page.get_by_role("button", name="Openen").click()
    expect(page.get_by_role("button", name="Kies een actie")).to_be_visible(timeout=15_000)


def test_a_passphrase_is_typed_twice_and_its_eye_says_what_it_does(chromium, app_server):
    page, _ = open_app(chromium, app_server.link("/meenemen"), viewport={"width": 390, "height": 1400})
    type_into(page, "Wachtwoord voor de kopie (mag leeg blijven)", "zee en wind 7")
    type_into(page, "Wachtwoord voor de kopie, nog een keer", "zee en wind 8")
    page.get_by_role("button", name="Kopie maken").click()
    expect(page.get_by_text("De twee wachtwoorden zijn niet hetzelfde.", exact=False).last).to_be_visible()
    expect(page.get_by_role("button", name="Kopie downloaden")).to_have_count(0)

    # Every button here has a name: the eye beside each passphrase field too.
    buttons = re.findall(r"- '?button(?: \"(.*?)\")?", page.locator("body").aria_snapshot())
    assert "" not in buttons, "a button without a name"
    eyes = page.get_by_role("button", name="Wachtwoord laten zien")
    expect(eyes).to_have_count(4)  # two fields for the copy, two for the hand-over
    field = page.get_by_role("textbox", name="Wachtwoord voor de kopie (mag leeg blijven)")
    assert field.get_attribute("type") == "password"
    eyes.first.click()
    expect(page.get_by_role("button", name="Wachtwoord verbergen")).to_have_count(1)
    expect(field).not_to_have_attribute("type", "password")


def test_the_pin_field_asks_a_phone_for_the_number_pad(chromium, app_server):
    # Where the field is on a phone's screen, found once through the accessibility tree.
    page, _ = open_app(chromium, app_server.link("/instellingen"), viewport=PHONE_BROWSER["viewport"])
    box = page.get_by_role("textbox", name="Nieuwe PIN (4 tot 6 cijfers)").bounding_box()
    page.context.close()
    # The phone's browser, as a client without a screen reader uses it: a tap in the field brings up its keyboard.
    phone = chromium.new_context(**PHONE_BROWSER).new_page()
    phone.goto(app_server.link("/instellingen"))
    phone.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
    focused = "document.activeElement && document.activeElement.tagName === 'INPUT'"
    for _ in range(60):
        phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if phone.evaluate(focused):
            break
        phone.wait_for_timeout(500)  # the app is still starting: tap again
    assert phone.evaluate("[document.activeElement.type, document.activeElement.getAttribute('inputmode')]") == [
        "password", "numeric"]


def test_a_copy_of_a_kompas_that_had_a_pin_offers_to_set_one_on_the_new_phone(chromium, tmp_path):
    old, new = tmp_path / "oud", tmp_path / "nieuw"
    library = Library(Shelf.open(old))
    card = library.create("Noor", "groen")
    assert library.pin(card.id).set("2468").outcome.name == "OK"
    copy = tmp_path / "kompas-2026-11-22.kompas"
    copy.write_bytes(library.pack(card.id))
    library.close()

    with AppServer(new) as server:
        page, _ = open_app(chromium, server.link())
        page.get_by_role("button", name="Nederlands").click()
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Kompas openen uit bestand").click()
        chooser.value.set_files(str(copy))
        expect(page.get_by_text("Op het andere apparaat had dit kompas een PIN.", exact=False).last).to_be_visible(
            timeout=20_000)
        assert not (kompas_folder(new) / "pin.json").exists(), "the PIN itself never came along"
        type_into(page, "Nieuwe PIN (4 tot 6 cijfers)", "1357")
        type_into(page, "Typ de nieuwe PIN nog een keer", "1357")
        page.get_by_role("button", name="PIN instellen").click()
        expect(page.get_by_text("Je PIN is klaar.", exact=False).last).to_be_visible(timeout=15_000)
        assert (kompas_folder(new) / "pin.json").exists()
        page.get_by_role("button", name="Klaar").click()
        expect(page.get_by_text("Op het andere apparaat had dit kompas een PIN.", exact=False)).to_have_count(0)
        # Locked now, it opens with the new PIN.
        page.get_by_role("button", name="Op slot doen").click()
        type_into(page, "PIN", "1357")
        page.get_by_role("button", name="Openen").click()
        expect(page.get_by_role("button", name="Kies een actie")).to_be_visible(timeout=15_000)
