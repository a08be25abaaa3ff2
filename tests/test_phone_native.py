"""The life of a kompas on a phone, through the native path: the app started as a phone build starts it, driven by a
fake Flutter client over Flet's own protocol, with only what a phone build installs (see tests/phone.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import kompas_folder
from phone import NEVER, AsAPhone, Phone, ogg_opus
from photofiles import phone_photo
from PIL import Image

from kompas.base import clock
from kompas.cli import main as kompas_command
from kompas.media import oggopus

WEB_STACK = {"uvicorn", "starlette", "fastapi", "flet_web", "websockets", "uvloop", "httptools", "watchfiles"}
PASSPHRASE = "zomer in de tuin"


@pytest.fixture
def laptop_file(tmp_path) -> Path:
    """A sealed .kompas file as a begeleider's laptop makes one: a note, a photo, and a voice note kept as Opus there."""
    from kompas.domain.model import Condition, Step
    from kompas.media.recording import Take
    from kompas.store.shelf import Shelf
    from kompas.workbook.workbook import Workbook

    laptop = tmp_path / "laptop"
    with Shelf.open(laptop) as shelf:
        card = shelf.create("Van de laptop", "groen")
        with shelf.open_store(card.id) as store:
            book = Workbook(store)
            book.add_note(Condition.ERBIJ_HOREN, Step.KRACHTEN, "Mijn zus belt elke zondag")
            recorded = tmp_path / "laptop-note.ogg"
            recorded.write_bytes(ogg_opus(2.5))
            assert not isinstance(book.speak_note(Condition.ERBIJ_HOREN, Step.WAARDEN, Take(file=recorded)), Exception)
            book.add_photo(phone_photo(1600, 1200), "Erbij horen")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    out = tmp_path / "van-de-laptop.kompas"
    assert kompas_command(["export", "--data", str(laptop), "--out", str(out), "--passphrase-file", str(secret)]) == 0
    return out


def start(tmp_path: Path, platform: str, **options) -> tuple[Phone, AsAPhone]:
    phone = Phone(tmp_path / "phone", platform, **options)
    services = AsAPhone(phone)
    phone.start()
    return phone, services


def open_condition(phone: Phone, name: str) -> None:
    phone.tap(phone.button(f"{name}: openen"))
    phone.wait(lambda: phone.find("Schrijf iets bij Krachten en bronnen", "TextField"), f"{name} opened")


def home(phone: Phone) -> None:
    phone.tap(phone.button("Terug naar mijn kompas"))
    phone.wait(lambda: phone.shows("Mijn wens voor later"), "home")


def read_aloud(phone: Phone) -> None:
    """Step 9. A phone build has no espeak-ng: "Voorlezen" says plainly that it cannot read aloud here, and nothing
    breaks. (Where a phone build carries a speech pack, this step plays it instead.)"""
    phone.tap(phone.button("Voorlezen"))
    phone.wait(lambda: phone.shows("Voorlezen lukt niet op dit apparaat."), "the plain word that reading aloud cannot")


