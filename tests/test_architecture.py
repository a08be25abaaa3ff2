"""The layering holds: each part (a folder of kompas/) imports only the parts below it, however it imports them; owned
libraries stay in their part; Flet lives only in kompas/ui/; the screens reach the store only through the library;
and every module says its job."""

import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kompas"
SLIPS = Path(__file__).resolve().parent / "fixtures" / "slips"

# Each folder of kompas/ is a part; the command is the modules at the top. `ls kompas/` shows this table.
PARTS = ("base", "i18n", "domain", "media", "store", "poster", "workbook", "screens", "ui")
COMMAND = ("cli", "datadir", "__main__", "__init__")

# What each part may use, of our own parts; anything not named here is forbidden. Read from the bottom up: base
# (the clock, file writes, where the app's files are) knows nothing else; the UI knows the store only through the
# workbook and the library.
MAY_IMPORT = {
    "base": set(),
    "i18n": {"base"},
    "domain": {"i18n", "base"},
    "media": {"domain", "base"},
    # The shelf moves and erases a kompas's photo folders, and a .kompas file carries voice notes.
    "store": {"media", "domain", "base"},
    "poster": {"domain", "i18n", "base"},
    "workbook": {"store", "media", "domain", "base"},
    "screens": {"domain", "i18n", "base"},
    "ui": {"workbook", "screens", "poster", "media", "domain", "i18n", "base"},
    # The speech pack is made from what the screens read aloud: the command reaches them too.
    "command": {"store", "workbook", "poster", "ui", "screens", "media", "domain", "i18n", "base"},
}

# Outside libraries that only these parts may touch, matched by prefix: "flet" is also flet_audio and flet_web.
OWNED_LIBRARIES = {
    "flet": {"ui"},
    "tinydb": {"store"},
    "PIL": {"media", "poster"},
    "pillow_heif": {"media"},
    "qrcode": {"poster"},
    "cryptography": {"store"},
    "soundfile": {"media"},
    "numpy": {"media"},
    "espeakng_loader": {"media"},
    "babel": {"i18n"},
    "uvicorn": {"ui"},
    "starlette": {"ui"},
    "fastapi": {"ui"},
}

# The web server's stack: a phone build has no wheels for it (uvicorn's uvloop, httptools, watchfiles), so only the web
# server's own modules import it, and nothing a phone loads imports them at its top: only inside the function that
# starts the web server (the web branch).
WEB_LIBRARIES = {"flet_web", "uvicorn", "starlette", "fastapi", "websockets", "httptools", "uvloop", "watchfiles"}
WEB_MODULES = ("kompas.ui.web", "kompas.ui.server")


def is_web(module: str) -> bool:
    return any(module == web or module.startswith(f"{web}.") for web in WEB_MODULES)


def part_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "kompas":
        raise AssertionError(f"{module} is not ours")
    if len(parts) == 1 or parts[1] in COMMAND:
        return "command"
    if parts[1] in PARTS:
        return parts[1]
    raise AssertionError(f"{module} belongs to no part: put it in a folder of kompas/ named in PARTS")


def owner_of(library: str) -> set[str] | None:
    top = library.split(".")[0]
    for owned, parts in OWNED_LIBRARIES.items():
        if top == owned or top.startswith(f"{owned}_"):
            return parts
    return None


def modules() -> list[tuple[str, Path]]:
    return [(module_name(p), p) for p in sorted(PACKAGE.rglob("*.py"))]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("kompas", *(parts[:-1] if parts[-1] == "__init__" else parts)))


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """`from ..store import x` in kompas.ui.widgets is kompas.store: relative imports are resolved, never skipped."""
    if not node.level:
        return node.module or ""
    here = module.split(".") if is_package else module.split(".")[:-1]
    base = here[:len(here) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module `module` imports, anywhere in it: plain and relative imports (with what `from kompas.x import y`
    names, which may be a module), and `importlib.import_module("...")` or `__import__("...")` with a written name.
    A dynamic import whose name is not written out is reported as "<dynamic import>": nothing may hide that way."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            names.add(base)
            if base == "kompas" or base.startswith("kompas."):
                names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func):
            argument = node.args[0] if node.args else None
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                names.add(argument.value)
            else:
                names.add("<dynamic import>")
    return names


