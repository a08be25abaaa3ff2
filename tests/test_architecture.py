"""The layering holds: each part imports only the parts below it, Flet lives only in kompas/ui/, and every module says its job."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kompas"

# Every module belongs to one part. A newcomer reads the architecture from this table.
PARTS = {
    "clock": ["clock"],
    "domain": ["model", "content", "palette", "words"],
    "i18n": ["i18n"],
    "resources": ["resources"],
    "store": ["storage", "shelf", "pin", "kompasfile", "backups", "migrations"],
    "files": ["files"],
    "media": ["photos", "speech", "speechpack", "recording", "oggopus"],
    "workbook": ["workbook", "drafts", "demo", "session"],
    "poster": ["poster", "textfit", "bidi", "agenda"],
    "view-state": ["screens", "readaloud"],
    "ui": ["ui"],
    "command": ["cli", "datadir", "__main__", "__init__"],
}

# What each part may use, of our own parts; anything not named here is forbidden.
MAY_IMPORT = {
    "clock": set(),
    "domain": {"domain", "i18n"},
    "resources": {"resources", "domain"},
    "i18n": {"i18n", "resources", "domain"},
    # The shelf moves and erases a kompas's photo and poster folders, so it knows their names.
    "store": {"store", "domain", "media", "resources", "files"},
    "files": {"files"},
    "media": {"media", "files", "domain"},
    "workbook": {"workbook", "store", "media", "domain"},
    "poster": {"poster", "domain", "i18n", "resources", "files"},
    "view-state": {"view-state", "domain", "i18n"},
    "ui": {"ui", "workbook", "view-state", "poster", "media", "domain", "i18n", "resources"},
    # The speech pack is made from what the screens read aloud: the command reaches both.
    "command": {"command", "store", "workbook", "poster", "ui", "domain", "i18n", "resources", "files", "view-state",
                "media"},
}
# Every part may read the one clock, and none reads the system's: a test that fixes a day fixes it everywhere.
for _part in MAY_IMPORT:
    MAY_IMPORT[_part].add("clock")

# Outside libraries that only one part may touch.
OWNED_LIBRARIES = {
    "flet": {"ui"},
    "tinydb": {"store"},
    "PIL": {"media", "poster"},
    "qrcode": {"poster"},
    "cryptography": {"store"},
    "soundfile": {"media"},
    "numpy": {"media"},
}


# The web server's stack: a phone build has no wheels for it (uvicorn's uvloop, httptools, watchfiles), so only the web
# server's own modules import it, and nothing a phone loads imports them at its top: only inside the function that
# starts the web server (the web branch).
WEB_LIBRARIES = {"flet_web", "uvicorn", "starlette", "fastapi", "websockets", "httptools", "uvloop", "watchfiles"}
WEB_MODULES = ("kompas.ui.web", "kompas.ui.server")


def is_web(module: str) -> bool:
    return any(module == web or module.startswith(f"{web}.") for web in WEB_MODULES)


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


def top_level_imports(source: str, module: str) -> set[str]:
    """What `module` imports as it loads: at its top, and in an `if`, `try` or `with` there, not in a function or class.

    A relative import is made absolute, so that `from .server import serve` cannot slip past.
    """
    package = module.split(".")[:-1]
    names = set()

    def visit(nodes) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = ".".join([*package[:len(package) - node.level + 1], *([node.module] if node.module else [])]) \
                    if node.level else node.module
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, (ast.If, ast.Try, ast.With, ast.ExceptHandler)):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit(getattr(node, field, []))

    visit(ast.parse(source).body)
    return names


@pytest.mark.parametrize("module, path", modules(), ids=[m for m, _ in modules()])
def test_the_web_stack_stays_on_the_web_branch(module, path):
    """A phone build never loads uvicorn, starlette or flet_web: only the web server's modules import them, and no other
    module imports those as it loads."""
    if is_web(module):
        return
    for name in imports(path):
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


# The calls that read the system's clock; only kompas/clock.py makes them.
SYSTEM_CLOCKS = {("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
                 ("time", "time"), ("time", "monotonic"), ("time", "time_ns"), ("time", "localtime")}


def clock_reads(path: Path) -> list[str]:
    """Each `date.today()`, `datetime.now()`, `time.time()` and the like in a module, as `name.attr` at line n."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and (node.value.id, node.attr) in SYSTEM_CLOCKS:
            found.append(f"{node.value.id}.{node.attr} at line {node.lineno}")
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            found.extend(f"from time import {a.name}" for a in node.names
                         if ("time", a.name) in SYSTEM_CLOCKS)
    return found


def test_only_the_clock_module_reads_the_system_clock():
    reads = {str(p.relative_to(PACKAGE)): clock_reads(p) for p in PACKAGE.rglob("*.py") if p.name != "clock.py"}
    assert {name: found for name, found in reads.items() if found} == {}


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
