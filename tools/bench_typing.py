"""Benchmark: the server's CPU for typing into a note at five years, against the same typing in a kompas of one note,
in Chromium, measured in interleaved pairs.

Each side opens "Meedoen" on a phone-sized page, taps "Aanpassen" on a note, and types 29 keys one at a time
(as a client types, 80 ms apart; the app stores the note at most twice a second). What is measured is the CPU time
the server's process spent from the first key until 1.5 s after the last (its user and system time from /proc), so
a busy machine stretches the wall time, not the figure. Each pair measures both sides one right after the other,
the order alternating; the ratio is taken per pair, and its median and spread are printed.

    .venv/bin/python tools/bench_typing.py [--pairs 5] [--laptop]

With --laptop the page is 1280 px wide: home (the compass, the action, the stars) stands beside the open condition,
as a begeleider's laptop shows it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_FLAGS, in_dutch, one_kompas, open_page, start_kompas  # noqa: E402
from fiveyears import fill_five_years  # noqa: E402

from kompas.base import clock  # noqa: E402
from kompas.domain.model import Condition, Step  # noqa: E402
from kompas.store.storage import Store  # noqa: E402
from kompas.workbook.workbook import Workbook  # noqa: E402

TYPED = "en op zaterdag naar de markt"  # typed after a space: 29 keys
NOTE = "Ik help graag bij de voedselbank"


def cpu_seconds(pid: int) -> float:
    """The process's user and system time so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make(folder: Path, five_years: bool) -> Path:
    data = folder / ("five" if five_years else "one")
    kompas = one_kompas(data)
    with Store.open(kompas) as store:
        workbook = Workbook(store)
        if five_years:
            fill_five_years(workbook, clock.today())
        workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, NOTE)
    return data


LAPTOP = {"width": 1280, "height": 800}


def typing_cpu(browser, data: Path, viewport: dict | None = None) -> float:
    """CPU seconds of the server for typing TYPED into the note NOTE."""
    proc, link = start_kompas(data)
    try:
        page = open_page(browser, link, viewport)
        page.get_by_role("button", name="Meedoen: openen").click()
        edit = page.get_by_role("button", name=f"Aanpassen: {NOTE}")
        edit.wait_for(timeout=60_000)
        edit.scroll_into_view_if_needed()
        edit.click()
        field = page.get_by_role("textbox", name="Notitie aanpassen")
        field.wait_for(timeout=60_000)
        field.click()
        page.keyboard.press("End")
        page.wait_for_timeout(1000)
        before = cpu_seconds(proc.pid)
        page.keyboard.type(" " + TYPED, delay=80)
        page.wait_for_timeout(1500)
        spent = cpu_seconds(proc.pid) - before
        page.context.close()
        return spent
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--laptop", action="store_true", help="a 1280 px page, home beside the condition")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        one, five = make(Path(tmp), False), make(Path(tmp), True)
        browser = in_dutch(p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS))
        ratios, ones, fives = [], [], []
        for n in range(args.pairs):
            order = [(one, ones), (five, fives)] if n % 2 == 0 else [(five, fives), (one, ones)]
            for data, into in order:
                into.append(typing_cpu(browser, data, LAPTOP if args.laptop else None))
            ratios.append(fives[-1] / ones[-1])
            print(f"pair {n + 1}: one note {ones[-1] * 1000:.0f} ms, five years {fives[-1] * 1000:.0f} ms, "
                  f"{ratios[-1]:.2f}x", flush=True)
        per_key = 1000 / (len(TYPED) + 1)
        print(f"typing {len(TYPED) + 1} keys into a note, server CPU: one note {statistics.median(ones) * per_key:.1f} ms"
              f" a key, five years {statistics.median(fives) * per_key:.1f} ms a key; "
              f"{statistics.median(ratios):.2f}x (pairs {min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
