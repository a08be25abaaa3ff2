"""Kompas files written by older apps: each schema's fixture opens with nothing lost, and a newer app's steps bring
it up to date, in the store, through a .kompas file and from a backup, always keeping the original aside."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from kompas.domain.model import Condition, Mood, Paper, PosterItem, Step
from kompas.store import migrations
from kompas.store.backups import BACKUP_FOLDER
from kompas.store.kompasfile import FileProblem, pack
from kompas.store.lock import LOCK_FILE
from kompas.store.shelf import Arrival, Card, Shelf, card_fields
from kompas.store.storage import DB_FILE, Store, StoreProblem, check_kompas_bytes
from kompas.workbook.workbook import Outcome, Workbook

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCHEMA_1 = FIXTURES / "schema-1"
# The fixture as it was made: it stands for files on clients' phones, so it never changes.
SCHEMA_1_SHA256 = "fa8a5a87325a7637818aac0d6cde9e8daf5af661ced248a7f369830e17a34609"
GARDEN, FORM = "ff128912e79340b5b4cb0b3148aeb8f1", "55eda0ae26c04cdabea9707532569514"
CARD = Card("4b0e2a6f2c3d4e5f8a9b0c1d2e3f4a5b", "Amal", "geel", "2026-11-22T01:01:15.000000")


def files(folder: Path) -> dict[str, bytes]:
    """Every file in the folder but the lock, which any opening leaves (empty) in it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != LOCK_FILE}


# What the fixture holds, read by this app (at schema 1) as the module loads; the fixture's folder itself is never
# opened as a store: a test's newer schema would bring it up in place.
_, SCHEMA_1_KOMPAS = check_kompas_bytes((SCHEMA_1 / DB_FILE).read_bytes())


@pytest.fixture(autouse=True)
def fixture_untouched():
    before = {p.relative_to(SCHEMA_1).as_posix(): p.read_bytes() for p in SCHEMA_1.rglob("*") if p.is_file()}
    yield
    after = {p.relative_to(SCHEMA_1).as_posix(): p.read_bytes() for p in SCHEMA_1.rglob("*") if p.is_file()}
    assert after == before, "a test changed the fixture itself"


@pytest.fixture
def schema_1(tmp_path) -> Path:
    """A kompas folder as the app at schema 1 left it: the fixture's kompas.json and photos."""
    folder = tmp_path / "kompas"
    shutil.copytree(SCHEMA_1, folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


# Today's schema, and the one of the app after today's.
TODAY, NEXT = migrations.SCHEMA_VERSION, migrations.SCHEMA_VERSION + 1
MARK = f"step {TODAY} to {NEXT};"


def next_step(tables: dict) -> dict:
    """A step as the next app might have it: here it only leaves a mark, so that it is seen to have run once."""
    tables["meta"]["1"]["brought_up_by"] = tables["meta"]["1"].get("brought_up_by", "") + MARK
    return tables


@pytest.fixture
def newer_app(monkeypatch):
    """The app as if it were the one after today's: one schema more, with a step from today's."""
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, TODAY: next_step})


@pytest.fixture
def app_of_schema_1(monkeypatch):
    """The first app, that wrote schema 1 and knew no other; the test returns to today's app by undo()."""
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 1)
    monkeypatch.setattr(migrations, "STEPS", {})
    return monkeypatch


