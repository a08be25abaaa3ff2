"""The one translation function for every user-facing string, read from gettext .po files."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import polib

from kompas.resources import LOCALES_DIR

__all__ = ["_", "N_", "format_date", "DOMAIN", "LANGUAGES", "SOURCE_LANGUAGE", "catalog_path", "current_language", "set_language"]

DOMAIN = "kompas"
SOURCE_LANGUAGE = "nl"
# Languages with a catalogue under locales/; later issues add more.
LANGUAGES = ("nl",)

_language = SOURCE_LANGUAGE


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _catalog(language: str) -> dict[str, str]:
    path = catalog_path(language)
    if not path.exists():
        return {}
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.obsolete}


def set_language(language: str) -> None:
    global _language
    _language = language if language in LANGUAGES else SOURCE_LANGUAGE


def current_language() -> str:
    return _language


def _(message: str, **values: object) -> str:
    """Translate `message`, then fill its named {placeholders} with `values`.

    Translating the template before filling it keeps the client's own words
    out of the catalogue lookup, so they come back exactly as typed.
    """
    template = _catalog(_language).get(message) or message
    return template.format(**values) if values else template


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined; `_` translates it where it is shown."""
    return message


_MONTHS = (
    N_("januari"), N_("februari"), N_("maart"), N_("april"), N_("mei"), N_("juni"),
    N_("juli"), N_("augustus"), N_("september"), N_("oktober"), N_("november"), N_("december"),
)


def format_date(day: date, today: date, with_year: bool = False) -> str:
    """A date as people say it ("5 december"), with the year when it is not this year's or when asked."""
    text = _("{day} {month}", day=day.day, month=_(_MONTHS[day.month - 1]))
    if with_year or day.year != today.year:
        text = _("{date} {year}", date=text, year=day.year)
    return text