def _is_dynamic_import(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in ("__import__", "import_module")
    return isinstance(func, ast.Attribute) and func.attr in ("import_module", "__import__")


def ours(names: set[str]) -> set[str]:
    """Our parts among `names` (a name that is a function in a part counts as that part)."""
    found = set()
    for name in names:
        if name == "kompas" or name.startswith("kompas."):
            try:
                found.add(part_of(name))
            except AssertionError:
                found.add(name)  # no part at all: reported as it is
    return found


# The screens hold the library, never the shelf behind it: these are the shelf's (and the store's) own objects.
STORE_ATTRIBUTES = {"shelf", "_shelf", "store", "_store", "_workbooks"}


def reaches_behind_the_library(source: str) -> list[str]:
    def flet_session(node: ast.Attribute) -> bool:  # page.session.store is Flet's, for the screen's own state
        return isinstance(node.value, ast.Attribute) and node.value.attr == "session"

    return [f".{node.attr} at line {node.lineno}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in STORE_ATTRIBUTES and not flet_session(node)]


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """What is wrong with `module` (written as `source`) by the rules of its part."""
    part = part_of(module)
    names = imports(source, module, is_package)
    found = [f"{module} ({part}) may not import {other}" for other in sorted(ours(names) - MAY_IMPORT[part] - {part})]
    found += [f"{module} ({part}) may not import {name}" for name in sorted(names)
              if (owner_of(name) is not None and part not in owner_of(name)) or name == "<dynamic import>"]
    if part == "ui":
        found += [f"{module} reaches past the library: {where}" for where in reaches_behind_the_library(source)]
    return found


def top_level_imports(source: str, module: str) -> set[str]:
    """What `module` imports as it loads: at its top, and in an `if`, `try` or `with` there, not in a function or class.

    A relative import is made absolute, so that `from .server import serve` cannot slip past.
    """
    names = set()

    def visit(nodes) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, module, False)
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, (ast.If, ast.Try, ast.With, ast.ExceptHandler)):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit(getattr(node, field, []))

    visit(ast.parse(source).body)
    return names


