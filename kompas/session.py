"""Who holds which kompas: the server's open kompassen, and each browser connection's own session with one of them."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from kompas.clock import steady
from kompas.clock import today as current_day
from kompas.kompasfile import MAX_FILE, SUFFIX, pack
from kompas.pin import PinAnswer, PinLock, PinOutcome
from kompas.shelf import (
    DEFAULT_LOCK_MINUTES,
    LOCK_MINUTES,
    LOOKS,
    Arrival,
    Card,
    FileProblem,
    FolderInUse,
    NicknameProblem,
    Shelf,
    card_fields,
)
from kompas.workbook import Workbook

# The shelf's and the PIN's words are part of what a session tells its screens: they reach those only through here.
__all__ = ["IDLE_MINUTES", "LOCK_MINUTES", "LOOKS", "MAX_FILE", "PAIRING_SECONDS", "SUFFIX", "Arrival", "Card",
           "FileProblem", "FolderInUse", "Library", "NicknameProblem", "Pairing", "Parcel", "PinAnswer", "PinOutcome", "Session"]

log = logging.getLogger(__name__)

# Locked after five quiet minutes unless the client chose another time, as safety apps do: a phone left on a
# table shows nothing.
IDLE_MINUTES = DEFAULT_LOCK_MINUTES
# A pairing code works once, for ten minutes, for one kompas.
PAIRING_SECONDS = 600


@dataclass(frozen=True)
class Pairing:
    """A one-time way onto one kompas from a second device, shown as a QR code."""

    token: str
    card_id: str
    until: float


@dataclass
class Parcel:
    """A .kompas file made ready to fetch, for ten minutes: a copy for this device, or a hand-over to a phone.

    It lives in memory only: no copy of the kompas waits on the disk for someone to find.
    """

    token: str
    card_id: str
    name: str  # the file name the browser saves it under: a date, no nickname
    data: bytes
    until: float
    hand_over: bool = False
    poster: bytes | None = None  # the poster PDF a hand-over brings along
    fetched: bool = field(default=False)


class Library:
    """The kompassen this server has open, each with one workbook that every screen on it shares.

    Two screens on one kompas (a begeleider's laptop and a client's phone) share its
    workbook, so each sees the other's changes; two kompassen never share anything.
    """

    def __init__(self, shelf: Shelf, clock: Callable[[], float] = steady,
                 pairing_seconds: int = PAIRING_SECONDS):
        self.shelf = shelf
        self._clock = clock
        # Never longer than ten minutes: a code on a screen may be photographed by someone else.
        self.pairing_seconds = max(1, min(pairing_seconds, PAIRING_SECONDS))
        self._workbooks: dict[str, Workbook] = {}
        self._files: dict[str, str] = {}  # file key -> kompas id, for the photo and poster addresses
        self._pairings: dict[str, Pairing] = {}
        self._parcels: dict[str, Parcel] = {}
        self._sessions: list[Session] = []
        self._pin_offers: set[str] = set()  # kompassen just taken in from a file that had a PIN where they came from
        self._lock = threading.RLock()

    # The kompassen

    def workbook(self, card_id: str) -> Workbook:
        with self._lock:
            if card_id not in self._workbooks:
                self._workbooks[card_id] = Workbook(self.shelf.open_store(card_id))
            return self._workbooks[card_id]

    def pin(self, card_id: str) -> PinLock:
        return PinLock(self.shelf.folder(card_id))

    def folder(self, card_id: str) -> Path:
        return self.shelf.folder(card_id)

    def erase(self, card_id: str) -> bool:
        """Remove a kompas from the device, after every screen that has it open has let go of it."""
        with self._lock:
            self._let_go_of(card_id)
            erased = self.shelf.erase(card_id)
        log.info("a kompas was erased (%s)", "done" if erased else "failed")
        return erased

    def _let_go_of(self, card_id: str) -> None:
        """Close every screen and the store of this kompas, and forget every address that led to it."""
        for session in list(self._sessions):
            if session.card_id == card_id:
                session.close()
        workbook = self._workbooks.pop(card_id, None)
        if workbook is not None:
            workbook.store.close()
        self._files = {key: kid for key, kid in self._files.items() if kid != card_id}
        self._pairings = {t: p for t, p in self._pairings.items() if p.card_id != card_id}
        self._parcels = {t: p for t, p in self._parcels.items() if p.card_id != card_id}

    # Taking a kompas along, and in

    def pack(self, card_id: str, passphrase: str | None = None) -> bytes:
        """The .kompas file of this kompas as it is now; sealed with the passphrase when one is given."""
        workbook = self.workbook(card_id)
        return pack(workbook.snapshot(), workbook.data_dir, card_fields(self.shelf.card(card_id)), passphrase or None,
                    had_pin=self.pin(card_id).is_set)

    def parcel(self, card_id: str, data: bytes, hand_over: bool = False, poster: bytes | None = None,
               today: date | None = None) -> Parcel:
        """Make a .kompas file fetchable for ten minutes at most (a hand-over as long as a pairing code)."""
        card = self.shelf.card(card_id)
        # The name is all a download list shows: the date, and for a discreet kompas not even the word kompas.
        name = f"{'notities' if card.discreet else 'kompas'}-{(today or current_day()).isoformat()}{SUFFIX}"
        parcel = Parcel(secrets.token_urlsafe(24), card_id, name, data, self._clock() + self.pairing_seconds,
                        hand_over, poster)
        with self._lock:
            now = self._clock()
            self._parcels = {t: p for t, p in self._parcels.items() if p.until > now}
            self._parcels[parcel.token] = parcel
        return parcel

    def parcel_for(self, token: str, hand_over: bool) -> Parcel | None:
        """The parcel at this address while it lasts; None once it is gone, or for the other kind."""
        with self._lock:
            parcel = self._parcels.get(token)
        if parcel is None or parcel.hand_over != hand_over or self._clock() >= parcel.until:
            return None
        return parcel

    def hand_over_open(self, token: str) -> bool:
        return self.parcel_for(token, hand_over=True) is not None

    def receive(self, raw: bytes, passphrase: str | None = None) -> Arrival | FileProblem:
        return self.shelf.receive(raw, passphrase)

    def take_in(self, arrival: Arrival, keep_both: bool = False) -> Card:
        """Put a received kompas on the shelf; in place of the same kompas, every screen on that one lets go first."""
        with self._lock:
            if arrival.same is not None and not keep_both:
                self._let_go_of(arrival.same.id)
            card = self.shelf.take_in(arrival, keep_both)
            # It had a PIN where it came from, and has none here: its first screen says so, and offers to set one.
            if arrival.manifest.had_pin and not self.pin(card.id).is_set:
                self._pin_offers.add(card.id)
            return card

    def pin_offered(self, card_id: str | None) -> bool:
        with self._lock:
            return card_id in self._pin_offers

    def answer_pin_offer(self, card_id: str) -> None:
        """The client set a PIN, or said "Later": the offer is not made again."""
        with self._lock:
            self._pin_offers.discard(card_id)

    def close(self) -> None:
        with self._lock:
            self._parcels.clear()
            for workbook in self._workbooks.values():
                workbook.store.close()
            self._workbooks.clear()
            self.shelf.close()

    # Photo and poster addresses: one key per unlocking, gone when the kompas locks.

    def file_key(self, card_id: str) -> str:
        key = secrets.token_urlsafe(18)
        with self._lock:
            self._files[key] = card_id
        return key

    def forget_file_key(self, key: str | None) -> None:
        with self._lock:
            self._files.pop(key or "", None)

    def kompas_of_file_key(self, key: str) -> str | None:
        with self._lock:
            return self._files.get(key)

    # Pairing a second device

    def pair(self, card_id: str) -> Pairing:
        pairing = Pairing(secrets.token_urlsafe(18), card_id, self._clock() + self.pairing_seconds)
        with self._lock:
            self._pairings[pairing.token] = pairing
        return pairing

    def pairing_open(self, token: str) -> bool:
        """True while a pairing code can still be used; looking does not use it up."""
        with self._lock:
            pairing = self._pairings.get(token)
            return pairing is not None and self._clock() < pairing.until

    def redeem(self, token: str) -> str | None:
        """The kompas a pairing code opens, once; None for a code used before, expired or unknown."""
        with self._lock:
            pairing = self._pairings.pop(token, None)
        if pairing is None or self._clock() >= pairing.until:
            return None
        return pairing.card_id

    # Sessions

    def session(self) -> Session:
        session = Session(self)
        with self._lock:
            self._sessions.append(session)
        return session

    def end(self, session: Session) -> None:
        session.close()
        with self._lock:
            if session in self._sessions:
                self._sessions.remove(session)


class Session:
    """One browser connection: which kompas it has open, whether it is unlocked, and when it was last used."""

    def __init__(self, library: Library):
        self.library = library
        self.card_id: str | None = None
        self.unlocked = False
        self.file_key: str | None = None
        # The language this screen speaks before a kompas with a language of its own is open (the first start,
        # the shelf); None: the process's language.
        self.language: str | None = None
        self._language_at: str | None = None  # the kompas whose screen the language was chosen on
        self._last_input = library._clock()

    @property
    def card(self) -> Card | None:
        """The open kompas's card; None when none is open, or when another screen has just erased it."""
        if not self.card_id:
            return None
        try:
            return self.library.shelf.card(self.card_id)
        except KeyError:
            return None

    @property
    def workbook(self) -> Workbook | None:
        """The open kompas's workbook, only while it is unlocked."""
        return self.library.workbook(self.card_id) if self.card_id and self.unlocked else None

    def has_pin(self, card_id: str | None = None) -> bool:
        card_id = card_id or self.card_id
        return bool(card_id) and self.library.pin(card_id).is_set

    def choose(self, card_id: str) -> None:
        """Take a kompas from the shelf: open at once without a PIN, else wait for it.

        KeyError when the shelf no longer has it (another screen erased it meanwhile); nothing changes then.
        """
        self.library.shelf.card(card_id)
        self._let_go()
        self.card_id = card_id
        if not self.has_pin(card_id):
            self._open()

    def unlock(self, pin: str) -> PinAnswer:
        answer = self.library.pin(self.card_id).check(pin)
        if answer.outcome is PinOutcome.OK:
            self._open()
        return answer

    def enter_paired(self, card_id: str) -> None:
        """Opened with a pairing code from the begeleider's screen: that code stands in for the PIN, once."""
        self._let_go()
        self.card_id = card_id
        self._open()

    def lock(self) -> None:
        """Lock the open kompas: its PIN is needed again, and its photo addresses stop working."""
        self._let_go()

    def close(self) -> None:
        """Back to the shelf."""
        self._let_go()
        self.card_id = None

    def touch(self) -> None:
        self._last_input = self.library._clock()

    @property
    def idle_minutes(self) -> int:
        card = self.card
        return card.lock_minutes if card else IDLE_MINUTES

    def idle_too_long(self) -> bool:
        return self.unlocked and self.library._clock() - self._last_input > self.idle_minutes * 60

    # What this screen speaks and shows before the PIN

    def speaks(self) -> str | None:
        """The language of this screen: the one chosen on this kompas's screen (at its door too), else the
        kompas's own, else the one chosen on the shelf."""
        card = self.card
        if card is not None and card.language and self._language_at != card.id:
            return card.language
        return self.language or (card.language if card else None)

    def choose_language(self, language: str) -> None:
        """Speak `language` here; an unlocked kompas keeps it, so its door speaks it next time too.

        At a locked door the choice is this screen's only: a begeleider who reads no Arabic can read the door of
        an Arabic kompas in Dutch without changing the kompas.
        """
        self.language = language
        self._language_at = self.card_id
        if self.card_id and self.unlocked:
            self.library.shelf.change(self.card_id, language=language)

    def is_discreet(self) -> bool:
        """Whether the screens before the PIN must not say "kompas": this kompas, or any on the shelf, asks so."""
        card = self.card
        if card is not None and card.discreet:
            return True
        return any(c.discreet for c in self.library.shelf.cards())

    def set_door(self, *, discreet: bool | None = None, lock_minutes: int | None = None) -> None:
        """Change how the open kompas's door behaves; only while it is unlocked."""
        if not (self.card_id and self.unlocked):
            raise PermissionError("the kompas is locked")
        self.library.shelf.change(self.card_id, discreet=discreet, lock_minutes=lock_minutes)

    def _open(self) -> None:
        self.unlocked = True
        self.file_key = self.library.file_key(self.card_id)
        self.touch()

    def _let_go(self) -> None:
        self.unlocked = False
        self.library.forget_file_key(self.file_key)
        self.file_key = None
