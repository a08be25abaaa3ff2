"""The shelf: several kompassen in one data folder, each behind its own card, moved in from before without a loss."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from photofiles import phone_photo
from test_damaged_files import read_only

from kompas import cli
from kompas.base import clock
from kompas.domain.model import Condition, Paper, Step
from kompas.poster.output import make_files, poster_paths
from kompas.poster.render import poster_images
from kompas.store import shelf
from kompas.store.lock import LOCK_FILE, FolderInUse
from kompas.store.shelf import (
    CARD_FILE,
    DEFAULT_LOCK_MINUTES,
    FIRST_NICKNAME,
    LOOKS,
    MAX_NICKNAME,
    SHELF_FOLDER,
    UNMOVED,
    Card,
    KompasFolder,
    NicknameProblem,
    Shelf,
)
from kompas.store.storage import DB_FILE, Store
from kompas.workbook.workbook import Outcome, Workbook

ROOT = Path(__file__).resolve().parent.parent

# What the app wrote in a data folder before the shelf; made once, then copied for each test that moves it.
OLD_NOTES = ["Ik kan goed koken", "Mijn zus woont in de buurt"]
OLD_WISH = "Een eigen huis, ver weg van hem"
DAMAGED = b'{"notes": {"1": '


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones too, by its path inside it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fill(workbook: Workbook, *notes: str, photo: bytes | None = None) -> None:
    for text in notes:
        assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, text) is Outcome.SAVED
    if photo is not None:
        outcome, _photo = workbook.add_photo(photo, "De tuin")
        assert outcome is Outcome.SAVED


def make_old_data_folder(folder: Path) -> None:
    """A data folder as today's app leaves it after a while: a kompas, photos, a poster, a file once kept aside."""
    folder.mkdir(parents=True)
    (folder / DB_FILE).write_bytes(DAMAGED)
    with Store.open(folder) as store:  # the app keeps the damaged file aside and starts afresh
        workbook = Workbook(store)
        fill(workbook, *OLD_NOTES, photo=phone_photo(400, 300))
        assert workbook.set_wish(OLD_WISH) is Outcome.SAVED
        # The poster as the app made it before the shelf: the latest of each size in posters/.
        kompas = workbook.kompas
        make_files(kompas, kompas.poster, clock.today(), *poster_paths(folder / "posters", Paper.A4),
                   poster_images(kompas, folder))
    # What a write cut off by a crash leaves beside the kompas file.
    (folder / f".{DB_FILE}.4242.tmp").write_bytes(b'{"meta": {"1": {"sch')


@pytest.fixture(scope="module")
def old_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("old") / "data"
    make_old_data_folder(folder)
    return folder