@pytest.mark.parametrize("platform", ["android", "ios"])
def test_the_life_of_a_kompas_on_a_phone(tmp_path, platform, laptop_file):
    phone, services = start(tmp_path, platform)
    pin = platform == "ios"  # one walk with a PIN, one without
    try:
        # 1. First start: the languages in their own script, then a nickname.
        phone.tap(phone.button("Nederlands"))
        phone.type(phone.field("Naam van het kompas"), "Sam")
        phone.tap(phone.button("Maak mijn kompas"))
        phone.wait(lambda: phone.shows("Mijn wens voor later"), "the new kompas")

        # 2. A note with a star, and the wish.
        open_condition(phone, "Meedoen")
        phone.type(phone.field("Schrijf iets bij Krachten en bronnen"), "Ik kan goed koken")
        phone.tap(phone.button("Toevoegen bij Krachten en bronnen"))
        phone.tap(phone.button("Geef een ster: Ik kan goed koken"))
        phone.wait(lambda: phone.find("Ster weghalen: Ik kan goed koken"), "the star")
        home(phone)
        phone.type(phone.field("Mijn wens"), "Een eigen huis met een tuin")
        phone.leave(phone.field("Mijn wens"))

        # 3. An action.
        phone.tap(phone.button("Kies een actie"))
        phone.type(phone.field("Wat ga je doen?"), "Samen met papa een taart bakken")
        phone.tap(phone.button("Kies Ertoe doen"))
        phone.tap(phone.button("Kies deze actie"))
        phone.tap(phone.button("Ja, dat lukt"))
        phone.wait(lambda: phone.shows("Mijn actie · Ertoe doen"), "the action on the home screen")

        # 4. A photo from the gallery: the phone hands over a path to a 12 MP JPEG with a place in its EXIF.
        photo = tmp_path / "IMG_20260512_101500.jpg"
        photo.write_bytes(phone_photo())
        services.picks.append([photo])
        phone.tap(phone.button("Foto"))
        folder = kompas_folder(phone.data, "Sam")
        phone.wait(lambda: len(list((folder / "photos").glob("*.jpg"))) == 2, "the photo and its thumbnail kept")
        for kept in (folder / "photos").glob("*.jpg"):
            with Image.open(kept) as image:
                assert not image.getexif() and max(image.size) <= 1600  # no place, no camera: cleaned as on a laptop

        # 5. The poster, handed to the share sheet as a PDF.
        phone.tap(phone.button("Poster voor de koelkast"))
        phone.tap(phone.button("Poster maken"))
        phone.tap(phone.button("PDF delen of printen"))
        phone.wait(lambda: services.shared, "the poster in the share sheet")
        poster = services.shared.pop()
        assert poster["name"] == "poster-A4.pdf" and poster["data"].startswith(b"%PDF")
        home(phone)

        # 6. A copy with a passphrase, handed to the share sheet; no hand-over to a phone from the phone itself.
        phone.tap(phone.button("Kopie en meenemen"))
        phone.wait(lambda: phone.shows("Bewaar een kopie"), "the copy screen")
        assert not phone.shows("Meegeven aan de client")
        phone.type(phone.field("Wachtwoord voor de kopie (mag leeg blijven)"), PASSPHRASE)
        phone.type(phone.field("Wachtwoord voor de kopie, nog een keer"), PASSPHRASE)
        phone.tap(phone.button("Kopie maken"))
        phone.wait(lambda: services.shared, "the copy in the share sheet")
        copy = services.shared.pop()
        assert copy["name"] == f"kompas-{clock.today().isoformat()}.kompas"
        assert copy["data"].startswith(b"KOMPAS-SEALED\n") and b"Ik kan goed koken" not in copy["data"]
        home(phone)

        # Pairing is for a laptop's server: not on the phone's own app.
        phone.tap(phone.button("Slot en wissen"))
        phone.wait(lambda: phone.shows("Dit kompas wissen") or phone.shows("PIN"), "the settings")
        assert not phone.shows("Open op telefoon")
        if pin:
            phone.type(phone.field("Nieuwe PIN (4 tot 6 cijfers)"), "2580")
            phone.type(phone.field("Typ de nieuwe PIN nog een keer"), "2580")
            phone.tap(phone.button("PIN instellen"))
            phone.wait(lambda: phone.shows("Je PIN is klaar."), "the PIN set")
        home(phone)

        # 8. A voice note, recorded by the phone's own encoder to a file in the kompas, kept without its tags.
        open_condition(phone, "Meedoen")
        phone.tap(phone.button("Inspreken bij Krachten en bronnen"))
        if platform == "android":
            phone.tap(phone.button("Stop en bewaar"))
            phone.wait(lambda: phone.find("Opname afspelen bij Krachten en bronnen"), "the voice note")
            (voice,) = (folder / "voice").iterdir()
            kept = oggopus.read(voice.read_bytes())
            assert kept.comments == 0 and b"52.09" not in voice.read_bytes() and kept.seconds == pytest.approx(4, 0.05)
            phone.tap(phone.button("Opname afspelen bij Krachten en bronnen"))
            phone.wait(lambda: "play" in services.played, "the note played")
            # Stopped by hand after four seconds: nothing about three minutes (said, if at all, long before the play).
            assert not phone.shows("Drie minuten is het langst")
        else:
            # An iPhone's recorder writes Opus into an MP4 file, which the laptop's browser cannot play: not offered.
            phone.wait(lambda: phone.shows("Inspreken lukt niet op dit apparaat."), "the plain word that it cannot")
        home(phone)

        # 9. Read aloud.
        read_aloud(phone)

        # 10. To the background while typing (and, on Android, while speaking): all of it is kept, and the kompas
        # locks (with a PIN) or hides behind an empty notes page (without).
        open_condition(phone, "Meedoen")
        if platform == "android":
            phone.tap(phone.button("Inspreken bij Waarden"))
            phone.wait(lambda: phone.find("Stop en bewaar"), "the recording running")
        home(phone) if platform != "android" else None
        phone.tap(phone.button("Terug naar mijn kompas")) if platform == "android" else None
        phone.wait(lambda: phone.find("Mijn wens", "TextField"), "home")
        phone.type(phone.field("Mijn wens"), "Een eigen huis met een tuin en een kat")
        phone.lifecycle("inactive")
        phone.lifecycle("hide")
        phone.lifecycle("pause")
        if pin:
            phone.wait(lambda: phone.shows("Typ je PIN om dit kompas te openen."), "the PIN door")
        else:
            phone.wait(lambda: phone.shows("Nog geen notities."), "the empty notes cover")
        assert not phone.shows("Een eigen huis")
        stored = json.loads((folder / "kompas.json").read_text(encoding="utf-8"))
        assert "Een eigen huis met een tuin en een kat" in json.dumps(stored, ensure_ascii=False)
        if platform == "android":
            phone.wait(lambda: len(list((folder / "voice").glob("*.ogg"))) == 2
                       and not list((folder / "voice").glob("opname-*")), "the second note kept, nothing half")
        phone.lifecycle("show")
        phone.lifecycle("resume")
        if pin:
            phone.wait(lambda: phone.shows("Typ je PIN om dit kompas te openen."), "still the PIN door")
            phone.type(phone.field("PIN"), "2580")
            phone.tap(phone.button("Openen"))
        else:
            phone.tap(phone.button("Verder"))
        phone.wait(lambda: phone.shows("Mijn wens voor later"), "back in the kompas")

        # 7. A .kompas file from the begeleider's laptop, opened from the picker: sealed, with a voice note made there.
        phone.tap(phone.button("Op slot doen"))
        phone.wait(lambda: phone.find("Nieuw kompas") or phone.shows("Typ je PIN"), "the shelf or the door")
        if pin:
            phone.tap(phone.button("Naar alle kompassen"))
            phone.wait(lambda: phone.find("Nieuw kompas"), "the shelf")
        services.picks.append([laptop_file])
        phone.tap(phone.button("Kompas openen uit bestand"))
        phone.type(phone.field("Wachtwoord"), PASSPHRASE)
        phone.tap(phone.button("Openen"))
        phone.wait(lambda: phone.shows("Mijn wens voor later"), "the kompas from the laptop, open")
        laptop = kompas_folder(phone.data, "Van de laptop")
        (laptop_voice,) = (laptop / "voice").iterdir()
        assert oggopus.read(laptop_voice.read_bytes()).comments == 0

        # 11. The phone ends the app; it starts again with everything there.
        phone.stop()
        phone, services = start(tmp_path, platform)
        phone.wait(lambda: phone.find("Sam openen"), "the shelf with both kompassen")
        assert phone.find("Van de laptop openen")
        phone.tap(phone.button("Sam openen"))
        if pin:
            phone.type(phone.field("PIN"), "2580")
            phone.tap(phone.button("Openen"))
        phone.wait(lambda: phone.shows("Samen met papa een taart bakken"), "the action after the restart")
        assert phone.find("Een eigen huis met een tuin en een kat", "TextField")
        assert phone.shows("Ik kan goed koken")  # starred: on the home screen
        open_condition(phone, "Meedoen")
        assert phone.find("Ster weghalen: Ik kan goed koken")
        if platform == "android":
            assert phone.find("Opname afspelen bij Krachten en bronnen") and phone.find("Opname afspelen bij Waarden")
        assert len(list((folder / "photos").glob("*.jpg"))) == 2
    finally:
        phone.stop()
    # Nothing of the web stack was even tried, and nothing a phone lacks was ever loaded.
    assert WEB_STACK.isdisjoint(name.split(".")[0] for name in phone.tried_imports())
    assert not set(NEVER) & {line.split(".")[0] for line in phone.log_text().split() if line.startswith(NEVER)}


