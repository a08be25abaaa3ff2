"""Benchmark: "Mijn koers" at five years against the empty Mijn koers, and the shelf with 200 kompassen against the
shelf with one, in Chromium, measured in interleaved pairs.

Each pair measures both sides one right after the other (each side the median of a few taps or page loads), the
order alternating from pair to pair, so that a busy moment on a shared machine hits both; the ratio is taken per
pair, and its median and its spread (lowest and highest) are printed, so a figure in the README can be reproduced
and its noise seen.

- Mijn koers: from the tap on "Mijn koers" on the home screen until the screen shows its first words, and until it
  is settled (Flutter's accessibility tree unchanged for 600 ms: the screen is drawn and can be used).
- The shelf: from opening the app's link, once the server answers, until the shelf shows its first words, and
  until it is settled. Every kompas has a PIN, so that one kompas shows the shelf too.

    .venv/bin/python tools/bench_koers.py [--pairs 9] [--times 3] [--only koers|shelf]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_FLAGS, in_dutch, one_kompas, open_page, start_kompas  # noqa: E402
from fiveyears import fill_five_years  # noqa: E402

from kompas.base import clock  # noqa: E402
from kompas.store.pin import PIN_FILE, PinLock  # noqa: E402
from kompas.store.shelf import Shelf  # noqa: E402
from kompas.store.storage import Store  # noqa: E402
from kompas.workbook.workbook import Workbook  # noqa: E402

SHELF = 200
# Flutter's accessibility tree, as ids: it changes with every redraw of the screen.
_TREE = "Array.from(document.querySelectorAll('flt-semantics')).map(n => n.id + n.textContent.length).join()"


def _settled(page, started: float) -> float:
    """Seconds from `started` until the tree last changed, once it has held still for 600 ms."""
    last, changed = page.evaluate(_TREE), time.perf_counter()
    while time.perf_counter() - changed < 0.6:
        page.wait_for_timeout(50)
        now = page.evaluate(_TREE)
        if now != last:
            last, changed = now, time.perf_counter()
    return changed - started


def open_koers(browser, data_dir: Path, first_words: str, times: int) -> tuple[float, float]:
    """Seconds from the tap on "Mijn koers" until `first_words` show, and until the screen is settled: the medians of
    `times` taps, each from a settled home screen."""
    proc, link = start_kompas(data_dir)
    try:
        page = open_page(browser, link)
        firsts, settles = [], []
        for _ in range(times):
            button = page.get_by_role("button", name="Mijn koers")
            button.wait_for(timeout=60_000)
            _settled(page, time.perf_counter())
            started = time.perf_counter()
            button.click()
            page.get_by_text(first_words, exact=False).first.wait_for(timeout=120_000)
            firsts.append(time.perf_counter() - started)
            settles.append(_settled(page, started))
            page.get_by_role("button", name="Terug naar mijn kompas").click()
        page.context.close()
        return statistics.median(firsts), statistics.median(settles)
    finally:
        proc.terminate()
        proc.wait()


def open_shelf(browser, data_dir: Path, times: int) -> tuple[float, float]:
    """Seconds from opening the link (the server already answering) until the shelf shows, and until it settles:
    the medians of `times` fresh pages."""
    proc, link = start_kompas(data_dir)
    try:
        # A first page waits for the server to answer, and is closed: the measured pages find it ready.
        open_page(browser, link).context.close()
        firsts, settles = [], []
        for _ in range(times):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(link)
            page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
            page.locator("flt-semantics-placeholder").dispatch_event("click")
            page.get_by_text("Kompassen op dit apparaat", exact=True).wait_for(timeout=120_000)
            firsts.append(time.perf_counter() - started)
            settles.append(_settled(page, started))
            context.close()
        return statistics.median(firsts), statistics.median(settles)
    finally:
        proc.terminate()
        proc.wait()


def shelf_of(data_dir: Path, count: int) -> Path:
    """A shelf with `count` kompassen, each with the same PIN (hashed once, its file copied: it holds its own salt)."""
    with Shelf.open(data_dir) as shelf:
        pin_file = None
        for n in range(count):
            folder = shelf.folder(shelf.create(f"Client {n + 1}", "blauw").id)
            if pin_file is None:
                PinLock(folder).set("2468")
                pin_file = folder / PIN_FILE
            else:
                shutil.copyfile(pin_file, folder / PIN_FILE)
    return data_dir


def pairs(name: str, floor: list[float], heavy: list[float]) -> str:
    ratios = sorted(h / f for f, h in zip(floor, heavy))
    return (f"  {name:<13} floor median {statistics.median(floor):.2f} s, measured median {statistics.median(heavy):.2f} s;"
            f" ratio median {statistics.median(ratios):.2f}x (pairs {ratios[0]:.2f}-{ratios[-1]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=9)
    parser.add_argument("--times", type=int, default=3, help="taps (or fresh pages) per side of a pair; their median")
    parser.add_argument("--only", choices=("koers", "shelf"), help="measure only one of the two")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        empty, full = Path(tmp) / "empty", Path(tmp) / "five-years"
        one_kompas(empty)
        with Store.open(one_kompas(full)) as store:
            fill_five_years(Workbook(store), clock.today())
        one, many = shelf_of(Path(tmp) / "one", 1), shelf_of(Path(tmp) / "many", SHELF)
        browser = in_dutch(p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS))
        koers = {"floor": [], "heavy": []}
        shelf = {"floor": [], "heavy": []}
        for n in range(args.pairs):
            # The order alternates, so that neither side always runs in the other's wake.
            order = ("floor", "heavy") if n % 2 == 0 else ("heavy", "floor")
            for side in order:
                if args.only != "shelf":
                    koers[side].append(open_koers(browser, empty, "Hier komt te staan wat je hebt gedaan", args.times)
                                       if side == "floor" else open_koers(browser, full, "(130)", args.times))
                if args.only != "koers":
                    shelf[side].append(open_shelf(browser, one if side == "floor" else many, args.times))
        browser.close()

    print(f"{args.pairs} interleaved pairs")
    if args.only != "shelf":
        print("Mijn koers, five years (130 periods) against the empty Mijn koers:")
        for i, what in enumerate(("first words", "settled")):
            print(pairs(what, [m[i] for m in koers["floor"]], [m[i] for m in koers["heavy"]]))
    if args.only != "koers":
        print(f"The shelf with {SHELF} kompassen against the shelf with one:")
        for i, what in enumerate(("first words", "settled")):
            print(pairs(what, [m[i] for m in shelf["floor"]], [m[i] for m in shelf["heavy"]]))


if __name__ == "__main__":
    main()
