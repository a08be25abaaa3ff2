"""Mijn koers without Flet: which periods show first, and the strengths that grew while each one ran."""

from __future__ import annotations

from kompas.domain.model import Action, Condition, Kompas, LookBack, Note, Period, Step, Voice
from kompas.screens.koers import newest_first, strengths_grown


def _period(chosen: str, looked_back: str, text: str = "Mijn zus bellen") -> Period:
    return Period(Action(text, Condition.ERBIJ_HOREN, looked_back, chosen=chosen), (), False,
                  LookBack("", "", "", looked_back))


def _strength(text: str, created: str, step: Step = Step.KRACHTEN, voice: Voice | None = None) -> Note:
    return Note(Condition.MEEDOEN, step, text, created=created, voice=voice)


def test_the_strengths_written_while_a_period_ran_grew_in_it():
    period = _period("2026-03-02", "2026-03-16")
    kompas = Kompas(notes=[
        _strength("Ik kan goed koken", "2026-03-01T23:59:59"),  # the day before the action was chosen
        _strength("Ik vraag om hulp", "2026-03-02T08:00:00"),  # the day it was chosen
        _strength("Mijn buurvrouw helpt mij", "2026-03-09T12:00:00", step=Step.WAARDEN),  # not a strength
        _strength("أنا أطبخ جيدا", "2026-03-10T12:00:00"),
        _strength("", "2026-03-11T12:00:00", voice=Voice("a", 4.0)),  # only spoken: no words to show
        _strength("Ik houd vol", "2026-03-16T21:00:00"),  # the day it was looked back on
        _strength("Ik fiets naar mijn werk", "2026-03-17T07:00:00"),  # the day after
    ])
    assert strengths_grown(kompas, period) == ["Ik vraag om hulp", "أنا أطبخ جيدا", "Ik houd vol"]


def test_a_period_without_a_day_chosen_counts_from_its_look_back_only():
    # Actions from before the day was kept: only what was written on the day of the look-back grew in it.
    period = _period("", "2026-03-16")
    kompas = Kompas(notes=[_strength("Ik kan goed koken", "2026-03-15T10:00:00"),
                           _strength("Ik houd vol", "2026-03-16T10:00:00")])
    assert strengths_grown(kompas, period) == ["Ik houd vol"]


def test_nothing_grew_without_strengths():
    assert strengths_grown(Kompas(), _period("2026-03-02", "2026-03-16")) == []


def test_the_newest_periods_come_first_and_the_rest_is_counted():
    periods = [_period("2026-01-01", "2026-01-14", f"Actie {n}") for n in range(1, 6)]
    kompas = Kompas(periods=periods)
    first, left = newest_first(kompas, 2)
    assert [p.action.text for p in first] == ["Actie 5", "Actie 4"] and left == 3
    assert newest_first(kompas, 5) == (periods[::-1], 0)
    assert newest_first(kompas, 9) == (periods[::-1], 0)
    assert newest_first(kompas, 0) == ([], 5)
    assert newest_first(Kompas(), 2) == ([], 0)
