"""Keeps the kompas on the device: one TinyDB file held in memory, each change written once, atomically."""

from __future__ import annotations

import contextlib
import enum
import logging
import os
from datetime import date
from pathlib import Path
from typing import Any, Callable

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document, Table

from kompas.base import clock
from kompas.base.files import PRIVATE_FOLDER, keep_aside, write_atomically
from kompas.domain.model import (
    MAX_KOMPAS_BYTES,
    Action,
    CheckIn,
    Kompas,
    Note,
    Period,
    Photo,
    PosterChoice,
    Voice,
)
from kompas.store import codec, migrations
from kompas.store.backups import Backups
from kompas.store.lock import FolderLock

__all__ = ["AtomicJSONStorage", "KompasFull", "Store", "StoreProblem", "SCHEMA_VERSION", "DB_FILE",
           "check_kompas_bytes"]

log = logging.getLogger(__name__)

# Kept in kompas/store/migrations.py, beside the steps that bring older files up to it.
SCHEMA_VERSION = migrations.SCHEMA_VERSION
DB_FILE = "kompas.json"


class StoreProblem(enum.Enum):
    """Why a store did not simply open the file as it was; a file there is never overwritten.

    UNREADABLE: the file is renamed aside and a new kompas starts.
    TOO_NEW: a newer app wrote it; it stays where it is and this app writes nothing.
    READ_ONLY: the folder cannot be written; what can be read is shown, and nothing changes.
    """

    UNREADABLE = "unreadable"
    TOO_NEW = "too_new"
    READ_ONLY = "read_only"


class KompasFull(OSError):
    """A change would make the kompas file bigger than MAX_KOMPAS_BYTES: it is not stored, as a full disk would not."""



