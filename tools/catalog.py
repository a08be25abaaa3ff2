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
TEMPLATE = ROOT / "locales" / f"{DOMAIN}.pot"


def extract(package: Path = ROOT / "kompas") -> dict[str, list[str]]:
    """Every msgid passed to _() or N_() in the package, in source order, with the files that use it."""
    found: dict[str, list[tuple[str, int]]] = {}
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
    ordered = sorted(found.items(), key=lambda item: min(item[1]))
    # Files only, no line numbers: moving code should not change the catalogues.
    return {msgid: sorted({file for file, _line in places}) for msgid, places in ordered}


def _entry(msgid: str, places: list[str], msgstr: str = "") -> polib.POEntry:
    return polib.POEntry(
        msgid=msgid,
        msgstr=msgstr,
        occurrences=[(p, "") for p in places],
        flags=["python-brace-format"] if "{" in msgid else [],
    )


def _metadata(language: str | None) -> dict[str, str]:
    meta = {
        "Project-Id-Version": "kompas",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language:
        meta["Language"] = language
    return meta


def update() -> None:
    messages = extract()
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = _metadata(None)
    for msgid, places in messages.items():
        pot.append(_entry(msgid, places))
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    pot.save(str(TEMPLATE))

    for language in LANGUAGES:
        path = catalog_path(language)
        old = {e.msgid: e.msgstr for e in polib.pofile(str(path))} if path.exists() else {}
        po = polib.POFile(wrapwidth=0)
        po.metadata = _metadata(language)
        for msgid, places in messages.items():
            # Dutch is the source: its catalogue repeats the source text, so it is complete by construction.
            msgstr = msgid if language == SOURCE_LANGUAGE else old.get(msgid, "")
            po.append(_entry(msgid, places, msgstr))
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
        missing = sum(1 for e in po if not e.msgstr)
        print(f"{language}: {len(po)} messages, {missing} untranslated")


if __name__ == "__main__":
    update()
