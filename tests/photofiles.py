"""Real image files made for the tests: phone photos up to 200 MP, files full of metadata, and the bad-file corpus."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import ExifTags, Image, ImageCms, ImageDraw, PngImagePlugin

# Planted in every kind of metadata the corpus carries: no stored photo or thumbnail may contain it.
SECRET = "Kerkstraat 12, Utrecht"


def phone_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: the turn, the camera, the time, and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.DateTime] = "2026:11:21 10:15:00"
    exif[ExifTags.Base.ImageDescription] = SECRET
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 5.0, 33.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 18.0, 7.0)
    return exif


def phone_photo(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    """A 12 MP JPEG as a phone writes it: stored sideways, turned by EXIF, with a place and a camera."""
    image = Image.new("RGB", (width, height), (90, 140, 200))
    draw = ImageDraw.Draw(image)
    # A mark in the stored top-left corner, to see where it ends up after turning.
    draw.rectangle((0, 0, width // 4, height // 4), fill=(220, 40, 40))
    for x in range(0, width, 97):
        draw.line((x, 0, width - x, height), fill=(x % 255, 90, 60), width=9)
    return encoded(image, "JPEG", quality=90, exif=phone_exif(orientation))


def detailed_phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12 MP JPEG with the fine detail of a real phone photo (sensor noise everywhere), so about 4 MB as a phone
    writes it, where phone_photo's flat colours make 1 MB: what a browser really sends, and what a decoder really does."""
    import os

    base = Image.open(io.BytesIO(phone_photo(width, height))).convert("RGB")
    noise = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    return encoded(Image.blend(base, noise, 0.12), "JPEG", quality=90, exif=phone_exif(orientation=6))


def big_phone_photo(width: int, height: int) -> bytes:
    """A real JPEG as a 108 or 200 MP phone writes it (sideways, orientation 6, a place), made in well under a second.

    Encoding a picture that big takes seconds and gigabytes, so one band of 16 rows (a row of 4:2:0 blocks) is
    encoded, and then repeated down the picture, each copy after a restart marker: the decoder starts afresh there,
    so every copy decodes the same. The stored left quarter is red: upright, that is the top.
    """
    rows = Image.new("RGB", (width, 16), (90, 140, 200))
    draw = ImageDraw.Draw(rows)
    draw.rectangle((0, 0, width // 4, 16), fill=(220, 40, 40))
    for x in range(width // 4, width, 29):  # some detail, so the decoder has real work
        draw.line((x, 0, x + 15, 15), fill=(x % 255, 90, 60), width=3)
    band = Image.new("RGB", (width, 32))
    band.paste(rows, (0, 0))
    band.paste(rows, (0, 16))
    # Two rows of blocks with a restart marker between them, [row] RST0 [row] EOI, and both rows the same bytes.
    small = encoded(band, "JPEG", quality=90, subsampling="4:2:0", restart_marker_rows=1,
                    exif=phone_exif(orientation=6))
    scan = small.index(b"\xff\xda")
    scan += 2 + int.from_bytes(small[scan + 2:scan + 4], "big")
    restart = small.index(b"\xff\xd0", scan)
    row = small[scan:restart]
    assert small[restart + 2:-2] == row, "both rows of blocks encode the same"
    header = bytearray(small[:scan])
    frame = header.index(b"\xff\xc0")
    assert header[frame + 5:frame + 9] == struct.pack(">HH", 32, width), "the frame header, not EXIF bytes"
    header[frame + 5:frame + 7] = height.to_bytes(2, "big")
    block_rows = -(-height // 16)
    copies = b"".join(bytes((0xFF, 0xD0 + n % 8)) + row for n in range(block_rows - 1))
    return bytes(header) + row + copies + b"\xff\xd9"


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 64), (i * 80, 40, 200 - i * 60)) for i in range(3)]
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny black-and-white PNG whose header claims width x height pixels; only its first rows are really there."""
    row = bytes(1 + (width + 7) // 8)  # filter byte 0 and the row's bits, all zero

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit per pixel, greyscale
    pixels = zlib.compress(row * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def bomb_png() -> bytes:
    """A tiny file that claims to be 30000 x 30000 pixels."""
    return png_claiming(30_000, 30_000)


def jpeg_claiming(width: int, height: int, progressive: bool = False) -> bytes:
    """A tiny JPEG whose header claims to be width x height pixels."""
    data = bytearray(encoded(Image.new("RGB", (16, 16), "gray"), "JPEG", progressive=progressive))
    frame = data.index(b"\xff\xc2" if progressive else b"\xff\xc0")
    data[frame + 5:frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# Metadata of every kind, each carrying the secret


def xmp_packet(extra: str = "") -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:hdrgm="http://ns.adobe.com/hdr-gain-map/1.0/" '
        f'photoshop:City="{SECRET}" exif:GPSLatitude="52,5.55N" exif:GPSLongitude="4,18.12E"{extra}/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def photoshop_iptc_segment() -> bytes:
    """An APP13 segment as Photoshop writes it, with the city in an IPTC record."""
    city = SECRET.encode()
    iptc = b"\x1c\x02\x5a" + struct.pack(">H", len(city)) + city  # record 2, dataset 90: City
    iptc += b"\x00" * (len(iptc) % 2)
    resource = b"8BIM" + b"\x04\x04" + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", 2 + len(body)) + body


def display_p3_icc() -> bytes:
    """A wide-gamut profile: Little CMS's sRGB with the Display P3 primaries put in (D50, as in Apple's profile)."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    primaries = {b"rXYZ": (0.5151, 0.2412, -0.0011), b"gXYZ": (0.2920, 0.6922, 0.0419),
                 b"bXYZ": (0.1571, 0.0666, 0.7841)}
    (count,) = struct.unpack(">I", icc[128:132])
    for n in range(count):
        tag, offset, _size = struct.unpack(">4sII", icc[132 + 12 * n:144 + 12 * n])
        if tag in primaries:
            icc[offset + 8:offset + 20] = b"".join(struct.pack(">i", round(v * 65536)) for v in primaries[tag])
    old, new = "sRGB built-in".encode("utf-16-be"), "Display P3 1a".encode("utf-16-be")
    assert old in icc and len(old) == len(new)
    icc = icc.replace(old, new)
    icc[84:100] = bytes(16)  # The profile ID, a checksum of the contents, no longer holds: zero means "none".
    return bytes(icc)


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def picture(colour: tuple[int, int, int] = (90, 140, 200)) -> Image.Image:
    """A small photo with a red mark in its top-left corner."""
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((0, 0, 160, 120), fill=(220, 40, 40))
    return image


