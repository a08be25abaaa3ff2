"""Keeps several kompassen in one data folder, each in its own folder behind a small card that names it."""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import logging
import os
import shutil
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kompas.base import clock
from kompas.base.files import PRIVATE_FOLDER, keep_aside, make_private, sync_folder, write_atomically
from kompas.domain.model import new_id
from kompas.domain.words import DIRECTION_CONTROLS
from kompas.store import legacy
from kompas.store.backups import BACKUP_FOLDER, Backups
from kompas.store.kompasfile import FileProblem, Manifest, Refused, unpack
from kompas.store.lock import FolderInUse, FolderLock
from kompas.store.pin import PIN_FILE, TRIES_FILE
from kompas.store.storage import DB_FILE, Store, StoreProblem

__all__ = [
    "CARD_FILE", "DEFAULT_LOCK_MINUTES", "FIRST_NICKNAME", "LOCK_MINUTES", "LOOKS", "MAX_NICKNAME", "SHELF_FOLDER",
    "UNMOVED",
    "Arrival", "Card", "FileProblem", "FolderInUse", "KompasFolder", "NicknameProblem", "Shelf", "card_fields",
    "clean_nickname",
]

log = logging.getLogger(__name__)

SHELF_FOLDER = "kompassen"
CARD_FILE = "card.json"
CARD_SCHEMA = 1
MAX_NICKNAME = 40
# What a kompas is called when the client did not name it: the one moved in from before the shelf, or one whose
# card could not be read. Neutral, so that a visitor who sees the shelf learns nothing from it.
FIRST_NICKNAME = "Mijn kompas"
# The looks a card can have: keys for colours the screens choose. Plain colours say nothing about the client,
# where a pictogram of, say, obstacles would.
LOOKS = ("blauw", "groen", "geel", "oranje", "rood", "paars", "grijs")
# After how many quiet minutes an open kompas locks: five unless its client chose otherwise.
LOCK_MINUTES = (1, 2, 5, 15, 30)
DEFAULT_LOCK_MINUTES = 5
# The card of a kompas that still lies loose in a data folder that cannot be written, so was not moved onto the
# shelf. No real id can be this one: a uuid4 always has a 4 where this has a 0.
UNMOVED = "0" * 32

# Names inside the shelf folder of work that a crash may have cut off; each is finished or undone at the next open.
_NEW = ".nieuw-"  # a kompas being made: its card is written before it gets its real name
_ERASING = ".weg-"  # a kompas being erased: off the shelf the moment it is renamed so
_REPLACED = ".oud-"  # a kompas being replaced by one from a file: back on the shelf unless its successor is there
# Left in a kompas folder by a card write that a crash cut off.
_CARD_TEMPS = f".{CARD_FILE}.*.tmp"

# What a client's text may not hold in a nickname: control characters (a newline, a NUL), line and paragraph
# separators (a nickname is one line), lone surrogates (half a character, which a browser can send), and, as in
# every text a client types, direction overrides (kompas/domain/words.py).
_DROPPED = {"Cc", "Cs", "Zl", "Zp"}


class KompasFolder(Exception):
    """The folder given as the data folder is one kompas's folder on a shelf.

    Opened as a data folder, its kompas would look like one from before the shelf and be moved into a shelf
    inside itself, leaving its own card in front of an empty kompas.
    """

    def __init__(self, folder: Path):
        super().__init__(f"{folder} holds one kompas of the data folder {folder.parent.parent}")
        self.folder = folder
        self.data_dir = folder.parent.parent


@dataclass(frozen=True)
class Arrival:
    """A .kompas file that passed every check, waiting beside the shelf (not on it) until the client says where it
    goes: new, in place of the kompas with the same id (`same`), or next to it."""

    manifest: Manifest
    folder: Path
    same: Card | None


