"""The kompas file's JSON: bytes to tables and back, and each stored document to its domain object and back."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from kompas.domain.model import (
    MAX_VOICE_SECONDS,
    VOICE_PLACES,
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
    in_order,
    photos_by_date,
)
from kompas.domain.words import clean_text

__all__ = ["DAMAGE", "action_to", "checkin_to", "clean_texts", "kompas_from", "named_files", "note_to", "parse", "period_to", "photo_to",
           "poster_to", "to_json", "waiting_to"]

# What a damaged file can make json or the checks below raise. Whatever the damage, the
# file is then kept aside unchanged, so nothing in it is lost.
DAMAGE = (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError)

_UTF8 = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ASCII = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))


def to_json(value: Any) -> bytes:
    try:
        return _UTF8.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (a browser can send one) has no UTF-8 form; as a \u escape it reads back exactly.
        return _ASCII.encode(value).encode("ascii")


def parse(raw: bytes) -> Any:
    # From bytes rather than text, json also reads a file that an editor saved with a BOM.
    return json.loads(raw)


def clean_texts(tables: dict[str, Any]) -> bool:
    """Clean, in place, every field of already checked tables that holds the client's own words; whether any changed.

    Lines stay lines where typing keeps them (notes, the wish, check-ins, look-backs) and become spaces where it does
    not (the action, a caption, the poster's name).
    """
    changed = False

    def clean(doc: dict[str, Any] | None, multiline: bool, *keys: str) -> None:
        nonlocal changed
        for key in keys:
            value = (doc or {}).get(key)
            if type(value) is str and (cleaned := clean_text(value, multiline)) != value:
                doc[key], changed = cleaned, True

    for note in tables.get("notes", {}).values():
        clean(note, True, "text")
    for photo in tables.get("photos", {}).values():
        clean(photo, False, "caption")
    state = tables.get("kompas", {}).get("1", {})
    periods = state.get("periods", [])
    clean(state, True, "wish")
    clean(state.get("poster"), False, "name")
    for action in [state.get("action"), *(period["action"] for period in periods)]:
        clean(action, False, "text", "helper", "first_step")
    for checkin in [*state.get("checkins", []), *(c for period in periods for c in period.get("checkins", []))]:
        clean(checkin, True, "note")
    for period in periods:
        clean(period["look_back"], True, "went_well", "learned", "helped")
    return changed



def kompas_from(tables: dict[str, Any]) -> Kompas:
    """The kompas in the file's tables; raises on anything the app does not write, so such a file is kept aside."""
    _documents(tables, "meta")
    state = _documents(tables, "kompas").get("1", {})
    wish, done, action, poster = state.get("wish", ""), state.get("done", False), state.get("action"), state.get("poster")
    _texts(wish)
    _flags(done)
    return Kompas(
        notes=in_order([_note_from(doc) for doc in _documents(tables, "notes").values()]),
        wish=wish,
        action=None if action is None else _action_from(action),
        poster=PosterChoice() if poster is None else _poster_from(poster),
        checkins=[_checkin_from(c) for c in _list(state, "checkins")],
        done=done,
        periods=[_period_from(p) for p in _list(state, "periods")],
        photos=photos_by_date([_photo_from(doc) for doc in _documents(tables, "photos").values()]),
        waiting=_waiting_from(state.get("waiting", {})),
    )


def named_files(tables: dict[str, Any]) -> set[str]:
    """The photo files (with their thumbnails) and voice notes the tables name, relative to the kompas's folder;
    raises on a photo or voice note the app does not write. Cheaper than kompas_from, which checks everything."""
    state = _documents(tables, "kompas").get("1", {})
    periods = _list(state, "periods")
    holders = [*_documents(tables, "notes").values(), state.get("action") or {}, *_list(state, "checkins"),
               *(period["action"] for period in periods), *(period["look_back"] for period in periods),
               *(checkin for period in periods for checkin in _list(period, "checkins"))]
    voices = [_voice_from(holder.get("voice")) for holder in holders]
    voices += _waiting_from(state.get("waiting", {})).values()
    names = {voice.file for voice in voices if voice is not None}
    for doc in _documents(tables, "photos").values():
        _texts(doc["file"], doc["thumb"])
        names.update((doc["file"], doc["thumb"]))
    return names


def _documents(tables: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """One table's documents by id, each id a number as TinyDB writes it.

    TinyDB turns ids into numbers and back: any other id would crash a later write,
    and two ids for one number ("1" and "01") would lose a document.
    """
    table = tables.get(name, {})
    if not isinstance(table, dict):
        raise TypeError(f"{name} is not a table")
    for doc_id, doc in table.items():
        if not (doc_id.isascii() and doc_id.isdigit() and doc_id[0] != "0" and isinstance(doc, dict)):
            raise ValueError(f"{name} has a document that is not ours")
    return table


# The checks below run over every note, photo and check-in when a kompas opens, so they
# are kept cheap: each object is made first, and its fields checked in one call after.

def _texts(*values: Any) -> None:
    """Raise unless every value is text: a file with anything else there is not ours, or is damaged."""
    for value in values:
        if type(value) is not str:
            raise TypeError("a text field holds something else")


def _flags(*values: Any) -> None:
    for value in values:
        if type(value) is not bool:
            raise TypeError("a yes-or-no field holds something else")


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if type(value) is not list:
        raise TypeError(f"{key} is not a list")
    return value


def _day(value: Any) -> str:
    # Parsed here so that a file with a broken date is kept aside, not shown half.
    return date.fromisoformat(value).isoformat()


# Looking an enum member up by calling the enum is slow, and a five-year kompas does it a thousand times.
_CONDITIONS = {c.value: c for c in Condition}
_STEPS = {s.value: s for s in Step}
_MOODS = {m.value: m for m in Mood}


_VOICE_ID = re.compile(r"[0-9a-f]{32}")


def _with_voice(doc: dict[str, Any], voice: Voice | None) -> dict[str, Any]:
    """`doc` with its voice note, if it has one: most have none, and a five-year file need not say so a thousand times."""
    if voice is not None:
        doc["voice"] = {"id": voice.id, "seconds": voice.seconds}
    return doc


def _voice_from(doc: Any) -> Voice | None:
    """The voice note in a stored object; raises on anything the app does not write (its id names a file)."""
    if doc is None:
        return None
    voice = Voice(id=doc["id"], seconds=doc["seconds"])
    if type(voice.id) is not str or not _VOICE_ID.fullmatch(voice.id):
        raise ValueError("a voice note's id is not ours")
    if type(voice.seconds) not in (int, float) or not 0 < voice.seconds <= MAX_VOICE_SECONDS + 1:
        raise ValueError("a voice note's length is not ours")
    return voice


def waiting_to(waiting: dict[str, Voice]) -> dict[str, Any]:
    return {place: _with_voice({}, voice)["voice"] for place, voice in waiting.items()}


def _waiting_from(doc: Any) -> dict[str, Voice]:
    if not isinstance(doc, dict) or not set(doc) <= set(VOICE_PLACES):
        raise ValueError("waiting voice notes are not ours")
    return {place: _voice_from(voice) for place, voice in doc.items()}


def note_to(note: Note) -> dict[str, Any]:
    return _with_voice({
        "id": note.id,
        "condition": note.condition.value,
        "step": note.step.value,
        "text": note.text,
        "starred": note.starred,
        "created": note.created,
        "order": note.order,
    }, note.voice)


def _note_from(doc: dict[str, Any]) -> Note:
    note = Note(id=doc["id"], condition=_CONDITIONS[doc["condition"]], step=_STEPS[doc["step"]], text=doc["text"],
                starred=doc.get("starred", False), created=doc.get("created", ""), order=doc.get("order", 0),
                voice=_voice_from(doc.get("voice")))
    _texts(note.id, note.text, note.created)
    _flags(note.starred)
    # Not a float: 1e400 would be infinity, and NaN sorts nowhere.
    if type(note.order) is not int:
        raise TypeError("order is not a whole number")
    return note


def action_to(action: Action) -> dict[str, Any]:
    return _with_voice({
        "text": action.text,
        "condition": action.condition.value,
        "look_back": action.look_back,
        "helper": action.helper,
        "first_step": action.first_step,
        "chosen": action.chosen,
    }, action.voice)


def _action_from(doc: dict[str, Any]) -> Action:
    action = Action(text=doc["text"], condition=_CONDITIONS[doc["condition"]], look_back=_day(doc["look_back"]),
                    helper=doc.get("helper", ""), first_step=doc.get("first_step", ""), chosen=doc.get("chosen", ""),
                    voice=_voice_from(doc.get("voice")))
    _texts(action.text, action.helper, action.first_step, action.chosen)
    return action


def poster_to(poster: PosterChoice) -> dict[str, Any]:
    return {"items": sorted(i.value for i in poster.items), "name": poster.name, "paper": poster.paper.value,
            "dutch_labels": poster.dutch_labels}


def _poster_from(doc: dict[str, Any]) -> PosterChoice:
    poster = PosterChoice(items=frozenset(PosterItem(i) for i in _list(doc, "items")), name=doc.get("name", ""),
                          paper=Paper(doc.get("paper", Paper.A4.value)), dutch_labels=doc.get("dutch_labels", False))
    _texts(poster.name)
    _flags(poster.dutch_labels)
    return poster


def checkin_to(checkin: CheckIn) -> dict[str, Any]:
    return _with_voice({"id": checkin.id, "mood": checkin.mood.value, "day": checkin.day, "note": checkin.note,
                        "photo": checkin.photo}, checkin.voice)


def _checkin_from(doc: dict[str, Any]) -> CheckIn:
    photo = doc.get("photo")
    checkin = CheckIn(id=doc["id"], mood=_MOODS[doc["mood"]], day=_day(doc["day"]), note=doc.get("note", ""),
                      photo=photo if isinstance(photo, str) else None, voice=_voice_from(doc.get("voice")))
    _texts(checkin.id, checkin.note)
    return checkin


def period_to(period: Period) -> dict[str, Any]:
    look_back = period.look_back
    return {
        "id": period.id,
        "action": action_to(period.action),
        "checkins": [checkin_to(c) for c in period.checkins],
        "done": period.done,
        "look_back": _with_voice({"went_well": look_back.went_well, "learned": look_back.learned,
                                  "helped": look_back.helped, "day": look_back.day}, look_back.voice),
    }


def _period_from(doc: dict[str, Any]) -> Period:
    look = doc["look_back"]
    look_back = LookBack(went_well=look.get("went_well", ""), learned=look.get("learned", ""),
                         helped=look.get("helped", ""), day=_day(look["day"]), voice=_voice_from(look.get("voice")))
    period = Period(id=doc["id"], action=_action_from(doc["action"]),
                    checkins=tuple(_checkin_from(c) for c in _list(doc, "checkins")), done=doc.get("done", False),
                    look_back=look_back)
    _texts(period.id, look_back.went_well, look_back.learned, look_back.helped)
    _flags(period.done)
    return period


def photo_to(photo: Photo) -> dict[str, Any]:
    return {"id": photo.id, "file": photo.file, "thumb": photo.thumb, "added": photo.added, "about": photo.about,
            "caption": photo.caption, "on_poster": photo.on_poster}


def _photo_from(doc: dict[str, Any]) -> Photo:
    photo = Photo(id=doc["id"], file=doc["file"], thumb=doc["thumb"], added=doc["added"], about=doc.get("about", ""),
                  caption=doc.get("caption", ""), on_poster=doc.get("on_poster", False))
    _texts(photo.id, photo.file, photo.thumb, photo.added, photo.about, photo.caption)
    _flags(photo.on_poster)
    return photo
