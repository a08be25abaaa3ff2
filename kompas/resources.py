"""Where the files that ship with the app live: assets, pictograms and translations."""

from __future__ import annotations

from pathlib import Path

from kompas.model import Condition, Step

__all__ = ["ROOT", "ASSETS_DIR", "LOCALES_DIR", "POSTER_FOLDER", "pictogram"]

# In a source checkout (pip install -e .) and in a `flet build` bundle, assets/ and locales/
# sit beside the kompas package, in ROOT; an installed wheel carries them inside it (see pyproject.toml).
PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def _shipped(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


ASSETS_DIR = _shipped("assets")
LOCALES_DIR = _shipped("locales")
# Inside the data folder: the latest poster of each size, ready to print or share.
POSTER_FOLDER = "posters"


def pictogram(subject: Condition | Step | str, ext: str = "svg") -> str:
    """The pictogram's path relative to assets/, as Flet wants it for Image.src."""
    name = subject.value if isinstance(subject, (Condition, Step)) else subject
    return f"pictograms/{name}.{ext}"
