"""Every screen inside a kompas in one table (its route, title, and what "Voorlezen" reads there), and all they say."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Callable

from kompas.domain.content import CONDITIONS
from kompas.domain.model import (
    Action,
    CheckIn,
    Condition,
    Kompas,
    LookBack,
    Mood,
    Note,
    Paper,
    Period,
    Photo,
    PosterChoice,
    PosterItem,
    Step,
    Voice,
)
from kompas.domain.words import Spoken
from kompas.i18n import N_, _
from kompas.screens.readaloud import (
    ACTION_HINTS,
    OWN_WORDS_UNSPOKEN,
    DoorState,
    about_aloud,
    action_question_aloud,
    action_screen_aloud,
    album_aloud,
    check_in_aloud,
    condition_aloud,
    done_aloud,
    door_aloud,
    hidden_aloud,
    home_aloud,
    language_aloud,
    look_back_aloud,
    new_kompas_aloud,
    poster_aloud,
    said,
    settings_aloud,
    shelf_aloud,
    step_aloud,
    take_along_aloud,
    timeline_aloud,
)
from kompas.screens.state import Screen, ScreenKind

__all__ = [
    "SCREENS",
    "ConditionPart",
    "ScreenInfo",
    "Showing",
    "app_words",
    "read_aloud",
    "route_for",
    "route_of",
    "screen_at",
    "title_of",
]


class ConditionPart(enum.Enum):
    """Whether a screen's route names a condition after its own part: "/kompas/meedoen", "/actie" or "/actie/meedoen"."""

    NONE = "none"
    MAY = "may"
    MUST = "must"


@dataclass(frozen=True)
class Showing:
    """What a screen is read from: the screen itself, the kompas, the day, and its door (settings, take-along)."""

    screen: Screen
    kompas: Kompas
    today: date
    door: DoorState


@dataclass(frozen=True)
class ScreenInfo:
    """One screen: the first part of its route, its title (a msgid; None: its condition's name), and what it reads."""

    path: str
    title: str | None
    aloud: Callable[[Showing], list[Spoken]]
    condition: ConditionPart = ConditionPart.NONE


def _condition_page_aloud(on: Showing) -> list[Spoken]:
    condition = on.screen.condition
    return condition_aloud(on.kompas, condition) if condition else home_aloud(on.kompas, on.today)


# A new screen is one row here (and its view in kompas/ui/views.py). The order is that of the neutral routes ("/p/3"):
# new rows go at the end, so an address in a browser's history still leads where it did.
SCREENS: dict[ScreenKind, ScreenInfo] = {
    ScreenKind.HOME: ScreenInfo("", N_("Mijn kompas"), lambda on: home_aloud(on.kompas, on.today)),
    ScreenKind.CONDITION: ScreenInfo("kompas", None, _condition_page_aloud, ConditionPart.MUST),
    ScreenKind.ACTION: ScreenInfo("actie", N_("Mijn actie"),
                                  lambda on: action_screen_aloud(on.kompas, on.today, on.screen.condition),
                                  ConditionPart.MAY),
    ScreenKind.ABOUT: ScreenInfo("over", N_("Over deze app"), lambda on: about_aloud()),
    ScreenKind.POSTER: ScreenInfo("poster", N_("Poster"), lambda on: poster_aloud(on.kompas.poster)),
    ScreenKind.CHECK_IN: ScreenInfo("hoe-gaat-het", N_("Hoe gaat het?"), lambda on: check_in_aloud(on.kompas)),
    ScreenKind.LOOK_BACK: ScreenInfo("terugkijken", N_("Terugkijken"), lambda on: look_back_aloud(on.kompas)),
    ScreenKind.TIMELINE: ScreenInfo("koers", N_("Mijn koers"), lambda on: timeline_aloud(on.kompas, on.today)),
    ScreenKind.ALBUM: ScreenInfo("plakboek", N_("Mijn plakboek"), lambda on: album_aloud(on.kompas, on.today)),
    ScreenKind.SETTINGS: ScreenInfo("instellingen", N_("Slot en wissen"), lambda on: settings_aloud(on.door)),
    ScreenKind.TAKE_ALONG: ScreenInfo("meenemen", N_("Kopie en meenemen"),
                                      lambda on: take_along_aloud(on.door, on.today)),
}


def title_of(screen: Screen) -> str:
    """The screen's title, in the screen's language: a condition's page is called by its condition."""
    if screen.kind is ScreenKind.CONDITION and screen.condition:
        return _(CONDITIONS[screen.condition].name)
    return _(SCREENS[screen.kind].title or N_("Mijn kompas"))


def read_aloud(screen: Screen, kompas: Kompas, today: date, door: DoorState | None = None) -> list[Spoken]:
    """The words of `screen`, in the order a client sees them, warnings first."""
    return SCREENS[screen.kind].aloud(Showing(screen, kompas, today, door or DoorState()))


def route_of(screen: Screen) -> str:
    """The URL path that leads to `screen`, so that a reload keeps the client there."""
    info = SCREENS[screen.kind]
    if info.condition is ConditionPart.NONE or screen.condition is None:
        return f"/{info.path}"
    return f"/{info.path}/{screen.condition.value}"


