"""Fitting text into a box with Pillow: each line in bidi order, wrapping, shrinking, "…" last."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass

from PIL import ImageDraw
from uniseg.graphemecluster import grapheme_clusters
from uniseg.linebreak import line_break, line_break_units

from kompas.domain.words import writes_right_to_left
from kompas.poster import bidi, fonts

__all__ = ["ELLIPSIS", "HYPHEN", "Fitted", "clean", "draw_fitted", "fit_text", "line_start", "line_width", "units",
           "use_raqm"]

ELLIPSIS = "…"
# Shown for a character no bundled font has (Chinese, say): a known sign, where a box would look like a fault.
_UNKNOWN = "\ufffd"
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n", "\t": " ", "\v": " ", "\f": " "}
_NO_JOINERS = {ord(c): None for c in fonts.JOINERS}


def use_raqm(enabled: bool) -> None:
    """Switch the text layout engine, as on a Pillow without raqm; fonts loaded and measurements made before are
    dropped."""
    fonts.switch_layout(enabled)
    for cached in (line_width, _line, _line_keys):
        cached.cache_clear()


@functools.lru_cache(maxsize=8192)
def _kept(char: str) -> str:
    """What becomes of one character: itself, "" when it is invisible or a left-over control, or the unknown sign."""
    if char in fonts.JOINERS or char == " " or char == "\n":
        return char
    category = unicodedata.category(char)
    # C0/C1 controls, bidi overrides and marks, byte-order marks, lone surrogates: never a box, never a direction.
    if category in ("Cc", "Cf", "Cs") or 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF:
        return ""
    if fonts.drawable(char):
        return char
    # A mark no font has would sit on its letter as a box; drop it and keep the letter.
    return "" if category[0] == "M" else _UNKNOWN


def clean(text: str) -> str:
    """The text as it can be drawn: line ends as "\\n", tabs as spaces, invisible controls gone, unknowns marked."""
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    if text.isascii() and text.isprintable():
        return text
    return "".join(map(_kept, text))


def _reshaped(text: str) -> str:
    """Without raqm, Arabic letters are given their joined forms here (raqm joins them itself).

    The joiners are then left out: they have done their work, and Pillow's basic layout would draw the glyph some
    fonts give them (a bar, in Noto Sans Arabic's ZWNJ). An emoji sequence is then drawn as its parts.
    """
    if fonts.HAS_RAQM:
        return text
    if any(0x0600 <= ord(c) <= 0x06FF for c in text):
        import arabic_reshaper  # only on a Pillow without raqm

        text = arabic_reshaper.reshape(text)
    return text.translate(_NO_JOINERS) if any(c in fonts.JOINERS for c in text) else text


@dataclass(frozen=True)
class _Piece:
    """One stretch of a line drawn in one font and one direction; `text` is what Pillow is handed."""

    key: str
    text: str
    rtl: bool
    x: float


@dataclass(frozen=True)
class _Line:
    pieces: tuple[_Piece, ...]
    width: float
    # Where the ink lands, from the start of the line on its baseline.
    ink: tuple[float, float, float, float]
    ascent: float
    descent: float


def _runs(text: str, size: int, bold: bool, default: str) -> list[tuple[str, str]]:
    """The line split into (font, text) in reading order; characters no font needs are left out."""
    runs: list[tuple[str, str]] = []
    for char, key in zip(text, fonts.keys(text, default, bold)):
        if key is None:
            continue
        if runs and runs[-1][0] == key:
            runs[-1] = (key, runs[-1][1] + char)
        else:
            runs.append((key, char))
    return runs


@functools.lru_cache(maxsize=20_000)
def line_width(text: str, size: int, bold: bool = False, default: str = "latin") -> float:
    """The advance width of a piece of text, each stretch in its own font; the order does not change it."""
    text = _reshaped(text)
    return sum(fonts.font(key, size, bold).getlength(part) for key, part in _runs(text, size, bold, default))


@functools.lru_cache(maxsize=20_000)
def _line(text: str, size: int, bold: bool, rtl: bool, default: str) -> _Line:
    """One line laid out: split by font and by direction, in visual order, measured."""
    shaped = _reshaped(text)
    keys = fonts.keys(shaped, default, bold)
    levels = bidi.levels(shaped, rtl)
    logical: list[tuple[str, int, str]] = []
    for char, key, level in zip(shaped, keys, levels):
        if key is None:
            continue
        if logical and logical[-1][0] == key and logical[-1][1] == level:
            logical[-1] = (key, level, logical[-1][2] + char)
        else:
            logical.append((key, level, char))
    pieces = []
    x = 0.0
    ink = None
    for index in bidi.visual_order([level for _, level, _ in logical]):
        key, level, part = logical[index]
        odd = bool(level % 2)
        if not fonts.HAS_RAQM and odd:
            part = part[::-1].translate(bidi.MIRRORED)
        f = fonts.font(key, size, bold)
        direction = ("rtl" if odd else "ltr") if fonts.HAS_RAQM else None
        box = f.getbbox(part, anchor="ls", direction=direction)
        if box[2] > box[0]:
            box = (x + box[0], box[1], x + box[2], box[3])
            ink = box if ink is None else (min(ink[0], box[0]), min(ink[1], box[1]),
                                           max(ink[2], box[2]), max(ink[3], box[3]))
        pieces.append(_Piece(key, part, odd, x))
        x += f.getlength(part, direction=direction)
    ascent, descent = fonts.reach({p.key for p in pieces} or {default}, size, bold)
    return _Line(tuple(pieces), x, ink or (0.0, 0.0, 0.0, 0.0), ascent, descent)


# The line-breaking classes (UAX #14) between which a line may end only after spaces: letters, digits, marks, spaces,
# commas and full stops, and the star and bullet a note starts with (AI is taken as AL, rule LB1). Most notes hold
# nothing else; tests/test_textfit.py checks this against uniseg.
_ONLY_AFTER_SPACES = frozenset(("AL", "AI", "HL", "NU", "CM", "SP", "IS"))
_SPACES = re.compile(r"[^ ]+ *| +")
# What ends a line broken inside a word of Latin or Cyrillic script.
HYPHEN = "-"


@functools.lru_cache(maxsize=4096)
def _break_class(char: str) -> str:
    return str(line_break(char))


@functools.lru_cache(maxsize=8192)
def units(paragraph: str) -> tuple[str, ...]:
    """The paragraph cut where a line may end (UAX #14), each piece with the spaces after it.

    uniseg is exact but slow in pure Python (about 0.1 ms a character), so a paragraph of only those classes where a
    line ends after spaces and nowhere else (unless a comma or a mark follows a space) is cut here at once.
    """
    classes = [_break_class(c) for c in paragraph]
    if _ONLY_AFTER_SPACES.issuperset(classes) and not any(
            kind in ("IS", "CM") and classes[i - 1] == "SP" for i, kind in enumerate(classes) if i):
        return tuple(_SPACES.findall(paragraph))
    return tuple(line_break_units(paragraph))


@functools.lru_cache(maxsize=4096)
def _graphemes(word: str) -> tuple[str, ...]:
    """What a reader sees as one character each: a letter with its marks, a flag, an emoji family."""
    return (word,) if len(word) == 1 else tuple(grapheme_clusters(word))


def _hyphenates(before: str, after: str) -> bool:
    """Whether a break between these two characters inside a word gets a hyphen: between two letters of a script that
    hyphenates (Latin, Cyrillic); Arabic and Ethiopic are never hyphenated, and a break by a digit needs none."""
    return all(unicodedata.category(c[0])[0] == "L" and unicodedata.name(c[0], "").startswith(("LATIN", "CYRILLIC"))
               for c in (before, after))


def _wrap(paragraph: str, size: int, room, bold: bool, default: str, first: int) -> list[str]:
    """Greedy wrap in reading order at the breaks UAX #14 allows; a word wider than the line is broken between two
    graphemes, with a hyphen in Latin and Cyrillic script.

    `room(i)` is the width of the i-th line of the whole text (this paragraph's first line is line `first`).
    A line's width is the sum of its words and spaces, each measured once: measuring
    every candidate line anew made long texts quadratic.
    """
    lines: list[str] = []
    width = room(first)
    current, current_width = "", 0.0
    gap, gap_width = "", 0.0  # the spaces after the line so far: drawn only when a word follows on the same line

    def close(line: str) -> float:
        lines.append(line)
        return room(first + len(lines))

    for unit in units(paragraph):
        word = unit.rstrip(" ")
        spaces = unit[len(word):]
        word_width = line_width(word, size, bold, default)
        if current:
            estimate = current_width + gap_width + word_width
            # Shaping across words (Arabic joins, kerning) can differ from the sum: measure close calls whole.
            if estimate <= width and (estimate < width * 0.9
                                      or line_width(current + gap + word, size, bold, default) <= width):
                current, current_width = current + gap + word, estimate
                gap, gap_width = spaces, line_width(spaces, size, bold, default)
                continue
            width = close(current)
            current, current_width = "", 0.0
        gap, gap_width = spaces, line_width(spaces, size, bold, default)
        if word_width <= width:
            current, current_width = word, word_width
            continue
        # Too long for a short line beside a picture, but not for the long lines under it: leave the short ones empty.
        skip = next((n for n in (1, 2) if room(first + len(lines) + n) >= word_width), 0)
        if skip:
            for _ in range(skip):
                width = close("")
            current, current_width = word, word_width
            continue
        current, current_width, width = _break_word(word, size, bold, default, width, close)
    lines.append(current)
    return lines


def _break_word(word: str, size: int, bold: bool, default: str, width: float, close) -> tuple[str, float, float]:
    """A word too long for any line, over as many lines as it needs, never inside a grapheme; returns its last line,
    that line's width, and the width of the line it is on."""
    clusters = _graphemes(word)
    widths = [line_width(c, size, bold, default) for c in clusters]
    hyphen = line_width(HYPHEN, size, bold, default)
    start = 0
    while True:
        end, used = start, 0.0
        # At least one grapheme a line, however narrow the line.
        while end < len(clusters) and (used + widths[end] <= width or end == start):
            used += widths[end]
            end += 1
        if end == len(clusters):
            return "".join(clusters[start:]), used, width
        if _hyphenates(clusters[end - 1], clusters[end]):
            while end > start + 1 and used + hyphen > width:
                end -= 1
                used -= widths[end]
            width = close("".join(clusters[start:end]) + HYPHEN)
        else:
            width = close("".join(clusters[start:end]))
        start = end


@dataclass(frozen=True)
class Fitted:
    """Text laid out for a box: its lines, each line's paragraph direction, font context and width, and where they
    stand."""

    lines: tuple[str, ...]
    size: int
    line_height: int
    truncated: bool
    rtl: tuple[bool, ...] = ()
    defaults: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()
    # Each line's baseline, from the top of the box; and the height all lines take with their last descent.
    baselines: tuple[float, ...] = ()
    height: float = 0
    # How far each line's own box starts right of the text box's left edge: beside a picture at the left.
    offsets: tuple[float, ...] = ()

    def line(self, index: int, bold: bool) -> _Line:
        return _line(self.lines[index], self.size, bold, self.rtl[index], self.defaults[index])


def _place(lines: list[str], rtl: list[bool], defaults: list[str], size: int, bold: bool,
           line_spacing: float) -> tuple[list[float], list[float], float]:
    """The baselines of the lines, the tops of their letters, and the height they take, from the fonts each line uses.

    Lines of Latin script stand `line_spacing` em apart; a line with taller or deeper letters (Arabic) takes that
    much more room, so it never runs into its neighbours. The first and last lines keep all of their ink in the box.
    """
    if not lines:
        return [], [], 0.0
    pitch = round(size * line_spacing)
    latin = sum(fonts.reach(("latin",), size, bold))
    first = _line(lines[0], size, bold, rtl[0], defaults[0])
    last = _line(lines[-1], size, bold, rtl[-1], defaults[-1])
    baseline = max(first.ascent, -first.ink[1])
    baselines, tops = [baseline], [0.0]
    previous_descent = first.descent
    for index in range(1, len(lines)):
        if index == len(lines) - 1:
            ascent, descent = last.ascent, last.descent
        else:
            ascent, descent = _line_metrics(lines[index], size, bold, defaults[index])
        baseline += pitch * max(1.0, (previous_descent + ascent) / latin)
        baselines.append(baseline)
        tops.append(baseline - ascent)
        previous_descent = descent
    return baselines, tops, baseline + max(last.descent, last.ink[3])


def _line_metrics(text: str, size: int, bold: bool, default: str) -> tuple[float, float]:
    """The reach of the fonts a line uses, without laying it out: cheap enough for every line at every size."""
    return fonts.reach(_line_keys(text, default, bold), size, bold)


@functools.lru_cache(maxsize=20_000)
def _line_keys(text: str, default: str, bold: bool) -> frozenset[str]:
    if text.isascii():
        return frozenset(("latin",))
    return frozenset(k for k in fonts.keys(_reshaped(text), default, bold) if k) or frozenset((default,))


@dataclass
class _Try:
    lines: list[str]
    rtl: list[bool]
    defaults: list[str]
    widths: list[float]
    baselines: list[float]
    tops: list[float]
    height: float


def _lay_out(paragraphs, size, bold, line_spacing, room) -> _Try:
    lines, rtl, defaults = [], [], []
    for paragraph, right, default in paragraphs:
        for line in _wrap(paragraph, size, room, bold, default, len(lines)):
            lines.append(line)
            rtl.append(right)
            defaults.append(default)
    baselines, tops, height = _place(lines, rtl, defaults, size, bold, line_spacing)
    return _Try(lines, rtl, defaults, [room(i) for i in range(len(lines))], baselines, tops, height)


def _lay_out_beside(paragraphs, size, bold, line_spacing, width, narrow) -> _Try:
    """Lines that start above `narrow`'s height are `narrow`'s width (beside a picture); those below it the full width.

    Where a line starts depends on the lines before it, so the count of short lines is found by trying: at first as
    many as the tightest spacing allows, then as many as actually start beside the picture.
    """
    short_width, short_height = narrow
    short = math.ceil(short_height / max(1, round(size * line_spacing))) + 1
    best = None
    for _ in range(4):
        tried = _lay_out(paragraphs, size, bold, line_spacing, lambda i, n=short: short_width if i < n else width)
        needed = sum(1 for top in tried.tops if top < short_height)
        if needed <= short:
            best = tried
            if needed == short:
                break
            short = needed
        else:
            short = needed
    return best or tried


def fit_text(text: str, width: float, height: float, max_size: int, min_size: int, bold: bool = False,
             line_spacing: float = 1.3, max_lines: int | None = None,
             narrow: tuple[float, float] | None = None, picture_left: bool = False) -> Fitted:
    """Wrap `text` into the box; shrink it step by step to `min_size`; then cut it at a word and end in "…".

    Each paragraph ("\\n") reads in the direction of its first strong letter, on every one of its lines, and stands
    against the right edge when that is right to left. With `narrow` (a width and a height), the lines in the top of
    the box are shorter, to leave room at the right for a picture, or at the left with `picture_left`.
    """
    text = clean(text)
    paragraphs = [(p, writes_right_to_left(p), fonts.default_family(p)) for p in text.split("\n")]
    size = max_size
    while True:
        # Ink can reach a little past a glyph's advance; keep a sliver free on the right.
        sliver = size * 0.08
        if narrow:
            tried = _lay_out_beside(paragraphs, size, bold, line_spacing, width - sliver, (narrow[0] - sliver, narrow[1]))
        else:
            tried = _lay_out(paragraphs, size, bold, line_spacing, lambda i: width - sliver)
        if (not max_lines or len(tried.lines) <= max_lines) and tried.height <= height:
            return _fitted(tried, size, line_spacing, False, width - sliver if picture_left else None)
        if size <= min_size:
            break
        size = max(min_size, int(size * 0.9))
    return _cut(tried, size, height, bold, line_spacing, max_lines, width - sliver if picture_left else None)


def _fitted(tried: _Try, size: int, line_spacing: float, truncated: bool, full: float | None) -> Fitted:
    """`full`: the width of a whole line, when shorter lines leave their room at the left (for a picture there)."""
    offsets = () if full is None else tuple(full - width for width in tried.widths)
    return Fitted(tuple(tried.lines), size, round(size * line_spacing), truncated, tuple(tried.rtl),
                  tuple(tried.defaults), tuple(tried.widths), tuple(tried.baselines), tried.height, offsets)


def _cut(tried: _Try, size: int, height: float, bold: bool, line_spacing: float, max_lines: int | None,
         full: float | None) -> Fitted:
    """The lines that fit, the last ending in "…", cut after a whole word where the line has more than one."""
    keep = min(len(tried.lines), max_lines or len(tried.lines))
    while keep:
        _, _, used = _place(tried.lines[:keep], tried.rtl[:keep], tried.defaults[:keep], size, bold, line_spacing)
        if used <= height:
            break
        keep -= 1
    if keep == 0:
        # Not even one line fits: draw nothing rather than spill over the box.
        return Fitted((), size, round(size * line_spacing), bool("".join(tried.lines).strip()))
    lines = tried.lines[:keep]
    last, default = lines[-1], tried.defaults[keep - 1]
    while last and line_width(last.rstrip() + ELLIPSIS, size, bold, default) > tried.widths[keep - 1]:
        last = last.rsplit(" ", 1)[0] if " " in last.strip() else "".join(_graphemes(last)[:-1])
    lines[-1] = last.rstrip() + ELLIPSIS
    baselines, tops, used = _place(lines, tried.rtl[:keep], tried.defaults[:keep], size, bold, line_spacing)
    kept = _Try(lines, tried.rtl[:keep], tried.defaults[:keep], tried.widths[:keep], baselines, tops, used)
    return _fitted(kept, size, line_spacing, True, full)


def line_start(fitted: Fitted, index: int, bold: bool, left: float) -> float:
    """Where a line starts, in a box whose left edge is at `left`: against the right edge when it reads right to left."""
    line = fitted.line(index, bold)
    if fitted.offsets:
        left += fitted.offsets[index]
    if fitted.rtl[index]:
        # Ink past the right edge (a swash) moves the line in.
        right = left + fitted.widths[index] + fitted.size * 0.08
        return right - line.width - max(0.0, line.ink[2] - line.width)
    # Some glyphs reach left of their origin (a bold J); move them in so the ink stays in the box.
    return left + max(0.0, -line.ink[0])


def draw_fitted(draw: ImageDraw.ImageDraw, origin: tuple[float, float], fitted: Fitted, fill,
                bold: bool) -> tuple[tuple[float, float, float, float] | None, tuple[tuple[str, str], ...]]:
    """Draw fitted text from the box's top left: lines that read right to left stand against the right of their width.

    Returns where the ink landed, and each (font file, text) handed to Pillow, so a test can check every glyph.
    """
    ink = None
    drawn = []
    for index, baseline in enumerate(fitted.baselines):
        line = fitted.line(index, bold)
        x, y = line_start(fitted, index, bold, origin[0]), origin[1] + baseline
        for piece in line.pieces:
            f = fonts.font(piece.key, fitted.size, bold)
            direction = ("rtl" if piece.rtl else "ltr") if fonts.HAS_RAQM else None
            draw.text((x + piece.x, y), piece.text, font=f, fill=fill, anchor="ls", direction=direction)
            drawn.append((fonts.FONT_FILES[(piece.key, bold)], piece.text))
        if line.ink[2] > line.ink[0]:
            box = (x + line.ink[0], y + line.ink[1], x + line.ink[2], y + line.ink[3])
            ink = box if ink is None else (min(ink[0], box[0]), min(ink[1], box[1]),
                                           max(ink[2], box[2]), max(ink[3], box[3]))
    return ink, tuple(drawn)
