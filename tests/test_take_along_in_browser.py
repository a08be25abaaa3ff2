"""Taking a kompas along in Chromium: the hand-over from a begeleider's laptop to a client's phone, and a copy."""

from __future__ import annotations

import io
import json
import re

import pytest
from browser import LAPTOP, enable_semantics, open_app, scroll_to, type_into
from conftest import AppServer, kompas_folder
from playwright.sync_api import Page, expect

from kompas.cli import main
from kompas.store.shelf import Shelf
from kompas.store.storage import Store
from kompas.workbook.workbook import Workbook

pytestmark = pytest.mark.browser

# Written on the laptop; after the hand-over, not one byte of it may be left there.
NOTE = "Ik kan goed koken voor anderen"


def read_qr(page: Page, name: str) -> str:
    """Read the QR code off the screen, as the phone's camera would."""
    import zxingcpp
    from PIL import Image

    expect(page.get_by_role("img", name=name)).to_be_visible()
    for _ in range(100):  # drawn a frame or two later (seconds, on a loaded machine)
        codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(page.screenshot())))
        if codes:
            return codes[0].text
        page.wait_for_timeout(300)
    raise AssertionError("no QR code on the screen")


def laptop_kompas(data, tmp_path) -> tuple[str, bytes]:
    """A demo kompas with a note and a real phone photo, as a begeleider and client filled it in together."""
    from photofiles import phone_photo

    from kompas.domain.model import Condition, Step

    assert main(["demo", "--data", str(data)]) == 0
    with Shelf.open(data) as shelf:
        [card] = shelf.cards()
        with shelf.open_store(card.id) as store:
            workbook = Workbook(store)
            workbook.add_note(Condition.ERTOE_DOEN, Step.KRACHTEN, NOTE)
            workbook.add_photo(phone_photo(), "kompas")
            [photo] = [p for p in workbook.kompas.photos if p.about == "kompas"][-1:]
        return card.id, (shelf.folder(card.id) / photo.file).read_bytes()


def open_from_file_at_first_start(phone: Page, server: AppServer, kompas_file) -> None:
    """A new phone's app: its first start asks the language, then offers "Kompas openen uit bestand"."""
    phone.goto(server.link())
    enable_semantics(phone)
    phone.get_by_role("button", name="Nederlands").click()
    with phone.expect_file_chooser() as chooser:
        scroll_to(phone, phone.get_by_role("button", name="Kompas openen uit bestand")).click()
    chooser.value.set_files(str(kompas_file))


def same_picture(a: bytes, b: bytes) -> bool:
    """The same size, and on average within three levels of 255 in every channel."""
    from PIL import Image, ImageChops, ImageStat

    with Image.open(io.BytesIO(a)) as first, Image.open(io.BytesIO(b)) as second:
        return first.size == second.size and max(ImageStat.Stat(ImageChops.difference(
            first.convert("RGB"), second.convert("RGB"))).mean) < 3