def _new_tables() -> dict[str, Any]:
    """What a kompas that was never written holds: only its schema version, which its first write carries."""
    return {"meta": {"1": {"schema": migrations.SCHEMA_VERSION}}}


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file: temp file, fsync, rename, fsync of the folder.

    The tables live in memory after the file was read once; each change writes the file
    once and reads nothing. `tables` is the file as already parsed when it was opened.
    """

    def __init__(self, path: Path, tables: dict[str, Any] | None = None, today: Callable[[], date] = clock.today):
        self.path = Path(path)
        self._tables = tables
        self._today = today
        # Each table's JSON as last written, with the table object it was made from. TinyDB
        # puts a new dict in place of a table it changes, so a table that is still the same
        # object is unchanged, and a write only encodes the tables that changed.
        self._encoded: dict[str, tuple[Any, bytes]] = {}
        # Of a changed table, each document's JSON ('"7":{...}') as last written, by its id. Only the documents the
        # store said it changes (see `changing`) and new ones are encoded again: a caption re-encoded all 5,000 photos.
        self._documents: dict[str, dict[str, bytes]] = {}
        self._changing: dict[str, frozenset[str]] = {}

    def changing(self, table: str, doc_ids=()) -> None:
        """Say that the next write changes only these documents of `table` (by id), besides adding or removing some.

        Without it, a changed table is encoded whole: nothing else tells which of its documents TinyDB changed in place.
        """
        self._changing[table] = frozenset(str(doc_id) for doc_id in doc_ids)

    def read(self) -> dict[str, Any]:
        if self._tables is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                raw = b""
            self._tables = codec.parse(raw) if raw.strip() else _new_tables()
        return self._tables

    def write(self, data: dict[str, Any]) -> None:
        try:
            payload = self._encode(data)
            if len(payload) > MAX_KOMPAS_BYTES:
                raise KompasFull("the kompas would be bigger than the app keeps")
            _write_atomically(self.path, payload, changed=clock.stamp(self._today()))
        except BaseException:
            # TinyDB changed the tables in place before handing them here, so after a failed
            # write they hold a change the client is told failed. Forget them: the next change
            # starts again from the file, and cannot carry this one along.
            self._tables = None
            self._encoded.clear()
            self._documents.clear()
            raise
        finally:
            self._changing.clear()
        self._tables = data

    def _encode(self, data: dict[str, Any]) -> bytes:
        parts = []
        for name, table in data.items():
            encoded = self._encoded.get(name)
            if encoded is None or encoded[0] is not table:
                encoded = self._encoded[name] = (table, self._encode_table(name, table))
            parts.append(codec.to_json(name) + b":" + encoded[1])
        for gone in self._encoded.keys() - data.keys():
            del self._encoded[gone]
            self._documents.pop(gone, None)
        return b"{" + b",".join(parts) + b"}"

    def _encode_table(self, name: str, table: dict[str, Any]) -> bytes:
        changed, documents = self._changing.get(name), self._documents.get(name)
        if changed is None or documents is None:
            # Without word of what changed, any document may have: all are encoded.
            documents = {doc_id: codec.to_json(doc_id) + b":" + codec.to_json(doc) for doc_id, doc in table.items()}
        else:
            # TinyDB keeps a table's order and adds new documents at its end: the JSON kept stays in step with it.
            for gone in documents.keys() - table.keys():
                del documents[gone]
            for doc_id in changed | (table.keys() - documents.keys()):
                documents[doc_id] = codec.to_json(doc_id) + b":" + codec.to_json(table[doc_id])
            if list(documents) != list(table):
                documents = {doc_id: documents[doc_id] for doc_id in table}
        self._documents[name] = documents
        return b"{" + b",".join(documents.values()) + b"}"

    def close(self) -> None:
        pass



# Named here so that a test can make the disk "full" for the store alone.
_write_atomically = write_atomically

class Store:
    """The one place that reads and writes the kompas; each method is one atomic write.

    A store on a folder holds the folder's lock until close(); use it as a context manager
    to be sure. A second Store.open of the same folder, in this process or another, raises
    FolderInUse.
    """

    def __init__(self, db: TinyDB, problem: StoreProblem | None = None, kept_aside: Path | None = None,
                 read_only: bool = False, folder: Path | None = None, lock: FolderLock | None = None,
                 opened: Kompas | None = None, today: Callable[[], date] = clock.today):
        self._db = db
        self.folder = folder  # the data folder; None for a store in memory
        self.problem = problem
        self.kept_aside = kept_aside  # the file the problem is about: renamed aside, or left in place
        self.read_only = read_only
        self._lock = lock
        self._closed = False
        # The kompas built while the file was checked at opening: the first load returns it, so
        # opening builds it only once. Any write makes it stale.
        self._opened = opened
        self._today = today
        # A store in memory, or one that cannot write, keeps no backups.
        self.backups = Backups(folder / DB_FILE, today) if folder is not None and not read_only else None
        self._use(db)

    def _use(self, db: TinyDB) -> None:
        self._db = db
        self._notes = db.table("notes")
        self._photos = db.table("photos")
        self._kompas = db.table("kompas")
        # Of notes and photos: each one's TinyDB document id by its own id, found once, so that a change finds its
        # document without looking through all of them (a caption looked through 5,000 photos twice).
        self._doc_ids: dict[str, dict[str, int]] = {}

    @classmethod
    def in_memory(cls) -> Store:
        db = TinyDB(storage=MemoryStorage)
        db.storage.write(_new_tables())
        return cls(db)

    @classmethod
    def open(cls, folder: Path, today: Callable[[], date] = clock.today) -> Store:
        """Open the kompas in `folder`; a file that cannot be used is renamed, never overwritten.

        A file from an older app is brought up to today's schema, after the original is kept aside beside it.
        `today` names the day of each backup. Raises FolderInUse when another copy of the app has the folder open.
        """
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        except OSError:
            # No folder and none can be made: nothing to show, and nowhere to write.
            return cls._read_only(None, StoreProblem.READ_ONLY, folder)
        lock = FolderLock.take(folder)
        try:
            return cls._open_locked(folder, lock, today)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _open_locked(cls, folder: Path, lock: FolderLock | None, today: Callable[[], date]) -> Store:
        path = folder / DB_FILE
        # os.access also sees a folder on a read-only mount, where even root cannot write.
        writable = os.access(folder, os.W_OK)
        if writable:
            # A write cut off by a crash leaves only its temp file behind; the real file is whole.
            for stale in folder.glob(f".{DB_FILE}.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink(missing_ok=True)
        problem, tables, kompas, older = _judge(path)
        if older is not None and writable:
            writable = _migrate_in_place(path, older, tables)
        if problem is StoreProblem.TOO_NEW:
            # Leave the newer file in place for the newer app; keep this session in memory, unable to write.
            return cls._read_only(None, problem, folder, lock)
        if problem is StoreProblem.UNREADABLE and writable:
            kept_aside = _keep_aside(path)
            if kept_aside is not None:
                return cls(TinyDB(path, storage=AtomicJSONStorage, tables=_new_tables(), today=today), problem, kept_aside,
                           folder=folder, lock=lock, today=today)
            writable = False  # it could not be renamed, so it must not be written over either
        if not writable:
            return cls._read_only(tables, StoreProblem.READ_ONLY, folder, lock, kompas)
        return cls(TinyDB(path, storage=AtomicJSONStorage, tables=tables or _new_tables(), today=today), folder=folder,
                   lock=lock, opened=kompas, today=today)

    @classmethod
    def _read_only(cls, tables: dict[str, Any] | None, problem: StoreProblem, folder: Path,
                   lock: FolderLock | None = None, kompas: Kompas | None = None) -> Store:
        """A store that shows `tables` (when they could be read) and refuses every write."""
        db = TinyDB(storage=MemoryStorage)
        db.storage.write(tables or _new_tables())
        return cls(db, problem, folder / DB_FILE, read_only=True, folder=folder, lock=lock, opened=kompas)

    def load(self) -> Kompas:
        kompas, self._opened = self._opened, None
        return kompas if kompas is not None else codec.kompas_from(self._db.storage.read())

    def put_note(self, note: Note) -> None:
        self._before_write()
        self._put(self._notes, codec.note_to(note))

    def remove_note(self, note_id: str) -> None:
        self._before_write()
        self._remove(self._notes, note_id)

    def put_wish(self, wish: str) -> None:
        self._put_state({"wish": wish})

    def put_action(self, action: Action) -> None:
        self._put_state({"action": codec.action_to(action)})

    def put_action_with(self, action: Action, waiting: dict[str, Voice]) -> None:
        """The action, and the voice notes still waiting for their form, in one write: a voice is never in both."""
        self._put_state({"action": codec.action_to(action), "waiting": codec.waiting_to(waiting)})

    def put_progress(self, checkins: list[CheckIn], done: bool, waiting: dict[str, Voice] | None = None) -> None:
        fields = {"checkins": [codec.checkin_to(c) for c in checkins], "done": done}
        if waiting is not None:
            fields["waiting"] = codec.waiting_to(waiting)
        self._put_state(fields)

    def put_waiting(self, waiting: dict[str, Voice]) -> None:
        self._put_state({"waiting": codec.waiting_to(waiting)})

    def close_period(self, periods: list[Period], waiting: dict[str, Voice]) -> None:
        """Archive the period and clear the current one in a single write, so a crash cannot leave it twice."""
        self._put_state({"periods": [codec.period_to(p) for p in periods], "action": None, "checkins": [], "done": False,
                         "waiting": codec.waiting_to(waiting)})

    def put_photo(self, photo: Photo) -> None:
        self._before_write()
        self._put(self._photos, codec.photo_to(photo))

    def remove_photo(self, photo_id: str) -> None:
        self._before_write()
        self._remove(self._photos, photo_id)

    def _ids(self, table: Table) -> dict[str, int]:
        ids = self._doc_ids.get(table.name)
        if ids is None:
            ids = self._doc_ids[table.name] = {doc["id"]: doc.doc_id for doc in table}
        return ids

    def _changing(self, table: Table, doc_ids=()) -> None:
        if isinstance(self._db.storage, AtomicJSONStorage):
            self._db.storage.changing(table.name, doc_ids)

    def _put(self, table: Table, doc: dict[str, Any]) -> None:
        """Update the document with doc's id, or insert it: one write either way (TinyDB's upsert writes twice)."""
        ids = self._ids(table)
        doc_id = ids.get(doc["id"])
        if doc_id is not None:
            self._changing(table, (doc_id,))
            table.update(doc, doc_ids=[doc_id])
        else:
            self._changing(table)
            ids[doc["id"]] = table.insert(doc)

    def _remove(self, table: Table, item_id: str) -> None:
        ids = self._ids(table)
        doc_id = ids.get(item_id)
        if doc_id is None:
            return
        self._changing(table)
        table.remove(doc_ids=[doc_id])
        del ids[item_id]

    def put_poster(self, poster: PosterChoice) -> None:
        self._put_state({"poster": codec.poster_to(poster)})

    def _put_state(self, fields: dict[str, Any]) -> None:
        self._before_write()
        # The tables are in memory: asking whether the state is there reads no file.
        if self._kompas.contains(doc_id=1):
            self._kompas.update(fields, doc_ids=[1])
        else:
            # Named document 1 outright: TinyDB counts on from an insert that failed to be written.
            self._kompas.insert(Document(fields, doc_id=1))

    def _before_write(self) -> None:
        if self.read_only:
            raise PermissionError("this kompas cannot be changed here")
        if self._closed:
            raise OSError("this kompas was closed")
        self._opened = None
        if self.backups is not None:
            self.backups.before_change()

    # The whole kompas at once: a copy to take along, and going back to a backup

    def snapshot(self) -> bytes:
        """The kompas as stored, as the bytes of its file: what a .kompas file or a backup holds.

        PermissionError for a kompas from a newer app: this one shows nothing of it, so a copy would be empty.
        """
        if self.problem is StoreProblem.TOO_NEW:
            raise PermissionError("a kompas from a newer app cannot be copied by this one")
        return codec.to_json(self._db.storage.read())

    def restore(self, day: date) -> Kompas:
        """Make the backup of `day` the kompas again, and return it.

        The kompas as it is now becomes the backup of today first, so going back can itself be undone. Raises
        ValueError when that backup cannot be read (it is left as it is), OSError when nothing could be stored.
        """
        if self.backups is None:
            raise PermissionError("this kompas keeps no backups here")
        # Read and checked before anything is written: the write below may make a backup of its own, and with
        # seven kept already that one pushes out the oldest, which may be the very one asked for.
        checked = check_kompas_bytes(self.backups.read(day))
        if isinstance(checked, StoreProblem):
            raise ValueError(f"the backup of {day} cannot be used ({checked.value})")
        raw, kompas = checked
        self._before_write()
        self.backups.keep(self._today(), self.snapshot())
        path = self.folder / DB_FILE
        _write_atomically(path, raw, changed=clock.stamp(self._today()))
        self._use(TinyDB(path, storage=AtomicJSONStorage, tables=codec.parse(raw), today=self._today))
        return kompas

    def close(self) -> None:
        """Let go of the folder; this store writes nothing after this."""
        self._closed = True
        self._db.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _keep_aside(path: Path) -> Path | None:
    """Put an unreadable kompas file aside under a name of its own; None when it cannot be renamed."""
    kept_aside = keep_aside(path, f"kompas.{StoreProblem.UNREADABLE.value}")
    if kept_aside is None:
        log.warning("a damaged kompas file could not be put aside")
    else:
        log.warning("a damaged kompas file was put aside as %s", kept_aside.name)
    return kept_aside


# What a damaged file can make json or the codec's checks raise. Whatever the damage, the
# file is then kept aside unchanged, so nothing in it is lost.
_DAMAGE = (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError)


_Judged = tuple[StoreProblem | None, dict[str, Any] | None, Kompas | None, int | None]


def _judge(path: Path) -> _Judged:
    """Why the file at `path` cannot be opened as it is (or None), its tables, the kompas in them, and the older
    schema it was migrated from (None when it is at today's).

    The file is read and parsed once; building the kompas is the check that every part of it is ours.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None, None, None
    except OSError as error:
        log.warning("the kompas file could not be read (%s)", type(error).__name__)
        return StoreProblem.UNREADABLE, None, None, None
    if not raw.strip():
        return None, None, None, None  # a file that was made but never written: an empty kompas
    return _judge_bytes(raw)


def _judge_bytes(raw: bytes) -> _Judged:
    try:
        tables = codec.parse(raw)
        schema = tables["meta"]["1"]["schema"]
        if not isinstance(schema, int) or isinstance(schema, bool):
            return StoreProblem.UNREADABLE, None, None, None
        # A newer app may have changed what a note looks like: say so before judging the notes.
        if schema > migrations.SCHEMA_VERSION:
            return StoreProblem.TOO_NEW, None, None, None
        older = schema if schema < migrations.SCHEMA_VERSION else None
        if older is not None:
            tables = migrations.migrate(tables)
        return None, tables, codec.kompas_from(tables), older
    except _DAMAGE as error:
        # The kind of damage only: the message could quote the client's words.
        log.warning("the kompas file is damaged (%s)", type(error).__name__)
        return StoreProblem.UNREADABLE, None, None, None


def check_kompas_bytes(raw: bytes, from_outside: bool = False) -> tuple[bytes, Kompas] | StoreProblem:
    """Check a kompas file's bytes as opening it would: the bytes to store (at today's schema) and the kompas in
    them, or why they cannot be used (UNREADABLE, TOO_NEW). The same bytes come back when nothing changed.

    `from_outside` (a .kompas file): every text a client types is cleaned as typing cleans it (kompas/domain/words.py):
    no control characters or direction overrides come in that the keyboard would have kept out.
    """
    problem, tables, kompas, older = _judge_bytes(raw) if raw.strip() else (StoreProblem.UNREADABLE, None, None, None)
    if problem is not None:
        return problem
    if from_outside and codec.clean_texts(tables):
        return codec.to_json(tables), codec.kompas_from(tables)
    return (raw if older is None else codec.to_json(tables)), kompas



def _migrate_in_place(path: Path, older: int, tables: dict[str, Any]) -> bool:
    """Keep the file of an older schema aside (renamed, unchanged), then write its migrated tables in its place.

    False when either failed: the store then shows the migrated kompas but writes nothing, and the old file is
    where it was.
    """
    kept = keep_aside(path, f"kompas.schema-{older}")
    if kept is None:
        return False
    try:
        _write_atomically(path, codec.to_json(tables))
    except OSError:
        os.replace(kept, path)
        return False
    log.info("the kompas file was brought from schema %d to %d; the original is %s", older,
             migrations.SCHEMA_VERSION, kept.name)
    return True
