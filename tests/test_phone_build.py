"""`flet build apk|ipa` reads pyproject.toml as meant: flet-cli 1.0.5's own code finds the entry point, the permissions
and the files left out, and no package without a phone build is asked for on Android or iOS."""

from __future__ import annotations

import ast

import pytest
from phonebuild import (
    BUILD_MACHINES,
    NO_PHONE_BUILD,
    PHONE_PYTHONS,
    BuildRefused,
    asked_for,
    checkout,
    flet_build,
    has_phone_build,
    phone_environment,
)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return checkout(tmp_path_factory.mktemp("checkout"))


@pytest.mark.parametrize("target, platform", [("apk", "Android"), ("aab", "Android"), ("ipa", "iOS")])
def test_flet_build_finds_the_entry_point_that_starts_the_app(app, target, platform, monkeypatch):
    build = flet_build(app, target, monkeypatch)
    assert build.platform == platform
    assert build.module == "main" and build.entry == app / "main.py"
    # The file it runs starts what the `kompas` command starts.
    tree = ast.parse(build.entry.read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.ImportFrom) and n.module == "kompas.cli" and n.names[0].name == "main"
               for n in tree.body)
    assert any(isinstance(n, ast.Raise) and "main(" in ast.unparse(n) for n in tree.body)


def test_flet_build_refuses_an_entry_point_it_cannot_find(app, monkeypatch, tmp_path):
    """The check the tests above rely on can fail: `module = "kompas.__main__"` makes flet build look for kompas.py."""
    pyproject = app / "pyproject.toml"
    kept = pyproject.read_text(encoding="utf-8")
    try:
        pyproject.write_text(kept.replace('module = "main"', 'module = "kompas.__main__"'), encoding="utf-8")
        with pytest.raises(BuildRefused, match="kompas.py not found"):
            flet_build(app, "apk", monkeypatch)
    finally:
        pyproject.write_text(kept, encoding="utf-8")


def test_the_phone_asks_for_the_microphone_only(app, monkeypatch):
    """RECORD_AUDIO for "Inspreken"; INTERNET taken out (flet build adds it by default): Python and Flutter talk inside
    the app's own process (Flet's dart_bridge), and the app reaches no network."""
    android = flet_build(app, "apk", monkeypatch)
    assert {name for name, asked in android.permissions.items() if asked} == {"android.permission.RECORD_AUDIO"}
    assert android.permissions["android.permission.INTERNET"] is False
    ios = flet_build(app, "ipa", monkeypatch)
    assert {key for key in ios.info_plist if key.endswith("UsageDescription")} == {"NSMicrophoneUsageDescription"}
    assert "telefoon" in ios.info_plist["NSMicrophoneUsageDescription"]


def test_the_app_package_holds_the_app_and_leaves_the_rest_out(app, monkeypatch):
    build = flet_build(app, "apk", monkeypatch)
    for left_out in ("tests", "tools", "docs", ".ci", "build"):
        assert left_out in build.excluded
    # What the app needs at run time goes in: its code, the assets (fonts, pictograms) and the translations.
    for needed in ("kompas", "assets", "locales", "main.py"):
        assert not any(needed == e or needed.startswith(f"{e}/") for e in build.excluded), needed


@pytest.mark.parametrize("platform", sorted(BUILD_MACHINES))
def test_no_package_without_a_phone_build_is_asked_for(app, platform, monkeypatch):
    """Every requirement's marker as serious_python's pip step evaluates it: `platform_system` is the phone's, and
    `sys_platform` the build machine's (serious_python fakes only platform.system())."""
    requirements = flet_build(app, "apk" if platform == "Android" else "ipa", monkeypatch).requirements
    for sys_platform in BUILD_MACHINES[platform]:
        for python in PHONE_PYTHONS:
            packages = asked_for(requirements, phone_environment(platform, sys_platform, python))
            without = {name: by for name, by in packages.items() if not has_phone_build(name)}
            assert without == {}, f"{platform} built on {sys_platform}, Python {python}: no phone build for {without}"
            assert NO_PHONE_BUILD.isdisjoint(packages), NO_PHONE_BUILD & set(packages)
            # The app itself is there: Flet, the recorder and the player, Pillow, and the sealing of a copy.
            assert {"flet", "flet-audio", "flet-audio-recorder", "pillow", "cryptography"} <= set(packages)


def test_the_laptop_still_gets_its_web_server_speech_and_sound(app, monkeypatch):
    """The markers leave things out on phones only: a Linux, macOS or Windows install keeps all of it."""
    requirements = flet_build(app, "apk", monkeypatch).requirements
    for system, sys_platform in (("Linux", "linux"), ("Darwin", "darwin"), ("Windows", "win32")):
        packages = asked_for(requirements, phone_environment(system, sys_platform, "3.11"))
        assert {"flet-web", "uvicorn", "espeakng-loader", "soundfile", "pillow-heif"} <= set(packages), system


def test_the_list_of_phone_builds_can_refuse():
    """has_phone_build says no to native wheels that are not on pypi.flet.dev, and yes to the recipes."""
    assert not has_phone_build("soundfile")  # its wheel carries libsndfile
    assert not has_phone_build("pillow-heif")
    assert has_phone_build("pillow") and has_phone_build("tinydb")
    assert not has_phone_build("no-such-package-here")