def every_byte(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_a_begeleider_hands_a_kompas_to_the_clients_phone_and_keeps_nothing(chromium, tmp_path):
    laptop_data, phone_data = tmp_path / "laptop", tmp_path / "phone"
    kompas_id, photo_bytes = laptop_kompas(laptop_data, tmp_path)
    laptop_server, phone_server = AppServer(laptop_data), AppServer(phone_data)
    laptop_server.start()
    phone_server.start()
    try:
        # The laptop: "Kopie en meenemen", then "Meegeven aan de client".
        laptop, requests = open_app(chromium, laptop_server.link("/meenemen"), viewport={**LAPTOP, "height": 1400})
        scroll_to(laptop, laptop.get_by_role("button", name="Meegeven aan de client")).click()
        link = read_qr(laptop, "Code om mee te geven")
        assert re.fullmatch(rf"{laptop_server.url}/meegeven/[\w-]{{20,}}", link)
        expect(laptop.get_by_text("De telefoon heeft het bestand nog niet opgehaald.")).to_be_visible()

        # Saying yes before the phone has the file erases nothing.
        laptop.get_by_role("button", name="Ja, wis het hier").click()
        expect(laptop.get_by_text("nog niet opgehaald. Wacht daarmee", exact=False)).to_be_visible()
        assert (laptop_data / "kompassen" / kompas_id / "kompas.json").exists()

        # The phone scans the code: a plain page, without the laptop's cookie, with the file and the poster.
        phone = chromium.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True).new_page()
        phone.goto(link)
        expect(phone.get_by_role("heading", name="Je kompas")).to_be_visible()
        with phone.expect_download() as poster:
            phone.get_by_role("link", name="Poster downloaden (PDF)").click()
        assert poster.value.suggested_filename == "poster.pdf"
        assert open(poster.value.path(), "rb").read(5) == b"%PDF-"
        with phone.expect_download() as download:
            phone.get_by_role("link", name="Kompas-bestand downloaden").click()
        # The name in the phone's downloads list says a date, not who it is about.
        assert re.fullmatch(r"kompas-\d{4}-\d{2}-\d{2}\.kompas", download.value.suggested_filename)
        kompas_file = tmp_path / download.value.suggested_filename
        download.value.save_as(kompas_file)
        expect(laptop.get_by_text("De telefoon heeft het bestand opgehaald.")).to_be_visible(timeout=5_000)
        # The code is used: a second fetch, from this phone or any other, is refused, and the laptop says so.
        again = chromium.new_context().request.get(f"{link}/{download.value.suggested_filename}")
        assert again.status == 403 and NOTE.encode() not in again.body()
        expect(laptop.get_by_text("Daarna probeerde iemand het bestand nog 1 keer op te halen.", exact=False)
               ).to_be_visible(timeout=5_000)

        # The phone's own app, first start: the language, then "Kompas openen uit bestand".
        open_from_file_at_first_start(phone, phone_server, kompas_file)
        phone.get_by_role("button", name="Ertoe doen: openen").click(timeout=20_000)
        expect(phone.get_by_text(NOTE, exact=True)).to_be_visible()
        arrived = kompas_folder(phone_data)
        assert arrived.name == kompas_id
        # Encoded anew on the way in, as every photo that comes in: the same picture, its own bytes.
        [photo] = [p for p in (arrived / "photos").glob("*.jpg") if "klein" not in p.name]
        assert same_picture(photo.read_bytes(), photo_bytes)

        # The laptop: yes, it arrived. It erases its own copy, and says nothing is left.
        laptop.get_by_role("button", name="Ja, wis het hier").click()
        expect(laptop.get_by_text("Er staat niets meer van op deze computer", exact=False).last).to_be_visible()
        expect(laptop.get_by_text("Kompassen op dit apparaat").or_(laptop.get_by_text("Een nieuw kompas"))).to_be_visible()
        assert requests == []
    finally:
        laptop_server.stop()
        phone_server.stop()

    # On the laptop's disk: no folder, no file, no byte of the kompas, its photo or its poster.
    assert not [p for p in laptop_data.rglob("*") if kompas_id in p.name]
    assert not list(laptop_data.rglob("*.jpg")) and not list(laptop_data.rglob("*.pdf"))
    everything = every_byte(laptop_data)
    assert NOTE.encode() not in everything and photo_bytes[-4096:] not in everything
    with Shelf.open(laptop_data) as shelf:
        assert shelf.cards() == []
    # The phone has the kompas whole: the note and the photo came along, the card too.
    with Store.open(kompas_folder(phone_data)) as store:
        assert any(note.text == NOTE for note in store.load().notes)
    card = json.loads((kompas_folder(phone_data) / "card.json").read_text(encoding="utf-8"))
    assert card["nickname"] == "Demo"


def test_a_copy_with_a_passphrase_is_downloaded_and_opens_only_with_it(chromium, tmp_path):
    data, other = tmp_path / "data", tmp_path / "other"
    laptop_kompas(data, tmp_path)
    server, second = AppServer(data), AppServer(other)
    server.start()
    second.start()
    try:
        page, requests = open_app(chromium, server.link("/meenemen"), viewport={**LAPTOP, "height": 1400})
        # Typed fast and tapped at once: the copy must still be sealed with every letter of the passphrase.
        type_into(page, "Wachtwoord voor de kopie (mag leeg blijven)", "zee en wind 7")
        field = page.get_by_role("textbox", name="Wachtwoord voor de kopie, nog een keer")
        field.click()
        expect(field).to_be_focused()
        field.fill("zee en wind 7")
        page.get_by_role("button", name="Kopie maken").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Kopie downloaden").click()
        copy = tmp_path / download.value.suggested_filename
        download.value.save_as(copy)
        sealed = copy.read_bytes()
        assert sealed.startswith(b"KOMPAS-SEALED") and NOTE.encode() not in sealed and b"Demo" not in sealed

        # Another device: a wrong passphrase is said plainly, the right one opens it.
        phone = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
        open_from_file_at_first_start(phone, second, copy)
        expect(phone.get_by_text("Dit kompas is op slot met een wachtwoord. Typ het wachtwoord.")).to_be_visible(
            timeout=15_000)
        type_into(phone, "Wachtwoord", "zee en wind 8")
        # The line said above the field pushes the button down: on a phone it may now be below the fold.
        scroll_to(phone, phone.get_by_role("button", name="Openen", exact=True)).click()
        expect(phone.get_by_text("Dat wachtwoord klopt niet. Probeer het nog een keer.")).to_be_visible(timeout=15_000)
        assert not (other / "kompassen").exists() or not [p for p in (other / "kompassen").iterdir()
                                                          if not p.name.startswith(".")]
        type_into(phone, "Wachtwoord", "zee en wind 7")
        scroll_to(phone, phone.get_by_role("button", name="Openen", exact=True)).click()
        phone.get_by_role("button", name="Ertoe doen: openen").click(timeout=20_000)
        expect(phone.get_by_text(NOTE, exact=True)).to_be_visible()
        assert requests == []
    finally:
        server.stop()
        second.stop()


