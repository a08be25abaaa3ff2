"""The fridge poster: a pure function from the kompas to a print-ready image, and its preview (output.py saves it)."""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from kompas.base.resources import ASSETS_DIR, pictogram
from kompas.domain import palette
from kompas.domain.content import CONDITIONS
from kompas.domain.model import Condition, Kompas, Note, Paper, PosterChoice, PosterItem
from kompas.domain.words import writes_right_to_left
from kompas.i18n import _, current_language, format_date, is_right_to_left, number, use_language
from kompas.poster import fonts, textfit
from kompas.poster.agenda import calendar, qr_image
from kompas.poster.textfit import Fitted, draw_fitted, fit_text

__all__ = ["DPI", "PAPER_MM", "MAX_PHOTOS", "PREVIEW_DPI", "Placement", "Poster", "clear_caches", "photo_frames",
           "poster_images", "preview_photos", "preview_png", "render_poster"]

log = logging.getLogger(__name__)

DPI = 300
# Small enough to draw in a blink, large enough to see what is where.
PREVIEW_DPI = 40
# Up to this resolution drawn text is kept for the next render: a preview is drawn again on every change;
# a print is made once, and its text would hold megabytes.
_REUSE_TEXT_UP_TO_DPI = 100
PAPER_MM = {Paper.A4: (210, 297), Paper.A3: (297, 420)}
MAX_PHOTOS = 6
# Home printers cannot print the outer 5 mm or so; 12 mm leaves room to spare.
MARGIN_MM = 12
# Noto Sans capitals are 0.714 em: 14.2 mm type gives a cap height just over 10 mm, readable from 2 m.
ACTION_MIN_MM = 14.2
# A long action shrinks to a cap height of 8 mm before anything of it is cut.
ACTION_SMALLEST_MM = 11.2
# The action block's height, and how much it may grow: for type with 10 mm capitals, and at most, for type down to
# 8 mm. It takes the room from the compass, and past `_COMPASS_GIVES` from the wish. The action is the point of the
# poster: with 52 mm, an action of up to 120 characters is never cut, in any script (tests/test_poster_scripts.py).
_ACTION_H = 66
_ACTION_GROWTH = (16, 52)
_COMPASS_GIVES = 44
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
    # Each piece of text handed to Pillow with the font file that drew it: every character must have a glyph there.
    drawn: tuple[tuple[str, str], ...] = ()


@dataclass
class Poster:
    image: Image.Image
    placements: list[Placement] = field(default_factory=list)
    qr_payload: str | None = None