@pytest.fixture
def old(old_template, tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(old_template, folder)
    return folder


def loose_files(folder: Path) -> dict[str, bytes]:
    """The files of a data folder from before the shelf that are the client's: all but the lock."""
    return {name: data for name, data in tree(folder).items() if name != LOCK_FILE}


def assert_moved_whole(data_dir: Path, before: dict[str, bytes]) -> Card:
    """The data folder holds one kompas with every file from before, byte for byte, each exactly once."""
    with Shelf.open(data_dir) as opened:
        cards = opened.cards()
    assert len(cards) == 1
    card = cards[0]
    assert card.nickname == FIRST_NICKNAME
    inside = f"{SHELF_FOLDER}/{card.id}/"
    after = tree(data_dir)
    assert json.loads(after.pop(inside + CARD_FILE))["nickname"] == FIRST_NICKNAME
    # Nothing left behind, nothing twice, nothing half: only the data folder's lock stays where it was.
    assert after == {LOCK_FILE: b"", **{inside + name: data for name, data in before.items()}}
    return card


# Making, listing, renaming


def test_kompassen_made_on_the_shelf_come_back_in_the_order_they_were_made(tmp_path):
    with Shelf.open(tmp_path) as opened:
        assert opened.cards() == [] and opened.only() is None
        noor = opened.create("Noor", "groen")
        zon = opened.create("Zon", "geel")
        opened.create("Anouk")
    with Shelf.open(tmp_path) as opened:
        assert [(c.nickname, c.look) for c in opened.cards()] == [("Noor", "groen"), ("Zon", "geel"), ("Anouk", LOOKS[0])]
        assert opened.card(noor.id) == noor and opened.card(zon.id) == zon
        assert opened.folder(noor.id) != opened.folder(zon.id)


def test_a_new_name_or_look_is_kept_and_the_kompas_behind_it_is_untouched(tmp_path):
    with Shelf.open(tmp_path) as opened:
        card = opened.create("Noor")
        with opened.open_store(card.id) as store:
            fill(Workbook(store), "Ik kan goed koken")
        kompas_file = (opened.folder(card.id) / DB_FILE).read_bytes()
        assert opened.rename(card.id, "Zonnebloem").nickname == "Zonnebloem"
        assert opened.change(card.id, look="paars").look == "paars"
        with pytest.raises(ValueError):
            opened.change(card.id, look="#ff0000")
    with Shelf.open(tmp_path) as opened:
        assert opened.cards() == [Card(card.id, "Zonnebloem", "paars", card.created)]
        assert (opened.folder(card.id) / DB_FILE).read_bytes() == kompas_file


def test_language_discreet_and_lock_time_are_kept_per_kompas_and_a_damaged_flag_stays_discreet(tmp_path):
    with Shelf.open(tmp_path) as opened:
        noor, sam = opened.create("Noor"), opened.create("Sam")
        assert (noor.language, noor.discreet, noor.lock_minutes) == (None, False, DEFAULT_LOCK_MINUTES)
        opened.change(noor.id, language="ar", discreet=True, lock_minutes=1)
        for wrong in (dict(language="Arabic"), dict(language="../x"), dict(lock_minutes=7)):
            with pytest.raises(ValueError):
                opened.change(noor.id, **wrong)
    with Shelf.open(tmp_path) as opened:
        kept = opened.card(noor.id)
        assert (kept.language, kept.discreet, kept.lock_minutes) == ("ar", True, 1)
        assert opened.card(sam.id) == sam
        card_file = opened.folder(noor.id) / CARD_FILE
    raw = json.loads(card_file.read_text(encoding="utf-8"))
    raw.update(discreet="yes", lock_minutes=999, language=["ar"])
    card_file.write_text(json.dumps(raw), encoding="utf-8")
    with Shelf.open(tmp_path) as opened:
        odd = opened.card(noor.id)
        assert (odd.discreet, odd.lock_minutes, odd.language) == (True, DEFAULT_LOCK_MINUTES, None)


def test_two_kompassen_cannot_share_a_nickname_whatever_its_capitals(tmp_path):
    with Shelf.open(tmp_path) as opened:
        noor = opened.create("Noor")
        zon = opened.create("Zon")
        assert opened.create("NOOR") is NicknameProblem.TAKEN
        assert opened.rename(zon.id, "noor") is NicknameProblem.TAKEN
        assert opened.rename(noor.id, "NOOR").nickname == "NOOR", "a kompas may change the capitals of its own name"
        assert [c.nickname for c in opened.cards()] == ["NOOR", "Zon"]


def test_a_kompas_is_found_by_its_exact_nickname_whatever_its_capitals(tmp_path):
    with Shelf.open(tmp_path) as opened:
        opened.create("Noor")
        zon = opened.create("Zonnebloem")
        assert opened.find("zonnebloem") == [zon] and opened.find(" ZONNEBLOEM ") == [zon]
        assert opened.find("Zon") == [] and opened.find("") == []


def test_only_the_single_kompas_on_a_shelf_is_taken_without_asking(tmp_path):
    with Shelf.open(tmp_path) as opened:
        assert opened.only() is None
        noor = opened.create("Noor")
        assert opened.only() == noor
        opened.create("Zon")
        assert opened.only() is None, "with two, the client chooses"


@pytest.mark.parametrize(("typed", "stored"), [
    ("Sa\x00ra\n", "Sara"),
    ("\tMi\x1bjn\r kompas\x7f", "Mijn kompas"),
    ("Noor\u2028Zon", "NoorZon"),
    ("\u202eroon\u202c", "roon"),  # a direction override would show the name mirrored on the shelf
    ("  Noor  ", "Noor"),
    ("نور الهدى", "نور الهدى"),
    ("\u200fسَلْمَى", "\u200fسَلْمَى"),  # a right-to-left mark and vowel marks are the client's, not controls
    ("🌻 Zon 👩‍👩‍👧 🇳🇱", "🌻 Zon 👩‍👩‍👧 🇳🇱"),
    ("Zoë", "Zoë"),
    ("Zoe\u0308", "Zoe\u0308"),  # the same name typed with a separate accent stays as typed
])
def test_a_nickname_keeps_every_character_but_control_characters(tmp_path, typed, stored):
    with Shelf.open(tmp_path) as opened:
        card = opened.create(typed)
        assert card.nickname == stored
    with Shelf.open(tmp_path) as opened:
        assert [c.nickname for c in opened.cards()] == [stored]
        assert json.loads((opened.folder(card.id) / CARD_FILE).read_bytes())["nickname"] == stored


@pytest.mark.parametrize(("typed", "problem"), [
    ("", NicknameProblem.EMPTY),
    ("   ", NicknameProblem.EMPTY),
    ("\x00\n\t", NicknameProblem.EMPTY),
    ("a" * (MAX_NICKNAME + 1), NicknameProblem.TOO_LONG),
    ("👩‍👩‍👧" * (MAX_NICKNAME + 1), NicknameProblem.TOO_LONG),
])
def test_an_empty_or_too_long_nickname_is_refused_and_nothing_is_made(tmp_path, typed, problem):
    with Shelf.open(tmp_path) as opened:
        assert opened.create(typed) is problem
        assert opened.cards() == []
    assert tree(tmp_path / SHELF_FOLDER) == {}


@pytest.mark.parametrize("typed", ["a" * MAX_NICKNAME, "👩‍👩‍👧" * MAX_NICKNAME, "سَلْمَى" * (MAX_NICKNAME // 5),
                                   "🇳🇱" * MAX_NICKNAME])
def test_a_nickname_is_as_long_as_the_letters_a_person_sees(tmp_path, typed):
    # A phone's text field counts an emoji family, a flag or a letter with its vowel marks as one.
    with Shelf.open(tmp_path) as opened:
        assert opened.create(typed).nickname == typed


def test_a_card_holds_only_what_tells_kompassen_apart_and_how_its_door_behaves(tmp_path):
    secret_note, secret_wish = "Hij mag niet weten waar ik woon", "Veilig wonen in Zwolle"
    with Shelf.open(tmp_path) as opened:
        card = opened.create("Noor", "groen")
        with opened.open_store(card.id) as store:
            workbook = Workbook(store)
            fill(workbook, secret_note, photo=phone_photo(400, 300))
            workbook.set_wish(secret_wish)
        folder = opened.folder(card.id)
    raw = (folder / CARD_FILE).read_bytes()
    # How to tell it apart, and how its door behaves (language, discreet, lock time): nothing written inside it.
    fields = ["id", "nickname", "look", "created", "language", "discreet", "lock_minutes"]
    assert set(json.loads(raw)) == {"schema", *fields}
    assert secret_note.encode() not in raw and secret_wish.encode() not in raw and b"photos" not in raw
    assert [f.name for f in Card.__dataclass_fields__.values()] == fields
    # The shelf screen reads only the cards: the kompas files are never parsed to list them.
    (folder / DB_FILE).write_bytes(b"\x00 not even json")
    with Shelf.open(tmp_path) as opened:
        assert opened.cards() == [card]


# Each kompas on its own


def test_the_photos_of_two_kompassen_never_mix(tmp_path):
    with Shelf.open(tmp_path) as opened:
        noor, zon = opened.create("Noor"), opened.create("Zon")
        for card, width in ((noor, 400), (zon, 300)):
            with opened.open_store(card.id) as store:
                fill(Workbook(store), f"notitie van {card.nickname}", photo=phone_photo(width, 200))
        noor_files, zon_files = tree(opened.folder(noor.id)), tree(opened.folder(zon.id))
        # Opening a kompas clears photo files its kompas does not know: never those of another.
        for card in (noor, zon):
            with opened.open_store(card.id) as store:
                workbook = Workbook(store)
                assert len(workbook.kompas.photos) == 1
                photo = workbook.kompas.photos[0]
                assert (opened.folder(card.id) / photo.file).is_file()
                assert [n.text for n in workbook.kompas.notes] == [f"notitie van {card.nickname}"]
        assert tree(opened.folder(noor.id)) == noor_files and tree(opened.folder(zon.id)) == zon_files
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE, SHELF_FOLDER], "no photos loose in the data folder"
    noor_photos = {n for n in noor_files if n.startswith("photos/")}
    zon_photos = {n for n in zon_files if n.startswith("photos/")}
    assert len(noor_photos) == len(zon_photos) == 2 and noor_photos.isdisjoint(zon_photos)


def test_an_id_from_outside_never_leads_out_of_the_shelf(tmp_path):
    with Shelf.open(tmp_path) as opened:
        card = opened.create("Noor")
        for wrong in ("..", "../..", card.id + "/..", card.id.upper(), UNMOVED, "", f"{shelf._ERASING}{card.id}"):
            with pytest.raises(KeyError):
                opened.folder(wrong)
            with pytest.raises(KeyError):
                opened.erase(wrong)
        assert opened.cards() == [card]


# Erasing


def make_three(data_dir: Path) -> tuple[Card, Card, Card]:
    with Shelf.open(data_dir) as opened:
        cards = tuple(opened.create(name) for name in ("Noor", "Zon", "Anouk"))
        for card in cards:
            with opened.open_store(card.id) as store:
                workbook = Workbook(store)
                fill(workbook, f"geheim van {card.nickname}", photo=phone_photo(300 + len(card.nickname), 200))
                workbook.set_wish(f"wens van {card.nickname}")
            posters = opened.folder(card.id) / "posters"
            posters.mkdir()
            (posters / "poster-A4.pdf").write_bytes(f"%PDF poster van {card.nickname}".encode())
    return cards


def test_erasing_a_kompas_removes_every_file_of_it_and_leaves_the_others_byte_identical(tmp_path):
    noor, zon, anouk = make_three(tmp_path)
    before = tree(tmp_path)
    zon_prefix = f"{SHELF_FOLDER}/{zon.id}/"
    zon_photo = next(data for name, data in before.items() if name.startswith(zon_prefix + "photos/"))
    with Shelf.open(tmp_path) as opened:
        assert opened.erase(zon.id) is True
        assert opened.cards() == [noor, anouk]
        with pytest.raises(KeyError):
            opened.folder(zon.id)
    after = tree(tmp_path)
    assert after == {name: data for name, data in before.items() if not name.startswith(zon_prefix)}
    assert not (tmp_path / SHELF_FOLDER / zon.id).exists()
    everything = b"".join(after.values())
    assert b"geheim van Zon" not in everything and b"wens van Zon" not in everything and zon_photo not in everything
    with Shelf.open(tmp_path) as opened:
        assert opened.cards() == [noor, anouk]


def test_a_kompas_that_is_open_is_not_erased(tmp_path):
    noor, zon, anouk = make_three(tmp_path)
    before = tree(tmp_path)
    with Shelf.open(tmp_path) as opened:
        store = opened.open_store(zon.id)
        with pytest.raises(FolderInUse):
            opened.erase(zon.id)
        assert opened.cards() == [noor, zon, anouk]
        assert tree(tmp_path) == before
        store.close()
        assert opened.erase(zon.id) is True


def test_an_erase_that_could_not_start_leaves_the_kompas_whole(tmp_path, monkeypatch):
    noor, zon, anouk = make_three(tmp_path)
    before = tree(tmp_path)
    with Shelf.open(tmp_path) as opened:
        monkeypatch.setattr(shelf.os, "replace", lambda *a: (_ for _ in ()).throw(PermissionError("busy")))
        with pytest.raises(PermissionError):
            opened.erase(zon.id)
        monkeypatch.undo()
        assert opened.cards() == [noor, zon, anouk]
    assert tree(tmp_path) == before


def test_files_an_erase_could_not_delete_go_at_the_next_open(tmp_path, monkeypatch):
    noor, zon, anouk = make_three(tmp_path)
    zon_prefix = f"{SHELF_FOLDER}/{zon.id}/"
    others = {name: data for name, data in tree(tmp_path).items() if not name.startswith(zon_prefix)}
    with Shelf.open(tmp_path) as opened:
        monkeypatch.setattr(shelf.shutil, "rmtree", lambda *a, **k: (_ for _ in ()).throw(PermissionError("busy")))
        assert opened.erase(zon.id) is False, "the client is told that not every file is gone yet"
        monkeypatch.undo()
        assert opened.cards() == [noor, anouk], "off the shelf at once"
    assert any(b"geheim van Zon" in data for data in tree(tmp_path).values())
    with Shelf.open(tmp_path) as opened:
        assert opened.cards() == [noor, anouk]
    assert tree(tmp_path) == others


# Killed in the middle: a child process runs one shelf action and dies (os._exit, no clean-up at all) right
# before, or right after, its n-th rename, the step each change of the shelf turns on.
KILLED = """
import os, sys
from kompas.store.shelf import Shelf

folder, n, when, action = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
real, calls = os.replace, [0]

def replace(src, dst):
    if calls[0] == n:
        if when == "after":
            real(src, dst)
        os._exit(9)
    calls[0] += 1
    real(src, dst)

os.replace = replace
opened = Shelf.open(folder)
if action[0] == "create":
    opened.create(action[1])
elif action[0] == "erase":
    opened.erase(action[1])
"""


def killed(folder: Path, n: int, when: str, *action: str) -> bool:
    """Run the action, killed at the n-th rename; whether it was killed (False: it finished first)."""
    result = subprocess.run([sys.executable, "-c", KILLED, str(folder), str(n), when, *(action or ["open"])],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode in (0, 9), result.stderr
    return result.returncode == 9


def test_an_erase_killed_at_any_step_is_finished_or_undone_at_the_next_open(tmp_path):
    template = tmp_path / "template"
    noor, zon, anouk = make_three(template)
    zon_prefix = f"{SHELF_FOLDER}/{zon.id}/"
    before = tree(template)
    others = {name: data for name, data in before.items() if not name.startswith(zon_prefix)}
    for n in range(10):
        for when in ("before", "after"):
            data_dir = tmp_path / f"{n}-{when}"
            shutil.copytree(template, data_dir)
            was_killed = killed(data_dir, n, when, "erase", zon.id)
            with Shelf.open(data_dir) as opened:
                cards = opened.cards()
            if cards == [noor, zon, anouk]:
                assert tree(data_dir) == before, "an erase that did not happen changed nothing"
            else:
                assert cards == [noor, anouk]
                assert tree(data_dir) == others, "an erase that happened left nothing of the erased one"
        if not was_killed:
            break
    assert n >= 1, "the erase was killed at its rename"


def test_a_kompas_whose_making_was_killed_is_either_whole_or_not_there(tmp_path):
    for n in range(10):
        for when in ("before", "after"):
            data_dir = tmp_path / f"{n}-{when}"
            was_killed = killed(data_dir, n, when, "create", "Noor")
            with Shelf.open(data_dir) as opened:
                cards = opened.cards()
                assert [c.nickname for c in cards] in ([], ["Noor"])
                assert opened.renewed == [], "never a kompas without its card"
            assert sorted(p.name for p in (data_dir / SHELF_FOLDER).iterdir()) == [c.id for c in cards]
        if not was_killed:
            break
    assert n >= 2, "the making was killed at its card and at its rename"


# One app per data folder


def test_an_app_from_before_the_shelf_and_the_shelf_never_hold_the_data_folder_together(old):
    with Store.open(old):  # an older app, still running on the data folder
        before = tree(old)
        with pytest.raises(FolderInUse):
            Shelf.open(old)
    assert tree(old) == before, "nothing is moved under a running app"
    with Shelf.open(old):
        with pytest.raises(FolderInUse):
            Store.open(old)
        with pytest.raises(FolderInUse):
            Shelf.open(old)
    with Shelf.open(old) as opened:  # let go at close
        assert len(opened.cards()) == 1


# Moving in the kompas from before the shelf


def test_a_kompas_from_before_the_shelf_is_moved_onto_it_whole(old):
    before = loose_files(old)
    assert {"kompas.json", "posters/poster-A4.pdf", "posters/poster-A4.png"} <= set(before)
    assert sum(name.startswith("photos/") for name in before) == 2
    assert sum(name.startswith("kompas.unreadable-") for name in before) == 1
    card = assert_moved_whole(old, before)
    with Shelf.open(old) as opened:
        assert opened.only() == card
        folder = opened.folder(card.id)
        kept_aside = next(folder.glob("kompas.unreadable-*.json"))
        assert kept_aside.read_bytes() == DAMAGED
        with opened.open_store(card.id) as store:
            assert store.problem is None
            workbook = Workbook(store)
            assert [n.text for n in workbook.kompas.notes] == OLD_NOTES
            assert workbook.kompas.wish == OLD_WISH
            assert [(folder / p.file).is_file() and (folder / p.thumb).is_file() for p in workbook.kompas.photos] == [True]
            # Still the client's own kompas: a change is stored in its new place.
            fill(workbook, "na de verhuizing")
    assert cli.main(["poster", "--data", str(old), "--out", str(old.parent / "poster.pdf")]) == 0
    with Shelf.open(old) as opened, opened.open_store(card.id) as store:
        assert [n.text for n in store.load().notes] == [*OLD_NOTES, "na de verhuizing"]


def test_a_kompas_folder_is_never_taken_for_a_data_folder_from_before_the_shelf(tmp_path):
    # It looks just like one (a kompas.json, photos/, posters/): moved into a shelf inside itself, its own card
    # would lead to an empty kompas.
    with Shelf.open(tmp_path) as opened:
        card = opened.create("Noor")
        folder = opened.folder(card.id)
        with opened.open_store(card.id) as store:
            fill(Workbook(store), "Ik kan goed koken", photo=phone_photo(300, 200))
    before = tree(tmp_path)
    with pytest.raises(KompasFolder) as refused:
        Shelf.open(folder)
    assert refused.value.data_dir == tmp_path
    assert tree(tmp_path) == before


def test_an_empty_data_folder_gets_an_empty_shelf(tmp_path):
    with Shelf.open(tmp_path / "nieuw") as opened:
        assert opened.cards() == []
    assert sorted(p.name for p in (tmp_path / "nieuw").iterdir()) == [LOCK_FILE, SHELF_FOLDER]


def test_a_move_killed_at_any_step_finishes_at_the_next_open_with_every_file_once(old_template, tmp_path):
    before = loose_files(old_template)
    for n in range(20):
        for when in ("before", "after"):
            data_dir = tmp_path / f"{n}-{when}"
            shutil.copytree(old_template, data_dir)
            was_killed = killed(data_dir, n, when)
            assert_moved_whole(data_dir, before)
        if not was_killed:
            break
    # A card, five loose things (the kompas, its photos, posters, a kept-aside file, a temp file), one last rename.
    assert n >= 7, "the move was killed at each of its steps"


def test_a_move_killed_again_and_again_still_finishes_whole(old, tmp_path):
    before = loose_files(old)
    for runs in range(1, 20):
        if not killed(old, 0, "after"):  # each run gets exactly one step done
            break
    assert runs >= 7
    assert_moved_whole(old, before)


def test_an_older_app_that_ran_after_a_killed_move_loses_nothing(old_template, tmp_path):
    before = loose_files(old_template)
    for n in range(7):  # killed before each rename of the move: the card, five loose things, onto the shelf
        data_dir = tmp_path / str(n)
        shutil.copytree(old_template, data_dir)
        assert killed(data_dir, n, "before")
        # The client went back to the older app, which wrote in the data folder again.
        with Store.open(data_dir) as store:
            fill(Workbook(store), "geschreven met de oude app")
        with Shelf.open(data_dir) as opened:
            texts, moved = [], {}
            for card in opened.cards():
                with opened.open_store(card.id) as store:
                    texts += [n.text for n in store.load().notes]
                moved.update(tree(opened.folder(card.id)))
        assert sorted(texts) == sorted([*OLD_NOTES, "geschreven met de oude app"]), f"killed before rename {n}"
        for name, data in before.items():
            if name.startswith(("photos/", "posters/", "kompas.unreadable-")):
                assert moved.get(name) == data, f"{name} was lost when killed before rename {n}"
        assert sorted(p.name for p in data_dir.iterdir()) == [LOCK_FILE, SHELF_FOLDER]


# Damaged cards


@pytest.mark.parametrize("damage", [
    b"", b'{"schema": 1, "id": "x", "nick', b"\x00\xff\xfe", b"[]", b'{"schema": 1}',
    b'{"schema": "1", "id": "x", "nickname": "Zon", "look": "geel", "created": "2026-01-01T10:00:00"}',
    b'{"schema": 1, "id": "x", "nickname": 7, "look": "geel", "created": "2026-01-01T10:00:00"}',
    b'{"schema": 1, "id": "x", "nickname": "\\n\\t", "look": "geel", "created": "2026-01-01T10:00:00"}',
    None,
], ids=["empty", "cut off", "binary", "a list", "fields missing", "schema text", "nickname a number",
        "nickname blank", "card missing"])
def test_a_damaged_card_costs_no_kompas_and_is_kept_aside(tmp_path, damage):
    noor, zon, anouk = make_three(tmp_path)
    card_path = tmp_path / SHELF_FOLDER / zon.id / CARD_FILE
    if damage is None:
        card_path.unlink()
    else:
        card_path.write_bytes(damage)
    with Shelf.open(tmp_path) as opened:
        cards = opened.cards()
        assert [c.id for c in cards] == [noor.id, anouk.id, zon.id]
        assert cards[:2] == [noor, anouk], "the other cards are as they were"
        assert (cards[2].nickname, cards[2].look) == (FIRST_NICKNAME, LOOKS[0])
        assert opened.renewed == [zon.id]
        with opened.open_store(zon.id) as store:
            assert [n.text for n in store.load().notes] == ["geheim van Zon"]
        kept = list(opened.folder(zon.id).glob("card.unreadable-*.json"))
        assert [p.read_bytes() for p in kept] == ([] if damage is None else [damage])
    with Shelf.open(tmp_path) as opened:
        assert opened.cards() == cards and opened.renewed == [], "the neutral card was stored"


def test_a_renewed_card_takes_a_neutral_name_no_other_kompas_has(tmp_path):
    with Shelf.open(tmp_path) as opened:
        first = opened.create(FIRST_NICKNAME)
        second = opened.create("Zon")
    (tmp_path / SHELF_FOLDER / second.id / CARD_FILE).write_bytes(b"{")
    with Shelf.open(tmp_path) as opened:
        assert [c.nickname for c in opened.cards()] == [FIRST_NICKNAME, f"{FIRST_NICKNAME} 2"]
        assert opened.find(FIRST_NICKNAME) == [opened.card(first.id)]


# Read-only data folders


def test_a_read_only_data_folder_from_before_the_shelf_is_shown_where_it_is(old):
    before = tree(old)
    with read_only(old):
        with Shelf.open(old) as opened:
            assert opened.read_only
            assert [c.id for c in opened.cards()] == [UNMOVED]
            with opened.open_store(UNMOVED) as store:
                assert [n.text for n in store.load().notes] == OLD_NOTES
            with pytest.raises(PermissionError):
                opened.create("Noor")
            with pytest.raises(PermissionError):
                opened.erase(UNMOVED)
        assert tree(old) == before


def test_a_read_only_shelf_lists_its_cards_and_changes_nothing(tmp_path):
    noor, zon, anouk = make_three(tmp_path)
    (tmp_path / SHELF_FOLDER / zon.id / CARD_FILE).write_bytes(b"{")
    before = tree(tmp_path)
    with read_only(tmp_path):
        with Shelf.open(tmp_path) as opened:
            assert [c.id for c in opened.cards()] == [noor.id, anouk.id, zon.id]
            for change in (lambda: opened.rename(noor.id, "Zon"), lambda: opened.erase(noor.id)):
                with pytest.raises(PermissionError):
                    change()
        assert tree(tmp_path) == before


# Nothing the client wrote in the log


def test_no_nickname_ever_reaches_the_log(old, caplog):
    caplog.set_level(logging.DEBUG)
    names = ["Noor uit Zwolle", "نور", "Zon 🌻"]
    with Shelf.open(old) as opened:
        noor = opened.create(names[0])
        zon = opened.create(names[1])
        opened.rename(zon.id, names[2])
        opened.erase(noor.id)
    (old / SHELF_FOLDER / zon.id / CARD_FILE).write_bytes(b"{")
    with Shelf.open(old):
        pass
    logged = caplog.text
    assert len(caplog.records) >= 6, "the shelf does log what it does"
    for secret in [*names, FIRST_NICKNAME, *OLD_NOTES, OLD_WISH, str(old)]:
        assert secret not in logged
