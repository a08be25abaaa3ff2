"""Benchmark: "Voorlezen" on Meedoen of a five-year kompas, from the tap to the first sound, measured in the page.

Each run starts `kompas` afresh with no speech kept (nothing read before), opens Meedoen in Chromium, taps
"Voorlezen", and reads from the page itself when its audio element started playing (tests/listening.py), how many
pieces followed within ten seconds, the bytes that came for it, and whether Flet's error screen showed. The floor
is one short Dutch sentence spoken by espeak-ng and made into a sound file in this process, in the same run, under
the same load. Run:

    .venv/bin/python tools/bench_read_aloud.py [--runs 5] [--load]
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

from browser import enable_semantics, settle  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_FLAGS, AppServer, one_kompas  # noqa: E402
from fiveyears import fill_five_years  # noqa: E402
from listening import WATCH_SOUND, Burners, Bytes, heard  # noqa: E402

from kompas.base import clock  # noqa: E402
from kompas.media.speech import Pace, speak  # noqa: E402
from kompas.store.storage import Store  # noqa: E402
from kompas.workbook.workbook import Workbook  # noqa: E402

AFTER_FIRST = 10.0  # seconds of listening after the first sound, to count the pieces that follow


def one_run(browser, data: Path) -> dict:
    for kept in data.rglob("spraak"):
        shutil.rmtree(kept)
    server = AppServer(data)
    server.start()
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(WATCH_SOUND)
        page = context.new_page()
        counted = Bytes(page)
        with page.expect_response(lambda r: "NotoEmoji" in r.url, timeout=120_000):
            page.goto(server.link("/kompas/meedoen"))
            enable_semantics(page)
        button = page.get_by_role("button", name="Voorlezen", exact=True)
        button.wait_for(timeout=60_000)
        # The emoji font comes a moment after the first screen and redraws it: a tap during that is lost.
        settle(page)
        counted.start()
        button.click()
        deadline = time.perf_counter() + 90
        while time.perf_counter() < deadline:
            now = heard(page)
            if now.first is not None or now.error_screen:
                break
            page.wait_for_timeout(50)
        bytes_to_first = counted.total
        listen_until = time.perf_counter() + AFTER_FIRST
        while time.perf_counter() < listen_until and not heard(page).error_screen:
            page.wait_for_timeout(200)
        now = heard(page)
        context.close()
        return {"error_at": now.error_at, "first": now.first, "pieces": len(now.starts), "error": now.error_screen,
                "to_first": bytes_to_first,
                "total": counted.total, "largest": counted.largest_message}
    finally:
        server.stop()


def floor() -> float:
    started = time.perf_counter()
    speak("Meedoen.", "nl", Pace.SLOW)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load", action="store_true", help="two CPU burners run meanwhile")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        data = Path(tmp) / "five-years"
        with Store.open(one_kompas(data)) as store:
            fill_five_years(Workbook(store), clock.today())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        speak("Klaar.", "nl")  # espeak-ng loaded once, as a server that has read anything has it
        runs, floors = [], []
        for _ in range(args.runs):
            if args.load:
                with Burners():
                    floors.append(floor())
                    runs.append(one_run(browser, data))
            else:
                floors.append(floor())
                runs.append(one_run(browser, data))
            r = runs[-1]
            first = f"{r['first'] / 1000:6.2f} s" if r["first"] is not None else "  none  "
            error = f"YES after {r['error_at'] / 1000:.1f} s" if r["error"] else "no"
            print(f"  first sound {first}  pieces in {AFTER_FIRST:.0f} s: {r['pieces']:3d}  error screen: "
                  f"{error}  bytes to first {r['to_first'] / 1000:8.1f} kB  "
                  f"in all {r['total'] / 1000:8.1f} kB  largest {r['largest'] / 1000:7.1f} kB", flush=True)
        browser.close()
    played = [r["first"] / 1000 for r in runs if r["first"] is not None]
    f = statistics.median(floors)
    print(f"Voorlezen on Meedoen of a five-year kompas, {args.runs} runs{' under load (two burners)' if args.load else ''}")
    print(f"  played: {len(played)} of {args.runs}; error screen: {sum(r['error'] for r in runs)} of {args.runs}")
    if played:
        m = statistics.median(played)
        print(f"  tap to first sound: median {m:.2f} s (min {min(played):.2f}, max {max(played):.2f}); floor (espeak-ng, "
              f"one word) {f * 1000:.0f} ms; ratio {m / f:.1f}x")
    print(f"  bytes to first sound: median {statistics.median(r['to_first'] for r in runs) / 1000:.1f} kB; "
          f"largest single transfer {max(r['largest'] for r in runs) / 1000:.1f} kB")


if __name__ == "__main__":
    main()
