"""`pip install .` gives a whole app: the wheel and the sdist carry every asset and translation, and the
installed `kompas`, run far from this checkout, finds them in its own site-packages."""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tarfile
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from kompas.poster.render import MARGIN_MM

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("assets", "locales")
# Never copied into the build: local state of this checkout, not part of the project.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".flet")


def shipped_files() -> set[str]:
    """Every file under assets/ and locales/ in this checkout, as 'assets/fonts/OFL.txt'."""
    return {p.relative_to(ROOT).as_posix() for top in SHIPPED for p in (ROOT / top).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def clean_env() -> dict[str, str]:
    """The environment without anything that could lead Python back to this checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1", PYTHONNOUSERSITE="1")
    return env


class Installed:
    """A fresh venv with kompas installed from its wheel, as `pip install .` would install it."""

    def __init__(self, base: Path):
        self.base = base
        self.venv = base / "venv"
        self.python = self.venv / "bin" / "python"
        self.kompas = self.venv / "bin" / "kompas"
        self.work = base / "elsewhere"  # the working directory: nowhere near the checkout
        self.work.mkdir()
        self.wheel_names: set[str] = set()
        self.sdist_names: set[str] = set()

    def site_packages(self) -> Path:
        out = run(self.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", env=clean_env())
        return Path(out.stdout.strip())

    def build_and_install(self) -> None:
        env = clean_env()
        source = self.base / "source"
        shutil.copytree(ROOT, source, ignore=NOT_SOURCE)  # builds write build/ and *.egg-info; keep them out of the checkout
        run(sys.executable, "-m", "venv", self.venv, env=env)

        # The build backend the project asks for (this needs an index, as `pip install .` does), then the sdist and the wheel.
        requires = tomllib.loads((source / "pyproject.toml").read_text())["build-system"]["requires"]
        run(self.python, "-m", "pip", "install", "-q", *requires, env=env)
        hooks = ("import json, sys; from setuptools import build_meta as b; "
                 "print(json.dumps(b.get_requires_for_build_sdist() + b.get_requires_for_build_wheel()))")
        extra = json.loads(run(self.python, "-c", hooks, cwd=source, env=env).stdout.strip().splitlines()[-1])
        if extra:
            run(self.python, "-m", "pip", "install", "-q", *extra, env=env)
        dist = self.base / "dist"
        run(self.python, "-c", f"from setuptools import build_meta as b; b.build_sdist({str(dist)!r})", cwd=source, env=env)
        run(self.python, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "-w", dist, env=env)
        (sdist,), (wheel,) = dist.glob("kompas-*.tar.gz"), dist.glob("kompas-*.whl")
        with tarfile.open(sdist) as tar:
            self.sdist_names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
        with zipfile.ZipFile(wheel) as whl:
            self.wheel_names = set(whl.namelist())

        run(self.python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, env=env)
        # Flet, Pillow and the rest come from the project's .venv rather than from the network: a plain path
        # line in a .pth puts that site-packages on sys.path without running its .pth files, so the editable
        # kompas there stays out of sight. Written after the install, so pip never sees that kompas either.
        deps = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
        (self.site_packages() / "_kompas_test_deps.pth").write_text("".join(f"{d}\n" for d in deps))


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    app = Installed(tmp_path_factory.mktemp("install"))
    app.build_and_install()
    return app


def test_the_wheel_carries_every_asset_and_translation(installed):
    missing = {f for f in shipped_files() if f"kompas/{f}" not in installed.wheel_names}
    assert missing == set(), "the wheel lacks these files"


def test_the_sdist_carries_every_asset_and_translation(installed):
    assert shipped_files() - installed.sdist_names == set(), "the sdist lacks these files"


def test_the_installed_app_finds_its_files_in_its_own_site_packages(installed):
    probe = ("import json, kompas, kompas.base.resources as r; "
             "print(json.dumps([kompas.__file__, str(r.ASSETS_DIR), str(r.LOCALES_DIR)]))")
    out = run(installed.python, "-c", probe, cwd=installed.work, env=clean_env())
    package, assets, locales = (Path(p) for p in json.loads(out.stdout))
    site = installed.site_packages().resolve()
    assert package.resolve().is_relative_to(site), f"kompas was imported from {package}, not from the wheel"
    for folder in (assets, locales):
        assert folder.resolve().is_relative_to(site / "kompas"), folder
    for name in shipped_files():
        top, rest = name.split("/", 1)
        assert ((assets if top == "assets" else locales) / rest).is_file(), f"{name} is not installed"


def test_the_installed_command_makes_a_poster_with_its_pictograms(installed):
    data, pdf, png = installed.work / "data", installed.work / "poster.pdf", installed.work / "poster.png"
    run(installed.kompas, "demo", "--data", data, cwd=installed.work, env=clean_env())
    run(installed.kompas, "poster", "--data", data, "--out", pdf, "--png", png, cwd=installed.work, env=clean_env())
    assert pdf.read_bytes().startswith(b"%PDF")
    with Image.open(png) as image:
        # The compass rose sits top left, 12 mm square, 12 mm down: it must be drawn, not left white.
        per_mm = image.width / 210
        box = tuple(round(v * per_mm) for v in (MARGIN_MM, 12, MARGIN_MM + 12, 24))
        rose = image.convert("L").crop(box)
    inked = sum(rose.histogram()[:200]) / (rose.width * rose.height)
    assert inked > 0.05, f"the compass rose is missing from the poster ({inked:.1%} inked)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str, printed: str) -> tuple[int, bytes]:
    """GET `path` from the running app, as its browser would: first the link `kompas` printed, for the cookie."""
    link = next(line for line in printed.splitlines() if line.startswith("http"))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        opener.open(link, timeout=10).close()
        with opener.open(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_the_installed_server_serves_pictograms_and_fonts(installed):
    port, log = free_port(), installed.work / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(installed.kompas), "--data", str(installed.work / "served"), "--port", str(port),
                                 "--no-browser"], stdout=out, stderr=subprocess.STDOUT, cwd=installed.work, env=clean_env())
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"kompas stopped early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"kompas did not answer within 30 s:\n{log.read_text()}"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        for path in ("/pictograms/meedoen.svg", "/fonts/NotoSans-Regular.ttf"):
            status, body = fetch(port, path, log.read_text())
            assert status == 200, f"{path}: HTTP {status}"
            assert body == (ROOT / "assets" / path.lstrip("/")).read_bytes(), f"{path} is not the file from assets/"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
