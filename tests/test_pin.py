"""The PIN in front of a kompas: never stored, opened only by the right digits, and a lockout that a restart or a clock cannot undo."""

import base64
import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
import time

import pytest

from kompas.store import pin
from kompas.store.pin import PIN_FILE, TRIES_FILE, Cost, PinLock, PinOutcome

T0 = 1_800_000_000.0  # a wall-clock moment in 2027, handed in as `now`: no test sleeps
RIGHT, WRONG = "2580", "1111"


@pytest.fixture(autouse=True)
def cheap(monkeypatch):
    """scrypt at a tiny cost, so tests that make many tries stay fast; the OWASP test puts the real cost back."""
    monkeypatch.setattr(pin, "COST", Cost(n=2**4, r=8, p=1))


@pytest.fixture
def scrypt_calls(monkeypatch):
    calls = []
    real = hashlib.scrypt

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls


@pytest.fixture
def door(tmp_path):
    door = PinLock(tmp_path)
    assert door.set(RIGHT).outcome is PinOutcome.OK
    return door


def wrong_tries(door, count, now=T0):
    return [door.check(WRONG, now) for _ in range(count)]


def test_the_file_holds_no_pin_only_a_hash_at_owasps_parameters_that_opens_with_the_right_pin(tmp_path, monkeypatch):
    monkeypatch.setattr(pin, "COST", pin.OWASP)
    door = PinLock(tmp_path)
    assert door.set("٤٠٧١").outcome is PinOutcome.OK  # Arabic-Indic digits, stored as 4071
    raw = (tmp_path / PIN_FILE).read_bytes()
    assert b"4071" not in raw and "٤٠٧١".encode() not in raw
    doc = json.loads(raw)
    assert (doc["scheme"], doc["n"], doc["r"], doc["p"]) == ("scrypt", 2**17, 8, 1)
    assert len(base64.b64decode(doc["salt"])) == 16
    assert len(base64.b64decode(doc["hash"])) == 32
    if os.name == "posix":
        assert (tmp_path / PIN_FILE).stat().st_mode & 0o077 == 0, "other users on a shared laptop can read the hash"
    assert PinLock(tmp_path).check("4071").outcome is PinOutcome.OK
    assert PinLock(tmp_path).check("4070").outcome is PinOutcome.WRONG


def test_two_kompassen_with_the_same_pin_store_different_hashes(tmp_path):
    for name in ("a", "b"):
        assert PinLock(tmp_path / name).set(RIGHT).outcome is PinOutcome.OK
    a, b = (json.loads((tmp_path / name / PIN_FILE).read_bytes()) for name in ("a", "b"))
    assert a["salt"] != b["salt"] and a["hash"] != b["hash"]


def test_a_right_pin_opens_and_a_wrong_one_is_refused(door):
    assert door.is_set
    assert door.check(RIGHT, T0).outcome is PinOutcome.OK
    answer = door.check(WRONG, T0)
    assert answer.outcome is PinOutcome.WRONG
    assert answer.tries_left == 4 and answer.wait == 0


def test_a_kompas_without_a_pin_says_so(tmp_path):
    door = PinLock(tmp_path)
    assert not door.is_set
    assert door.check(RIGHT).outcome is PinOutcome.NOT_SET
    assert door.remove(RIGHT).outcome is PinOutcome.NOT_SET


@pytest.mark.parametrize("typed", ["٢٥٨٠", "۲۵۸۰", "２５８０", "2٥8۰"], ids=["arabic", "farsi", "fullwidth", "mixed"])
def test_digits_from_an_arabic_or_farsi_keyboard_are_the_same_pin(door, typed):
    assert door.check(typed, T0).outcome is PinOutcome.OK


@pytest.mark.parametrize("typed", ["258", "2580123", "25a0", "25 80", " 2580", "2580\n", "", None, 2580, "²⁵⁸⁰", "②⑤⑧⓪"],
                         ids=["3 digits", "7 digits", "letter", "space", "leading space", "newline", "empty", "none",
                              "a number", "superscript", "circled"])
def test_what_is_not_4_to_6_digits_is_refused_and_costs_no_try(door, typed, scrypt_calls):
    for _ in range(10):
        assert door.check(typed, T0).outcome is PinOutcome.INVALID
    assert scrypt_calls == []
    assert door.set(typed, current_pin=RIGHT).outcome is PinOutcome.INVALID
    assert door.check(RIGHT, T0).outcome is PinOutcome.OK


def test_4_5_and_6_digits_are_all_pins_even_easy_ones(tmp_path):
    for typed in ("0000", "12345", "999999"):
        door = PinLock(tmp_path / typed)
        assert door.set(typed).outcome is PinOutcome.OK
        assert door.check(typed, T0).outcome is PinOutcome.OK


