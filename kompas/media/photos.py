"""Bringing a photo onto the device safely: upright, at most 1600 px, with no metadata at all, plus a thumbnail."""

from __future__ import annotations

import enum
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageCms, JpegImagePlugin, UnidentifiedImageError

from kompas.base.files import sync_folder, write_atomically, write_new

__all__ = ["LONG_SIDE", "THUMB_SIDE", "ImportedPhoto", "PhotoProblem", "import_photo", "is_kept_size", "PHOTO_FOLDER"]

LONG_SIDE = 1600
THUMB_SIDE = 320
PHOTO_FOLDER = "photos"
# A 200 MP phone camera writes 16320 x 12240 = 199.8 MP. A JPEG is decoded at 1/2 to 1/8 of its size, so even that
# costs little; a bigger one is an attack, not a photo.
MAX_JPEG_PIXELS = 200_000_000
# PNG, WebP and HEIC are always decoded whole: 90 MP is already 360 MB in memory, and more than a phone saves in
# these formats (an iPhone's HEIC is at most 48 MP).
MAX_PIXELS = 90_000_000

try:  # iPhones save HEIC; the wheel exists for the desktop, not always for a phone build.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - depends on the platform
    HEIC = False

try:  # A phone build of Pillow may lack Little CMS; colour profiles are then dropped unconverted.
    _SRGB = ImageCms.createProfile("sRGB")
except ImportError:  # pragma: no cover - depends on the platform
    _SRGB = None

# The turn that makes a picture upright, by its EXIF orientation (as in ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


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


def _open(data: bytes) -> Image.Image:
    """The picture with its header read, its pixels not yet."""
    if data[:3] == b"\xff\xd8\xff":
        # What Image.open does for a JPEG (MPO included) minus Pillow's 89 MP check, which would refuse a 108 MP
        # phone photo before draft() makes it cheap; MAX_JPEG_PIXELS holds instead.
        return JpegImagePlugin.jpeg_factory(io.BytesIO(data))
    return Image.open(io.BytesIO(data))


def _decode(data: bytes) -> tuple[Image.Image, tuple[float, float]] | PhotoProblem:
    """The pixels, decoded no bigger than needed, and the size of the whole picture in them."""
    if not data:
        return PhotoProblem.EMPTY
    if _is_heic(data) and not HEIC:
        return PhotoProblem.HEIC_UNSUPPORTED
    with warnings.catch_warnings():
        # The limits here decide; above twice its own limit Pillow still raises, and that is too big here as well.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = _open(data)
            whole = image.size
            if isinstance(image, JpegImagePlugin.JpegImageFile):
                # An MPO or Ultra HDR file is a JPEG with more pictures after it (stereo, depth, a gain map): the
                # first is the photo and the others are never read, so it is not refused as animated.
                # A progressive JPEG is held in memory whole before any scaling (libjpeg keeps all its scans), so it
                # gets the limit of the formats decoded whole; phone cameras write baseline JPEGs.
                limit = MAX_PIXELS if image.info.get("progressive") else MAX_JPEG_PIXELS
                if image.width * image.height > limit:
                    return PhotoProblem.TOO_BIG
                # Decode at the smallest scale (1/2, 1/4, 1/8) still at least LONG_SIDE long. Only the long side is
                # asked for: naming the short side too could, rounded up, rule out the scale that fits.
                drafted = image.draft(None, (LONG_SIDE, 1) if image.width >= image.height else (1, LONG_SIDE))
                if drafted is not None:
                    whole = drafted[1][2:]
            elif getattr(image, "n_frames", 1) > 1:
                return PhotoProblem.ANIMATED
            if image.width * image.height > MAX_PIXELS:  # the size really decoded, after any draft
                return PhotoProblem.TOO_BIG
            image.load()
        except Image.DecompressionBombError:
            return PhotoProblem.TOO_BIG
        except UnidentifiedImageError:
            return PhotoProblem.NOT_AN_IMAGE
        except (OSError, SyntaxError, ValueError, EOFError):
            return PhotoProblem.DAMAGED
    return image, whole


