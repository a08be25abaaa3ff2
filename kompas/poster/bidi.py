"""The Unicode bidi algorithm (UAX #9) for one line of the poster: levels, visual order, mirrored brackets.

Our own, in pure Python: phone builds of Pillow have no raqm (which would run fribidi), and python-bidi has no phone
wheel. A line here never holds explicit embeddings or isolates (kompas/domain/words.py and textfit.clean take them out), so
the whole line is one isolating run sequence and the rules are W1-W7, N0-N2, I1-I2 and L1-L2.
"""

from __future__ import annotations

import functools
import sys
import unicodedata

__all__ = ["MIRRORED", "levels", "visual", "visual_order"]


def _bracket_pairs() -> dict[str, tuple[str, bool]]:
    """Each paired bracket (BidiBrackets.txt) with the opening bracket of its pair, and whether it opens.

    Built from the character database Python carries: the paired brackets are exactly the mirrored opening and closing
    punctuation; a closing bracket follows its opening one, one further on for [ ] and { } (and their full-width
    forms). U+2329 and U+232A stand for their canonical equivalents U+3008 and U+3009, as BD16 asks.
    """
    pairs: dict[str, tuple[str, bool]] = {}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) != "Ps" or not unicodedata.mirrored(char):
            continue
        closing = next(chr(c) for c in (code + 1, code + 2)
                       if unicodedata.category(chr(c)) == "Pe" and unicodedata.mirrored(chr(c)))
        opening = unicodedata.normalize("NFC", char)
        pairs[char], pairs[closing] = (opening, True), (opening, False)
    return pairs


_BRACKETS = _bracket_pairs()
# What reads right to left is drawn mirrored (rule L4): every paired bracket, and the quotation marks that point.
MIRRORED = str.maketrans({**{o: c for o, c in zip("<>«»‹›", "><»«›‹")},
                          **{char: next(other for other, (same, opens) in _BRACKETS.items()
                                        if same == opening and opens != is_open)
                             for char, (opening, is_open) in _BRACKETS.items()}})
# Rule BD16 keeps at most this many opening brackets open; past it, the line has no more pairs.
_MAX_OPEN = 63


def _strong(kind: str, embedding: str) -> str:
    """The direction a character gives its neighbours in rules N0 and N1: numbers count as right to left."""
    return "L" if kind == "L" else "R" if kind in ("R", "EN", "AN") else embedding


def _weak(kinds: list[str], embedding: str) -> None:
    """Rules W1 to W7, in place: marks, numbers, separators and terminators take their direction from around them."""
    n = len(kinds)
    previous = embedding
    for i, kind in enumerate(kinds):  # W1; joiners (BN) go with the character before them, as X9 leaves them
        if kind in ("NSM", "BN"):
            kinds[i] = previous
        previous = kinds[i]
    last = embedding
    for i, kind in enumerate(kinds):  # W2, W3
        if kind in ("L", "R", "AL"):
            last = kind
        elif kind == "EN" and last == "AL":
            kinds[i] = "AN"
    for i, kind in enumerate(kinds):
        if kind == "AL":
            kinds[i] = "R"
    for i in range(1, n - 1):  # W4
        if kinds[i] == "ES" and kinds[i - 1] == "EN" == kinds[i + 1]:
            kinds[i] = "EN"
        elif kinds[i] == "CS" and kinds[i - 1] == kinds[i + 1] and kinds[i - 1] in ("EN", "AN"):
            kinds[i] = kinds[i - 1]
    i = 0
    while i < n:  # W5
        j = i
        while j < n and kinds[j] == "ET":
            j += 1
        if j > i and ((i > 0 and kinds[i - 1] == "EN") or (j < n and kinds[j] == "EN")):
            kinds[i:j] = ["EN"] * (j - i)
        i = max(j, i + 1)
    for i, kind in enumerate(kinds):  # W6
        if kind in ("ES", "ET", "CS"):
            kinds[i] = "ON"
    last = embedding
    for i, kind in enumerate(kinds):  # W7
        if kind in ("L", "R"):
            last = kind
        elif kind == "EN" and last == "L":
            kinds[i] = "L"


