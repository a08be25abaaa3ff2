"""View-state computed without Flet: routes that survive a reload, the layout, and what home shows."""

from dataclasses import replace
from datetime import date

import pytest

from kompas.domain.model import (
    Action,
    CheckIn,
    Condition,
    Kompas,
    LookBack,
    Mood,
    Note,
    Period,
    Photo,
    Step,
    default_look_back,
)
from kompas.i18n import format_date
from kompas.screens.action import ActionForm, action_form
from kompas.screens.registry import SCREENS, read_aloud, route_of, screen_at, title_of
from kompas.screens.state import (
    COMPASS_POINTS,
    Layout,
    Screen,
    ScreenKind,
    condition_sections,
    home_state,
    layout_for,
    photo_places,
)

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize("screen", [
    *[Screen(kind) for kind in ScreenKind if kind is not ScreenKind.CONDITION],
    *[Screen(ScreenKind.CONDITION, c) for c in Condition],
    *[Screen(ScreenKind.ACTION, c) for c in Condition],
])
def test_every_screen_has_a_route_that_leads_back_to_it(screen):
    assert screen_at(route_of(screen)) == screen


@pytest.mark.parametrize("route", ["/kompas/onbekend", "/kompas", "/iets", "", None, "/kompas/meedoen/extra"])
def test_an_unknown_route_leads_home(route):
    assert screen_at(route).kind is ScreenKind.HOME


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


def _photo(about: str, added: str = "2026-11-06T10:00:00", caption: str = "") -> Photo:
    return Photo(file=f"photos/{about}.jpg", thumb=f"photos/{about}-klein.jpg", added=added, about=about,
                 caption=caption)


def test_each_photo_shows_where_it_was_pasted_and_home_counts_them_per_condition():
    action = Action("Een Stadspas aanvragen", Condition.MEEDOEN, "2026-12-05", chosen="2026-11-20")
    photos = [_photo("meedoen"), _photo("meedoen/krachten"), _photo("meedoen/waarden"), _photo("erbij_horen"),
              _photo("actie", added="2026-11-21T09:00:00"), _photo("kompas"), _photo("checkin")]
    kompas = Kompas(action=action, photos=photos)
    sections = condition_sections(kompas, Condition.MEEDOEN)
    assert [p.about for p in sections[1].photos] == ["meedoen/krachten"]
    assert [p.about for p in sections[2].photos] == ["meedoen/waarden"]
    assert [p.about for p in kompas.photos_at("meedoen")] == ["meedoen"]
    state = home_state(kompas, TODAY)
    assert {t.condition: t.photo_count for t in state.tiles} == {
        Condition.JEZELF_ZIJN: 0, Condition.ERTOE_DOEN: 0, Condition.MEEDOEN: 3, Condition.ERBIJ_HOREN: 1}
    assert [p.about for p in state.action.photos] == ["actie"]


def test_the_plakboek_says_where_each_photo_belongs():
    checked_in = CheckIn(Mood.GOED, "2026-12-03", photo="c")
    earlier = CheckIn(Mood.LASTIG, "2026-10-02", photo="p")
    period = Period(Action("Mijn zus bellen", Condition.ERBIJ_HOREN, "2026-10-05", chosen="2026-09-20"), (earlier,),
                    False, LookBack("", "", "", "2026-10-05"), id="periode")
    photos = [replace(_photo("meedoen/krachten"), id="s"), replace(_photo("ertoe_doen"), id="v"),
              replace(_photo("actie"), id="a"), replace(_photo("actie/periode"), id="o"),
              replace(_photo("checkin"), id="c"), replace(_photo("checkin"), id="p"),
              replace(_photo("checkin"), id="x"), replace(_photo("kompas", caption="Op de fiets"), id="k")]
    kompas = Kompas(action=Action("Een Stadspas aanvragen", Condition.MEEDOEN, "2026-12-05"), checkins=[checked_in],
                    periods=[period], photos=photos)
    assert photo_places(kompas, TODAY) == {
        "s": "Meedoen · Krachten en bronnen", "v": "Ertoe doen", "a": "Actie", "o": "Actie",
        "c": "Hoe gaat het? 3 december", "p": "Hoe gaat het? 2 oktober",
        "x": "Hoe gaat het?",  # a photo added on a check-in that was never saved
        "k": "Foto van 6 november",  # pasted in the plakboek itself: by its date (its caption says the rest)
    }


def test_dates_read_as_people_say_them():
    assert format_date(date(2026, 12, 5), TODAY) == "5 december"
    assert format_date(date(2027, 1, 9), TODAY) == "9 januari 2027"



def test_the_action_form_starts_blank_with_the_condition_it_was_opened_from():
    form = action_form(Kompas(), TODAY, Condition.ERBIJ_HOREN)
    assert form == ActionForm(None, "", Condition.ERBIJ_HOREN, "", "", default_look_back(TODAY))


def test_the_action_form_changes_the_action_there_is_from_its_own_words():
    action = Action("Een Stadspas aanvragen", Condition.MEEDOEN, "2026-12-05", helper="Sam", first_step="Bellen")
    kompas = Kompas(action=action)
    for suggested in (None, Condition.MEEDOEN):
        form = action_form(kompas, TODAY, suggested)
        assert (form.current, form.text, form.condition, form.helper, form.first_step, form.look_back) == (
            action, "Een Stadspas aanvragen", Condition.MEEDOEN, "Sam", "Bellen", date(2026, 12, 5))
    # Another condition's action starts blank: the one there is stays as it is until this one is chosen.
    assert action_form(kompas, TODAY, Condition.JEZELF_ZIJN).current is None
    assert action_form(kompas, TODAY, Condition.JEZELF_ZIJN).text == ""


def test_the_action_form_never_offers_a_look_back_day_gone_by():
    kompas = Kompas(action=Action("Een Stadspas aanvragen", Condition.MEEDOEN, "2026-11-01"))
    assert action_form(kompas, TODAY, None).look_back == TODAY


def test_every_screen_has_its_row_with_a_route_a_title_and_words_and_a_view():
    from kompas.ui.views import VIEWS

    for kind in ScreenKind:
        screen = Screen(kind, Condition.MEEDOEN if kind is ScreenKind.CONDITION else None)
        assert route_of(screen).startswith("/") and title_of(screen) and read_aloud(screen, Kompas(), TODAY)
        # Home is the compass itself; every other screen has a view of its own.
        assert (kind in VIEWS) is (kind is not ScreenKind.HOME), kind
    assert len({info.path for info in SCREENS.values()}) == len(SCREENS), "each screen its own route"


def test_a_screen_is_called_by_its_title_and_a_condition_page_by_its_condition():
    assert title_of(Screen(ScreenKind.CONDITION, Condition.ERBIJ_HOREN)) == "Erbij horen"
    assert title_of(Screen(ScreenKind.ACTION, Condition.ERBIJ_HOREN)) == "Mijn actie"
    assert title_of(Screen(ScreenKind.TAKE_ALONG)) == "Kopie en meenemen"
    assert title_of(Screen(ScreenKind.HOME)) == "Mijn kompas"
    assert [route_of(Screen(ScreenKind.ACTION)), route_of(Screen(ScreenKind.ACTION, Condition.MEEDOEN)),
            route_of(Screen(ScreenKind.CONDITION, Condition.MEEDOEN)), route_of(Screen(ScreenKind.HOME))] == [
        "/actie", "/actie/meedoen", "/kompas/meedoen", "/"]
