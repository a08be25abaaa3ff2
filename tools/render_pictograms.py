"""Render every assets/pictograms/*.svg to a 192x192 RGBA PNG beside it (same name, .png).

Dev tool only: the app ships the PNGs, so cairosvg is not a runtime dependency.
Install it in a dev environment with `pip install cairosvg` (it needs the system
libcairo). Run from anywhere: `python tools/render_pictograms.py`.
"""

import sys
from pathlib import Path

import cairosvg

# Resolve relative to this file, not the working directory, so the script
# works the same from the repo root, from tools/ or from an IDE.
PICTOGRAM_DIR = Path(__file__).resolve().parent.parent / "assets" / "pictograms"

# 192 px is 2x the 96-unit viewBox: sharp on high-density screens and a clean
# integer downscale to the 48 px size the UI uses most.
SIZE_PX = 192


def render_all(directory: Path = PICTOGRAM_DIR, size: int = SIZE_PX) -> list[Path]:
    """Render each SVG in `directory` and return the PNG paths written."""
    written = []
    for svg_path in sorted(directory.glob("*.svg")):
        png_path = svg_path.with_suffix(".png")
        # No background_color is passed on purpose: cairosvg then keeps the
        # alpha channel, so the PNG stays transparent (RGBA) and the
        # pictogram sits on any card or theme colour.
        cairosvg.svg2png(
            url=str(svg_path),
            write_to=str(png_path),
            output_width=size,
            output_height=size,
        )
        written.append(png_path)
    return written


def main() -> int:
    written = render_all()
    if not written:
        # An empty result almost always means a wrong path, so fail loudly
        # instead of silently leaving stale PNGs in place.
        print(f"No SVG files found in {PICTOGRAM_DIR}", file=sys.stderr)
        return 1
    for png_path in written:
        print(png_path.relative_to(PICTOGRAM_DIR.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
