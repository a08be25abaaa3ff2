"""On a shared laptop other accounts cannot read a kompas: its data folder is this user's only (700), and so is every
file the app writes (600), whatever umask the user has."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ROOT

from kompas.base import clock
from kompas.domain.model import Condition, Step
from kompas.store.kompasfile import pack
from kompas.store.pin import PinLock
from kompas.store.shelf import Shelf
from kompas.store.storage import DB_FILE
from kompas.workbook.workbook import Workbook

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

SCHEMA_2 = Path(__file__).resolve().parent / "fixtures" / "schema-2"


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)) or ".": stat.S_IMODE(p.lstat().st_mode) for p in [folder, *folder.rglob("*")]}


def open_to_others(folder: Path) -> dict[str, str]:
    """Every path in `folder` that another account could read or enter."""
    return {name: oct(mode) for name, mode in modes(folder).items() if mode & 0o077}


@pytest.fixture
def usual_umask():
    """The umask most Linux users have: new files readable by every account."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_shelf_and_the_store_make_private_folders_and_files_whatever_the_umask(tmp_path, usual_umask, monkeypatch):
    import kompas.store.pin as pin

    monkeypatch.setattr(pin, "COST", pin.Cost(n=2**10, r=8, p=1))
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        card = shelf.create("Noor", "geel")
        folder = shelf.folder(card.id)
        with shelf.open_store(card.id) as store:
            Workbook(store).add_note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken")
        # The first change on a new day keeps the kompas as the day before left it: a backup.
        yesterday = time.mktime((clock.today() - timedelta(days=1)).timetuple())
        os.utime(folder / DB_FILE, (yesterday, yesterday))
        with shelf.open_store(card.id) as store:
            Workbook(store).set_wish("Een eigen huis")
        PinLock(folder).set("2468")
    assert list((folder / "backups").glob("*.json")), "a backup was made"
    assert open_to_others(data) == {}


def test_the_app_as_its_command_runs_it_keeps_every_file_to_this_user(tmp_path, usual_umask):
    """Photos, voice notes, backups, cards and kompas files, made by `kompas` itself under a 022 umask."""
    source = tmp_path / "source"
    shutil.copytree(SCHEMA_2, source, ignore=shutil.ignore_patterns("README.md"))
    card = {"id": "4b0e2a6f2c3d4e5f8a9b0c1d2e3f4a5b", "nickname": "Amal", "look": "geel",
            "created": "2026-11-22T01:01:15", "language": "nl", "discreet": False, "lock_minutes": 5}
    kompas_file = tmp_path / "amal.kompas"
    kompas_file.write_bytes(pack((source / DB_FILE).read_bytes(), source, card))
    data = tmp_path / "data"
    for command in (["demo"], ["import", str(kompas_file)], ["poster", "--kompas", "Amal", "--out",
                                                               str(data / "poster.pdf")]):
        subprocess.run([sys.executable, "-m", "kompas", "--data", str(data), *command], cwd=ROOT, check=True,
                       capture_output=True)
    made = modes(data)
    assert any(name.endswith(".ogg") for name in made) and any(name.endswith("-klein.jpg") for name in made)
    assert open_to_others(data) == {}


def test_a_data_folder_from_before_is_closed_at_the_next_start(tmp_path, usual_umask):
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        folder = shelf.folder(shelf.create("Noor").id)
    # As an older app left it: folders 755, files 644.
    for path in [data, *data.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    assert open_to_others(data)
    with Shelf.open(data) as shelf:
        assert shelf.cards()
    assert open_to_others(data) == {}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
