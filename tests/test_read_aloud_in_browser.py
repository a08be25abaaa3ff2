"""Reading aloud in Chromium: a tap starts the sound in the page, as the page's own audio elements report; a player
that fails leaves one line and the app; "Voorlezen" is one Tab stop and covers nothing."""

from __future__ import annotations

import pytest
from browser import enable_semantics, open_app, scroll_to, settle
from listening import WATCH_SOUND, heard
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A browser whose audio never starts: play() promises and never keeps it, as a page that hangs does.
NEVER_PLAYS = """
HTMLMediaElement.prototype.play = function () {
  window.kompasAsked = (window.kompasAsked || 0) + 1;
  return new Promise(() => {});
};
"""


def open_watched(chromium, url: str, *scripts: str, viewport=None):
    context = chromium.new_context(viewport=viewport or {"width": 390, "height": 844})
    for script in (WATCH_SOUND, *scripts):
        context.add_init_script(script)
    page = context.new_page()
    page.goto(url)
    enable_semantics(page)
    return page


def sounds_after_tap(page, count: int = 1, timeout_ms: int = 20_000) -> None:
    for _ in range(timeout_ms // 100):
        if len(heard(page).after(0)) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"fewer than {count} sounds started: {heard(page)}")


def since_last_tap(page) -> float:
    """Milliseconds from the last tap to now, on the page's own clock (as `heard` times its sounds)."""
    return page.evaluate("performance.now() - window.kompasSound.taps.at(-1)")


def test_voorlezen_on_home_and_beside_a_note_starts_the_sound(chromium, demo_app):
    data = demo_app.data_dir
    page = open_watched(chromium, demo_app.link())
    left = []
    page.on("requestfinished", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
            else left.append(r.url))
    # The bar at the top reads the whole home screen; the page's own audio element says when it plays.
    page.get_by_role("button", name="Voorlezen", exact=True).click()
    stop = page.get_by_role("button", name="Stop met voorlezen")
    expect(stop).to_be_visible(timeout=15_000)
    sounds_after_tap(page, 2)
    stop.click()
    expect(page.get_by_role("button", name="Voorlezen", exact=True)).to_be_visible()
    stopped = since_last_tap(page)
    page.wait_for_timeout(1500)
    assert not heard(page).playing_at(stopped + 300), "still reading after Stop"

    # Beside a note, its own speaker reads just that note.
    page.get_by_role("button", name="Meedoen: openen").click()
    scroll_to(page, page.get_by_role("button", name="Voorlezen: Ik spreek Arabisch")).click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_be_visible(timeout=15_000)
    sounds_after_tap(page)
    # "Snel verbergen" while a note is being read: the reading stops with it, and the screen shows nothing of it.
    page.get_by_role("button", name="Snel verbergen").click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_have_count(0)
    # The sound stops with the screen that hides, whatever the machine's load: timed from when the screen hid.
    hidden = since_last_tap(page)
    page.wait_for_timeout(1500)
    assert not heard(page).playing_at(hidden + 300), "still reading a note after the kompas was hidden"
    page.get_by_role("button", name="Verder").click()
    # Back in the kompas the player works as before: a new one is made for the sound it dropped. (The empty page has
    # a "Voorlezen" of its own: tapped before the kompas is back, it read that page, and leaving it stopped it.)
    expect(page.get_by_role("button", name="Op slot doen")).to_be_visible(timeout=15_000)
    settle(page)
    page.get_by_role("button", name="Voorlezen", exact=True).click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_be_visible(timeout=15_000)
    sounds_after_tap(page)
    assert not heard(page).error_screen
    # The speech was made on this device: nothing was fetched from anywhere else.
    assert left == []
    # The note's speech is kept with its kompas; the app's own words in the shared folder.
    assert list((data / "kompassen").glob("*/spraak/*.mp3"))
    assert list((data / "spraak" / "nl").glob("*.mp3"))


