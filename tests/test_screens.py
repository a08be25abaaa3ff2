"""View-state computed without Flet: routes that survive a reload, the layout, and what home shows."""

from datetime import date

import pytest

from kompas.i18n import format_date
from kompas.model import Action, Condition, Kompas, Note, Step
from kompas.screens import (
    COMPASS_POINTS,
    Layout,
    Screen,
    ScreenKind,
    condition_sections,
    home_state,
    layout_for,
)

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize("screen", [
    *[Screen(kind) for kind in ScreenKind if kind is not ScreenKind.CONDITION],
    *[Screen(ScreenKind.CONDITION, c) for c in Condition],
    *[Screen(ScreenKind.ACTION, c) for c in Condition],
])
def test_every_screen_has_a_route_that_leads_back_to_it(screen):
    assert Screen.parse(screen.route) == screen


@pytest.mark.parametrize("route", ["/kompas/onbekend", "/kompas", "/iets", "", None, "/kompas/meedoen/extra"])
def test_an_unknown_route_leads_home(route):
    assert Screen.parse(route).kind is ScreenKind.HOME


def test_phones_get_one_screen_and_wider_screens_two_panels():
    assert layout_for(360) is Layout.PHONE
    assert layout_for(412) is Layout.PHONE
    assert layout_for(1024) is Layout.WIDE
    assert layout_for(None) is Layout.PHONE


def test_home_shows_the_four_conditions_the_action_and_the_stars():
    kompas = Kompas(
        notes=[Note(Condition.MEEDOEN, Step.KRACHTEN, "koken", starred=True),
               Note(Condition.MEEDOEN, Step.WAARDEN, "werk")],
        wish="Een eigen huis",
        action=Action("Een Stadspas aanvragen", Condition.MEEDOEN, "2026-12-05"),
    )
    state = home_state(kompas, TODAY)
    assert [t.condition for t in state.tiles] == list(COMPASS_POINTS) == list(Condition)
    meedoen = state.tiles[2]
    assert (meedoen.note_count, meedoen.starred_count, meedoen.serves_action) == (2, 1, True)
    assert state.action.days_left == 14
    assert [n.text for n in state.starred] == ["koken"]
    assert state.wish == "Een eigen huis"


def test_home_without_an_action_invites_one():
    assert home_state(Kompas(), TODAY).action is None


def test_a_condition_shows_all_five_steps_in_order():
    kompas = Kompas(notes=[Note(Condition.MEEDOEN, Step.INZET, "hulp bij brieven")])
    sections = condition_sections(kompas, Condition.MEEDOEN)
    assert [s.step for s in sections] == list(Step)
    assert [n.text for n in sections[-1].notes] == ["hulp bij brieven"]


def test_dates_read_as_people_say_them():
    assert format_date(date(2026, 12, 5), TODAY) == "5 december"
    assert format_date(date(2027, 1, 9), TODAY) == "9 januari 2027"
