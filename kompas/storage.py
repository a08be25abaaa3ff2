"""Keeps the kompas on the device: one TinyDB file, written atomically, with a schema version."""

from __future__ import annotations

import enum
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage, Storage

from kompas.model import (
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
    in_order,
    photos_by_date,
)

__all__ = ["AtomicJSONStorage", "Store", "StoreProblem", "SCHEMA_VERSION", "DB_FILE"]

SCHEMA_VERSION = 1
DB_FILE = "kompas.json"


class StoreProblem(enum.Enum):
    """Why a store started empty although a file was there; that file is never overwritten.

    UNREADABLE: the file is renamed aside and a new kompas starts.
    TOO_NEW: a newer app wrote it; it stays where it is and this app writes nothing.
    """

    UNREADABLE = "unreadable"
    TOO_NEW = "too_new"


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file: temp file, fsync, rename."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            # Return None here so TinyDB treats the database as empty.
            return None
        if not text.strip():
            return None
        return json.loads(text)

    def write(self, data: dict[str, Any]) -> None:
        # ensure_ascii keeps any string a browser can send storable, even lone surrogates.
        payload = json.dumps(data, ensure_ascii=True, sort_keys=True).encode("ascii")
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        # The rename itself only survives a power cut once the folder is synced.
        if hasattr(os, "O_DIRECTORY"):
            fd = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def close(self) -> None:
        pass


