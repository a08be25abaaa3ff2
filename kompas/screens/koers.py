"""What "Mijn koers" shows of the earlier periods, without Flet: which periods come first, and what grew in each."""

from __future__ import annotations

from kompas.domain.model import Kompas, Period, Step

__all__ = ["newest_first", "strengths_grown"]


def strengths_grown(kompas: Kompas, period: Period) -> list[str]:
    """The strengths written down while this period ran, from the day its action was chosen to the day it was
    looked back on, both included, in the order they were written: what grew. A strength only spoken, without
    words, has nothing to show in a line of words."""
    start, end = period.action.chosen or period.look_back.day, period.look_back.day
    return [note.text for note in kompas.notes
            if note.step is Step.KRACHTEN and note.text and start <= note.created[:10] <= end]


def newest_first(kompas: Kompas, shown: int) -> tuple[list[Period], int]:
    """The `shown` most recent periods, newest first, and how many earlier ones are not shown yet.

    Only these are looked at: five years hold 130 periods, and the screen builds a few at a time.
    """
    periods = kompas.periods
    first = periods[max(0, len(periods) - shown):][::-1]
    return first, len(periods) - len(first)
