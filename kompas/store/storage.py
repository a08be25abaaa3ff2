"""Keeps the kompas on the device: one TinyDB file held in memory, each change written once, atomically."""

from __future__ import annotations

import contextlib
import enum
import logging
import os
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

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
    """TinyDB storage of the kompas file, never left half-written: temp file, fsync, rename, fsync of the folder.

    The file is read and parsed once, when TinyDB first asks for it; after that the tables live in memory, and each
    change writes the file once and reads nothing. A change made through a KompasTable encodes again only the
    documents it touches; any other write encodes the whole file.
    """

    def __init__(self, path: Path, today: Callable[[], date] = clock.today):
        self.path = Path(path)
        self._today = today
        self._tables: dict[str, Any] | None = None
        # Of each table as last written: each document's JSON with its id ('"7":{...}') by id, and the table's JSON.
        self._encoded: dict[str, tuple[dict[str, bytes], bytes]] = {}
        # What the table operation under way may change: documents by table, None for any in that table.
        self._changing: dict[str, frozenset[str] | None] | None = None

    def read(self) -> dict[str, Any]:
        """The tables; raises OSError when the file cannot be read, and what codec.DAMAGE names when it is damaged."""
        if self._tables is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                raw = b""
            self._tables = codec.parse(raw) if raw.strip() else _new_tables()
        return self._tables

    @contextlib.contextmanager
    def changing(self, table: str, doc_ids: Iterable[int] | None) -> Iterator[None]:
        """While inside, a write changes only these documents of `table` (None: any of them), besides adding and
        removing some: the rest of the file is written as it was."""
        self._changing = {table: None if doc_ids is None else frozenset(str(doc_id) for doc_id in doc_ids)}
        try:
            yield
        finally:
            self._changing = None

    def write(self, data: dict[str, Any]) -> None:
        try:
            payload = b"{" + b",".join(codec.to_json(name) + b":" + self._encode(name, table)
                                       for name, table in data.items()) + b"}"
            if len(payload) > MAX_KOMPAS_BYTES:
                raise KompasFull("the kompas would be bigger than the app keeps")
            _write_atomically(self.path, payload, changed=clock.stamp(self._today()))
        except BaseException:
            # The tables handed in are those read() gave out, changed: after a failed write they hold a change the
            # client is told failed, and so may the JSON kept. Forget both: the next change starts from the file.
            self._tables = None
            self._encoded.clear()
            raise
        self._tables = data

    def _encode(self, name: str, table: dict[str, Any]) -> bytes:
        encoded, changing = self._encoded.get(name), self._changing
        if encoded is not None and changing is not None and name not in changing:
            return encoded[1]  # a table the operation under way does not touch
        changed = None if changing is None else changing.get(name)
        if encoded is None or changed is None:
            documents = {doc_id: codec.to_json(doc_id) + b":" + codec.to_json(doc) for doc_id, doc in table.items()}
        else:
            documents = encoded[0]
            for gone in documents.keys() - table.keys():
                del documents[gone]
            for doc_id in changed | (table.keys() - documents.keys()):
                documents[doc_id] = codec.to_json(doc_id) + b":" + codec.to_json(table[doc_id])
            if list(documents) != list(table):  # in the table's order, whatever order the changes came in
                documents = {doc_id: documents[doc_id] for doc_id in table}
        json = b"{" + b",".join(documents.values()) + b"}"
        self._encoded[name] = documents, json
        return json

    def close(self) -> None:
        pass


