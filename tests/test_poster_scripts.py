"""The poster in every script: no boxes for missing glyphs, nothing outside its box, the action whole, the date
always there, and a QR code that a phone reads as a calendar event; in each of the app's languages."""

from __future__ import annotations

import functools
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import zxingcpp
from bidi import get_display
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from kompas.base.resources import ASSETS_DIR
from kompas.domain import palette
from kompas.domain.model import Action, Condition, Kompas, Note, Paper, PosterChoice, PosterItem, Step
from kompas.domain.words import writes_right_to_left
from kompas.i18n import LANGUAGES, current_language, format_date, use_language
from kompas.poster import bidi, fonts, textfit
from kompas.poster.output import save_png
from kompas.poster.render import DPI, PREVIEW_DPI, render_poster

TODAY = date(2026, 11, 21)
MM = DPI / 25.4

DUTCH_120 = "Elke dinsdag ga ik met mijn buurvrouw naar de bibliotheek om Nederlands te leren en de brieven van de gemeente te lezen."
DUTCH_LONG_WORDS = ("Elke week oefen ik in het taalcafé met vrijwilligers de kennismakingsgesprekken voor werkervaringsplaatsen"
                    " in Amsterdam!")
HELPER_80 = "Mijn buurvrouw Fatima en haar dochter Noor, die op dinsdag ook naar de bieb gaan"
ARABIC_LONG = ("أتصل بأختي كل أسبوع يوم الجمعة بعد الصلاة وأسألها عن أطفالها، ثم أذهب مع جارتي أم أحمد إلى السوق لشراء"
               " الخضار والفواكه")
TIGRINYA_LONG = ("ኣብ ነፍሲ ወከፍ ሰሙን ምስ ጎረቤተይ ናብ ቤት መጻሕፍቲ ከይደ ቋንቋ ሆላንድ ክመሃርን ደብዳቤታት ካብ ምምሕዳር ከተማ ክንብብን እየ፣"
                 " ድሕሪኡ ድማ ምስ ደቀይ ናብ መናፈሻ ንኸይድ ኢና።")
PERSIAN = "هر هفته روز جمعه با خواهرم تلفنی صحبت می‌کنم و درباره‌ی بچه‌ها و کلاس زبان هلندی در کتابخانه حرف می‌زنیم"

NOTES = {
    "arabic": ["أنا أطبخ جيدا وأحب مساعدة جيراني", "أتصل بأختي كل أسبوع", "عندي ٣ أطفال وقطتان"],
    "persian": ["می‌خواهم رانندگی یاد بگیرم ۱۴۰۳", "کلاس زبان هلندی در کتابخانه", "«خانواده» برای من مهم است؟"],
    "mixed": ["ذهبت إلى Albert Heijn يوم 12 مايو، الساعة 3:30 (مع ابني)", "أدفع €12,50 كل week aan de sportschool؟",
              "Taalcafé in de bieb: كل يوم ثلاثاء 10:00–12:00 / 50% korting @ de Hema"],
    "tigrinya": ["3 ቆልዑ ኣለዉኒ (ክልተ ኣወዳትን ሓንቲ ጓልን)", "ሰዓት 9:30 ኣብ ቤት ትምህርቲ?", "100% ክኽእል እየ! \"ጽቡቕ\" 'ሰብ' / €5 …"],
    "emoji": ["Mijn dochter 👩‍👧 en ik ❤️", "🎂 verjaardag op 3 mei", "👍🏽 goed gedaan", "🇳🇱 Nederlands leren 📚 ✅"],
    "cyrillic and latin": ["Я добре готую борщ і вареники для всієї родини", "Їжа, ґанок, Євген, щастя",
                           "Çocuklarımla İstanbul'a gitmek istiyorum, ağabeyim Şükrü", "Źdźbło, żółć, gęś: chcę się uczyć"],
    "controls": ["Bellen\x00 met\x1b[31m de\u202e gemeente\u200f\x85 over\ttoeslag", "\u2066Huur\u2069 \x7fbetalen\u200b\ufeff",
                 "Regel één\nregel twee\r\nregel drie"],
}
STARRED = [("3 kinderen en 2 katten", True), ("أتصل بأختي كل أسبوع", True), ("ሰላም 2 ቆልዑ", True)]


def action(text: str, helper: str = "", condition: Condition = Condition.MEEDOEN) -> Action:
    return Action(text, condition, (TODAY + timedelta(days=14)).isoformat(), helper=helper, chosen=TODAY.isoformat())


