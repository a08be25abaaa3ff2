"""Serves the app: in web mode offline on this device only, or natively inside a phone build."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import threading
import time
import webbrowser
from html import escape
from pathlib import Path
from typing import Callable

import flet_web.fastapi
import uvicorn
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kompas.base.resources import ASSETS_DIR, POSTER_FOLDER
from kompas.i18n import _, is_right_to_left, use_language
from kompas.media.photos import PHOTO_FOLDER
from kompas.ui.app import make_main
from kompas.ui.carry import COPY_FOLDER
from kompas.ui.files import FILES_PATH
from kompas.ui.reach import HAND_OVER_PATH, Reach, lan_address, reach_of
from kompas.ui.web import receive
from kompas.ui.web.apk import APK_NAME, apk_download, apk_section
from kompas.ui.web.doors import GONE, Doors, Keys
from kompas.ui.web.fletfix import skip_debug_text
from kompas.ui.web.page import ShellPage
from kompas.workbook.drafts import flush_all
from kompas.workbook.session import Library, Part

__all__ = ["CONTENT_SECURITY_POLICY", "STOP_WITHIN", "build_web_app", "serve"]

log = logging.getLogger(__name__)

# After SIGTERM or Ctrl+C the server is gone within this many seconds, whatever holds it up; what was typed is
# stored first. A service manager waits longer than that before it kills.
STOP_WITHIN = 5.0
# Seconds uvicorn waits for open connections (a tab, a phone) to close before it closes them itself.
_CONNECTIONS_WITHIN = 2
# A download goes out in pieces of this size, so that a phone that drops halfway is noticed.
_PIECE = 256 * 1024

# The browser may talk to this server and nothing else. Flet's web client asks a
# CDN for an animation library it does not need here; this header stops that
# request before it leaves the device. Flutter needs eval for its wasm and blob: for workers.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        # "Voorlezen": the speech made on this device comes to the player as bytes, which it plays from a data: URL.
        "media-src 'self' data: blob:",
        # 'self' covers this server's own websocket in current browsers; no other host is allowed.
        "connect-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-ancestors 'none'",
    ]
)


_POSTER_NAME = re.compile(r"poster-A[34]\.(pdf|png)")
_NO_STORE = {"Cache-Control": "no-store"}
_PHOTO_NAME = re.compile(r"[0-9a-f]{32}(-klein)?\.jpg")


def _allowed(library: Library, card_id: str, folder: str, name: str) -> bool:
    """Only names the app gives its files, and only photos that are in the kompas now: a deleted one answers
    404 at once, though its files wait for undo."""
    if folder == POSTER_FOLDER:
        return bool(_POSTER_NAME.fullmatch(name))
    if not _PHOTO_NAME.fullmatch(name):
        return False
    relative = f"{PHOTO_FOLDER}/{name}"
    return any(relative in (p.file, p.thumb) for p in library.workbook(card_id).kompas.photos)


def _serve_files(app, library: Library) -> None:
    """Photos and posters of a kompas, under the key its unlocking made: another kompas's key, or a key from
    before it locked, opens nothing."""

    async def send(request):
        key, folder, name = (request.path_params[p] for p in ("key", "folder", "name"))
        card_id = library.kompas_of_file_key(key)
        if folder == COPY_FOLDER and card_id is not None:
            parcel = library.parcel_for(name, hand_over=False)
            if parcel is None or parcel.card_id != card_id:
                return PlainTextResponse("", status_code=404, headers=_NO_STORE)
            return _download(parcel.data, parcel.name, "application/octet-stream")
        if card_id is None or folder not in (PHOTO_FOLDER, POSTER_FOLDER) or not _allowed(library, card_id, folder, name):
            return PlainTextResponse("", status_code=404, headers=_NO_STORE)
        path = library.folder(card_id) / folder / name
        if not path.is_file():
            return PlainTextResponse("", status_code=404, headers=_NO_STORE)
        # Neither is kept in the browser's cache: a deleted photo must not come back from it.
        return FileResponse(path, filename=name if folder == POSTER_FOLDER else None, headers=_NO_STORE)

    # Before Flet's own catch-all mount, which would otherwise answer first.
    app.router.routes.insert(0, Route(f"{FILES_PATH}/{{key}}/{{folder}}/{{name}}", send))


def _download(data: bytes, name: str, media_type: str) -> Response:
    # The name holds a date and a fixed word only (see Library.parcel), so it needs no quoting.
    return Response(data, media_type=media_type,
                    headers={**_NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'})


_HAND_OVER_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>
body {{ font: 20px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 34em; padding: 1em; color: #1d2733;
       background: #faf7f2; }}
a {{ display: block; margin: 1em 0; padding: 0.9em 1em; min-height: 48px; box-sizing: border-box; border-radius: 12px;
    background: #1d4f7a; color: #fff; text-decoration: none; font-weight: bold; text-align: center; }}
a.second {{ background: #fff; color: #1d4f7a; border: 2px solid #1d4f7a; }}
</style></head><body>
<h1>{title}</h1>
<p>{step1}</p>
<a href="{file_href}" download>{file_label}</a>
{poster}
<p>{step2}</p>
{app}
</body></html>
"""


