"""The .kompas file: one kompas with its photos and voice notes in a zip, sealed with a passphrase if asked, checked whole on the way in.

The format is described for people in docs/kompas-file.md. In short: a zip with manifest.json (what the file holds,
with a sha256 for every other file), kompas.json (the kompas as the store writes it), photos/<id>.jpg and
voice/<id>.ogg. A sealed
file is that zip encrypted with AES-256-GCM in chunks, behind a small clear header that holds only the magic, the
key derivation's salt and cost, and the nonce: it tells nothing but that it is a sealed kompas file.

Nothing in a file is trusted. `unpack` reads it in memory, checks every name, size and checksum, checks the kompas
data as the store checks its own file, and sends every photo through the photo import again (and every voice note
through its own check), into a folder that the caller throws away on any refusal.
"""

from __future__ import annotations

import collections
import enum
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kompas.base import clock
from kompas.base.files import sync_folder, write_atomically, write_new
from kompas.domain.model import MAX_KOMPAS_BYTES, MAX_NOTES_PER_STEP, MAX_TEXT, VOICE_FOLDER, Kompas
from kompas.media.photos import PHOTO_FOLDER, ImportedPhoto, PhotoProblem, import_photo, is_kept_size
from kompas.media.recording import VoiceProblem, clean_voice
from kompas.store import migrations
from kompas.store.migrations import app_version
from kompas.store.sealed import Unsealable, is_sealed, seal, unseal
from kompas.store.storage import DB_FILE, StoreProblem, check_kompas_bytes

__all__ = [
    "FORMAT_VERSION", "MAX_FILE", "SUFFIX", "FileProblem", "Manifest", "Refused", "pack", "unpack",
]

SUFFIX = ".kompas"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# Limits for what comes in. A five-year kompas is 0.4 MB of data and about 500 photos of 0.2 to 1 MB each; these
# leave ten times that room, and stop a file made to fill the disk or the memory before it is read.
MAX_FILE = 512 * 2**20  # the .kompas file itself
MAX_ENTRIES = 10_001  # the manifest, the data, and 9,999 photos and voice notes
MAX_MANIFEST = 4 * 2**20
MAX_DATA = MAX_KOMPAS_BYTES  # kompas.json: what the store itself would still write
MAX_PHOTO = 32 * 2**20
# Three minutes of Opus is about 0.7 MB; a sound file of another kind (made again on the way in) may be bigger.
MAX_VOICE = 16 * 2**20
MAX_TOTAL = 2 * 2**30
# Photos do not compress and the data about five to ten times; a thousandfold is a zip bomb.
MAX_RATIO = 100
_RATIO_FROM = 2**20  # a small entry cannot fill anything, whatever its ratio

# Photos taken in side by side: decoding and encoding a 1600 px photo is most of taking a file in.
_PHOTO_WORKERS = 2

_PHOTO_NAME = re.compile(rf"{PHOTO_FOLDER}/([0-9a-f]{{32}})\.jpg")
_VOICE_NAME = re.compile(rf"{VOICE_FOLDER}/([0-9a-f]{{32}})\.ogg")


class FileProblem(enum.Enum):
    """Why a .kompas file was not taken in; only the screens and the command turn this into words."""

    EMPTY = "empty"
    NOT_KOMPAS = "not_kompas"  # neither a kompas file nor a sealed one: a photo, a document, another zip
    TOO_LARGE = "too_large"
    DAMAGED = "damaged"  # cut off, or changed after it was made
    UNSAFE_NAME = "unsafe_name"  # a name that points outside its folder: .., /, \, a drive
    LINK = "link"  # a symbolic link, a folder or another kind of entry the app never writes
    DUPLICATE = "duplicate"
    TOO_MANY = "too_many"
    BOMB = "bomb"  # unpacks to far more than it holds
    NO_CHECKSUM = "no_checksum"
    CHECKSUM = "checksum"
    UNKNOWN_FILE = "unknown_file"
    MISSING_FILE = "missing_file"
    TOO_NEW = "too_new"
    BAD_DATA = "bad_data"
    TOO_MUCH_TEXT = "too_much_text"  # a text longer, or more notes at one step, than typing lets a client write
    BAD_PHOTO = "bad_photo"
    BAD_VOICE = "bad_voice"
    NEEDS_PASSPHRASE = "needs_passphrase"
    WRONG_PASSPHRASE = "wrong_passphrase"
    NOT_SAVED = "not_saved"
    CANNOT_SEAL = "cannot_seal"  # no cryptography on this device: a sealed file can be neither made nor opened here


