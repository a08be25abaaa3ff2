"""What a client can do with their kompas: each change is checked, stored at once, then shown."""

from __future__ import annotations

import enum
import functools
import logging
import threading
from dataclasses import replace
from datetime import date
from typing import Callable, TypeVar

from kompas.base import clock
from kompas.domain.model import (
    ACTION_PHOTO,
    MAX_NOTES_PER_STEP,
    MAX_TEXT,
    VOICE_FOLDER,
    VOICE_PLACES,
    Action,
    CheckIn,
    Condition,
    Kompas,
    LookBack,
    Mood,
    Note,
    Period,
    Photo,
    PosterChoice,
    Step,
    Voice,
    new_id,
)
from kompas.domain.words import clean_text
from kompas.media.photos import PHOTO_FOLDER, ImportedPhoto, PhotoProblem, import_photo
from kompas.media.recording import Take, VoiceProblem, keep_voice
from kompas.media.speech import forget_own_words
from kompas.store.storage import DB_FILE, Store, StoreProblem

# StoreProblem is part of what the workbook tells its screens: they reach the store only through here.
__all__ = ["Hold", "Outcome", "StoreProblem", "VoiceProblem", "Workbook"]

_Method = TypeVar("_Method", bound=Callable)

log = logging.getLogger(__name__)


# Whose speech an action's words are kept under (see kompas/screens/registry.py, read_aloud).
_ACTION_SPOKEN = ("actie", "actie-stap", "actie-hulp", "actie-datum")


class Outcome(enum.Enum):
    """How a change went; only the UI turns this into words."""

    SAVED = "saved"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_FOUND = "not_found"
    NOT_SAVED = "not_saved"
    DATE_PASSED = "date_passed"
    NO_ACTION = "no_action"
    FULL = "full"  # the step already holds MAX_NOTES_PER_STEP notes


def _check_text(text: str, required: bool = True) -> Outcome | None:
    if required and not text.strip():
        return Outcome.EMPTY
    if len(text) > MAX_TEXT:
        return Outcome.TOO_LONG
    return None


def _one_change(method: _Method) -> _Method:
    """Run a change whole under the workbook's lock: the read, the check and the write.

    A phone and a laptop on one server each change the kompas from their own thread; a
    change that read the kompas before the other's write would write back the old state.
    Listeners hear of a stored change after the lock is let go, so a slow screen blocks no one.
    """

    @functools.wraps(method)
    def change(self: Workbook, *args, **kwargs):
        with self._lock:
            outcome = method(self, *args, **kwargs)
        if outcome is Outcome.SAVED:
            self._tell_listeners()
        return outcome

    return change


