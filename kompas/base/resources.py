"""Where the files that ship with the app live: assets, pictograms and translations."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

__all__ = ["ROOT", "ASSETS_DIR", "LOCALES_DIR", "POSTER_FOLDER", "pictogram"]

# In a source checkout (pip install -e .) and in a `flet build` bundle, assets/ and locales/
# sit beside the kompas package, in ROOT; an installed wheel carries them inside it (see pyproject.toml).
PACKAGE = Path(__file__).resolve().parent.parent  # kompas/, above this base/
ROOT = PACKAGE.parent


def _shipped(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


ASSETS_DIR = _shipped("assets")
LOCALES_DIR = _shipped("locales")
# Inside the data folder: the latest poster of each size, ready to print or share.
POSTER_FOLDER = "posters"


def pictogram(subject: Enum | str, ext: str = "svg") -> str:
    """The pictogram's path relative to assets/, as Flet wants it for Image.src: a condition's or a step's by its
    value (the base knows no domain)."""
    name = subject.value if isinstance(subject, Enum) else subject
    return f"pictograms/{name}.{ext}"
