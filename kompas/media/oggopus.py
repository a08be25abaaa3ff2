"""A voice note's Ogg Opus file read and rewritten in pure Python: checked page by page, its length found and its tags
taken out, where there is no libsndfile (a phone build).

Ogg (RFC 3533) carries Opus (RFC 7845) in pages: "OggS", a header with a granule position, a serial number, a page
number and a CRC, a table of segment lengths, then the segments, which make up packets. The first packet is OpusHead
(channels, pre-skip, the input's rate), the second OpusTags (a vendor string and "NAME=value" comments: a title, an
artist, a place or a date a recorder may have put there), the rest is sound. The granule position counts 48 kHz
samples, so the last page's, less the pre-skip, is the sound's length.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

__all__ = ["NotOggOpus", "OggOpus", "read", "without_tags"]

_CAPTURE = b"OggS"
_HEADER = struct.Struct("<4sBBqIIIB")  # capture, version, type, granule, serial, page number, crc, segment count
_CONTINUED, _FIRST, _LAST = 0x01, 0x02, 0x04
_OPUS_RATE = 48000
# A note is at most a few minutes of speech: far fewer pages than this, each far smaller than Ogg's 64 kB limit.
_MAX_PAGES = 100_000


class NotOggOpus(ValueError):
    """The bytes are not one whole, unchanged Ogg Opus stream of the kind a voice note is."""


# Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, starting from 0) is zlib's CRC-32 seen in a mirror: zlib's is
# reflected and starts from all ones. So the bits of every byte are turned around, zlib's CRC taken, its start undone
# with the CRC of as many zero bytes, and the result turned around: zlib's speed, in C, without a table of our own.
_MIRROR = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def _crc(data: bytes) -> int:
    mirrored = zlib.crc32(data.translate(_MIRROR)) ^ zlib.crc32(bytes(len(data)))
    return int(f"{mirrored:032b}"[::-1], 2)


@dataclass(frozen=True)
class _Page:
    kind: int
    granule: int
    serial: int
    number: int
    lacing: bytes
    body: bytes

    def encoded(self, number: int | None = None) -> bytes:
        header = _HEADER.pack(_CAPTURE, 0, self.kind, self.granule, self.serial,
                              self.number if number is None else number, 0, len(self.lacing))
        page = header + self.lacing + self.body
        return page[:22] + struct.pack("<I", _crc(page)) + page[26:]


@dataclass(frozen=True)
class OggOpus:
    """What a voice note's file says of itself."""

    channels: int
    input_rate: int  # the rate the sound was recorded at (Opus itself always decodes at 48 kHz)
    seconds: float
    comments: int  # how many tags it carries
    finished: bool  # its last page says it is the last: the recording was stopped, not cut off


def _pages(data: bytes) -> list[_Page]:
    pages, at = [], 0
    while at < len(data):
        if len(pages) >= _MAX_PAGES or len(data) - at < _HEADER.size:
            raise NotOggOpus("cut off or too long")
        capture, version, kind, granule, serial, number, crc, count = _HEADER.unpack_from(data, at)
        if capture != _CAPTURE or version != 0 or kind & ~(_CONTINUED | _FIRST | _LAST):
            raise NotOggOpus("not an Ogg page")
        lacing = data[at + _HEADER.size:at + _HEADER.size + count]
        end = at + _HEADER.size + count + sum(lacing)
        if len(lacing) < count or end > len(data):
            raise NotOggOpus("a page is cut off")
        page = _Page(kind, granule, serial, number, bytes(lacing), data[at + _HEADER.size + count:end])
        if _crc(data[at:at + 22] + b"\0\0\0\0" + data[at + 26:end]) != crc:
            raise NotOggOpus("a page was changed")
        pages.append(page)
        at = end
    return pages


def _packets(pages: list[_Page]) -> list[tuple[bytes, int]]:
    """Each whole packet, with the index of the page it ends on."""
    packets, pending = [], b""
    for index, page in enumerate(pages):
        if bool(page.kind & _CONTINUED) != bool(pending):
            raise NotOggOpus("a packet is broken between pages")
        at = 0
        for size in page.lacing:
            pending += page.body[at:at + size]
            at += size
            if size < 255:
                packets.append((pending, index))
                pending = b""
    if pending:
        raise NotOggOpus("the last packet is cut off")
    return packets


