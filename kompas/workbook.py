"""What a client can do with their kompas: each change is checked, stored at once, then shown."""

from __future__ import annotations

import enum
import threading
from dataclasses import replace
from datetime import date
from typing import Callable

from kompas.model import MAX_TEXT, Action, Condition, Kompas, Note, PosterChoice, Step
from kompas.storage import Store, StoreProblem

__all__ = ["Outcome", "Workbook"]


class Outcome(enum.Enum):
    """How a change went; only the UI turns this into words."""

    SAVED = "saved"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_FOUND = "not_found"
    NOT_SAVED = "not_saved"
    DATE_PASSED = "date_passed"


def _check_text(text: str, required: bool = True) -> Outcome | None:
    if required and not text.strip():
        return Outcome.EMPTY
    if len(text) > MAX_TEXT:
        return Outcome.TOO_LONG
    return None


class Workbook:
    """The client's kompas and the store behind it, changed only through these methods.

    Every change is written to the store first and applied in memory only when
    the write succeeded, so what the client sees is always what is stored.
    """

    def __init__(self, store: Store):
        self.store = store
        self.kompas: Kompas = store.load()
        self._listeners: list[Callable[[], None]] = []
        # One server process may serve a phone and a laptop at once.
        self._lock = threading.RLock()
        self._problem_told = False

    def problem_to_tell(self) -> tuple[StoreProblem, str] | None:
        """What went wrong opening the file, with its name: a kept-aside file is told once, a read-only one always."""
        problem = self.store.problem
        if problem is None or (self._problem_told and problem is StoreProblem.UNREADABLE):
            return None
        self._problem_told = True
        return problem, self.store.kept_aside.name

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every stored change; returns the function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _commit(self, write: Callable[[], None], apply: Callable[[], None]) -> Outcome:
        with self._lock:
            try:
                write()
            except OSError:
                return Outcome.NOT_SAVED
            apply()
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # noqa: BLE001
                # A screen that went away (a closed tab) must not undo or block a change that is stored.
                with self._lock:
                    if listener in self._listeners:
                        self._listeners.remove(listener)
        return Outcome.SAVED

    # Notes

    def add_note(self, condition: Condition, step: Step, text: str) -> Outcome:
        problem = _check_text(text)
        if problem:
            return problem
        with self._lock:
            note = Note(condition=condition, step=step, text=text, order=self.kompas.next_order())
            return self._put_note(note)

    def edit_note(self, note_id: str, text: str) -> Outcome:
        note = self.kompas.find(note_id)
        if note is None:
            return Outcome.NOT_FOUND
        problem = _check_text(text)
        if problem:
            return problem
        return self._put_note(replace(note, text=text))

    def set_star(self, note_id: str, starred: bool) -> Outcome:
        note = self.kompas.find(note_id)
        if note is None:
            return Outcome.NOT_FOUND
        return self._put_note(replace(note, starred=starred))

    def restore_note(self, note: Note) -> Outcome:
        """Put back a note that was just deleted, in its old place."""
        return self._put_note(note)

    def delete_note(self, note_id: str) -> Outcome:
        if self.kompas.find(note_id) is None:
            return Outcome.NOT_FOUND
        return self._commit(
            lambda: self.store.remove_note(note_id),
            lambda: setattr(self.kompas, "notes", self.kompas.without_note(note_id)),
        )

    def _put_note(self, note: Note) -> Outcome:
        def apply() -> None:
            self.kompas.notes = self.kompas.with_note(note)

        return self._commit(lambda: self.store.put_note(note), apply)

    # The wish and the action

    def set_wish(self, wish: str) -> Outcome:
        problem = _check_text(wish, required=False)
        if problem:
            return problem
        return self._commit(
            lambda: self.store.put_wish(wish),
            lambda: setattr(self.kompas, "wish", wish),
        )

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
        for value, required in ((text, True), (helper, False), (first_step, False)):
            problem = _check_text(value, required)
            if problem:
                return problem
        if look_back < today:
            return Outcome.DATE_PASSED
        action = Action(
            text=text,
            condition=condition,
            look_back=look_back.isoformat(),
            helper=helper,
            first_step=first_step,
        )
        return self._commit(
            lambda: self.store.put_action(action),
            lambda: setattr(self.kompas, "action", action),
        )

    # The poster

    def set_poster(self, poster: PosterChoice) -> Outcome:
        problem = _check_text(poster.name, required=False)
        if problem:
            return problem
        return self._commit(
            lambda: self.store.put_poster(poster),
            lambda: setattr(self.kompas, "poster", poster),
        )
