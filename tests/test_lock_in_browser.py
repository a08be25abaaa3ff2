"""In Chromium: a kompas locks at its lock time while its tab is away, and a tab coming back finds the door."""

from __future__ import annotations

import time

import pytest
from browser import enable_semantics, open_app, type_into
from conftest import AppServer
from photofiles import phone_photo
from playwright.sync_api import expect

from kompas.domain.model import Condition, Step
from kompas.store.pin import PinLock, PinOutcome
from kompas.store.shelf import Shelf
from kompas.store.storage import Store
from kompas.workbook.workbook import Workbook

pytestmark = pytest.mark.browser

NOTE = "Noor kookt graag soep"
# Short, so the test waits seconds instead of a minute; long enough for a person to open the plakboek.
LOCK_SECONDS = 12


def wait_for_line(server: AppServer, text: str, within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if text in server.log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"the server never logged {text!r}")


def test_a_tab_away_longer_than_the_lock_time_comes_back_to_the_door(chromium, tmp_path):
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        card = shelf.create("Noor", "geel")
        folder = shelf.folder(card.id)
    with Store.open(folder) as store:
        workbook = Workbook(store)
        workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, NOTE)
        workbook.add_photo(phone_photo(800, 600), "kompas")
    assert PinLock(folder).set("2468").outcome is PinOutcome.OK
    with AppServer(data, env={"KOMPAS_LOCK_SECONDS": str(LOCK_SECONDS), "KOMPAS_LOG_LEVEL": "INFO"}) as server:
        page, _ = open_app(chromium, server.link())
        photos: list[str] = []
        page.on("request", lambda r: photos.append(r.url) if "/k/" in r.url and "/photos/" in r.url else None)
        page.get_by_role("button", name="Noor openen").click()
        type_into(page, "PIN", "2468")
        page.get_by_role("button", name="Openen").click()
        page.get_by_role("button", name="Mijn plakboek").click(timeout=20_000)
        expect(page.get_by_text("Mijn plakboek").first).to_be_visible()
        for _ in range(100):
            if photos:
                break
            page.wait_for_timeout(100)
        assert photos, "the plakboek showed its photo"
        photo = photos[0]
        assert page.context.request.get(photo).status == 200
        away_at = page.url
        storage = page.evaluate("JSON.stringify(Object.assign({}, window.sessionStorage))")

        # The client browses to another site: the page's connection is gone. The kompas locks all the same.
        page.goto("about:blank")
        wait_for_line(server, "a kompas locked after its quiet time", within_s=LOCK_SECONDS + 30)
        assert page.context.request.get(photo).status in (403, 404), "its photo address is dead"

        # A second tab restored from this one (Ctrl+Shift+T, or a duplicated tab) brings its session id along.
        restored = page.context.new_page()
        restored.add_init_script(f"Object.entries({storage}).forEach(([k, v]) => sessionStorage.setItem(k, v))")
        restored.goto(away_at)
        enable_semantics(restored)
        expect(restored.get_by_text("Typ je PIN om dit kompas te openen.")).to_be_visible(timeout=20_000)
        assert NOTE not in restored.locator("body").aria_snapshot()
        assert "plakboek" not in restored.locator("body").aria_snapshot()
        restored.close()

        # Back in the first tab: the door, not the plakboek.
        page.go_back()
        enable_semantics(page)
        expect(page.get_by_text("Typ je PIN om dit kompas te openen.")).to_be_visible(timeout=20_000)
        tree = page.locator("body").aria_snapshot()
        assert NOTE not in tree and "plakboek" not in tree
        assert page.context.request.get(photo).status in (403, 404)
        # The door still opens with the PIN.
        type_into(page, "PIN", "2468")
        page.get_by_role("button", name="Openen").click()
        page.get_by_role("button", name="Meedoen: openen").click(timeout=20_000)
        expect(page.get_by_text(NOTE, exact=True)).to_be_visible()


def test_a_discreet_kompas_leaves_only_addresses_that_say_nothing_and_back_finds_the_door(chromium, tmp_path):
    import re
    from urllib.parse import urlsplit

    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        card = shelf.create("Noor", "geel")
        shelf.change(card.id, discreet=True)
        folder = shelf.folder(card.id)
    with Store.open(folder) as store:
        Workbook(store).add_note(Condition.MEEDOEN, Step.KRACHTEN, NOTE)
    assert PinLock(folder).set("2468").outcome is PinOutcome.OK
    with AppServer(data) as server:
        page, _ = open_app(chromium, server.link())
        visited: list[str] = []
        page.on("framenavigated", lambda frame: visited.append(frame.url) if frame == page.main_frame else None)
        page.get_by_role("button", name="Noor openen").click()
        type_into(page, "PIN", "2468")
        page.get_by_role("button", name="Openen").click()
        page.get_by_role("button", name="Meedoen: openen").click(timeout=20_000)
        expect(page.get_by_text(NOTE, exact=True)).to_be_visible()
        assert urlsplit(page.url).path == "/p/3"
        page.get_by_role("button", name="Op slot doen").click()
        expect(page.get_by_text("Typ je PIN.", exact=True)).to_be_visible()
        assert urlsplit(page.url).path == "/"
        # Back, as someone picking up the laptop would: an address that says nothing, and the door.
        page.go_back()
        expect(page.get_by_text("Typ je PIN.", exact=True)).to_be_visible()
        assert NOTE not in page.locator("body").aria_snapshot()
        telling = re.compile(r"kompas|meedoen|plakboek|koers|actie|meenemen|instellingen", re.IGNORECASE)
        assert visited and not [url for url in visited if telling.search(urlsplit(url).path)], visited
