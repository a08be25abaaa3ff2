"""What a page plays, watched from inside it: taps, every audio element's start and end, and the bytes that came.

Flutter draws on a canvas and its audio elements are never put in the document, so the page's own
`HTMLMediaElement.play` is wrapped before the app loads: each element that is asked to play reports when it really
starts ("playing"), when it ends, and when it fails, in `window.kompasSound`, on the page's own clock.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from playwright.sync_api import Page

__all__ = ["WATCH_SOUND", "Burners", "Bytes", "Heard", "heard"]

WATCH_SOUND = """
window.kompasSound = {taps: [], playing: [], ended: [], failed: [], paused: [], errors: [], errorScreen: false, errorAt: null};
document.addEventListener("pointerdown", () => kompasSound.taps.push(performance.now()), true);
const kompasPlay = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  if (!this.kompasWatched) {
    this.kompasWatched = true;
    const src = () => (this.currentSrc || this.src || "").slice(0, 40);
    this.addEventListener("playing", () => kompasSound.playing.push({at: performance.now(), src: src()}));
    this.addEventListener("ended", () => kompasSound.ended.push(performance.now()));
    this.addEventListener("pause", () => { if (!this.ended) kompasSound.paused.push(performance.now()); });
    // Let go of while it played (its source emptied): it stops, and says "emptied", not "pause".
    this.addEventListener("emptied", () => kompasSound.paused.push(performance.now()));
    this.addEventListener("error", () => {
      // An element let go of has its source emptied, which browsers report as an error: not a failed sound.
      if ((this.getAttribute("src") || "") !== "") kompasSound.failed.push(performance.now());
      kompasSound.errors.push({at: performance.now(), code: this.error && this.error.code,
                               message: this.error && this.error.message, src: src()});
    });
  }
  return kompasPlay.apply(this, arguments);
};
// Flet's own screen for an error in the app ("Error running app ..."), in English whatever the app speaks.
new MutationObserver(() => {
  const text = document.body ? document.body.innerText : "";
  const labels = Array.from(document.querySelectorAll("[aria-label]")).map(n => n.getAttribute("aria-label")).join(" ");
  if (!kompasSound.errorScreen && /Error running app|TimeoutException/.test(text + " " + labels)) {
    kompasSound.errorScreen = true;
    kompasSound.errorAt = performance.now();
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ["aria-label"]});
"""


@dataclass
class Heard:
    """What the page played, in milliseconds from one tap (before it: below zero)."""

    starts: list[float]
    ends: list[float]
    paused: list[float]
    failed: int
    error_screen: bool
    error_at: float | None = None

    @property
    def first(self) -> float | None:
        """The first sound that started after the tap."""
        return next((t for t in self.starts if t >= 0), None)

    def after(self, ms: float = 0) -> list[float]:
        """The sounds that started `ms` or later after the tap."""
        return [t for t in self.starts if t >= ms]

    def gaps(self) -> list[float]:
        """The silences between one sound's end and the next one's start, after the tap."""
        return [min(s for s in self.starts if s >= end) - end for end in self.ends
                if end >= 0 and any(s >= end for s in self.starts)]

    def playing_at(self, ms: float) -> bool:
        """Whether a sound was playing `ms` after the tap: a start before it not yet followed by an end or a pause."""
        events = sorted([(t, 1) for t in self.starts] + [(t, -1) for t in self.ends + self.paused])
        running = 0
        for t, step in events:
            if t > ms:
                break
            running = max(0, running + step)
        return running > 0


def heard(page: Page, tap: int = -1, since: float | None = None) -> Heard:
    """The sounds the page played, timed from its `tap`-th tap (the last by default), or from `since` on the page's
    own clock (performance.now(), for a moment that was no tap: the browser's back)."""
    state = page.evaluate("window.kompasSound")
    zero = since if since is not None else state["taps"][tap] if state["taps"] else 0

    def since(times):
        return [t - zero for t in times]

    return Heard(since([p["at"] for p in state["playing"]]), since(state["ended"]), since(state["paused"]),
                 len([t for t in state["failed"] if t >= zero]), state["errorScreen"],
                 state["errorAt"] - zero if state["errorAt"] is not None else None)


class Bytes:
    """Bytes that came to a page over its websocket, and over HTTP as sound files; counted from `start()` on.

    Made before the page opens, so that its websocket is watched from the first frame."""

    def __init__(self, page: Page):
        self.websocket = 0
        self.http = 0
        self.largest_message = 0
        self.sizes: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("response", self._response)

    def start(self) -> None:
        self.websocket = self.http = self.largest_message = 0
        self.sizes = []

    @property
    def total(self) -> int:
        return self.websocket + self.http

    def _frame(self, payload) -> None:
        self.websocket += len(payload)
        self.largest_message = max(self.largest_message, len(payload))

    def _response(self, response) -> None:
        if "audio" not in (response.headers.get("content-type") or "") or not response.ok:
            return
        try:
            size = len(response.body())
        except Exception:  # noqa: BLE001 - a response the page dropped (a sound stopped) has no body to count
            return
        self.http += size
        self.sizes.append(size)
        self.largest_message = max(self.largest_message, size)


class Burners:
    """Two processes that keep both cores busy: a cheap phone, a loaded laptop. Stopped by their own ids."""

    def __init__(self, count: int = 2):
        self.count = count
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Burners:
        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(self.count)]
        return self

    def __exit__(self, *_exc) -> None:
        for proc in self.procs:
            proc.kill()
            proc.wait()