def notes_of(*groups: str, starred=()) -> list[Note]:
    texts = [(text, False) for group in groups for text in NOTES[group]] + list(starred)
    return [Note(list(Condition)[i % 4], [Step.KRACHTEN, Step.WAARDEN, Step.INZET][i % 3], text, starred=star)
            for i, (text, star) in enumerate(texts)]


def hundred_and_fifty_notes() -> list[Note]:
    texts = [text for group in NOTES.values() for text in group] + [text for text, _ in STARRED]
    return [Note(list(Condition)[i % 4], [Step.KRACHTEN, Step.WAARDEN, Step.INZET][i % 3], f"{texts[i % len(texts)]} {i}",
                 starred=i % 7 == 0) for i in range(150)]


STRESS = {
    "dutch 120": Kompas(notes=notes_of("cyrillic and latin", starred=STARRED), wish="Een eigen huis met een tuin",
                        action=action(DUTCH_120, HELPER_80)),
    "dutch long words": Kompas(action=action(DUTCH_LONG_WORDS, "Papa")),
    "arabic": Kompas(notes=notes_of("arabic", "mixed", starred=STARRED), wish="بيت لأطفالي مع حديقة",
                     action=action(ARABIC_LONG, "أختي سارة وجارتي أم أحمد، وأحيانا Fatima van het buurthuis (06-12345678)")),
    "persian": Kompas(notes=notes_of("persian"), wish="یک خانه‌ی کوچک", action=action(PERSIAN, "خواهرم مریم")),
    "tigrinya": Kompas(notes=notes_of("tigrinya"), wish="ንደቀይ ጽቡቕ ገዛ (2027)", action=action(TIGRINYA_LONG, "ሓብተይ ሳባ")),
    "emoji": Kompas(notes=notes_of("emoji", starred=STARRED), wish="Samen naar zee 🌊☀️",
                    action=action("Taart bakken voor mama 🎂 met 👩‍👧 en ❤️", "Oma 👵🏻")),
    "controls": Kompas(notes=notes_of("controls"), wish="Rust\x07 in mijn hoofd\u202d",
                       action=action("Elke ochtend\nwandelen\r\nmet de hond\x0c en\u202e de buren groeten", "Ik\x00 zelf")),
    "150 notes": Kompas(notes=hundred_and_fifty_notes(), wish="Werk vinden: 💼 of ምሃር or تعلم",
                        action=action("Elke dag 20 minuten wandelen 🚶", "Mijn zus")),
}
# The actions the poster promises to keep whole: up to 120 characters.
WHOLE = ["dutch 120", "dutch long words", "arabic", "persian", "tigrinya", "emoji", "controls"]
# Ignorable in a font that lacks them: raqm and the fallback leave them out, they have no ink.
EVERY_ITEM = PosterChoice(items=frozenset(PosterItem))


def test_the_stress_set_is_as_long_as_the_issue_asks():
    assert len(DUTCH_120) == 120 and len(DUTCH_LONG_WORDS) == 120 and len(HELPER_80) == 80
    assert 110 <= len(ARABIC_LONG) <= 120 and 110 <= len(TIGRINYA_LONG) <= 120
    assert len(STRESS["150 notes"].notes) == 150


@functools.cache
def cmap(file: str) -> frozenset[int]:
    """Read here with fontTools, apart from what the renderer reads."""
    return frozenset(TTFont(ASSETS_DIR / "fonts" / file).getBestCmap())


@functools.cache
def rendered(name: str, language: str, paper: Paper = Paper.A4, raqm: bool = True, dpi: int = DPI):
    """The placements and QR payload of a stress poster (its image is dropped: 26 MB each)."""
    textfit.use_raqm(raqm)
    try:
        with use_language(language):
            poster = render_poster(STRESS[name], PosterChoice(items=frozenset(PosterItem), paper=paper), TODAY, dpi=dpi)
    finally:
        textfit.use_raqm(True)
    return poster.placements, poster.qr_payload


def missing_glyphs(placements) -> list[tuple[str, str, str]]:
    return [(p.role, file, char) for p in placements for file, text in p.drawn for char in text
            if ord(char) not in cmap(file)]


def within(inner, outer, slack=2) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def words(text: str) -> list[str]:
    return textfit.clean(text).split()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STRESS))