class NicknameProblem(enum.Enum):
    """Why a nickname was not taken; only the UI turns this into words."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    TAKEN = "taken"  # the shelf tells kompassen apart by nickname only


@dataclass(frozen=True)
class Card:
    """What the shelf shows before any kompas is unlocked: how to tell them apart, and nothing the client wrote."""

    id: str
    nickname: str
    look: str
    created: str  # ISO date and time, to the microsecond: two made in one second still keep their order
    # The client's language (a code such as "ar"), known before the PIN so that even the door speaks it.
    language: str | None = None
    # Discreet: before the PIN, every screen and the browser tab say "Notities", never "kompas".
    discreet: bool = False
    lock_minutes: int = DEFAULT_LOCK_MINUTES


def clean_nickname(text: str) -> str | NicknameProblem:
    """The nickname as it will be stored: as typed, without control characters and outer spaces."""
    kept = "".join(c for c in text if unicodedata.category(c) not in _DROPPED and c not in DIRECTION_CONTROLS).strip()
    if not kept:
        return NicknameProblem.EMPTY
    # Counted as the client sees letters; the second limit keeps a pile of accents on one letter out.
    if _letters(kept) > MAX_NICKNAME or len(kept) > 8 * MAX_NICKNAME:
        return NicknameProblem.TOO_LONG
    return kept


def _letters(text: str) -> int:
    """About how many characters a person sees: an emoji family, a flag or a letter with its accents is one.

    The text field on a phone counts that way, so a nickname it let through is not refused here.
    """
    count, after_joiner, open_flag = 0, False, False
    for c in text:
        code = ord(c)
        if after_joiner:  # what a zero-width joiner glues to the character before it
            after_joiner = False
            continue
        if c == "\u200d":
            after_joiner = True
            continue
        # Accents and vowel marks, variation selectors, direction marks and emoji tags, skin tones.
        if unicodedata.category(c) in ("Mn", "Mc", "Me", "Cf") or 0x1F3FB <= code <= 0x1F3FF:
            continue
        if 0x1F1E6 <= code <= 0x1F1FF:  # a flag is two regional letters
            open_flag = not open_flag
            if not open_flag:
                continue
        else:
            open_flag = False
        count += 1
    return count


def _same_name(a: str, b: str) -> bool:
    # A nickname typed on another keyboard may have its accents composed differently.
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


def _is_id(name: str) -> bool:
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)


def _now() -> str:
    return clock.now().isoformat(timespec="microseconds")


class Shelf:
    """The kompassen in one data folder, each with its own store, photos and posters; one app at a time.

    The shelf holds the data folder's lock (the very lock the app took before the shelf existed) until close(),
    and each store opened from it holds its own kompas folder's lock.
    """

    def __init__(self, data_dir: Path, lock: FolderLock | None, read_only: bool):
        self.data_dir = data_dir
        self.read_only = read_only
        # Kompassen whose card could not be read and now have a neutral one; the unreadable card was kept aside.
        self.renewed: list[str] = []
        self._lock = lock
        self._shelf = data_dir / SHELF_FOLDER
        self._cards: dict[str, Card] = {}
        # Screens in several sessions of one server may change the shelf at once.
        self._mutex = threading.RLock()

    @classmethod
    def open(cls, data_dir: Path) -> Shelf:
        """Open the shelf, moving a kompas from before the shelf onto it, and finishing what a crash cut off.

        Raises FolderInUse when another copy of the app, old or new, has the data folder open, and KompasFolder
        when `data_dir` is a kompas's own folder on a shelf.
        """
        data_dir = Path(data_dir)
        if (data_dir / CARD_FILE).exists():  # no data folder from before the shelf has a card
            raise KompasFolder(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        except OSError:
            return cls(data_dir, None, read_only=True)  # nothing to show, and nowhere to write
        # Other accounts on a shared laptop have no business here; a data folder from before gets closed too, once.
        make_private(data_dir, whole=True)
        # os.access also sees a read-only mount, where even root cannot write.
        writable = os.access(data_dir, os.W_OK)
        # A shelf that cannot write needs no lock, and holding one would keep out the store of a kompas that was
        # not moved, which locks this same folder.
        lock = FolderLock.take(data_dir) if writable else None
        shelf = cls(data_dir, lock, read_only=not writable)
        try:
            shelf._load()
        except BaseException:
            shelf.close()
            raise
        return shelf

    def _load(self) -> None:
        if not self.read_only:
            self._shelf.mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
            self._finish_cut_off_work()
        unreadable = []
        if self._shelf.is_dir():
            for folder in sorted(self._shelf.iterdir()):
                if _is_id(folder.name) and folder.is_dir():
                    if not self.read_only:
                        make_private(folder, whole=True)  # once, for a kompas made before the app did so
                    raw = self._read_card(folder)
                    card = None if raw is None else _card_from(folder.name, raw)
                    if card is None:
                        unreadable.append((folder, raw))
                    else:
                        self._cards[card.id] = card
        # After all readable cards, so that a neutral nickname is one no other kompas has.
        for folder, raw in unreadable:
            self._cards[folder.name] = self._renew_card(folder, raw)
        if self.read_only:
            if legacy.loose_items(self.data_dir):
                self._cards[UNMOVED] = Card(UNMOVED, self._free_nickname(), LOOKS[0], "")
        else:
            self._move_in_loose_kompas()
        log.info("shelf opened: %d kompassen%s", len(self._cards), " (read-only)" if self.read_only else "")

    def _finish_cut_off_work(self) -> None:
        for folder in sorted(self._shelf.iterdir()):
            # A kompas being erased is off the shelf already: what is left of it goes now. One being made was
            # never on it, and holds only the card it was being made with.
            if folder.name.startswith((_ERASING, _NEW)):
                _remove_tree(folder)
            # A kompas replaced by one from a file is gone only once the new one stands in its place.
            elif folder.name.startswith(_REPLACED):
                if (self._shelf / folder.name[len(_REPLACED):]).exists():
                    _remove_tree(folder)
                else:
                    os.replace(folder, self._shelf / folder.name[len(_REPLACED):])

    # Reading the shelf

    def cards(self) -> list[Card]:
        """Every kompas on the shelf, the oldest first."""
        with self._mutex:
            return sorted(self._cards.values(), key=lambda card: (card.created, card.id))

    def card(self, card_id: str) -> Card:
        """The card with this id; KeyError when there is none on the shelf."""
        with self._mutex:
            return self._cards[card_id]

    def find(self, nickname: str) -> list[Card]:
        """The cards with this nickname, whatever its capitals: one at most, unless a card file was edited by hand."""
        cleaned = clean_nickname(nickname)
        if isinstance(cleaned, NicknameProblem):
            return []
        return [card for card in self.cards() if _same_name(card.nickname, cleaned)]

    def only(self) -> Card | None:
        """The one card when the shelf holds exactly one kompas: then there is nothing to choose."""
        cards = self.cards()
        return cards[0] if len(cards) == 1 else None

    def folder(self, card_id: str) -> Path:
        """The folder with this kompas's store, photos and posters, and nothing of any other kompas."""
        self.card(card_id)  # an id from outside never leads out of the shelf: only a known one gets a folder
        return self.data_dir if card_id == UNMOVED else self._shelf / card_id

    def open_store(self, card_id: str) -> Store:
        """Open this kompas's store; raises FolderInUse when it is open already."""
        with self._mutex:
            return Store.open(self.folder(card_id))

    # Changing the shelf

    def create(self, nickname: str, look: str = LOOKS[0]) -> Card | NicknameProblem:
        """Put a new, empty kompas on the shelf; raises OSError when it could not be stored."""
        _check_look(look)
        with self._mutex:
            self._before_write()
            cleaned = self._check_nickname(nickname)
            if isinstance(cleaned, NicknameProblem):
                return cleaned
            card = Card(new_id(), cleaned, look, _now())
            # Made whole under a name the shelf does not list, then given its own name in one step: a crash in
            # between leaves no kompas without a card.
            making = self._shelf / f"{_NEW}{card.id}"
            try:
                making.mkdir(mode=PRIVATE_FOLDER)
                _write_card(making, card)
                os.replace(making, self._shelf / card.id)
            except BaseException:
                _remove_tree(making)
                raise
            _sync_folder(self._shelf)
            self._cards[card.id] = card
            log.info("kompas %s made", card.id)
            return card

    def rename(self, card_id: str, nickname: str) -> Card | NicknameProblem:
        """Give the kompas another nickname; raises OSError when it could not be stored."""
        with self._mutex:
            card = self.card(card_id)
            self._before_write(card_id)
            cleaned = self._check_nickname(nickname, card_id)
            if isinstance(cleaned, NicknameProblem):
                return cleaned
            return self._replace_card(dataclasses.replace(card, nickname=cleaned))

    def change(self, card_id: str, *, look: str | None = None, language: str | None = None,
               discreet: bool | None = None, lock_minutes: int | None = None) -> Card:
        """Change how the kompas looks and behaves (not its name); raises OSError when it could not be stored."""
        if look is not None:
            _check_look(look)
        if language is not None and not _is_language(language):
            raise ValueError(f"not a language code: {language!r}")
        if lock_minutes is not None and lock_minutes not in LOCK_MINUTES:
            raise ValueError(f"lock after {lock_minutes} minutes is not one of {LOCK_MINUTES}")
        with self._mutex:
            card = self.card(card_id)
            changes = {name: value for name, value in
                       (("look", look), ("language", language), ("discreet", discreet), ("lock_minutes", lock_minutes))
                       if value is not None}
            if all(getattr(card, name) == value for name, value in changes.items()):
                return card
            self._before_write(card_id)
            return self._replace_card(dataclasses.replace(card, **changes))

    def erase(self, card_id: str) -> bool:
        """Erase the kompas with everything in it: its store, photos, posters and card. Every other stays as it is.

        Off the shelf in one step (one rename), then its files are deleted. Returns whether every file is gone
        already; what could not be deleted now goes at the next open. Raises FolderInUse while its store is open,
        OSError when nothing could be changed. Files are deleted, not overwritten first: on flash storage and on
        copy-on-write file systems (phones, SSDs, APFS, btrfs) an overwrite goes to new blocks and leaves the old
        ones as they were, so it would only promise what it cannot do; the device's own encryption protects
        what deleting leaves behind.
        """
        with self._mutex:
            folder = self.folder(card_id)
            self._before_write(card_id)
            # An open store would go on writing into a folder that is gone: it must be closed first.
            _not_open(folder)
            erasing = self._shelf / f"{_ERASING}{card_id}"
            os.replace(folder, erasing)
            _sync_folder(self._shelf)
            del self._cards[card_id]
            files = sum(len(names) for _, _, names in os.walk(erasing))
            gone = _remove_tree(erasing)
            log.info("kompas %s erased: %d files%s", card_id, files, "" if gone else ", some left for the next open")
            return gone

    # Taking in a kompas from a .kompas file

    def receive(self, raw: bytes, passphrase: str | None = None) -> Arrival | FileProblem:
        """Check a .kompas file whole and unpack it beside the shelf; nothing on the shelf changes yet.

        On a refusal nothing is left behind. A crash leaves only a folder that the next open removes.
        """
        if self.read_only:
            return FileProblem.NOT_SAVED
        waiting = self._shelf / f"{_NEW}{new_id()}"
        try:
            waiting.mkdir(mode=PRIVATE_FOLDER)
            manifest = unpack(raw, passphrase, waiting)
        except Refused as refused:
            _remove_tree(waiting)
            log.info("a kompas file was refused: %s", refused.problem.value)
            return refused.problem
        except OSError:
            _remove_tree(waiting)
            return FileProblem.NOT_SAVED
        except BaseException:
            _remove_tree(waiting)
            raise
        with self._mutex:
            same = self._cards.get(manifest.kompas_id)
        return Arrival(manifest, waiting, same)

    def take_in(self, arrival: Arrival, keep_both: bool = False, today: date | None = None) -> Card:
        """Put a received kompas on the shelf, in one rename.

        When the shelf has the same kompas: in its place (it keeps its own card and PIN: its name, colour and door
        on this device, and its backups, with the kompas it replaces as the backup of `today`), or with `keep_both`
        next to it under an id and a name of its own. Raises FolderInUse while the kompas it replaces is open,
        OSError when nothing could be changed.
        """
        manifest = arrival.manifest
        with self._mutex:
            self._before_write()
            same = self._cards.get(manifest.kompas_id)
            try:
                if same is not None and not keep_both:
                    return self._replace_with(same, arrival.folder, today or clock.today())
                # A second copy is new on this shelf, so it is listed after the first.
                card = Card(manifest.kompas_id if same is None else new_id(), self._arriving_nickname(manifest.nickname),
                            manifest.look if manifest.look in LOOKS else LOOKS[0],
                            manifest.created if same is None and manifest.created else _now(),
                            language=manifest.language if _is_language(manifest.language) else None,
                            discreet=manifest.discreet,
                            lock_minutes=manifest.lock_minutes if manifest.lock_minutes in LOCK_MINUTES
                            else DEFAULT_LOCK_MINUTES)
                _write_card(arrival.folder, card)
                os.replace(arrival.folder, self._shelf / card.id)
            except BaseException:
                self.discard(arrival)
                raise
            _sync_folder(self._shelf)
            self._cards[card.id] = card
            log.info("kompas %s taken in from a file", card.id)
            return card

    def discard(self, arrival: Arrival) -> None:
        """Throw a received kompas away: the client chose not to take it in."""
        _remove_tree(arrival.folder)

    def _replace_with(self, card: Card, waiting: Path, today: date) -> Card:
        folder = self._shelf / card.id
        _not_open(folder)
        _write_card(waiting, card)
        for name in (PIN_FILE, TRIES_FILE):
            with contextlib.suppress(FileNotFoundError):
                write_atomically(waiting / name, (folder / name).read_bytes(), private=True)
        # Into the waiting folder, before the swap: a crash before it leaves the old kompas as it was.
        _keep_as_backup(folder, waiting, today)
        # Aside first, then the new one in its place; a crash between the two renames puts the old one back.
        replaced = self._shelf / f"{_REPLACED}{card.id}"
        os.replace(folder, replaced)
        try:
            os.replace(waiting, folder)
        except BaseException:
            os.replace(replaced, folder)
            raise
        _sync_folder(self._shelf)
        _remove_tree(replaced)
        log.info("kompas %s replaced by one from a file", card.id)
        return card

    def _arriving_nickname(self, nickname: str) -> str:
        """The file's nickname, or the first free one like it: the shelf tells kompassen apart by name."""
        cleaned = clean_nickname(nickname)
        return self._free_nickname(FIRST_NICKNAME if isinstance(cleaned, NicknameProblem) else cleaned)

    def traces(self, card_id: str) -> list[Path]:
        """Every file or folder in the data folder that still belongs to this kompas: none after it was erased."""
        return [path for path in self.data_dir.rglob("*") if card_id in path.name]

    def close(self) -> None:
        """Let go of the data folder; each store opened from the shelf is closed on its own."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Shelf:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _before_write(self, card_id: str | None = None) -> None:
        if self.read_only or card_id == UNMOVED:
            raise PermissionError("the shelf cannot be changed here")

    def _check_nickname(self, nickname: str, card_id: str | None = None) -> str | NicknameProblem:
        cleaned = clean_nickname(nickname)
        if isinstance(cleaned, str) and any(_same_name(c.nickname, cleaned) for c in self._cards.values()
                                            if c.id != card_id):
            return NicknameProblem.TAKEN
        return cleaned

    def _replace_card(self, card: Card) -> Card:
        _write_card(self._shelf / card.id, card)
        self._cards[card.id] = card
        log.info("kompas %s card changed", card.id)
        return card

    def _free_nickname(self, base: str = FIRST_NICKNAME) -> str:
        """`base`, or the first of "base 2", "base 3"… that no other kompas on the shelf is called."""
        taken = [card.nickname for card in self._cards.values()]
        for n in range(1, len(taken) + 2):
            name = base if n == 1 else f"{base[:MAX_NICKNAME - 4].rstrip()} {n}"
            if not any(_same_name(name, other) for other in taken):
                return name
        raise AssertionError("unreachable: one of len(taken) + 1 names is free")

    def _read_card(self, folder: Path) -> bytes | None:
        """The bytes of the card in this kompas folder, None when it has none."""
        if not self.read_only:
            for stale in folder.glob(_CARD_TEMPS):  # a card write cut off by a crash; the card itself is whole
                with contextlib.suppress(OSError):
                    stale.unlink()
        try:
            return (folder / CARD_FILE).read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            return b""  # there, but not to be read: as unreadable as a damaged one

    def _renew_card(self, folder: Path, raw: bytes | None) -> Card:
        """A neutral card for a kompas whose card is missing or cannot be read; an unreadable one is kept aside.

        One unreadable card must never cost the client the kompas behind it, let alone the others.
        """
        card = Card(folder.name, self._free_nickname(), LOOKS[0], _now())
        self.renewed.append(folder.name)
        log.warning("kompas %s: card %s, a neutral one takes its place", folder.name,
                    "missing" if raw is None else "unreadable")
        if self.read_only:
            return card
        if raw is not None and keep_aside(folder / CARD_FILE, f"card.{StoreProblem.UNREADABLE.value}") is None:
            return card  # it could not be renamed, so it must not be written over either
        with contextlib.suppress(OSError):
            _write_card(folder, card)
        return card

    def _move_in_loose_kompas(self) -> None:
        """Move the kompas from before the shelf onto it as one kompas (kompas/store/legacy.py)."""
        cards: dict[str, Card] = {}

        def card_for(moving: Path) -> str:
            for stale in moving.glob(_CARD_TEMPS):  # a card write cut off by a crash before
                with contextlib.suppress(OSError):
                    stale.unlink()
            card = _card_from(None, _read_or_empty(moving / CARD_FILE))
            if card is None or not _is_id(card.id) or card.id in self._cards:
                card = Card(new_id(), self._free_nickname(), LOOKS[0], _now())
                _write_card(moving, card)
            cards[card.id] = card
            return card.id

        for card_id, moved in legacy.move_in(self.data_dir, self._shelf, card_for):
            self._cards[card_id] = cards[card_id]
            log.info("kompas from before the shelf moved onto it as %s: %d items", card_id, moved)


def _not_open(folder: Path) -> None:
    """Raise FolderInUse while a store has this kompas open; let go at once otherwise, since Windows renames no
    folder with a file open inside it."""
    lock = FolderLock.take(folder)
    if lock is not None:
        lock.release()


def _keep_as_backup(old: Path, new: Path, today: date) -> None:
    """The kompas being replaced becomes the backup of `today` of the one taking its place, beside its own earlier
    backups, with every photo and voice note those backups name: going back brings it back whole.

    Linked, not copied, where the file system allows: these files are never changed in place, only replaced.
    """
    (new / BACKUP_FOLDER).mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
    kept = Backups(new / DB_FILE, lambda: today)
    for day in Backups(old / DB_FILE).days():
        name = f"{BACKUP_FOLDER}/{day.isoformat()}.json"
        if not (new / name).exists():
            _link_or_copy(old / name, new / name)
    try:
        kept.keep(today, (old / DB_FILE).read_bytes())
    except FileNotFoundError:
        pass  # a kompas never written to: nothing to bring back
    for relative in kept.files():
        if (old / relative).is_file() and not (new / relative).exists():
            (new / relative).parent.mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
            _link_or_copy(old / relative, new / relative)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _check_look(look: str) -> None:
    if look not in LOOKS:
        raise ValueError("not one of the looks a card can have")


def card_fields(card: Card) -> dict[str, Any]:
    """The card as plain JSON fields: as its file holds them, and as a .kompas file's manifest carries them."""
    return {"id": card.id, "nickname": card.nickname, "look": card.look, "created": card.created,
            "language": card.language, "discreet": card.discreet, "lock_minutes": card.lock_minutes}