class Store:
    """The one place that reads and writes the kompas; each method is one atomic write."""

    def __init__(self, db: TinyDB, problem: StoreProblem | None = None, kept_aside: Path | None = None,
                 read_only: bool = False, folder: Path | None = None):
        self._db = db
        self.folder = folder  # the data folder; None for a store in memory
        self.problem = problem
        self.kept_aside = kept_aside
        self.read_only = read_only
        self._notes = db.table("notes")
        self._photos = db.table("photos")
        self._kompas = db.table("kompas")
        self._meta = db.table("meta")
        if not self._meta.all():
            self._meta.insert({"schema": SCHEMA_VERSION})

    @classmethod
    def in_memory(cls) -> Store:
        return cls(TinyDB(storage=MemoryStorage))

    @classmethod
    def open(cls, folder: Path) -> Store:
        """Open the kompas in `folder`; a file that cannot be used is renamed, never overwritten."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / DB_FILE
        # A write cut off by a crash leaves only its temp file behind; the real file is whole.
        for stale in folder.glob(f".{DB_FILE}.*.tmp"):
            stale.unlink(missing_ok=True)
        problem = _check(path)
        if problem is StoreProblem.TOO_NEW:
            # Leave the newer file in place for the newer app; keep this session in memory, unable to write.
            return cls(TinyDB(storage=MemoryStorage), problem, path, read_only=True, folder=folder)
        kept_aside = None
        if problem is not None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            kept_aside = folder / f"kompas.{problem.value}-{stamp}.json"
            os.replace(path, kept_aside)
        return cls(TinyDB(path, storage=AtomicJSONStorage), problem, kept_aside, folder=folder)

    def load(self) -> Kompas:
        notes = in_order([_note_from(doc) for doc in self._notes.all()])
        state = self._kompas.get(doc_id=1) or {}
        action = state.get("action")
        poster = state.get("poster")
        return Kompas(
            notes=notes,
            wish=state.get("wish", ""),
            action=_action_from(action) if action else None,
            poster=_poster_from(poster) if poster else PosterChoice(),
            checkins=[_checkin_from(c) for c in state.get("checkins", [])],
            done=bool(state.get("done", False)),
            periods=[_period_from(p) for p in state.get("periods", [])],
            photos=photos_by_date([_photo_from(d) for d in self._photos.all()]),
        )

    def put_note(self, note: Note) -> None:
        self._guard()
        self._notes.upsert(_note_to(note), Query().id == note.id)

    def remove_note(self, note_id: str) -> None:
        self._guard()
        self._notes.remove(Query().id == note_id)

    def put_wish(self, wish: str) -> None:
        self._put_state({"wish": wish})

    def put_action(self, action: Action) -> None:
        self._put_state({"action": _action_to(action)})

    def put_progress(self, checkins: list[CheckIn], done: bool) -> None:
        self._put_state({"checkins": [_checkin_to(c) for c in checkins], "done": done})

    def close_period(self, periods: list[Period]) -> None:
        """Archive the period and clear the current one in a single write, so a crash cannot leave it twice."""
        self._put_state({"periods": [_period_to(p) for p in periods], "action": None, "checkins": [], "done": False})

    def put_photo(self, photo: Photo) -> None:
        self._guard()
        self._photos.upsert(_photo_to(photo), Query().id == photo.id)

    def remove_photo(self, photo_id: str) -> None:
        self._guard()
        self._photos.remove(Query().id == photo_id)

    def put_poster(self, poster: PosterChoice) -> None:
        self._put_state({"poster": _poster_to(poster)})

    def _put_state(self, fields: dict[str, Any]) -> None:
        self._guard()
        if self._kompas.contains(doc_id=1):
            self._kompas.update(fields, doc_ids=[1])
        else:
            self._kompas.insert(fields)

    def _guard(self) -> None:
        if self.read_only:
            raise PermissionError("this kompas was written by a newer version of the app")

    def close(self) -> None:
        self._db.close()


def _check(path: Path) -> StoreProblem | None:
    """Why the file at `path` cannot be opened as it is, or None when it can."""
    try:
        data = AtomicJSONStorage(path).read()
    except (ValueError, UnicodeDecodeError, OSError):
        return StoreProblem.UNREADABLE
    if data is None:
        return None
    try:
        schema = data["meta"]["1"]["schema"]
        # A newer app may have changed what a note looks like: say so before judging the notes.
        if isinstance(schema, int) and schema > SCHEMA_VERSION:
            return StoreProblem.TOO_NEW
        for doc in data.get("notes", {}).values():
            _note_from(doc)
        state = data.get("kompas", {}).get("1", {})
        _text(state, "wish", "")
        if state.get("action"):
            _action_from(state["action"])
        if state.get("poster"):
            _poster_from(state["poster"])
        for doc in state.get("checkins", []):
            _checkin_from(doc)
        for doc in state.get("periods", []):
            _period_from(doc)
        for doc in data.get("photos", {}).values():
            _photo_from(doc)
    except (KeyError, TypeError, ValueError, AttributeError):
        return StoreProblem.UNREADABLE
    return None if isinstance(schema, int) else StoreProblem.UNREADABLE


def _note_to(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "condition": note.condition.value,
        "step": note.step.value,
        "text": note.text,
        "starred": note.starred,
        "created": note.created,
        "order": note.order,
    }


def _note_from(doc: dict[str, Any]) -> Note:
    return Note(
        id=_text(doc, "id"),
        condition=Condition(doc["condition"]),
        step=Step(doc["step"]),
        text=_text(doc, "text"),
        starred=bool(doc.get("starred", False)),
        created=_text(doc, "created", ""),
        order=int(doc.get("order", 0)),
    )


def _action_to(action: Action) -> dict[str, Any]:
    return {
        "text": action.text,
        "condition": action.condition.value,
        "look_back": action.look_back,
        "helper": action.helper,
        "first_step": action.first_step,
        "chosen": action.chosen,
    }


def _action_from(doc: dict[str, Any]) -> Action:
    return Action(
        text=_text(doc, "text"),
        condition=Condition(doc["condition"]),
        # Parsed here so that a file with a broken date is kept aside, not shown half.
        look_back=date.fromisoformat(_text(doc, "look_back")).isoformat(),
        helper=_text(doc, "helper", ""),
        first_step=_text(doc, "first_step", ""),
        chosen=_text(doc, "chosen", ""),
    )


def _text(doc: dict[str, Any], key: str, default: str | None = None) -> str:
    """A text field as stored; anything that is not text means the file is not ours or is damaged."""
    value = doc.get(key, default) if default is not None else doc[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is not text")
    return value


def _poster_to(poster: PosterChoice) -> dict[str, Any]:
    return {"items": sorted(i.value for i in poster.items), "name": poster.name, "paper": poster.paper.value}


def _poster_from(doc: dict[str, Any]) -> PosterChoice:
    return PosterChoice(
        items=frozenset(PosterItem(i) for i in doc["items"]),
        name=_text(doc, "name", ""),
        paper=Paper(doc.get("paper", Paper.A4.value)),
    )


def _checkin_to(checkin: CheckIn) -> dict[str, Any]:
    return {"id": checkin.id, "mood": checkin.mood.value, "day": checkin.day, "note": checkin.note,
            "photo": checkin.photo}


def _checkin_from(doc: dict[str, Any]) -> CheckIn:
    photo = doc.get("photo")
    return CheckIn(id=_text(doc, "id"), mood=Mood(doc["mood"]), day=date.fromisoformat(_text(doc, "day")).isoformat(),
                   note=_text(doc, "note", ""), photo=photo if isinstance(photo, str) else None)


def _period_to(period: Period) -> dict[str, Any]:
    look_back = period.look_back
    return {
        "id": period.id,
        "action": _action_to(period.action),
        "checkins": [_checkin_to(c) for c in period.checkins],
        "done": period.done,
        "look_back": {"went_well": look_back.went_well, "learned": look_back.learned, "helped": look_back.helped,
                      "day": look_back.day},
    }


def _period_from(doc: dict[str, Any]) -> Period:
    look_back = doc["look_back"]
    return Period(
        id=_text(doc, "id"),
        action=_action_from(doc["action"]),
        checkins=tuple(_checkin_from(c) for c in doc.get("checkins", [])),
        done=bool(doc.get("done", False)),
        look_back=LookBack(
            went_well=_text(look_back, "went_well", ""), learned=_text(look_back, "learned", ""),
            helped=_text(look_back, "helped", ""), day=date.fromisoformat(_text(look_back, "day")).isoformat(),
        ),
    )


def _photo_to(photo: Photo) -> dict[str, Any]:
    return {"id": photo.id, "file": photo.file, "thumb": photo.thumb, "added": photo.added, "about": photo.about,
            "caption": photo.caption, "on_poster": photo.on_poster}


def _photo_from(doc: dict[str, Any]) -> Photo:
    return Photo(id=_text(doc, "id"), file=_text(doc, "file"), thumb=_text(doc, "thumb"), added=_text(doc, "added"),
                 about=_text(doc, "about", ""), caption=_text(doc, "caption", ""),
                 on_poster=bool(doc.get("on_poster", False)))