def test_after_five_wrong_tries_even_the_right_pin_waits_30_seconds_and_nothing_is_hashed(door, scrypt_calls):
    answers = wrong_tries(door, 5)
    assert [a.outcome for a in answers] == [PinOutcome.WRONG] * 5
    assert [a.tries_left for a in answers] == [4, 3, 2, 1, 0]
    assert answers[-1].wait == 30
    hashed = len(scrypt_calls)

    locked = door.check(RIGHT, T0 + 10)
    assert locked.outcome is PinOutcome.LOCKED and locked.wait == 20
    assert door.wait_left(T0 + 29.5) == 0.5
    assert door.set("1357", current_pin=RIGHT, now=T0 + 29.5).outcome is PinOutcome.LOCKED
    assert door.remove(RIGHT, now=T0 + 29.5).outcome is PinOutcome.LOCKED
    assert len(scrypt_calls) == hashed, "a try was hashed while locked"

    assert door.check(RIGHT, T0 + 30).outcome is PinOutcome.OK


def test_the_wait_grows_with_each_wrong_try_after_a_wait_and_stops_at_an_hour(door):
    now = T0
    waits = []
    for _ in range(11):
        answer = door.check(WRONG, now)
        assert answer.outcome is PinOutcome.WRONG
        waits.append(answer.wait)
        if answer.wait:
            assert door.check(WRONG, now + answer.wait - 1).outcome is PinOutcome.LOCKED
        now += answer.wait
    assert waits == [0, 0, 0, 0, 30, 60, 300, 900, 3600, 3600, 3600]


def test_a_right_pin_starts_the_count_again(door):
    wrong_tries(door, 4)
    assert door.check(RIGHT, T0).outcome is PinOutcome.OK
    answers = wrong_tries(door, 4)
    assert answers[-1].outcome is PinOutcome.WRONG and answers[-1].wait == 0 and answers[-1].tries_left == 1


def test_the_lockout_survives_a_new_pinlock_on_the_same_folder(door, tmp_path):
    wrong_tries(door, 6)  # the 6th try comes during the first wait and is refused without counting
    again = PinLock(tmp_path)
    assert again.wait_left(T0 + 10) == 20
    assert again.check(RIGHT, T0 + 10).outcome is PinOutcome.LOCKED


GUESSER = """
import sys
from kompas.store.pin import PinLock
door = PinLock(sys.argv[1])
for _ in range(5):
    print(door.check(sys.argv[2]).outcome.value, flush=True)
"""


def test_the_lockout_survives_an_app_that_made_the_wrong_tries_and_exited(door, tmp_path):
    started = time.time()
    child = subprocess.run([sys.executable, "-c", GUESSER, str(tmp_path), WRONG], capture_output=True, text=True,
                           timeout=60)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["wrong"] * 5
    answer = PinLock(tmp_path).check(RIGHT)
    assert answer.outcome is PinOutcome.LOCKED
    assert 30 - (time.time() - started) <= answer.wait <= 30


def test_a_clock_set_back_neither_ends_the_wait_nor_makes_it_endless(door):
    wrong_tries(door, 5)
    back = T0 - 86_400  # someone sets the phone a day back
    answer = door.check(RIGHT, back)
    assert answer.outcome is PinOutcome.LOCKED and answer.wait == 30
    assert door.wait_left(back + 29) == 1
    assert door.check(RIGHT, back + 30).outcome is PinOutcome.OK


def test_a_clock_set_back_after_the_wait_starts_it_again(door):
    wrong_tries(door, 5)
    assert door.wait_left(T0 + 100) == 0
    assert door.wait_left(T0 - 5) == 30


def test_changing_the_pin_needs_the_current_one(door):
    assert door.set("1357", current_pin=WRONG, now=T0).outcome is PinOutcome.WRONG
    assert door.set("1357", now=T0).outcome is PinOutcome.INVALID
    assert door.check(RIGHT, T0).outcome is PinOutcome.OK
    assert door.set("1357", current_pin=RIGHT, now=T0).outcome is PinOutcome.OK
    assert door.check("1357", T0).outcome is PinOutcome.OK
    assert door.check(RIGHT, T0).outcome is PinOutcome.WRONG


def test_removing_the_pin_needs_the_current_one(door, tmp_path):
    assert door.remove(WRONG, T0).outcome is PinOutcome.WRONG
    assert door.is_set and door.check(RIGHT, T0).outcome is PinOutcome.OK
    assert door.remove(RIGHT, T0).outcome is PinOutcome.OK
    assert not door.is_set
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert door.check(RIGHT, T0).outcome is PinOutcome.NOT_SET


def test_guessing_through_change_or_remove_counts_toward_the_same_lockout(door):
    for _ in range(3):
        assert door.set("1357", current_pin=WRONG, now=T0).outcome is PinOutcome.WRONG
    assert door.remove(WRONG, T0).outcome is PinOutcome.WRONG
    assert door.check(WRONG, T0).wait == 30
    assert door.remove(RIGHT, T0).outcome is PinOutcome.LOCKED
    assert door.is_set


