"""The Android app on the hand-over page: a laptop that has the app's APK offers it to the phone it hands a kompas to,
with three plain steps, so the client leaves with the app, the kompas and the poster, and nothing from outside."""

from __future__ import annotations

from html import escape
from pathlib import Path

from starlette.responses import FileResponse

from kompas.i18n import _

__all__ = ["APK_IN_DATA", "APK_NAME", "apk_download", "apk_section", "find_apk"]

# Where a begeleider may put the APK instead of naming it with --apk: the data folder's top.
APK_IN_DATA = "kompas.apk"
# The name the phone saves it under: the same for every kompas (a discreet one's downloads list says no more).
APK_NAME = "app.apk"
_APK_TYPE = "application/vnd.android.package-archive"


def find_apk(data_dir: Path, option: str | None) -> Path | None:
    """The APK named with --apk, or the one in the data folder; None when the laptop has none.

    Raises FileNotFoundError for an --apk that names no file: the begeleider asked for it by name.
    """
    if option:
        path = Path(option).expanduser()
        if not path.is_file():
            raise FileNotFoundError(option)
        return path.resolve()
    placed = data_dir / APK_IN_DATA
    return placed if placed.is_file() else None


def apk_download(apk: Path) -> FileResponse:
    # Read from the disk as it is sent (an APK is tens of megabytes), never kept in the browser's cache.
    return FileResponse(apk, media_type=_APK_TYPE, filename=APK_NAME, headers={"Cache-Control": "no-store"})


def apk_section(token: str, discreet: bool) -> str:
    """The part of the hand-over page that offers the app (Android), in the page's language."""
    steps = [
        _("1. Tik op App downloaden. Tik daarna op het bestand en kies Installeren. Vraagt de telefoon of dat mag? "
          "Zeg dan ja, voor deze keer."),
        _("2. Open de app.") if discreet else _("2. Open de app Kompas."),
        _("3. Kies: Openen uit bestand. Kies daar het bestand van hierboven.") if discreet
        else _("3. Kies: Kompas openen uit bestand. Kies daar het kompas-bestand van hierboven."),
    ]
    return (f"<h2>{escape(_('Nog geen app op deze telefoon?'))}</h2>"
            f'<a class="second" href="{escape(token)}/{APK_NAME}" download>{escape(_("App downloaden (Android)"))}</a>'
            + "".join(f"<p>{escape(step)}</p>" for step in steps))
