"""The client's own words as they are kept: exactly as typed, without the invisible characters that do harm."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["clean_text", "same_name", "writes_right_to_left", "DIRECTION_CONTROLS", "Spoken"]


@dataclass(frozen=True)
class Spoken:
    """One piece of a screen read aloud, in order: the app's words, or a client's own.

    `owner` (own words only): the id of what they belong to (a note, "wens"), so their speech goes when they do.
    `source` (the app's words only): the Dutch text it was translated from, which names a human recording.
    `language`: the language it is said in, where that is not the screen's (the first start says "choose your
    language" in every language, each in its own voice).
    """

    text: str
    own: bool = False
    owner: str = ""
    source: str = ""
    language: str = ""

# Explicit direction formatting (embeddings, overrides, isolates): a U+202E turns "gpj.exe" into "exe.jpg" and a
# poster line into mirror writing. The marks LRM/RLM and the joiners ZWJ/ZWNJ stay: Persian spelling needs ZWNJ,
# emoji families need ZWJ, and neither can turn text around.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str, multiline: bool = False) -> str:
    """`text` without control characters (NUL, ESC, C1) and direction overrides; nothing visible is changed.

    A line break stays in text of several lines (a note) and becomes a space in one line (an action).
    A tab becomes a space: it has no width of its own on a poster.
    """
    if text.isprintable() and not DIRECTION_CONTROLS.intersection(text):
        return text  # the usual case, at C speed
    # Every kind of line end counts as one: Windows's CR LF, an old Mac's CR, Unicode's line and paragraph separators.
    # A pasted Word or PowerPoint soft line break is a VT, a page break an FF, and some old text has NEL: line
    # ends as well, so the words on either side stay apart.
    for line_end in ("\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"):
        text = text.replace(line_end, "\n")
    kept = []
    for char in text:
        if char == "\n":
            kept.append("\n" if multiline else " ")
        elif char == "\t":
            kept.append(" ")
        elif char in DIRECTION_CONTROLS or unicodedata.category(char) == "Cc":
            continue
        else:
            kept.append(char)
    return "".join(kept)


def writes_right_to_left(text: str) -> bool:
    """Whether `text` reads from right to left: its first strong letter is Arabic, Persian or Hebrew.

    A star, a bullet, a digit or a bracket before it decides nothing, as in the Unicode bidi algorithm (P2).
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def same_name(typed: str, name: str) -> bool:
    """Whether `typed` is `name` as a person would say it: whatever the case ("sam" for "Sam"), however the
    keyboard composed its letters (an é typed as e and an accent), with spaces around it or doubled inside."""

    def folded(text: str) -> str:
        # NFKC, fold the case, NFKC again: folding can undo a composition (as Unicode's NFKC_Casefold does).
        return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).split())

    return folded(typed) == folded(name)
