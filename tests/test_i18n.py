"""Every user-facing string goes through the one translation function, and every catalogue is complete."""

import ast
import gettext
import re
import sys
from datetime import date
from pathlib import Path

import polib
import pytest

from kompas.i18n import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    _,
    catalog_path,
    current_language,
    format_date,
    is_right_to_left,
    known_language,
    ngettext,
    set_language_source,
    use_language,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from catalog import TEMPLATE, UNREVIEWED, extract, extract_all, plural_forms  # noqa: E402

PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Calls whose positional arguments are shown to a person.
SHOWN_ARGS = {"Text", "Button", "FilledButton", "OutlinedButton", "TextButton", "SnackBar", "Body", "Heading",
              "TextInput", "show_message", "print", "Tab", "IconAction", "ConditionChip", "Switch"}
# Keyword arguments that are shown to a person or read out by a screen reader.
SHOWN_KEYWORDS = {"label", "hint_text", "tooltip", "semantics_label", "help_text", "cancel_text", "confirm_text",
                  "title", "text", "help", "description", "error_text", "helper_text", "content"}


def bypasses(source: str, filename: str = "<code>") -> list[str]:
    """Literal strings handed straight to something a person sees, without `_`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        # page.title = "..." names the browser tab: shown too.
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "title" for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node.value)}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        shown = list(node.args) if func in SHOWN_ARGS else []
        # A SnackBar's action is a button label; argparse's action is not.
        keywords = SHOWN_KEYWORDS | ({"action"} if func == "SnackBar" else set())
        shown += [k.value for k in node.keywords if k.arg in keywords]
        for arg in shown:
            literal = isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
            if literal and re.search(r"[A-Za-z]{2}", ast.unparse(arg)):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(arg)}")
    return found


def user_facing_modules():
    return [*sorted((ROOT / "kompas" / "ui").glob("*.py")), ROOT / "kompas" / "cli.py"]


def test_the_bypass_check_catches_a_bare_string():
    assert bypasses('ft.Text("Hallo wereld")')
    assert bypasses('ft.IconButton(icon, tooltip="Terug")')
    assert bypasses('show_message(page, f"Klaar {x}")')
    assert bypasses('ft.SnackBar(ft.Text(_("Weg")), action="Terugzetten")')
    assert bypasses('IconAction(ft.Icons.STAR, "Ster geven", on_click)')
    assert bypasses('page.title = "Mijn kompas"')
    assert not bypasses('ft.Text(_("Hallo wereld"))')
    assert not bypasses('ft.Text(note.text)')


@pytest.mark.parametrize("path", user_facing_modules(), ids=lambda p: p.name)
def test_no_user_facing_string_bypasses_the_translation_function(path):
    assert bypasses(path.read_text(encoding="utf-8"), path.name) == []


def test_the_template_holds_exactly_the_messages_in_the_code():
    template = {e.msgid for e in polib.pofile(str(TEMPLATE))}
    assert template == set(extract()), "run: python tools/catalog.py"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_message_with_the_same_placeholders(language):
    po = polib.pofile(str(catalog_path(language)))
    catalogue = {e.msgid: e for e in po}
    forms = plural_forms(language)[0]
    assert po.metadata["Plural-Forms"] == plural_forms(language)[1]
    for msgid, (_places, plural) in extract_all().items():
        entry = catalogue.get(msgid)
        assert entry, f"{language} misses: {msgid}"
        if plural is None:
            assert entry.msgstr, f"{language} misses: {msgid}"
            assert set(PLACEHOLDER.findall(entry.msgstr)) == set(PLACEHOLDER.findall(msgid)), msgid
            continue
        assert entry.msgid_plural == plural
        wanted = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural))
        assert sorted(entry.msgstr_plural) == list(range(forms)), f"{language}: {msgid} needs {forms} forms"
        for text in entry.msgstr_plural.values():
            assert text, f"{language} misses a plural form of: {msgid}"
            # A form may say its number in words instead ("دقيقة واحدة", one minute), never leave out anything else.
            assert set(PLACEHOLDER.findall(text)) in (wanted, wanted - {"n"}), msgid


# CLDR's plural categories for whole numbers (unicode.org/cldr, plurals.xml), written out so that the test does
# not follow whichever Babel pip installs. i: the number; the categories in the order gettext numbers the forms.
CLDR_WHOLE_NUMBERS = {
    "nl": (("one", "other"), lambda i: "one" if i == 1 else "other"),
    "en": (("one", "other"), lambda i: "one" if i == 1 else "other"),
    "ar": (("zero", "one", "two", "few", "many", "other"),
           lambda i: {0: "zero", 1: "one", 2: "two"}.get(i) or ("few" if 3 <= i % 100 <= 10 else
                                                                "many" if 11 <= i % 100 <= 99 else "other")),
    "ti": (("one", "other"), lambda i: "one" if i in (0, 1) else "other"),
    "tr": (("one", "other"), lambda i: "one" if i == 1 else "other"),
    "uk": (("one", "few", "many"), lambda i: "one" if i % 10 == 1 and i % 100 != 11 else
           "few" if 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14 else "many"),
    "fa": (("one", "other"), lambda i: "one" if i in (0, 1) else "other"),
    "pl": (("one", "few", "many"), lambda i: "one" if i == 1 else
           "few" if 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14 else "many"),
}
COUNTS = (0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 111)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_picks_the_plural_form_of_the_number_as_cldr_counts(language):
    """What a translator writes in form k is what the client reads for each number CLDR puts in category k."""
    categories, category_of = CLDR_WHOLE_NUMBERS[language]
    po = polib.pofile(str(catalog_path(language)))
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={len(categories)};")
    rule = gettext.c2py(po.metadata["Plural-Forms"].split("plural=", 1)[1].rstrip(";"))
    picked = {n: rule(n) for n in COUNTS}
    assert picked == {n: categories.index(category_of(n)) for n in COUNTS}
    # ngettext goes by that rule: each number gets the text of its own form.
    entry = next(e for e in po if e.msgid == "{n} minuut")
    with use_language(language):
        for n in COUNTS:
            said = ngettext("{n} minuut", "{n} minuten", n)
            form = entry.msgstr_plural[picked[n]]
            # The number in whatever digits the language writes (\d is any script's digit), or in words.
            assert re.sub(r"\d+", "{n}", said) == form, (language, n, said)


def test_arabic_says_one_and_two_in_words_and_counts_the_rest_as_arabic_does():
    with use_language("ar"):
        minutes = {n: ngettext("{n} minuut", "{n} minuten", n) for n in (0, 1, 2, 3, 11, 100)}
        days = {n: ngettext("Terugkijken op {date}, over {n} dag", "Terugkijken op {date}, over {n} dagen", n,
                            date="x") for n in (2, 11)}
    assert minutes[1] == "دقيقة واحدة" and minutes[2] == "دقيقتان"
    assert minutes[3].endswith("دقائق") and minutes[11].endswith("دقيقة") and minutes[100].endswith("دقيقة")
    assert days[2].endswith("بعد يومين") and days[11].endswith("يومًا")


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != SOURCE_LANGUAGE])
def test_every_translation_says_it_awaits_a_native_speaker_until_one_has_read_it(language):
    review = polib.pofile(str(catalog_path(language))).metadata.get("X-Review", "")
    assert review == UNREVIEWED or review.startswith("reviewed by "), review


def test_each_language_counts_in_its_own_way():
    # Ukrainian has three forms: 1 / 2-4 / 5 and up (and 11-14 count as "many").
    with use_language("uk"):
        said = {n: ngettext("{n} notitie", "{n} notities", n) for n in (1, 3, 5, 11, 21, 22)}
    assert len({said[1], said[3], said[5]}) == 3
    assert said[21].replace("21", "1") == said[1] and said[22].replace("22", "3") == said[3]
    assert said[11].replace("11", "5") == said[5]
    with use_language("nl"):
        assert ngettext("{n} notitie", "{n} notities", 1) == "1 notitie"
        assert ngettext("{n} notitie", "{n} notities", 0) == "0 notities"
        assert ngettext("{n} notitie", "{n} notities", 1200) == "1.200 notities"


def test_dates_are_said_in_the_language_of_the_session_and_not_glued_from_dutch_pieces():
    day, today = date(2026, 12, 5), date(2026, 11, 21)
    said = {}
    for language in LANGUAGES:
        with use_language(language):
            said[language] = format_date(day, today)
    assert said["nl"] == "5 december"
    assert "December" in said["en"] and "грудня" in said["uk"] and "grudnia" in said["pl"] and "Aralık" in said["tr"]
    assert "ديسمبر" in said["ar"]
    assert any("\u1200" <= ch <= "\u137F" for ch in said["ti"])
    with use_language("nl"):
        assert format_date(date(2027, 1, 2), today) == "2 januari 2027"


def test_a_language_chosen_for_one_piece_of_work_holds_in_its_threads_and_ends_with_it():
    import asyncio

    async def in_a_thread() -> str:
        return await asyncio.to_thread(current_language)

    before = current_language()
    with use_language("ar") as chosen:
        assert chosen == "ar" and is_right_to_left()
        assert asyncio.run(in_a_thread()) == "ar"
    assert current_language() == before
    assert known_language("ar-SY") == "ar" and known_language("pt-BR") is None and known_language("") is None


def test_the_session_says_which_language_unless_a_piece_of_work_chose_one():
    spoken = {"now": "fa"}
    set_language_source(lambda: spoken["now"])
    try:
        assert current_language() == "fa"
        spoken["now"] = "xx"
        assert current_language() == SOURCE_LANGUAGE
        spoken["now"] = "tr"
        with use_language("pl"):
            assert current_language() == "pl"
        assert current_language() == "tr"
    finally:
        set_language_source(None)


def test_placeholders_are_filled_after_translating_and_the_clients_words_stay_as_typed():
    words = "{niet vullen} 🎂"
    assert _("Wie helpt: {helper}", helper=words) == f"Wie helpt: {words}"


def test_the_method_terms_are_said_as_the_glossary_fixes_them():
    """The four conditions and five steps carry one name per language: the glossary's, on every screen."""
    rows = [line.split("|")[1:-1] for line in (ROOT / "locales" / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| Dutch")]
    header = next(line for line in (ROOT / "locales" / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()
                  if line.startswith("| Dutch"))
    languages = [cell.strip() for cell in header.split("|")[3:-1]]
    assert set(languages) == set(LANGUAGES) - {SOURCE_LANGUAGE}
    terms = {"Jezelf zijn", "Ertoe doen", "Meedoen", "Erbij horen", "Aanleiding", "Krachten en bronnen", "Waarden",
             "Belemmeringen", "Benodigde inzet en bronnen"}
    checked = 0
    for cells in rows:
        term = cells[0].strip()
        if term not in terms:
            continue
        for language, cell in zip(languages, cells[2:]):
            with use_language(language):
                assert _(term) == cell.strip(), (language, term)
            checked += 1
    assert checked == len(terms) * len(languages)


def _digit_sets(text: str) -> set[str]:
    """Which digits `text` writes numbers in: 'latn', or the name of the Unicode block of its other digits."""
    import unicodedata

    return {"latn" if ch.isascii() else unicodedata.name(ch).rsplit(" DIGIT", 1)[0] for ch in text if ch.isdigit()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_counts_and_dates_use_the_digits_of_the_languages_own_fixed_text(language):
    """Persian writes "۴، ۵ یا ۶" in its fixed text: a count or a date on the same screen must not say "12"."""
    from datetime import date

    from kompas.i18n import format_date, use_language

    with use_language(language):
        fixed = _digit_sets(_("Een PIN heeft 4, 5 of 6 cijfers."))
        count = _digit_sets(ngettext("{n} notitie", "{n} notities", 12))
        day = _digit_sets(format_date(date(2026, 12, 20), date(2026, 1, 1), with_year=True))
        most = _digit_sets(_("Dit is te lang. Gebruik niet meer dan {max} letters.", max=1000))
    assert len(fixed) == 1, fixed
    assert count == fixed and day == fixed and most == fixed, (fixed, count, day, most)


def test_every_glossary_row_that_is_a_message_of_the_app_is_said_as_the_glossary_fixes_it():
    """'Voorlezen', 'Gaat wel', 'Mijn koers', the app's name: where the glossary's Dutch is a message on a screen, each
    language shows the glossary's word for it (the button that told the client to read, 'OK' for 'so-so')."""
    lines = (ROOT / "locales" / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| Dutch"))
    languages = [cell.strip() for cell in header.split("|")[3:-1]]
    messages = {entry.msgid for entry in polib.pofile(str(catalog_path(SOURCE_LANGUAGE)))}
    checked = set()
    for cells in (line.split("|")[1:-1] for line in lines if line.startswith("| ") and line != header):
        term = cells[0].strip()
        if term not in messages:
            continue
        for language, cell in zip(languages, cells[2:]):
            with use_language(language):
                assert _(term) == cell.strip(), (language, term, _(term))
        checked.add(term)
    assert {"Voorlezen", "Gaat wel", "Mijn koers", "Mijn actie", "Eerste stapje", "Kompas"} <= checked, checked
