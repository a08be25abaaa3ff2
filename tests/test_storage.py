"""The store on memory and on a real TinyDB file: round trips, the schema version, and bad files kept aside."""

import json
from datetime import date

import pytest

from kompas.model import Action, Condition, Note, Step
from kompas.storage import DB_FILE, SCHEMA_VERSION, Store, StoreProblem


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
    Store.open(tmp_path).put_wish("x")
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
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_FILE]


@pytest.mark.parametrize("content", [
    b"{\"notes\": {\"1\": ", b"\x00\xff\xfe garbage", b"[1, 2, 3]",
    b'{"meta": {"1": {"schema": 1}}, "notes": {"1": {"id": "a"}}}',
    b'{"meta": {"1": {"schema": 1}}, "kompas": {"1": {"action": {"text": "Bellen", "condition": "meedoen",'
    b' "look_back": "5-12-2026"}}}}',
    b'{"meta": {"1": {"schema": 1}}, "kompas": {"1": {"wish": null}}}',
])
def test_an_unreadable_file_is_kept_aside_never_overwritten(tmp_path, content):
    (tmp_path / DB_FILE).write_bytes(content)
    store = Store.open(tmp_path)
    assert store.problem is StoreProblem.UNREADABLE
    assert store.kept_aside.read_bytes() == content
    store.put_wish("nieuw begin")
    assert store.kept_aside.read_bytes() == content
    assert Store.open(tmp_path).load().wish == "nieuw begin"


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
    Store.open(tmp_path).put_action(Action("Bellen", Condition.MEEDOEN, date(2026, 12, 5).isoformat()))
    data = json.loads((tmp_path / DB_FILE).read_text())
    assert data["kompas"]["1"]["action"]["look_back"] == "2026-12-05"
