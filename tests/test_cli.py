"""The `kompas` command as a begeleider or developer uses it: help, the data folder, and the demo kompas."""

import subprocess
import sys
from pathlib import Path

from kompas.cli import main
from kompas.datadir import resolve_data_dir
from kompas.storage import Store

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
    kompas = Store.open(tmp_path).load()
    assert len(kompas.notes) >= 10
    assert len({n.condition for n in kompas.notes}) == 4
    assert kompas.starred() and kompas.wish and kompas.action


def test_demo_never_overwrites_a_kompas_that_is_already_there(tmp_path, capsys):
    store = Store.open(tmp_path)
    store.put_wish("Mijn eigen wens")
    store.close()
    assert main(["demo", "--data", str(tmp_path)]) == 1
    assert "Er is niets veranderd" in capsys.readouterr().err
    assert Store.open(tmp_path).load().wish == "Mijn eigen wens"


def test_a_second_copy_on_the_same_folder_refuses_in_dutch_and_changes_nothing(tmp_path):
    with Store.open(tmp_path) as store:
        store.put_wish("Mijn eigen wens")
        result = subprocess.run([sys.executable, "-m", "kompas", "demo", "--data", str(tmp_path)],
                                capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "Kompas is al open" in result.stderr and "Traceback" not in result.stderr
    assert Store.open(tmp_path).load().wish == "Mijn eigen wens"
