"""The store on memory and on a real TinyDB file: round trips, the schema version, bad files kept aside, one write per change."""

import json
import os
from datetime import date, datetime

import pytest

from kompas.base import clock
from kompas.domain.model import Action, Condition, Note, Photo, Step
from kompas.store import codec
from kompas.store.lock import LOCK_FILE, FolderInUse
from kompas.store.storage import DB_FILE, SCHEMA_VERSION, Store, StoreProblem


def test_notes_wish_and_action_come_back_as_stored(store):
    note = Note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken", starred=True)
    action = Action("Een Stadspas aanvragen", Condition.MEEDOEN, "2026-12-05", helper="Anouk", first_step="Bellen")
    store.put_note(note)
    store.put_wish("Een eigen huis")
    store.put_action(action)
    kompas = store.load()
    assert kompas.notes == [note]
    assert kompas.wish == "Een eigen huis"
    assert kompas.action == action


def test_a_removed_note_is_gone_and_others_stay(store):
    keep = Note(Condition.ERBIJ_HOREN, Step.KRACHTEN, "Fatma")
    gone = Note(Condition.ERBIJ_HOREN, Step.KRACHTEN, "weg")
    store.put_note(keep)
    store.put_note(gone)
    store.remove_note(gone.id)
    assert store.load().notes == [keep]


def test_putting_a_note_twice_updates_it(store):
    note = Note(Condition.MEEDOEN, Step.WAARDEN, "werk")
    store.put_note(note)
    store.put_note(Note(note.condition, note.step, "werken", True, note.id, note.created))
    assert [(n.text, n.starred) for n in store.load().notes] == [("werken", True)]