class Workbook:
    """The client's kompas and the store behind it, changed only through these methods.

    Every change is written to the store first and applied in memory only when
    the write succeeded, so what the client sees is always what is stored.
    """

    def __init__(self, store: Store):
        self.store = store
        self.data_dir = store.folder
        self.kompas: Kompas = store.load()
        self._remove_left_overs()
        self._listeners: list[Callable[[], None]] = []
        # One server process may serve a phone and a laptop at once.
        self._lock = threading.RLock()
        self._problem_told = False
        # Voice notes on their way in (see hold()), and whether the kompas was closed meanwhile.
        self._holds = 0
        self._closing = self._closed = False

    def problem_to_tell(self) -> tuple[StoreProblem, str] | None:
        """What went wrong opening the file, with its name: a kept-aside file is told once, one that cannot be written always."""
        problem = self.store.problem
        with self._lock:
            if problem is None or (self._problem_told and problem is StoreProblem.UNREADABLE):
                return None
            self._problem_told = True
        return problem, self.store.kept_aside.name if self.store.kept_aside else DB_FILE

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every stored change; returns the function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _commit(self, write: Callable[[], None], apply: Callable[[], None], spoken: tuple[str, ...] = ()) -> Outcome:
        """Store the change, then show it; called under the lock by a method marked _one_change.

        `spoken`: whose speech goes with the change (a note's id, "wens"): words read aloud before must not stay on
        the device in their old form once the client changed or deleted them.
        """
        try:
            write()
        except OSError as error:
            log.warning("a change could not be stored (%s)", type(error).__name__)
            return Outcome.NOT_SAVED
        apply()
        for owner in spoken:
            forget_own_words(self.data_dir, owner)
        return Outcome.SAVED

    def _show(self, **fields) -> None:
        """Put a new snapshot in place of the old one, whole: a screen drawing the old one never sees half a change."""
        self.kompas = replace(self.kompas, **fields)

    def _tell_listeners(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception as error:  # noqa: BLE001
                # A screen that went away (a closed tab) must not undo or block a change that is stored.
                # Only the kind of error is logged: its message could quote the client's words.
                log.warning("a screen stopped following changes (%s)", type(error).__name__)
                with self._lock:
                    if listener in self._listeners:
                        self._listeners.remove(listener)

    # Notes

    @_one_change
    def add_note(self, condition: Condition, step: Step, text: str) -> Outcome:
        text = clean_text(text, multiline=True)
        problem = _check_text(text) or self._check_room(condition, step)
        if problem:
            return problem
        note = Note(condition=condition, step=step, text=text, order=self.kompas.next_order())
        return self._put_note(note)

    def _check_room(self, condition: Condition, step: Step) -> Outcome | None:
        return Outcome.FULL if len(self.kompas.notes_at(condition, step)) >= MAX_NOTES_PER_STEP else None

    def speak_note(self, condition: Condition, step: Step, take: Take) -> Outcome | VoiceProblem:
        """Keep what the client said as a note at this step, as a written note would be."""
        voice = self._keep(take)
        if isinstance(voice, VoiceProblem):
            return voice
        return self._after_voice(voice, self._add_spoken_note(condition, step, voice))

    @_one_change
    def _add_spoken_note(self, condition: Condition, step: Step, voice: Voice) -> Outcome:
        problem = self._check_room(condition, step)
        if problem:
            return problem
        return self._put_note(Note(condition=condition, step=step, text="", voice=voice,
                                   order=self.kompas.next_order()))

    @_one_change
    def edit_note(self, note_id: str, text: str) -> Outcome:
        note = self.kompas.find(note_id)
        if note is None:
            return Outcome.NOT_FOUND
        text = clean_text(text, multiline=True)
        # A spoken note needs no written words: the client may add some, or take them away again.
        problem = _check_text(text, required=note.voice is None)
        if problem:
            return problem
        return self._put_note(replace(note, text=text), spoken=(note_id,))

    @_one_change
    def set_star(self, note_id: str, starred: bool) -> Outcome:
        note = self.kompas.find(note_id)
        if note is None:
            return Outcome.NOT_FOUND
        return self._put_note(replace(note, starred=starred))

    @_one_change
    def restore_note(self, note: Note) -> Outcome:
        """Put back a note that was just deleted, in its old place."""
        return self._put_note(note)

    @_one_change
    def delete_note(self, note_id: str) -> Outcome:
        if self.kompas.find(note_id) is None:
            return Outcome.NOT_FOUND
        return self._commit(
            lambda: self.store.remove_note(note_id),
            lambda: self._show(notes=self.kompas.without_note(note_id)),
            spoken=(note_id,),
        )

    def _put_note(self, note: Note, spoken: tuple[str, ...] = ()) -> Outcome:
        def apply() -> None:
            self._show(notes=self.kompas.with_note(note))

        return self._commit(lambda: self.store.put_note(note), apply, spoken)

    # The wish and the action

    @_one_change
    def set_wish(self, wish: str) -> Outcome:
        wish = clean_text(wish, multiline=True)
        problem = _check_text(wish, required=False)
        if problem:
            return problem
        return self._commit(
            lambda: self.store.put_wish(wish),
            lambda: self._show(wish=wish),
            spoken=("wens",),
        )

    @_one_change
    def choose_action(
        self,
        text: str,
        condition: Condition,
        look_back: date,
        today: date,
        helper: str = "",
        first_step: str = "",
    ) -> Outcome:
        """Make this the one action for the coming period, in place of any earlier one."""
        # One line each: a line break typed into the action would split it on the poster and in the calendar.
        text, helper, first_step = clean_text(text), clean_text(helper), clean_text(first_step)
        for value, required in ((text, True), (helper, False), (first_step, False)):
            problem = _check_text(value, required)
            if problem:
                return problem
        if look_back < today:
            return Outcome.DATE_PASSED
        waiting = dict(self.kompas.waiting)
        # What the client said about the action goes with it: said just now on this screen, or with the action it
        # changes (one for another condition is a new action, and says something else).
        current = self.kompas.action
        voice = waiting.pop("actie", None) or (current.voice if current and current.condition is condition else None)
        action = Action(
            text=text,
            condition=condition,
            look_back=look_back.isoformat(),
            helper=helper,
            first_step=first_step,
            voice=voice,
        )
        # Changing the action keeps its check-ins: a period only ends by looking back.
        return self._commit(
            lambda: self.store.put_action_with(action, waiting),
            lambda: self._show(action=action, waiting=waiting),
            spoken=_ACTION_SPOKEN,
        )

    # The poster

    @_one_change
    def change_poster(self, **fields) -> Outcome:
        """Change some of the poster choices, on top of what is stored now: two quick taps both count."""
        return self.set_poster(replace(self.kompas.poster, **fields))

    @_one_change
    def set_poster(self, poster: PosterChoice) -> Outcome:
        poster = replace(poster, name=clean_text(poster.name))
        problem = _check_text(poster.name, required=False)
        if problem:
            return problem
        return self._commit(
            lambda: self.store.put_poster(poster),
            lambda: self._show(poster=poster),
        )

    # Photos

    def add_photo(self, data: bytes, about: str) -> tuple[Outcome | PhotoProblem, Photo | None]:
        """Clean the photo (upright, small, no EXIF) and add it; a bad file changes nothing."""
        if self.store.read_only:
            return Outcome.NOT_SAVED, None
        photo_id = new_id()
        # Cleaning a photo takes a while and touches only its own new files, so it runs outside the lock.
        imported = import_photo(data, self.data_dir, photo_id)
        if not isinstance(imported, ImportedPhoto):
            return imported, None
        photo = Photo(file=imported.file, thumb=imported.thumb, about=about, id=photo_id,
                      added=clock.now().isoformat(timespec="seconds"))
        outcome = self.restore_photo(photo)
        if outcome is not Outcome.SAVED:
            self._remove_files(photo)
            return outcome, None
        return outcome, photo

    @_one_change
    def set_caption(self, photo_id: str, caption: str) -> Outcome:
        photo = self.kompas.photo(photo_id)
        if photo is None:
            return Outcome.NOT_FOUND
        caption = clean_text(caption)
        problem = _check_text(caption, required=False)
        return problem or self._put_photo(replace(photo, caption=caption))

    @_one_change
    def set_on_poster(self, photo_id: str, on_poster: bool) -> Outcome:
        photo = self.kompas.photo(photo_id)
        return Outcome.NOT_FOUND if photo is None else self._put_photo(replace(photo, on_poster=on_poster))

    @_one_change
    def delete_photo(self, photo_id: str) -> Outcome:
        """Take the photo out of the kompas; its files go at the next start unless it is put back."""
        if self.kompas.photo(photo_id) is None:
            return Outcome.NOT_FOUND
        return self._commit(
            lambda: self.store.remove_photo(photo_id),
            lambda: self._show(photos=[p for p in self.kompas.photos if p.id != photo_id]),
        )

    @_one_change
    def restore_photo(self, photo: Photo) -> Outcome:
        return self._put_photo(photo)

    def _put_photo(self, photo: Photo) -> Outcome:
        return self._commit(
            lambda: self.store.put_photo(photo),
            lambda: self._show(photos=self.kompas.with_photo(photo)),
        )

    def _remove_files(self, photo: Photo) -> None:
        for relative in (photo.file, photo.thumb):
            (self.data_dir / relative).unlink(missing_ok=True)

    def _remove_left_overs(self) -> None:
        """Files of photos and voice notes deleted earlier (after their undo ran out) are erased at start-up."""
        # After a problem opening the file, the files may belong to the kompas kept aside: touch nothing.
        if self.store.problem:
            return
        folders = [f for f in (PHOTO_FOLDER, VOICE_FOLDER) if (self.data_dir / f).is_dir()]
        if not folders:
            return
        kept = {name for p in self.kompas.photos for name in (p.file, p.thumb)}
        kept |= {v.file for v in self.kompas.voices()}
        # A file a backup still names stays until that backup goes, so going back brings the photo or voice back too.
        if self.store.backups is not None:
            kept |= self.store.backups.files()
        for folder in folders:
            for path in (self.data_dir / folder).iterdir():
                if f"{folder}/{path.name}" not in kept:
                    path.unlink(missing_ok=True)

    # Voice notes

    def _keep(self, take: Take) -> Voice | VoiceProblem:
        """The take as a voice note's file; made outside the lock, since it takes a moment and touches only itself."""
        if self.store.read_only:
            return VoiceProblem.NOT_SAVED
        return keep_voice(take, self.data_dir, new_id())

    def _after_voice(self, voice: Voice, outcome: Outcome) -> Outcome:
        if outcome is not Outcome.SAVED:
            (self.data_dir / voice.file).unlink(missing_ok=True)  # not in the kompas: the file would be a stray
        return outcome

    def speak_for(self, place: str, take: Take) -> Outcome | VoiceProblem:
        """Keep what the client said on a form: the action's screen, a check-in, the look-back (VOICE_PLACES).

        It waits for its form to be saved (stored already, so a closed tab loses nothing), then goes with what the
        form saves: the action, the check-in, the look-back.
        """
        voice = self._keep(take)
        if isinstance(voice, VoiceProblem):
            return voice
        return self._after_voice(voice, self.put_voice(place, voice))

    @_one_change
    def put_voice(self, place: str, voice: Voice | None) -> Outcome:
        """Make `voice` the one waiting on this form, in place of any before; None takes it away (undone by putting
        it back). A voice taken away stays on the device until the next start, for that undo."""
        if place not in VOICE_PLACES:
            return Outcome.NOT_FOUND
        waiting = {k: v for k, v in self.kompas.waiting.items() if k != place}
        if voice is not None:
            waiting[place] = voice
        return self._commit(lambda: self.store.put_waiting(waiting), lambda: self._show(waiting=waiting))

    @_one_change
    def set_action_voice(self, voice: Voice | None) -> Outcome:
        """Take the voice note away from the action chosen (None), or put it back."""
        if self.kompas.action is None:
            return Outcome.NO_ACTION
        action = replace(self.kompas.action, voice=voice)
        return self._commit(lambda: self.store.put_action(action), lambda: self._show(action=action))

    # The whole kompas: a copy to take along, and going back to a backup

    def snapshot(self) -> bytes:
        """The kompas as stored, whole, at one moment: no change can come in halfway."""
        with self._lock:
            return self.store.snapshot()

    def close(self, at_once: bool = False) -> bool:
        """Let go of the store and its folder, once a change under way is written: nothing is written after this.

        While a voice note is on its way in (hold()), the store stays open until it is written, and this returns
        False; `at_once` (erasing, replacing) closes it all the same, and the note is not kept.
        """
        with self._lock:
            if self._holds and not at_once:
                self._closing = True
                return False
            self._shut()
            return True

    def _shut(self) -> None:
        self._closing = False
        if not self._closed:
            self._closed = True
            self.store.close()

    def hold(self) -> "Hold":
        """Keep the store open for a voice note on its way in, from the tap on "Stop en bewaar" until it is written:
        making its Opus file takes seconds, and the client may go back to the shelf or lock meanwhile."""
        with self._lock:
            self._holds += 1
        return Hold(self)

    def _release(self) -> None:
        with self._lock:
            self._holds -= 1
            if self._holds == 0 and self._closing:
                self._shut()

    def reopen(self) -> bool:
        """Open again for a screen: True while the store is still open (closed only once its holds were done)."""
        with self._lock:
            if self._closing:
                self._closing = False
                return True
            return False

    @property
    def closing(self) -> bool:
        """Closed by its last screen, and waiting for a voice note to be written."""
        return self._closing

    def backup_days(self) -> list[date]:
        """The days this kompas can go back to, the newest first."""
        return self.store.backups.days() if self.store.backups is not None else []

    def go_back_to(self, day: date) -> Outcome:
        """Make the kompas as it was on `day` again; the kompas as it is now is kept as today's backup."""
        with self._lock:
            if day not in self.backup_days():
                return Outcome.NOT_FOUND
            try:
                kompas = self.store.restore(day)
            except ValueError:
                log.warning("a backup could not be read")
                return Outcome.NOT_FOUND
            except OSError as error:
                log.warning("a backup could not be put back (%s)", type(error).__name__)
                return Outcome.NOT_SAVED
            self.kompas = kompas
        self._tell_listeners()
        return Outcome.SAVED

    # Progress: check-ins, done, looking back

    @_one_change
    def check_in(self, mood: Mood, today: date, note: str = "", photo: str | None = None) -> Outcome:
        if self.kompas.action is None:
            return Outcome.NO_ACTION
        note = clean_text(note, multiline=True)
        problem = _check_text(note, required=False)
        if problem:
            return problem
        waiting = dict(self.kompas.waiting)
        checkin = CheckIn(mood=mood, day=today.isoformat(), note=note, photo=photo, voice=waiting.pop("checkin", None))
        checkins = [*self.kompas.checkins, checkin]
        return self._commit(
            lambda: self.store.put_progress(checkins, self.kompas.done, waiting),
            lambda: self._show(checkins=checkins, waiting=waiting),
        )

    @_one_change
    def mark_done(self, done: bool = True) -> Outcome:
        if self.kompas.action is None:
            return Outcome.NO_ACTION
        return self._commit(
            lambda: self.store.put_progress(self.kompas.checkins, done),
            lambda: self._show(done=done),
        )

    @_one_change
    def look_back(self, went_well: str, learned: str, helped: str, today: date) -> Outcome:
        """Close the period: the action and how it went move to the timeline; the kompas itself stays."""
        if self.kompas.action is None:
            return Outcome.NO_ACTION
        went_well, learned, helped = (clean_text(v, multiline=True) for v in (went_well, learned, helped))
        for value in (went_well, learned, helped):
            problem = _check_text(value, required=False)
            if problem:
                return problem
        waiting = dict(self.kompas.waiting)
        period = Period(
            action=self.kompas.action,
            checkins=tuple(self.kompas.checkins),
            done=self.kompas.done,
            look_back=LookBack(went_well, learned, helped, today.isoformat(), voice=waiting.pop("terugblik", None)),
        )
        periods = [*self.kompas.periods, period]
        # The action's photos go with it to Mijn koers. They are stored first: should the period not follow, a
        # photo naming a period that is not there still counts as the current action's (Kompas.action_photos).
        for photo in self.kompas.action_photos().get(None, []):
            if self._put_photo(replace(photo, about=f"{ACTION_PHOTO}/{period.id}")) is not Outcome.SAVED:
                return Outcome.NOT_SAVED

        def apply() -> None:
            self._show(periods=periods, action=None, checkins=[], done=False, waiting=waiting)

        return self._commit(lambda: self.store.close_period(periods, waiting), apply, _ACTION_SPOKEN)


class Hold:
    """A workbook held open for one voice note (Workbook.hold()); given back once, from whichever thread wrote it."""

    def __init__(self, workbook: Workbook):
        self._workbook: Workbook | None = workbook

    def release(self) -> None:
        workbook, self._workbook = self._workbook, None
        if workbook is not None:
            workbook._release()

    def __enter__(self) -> "Hold":
        return self

    def __exit__(self, *_exc) -> None:
        self.release()
