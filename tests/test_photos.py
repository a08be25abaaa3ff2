"""The photo pipeline on real files: upright, no metadata, at most 1600 px, a thumbnail, and bad files refused cleanly."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from photofiles import (
    SECRET,
    animated_gif,
    big_phone_photo,
    bomb_png,
    display_p3_icc,
    encoded,
    jpeg_claiming,
    metadata_corpus,
    phone_photo,
    png_claiming,
    srgb_icc,
    stereo_mpo,
    ultra_hdr,
)
from PIL import Image, ImageCms, JpegImagePlugin

from kompas.media.photos import LONG_SIDE, THUMB_SIDE, ImportedPhoto, PhotoProblem, import_photo

APP0, APP1, APP2, APP13, COM = 0xE0, 0xE1, 0xE2, 0xED, 0xFE


def jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """The markers of a JPEG file from SOI to EOI, each with its contents, and whatever follows EOI."""
    assert data[:2] == b"\xff\xd8", "a JPEG starts with SOI"
    segments, pos = [], 2
    while True:
        assert data[pos] == 0xFF, f"a marker at byte {pos}"
        while data[pos] == 0xFF:  # fill bytes may stand before a marker
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return segments, data[pos:]
        length = int.from_bytes(data[pos:pos + 2], "big")
        segments.append((marker, data[pos + 2:pos + length]))
        pos += length
        if marker == 0xDA:  # SOS: compressed data up to the next marker that is not a restart or an escaped 0xFF
            pos = data.index(b"\xff", pos)
            while data[pos + 1] == 0 or 0xD0 <= data[pos + 1] <= 0xD7:
                pos = data.index(b"\xff", pos + 2)


def metadata_segments(data: bytes) -> list[tuple[int, bytes]]:
    """Every APPn and COM segment, each with the first bytes saying what it holds; and nothing after the picture."""
    segments, rest = jpeg_segments(data)
    assert rest == b"", "nothing after the end of the picture, such as a second picture"
    return [(marker, body[:5]) for marker, body in segments if APP0 <= marker <= 0xEF or marker == COM]


JFIF_ONLY = [(APP0, b"JFIF\x00")]


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    # Only the JFIF header: no COM, no EXIF or XMP (APP1), no ICC (APP2), no IPTC (APP13), no APPn of any kind.
    assert metadata_segments(data) == JFIF_ONLY
    assert SECRET.encode() not in data


def test_a_phone_photo_is_stored_upright_small_and_without_exif(tmp_path):
    result = import_photo(phone_photo(), tmp_path, "p1")
    assert isinstance(result, ImportedPhoto)
    with Image.open(tmp_path / result.file) as stored:
        assert not stored.getexif(), "no EXIF at all: no place, camera or time"
        assert "exif" not in stored.info
        # Stored 4000 x 3000 and turned by orientation 6: it stands upright, 1200 x 1600.
        assert stored.size == (1200, 1600)
        # The red mark from the stored top-left corner is now at the top right.
        assert stored.getpixel((stored.width - 20, 20))[0] > 180
        assert stored.getpixel((20, 20))[0] < 150
    with Image.open(tmp_path / result.thumb) as thumb:
        assert max(thumb.size) == THUMB_SIDE and not thumb.getexif()
        assert thumb.getpixel((thumb.width - 40, 10))[0] > 180, "the thumbnail stands upright too"


CORPUS = metadata_corpus()


@pytest.mark.parametrize("name", list(CORPUS))
def test_no_metadata_of_any_kind_reaches_the_photo_or_its_thumbnail(tmp_path, name):
    if CORPUS[name] is None:
        pytest.skip("pillow-heif cannot write HEIC on this machine")
    result = import_photo(CORPUS[name], tmp_path, "m")
    assert isinstance(result, ImportedPhoto)
    assert_no_metadata(tmp_path / result.file)
    assert_no_metadata(tmp_path / result.thumb)


@pytest.mark.parametrize("name, markers, after", [
    ("JPEG with a comment (COM)", {COM}, False),
    ("JPEG with EXIF and GPS (APP1)", {APP1}, False),
    ("JPEG with XMP (APP1)", {APP1}, False),
    ("JPEG with an ICC profile (APP2)", {APP2}, False),
    ("JPEG with IPTC (APP13)", {APP13}, False),
    ("JPEG with all of it", {COM, APP1, APP2, APP13}, False),
    ("MPO (3D camera)", {APP1, APP2}, True),
    ("Ultra HDR (gain map)", {APP1, APP2}, True),
])
def test_the_segment_walker_sees_the_metadata_in_the_originals(name, markers, after):
    """Without this, the test above could pass because the walker misses segments, not because there are none."""
    segments, rest = jpeg_segments(CORPUS[name])
    assert markers <= {marker for marker, _ in segments}
    assert rest.startswith(b"\xff\xd8") is after, "MPO and Ultra HDR carry a second picture after the first"


@pytest.mark.parametrize("make, other", [(stereo_mpo, "the right eye"), (ultra_hdr, "the gain map")])
def test_a_photo_with_a_second_picture_inside_is_taken_as_its_first(tmp_path, make, other):
    result = import_photo(make(), tmp_path, "mpo")
    assert isinstance(result, ImportedPhoto), "an MPO or Ultra HDR photo is not refused as animated"
    with Image.open(tmp_path / result.file) as stored:
        # The first picture, 640 x 480 and turned upright by its EXIF, with its red mark now at the top right.
        assert stored.format == "JPEG" and stored.size == (480, 640)
        assert stored.getpixel((stored.width - 20, 20))[0] > 180
        # Its own blue, not the green or grey of the second picture.
        assert all(abs(a - b) < 12 for a, b in zip(stored.getpixel((240, 400)), (90, 140, 200))), other
    assert_no_metadata(tmp_path / result.file)


@pytest.mark.parametrize("profile", ["Display P3", "sRGB"])
def test_colours_stay_as_the_profile_meant_them_once_it_is_dropped(tmp_path, profile):
    icc = display_p3_icc() if profile == "Display P3" else srgb_icc()
    colour = (200, 100, 50)
    result = import_photo(encoded(Image.new("RGB", (2400, 1800), colour), "JPEG", quality=95, icc_profile=icc),
                          tmp_path, "c")
    meant = ImageCms.profileToProfile(Image.new("RGB", (1, 1), colour), ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                      ImageCms.createProfile("sRGB")).getpixel((0, 0))
    if profile == "Display P3":
        assert max(abs(a - b) for a, b in zip(meant, colour)) > 10, "P3 and sRGB numbers differ for this colour"
    for stored in (result.file, result.thumb):
        with Image.open(tmp_path / stored) as image:
            assert "icc_profile" not in image.info
            assert all(abs(a - b) <= 3 for a, b in zip(image.getpixel((100, 60)), meant)), stored


@pytest.fixture(scope="module")
def big_photos() -> dict[int, bytes]:
    """A 108 MP (12000 x 9000) and a 200 MP (16320 x 12240) phone JPEG, about 25 and 47 MB."""
    return {108: big_phone_photo(12_000, 9_000), 200: big_phone_photo(16_320, 12_240)}


def memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


@pytest.mark.parametrize("megapixels", [108, 200])
def test_a_108_or_200_mp_phone_photo_imports_upright_small_and_cheaply(tmp_path, big_photos, megapixels):
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak memory (VmHWM) starts again from here
    except OSError:
        pytest.skip("measuring peak memory needs Linux")
    before = memory_kb("VmHWM")
    result = import_photo(big_photos[megapixels], tmp_path, "big")
    rise_mb = (memory_kb("VmHWM") - before) / 1024
    assert isinstance(result, ImportedPhoto)
    # Decoded whole, the 200 MP photo alone takes 800 MB; at 1/8 of its size (draft), about 12 MB.
    assert rise_mb < 150, f"{rise_mb:.0f} MB"
    with Image.open(tmp_path / result.file) as stored:
        assert stored.size == (1200, LONG_SIDE), "stood up by its EXIF orientation, and at most 1600 px"
        # The red stored left quarter is now the top.
        assert stored.getpixel((600, 20))[0] > 180 and stored.getpixel((600, LONG_SIDE - 20))[0] < 150
    assert_no_metadata(tmp_path / result.file)
    assert_no_metadata(tmp_path / result.thumb)


@pytest.mark.parametrize("size, decoded", [
    ((4000, 3000), (2000, 1500)),
    ((3000, 4000), (1500, 2000)),
    ((3200, 2399), (1600, 1200)),  # a rounded-up short side once ruled out the half size
    ((6400, 4800), (1600, 1200)),
    ((1700, 1200), (1700, 1200)),
])
def test_a_jpeg_is_decoded_at_the_smallest_size_that_still_gives_1600_px(tmp_path, monkeypatch, size, decoded):
    sizes = []
    load = JpegImagePlugin.JpegImageFile.load

    def watched_load(self):
        sizes.append(self.size)
        return load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", watched_load)
    result = import_photo(encoded(Image.new("L", size, 128), "JPEG"), tmp_path, "d")
    assert isinstance(result, ImportedPhoto) and max(result.width, result.height) == min(LONG_SIDE, max(size))
    assert sizes[0] == decoded


def test_no_original_is_kept(tmp_path):
    result = import_photo(phone_photo(), tmp_path, "p2")
    files = sorted(p.name for p in (tmp_path / "photos").iterdir())
    assert files == sorted([result.file.split("/")[1], result.thumb.split("/")[1]])
    assert all((tmp_path / "photos" / f).stat().st_size < 1_000_000 for f in files)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_png_webp_and_jpeg_work(tmp_path, fmt):
    result = import_photo(encoded(Image.new("RGB", (2400, 1200), "orange"), fmt), tmp_path, fmt)
    assert isinstance(result, ImportedPhoto)
    assert (result.width, result.height) == (LONG_SIDE, 800)


@pytest.mark.parametrize("name, image", [
    ("cmyk", Image.new("CMYK", (300, 200), (0, 200, 200, 0))),
    ("16-bit", Image.new("I;16", (300, 200), 40000)),
    ("transparent", Image.new("RGBA", (300, 200), (255, 0, 0, 0))),
])
def test_cmyk_16_bit_and_transparent_pictures_become_plain_photos(tmp_path, name, image):
    fmt = "JPEG" if name == "cmyk" else "PNG"
    result = import_photo(encoded(image, fmt), tmp_path, name)
    assert isinstance(result, ImportedPhoto)
    with Image.open(tmp_path / result.file) as stored:
        assert stored.mode == "RGB"
        if name == "transparent":
            assert stored.getpixel((10, 10)) == (255, 255, 255), "see-through turns white, not black"


def test_heic_from_an_iphone_works(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    heif = pillow_heif.from_pillow(Image.new("RGB", (2000, 1500), "teal"))
    buffer = io.BytesIO()
    heif.save(buffer, quality=80)
    result = import_photo(buffer.getvalue(), tmp_path, "heic")
    assert isinstance(result, ImportedPhoto) and result.width == LONG_SIDE


BAD_FILES = {
    "zero bytes": (b"", PhotoProblem.EMPTY),
    "not an image": (b"Dit is een brief, geen foto.\n" * 20, PhotoProblem.NOT_AN_IMAGE),
    "truncated": (phone_photo(800, 600)[:5000], PhotoProblem.DAMAGED),
    "decompression bomb": (bomb_png(), PhotoProblem.TOO_BIG),
    # PNG, WebP and HEIC are decoded whole, so they keep a lower limit than JPEG.
    "100 MP PNG": (png_claiming(10_000, 10_000), PhotoProblem.TOO_BIG),
    "240 MP JPEG": (jpeg_claiming(20_000, 12_000), PhotoProblem.TOO_BIG),
    # A progressive JPEG is kept in memory whole while it is decoded, however small it is drafted.
    "100 MP progressive JPEG": (jpeg_claiming(10_000, 10_000, progressive=True), PhotoProblem.TOO_BIG),
    "animated": (animated_gif(), PhotoProblem.ANIMATED),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_and_nothing_is_written(tmp_path, name):
    data, problem = BAD_FILES[name]
    import_photo(phone_photo(400, 300), tmp_path, "good")
    before = sorted(p.name for p in (tmp_path / "photos").iterdir())
    assert import_photo(data, tmp_path, "bad") is problem
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == before


def test_a_failed_save_leaves_no_file_behind_not_even_a_temporary_one(tmp_path, monkeypatch):
    import_photo(phone_photo(400, 300), tmp_path, "good")
    before = sorted(p.name for p in (tmp_path / "photos").iterdir())
    replace = os.replace

    def disk_full_at_the_thumbnail(source, target):
        if str(target).endswith("-klein.jpg"):
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", disk_full_at_the_thumbnail)
    assert import_photo(phone_photo(400, 300), tmp_path, "bad") is PhotoProblem.NOT_SAVED
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == before


def test_a_jpeg_that_is_also_a_zip_is_encoded_anew(tmp_path):
    """A photo exactly as the app writes one, with a ZIP in its scan data: what is kept is a picture and nothing more."""
    import zipfile

    from photofiles import zip_in_scan_data

    first = import_photo(phone_photo(1600, 1200), tmp_path, "a" * 32)
    clean = (tmp_path / first.file).read_bytes()
    polyglot = zip_in_scan_data(clean, b"geheim adres: Dorpsstraat 1")
    assert zipfile.is_zipfile(io.BytesIO(polyglot)), "the file under test is a ZIP too"
    imported = import_photo(polyglot, tmp_path, "b" * 32)
    assert isinstance(imported, ImportedPhoto)
    kept = (tmp_path / imported.file).read_bytes()
    assert b"geheim" not in kept and not zipfile.is_zipfile(io.BytesIO(kept))
    with Image.open(io.BytesIO(kept)) as image, Image.open(io.BytesIO(clean)) as original:
        assert image.size == original.size and max(image.size) == LONG_SIDE