def _hand_over(library: Library, apk: Path | None = None):
    """The page a phone opens from the hand-over code: the .kompas file and the poster, in the client's language.

    Plain HTML with no script, for any phone browser, under a CSP that allows nothing else. The code works once: the
    first whole download of the file uses it up, and then only the poster comes, once more. Any other try gets a
    refusal, and the laptop is told.
    """

    async def page(request):
        token, name = request.path_params["token"], request.path_params.get("name")
        if name == APK_NAME and apk is not None and library.hand_over_known(token):
            # The app is no copy of anyone's kompas: it comes as often as asked while the code is known.
            return apk_download(apk)
        part = library.hand_over_part(token, name)
        if part is None:
            return PlainTextResponse("", status_code=404, headers=_NO_STORE)
        parcel = library.begin_fetch(token, part)
        if parcel is None:
            return _used_up(library, token)
        if part is Part.FILE:
            return _WholeOnce(parcel.data, parcel.name, "application/octet-stream",
                              lambda whole: library.end_fetch(parcel, part, whole))
        if part is Part.POSTER:
            return _WholeOnce(parcel.poster, "poster.pdf", "application/pdf",
                              lambda whole: library.end_fetch(parcel, part, whole))
        try:
            card = library.card(parcel.card_id)
        except KeyError:
            return PlainTextResponse("", status_code=404, headers=_NO_STORE)
        # A discreet kompas's page says "notities" where it would say "kompas": the phone's history and downloads
        # list are as visible as its screen.
        discreet = card.discreet
        with use_language(card.language):
            html = _HAND_OVER_PAGE.format(
                lang=escape(card.language or "nl"), dir="rtl" if is_right_to_left() else "ltr",
                title=escape(_("Je notities") if discreet else _("Je kompas")),
                step1=escape(_("1. Download dit bestand. Het zijn al je notities, met je foto's.") if discreet
                             else _("1. Download dit bestand. Het is je hele kompas, met je foto's.")),
                file_href=escape(f"{token}/{parcel.name}"),
                file_label=escape(_("Bestand downloaden") if discreet else _("Kompas-bestand downloaden")),
                poster=(f'<a class="second" href="{escape(token)}/poster.pdf" download>'
                        f'{escape(_("Poster downloaden (PDF)"))}</a>') if parcel.poster else "",
                step2=escape(_("2. Open de app en kies: Openen uit bestand. Kies daar dit bestand.") if discreet
                             else _("2. Open de app Kompas en kies: Kompas openen uit bestand. Kies daar dit bestand.")),
                app=apk_section(token, discreet) if apk is not None else "",
            )
        return HTMLResponse(html, headers={**_NO_STORE, **_PLAIN_PAGE})

    return [Route(f"/{HAND_OVER_PATH}/{{token}}", page), Route(f"/{HAND_OVER_PATH}/{{token}}/{{name}}", page)]


