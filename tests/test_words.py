"""Invisible control characters never reach the stored kompas; every visible letter of every script does."""

import random
import unicodedata
from datetime import date, timedelta

import pytest

from kompas.domain.model import Condition, Mood, Step
from kompas.domain.words import DIRECTION_CONTROLS, clean_text, same_name
from kompas.store.storage import DB_FILE
from kompas.workbook.workbook import Outcome

TODAY = date(2026, 11, 21)
# What clients write: every script the app speaks, emoji with joiners, Persian with its zero-width non-joiner.
SCRIPTS = [
    "Ik kook graag soep 🍲", "أتصل بأختي كل أسبوع", "ኣብ ሰሙን ሓደ ግዜ ንሓብተይ ክድውል እየ።", "Kız kardeşimi ararım",
    "Я дзвоню сестрі щотижня", "هر هفته به خواهرم زنگ می\u200cزنم", "Dzwonię do siostry co tydzień",
    "👩\u200d👧 ❤️ 🎂", "Arabisch met Nederlands: اتصل بـ Albert Heijn om 9:30 (€5)",
]
# What a browser can send without anyone seeing it: NUL, ESC, a bell, C1 controls, and the direction overrides.
HIDDEN = ["\x00", "\x1b", "\x07", "\x9b", "\u202e", "\u202d", "\u2066", "\u2069", "\x7f"]


def test_visible_text_in_every_script_comes_back_exactly():
    for text in SCRIPTS:
        assert clean_text(text) == text and clean_text(text, multiline=True) == text


def test_hidden_characters_go_and_nothing_else_changes():
    shaken = random.Random(7)
    for text in SCRIPTS:
        for _ in range(50):
            chars = list(text)
            for _ in range(3):
                chars.insert(shaken.randrange(len(chars) + 1), shaken.choice(HIDDEN))
            cleaned = clean_text("".join(chars))
            assert cleaned == text
            assert not any(unicodedata.category(c) == "Cc" or c in DIRECTION_CONTROLS for c in cleaned)


def test_line_breaks_stay_in_a_note_and_become_spaces_in_one_line():
    assert clean_text("een\r\ntwee\rdrie\u2028vier", multiline=True) == "een\ntwee\ndrie\nvier"
    assert clean_text("een\r\ntwee\ttab", multiline=False) == "een twee tab"
    # A soft line break pasted from Word (VT), a page break (FF) and NEL keep the words apart.
    assert clean_text("regel1\x0bregel2\x0cregel3\x85regel4", multiline=True) == "regel1\nregel2\nregel3\nregel4"
    assert clean_text("regel1\x0bregel2") == "regel1 regel2"


@pytest.mark.parametrize("hidden", HIDDEN)
def test_nothing_stored_carries_a_hidden_character(workbook, hidden):
    dirty = f"Mijn{hidden} zus{hidden}\nbellen"
    assert workbook.add_note(Condition.ERBIJ_HOREN, Step.KRACHTEN, dirty) is Outcome.SAVED
    assert workbook.set_wish(dirty) is Outcome.SAVED
    assert workbook.choose_action(dirty, Condition.ERBIJ_HOREN, TODAY + timedelta(days=14), TODAY,
                                  helper=dirty, first_step=dirty) is Outcome.SAVED
    assert workbook.check_in(Mood.GOED, TODAY, note=dirty) is Outcome.SAVED
    assert workbook.change_poster(name=dirty) is Outcome.SAVED
    kompas = workbook.store.load()
    assert kompas.notes[0].text == kompas.wish == kompas.checkins[0].note == "Mijn zus\nbellen"
    # The action is one line: on the poster and in the calendar code a line break would split it.
    assert kompas.action.text == kompas.action.helper == kompas.action.first_step == "Mijn zus bellen"
    assert kompas.poster.name == "Mijn zus bellen"
    assert workbook.look_back(dirty, dirty, dirty, TODAY) is Outcome.SAVED
    # The file itself, as written: the JSON escapes of a control character would be "\u0000" and the like.
    if workbook.store.in_file:
        # The file as written: neither the character itself nor its JSON escape ("\u0000") is in it.
        raw = (workbook.store.folder / DB_FILE).read_text(encoding="utf-8")
        assert "Mijn zus" in raw
        assert hidden not in raw and f"\\u{ord(hidden):04x}" not in raw.lower()


def test_a_note_of_only_hidden_characters_is_empty(workbook):
    assert workbook.add_note(Condition.MEEDOEN, Step.WAARDEN, "\x00\u202e\x1b") is Outcome.EMPTY
    assert list(workbook.kompas.notes) == []


def test_the_direction_of_a_clients_words_comes_from_their_first_strong_letter():
    from kompas.domain.words import writes_right_to_left

    assert writes_right_to_left("★ أتصل بأختي") and writes_right_to_left("• 3 نامه")
    assert writes_right_to_left("(12) اتصل بـ Albert Heijn")
    assert not writes_right_to_left("★ 3 kinderen en 2 katten") and not writes_right_to_left("(3) ኣብ ሰሙን")
    assert not writes_right_to_left("Bel Samira: اتصل") and not writes_right_to_left("123 ★ …")


def test_a_name_typed_to_confirm_counts_whatever_its_case_and_however_its_letters_were_composed():
    assert same_name("sam", "Sam") and same_name(" SAM ", "Sam")
    assert same_name("Zoe\u0308", "Zo\u00eb")  # ë typed as e and a combining diaeresis
    assert same_name("ZOË", "zoë") and same_name("Straße", "STRASSE")
    assert same_name("Noor  van Dam", "Noor van Dam")
    assert same_name("Олена", "олена") and same_name("ﺳﺎﺭﺍ", "سارا")  # Arabic presentation forms
    assert not same_name("Sem", "Sam") and not same_name("", "Sam") and not same_name("Sam2", "Sam")