def test_replacing_or_erasing_a_kompas_with_a_pin_takes_that_pin_and_going_back_brings_it_back(chromium, tmp_path):
    """A phone with the cookie picks an older copy of Noor on the shelf: the file replaces her only with her PIN,
    and what she held comes back with "Terugzetten ongedaan maken"; erasing her takes the PIN as well."""
    from kompas.domain.model import Condition, Step
    from kompas.store.pin import PinLock, PinOutcome
    from kompas.workbook.session import Library

    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        library = Library(shelf)
        card = shelf.create("Noor", "geel")
        shelf.create("Sam", "blauw")  # two on the shelf: no kompas opens by itself
        with shelf.open_store(card.id) as store:
            Workbook(store).add_note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kook graag")
        older = tmp_path / "noor-oud.kompas"
        older.write_bytes(library.pack(card.id))
        library.close()
    with Store.open(kompas_folder(data, "Noor")) as store:
        Workbook(store).add_note(Condition.MEEDOEN, Step.WAARDEN, NOTE)
    assert PinLock(kompas_folder(data, "Noor")).set("2468").outcome is PinOutcome.OK
    with AppServer(data) as server:
        page, _ = open_app(chromium, server.link(), viewport={"width": 390, "height": 1600})
        with page.expect_file_chooser() as chooser:
            scroll_to(page, page.get_by_role("button", name="Kompas openen uit bestand")).click()
        chooser.value.set_files(str(older))
        expect(page.get_by_text("Dit kompas staat al op dit apparaat, als Noor. Wat wil je?")).to_be_visible(
            timeout=20_000)
        before = (kompas_folder(data, "Noor") / "kompas.json").read_bytes()
        type_into(page, "PIN van Noor", "1357")
        page.get_by_role("button", name="Vervangen door het bestand").click()
        expect(page.get_by_text("Dat is niet de goede PIN. Probeer het nog een keer.")).to_be_visible(timeout=20_000)
        assert (kompas_folder(data, "Noor") / "kompas.json").read_bytes() == before
        type_into(page, "PIN van Noor", "2468")
        page.get_by_role("button", name="Vervangen door het bestand").click()
        # In, and at Noor's door: the PIN stays hers.
        type_into(page, "PIN", "2468")
        page.get_by_role("button", name="Openen").click()
        page.get_by_role("button", name="Kopie en meenemen").click(timeout=20_000)
        scroll_to(page, page.get_by_role("button", name="Terugzetten ongedaan maken")).click()
        page.get_by_role("button", name="Terug naar mijn kompas").click()
        page.get_by_role("button", name="Meedoen: openen").click()
        expect(page.get_by_text(NOTE, exact=True)).to_be_visible(timeout=15_000)

        # Erasing Noor takes her name and her PIN, on this screen.
        page.get_by_role("button", name="Terug naar mijn kompas").click()
        page.get_by_role("button", name="Slot en wissen").click()
        type_into(page, "Typ ter bevestiging de naam: Noor", "Noor")
        type_into(page, "PIN van dit kompas", "1357")
        scroll_to(page, page.get_by_role("button", name="Dit kompas wissen")).click()
        expect(page.get_by_text("Dat is niet de goede PIN. Probeer het nog een keer.")).to_be_visible(timeout=20_000)
        assert kompas_folder(data, "Noor").is_dir()
        type_into(page, "PIN van dit kompas", "2468")
        scroll_to(page, page.get_by_role("button", name="Dit kompas wissen")).click()
        expect(page.get_by_role("button", name="Sam openen")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("button", name="Noor openen")).to_have_count(0)
