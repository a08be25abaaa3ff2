"""The Krachtkompas as plain data: four conditions, five steps, the client's notes, one wish and one action."""

from __future__ import annotations

import bisect
import enum
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from kompas.base import clock

__all__ = [
    "CheckIn",
    "LookBack",
    "Mood",
    "Period",
    "Photo",
    "Action",
    "ActionHint",
    "Condition",
    "Kompas",
    "Note",
    "Paper",
    "PosterChoice",
    "PosterItem",
    "Step",
    "Voice",
    "action_hints",
    "minutes",
    "default_look_back",
    "in_order",
    "photos_by_date",
    "new_id",
    "LOOK_BACK_DAYS",
    "MAX_KOMPAS_BYTES",
    "MAX_NOTES_PER_STEP",
    "MAX_TEXT",
    "MAX_VOICE_SECONDS",
    "VOICE_FOLDER",
    "VOICE_PLACES",
    "ACTION_PHOTO",
]

# Two weeks is the period the method suggests for one small step.
LOOK_BACK_DAYS = 14

# Long enough for anything a person writes on a worksheet, short enough that a
# pasted document does not end up in a note by accident.
MAX_TEXT = 2000

# Far more notes than one step of a worksheet needs, few enough that a screen shows them all at once.
MAX_NOTES_PER_STEP = 200

# The kompas file at most: a five-year kompas is 0.4 MB; this is 80 times that. A write that would make it bigger is
# refused, and so is a .kompas file holding a bigger one.
MAX_KOMPAS_BYTES = 32 * 2**20

# Three minutes: room to tell something in one's own words, and a file of about half a megabyte.
MAX_VOICE_SECONDS = 180

# Where a kompas keeps its voice notes, beside photos/: voice/<id>.ogg.
VOICE_FOLDER = "voice"


class Condition(str, enum.Enum):
    """The four conditions for a good life, in the order the kompas shows them."""

    JEZELF_ZIJN = "jezelf_zijn"
    ERTOE_DOEN = "ertoe_doen"
    MEEDOEN = "meedoen"
    ERBIJ_HOREN = "erbij_horen"


class Step(str, enum.Enum):
    """The five steps of the sailing metaphor, in the order they are worked through."""

    AANLEIDING = "aanleiding"
    KRACHTEN = "krachten"
    WAARDEN = "waarden"
    BELEMMERINGEN = "belemmeringen"
    INZET = "inzet"


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Voice:
    """Words the client spoke instead of wrote: a sound file of at most three minutes, kept on the device."""

    id: str
    seconds: float

    @property
    def file(self) -> str:
        """Where it is, relative to the kompas's folder: named by its id alone, so a name says nothing."""
        return f"{VOICE_FOLDER}/{self.id}.ogg"

    @property
    def length(self) -> str:
        """0:42, 2:05: how long it is."""
        return minutes(round(self.seconds))


def minutes(seconds: int) -> str:
    """A length of sound as minutes and seconds (0:42, 3:00), in digits every reader knows."""
    return f"{seconds // 60}:{seconds % 60:02d}"


# Where a voice note can wait for the form it was spoken on: the action, a check-in, the look-back.
VOICE_PLACES = ("actie", "checkin", "terugblik")

# A photo pasted on the current action says "actie"; the look-back that closes the period makes it
# "actie/<period id>", so Mijn koers shows it with that action and no other.
ACTION_PHOTO = "actie"


@dataclass(frozen=True)
class Note:
    """A few words the client wrote or spoke at one step of one condition, kept exactly as typed or said.

    A spoken note has its `voice`, and words only if the client also wrote some.
    """

    condition: Condition
    step: Step
    text: str
    starred: bool = False
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=lambda: clock.now().isoformat(timespec="seconds"))
    # Where the note stands among the others: a counter, because clocks can go back.
    order: int = 0
    voice: Voice | None = None


@dataclass(frozen=True)
class Action:
    """The one concrete thing the client will do in the coming period."""

    text: str
    condition: Condition
    look_back: str  # ISO date on which client and begeleider look back together
    helper: str = ""
    first_step: str = ""
    chosen: str = field(default_factory=lambda: clock.today().isoformat())
    voice: Voice | None = None  # the action in the client's own voice, beside the written words


class Mood(str, enum.Enum):
    """How it is going with the action, as one of three faces."""

    GOED = "goed"
    GAAT_WEL = "gaat_wel"
    LASTIG = "lastig"


