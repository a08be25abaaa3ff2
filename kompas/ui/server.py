"""Serves the app: in web mode offline on this device only, or natively inside a phone build."""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
import threading
import webbrowser
from html import escape
from pathlib import Path

import flet as ft
import flet_web.fastapi
import uvicorn
from flet.utils import is_embedded
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kompas.drafts import flush_all
from kompas.i18n import _, is_right_to_left, use_language
from kompas.photos import PHOTO_FOLDER
from kompas.resources import ASSETS_DIR, POSTER_FOLDER
from kompas.session import Library
from kompas.ui import pagescript, uploads
from kompas.ui.app import make_main
from kompas.ui.carry import COPY_FOLDER
from kompas.ui.doors import HAND_OVER_PATH, Doors, Keys
from kompas.ui.widgets import FILES_PATH

__all__ = ["CONTENT_SECURITY_POLICY", "build_web_app", "serve"]

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
</body></html>
"""


def _hand_over(library: Library):
    """The page a phone opens from the hand-over code: the .kompas file and the poster, in the client's language.

    Plain HTML with no script, for any phone browser, under a CSP that allows nothing else.
    """

    async def page(request):
        token, name = request.path_params["token"], request.path_params.get("name")
        parcel = library.parcel_for(token, hand_over=True)
        if parcel is None:
            return PlainTextResponse("", status_code=404, headers=_NO_STORE)
        if name == parcel.name:
            parcel.fetched = True
            return _download(parcel.data, parcel.name, "application/octet-stream")
        if name == "poster.pdf" and parcel.poster is not None:
            return _download(parcel.poster, "poster.pdf", "application/pdf")
        if name is not None:
            return PlainTextResponse("", status_code=404, headers=_NO_STORE)
        try:
            card = library.shelf.card(parcel.card_id)
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
            )
        return HTMLResponse(html, headers={**_NO_STORE, "Content-Security-Policy": "default-src 'none'; "
                                           "style-src 'unsafe-inline'"})

    return [Route(f"/{HAND_OVER_PATH}/{{token}}", page), Route(f"/{HAND_OVER_PATH}/{{token}}/{{name}}", page)]


def build_web_app(library: Library, keys: Keys | None = None, hosts: frozenset[str] | None = None,
                  address: str | None = None):
    """The ASGI app: Flet's web client and session server behind the doors, with our privacy headers on every answer.

    Without `keys` (tests that call the app directly) there are no doors.
    """
    app = flet_web.fastapi.app(
        make_main(library, address),
        assets_dir=str(ASSETS_DIR),
        # The name in the browser tab before the app has started, and on a home screen it was added to: neutral
        # for every kompas, since one of them may be discreet. The app names itself once it knows.
        app_name=_("Notities"),
        app_short_name=_("Notities"),
        app_description=_("Notities"),
        no_cdn=True,
    )
    _serve_files(app, library)
    for route in _hand_over(library):
        app.router.routes.insert(0, route)
    # Photos come in over HTTP, not the websocket, whose messages stop at 16 MiB.
    uploads.install(app)
    pagescript.install(app)

    @app.middleware("http")
    async def privacy_headers(request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return Doors(app, keys, hosts, library.pairing_open, library.hand_over_open) if keys else app


def _hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host names a browser on this device uses; None (any) when the server listens on the network."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {host, "localhost", "127.0.0.1"} if host in ("127.0.0.1", "localhost") else {host}
    return frozenset({f"{name}:{port}" for name in names} | ({f"[{host}]:{port}"} if ":" in host else set()))


def _lan_address(port: int) -> str | None:
    """Where a phone on the same network reaches this server: the first private address this machine has."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        return None
    private = sorted(a for a in addresses if ipaddress.ip_address(a).is_private and not a.startswith("127."))
    return f"http://{private[0]}:{port}" if private else None


def serve(library: Library, data_dir: Path, host: str, port: int, open_browser: bool) -> None:
    if is_embedded():
        # Inside a phone build there is no server to guard: the app runs natively.
        ft.run(make_main(library), assets_dir=str(ASSETS_DIR))
        return
    keys = Keys()
    hosts = _hosts(host, port)
    # Pairing a phone needs the server on the network; on 127.0.0.1 only this device can follow the code.
    address = _lan_address(port) if hosts is None else (f"http://127.0.0.1:{port}" if host == "127.0.0.1" else None)
    app = build_web_app(library, keys, hosts, address)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    link = keys.entry(f"http://{shown_host}:{port}")
    print(_("Kompas draait (gegevens in {folder}). Open Kompas met deze link:", folder=data_dir))
    # On a line of its own, starting with http, so that scripts and tests can read it.
    print(link, flush=True)
    if _hosts(host, port) is None:
        print(_("Let op: Kompas is nu ook te bereiken vanaf andere apparaten in dit netwerk. Wie de link heeft, "
                "kan het kompas openen. Deel de link alleen met wie naast je zit."), file=sys.stderr, flush=True)
    if open_browser:
        # Open the browser once the server has had a moment to bind.
        threading.Timer(0.8, webbrowser.open, args=(link,)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        # Words typed in the last half second are stored before the process ends.
        flush_all()
        library.close()
