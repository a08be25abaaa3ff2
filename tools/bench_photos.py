"""Benchmark: importing a 12 MP phone photo, adding one in the browser, and opening the album with 500 photos.

Import is measured against a plain full decode of the same JPEG; the album against
the same album with no photos, in the same run. The import of a 108 and a 200 MP
phone JPEG is timed too, with no floor: decoding those whole is what draft avoids.
Adding a photo in Chromium (a detailed 12 MP JPEG of about 4 MB, as a phone writes it) is
timed from the moment the file is chosen until it is stored, and until its thumbnail shows,
against the server-side import of the same bytes, timed between each two browser runs. Run:

    .venv/bin/python tools/bench_photos.py [--runs 9] [--photos 500] [--no-album] [--no-browser-add] [--against DIR]

--no-album --no-browser-add measures only the import, which needs no browser. --against DIR (a checkout of the
code before a change, e.g. `git worktree add /tmp/before main`) adds the photo there too, in turns.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import enable_semantics  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_FLAGS, AppServer, kompas_folder, one_kompas, open_page, start_kompas  # noqa: E402
from photofiles import big_phone_photo, detailed_phone_photo, phone_photo  # noqa: E402

from kompas.domain.model import Photo, new_id  # noqa: E402
from kompas.media.photos import PHOTO_FOLDER, import_photo  # noqa: E402
from kompas.store.storage import Store  # noqa: E402


def bench_import(runs: int) -> None:
    data = phone_photo()
    with tempfile.TemporaryDirectory() as tmp:
        imports, decodes, import_cpu, decode_cpu = [], [], [], []
        for i in range(runs):
            started, cpu = time.perf_counter(), time.process_time()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
            decodes.append(time.perf_counter() - started)
            decode_cpu.append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            import_photo(data, Path(tmp), f"{i:032x}")
            imports.append(time.perf_counter() - started)
            import_cpu.append(time.process_time() - cpu)
    i, d = statistics.median(imports), statistics.median(decodes)
    ic, dc = statistics.median(import_cpu), statistics.median(decode_cpu)
    print(f"12 MP JPEG ({len(data) // 1024} KB), {runs} runs")
    print(f"  full decode (floor):                    median {d * 1000:.0f} ms")
    print(f"  import (upright, no metadata, 1600 px): median {i * 1000:.0f} ms  ratio {i / d:.2f}x")
    # The import scales in two halves side by side: on a busy machine its wall time suffers more than the floor's.
    print(f"  CPU time (all threads): import {ic * 1000:.0f} ms, floor {dc * 1000:.0f} ms  ratio {ic / dc:.2f}x")


def bench_big_imports(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for width, height in ((12_000, 9_000), (16_320, 12_240)):
            data = big_phone_photo(width, height)
            times = []
            for i in range(runs):
                started = time.perf_counter()
                import_photo(data, Path(tmp), f"{i:032x}")
                times.append(time.perf_counter() - started)
            print(f"{width * height / 1e6:.0f} MP JPEG ({len(data) // 2**20} MB), {runs} runs: "
                  f"import median {statistics.median(times) * 1000:.0f} ms")


def _stored_photos(data_dir: Path) -> int:
    db = kompas_folder(data_dir) / "kompas.json"
    return db.read_text(encoding="utf-8").count('"thumb"') if db.exists() else 0


class _Checkout(AppServer):
    """`kompas` run from another checkout of the repository (the code from before a change), for a fair comparison."""

    def __init__(self, data_dir: Path, root: Path):
        super().__init__(data_dir)
        self.root = root

    def start(self) -> float:
        import conftest

        here, conftest.ROOT = conftest.ROOT, self.root
        try:
            return super().start()
        finally:
            conftest.ROOT = here


def bench_browser_add(runs: int, against: Path | None = None) -> None:
    """From choosing a 12 MP photo in the file picker to stored (on disk, in the kompas) and to its thumbnail on
    screen, against the server-side import of the same bytes, timed before each run. With `against` (another
    checkout), its app is timed the same way in turns with this one, on the same loaded machine."""
    import re

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    data = detailed_phone_photo()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        photo = Path(tmp) / "IMG_20261121_101500.jpg"
        photo.write_bytes(data)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        apps = {"this checkout": None, **({f"{against}": against} if against else {})}
        times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in apps}
        servers, pages = {}, {}
        imports = []
        try:
            for name, root in apps.items():
                folder = Path(tmp) / f"data-{len(servers)}"
                one_kompas(folder)
                servers[name] = AppServer(folder) if root is None else _Checkout(folder, root)
                servers[name].start()
                pages[name] = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
                pages[name].goto(servers[name].link("/plakboek"))
                enable_semantics(pages[name])
                try:  # the hint about the header's buttons, in a checkout that has it
                    pages[name].get_by_role("button", name="Begrepen").click(timeout=5_000)
                except PlaywrightError:
                    pass
            for i in range(runs):
                started = time.perf_counter()
                import_photo(data, Path(tmp) / "floor", f"{i:032x}")
                imports.append(time.perf_counter() - started)
                for name in (list(apps) if i % 2 == 0 else list(apps)[::-1]):
                    page, server = pages[name], servers[name]
                    with page.expect_file_chooser() as chooser:
                        page.get_by_role("button", name="Foto toevoegen").click()
                    started = time.perf_counter()
                    chooser.value.set_files(str(photo))
                    while _stored_photos(server.data_dir) <= i:
                        time.sleep(0.005)
                    times[name][0].append(time.perf_counter() - started)
                    page.get_by_role("button", name=re.compile(r"^Foto van ")).nth(i).wait_for(timeout=60_000)
                    times[name][1].append(time.perf_counter() - started)
                print(f"  run {i + 1}: import {imports[-1] * 1000:.0f} ms; " + "; ".join(
                    f"{name}: stored {t[0][-1] * 1000:.0f} ms, shown {t[1][-1] * 1000:.0f} ms"
                    for name, t in times.items()), flush=True)
        finally:
            browser.close()
            for server in servers.values():
                server.stop()
    floor = statistics.median(imports)
    print(f"adding a 12 MP photo ({len(data) // 1024} KB) in Chromium, {runs} runs")
    print(f"  server-side import (floor): median {floor * 1000:.0f} ms (runs {min(imports) * 1000:.0f}-"
          f"{max(imports) * 1000:.0f})")
    for name, (stored, shown) in times.items():
        print(f"  {name}")
        for what, spans in (("chosen to stored", stored), ("chosen to its thumbnail", shown)):
            print(f"    {what + ':':25} median {statistics.median(spans) * 1000:.0f} ms  "
                  f"ratio {statistics.median(spans) / floor:.2f}x (runs {min(spans) * 1000:.0f}-"
                  f"{max(spans) * 1000:.0f} ms)")


def fill_album(data_dir: Path, count: int) -> None:
    """`count` photos as the app stores them: one real import, copied under new ids."""
    first = import_photo(phone_photo(1600, 1200), data_dir, "0" * 32)
    store = Store.open(data_dir)
    start = datetime(2026, 1, 1)
    for n in range(count):
        photo_id = new_id()
        for source, suffix in ((first.file, ""), (first.thumb, "-klein")):
            shutil.copy(data_dir / source, data_dir / PHOTO_FOLDER / f"{photo_id}{suffix}.jpg")
        store.put_photo(Photo(file=f"{PHOTO_FOLDER}/{photo_id}.jpg", thumb=f"{PHOTO_FOLDER}/{photo_id}-klein.jpg",
                              added=(start + timedelta(hours=n)).isoformat(timespec="seconds"), id=photo_id))
    for name in ("0" * 32 + ".jpg", "0" * 32 + "-klein.jpg"):
        (data_dir / PHOTO_FOLDER / name).unlink()
    # Let go of the folder: the app started next takes it, and moves this kompas onto its shelf.
    store.close()


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_album(browser, data_dir: Path) -> tuple[float, int, int]:
    """Seconds until the album shows its first photo (or its empty text), server RSS and page JS heap."""
    proc, link = start_kompas(data_dir)
    try:
        page = open_page(browser, link)
        page.get_by_role("button", name="Mijn plakboek").wait_for(timeout=60_000)
        started = time.perf_counter()
        page.get_by_role("button", name="Mijn plakboek").click()
        page.get_by_text("Tik op een foto om hem groot te zien", exact=False).wait_for()
        page.wait_for_function("document.querySelectorAll('flt-semantics[role=button]').length > 2 || "
                               "document.body.innerText.includes('Nog geen foto')", timeout=60_000)
        elapsed = time.perf_counter() - started
        page.wait_for_timeout(1000)  # let the visible thumbnails load
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
        memory = rss_kb(proc.pid)
        page.context.close()
        return elapsed, memory, heap
    finally:
        proc.terminate()
        proc.wait()


def bench_album(count: int, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        empty, full = Path(tmp) / "empty", Path(tmp) / "full"
        one_kompas(empty)
        fill_album(full, count)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        floor, album = [], []
        for _ in range(runs):
            floor.append(open_album(browser, empty))
            album.append(open_album(browser, full))
        browser.close()
    f = statistics.median(t for t, _, _ in floor)
    a = statistics.median(t for t, _, _ in album)
    print(f"album, {runs} runs")
    print(f"  empty album (floor): median {f:.2f} s, server {statistics.median(m for _, m, _ in floor) / 1024:.0f} MB, "
          f"page heap {statistics.median(h for _, _, h in floor) / 2**20:.0f} MB")
    print(f"  {count} photos:       median {a:.2f} s, server {statistics.median(m for _, m, _ in album) / 1024:.0f} MB, "
          f"page heap {statistics.median(h for _, _, h in album) / 2**20:.0f} MB  ratio {a / f:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--no-album", action="store_true", help="not the album, which needs Chromium")
    parser.add_argument("--no-browser-add", action="store_true", help="not adding a photo in Chromium")
    parser.add_argument("--against", type=Path, help="another checkout (the code before a change): its app adds the "
                        "same photo in turns with this one's")
    args = parser.parse_args()
    bench_import(args.runs)
    bench_big_imports(max(3, args.runs // 3))
    if not args.no_browser_add:
        bench_browser_add(args.runs, args.against)
    if not args.no_album:
        bench_album(args.photos, max(3, args.runs // 3))


if __name__ == "__main__":
    main()
