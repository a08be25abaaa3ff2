"""Every user-facing string goes through the one translation function, and every catalogue is complete."""

import ast
import re
import sys
from pathlib import Path

import polib
import pytest

from kompas.i18n import LANGUAGES, _, catalog_path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from catalog import TEMPLATE, extract  # noqa: E402

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
    catalogue = {e.msgid: e.msgstr for e in polib.pofile(str(catalog_path(language)))}
    for msgid in extract():
        assert catalogue.get(msgid), f"{language} misses: {msgid}"
        assert set(PLACEHOLDER.findall(catalogue[msgid])) == set(PLACEHOLDER.findall(msgid)), msgid


def test_placeholders_are_filled_after_translating_and_the_clients_words_stay_as_typed():
    words = "{niet vullen} 🎂"
    assert _("Wie helpt: {helper}", helper=words) == f"Wie helpt: {words}"
