"""The optional PIN in front of one kompas: stored only as a slow hash, with a lockout that outlives a restart."""

from __future__ import annotations

import base64
import binascii
import contextlib
import enum
import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kompas.base import clock
from kompas.base.files import PRIVATE_FOLDER, sync_folder, write_atomically

__all__ = [
    "Cost",
    "OWASP",
    "PinAnswer",
    "PinLock",
    "PinOutcome",
    "normalise_pin",
    "FREE_TRIES",
    "PIN_FILE",
    "TRIES_FILE",
    "WAITS",
]

log = logging.getLogger(__name__)

PIN_FILE = "pin.json"
TRIES_FILE = "pin-tries.json"

# Wrong tries that cost nothing but the try: enough for a tired thumb on a cracked screen.
FREE_TRIES = 5
# The wait after the 5th wrong try, the 6th, ...; each wrong try after a wait raises it one step, up to
# an hour. About 24 guesses a day then remain, against 10,000 PINs of four digits.
WAITS = (30.0, 60.0, 300.0, 900.0, 3600.0)

MIN_DIGITS, MAX_DIGITS = 4, 6


@dataclass(frozen=True)
class Cost:
    """The scrypt parameters a hash was made with; they are stored beside it, so they can be raised later."""

    n: int
    r: int
    p: int


# OWASP's parameters for scrypt: 128 MiB of memory, about half a second on a 2-core machine.
OWASP = Cost(n=2**17, r=8, p=1)
# What new hashes are made with; tests lower it, the app never does.
COST = OWASP

SALT_BYTES = 16
KEY_BYTES = 32
# scrypt needs 128 * n * r * p bytes; OpenSSL refuses anything over 32 MiB unless told more.
MAXMEM = 256 * 1024 * 1024
# A stored hash asking for more than this is not one we wrote: it would only exhaust the phone's memory.
_MAX_NEEDED = 1024 * 1024 * 1024


class PinOutcome(enum.Enum):
    """How a PIN was taken; only the UI turns this into words."""

    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"  # too many wrong tries: nothing is checked until the wait is over
    INVALID = "invalid"  # not 4 to 6 digits; costs no try
    NOT_SET = "not_set"
    DAMAGED = "damaged"  # the PIN file cannot be read, so no PIN can open this kompas again
    NOT_SAVED = "not_saved"  # the folder cannot be written (a full phone): a try that cannot be counted is not made
    NO_MEMORY = "no_memory"  # the device could not give scrypt its memory just now


@dataclass(frozen=True)
class PinAnswer:
    """An outcome, with the seconds to wait before the next try is looked at and the wrong tries left before a wait."""

    outcome: PinOutcome
    wait: float = 0.0
    tries_left: int | None = None


@dataclass(frozen=True)
class _Tries:
    """Wrong tries since the last right PIN, and when the last one was made (wall clock, seconds)."""

    count: int = 0
    last_wrong: float = 0.0

    def wait_step(self) -> float:
        if self.count < FREE_TRIES:
            return 0.0
        return WAITS[min(self.count - FREE_TRIES, len(WAITS) - 1)]


# Every try is counted in a read-change-write of the tries file. Sessions on one server each run in their
# own thread: without this, two wrong tries read at once would be counted as one.
_counting = threading.Lock()


def normalise_pin(pin: Any) -> str | None:
    """The PIN as 4 to 6 ASCII digits, or None when it is not a PIN.

    Any script's decimal digits count: a phone keyboard set to Arabic or Farsi types ٠١٢٣ or ۰۱۲۳,
    and refusing the client's own digits would be unkind. unicodedata.decimal, not .digit: digit also
    takes ² and ①, which are not what a keypad types. Nothing is stripped or guessed: a space is refused.

    No PIN of the right length is refused, not even 0000 or 1234. Every refusal makes a stressed client
    think up another PIN that they may forget, and a forgotten PIN costs the whole kompas; a partner guesses
    birthdays, which no rule can catch. The lockout is what protects a short PIN. The UI may give a tip.
    """
    if not isinstance(pin, str) or not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        return None
    digits = [unicodedata.decimal(ch, None) for ch in pin]
    if None in digits:
        return None
    return "".join(str(d) for d in digits)