def png_full_of_metadata() -> bytes:
    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Location", SECRET)  # tEXt
    chunks.add_text("Comment", SECRET, zip=True)  # zTXt
    chunks.add_itxt("Description", SECRET, lang="nl", tkey="Beschrijving")  # iTXt
    chunks.add_itxt("XML:com.adobe.xmp", xmp_packet().decode())
    return encoded(picture(), "PNG", pnginfo=chunks, exif=phone_exif(), icc_profile=srgb_icc())


def heic_with_exif() -> bytes | None:
    """An iPhone-like HEIC with EXIF and XMP, or None where pillow-heif cannot write HEIC."""
    try:
        import pillow_heif

        heif = pillow_heif.from_pillow(picture())
        buffer = io.BytesIO()
        heif.save(buffer, quality=80, exif=phone_exif().tobytes(), xmp=xmp_packet())
        return buffer.getvalue()
    except (ImportError, ValueError, RuntimeError):
        return None


def mpo(first: Image.Image, second: Image.Image, **options) -> bytes:
    """A JPEG with a second picture after it, as MPO cameras and Ultra HDR phones write it."""
    return encoded(first, "MPO", save_all=True, append_images=[second], **options)


def stereo_mpo() -> bytes:
    """A 3D camera's MPO: left and right eye, each with its own EXIF; the left one is the photo."""
    right = picture((40, 160, 60))
    return mpo(picture(), right, exif=phone_exif(orientation=6))


def ultra_hdr() -> bytes:
    """An Ultra HDR photo as Android phones take them: the photo, then a grey gain map at a quarter of its size."""
    gain_map = Image.new("L", (160, 120), 200)
    return mpo(picture(), gain_map, exif=phone_exif(orientation=6),
               xmp=xmp_packet(' hdrgm:Version="1.0"'))


def metadata_corpus() -> dict[str, bytes | None]:
    """Every kind of metadata a photo can bring, one file each; None where this machine cannot write the format."""
    return {
        "JPEG with a comment (COM)": encoded(picture(), "JPEG", comment=SECRET),
        "JPEG with EXIF and GPS (APP1)": encoded(picture(), "JPEG", exif=phone_exif(orientation=6)),
        "JPEG with XMP (APP1)": encoded(picture(), "JPEG", xmp=xmp_packet()),
        "JPEG with an ICC profile (APP2)": encoded(picture(), "JPEG", icc_profile=display_p3_icc()),
        "JPEG with IPTC (APP13)": encoded(picture(), "JPEG", extra=photoshop_iptc_segment()),
        "JPEG with all of it": encoded(picture(), "JPEG", comment=SECRET, exif=phone_exif(orientation=6),
                                       xmp=xmp_packet(), icc_profile=display_p3_icc(),
                                       extra=photoshop_iptc_segment()),
        "PNG with text, EXIF and ICC": png_full_of_metadata(),
        "WebP with EXIF, XMP and ICC": encoded(picture(), "WEBP", exif=phone_exif(), xmp=xmp_packet(),
                                               icc_profile=srgb_icc()),
        "HEIC with EXIF and XMP": heic_with_exif(),
        "GIF with a comment": encoded(picture().convert("P"), "GIF", comment=SECRET),
        "TIFF with EXIF and ICC": encoded(picture(), "TIFF", exif=phone_exif(), icc_profile=srgb_icc(),
                                          description=SECRET),
        "MPO (3D camera)": stereo_mpo(),
        "Ultra HDR (gain map)": ultra_hdr(),
    }


def zip_in_scan_data(jpeg: bytes, secret: bytes) -> bytes:
    """A JPEG that is also a ZIP: the ZIP (holding `secret`) sits in the scan data, just before the end marker, where a
    decoder skips it and a ZIP reader finds it. Made without an FF byte, so the scan stays a valid one."""
    for salt in range(1000):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr(f"lees{salt}.txt", secret)
        packed = buffer.getvalue()
        if b"\xff" not in packed:
            assert jpeg.endswith(b"\xff\xd9")
            return jpeg[:-2] + packed + b"\xff\xd9"
    raise AssertionError("no ZIP without an FF byte")