def test_a_phone_build_without_cryptography_says_so_and_goes_on(tmp_path, laptop_file):
    """cryptography has a phone build, but a build may lack it: sealing and opening a sealed file then say so plainly,
    in the client's language, and everything else goes on."""
    phone, services = start(tmp_path, "android", missing=("cryptography",))
    try:
        phone.tap(phone.button("English"))
        phone.type(phone.field("Name of the compass"), "Sam")
        phone.tap(phone.button("Make my compass"))
        phone.wait(lambda: phone.shows("My wish for the future"), "the new kompas")
        phone.tap(phone.button("Copy and take along"))
        phone.type(phone.field("Password for the copy (you can leave this empty)"), PASSPHRASE)
        phone.type(phone.field("Password for the copy, once more"), PASSPHRASE)
        phone.tap(phone.button("Make a copy"))
        phone.wait(lambda: phone.shows("On this device a copy cannot have a password."), "the plain word")
        assert services.shared == []
        # Without a passphrase the copy is made and shared as always.
        phone.type(phone.field("Password for the copy (you can leave this empty)"), "")
        phone.type(phone.field("Password for the copy, once more"), "")
        phone.tap(phone.button("Make a copy"))
        phone.wait(lambda: services.shared, "the copy in the share sheet")
        assert services.shared[0]["data"].startswith(b"PK\x03\x04")
        # A sealed file from the laptop cannot be opened here: said so, and nothing changes.
        phone.tap(phone.button("Lock"))
        phone.wait(lambda: phone.find("Open a compass from a file"), "the shelf")
        services.picks.append([laptop_file])
        phone.tap(phone.button("Open a compass from a file"))
        phone.wait(lambda: phone.shows("The app cannot open such a file on this device."), "the plain word")
        assert len([f for f in (phone.data / "kompassen").iterdir() if not f.name.startswith(".")]) == 1
    finally:
        phone.stop()
    assert "cryptography" in {name.split(".")[0] for name in phone.tried_imports()}