def test_every_character_is_drawn_in_a_font_that_has_it(name, language):
    placements, _ = rendered(name, language)
    drawn = [text for p in placements for _, text in p.drawn]
    assert drawn, "the renderer records what it draws"
    assert missing_glyphs(placements) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STRESS))
def test_nothing_is_drawn_outside_its_box(name, language):
    placements, _ = rendered(name, language)
    for placement in placements:
        if placement.ink:
            assert within(placement.ink, placement.box), (placement.role, placement.box, placement.ink)


@pytest.mark.parametrize("paper", list(Paper))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", WHOLE)
def test_an_action_up_to_120_characters_is_printed_whole(name, language, paper):
    placements, _ = rendered(name, language, paper)
    placed = next(p for p in placements if p.role == "action")
    assert not placed.truncated
    # Every word, in order (a word too long for a line may be broken over two).
    assert "".join(words(placed.text)) == "".join(words(STRESS[name].action.text))
    cap = fonts.font("latin", placed.size_px, bold=True).getbbox("H")
    assert (cap[3] - cap[1]) / MM / (1 if paper is Paper.A4 else 297 / 210) >= 8 - 0.1, "capitals of 8 mm at least"


@pytest.mark.parametrize("paper", list(Paper))
def test_a_longer_action_is_cut_only_after_a_whole_word(paper):
    text = " ".join([DUTCH_120] * 4)
    kompas = Kompas(action=action(text, HELPER_80))
    placed = next(p for p in render_poster(kompas, PosterChoice(paper=paper), TODAY).placements if p.role == "action")
    assert placed.truncated and placed.text.endswith("…")
    shown = words(placed.text.removesuffix("…"))
    assert len(" ".join(shown)) > 150, "it keeps more than the 120 characters it promises"
    assert shown == words(text)[:len(shown)], "whole words, in order"


def test_a_cut_ends_after_a_whole_word():
    """When "…" does not fit after the last word that fits, that word goes, not a few of its letters."""
    size = 60
    width = textfit.line_width("kinderen speelplaats", size) + size * 0.08 + 2
    fitted = textfit.fit_text("kinderen speelplaats " * 5, width, 1000, size, size, max_lines=1)
    assert fitted.truncated and fitted.lines == ("kinderen…",)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(STRESS))
def test_the_look_back_date_is_always_printed(name, language):
    placements, _ = rendered(name, language)
    placed = next(p for p in placements if p.role == "action-date")
    with use_language(language):
        day = format_date(date.fromisoformat(STRESS[name].action.look_back), TODAY)
    assert not placed.truncated and day in placed.text.replace("\n", " ")


def decode_calendar(path: Path) -> icalendar.Calendar:
    with Image.open(path) as image:
        results = zxingcpp.read_barcodes(image.convert("L"))
    assert len(results) == 1
    return icalendar.Calendar.from_ical(results[0].text)


@pytest.mark.parametrize("name", list(STRESS))
def test_the_qr_code_reads_as_a_calendar_with_the_look_back_day(tmp_path, name):
    kompas = STRESS[name]
    with use_language("ar"):
        poster = render_poster(kompas, EVERY_ITEM, TODAY)
    save_png(poster, tmp_path / "poster.png")
    calendar = decode_calendar(tmp_path / "poster.png")
    assert calendar.name == "VCALENDAR" and str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == date.fromisoformat(kompas.action.look_back)
    assert event.decoded("DTSTAMP").date() == TODAY and str(event["UID"]).endswith("@poster")
    # The event lands in a calendar others may see: nothing in it names the app.
    assert "kompas" not in poster.qr_payload.lower()
    summary = str(event["SUMMARY"])
    whole = words(" ".join(kompas.action.text.split()))
    if summary.endswith("…"):
        shown = summary.removesuffix("…").split()
        assert shown and shown == whole[:len(shown)], "shortened after a whole word"
    else:
        assert summary.split() == whole
    qr = next(p for p in poster.placements if p.role == "qr")
    modules = (qr.box[2] - qr.box[0]) // qr.size_px - 8
    assert (modules - 17) // 4 <= 10 and qr.size_px / MM >= 0.6


