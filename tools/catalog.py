"""Extracts every translatable string from the code and brings the .pot and .po catalogues up to date.

Run `python tools/catalog.py` after adding or changing a user-facing string;
tests/test_i18n.py fails until the catalogues match the code.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kompas.i18n import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, catalog_path  # noqa: E402

MARKERS = {"_", "N_"}
PLURAL_MARKERS = {"ngettext"}
# Until a native speaker has read a catalogue, its header says so; the reviewer changes it to "reviewed by NAME".
UNREVIEWED = "machine-assisted draft: needs review by a native speaker"
TEMPLATE = ROOT / "locales" / f"{DOMAIN}.pot"


def extract(package: Path = ROOT / "kompas") -> dict[str, list[str]]:
    """Every msgid passed to _() or N_() in the package, in source order, with the files that use it."""
    return {msgid: places for msgid, (places, _plural) in extract_all(package).items()}


def extract_all(package: Path = ROOT / "kompas") -> dict[str, tuple[list[str], str | None]]:
    """Every msgid passed to _(), N_() or ngettext(), with the files that use it and its plural (or None)."""
    found: dict[str, list[tuple[str, int]]] = {}
    plurals: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                place = (str(path.relative_to(ROOT)), node.lineno)
                found.setdefault(node.args[0].value, []).append(place)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in PLURAL_MARKERS
                and len(node.args) >= 2
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
            ):
                place = (str(path.relative_to(ROOT)), node.lineno)
                found.setdefault(node.args[0].value, []).append(place)
                plurals[node.args[0].value] = node.args[1].value
    ordered = sorted(found.items(), key=lambda item: min(item[1]))
    # Files only, no line numbers: moving code should not change the catalogues.
    return {msgid: (sorted({file for file, _line in places}), plurals.get(msgid)) for msgid, places in ordered}


def _entry(msgid: str, places: list[str], msgstr: str = "", plural: str | None = None,
           forms: dict[int, str] | None = None) -> polib.POEntry:
    occurrences = [(p, "") for p in places]
    flags = ["python-brace-format"] if "{" in msgid else []
    if plural is not None:
        return polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural=forms or {0: "", 1: ""},
                             occurrences=occurrences, flags=flags)
    return polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=occurrences, flags=flags)


# Each language's Plural-Forms, written out here rather than taken from whichever Babel pip installs: Babel 2.19
# wrote some differently from 2.18, and a header must not change under a translator. These are gettext's usual
# rules (as msginit, Poedit and Weblate write them), with the forms in CLDR's order for whole numbers:
# zero, one, two, few, many, other, leaving out those a language does not use.
PLURAL_FORMS = {
    "nl": (2, "(n != 1)"),
    "en": (2, "(n != 1)"),
    "ar": (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)"),
    "ti": (2, "(n > 1)"),
    "tr": (2, "(n != 1)"),
    "uk": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "fa": (2, "(n > 1)"),
    "pl": (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
}


def plural_forms(language: str) -> tuple[int, str]:
    """How many plural forms `language` has, and its Plural-Forms header."""
    nplurals, expression = PLURAL_FORMS[language]
    return nplurals, f"nplurals={nplurals}; plural={expression};"


def _metadata(language: str | None) -> dict[str, str]:
    meta = {
        "Project-Id-Version": "kompas",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language:
        meta["Language"] = language
        meta["Plural-Forms"] = plural_forms(language)[1]
    return meta


def update() -> None:
    messages = extract_all()
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = _metadata(None)
    for msgid, (places, plural) in messages.items():
        pot.append(_entry(msgid, places, plural=plural))
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    pot.save(str(TEMPLATE))

    for language in LANGUAGES:
        path = catalog_path(language)
        before = polib.pofile(str(path)) if path.exists() else None
        old = {e.msgid: e for e in before} if before else {}
        po = polib.POFile(wrapwidth=0)
        po.metadata = _metadata(language)
        if language != SOURCE_LANGUAGE:
            po.metadata["X-Review"] = before.metadata.get("X-Review", UNREVIEWED) if before else UNREVIEWED
        nplurals = plural_forms(language)[0]
        for msgid, (places, plural) in messages.items():
            kept = old.get(msgid)
            if plural is None:
                # Dutch is the source: its catalogue repeats the source text, so it is complete by construction.
                msgstr = msgid if language == SOURCE_LANGUAGE else (kept.msgstr if kept and not kept.msgid_plural else "")
                po.append(_entry(msgid, places, msgstr))
                continue
            if language == SOURCE_LANGUAGE:
                forms = {0: msgid, 1: plural}
            else:
                had = kept.msgstr_plural if kept and kept.msgid_plural else {}
                forms = {i: had.get(i, "") for i in range(nplurals)}
            po.append(_entry(msgid, places, plural=plural, forms=forms))
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
        missing = sum(1 for e in po if not (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr))
        print(f"{language}: {len(po)} messages, {missing} untranslated")


if __name__ == "__main__":
    update()
