"""Real image files made for the tests: a 12 MP phone photo with GPS and orientation, and the bad-file corpus."""

from __future__ import annotations

import io

from PIL import ExifTags, Image, ImageDraw


def phone_photo(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    """A 12 MP JPEG as a phone writes it: stored sideways, turned by EXIF, with a place and a camera."""
    image = Image.new("RGB", (width, height), (90, 140, 200))
    draw = ImageDraw.Draw(image)
    # A mark in the stored top-left corner, to see where it ends up after turning.
    draw.rectangle((0, 0, width // 4, height // 4), fill=(220, 40, 40))
    for x in range(0, width, 97):
        draw.line((x, 0, width - x, height), fill=(x % 255, 90, 60), width=9)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.DateTime] = "2026:11:21 10:15:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 5.0, 33.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 18.0, 7.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 64), (i * 80, 40, 200 - i * 60)) for i in range(3)]
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def bomb_png() -> bytes:
    """A tiny file that claims to be 30000 x 30000 pixels."""
    return encoded(Image.new("1", (30_000, 30_000)), "PNG", optimize=True)