@pytest.mark.parametrize("name", ["arabic", "tigrinya", "emoji", "150 notes"])
def test_without_raqm_every_glyph_is_there_and_inside_its_box(name):
    """Phone builds of Pillow have no raqm: Arabic is joined by arabic_reshaper and ordered by our bidi."""
    placements, payload = rendered(name, "ar", raqm=False)
    assert missing_glyphs(placements) == []
    for placement in placements:
        if placement.ink:
            assert within(placement.ink, placement.box), placement.role
    placed = next(p for p in placements if p.role == "action")
    if name in WHOLE:
        assert not placed.truncated
    assert any(p.role == "action-date" and not p.truncated for p in placements)


@pytest.mark.parametrize("dpi", [DPI, PREVIEW_DPI])
def test_the_preview_records_its_glyphs_too(dpi):
    placements, _ = rendered("emoji", "ti", dpi=dpi)
    assert missing_glyphs(placements) == []
    assert any(file.startswith("NotoEmoji") for p in placements for file, _ in p.drawn)


def drawn_in(placements, role_start: str) -> list[tuple[str, str]]:
    return [piece for p in placements if p.role.startswith(role_start) for piece in p.drawn]


def test_the_star_font_draws_stars_only():
    placements, _ = rendered("dutch 120", "nl")
    star = [text for file, text in drawn_in(placements, "notes-") if file == "NotoSansSymbols2-Stars.ttf"]
    assert star and set("".join(star)) == {"★"}
    note = next(p.text for p in placements if "kinderen en 2 katten" in p.text)
    assert "★ 3 kinderen en 2 katten" in note


def test_emoji_and_other_scripts_are_drawn_with_their_own_fonts():
    placements, _ = rendered("emoji", "nl")
    emoji = "".join(text for file, text in drawn_in(placements, "") if file == "NotoEmoji-Regular.ttf")
    for picture in ("🎂", "👩", "❤", "📚", "✅"):
        assert picture in emoji
    placements, _ = rendered("tigrinya", "nl")
    by_font = {}
    for file, text in drawn_in(placements, "notes-"):
        by_font.setdefault(file, "")
        by_font[file] += text
    assert "3" in by_font["NotoSans-Regular.ttf"] and "(" in by_font["NotoSans-Regular.ttf"]
    assert "ቆልዑ" in by_font["NotoSansEthiopic-Regular.ttf"]
    assert not set("0123456789()?%!\"'/€…") & set(by_font["NotoSansEthiopic-Regular.ttf"])


BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("raqm", [True, False])
def test_control_characters_are_never_drawn(raqm):
    placements, _ = rendered("controls", "nl", raqm=raqm)
    for file, text in drawn_in(placements, ""):
        assert not any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS or c in "\u200b\ufeff" for c in text), text
    action_text = next(p.text for p in placements if p.role == "action")
    assert "Elke ochtend wandelen met de hond" in action_text.replace("\n", " ")


def test_without_raqm_joiners_are_not_drawn():
    """Persian's zero-width non-joiner has done its work once the letters are joined; Pillow's basic layout would
    draw the bar Noto Sans Arabic gives it."""
    placements, _ = rendered("persian", "fa", raqm=False)
    drawn = "".join(text for _, text in drawn_in(placements, ""))
    assert drawn and not set(drawn) & {"\u200c", "\u200d", "\ufe0f"}


def test_one_paragraph_reads_in_one_direction_on_every_line():
    """An Arabic note with Dutch words and numbers: every line right to left, even one that starts with Dutch."""
    text = "★ " + " ".join(NOTES["mixed"][:2] * 3)
    fitted = textfit.fit_text(text, 900, 5000, 60, 60)
    assert len(fitted.lines) > 3 and all(fitted.rtl)
    assert any(line.lstrip("★ ")[:1].isascii() for line in fitted.lines[1:]), "a line that starts with Dutch"
    assert bidi.visual("★ أتصل بأختي", True).endswith("★"), "the star stands where the Arabic sentence starts"
    assert not writes_right_to_left("• 3 kinderen en أتصل")


MIXED_LINES = [
    "ذهبت إلى Albert Heijn يوم 12 مايو، الساعة 3:30",
    "أدفع €12,50 كل week aan de sportschool",
    "Bellen met Ayşe — اتصل بأختي 2 keer",
    "سعر 50% و 3.5 يورو",
    "رقم ١٢٣ و 456-789",
    "I said: «سلام» ok.",
    "★ أتصل بأختي كل أسبوع",
    "Taalcafé in de bieb: كل يوم ثلاثاء 10:00",
    "(مرحبا) Albert (هاي)",
]


