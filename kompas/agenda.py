"""The look-back date as a calendar event, and as a QR code a phone camera can scan from the fridge."""

from __future__ import annotations

from datetime import date

import qrcode
import qrcode.constants
from PIL import Image

__all__ = ["MAX_QR_VERSION", "qr_image", "vevent"]

# Version 10 is 57 modules: at 0.6 mm a module it scans from 30 cm, and fits beside the action on A4.
MAX_QR_VERSION = 10
# What version 10 holds at error correction M in byte mode: the payload fits exactly when it is this long or less.
_MAX_BYTES = 213


def _escape(text: str) -> str:
    """iCalendar TEXT escaping (RFC 5545 3.3.11); line breaks become spaces, as a title has one line."""
    text = " ".join(text.split())
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def vevent(summary: str, day: date, uid: str) -> str:
    """An iCalendar VEVENT for a whole day, its title shortened with "…" until the QR code stays small enough to scan."""

    def payload(title: str) -> str:
        return "\r\n".join([
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"SUMMARY:{title}",
            "END:VEVENT",
        ])

    def fits(text: str) -> bool:
        return len(payload(text).encode("utf-8")) <= _MAX_BYTES

    title = _escape(summary)
    if fits(title):
        return payload(title)

    def cut(n: int) -> str:
        # Never end on half an escape sequence.
        return title[:n].rstrip("\\").rstrip() + "…"

    # The longest start of the title that still fits, found by halving.
    low, high = 0, min(len(title), _MAX_BYTES)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(cut(middle)):
            low = middle
        else:
            high = middle - 1
    return payload(cut(low))


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