class KompasTable(Table):
    """A TinyDB table that tells the kompas file's storage which of its documents each change touches, so that a
    write encodes only those: a caption would otherwise encode all 5,000 photos again.

    Every public method that changes a table says so: update with doc_ids names them; insert and remove change no
    document that stays; update by a query and upsert may change any of this table. A write from anywhere else is
    encoded whole.
    """

    def insert(self, document: Mapping) -> int:
        with self._changing(()):
            return super().insert(document)

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[int]:
        with self._changing(()):
            return super().insert_multiple(documents)

    def update(self, fields: Any, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        with self._changing(doc_ids):
            return super().update(fields, cond, doc_ids)

    def update_multiple(self, updates: Any) -> list[int]:
        with self._changing(None):
            return super().update_multiple(updates)

    def upsert(self, document: Mapping, cond: Any = None) -> list[int]:
        with self._changing(None):
            return super().upsert(document, cond)

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        with self._changing(()):  # what is gone the storage sees for itself
            return super().remove(cond, doc_ids)

    def truncate(self) -> None:
        with self._changing(()):
            super().truncate()

    def _changing(self, doc_ids: Iterable[int] | None) -> contextlib.AbstractContextManager[None]:
        storage = self.storage
        if isinstance(storage, AtomicJSONStorage):
            return storage.changing(self.name, doc_ids)
        return contextlib.nullcontext()


class KompasDB(TinyDB):
    """TinyDB with a KompasTable for each table, as TinyDB lets a subclass choose."""

    table_class = KompasTable


# Named here so that a test can make the disk "full" for the store alone.
_write_atomically = write_atomically


class Store:
    """The one place that reads and writes the kompas; each method is one atomic write.

    A store on a folder holds the folder's lock until close(); use it as a context manager
    to be sure. A second Store.open of the same folder, in this process or another, raises
    FolderInUse.
    """

    def __init__(self, db: TinyDB, folder: Path, problem: StoreProblem | None = None, kept_aside: Path | None = None,
                 read_only: bool = False, lock: FolderLock | None = None, opened: Kompas | None = None,
                 today: Callable[[], date] = clock.today):
        self._db = db
        self.folder = folder  # the kompas's folder: its file, photos, voice notes and posters
        self.problem = problem
        self.kept_aside = kept_aside  # the file the problem is about: renamed aside, or left in place
        self.read_only = read_only
        self._lock = lock
        self._closed = False
        # The kompas built while the file was checked at opening: the first load returns it, so
        # opening builds it only once. Any write makes it stale.
        self._opened = opened
        self._today = today
        self._use(db)
        # Only a kompas kept in its file has backups.
        self.backups = Backups(folder / DB_FILE, today) if self.in_file else None

    @property
    def in_file(self) -> bool:
        """Whether the kompas is written to its file: not for a store in memory, nor for one that cannot write."""
        return isinstance(self._db.storage, AtomicJSONStorage)

    def _use(self, db: TinyDB) -> None:
        self._db = db
        self._notes = db.table("notes")
        self._photos = db.table("photos")
        self._kompas = db.table("kompas")
        # Of notes and photos: each one's TinyDB document id by its own id, found once, so that a change finds its
        # document without looking through all of them (a caption looked through 5,000 photos twice).
        self._doc_ids: dict[str, dict[str, int]] = {}

    @classmethod
    def in_memory(cls, folder: Path) -> Store:
        """A store that keeps the kompas in memory only, never in a file, and its photos and voice notes in `folder`."""
        db = KompasDB(storage=MemoryStorage)
        db.storage.write(_new_tables())
        return cls(db, Path(folder))

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
        db = KompasDB(path, storage=AtomicJSONStorage, today=today)
        problem, tables, kompas, older = _judge(db.storage)
        if older is not None and tables is not None and writable:
            writable = _migrate_in_place(db.storage, path, older, tables)
        if problem is StoreProblem.TOO_NEW:
            # Leave the newer file in place for the newer app; keep this session in memory, unable to write.
            return cls._read_only(None, problem, folder, lock)
        if problem is StoreProblem.UNREADABLE and writable:
            kept_aside = _keep_aside(path)
            if kept_aside is not None:
                return cls(KompasDB(path, storage=AtomicJSONStorage, today=today), folder, problem, kept_aside,
                           lock=lock, today=today)
            writable = False  # it could not be renamed, so it must not be written over either
        if not writable:
            return cls._read_only(tables, StoreProblem.READ_ONLY, folder, lock, kompas)
        return cls(db, folder, lock=lock, opened=kompas, today=today)

    @classmethod
    def _read_only(cls, tables: dict[str, Any] | None, problem: StoreProblem, folder: Path,
                   lock: FolderLock | None = None, kompas: Kompas | None = None) -> Store:
        """A store that shows `tables` (when they could be read) and refuses every write."""
        db = KompasDB(storage=MemoryStorage)
        db.storage.write(tables or _new_tables())
        return cls(db, folder, problem, folder / DB_FILE, read_only=True, lock=lock, opened=kompas)

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

    def _put(self, table: Table, doc: dict[str, Any]) -> None:
        """Update the document with doc's id, or insert it: one write either way (TinyDB's upsert writes twice)."""
        ids = self._ids(table)
        doc_id = ids.get(doc["id"])
        if doc_id is not None:
            table.update(doc, doc_ids=[doc_id])
        else:
            ids[doc["id"]] = table.insert(doc)

    def _remove(self, table: Table, item_id: str) -> None:
        ids = self._ids(table)
        doc_id = ids.get(item_id)
        if doc_id is None:
            return
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
            # Named document 1 outright: the state is document 1 whatever ids the table gave out before (an insert
            # whose write failed still used one up).
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
        # A new TinyDB: the tables of this one, and the ids the store found in them, are of the kompas as it was.
        db = KompasDB(self.folder / DB_FILE, storage=AtomicJSONStorage, today=self._today)
        db.storage.write(codec.parse(raw))
        self._use(db)
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


_Judged = tuple[StoreProblem | None, dict[str, Any] | None, Kompas | None, int | None]


def _judge(storage: Storage) -> _Judged:
    """Why the kompas file cannot be opened as it is (or None), its tables, the kompas in them, and the older
    schema it was migrated from (None when it is at today's).

    The file is read and parsed once, by the storage; building the kompas is the check that every part of it is ours.
    """
    try:
        tables = storage.read()
    except OSError as error:
        log.warning("the kompas file could not be read (%s)", type(error).__name__)
        return StoreProblem.UNREADABLE, None, None, None
    except codec.DAMAGE as error:
        log.warning("the kompas file is damaged (%s)", type(error).__name__)
        return StoreProblem.UNREADABLE, None, None, None
    return _judge_tables(tables)


def _judge_tables(tables: Any) -> _Judged:
    try:
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
    except codec.DAMAGE as error:
        # The kind of damage only: the message could quote the client's words.
        log.warning("the kompas file is damaged (%s)", type(error).__name__)
        return StoreProblem.UNREADABLE, None, None, None


def check_kompas_bytes(raw: bytes, from_outside: bool = False) -> tuple[bytes, Kompas] | StoreProblem:
    """Check a kompas file's bytes as opening it would: the bytes to store (at today's schema) and the kompas in
    them, or why they cannot be used (UNREADABLE, TOO_NEW). The same bytes come back when nothing changed.

    `from_outside` (a .kompas file): every text a client types is cleaned as typing cleans it (kompas/domain/words.py):
    no control characters or direction overrides come in that the keyboard would have kept out.
    """
    try:
        parsed = codec.parse(raw) if raw.strip() else None
    except codec.DAMAGE as error:
        log.warning("the kompas file is damaged (%s)", type(error).__name__)
        parsed = None
    if parsed is None:
        return StoreProblem.UNREADABLE
    problem, tables, kompas, older = _judge_tables(parsed)
    if problem is not None:
        return problem
    if from_outside and codec.clean_texts(tables):
        return codec.to_json(tables), codec.kompas_from(tables)
    return (raw if older is None else codec.to_json(tables)), kompas


def _migrate_in_place(storage: Storage, path: Path, older: int, tables: dict[str, Any]) -> bool:
    """Keep the file of an older schema aside (renamed, unchanged), then write its migrated tables in its place.

    False when either failed: the store then shows the migrated kompas but writes nothing, and the old file is
    where it was.
    """
    kept = keep_aside(path, f"kompas.schema-{older}")
    if kept is None:
        return False
    try:
        storage.write(tables)
    except OSError:
        os.replace(kept, path)
        return False
    log.info("the kompas file was brought from schema %d to %d; the original is %s", older,
             migrations.SCHEMA_VERSION, kept.name)
    return True
