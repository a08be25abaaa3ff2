"""Text a client is typing, stored at most twice a second and always on demand, so no letter is ever lost."""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from typing import Callable, Protocol

__all__ = ["DELAY", "Draft", "flush_all"]

log = logging.getLogger(__name__)

# One write per field per half second: fast typists cost a few writes, and at most
# half a second of typing is ever only on the screen.
DELAY = 0.5


class _Handle(Protocol):
    def cancel(self) -> None: ...


Schedule = Callable[[float, Callable[[], None]], _Handle]

# Every draft with words not yet stored, so a shutdown or a closed tab can store them all.
_unsaved: weakref.WeakSet[Draft] = weakref.WeakSet()
_unsaved_lock = threading.Lock()


def _schedule(delay: float, callback: Callable[[], None]) -> _Handle:
    """Run `callback` after `delay` on the event loop that handles the typing, or on a timer thread without one."""
    try:
        return asyncio.get_running_loop().call_later(delay, callback)
    except RuntimeError:
        timer = threading.Timer(delay, callback)
        timer.daemon = True
        timer.start()
        return timer


class Draft:
    """The latest text of one field, handed to `save` at most once per `delay`, and at once on `flush`.

    `save` returns True when the text is stored. When it is not (a full disk), the
    text stays pending: the next keystroke or flush tries again, and nothing is dropped.
    """

    def __init__(self, save: Callable[[str], bool], delay: float = DELAY, schedule: Schedule = _schedule):
        self._save = save
        self._delay = delay
        self._schedule = schedule
        self._text: str | None = None  # typed and not yet stored
        self._timer: _Handle | None = None
        self._lock = threading.RLock()

    @property
    def pending(self) -> bool:
        return self._text is not None

    def type(self, text: str) -> None:
        """The field now holds `text`; store it within `delay`, together with whatever follows it."""
        with self._lock:
            self._text = text
            with _unsaved_lock:
                _unsaved.add(self)
            if self._timer is None:
                self._timer = self._schedule(self._delay, self._on_time)

    def _on_time(self) -> None:
        with self._lock:
            self._timer = None
        self.flush()

    def flush(self) -> bool:
        """Store the pending text now; True when nothing typed is left unstored."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            text = self._text
            if text is None:
                return True
            try:
                stored = self._save(text)
            except Exception as error:  # noqa: BLE001
                # Keep the words: a failing save must never drop them or take the app down.
                # Only the kind of error is logged: its message could quote what was typed.
                log.warning("saving typed text failed (%s)", type(error).__name__)
                stored = False
            # Only what was saved is cleared: text typed meanwhile (from another thread) stays pending.
            if stored and self._text is text:
                self._text = None
                with _unsaved_lock:
                    _unsaved.discard(self)
            return stored

    def discard(self) -> None:
        """Forget the pending text, when the thing it belongs to is gone (a deleted note)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._text = None
            with _unsaved_lock:
                _unsaved.discard(self)


def flush_all() -> bool:
    """Store every pending draft, as when the server stops or a tab closes; True when all were stored."""
    with _unsaved_lock:
        drafts = list(_unsaved)
    return all([draft.flush() for draft in drafts])
