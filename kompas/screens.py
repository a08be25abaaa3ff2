"""What each screen shows, computed from the kompas without Flet: routes, layout and view-state."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from kompas.model import Action, Condition, Kompas, Note, Step

__all__ = [
    "COMPASS_POINTS",
    "ActionSummary",
    "ConditionTile",
    "HomeState",
    "Layout",
    "Screen",
    "ScreenKind",
    "StepSection",
    "condition_sections",
    "home_state",
    "layout_for",
]

# Where each condition stands on the compass, clockwise from the top.
COMPASS_POINTS: tuple[Condition, ...] = (
    Condition.JEZELF_ZIJN,
    Condition.ERTOE_DOEN,
    Condition.MEEDOEN,
    Condition.ERBIJ_HOREN,
)

# From this width a tablet or laptop sits beside the client: compass and open page side by side.
WIDE_FROM = 840


class Layout(enum.Enum):
    PHONE = "phone"
    WIDE = "wide"


def layout_for(width: float | None) -> Layout:
    return Layout.WIDE if width and width >= WIDE_FROM else Layout.PHONE


class ScreenKind(enum.Enum):
    HOME = "home"
    CONDITION = "condition"
    ACTION = "action"
    POSTER = "poster"
    CHECK_IN = "check_in"
    LOOK_BACK = "look_back"
    TIMELINE = "timeline"
    ALBUM = "album"
    ABOUT = "about"
    SETTINGS = "settings"
    TAKE_ALONG = "take_along"


_PATHS = {
    ScreenKind.ABOUT: "over",
    ScreenKind.POSTER: "poster",
    ScreenKind.CHECK_IN: "hoe-gaat-het",
    ScreenKind.LOOK_BACK: "terugkijken",
    ScreenKind.TIMELINE: "koers",
    ScreenKind.ALBUM: "plakboek",
    ScreenKind.SETTINGS: "instellingen",
    ScreenKind.TAKE_ALONG: "meenemen",
}


@dataclass(frozen=True)
class Screen:
    """One place in the app, with the URL path that leads to it, so reload keeps you there."""

    kind: ScreenKind
    condition: Condition | None = None

    @classmethod
    def parse(cls, route: str | None) -> Screen:
        parts = [p for p in (route or "/").split("?")[0].split("/") if p]
        conditions = {c.value: c for c in Condition}
        if len(parts) == 2 and parts[0] == "kompas" and parts[1] in conditions:
            return cls(ScreenKind.CONDITION, conditions[parts[1]])
        if parts == ["actie"]:
            return cls(ScreenKind.ACTION)
        # An action chosen from a condition's page starts with that condition picked.
        if len(parts) == 2 and parts[0] == "actie" and parts[1] in conditions:
            return cls(ScreenKind.ACTION, conditions[parts[1]])
        for kind, path in _PATHS.items():
            if parts == [path]:
                return cls(kind)
        return cls(ScreenKind.HOME)

    @property
    def route(self) -> str:
        if self.kind is ScreenKind.CONDITION and self.condition:
            return f"/kompas/{self.condition.value}"
        if self.kind is ScreenKind.ACTION:
            return f"/actie/{self.condition.value}" if self.condition else "/actie"
        return f"/{_PATHS[self.kind]}" if self.kind in _PATHS else "/"


@dataclass(frozen=True)
class ConditionTile:
    condition: Condition
    note_count: int
    starred_count: int
    serves_action: bool


@dataclass(frozen=True)
class ActionSummary:
    action: Action
    look_back: date
    days_left: int
    checkins: int = 0
    done: bool = False


@dataclass(frozen=True)
class HomeState:
    tiles: tuple[ConditionTile, ...]
    action: ActionSummary | None
    wish: str
    starred: tuple[Note, ...]


def home_state(kompas: Kompas, today: date) -> HomeState:
    action = None
    if kompas.action:
        look_back = date.fromisoformat(kompas.action.look_back)
        action = ActionSummary(kompas.action, look_back, (look_back - today).days, len(kompas.checkins), kompas.done)
    tiles = tuple(
        ConditionTile(
            condition=c,
            note_count=len(kompas.notes_in(c)),
            starred_count=sum(n.starred for n in kompas.notes_in(c)),
            serves_action=bool(kompas.action and kompas.action.condition is c),
        )
        for c in COMPASS_POINTS
    )
    return HomeState(tiles=tiles, action=action, wish=kompas.wish, starred=tuple(kompas.starred()))


@dataclass(frozen=True)
class StepSection:
    step: Step
    notes: tuple[Note, ...]


def condition_sections(kompas: Kompas, condition: Condition) -> tuple[StepSection, ...]:
    return tuple(StepSection(step, tuple(kompas.notes_at(condition, step))) for step in Step)
