"""Runs the app natively, inside a phone build: Flet's own channel to the Flutter app, and no web server at all."""

from __future__ import annotations

from flet.utils import is_embedded

from kompas.base.resources import ASSETS_DIR
from kompas.workbook.drafts import flush_all
from kompas.workbook.session import Library

__all__ = ["is_embedded", "run"]


def run(library: Library) -> None:
    """Serve the app to the Flutter app it is embedded in, until the phone ends the process.

    Nothing of the web stack (uvicorn, starlette, flet_web) loads here: a phone build has no wheels for it.
    """
    import flet as ft

    from kompas.ui.app import make_main

    # The lock time is kept by the library, as on a laptop: a phone left on a table locks too.
    library.watch_idle()
    try:
        ft.run(make_main(library), assets_dir=str(ASSETS_DIR))
    finally:
        # Words typed in the last half second are stored before the process ends (going to the background stored
        # them already; this is for a phone that ends the app while it is open).
        flush_all()
        library.close()
