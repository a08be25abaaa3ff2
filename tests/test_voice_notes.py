"""A voice note is a note: stored at once in a real kompas folder, starred, deleted with undo, attached to a step, the
action, a check-in or a look-back, read from every schema, carried in a .kompas file, kept by backups and erased."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from soundfiles import take_of
from test_damaged_files import read_only

from kompas.domain.model import Condition, Mood, Step
from kompas.store.kompasfile import FileProblem, pack
from kompas.store.shelf import Arrival, Shelf, card_fields
from kompas.store.storage import DB_FILE, Store
from kompas.workbook.workbook import Outcome, VoiceProblem, Workbook

TODAY = date(2026, 11, 22)
SCHEMA_2 = Path(__file__).resolve().parent / "fixtures" / "schema-2"
# The fixture as it was made: it stands for files on clients' phones, so it never changes.
SCHEMA_2_SHA256 = "6fb39ab74527dcb8b5b520dc40061ff38b23cb626527453495eeb50580452d18"


@pytest.fixture(scope="module")
def takes(tmp_path_factory):
    """A few things said into a browser's microphone, as the server received them."""
    folder = tmp_path_factory.mktemp("speech")
    return {
        "koken": lambda: take_of("Ik kan goed koken voor anderen", folder),
        "bellen": lambda: take_of("Ik ga de sportclub bellen", folder, rate=44100, channels=2),
        "ti": lambda: take_of("ሎሚ ደዊለ", folder, "ti"),
        "ar": lambda: take_of("اتصلت بالنادي", folder, "ar"),
    }


def reopened(folder: Path):
    with Store.open(folder) as store:
        return Workbook(store).kompas


def spoken_note(workbook: Workbook, take):
    """Say `take` as a note at Meedoen, Krachten: the note it became."""
    assert workbook.speak_note(Condition.MEEDOEN, Step.KRACHTEN, take) is Outcome.SAVED
    return workbook.kompas.notes[-1]


def test_a_spoken_note_is_stored_at_once_and_is_a_note_like_any_other(tmp_path, takes):
    folder = tmp_path / "kompas"
    with Store.open(folder) as store:
        workbook = Workbook(store)
        note = spoken_note(workbook, takes["koken"]())
        assert len(workbook.kompas.notes) == 1 and note.text == "" and note.voice is not None and 1.5 < note.voice.seconds < 4
        assert (folder / note.voice.file).is_file()
        assert workbook.set_star(note.id, True) is Outcome.SAVED
        # Words beside the voice can be added, and taken away again; the note stays.
        assert workbook.edit_note(note.id, "Koken 🍲") is Outcome.SAVED
        assert workbook.edit_note(note.id, "") is Outcome.SAVED
        assert workbook.kompas.starred()[0].voice == note.voice
    # In the file, as it was said: another process (the phone's app after a restart) sees it.
    [again] = reopened(folder).notes
    assert (again.id, again.voice, again.starred, again.text) == (note.id, note.voice, True, "")


def test_a_deleted_spoken_note_comes_back_with_undo_and_its_file_goes_at_the_next_start(tmp_path, takes):
    folder = tmp_path / "kompas"
    with Store.open(folder, today=lambda: TODAY) as store:
        workbook = Workbook(store)
        assert workbook.speak_note(Condition.MEEDOEN, Step.KRACHTEN, takes["koken"]()) is Outcome.SAVED
        assert workbook.speak_note(Condition.MEEDOEN, Step.WAARDEN, takes["bellen"]()) is Outcome.SAVED
        kept, gone = workbook.kompas.notes
        assert workbook.delete_note(kept.id) is Outcome.SAVED
        assert (folder / kept.voice.file).is_file()  # for the undo
        assert workbook.restore_note(kept) is Outcome.SAVED
        assert workbook.delete_note(gone.id) is Outcome.SAVED
    with Store.open(folder, today=lambda: TODAY) as store:
        assert [n.id for n in Workbook(store).kompas.notes] == [kept.id]
    assert (folder / kept.voice.file).is_file()
    assert not (folder / gone.voice.file).exists()


