"""Benchmark: seconds from starting `kompas` to its home screen in Chromium, as a ratio to a bare Flet app.

The floor is the same measurement for a one-line Flet app served the same way,
in the same run, so a busy machine moves both numbers alike. Run:

    .venv/bin/python tools/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_FLAGS, free_port, open_page, read_link  # noqa: E402

# The floor: Flet's web client and one Text, served with the same options as Kompas.
BARE_APP = """
import sys, flet as ft, uvicorn
app = ft.run(lambda page: page.add(ft.Text("Klaar")), no_cdn=True, export_asgi_app=True)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def time_to_screen(browser, command: list[str], port: int, text: str, link: bool = False) -> float:
    """Seconds from starting `command` until `text` shows in a fresh page, opened through its printed link if `link`."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE if link else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = read_link(proc) if link else f"http://127.0.0.1:{port}/"
    try:
        page = open_page(browser, url)
        page.get_by_text(text).first.wait_for(timeout=60_000)
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
        data = Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "kompas", "demo", "--data", str(data)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        floor, kompas = [], []
        for _ in range(args.runs):
            # Alternate the two so that a noisy moment hits both.
            port = free_port()
            floor.append(time_to_screen(browser, [sys.executable, "-c", BARE_APP, str(port)], port, "Klaar"))
            port = free_port()
            kompas.append(time_to_screen(
                browser,
                [sys.executable, "-m", "kompas", "--data", str(data), "--port", str(port), "--no-browser"],
                port, "Een Stadspas aanvragen", link=True,
            ))
        browser.close()

    f, k = statistics.median(floor), statistics.median(kompas)
    print(f"runs: {args.runs}")
    print(f"bare Flet app to first text:   median {f:.2f} s  (min {min(floor):.2f}, max {max(floor):.2f})")
    print(f"kompas to home with demo data: median {k:.2f} s  (min {min(kompas):.2f}, max {max(kompas):.2f})")
    print(f"ratio to floor: {k / f:.2f}x")


if __name__ == "__main__":
    main()