_PLAIN_PAGE = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
_USED_UP_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title></title></head>
<body style="font: 20px/1.5 system-ui, sans-serif; margin: 1em"><p>{words}</p></body></html>
"""


def _used_up(library: Library, token: str) -> Response:
    """The refusal a phone gets for a code that was used, ended or is too old: in the kompas's language, naming
    nothing."""
    parcel = library.parcel_any(token)
    language = None
    if parcel is not None:
        try:
            language = library.card(parcel.card_id).language
        except KeyError:
            pass
    with use_language(language):
        html = _USED_UP_PAGE.format(lang=escape(language or "nl"), dir="rtl" if is_right_to_left() else "ltr",
                                    words=escape(_("Deze code werkt niet meer. Vraag om een nieuwe code.")))
    return HTMLResponse(html, status_code=403, headers={**_NO_STORE, **_PLAIN_PAGE})


class _WholeOnce(Response):
    """A download that tells, when it ends, whether it went out to its last byte: a phone that dropped halfway may
    fetch it again, one that got it whole has used its code."""

    def __init__(self, data: bytes, name: str, media_type: str, ended: Callable[[bool], None]):
        # The name holds a date and a fixed word only (see Library.parcel), so it needs no quoting.
        super().__init__(None, media_type=media_type,
                         headers={**_NO_STORE, "Content-Disposition": f'attachment; filename="{name}"',
                                  "Content-Length": str(len(data))})
        self._data = data
        self._ended = ended

    async def __call__(self, scope, receive, send) -> None:
        gone = asyncio.Event()

        async def listen() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        listener = asyncio.ensure_future(listen())
        whole = False
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            data = memoryview(self._data)
            for start in range(0, max(len(data), 1), _PIECE):
                if gone.is_set():
                    break
                await send({"type": "http.response.body", "body": bytes(data[start:start + _PIECE]),
                            "more_body": start + _PIECE < len(data)})
            else:
                await asyncio.sleep(0)  # a drop at the last piece is seen before the download counts as whole
                whole = not gone.is_set()
        finally:
            listener.cancel()
            self._ended(whole)


def build_web_app(library: Library, keys: Keys | None = None, hosts: frozenset[str] | None = None,
                  reach: Reach | None = None, apk: Path | None = None):
    """The ASGI app: Flet's web client and session server behind the doors, with our privacy headers on every answer.

    Without `keys` (tests that call the app directly) there are no doors. `apk`: the Android app, offered on the
    hand-over page.
    """
    skip_debug_text()
    app = flet_web.fastapi.app(
        make_main(library, reach),
        assets_dir=str(ASSETS_DIR),
        # The name in the browser tab before the app has started, and on a home screen it was added to: neutral
        # for every kompas, since one of them may be discreet. The app names itself once it knows.
        app_name=_("Notities"),
        app_short_name=_("Notities"),
        app_description=_("Notities"),
        no_cdn=True,
    )
    # Pinch zoom, which Flutter's page switches off, and the tab's neutral name in the browser's language.
    app.add_middleware(ShellPage, name=lambda: _("Notities"))
    _serve_files(app, library)
    for route in _hand_over(library, apk):
        app.router.routes.insert(0, route)
    # Photos come in over HTTP, not the websocket, whose messages stop at 16 MiB.
    for route in receive.routes():
        app.router.routes.insert(0, route)

    @app.middleware("http")
    async def privacy_headers(request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return Doors(app, keys, hosts, library.pairing_open, library.hand_over_known) if keys else app


class _Server(uvicorn.Server):
    """uvicorn's server, gone within STOP_WITHIN seconds of SIGTERM or Ctrl+C, after storing what was typed.

    uvicorn's own handler raises the signal again once it has stopped, which ends the process before anything
    after it runs: here the server returns instead, so the data folder is let go of properly.
    """

    def handle_exit(self, sig, frame) -> None:
        if self.should_exit:  # a second signal: stop at once
            self.force_exit = True
            return
        self.should_exit = True
        threading.Thread(target=_stop_by, args=(STOP_WITHIN,), name="kompas-stop", daemon=True).start()


def _stop_by(seconds: float) -> None:
    """Store what was typed at once, then end the process if it is still there after `seconds`."""
    flush_all()
    time.sleep(seconds)
    log.warning("the server did not stop in time; it stops now")
    flush_all()
    logging.shutdown()
    os._exit(0)


def _not_a_closed_tab(record: logging.LogRecord) -> bool:
    """Flet warns, with a traceback, when a tab goes away while it reads from it: a closed tab is no problem."""
    return not (record.exc_info and isinstance(record.exc_info[1], GONE))


def serve(library: Library, data_dir: Path, host: str, port: int, open_browser: bool, apk: Path | None = None) -> None:
    """The web server (a phone build runs natively instead: see kompas/ui/phone.py)."""
    # The lock time is kept by the library, for every kompas, whether a screen shows it or not.
    library.watch_idle()
    logging.getLogger(flet_web.fastapi.__name__).addFilter(_not_a_closed_tab)
    keys = Keys()
    reach = reach_of(host, port, lan_address() if host in ("0.0.0.0", "::", "") else None)
    app = build_web_app(library, keys, reach.hosts, reach, apk)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    link = keys.entry(f"http://{shown_host}:{port}")
    print(_("Kompas draait (gegevens in {folder}). Open Kompas met deze link:", folder=data_dir))
    # On a line of its own, starting with http, so that scripts and tests can read it.
    print(link, flush=True)
    if reach.on_network:
        print(_("Let op: Kompas is nu ook te bereiken vanaf andere apparaten in dit netwerk. Wie de link heeft, "
                "kan het kompas openen. Deel de link alleen met wie naast je zit."), file=sys.stderr, flush=True)
        if reach.url is None:
            print(_("Deze computer zit niet in een netwerk. Verbind hem met de wifi en start Kompas opnieuw."),
                  file=sys.stderr, flush=True)
    if open_browser:
        # Open the browser once the server has had a moment to bind.
        threading.Timer(0.8, webbrowser.open, args=(link,)).start()
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                    timeout_graceful_shutdown=_CONNECTIONS_WITHIN))
    try:
        server.run()
    finally:
        # Words typed in the last half second are stored before the process ends.
        flush_all()
        app.refusals.tell()
        library.close()
