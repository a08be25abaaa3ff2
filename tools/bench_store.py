"""Benchmark: one write and one opening of a five-year kompas, each against a floor measured in the same run.

The kompas is built through the Workbook (tests/fiveyears.py): 130 closed periods,
260 check-ins, 1,000 photo records and 200 notes. The floor for a write is writing
the same bytes the same atomic way (temp file, fsync, rename, fsync of the folder);
the floor for opening is reading the file and one json.loads. Run:

    .venv/bin/python tools/bench_store.py [--runs 41] [--photos 1000] [--folder DIR]

--folder reuses (a copy of) a folder that already holds a kompas instead of building one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fiveyears import fill_five_years  # noqa: E402

from kompas.domain.model import Condition, Step  # noqa: E402
from kompas.store.storage import DB_FILE, Store  # noqa: E402
from kompas.workbook.workbook import Outcome, Workbook  # noqa: E402

TODAY = date(2031, 11, 21)


def atomic_write(path: Path, payload: bytes) -> None:
    """The floor: the same steps the store takes to make a write survive a crash, and nothing else."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build(folder: Path, photos: int) -> float:
    started = time.perf_counter()
    store = Store.open(folder)
    fill_five_years(Workbook(store), TODAY, photos)
    store.close()
    return time.perf_counter() - started


def bench_writes(folder: Path, runs: int) -> dict[str, list[float]]:
    """Seconds for adding a note, setting the wish, captioning a photo, and for the floor, taken in turns."""
    store = Store.open(folder)
    workbook = Workbook(store)
    photo = workbook.kompas.photos[len(workbook.kompas.photos) // 2].id
    path, floor_path = folder / DB_FILE, folder / "floor.json"
    notes, wishes, captions, floor = [], [], [], []
    for i in range(runs):
        started = time.perf_counter()
        assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, f"Nog een kracht {i}") is Outcome.SAVED
        notes.append(time.perf_counter() - started)
        payload = path.read_bytes()
        started = time.perf_counter()
        atomic_write(floor_path, payload)
        floor.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert workbook.set_wish(f"Een eigen huis {i}") is Outcome.SAVED
        wishes.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert workbook.set_caption(photo, f"Op de fiets {i}") is Outcome.SAVED
        captions.append(time.perf_counter() - started)
    store.close()
    floor_path.unlink()
    return {"add a note": notes, "set the wish": wishes, "caption a photo": captions, "floor": floor}


def bench_open(folder: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds for Store.open + load, and for reading the file and parsing it once, taken in turns."""
    path = folder / DB_FILE
    opens, parses = [], []
    for _ in range(runs):
        started = time.perf_counter()
        store = Store.open(folder)
        kompas = store.load()
        opens.append(time.perf_counter() - started)
        assert store.problem is None and kompas.periods
        store.close()
        # Both are freed with the clock stopped: freeing thousands of objects is no part of either.
        del store, kompas
        started = time.perf_counter()
        parsed = json.loads(path.read_bytes())
        parses.append(time.perf_counter() - started)
        del parsed
    return opens, parses


def ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--photos", type=int, default=1000, help="photo records in the kompas built")
    parser.add_argument("--folder", type=Path, help="a folder with a kompas to copy instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        if args.folder:
            shutil.copytree(args.folder, folder)
            print(f"copied {args.folder}")
        else:
            print(f"built five years through the Workbook in {build(folder, args.photos):.1f} s")
        kompas = Store.open(folder)
        loaded = kompas.load()
        kompas.close()
        size = (folder / DB_FILE).stat().st_size
        print(f"kompas: {len(loaded.notes)} notes, {len(loaded.periods)} periods, "
              f"{sum(len(p.checkins) for p in loaded.periods)} check-ins, {len(loaded.photos)} photos, "
              f"{size // 1024} KB; {args.runs} runs")
        writes = bench_writes(folder, args.runs)
        opens, parses = bench_open(folder, args.runs)
    f = ms(writes.pop("floor"))
    print(f"  write the same bytes atomically (floor): median {f:6.1f} ms")
    for name, seconds in writes.items():
        print(f"  {name + ':':40} median {ms(seconds):6.1f} ms  ratio {ms(seconds) / f:.2f}x")
    p = ms(parses)
    print(f"  read the file + json.loads (floor):      median {p:6.1f} ms")
    print(f"  Store.open + load:                       median {ms(opens):6.1f} ms  ratio {ms(opens) / p:.2f}x")


if __name__ == "__main__":
    main()
