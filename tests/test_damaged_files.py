"""Damaged kompas files and a read-only folder, through the real start: kept aside or read, never a traceback."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kompas.domain.model import Condition, Mood, Step
from kompas.store.storage import DB_FILE, Store, StoreProblem
from kompas.workbook.workbook import Outcome, Workbook

ROOT = Path(__file__).resolve().parent.parent

NOTE = {"id": "n1", "condition": "meedoen", "step": "krachten", "text": "Ik kan goed koken", "starred": True,
        "created": "2026-11-21T10:00:00", "order": 1}
ACTION = {"text": "Een Stadspas aanvragen", "condition": "meedoen", "look_back": "2026-12-05", "helper": "Anouk",
          "first_step": "", "chosen": "2026-11-21"}
CHECKIN = {"id": "c1", "mood": "goed", "day": "2026-11-22", "note": "Gebeld", "photo": None}
PERIOD = {"id": "p1", "action": ACTION, "checkins": [CHECKIN], "done": True,
          "look_back": {"went_well": "Goed", "learned": "Veel", "helped": "Anouk", "day": "2026-12-05"}}
PHOTO = {"id": "f1", "file": "photos/f1.jpg", "thumb": "photos/f1-klein.jpg", "added": "2026-11-21T10:00:00",
         "about": "kompas", "caption": "", "on_poster": False}
GOOD = {
    "meta": {"1": {"schema": 1}},
    "notes": {"1": NOTE},
    "kompas": {"1": {"wish": "Een eigen huis", "action": ACTION, "checkins": [CHECKIN], "done": False,
                     "periods": [PERIOD], "poster": {"items": ["wish"], "name": "", "paper": "A4"}}},
    "photos": {"1": PHOTO},
}


def changed(change) -> bytes:
    """The good file with one thing in it changed, as bytes."""
    tables = copy.deepcopy(GOOD)
    change(tables)
    return json.dumps(tables).encode()


def put(path: list, value):
    def change(tables):
        where = tables
        for key in path[:-1]:
            where = where[key]
        where[path[-1]] = value
    return change


GOOD_BYTES = json.dumps(GOOD).encode()
DEEP = 100_000

DAMAGED = {
    "truncated in the middle": GOOD_BYTES[: len(GOOD_BYTES) // 2],
    "only an opening brace": b"{",
    "binary junk": b"\x00\xff\xfe garbage \x89PNG\r\n\x1a\n\x00\x00",
    "invalid UTF-8 in a string": GOOD_BYTES.replace(b"Een eigen huis", b"Een \xff\xfe huis"),
    "an array": b"[1, 2, 3]",
    "a string": b'"kompas"',
    "null": b"null",
    "a number": b"42",
    "an empty object": b"{}",
    "no schema": changed(lambda t: t.pop("meta")),
    "meta is an array": changed(put(["meta"], [])),
    "schema is text": changed(put(["meta", "1", "schema"], "1")),
    "schema is true": changed(put(["meta", "1", "schema"], True)),
    "schema is a fraction": changed(put(["meta", "1", "schema"], 1.0)),
    "notes is an array": changed(put(["notes"], [NOTE])),
    "a note is text": changed(put(["notes", "1"], "Ik kan goed koken")),
    "a note id that is not a number": changed(lambda t: t["notes"].update({"abc": NOTE})),
    "a note id with a leading zero": changed(lambda t: t["notes"].update({"01": NOTE})),
    "a note id is a number": changed(put(["notes", "1", "id"], 7)),
    "a note without text": changed(lambda t: t["notes"]["1"].pop("text")),
    "an unknown condition": changed(put(["notes", "1", "condition"], "gezond_zijn")),
    "an order of 1e400": GOOD_BYTES.replace(b'"order": 1', b'"order": 1e400'),
    "an order that is NaN": GOOD_BYTES.replace(b'"order": 1', b'"order": NaN'),
    "an order of 5000 digits": GOOD_BYTES.replace(b'"order": 1', b'"order": ' + b"9" * 5000),
    "an order that is text": changed(put(["notes", "1", "order"], "1")),
    "starred is text": changed(put(["notes", "1", "starred"], "ja")),
    "the state is an array": changed(put(["kompas", "1"], [])),
    "the wish is Infinity": GOOD_BYTES.replace(b'"Een eigen huis"', b"Infinity"),
    "the wish is null": changed(put(["kompas", "1", "wish"], None)),
    "the action is text": changed(put(["kompas", "1", "action"], "Bellen")),
    "the action has a broken date": changed(put(["kompas", "1", "action", "look_back"], "5-12-2026")),
    "check-ins are an object": changed(put(["kompas", "1", "checkins"], {"1": CHECKIN})),
    "a check-in with an unknown mood": changed(put(["kompas", "1", "checkins", 0, "mood"], "boos")),
    "done is a number": changed(put(["kompas", "1", "done"], 1)),
    "a period without its look-back": changed(lambda t: t["kompas"]["1"]["periods"][0].pop("look_back")),
    "a period's check-ins are text": changed(put(["kompas", "1", "periods", 0, "checkins"], "c1")),
    "poster items are text": changed(put(["kompas", "1", "poster", "items"], "wish")),
    "poster items are an object": changed(put(["kompas", "1", "poster", "items"], {"wish": True})),
    "poster paper A5": changed(put(["kompas", "1", "poster", "paper"], "A5")),
    "a photo without its file": changed(lambda t: t["photos"]["1"].pop("file")),
    "on_poster is text": changed(put(["photos", "1", "on_poster"], "yes")),
    "photos is null": changed(put(["photos"], None)),
    "nested 100,000 deep": b"[" * DEEP + b"]" * DEEP,
    "a note text nested 100,000 deep": GOOD_BYTES.replace(b'"Ik kan goed koken"', b"[" * DEEP + b"]" * DEEP),
}

# Not damage: files that must simply be read as they are.
READABLE = {
    "with a UTF-8 BOM": b"\xef\xbb\xbf" + GOOD_BYTES,
    "indented, as a person might save it": json.dumps(GOOD, indent=4, ensure_ascii=False).encode(),
    "two notes with the same id": changed(lambda t: t["notes"].update({"2": dict(NOTE, text="Nog een keer")})),
    "a table the app does not know": changed(put(["later"], {"1": {"x": [1, None, 1.5]}})),
}


def test_the_damaged_files_are_many_and_all_differ():
    assert len(DAMAGED) >= 30
    assert len(set(DAMAGED.values())) == len(DAMAGED)


def test_the_good_file_opens_with_everything_in_it(tmp_path):
    (tmp_path / DB_FILE).write_bytes(GOOD_BYTES)
    with Store.open(tmp_path) as store:
        kompas = Workbook(store).kompas
        assert store.problem is None
    assert [n.text for n in kompas.notes] == ["Ik kan goed koken"] and kompas.notes[0].starred
    assert (kompas.wish, kompas.action.text, len(kompas.checkins), len(kompas.periods), len(kompas.photos)) == (
        "Een eigen huis", "Een Stadspas aanvragen", 1, 1, 1)


@pytest.mark.parametrize("name", DAMAGED, ids=list(DAMAGED))
def test_a_damaged_file_is_kept_aside_with_its_bytes_and_told_once(tmp_path, name):
    content = DAMAGED[name]
    (tmp_path / DB_FILE).write_bytes(content)
    with Store.open(tmp_path) as store:
        workbook = Workbook(store)
        assert store.problem is StoreProblem.UNREADABLE
        assert store.kept_aside.parent == tmp_path and store.kept_aside.read_bytes() == content
        assert workbook.problem_to_tell() == (StoreProblem.UNREADABLE, store.kept_aside.name)
        assert workbook.problem_to_tell() is None
        # A new kompas starts, and works.
        assert workbook.kompas.notes == []
        assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "nieuw begin") is Outcome.SAVED
        assert store.kept_aside.read_bytes() == content
    with Store.open(tmp_path) as again:
        assert again.problem is None and [n.text for n in again.load().notes] == ["nieuw begin"]


@pytest.mark.parametrize("name", READABLE, ids=list(READABLE))
def test_a_file_that_is_not_damaged_is_read_as_it_is(tmp_path, name):
    (tmp_path / DB_FILE).write_bytes(READABLE[name])
    with Store.open(tmp_path) as store:
        workbook = Workbook(store)
        assert store.problem is None and workbook.problem_to_tell() is None
        assert workbook.kompas.wish == "Een eigen huis"
        assert "Ik kan goed koken" in [n.text for n in workbook.kompas.notes]
        assert workbook.set_star(workbook.kompas.notes[0].id, False) is Outcome.SAVED
    with Store.open(tmp_path) as again:
        assert again.problem is None and again.load().wish == "Een eigen huis"


def kompas_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kompas", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


@pytest.mark.parametrize("name", ["truncated in the middle", "binary junk", "an order of 1e400", "nested 100,000 deep",
                                  "a note id that is not a number", "the state is an array"])
def test_the_kompas_command_keeps_a_damaged_file_aside_without_a_traceback(tmp_path, name):
    data, out = tmp_path / "data", tmp_path / "uit"
    data.mkdir()
    out.mkdir()
    (data / DB_FILE).write_bytes(DAMAGED[name])
    result = kompas_command("poster", "--data", str(data), "--out", str(out / "poster.pdf"))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    # The kompas from before the shelf moved onto it, and its damaged file was kept aside there, bytes intact.
    [kept_aside] = data.glob("**/kompas.unreadable-*.json")
    assert kept_aside.read_bytes() == DAMAGED[name]
    assert kept_aside.name in result.stderr, "the command says where the old file is"
    assert (out / "poster.pdf").stat().st_size > 0


def test_the_kompas_command_reads_a_file_with_a_bom(tmp_path):
    (tmp_path / DB_FILE).write_bytes(READABLE["with a UTF-8 BOM"])
    result = kompas_command("poster", "--data", str(tmp_path), "--out", str(tmp_path / "poster.pdf"))
    assert (result.returncode, result.stderr) == (0, "")
    assert list(tmp_path.glob("**/kompas.unreadable-*")) == []


@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` as the kernel's read-only: a read-only bind mount of itself.

    The tests run as root, and root may write in a folder whatever its permissions say, so
    chmod would test nothing. A read-only mount refuses root too, as a locked SD card or a
    read-only share would. Without the right to mount, a user who is not root is honestly
    stopped by permissions; root without that right cannot test this, and the test skips.
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True, text=True)
    if bind.returncode != 0:
        pytest.skip(f"cannot mount here: {bind.stderr.strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True, capture_output=True)
        with pytest.raises(OSError):
            (folder / "probe").write_bytes(b"")
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_an_empty_read_only_folder_starts_read_only_and_says_so(tmp_path):
    with read_only(tmp_path):
        with Store.open(tmp_path) as store:
            workbook = Workbook(store)
            assert store.problem is StoreProblem.READ_ONLY and store.read_only
            assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "nieuw") is Outcome.NOT_SAVED
            assert workbook.set_wish("wens") is Outcome.NOT_SAVED
            assert workbook.kompas.notes == [] and workbook.kompas.wish == ""
            # Every change will fail, so it is said every time.
            assert workbook.problem_to_tell() == (StoreProblem.READ_ONLY, DB_FILE)
            assert workbook.problem_to_tell() == (StoreProblem.READ_ONLY, DB_FILE)
        assert list(tmp_path.iterdir()) == []
        # A folder that is not there and cannot be made.
        with Store.open(tmp_path / "nieuw") as store:
            assert store.problem is StoreProblem.READ_ONLY and Workbook(store).kompas.notes == []


def test_a_kompas_in_a_read_only_folder_can_still_be_read(tmp_path):
    (tmp_path / DB_FILE).write_bytes(GOOD_BYTES)
    with read_only(tmp_path):
        with Store.open(tmp_path) as store:
            workbook = Workbook(store)
            assert store.problem is StoreProblem.READ_ONLY
            assert [n.text for n in workbook.kompas.notes] == ["Ik kan goed koken"]
            assert len(workbook.kompas.periods) == 1 and len(workbook.kompas.photos) == 1
            assert workbook.edit_note("n1", "anders") is Outcome.NOT_SAVED
            assert workbook.check_in(Mood.GOED, date(2026, 11, 23)) is Outcome.NOT_SAVED
            assert workbook.kompas.notes[0].text == "Ik kan goed koken" and len(workbook.kompas.checkins) == 1
        result = kompas_command("poster", "--data", str(tmp_path), "--out", str(tmp_path.parent / "poster.pdf"))
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode == 0
        assert (tmp_path / DB_FILE).read_bytes() == GOOD_BYTES


def test_a_damaged_file_in_a_read_only_folder_stays_where_it_is(tmp_path):
    content = DAMAGED["an order of 1e400"]
    (tmp_path / DB_FILE).write_bytes(content)
    with read_only(tmp_path):
        with Store.open(tmp_path) as store:
            workbook = Workbook(store)
            assert store.problem is StoreProblem.READ_ONLY and store.kept_aside == tmp_path / DB_FILE
            assert workbook.kompas.notes == []
            assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "nieuw") is Outcome.NOT_SAVED
        result = kompas_command("poster", "--data", str(tmp_path), "--out", str(tmp_path.parent / "poster.pdf"))
        assert "Traceback" not in result.stdout + result.stderr
        assert [p.name for p in tmp_path.iterdir()] == [DB_FILE]
        assert (tmp_path / DB_FILE).read_bytes() == content


@contextlib.contextmanager
def immutable(path: Path):
    """`path` marked immutable (chattr +i): the kernel refuses to rename or replace it, even for root."""
    result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mark a file immutable here: {result.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_damaged_file_that_cannot_be_renamed_is_left_alone_and_never_written_over(tmp_path):
    content = DAMAGED["nested 100,000 deep"]
    (tmp_path / DB_FILE).write_bytes(content)
    with immutable(tmp_path / DB_FILE):
        with Store.open(tmp_path) as store:
            workbook = Workbook(store)
            assert store.problem is StoreProblem.READ_ONLY and store.kept_aside == tmp_path / DB_FILE
            assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "nieuw") is Outcome.NOT_SAVED
        assert (tmp_path / DB_FILE).read_bytes() == content
        assert list(tmp_path.glob("kompas.unreadable-*")) == []