@dataclass(frozen=True)
class CheckIn:
    """A moment between choosing and looking back: a face, and maybe a few words or a photo."""

    mood: Mood
    day: str  # ISO date
    note: str = ""
    photo: str | None = None  # a Photo's id
    id: str = field(default_factory=new_id)
    voice: Voice | None = None


@dataclass(frozen=True)
class LookBack:
    """The three questions that close a period, in the client's own words."""

    went_well: str
    learned: str
    helped: str
    day: str  # ISO date
    voice: Voice | None = None


@dataclass(frozen=True)
class Period:
    """One cycle of the method: an action, how it went, and the look-back that closed it."""

    action: Action
    checkins: tuple[CheckIn, ...]
    done: bool
    look_back: LookBack
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class Photo:
    """A photo the client added, cleaned on import; `about` says where it was pasted."""

    file: str  # relative to the data folder
    thumb: str
    added: str  # ISO date and time
    about: str = ""  # "kompas", a condition, "condition/step", "actie" (or "actie/<period id>") or "checkin"
    caption: str = ""
    on_poster: bool = False
    id: str = field(default_factory=new_id)


class PosterItem(str, enum.Enum):
    """What the client can put on the fridge poster, item by item."""

    STARRED = "starred"
    AANLEIDING = "aanleiding"
    KRACHTEN = "krachten"
    WAARDEN = "waarden"
    BELEMMERINGEN = "belemmeringen"
    INZET = "inzet"
    WISH = "wish"
    ACTION = "action"


class Paper(str, enum.Enum):
    A4 = "A4"
    A3 = "A3"


# Visitors see the fridge: what happened and what holds the client back stay off unless chosen.
PRIVATE_STEPS = frozenset({Step.AANLEIDING, Step.BELEMMERINGEN})
DEFAULT_POSTER_ITEMS = frozenset(
    {PosterItem.STARRED, PosterItem.KRACHTEN, PosterItem.WAARDEN, PosterItem.WISH, PosterItem.ACTION}
)


@dataclass(frozen=True)
class PosterChoice:
    """What the client chose to show on the poster; no name appears unless they type one."""

    items: frozenset[PosterItem] = DEFAULT_POSTER_ITEMS
    name: str = ""
    paper: Paper = Paper.A4
    # For the begeleider: on a poster in another language, each label also in Dutch, in small print.
    dutch_labels: bool = False

    def shows(self, note: Note) -> bool:
        """A note shows when its step is chosen, or when it is starred and its step is not a private one."""
        if PosterItem(note.step.value) in self.items:
            return True
        return note.starred and PosterItem.STARRED in self.items and note.step not in PRIVATE_STEPS