def test_kompas_shows_its_parts_as_folders():
    """`ls kompas/` is the architecture: a folder per part, and at the top only the command."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    files = {p.stem for p in PACKAGE.glob("*.py")}
    assert folders == set(PARTS) and files == set(COMMAND)


def test_the_parts_form_no_cycle():
    """Part A may use part B only if B may not use A, however far round: the table is read from the bottom up."""
    def reaches(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for other in MAY_IMPORT[todo.pop()] - seen:
                seen.add(other)
                todo.append(other)
        return seen

    assert [part for part in MAY_IMPORT if part in reaches(part)] == []


@pytest.mark.parametrize("module, path", modules(), ids=[m for m, _ in modules()])
def test_the_web_stack_stays_on_the_web_branch(module, path):
    """A phone build never loads uvicorn, starlette or flet_web: only the web server's modules import them, and no other
    module imports those as it loads."""
    if is_web(module):
        return
    for name in imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
        assert name.split(".")[0] not in WEB_LIBRARIES, f"{module} imports {name}: only {WEB_MODULES} may"
    for name in top_level_imports(path.read_text(encoding="utf-8"), module):
        assert not is_web(name), f"{module} loads {name}, the web server, at its top: import it in the web branch"


def test_the_web_rules_catch_a_screen_that_loads_the_server():
    slips = {
        "from .server import serve\n": "kompas.ui.server",
        "from . import server\n": "kompas.ui.server",
        "from kompas.ui.web import receive\n": "kompas.ui.web",
        "try:\n    import kompas.ui.server\nexcept ImportError:\n    pass\n": "kompas.ui.server",
    }
    for source, web in slips.items():
        assert any(is_web(name) for name in top_level_imports(source, "kompas.ui.widgets")), source
    # Inside a function, as cli.py does it, is the web branch.
    assert not any(is_web(n) for n in top_level_imports("def serve():\n    from kompas.ui.server import serve\n",
                                                         "kompas.cli"))
    assert "starlette" in WEB_LIBRARIES and "flet_web" in WEB_LIBRARIES


def test_the_native_path_loads_no_web_stack():
    """Every module a phone build can load imports, with the web stack missing as it is on a phone."""
    import subprocess
    import sys

    native = [m for m, _ in modules() if not is_web(m) and m not in ("kompas.__main__",)]
    script = (
        "import importlib, sys\n"
        f"blocked = {sorted(WEB_LIBRARIES)!r}\n"
        "class Missing:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in blocked:\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Missing())\n"
        f"for name in {native!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


@pytest.mark.parametrize("module, path", modules(), ids=[m for m, _ in modules()])
def test_each_part_imports_only_what_it_may(module, path):
    assert violations(path.read_text(encoding="utf-8"), module, path.name == "__init__.py") == []


# Each slip a reviewer wrote into a clone, and the rule that must catch it: (fixture file, the module it pretends to
# be, a word of what the rule must say).
CAUGHT = [
    ("relative_import.py", "kompas.ui.widgets", "may not import store"),
    ("importlib_store.py", "kompas.ui.widgets", "may not import store"),
    ("dunder_import.py", "kompas.ui.widgets", "may not import store"),
    ("dynamic_import.py", "kompas.domain.model", "<dynamic import>"),
    ("flet_audio_in_domain.py", "kompas.domain.model", "flet_audio"),
    ("starlette_in_domain.py", "kompas.domain.model", "starlette"),
    ("base_uses_domain.py", "kompas.base.resources", "may not import domain"),
    ("ui_reaches_the_shelf.py", "kompas.ui.shelf", "reaches past the library"),
    ("tinydb_in_ui.py", "kompas.ui.widgets", "tinydb"),
]


@pytest.mark.parametrize("fixture, module, said", CAUGHT, ids=[c[0] for c in CAUGHT])
def test_every_slip_a_reviewer_found_is_caught(fixture, module, said):
    found = violations((SLIPS / fixture).read_text(encoding="utf-8"), module)
    assert any(said in line for line in found), found


def test_a_cycle_in_the_table_would_be_caught(monkeypatch):
    monkeypatch.setitem(MAY_IMPORT, "domain", {"i18n", "base", "screens"})
    monkeypatch.setitem(MAY_IMPORT, "screens", {"domain", "i18n", "base"})
    with pytest.raises(AssertionError):
        test_the_parts_form_no_cycle()


# The calls that read the system's clock; only kompas/base/clock.py makes them.
SYSTEM_CLOCKS = {("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
                 ("time", "time"), ("time", "monotonic"), ("time", "time_ns"), ("time", "localtime")}


# The calls that read the system's calendar. A test or a benchmark asks the app's clock what day it is: CI runs the
# suite once more with the app's clock a year ahead (KOMPAS_DAYS_AHEAD), and a test that took the system's day would
# then compare two different days.
CALENDAR_READS = {("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow")}


def clock_reads(path: Path, reads: set[tuple[str, str]] = SYSTEM_CLOCKS) -> list[str]:
    """Each `date.today()`, `datetime.now()`, `time.time()` and the like in a module, as `name.attr` at line n."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and (node.value.id, node.attr) in reads:
            found.append(f"{node.value.id}.{node.attr} at line {node.lineno}")
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            found.extend(f"from time import {a.name}" for a in node.names
                         if ("time", a.name) in reads)
    return found


def test_only_the_clock_module_reads_the_system_clock():
    reads = {str(p.relative_to(PACKAGE)): clock_reads(p) for p in PACKAGE.rglob("*.py")
             if p != PACKAGE / "base" / "clock.py"}
    assert {name: found for name, found in reads.items() if found} == {}


def test_tests_and_benchmarks_ask_the_apps_clock_what_day_it_is():
    here = Path(__file__).parent
    files = [p for folder in (here, ROOT / "tools") for p in folder.rglob("*.py") if "fixtures" not in p.parts]
    reads = {str(p.relative_to(ROOT)): clock_reads(p, CALENDAR_READS) for p in files}
    assert {name: found for name, found in reads.items() if found} == {}


def test_the_year_ahead_run_moves_the_apps_day_and_not_the_systems():
    """CI's second run sets KOMPAS_DAYS_AHEAD=365: the app, its server and its tests read a day a year on."""
    import subprocess
    import sys
    told = subprocess.run(
        [sys.executable, "-c", "import datetime; from kompas.base import clock; "
                               "print(clock.today().toordinal() - datetime.date.today().toordinal())"],
        env={**os.environ, "KOMPAS_DAYS_AHEAD": "365"}, cwd=ROOT, capture_output=True, text=True, check=True)
    assert int(told.stdout) == 365


def test_the_clock_rule_catches_a_date_read_behind_its_back(tmp_path):
    bad = tmp_path / "sneaky.py"
    bad.write_text("import time\nfrom datetime import date, time as moment\nfrom time import monotonic\n"
                   "x = date.today()\ny = time.monotonic\n")
    assert sorted(clock_reads(bad)) == ["date.today at line 4", "from time import monotonic", "time.monotonic at line 5"]


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
