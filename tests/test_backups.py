"""Backups: the kompas as each of its last seven days of use left it, to go back to with its photos, and back again."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from photofiles import encoded, picture

from kompas.domain.model import Condition, Note, Photo, Step, Voice
from kompas.store.backups import BACKUP_FOLDER, KEEP, Backups
from kompas.store.storage import DB_FILE, Store
from kompas.workbook.workbook import Outcome, Workbook

FIRST_DAY = date(2026, 3, 2)


class Clock:
    """The day the app thinks it is; the tests move it on as a client uses the app on later days."""

    def __init__(self, day: date):
        self.day = day

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock(FIRST_DAY)


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "kompas"


def opened(folder: Path, clock: Clock) -> Workbook:
    return Workbook(Store.open(folder, today=clock))


def end_of_day(folder: Path, day: date) -> None:
    """The kompas file as last changed in the evening of `day`: the test runs in one real day, the client in many."""
    stamp = datetime.combine(day, time(18, 0)).timestamp()
    os.utime(folder / DB_FILE, (stamp, stamp))


def backup(folder: Path, day: date) -> bytes:
    return (folder / BACKUP_FOLDER / f"{day.isoformat()}.json").read_bytes()


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def note(workbook: Workbook, text: str) -> None:
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, text) is Outcome.SAVED


def texts(workbook: Workbook) -> list[str]:
    return [n.text for n in workbook.kompas.notes]


def test_the_first_change_of_a_later_day_keeps_the_file_as_the_last_day_left_it(folder, clock):
    workbook = opened(folder, clock)
    note(workbook, "Ik kan goed koken")
    end_of_day(folder, FIRST_DAY)
    workbook.store.close()
    # Opened again and changed on the same day: no backup, the day is not over.
    workbook = opened(folder, clock)
    note(workbook, "Mijn zus woont dichtbij")
    assert not (folder / BACKUP_FOLDER).exists() and workbook.backup_days() == []
    end_of_day(folder, FIRST_DAY)
    as_left = (folder / DB_FILE).read_bytes()
    # Two days later (a day without the app in between), the first change.
    clock.day = FIRST_DAY + timedelta(days=2)
    note(workbook, "Ik wil werken")
    assert workbook.backup_days() == [FIRST_DAY]
    assert backup(folder, FIRST_DAY) == as_left
    # More changes that day leave the backup as it was, and make no other.
    note(workbook, "Nog iets")
    assert workbook.backup_days() == [FIRST_DAY] and backup(folder, FIRST_DAY) == as_left
    workbook.store.close()
    # Opened again later the same day: still nothing new.
    end_of_day(folder, clock.day)
    workbook = opened(folder, clock)
    note(workbook, "En nog iets")
    assert workbook.backup_days() == [FIRST_DAY]
    assert sorted(os.listdir(folder / BACKUP_FOLDER)) == [f"{FIRST_DAY.isoformat()}.json"]
    workbook.store.close()


def test_after_nine_days_of_use_the_newest_seven_backups_remain(folder, clock):
    days = [FIRST_DAY + timedelta(days=3 * n) for n in range(9)]  # every third day, as between appointments
    as_left = {}
    for day in days:
        clock.day = day
        with Store.open(folder, today=clock) as store:  # the app started afresh each day
            note(Workbook(store), f"Dag {day.isoformat()}")
        end_of_day(folder, day)
        as_left[day] = (folder / DB_FILE).read_bytes()
    # A backup of each day but the last (it is still today's), the oldest let go beyond seven.
    kept = days[-1 - KEEP:-1]
    with Store.open(folder, today=clock) as store:
        assert Workbook(store).backup_days() == sorted(kept, reverse=True)
    assert sorted(os.listdir(folder / BACKUP_FOLDER)) == [f"{day.isoformat()}.json" for day in kept]
    for day in kept:
        assert backup(folder, day) == as_left[day]


def test_going_back_restores_the_notes_exactly_and_can_itself_be_undone(folder, clock):
    workbook = opened(folder, clock)
    note(workbook, "Ik kan goed koken")
    note(workbook, "Mijn zus woont dichtbij")
    assert workbook.set_wish("Een eigen huis") is Outcome.SAVED
    first_day = workbook.kompas
    end_of_day(folder, FIRST_DAY)
    clock.day = FIRST_DAY + timedelta(days=1)
    # A bad day: a note deleted by mistake, another changed, the wish emptied.
    assert workbook.delete_note(first_day.notes[0].id) is Outcome.SAVED
    assert workbook.edit_note(first_day.notes[1].id, "Mijn zus woont ver weg") is Outcome.SAVED
    assert workbook.set_wish("") is Outcome.SAVED
    bad_day, bad_file = workbook.kompas, (folder / DB_FILE).read_bytes()

    assert workbook.go_back_to(FIRST_DAY) is Outcome.SAVED
    assert workbook.kompas == first_day
    assert (folder / DB_FILE).read_bytes() == backup(folder, FIRST_DAY)
    # What it was just before going back is today's backup: going back can be undone.
    assert workbook.backup_days() == [clock.day, FIRST_DAY]
    assert backup(folder, clock.day) == bad_file
    workbook.store.close()
    workbook = opened(folder, clock)  # and it holds after a restart
    assert workbook.kompas == first_day
    assert workbook.go_back_to(clock.day) is Outcome.SAVED
    assert workbook.kompas == bad_day
    workbook.store.close()


def test_a_photo_deleted_today_stays_on_the_device_while_a_backup_names_it_and_comes_back(folder, clock):
    workbook = opened(folder, clock)
    outcome, photo = workbook.add_photo(encoded(picture(), "JPEG"), "kompas")
    assert outcome is Outcome.SAVED
    photo_bytes = (folder / photo.file).read_bytes()
    end_of_day(folder, FIRST_DAY)
    clock.day = FIRST_DAY + timedelta(days=1)
    assert workbook.delete_photo(photo.id) is Outcome.SAVED
    # A photo added and deleted the same day: no backup names it, so it goes at the next start.
    outcome, fleeting = workbook.add_photo(encoded(picture((200, 40, 40)), "JPEG"), "kompas")
    assert outcome is Outcome.SAVED and workbook.delete_photo(fleeting.id) is Outcome.SAVED
    workbook.store.close()

    workbook = opened(folder, clock)  # the start at which left-over photo files are cleared
    assert workbook.kompas.photos == []
    assert (folder / photo.file).read_bytes() == photo_bytes and (folder / photo.thumb).is_file()
    assert not (folder / fleeting.file).exists() and not (folder / fleeting.thumb).exists()
    assert workbook.go_back_to(FIRST_DAY) is Outcome.SAVED
    assert workbook.kompas.photos == [photo]
    workbook.store.close()
    workbook = opened(folder, clock)
    assert workbook.kompas.photos == [photo] and (folder / photo.file).read_bytes() == photo_bytes
    workbook.store.close()


def test_a_deleted_photo_goes_from_the_device_once_no_backup_names_it(folder, clock):
    workbook = opened(folder, clock)
    outcome, photo = workbook.add_photo(encoded(picture(), "JPEG"), "kompas")
    assert outcome is Outcome.SAVED
    end_of_day(folder, FIRST_DAY)
    clock.day += timedelta(days=1)
    assert workbook.delete_photo(photo.id) is Outcome.SAVED
    workbook.store.close()
    # Seven more days of use: the backup of the first day, the last to name the photo, is let go.
    for _ in range(KEEP):
        end_of_day(folder, clock.day)
        clock.day += timedelta(days=1)
        with Store.open(folder, today=clock) as store:
            workbook = Workbook(store)
            assert (folder / photo.file).exists(), "kept while a backup still names it"
            note(workbook, f"Dag {clock.day.isoformat()}")
    assert FIRST_DAY not in workbook.backup_days()
    with Store.open(folder, today=clock) as store:
        Workbook(store)
    assert not (folder / photo.file).exists() and not (folder / photo.thumb).exists()


DAMAGE = {
    "cut off": lambda raw: raw[:len(raw) // 2],
    "empty": lambda raw: b"",
    "zeros": lambda raw: bytes(len(raw)),
    "a note without its text": lambda raw: raw.replace(b'"text":', b'"tekst":'),
    "from a newer app": lambda raw: json.dumps({**json.loads(raw), "meta": {"1": {"schema": 99}}}).encode(),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_backup_is_not_gone_back_to_and_changes_nothing(folder, clock, damage):
    workbook = opened(folder, clock)
    note(workbook, "Ik kan goed koken")
    end_of_day(folder, FIRST_DAY)
    clock.day += timedelta(days=1)
    note(workbook, "Mijn zus woont dichtbij")
    damaged = folder / BACKUP_FOLDER / f"{FIRST_DAY.isoformat()}.json"
    damaged.write_bytes(DAMAGE[damage](damaged.read_bytes()))
    before, kompas = files(folder), workbook.kompas

    assert workbook.go_back_to(FIRST_DAY) is Outcome.NOT_FOUND
    assert workbook.kompas == kompas
    assert files(folder) == before  # the damaged backup too: it is the client's, and may still be read by hand
    assert workbook.go_back_to(FIRST_DAY - timedelta(days=1)) is Outcome.NOT_FOUND  # a day without a backup
    workbook.store.close()
    workbook = opened(folder, clock)
    assert texts(workbook) == ["Ik kan goed koken", "Mijn zus woont dichtbij"]
    workbook.store.close()


def test_a_backup_that_cannot_be_written_never_stops_a_change(folder, clock):
    workbook = opened(folder, clock)
    note(workbook, "Ik kan goed koken")
    end_of_day(folder, FIRST_DAY)
    (folder / BACKUP_FOLDER).write_bytes(b"")  # a file where the folder should be: no backup can be made
    clock.day += timedelta(days=1)
    note(workbook, "Mijn zus woont dichtbij")
    workbook.store.close()
    assert texts(opened(folder, clock)) == ["Ik kan goed koken", "Mijn zus woont dichtbij"]


def test_going_back_to_the_oldest_backup_first_thing_on_a_new_day(folder, clock):
    # Seven backups, the most there are; the kompas file was last changed the day before today.
    days = [FIRST_DAY + timedelta(days=n) for n in range(KEEP + 1)]
    for day in days:
        clock.day = day
        with Store.open(folder, today=clock) as store:
            note(Workbook(store), f"Dag {day.isoformat()}")
        end_of_day(folder, day)
    clock.day = days[-1] + timedelta(days=1)
    workbook = opened(folder, clock)
    assert workbook.backup_days()[-1] == FIRST_DAY
    oldest = backup(folder, FIRST_DAY)
    before = (folder / DB_FILE).read_bytes()
    # The client opens the list of days and picks the oldest. Going back is the first change of today, so
    # yesterday's backup is made then too, and seven are kept: the oldest must be read before that lets it go.
    outcome = workbook.go_back_to(FIRST_DAY)
    workbook.store.close()
    assert outcome is Outcome.SAVED
    assert (folder / DB_FILE).read_bytes() == oldest
    # What the kompas was a moment ago is today's backup, so going back can be undone.
    assert backup(folder, clock.day) == before


def _reordered(value):
    """The same JSON with every object's keys the other way round, as another program could write it."""
    if isinstance(value, dict):
        return {key: _reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(item) for item in value]
    return value