def test_the_fixture_of_every_schema_is_kept_and_schema_1_is_as_it_was_made():
    for version in range(1, migrations.SCHEMA_VERSION + 1):
        assert (FIXTURES / f"schema-{version}" / DB_FILE).is_file(), f"a new schema {version} needs its fixture"
    raw = (SCHEMA_1 / DB_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_1_SHA256, "the fixture must never change: see its README"
    assert json.loads(raw)["meta"]["1"]["schema"] == 1


def test_a_schema_1_file_opens_with_everything_in_it_and_is_brought_up_with_the_original_kept(schema_1):
    before = files(schema_1)
    with Store.open(schema_1) as store:
        assert store.problem is None
        workbook = Workbook(store)  # also the start that clears left-over photo files: these are not
        kompas = workbook.kompas
    after = files(schema_1)
    [kept] = [name for name in after if name.startswith("kompas.schema-1-")]
    assert after.pop(kept) == before[DB_FILE]  # the original, unchanged, beside the file brought up
    assert json.loads(after.pop(DB_FILE))["meta"]["1"] == {"schema": TODAY}
    assert after == {name: data for name, data in before.items() if name != DB_FILE}  # no photo cleared
    assert [n.text for n in kompas.notes] == [
        "Ik kan goed koken, vooral soep", "أنا أطبخ جيدًا لعائلتي", "ኣደይ ትሕግዘኒ", "من فارسی صحبت می\u200cکنم",
        "Я добре шию", "我还不会说荷兰语", "Voetbal met mijn zoon ⚽ 👨\u200d👦",
        "Çocuklarım için güçlüyüm\nen ik lach veel"]
    assert [n.text for n in kompas.starred()] == ["Ik kan goed koken, vooral soep", "ኣደይ ትሕግዘኒ"]
    assert kompas.notes[2].condition is Condition.ERTOE_DOEN and kompas.notes[2].step is Step.KRACHTEN
    assert kompas.wish == "Een eigen huis 🏠 — بيت لنا"
    assert (kompas.action.text, kompas.action.condition, kompas.action.look_back) == (
        "Naar de sportclub bellen", Condition.ERBIJ_HOREN, "2026-12-20")
    assert [(c.mood, c.day, c.note) for c in kompas.checkins] == [(Mood.LASTIG, "2026-12-10", "Nog niet gebeld")]
    assert not kompas.done
    [period] = kompas.periods
    assert (period.action.text, period.action.helper, period.done) == ("Een Stadspas aanvragen", "Anouk", True)
    assert (period.look_back.went_well, period.look_back.day) == ("Ik heb het zelf gedaan", "2026-12-06")
    assert [(c.mood, c.photo) for c in period.checkins] == [(Mood.GOED, FORM)]
    assert [(p.id, p.caption, p.on_poster) for p in kompas.photos] == [
        (GARDEN, "Onze tuin in de zomer", True), (FORM, "", False)]
    assert kompas.poster.items == {PosterItem.STARRED, PosterItem.KRACHTEN, PosterItem.WISH, PosterItem.ACTION}
    assert (kompas.poster.name, kompas.poster.paper, kompas.poster.dutch_labels) == ("Amal", Paper.A3, True)


def test_a_newer_app_brings_a_schema_1_file_up_and_keeps_the_original_aside(schema_1, newer_app):
    original = (schema_1 / DB_FILE).read_bytes()
    with Store.open(schema_1) as store:
        assert store.problem is None
        assert store.load() == SCHEMA_1_KOMPAS  # nothing lost on the way up
    [kept] = schema_1.glob("kompas.schema-1-*.json")
    assert kept.read_bytes() == original
    brought_up = json.loads((schema_1 / DB_FILE).read_bytes())
    assert brought_up["meta"]["1"] == {"schema": NEXT, "brought_up_by": MARK}
    # Opened again it is at the newest schema already: no step runs twice, nothing more is kept aside.
    with Store.open(schema_1) as store:
        workbook = Workbook(store)
        assert workbook.add_note(Condition.MEEDOEN, Step.INZET, "Na de nieuwe app") is Outcome.SAVED
    assert list(schema_1.glob("kompas.schema-*")) == [kept]
    assert json.loads((schema_1 / DB_FILE).read_bytes())["meta"]["1"] == brought_up["meta"]["1"]


def test_a_kompas_file_from_the_older_app_is_brought_up_on_the_way_in(schema_1, tmp_path, app_of_schema_1):
    # Made by the older app (schema 1 in its manifest), taken in by today's.
    raw = pack((schema_1 / DB_FILE).read_bytes(), schema_1, card_fields(CARD), made=datetime(2026, 11, 22, 9, 0))
    assert json.loads(zipfile.ZipFile(io.BytesIO(raw)).read("manifest.json"))["schema"] == 1
    app_of_schema_1.undo()
    with Shelf.open(tmp_path / "data") as shelf:
        arrival = shelf.receive(raw)
        assert isinstance(arrival, Arrival)
        assert json.loads((arrival.folder / DB_FILE).read_bytes())["meta"]["1"]["schema"] == TODAY
        card = shelf.take_in(arrival)
        folder = shelf.folder(card.id)
        with shelf.open_store(card.id) as store:
            assert store.problem is None and store.load() == SCHEMA_1_KOMPAS
    stored = json.loads((folder / DB_FILE).read_bytes())
    assert stored["meta"]["1"] == {"schema": TODAY}
    assert not list(folder.glob("kompas.schema-*"))  # brought up before it was stored: no original to keep here
    for photo in (GARDEN, FORM):
        # Encoded anew, as every photo that comes in: the same picture.
        with Image.open(folder / "photos" / f"{photo}.jpg") as now, Image.open(SCHEMA_1 / "photos" / f"{photo}.jpg") as then:
            assert now.size == then.size
            assert max(ImageStat.Stat(ImageChops.difference(now.convert("RGB"), then.convert("RGB"))).mean) < 3


def test_a_backup_from_before_the_newer_app_is_brought_up_when_gone_back_to(schema_1, app_of_schema_1):
    clock = [date(2026, 12, 21)]
    evening = datetime.combine(clock[0], time(18)).timestamp()
    with Store.open(schema_1, today=lambda: clock[0]) as store:
        assert Workbook(store).add_note(Condition.MEEDOEN, Step.INZET, "Op de laatste dag van schema 1") \
            is Outcome.SAVED
    os.utime(schema_1 / DB_FILE, (evening, evening))
    clock[0] += timedelta(days=1)
    with Store.open(schema_1, today=lambda: clock[0]) as store:
        assert Workbook(store).set_wish("Iets anders") is Outcome.SAVED
    old_day = date(2026, 12, 21)
    assert json.loads((schema_1 / BACKUP_FOLDER / f"{old_day}.json").read_bytes())["meta"]["1"]["schema"] == 1

    app_of_schema_1.undo()  # today's app
    with Store.open(schema_1, today=lambda: clock[0]) as store:
        workbook = Workbook(store)
        assert workbook.go_back_to(old_day) is Outcome.SAVED
        assert workbook.kompas.notes[-1].text == "Op de laatste dag van schema 1"
        assert workbook.kompas.wish == "Een eigen huis 🏠 — بيت لنا"
    assert json.loads((schema_1 / DB_FILE).read_bytes())["meta"]["1"] == {"schema": TODAY}


def test_a_file_of_a_schema_no_step_leads_from_is_kept_aside_whole_and_a_new_kompas_starts(schema_1, newer_app,
                                                                                          tmp_path):
    valid = (schema_1 / DB_FILE).read_bytes()
    tables = json.loads(valid)
    tables["meta"]["1"]["schema"] = 0  # from no app that ever was
    raw = json.dumps(tables, ensure_ascii=False).encode()
    (schema_1 / DB_FILE).write_bytes(raw)
    photos = {name: data for name, data in files(schema_1).items() if name.startswith("photos/")}
    with Store.open(schema_1) as store:
        assert store.problem is StoreProblem.UNREADABLE
        assert store.kept_aside.name.startswith("kompas.unreadable-") and store.kept_aside.read_bytes() == raw
        workbook = Workbook(store)
        assert workbook.kompas.notes == [] and workbook.kompas.photos == []
        assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Opnieuw begonnen") is Outcome.SAVED
    assert json.loads((schema_1 / DB_FILE).read_bytes())["meta"]["1"]["schema"] == NEXT
    # The photos of the kompas kept aside stay with it: they are not left-overs of the new one.
    assert {name: data for name, data in files(schema_1).items() if name.startswith("photos/")} == photos
    # Such a kompas in a .kompas file is refused, and nothing of it reaches the shelf.
    with Shelf.open(tmp_path / "data") as shelf:
        assert shelf.receive(with_data(pack(valid, schema_1, card_fields(CARD)), raw)) is FileProblem.BAD_DATA
        assert shelf.cards() == []


def with_data(kompas_file: bytes, raw: bytes) -> bytes:
    """The same .kompas file holding other kompas data, its checksum made to match: only the data itself is wrong.

    The app's own pack() refuses to write data it cannot read, so such a file is put together by hand.
    """
    import hashlib
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(kompas_file)) as source:
        manifest = json.loads(source.read("manifest.json"))
        manifest["files"][DB_FILE] = hashlib.sha256(raw).hexdigest()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                content = {"manifest.json": json.dumps(manifest).encode(), DB_FILE: raw}.get(info.filename)
                target.writestr(info, content if content is not None else source.read(info))
    return out.getvalue()
