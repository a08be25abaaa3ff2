"""The look-back date as an iCalendar file (RFC 5545), and as a QR code a phone camera can scan from the fridge."""

from __future__ import annotations

import unicodedata
from datetime import date

import qrcode
import qrcode.constants
from PIL import Image

__all__ = ["MAX_QR_VERSION", "calendar", "escape", "fold", "qr_image"]

# Version 10 is 57 modules: at 0.6 mm a module it scans from 30 cm, and fits beside the action on A4.
MAX_QR_VERSION = 10
# What version 10 holds at error correction M in byte mode: the payload fits exactly when it is this long or less.
_MAX_BYTES = 213
# Short on purpose: every byte here is a byte less for the action's title.
# Neutral: the event lands in a phone calendar that may be shared or synced, where "Kompas" would say which app.
_PRODID = "-//poster//NL"
_ELLIPSIS = "…"


def escape(text: str) -> str:
    """iCalendar TEXT (RFC 5545 3.3.11): backslash, semicolon, comma and line break escaped; controls left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Controls and direction marks would turn a phone's calendar title around; joiners keep Persian and emoji whole.
    text = "".join(c for c in text if c in "\n\u200c\u200d" or unicodedata.category(c) not in ("Cc", "Cf"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence; the fold is CRLF and a space."""
    parts, current, size = [], [], 0
    for char in line:
        octets = len(char.encode("utf-8"))
        # A continuation line starts with its space, which counts against its 75.
        if size + octets > 75:
            parts.append("".join(current))
            current, size = [], 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar(summary: str, day: date, uid: str, stamp: date) -> str:
    """An iCalendar file with one whole-day event on `day`.

    Its title is the action, shortened at a word and ended in "…" until the QR code stays small enough to scan.
    `stamp` is the day the file is made (DTSTAMP, at midnight UTC), so the same poster gives the same file.
    """

    def payload(title: str) -> str:
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{_PRODID}",
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"SUMMARY:{escape(title)}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return "".join(fold(line) + "\r\n" for line in lines)

    def fits(title: str) -> bool:
        return len(payload(title).encode("utf-8")) <= _MAX_BYTES

    title = " ".join(summary.split())
    if fits(title):
        return payload(title)
    words = title.split(" ")
    # The most whole words that still fit; a first word too long for the code alone is cut by characters.
    kept = max((n for n in range(1, len(words)) if fits(" ".join(words[:n]) + _ELLIPSIS)), default=0)
    if kept:
        return payload(" ".join(words[:kept]) + _ELLIPSIS)
    chars = max((n for n in range(len(words[0])) if fits(words[0][:n] + _ELLIPSIS)), default=0)
    return payload(words[0][:chars] + _ELLIPSIS)


def _code(payload: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return code


def qr_image(payload: str, module_px: int) -> Image.Image:
    """The QR code in black on white, `module_px` pixels a module, with the quiet zone around it."""
    code = _code(payload)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if cell else 1 for row in matrix for cell in row])
    return image.resize((size * module_px, size * module_px), Image.Resampling.NEAREST)
