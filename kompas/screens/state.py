"""What each screen shows, computed from the kompas without Flet: which screen, the layout and view-state."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from kompas.domain.content import CONDITIONS, STEPS
from kompas.domain.model import ACTION_PHOTO, Action, Condition, Kompas, Note, Photo, Step
from kompas.i18n import _, format_date

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
    "photo_places",
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
    """Each screen inside a kompas, named once: all else about it is its row in kompas/screens/registry.py."""

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


@dataclass(frozen=True)
class Screen:
    """One place in the app; its route, title and words are in the table of screens (kompas/screens/registry.py)."""

    kind: ScreenKind
    condition: Condition | None = None


@dataclass(frozen=True)
class ConditionTile:
    condition: Condition
    note_count: int
    starred_count: int
    serves_action: bool
    photo_count: int = 0  # on the condition itself and on its steps


@dataclass(frozen=True)
class ActionSummary:
    action: Action
    look_back: date
    days_left: int
    checkins: int = 0
    done: bool = False
    photos: tuple[Photo, ...] = ()


# Stars home shows before "Alle ... laten zien": a client who stars more has a long card (44 stars after five years
# of use), and every row is drawn again each time home comes back.
STARS_ON_HOME = 8


@dataclass(frozen=True)
class HomeState:
    tiles: tuple[ConditionTile, ...]
    action: ActionSummary | None
    wish: str
    starred: tuple[Note, ...]

    @property
    def newest_starred(self) -> tuple[Note, ...]:
        """The starred notes home shows at first: all of them, or the STARS_ON_HOME written last."""
        return self.starred[-STARS_ON_HOME:]


def home_state(kompas: Kompas, today: date) -> HomeState:
    action = None
    if kompas.action:
        look_back = date.fromisoformat(kompas.action.look_back)
        action = ActionSummary(kompas.action, look_back, (look_back - today).days, len(kompas.checkins), kompas.done,
                               tuple(kompas.action_photos().get(None, [])))
    pasted: dict[str, int] = {}
    for photo in kompas.photos:
        place = photo.about.partition("/")[0]
        pasted[place] = pasted.get(place, 0) + 1
    tiles = tuple(
        ConditionTile(
            condition=c,
            note_count=len(kompas.notes_in(c)),
            starred_count=sum(n.starred for n in kompas.notes_in(c)),
            serves_action=bool(kompas.action and kompas.action.condition is c),
            photo_count=pasted.get(c.value, 0),
        )
        for c in COMPASS_POINTS
    )
    return HomeState(tiles=tiles, action=action, wish=kompas.wish, starred=tuple(kompas.starred()))


@dataclass(frozen=True)
class StepSection:
    step: Step
    notes: tuple[Note, ...]
    photos: tuple[Photo, ...] = ()


def condition_sections(kompas: Kompas, condition: Condition) -> tuple[StepSection, ...]:
    return tuple(StepSection(step, tuple(kompas.notes_at(condition, step)),
                             tuple(kompas.photos_at(f"{condition.value}/{step.value}"))) for step in Step)


def photo_places(kompas: Kompas, today: date) -> dict[str, str]:
    """Where each photo belongs, by its id, as the plakboek says it: "Meedoen · Krachten en bronnen", "Actie",
    "Hoe gaat het? 3 december"; a photo pasted in the plakboek itself by its date."""
    checked_in = {c.photo: c.day for c in kompas.checkins if c.photo}
    for period in kompas.periods:
        checked_in.update({c.photo: c.day for c in period.checkins if c.photo})
    conditions, steps = {c.value: c for c in Condition}, {s.value: s for s in Step}
    places = {}
    for photo in kompas.photos:
        place, _slash, part = photo.about.partition("/")
        if place in conditions and part in steps:
            where = _("{condition} · {step}", condition=_(CONDITIONS[conditions[place]].name),
                      step=_(STEPS[steps[part]].name))
        elif place in conditions and not part:
            where = _(CONDITIONS[conditions[place]].name)
        elif place == ACTION_PHOTO:
            where = _("Actie")
        elif place == "checkin" and photo.id in checked_in:
            where = _("Hoe gaat het? {date}", date=format_date(date.fromisoformat(checked_in[photo.id]), today))
        elif place == "checkin":
            where = _("Hoe gaat het?")
        else:
            where = _("Foto van {date}", date=format_date(date.fromisoformat(photo.added[:10]), today))
        places[photo.id] = where
    return places
