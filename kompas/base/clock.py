"""The one clock the app reads (today, the time now, wall seconds, a steady count), which tests can set and move."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta

__all__ = ["now", "today", "wall", "steady", "stamp", "shifted"]

# How far the app's clock is from the system's. Zero in use; tests move it (see `shifted`), so that a date a test
# fixes and the dates the app itself reads are the same days. CI runs the whole suite once more with
# KOMPAS_DAYS_AHEAD=365: a test that mixes the system's calendar with the app's then fails at once. (Not libfaketime:
# it moves the steady clock but not the kernel's timed waits on it, so a thread's Event.wait(0.02) sleeps a year.)
_shift = timedelta(days=int(os.environ.get("KOMPAS_DAYS_AHEAD", "0") or 0))


def now() -> datetime:
    """The local time now, as a naive datetime (what the kompas stores: "2026-11-22T10:15:00")."""
    return _moment()


def _moment() -> datetime:
    return datetime.now() + _shift


def today() -> date:
    return now().date()


def wall() -> float:
    """Seconds since the epoch: for waits that must survive a restart (the PIN's lockout)."""
    return time.time() + _shift.total_seconds()


def steady() -> float:
    """Seconds from an arbitrary start that never jump back: for idle times and code lifetimes."""
    return time.monotonic() + _shift.total_seconds()


def stamp(day: date) -> float:
    """The wall-clock seconds a file changed on `day` is stamped with: `day` at this moment's time of day.

    The app's day, not the system's, names a change: a backup is named after the day the app said it was.
    """
    return datetime.combine(day, _moment().time()).timestamp()


@contextlib.contextmanager
def shifted(to: datetime | date) -> Iterator[None]:
    """Inside this block the app's clock reads `to` (a date: that day at this moment's time), then runs on."""
    global _shift
    before = _shift
    target = to if isinstance(to, datetime) else datetime.combine(to, datetime.now().time())
    _shift = target - datetime.now()
    try:
        yield
    finally:
        _shift = before
