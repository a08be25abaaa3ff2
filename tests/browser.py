"""Driving the app in a real Chromium as a person does: open it, turn on its accessibility tree, type and wait."""

from __future__ import annotations

from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def open_app(browser, url: str, viewport=PHONE) -> tuple[Page, list[str]]:
    """The app in a fresh browser context, with the requests that left this device."""
    page = browser.new_context(viewport=viewport).new_page()
    left: list[str] = []
    local = ("http://127.0.0.1:", "http://localhost:", "ws://127.0.0.1:", "data:", "blob:")
    # The server's Content-Security-Policy stops some requests inside the browser; only the others leave.
    page.on("requestfinished", lambda r: None if r.url.startswith(local) else left.append(r.url))
    page.on("requestfailed", lambda r: None if r.url.startswith(local) or r.failure == "csp" else left.append(r.url))
    page.goto(url)
    enable_semantics(page)
    return page, left


# Records every text that appears on the page, for checks that something was never shown.
SEEN_TEXT = """
window.kompasSeen = [];
new MutationObserver(changes => {
  for (const change of changes) {
    if (change.type === "characterData") window.kompasSeen.push(change.target.textContent);
    for (const node of change.addedNodes) window.kompasSeen.push(node.textContent || "");
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def open_watched(browser, url: str, viewport=PHONE) -> Page:
    """The app in a fresh context that writes down every text it ever shows, in window.kompasSeen."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(SEEN_TEXT)
    page = context.new_page()
    page.goto(url)
    enable_semantics(page)
    return page


def enable_semantics(page: Page) -> None:
    """Flutter draws on a canvas; this turns on the accessibility tree that screen readers and tests use."""
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
    page.locator("flt-semantics-placeholder").dispatch_event("click")
    page.wait_for_function("document.querySelectorAll('flt-semantics').length > 3", timeout=30_000)
    # Flutter rebuilds the accessibility tree just after it is turned on; text typed into (or a tap on) the first
    # tree is lost, as it would be for a screen reader in that instant.
    page.wait_for_timeout(400)
    settle(page)


def settle(page: Page) -> None:
    """Wait until Flutter's accessibility tree holds still: a rebuild gives its nodes new ids, and what is typed or
    tapped during one is lost. Same ids for 600 ms, or 10 s at most; on a loaded machine a rebuild takes seconds."""
    ids = "Array.from(document.querySelectorAll('flt-semantics')).map(n => n.id).join(',')"
    last, same_since = page.evaluate(ids), 0
    for _ in range(100):
        page.wait_for_timeout(100)
        now = page.evaluate(ids)
        same_since = same_since + 100 if now == last else 0
        last = now
        if same_since >= 600:
            return


def wait_until(page: Page, condition, timeout_ms: int = 10_000) -> None:
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the app did not store the change in time")


def type_into(page: Page, name: str, text: str) -> None:
    # The pointer off any button first. Left on a header button the last tap reached (the lock, where the door then
    # puts the language), that button's tooltip shows; the tap into the field hides it, and with the accessibility
    # tree on, Flutter then moves the screen's nodes in the page and the field loses its focus (seen under load).
    height = (page.viewport_size or {"height": 600})["height"]
    page.mouse.move(2, height - 2)
    # A line that just came in (a PIN refused, a hint) makes Flutter rebuild the tree: keys typed then are lost.
    settle(page)
    field = page.get_by_role("textbox", name=name)
    field.click()
    # Typed before the cursor is in the field (it may still be scrolling into view), the words would go nowhere.
    expect(field).to_be_focused()
    field.fill(text)
    # A person takes a moment between typing and tapping; a tap within the same
    # frame as the last keystroke can reach Flutter before the redraw it caused.
    page.wait_for_timeout(300)
    # And a person sees what they typed. The test types into Flutter's accessibility tree, not onto the screen: on
    # a loaded machine that tree may still have held a field Flutter had just replaced, and the words went nowhere
    # (the field on the screen stayed empty). Read back from the field as Flutter has it now, and type again if so.
    for _ in range(3):
        settle(page)
        if field_text(page, name) == text:
            return
        field = page.get_by_role("textbox", name=name)
        field.click()
        expect(field).to_be_focused()
        field.fill(text)
        page.wait_for_timeout(300)


def field_text(page: Page, name: str) -> str:
    """What a text field holds: Flutter fills the accessibility input only once the field has focus."""
    field = page.get_by_role("textbox", name=name)
    field.click()
    page.wait_for_timeout(300)
    return field.input_value()


def reopen(page: Page) -> None:
    """Reload the page at once, as a client closing and opening the tab would."""
    page.reload()
    enable_semantics(page)


def scroll_to(page: Page, locator, steps: int = 60):
    """Scroll the canvas with the mouse wheel until `locator` is on screen: Flutter only builds what is in view."""
    page.mouse.move(200, 400)
    for _ in range(steps):
        if locator.count() and locator.first.is_visible():
            return locator.first
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(150)
    page.screenshot(path="/tmp/kompas-scroll-failed.png")
    raise AssertionError(f"never scrolled into view: {locator}; the screen is in /tmp/kompas-scroll-failed.png")
