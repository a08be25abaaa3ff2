"""The fridge poster: a pure function from the kompas to a print-ready image, plus saving it as PDF and PNG."""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from kompas import palette
from kompas.agenda import qr_image, vevent
from kompas.content import CONDITIONS
from kompas.i18n import _
from kompas.model import Condition, Kompas, Note, Paper, PosterChoice, PosterItem
from kompas.resources import ASSETS_DIR, pictogram
from kompas.screens import format_date
from kompas.textfit import draw_line, fit_text, is_rtl

__all__ = ["DPI", "PAPER_MM", "MAX_PHOTOS", "Placement", "Poster", "make_files", "poster_images", "poster_paths", "render_poster",
           "save_pdf", "save_png"]

DPI = 300
PAPER_MM = {Paper.A4: (210, 297), Paper.A3: (297, 420)}
MAX_PHOTOS = 6
# Home printers cannot print the outer 5 mm or so; 12 mm leaves room to spare.
MARGIN_MM = 12
# Noto Sans capitals are 0.714 em: 14.2 mm type gives a cap height just over 10 mm, readable from 2 m.
ACTION_MIN_MM = 14.2
# The compass cells in clockwise order from the top left, as on the screen's compass.
_CELLS = (Condition.JEZELF_ZIJN, Condition.ERTOE_DOEN, Condition.ERBIJ_HOREN, Condition.MEEDOEN)


@dataclass(frozen=True)
class Placement:
    """One piece of text or image put on the poster: the box it was given and where its ink landed."""

    role: str
    box: tuple[int, int, int, int]
    ink: tuple[int, int, int, int] | None
    truncated: bool = False
    size_px: int = 0
    text: str = ""


@dataclass
class Poster:
    image: Image.Image
    placements: list[Placement] = field(default_factory=list)
    qr_payload: str | None = None


