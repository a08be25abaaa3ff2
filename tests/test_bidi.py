"""The poster's own bidi (kompas/poster/bidi.py) orders every line as python-bidi does, bracket pairs (rule N0) included."""

import random

import pytest
from bidi import get_display

from kompas.domain.words import writes_right_to_left
from kompas.poster import bidi

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى"
LATIN = "abcdefghijklmnopqrstuvwxyzAÉëçşİ"
MARKS = "\u064e\u064f\u0650\u0651\u0652\u0301"  # Arabic vowel signs and shadda, a combining acute
PUNCTUATION = ".,:;!?-+%€$#/'\"«»<>*&@=_…—–·•★"
BRACKETS = "()[]{}"


def _word(r: random.Random, letters: str) -> str:
    return "".join(r.choice(letters) + (r.choice(MARKS) if r.random() < 0.1 else "") for _ in range(r.randint(1, 7)))


_PIECES = (
    lambda r: _word(r, ARABIC),
    lambda r: _word(r, LATIN),
    lambda r: "".join(r.choice("0123456789") for _ in range(r.randint(1, 4))),
    lambda r: "".join(r.choice("٠١٢٣٤٥٦٧٨٩۰۱۲۳") for _ in range(r.randint(1, 3))),
    lambda r: r.choice(BRACKETS),
    lambda r: r.choice(BRACKETS) + _word(r, LATIN + ARABIC) + r.choice(BRACKETS),
    lambda r: r.choice(PUNCTUATION),
    lambda r: " ",
    lambda r: " ",
)


def random_line(r: random.Random) -> str:
    """Arabic and Latin words, Western and Arabic-Indic digits, brackets (paired or not), punctuation and spaces.

    No joiners (ZWJ, ZWNJ): invisible, and UAX #9 leaves it to each implementation where a retained one at the end of
    a line goes (section 5.2); python-bidi and ours choose differently.
    """
    return "".join(r.choice(_PIECES)(r) for _ in range(r.randint(1, 16)))


def in_visual_order(text: str, rtl: bool) -> str:
    return "".join(text[i] for i in bidi.visual_order(bidi.levels(text, rtl)))


def test_twelve_thousand_random_lines_stand_as_python_bidi_puts_them():
    """Seeded, so every run checks the same lines; each in both paragraph directions half the time."""
    r = random.Random(20)
    differences = []
    for _ in range(12_000):
        text, rtl = random_line(r), r.random() < 0.5
        if in_visual_order(text, rtl) != get_display(text, base_dir="R" if rtl else "L"):
            differences.append((text, rtl))
    assert differences == []


@pytest.mark.parametrize("text, shown", [
    # The line: the brackets stay around "wijkteam", not "(Anouk (wijkteam".
    ("اتصل ب Anouk (wijkteam)", "Anouk (wijkteam) ب لصتا"),
    ("مرحبا (Anouk) اليوم", "مويلا (Anouk) ابحرم"),
    ("Bel (مع أنوك) morgen", "Bel (كونأ عم) morgen"),
    ("[1] أتصل", "لصتأ [1]"),
])
def test_brackets_hold_what_they_held(text, shown):
    """As it stands on paper, read from the left: brackets mirrored where they read right to left."""
    assert bidi.visual(text, writes_right_to_left(text)) == shown