DAMAGE = {
    "empty": lambda raw: b"",
    "cut in half": lambda raw: raw[: len(raw) // 2],
    "not json": lambda raw: b"\x00\xff garbage",
    "no hash": lambda raw: _edit(raw, hash=None),
    "hash not base64": lambda raw: _edit(raw, hash="***"),
    "short salt": lambda raw: _edit(raw, salt=base64.b64encode(b"1234").decode()),
    "other scheme": lambda raw: _edit(raw, scheme="plain"),
    "n not a power of two": lambda raw: _edit(raw, n=1000),
    "n beyond any phone": lambda raw: _edit(raw, n=2**40),
    "a list": lambda raw: b"[]",
}


def _edit(raw, **fields):
    doc = json.loads(raw)
    for key, value in fields.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc).encode()


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_pin_file_never_opens_the_kompas_and_is_kept(door, tmp_path, damage, scrypt_calls):
    path = tmp_path / PIN_FILE
    path.write_bytes(damage(path.read_bytes()))
    damaged = path.read_bytes()
    again = PinLock(tmp_path)
    assert again.is_set and again.is_damaged
    assert again.check(RIGHT, T0).outcome is PinOutcome.DAMAGED
    assert again.set("1357", current_pin=RIGHT, now=T0).outcome is PinOutcome.DAMAGED
    assert again.remove(RIGHT, T0).outcome is PinOutcome.DAMAGED
    assert path.read_bytes() == damaged
    assert scrypt_calls == []


def test_a_pin_file_that_is_not_a_file_never_opens_the_kompas(tmp_path):
    (tmp_path / PIN_FILE).mkdir()
    door = PinLock(tmp_path)
    assert door.is_set and door.is_damaged
    assert door.check(RIGHT, T0).outcome is PinOutcome.DAMAGED


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"count": -1, "last_wrong": 0}', b'{"count": "2", "last_wrong": 0}',
                                     b'{"count": true, "last_wrong": 0}', b'{"count": 0, "last_wrong": NaN}', b'{"count": 0}'],
                         ids=["empty", "cut off", "a list", "negative", "text", "boolean", "not a number", "no time"])
def test_a_damaged_tries_file_locks_for_the_first_wait_never_counts_as_zero(door, tmp_path, content, scrypt_calls):
    (tmp_path / TRIES_FILE).write_bytes(content)
    answer = PinLock(tmp_path).check(RIGHT, T0)
    assert answer.outcome is PinOutcome.LOCKED and answer.wait == 30
    assert scrypt_calls == []
    # Written over as the 5th wrong try: the wait ends, and the next wrong try raises it.
    assert PinLock(tmp_path).check(WRONG, T0 + 30).wait == 60
    assert PinLock(tmp_path).check(RIGHT, T0 + 90).outcome is PinOutcome.OK


def test_a_try_that_cannot_be_counted_is_not_checked(door, monkeypatch, scrypt_calls):
    def full_disk(path, payload):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pin, "_write_atomically", full_disk)
    for _ in range(20):
        assert door.check(RIGHT, T0).outcome is PinOutcome.NOT_SAVED
    assert scrypt_calls == []


def test_a_device_short_of_memory_is_told_so_and_nothing_is_stored(tmp_path, monkeypatch):
    def no_memory(*args, **kwargs):
        raise ValueError("[digital envelope routines] memory limit exceeded")

    monkeypatch.setattr(hashlib, "scrypt", no_memory)
    door = PinLock(tmp_path)
    assert door.set(RIGHT).outcome is PinOutcome.NO_MEMORY
    assert not door.is_set


def test_sessions_guessing_at_once_get_five_tries_between_them(door, monkeypatch):
    real = hashlib.scrypt
    barrier = threading.Barrier(8)

    def slow(*args, **kwargs):
        time.sleep(0.05)  # long enough for the other sessions to ask while this try is hashed
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", slow)
    outcomes = []

    def guess(digits):
        barrier.wait()
        outcomes.append(door.check(digits, T0).outcome)

    threads = [threading.Thread(target=guess, args=(f"{1000 + i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.value for o in outcomes) == ["locked"] * 3 + ["wrong"] * 5


def test_a_hash_made_at_lower_parameters_still_opens_and_is_made_stronger(door, tmp_path, monkeypatch):
    monkeypatch.setattr(pin, "COST", Cost(n=2**5, r=8, p=1))
    assert door.check(RIGHT, T0).outcome is PinOutcome.OK
    assert json.loads((tmp_path / PIN_FILE).read_bytes())["n"] == 2**5
    assert door.check(RIGHT, T0).outcome is PinOutcome.OK
    assert door.check(WRONG, T0).outcome is PinOutcome.WRONG


def test_no_pin_and_no_hash_reach_the_log(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="kompas.store.pin")
    door = PinLock(tmp_path)
    door.set("4071")
    wrong_tries(door, 6)
    door.check("4071", T0 + 30)
    door.set("396512", current_pin="4071", now=T0 + 30)
    stored = json.loads((tmp_path / PIN_FILE).read_bytes())
    door.remove("396512", T0 + 30)
    assert caplog.records, "nothing was logged at all"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "wrong pin, tries=5" in logged
    for secret in ("4071", "3965", WRONG, stored["salt"], stored["hash"]):
        assert secret not in logged