def _pairs(text: str, kinds: list[str]) -> list[tuple[int, int]]:
    """Rule BD16: the bracket pairs of the line, by the position of their opening bracket."""
    open_ones: list[tuple[str, int]] = []
    pairs = []
    for i, char in enumerate(text):
        bracket = _BRACKETS.get(char)
        if bracket is None or kinds[i] != "ON":
            continue
        opening, opens = bracket
        if opens:
            if len(open_ones) == _MAX_OPEN:
                break
            open_ones.append((opening, i))
            continue
        for depth in range(len(open_ones) - 1, -1, -1):
            if open_ones[depth][0] == opening:
                pairs.append((open_ones[depth][1], i))
                del open_ones[depth:]
                break
    return sorted(pairs)


def _brackets(text: str, original: list[str], kinds: list[str], embedding: str) -> None:
    """Rule N0, in place: a bracket pair takes the direction of what it holds, or of what comes before it.

    "Anouk (wijkteam)" in an Arabic line keeps its brackets around "wijkteam", instead of one of them standing
    on the far side of the Latin words.
    """
    opposite = "R" if embedding == "L" else "L"
    for start, end in _pairs(text, kinds):
        inside = {_strong(kind, "") for kind in kinds[start + 1:end]}
        if embedding in inside:
            direction = embedding
        elif opposite in inside:
            before = next((_strong(kind, "") for kind in reversed(kinds[:start]) if _strong(kind, "")), embedding)
            direction = opposite if before == opposite else embedding
        else:
            continue
        for bracket in (start, end):
            kinds[bracket] = direction
            # Marks on a bracket (they were NSM before W1) go with it.
            i = bracket + 1
            while i < len(kinds) and original[i] == "NSM":
                kinds[i] = direction
                i += 1


@functools.lru_cache(maxsize=20_000)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The embedding level of each character of one line in a paragraph of direction `rtl`: odd reads right to left."""
    base, embedding = (1, "R") if rtl else (0, "L")
    original = [unicodedata.bidirectional(c) or "L" for c in text]
    kinds = list(original)
    n = len(kinds)
    _weak(kinds, embedding)
    if any(c in _BRACKETS for c in text):
        _brackets(text, original, kinds, embedding)
    i = 0
    while i < n:  # N1, N2
        if kinds[i] in ("B", "S", "WS", "ON"):
            j = i
            while j < n and kinds[j] in ("B", "S", "WS", "ON"):
                j += 1
            before = embedding if i == 0 else _strong(kinds[i - 1], embedding)
            after = embedding if j == n else _strong(kinds[j], embedding)
            kinds[i:j] = [before if before == after else embedding] * (j - i)
            i = j
        else:
            i += 1
    if base == 0:  # I1, I2
        result = [1 if k == "R" else 2 if k in ("EN", "AN") else 0 for k in kinds]
    else:
        result = [2 if k in ("L", "EN", "AN") else 1 for k in kinds]
    for i in range(n - 1, -1, -1):  # L1: spaces at the end of a line take the paragraph's level
        if original[i] not in ("WS", "BN", "S"):
            break
        result[i] = base
    return tuple(result)


def visual_order(line_levels) -> list[int]:
    """Rule L2: the logical positions in the order they stand on paper, from the left."""
    order = list(range(len(line_levels)))
    odd = [level for level in line_levels if level % 2]
    if not odd:
        return order
    for level in range(max(line_levels), min(odd) - 1, -1):
        i = 0
        while i < len(order):
            if line_levels[order[i]] >= level:
                j = i
                while j < len(order) and line_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def visual(text: str, rtl: bool) -> str:
    """The characters of one line in the order they stand on paper, brackets mirrored where they read right to left."""
    line_levels = levels(text, rtl)
    return "".join(text[i].translate(MIRRORED) if line_levels[i] % 2 else text[i] for i in visual_order(line_levels))
