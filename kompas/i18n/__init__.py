"""The one translation function for every user-facing string, read from gettext .po files, with dates and plurals."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import polib
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from kompas.base.resources import LOCALES_DIR

__all__ = [
    "_", "N_", "ngettext", "format_date", "number", "localise_digits", "DOMAIN", "LANGUAGES", "LANGUAGE_NAMES",
    "SOURCE_LANGUAGE", "catalog_path", "current_language", "set_language", "use_language", "set_language_source",
    "is_right_to_left", "known_language",
]

DOMAIN = "kompas"
SOURCE_LANGUAGE = "nl"
# The languages of the largest groups of clients: Dutch, English, and those of people who came from Syria,
# Eritrea, Turkey, Ukraine, Afghanistan/Iran and Poland. Each has a catalogue under locales/.
LANGUAGES = ("nl", "en", "ar", "ti", "tr", "uk", "fa", "pl")
# Each language named in its own script, so a client finds theirs without reading Dutch (no flags: a flag is a
# country, not a language).
LANGUAGE_NAMES = {
    "nl": "Nederlands", "en": "English", "ar": "العربية", "ti": "ትግርኛ",
    "tr": "Türkçe", "uk": "Українська", "fa": "فارسی", "pl": "Polski",
}
_RIGHT_TO_LEFT = {"ar", "fa"}

# The language of the process (the command line), used when no session says otherwise.
_default = SOURCE_LANGUAGE
# A language set for one piece of work (a poster in the kompas's language); wins over the session's.
_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("kompas_language", default=None)
# Where the language of the current session comes from; the UI sets this, so the domain never imports Flet.
_source: Callable[[], str | None] | None = None


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def known_language(language: str | None) -> str | None:
    """`language` if the app speaks it, else None; a region ("ar-SY", "pt_BR") counts as its language."""
    if not language:
        return None
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


class _Catalogue:
    """One language's messages: singular ones, plural ones, and the rule that picks a plural form."""

    def __init__(self, language: str):
        path = catalog_path(language)
        self.messages: dict[str, str] = {}
        self.plurals: dict[str, list[str]] = {}
        self.form: Callable[[int], int] = lambda n: 0 if n == 1 else 1
        if not path.exists():
            return
        po = polib.pofile(str(path))
        rule = po.metadata.get("Plural-Forms", "")
        if "plural=" in rule:
            self.form = gettext.c2py(rule.split("plural=", 1)[1].strip().rstrip(";"))
        for entry in po:
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
                if all(forms):
                    self.plurals[entry.msgid] = forms
            elif entry.msgstr:
                self.messages[entry.msgid] = entry.msgstr


@functools.cache
def _catalogue(language: str) -> _Catalogue:
    return _Catalogue(language)


def set_language(language: str) -> None:
    """The language of the whole process: the command line's `--lang`."""
    global _default
    _default = known_language(language) or SOURCE_LANGUAGE


def set_language_source(source: Callable[[], str | None] | None) -> None:
    """Where the current session's language comes from (the UI's session); None for the process language."""
    global _source
    _source = source


def current_language() -> str:
    chosen = _chosen.get()
    if chosen:
        return chosen
    if _source is not None:
        from_session = known_language(_source())
        if from_session:
            return from_session
    return _default


@contextlib.contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Speak `language` inside this block (and in threads started from it), whatever the session speaks."""
    token = _chosen.set(known_language(language) or current_language())
    try:
        yield _chosen.get()
    finally:
        _chosen.reset(token)


def is_right_to_left(language: str | None = None) -> bool:
    return (language or current_language()) in _RIGHT_TO_LEFT


def _(message: str, **values: object) -> str:
    """Translate `message`, then fill its named {placeholders} with `values`.

    Translating the template before filling it keeps the client's own words
    out of the catalogue lookup, so they come back exactly as typed. A number
    is written in the language's own digits, as its fixed text writes them.
    """
    template = _catalogue(current_language()).messages.get(message) or message
    if not values:
        return template
    return template.format(**{key: number(value) if isinstance(value, int) and not isinstance(value, bool) else value
                              for key, value in values.items()})


def number(n: int) -> str:
    """`n` as the language writes numbers: its grouping ("1.000", "1 000"), and its digits (Persian: ۱۲).

    The digits are those of the language's default numbering system in CLDR (Babel), so that a count never uses
    other digits than the fixed text around it.
    """
    language = current_language()
    return format_decimal(n, locale=_locale(language), numbering_system="default").translate(_digits(language))


def localise_digits(text: str) -> str:
    """`text` (a date, a length made by the app: never a client's words) with the language's own digits."""
    return text.translate(_digits(current_language()))


# The zero of each CLDR numbering system the app's languages use by default (the other nine follow it in Unicode):
# Babel says which system a language uses ("arabext" for Persian), and writes its separators, but not its digits.
_ZEROS = {"latn": "0", "arab": "\u0660", "arabext": "\u06f0"}


@functools.cache
def _digits(language: str) -> dict[int, str]:
    zero = ord(_ZEROS.get(_locale(language).default_numbering_system, "0"))
    return {ord("0") + d: chr(zero + d) for d in range(10)}


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """The form of a sentence for the number `n`, as the language counts ("1 dag", "3 dagen"; Arabic has six).

    `n` is also there to fill a {n} placeholder, written as the language writes numbers ("1.000", "1 000").
    """
    catalogue = _catalogue(current_language())
    forms = catalogue.plurals.get(singular)
    if forms:
        index = catalogue.form(n)
        template = forms[index] if 0 <= index < len(forms) else forms[-1]
    else:
        template = singular if n == 1 else plural
    return template.format(n=number(n), **values)


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined; `_` translates it where it is shown."""
    return message


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def format_date(day: date, today: date, with_year: bool = False) -> str:
    """A date as people say it ("5 december"), with the year when it is not this year's or when asked.

    In the language's own order and month names ("December 5" in English), from Babel's CLDR data.
    """
    locale = _locale(current_language())
    if with_year or day.year != today.year:
        return localise_digits(babel_format_date(day, "long", locale=locale))
    return localise_digits(format_skeleton("MMMMd", day, locale=locale))
