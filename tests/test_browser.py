"""Real Chromium clicking through the app as a client would, on a phone-sized screen and on a laptop."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from browser import LAPTOP, PHONE, enable_semantics, open_app, open_watched, settle, type_into, wait_until
from conftest import AppServer, kompas_folder, kompas_json, one_kompas
from playwright.sync_api import Page, expect

from kompas.base import clock
from kompas.cli import main
from kompas.domain.model import default_look_back
from kompas.i18n import format_date

pytestmark = pytest.mark.browser

def test_a_client_fills_meedoen_and_chooses_an_action_that_survives_reload_and_restart(chromium, tmp_path):
    one_kompas(tmp_path / "data")
    with AppServer(tmp_path / "data") as server:
        page, requests = open_app(chromium, server.link())
        expect(page.get_by_role("button", name="Kies een actie")).to_be_visible()

        page.get_by_role("button", name="Meedoen: openen").click()
        type_into(page, "Schrijf iets bij Krachten en bronnen", "Ik kan goed koken")
        page.get_by_role("button", name="Toevoegen bij Krachten en bronnen").click()
        expect(page.get_by_text("Ik kan goed koken", exact=True)).to_be_visible()
        page.get_by_role("button", name="Geef een ster: Ik kan goed koken").click()
        expect(page.get_by_role("button", name="Ster weghalen: Ik kan goed koken")).to_be_visible()

        # First an example action, tapped...
        page.get_by_role("button", name="Kies een actie bij Meedoen").click()
        page.get_by_role("button", name="Een Stadspas aanvragen").click()
        page.get_by_role("button", name="Kies deze actie").click()
        # A small, concrete action still gets the one gentle question, without remarks.
        expect(page.get_by_role("group", name="Kun je dit in de komende weken doen?")).to_be_visible()
        expect(page.get_by_role("button", name="Nog even aanpassen")).to_be_visible()
        page.get_by_role("button", name="Ja, dat lukt").click()
        expect(page.get_by_role("button", name="Actie veranderen")).to_be_visible()
        expect(page.get_by_text("Een Stadspas aanvragen")).to_be_visible()

        # ...then one in the client's own words, which takes its place.
        page.get_by_role("button", name="Actie veranderen").click()
        type_into(page, "Wat ga je doen?", "Samen met papa een taart bakken")
        page.get_by_role("button", name="Kies Ertoe doen").click()
        expect(page.get_by_role("button", name="Ertoe doen: gekozen")).to_be_visible()
        type_into(page, "Wie helpt", "Papa")
        page.get_by_role("button", name="Kies deze actie").click()
        page.get_by_role("button", name="Ja, dat lukt").click()
        expect(page.get_by_role("button", name="Actie veranderen")).to_be_visible()
        expect(page.get_by_text("Samen met papa een taart bakken")).to_be_visible()
        expect(page.get_by_text("Een Stadspas aanvragen")).to_have_count(0)

        def everything_is_still_there(page: Page) -> None:
            expect(page.get_by_text("Samen met papa een taart bakken")).to_be_visible()
            expect(page.get_by_text("Wie helpt: Papa")).to_be_visible()
            expect(page.get_by_text("Mijn actie · Ertoe doen")).to_be_visible()
            page.get_by_role("button", name="Meedoen: openen").click()
            expect(page.get_by_text("Ik kan goed koken", exact=True)).to_be_visible()
            expect(page.get_by_role("button", name="Ster weghalen")).to_be_visible()

        # Flutter writes the new address into the browser a frame after it draws the screen.
        page.wait_for_url(server.url + "/")
        page.reload()
        enable_semantics(page)
        everything_is_still_there(page)

        server.stop()
        server.start()
        page.goto(server.link())
        enable_semantics(page)
        everything_is_still_there(page)

        assert requests == [], "the app asked something from outside this device"


def test_a_big_vague_action_gets_a_gentle_question_first(chromium, app_server):
    page, _ = open_app(chromium, app_server.link("/actie/jezelf_zijn"))
    type_into(page, "Wat ga je doen?", "Gelukkiger worden")
    page.get_by_role("button", name="Kies deze actie").click()
    expect(page.get_by_role("group", name="Kun je dit in de komende weken doen?")).to_be_visible()
    expect(page.get_by_text("Wat ga je precies doen? Met wie, en waar?")).to_be_visible()
    page.get_by_role("button", name="Ik maak het kleiner").click()
    expect(page.get_by_role("group", name="Kun je dit in de komende weken doen?")).to_have_count(0)
    stored = kompas_json(app_server.data_dir)
    assert not stored.exists() or '"action"' not in stored.read_text()

    # The look-back date can be moved with the date picker, in Dutch.
    default = default_look_back(clock.today())
    target = default + timedelta(days=1) if (default + timedelta(days=1)).month == default.month else default - timedelta(days=1)
    page.get_by_role("button", name="Andere datum kiezen").click()
    page.get_by_role("button", name=re.compile(rf"^{target.day}, ")).click()
    page.get_by_role("button", name="Kiezen").click()
    expect(page.get_by_text(format_date(target, clock.today()), exact=True)).to_be_visible()

    page.get_by_role("button", name="Kies deze actie").click()
    page.get_by_role("button", name="Ja, dat lukt").click()
    expect(page.get_by_role("button", name="Actie veranderen")).to_be_visible()
    expect(page.get_by_text("Gelukkiger worden")).to_be_visible()
    stored = json.loads((kompas_json(app_server.data_dir)).read_text())
    assert stored["kompas"]["1"]["action"]["look_back"] == target.isoformat()


def test_a_note_can_be_changed_and_deleted_with_undo(chromium, app_server):
    # A phone's width, tall enough that the editor's buttons are on screen without scrolling the canvas.
    page, _ = open_app(chromium, app_server.link("/kompas/erbij_horen"), viewport={"width": 390, "height": 1400})
    type_into(page, "Schrijf iets bij Krachten en bronnen", "Mijn buurvrouw")
    page.get_by_role("textbox", name="Schrijf iets bij Krachten en bronnen").press("Enter")
    expect(page.get_by_text("Mijn buurvrouw", exact=True)).to_be_visible()

    page.get_by_role("button", name="Aanpassen: Mijn buurvrouw").click()
    type_into(page, "Notitie aanpassen", "Mijn buurvrouw Fatma")
    page.get_by_role("button", name="Klaar").click()
    expect(page.get_by_text("Mijn buurvrouw Fatma", exact=True)).to_be_visible()

    page.get_by_role("button", name="Aanpassen: Mijn buurvrouw Fatma").click()
    page.get_by_role("button", name="Weghalen").click()
    expect(page.get_by_text("Notitie weggehaald.")).to_be_visible()
    page.get_by_role("button", name="Terugzetten").click()
    expect(page.get_by_text("Mijn buurvrouw Fatma", exact=True)).to_be_visible()
    assert "Mijn buurvrouw Fatma" in (kompas_json(app_server.data_dir)).read_text()


def test_every_tap_target_on_the_phone_is_at_least_48_px(chromium, app_server):
    # A phone's width with room for the whole page, so that no button is clipped by the scroll view.
    tall_phone = {"width": PHONE["width"], "height": 4000}
    for route in ("/", "/kompas/meedoen", "/actie"):
        page, _ = open_app(chromium, app_server.link(route), viewport=tall_phone)
        settle(page)  # the whole screen laid out: its tree holds still
        sizes = []
        for button in page.get_by_role("button").all():
            box = button.bounding_box()
            if box:
                sizes.append((min(box["width"], box["height"]), button.inner_text() or button.get_attribute("aria-label")))
        assert sizes, f"no buttons found on {route}"
        assert [s for s in sizes if s[0] < 48] == [], route


def test_a_laptop_shows_the_compass_beside_the_open_condition(chromium, app_server):
    page, _ = open_app(chromium, app_server.link("/kompas/meedoen"), viewport=LAPTOP)
    compass = page.get_by_role("button", name="Jezelf zijn")
    step = page.get_by_text("Wat houdt mij op koers?", exact=True)
    expect(compass).to_be_visible()
    expect(step).to_be_visible()
    assert compass.bounding_box()["x"] + 100 < step.bounding_box()["x"]


def test_an_unreadable_file_is_kept_and_the_client_is_told_in_dutch(chromium, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "kompas.json").write_bytes(b'{"notes": {"1": {"text": "half geschreven')
    with AppServer(data) as server:
        page, _ = open_app(chromium, server.link())
        expect(page.get_by_text("De app kan je oude kompas niet openen. Het is niet weg", exact=False).last).to_be_visible()
        kept = list(data.glob("**/kompas.unreadable-*.json"))
        assert len(kept) == 1
        # Told once: the next visit does not say again that the kompas is new.
        # Everything the screen ever shows is written down as it appears, so a message that came and went
        # is caught too; the message the client asks for last shows that the screen had its time.
        again = open_watched(chromium, server.link("/kompas/meedoen"), viewport={"width": 390, "height": 844})
        again.get_by_role("button", name="Toevoegen bij Waarden").click()
        expect(again.get_by_text("Schrijf eerst een paar woorden.").last).to_be_visible()
        seen = again.evaluate("window.kompasSeen.join('\\n')")
        assert "Schrijf eerst een paar woorden." in seen
        assert "De app kan je oude kompas niet openen" not in seen
        assert kept[0].read_bytes() == b'{"notes": {"1": {"text": "half geschreven'


def test_a_poster_is_made_from_the_app_and_downloaded(chromium, tmp_path):
    from pypdf import PdfReader

    data = tmp_path / "data"
    assert main(["demo", "--data", str(data)]) == 0
    with AppServer(data) as server:
        page, requests = open_app(chromium, server.link())
        page.get_by_role("button", name="Poster voor de koelkast").click()
        expect(page.get_by_role("switch", name="Belemmeringen")).not_to_be_checked()
        page.get_by_role("switch", name="Belemmeringen").click()
        expect(page.get_by_role("switch", name="Belemmeringen")).to_be_checked()
        # The switch flips in the browser at once; wait until the choice is stored and the preview redrawn.
        wait_until(page, lambda: '"belemmeringen"' in kompas_json(data).read_text())
        settle(page)
        page.get_by_role("button", name="Papier A3").click()
        expect(page.get_by_role("button", name="Papier A3: gekozen")).to_be_visible()
        page.get_by_role("button", name="Poster maken").click()
        expect(page.get_by_text("Je poster is klaar.")).to_be_visible(timeout=20_000)

        with page.expect_download() as download:
            page.get_by_role("button", name="PDF downloaden").click()
        pdf = tmp_path / "poster.pdf"
        download.value.save_as(pdf)
        reader = PdfReader(pdf)
        assert len(reader.pages) == 1
        assert abs(float(reader.pages[0].mediabox.height) - 1191) <= 1, "A3 as chosen"

        with page.expect_download() as download:
            page.get_by_role("button", name="Afbeelding (PNG) downloaden").click()
        assert download.value.suggested_filename == "poster-A3.png"

        # The choice is kept with the kompas: the obstacle the client chose is on it.
        stored = kompas_json(data).read_text()
        assert '"belemmeringen"' in stored and '"A3"' in stored
        assert requests == []


def test_two_screens_on_one_kompas_see_each_others_changes(chromium, app_server):
    """A begeleider's laptop and the client's phone open on the same kompas stay in step."""
    laptop, _ = open_app(chromium, app_server.link("/kompas/meedoen"), viewport=LAPTOP)
    phone, _ = open_app(chromium, app_server.link("/kompas/meedoen"))
    type_into(laptop, "Schrijf iets bij Waarden", "Werk is belangrijk")
    laptop.get_by_role("button", name="Toevoegen bij Waarden").click()
    expect(phone.get_by_text("Werk is belangrijk", exact=True)).to_be_visible()

    type_into(phone, "Schrijf iets bij Krachten en bronnen", "Ik leer snel")
    phone.get_by_role("button", name="Toevoegen bij Krachten en bronnen").click()
    expect(laptop.get_by_text("Ik leer snel", exact=True)).to_be_visible()
    stored = (kompas_json(app_server.data_dir)).read_text()
    assert "Werk is belangrijk" in stored and "Ik leer snel" in stored


def test_an_action_for_another_condition_starts_blank(chromium, tmp_path):
    data = tmp_path / "data"
    assert main(["demo", "--data", str(data)]) == 0  # the demo's action serves Meedoen
    with AppServer(data) as server:
        page, _ = open_app(chromium, server.link("/kompas/erbij_horen"))
        page.get_by_role("button", name="Kies een actie bij Erbij horen").click()
        expect(page.get_by_role("button", name="Erbij horen: gekozen")).to_be_visible()
        expect(page.get_by_role("button", name="Mijn zus bellen")).to_be_visible()
        page.get_by_role("button", name="Kies deze actie").click()
        expect(page.get_by_text("Schrijf eerst op wat je gaat doen.", exact=False).last).to_be_visible()
        assert "Een Stadspas aanvragen" in kompas_json(data).read_text()


def test_photos_check_ins_and_a_new_period_survive_a_reload(chromium, tmp_path):
    from photofiles import phone_photo

    data = tmp_path / "data"
    assert main(["demo", "--data", str(data)]) == 0
    photo = tmp_path / "vakantie.jpg"
    photo.write_bytes(phone_photo())
    with AppServer(data) as server:
        page, requests = open_app(chromium, server.link("/plakboek"))
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Foto toevoegen").click()
        chooser.value.set_files(str(photo))
        expect(page.get_by_role("button", name=re.compile(r"^Foto van "))).to_be_visible(timeout=15_000)
        [stored] = (kompas_folder(data) / "photos").glob("*-klein.jpg")
        assert b"Exif" not in next(p for p in (kompas_folder(data) / "photos").iterdir() if "klein" not in p.name).read_bytes()

        # Hoe gaat het? A face and a few words, then Gedaan!
        page.get_by_role("button", name="Terug naar mijn kompas").click()
        page.get_by_role("button", name="Hoe gaat het?").click()
        page.get_by_role("button", name="Gaat wel").click()
        expect(page.get_by_role("button", name="Gaat wel: gekozen")).to_be_visible()
        type_into(page, "Wil je er iets over zeggen? (mag leeg blijven)", "Formulier gevonden")
        page.get_by_role("button", name="Bewaar").click()
        expect(page.get_by_text("Hoe het ging: 1 keer bijgehouden")).to_be_visible()
        page.get_by_role("button", name="Hoe gaat het?").click()
        page.get_by_role("button", name="Gedaan!").click()
        expect(page.get_by_text("Gedaan! Goed gedaan!", exact=True)).to_be_visible()

        # Look back, then a new action starts a new period.
        page.get_by_role("button", name="Terugkijken").click()
        type_into(page, "Wat ging goed?", "Ik heb gebeld")
        type_into(page, "Wie of wat hielp?", "Anouk")
        page.get_by_role("button", name="Klaar: kies een nieuwe actie").click()
        page.get_by_role("button", name="Kies Erbij horen").click()
        page.get_by_role("button", name="Mijn zus bellen").click()
        page.get_by_role("button", name="Kies deze actie").click()
        page.get_by_role("button", name="Ja, dat lukt").click()
        expect(page.get_by_role("button", name="Actie veranderen")).to_be_visible()

        # Opened again, as on another day: everything is there, the earlier period in the timeline.
        page.context.close()
        page, _ = open_app(chromium, server.link())
        expect(page.get_by_text("Mijn zus bellen")).to_be_visible()
        page.get_by_role("button", name="Mijn koers").click()
        expect(page.get_by_text("Een Stadspas aanvragen")).to_be_visible()
        expect(page.get_by_text("Formulier gevonden")).to_be_visible()
        expect(page.get_by_text("Ik heb gebeld")).to_be_visible()
        expect(page.get_by_text("Gedaan!")).to_be_visible()
        page.get_by_role("button", name="Terug naar mijn kompas").click()
        page.get_by_role("button", name="Mijn plakboek").click()
        expect(page.get_by_role("button", name=re.compile(r"^Foto van "))).to_be_visible()
        assert stored.exists()
        assert requests == []


def test_every_button_has_one_name_once_and_the_tab_says_kompas(chromium, tmp_path):
    data = tmp_path / "data"
    assert main(["demo", "--data", str(data)]) == 0
    with AppServer(data) as server:
        page, _ = open_app(chromium, server.link(), viewport={"width": 390, "height": 3000})
        expect(page).to_have_title("Kompas")  # set by the app once its first screen is up
        for route in ("/", "/kompas/meedoen", "/actie", "/hoe-gaat-het", "/terugkijken", "/koers", "/plakboek",
                      "/poster", "/over"):
            page.goto(server.url + route)
            enable_semantics(page)
            expect(page).to_have_title("Kompas")
            tree = page.locator("body").aria_snapshot()
            buttons = re.findall(r"- '?button(?: \"(.*?)\")?", tree)
            assert buttons, route
            assert "" not in buttons, f"{route}: a button without a name"
            assert [b for b in buttons if re.fullmatch(r"(.+)\s+\1", b)] == [], f"{route}: a name said twice"
            if route != "/":
                assert "Terug naar mijn kompas" in buttons, route
