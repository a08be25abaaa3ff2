"""Bringing a photo onto the device safely: upright, at most 1600 px, with no EXIF (no location), plus a thumbnail."""

from __future__ import annotations

import enum
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["LONG_SIDE", "THUMB_SIDE", "ImportedPhoto", "PhotoProblem", "import_photo", "PHOTO_FOLDER"]

LONG_SIDE = 1600
THUMB_SIDE = 320
PHOTO_FOLDER = "photos"
# Far more than any phone camera (a 200 MP sensor is 200_000_000): larger is an attack, not a photo.
MAX_PIXELS = 120_000_000

try:  # iPhones save HEIC; the wheel exists for the desktop, not always for a phone build.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - depends on the platform
    HEIC = False


class PhotoProblem(enum.Enum):
    """Why a file did not become a photo; only the UI turns this into words."""

    EMPTY = "empty"
    NOT_AN_IMAGE = "not_an_image"
    DAMAGED = "damaged"
    TOO_BIG = "too_big"
    ANIMATED = "animated"
    HEIC_UNSUPPORTED = "heic_unsupported"
    NOT_SAVED = "not_saved"


@dataclass(frozen=True)
class ImportedPhoto:
    """Where the cleaned photo and its thumbnail were saved, relative to the data folder."""

    file: str
    thumb: str
    width: int
    height: int


def _is_heic(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc")


def _decode(data: bytes) -> Image.Image | PhotoProblem:
    if not data:
        return PhotoProblem.EMPTY
    if _is_heic(data) and not HEIC:
        return PhotoProblem.HEIC_UNSUPPORTED
    with warnings.catch_warnings():
        # Pillow only warns up to twice its own limit; here any oversized picture stops.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                return PhotoProblem.TOO_BIG
            if getattr(image, "n_frames", 1) > 1:
                return PhotoProblem.ANIMATED
            if image.format == "JPEG":
                # Decode at the nearest size above what is kept: half the work for a 12 MP photo.
                scale = LONG_SIDE / max(image.size)
                if scale < 1:
                    image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return PhotoProblem.TOO_BIG
        except UnidentifiedImageError:
            return PhotoProblem.NOT_AN_IMAGE
        except (OSError, SyntaxError, ValueError, EOFError):
            return PhotoProblem.DAMAGED
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """CMYK, 16-bit, palette and see-through pictures all become plain RGB; see-through parts turn white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _save_jpeg(image: Image.Image, path: Path, quality: int) -> None:
    # No exif= argument: nothing of the original's EXIF (place, camera, time) is written.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=False)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(buffer.getvalue())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def import_photo(data: bytes, data_dir: Path, photo_id: str) -> ImportedPhoto | PhotoProblem:
    """Clean and store one photo; nothing is written unless the whole photo could be read."""
    image = _decode(data)
    if isinstance(image, PhotoProblem):
        return image
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError):
        pass  # A broken orientation tag: keep the picture as it was taken rather than refuse it.
    image = _to_rgb(image)
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    folder = data_dir / PHOTO_FOLDER
    name, thumb_name = f"{photo_id}.jpg", f"{photo_id}-klein.jpg"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _save_jpeg(image, folder / name, 88)
        _save_jpeg(thumb, folder / thumb_name, 80)
    except OSError:
        for leftover in (folder / name, folder / thumb_name):
            leftover.unlink(missing_ok=True)
        return PhotoProblem.NOT_SAVED
    return ImportedPhoto(f"{PHOTO_FOLDER}/{name}", f"{PHOTO_FOLDER}/{thumb_name}", image.width, image.height)