def is_kept_size(data: bytes) -> bool:
    """Whether the picture is, by its header, no bigger than the app keeps photos (LONG_SIDE): a photo of the app's
    own, so cheap to decode. Bigger ones (up to 90 MP whole in memory) are taken in one at a time."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with _open(data) as image:
                return max(image.size) <= LONG_SIDE
        except Exception:  # noqa: BLE001 - whatever a header does, import_photo itself tells what is wrong
            return False


def _upright_turn(image: Image.Image) -> Image.Transpose | None:
    try:
        return _UPRIGHT.get(image.getexif().get(ExifTags.Base.Orientation))
    except (OSError, ValueError, SyntaxError, TypeError):
        return None  # A broken orientation tag: keep the picture as it was taken rather than refuse it.


def _to_rgb(image: Image.Image) -> Image.Image:
    """CMYK, 16-bit, palette and see-through pictures all become plain RGB; see-through parts turn white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _in_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """The colours the photo's profile meant, in sRGB: the profile is not kept (it is metadata too), and unconverted
    a wide-gamut photo (Display P3, as iPhones take them) would look dull."""
    if not icc or _SRGB is None:
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "sRGB" in ImageCms.getProfileDescription(profile):
            return image  # Already sRGB: converting would cost time and change nothing.
        return ImageCms.profileToProfile(image, profile, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # A broken profile, or a CMYK or grey one: the colours as stored are the best guess.


def _fit(size: tuple[float, float], side: int) -> tuple[int, int]:
    """The size that fits a square of `side`, keeping the aspect ratio; a smaller picture keeps its own."""
    scale = min(1, side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _shrink(image: Image.Image, size: tuple[int, int], whole: tuple[float, float]) -> Image.Image:
    """Scale to `size` with BICUBIC, the top and the bottom half at once: Pillow lets go of the GIL while it resamples.

    After draft() a JPEG is less than twice too big, and at such a step BICUBIC looks the same as LANCZOS for four
    fifths of the cost. Other formats come whole: where one is four or more times too big, reducing_gap first
    averages blocks of pixels, leaving a step of at least 2x to BICUBIC.
    """
    if size[1] < 2:
        return image.resize(size, Image.Resampling.BICUBIC, (0, 0, *whole), reducing_gap=2.0)
    half = size[1] // 2
    split = whole[1] * half / size[1]
    with ThreadPoolExecutor(max_workers=1) as helper:
        top = helper.submit(image.resize, (size[0], half), Image.Resampling.BICUBIC, (0, 0, whole[0], split), 2.0)
        bottom = image.resize((size[0], size[1] - half), Image.Resampling.BICUBIC, (0, split, *whole), 2.0)
        shrunk = Image.new(image.mode, size)
        shrunk.paste(top.result(), (0, 0))
    shrunk.paste(bottom, (0, half))
    return shrunk


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def import_photo(data: bytes, data_dir: Path, photo_id: str, fresh: bool = False) -> ImportedPhoto | PhotoProblem:
    """Clean and store one photo; nothing is written unless the whole photo could be read.

    Every photo is encoded anew from its pixels, also one that looks like the app's own: a file can be a JPEG and
    something else at once (a ZIP hidden in its scan data), and only what the encoder writes is sure to be a picture
    and nothing more.

    `fresh`: the data folder is one nothing reads yet (a kompas being taken in from a file): each file is written and
    synced in place, and the caller syncs the photo folder once, after the last photo.
    """
    decoded = _decode(data)
    if isinstance(decoded, PhotoProblem):
        return decoded
    image, whole = decoded
    turn = _upright_turn(image)
    icc = image.info.get("icc_profile")
    image = _to_rgb(image)
    # Scaled before it is turned and its colours converted, so that both work on fewer pixels.
    size = _fit(whole, LONG_SIDE)
    if size != image.size:
        image = _shrink(image, size, whole)
    image = _in_srgb(image, icc)
    if turn is not None:
        image = image.transpose(turn)
    # From here on nothing of the original file goes along: no EXIF (place, camera, time), XMP, profile or comment.
    # Pillow writes only what save() is given, except a comment, which it takes from here.
    image.info = {}
    # 1600 is 5 x 320, so with reducing_gap=1.0 each thumbnail pixel is the average of a 5 x 5 block (reduce): at
    # 320 px that looks the same as LANCZOS, at an eighth of the cost.
    thumb = image.resize(_fit(image.size, THUMB_SIDE), Image.Resampling.BICUBIC, reducing_gap=1.0)
    folder = data_dir / PHOTO_FOLDER
    name, thumb_name = f"{photo_id}.jpg", f"{photo_id}-klein.jpg"
    try:
        photo, small = _jpeg(image, 88), _jpeg(thumb, 80)
        folder.mkdir(parents=True, exist_ok=True)
        if fresh:
            write_new(folder / name, photo)
            write_new(folder / thumb_name, small)
        else:
            # The folder is synced once, after both files are in place.
            write_atomically(folder / name, photo, sync=False)
            write_atomically(folder / thumb_name, small, sync=False)
            sync_folder(folder)
    except OSError:
        for leftover in (folder / name, folder / thumb_name):
            leftover.unlink(missing_ok=True)
        return PhotoProblem.NOT_SAVED
    return ImportedPhoto(f"{PHOTO_FOLDER}/{name}", f"{PHOTO_FOLDER}/{thumb_name}", image.width, image.height)