def test_voice_notes_wait_for_their_form_and_go_with_the_action_the_check_in_and_the_look_back(tmp_path, takes):
    folder = tmp_path / "kompas"
    with Store.open(folder) as store:
        workbook = Workbook(store)
        assert workbook.speak_for("actie", takes["bellen"]()) is Outcome.SAVED
        said = workbook.kompas.waiting["actie"]
        assert workbook.choose_action("De sportclub bellen", Condition.ERBIJ_HOREN, TODAY + timedelta(14),
                                      TODAY) is Outcome.SAVED
        assert workbook.kompas.action.voice == said and workbook.kompas.waiting == {}
        # Changing the action keeps what was said; an action for another condition is a new one, said anew.
        assert workbook.choose_action("De sportclub mailen", Condition.ERBIJ_HOREN, TODAY + timedelta(14),
                                      TODAY) is Outcome.SAVED
        assert workbook.kompas.action.voice == said
        # A check-in said and not saved yet survives a restart, waiting.
        assert workbook.speak_for("checkin", takes["ti"]()) is Outcome.SAVED
    with Store.open(folder) as store:
        workbook = Workbook(store)
        checkin_voice = workbook.kompas.waiting["checkin"]
        assert (folder / checkin_voice.file).is_file()
        assert workbook.check_in(Mood.GOED, TODAY) is Outcome.SAVED
        assert workbook.kompas.checkins[-1].voice == checkin_voice and "checkin" not in workbook.kompas.waiting
        assert workbook.speak_for("terugblik", takes["ar"]()) is Outcome.SAVED
        look_voice = workbook.kompas.waiting["terugblik"]
        assert workbook.look_back("Gebeld", "", "", TODAY) is Outcome.SAVED
    [period] = reopened(folder).periods
    assert (period.action.voice, period.checkins[-1].voice, period.look_back.voice) == (said, checkin_voice,
                                                                                         look_voice)
    with Store.open(folder) as store:
        workbook = Workbook(store)
        assert workbook.choose_action("Meetrainen", Condition.MEEDOEN, TODAY + timedelta(14), TODAY) is Outcome.SAVED
        assert workbook.kompas.action.voice is None  # the old action's voice stays with its period


def test_a_voice_taken_off_a_form_or_the_action_comes_back_with_undo(tmp_path, takes):
    with Store.open(tmp_path / "kompas") as store:
        workbook = Workbook(store)
        assert workbook.speak_for("checkin", takes["koken"]()) is Outcome.SAVED
        voice = workbook.kompas.waiting["checkin"]
        assert workbook.put_voice("checkin", None) is Outcome.SAVED and workbook.kompas.waiting == {}
        assert workbook.put_voice("checkin", voice) is Outcome.SAVED and workbook.kompas.waiting == {"checkin": voice}
        assert workbook.set_action_voice(voice) is Outcome.NO_ACTION
        assert workbook.put_voice("elders", voice) is Outcome.NOT_FOUND


def test_nothing_is_kept_from_a_tap_or_silence_and_a_read_only_kompas_records_nothing(tmp_path):
    from kompas.media.recording import Take

    folder = tmp_path / "kompas"
    with Store.open(folder) as store:
        workbook = Workbook(store)
        assert workbook.speak_note(Condition.MEEDOEN, Step.KRACHTEN, Take()) is VoiceProblem.TOO_SHORT
        assert workbook.kompas.notes == [] and not list(folder.glob("voice/*"))
    with read_only(folder), Store.open(folder) as store:
        assert store.read_only and Workbook(store).speak_for("checkin", Take()) is VoiceProblem.NOT_SAVED


def test_a_voice_note_a_backup_names_stays_so_going_back_brings_it_back(tmp_path, takes):
    folder, clock = tmp_path / "kompas", [TODAY]
    with Store.open(folder, today=lambda: clock[0]) as store:
        note = spoken_note(Workbook(store), takes["koken"]())
    clock[0] += timedelta(days=1)
    with Store.open(folder, today=lambda: clock[0]) as store:
        workbook = Workbook(store)
        assert workbook.delete_note(note.id) is Outcome.SAVED  # the first change of the day: yesterday is kept
    with Store.open(folder, today=lambda: clock[0]) as store:
        workbook = Workbook(store)  # a start: left-overs go, but not what yesterday's backup names
        assert (folder / note.voice.file).is_file()
        assert workbook.go_back_to(TODAY) is Outcome.SAVED
        assert workbook.kompas.notes == [note]


