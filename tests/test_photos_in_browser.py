"""Adding photos in Chromium as a client does: a busy sign from the pick until stored, the thumbnail where it was
added, the plakboek saying where each belongs, and Mijn koers showing the action's and the check-ins' photos."""

from __future__ import annotations

import json
import re

import pytest
from browser import open_watched, scroll_to
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def photo(tmp_path):
    from photofiles import phone_photo

    path = tmp_path / "IMG_20261121_101500.jpg"
    path.write_bytes(phone_photo())
    return path


def add_photo(page, button, photo) -> None:
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(str(photo))


def stored_photos(data) -> list[dict]:
    [folder] = [p for p in (data / "kompassen").iterdir() if p.is_dir() and not p.name.startswith(".")]
    return list(json.loads((folder / "kompas.json").read_bytes()).get("photos", {}).values())


def test_a_photo_shows_where_it_was_added_and_the_plakboek_says_where_it_belongs(chromium, demo_app, photo):
    page = open_watched(chromium, demo_app.link("/kompas/meedoen"))
    sent = []
    page.on("request", lambda r: sent.append(r.url) if "/foto-" in r.url else None)

    add_photo(page, scroll_to(page, page.get_by_role("button", name="Foto bij Krachten en bronnen")), photo)
    expect(page.get_by_role("button", name="Je foto: Krachten en bronnen")).to_be_visible(timeout=30_000)
    # From the pick until it was stored, the button said what was happening: no second tap, no duplicate.
    assert "Foto wordt klaargemaakt…" in page.evaluate("window.kompasSeen")
    assert [p["about"] for p in stored_photos(demo_app.data_dir)] == ["meedoen/krachten"]
    # It came the quick way, straight from the browser's file, not through Flet's upload.
    assert any("/foto-gekozen" in url for url in sent) and not any("/foto-upload/" in url for url in sent)

    add_photo(page, scroll_to(page, page.get_by_role("button", name="Foto toevoegen")), photo)
    expect(page.get_by_role("button", name="Je foto: Meedoen")).to_be_visible(timeout=30_000)

    # On the action: its thumbnail shows on its card at home.
    page.get_by_role("button", name="Terug naar mijn kompas").click()
    add_photo(page, page.get_by_role("button", name="Foto", exact=True), photo)
    expect(page.get_by_role("button", name="Je foto: Actie")).to_be_visible(timeout=30_000)

    # On a check-in: it shows on the form, and goes with the check-in when saved.
    page.get_by_role("button", name="Hoe gaat het?").click()
    page.get_by_role("button", name="Goed").click()
    add_photo(page, page.get_by_role("button", name="Foto toevoegen"), photo)
    expect(page.get_by_role("img", name="Foto bij deze keer")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Bewaar").click()
    expect(page.get_by_text("Hoe het ging: 1 keer bijgehouden")).to_be_visible()

    # The plakboek says where each belongs, newest first.
    page.get_by_role("button", name="Mijn plakboek").click()
    expect(page.get_by_role("button", name="Meedoen · Krachten en bronnen")).to_be_visible()
    for place in ("Meedoen", "Actie"):
        expect(page.get_by_role("button", name=place, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Hoe gaat het\? \S+ \S+$"))).to_be_visible()
    assert sorted(p["about"] for p in stored_photos(demo_app.data_dir)) == [
        "actie", "checkin", "meedoen", "meedoen/krachten"]

    # After the look-back, Mijn koers shows the action with its photo and the check-in with its own.
    page.get_by_role("button", name="Terug naar mijn kompas").click()
    page.get_by_role("button", name="Terugkijken").click()
    page.get_by_role("button", name="Klaar: kies een nieuwe actie").click()
    expect(page.get_by_role("button", name="Kies deze actie")).to_be_visible()
    page.get_by_role("button", name="Terug naar mijn kompas").click()
    page.get_by_role("button", name="Mijn koers").click()
    expect(page.get_by_text("Een Stadspas aanvragen")).to_be_visible()
    expect(page.get_by_role("img", name="Je foto: Actie")).to_be_visible()
    expect(page.get_by_role("img", name="Foto", exact=True)).to_be_visible()
    [period] = json.loads(next((demo_app.data_dir / "kompassen").glob("*/kompas.json")).read_bytes())["kompas"]["1"][
        "periods"][-1:]
    assert sorted(p["about"] for p in stored_photos(demo_app.data_dir))[0] == f"actie/{period['id']}"