class _Layout:
    """Millimetres of an A4 layout, scaled to the paper and the resolution."""

    def __init__(self, paper: Paper, dpi: int):
        width_mm, height_mm = PAPER_MM[paper]
        self.dpi = dpi
        self.scale = width_mm / 210 * dpi / 25.4  # px per A4-layout millimetre
        self.size = round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi)

    def px(self, mm: float) -> int:
        return round(mm * self.scale)

    def box(self, x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
        return self.px(x), self.px(y), self.px(x + w), self.px(y + h)


class _Sheet(_Layout):
    """Drawing on the layout: panels, text, lines and pictures, each placement noted."""

    def __init__(self, paper: Paper, dpi: int):
        super().__init__(paper, dpi)
        self.image = Image.new("RGB", self.size, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.placements: list[Placement] = []

    def panel(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.draw.rounded_rectangle(self.box(x, y, w, h), radius=self.px(4), fill=fill, outline=palette.LINE,
                                    width=max(1, self.px(0.3)))

    def _fit_args(self, text: str, x: float, y: float, w: float, h: float, max_mm: float, min_mm: float, bold: bool,
                  max_lines: int | None, line_spacing: float, narrow: tuple[float, float] | None,
                  picture_left: bool) -> tuple:
        box = self.box(x, y, w, h)
        beside = None if narrow is None else (self.px(x + narrow[0]) - box[0], self.px(y + narrow[1]) - box[1])
        return (text, box[2] - box[0], box[3] - box[1], self.px(max_mm), self.px(min_mm), bold, max_lines,
                line_spacing, beside, picture_left)

    def fit(self, text: str, x: float, y: float, w: float, h: float, max_mm: float, min_mm: float,
            bold: bool = False, max_lines: int | None = None, line_spacing: float = 1.3,
            narrow: tuple[float, float] | None = None, picture_left: bool = False) -> Fitted:
        """How text would fit the box, without drawing it: the same as `text` draws."""
        return _fit(*self._fit_args(text, x, y, w, h, max_mm, min_mm, bold, max_lines, line_spacing, narrow,
                                    picture_left), fonts.HAS_RAQM)

    def text(self, role: str, text: str, x: float, y: float, w: float, h: float, max_mm: float, min_mm: float,
             bold: bool = False, colour: str = palette.INK, max_lines: int | None = None,
             line_spacing: float = 1.3, narrow: tuple[float, float] | None = None,
             picture_left: bool = False) -> float:
        """Fit and draw text in the box; returns the height in mm it used.

        With `narrow` (a width and a height in mm), the lines in the top of the box are that much shorter: their room
        is at the right, or at the left with `picture_left`.
        """
        box = self.box(x, y, w, h)
        args = self._fit_args(text, x, y, w, h, max_mm, min_mm, bold, max_lines, line_spacing, narrow, picture_left)
        if self.dpi > _REUSE_TEXT_UP_TO_DPI:
            fitted = _fit(*args, fonts.HAS_RAQM)
            ink, drawn = draw_fitted(self.draw, box[:2], fitted, colour, bold)
            ink = _round(ink)
        else:
            # The layout engine and the language are globals that shape text: in the key, so never reused across them.
            kept = _kept_text(*args, (fonts.HAS_RAQM, current_language()))
            if kept.mask is not None:
                self.image.paste(colour, (box[0] + kept.offset[0], box[1] + kept.offset[1]), kept.mask)
            fitted, drawn = kept.fitted, kept.drawn
            ink = None if kept.ink is None else tuple(v + box[i % 2] for i, v in enumerate(kept.ink))
        self.placements.append(Placement(role, box, ink, fitted.truncated, fitted.size, "\n".join(fitted.lines), drawn))
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


@functools.lru_cache(maxsize=128)
def _fit(text: str, width: int, height: int, max_px: int, min_px: int, bold: bool, max_lines: int | None,
         line_spacing: float, narrow: tuple[int, int] | None, picture_left: bool, raqm: bool) -> Fitted:
    """Text fitted to a box, kept a while: the action is fitted to several heights, then drawn in one of them.

    `raqm` is not read here: the layout engine is a global that shapes text, so it is in the key.
    """
    return fit_text(text, width, height, max_px, min_px, bold, line_spacing=line_spacing, max_lines=max_lines,
                    narrow=narrow, picture_left=picture_left)


@dataclass(frozen=True)
class _Text:
    """Text fitted to a box and drawn as a mask; `offset` and `ink` are from the box's top left, in whole pixels."""

    fitted: Fitted
    mask: Image.Image | None
    offset: tuple[int, int]
    ink: tuple[int, int, int, int] | None
    drawn: tuple[tuple[str, str], ...] = ()


@functools.lru_cache(maxsize=256)
def _kept_text(text: str, width: int, height: int, max_px: int, min_px: int, bold: bool, max_lines: int | None,
               line_spacing: float, narrow: tuple[int, int] | None, picture_left: bool, shaping: tuple) -> _Text:
    """Text drawn on its own from the box's corner, kept for the next preview: the same words in the same box look
    the same anywhere on the sheet.

    `shaping` is not read here: it holds the text globals, so a kept mask is never reused after they change.
    """
    fitted = _fit(text, width, height, max_px, min_px, bold, max_lines, line_spacing, narrow, picture_left,
                  fonts.HAS_RAQM)
    # Ink may reach a little past the box (a tail, an accent): room around it so none is cut off.
    pad = max_px
    tile = Image.new("L", (width + 2 * pad, height + 2 * pad), 0)
    ink, drawn = draw_fitted(ImageDraw.Draw(tile), (pad, pad), fitted, 255, bold)
    ink = None if ink is None else tuple(round(v) - pad for v in ink)
    shown = tile.getbbox()
    if shown is None:
        return _Text(fitted, None, (0, 0), ink, drawn)
    return _Text(fitted, tile.crop(shown), (shown[0] - pad, shown[1] - pad), ink, drawn)


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


@functools.lru_cache(maxsize=32)
def _pictogram(subject, size_px: int) -> Image.Image:
    # Kept: the same few pictures at the same sizes on every poster. Callers only paste it, never draw on it.
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
    _label(sheet, choice, "title", "Mijn kompas", left + 15, 13, width - 15, 11, 8, 5, bold=True, colour=palette.INK,
           text=title, beside_only=True)

    # The action takes the room it needs from the compass.
    action_h, qr_payload = _action_block(sheet, kompas, choice, today, left, 27, width)
    grown = action_h - _ACTION_H
    from_wish = max(0, grown - _COMPASS_GIVES)
    _compass(sheet, kompas, choice, left, 97 + grown, width, 112 - grown + from_wish)
    _wish_block(sheet, kompas, choice, left, 213 + from_wish, width, 24 - from_wish)
    _photos(sheet, photos)

    footer = _("Gemaakt op {date} · Het Krachtkompas hoort bij de methode Krachtwerk, © J. Wolf / Impuls",
               date=format_date(today, today, with_year=True))
    sheet.text("footer", footer, left, 280, width, 5, 2.8, 2.2, colour=palette.INK_SOFT, max_lines=1)
    return Poster(sheet.image, sheet.placements, qr_payload)


def _dutch(message: str, choice: PosterChoice) -> str | None:
    """The Dutch of a label, for the begeleider beside a client who reads another language; None when not asked."""
    if not choice.dutch_labels or current_language() == "nl":
        return None
    with use_language("nl"):
        dutch = _(message)
    return None if dutch == _(message) else dutch


def _label(sheet: _Sheet, choice: PosterChoice, role: str, message: str, x: float, y: float, w: float, h: float,
           max_mm: float, min_mm: float, bold: bool = False, colour: str = palette.INK_SOFT, text: str | None = None,
           beside_only: bool = False) -> float:
    """A label on one line in the poster's language, with its Dutch in small print beside it, or else under it.

    Returns the height in mm it used.
    """
    parts, used = _label_parts(sheet, choice, role, message, x, y, w, h, max_mm, min_mm, bold, text, beside_only)
    for index, (part_role, words, *box, largest, smallest) in enumerate(parts):
        sheet.text(part_role, words, *box, largest, smallest, bold=bold and not index,
                   colour=colour if not index else palette.INK_SOFT, max_lines=1)
    return used


def _label_parts(sheet: _Sheet, choice: PosterChoice, role: str, message: str, x: float, y: float, w: float, h: float,
                 max_mm: float, min_mm: float, bold: bool = False, text: str | None = None,
                 beside_only: bool = False) -> tuple[list[tuple], float]:
    """Where a label and its Dutch go, without drawing them: the action block needs their height before it is drawn."""
    shown = _(message) if text is None else text
    fitted = sheet.fit(shown, x, y, w, h, max_mm, min_mm, bold=bold, max_lines=1)
    used = fitted.height / sheet.scale
    parts = [(role, shown, x, y, w, h, max_mm, min_mm)]
    dutch = _dutch(message, choice)
    if dutch is None or not fitted.lines:
        return parts, used
    small, gap = max(2.6, max_mm * 0.6), 2.5
    # Beside: in the room the label leaves, on its side of the box, on the label's baseline.
    line, start = fitted.line(0, bold), textfit.line_start(fitted, 0, bold, sheet.px(x))
    ink_left, ink_right = (start + line.ink[0]) / sheet.scale, (start + line.ink[2]) / sheet.scale
    right_room, left_room = x + w - ink_right - gap, ink_left - gap - x
    room_x, room_w = (ink_right + gap, right_room) if right_room >= left_room else (x, left_room)
    beside = sheet.fit(dutch, room_x, y, max(1.0, room_w), h, small, small, max_lines=1)
    if room_w > 0 and not beside.truncated and beside.lines:
        if right_room < left_room:
            # Left of a label that reads right to left: close to it, not against the far edge.
            width = beside.line(0, False).width / sheet.scale + small * 0.2
            room_x, room_w = max(x, ink_left - gap - width), min(room_w, width)
        top = y + max(0.0, fitted.baselines[0] - beside.baselines[0]) / sheet.scale
        parts.append((f"{role}-nl", dutch, room_x, top, room_w, max(used - (top - y), beside.height / sheet.scale + 0.5),
                      small, small))
        return parts, used
    if beside_only:
        return parts, used
    below = sheet.fit(dutch, x, y + used + 0.3, w, small * 1.6, small, 2.2, max_lines=1)
    parts.append((f"{role}-nl", dutch, x, y + used + 0.3, w, small * 1.6, small, 2.2))
    return parts, used + 0.3 + below.height / sheet.scale


def _action_block(sheet: _Sheet, kompas: Kompas, choice: PosterChoice, today: date,
                  x: float, y: float, w: float) -> tuple[float, str | None]:
    """The action in big letters, who helps, the look-back date and its QR code; returns the block's height."""
    action = kompas.action if PosterItem.ACTION in choice.items else None
    pad = 4
    if action is None:
        sheet.panel(x, y, w, _ACTION_H, palette.CARD)
        used = _label(sheet, choice, "action-label", "Mijn actie voor de komende weken", x + pad, y + pad, w - 2 * pad,
                      6, 4.5, 3.5)
        top = y + pad + used + 1
        sheet.write_lines(x + pad, top, w - 2 * pad, _ACTION_H - (top - y) - pad, spacing=11)
        return _ACTION_H, None

    # The QR code stands in the top right corner, its caption under it; the action flows beside it and under it.
    look_back = date.fromisoformat(action.look_back)
    # The same action gives the same event, so scanning a new print does not add a second one.
    uid = hashlib.sha1(f"{action.chosen}\n{action.text}".encode()).hexdigest()[:12]
    text = " ".join(action.text.split())
    payload = calendar(text, look_back, f"{uid}@poster", today)
    qr_mm = 46
    code = _qr_code(payload)
    module_px = max(1, sheet.px(qr_mm) // code.width)
    # The action's lines start at the right when it reads right to left: the QR code then stands at the left, so lines
    # beside it and under it start at the same edge.
    qr_left = writes_right_to_left(text) if any(c.isalpha() for c in text) else is_right_to_left(current_language())
    qr_x, qr_y = (x + pad if qr_left else x + w - pad - qr_mm), y + pad - 1
    code_mm = code.width * module_px / sheet.scale
    caption = _("Scan mij: de datum gaat in je agenda")
    caption_h = sheet.fit(caption, qr_x, 0, qr_mm, 8, 3.2, 2.4, max_lines=2).height / sheet.scale
    column_bottom = qr_y + code_mm + 0.5 + caption_h
    inner_w, beside_w = w - 2 * pad, w - 2 * pad - qr_mm - 4
    beside_x = x + pad + (qr_mm + 4 if qr_left else 0)

    # Who helps (one line, or two when it is long, cut if it must) and the look-back date (always) stand at the bottom:
    # beside the QR code in a block of the usual height, under it in a grown one.
    helper = _("Wie helpt: {helper}", helper=action.helper) if action.helper.strip() else ""
    when = _("Terugkijken op {date}", date=format_date(look_back, today))
    when_h = 6.5

    def helper_fit(width: float) -> tuple[float, int]:
        if not helper:
            return 0.0, 0
        one = sheet.fit(helper, x + pad, 0, width, 6.5, 4.2, 3.4, max_lines=1)
        lines = 1 if not one.truncated else 2
        used = one if lines == 1 else sheet.fit(helper, x + pad, 0, width, 11, 4.2, 3.2, max_lines=2)
        return used.height / sheet.scale + 0.5, lines

    helpers = {width: helper_fit(width) for width in (beside_w, inner_w)}

    def details(height: float) -> tuple[float, float, float, int]:
        """Where the lines at the bottom start and how wide they are, the height of the helper's, and how many lines it
        may take."""
        helper_h, lines = helpers[inner_w]
        if y + height - pad - when_h - helper_h >= column_bottom + 1:
            return x + pad, inner_w, helper_h, lines
        return (beside_x, beside_w, *helpers[beside_w])

    label_h = _label_parts(sheet, choice, "action-label", "Mijn actie voor de komende weken", beside_x, y + pad, beside_w,
                           6, 4.5, 3.5)[1]
    top = y + pad + label_h + 1

    def room(height: float) -> float:
        return y + height - pad - when_h - details(height)[2] - 1 - top

    def fitted(height: float, smallest: float) -> Fitted:
        return sheet.fit(text, x + pad, top, inner_w, room(height), 20, smallest, bold=True, line_spacing=1.12,
                         narrow=(beside_w, column_bottom + 1 - top), picture_left=qr_left)

    height, smallest = _action_height(fitted)
    # A block grown for an action cut after all ends under its last line.
    needed = height - room(height) + fitted(height, smallest).height / sheet.scale + 0.5
    if needed < height and not fitted(math.ceil(needed), smallest).truncated:
        height = max(_ACTION_H, math.ceil(needed))
    panel_colour = palette.CONDITION_COLOURS[action.condition]
    sheet.panel(x, y, w, height, panel_colour)
    _label(sheet, choice, "action-label", "Mijn actie voor de komende weken", beside_x, y + pad, beside_w, 6, 4.5, 3.5)
    sheet.text("action", text, x + pad, top, inner_w, room(height), 20, smallest, bold=True, line_spacing=1.12,
               narrow=(beside_w, column_bottom + 1 - top), picture_left=qr_left)
    details_x, details_w, helper_h, helper_lines = details(height)
    if helper:
        sheet.text("action-helper", helper, details_x, y + height - pad - when_h - helper_h, details_w, helper_h, 4.2,
                   3.4 if helper_lines == 1 else 3.2, max_lines=helper_lines)
    sheet.text("action-date", when, details_x, y + height - pad - when_h, details_w, when_h, 4.2, 2.6, max_lines=1)

    left, code_top = sheet.px(qr_x), sheet.px(qr_y)
    code = code.resize((code.width * module_px, code.height * module_px), Image.Resampling.NEAREST).convert("RGB")
    sheet.image.paste(code, (left, code_top))
    box = (left, code_top, left + code.width, code_top + code.height)
    sheet.placements.append(Placement("qr", box, box, size_px=module_px))
    caption_y = qr_y + code_mm + 0.5
    sheet.text("qr-caption", caption, qr_x, caption_y, qr_mm, caption_h + 0.5, 3.2, 2.4, colour=palette.INK_SOFT,
               max_lines=2)
    return height, payload


def _action_height(fitted) -> tuple[float, float]:
    """The block's height and the smallest type for the action: the least growth that keeps it whole.

    First with capitals of 10 mm, letting the block grow a little; then down to 8 mm, letting it grow more; an action
    that fits in neither (longer than the poster promises to keep whole) is cut at a word in the largest block.
    """
    for growth, smallest in zip(_ACTION_GROWTH, (ACTION_MIN_MM, ACTION_SMALLEST_MM)):
        if not fitted(_ACTION_H, smallest).truncated:
            return _ACTION_H, smallest
        low, high = 1, growth
        if fitted(_ACTION_H + high, smallest).truncated:
            continue
        # The least whole millimetres of growth that keep it whole: it only ever fits better with more room.
        while low < high:
            middle = (low + high) // 2
            if fitted(_ACTION_H + middle, smallest).truncated:
                low = middle + 1
            else:
                high = middle
        return _ACTION_H + low, smallest
    return _ACTION_H + _ACTION_GROWTH[-1], ACTION_SMALLEST_MM


@functools.lru_cache(maxsize=16)
def _qr_code(payload: str) -> Image.Image:
    # Kept: finding the best mask is slow in pure Python, and every change but the action keeps the payload.
    return qr_image(payload, module_px=1)


def _note_lines(notes: list[Note]) -> list[str]:
    """One paragraph a note. What matters most comes first, marked with a star. A spoken note shows a speaker with its
    length: the words are in the app, to be heard there, and the fridge says they are."""
    ordered = sorted(notes, key=lambda n: not n.starred)
    return [" ".join(["★" if n.starred else "•", *([SPEAKER, n.voice.length] if n.voice else []), *n.text.split()])
            for n in ordered]


# The speaker mark of a spoken note (U+1F50A), drawn from Noto Emoji like every other emoji on the poster.
SPEAKER = "\U0001F50A"
# Notes are read from a step or two away: at most 5 mm type, and never under 3.5 mm (about 10 pt), in every cell alike.
# What does not fit at the floor is counted, "+8", never dropped without a word.
NOTES_LARGEST_MM = 5.0
NOTES_SMALLEST_MM = 3.5


def _compass(sheet: _Sheet, kompas: Kompas, choice: PosterChoice, x: float, y: float, w: float, h: float) -> None:
    gap = 4
    cell_w, cell_h = (w - gap) / 2, (h - gap) / 2
    # Pictograms shrink when a long action has taken room from the compass, so the notes keep theirs.
    icon = max(10.0, min(16.0, cell_h - 38))
    cells = []
    for index, condition in enumerate(_CELLS):
        cx = x + (index % 2) * (cell_w + gap)
        cy = y + (index // 2) * (cell_h + gap)
        sheet.panel(cx, cy, cell_w, cell_h, palette.CONDITION_COLOURS[condition])
        pad = 4
        sheet.paste(f"pictogram-{condition.value}", _pictogram(condition, sheet.px(icon)), cx + pad, cy + pad, icon, icon)
        label_y = cy + pad + icon / 2 - 5
        used = _label(sheet, choice, f"name-{condition.value}", CONDITIONS[condition].name, cx + pad + icon + 3,
                      label_y, cell_w - 2 * pad - icon - 3, 10, 7, 4.5, bold=True, colour=palette.INK)
        notes = [n for n in kompas.notes_in(condition) if choice.shows(n)]
        # Below the pictogram, and below the name with its Dutch when those reach further down.
        top = max(cy + pad + icon + 3, label_y + used + 1)
        box = (cx + pad, top, cell_w - 2 * pad, cell_h - (top - cy) - pad)
        if notes:
            cells.append((condition, _note_lines(notes), box))
        else:
            sheet.write_lines(*box)
    # One size for the notes of every cell: the largest at which the fullest cell fits, down to the floor.
    size = min((sheet.fit("\n".join(lines), *box, NOTES_LARGEST_MM, NOTES_SMALLEST_MM).size / sheet.scale
                for _, lines, box in cells), default=NOTES_LARGEST_MM)
    for condition, lines, box in cells:
        _notes(sheet, f"notes-{condition.value}", lines, box, max(size, NOTES_SMALLEST_MM))


def _notes(sheet: _Sheet, role: str, lines: list[str], box: tuple[float, float, float, float], size: float) -> None:
    """The notes of one cell at `size` mm; those that do not fit are counted under the last one that does ("+8").

    Whole notes only, as many as fit; a first note too long for the cell alone is cut at a word and ends in "…".
    """
    x, y, w, h = box
    if not sheet.fit("\n".join(lines), *box, size, size).truncated:
        sheet.text(role, "\n".join(lines), *box, size, size)
        return
    more = f"+{number(len(lines) - 1)}"  # the widest count there can be
    # The count's own line: in Persian digits it stands taller than a Latin line of the same size.
    line_h = max(size * 1.3, sheet.fit(more, x, 0, w, h, size, size).height / sheet.scale)

    def fits(count: int) -> bool:
        return not sheet.fit("\n".join(lines[:count]), x, y, w, h - line_h, size, size).truncated

    low, high = 0, len(lines) - 1  # the most whole notes that fit above the count: fits(low) holds, or low is 0
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    shown = max(1, low)
    if shown == len(lines):
        # One note, too long for the cell alone: cut at a word, ending in "…".
        sheet.text(role, lines[0], *box, size, size)
        return
    used = sheet.text(role, "\n".join(lines[:shown]), x, y, w, h - line_h, size, size)
    more = f"+{number(len(lines) - shown)}"
    more_w = min(w, sheet.fit(more, x, 0, w, h, size, size).line(0, False).width / sheet.scale + size * 0.2)
    # On the side where the poster's lines start.
    more_x = x + w - more_w if is_right_to_left(current_language()) else x
    sheet.text(f"{role}-more", more, more_x, y + used, more_w, line_h, size, size, bold=True)


def _wish_block(sheet: _Sheet, kompas: Kompas, choice: PosterChoice, x: float, y: float, w: float, h: float) -> None:
    sheet.panel(x, y, w, h, palette.CARD)
    # Less room around the words when a long action has taken some of the block's.
    pad = 4 if h >= 22 else 2.5
    used = _label(sheet, choice, "wish-label", "Mijn wens voor later", x + pad, y + pad - 1, w - 2 * pad, 7, 5, 4)
    top = y + pad + used
    room = h - (top - y) - pad + 1
    if PosterItem.WISH in choice.items and kompas.wish.strip():
        sheet.text("wish", kompas.wish, x + pad, top, w - 2 * pad, room, 6.5, 3.2, bold=True)
    else:
        sheet.write_lines(x + pad, top - 2, w - 2 * pad, room + 2)


# The six photo frames along the bottom: x, y, width, height in mm.
_PHOTO_GAP = 3.6
_PHOTO_W = (210 - 2 * MARGIN_MM - _PHOTO_GAP * (MAX_PHOTOS - 1)) / MAX_PHOTOS
_PHOTO_FRAMES = tuple((MARGIN_MM + i * (_PHOTO_W + _PHOTO_GAP), 241, _PHOTO_W, 37) for i in range(MAX_PHOTOS))


def _photos(sheet: _Sheet, photos: list[Image.Image]) -> None:
    for index, (fx, y, frame_w, h) in enumerate(_PHOTO_FRAMES):
        if index < len(photos):
            sheet.paste(f"photo-{index}", photos[index], fx, y, frame_w, h)
            continue
        # An empty frame to paste a real photo into, as people do on the paper kompas.
        sheet.draw.rectangle(sheet.box(fx, y, frame_w, h), outline=palette.WRITE_LINE, width=max(1, sheet.px(0.4)))
        sheet.text(f"photo-hint-{index}", _("Plak hier een foto"), fx + 2, y + h / 2 - 4, frame_w - 4, 9, 3, 2.2,
                   colour=palette.INK_SOFT, max_lines=2)


def photo_frames(paper: Paper, dpi: int) -> list[tuple[int, int]]:
    """The size in pixels of each photo frame, left to right: rounding can make one a pixel wider."""
    layout = _Layout(paper, dpi)
    return [(box[2] - box[0], box[3] - box[1]) for box in (layout.box(*frame) for frame in _PHOTO_FRAMES)]


def poster_images(kompas: Kompas, data_dir: Path) -> list[Image.Image]:
    """The photos the client put on the poster, up to six, read from the data folder; a missing one is skipped."""
    images = []
    for photo in kompas.poster_photos()[:MAX_PHOTOS]:
        try:
            with Image.open(data_dir / photo.file) as image:
                images.append(image.convert("RGB"))
        except OSError as error:
            # The frame stays empty for a photo pasted by hand; the photo's id is no client text.
            log.warning("photo %s left off the poster (%s)", photo.id, type(error).__name__)
    return images


def preview_photos(kompas: Kompas, data_dir: Path, paper: Paper, dpi: int = PREVIEW_DPI) -> list[Image.Image]:
    """The chosen photos already scaled to their frames, each read from its file once for all later previews."""
    images = []
    sizes = photo_frames(paper, dpi)
    for photo in kompas.poster_photos()[:MAX_PHOTOS]:
        path = data_dir / photo.file
        try:
            changed = path.stat().st_mtime_ns
        except OSError:
            continue
        image = _framed_photo(path, changed, sizes[len(images)])
        if image is not None:
            images.append(image)
    return images


@functools.lru_cache(maxsize=64)
def _framed_photo(path: Path, changed: int, size: tuple[int, int]) -> Image.Image | None:
    """`changed` is the file's time, not read here: a photo written anew is read anew."""
    try:
        with Image.open(path) as image:
            # A JPEG can be decoded at an eighth of its size directly: far quicker, and plenty for a frame this small.
            image.draft("RGB", size)
            return _cover(image.convert("RGB"), size)
    except OSError:
        return None


def preview_png(kompas: Kompas, choice: PosterChoice, today: date, data_dir: Path) -> bytes:
    """The poster at preview size as PNG; photos, QR code and unchanged text come from what earlier previews kept."""
    photos = preview_photos(kompas, data_dir, choice.paper)
    buffer = io.BytesIO()
    # Level 1: a fifth of the time of Pillow's default, for 7% more bytes (49 instead of 46 kB).
    render_poster(kompas, choice, today, photos, dpi=PREVIEW_DPI).image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def clear_caches() -> None:
    """Forget everything kept between renders: for tests, and for timing a poster made from nothing."""
    for cached in (_kept_text, _fit, _pictogram, _qr_code, _framed_photo):
        cached.cache_clear()
