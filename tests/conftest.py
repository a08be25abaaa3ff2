"""Shared fixtures: stores on memory and on a real file, a running app server, and a real Chromium."""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kompas.store.storage import Store
from kompas.workbook.workbook import Workbook

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KOMPAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# What a browser test waits for comes within seconds on a quiet machine; on a loaded one (two suites, a phone build,
# CPU burners) Flutter's frames come much later. Every expect waits up to 20 s for its condition, not Playwright's 5 s.
expect.set_options(timeout=20_000)


@pytest.fixture(params=["memory", "file"])
def store(request, tmp_path) -> Store:
    """The same store behaviour, in memory and on a real TinyDB file."""
    if request.param == "memory":
        return Store.in_memory(tmp_path / "data")
    return Store.open(tmp_path / "data")


@pytest.fixture
def workbook(store) -> Workbook:
    return Workbook(store)


class Clock:
    """A clock for the library that moves only when a test moves it."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def library(tmp_path, monkeypatch):
    """A library on a shelf in `tmp_path`, with a clock of its own (`library.clock`) and PINs that check fast."""
    # Full-strength scrypt is tested in test_pin; here a PIN only needs to work.
    import kompas.store.pin as pin
    from kompas.store.shelf import Shelf
    from kompas.workbook.session import Library

    monkeypatch.setattr(pin, "COST", pin.Cost(n=2**10, r=8, p=1))
    clock = Clock()
    library = Library(Shelf.open(tmp_path), clock=clock)
    library.clock = clock
    yield library
    library.close()


def kompas_folder(data_dir: Path, nickname: str | None = None) -> Path:
    """The folder of the one kompas (or the one named) on the shelf in `data_dir`, as the app lays it out.

    Read from the cards on disk, not through a Shelf: a running app holds the data folder's lock.
    """
    import json

    from kompas.store.shelf import CARD_FILE, SHELF_FOLDER

    folders = [f for f in sorted((data_dir / SHELF_FOLDER).iterdir()) if not f.name.startswith(".") and f.is_dir()]
    if nickname:
        folders = [f for f in folders
                   if json.loads((f / CARD_FILE).read_text(encoding="utf-8"))["nickname"].lower() == nickname.lower()]
    assert len(folders) == 1, f"expected one kompas on the shelf, found {len(folders)}"
    return folders[0]


def one_kompas(data_dir: Path, nickname: str = "Mijn kompas") -> Path:
    """A data folder with one kompas on its shelf, without a PIN: the app opens it at once, as a client's own."""
    from kompas.store.shelf import Shelf

    with Shelf.open(data_dir) as shelf:
        card = shelf.create(nickname, "blauw")
        return shelf.folder(card.id)


def kompas_json(data_dir: Path) -> Path:
    return kompas_folder(data_dir) / "kompas.json"


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


def start_kompas(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`kompas` on a free port, as a benchmark starts it: the process, and the link it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "kompas", "--data", str(data_dir), "--port", str(free_port()),
                             "--no-browser"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return proc, read_link(proc)


def open_page(browser, url: str, viewport: dict | None = None, within_s: float = 60):
    """A fresh page at `url` as soon as the server answers, with Flutter's accessibility tree turned on."""
    page = browser.new_context(viewport=viewport or {"width": 390, "height": 844}, locale=BROWSER_LOCALE).new_page()
    deadline = time.perf_counter() + within_s
    while True:
        try:
            page.goto(url)
            break
        except Exception:
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.05)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
    page.locator("flt-semantics-placeholder").dispatch_event("click")
    return page


class AppServer:
    """`kompas` started as a user starts it, in its own process, on a free port."""

    def __init__(self, data_dir: Path, port: int | None = None, env: dict[str, str] | None = None,
                 host: str | None = None):
        self.data_dir = data_dir
        self.env = env
        self.host = host  # None: the default, this device only
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
            [sys.executable, "-m", "kompas", "--data", str(self.data_dir), "--port", str(self.port), "--no-browser",
             *(["--host", self.host] if self.host else [])],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, cwd=ROOT,
            env={**os.environ, **self.env} if self.env else None,
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

    def __enter__(self) -> "AppServer":
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

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
    one_kompas(tmp_path / "data")
    with AppServer(tmp_path / "data") as server:
        yield server


@pytest.fixture
def demo_app(tmp_path):
    """`kompas` serving the sample kompas "Demo", as `kompas demo` makes it."""
    from kompas.cli import main

    assert main(["demo", "--data", str(tmp_path / "data")]) == 0
    with AppServer(tmp_path / "data") as server:
        yield server


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium under Playwright. In CI a missing browser fails the test instead of skipping it.

    One per test module: Playwright's synchronous API keeps an event loop running in the main thread while it
    is open, and the tests of other modules that run their own loop (asyncio.run) must not find one there.
    """
    yield from launch_chromium()


def launch_chromium(*flags: str):
    """Chromium with the flags every browser test uses, and `flags` (a fake microphone); closed after the yield."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = in_dutch(p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, *flags]))
        yield browser
        browser.close()


# The language of the browsers the tests use, as on a begeleider's laptop: the app follows the browser's language.
BROWSER_LOCALE = "nl-NL"


def in_dutch(browser):
    """`browser`, whose pages speak Dutch unless a test asks for another locale (Chromium's own is en-US)."""
    new_context, new_page = browser.new_context, browser.new_page

    def dutch(opener):
        return lambda *args, **options: opener(*args, **{"locale": BROWSER_LOCALE, **options})

    browser.new_context, browser.new_page = dutch(new_context), dutch(new_page)
    return browser


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker a core, at most four. A browser test keeps a server and a Chromium busy: on two cores,
    four workers were slower than two and failed five browser tests."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def pytest_collection_modifyitems(items):
    """A browser test that fails is run once more, and only a second failure counts (the run's summary names each
    rerun). Flutter builds its accessibility tree, which these tests click and type through, a moment after it
    draws; on a loaded two-core machine a tap through the tree can still reach a control that was just replaced,
    about one browser test in a full run. A behaviour that is broken fails both times."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture(autouse=True)
def machine_to_itself(request, tmp_path_factory):
    """A test that loads the machine on purpose (`burns_cpu`: two CPU burners, as a cheap phone is busy) runs alone:
    the other worker's browser tests wait for it, and it for them. Otherwise its burners ran beside them and made
    them fail at random (a PIN typed under two burners reached the app in 1 of 5 tries)."""
    burns = request.node.get_closest_marker("burns_cpu") is not None
    if not burns and "chromium" not in request.fixturenames:
        yield
        return
    # The run's own temporary folder, which every xdist worker of this run shares.
    with open(tmp_path_factory.getbasetemp().parent / "kompas-machine.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if burns else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def close_browser_contexts(request):
    """Each browser test closes the pages it opened: a Flutter page left open keeps trying to reach its stopped
    server, and a dozen of them slow every later test on a two-core machine."""
    yield
    if "chromium" in request.fixturenames:
        browser = request.getfixturevalue("chromium")
        for context in list(browser.contexts):
            context.close()