def test_a_new_file_carries_the_schema_version(tmp_path):
    with Store.open(tmp_path) as store:
        store.put_wish("x")
    data = json.loads((tmp_path / DB_FILE).read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION


def test_data_survives_reopening_the_file(tmp_path):
    store = Store.open(tmp_path)
    store.put_note(Note(Condition.JEZELF_ZIJN, Step.WAARDEN, "Mijn geloof"))
    store.put_action(Action("Mijn zus bellen", Condition.ERBIJ_HOREN, "2026-12-05"))
    store.close()
    again = Store.open(tmp_path)
    assert again.problem is None
    assert [n.text for n in again.load().notes] == ["Mijn geloof"]
    assert again.load().action.text == "Mijn zus bellen"


def test_writes_leave_no_temporary_files(tmp_path):
    store = Store.open(tmp_path)
    for i in range(20):
        store.put_wish(f"wens {i}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE, DB_FILE]


@pytest.mark.parametrize("content", [
    b"{\"notes\": {\"1\": ", b"\x00\xff\xfe garbage", b"[1, 2, 3]",
    b'{"meta": {"1": {"schema": 1}}, "notes": {"1": {"id": "a"}}}',
    b'{"meta": {"1": {"schema": 1}}, "kompas": {"1": {"action": {"text": "Bellen", "condition": "meedoen",'
    b' "look_back": "5-12-2026"}}}}',
    b'{"meta": {"1": {"schema": 1}}, "kompas": {"1": {"wish": null}}}',
])
def test_an_unreadable_file_is_kept_aside_never_overwritten(tmp_path, content):
    (tmp_path / DB_FILE).write_bytes(content)
    with Store.open(tmp_path) as store:
        assert store.problem is StoreProblem.UNREADABLE
        assert store.kept_aside.read_bytes() == content
        store.put_wish("nieuw begin")
        assert store.kept_aside.read_bytes() == content
    with Store.open(tmp_path) as again:
        assert again.load().wish == "nieuw begin"


def test_two_files_kept_aside_in_the_same_second_are_both_kept(tmp_path, monkeypatch):
    # The app's clock stopped: the keep-aside helper names the file after the second it was put aside.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 21))
    for content in (b"{kapot", b"[ook kapot]"):
        (tmp_path / DB_FILE).write_bytes(content)
        Store.open(tmp_path).close()
    kept = sorted(tmp_path.glob("kompas.unreadable-*.json"))
    assert sorted(p.read_bytes() for p in kept) == [b"[ook kapot]", b"{kapot"]


def test_a_file_from_a_newer_app_stays_in_place_and_is_never_written(tmp_path):
    newer = {"meta": {"1": {"schema": SCHEMA_VERSION + 1}}, "notes": {"1": {"other": "shape"}}}
    (tmp_path / DB_FILE).write_text(json.dumps(newer))
    store = Store.open(tmp_path)
    assert store.problem is StoreProblem.TOO_NEW
    assert store.kept_aside == tmp_path / DB_FILE
    assert store.load().notes == []
    with pytest.raises(OSError):
        store.put_wish("nee")
    assert json.loads((tmp_path / DB_FILE).read_text()) == newer


def test_an_empty_file_is_an_empty_kompas(tmp_path):
    (tmp_path / DB_FILE).write_bytes(b"")
    store = Store.open(tmp_path)
    assert store.problem is None
    assert store.load().notes == []
    assert store.load().action is None


def test_dates_are_iso_strings_in_the_file(tmp_path):
    with Store.open(tmp_path) as store:
        store.put_action(Action("Bellen", Condition.MEEDOEN, date(2026, 12, 5).isoformat()))
    data = json.loads((tmp_path / DB_FILE).read_text())
    assert data["kompas"]["1"]["action"]["look_back"] == "2026-12-05"


def test_words_are_written_as_utf8_and_a_lone_surrogate_still_comes_back(tmp_path):
    arabic, odd = "أنا أطبخ جيدا", "\ud800 losse surrogaat"
    with Store.open(tmp_path) as store:
        store.put_note(Note(Condition.MEEDOEN, Step.KRACHTEN, arabic))
        store.put_wish(odd)
    # Readable as it is, by a begeleider's editor or an export; the surrogate, which has no UTF-8, as an escape.
    assert arabic.encode("utf-8") in (tmp_path / DB_FILE).read_bytes()
    with Store.open(tmp_path) as again:
        kompas = again.load()
    assert [n.text for n in kompas.notes] == [arabic]
    assert kompas.wish == odd


class Counted:
    """Counts the file's reads, parses and renames while a store works on it."""

    def __init__(self, monkeypatch, path):
        self.renames = self.parses = self.reads = 0
        replace, loads, read_bytes = os.replace, json.loads, type(path).read_bytes

        def counted_replace(*args):
            self.renames += 1
            return replace(*args)

        def counted_loads(*args, **kwargs):
            self.parses += 1
            return loads(*args, **kwargs)

        def counted_read_bytes(p):
            self.reads += p.name == DB_FILE
            return read_bytes(p)

        monkeypatch.setattr(os, "replace", counted_replace)
        monkeypatch.setattr(codec.json, "loads", counted_loads)
        monkeypatch.setattr(type(path), "read_bytes", counted_read_bytes)


def test_each_change_writes_the_file_once_and_reads_nothing(tmp_path, monkeypatch):
    with Store.open(tmp_path) as store:
        store.put_wish("eerst")
    with Store.open(tmp_path) as store:
        store.load()
        counted = Counted(monkeypatch, tmp_path)
        note = Note(Condition.MEEDOEN, Step.KRACHTEN, "nieuw")
        photo = Photo("photos/a.jpg", "photos/a-klein.jpg", "2026-11-21T10:00:00")
        for change in (lambda: store.put_note(note), lambda: store.put_note(note), lambda: store.put_wish("wens"),
                       lambda: store.put_photo(photo), lambda: store.put_photo(photo), lambda: store.remove_note(note.id)):
            change()
        assert (counted.renames, counted.reads, counted.parses) == (6, 0, 0)
        assert [n.text for n in store.load().notes] == []
    with Store.open(tmp_path) as again:
        assert again.load().wish == "wens" and len(again.load().photos) == 1


def test_opening_reads_and_parses_the_file_once_for_all_that_follows(tmp_path, monkeypatch):
    with Store.open(tmp_path) as store:
        store.put_note(Note(Condition.MEEDOEN, Step.KRACHTEN, "een"))
    counted = Counted(monkeypatch, tmp_path)
    with Store.open(tmp_path) as store:
        assert [n.text for n in store.load().notes] == ["een"]
        store.put_note(Note(Condition.MEEDOEN, Step.KRACHTEN, "twee"))
        assert [n.text for n in store.load().notes] == ["een", "twee"]
    assert (counted.reads, counted.parses) == (1, 1)


def disk_full(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_a_failed_write_is_not_carried_into_the_file_by_the_next_one(tmp_path, monkeypatch):
    with Store.open(tmp_path) as store:
        store.put_note(Note(Condition.MEEDOEN, Step.KRACHTEN, "bewaard"))
        monkeypatch.setattr(os, "replace", disk_full)
        with pytest.raises(OSError):
            store.put_note(Note(Condition.MEEDOEN, Step.KRACHTEN, "niet bewaard"))
        with pytest.raises(OSError):
            store.put_wish("ook niet")
        monkeypatch.undo()
        store.put_action(Action("Mijn zus bellen", Condition.ERBIJ_HOREN, "2026-12-05"))
        # The store itself holds what the file holds, not what the client was told had failed.
        assert [n.text for n in store.load().notes] == ["bewaard"] and store.load().wish == ""
    with Store.open(tmp_path) as again:
        kompas = again.load()
    assert [n.text for n in kompas.notes] == ["bewaard"]
    assert kompas.wish == "" and kompas.action.text == "Mijn zus bellen"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_full_disk_leaves_no_temporary_file_behind(tmp_path, monkeypatch, failing):
    with Store.open(tmp_path) as store:
        store.put_wish("bewaard")
        monkeypatch.setattr(os, failing, disk_full)
        with pytest.raises(OSError):
            store.put_wish("niet bewaard")
        monkeypatch.undo()
        assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE, DB_FILE]


def test_a_folder_is_opened_by_one_store_at_a_time(tmp_path):
    first = Store.open(tmp_path)
    with pytest.raises(FolderInUse):
        Store.open(tmp_path)
    first.put_wish("van de eerste")
    first.close()
    with Store.open(tmp_path) as second:
        assert second.load().wish == "van de eerste"
        with pytest.raises(FolderInUse):
            Store.open(tmp_path)
    # Leaving the with-block let go of the folder.
    Store.open(tmp_path).close()


def test_a_store_that_is_dropped_lets_go_of_the_folder(tmp_path):
    # As `kompas demo` does today: it returns without closing its store.
    Store.open(tmp_path).put_wish("bewaard")
    with Store.open(tmp_path) as again:
        assert again.load().wish == "bewaard"


def test_a_closed_store_writes_nothing(tmp_path):
    store = Store.open(tmp_path)
    store.put_wish("bewaard")
    store.close()
    with pytest.raises(OSError):
        store.put_wish("na het sluiten")
    with Store.open(tmp_path) as again:
        assert again.load().wish == "bewaard"


def test_a_file_written_a_document_at_a_time_is_the_kompas_in_memory(tmp_path):
    """A change encodes only the documents it touched: after 400 random changes (captions, photos in and out, notes
    changed and deleted, the wish), the file reads back as exactly the kompas on the screen, and is the compact JSON
    of itself, byte for byte."""
    import random

    from kompas.workbook.workbook import Outcome, Workbook

    r = random.Random(5)
    with Store.open(tmp_path) as store:
        workbook = Workbook(store)
        for n in range(400):
            photos, notes = workbook.kompas.photos, workbook.kompas.notes
            choice = r.randrange(7)
            if choice == 0 or not photos:
                photo = Photo(file=f"photos/{n:032x}.jpg", thumb=f"photos/{n:032x}-klein.jpg",
                              added=datetime(2026, 1, 1 + n % 28, n % 24).isoformat(), id=f"{n:032x}")
                outcome = workbook.restore_photo(photo)
            elif choice == 1:
                outcome = workbook.set_caption(r.choice(photos).id, f"Onderschrift {n}")
            elif choice == 2:
                outcome = workbook.set_on_poster(r.choice(photos).id, bool(n % 2))
            elif choice == 3:
                outcome = workbook.delete_photo(r.choice(photos).id)
            elif choice == 4 or not notes:
                outcome = workbook.add_note(r.choice(list(Condition)), r.choice(list(Step)), f"Notitie {n}")
            elif choice == 5:
                note = r.choice(notes)
                outcome = workbook.edit_note(note.id, f"{note.text} en {n}") if n % 3 else workbook.delete_note(note.id)
            else:
                outcome = workbook.set_wish(f"Wens {n}")
            assert outcome is Outcome.SAVED
        shown = workbook.kompas
    raw = (tmp_path / DB_FILE).read_bytes()
    assert raw == codec.to_json(json.loads(raw))
    with Store.open(tmp_path) as again:
        assert again.load() == shown
