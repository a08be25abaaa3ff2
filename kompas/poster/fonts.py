"""The poster's fonts: which bundled file draws which character, loaded for Pillow's layout engine, with their reach."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

from fontTools.ttLib import TTFont
from PIL import ImageFont, features

from kompas.base.resources import ASSETS_DIR

__all__ = ["CHAIN", "FONT_FILES", "HAS_RAQM", "JOINERS", "coverage", "default_family", "drawable", "font", "has", "keys",
           "reach", "switch_layout"]

# Phone builds of Pillow lack raqm; there Arabic is joined by arabic_reshaper and put in visual order by textfit.
HAS_RAQM = features.check("raqm")
_LAYOUT = ImageFont.Layout.RAQM if HAS_RAQM else ImageFont.Layout.BASIC

FONT_FILES = {
    ("latin", False): "NotoSans-Regular.ttf",
    ("latin", True): "NotoSans-Bold.ttf",
    ("arabic", False): "NotoSansArabic-Regular.ttf",
    ("arabic", True): "NotoSansArabic-Bold.ttf",
    ("ethiopic", False): "NotoSansEthiopic-Regular.ttf",
    ("ethiopic", True): "NotoSansEthiopic-Bold.ttf",
    # Noto Sans has no star; a two-glyph subset of Noto Sans Symbols 2 marks what matters most.
    ("symbol", False): "NotoSansSymbols2-Stars.ttf",
    ("symbol", True): "NotoSansSymbols2-Stars.ttf",
    # Monochrome Noto Emoji: prints as well as the words beside it. One weight is enough for a picture.
    ("emoji", False): "NotoEmoji-Regular.ttf",
    ("emoji", True): "NotoEmoji-Regular.ttf",
}
# Where a character goes when its own script's font lacks it: Noto Sans first, pictures last.
CHAIN = ("latin", "symbol", "emoji", "arabic", "ethiopic")
# Kept in the text for shaping (Persian ZWNJ, emoji ZWJ sequences, emoji presentation), though they have no ink.
JOINERS = frozenset({"\u200c", "\u200d", "\ufe0e", "\ufe0f"})


def switch_layout(raqm: bool) -> None:
    """Load fonts for raqm or for Pillow's basic layout from now on, as on a Pillow without raqm; fonts loaded before
    are dropped. Text measured before must be dropped too: `textfit.use_raqm` does both."""
    global HAS_RAQM, _LAYOUT
    HAS_RAQM = raqm and features.check("raqm")
    _LAYOUT = ImageFont.Layout.RAQM if HAS_RAQM else ImageFont.Layout.BASIC
    for cached in (font, _em_metrics):
        cached.cache_clear()


@functools.cache
def font(key: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(ASSETS_DIR / "fonts" / FONT_FILES[(key, bold)]), size, layout_engine=_LAYOUT)


@functools.cache
def coverage(file: str) -> frozenset[int]:
    """The characters a font file has a glyph for, from its cmap."""
    with TTFont(ASSETS_DIR / "fonts" / file, lazy=True) as ttf:
        return frozenset(ttf.getBestCmap())


def has(key: str, char: str, bold: bool) -> bool:
    return ord(char) in coverage(FONT_FILES[(key, bold)])


def drawable(char: str) -> bool:
    """Whether any bundled font has a glyph for the character."""
    return any(has(key, char, False) for key in CHAIN)


def _family(char: str) -> str | None:
    """The font a character asks for by its script; None for what any script uses (digits, punctuation, spaces)."""
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDFF \
            or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF or 0xAB00 <= code <= 0xAB2F:
        return "ethiopic"
    if unicodedata.category(char)[0] == "L":
        return "latin"
    return None


def default_family(text: str) -> str:
    """The font for a line without letters of its own: that of the paragraph's first letter."""
    return next((_family(c) for c in text if unicodedata.category(c)[0] == "L"), None) or "latin"


@functools.lru_cache(maxsize=8192)
def _choose(char: str, wanted: str, bold: bool) -> str | None:
    for key in (wanted, *CHAIN):
        if has(key, char, bold):
            return key
    return None


@functools.lru_cache(maxsize=8192)
def _kind(char: str) -> tuple[str | None, str | None, bool]:
    """Of one character: the script of a letter (None for any other), the font its script asks for, and whether it
    goes with the character before it (a mark or a joiner)."""
    category = unicodedata.category(char)
    family = _family(char)
    return (family if category[0] == "L" else None), family, char in JOINERS or category[0] == "M"


@functools.lru_cache(maxsize=20_000)
def keys(text: str, default: str, bold: bool) -> tuple[str | None, ...]:
    """The font for each character: its script's font, else the font of the letters around it, else the chain.

    A joiner or mark goes with the character before it, or is dropped (None) when that font lacks it.
    """
    kinds = [_kind(c) for c in text]
    # Each neutral character leans on the letter before it, or else the first letter after it.
    context: list[str | None] = []
    last = None
    for letter, _, _ in kinds:
        last = letter or last
        context.append(last)
    if None in context:
        following = default
        for i in range(len(text) - 1, -1, -1):
            following = kinds[i][0] or following
            if context[i] is None:
                context[i] = following
    chosen: list[str | None] = []
    for i, char in enumerate(text):
        _, family, attached = kinds[i]
        if attached:
            previous = chosen[-1] if chosen else None
            if previous is not None and has(previous, char, bold):
                chosen.append(previous)
            else:
                chosen.append(None if char in JOINERS else _choose(char, context[i], bold))
            continue
        wanted = family or context[i]
        # A symbol asked for as a picture ("❤️"): the emoji font, when it has it.
        if i + 1 < len(text) and text[i + 1] == "\ufe0f" and has("emoji", char, bold):
            wanted = "emoji"
        chosen.append(_choose(char, wanted, bold))
    return tuple(chosen)


# Letters that reach highest and lowest in each script, as clients write it: the reach of a line is that of these.
_REACH = {
    "latin": "ÅÉÎÔÛŚŻĞİÇŞĄĘЙЁЇҐgjpqyÿ",
    "arabic": "آأإبتثجحخدذرزسشصضطظعغفقكلمنهويپچژکگی",
    # The tallest and deepest in Noto Emoji (a unicorn, a tongue out), without measuring all 1,400.
    "emoji": "🦄😜😀🎂👍",
}


@functools.lru_cache(maxsize=64)
def _em_metrics(key: str, bold: bool) -> tuple[float, float]:
    """How far the letters of a font reach above and below the baseline, in em.

    Measured from the glyphs themselves, not taken from the font's header: Noto Sans Arabic declares a line 2.1 em
    high (for its rarest stacks of marks) where its letters need 1.5 em, and the star font declares a descent its
    stars never use. A rare letter reaching further is still kept in its box: see `textfit._place`.
    """
    file = FONT_FILES[(key, bold)]
    letters = _REACH.get(key) or "".join(chr(c) for c in sorted(coverage(file))
                                         if chr(c).isprintable() and not chr(c).isspace())
    measure = ImageFont.truetype(str(ASSETS_DIR / "fonts" / file), 1000, layout_engine=ImageFont.Layout.BASIC)
    _, top, _, bottom = measure.getbbox(letters, anchor="ls")
    return -top / 1000, bottom / 1000


def reach(font_keys: Iterable[str], size: int, bold: bool) -> tuple[float, float]:
    """How far the letters of these fonts reach above and below the baseline at `size`: the furthest of any."""
    ascent = descent = 0.0
    for key in font_keys:
        up, down = _em_metrics(key, bold)
        ascent, descent = max(ascent, up * size), max(descent, down * size)
    return ascent, descent
