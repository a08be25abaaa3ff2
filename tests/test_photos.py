"""The photo pipeline on real files: upright, no EXIF, at most 1600 px, a thumbnail, and bad files refused cleanly."""

from __future__ import annotations

import pytest
from photofiles import animated_gif, bomb_png, encoded, phone_photo
from PIL import Image

from kompas.photos import LONG_SIDE, THUMB_SIDE, ImportedPhoto, PhotoProblem, import_photo


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
    import io
    buffer = io.BytesIO()
    heif.save(buffer, quality=80)
    result = import_photo(buffer.getvalue(), tmp_path, "heic")
    assert isinstance(result, ImportedPhoto) and result.width == LONG_SIDE


BAD_FILES = {
    "zero bytes": (b"", PhotoProblem.EMPTY),
    "not an image": (b"Dit is een brief, geen foto.\n" * 20, PhotoProblem.NOT_AN_IMAGE),
    "truncated": (phone_photo(800, 600)[:5000], PhotoProblem.DAMAGED),
    "decompression bomb": (bomb_png(), PhotoProblem.TOO_BIG),
    "animated": (animated_gif(), PhotoProblem.ANIMATED),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_and_nothing_is_written(tmp_path, name):
    data, problem = BAD_FILES[name]
    import_photo(phone_photo(400, 300), tmp_path, "good")
    before = sorted(p.name for p in (tmp_path / "photos").iterdir())
    assert import_photo(data, tmp_path, "bad") is problem
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == before
