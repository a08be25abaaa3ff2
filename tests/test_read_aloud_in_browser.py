"""Reading aloud in Chromium: a tap on the speaker starts the sound in the page, as the player itself reports."""

from __future__ import annotations

import pytest
from browser import open_app, scroll_to
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_voorlezen_on_home_and_beside_a_note_starts_the_sound(chromium, demo_app):
    data = demo_app.data_dir
    page, requests = open_app(chromium, demo_app.link())
    # The button at the foot of the screen reads the whole home screen. It turns into "Stop met voorlezen" only when
    # the browser's player says it is playing: there is no DOM to look at, so the app's own state is the proof.
    page.get_by_role("button", name="Voorlezen", exact=True).click()
    stop = page.get_by_role("button", name="Stop met voorlezen")
    expect(stop).to_be_visible(timeout=15_000)
    stop.click()
    expect(page.get_by_role("button", name="Voorlezen", exact=True)).to_be_visible()

    # Beside a note, its own speaker reads just that note.
    page.get_by_role("button", name="Meedoen: openen").click()
    scroll_to(page, page.get_by_role("button", name="Voorlezen: Ik spreek Arabisch")).click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_be_visible(timeout=15_000)
    # "Snel verbergen" while a note is being read: the reading stops with it, and the screen shows nothing of it.
    page.get_by_role("button", name="Snel verbergen").click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_have_count(0)
    page.get_by_role("button", name="Verder").click()
    # Back in the kompas the player works as before: the sound it dropped is loaded anew.
    page.get_by_role("button", name="Voorlezen", exact=True).click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_be_visible(timeout=15_000)
    # The speech was made on this device: nothing was fetched from anywhere else.
    assert requests == []
    # The note's speech is kept with its kompas; the app's own words in the shared folder.
    assert list((data / "kompassen").glob("*/spraak/*.wav"))
    assert list((data / "spraak" / "nl").glob("*.wav"))
