"""Benchmark: a five-year kompas with its photos into a .kompas file and back, each against a floor in the same run.

Export is measured against writing the same files into a zip the plainest way (zipfile, photos stored, data
deflated); import (every check, every photo through the photo import, onto a shelf) against reading that zip and
decoding each photo once with Pillow. The import takes photos in side by side, so its CPU time (all threads) is
given beside its wall time: on a shared machine the two differ. Run:

    .venv/bin/python tools/bench_carry.py [--runs 5] [--photos 200]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fiveyears import fill_five_years  # noqa: E402

from kompas.store.kompasfile import pack  # noqa: E402
from kompas.store.shelf import Shelf, card_fields  # noqa: E402
from kompas.workbook.workbook import Workbook  # noqa: E402

TODAY = date(2026, 11, 22)


def photo(n: int) -> bytes:
    """A 12 MP phone-like JPEG; each one a little different, so no two compress alike."""
    image = Image.effect_noise((4000, 3000), 40 + n % 20).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def plain_zip(data: bytes, folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("kompas.json", data, zipfile.ZIP_DEFLATED)
        for path in sorted((folder / "photos").glob("*.jpg")):
            if not path.name.endswith("-klein.jpg"):
                archive.writestr(f"photos/{path.name}", path.read_bytes(), zipfile.ZIP_STORED)
    return buffer.getvalue()


def plain_unzip(raw: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            if name.endswith(".jpg"):
                with Image.open(io.BytesIO(content)) as image:
                    image.load()


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photos", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kompas-bench-carry-"))
    try:
        with Shelf.open(work / "from") as shelf:
            card = shelf.create("Bench")
            with shelf.open_store(card.id) as store:
                workbook = Workbook(store)
                fill_five_years(workbook, TODAY)
                sample = photo(0)
                for n in range(args.photos):
                    workbook.add_photo(sample if n % 10 else photo(n), "kompas")
                data, folder = workbook.snapshot(), store.folder
                fields = card_fields(card)
        exports, export_floor, imports, import_floor, import_cpu, floor_cpu = [], [], [], [], [], []
        size = 0
        for run in range(args.runs):
            started = time.perf_counter()
            made = pack(data, folder, fields)
            exports.append(time.perf_counter() - started)
            started = time.perf_counter()
            plain = plain_zip(data, folder)
            export_floor.append(time.perf_counter() - started)
            size = len(made)
            with Shelf.open(work / f"to-{run}") as target:
                started, cpu = time.perf_counter(), time.process_time()
                target.take_in(target.receive(made))
                imports.append(time.perf_counter() - started)
                import_cpu.append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            plain_unzip(plain)
            import_floor.append(time.perf_counter() - started)
            floor_cpu.append(time.process_time() - cpu)
        print(f"five years, {args.photos} photos, .kompas file {size / 2**20:.1f} MB, {args.runs} runs")
        print(f"  export: median {ms(exports):7.0f} ms  floor (plain zip) {ms(export_floor):7.0f} ms"
              f"  ratio {ms(exports) / ms(export_floor):.2f}x")
        print(f"  import: median {ms(imports):7.0f} ms  floor (unzip + decode) {ms(import_floor):7.0f} ms"
              f"  ratio {ms(imports) / ms(import_floor):.2f}x")
        print(f"  import CPU time: median {ms(import_cpu):7.0f} ms  floor {ms(floor_cpu):7.0f} ms"
              f"  ratio {ms(import_cpu) / ms(floor_cpu):.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