class _Sheet:
    """Drawing in millimetres of an A4 layout, scaled to the paper and the resolution."""

    def __init__(self, paper: Paper, dpi: int):
        width_mm, height_mm = PAPER_MM[paper]
        self.scale = width_mm / 210 * dpi / 25.4  # px per A4-layout millimetre
        self.image = Image.new("RGB", (round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi)), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.placements: list[Placement] = []

    def px(self, mm: float) -> int:
        return round(mm * self.scale)

    def box(self, x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
        return self.px(x), self.px(y), self.px(x + w), self.px(y + h)

    def panel(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.draw.rounded_rectangle(self.box(x, y, w, h), radius=self.px(4), fill=fill, outline=palette.LINE,
                                    width=max(1, self.px(0.3)))

    def text(self, role: str, text: str, x: float, y: float, w: float, h: float, max_mm: float, min_mm: float,
             bold: bool = False, colour: str = palette.INK, max_lines: int | None = None,
             line_spacing: float = 1.3) -> float:
        """Fit and draw text in the box; returns the height in mm it used."""
        box = self.box(x, y, w, h)
        fitted = fit_text(text, box[2] - box[0], box[3] - box[1], self.px(max_mm), self.px(min_mm), bold,
                          line_spacing=line_spacing, max_lines=max_lines)
        ink = None
        top = box[1]
        for line in fitted.lines:
            drawn = draw_line(self.draw, (box[0], top), line, fitted.size, colour, bold,
                              align_right=is_rtl(line), width=box[2] - box[0])
            ink = drawn if ink is None else (min(ink[0], drawn[0]), min(ink[1], drawn[1]),
                                             max(ink[2], drawn[2]), max(ink[3], drawn[3]))
            top += fitted.line_height
        self.placements.append(Placement(role, box, _round(ink), fitted.truncated, fitted.size, "\n".join(fitted.lines)))
        return fitted.height / self.scale

    def write_lines(self, x: float, y: float, w: float, h: float, spacing: float = 9) -> None:
        """Empty lines to write on by hand, as on the paper kompas."""
        line_y = y + spacing
        while line_y <= y + h:
            self.draw.line([self.px(x), self.px(line_y), self.px(x + w), self.px(line_y)],
                           fill=palette.WRITE_LINE, width=max(1, self.px(0.35)))
            line_y += spacing

    def paste(self, role: str, image: Image.Image, x: float, y: float, w: float, h: float) -> None:
        box = self.box(x, y, w, h)
        fitted = _cover(image, (box[2] - box[0], box[3] - box[1]))
        self.image.paste(fitted, box[:2], fitted if fitted.mode == "RGBA" else None)
        self.placements.append(Placement(role, box, box))


def _cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale and crop to fill `size`, as a photo fills a frame; crop and scale in one resize, roughly first."""
    scale = max(size[0] / image.width, size[1] / image.height)
    crop_w, crop_h = min(image.width, size[0] / scale), min(image.height, size[1] / scale)
    left, top = max(0.0, (image.width - crop_w) / 2), max(0.0, (image.height - crop_h) / 2)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    # reducing_gap 1 first shrinks by a whole factor, then filters: a third of the time, no visible loss at print size.
    return image.resize(size, Image.Resampling.LANCZOS, box=(left, top, left + crop_w, top + crop_h), reducing_gap=1.0)


def _round(box) -> tuple[int, int, int, int] | None:
    return None if box is None else tuple(round(v) for v in box)


def _pictogram(subject, size_px: int) -> Image.Image:
    with Image.open(ASSETS_DIR / pictogram(subject, "png")) as image:
        return image.convert("RGBA").resize((size_px, size_px), Image.Resampling.LANCZOS)


def render_poster(kompas: Kompas, choice: PosterChoice, today: date, photos: list[Image.Image] = (),
                  dpi: int = DPI) -> Poster:
    """Lay out the poster for `choice`: only what the client chose is on it."""
    sheet = _Sheet(choice.paper, dpi)
    left, width = MARGIN_MM, 210 - 2 * MARGIN_MM

    # Header: the compass rose and the title, with a name only when the client typed one.
    sheet.paste("rose", _pictogram("kompas", sheet.px(12)), left, 12, 12, 12)
    title = _("Mijn kompas · {name}", name=choice.name) if choice.name.strip() else _("Mijn kompas")
    sheet.text("title", title, left + 15, 13, width - 15, 11, 8, 5, bold=True, max_lines=1)

    qr_payload = _action_block(sheet, kompas, choice, today, left, 27, width, 66)
    _compass(sheet, kompas, choice, left, 97, width, 112)
    _wish_block(sheet, kompas, choice, left, 213, width, 24)
    _photos(sheet, photos, left, 241, width, 37)

    footer = _("Gemaakt op {date} · Het Krachtkompas hoort bij de methode Krachtwerk, © J. Wolf / Impuls",
               date=format_date(today, today, with_year=True))
    sheet.text("footer", footer, left, 280, width, 5, 2.8, 2.2, colour=palette.INK_SOFT, max_lines=1)
    return Poster(sheet.image, sheet.placements, qr_payload)


def _action_block(sheet: _Sheet, kompas: Kompas, choice: PosterChoice, today: date,
                  x: float, y: float, w: float, h: float) -> str | None:
    action = kompas.action if PosterItem.ACTION in choice.items else None
    sheet.panel(x, y, w, h, palette.CONDITION_COLOURS[action.condition] if action else palette.CARD)
    pad, qr_mm = 4, 46
    inner_w = w - 2 * pad - (qr_mm + 4 if action else 0)
    used = sheet.text("action-label", _("Mijn actie voor de komende weken"), x + pad, y + pad, inner_w, 6, 4.5, 3.5,
                      colour=palette.INK_SOFT, max_lines=1)
    top = y + pad + used + 1
    if action is None:
        sheet.write_lines(x + pad, top, w - 2 * pad, h - (top - y) - pad, spacing=11)
        return None
    details = []
    if action.helper:
        details.append(_("Wie helpt: {helper}", helper=action.helper))
    look_back = date.fromisoformat(action.look_back)
    details.append(_("Terugkijken op {date}", date=format_date(look_back, today)))
    details_h = 11
    sheet.text("action", action.text, x + pad, top, inner_w, h - (top - y) - pad - details_h - 1, 20, ACTION_MIN_MM,
               bold=True, line_spacing=1.12)
    sheet.text("action-details", "\n".join(details), x + pad, y + h - pad - details_h, inner_w, details_h, 4.2, 3.2,
               max_lines=2)

    # The same action gives the same event, so scanning a new print does not add a second one.
    uid = hashlib.sha1(f"{action.chosen}\n{action.text}".encode()).hexdigest()[:16]
    payload = vevent(action.text, look_back, f"{uid}@kompas")
    qr_x, qr_y = x + w - pad - qr_mm, y + pad - 1
    code = qr_image(payload, module_px=1)
    module_px = max(1, sheet.px(qr_mm) // code.width)
    code = code.resize((code.width * module_px, code.height * module_px), Image.Resampling.NEAREST).convert("RGB")
    left, top = sheet.px(qr_x), sheet.px(qr_y)
    sheet.image.paste(code, (left, top))
    box = (left, top, left + code.width, top + code.height)
    sheet.placements.append(Placement("qr", box, box, size_px=module_px))
    caption_y = qr_y + code.height / sheet.scale + 0.5
    sheet.text("qr-caption", _("Scan mij: de datum gaat in je agenda"), qr_x, caption_y, qr_mm,
               y + h - caption_y - 1, 3.2, 2.4, colour=palette.INK_SOFT, max_lines=2)
    return payload


def _note_text(notes: list[Note]) -> str:
    # What matters most comes first, marked with a star.
    ordered = sorted(notes, key=lambda n: not n.starred)
    return "\n".join(("★ " if n.starred else "• ") + " ".join(n.text.split()) for n in ordered)


def _compass(sheet: _Sheet, kompas: Kompas, choice: PosterChoice, x: float, y: float, w: float, h: float) -> None:
    gap = 4
    cell_w, cell_h = (w - gap) / 2, (h - gap) / 2
    for index, condition in enumerate(_CELLS):
        cx = x + (index % 2) * (cell_w + gap)
        cy = y + (index // 2) * (cell_h + gap)
        sheet.panel(cx, cy, cell_w, cell_h, palette.CONDITION_COLOURS[condition])
        pad, icon = 4, 16
        sheet.paste(f"pictogram-{condition.value}", _pictogram(condition, sheet.px(icon)), cx + pad, cy + pad, icon, icon)
        sheet.text(f"name-{condition.value}", _(CONDITIONS[condition].name), cx + pad + icon + 3, cy + pad + 3,
                   cell_w - 2 * pad - icon - 3, 10, 7, 4.5, bold=True, max_lines=1)
        notes = [n for n in kompas.notes_in(condition) if choice.shows(n)]
        top = cy + pad + icon + 3
        room = cell_h - (top - cy) - pad
        if notes:
            sheet.text(f"notes-{condition.value}", _note_text(notes), cx + pad, top, cell_w - 2 * pad, room, 5, 2.6)
        else:
            sheet.write_lines(cx + pad, top, cell_w - 2 * pad, room)


def _wish_block(sheet: _Sheet, kompas: Kompas, choice: PosterChoice, x: float, y: float, w: float, h: float) -> None:
    sheet.panel(x, y, w, h, palette.CARD)
    pad = 4
    used = sheet.text("wish-label", _("Mijn wens voor later"), x + pad, y + pad - 1, w - 2 * pad, 7, 5, 4,
                      colour=palette.INK_SOFT, max_lines=1)
    top = y + pad + used
    room = h - (top - y) - pad + 1
    if PosterItem.WISH in choice.items and kompas.wish.strip():
        sheet.text("wish", kompas.wish, x + pad, top, w - 2 * pad, room, 6.5, 3.2, bold=True)
    else:
        sheet.write_lines(x + pad, top - 2, w - 2 * pad, room + 2)


def _photos(sheet: _Sheet, photos: list[Image.Image], x: float, y: float, w: float, h: float) -> None:
    gap = 3.6
    frame_w = (w - gap * (MAX_PHOTOS - 1)) / MAX_PHOTOS
    for index in range(MAX_PHOTOS):
        fx = x + index * (frame_w + gap)
        if index < len(photos):
            sheet.paste(f"photo-{index}", photos[index], fx, y, frame_w, h)
            continue
        # An empty frame to paste a real photo into, as people do on the paper kompas.
        sheet.draw.rectangle(sheet.box(fx, y, frame_w, h), outline=palette.WRITE_LINE, width=max(1, sheet.px(0.4)))
        sheet.text(f"photo-hint-{index}", _("Plak hier een foto"), fx + 2, y + h / 2 - 4, frame_w - 4, 9, 3, 2.2,
                   colour=palette.INK_SOFT, max_lines=2)


def save_pdf(poster: Poster, path: Path, dpi: int = DPI) -> None:
    """One page at the paper's real size: Pillow sets the page from the pixels and the resolution."""
    _atomic(path, lambda f: poster.image.save(f, "PDF", resolution=dpi, quality=92))


def save_png(poster: Poster, path: Path, dpi: int = DPI) -> None:
    # Level 1 is twice as fast as the default for a few percent more bytes: flat colours compress well anyway.
    _atomic(path, lambda f: poster.image.save(f, "PNG", dpi=(dpi, dpi), compress_level=1))


def _atomic(path: Path, write) -> None:
    # A poster made while the old one is open in a viewer must never leave half a file.
    buffer = io.BytesIO()
    write(buffer)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(path)


def poster_images(kompas: Kompas, data_dir: Path) -> list[Image.Image]:
    """The photos the client put on the poster, up to six, read from the data folder; a missing one is skipped."""
    images = []
    for photo in kompas.poster_photos()[:MAX_PHOTOS]:
        try:
            with Image.open(data_dir / photo.file) as image:
                images.append(image.convert("RGB"))
        except OSError:
            continue
    return images


def poster_paths(folder: Path, paper: Paper) -> tuple[Path, Path]:
    """Where the app keeps the latest poster of each paper size: one PDF and one PNG."""
    return folder / f"kompas-poster-{paper.value}.pdf", folder / f"kompas-poster-{paper.value}.png"


def make_files(kompas: Kompas, choice: PosterChoice, today: date, pdf: Path | None, png: Path | None,
               photos: list[Image.Image] = ()) -> Poster:
    """Render once and save the formats asked for."""
    poster = render_poster(kompas, choice, today, photos)
    jobs = [(path, save) for path, save in ((pdf, save_pdf), (png, save_png)) if path is not None]
    for path, _save in jobs:
        path.parent.mkdir(parents=True, exist_ok=True)
    # Pillow lets go of the GIL while it encodes, so the two formats are written side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(save, poster, path) for path, save in jobs]:
            done.result()
    return poster