class Refused(Exception):
    def __init__(self, problem: FileProblem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Manifest:
    """What the file says about the kompas in it: enough for the shelf's card, nothing the client wrote inside."""

    kompas_id: str
    nickname: str
    look: str
    created: str
    language: str | None
    discreet: bool
    lock_minutes: int | None
    made: str
    app: str
    photos: int
    missing: tuple[str, ...] = ()  # photos and voice notes the kompas names whose files the sending device had lost
    voices: int = 0
    # The kompas had a PIN on the device that made the file: the PIN itself never travels, but the new device can
    # say so and offer to set one.
    had_pin: bool = False


# Making a file

def pack(data: bytes, folder: Path, card: dict[str, Any], passphrase: str | None = None,
         made: datetime | None = None, had_pin: bool = False) -> bytes:
    """The .kompas file for the kompas whose stored bytes are `data`, with the photos and voice notes it names from
    `folder`.

    `card`: id, nickname, look, created, language, discreet and lock_minutes, as the shelf keeps them. The PIN
    does not travel: a hash of 4 to 6 digits in a file is guessed in seconds, and the file has its passphrase.
    `had_pin` only says that there was one, so that the receiving device can offer to set one.
    """
    made = made or clock.now()
    checked = check_kompas_bytes(data)
    if isinstance(checked, StoreProblem):
        raise ValueError(f"not a kompas this app can copy ({checked.value})")
    files: list[tuple[str, bytes]] = [(DB_FILE, data)]
    missing = []
    named = {p.file for p in checked[1].photos} | {v.file for v in checked[1].voices()}
    for name in sorted(named, key=lambda n: (not n.startswith(PHOTO_FOLDER), n)):  # the photos first, as always
        try:
            files.append((name, (folder / name).read_bytes()))
        except FileNotFoundError:
            # A photo or voice note the kompas names but this device lost: the rest still goes along, and the
            # manifest says which one is missing on purpose, so that a file cut short is still told from it.
            missing.append(name)
    manifest = {
        "format": "kompas",
        "version": FORMAT_VERSION,
        "app": app_version(),
        "schema": migrations.SCHEMA_VERSION,
        "made": made.isoformat(timespec="seconds"),
        "kompas": {**card, "had_pin": had_pin},
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in files},
        "missing": missing,
    }
    buffer = io.BytesIO()
    stamp = made.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in [(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")), *files]:
            info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            # Photos and voice notes are compressed already: squeezing them again costs time and gains nothing.
            info.compress_type = zipfile.ZIP_STORED if name.endswith((".jpg", ".ogg")) else zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            archive.writestr(info, content)
    plain = buffer.getvalue()
    if passphrase is None:
        return plain
    try:
        return seal(plain, passphrase)
    except Unsealable as refused:
        raise Refused(FileProblem(refused.problem.value)) from None


# Taking a file in

def unpack(raw: bytes, passphrase: str | None, into: Path) -> Manifest:
    """Check the .kompas file whole and put its kompas in `into`: kompas.json, each photo with its thumbnail, and
    each voice note.

    Raises Refused with the reason; `into` may then hold part of it, and the caller removes it. The data comes out
    at the current schema, migrated if the file is older.
    """
    if not raw:
        raise Refused(FileProblem.EMPTY)
    if len(raw) > MAX_FILE:
        raise Refused(FileProblem.TOO_LARGE)
    if is_sealed(raw):
        try:
            raw = unseal(raw, passphrase)
        except Unsealable as refused:
            raise Refused(FileProblem(refused.problem.value)) from None
    elif not raw.startswith(b"PK\x03\x04"):
        raise Refused(FileProblem.NOT_KOMPAS)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Refused(FileProblem.DAMAGED) from None
    with archive:
        entries = _check_entries(archive)
        manifest, sums = _read_manifest(archive, entries)
        _check_listed(entries, sums)
        data = _read(archive, entries[DB_FILE], sums, MAX_DATA)
        # Cleaned as typed words are: no control characters or direction overrides come in from a file.
        checked = check_kompas_bytes(data, from_outside=True)
        if checked is StoreProblem.TOO_NEW:
            raise Refused(FileProblem.TOO_NEW)
        if checked is StoreProblem.UNREADABLE:
            raise Refused(FileProblem.BAD_DATA)
        stored, kompas = checked
        if not _as_typed(kompas):
            raise Refused(FileProblem.TOO_MUCH_TEXT)
        photos = {photo.id: photo for photo in kompas.photos}
        for photo in kompas.photos:
            if (photo.file, photo.thumb) != (f"{PHOTO_FOLDER}/{photo.id}.jpg", f"{PHOTO_FOLDER}/{photo.id}-klein.jpg") \
                    or not _PHOTO_NAME.fullmatch(photo.file):
                raise Refused(FileProblem.BAD_DATA)
            if photo.file not in entries and photo.file not in manifest.missing:
                raise Refused(FileProblem.MISSING_FILE)
        voices = {voice.file for voice in kompas.voices()}
        for voice in voices:
            if voice not in entries and voice not in manifest.missing:
                raise Refused(FileProblem.MISSING_FILE)
        for name in entries:
            match = _PHOTO_NAME.fullmatch(name)
            if (match and match[1] not in photos) or (_VOICE_NAME.fullmatch(name) and name not in voices):
                raise Refused(FileProblem.UNKNOWN_FILE)  # a photo or voice the kompas does not name: not ours to keep
        try:
            into.mkdir(parents=True, exist_ok=True)
            # A photo lost on the device it came from is not in the file: the kompas keeps its words, as it did there.
            _take_photos(archive, entries, sums, [photo.id for photo in kompas.photos if photo.file in entries], into)
            if any(name in entries for name in voices):
                (into / VOICE_FOLDER).mkdir(exist_ok=True)
                for name in voices:
                    if name in entries:
                        _take_voice(_read(archive, entries[name], sums, MAX_VOICE), into / name)
                sync_folder(into / VOICE_FOLDER)
            # Last, with the folder synced: what the photo and voice folders hold is on the disk before the kompas is.
            write_atomically(into / DB_FILE, stored)
        except OSError:
            raise Refused(FileProblem.NOT_SAVED) from None
    return manifest


def _as_typed(kompas: Kompas) -> bool:
    """Whether the kompas keeps to what typing lets a client write: no text over MAX_TEXT, no step with more than
    MAX_NOTES_PER_STEP notes. One 10 MB note made a screen take a minute to open."""
    action_texts = lambda action: (action.text, action.helper, action.first_step)  # noqa: E731
    texts = [
        *(note.text for note in kompas.notes), kompas.wish, kompas.poster.name,
        *(photo.caption for photo in kompas.photos), *(checkin.note for checkin in kompas.checkins),
        *(action_texts(kompas.action) if kompas.action else ()),
        *(text for period in kompas.periods for text in (
            *action_texts(period.action), *(checkin.note for checkin in period.checkins),
            period.look_back.went_well, period.look_back.learned, period.look_back.helped)),
    ]
    if any(len(text) > MAX_TEXT for text in texts):
        return False
    counts = collections.Counter((note.condition, note.step) for note in kompas.notes)
    return not counts or max(counts.values()) <= MAX_NOTES_PER_STEP


def _take_photos(archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], sums: dict[str, str],
                 photo_ids: list[str], into: Path) -> None:
    """Every photo through the photo import again, as if the client picked it: only a clean picture enters, encoded
    anew. Photos of the size the app keeps go side by side (Pillow lets go of the GIL while it decodes and encodes);
    a bigger picture goes alone, so that two of them are never whole in memory at once. Each is written and synced in
    the new folder, and the photo folder is synced once at the end."""
    if not photo_ids:
        return
    workers = max(1, min(_PHOTO_WORKERS, os.cpu_count() or 1))
    waiting: collections.deque[Future] = collections.deque()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            for photo_id in photo_ids:
                # Read (and checked against its checksum) here, one at a time; at most a few photos wait in memory.
                data = _read(archive, entries[f"{PHOTO_FOLDER}/{photo_id}.jpg"], sums, MAX_PHOTO)
                alone = not is_kept_size(data)
                while waiting and (alone or len(waiting) >= workers):
                    _imported(waiting.popleft().result())
                waiting.append(pool.submit(import_photo, data, into, photo_id, True))
            while waiting:
                _imported(waiting.popleft().result())
        except BaseException:
            for future in waiting:
                future.cancel()
            raise
    sync_folder(into / PHOTO_FOLDER)


def _imported(outcome: ImportedPhoto | PhotoProblem) -> None:
    if not isinstance(outcome, ImportedPhoto):
        raise Refused(FileProblem.NOT_SAVED if outcome is PhotoProblem.NOT_SAVED else FileProblem.BAD_PHOTO)


def _take_voice(data: bytes, path: Path) -> None:
    """A voice note onto the device: checked to be a sound, and made again unless it is one as the app makes it."""
    cleaned = clean_voice(data)
    if cleaned is VoiceProblem.CANNOT:
        # A device that cannot play or make Opus cannot check it either: the bytes wait, whole, for one that can.
        cleaned = data, 0.0
    elif isinstance(cleaned, VoiceProblem):
        raise Refused(FileProblem.BAD_VOICE)
    write_new(path, cleaned[0])


def _check_entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Refused(FileProblem.TOO_MANY)
    entries: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        # A folder's name ends in "/" (zip tools add "photos/" when a kompas file is zipped again by hand): that is
        # no name pointing out of the kompas, and it is told as the folder it is, below.
        parts = (name[:-1] if info.is_dir() else name).split("/")
        if ("\\" in name or name.startswith("/") or ":" in name or "\x00" in name or any(p in ("", ".", "..")
                                                                                       for p in parts)):
            raise Refused(FileProblem.UNSAFE_NAME)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if info.is_dir() or kind not in (0, stat.S_IFREG):
            raise Refused(FileProblem.LINK)
        # Two names that one file system takes for the same file ("Foto.jpg" and "foto.jpg" on a phone) are twins.
        same = unicodedata.normalize("NFC", name).casefold()
        if same in seen:
            raise Refused(FileProblem.DUPLICATE)
        seen.add(same)
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(FileProblem.UNKNOWN_FILE)  # zip's own weak encryption, or a method the app never uses
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise Refused(FileProblem.BOMB)
        total += info.file_size
        if info.file_size > MAX_DATA or total > MAX_TOTAL:
            raise Refused(FileProblem.TOO_LARGE)
        entries[name] = info
    return entries


def _read_manifest(archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> tuple[Manifest, dict[str, str]]:
    if MANIFEST not in entries:
        raise Refused(FileProblem.NOT_KOMPAS)
    raw = _read(archive, entries[MANIFEST], None, MAX_MANIFEST)
    try:
        doc = json.loads(raw)
        if doc.get("format") != "kompas":
            raise Refused(FileProblem.NOT_KOMPAS)
        version, card, sums = doc["version"], doc["kompas"], doc["files"]
        if type(version) is not int:
            raise ValueError("no version")
        if version > FORMAT_VERSION or (type(doc.get("schema")) is int and doc["schema"] > migrations.SCHEMA_VERSION):
            raise Refused(FileProblem.TOO_NEW)
        if not isinstance(sums, dict) or not all(type(v) is str and re.fullmatch(r"[0-9a-f]{64}", v)
                                                  for v in sums.values()):
            raise Refused(FileProblem.NO_CHECKSUM)
        kompas_id = card["id"]
        # All zeros is the shelf's mark for a kompas still lying loose in a read-only data folder (shelf.UNMOVED),
        # never a real id: taken in under it, a kompas would lead to the data folder itself and never open again.
        if type(kompas_id) is not str or not re.fullmatch(r"[0-9a-f]{32}", kompas_id) or kompas_id == "0" * 32:
            raise ValueError("not a kompas id")
        language, minutes = card.get("language"), card.get("lock_minutes")
        manifest = Manifest(
            kompas_id=kompas_id, nickname=_text(card.get("nickname")), look=_text(card.get("look")),
            created=_text(card.get("created")),
            language=language if type(language) is str else None,
            # Anything but a plain false keeps it discreet: a damaged flag never shows a discreet kompas's name.
            discreet=card.get("discreet", False) is not False,
            lock_minutes=minutes if type(minutes) is int else None,
            made=_text(doc.get("made")), app=_text(doc.get("app")),
            photos=sum(1 for name in sums if _PHOTO_NAME.fullmatch(name)),
            missing=_missing(doc.get("missing", [])),
            voices=sum(1 for name in sums if _VOICE_NAME.fullmatch(name)),
            had_pin=card.get("had_pin") is True,
        )
    except Refused:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise Refused(FileProblem.DAMAGED) from None
    return manifest, sums


def _missing(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(type(v) is str and (_PHOTO_NAME.fullmatch(v) or _VOICE_NAME.fullmatch(v))
                                              for v in value):
        raise ValueError("not a list of photo and voice files")
    return tuple(value)


def _text(value: Any) -> str:
    return value if type(value) is str else ""


def _check_listed(entries: dict[str, zipfile.ZipInfo], sums: dict[str, str]) -> None:
    """Every file has its checksum in the manifest, and every file the manifest lists is there and is one we know."""
    for name in entries:
        if name == MANIFEST:
            continue
        if name != DB_FILE and not _PHOTO_NAME.fullmatch(name) and not _VOICE_NAME.fullmatch(name):
            raise Refused(FileProblem.UNKNOWN_FILE)
        if name not in sums:
            raise Refused(FileProblem.NO_CHECKSUM)
    if any(name not in entries for name in sums) or DB_FILE not in entries:
        raise Refused(FileProblem.MISSING_FILE)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sums: dict[str, str] | None, limit: int) -> bytes:
    if info.file_size > limit:
        raise Refused(FileProblem.TOO_LARGE)
    try:
        with archive.open(info) as entry:
            # Never more than the limit, whatever the entry's header claims about its size.
            content = entry.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise Refused(FileProblem.DAMAGED) from None
    if len(content) > limit:
        raise Refused(FileProblem.TOO_LARGE)
    if sums is not None and hashlib.sha256(content).hexdigest() != sums.get(info.filename):
        raise Refused(FileProblem.CHECKSUM)
    return content

