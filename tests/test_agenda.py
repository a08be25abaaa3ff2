"""The look-back date as an iCalendar file: a VCALENDAR that calendar apps read, escaped and folded as RFC 5545 says,
small enough for a QR code that scans."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest
import zxingcpp

from kompas.poster.agenda import MAX_QR_VERSION, _code, calendar, escape, fold, qr_image

DAY, TODAY = date(2026, 12, 5), date(2026, 11, 21)


def parse(payload: str) -> icalendar.cal.Component:
    [event] = icalendar.Calendar.from_ical(payload).walk("VEVENT")
    return event


def test_a_calendar_with_one_whole_day_event():
    payload = calendar("Samen met papa een taart bakken", DAY, "abc@kompas", TODAY)
    assert payload.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") and payload.endswith("END:VCALENDAR\r\n")
    assert "\n" not in payload.replace("\r\n", "")
    calendar_ = icalendar.Calendar.from_ical(payload)
    assert str(calendar_["VERSION"]) == "2.0" and str(calendar_["PRODID"])
    event = parse(payload)
    assert event.decoded("DTSTART") == DAY and str(event["UID"]) == "abc@kompas"
    assert event.decoded("DTSTAMP").date() == TODAY
    assert str(event["SUMMARY"]) == "Samen met papa een taart bakken"
    assert calendar("Samen met papa een taart bakken", DAY, "abc@kompas", TODAY) == payload, "the same every time"


@pytest.mark.parametrize("summary", [
    "Koken; eten, en opruimen",
    "Back\\slash en ;,; door elkaar",
    "Regel één\nregel twee",
    "أتصل بأختي، كل أسبوع؛ مرة",
])
def test_text_is_escaped_and_reads_back_as_typed(summary):
    event = parse(calendar(summary, DAY, "x@kompas", TODAY))
    expected = " ".join(summary.split())
    shown = str(event["SUMMARY"])
    assert shown == expected or (shown.endswith("…") and expected.startswith(shown[:-1].rstrip()))


def test_escape_follows_rfc_5545():
    assert escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert escape("Bel\x00 de\u202e buren\u200f") == "Bel de buren"
    assert escape("می\u200cخواهم") == "می\u200cخواهم", "Persian keeps its zero-width non-joiner"


@pytest.mark.parametrize("text", ["a" * 200, "é" * 120, "ጥ" * 90, "😀" * 60, "ab" + "é" * 80])
def test_lines_are_folded_at_75_octets_never_inside_a_character(text):
    folded = fold("SUMMARY:" + text)
    lines = folded.split("\r\n")
    assert len(lines) > 1
    for index, line in enumerate(lines):
        octets = line.encode("utf-8")
        assert len(octets) <= 75
        assert index == 0 or line.startswith(" ")
        octets.decode("utf-8")  # each line on its own is whole UTF-8
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "SUMMARY:" + text


@pytest.mark.parametrize("summary", [
    "Ik ga elke dinsdag met mijn buurvrouw naar de bibliotheek om Nederlands te leren en de brieven te lezen",
    "أتصل بأختي كل أسبوع يوم الجمعة بعد الصلاة وأسألها عن أطفالها، ثم أذهب مع جارتي إلى السوق",
    "ኣብ ነፍሲ ወከፍ ሰሙን ምስ ጎረቤተይ ናብ ቤት መጻሕፍቲ ከይደ ቋንቋ ሆላንድ ክመሃርን",
    "Kennismakingsgesprekkenvoorwerkervaringsplaatsenbijdegemeenteamsterdamnoord" * 3,
    "Taart 🎂 bakken met 👩‍👧 en ❤️ voor oma",
])
def test_a_long_title_is_shortened_at_a_word_until_the_code_scans(summary):
    payload = calendar(summary, DAY, "0123456789ab@kompas", TODAY)
    code = _code(payload)
    assert code.version <= MAX_QR_VERSION
    shown = str(parse(payload)["SUMMARY"])
    assert shown.endswith("…")
    words, kept = summary.split(), shown[:-1].split()
    if len(words) > 1:
        assert kept == words[:len(kept)], "whole words only"
    else:
        assert summary.startswith(shown[:-1])
    # It is the longest start that fits: with one more word, it would not.
    if 1 < len(words) and len(kept) < len(words):
        longer = " ".join(words[:len(kept) + 1]) + "…"
        assert str(parse(calendar(longer, DAY, "0123456789ab@kompas", TODAY))["SUMMARY"]) != longer


def test_the_code_reads_back_as_the_calendar():
    payload = calendar("أتصل بأختي كل أسبوع", DAY, "abc@kompas", TODAY)
    image = qr_image(payload, module_px=6)
    [result] = zxingcpp.read_barcodes(image.convert("L"))
    assert result.text == payload
    assert parse(result.text).decoded("DTSTART") == DAY