def _card_to(card: Card) -> dict[str, Any]:
    return {"schema": CARD_SCHEMA, **card_fields(card)}


def _is_language(code: object) -> bool:
    return type(code) is str and 2 <= len(code) <= 3 and code.isascii() and code.isalpha() and code.islower()


def _card_from(folder_name: str | None, raw: bytes) -> Card | None:
    """The card in these bytes, or None when they are not a card this app can use.

    The folder's name is the id: a kompas folder copied under another name is still the kompas it names.
    """
    try:
        doc = json.loads(raw)
        schema, card_id, nickname, look, created = (doc["schema"], doc["id"], doc["nickname"], doc.get("look"),
                                                     doc["created"])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    if type(schema) is not int or type(card_id) is not str or type(nickname) is not str or type(created) is not str:
        return None
    cleaned = clean_nickname(nickname)
    if isinstance(cleaned, NicknameProblem):
        return None
    # A look, a language or a lock time a newer app added is read as the default: the card is still the client's.
    # Discreet stays on for anything but a plain false, so a damaged flag never shows a discreet kompas's name.
    language, minutes, discreet = doc.get("language"), doc.get("lock_minutes"), doc.get("discreet", False)
    return Card(folder_name or card_id, cleaned, look if look in LOOKS else LOOKS[0], created,
                language=language if _is_language(language) else None, discreet=discreet is not False,
                lock_minutes=minutes if type(minutes) is int and minutes in LOCK_MINUTES else DEFAULT_LOCK_MINUTES)


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _write_card(folder: Path, card: Card) -> None:
    # Only the card's own fields: a card carries nothing else, whatever a newer app put beside them.
    write_atomically(folder / CARD_FILE, json.dumps(_card_to(card), ensure_ascii=False).encode("utf-8"))


def _remove_tree(folder: Path) -> bool:
    """Delete the folder and all in it; whether it is all gone."""
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError:
        log.warning("a folder on the shelf could not be removed whole; it is tried again at the next open")
        return False
    _sync_folder(folder.parent)
    return True


def _sync_folder(folder: Path) -> None:
    sync_folder(folder, quiet=True)
