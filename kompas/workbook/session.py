"""Who holds which kompas: the server's open kompassen, and each browser connection's own session with one of them."""

from __future__ import annotations

import enum
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from kompas.base.clock import steady
from kompas.base.clock import today as current_day
from kompas.store.kompasfile import MAX_FILE, SUFFIX, Refused, pack
from kompas.store.pin import PinAnswer, PinLock, PinOutcome
from kompas.store.shelf import (
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
from kompas.workbook.drafts import flush_all
from kompas.workbook.workbook import Workbook

# The shelf's and the PIN's words are part of what a session tells its screens: they reach those only through here.
__all__ = ["IDLE_CHECK", "IDLE_MINUTES", "LOCK_MINUTES", "LOOKS", "MAX_FILE", "NEUTRAL_SUFFIX", "PAIRING_SECONDS",
           "SUFFIX", "SUFFIXES", "Arrival", "Card", "FileProblem", "FolderInUse", "Library", "NicknameProblem", "Pairing",
           "Parcel", "Part", "PinAnswer", "PinOutcome", "Refused", "Session"]

log = logging.getLogger(__name__)

# Locked after five quiet minutes unless the client chose another time, as safety apps do: a phone left on a
# table shows nothing.
IDLE_MINUTES = DEFAULT_LOCK_MINUTES
# How often, at most, the library looks for kompassen left alone past their lock time. Anything that asks for a
# kompas after its lock time (a screen, a photo address) finds it locked at once; this is only how late a screen
# that is still showing it is told.
IDLE_CHECK = 10.0
# A pairing code works once, for ten minutes, for one kompas.
PAIRING_SECONDS = 600
# What a discreet kompas's file is called after the date: a Downloads folder or a share sheet shows it, and must not
# say "kompas". Taking a file in reads what is inside, whatever it is called; the picker offers both.
NEUTRAL_SUFFIX = ".notities"
SUFFIXES = (SUFFIX, NEUTRAL_SUFFIX)


@dataclass(frozen=True)
class Pairing:
    """A one-time way onto one kompas from a second device, shown as a QR code."""

    token: str
    card_id: str
    until: float


class Part(enum.Enum):
    """What a phone fetches with a hand-over code: the page that lists the rest, the kompas file, or the poster."""

    PAGE = "page"
    FILE = "file"
    POSTER = "poster"


@dataclass(eq=False)
class Parcel:
    """A .kompas file made ready to fetch, for ten minutes: a copy for this device, or a hand-over to a phone.

    It lives in memory only: no copy of the kompas waits on the disk for someone to find. A hand-over's code works
    once: the first whole download of the file uses it up, and after that only the poster comes, once.
    """

    token: str
    card_id: str
    name: str  # the file name the browser saves it under: a date, no nickname
    data: bytes
    until: float
    hand_over: bool = False
    poster: bytes | None = None  # the poster PDF a hand-over brings along
    owner: Session | None = field(default=None, repr=False)  # the screen that made it: leaving that kompas ends it
    fetched: bool = False  # the file went out whole once: the code is used
    poster_fetched: bool = False
    revoked: bool = False  # ended before its time: a new code, a lock, hiding, erasing or leaving the screen
    tried_again: int = 0  # fetches refused after it was used or ended: the laptop tells the begeleider
    _fetching: set[Part] = field(default_factory=set, repr=False)  # a download under way holds its part


class Library:
    """The kompassen this server has open, each with one workbook that every screen on it shares.

    Two screens on one kompas (a begeleider's laptop and a client's phone) share its
    workbook, so each sees the other's changes; two kompassen never share anything.
    A kompas stays open only while a screen has it open: the last screen to leave it, lock it or close closes it,
    so a begeleider's laptop that opened hundreds of kompassen holds only the ones on a screen now.
    The library also keeps the clock: every kompas locks at its lock time, whether a screen shows it or not.
    """

    def __init__(self, shelf: Shelf, clock: Callable[[], float] = steady,
                 pairing_seconds: int = PAIRING_SECONDS, lock_seconds: int | None = None):
        self._shelf = shelf
        self._clock = clock
        # Never longer than ten minutes: a code on a screen may be photographed by someone else.
        self.pairing_seconds = max(1, min(pairing_seconds, PAIRING_SECONDS))
        # At most this many quiet seconds before any kompas locks, whatever its own lock time (never later than
        # that); None: each kompas's own minutes.
        self.lock_seconds = max(1, lock_seconds) if lock_seconds else None
        self._workbooks: dict[str, Workbook] = {}
        # Workbooks their last screen closed while a voice note was being written into them (Workbook.hold()).
        self._closing: dict[str, Workbook] = {}
        self._files: dict[str, Session] = {}  # file key -> the screen whose unlocking made it
        self._pairings: dict[str, Pairing] = {}
        self._parcels: dict[str, Parcel] = {}
        self._sessions: list[Session] = []
        self._pin_offers: set[str] = set()  # kompassen just taken in from a file that had a PIN where they came from
        # One lock for the library and every session's state in it: screens run in threads of their own, and the
        # idle watcher in another. Nothing slow (a PIN's scrypt, packing a file) is done while holding it.
        self._lock = threading.RLock()
        self._watching: threading.Event | None = None

    # The shelf, as the screens may see it: its cards, and changes to them only through the library. (The screens
    # never hold the shelf itself: tests/test_architecture.py says so.)

    @property
    def data_dir(self) -> Path:
        return self._shelf.data_dir

    def cards(self) -> list[Card]:
        return self._shelf.cards()

    def card(self, card_id: str) -> Card:
        return self._shelf.card(card_id)

    def only(self) -> Card | None:
        """The one kompas on this device, when there is exactly one."""
        return self._shelf.only()

    def create(self, nickname: str, look: str = LOOKS[0]) -> Card | NicknameProblem:
        return self._shelf.create(nickname, look)

    def change_card(self, card_id: str, **fields) -> Card:
        return self._shelf.change(card_id, **fields)

    def traces(self, card_id: str) -> list[Path]:
        """What is left of an erased kompas on this device (nothing, when erasing went well)."""
        return self._shelf.traces(card_id)

    def discard(self, arrival: Arrival) -> None:
        """A received kompas that will not be taken in after all."""
        self._shelf.discard(arrival)

    # The kompassen

    def workbook(self, card_id: str) -> Workbook:
        with self._lock:
            if card_id not in self._workbooks:
                # Closed by its last screen while a voice note was still on its way in: the same one, still open.
                waiting = self._closing.pop(card_id, None)
                self._workbooks[card_id] = (waiting if waiting is not None and waiting.reopen()
                                            else Workbook(self._shelf.open_store(card_id)))
            return self._workbooks[card_id]

    def pin(self, card_id: str) -> PinLock:
        return PinLock(self._shelf.folder(card_id))

    def folder(self, card_id: str) -> Path:
        return self._shelf.folder(card_id)

    def erase(self, card_id: str, pin: str | None = None) -> bool | PinAnswer:
        """Remove a kompas from the device, after every screen that has it open has let go of it.

        A kompas with a PIN goes only with that PIN, typed on the screen that erases it, under the PIN's lockout;
        the PinAnswer says why not. One whose PIN file cannot be read any more can only be erased, so it can be.
        """
        refused = self._needs_pin(card_id, pin, allow_damaged=True)
        if refused is not None:
            return refused
        with self._lock:
            self._let_go_of(card_id)
            erased = self._shelf.erase(card_id)
        log.info("a kompas was erased (%s)", "done" if erased else "failed")
        return erased

    def _needs_pin(self, card_id: str, pin: str | None, allow_damaged: bool = False) -> PinAnswer | None:
        """None when this kompas has no PIN or `pin` is it; otherwise the answer that refuses."""
        lock = self.pin(card_id)
        if not lock.is_set:
            return None
        answer = lock.check(pin)
        if answer.outcome in (PinOutcome.OK, PinOutcome.NOT_SET) or (allow_damaged and
                                                                     answer.outcome is PinOutcome.DAMAGED):
            return None
        return answer

    def _let_go_of(self, card_id: str) -> None:
        """Close every screen and the store of this kompas, and forget every address that led to it."""
        for session in list(self._sessions):
            if session.card_id == card_id:
                session._shut()
        workbook = self._workbooks.pop(card_id, None) or self._closing.pop(card_id, None)
        if workbook is not None:
            workbook.close(at_once=True)
        self._files = {key: s for key, s in self._files.items() if s.card_id != card_id}
        self._pairings = {t: p for t, p in self._pairings.items() if p.card_id != card_id}
        self._parcels = {t: p for t, p in self._parcels.items() if p.card_id != card_id}

    def _open_elsewhere(self, card_id: str, here: Session | None) -> bool:
        return any(s is not here and s.card_id == card_id and s.unlocked for s in list(self._sessions))

    def _close_unless_open(self, card_id: str | None) -> None:
        """Close this kompas's workbook when no screen has it open any more: its store, and the lock on its folder.

        Called under the library's lock, so no screen opens it meanwhile: the next one to open it reads it anew.
        A screen past its lock time that was not locked yet still counts (looking would lock it, from in here).
        """
        if card_id is None or any(s.card_id == card_id and s._unlocked for s in self._sessions):
            return
        workbook = self._workbooks.pop(card_id, None)
        # One still writing a voice note closes when it is written; a screen opening it meanwhile gets it back.
        self._closing = {c: w for c, w in self._closing.items() if w.closing}
        if workbook is not None and not workbook.close():
            self._closing[card_id] = workbook

    # Taking a kompas along, and in

    def pack(self, card_id: str, passphrase: str | None = None) -> bytes:
        """The .kompas file of this kompas as it is now; sealed with the passphrase when one is given."""
        workbook = self.workbook(card_id)
        return pack(workbook.snapshot(), workbook.data_dir, card_fields(self._shelf.card(card_id)), passphrase or None,
                    had_pin=self.pin(card_id).is_set)

    def parcel(self, card_id: str, data: bytes, hand_over: bool = False, poster: bytes | None = None,
               today: date | None = None, owner: Session | None = None) -> Parcel:
        """Make a .kompas file fetchable for ten minutes at most (a hand-over as long as a pairing code).

        A new hand-over of a kompas ends the one before it: only the code on the screen now works.
        """
        card = self._shelf.card(card_id)
        # The name is all a download list shows: the date, and for a discreet kompas not even the word kompas.
        day = (today or current_day()).isoformat()
        name = f"notities-{day}{NEUTRAL_SUFFIX}" if card.discreet else f"kompas-{day}{SUFFIX}"
        parcel = Parcel(secrets.token_urlsafe(24), card_id, name, data, self._clock() + self.pairing_seconds,
                        hand_over, poster, owner)
        with self._lock:
            now = self._clock()
            if hand_over:
                for earlier in self._parcels.values():
                    if earlier.hand_over and earlier.card_id == card_id:
                        earlier.revoked = True
            self._parcels = {t: p for t, p in self._parcels.items() if p.until > now}
            self._parcels[parcel.token] = parcel
        return parcel

    def parcel_for(self, token: str, hand_over: bool) -> Parcel | None:
        """The parcel at this address while it lasts; None once it is gone or ended, or for the other kind."""
        with self._lock:
            parcel = self._parcels.get(token)
        if parcel is None or parcel.hand_over != hand_over or parcel.revoked or self._clock() >= parcel.until:
            return None
        return parcel

    def revoke(self, parcel: Parcel | None) -> None:
        """End a parcel before its time: its address answers with a refusal from now on."""
        if parcel is not None:
            with self._lock:
                parcel.revoked = True

    def _revoke_parcels_of(self, session: Session) -> None:
        for parcel in self._parcels.values():
            if parcel.owner is session:
                parcel.revoked = True

    def hand_over_known(self, token: str) -> bool:
        """Whether a hand-over code is one this server made in the last ten minutes, used or not: its address
        answers, if only to refuse and count the try. Any other code meets the doors."""
        with self._lock:
            parcel = self._parcels.get(token)
        return parcel is not None and parcel.hand_over and self._clock() < parcel.until

    def parcel_any(self, token: str) -> Parcel | None:
        """The parcel at this address in any state, used, ended or old: only to say so in the kompas's language."""
        with self._lock:
            return self._parcels.get(token)

    def hand_over_part(self, token: str, name: str | None) -> Part | None:
        """Which part of a hand-over an address names: the page, the file by its own name, or the poster;
        None for anything else."""
        parcel = self.parcel_any(token)
        if parcel is None or not parcel.hand_over:
            return Part.PAGE if name is None else None
        if name is None:
            return Part.PAGE
        return {parcel.name: Part.FILE, "poster.pdf": Part.POSTER}.get(name)

    def begin_fetch(self, token: str, part: Part) -> Parcel | None:
        """A phone asks for part of a hand-over: the parcel if that may come now, else None (and the try counted).

        The file comes whole once; the poster once, also after the file; the page while the file has not come.
        A download under way holds its part until end_fetch.
        """
        with self._lock:
            parcel = self._parcels.get(token)
            if parcel is None or not parcel.hand_over or self._clock() >= parcel.until:
                return None
            if part is Part.POSTER and parcel.poster is None:
                return None
            spent = {Part.PAGE: parcel.fetched, Part.FILE: parcel.fetched, Part.POSTER: parcel.poster_fetched}[part]
            if parcel.revoked or spent or part in parcel._fetching:
                parcel.tried_again += 1
                log.warning("a hand-over code was tried again after it was used or ended")
                return None
            if part is not Part.PAGE:
                parcel._fetching.add(part)
            return parcel

    def end_fetch(self, parcel: Parcel, part: Part, whole: bool) -> None:
        """A download begun with begin_fetch ended; `whole`: it went out to the end, so that part is used."""
        with self._lock:
            parcel._fetching.discard(part)
            if whole and part is Part.FILE:
                parcel.fetched = True
            elif whole and part is Part.POSTER:
                parcel.poster_fetched = True

    def receive(self, raw: bytes, passphrase: str | None = None) -> Arrival | FileProblem:
        return self._shelf.receive(raw, passphrase)

    def take_in(self, arrival: Arrival, keep_both: bool = False, pin: str | None = None,
                here: Session | None = None, today: date | None = None) -> Card | PinAnswer:
        """Put a received kompas on the shelf.

        In place of the same kompas only with that kompas's PIN, when it has one (typed on the screen `here`, under
        the PIN's lockout: the PinAnswer says why not), and never while another screen has it open (FolderInUse).
        What the replaced kompas held goes to its backups first, so going back brings it back.
        """
        same = None if keep_both else self._card_or_none(arrival.manifest.kompas_id)
        if same is not None:
            if self._open_elsewhere(same.id, here):
                raise FolderInUse(self._shelf.folder(same.id))
            refused = self._needs_pin(same.id, pin)
            if refused is not None:
                return refused
        with self._lock:
            if same is not None:
                # Checked again: the PIN took half a second, and a screen may have opened it meanwhile.
                if self._open_elsewhere(same.id, here):
                    raise FolderInUse(self._shelf.folder(same.id))
                self._let_go_of(same.id)
            card = self._shelf.take_in(arrival, keep_both, today)
            # It had a PIN where it came from, and has none here: its first screen says so, and offers to set one.
            # (Checking a PIN file's presence is quick: no scrypt.)
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

    def _card_or_none(self, card_id: str) -> Card | None:
        try:
            return self._shelf.card(card_id)
        except KeyError:
            return None

    def close(self) -> None:
        with self._lock:
            if self._watching is not None:
                self._watching.set()
            self._parcels.clear()
            for workbook in self._workbooks.values():
                workbook.close()
            self._workbooks.clear()
            self._shelf.close()

    # Locking at the lock time

    @property
    def idle_check(self) -> float:
        """Seconds between two looks for kompassen left alone too long: often enough for the shortest lock time."""
        return min(IDLE_CHECK, max(0.25, self.lock_seconds / 4)) if self.lock_seconds else IDLE_CHECK

    def lock_idle(self) -> list[Session]:
        """Lock every kompas left alone past its lock time, whether or not any screen is connected to it."""
        with self._lock:
            sessions = list(self._sessions)
        return [session for session in sessions if session.lock_if_idle()]

    def watch_idle(self, every: float | None = None) -> None:
        """Lock idle kompassen from a thread of the library's own, every `every` seconds, until close().

        Not from a page's event loop: a page whose connection dropped has none, and its kompas must lock all the same.
        """
        with self._lock:
            if self._watching is not None:
                return
            stop = self._watching = threading.Event()
        interval = every if every is not None else self.idle_check

        def watch() -> None:
            while not stop.wait(interval):
                try:
                    self.lock_idle()
                except Exception as error:  # noqa: BLE001 - the watcher must outlive any one screen's trouble
                    log.error("locking idle kompassen failed (%s)", type(error).__name__)

        threading.Thread(target=watch, name="kompas-idle-lock", daemon=True).start()

    # Photo and poster addresses: one key per unlocking, gone when the kompas locks.

    def file_key(self, session: Session) -> str:
        key = secrets.token_urlsafe(18)
        with self._lock:
            self._files[key] = session
        return key

    def forget_file_key(self, key: str | None) -> None:
        with self._lock:
            self._files.pop(key or "", None)

    def kompas_of_file_key(self, key: str) -> str | None:
        """The kompas whose files this key opens; None for a key never made, or whose screen locked (at its lock
        time, even when no watcher has come by yet)."""
        with self._lock:
            session = self._files.get(key)
        if session is None or not session.unlocked:
            return None
        return session.card_id

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
        self._unlocked = False
        self.file_key: str | None = None
        # The language this screen speaks before a kompas with a language of its own is open (the first start,
        # the shelf); None: the process's language.
        self.language: str | None = None
        self._language_at: str | None = None  # the kompas whose screen the language was chosen on
        # The language the browser or phone asks for, when the app has it: until a language is chosen here.
        self.client_language: str | None = None
        self._last_input = library._clock()
        # Who is told when this kompas locks by itself, from whichever thread noticed its lock time. A screen that
        # is gone is simply not told: a call that fails changes nothing, the kompas is locked already.
        self.on_idle_lock: Callable[[], None] | None = None
        # Use without a key or a tap (a voice note being spoken): the lock time starts again while it lasts.
        self.busy: Callable[[], bool] = lambda: False

    @property
    def unlocked(self) -> bool:
        """Whether the kompas is open here. From its lock time on it is not, whether or not anyone looked."""
        self.lock_if_idle()
        return self._unlocked

    @property
    def card(self) -> Card | None:
        """The open kompas's card; None when none is open, or when another screen has just erased it."""
        if not self.card_id:
            return None
        try:
            return self.library._shelf.card(self.card_id)
        except KeyError:
            return None

    @property
    def workbook(self) -> Workbook | None:
        """The open kompas's workbook, only while it is unlocked."""
        if not (self.card_id and self.unlocked):
            return None
        with self.library._lock:
            # Asked again under the lock: locked from another thread just now, it must not be opened again for nobody.
            return self.library.workbook(self.card_id) if self.card_id and self._unlocked else None

    def has_pin(self, card_id: str | None = None) -> bool:
        card_id = card_id or self.card_id
        return bool(card_id) and self.library.pin(card_id).is_set

    def choose(self, card_id: str) -> None:
        """Take a kompas from the shelf: open at once without a PIN, else wait for it.

        KeyError when the shelf no longer has it (another screen erased it meanwhile); nothing changes then.
        """
        self.library._shelf.card(card_id)
        self._store_typing()
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
        self._store_typing()
        self._let_go()
        self.card_id = card_id
        self._open()

    def lock(self) -> None:
        """Lock the open kompas: its PIN is needed again, and its photo addresses and copies stop working."""
        self._store_typing()
        self._let_go()

    def hide(self) -> None:
        """ "Snel verbergen": a kompas with a PIN locks; one without stays open behind the empty screen, but its
        copies and hand-over codes end all the same."""
        if self.card_id and self.has_pin():
            self.lock()
        else:
            with self.library._lock:
                self.library._revoke_parcels_of(self)

    def close(self) -> None:
        """Back to the shelf."""
        self._store_typing()
        self._shut()

    def _shut(self) -> None:
        """Back to the shelf, without storing what is being typed first: for callers under the library's lock."""
        self._let_go()
        self.card_id = None

    def touch(self) -> None:
        """Input on this screen: the lock time starts again, unless it has run out already (then it locks now)."""
        if not self.lock_if_idle():
            self._last_input = self.library._clock()

    @property
    def idle_minutes(self) -> int:
        card = self.card
        return card.lock_minutes if card else IDLE_MINUTES

    @property
    def idle_seconds(self) -> float:
        """The quiet seconds after which this kompas locks: its own minutes, or the server's shorter limit."""
        seconds = self.idle_minutes * 60
        return min(seconds, self.library.lock_seconds) if self.library.lock_seconds else seconds

    def idle_too_long(self) -> bool:
        return self._unlocked and self.library._clock() - self._last_input > self.idle_seconds

    def lock_if_idle(self) -> bool:
        """Lock now if the kompas was left alone past its lock time; True when it locked just now.

        With a PIN it waits at its door; without one there is nothing to unlock with, so it closes, and the shelf
        shows names only. Its keys go with it: photo and poster addresses, copies, hand-over codes.
        """
        with self.library._lock:
            if not self.idle_too_long():
                return False
            try:
                busy = self.busy()
            except Exception:  # noqa: BLE001 - a screen gone in the middle of asking: not busy
                busy = False
            if busy:
                self._last_input = self.library._clock()
                return False
            try:
                with_pin = self.has_pin()
            except KeyError:  # erased on another screen meanwhile
                with_pin = False
            # Nothing is being typed after the quiet time (words are stored within half a second), and drafts are not
            # stored from under the library's lock: a draft being stored waits for that lock to tell its screen.
            self._let_go() if with_pin else self._shut()
        log.info("a kompas locked after its quiet time")
        listener = self.on_idle_lock
        if listener is not None:
            try:
                listener()
            except Exception as error:  # noqa: BLE001 - a screen that is gone is not told
                log.info("a locked screen could not be told (%s)", type(error).__name__)
        return True

    # What this screen speaks and shows before the PIN

    def speaks(self) -> str | None:
        """The language of this screen: the one chosen on this kompas's screen (at its door too), else the
        kompas's own, else the one chosen on the shelf, else the browser's (or phone's), else the one all the
        kompassen on this device speak."""
        card = self.card
        if card is not None and card.language and self._language_at != card.id:
            return card.language
        return self.language or (card.language if card else None) or self.client_language or self._shelf_language()

    def _shelf_language(self) -> str | None:
        languages = {card.language for card in self.library._shelf.cards()}
        return languages.pop() if len(languages) == 1 else None

    def choose_language(self, language: str) -> None:
        """Speak `language` here; an unlocked kompas keeps it, so its door speaks it next time too.

        At a locked door the choice is this screen's only: a begeleider who reads no Arabic can read the door of
        an Arabic kompas in Dutch without changing the kompas.
        """
        self.language = language
        self._language_at = self.card_id
        if self.card_id and self.unlocked:
            self.library._shelf.change(self.card_id, language=language)

    def is_discreet(self) -> bool:
        """Whether the screens before the PIN must not say "kompas": this kompas, or any on the shelf, asks so."""
        card = self.card
        if card is not None and card.discreet:
            return True
        return any(c.discreet for c in self.library._shelf.cards())

    def set_door(self, *, discreet: bool | None = None, lock_minutes: int | None = None) -> None:
        """Change how the open kompas's door behaves; only while it is unlocked."""
        if not (self.card_id and self.unlocked):
            raise PermissionError("the kompas is locked")
        self.library._shelf.change(self.card_id, discreet=discreet, lock_minutes=lock_minutes)

    def _open(self) -> None:
        with self.library._lock:
            # The quiet time starts now, before the kompas counts as open: else an old last input would lock it again.
            self._last_input = self.library._clock()
            self._unlocked = True
            self.file_key = self.library.file_key(self)

    def _store_typing(self) -> None:
        """Store what is still being typed, while the kompas is open: leaving it may close it (never under the
        library's lock: a draft being stored takes that lock to tell its screens)."""
        if self._unlocked:
            flush_all()

    def _let_go(self) -> None:
        with self.library._lock:
            self._unlocked = False
            self.library.forget_file_key(self.file_key)
            self.file_key = None
            self.library._revoke_parcels_of(self)
            self.library._close_unless_open(self.card_id)
