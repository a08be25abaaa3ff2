"""Benchmark: opening "Mijn koers" at five years of weekly use, as a ratio to opening it on an empty kompas.

Both are measured in the same run, alternating, in Chromium from a tap on "Mijn koers"
on the home screen until the screen shows its first words. Run:

    .venv/bin/python tools/bench_koers.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_FLAGS, one_kompas, open_page, start_kompas  # noqa: E402
from fiveyears import fill_five_years  # noqa: E402

from kompas.storage import Store  # noqa: E402
from kompas.workbook import Workbook  # noqa: E402


def open_koers(browser, data_dir: Path, first_words: str) -> float:
    """Seconds from the tap on "Mijn koers" until `first_words` show."""
    proc, link = start_kompas(data_dir)
    try:
        page = open_page(browser, link)
        button = page.get_by_role("button", name="Mijn koers")
        button.wait_for(timeout=60_000)
        started = time.perf_counter()
        button.click()
        page.get_by_text(first_words, exact=False).first.wait_for(timeout=120_000)
        elapsed = time.perf_counter() - started
        page.context.close()
        return elapsed
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        empty, full = Path(tmp) / "empty", Path(tmp) / "five-years"
        one_kompas(empty)
        with Store.open(one_kompas(full)) as store:
            fill_five_years(Workbook(store), date.today())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        floor, koers = [], []
        for _ in range(args.runs):
            floor.append(open_koers(browser, empty, "Hier komt te staan wat je hebt gedaan"))
            # The newest period comes first: its action ends in "(130)".
            koers.append(open_koers(browser, full, "(130)"))
        browser.close()
    f, k = statistics.median(floor), statistics.median(koers)
    print(f"Mijn koers, {args.runs} runs")
    print(f"  empty kompas (floor):              median {f:.2f} s")
    print(f"  five years (130 periods):          median {k:.2f} s  ratio {k / f:.2f}x")


if __name__ == "__main__":
    main()