def test_a_backup_keeps_the_photos_and_voice_notes_it_names_however_its_file_is_laid_out(folder, clock):
    """The names come from the backup's JSON as parsed, not from the way its bytes happen to be written: keys in
    another order and an editor's indentation keep the same photos and voice notes on the device."""
    store = Store.in_memory(folder)
    voice = Voice(id="b" * 32, seconds=3.0)
    store.put_note(Note(Condition.MEEDOEN, Step.KRACHTEN, "", voice=voice))
    store.put_photo(Photo(f"photos/{'c' * 32}.jpg", f"photos/{'c' * 32}-klein.jpg", "2026-03-02T10:00:00", id="c" * 32))
    tables = json.loads(store.snapshot())
    folder.mkdir()
    backups = Backups(folder / DB_FILE, clock)
    named = {voice.file, f"photos/{'c' * 32}.jpg", f"photos/{'c' * 32}-klein.jpg"}
    for day, raw in enumerate([store.snapshot(), json.dumps(_reordered(tables), indent=2).encode("utf-8")]):
        backups.keep(FIRST_DAY - timedelta(days=day), raw)
        assert backups.files() == named
        (folder / BACKUP_FOLDER / f"{(FIRST_DAY - timedelta(days=day)).isoformat()}.json").unlink()
    # A backup that names something else than a photo file of the app's keeps nothing else on the device.
    tables["photos"]["1"]["file"] = "../../elders.jpg"
    backups.keep(FIRST_DAY, json.dumps(tables).encode("utf-8"))
    assert backups.files() == named - {f"photos/{'c' * 32}.jpg"}