@pytest.mark.parametrize("text", MIXED_LINES)
def test_mixed_lines_follow_the_unicode_bidi_algorithm(text):
    """Our bidi (for both layout engines) orders a line as python-bidi does; brackets only differ in being mirrored."""
    same = str.maketrans("()", "||")
    assert bidi.visual(text, writes_right_to_left(text)).translate(same) == get_display(text).translate(same)


@pytest.mark.parametrize("raqm", [True, False])
def test_a_name_in_brackets_in_an_arabic_line_keeps_its_brackets(raqm):
    """"Anouk (wijkteam)" in an Arabic note is drawn as one stretch, in both layout engines, not as "(Anouk (wijkteam"."""
    textfit.use_raqm(raqm)
    try:
        fitted = textfit.fit_text("اتصل ب Anouk (wijkteam)", 3000, 500, 60, 60)
        pieces = [piece.text for piece in fitted.line(0, False).pieces]
    finally:
        textfit.use_raqm(True)
    assert fitted.rtl == (True,)
    assert "Anouk (wijkteam)" in [piece.strip() for piece in pieces]
    # Read from the left as on paper: the Latin words first, the Arabic that starts the line at the right.
    assert "".join(pieces).strip().startswith("Anouk (wijkteam)")


def inked(fitted, index: int = 0) -> list[tuple[str, float, float, float]]:
    """Each inked piece of a line, left to right: its text, and the left, right and bottom of its ink."""
    line = fitted.line(index, False)
    shown = []
    for piece in line.pieces:
        if piece.text.strip():
            direction = ("rtl" if piece.rtl else "ltr") if fonts.HAS_RAQM else None
            box = fonts.font(piece.key, fitted.size).getbbox(piece.text, anchor="ls", direction=direction)
            shown.append((piece.text, piece.x + box[0], piece.x + box[2], box[3]))
    return shown


def test_words_in_two_scripts_keep_their_space():
    """Not "إلىAlbert": the space between an Arabic and a Latin word stays a space on paper."""
    fitted = textfit.fit_text("ذهبت إلى Albert Heijn", 2000, 500, 60, 60)
    line = fitted.line(0, False)
    assert [p.text.strip() for p in line.pieces] == ["Albert Heijn", "ذهبت إلى"]
    image = Image.new("L", (2000, 500), 0)
    textfit.draw_fitted(ImageDraw.Draw(image), (0, 0), fitted, 255, False)
    start = textfit.line_start(fitted, 0, False, 0) + line.pieces[1].x
    columns = image.crop((round(start) - 1, 0, round(start + 0.2 * fitted.size), 500))
    assert columns.getbbox() is None, "blank where the space between the two words is"
    assert image.crop((round(start - 0.3 * fitted.size), 0, round(start), 500)).getbbox(), "Heijn ends there"


def test_one_line_of_two_scripts_stands_on_one_baseline():
    """Latin, Arabic and Ethiopic letters on one line share its baseline, whatever each font's ascent."""
    fitted = textfit.fit_text("xxx بيت ሰላም xxx", 2000, 500, 120, 120)
    image = Image.new("L", (2000, 500), 0)
    textfit.draw_fitted(ImageDraw.Draw(image), (0, 0), fitted, 255, False)
    shift = textfit.line_start(fitted, 0, False, 0)
    baselines = []
    for text, left, right, bottom in inked(fitted):
        ink = image.crop((round(shift + left), 0, round(shift + right), 500)).getbbox()
        baselines.append(ink[3] - bottom)
    assert len(baselines) == 4 and max(baselines) - min(baselines) <= 2, baselines
    assert abs(baselines[0] - fitted.baselines[0]) <= 2


def test_arabic_lines_take_their_real_height_not_the_fonts_declared_one():
    """"أتصل بأختي كل أسبوع" as the action: two whole lines with capitals of 10 mm (Noto Sans Arabic declares a line
    of 2.1 em, which left room for one line and a box), spaced by how far Arabic letters really reach."""
    kompas = Kompas(action=action("أتصل بأختي كل أسبوع", "أختي"))
    placed = next(p for p in render_poster(kompas, PosterChoice(), TODAY).placements if p.role == "action")
    assert not placed.truncated and placed.text.split("\n") == ["أتصل بأختي كل", "أسبوع"]
    assert placed.size_px >= round(14.2 * MM)
    fitted = textfit.fit_text("أتصل بأختي كل أسبوع", 1500, 2000, placed.size_px, placed.size_px, bold=True,
                              line_spacing=1.12)
    pitch = fitted.baselines[1] - fitted.baselines[0]
    assert fitted.line_height < pitch <= 1.3 * fitted.line_height


