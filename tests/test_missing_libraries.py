"""A library a build may leave out (cryptography) makes the `kompas` command say one plain line and stop with 1,
never a traceback; the rest of the command works as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import one_kompas

from kompas.cli import main

ROOT = Path(__file__).resolve().parent.parent

_WITHOUT = '''
import os, sys
_missing = set(os.environ["KOMPAS_TEST_MISSING"].split(","))
class _Missing:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _missing:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, _Missing())
'''


def kompas_without(missing: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(_WITHOUT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "KOMPAS_TEST_MISSING": missing}
    return subprocess.run([sys.executable, "-m", "kompas", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)


@pytest.fixture
def sealed(tmp_path) -> tuple[Path, Path, Path]:
    """A data folder with one kompas, its passphrase file, and a sealed copy of it made where cryptography is."""
    data = tmp_path / "data"
    one_kompas(data, "Sam")
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text("zomer in de tuin", encoding="utf-8")
    copy = tmp_path / "sam.kompas"
    assert main(["export", "--data", str(data), "--out", str(copy), "--passphrase-file", str(secret)]) == 0
    return data, secret, copy


def test_sealing_without_cryptography_is_one_plain_line(sealed, tmp_path):
    data, secret, _copy = sealed
    out = tmp_path / "nieuw.kompas"
    result = kompas_without("cryptography", "export", "--data", str(data), "--out", str(out), "--passphrase-file",
                            str(secret), tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Op dit apparaat kan een kopie geen wachtwoord krijgen. Laat het wachtwoord leeg, of maak de kopie op een "
        "ander apparaat."]
    assert not out.exists()
    # Without a passphrase the copy is made as always.
    plain = kompas_without("cryptography", "export", "--data", str(data), "--out", str(out), tmp_path=tmp_path)
    assert plain.returncode == 0 and out.read_bytes().startswith(b"PK\x03\x04")


def test_opening_a_sealed_file_without_cryptography_is_one_plain_line(sealed, tmp_path):
    _data, secret, copy = sealed
    elsewhere = tmp_path / "elders"
    result = kompas_without("cryptography", "import", "--data", str(elsewhere), str(copy), "--passphrase-file",
                            str(secret), tmp_path=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "wachtwoord" in line and "Er is niets veranderd." in line
    assert not [f for f in (elsewhere / "kompassen").iterdir() if not f.name.startswith(".")]