class PinLock:
    """The PIN of the kompas in `folder`: set, changed, removed and checked only through here.

    There is no way around it: no hint, no master key, no recovery. A forgotten PIN means the
    kompas can only be erased. Removing or changing the PIN takes the current one.
    `now` is wall-clock seconds (clock.wall()), injectable for tests.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._pin_path = self.folder / PIN_FILE
        self._tries_path = self.folder / TRIES_FILE
        # A write cut off by a crash leaves only its temp file; the real files are whole. Under the lock,
        # so a session opening the door cannot take away the temp file another session is writing.
        with _counting:
            for stale in (*self.folder.glob(f".{PIN_FILE}.*.tmp"), *self.folder.glob(f".{TRIES_FILE}.*.tmp")):
                with contextlib.suppress(OSError):
                    stale.unlink()

    @property
    def is_set(self) -> bool:
        """Whether this kompas has a PIN; a damaged PIN file counts as one, so it never opens the kompas."""
        try:
            os.lstat(self._pin_path)
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError:
            return True  # a file that cannot even be looked at is not a kompas without a PIN
        return True

    @property
    def is_damaged(self) -> bool:
        """Whether a PIN file is there but cannot be read: then no PIN can open this kompas, and only erasing helps."""
        return self.is_set and self._stored() is None

    def wait_left(self, now: float | None = None) -> float:
        """Seconds until a PIN is looked at again; 0 when a try can be made now."""
        now = clock.wall() if now is None else now
        with _counting:
            return self._wait_left(self._tries(now), now)

    def check(self, pin: Any, now: float | None = None) -> PinAnswer:
        """Whether `pin` opens this kompas. While locked nothing is hashed, so waiting out the lock is the only way."""
        now = clock.wall() if now is None else now
        if not self.is_set:
            return PinAnswer(PinOutcome.NOT_SET)
        stored = self._stored()
        if stored is None:
            return PinAnswer(PinOutcome.DAMAGED)
        with _counting:
            tries = self._tries(now)
            wait = self._wait_left(tries, now)
            if wait > 0:
                log.debug("pin refused while locked, %.0f s left", wait)
                return PinAnswer(PinOutcome.LOCKED, wait=wait)
            digits = normalise_pin(pin)
            if digits is None:
                return PinAnswer(PinOutcome.INVALID)
            # The try is counted before it is checked, so a crash, a killed app or a second session
            # in the middle of the half second that scrypt takes cannot make a try that is never counted.
            # A right PIN takes the count back below.
            charged = _Tries(tries.count + 1, now)
            try:
                self._write_tries(charged)
            except OSError as error:
                log.error("a pin try could not be counted (%s); nothing is checked", error.strerror)
                return PinAnswer(PinOutcome.NOT_SAVED)
        try:
            right = hmac.compare_digest(_derive(digits, stored.salt, stored.cost, len(stored.key)), stored.key)
        except (MemoryError, ValueError) as error:
            # OpenSSL reports memory it could not get as a ValueError. The try stays counted: taking it
            # back could take back another session's wrong try counted meanwhile.
            log.error("scrypt could not run (%s)", type(error).__name__)
            return PinAnswer(PinOutcome.NO_MEMORY)
        if not right:
            log.warning("wrong pin, tries=%d", charged.count)
            return PinAnswer(PinOutcome.WRONG, wait=charged.wait_step(), tries_left=max(0, FREE_TRIES - charged.count))
        with _counting:
            try:
                self._tries_path.unlink(missing_ok=True)
                sync_folder(self.folder)
            except OSError as error:
                # The client is in; the count stays, so the next wrong try may start a wait early.
                log.error("the pin tries could not be reset (%s)", error.strerror)
        self._raise_cost(digits, stored)
        return PinAnswer(PinOutcome.OK)

    def set(self, new_pin: Any, current_pin: Any = None, now: float | None = None) -> PinAnswer:
        """Give this kompas a PIN, or a new one; changing it takes the current PIN, with the same lockout."""
        digits = normalise_pin(new_pin)
        if digits is None:
            return PinAnswer(PinOutcome.INVALID)
        if self.is_set:
            answer = self.check(current_pin, now)
            if answer.outcome is not PinOutcome.OK:
                return answer
        try:
            payload = _hash_document(digits, COST)
        except (MemoryError, ValueError) as error:
            log.error("scrypt could not run (%s)", type(error).__name__)
            return PinAnswer(PinOutcome.NO_MEMORY)
        with _counting:
            try:
                self.folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
                _write_atomically(self._pin_path, payload)
                # Wrong tries against an earlier PIN say nothing about this one.
                self._tries_path.unlink(missing_ok=True)
                sync_folder(self.folder)
            except OSError as error:
                log.error("the pin could not be stored (%s)", error.strerror)
                return PinAnswer(PinOutcome.NOT_SAVED)
        log.info("pin set")
        return PinAnswer(PinOutcome.OK)

    def remove(self, current_pin: Any, now: float | None = None) -> PinAnswer:
        """Take the PIN away; only the current PIN can, with the same lockout as opening."""
        answer = self.check(current_pin, now)
        if answer.outcome is not PinOutcome.OK:
            return answer
        with _counting:
            try:
                # The PIN file first: a crash in between leaves no PIN and a stale count, never a PIN without its count.
                self._pin_path.unlink(missing_ok=True)
                self._tries_path.unlink(missing_ok=True)
                sync_folder(self.folder)
            except OSError as error:
                log.error("the pin could not be removed (%s)", error.strerror)
                return PinAnswer(PinOutcome.NOT_SAVED)
        log.info("pin removed")
        return PinAnswer(PinOutcome.OK)

    def _stored(self) -> _Stored | None:
        """The stored hash, or None when the file is damaged or cannot be read: that fails closed."""
        try:
            return _Stored.parse(self._pin_path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, *_DAMAGE) as error:
            log.error("the pin file cannot be used (%s)", type(error).__name__)
            return None

    def _tries(self, now: float) -> _Tries:
        """The wrong tries so far; called under _counting.

        No file means no wrong try since the last right PIN. A damaged or unreadable file never means
        zero: it is written over as the 5th wrong try made just now, so the first wait starts and ends.
        """
        try:
            raw = self._tries_path.read_bytes()
        except FileNotFoundError:
            return _Tries()
        except OSError as error:
            log.error("the pin tries cannot be read (%s); locked for the first wait", error.strerror)
            return _Tries(FREE_TRIES, now)
        try:
            doc = json.loads(raw)
            count, last_wrong = doc["count"], doc["last_wrong"]
            if type(count) is not int or count < 0 or type(last_wrong) not in (int, float) or not math.isfinite(last_wrong):
                raise TypeError("not a count of tries")
            return _Tries(count, float(last_wrong))
        except (*_DAMAGE, KeyError) as error:
            log.error("the pin tries file is damaged (%s); locked for the first wait", type(error).__name__)
            tries = _Tries(FREE_TRIES, now)
            with contextlib.suppress(OSError):
                self._write_tries(tries)
            return tries

    def _wait_left(self, tries: _Tries, now: float) -> float:
        """Seconds of the wait still to go; called under _counting.

        The times are wall-clock, because a monotonic clock starts again with the phone. A clock set back
        to before the last wrong try must not end the wait early: the wait then starts again in full from
        now, and is written so, so that it does end in the new clock's time. A clock set forward does end
        it early; nothing that survives a restart can tell that apart from time that really passed.
        """
        step = tries.wait_step()
        if step == 0:
            return 0.0
        if now < tries.last_wrong:
            log.warning("the clock went back; the pin wait starts again")
            with contextlib.suppress(OSError):
                self._write_tries(_Tries(tries.count, now))
            return step
        return max(0.0, tries.last_wrong + step - now)

    def _write_tries(self, tries: _Tries) -> None:
        _write_atomically(self._tries_path, json.dumps({"count": tries.count, "last_wrong": tries.last_wrong}).encode())

    def _raise_cost(self, digits: str, stored: _Stored) -> None:
        """Rehash a right PIN that was stored at lower parameters than new hashes get; only now is the PIN at hand."""
        if _work(stored.cost) >= _work(COST):
            return
        try:
            payload = _hash_document(digits, COST)
            with _counting:
                _write_atomically(self._pin_path, payload)
        except (OSError, MemoryError, ValueError) as error:
            # The old hash still opens the kompas; the next right PIN tries again.
            log.warning("the pin hash could not be made stronger (%s)", type(error).__name__)
            return
        log.info("pin hash made stronger")


# What a damaged file can make json, base64 or the checks below raise.
_DAMAGE = (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError, binascii.Error)


@dataclass(frozen=True)
class _Stored:
    cost: Cost
    salt: bytes
    key: bytes

    @classmethod
    def parse(cls, raw: bytes) -> _Stored:
        """The stored hash; raises on anything we do not write, so such a file is taken as damaged."""
        doc = json.loads(raw)
        if doc["scheme"] != "scrypt":
            raise ValueError("not an scrypt hash")
        n, r, p = doc["n"], doc["r"], doc["p"]
        if not all(type(v) is int for v in (n, r, p)) or n < 2 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16:
            raise ValueError("not scrypt parameters")
        if 128 * n * r * p > _MAX_NEEDED:
            raise ValueError("scrypt parameters beyond any phone")
        salt = base64.b64decode(doc["salt"], validate=True)
        key = base64.b64decode(doc["hash"], validate=True)
        if not SALT_BYTES <= len(salt) <= 64 or not KEY_BYTES <= len(key) <= 64:
            raise ValueError("salt or hash of the wrong length")
        return cls(Cost(n, r, p), salt, key)


def _work(cost: Cost) -> int:
    return cost.n * cost.r * cost.p


def _derive(digits: str, salt: bytes, cost: Cost, length: int = KEY_BYTES) -> bytes:
    # hashlib.scrypt is looked up at each call, so a test can count the calls.
    return hashlib.scrypt(digits.encode("ascii"), salt=salt, n=cost.n, r=cost.r, p=cost.p,
                          maxmem=max(MAXMEM, 2 * 128 * cost.n * cost.r * cost.p), dklen=length)


def _hash_document(digits: str, cost: Cost) -> bytes:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(digits, salt, cost)
    return json.dumps({
        "scheme": "scrypt", "n": cost.n, "r": cost.r, "p": cost.p,
        "salt": base64.b64encode(salt).decode("ascii"), "hash": base64.b64encode(key).decode("ascii"),
    }).encode("ascii")


def _write_atomically(path: Path, payload: bytes) -> None:
    # Readable by this user only: other accounts on a shared laptop have no business with a PIN's hash.
    write_atomically(path, payload, private=True)