def greys() -> dict[Condition, int]:
    return {c: Image.new("RGB", (1, 1), colour).convert("L").getpixel((0, 0))
            for c, colour in palette.CONDITION_COLOURS.items()}


def contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_four_conditions_are_four_greys_in_a_grey_print():
    values = sorted(greys().values())
    assert all(b - a >= 12 for a, b in zip(values, values[1:])), greys()
    for colour in palette.CONDITION_COLOURS.values():
        assert contrast(colour, palette.INK) >= 7


@pytest.fixture
def translated(monkeypatch):
    """A stand-in catalogue, so the test does not depend on any translation: every label marked with its language."""
    from kompas.poster import render as poster

    def fake(message: str, **values: object) -> str:
        template = message if current_language() == "nl" else f"[{current_language()}] {message}"
        return template.format(**values) if values else template

    monkeypatch.setattr(poster, "_", fake)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "nl"])
def test_dutch_labels_stand_beside_the_labels_for_the_begeleider(translated, language):
    kompas = STRESS["arabic"]
    with use_language(language):
        plain = render_poster(kompas, EVERY_ITEM, TODAY, dpi=PREVIEW_DPI)
        both = render_poster(kompas, PosterChoice(items=frozenset(PosterItem), dutch_labels=True), TODAY, dpi=PREVIEW_DPI)
    assert not any(p.role.endswith("-nl") for p in plain.placements)
    dutch = {p.role: p.text for p in both.placements if p.role.endswith("-nl")}
    assert dutch["action-label-nl"] == "Mijn actie voor de komende weken"
    assert dutch["wish-label-nl"] == "Mijn wens voor later"
    assert dutch["name-meedoen-nl"] == "Meedoen"
    assert next(p.text for p in both.placements if p.role == "action-label").startswith(f"[{language}]")
    for placement in both.placements:
        if placement.ink:
            assert within(placement.ink, placement.box, slack=1), placement.role
    # The Dutch under a condition's name pushes its notes down: no two texts print over each other. (The action
    # flows beside the QR code and then under it, so its ink's outer box holds the code's caption: left out.)
    texts = [p for p in both.placements if p.ink and p.text and p.role != "action"]
    for index, one in enumerate(texts):
        for other in texts[index + 1:]:
            assert not overlap(one.ink, other.ink), (one.role, other.role)


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_no_dutch_labels_on_a_dutch_poster(translated):
    with use_language("nl"):
        poster = render_poster(STRESS["dutch 120"], PosterChoice(dutch_labels=True), TODAY, dpi=PREVIEW_DPI)
    assert not any(p.role.endswith("-nl") for p in poster.placements)


def line_starts(image: Image.Image, box: tuple[int, int, int, int], rtl: bool, split: int) -> tuple[int, int]:
    """Where the lines of text in `box` start, read in their direction, above the row `split` and below it: the
    rightmost ink for right to left, else the leftmost."""
    crop = image.crop(box).convert("L").point(lambda v: 255 if v < 110 else 0)
    starts: tuple[list[int], list[int]] = ([], [])
    for row in range(crop.height):
        inked = crop.crop((0, row, crop.width, row + 1)).getbbox()
        if inked:
            starts[box[1] + row >= split].append(inked[2] if rtl else inked[0])
    assert all(starts), "lines beside the QR code and under it"
    return tuple((max if rtl else min)(side) for side in starts)


@pytest.mark.parametrize("language, text", [("ar", ARABIC_LONG), ("fa", PERSIAN), ("nl", DUTCH_120)])
def test_the_actions_lines_start_at_one_edge_beside_the_qr_code_and_under_it(language, text):
    """The QR code stands where the action's lines end: at the left when they read right to left."""
    with use_language(language):
        poster = render_poster(Kompas(action=action(text)), EVERY_ITEM, TODAY, dpi=100)
    placed = {p.role: p for p in poster.placements}
    qr, words = placed["qr"].box, placed["action"].box
    rtl = language != "nl"
    assert (qr[2] < (words[0] + words[2]) / 2) == rtl, "the QR code is on the side where the lines end"
    beside, under = line_starts(poster.image, words, rtl, split=placed["qr-caption"].box[3])
    assert abs(beside - under) <= 100 / 25.4 * 2, "lines beside the QR code start within 2 mm of those under it"