@dataclass(frozen=True)
class Kompas:
    """Everything the client wrote: notes per condition and step, the wish, the current action.

    A snapshot: the workbook puts a new one in place of the old on every change, and nobody
    changes one, so a screen or a poster drawn from it in another thread sees one moment whole.
    """

    notes: list[Note] = field(default_factory=list)
    wish: str = ""
    action: Action | None = None
    poster: PosterChoice = field(default_factory=PosterChoice)
    # The current period: check-ins on the action, and whether it is done.
    checkins: list[CheckIn] = field(default_factory=list)
    done: bool = False
    # Earlier periods, oldest first; the kompas itself carries over from one to the next.
    periods: list[Period] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    # Voice notes spoken on a form not sent yet, by place (VOICE_PLACES): kept at once, so none is lost, and
    # attached to the check-in or look-back when it is saved.
    waiting: dict[str, Voice] = field(default_factory=dict)

    def voices(self) -> list[Voice]:
        """Every voice note the kompas holds: in its notes, its action, its check-ins, its past periods, waiting."""
        found = [n.voice for n in self.notes]
        found += [self.action.voice if self.action else None, *(c.voice for c in self.checkins)]
        for period in self.periods:
            found += [period.action.voice, period.look_back.voice, *(c.voice for c in period.checkins)]
        found += self.waiting.values()
        return [v for v in found if v is not None]

    def notes_at(self, condition: Condition, step: Step) -> list[Note]:
        return [n for n in self.notes if n.condition is condition and n.step is step]

    def notes_in(self, condition: Condition) -> list[Note]:
        return [n for n in self.notes if n.condition is condition]

    def starred(self) -> list[Note]:
        return [n for n in self.notes if n.starred]

    def find(self, note_id: str) -> Note | None:
        return next((n for n in self.notes if n.id == note_id), None)

    def with_note(self, note: Note) -> list[Note]:
        """The notes with `note` put in place of the one with its id, or in its order among them."""
        return in_order([n for n in self.notes if n.id != note.id] + [note])

    def next_order(self) -> int:
        return max((n.order for n in self.notes), default=0) + 1

    def without_note(self, note_id: str) -> list[Note]:
        return [n for n in self.notes if n.id != note_id]

    def with_photo(self, photo: Photo) -> list[Photo]:
        """The photos with `photo` put in place of the one with its id, or added, by date."""
        for index, kept in enumerate(self.photos):
            if kept.id == photo.id:
                if kept.added == photo.added:  # a new caption, on or off the poster: its place stays, no sort
                    return [*self.photos[:index], photo, *self.photos[index + 1:]]
                break
        return photos_by_date([p for p in self.photos if p.id != photo.id] + [photo])

    def photo(self, photo_id: str | None) -> Photo | None:
        return next((p for p in self.photos if p.id == photo_id), None)

    def poster_photos(self) -> list[Photo]:
        return [p for p in self.photos if p.on_poster]

    def photos_at(self, about: str) -> list[Photo]:
        """The photos pasted at one place: a condition ("meedoen") or a step of one ("meedoen/krachten")."""
        return [p for p in self.photos if p.about == about]

    def action_photos(self) -> dict[str | None, list[Photo]]:
        """The photos pasted on actions, by the id of the period whose action they belong to; None: the current one.

        A photo from before photos were given their period (a bare "actie" older than the current action) goes to
        the period in whose weeks it was added. One whose period is not there (a look-back that did not finish)
        is the current action's, and gets its period at the next look-back.
        """
        periods = {p.id for p in self.periods}
        ends = [p.look_back.day for p in self.periods]  # in order: each period closed after the one before
        found: dict[str | None, list[Photo]] = {}
        for photo in self.photos:
            about, _, period_id = photo.about.partition("/")
            if about != ACTION_PHOTO:
                continue
            if period_id not in periods:
                period_id = None if period_id else self._period_added_in(photo.added[:10], ends)
            found.setdefault(period_id, []).append(photo)
        return found

    def _period_added_in(self, day: str, ends: list[str]) -> str | None:
        if self.action is not None and day >= self.action.chosen:
            return None
        at = bisect.bisect_left(ends, day)  # the first period that ended on or after that day
        if at < len(self.periods) and (self.periods[at].action.chosen or ends[at]) <= day:
            return self.periods[at].id
        return None


def in_order(notes: list[Note]) -> list[Note]:
    """Notes in the order they were written (and put back in, after an undo)."""
    return sorted(notes, key=lambda n: n.order)


def photos_by_date(photos: list[Photo]) -> list[Photo]:
    """Photos in the order they were added, as the plakboek and the timeline show them."""
    return sorted(photos, key=lambda p: p.added)


def default_look_back(today: date) -> date:
    return today + timedelta(days=LOOK_BACK_DAYS)


class ActionHint(enum.Enum):
    """A gentle remark on an action that may be too big or too vague to do soon."""

    LONG = "long"
    VAGUE = "vague"
    FAR_AWAY = "far_away"
    IN_THE_PAST = "in_the_past"


# Words that usually name a state or a wish ("more", "always", "happier") rather than something a person can do
# on a Tuesday, per language. A language without a list gets no such remark: a word list made without a native
# speaker would misfire, and a wrong remark on a client's own action does more harm than a missing one.
_VAGUE_WORDS = {
    "nl": {"altijd", "nooit", "meer", "minder", "beter", "gelukkig", "gelukkiger",
           "alles", "iedereen", "leven", "rust", "veranderen"},
    "en": {"always", "never", "more", "less", "better", "happy", "happier",
           "everything", "everyone", "everybody", "life", "change"},
}
_WORD = re.compile(r"\w+", re.UNICODE)


def action_hints(text: str, look_back: date, today: date, language: str = "nl") -> list[ActionHint]:
    """What to ask gently before an action is chosen; an empty list means it looks small and concrete.

    `language`: the one the action is written in, which picks the words that sound vague.
    """
    hints = []
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) > 14:
        hints.append(ActionHint.LONG)
    if _VAGUE_WORDS.get(language, set()).intersection(words):
        hints.append(ActionHint.VAGUE)
    if look_back < today:
        hints.append(ActionHint.IN_THE_PAST)
    elif (look_back - today).days > 8 * 7:
        hints.append(ActionHint.FAR_AWAY)
    return hints

