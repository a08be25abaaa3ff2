"""Shared fixtures: stores on memory and on a real file, a running app server, and a real Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kompas.storage import Store
from kompas.workbook import Workbook

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KOMPAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(params=["memory", "file"])
def store(request, tmp_path) -> Store:
    """The same store behaviour, in memory and on a real TinyDB file."""
    if request.param == "memory":
        return Store.in_memory()
    return Store.open(tmp_path / "data")


@pytest.fixture
def workbook(store) -> Workbook:
    return Workbook(store)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_link(proc: subprocess.Popen) -> str:
    """The link a `kompas` started with stdout=PIPE prints on a line of its own, starting with http."""
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").strip() if isinstance(raw, bytes) else raw.strip()
        if line.startswith("http"):
            return line
    raise RuntimeError("kompas printed no link")


class AppServer:
    """`kompas` started as a user starts it, in its own process, on a free port."""

    def __init__(self, data_dir: Path, port: int | None = None):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log = data_dir.parent / f"server-{self.port}.log"
        self.entry: str | None = None  # the link `kompas` printed, with this start's secret

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def link(self, path: str = "/") -> str:
        """The printed link, leading to `path`: the only way in for a browser without the cookie."""
        return self.entry.replace(f"{self.url}/?", f"{self.url}{path}?", 1)

    def start(self) -> float:
        """Start the server; returns the seconds until it answered HTTP."""
        started = time.perf_counter()
        already = self.log.stat().st_size if self.log.exists() else 0
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kompas", "--data", str(self.data_dir), "--port", str(self.port), "--no-browser"],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, cwd=ROOT,
        )
        deadline = started + 30
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kompas stopped early:\n{self.log.read_text()}")
            printed = self.log.read_bytes()[already:].decode("utf-8", "replace").splitlines()
            self.entry = next((line for line in printed if line.startswith("http")), None)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    if self.entry:
                        return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("kompas did not answer within 30 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def app_server(tmp_path):
    server = AppServer(tmp_path / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright. In CI a missing browser fails the test instead of skipping it."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
