"""The hand-over reaches the app: a laptop that has the Android app offers it on the page the client's phone opens,
with three plain steps in the client's language, and a laptop without one offers nothing of the kind."""

from __future__ import annotations

import os
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kompas.store.shelf import Shelf
from kompas.ui.server import build_web_app
from kompas.ui.web.apk import APK_IN_DATA, APK_NAME, find_apk
from kompas.ui.web.doors import Keys
from kompas.workbook.session import Library

ROOT = Path(__file__).resolve().parent.parent
# An APK is a zip; this one is small, but what comes back must be these very bytes.
APK = b"PK\x03\x04" + os.urandom(300_000)


def hand_over(tmp_path: Path, language: str, discreet: bool = False, apk: Path | None = None):
    library = Library(Shelf.open(tmp_path / "data"))
    card = library.create("Noor", "geel")
    library.change_card(card.id, language=language, discreet=discreet)
    parcel = library.parcel(card.id, library.pack(card.id), hand_over=True, poster=b"%PDF-1.4 poster")
    return library, parcel, TestClient(build_web_app(library, Keys(), frozenset({"testserver"}), apk=apk))


def test_the_phone_gets_the_app_with_three_steps_in_its_language(tmp_path):
    apk = tmp_path / "Kompas-1.0.apk"
    apk.write_bytes(APK)
    library, parcel, phone = hand_over(tmp_path, "nl", apk=apk)
    page = phone.get(f"/meegeven/{parcel.token}").text
    assert f'href="{parcel.token}/{APK_NAME}"' in page and "App downloaden (Android)" in page
    steps = [line for line in page.split("<p>") if line[:2] in ("1.", "2.", "3.")]
    assert any("Installeren" in s for s in steps) and any("Open de app Kompas" in s for s in steps)
    assert any("Kompas openen uit bestand" in s for s in steps)
    got = phone.get(f"/meegeven/{parcel.token}/{APK_NAME}")
    assert got.status_code == 200 and got.content == APK
    assert got.headers["content-type"] == "application/vnd.android.package-archive"
    assert got.headers["cache-control"] == "no-store"
    assert APK_NAME in got.headers["content-disposition"] and "Kompas-1.0" not in got.headers["content-disposition"]
    # Fetching the app is not fetching the kompas: the laptop still waits for the file.
    assert not parcel.fetched
    # Without the code, or with another site's page, nothing.
    assert phone.get(f"/meegeven/nocode/{APK_NAME}").status_code == 403
    assert phone.get(f"/meegeven/{parcel.token}/{APK_NAME}", headers={"Origin": "http://evil.example"}
                     ).status_code == 403
    library.close()


@pytest.mark.parametrize("language", ["ar", "ti", "uk"])
def test_the_steps_speak_the_clients_language(tmp_path, language):
    from kompas.i18n import _, use_language

    apk = tmp_path / "app.apk"
    apk.write_bytes(APK)
    library, parcel, phone = hand_over(tmp_path, language, apk=apk)
    page = phone.get(f"/meegeven/{parcel.token}").text
    with use_language(language):
        label, opening = _("App downloaden (Android)"), _("Kompas openen uit bestand")
    assert escape(label) in page and escape(opening) in page
    assert "App downloaden" not in page and "Installeren" not in page  # no Dutch left
    library.close()


def test_a_discreet_kompas_page_says_app_and_notes_not_kompas(tmp_path):
    apk = tmp_path / "app.apk"
    apk.write_bytes(APK)
    library, parcel, phone = hand_over(tmp_path, "nl", discreet=True, apk=apk)
    page = phone.get(f"/meegeven/{parcel.token}").text
    # The file keeps its .kompas name (the app knows it by that); no word on the page says kompas.
    assert "App downloaden (Android)" in page and "kompas" not in page.lower().replace(".kompas", "")
    library.close()


def test_a_laptop_without_the_app_offers_none(tmp_path):
    library, parcel, phone = hand_over(tmp_path, "nl")
    page = phone.get(f"/meegeven/{parcel.token}").text
    assert "App downloaden" not in page and APK_NAME not in page
    assert phone.get(f"/meegeven/{parcel.token}/{APK_NAME}").status_code == 404
    library.close()


def test_the_app_comes_from_the_option_or_the_data_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    assert find_apk(data, None) is None
    (data / APK_IN_DATA).write_bytes(APK)
    assert find_apk(data, None) == data / APK_IN_DATA
    named = tmp_path / "elders.apk"
    named.write_bytes(APK)
    assert find_apk(data, str(named)) == named
    with pytest.raises(FileNotFoundError):
        find_apk(data, str(tmp_path / "missing.apk"))


def test_kompas_says_in_one_line_when_the_apk_it_was_given_is_not_there(tmp_path):
    """The server still starts; the begeleider reads why the app is not offered."""
    env = {**os.environ, "FLET_FORCE_WEB_SERVER": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kompas", "--data", str(tmp_path), "--no-browser", "--port", "0",
                             "--apk", str(tmp_path / "missing.apk")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "missing.apk" in line and "Traceback" not in line
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