def test_the_fixture_of_schema_2_is_as_it_was_made():
    import hashlib

    raw = (SCHEMA_2 / DB_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_2_SHA256, "the fixture must never change: see its README"


def test_the_fixture_of_schema_2_opens_with_every_voice_note_playable(tmp_path):
    import soundfile

    folder = tmp_path / "kompas"
    shutil.copytree(SCHEMA_2, folder, ignore=shutil.ignore_patterns("README.md"))
    before = {p.name: p.read_bytes() for p in (folder / "voice").iterdir()}
    with Store.open(folder) as store:
        assert store.problem is None
        kompas = Workbook(store).kompas
    spoken = [n for n in kompas.notes if n.voice]
    assert [(n.text, n.starred) for n in spoken] == [("", True), ("Familie ❤️", False)]
    [period] = kompas.periods[1:]
    assert period.action.voice and period.checkins[-1].voice and period.look_back.voice
    assert period.checkins[0].voice is None  # the check-in of schema 1, as it was
    assert set(kompas.waiting) == {"checkin"}
    assert len(kompas.voices()) == 6
    # Every file is there, unchanged, and is the sound the kompas says it is.
    assert {p.name: p.read_bytes() for p in (folder / "voice").iterdir()} == before
    for voice in kompas.voices():
        assert soundfile.info(str(folder / voice.file)).duration == pytest.approx(voice.seconds, abs=0.06)


def test_voice_notes_travel_in_the_kompas_file_and_are_checked_on_the_way_in(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SCHEMA_2, source, ignore=shutil.ignore_patterns("README.md"))
    card = {"id": "4b0e2a6f2c3d4e5f8a9b0c1d2e3f4a5b", "nickname": "Amal", "look": "geel",
            "created": "2026-11-22T01:01:15", "language": "nl", "discreet": False, "lock_minutes": None}
    raw = pack((source / DB_FILE).read_bytes(), source, card)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = [n for n in archive.namelist() if n.startswith("voice/")]
        assert len(names) == 6
        assert all(archive.getinfo(n).compress_type == zipfile.ZIP_STORED for n in names)
        manifest = json.loads(archive.read("manifest.json"))
    with Shelf.open(tmp_path / "data") as shelf:
        arrival = shelf.receive(raw)
        assert isinstance(arrival, Arrival) and arrival.manifest.voices == 6
        taken = shelf.take_in(arrival)
        folder = shelf.folder(taken.id)
        for name in names:
            assert (folder / name).read_bytes() == (source / name).read_bytes()
        # A file with a voice note changed on the way (its checksum made to match) is refused whole.
        damaged = _with_entry(raw, names[0], b"OggS" + bytes(500), manifest)
        assert shelf.receive(damaged) is FileProblem.BAD_VOICE
        # A voice note the kompas does not name is not taken in either.
        stray = _with_entry(raw, "voice/" + "f" * 32 + ".ogg", (source / names[0]).read_bytes(), manifest)
        assert shelf.receive(stray) is FileProblem.UNKNOWN_FILE
        assert len(shelf.cards()) == 1
        # Erasing the kompas erases its voice notes.
        shelf.erase(taken.id)
        assert not list((tmp_path / "data").rglob("*.ogg"))


def _with_entry(kompas_file: bytes, name: str, content: bytes, manifest: dict) -> bytes:
    import hashlib

    manifest = json.loads(json.dumps(manifest))
    manifest["files"][name] = hashlib.sha256(content).hexdigest()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(kompas_file)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == "manifest.json":
                target.writestr(info, json.dumps(manifest))
            elif info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def test_a_kompas_file_whose_device_lost_a_voice_note_still_comes_in(tmp_path, takes):
    folder = tmp_path / "kompas"
    with Store.open(folder) as store:
        note = spoken_note(Workbook(store), takes["koken"]())
    (folder / note.voice.file).unlink()
    raw = pack((folder / DB_FILE).read_bytes(), folder, card_fields(_card()))
    with Shelf.open(tmp_path / "data") as shelf:
        arrival = shelf.receive(raw)
        assert isinstance(arrival, Arrival) and arrival.manifest.missing == (note.voice.file,)


def _card():
    from kompas.store.shelf import Card

    return Card("4b0e2a6f2c3d4e5f8a9b0c1d2e3f4a5b", "Amal", "geel", "2026-11-22T01:01:15")


def test_read_aloud_names_a_spoken_note_where_it_stands_and_reads_its_written_words():
    from kompas.domain.model import Kompas, Note, Voice
    from kompas.screens.registry import read_aloud
    from kompas.screens.state import Screen, ScreenKind

    kompas = Kompas(notes=[
        Note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken"),
        Note(Condition.MEEDOEN, Step.KRACHTEN, "", voice=Voice("a" * 32, 4.0)),
        Note(Condition.MEEDOEN, Step.KRACHTEN, "Familie", voice=Voice("b" * 32, 2.0)),
    ])
    texts = [p.text for p in read_aloud(Screen(ScreenKind.CONDITION, Condition.MEEDOEN), kompas, TODAY)]
    at = texts.index("Ik kan goed koken")
    assert texts[at:at + 3] == ["Ik kan goed koken", "Een ingesproken notitie", "Familie"]
