"""Reading aloud on a busy machine, in Chromium: the first words come at once, the rest follow, nothing breaks.

Two processes keep both cores busy, as a cheap phone on a shelter's wifi is busy. The page itself says when each
sound started and ended (tests/listening.py): the bound is the client's, from the tap to the first sound heard.
"""

from __future__ import annotations

import pytest
from browser import enable_semantics, settle
from conftest import AppServer, one_kompas
from fiveyears import fill_five_years
from listening import WATCH_SOUND, Burners, heard
from playwright.sync_api import expect

from kompas.base import clock
from kompas.store.storage import Store
from kompas.workbook.workbook import Workbook

pytestmark = [pytest.mark.browser, pytest.mark.burns_cpu]

# From the tap to the first sound, in milliseconds: the bound for a five-year kompas under load.
FIRST_SOUND_MS = 1500
# The longest silence between two sounds that a listener does not notice as a stop: about a breath.
GAP_MS = 1000


@pytest.fixture
def five_years(tmp_path):
    """A data folder with one kompas of five years of weekly use, written by the app's own workbook."""
    data = tmp_path / "data"
    with Store.open(one_kompas(data)) as store:
        fill_five_years(Workbook(store), clock.today())
    return data


def open_watched_app(chromium, server: AppServer, path: str):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(WATCH_SOUND)
    page = context.new_page()
    # The emoji font comes a moment after the first screen and redraws it: wait for it, as a person would have.
    with page.expect_response(lambda r: "NotoEmoji" in r.url, timeout=120_000):
        page.goto(server.link(path))
        enable_semantics(page)
    settle(page)
    return page


def wait_for(page, condition, timeout_ms: int) -> None:
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)


def test_voorlezen_on_meedoen_of_five_years_under_load_starts_at_once_goes_on_and_stops_on_leaving(
        chromium, five_years):
    with AppServer(five_years) as server:
        with Burners():
            page = open_watched_app(chromium, server, "/kompas/meedoen")
            page.get_by_role("button", name="Voorlezen", exact=True).click()
            # The heading, the explanation and the first step: three sounds, one after the other.
            wait_for(page, lambda: len(heard(page).after(0)) >= 3 or heard(page).error_screen, 40_000)
            sound = heard(page)
            assert not sound.error_screen
            assert sound.first is not None, "no sound at all"
            assert sound.first <= FIRST_SOUND_MS, f"the first sound came {sound.first:.0f} ms after the tap"
            assert len(sound.after(0)) >= 3, f"only {len(sound.after(0))} sounds followed the tap"
            assert sound.failed == 0, page.evaluate("kompasSound.errors")
            assert max(sound.gaps()) <= GAP_MS, f"silences between sounds: {sound.gaps()}"
            # Never two sounds at once: each starts after the one before it ended.
            assert all(gap >= 0 for gap in sound.gaps()) and len(sound.gaps()) >= 2

            # Back to home while it reads: the reading stops, and nothing more of this screen is heard.
            page.get_by_role("button", name="Terug naar mijn kompas").click()
            expect(page.get_by_role("button", name="Mijn koers")).to_be_visible(timeout=20_000)
            page.wait_for_timeout(3000)
            left = heard(page)  # timed from the tap on the back arrow
            assert not left.playing_at(2500), "still reading after leaving the screen"
            assert left.after(1500) == [], "a new sound started after leaving the screen"
            expect(page.get_by_role("button", name="Voorlezen", exact=True)).to_be_visible()
            assert not left.error_screen
