"""The phone build as `flet build apk|ipa` sees this project: flet-cli 1.0.5's own reading of pyproject.toml, and the
packages its pip step would ask for on a phone, found by evaluating every requirement's marker as that step does."""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import json
import shutil
import subprocess
import types
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

# What a phone build can install: a pure-Python wheel, or a recipe of flet's mobile-forge on pypi.flet.dev (the only
# packages with native code built for Android and iOS that `flet build` finds).
MOBILE_FORGE = frozenset({"pillow", "numpy", "cryptography", "cffi", "msgpack", "pyyaml", "pydantic-core"})
# Named by the issue as having neither: a phone build must never ask for them.
NO_PHONE_BUILD = frozenset({"espeakng-loader", "pillow-heif", "uvicorn", "uvloop", "httptools", "watchfiles",
                            "soundfile", "flet-web", "fastapi", "starlette"})
# The machine `flet build` runs on: Android builds on Linux (or a Mac), iOS builds on a Mac.
BUILD_MACHINES = {"Android": ("linux", "darwin"), "iOS": ("darwin",)}
PHONE_PYTHONS = ("3.12", "3.13", "3.14")


class BuildRefused(Exception):
    """flet-cli stopped the build, with its own message."""


@dataclass
class FletBuild:
    """What flet-cli 1.0.5 made of pyproject.toml for one target, up to the package step it would run next."""

    module: str  # the entry point's module name
    entry: Path  # the file flet build runs
    permissions: dict  # Android permissions, each True (asked for) or False (taken out)
    info_plist: dict
    requirements: list[str]  # what the package step hands to pip, as flet-cli wrote them
    excluded: list[str]  # paths left out of the app package
    platform: str  # serious_python's --platform


def checkout(into: Path) -> Path:
    """The project's files as a fresh clone has them (git's own list), where flet-cli may write its build folder."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def flet_build(app: Path, target: str, monkeypatch) -> FletBuild:
    """Run flet-cli 1.0.5's `flet build <target>` on `app` as far as this offline machine allows: its own option
    parsing, entry-point check, template data (permissions, Info.plist) and package step, with the Flutter SDK and the
    step's `dart run serious_python:main package` left out (they are downloaded, and run only in the workflow)."""
    from flet_cli.commands import build, flutter_base

    # The bundled Python's version comes from python-build's manifest on GitHub; any version serves here.
    manifest = app.parent / f"python-build-{target}.json"
    manifest.write_text(json.dumps({"default_python_version": "3.12", "pythons": {"3.12": {
        "full_version": "3.12.12", "pyodide_version": "0.27.7", "android_abis": ["arm64-v8a", "armeabi-v7a", "x86_64"]}}}))
    monkeypatch.setenv("FLET_PYTHON_BUILD_MANIFEST", str(manifest))
    # Finding (or downloading) Flutter, the JDK and the Android SDK: the one part of initialize_command left out.
    monkeypatch.setattr(flutter_base.BaseFlutterCommand, "initialize_command", lambda self: None)
    parser = argparse.ArgumentParser()
    command = build.Command(parser)
    command.options = parser.parse_args([target, str(app), "--yes"])
    command.verbose = 0
    command.target_platform = target
    command.emojis = {"checkmark": "ok"}
    command.status = types.SimpleNamespace(update=lambda _status: None)
    command.dart_exe = "dart"

    def refuse(exit_code: int, message=None, no_border: bool = False):
        raise BuildRefused(str(message))

    command.cleanup = refuse
    packaged = []

    def run(args, cwd, env=None, capture_output=True):
        packaged.append(list(args))
        (command.build_dir / "python-app").mkdir(parents=True, exist_ok=True)
        return types.SimpleNamespace(returncode=0, stdout="", stderr="")

    command.run = run
    command.initialize_command()
    command.validate_entry_point()
    command.setup_template_data()
    command.flutter_dir.mkdir(parents=True, exist_ok=True)
    command.package_python_app()
    (args,) = packaged
    options = command.template_data["options"]
    return FletBuild(
        module=command.python_module_name,
        entry=command.package_app_path / command.python_module_filename,
        permissions=dict(options["android_permissions"]),
        info_plist=dict(options["info_plist"]),
        requirements=[args[i + 1] for i, a in enumerate(args) if a == "-r"],
        excluded=[args[i + 1] for i, a in enumerate(args) if a == "--exclude"],
        platform=args[args.index("--platform") + 1],
    )


def phone_environment(platform: str, sys_platform: str, python: str) -> dict[str, str]:
    """The marker environment of serious_python's pip step: `platform.system()` faked to the phone's name, the rest
    (sys.platform among it) the build machine's own."""
    env = default_environment()
    env.update(platform_system=platform, sys_platform=sys_platform, python_version=python,
               python_full_version=f"{python}.0", os_name="posix", platform_python_implementation="CPython",
               implementation_name="cpython")
    return env


def asked_for(requirements: list[str], env: dict[str, str]) -> dict[str, str]:
    """Every distribution pip would install for `requirements` in `env`, each with what asked for it.

    Follows each installed distribution's own requirements (with their extras); a distribution not installed here
    is named with "(not installed here)", so that it cannot pass unseen.
    """
    found: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    # (name, extras, who asked): each marker is evaluated once, with the extras of the one that asked.
    todo = [(Requirement(r), "kompas") for r in requirements]
    todo = [(canonicalize_name(r.name), frozenset(r.extras), by) for r, by in todo
            if r.marker is None or r.marker.evaluate({**env, "extra": ""})]
    while todo:
        name, extras, by = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        found.setdefault(name, by)
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            found[name] = f"{by} (not installed here)"
            continue
        for line in distribution.requires or []:
            needed = Requirement(line)
            if needed.marker is None or any(needed.marker.evaluate({**env, "extra": e}) for e in ("", *sorted(extras))):
                todo.append((canonicalize_name(needed.name), frozenset(needed.extras), name))
    return found


def has_phone_build(name: str) -> bool:
    """A recipe on pypi.flet.dev, or a wheel that needs no native code: no compiled module in it, or only compiled
    copies of Python modules it also ships (fontTools' Cython speed-ups, which its py3-none-any wheel leaves out)."""
    if name in MOBILE_FORGE:
        return True
    try:
        files = [str(f) for f in metadata.distribution(name).files or []]
    except metadata.PackageNotFoundError:
        return False
    compiled = [f for f in files if f.endswith((".so", ".pyd", ".dylib"))]
    sources = set(files)
    return all(f"{f.split('.')[0]}.py" in sources for f in compiled)
