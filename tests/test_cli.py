"""The `kompas` command as a begeleider or developer uses it: help, the data folder, and the demo kompas."""

import subprocess
import sys
from pathlib import Path

from conftest import kompas_folder

from kompas.cli import main
from kompas.datadir import resolve_data_dir
from kompas.store.shelf import Shelf
from kompas.store.storage import Store

ROOT = Path(__file__).resolve().parent.parent


def test_the_data_folder_comes_from_the_option_then_kompas_data_then_flet(tmp_path):
    env = {"KOMPAS_DATA": str(tmp_path / "env"), "FLET_APP_STORAGE_DATA": str(tmp_path / "flet")}
    assert resolve_data_dir(str(tmp_path / "opt"), env) == tmp_path / "opt"
    assert resolve_data_dir(None, env) == tmp_path / "env"
    assert resolve_data_dir(None, {"FLET_APP_STORAGE_DATA": str(tmp_path / "flet")}) == tmp_path / "flet"
    fallback = resolve_data_dir(None, {})
    assert fallback.name == "kompas" and fallback.is_absolute()


def test_help_explains_the_options_in_dutch():
    result = subprocess.run([sys.executable, "-m", "kompas", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    for words in ("--host", "--port", "--data", "demo", "alleen dit apparaat"):
        assert words in result.stdout


def test_demo_fills_a_realistic_kompas(tmp_path):
    assert main(["demo", "--data", str(tmp_path)]) == 0
    with Store.open(kompas_folder(tmp_path, "Demo")) as store:
        kompas = store.load()
    assert len(kompas.notes) >= 10
    assert len({n.condition for n in kompas.notes}) == 4
    assert kompas.starred() and kompas.wish and kompas.action


def test_demo_comes_beside_a_kompas_that_is_there_and_never_over_it(tmp_path, capsys):
    # A data folder from before the shelf, holding a client's own kompas.
    with Store.open(tmp_path) as store:
        store.put_wish("Mijn eigen wens")
    assert main(["demo", "--data", str(tmp_path)]) == 0
    with Shelf.open(tmp_path) as shelf:
        assert sorted(card.nickname for card in shelf.cards()) == ["Demo", "Mijn kompas"]
    with Store.open(kompas_folder(tmp_path, "Mijn kompas")) as store:
        assert store.load().wish == "Mijn eigen wens"
    demo = kompas_folder(tmp_path, "Demo") / "kompas.json"
    before = demo.read_bytes()
    assert main(["demo", "--data", str(tmp_path)]) == 1
    assert "Er is niets veranderd" in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_the_poster_command_asks_which_kompas_when_there_are_more(tmp_path, capsys):
    assert main(["demo", "--data", str(tmp_path)]) == 0
    with Shelf.open(tmp_path) as shelf:
        shelf.create("Noor", "geel")
    out = tmp_path / "poster.pdf"
    assert main(["poster", "--data", str(tmp_path), "--out", str(out)]) == 1
    assert "--kompas" in capsys.readouterr().err and not out.exists()
    assert main(["poster", "--data", str(tmp_path), "--out", str(out), "--kompas", "demo"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_a_second_copy_on_the_same_folder_refuses_in_dutch_and_changes_nothing(tmp_path):
    with Store.open(tmp_path) as store:
        store.put_wish("Mijn eigen wens")
        result = subprocess.run([sys.executable, "-m", "kompas", "demo", "--data", str(tmp_path)],
                                capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "Kompas is al open" in result.stderr and "Traceback" not in result.stderr
    assert Store.open(tmp_path).load().wish == "Mijn eigen wens"


def test_a_kompas_folder_given_as_the_data_folder_is_refused_in_dutch(tmp_path):
    assert main(["demo", "--data", str(tmp_path)]) == 0
    folder = kompas_folder(tmp_path, "Demo")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = subprocess.run([sys.executable, "-m", "kompas", "poster", "--data", str(folder), "--out",
                             str(tmp_path / "p.pdf")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(tmp_path) in result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
