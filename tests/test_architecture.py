"""The layering holds: each part imports only the parts below it, Flet lives only in kompas/ui/, and every module says its job."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kompas"

# Every module belongs to one part. A newcomer reads the architecture from this table.
PARTS = {
    "domain": ["model", "content", "palette", "words"],
    "i18n": ["i18n"],
    "resources": ["resources"],
    "store": ["storage", "shelf", "pin", "kompasfile", "backups", "migrations"],
    "files": ["files"],
    "media": ["photos", "speech", "speechpack", "recording"],
    "workbook": ["workbook", "drafts", "demo", "session"],
    "poster": ["poster", "textfit", "agenda"],
    "view-state": ["screens", "readaloud"],
    "ui": ["ui"],
    "command": ["cli", "datadir", "__main__", "__init__"],
}

# What each part may use, of our own parts; anything not named here is forbidden.
MAY_IMPORT = {
    "domain": {"domain", "i18n"},
    "resources": {"resources", "domain"},
    "i18n": {"i18n", "resources", "domain"},
    # The shelf moves and erases a kompas's photo and poster folders, so it knows their names.
    "store": {"store", "domain", "media", "resources", "files"},
    "files": {"files"},
    "media": {"media", "files", "domain"},
    "workbook": {"workbook", "store", "media", "domain"},
    "poster": {"poster", "domain", "i18n", "resources"},
    "view-state": {"view-state", "domain", "i18n"},
    "ui": {"ui", "workbook", "view-state", "poster", "media", "domain", "i18n", "resources"},
    # The speech pack is made from what the screens read aloud: the command reaches both.
    "command": {"command", "store", "workbook", "poster", "ui", "domain", "i18n", "resources", "files", "view-state",
                "media"},
}

# Outside libraries that only one part may touch.
OWNED_LIBRARIES = {
    "flet": {"ui"},
    "flet_web": {"ui"},
    "tinydb": {"store"},
    "PIL": {"media", "poster"},
    "qrcode": {"poster"},
    "cryptography": {"store"},
    "soundfile": {"media"},
    "numpy": {"media"},
}


def part_of(module: str) -> str:
    top = module.split(".")[1] if module.startswith("kompas.") else module
    for part, modules in PARTS.items():
        if top in modules:
            return part
    raise AssertionError(f"{module} belongs to no part: add it to PARTS")


def modules() -> list[tuple[str, Path]]:
    return [(".".join(("kompas", *p.relative_to(PACKAGE).with_suffix("").parts)), p) for p in sorted(PACKAGE.rglob("*.py"))]


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from kompas import palette` names the module in its aliases.
            if node.module == "kompas":
                names.update(f"kompas.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("module, path", modules(), ids=[m for m, _ in modules()])
def test_each_part_imports_only_what_it_may(module, path):
    part = part_of(module)
    ours = {part_of(name) for name in imports(path) if name.startswith("kompas.")}
    assert ours <= MAY_IMPORT[part], f"{module} ({part}) may not import {ours - MAY_IMPORT[part]}"
    for name in imports(path):
        owners = OWNED_LIBRARIES.get(name.split(".")[0])
        assert owners is None or part in owners, f"{module} ({part}) may not import {name}"


def test_the_rules_catch_a_screen_that_reaches_into_the_store(tmp_path):
    bad = tmp_path / "widgets.py"
    bad.write_text("from kompas.storage import StoreProblem\nimport tinydb\n")
    ours = {part_of(name) for name in imports(bad) if name.startswith("kompas.")}
    assert not ours <= MAY_IMPORT["ui"]
    assert "ui" not in OWNED_LIBRARIES["tinydb"]


def test_every_module_says_its_job_in_a_docstring():
    missing = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


def test_starting_the_app_loads_no_sound_library():
    """numpy, soundfile and the recorder load at the first voice note, espeak-ng at the first "Voorlezen": the first
    screen must not wait for them."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, kompas.cli, kompas.ui.app; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, cwd=PACKAGE.parent).stdout.split()
    heavy = {"numpy", "soundfile", "flet_audio_recorder", "flet_audio", "espeakng_loader"}
    assert heavy.isdisjoint(loaded), heavy & set(loaded)
