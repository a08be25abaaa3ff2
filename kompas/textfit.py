"""Fitting text into a box with Pillow: a font per script, wrapping, shrinking, and "…" as the last resort."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from PIL import ImageDraw, ImageFont, features

from kompas.resources import ASSETS_DIR

__all__ = ["Fitted", "Run", "fit_text", "font", "is_rtl", "script_runs", "use_raqm", "HAS_RAQM"]

# Phone builds of Pillow lack raqm; there Arabic is shaped and reordered by hand (see _visual).
HAS_RAQM = features.check("raqm")
_LAYOUT = ImageFont.Layout.RAQM if HAS_RAQM else ImageFont.Layout.BASIC


def use_raqm(enabled: bool) -> None:
    """Switch the text layout engine, as on a Pillow without raqm; measurements made before are dropped."""
    global HAS_RAQM, _LAYOUT
    HAS_RAQM = enabled and features.check("raqm")
    _LAYOUT = ImageFont.Layout.RAQM if HAS_RAQM else ImageFont.Layout.BASIC
    font.cache_clear()
    line_width.cache_clear()
_FONT_FILES = {
    ("latin", False): "NotoSans-Regular.ttf",
    ("latin", True): "NotoSans-Bold.ttf",
    ("arabic", False): "NotoSansArabic-Regular.ttf",
    ("arabic", True): "NotoSansArabic-Bold.ttf",
    ("ethiopic", False): "NotoSansEthiopic-Regular.ttf",
    ("ethiopic", True): "NotoSansEthiopic-Bold.ttf",
    # Noto Sans has no star; a two-glyph subset of Noto Sans Symbols 2 marks what matters most.
    ("symbol", False): "NotoSansSymbols2-Stars.ttf",
    ("symbol", True): "NotoSansSymbols2-Stars.ttf",
}
_SYMBOLS = {"★", "☆"}
ELLIPSIS = "…"


def _script(char: str) -> str | None:
    """The script family a character needs a font for; None for spaces, digits and punctuation."""
    if char in _SYMBOLS:
        return "symbol"
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF or 0xAB00 <= code <= 0xAB2F:
        return "ethiopic"
    if unicodedata.category(char)[0] == "L":
        return "latin"
    return None


def is_rtl(text: str) -> bool:
    """True when the first letter is Arabic: the line then reads from right to left."""
    return next((s for s in map(_script, text) if s), "latin") == "arabic"


@dataclass(frozen=True)
class Run:
    text: str
    script: str


def script_runs(text: str) -> list[Run]:
    """Split text into runs of one script; spaces and punctuation join the run they stand in."""
    runs: list[Run] = []
    for char in text:
        script = _script(char) or (runs[-1].script if runs else None)
        if runs and (script is None or script == runs[-1].script):
            runs[-1] = Run(runs[-1].text + char, runs[-1].script)
        else:
            runs.append(Run(char, script or "latin"))
    return runs


@functools.cache
def font(script: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = ASSETS_DIR / "fonts" / _FONT_FILES[(script, bold)]
    return ImageFont.truetype(str(path), size, layout_engine=_LAYOUT)


def _visual(run: Run) -> str:
    """Without raqm, Arabic must be joined and reversed here; with raqm, Pillow does it."""
    if HAS_RAQM or run.script != "arabic":
        return run.text
    try:
        import arabic_reshaper  # optional, for phone builds
        from bidi.algorithm import get_display
    except ImportError:
        return run.text[::-1]
    return get_display(arabic_reshaper.reshape(run.text))


@functools.lru_cache(maxsize=20_000)
def line_width(text: str, size: int, bold: bool = False) -> float:
    return sum(font(r.script, size, bold).getlength(_visual(r)) for r in script_runs(text))


def draw_line(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill, bold: bool = False,
              align_right: bool = False, width: float = 0) -> tuple[float, float, float, float]:
    """Draw one line run by run, each in its script's font; returns the ink's bounding box."""
    runs = script_runs(text)
    if is_rtl(text):
        runs = runs[::-1]
    total = sum(font(r.script, size, bold).getlength(_visual(r)) for r in runs)
    x = xy[0] + (width - total if align_right else 0)
    if runs:
        # Some glyphs reach left of their origin (a bold J); move them in so the ink stays in the box.
        first = runs[0]
        overhang = xy[0] - draw.textbbox((x, xy[1]), _visual(first), font=font(first.script, size, bold))[0]
        x += max(0.0, overhang)
    left, top, right, bottom = x, xy[1], x, xy[1]
    for run in runs:
        f = font(run.script, size, bold)
        shown = _visual(run)
        direction = "rtl" if run.script == "arabic" and HAS_RAQM else None
        box = draw.textbbox((x, xy[1]), shown, font=f, direction=direction)
        draw.text((x, xy[1]), shown, font=f, fill=fill, direction=direction)
        left, top = min(left, box[0]), min(top, box[1])
        right, bottom = max(right, box[2]), max(bottom, box[3])
        x += f.getlength(shown)
    return left, top, right, bottom


def _wrap(text: str, size: int, width: float, bold: bool) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken by characters.

    A line's width is the sum of its words and spaces, each measured once: measuring
    every candidate line anew made long texts quadratic.
    """
    space = line_width(" ", size, bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, current_width = "", 0.0
        for word in paragraph.split(" "):
            word_width = line_width(word, size, bold)
            estimate = current_width + space + word_width
            # Shaping across words (Arabic joins, kerning) can differ from the sum: measure close calls whole.
            if current and estimate <= width and (estimate < width * 0.9 or line_width(f"{current} {word}", size, bold) <= width):
                current, current_width = f"{current} {word}", estimate
                continue
            if not current and word_width <= width:
                current, current_width = word, word_width
                continue
            if current:
                lines.append(current)
            current, current_width = "", 0.0
            for char in word:
                char_width = line_width(char, size, bold)
                if current and current_width + char_width > width:
                    lines.append(current)
                    current, current_width = "", 0.0
                current, current_width = current + char, current_width + char_width
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Fitted:
    """Text laid out for a box: its lines, the size they fit at, and whether "…" had to end it."""

    lines: tuple[str, ...]
    size: int
    line_height: int
    truncated: bool

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)


def fit_text(text: str, width: float, height: float, max_size: int, min_size: int, bold: bool = False,
             line_spacing: float = 1.3, max_lines: int | None = None) -> Fitted:
    """Wrap `text` into the box; shrink it step by step to `min_size`; then cut it and end in "…"."""
    size = max_size
    scripts = {run.script for run in script_runs(text)} or {"latin"}
    while True:
        line_height = round(size * line_spacing)
        # Ink can reach a little past a glyph's advance; keep a sliver free on the right.
        lines = _wrap(text, size, width - size * 0.08, bold)
        # The last line needs its font's full ascent and descent; Arabic reaches deeper than Latin.
        extent = max(sum(font(script, size, bold).getmetrics()) for script in scripts)
        room = int((height - extent) // line_height) + 1 if height >= extent else 0
        if max_lines:
            room = min(room, max_lines)
        if len(lines) <= room:
            return Fitted(tuple(lines), size, line_height, False)
        if size <= min_size:
            break
        size = max(min_size, int(size * 0.9))
    if room == 0:
        # Not even one line fits: draw nothing rather than spill over the box.
        return Fitted((), size, line_height, bool(text.strip()))
    kept = lines[:room]
    last = kept[-1]
    while last and line_width(last.rstrip() + ELLIPSIS, size, bold) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + ELLIPSIS
    return Fitted(tuple(kept), size, line_height, True)
