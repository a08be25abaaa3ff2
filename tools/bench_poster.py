"""Benchmark: making the poster (render, PDF and PNG) for a full kompas with six photos, as a ratio to a floor.

The floor is what Pillow needs just to save a blank page of the same size as PDF and
PNG, measured in the same run, so a busy machine moves both numbers alike. Run:

    .venv/bin/python tools/bench_poster.py [--runs 7] [--size A4|A3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kompas.model import Action, Condition, Kompas, Note, Paper, PosterChoice, PosterItem, Step  # noqa: E402
from kompas.poster import make_files, save_pdf, save_png  # noqa: E402


def full_kompas() -> Kompas:
    words = "ik kan goed koken mijn kinderen buurvrouw werk sport taalcafé zus brieven geloof rust".split()
    rng = random.Random(7)
    notes = [Note(c, s, " ".join(rng.choices(words, k=rng.randint(3, 12))), starred=rng.random() < 0.2)
             for c in Condition for s in Step for _ in range(3)]
    today = date.today()
    return Kompas(notes=notes, wish="Een eigen huis waar mijn kinderen kunnen spelen",
                  action=Action("Samen met papa een taart bakken", Condition.ERTOE_DOEN,
                                (today + timedelta(days=14)).isoformat(), helper="Papa", first_step="Recept zoeken"))


def photos() -> list[Image.Image]:
    """Six photo-like images at the size the app keeps (long side 1600 px)."""
    result = []
    for i in range(6):
        image = Image.effect_mandelbrot((1600, 1200), (-2 + i * 0.1, -1.2, 1, 1.2), 60).convert("RGB")
        ImageDraw.Draw(image).ellipse((400, 300, 1200, 900), fill=(200, 120 + i * 20, 80))
        result.append(image)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", choices=[p.value for p in Paper], default="A4")
    args = parser.parse_args()

    kompas, pictures = full_kompas(), photos()
    choice = PosterChoice(items=frozenset(PosterItem), paper=Paper(args.size))
    floor, poster = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = make_files(kompas, choice, date.today(), folder / "warm.pdf", folder / "warm.png", pictures)  # fonts
        blank = type(made)(Image.new("RGB", made.image.size, "white"))
        for _ in range(args.runs):
            started = time.perf_counter()
            save_pdf(blank, folder / "blank.pdf")
            save_png(blank, folder / "blank.png")
            floor.append(time.perf_counter() - started)

            started = time.perf_counter()
            make_files(kompas, choice, date.today(), folder / "poster.pdf", folder / "poster.png", pictures)
            poster.append(time.perf_counter() - started)

    f, p = statistics.median(floor), statistics.median(poster)
    print(f"paper: {args.size} at 300 dpi, {len(kompas.notes)} notes, 6 photos, runs: {args.runs}")
    print(f"floor (save a blank page as PDF + PNG): median {f * 1000:.0f} ms")
    print(f"poster (render + PDF + PNG):           median {p * 1000:.0f} ms")
    print(f"ratio to floor: {p / f:.2f}x")


if __name__ == "__main__":
    main()