def screen_at(route: str | None) -> Screen:
    """The screen `route` leads to; home for a route that leads nowhere."""
    parts = [p for p in (route or "/").split("?")[0].split("/") if p]
    if len(parts) == 2 and parts[0] == _NEUTRAL and parts[1].isdecimal():
        screens = _every_screen()
        number = int(parts[1])
        return screens[number] if 0 < number < len(screens) else Screen(ScreenKind.HOME)
    conditions = {c.value: c for c in Condition}
    for kind, info in SCREENS.items():
        if not parts or parts[0] != info.path:
            continue
        if len(parts) == 1 and info.condition is not ConditionPart.MUST:
            return Screen(kind)
        # A screen opened from a condition's page starts with that condition: an action for it, say.
        if len(parts) == 2 and parts[1] in conditions and info.condition is not ConditionPart.NONE:
            return Screen(kind, conditions[parts[1]])
    return Screen(ScreenKind.HOME)


def route_for(screen: Screen, discreet: bool) -> str:
    """The route, or for a discreet kompas one that says nothing ("/p/3"): a browser's history is as visible as its
    screen."""
    if not discreet or screen.kind is ScreenKind.HOME:
        return route_of(screen)
    screens = _every_screen()
    return f"/{_NEUTRAL}/{screens.index(screen)}" if screen in screens else "/"


# The first part of a route that says nothing; the number after it is the screen's place in _every_screen().
_NEUTRAL = "p"


def _every_screen() -> tuple[Screen, ...]:
    """Every screen a route can lead to, in a fixed order, home first: a neutral route is a number into this."""
    screens: list[Screen] = []
    for kind, info in SCREENS.items():
        if info.condition is not ConditionPart.MUST:
            screens.append(Screen(kind))
        if info.condition is not ConditionPart.NONE:
            screens += [Screen(kind, c) for c in Condition]
    return tuple(screens)



def _sample_kompas(today: date) -> Kompas:
    """A kompas with one of everything a screen can show, so that every branch of every screen is read."""
    voice = Voice(id="0" * 32, seconds=3)
    notes = [Note(c, s, "x", starred=True, voice=voice if s is Step.KRACHTEN else None) for c in Condition
             for s in Step] + [Note(Condition.MEEDOEN, Step.WAARDEN, "", voice=voice)]
    action = Action("x", Condition.MEEDOEN, (today + timedelta(days=5)).isoformat(), helper="x", first_step="x",
                    chosen=today.isoformat(), voice=voice)
    checkins = tuple(CheckIn(mood, today.isoformat(), note="x", voice=voice) for mood in Mood)
    period = Period(action, checkins, True, LookBack("x", "x", "x", today.isoformat(), voice=voice))
    photo = Photo(file="photos/x.jpg", thumb="photos/x-klein.jpg", added=f"{today.isoformat()}T10:00:00")
    return replace(Kompas(), notes=notes, action=action, checkins=list(checkins), done=True, wish="x",
                   periods=[period], photos=[photo])


def app_words(today: date, lock_options: tuple[int, ...], link_minutes: int) -> list[Spoken]:
    """Every piece of the app's own words that any screen, pop-up or speaker can say, in the current language.

    Found by reading every screen in every state it has (an empty kompas and a full one, each door, each choice),
    so a new screen or state is in the pack without a list to keep up; the client's words are never among them.
    """
    today_kompas, empty = _sample_kompas(today), Kompas()
    screens = _every_screen()
    doors = [DoorState(has_pin=pin, discreet=quiet, lock_minutes=m, can_pair=pair, link_minutes=link_minutes,
                       slow=slow, backup_days=days)
             for pin in (False, True) for quiet in (False, True) for m in lock_options for pair in (False, True)
             for slow in (False, True) for days in ((), (today, today - timedelta(days=1)))]
    choices = [PosterChoice(items=frozenset(items), paper=paper, dutch_labels=dutch)
               for items in ((), tuple(PosterItem)) for paper in Paper for dutch in (False, True)]
    pieces: list[Spoken] = []
    for kompas in (empty, today_kompas, *[replace(today_kompas, poster=choice) for choice in choices]):
        for screen in screens:
            for door in (doors if screen.kind in (ScreenKind.SETTINGS, ScreenKind.TAKE_ALONG) else doors[:1]):
                pieces += read_aloud(screen, kompas, today, door)
    for step in Step:
        pieces += step_aloud(step)
    pieces += action_question_aloud("x", tuple(ACTION_HINTS)) + action_question_aloud("x", ())
    pieces += done_aloud() + language_aloud() + new_kompas_aloud() + hidden_aloud()
    pieces += shelf_aloud([], True) + shelf_aloud([], False) + door_aloud("x", True) + door_aloud("x", False)
    # The titles of the screens before a kompas opens, and what stands where a client's words cannot be said.
    pieces += [said(N_("Kompas")), said(N_("Notities")), said(OWN_WORDS_UNSPOKEN)]
    seen, fixed = set(), []
    for piece in pieces:
        key = (piece.text, piece.language)
        if not piece.own and key not in seen:
            seen.add(key)
            fixed.append(piece)
    return fixed