def test_the_browsers_back_stops_the_reading_of_the_screen_it_leaves(chromium, demo_app):
    page = open_watched(chromium, demo_app.link())
    page.get_by_role("button", name="Meedoen: openen").click()
    expect(page.get_by_role("button", name="Terug naar mijn kompas")).to_be_visible(timeout=15_000)
    settle(page)
    page.get_by_role("button", name="Voorlezen", exact=True).click()
    sounds_after_tap(page, 2)
    back = page.evaluate("performance.now()")
    page.go_back()
    expect(page.get_by_role("button", name="Mijn koers")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(3000)
    left = heard(page, since=back)
    assert not left.playing_at(2000), "still reading after the browser went back"
    assert left.after(1000) == [], "a new sound started after the browser went back"
    assert not left.error_screen


def test_a_pop_up_question_has_its_own_speaker(chromium, demo_app):
    page = open_watched(chromium, demo_app.link())
    page.get_by_role("button", name="Actie veranderen").click()
    scroll_to(page, page.get_by_role("button", name="Kies deze actie")).click()
    # The "Voorlezen" bar is behind the pop-up: the question has a speaker of its own.
    speaker = page.get_by_role("button", name="Voorlezen: Kun je dit in de komende weken doen?")
    expect(speaker).to_be_visible(timeout=15_000)
    speaker.click()
    sounds_after_tap(page, 2)  # the question, then the action itself
    assert not heard(page).error_screen


def test_a_player_that_never_plays_leaves_one_line_and_the_app_stays(chromium, demo_app):
    page = open_watched(chromium, demo_app.link(), NEVER_PLAYS)
    page.get_by_role("button", name="Voorlezen", exact=True).click()
    # One line, in the screen's language, in place; the button is "Voorlezen" again, to try once more.
    expect(page.get_by_text("Voorlezen lukt nu niet. Probeer het straks nog eens.")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Voorlezen", exact=True)).to_be_visible()
    assert page.evaluate("window.kompasAsked") >= 1  # the browser was asked to play, and never did
    # Flutter gives up on the call after 30 s and answers it then: still no error screen, and the app goes on.
    page.wait_for_timeout(35_000)
    assert not heard(page).error_screen
    assert page.get_by_text("Error running app").count() == 0
    page.get_by_role("button", name="Meedoen: openen").click()
    expect(page.get_by_role("button", name="Terug naar mijn kompas")).to_be_visible(timeout=15_000)
    # A second try fails the same way, with the same line, and breaks nothing either.
    page.get_by_role("button", name="Voorlezen", exact=True).click()
    expect(page.get_by_text("Voorlezen lukt nu niet. Probeer het straks nog eens.")).to_be_visible(timeout=30_000)
    assert not heard(page).error_screen


def test_voorlezen_is_one_tab_stop_and_covers_nothing(chromium, demo_app):
    page, _left = open_app(chromium, demo_app.link())
    settle(page)
    # It stands in a bar above the screen, not on it: the screen's first control starts below the bar, and its last,
    # scrolled to, ends above the foot of the window, where the button used to float over it.
    button = page.get_by_role("button", name="Voorlezen", exact=True).bounding_box()
    first = page.get_by_role("button", name="Hoe gaat het?").bounding_box()
    assert first["y"] >= button["y"] + button["height"]
    names = []
    for _ in range(26):
        page.keyboard.press("Tab")
        page.wait_for_timeout(150)
        names.append(page.evaluate("(document.activeElement && document.activeElement.getAttribute('aria-label')) "
                                   "|| (document.activeElement && document.activeElement.textContent) || ''"))
    assert names.count("Voorlezen") == 1, names
    last = scroll_to(page, page.get_by_role("button", name="Over deze app"))
    # Found is not yet in view (Flutter builds a little beyond the screen): on to the end of the screen.
    for _ in range(20):
        box = last.bounding_box()
        if box and box["y"] + box["height"] <= page.viewport_size["height"]:
            break
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)
    box = last.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]
    assert page.get_by_role("button", name="Voorlezen", exact=True).bounding_box() == button


def test_the_settings_say_where_voorlezen_is_and_it_is_there(chromium, app_server):
    # A client told to look at the bottom of the screen for a button at its top does not find it.
    page, _ = open_app(chromium, app_server.link("/instellingen"))
    viewport = page.viewport_size
    assert viewport is not None
    said = page.get_by_text("Tik op Voorlezen, ", exact=False).first
    scroll_to(page, said)
    expect(said).to_contain_text("bovenaan het scherm")
    box = page.get_by_role("button", name="Voorlezen", exact=True).bounding_box()
    assert box is not None and box["y"] + box["height"] < viewport["height"] / 4, box
