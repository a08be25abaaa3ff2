"""Benchmark: making the poster (render, PDF and PNG) for a full kompas with six photos, as a ratio to a floor; and its preview.

The floor is what Pillow needs just to save a blank page of the same size as PDF and
PNG (with the settings the app used before it wrote its own PNG), measured in the same
run, so a busy machine moves both numbers alike. Nothing the poster module keeps between
renders is reused by the timed posters: each starts from nothing. The preview is timed as
the poster screen draws it: with six chosen photos read from files, after a change. Run:

    .venv/bin/python tools/bench_poster.py [--runs 7] [--size A4|A3] [--scripts]

With --scripts the notes mix Dutch with Arabic, Tigrinya, Ukrainian, digits and emoji, so the font chosen per
character and the bidi algorithm are timed too.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kompas.base import clock  # noqa: E402
from kompas.domain.model import Action, Condition, Kompas, Note, Paper, Photo, PosterChoice, PosterItem, Step  # noqa: E402
from kompas.poster.output import make_files  # noqa: E402
from kompas.poster.render import clear_caches, preview_png  # noqa: E402

# Words of several scripts, with the digits, punctuation and emoji that fall back from one font to another.
MIXED_WORDS = ("أطبخ جيدا أطفالي 3 ጽቡቕ ምግቢ (ቆልዑ) 9:30 Я добре готую 🎂 👩\u200d👧 ❤️ €12,50 "
               "می\u200cخواهم taalcafé").split()


def full_kompas(mixed: bool = False) -> Kompas:
    words = "ik kan goed koken mijn kinderen buurvrouw werk sport taalcafé zus brieven geloof rust".split()
    if mixed:
        words += MIXED_WORDS
    rng = random.Random(7)
    notes = [Note(c, s, " ".join(rng.choices(words, k=rng.randint(3, 12))), starred=rng.random() < 0.2)
             for c in Condition for s in Step for _ in range(3)]
    today = clock.today()
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


def floor(image_size: tuple[int, int], folder: Path) -> float:
    """Pillow saving a blank page as PDF and as PNG, one after the other."""
    blank = Image.new("RGB", image_size, "white")
    started = time.perf_counter()
    for fmt, options, name in (("PDF", {"resolution": 300, "quality": 92}, "blank.pdf"),
                               ("PNG", {"dpi": (300, 300), "compress_level": 1}, "blank.png")):
        buffer = io.BytesIO()
        blank.save(buffer, fmt, **options)
        (folder / name).write_bytes(buffer.getvalue())
    return time.perf_counter() - started


def with_photo_files(kompas: Kompas, pictures: list[Image.Image], data_dir: Path) -> Kompas:
    """The kompas with the pictures chosen for the poster, stored as the app stores photos."""
    (data_dir / "photos").mkdir()
    chosen = []
    for i, picture in enumerate(pictures):
        picture.save(data_dir / "photos" / f"p{i}.jpg", "JPEG", quality=88)
        chosen.append(Photo(f"photos/p{i}.jpg", f"photos/p{i}-klein.jpg", f"2026-11-0{i + 1}T10:00:00", on_poster=True))
    return replace(kompas, photos=chosen)


def preview_times(kompas: Kompas, paper: Paper, data_dir: Path, runs: int) -> dict[str, list[float]]:
    """Previews as the screen draws them: the first, then after changes it has not drawn before."""
    # Every kompas cell has notes at each of these steps: switching any of them off changes all four cells.
    steps = [PosterItem.KRACHTEN, PosterItem.WAARDEN, PosterItem.INZET, PosterItem.AANLEIDING, PosterItem.BELEMMERINGEN]
    times: dict[str, list[float]] = {"first": [], "item": [], "name": []}
    for run in range(runs):
        clear_caches()
        choice = PosterChoice(items=frozenset(PosterItem), paper=paper)
        started = time.perf_counter()
        preview_png(kompas, choice, clock.today(), data_dir)
        times["first"].append(time.perf_counter() - started)
        # Each run switches a different set of items off: a poster the preview has not drawn yet.
        off = {item for bit, item in enumerate(steps) if (run % 31 + 1) >> bit & 1}
        choice = replace(choice, items=frozenset(PosterItem) - off)
        started = time.perf_counter()
        preview_png(kompas, choice, clock.today(), data_dir)
        times["item"].append(time.perf_counter() - started)
        # One more letter typed in the name field.
        choice = replace(choice, name="Samira"[:run % 6 + 1])
        started = time.perf_counter()
        preview_png(kompas, choice, clock.today(), data_dir)
        times["name"].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", choices=[p.value for p in Paper], default="A4")
    parser.add_argument("--scripts", action="store_true", help="notes in several scripts, with emoji")
    args = parser.parse_args()

    kompas, pictures = full_kompas(args.scripts), photos()
    choice = PosterChoice(items=frozenset(PosterItem), paper=Paper(args.size))
    floors, posters = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = make_files(kompas, choice, clock.today(), folder / "warm.pdf", folder / "warm.png", pictures)  # fonts
        for _ in range(args.runs):
            floors.append(floor(made.image.size, folder))
            clear_caches()
            started = time.perf_counter()
            make_files(kompas, choice, clock.today(), folder / "poster.pdf", folder / "poster.png", pictures)
            posters.append(time.perf_counter() - started)

        data_dir = folder / "data"
        data_dir.mkdir()
        previews = preview_times(with_photo_files(kompas, pictures, data_dir), Paper(args.size), data_dir, args.runs)

    f, p = statistics.median(floors), statistics.median(posters)
    print(f"paper: {args.size} at 300 dpi, {len(kompas.notes)} notes{' in several scripts' if args.scripts else ''},"
          f" 6 photos, runs: {args.runs}")
    print(f"floor (Pillow saves a blank page as PDF + PNG): median {f * 1000:.0f} ms")
    print(f"poster (render + PDF + PNG):                  median {p * 1000:.0f} ms")
    print(f"ratio to floor: {p / f:.2f}x")
    print(f"preview, first on the screen (six photos read):  median {statistics.median(previews['first']) * 1000:.0f} ms")
    print(f"preview after switching items on or off:         median {statistics.median(previews['item']) * 1000:.0f} ms")
    print(f"preview after a letter typed in the name:        median {statistics.median(previews['name']) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
