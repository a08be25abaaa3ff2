"""Benchmark: keeping a voice note (format found, 48 kHz made 16 kHz, Opus, written atomically) against its floor,
encoding the same sound, already at 16 kHz, to Opus in memory with soundfile.

    .venv/bin/python tools/bench_voice.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402
import soundfile  # noqa: E402
from soundfiles import as_microphone, spoken, streamed  # noqa: E402

from kompas.media.recording import KEPT_RATE, keep_voice  # noqa: E402

SENTENCE = "Ik kan goed koken, vooral soep, en ik kook graag voor de buren als ze ziek zijn."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        samples, rate = spoken(SENTENCE, folder)
        for seconds in (10, 60, 180):
            said = np.tile(samples, int(seconds * rate / samples.size) + 1)[: seconds * rate]
            pcm = as_microphone(said, rate, 48000, 1)
            at_16k = as_microphone(said, rate, KEPT_RATE, 1)
            floor_samples = np.frombuffer(at_16k, "<i2").astype(np.float32) / 32768
            kept, floor, size = [], [], 0
            for run in range(args.runs):
                take = streamed(pcm, 96000, seed=run)
                start = time.perf_counter()
                voice = keep_voice(take, folder, f"{run:032x}")
                kept.append(time.perf_counter() - start)
                size = (folder / voice.file).stat().st_size
                start = time.perf_counter()
                out = io.BytesIO()
                soundfile.write(out, floor_samples, KEPT_RATE, format="OGG", subtype="OPUS")
                floor.append(time.perf_counter() - start)
            k, f = statistics.median(kept), statistics.median(floor)
            print(f"{seconds:4d} s at 48 kHz: keep {k * 1000:7.0f} ms, floor (Opus of 16 kHz) {f * 1000:7.0f} ms, "
                  f"ratio {k / f:.2f}x, file {size / 1000:.0f} kB ({size / seconds / 1000:.1f} kB/s)")


if __name__ == "__main__":
    main()
