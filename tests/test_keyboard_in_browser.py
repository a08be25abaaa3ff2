"""What trying the app with a keyboard and a screen reader found, in Chromium: every control reached and kept in view,
the starred notes at home reachable, each star naming its note, the header's pictograms explained once, the action's
own pictogram, and erasing that takes the name however it is typed."""

from __future__ import annotations

import re

import pytest
from browser import open_app, type_into
from conftest import AppServer, one_kompas
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The focused element, where it is, and the scrolling area it sits in (None for the header and "Voorlezen").
FOCUSED = """(() => {
  const node = document.activeElement;
  if (!node || node === document.body) return null;
  let area = node.parentElement;
  while (area && !['scroll', 'auto'].includes(getComputedStyle(area).overflowY)) area = area.parentElement;
  const box = node.getBoundingClientRect(), room = area ? area.getBoundingClientRect() : null;
  return {name: node.getAttribute('aria-label') || node.textContent, tag: node.tagName, top: box.top,
          bottom: box.bottom, areaTop: room && room.top, areaBottom: room && Math.min(room.bottom, innerHeight)};
})()"""


def in_view(focused: dict) -> bool:
    return focused["areaTop"] is None or (focused["top"] >= focused["areaTop"] - 1
                                          and focused["bottom"] <= focused["areaBottom"] + 1)


def test_the_keyboard_reaches_every_control_at_home_and_the_view_follows_it(chromium, demo_app):
    page, _ = open_app(chromium, demo_app.link())
    page.get_by_role("button", name="Begrepen").click()  # the hint about the header, once per device
    reached, off_screen = [], []
    def round_the_page() -> bool:
        """Its last button reached, and after it the first again."""
        return "Over deze app" in reached and "Hoe gaat het?" in reached[reached.index("Over deze app"):]

    # Round the whole page and back to its first button: ever further, so as many stops as it takes (at most 80).
    # (The first Tab may find the focus on "Hoe gaat het?" already, and leave it there.)
    while not round_the_page() and len(reached) < 80:
        before = page.evaluate("document.activeElement && document.activeElement.id")
        page.keyboard.press("Tab")
        # Flutter moves the focus itself, a moment later on a loaded machine: the next Tab only once it has moved,
        # or two Tabs land as one and a control is skipped.
        for _ in range(30):
            if page.evaluate("document.activeElement && document.activeElement.id") != before:
                break
            page.wait_for_timeout(100)
        focused = None
        # The view follows in Flutter's own steps: wait for it, up to three seconds per stop.
        for _ in range(30):
            focused = page.evaluate(FOCUSED)
            if focused is None or in_view(focused):
                break
            page.wait_for_timeout(100)
        if focused is None:
            reached.append(None)
            continue
        reached.append(focused["name"])
        if not in_view(focused):
            off_screen.append(focused)
    assert off_screen == [], "focus landed off screen and the view did not follow"
    # The starred notes, a way into their condition, are reached like any other button.
    starred = [name for name in reached if name and name.startswith("Ik kan goed koken, vooral soep: openen bij Jezelf zijn")]
    assert starred, reached
    # And the whole page went by: its last button, and then round to its first again.
    assert round_the_page(), reached


def test_every_star_names_its_note_and_a_starred_note_at_home_opens_its_condition(chromium, demo_app):
    page, _ = open_app(chromium, demo_app.link("/kompas/meedoen"), viewport={"width": 390, "height": 3000})
    tree = page.locator("body").aria_snapshot()
    stars = re.findall(r"button \"((?:Geef een ster|Ster weghalen): [^\"]*)\"", tree)
    assert "Ster weghalen: Werken is belangrijk voor mij" in stars
    assert "Geef een ster: Ik spreek Arabisch en een beetje Nederla" in stars  # a long note by its first 40 letters
    assert len(stars) == len(set(stars)) == 4, stars
    assert "Geef een ster: belangrijk voor mij" not in tree

    page.get_by_role("button", name="Terug naar mijn kompas").click()
    page.get_by_role("button", name="Werken is belangrijk voor mij: openen bij Meedoen").click()
    expect(page.get_by_role("button", name="Geef een ster: Ik spreek Arabisch")).to_be_visible()


def test_the_headers_pictograms_are_explained_once_and_the_action_has_its_own(chromium, demo_app):
    page, _ = open_app(chromium, demo_app.link())
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.reload()
    from browser import enable_semantics

    enable_semantics(page)
    hint = page.get_by_role("group").filter(has=page.get_by_role("button", name="Begrepen"))
    for word in ("Taal kiezen", "Snel verbergen", "Op slot doen"):
        expect(hint.get_by_text(word, exact=True)).to_be_visible()
    # The action card shows its own pictogram, beside "Mijn actie".
    assert any(re.search(r"/pictograms/actie\.(svg|png)$", url) for url in asked), asked
    page.get_by_role("button", name="Begrepen").click()
    expect(page.get_by_role("button", name="Begrepen")).to_have_count(0)
    # Read once on this device: not again after a reload, nor on another screen.
    page.reload()
    enable_semantics(page)
    expect(page.get_by_role("button", name="Hoe gaat het?")).to_be_visible()
    expect(page.get_by_role("button", name="Begrepen")).to_have_count(0)


def test_erasing_takes_the_name_whatever_its_case_and_however_its_letters_were_typed(chromium, tmp_path):
    data = tmp_path / "data"
    folder = one_kompas(data, "Zoë")
    with AppServer(data) as server:
        page, _ = open_app(chromium, server.link("/instellingen"), viewport={"width": 390, "height": 2000})
        # Typed in capitals, the ë as an e and a separate accent, as some keyboards send it.
        type_into(page, "Typ ter bevestiging de naam: Zoë", "ZOE\u0308")
        page.get_by_role("button", name="Dit kompas wissen").click()
        expect(page.get_by_text("Een nieuw kompas").last).to_be_visible(timeout=15_000)
        assert not folder.exists()
