"""Where the files that ship with the app live: assets, pictograms and translations."""

from __future__ import annotations

from pathlib import Path

from kompas.model import Condition, Step

__all__ = ["ROOT", "ASSETS_DIR", "LOCALES_DIR", "POSTER_FOLDER", "pictogram"]

# The app runs from a source checkout (pip install -e .) or from a `flet build`
# bundle; in both, assets/ and locales/ sit beside the kompas package.
ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = ROOT / "assets"
LOCALES_DIR = ROOT / "locales"
# Inside the data folder: the latest poster of each size, ready to print or share.
POSTER_FOLDER = "posters"


def pictogram(subject: Condition | Step | str, ext: str = "svg") -> str:
    """The pictogram's path relative to assets/, as Flet wants it for Image.src."""
    name = subject.value if isinstance(subject, (Condition, Step)) else subject
    return f"pictograms/{name}.{ext}"