def _parse(data: bytes, require_end: bool) -> tuple[OggOpus, list[_Page], list[_Page]]:
    """What the stream is, its pages, and the pages of its sound (after the two header packets)."""
    pages = _pages(data)
    if len(pages) < 3:
        raise NotOggOpus("no sound in it")
    if {p.serial for p in pages} != {pages[0].serial}:
        raise NotOggOpus("more than one stream")
    if [p.number for p in pages] != list(range(pages[0].number, pages[0].number + len(pages))):
        raise NotOggOpus("a page is missing")
    if not pages[0].kind & _FIRST or any(p.kind & _FIRST for p in pages[1:]) \
            or any(p.kind & _LAST for p in pages[:-1]):
        raise NotOggOpus("its first or last page is out of place")
    finished = bool(pages[-1].kind & _LAST)
    if require_end and not finished:
        raise NotOggOpus("cut off before its end")
    packets = _packets(pages)
    head, head_page = packets[0]
    tags, tags_page = packets[1]
    # RFC 7845: OpusHead alone on the first page, OpusTags ending its page, and the sound starting on a new one.
    if head_page != 0 or len(pages[0].lacing) != 1 or tags_page == 0 or len(packets) < 3 \
            or packets[2][1] == tags_page:
        raise NotOggOpus("its headers are not on pages of their own")
    if len(head) < 19 or head[:8] != b"OpusHead" or not 1 <= head[8] <= 15:
        raise NotOggOpus("no OpusHead")
    channels, pre_skip, input_rate, _gain, family = struct.unpack_from("<BHIhB", head, 9)
    # A voice note is one or two channels, in Opus's own channel order (mapping family 0).
    if family != 0 or channels not in (1, 2) or len(head) != 19:
        raise NotOggOpus("not a voice note's channels")
    if tags[:8] != b"OpusTags" or len(tags) < 16:
        raise NotOggOpus("no OpusTags")
    (vendor,) = struct.unpack_from("<I", tags, 8)
    if 16 + vendor > len(tags):
        raise NotOggOpus("its tags are cut off")
    (comments,) = struct.unpack_from("<I", tags, 12 + vendor)
    granules = [p.granule for p in pages[tags_page + 1:] if p.granule != -1]
    if not granules or granules != sorted(granules) or granules[-1] <= pre_skip:
        raise NotOggOpus("no length")
    seconds = (granules[-1] - pre_skip) / _OPUS_RATE
    return OggOpus(channels, input_rate, seconds, comments, finished), pages, pages[tags_page + 1:]


def read(data: bytes, require_end: bool = True) -> OggOpus:
    """What the file is, after every page's checksum and order is checked; raises NotOggOpus when it is not one.

    `require_end`: a file from elsewhere must end as a stopped recording does; the phone's own recording may have been
    cut off by the app closing, and keeps what was said up to its last whole page.
    """
    return _parse(data, require_end)[0]


def without_tags(data: bytes, require_end: bool = True) -> tuple[bytes, OggOpus]:
    """The same sound with an empty OpusTags (no vendor, no comments), and what it is; raises NotOggOpus as read does.

    The sound's pages are kept as they are, numbered on from the new tags page, the last marked as the last.
    """
    about, pages, sound = _parse(data, require_end)
    serial = pages[0].serial
    tags = b"OpusTags" + struct.pack("<II", 0, 0)
    out = [pages[0].encoded(0), _Page(0, 0, serial, 1, bytes([len(tags)]), tags).encoded()]
    for number, page in enumerate(sound, start=2):
        kind = page.kind | (_LAST if number == len(sound) + 1 else 0)
        out.append(_Page(kind, page.granule, serial, number, page.lacing, page.body).encoded())
    return b"".join(out), OggOpus(about.channels, about.input_rate, about.seconds, 0, True)
