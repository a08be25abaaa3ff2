"""Wrapping on the poster: lines end where Unicode lets them (UAX #14), never inside a grapheme, with a hyphen in a word
of Latin script that has to be broken."""

import random

import pytest
from uniseg.graphemecluster import grapheme_clusters
from uniseg.linebreak import line_break_units

from kompas.poster import textfit

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
TIGRINYA = "ኣብ፡ነፍሲ፡ወከፍ፡ሰሙን፡ምስ፡ጎረቤተይ፡ናብ፡ቤት፡መጻሕፍቲ፡ከይደ፡ቋንቋ፡ሆላንድ፡ክመሃርን፡ደብዳቤታት፡ካብ፡ምምሕዳር፡ከተማ፡ክንብብን፡እየ።"
DUTCH_40 = "arbeidsongeschiktheidsverzekeringsaanvraag"


def wrapped(text: str, width: int, size: int = 40) -> list[str]:
    fitted = textfit.fit_text(text, width, 100_000, size, size)
    assert not fitted.truncated
    return list(fitted.lines)


def test_emoji_families_stay_whole():
    """Nine families in a row on a narrow line: every line holds whole families, none ends in a joiner."""
    lines = wrapped(FAMILY * 9, 130)
    assert len(lines) > 2
    assert all(line and not line.endswith("\u200d") and line == FAMILY * (len(line) // len(FAMILY)) for line in lines)
    assert "".join(lines) == FAMILY * 9


def test_tigrinya_breaks_after_its_word_space():
    """Written with "፡" between words and no spaces: each line ends after a "፡" (or the sentence's end), never mid-word."""
    lines = wrapped(TIGRINYA, 600)
    assert len(lines) > 3
    assert all(line.endswith(("፡", "።")) for line in lines), lines
    assert "".join(lines) == TIGRINYA


def test_a_long_dutch_word_is_broken_with_a_hyphen():
    """Every line of the word but its last ends in a hyphen; without them the word is whole, and every line fits."""
    lines = wrapped(DUTCH_40, 500)
    assert len(lines) >= 2
    assert all(line.endswith(textfit.HYPHEN) for line in lines[:-1]) and not lines[-1].endswith(textfit.HYPHEN)
    assert "".join(line.removesuffix(textfit.HYPHEN) for line in lines) == DUTCH_40
    assert all(textfit.line_width(line, 40) <= 500 for line in lines)
    # In a sentence, the words around it keep their own lines' starts.
    lines = wrapped(f"Ik vraag een {DUTCH_40} aan", 500)
    assert lines[0] == "Ik vraag een" and lines[1].endswith(textfit.HYPHEN) and lines[-1].endswith(" aan")


@pytest.mark.parametrize("text", ["١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥", "أتصلبأختيكلأسبوعيومالجمعةبعدالصلاة"])
def test_no_hyphen_where_the_script_has_none(text):
    """Arabic letters and digits are broken too when they must be, but without a hyphen."""
    lines = wrapped(text, 300)
    assert len(lines) > 1 and "".join(lines) == text


def test_a_line_may_end_after_a_hyphen_in_a_word():
    """At its own hyphen, where UAX #14 allows it, and so with no second hyphen added."""
    lines = wrapped("Noord-Holland Noord-Holland", 200)
    assert lines == ["Noord-", "Holland", "Noord-", "Holland"]


def test_quick_cuts_agree_with_uniseg():
    """The quick path for plain text (letters, digits, commas, spaces) cuts exactly where uniseg cuts."""
    r = random.Random(14)
    alphabet = ["a", "é", "Z", "ж", "ب", "1", "٣", ",", ".", ":", " ", " ", "\u0301", "\u064e", "'", "(", ")", "-", "!", "★", "•", "·", "©"]
    for _ in range(3000):
        text = "".join(r.choice(alphabet) for _ in range(r.randint(1, 20)))
        textfit.units.cache_clear()
        assert textfit.units(text) == tuple(line_break_units(text)), text


def test_a_cut_line_ends_after_a_whole_grapheme():
    """A line cut short for "…" loses a whole family, never half of one."""
    fitted = textfit.fit_text(FAMILY * 12, 300, 60, 40, 40)
    assert fitted.truncated and fitted.lines[-1].endswith(textfit.ELLIPSIS)
    kept = fitted.lines[-1].removesuffix(textfit.ELLIPSIS)
    assert list(grapheme_clusters(kept)) == [FAMILY] * len(list(grapheme_clusters(kept)))
