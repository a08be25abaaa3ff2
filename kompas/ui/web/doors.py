"""The server's doors: only this server's own pages, opened through the link it printed, get in; nothing else does.

A web page the client opens in the same browser could otherwise talk to the app on
127.0.0.1 and read the kompas. So, as Jupyter does, every start makes a secret: the
printed link carries it once, the server swaps it for an HttpOnly, SameSite=Strict
cookie, and every request and websocket without that cookie, from another Origin,
or for another Host name (DNS rebinding) is refused before Flet sees it.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qs, urlencode

from starlette.requests import cookie_parser
from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected
from uvicorn.protocols.utils import ClientDisconnected

from kompas.base.clock import steady
from kompas.ui.reach import HAND_OVER_PATH, PAIRING_PATH

__all__ = ["COOKIE", "GONE", "LINK_PARAMETER", "Doors", "Keys", "Refusals"]

log = logging.getLogger(__name__)

COOKIE = "kompas"
LINK_PARAMETER = "k"
# What a visitor without the cookie reads: nothing about what the app is, since the visitor may be the one it hides
# from. Neutral in the tab title too.
_REFUSED = "Open de app via de link die het programma liet zien."
_TITLE = "Notities"


@dataclass(frozen=True)
class Keys:
    """This start's secrets: the one in the printed link, and the cookie it is swapped for."""

    link: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    cookie: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def entry(self, base: str, path: str = "/") -> str:
        return f"{base.rstrip('/')}{path}?{urlencode({LINK_PARAMETER: self.link})}"


# What a websocket raises when the tab at its other end was closed, or navigated away: nothing went wrong.
GONE = (WebSocketDisconnect, WebSocketDisconnected, ClientDisconnected)


class Refusals:
    """Refused requests, counted by kind: the first of each kind is logged at once, the rest in one line at most
    every `every` seconds and when the server stops. 4,000 guesses make a few lines, not 4,000."""

    def __init__(self, every: float = 60.0, clock=steady):
        self._every = every
        self._clock = clock
        self._seen: set[str] = set()
        self._waiting: Counter[str] = Counter()
        self._since = clock()
        self._mutex = threading.Lock()

    def count(self, kind: str, why: str) -> None:
        reason = f"{kind} {why}"
        with self._mutex:
            if reason not in self._seen:
                self._seen.add(reason)
                # The reason stays in the log for whoever runs the server; it names no client and no content.
                log.warning("refused a %s request: %s (more like it are counted)", kind, why)
                return
            self._waiting[reason] += 1
            due = self._clock() - self._since >= self._every
        if due:
            self.tell()

    def tell(self) -> None:
        """Log what was refused since the last line, if anything."""
        with self._mutex:
            waiting, self._waiting = self._waiting, Counter()
            self._since = self._clock()
        if waiting:
            log.warning("refused %d more requests: %s", sum(waiting.values()),
                        ", ".join(f"{reason} {n}" for reason, n in waiting.most_common()))


class Doors:
    """Plain ASGI middleware, so it also guards Flet's websocket, which Starlette's HTTP middleware never sees."""

    def __init__(self, app, keys: Keys, hosts: frozenset[str] | None,
                 pairing_open: Callable[[str], bool] = lambda _token: False,
                 hand_over_known: Callable[[str], bool] = lambda _token: False):
        self.app = app
        self.keys = keys
        # A pairing code from the begeleider's screen also lets a phone in, for as long as the code works.
        self.pairing_open = pairing_open
        # A hand-over code lets a phone reach that one kompas's page, file and poster, and nothing else; the page
        # itself says whether the code may still be used.
        self.hand_over_known = hand_over_known
        # None: any Host name (tests that call the app directly); otherwise only these.
        self.hosts = hosts
        self.refusals = Refusals()

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        origin = headers.get("origin")
        if self.hosts is not None and host not in self.hosts:
            return await self._refuse(scope, receive, send, "host")
        # Browsers name the page that opened a connection; only this server's own pages may.
        if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
            return await self._refuse(scope, receive, send, "origin")
        # A pairing address is handed to Flet as it is once the cookie is there: Flet's page redeems it.
        if scope["type"] == "http" and (self._carries_link(scope)
                                        or (self._pairs(scope) and not self._has_cookie(headers))):
            return await self._hand_out_cookie(scope, send)
        if not self._has_cookie(headers) and not (scope["type"] == "http" and self._hands_over(scope)):
            return await self._refuse(scope, receive, send, "no key")

        async def without_open_cors(message):
            # Flet answers some files with Access-Control-Allow-Origin: *; this app shares nothing with other sites.
            if message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message.get("headers", [])
                                      if k.lower() != b"access-control-allow-origin"]
            await send(message)

        if scope["type"] != "websocket":
            return await self.app(scope, receive, without_open_cors)
        try:
            await self.app(scope, receive, without_open_cors)
        except GONE:
            pass  # a tab closed while a message was on its way to it: no traceback in the log for that
        except asyncio.CancelledError:
            # The server stopping cuts off a screen that did not answer its goodbye (a phone asleep on the wifi):
            # that is how this websocket ends, not an error in it.
            pass

    def _carries_link(self, scope) -> bool:
        values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(LINK_PARAMETER, [])
        return any(hmac.compare_digest(v.encode(), self.keys.link.encode()) for v in values)

    def _pairs(self, scope) -> bool:
        parts = scope.get("path", "").strip("/").split("/")
        return len(parts) == 2 and parts[0] == PAIRING_PATH and self.pairing_open(parts[1])

    def _hands_over(self, scope) -> bool:
        parts = scope.get("path", "").strip("/").split("/")
        return 2 <= len(parts) <= 3 and parts[0] == HAND_OVER_PATH and self.hand_over_known(parts[1])

    def _has_cookie(self, headers: dict[str, str]) -> bool:
        # Read as browsers send cookies: another local app's cookie on 127.0.0.1 (cookies are shared across ports)
        # may hold a space or a quote, which makes http.cookies give up on the whole header, and ours with it.
        value = cookie_parser(headers.get("cookie", "")).get(COOKIE)
        return value is not None and hmac.compare_digest(value.encode(), self.keys.cookie.encode())

    async def _hand_out_cookie(self, scope, send) -> None:
        # A page, not a redirect: a script's navigation on this origin counts as same-site, so the
        # SameSite=Strict cookie goes along even when the link was clicked in another program.
        path = scope.get("path", "/") or "/"
        page = (
            f"<!doctype html><meta charset=utf-8><title>{_TITLE}</title>"
            f"<script>location.replace({_js_string(path)})</script>"
        ).encode()
        cookie = f"{COOKIE}={self.keys.cookie}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"set-cookie", cookie.encode()),
            (b"cache-control", b"no-store"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", b"default-src 'none'; script-src 'unsafe-inline'"),
        ]})
        await send({"type": "http.response.body", "body": page})

    async def _refuse(self, scope, receive, send, why: str) -> None:
        self.refusals.count(scope["type"], why)
        if scope["type"] == "websocket":
            await receive()  # the websocket.connect message
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": 403, "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"cache-control", b"no-store"),
        ]})
        await send({"type": "http.response.body", "body": _REFUSED.encode()})


def _js_string(text: str) -> str:
    """A JavaScript string literal for a URL path, safe inside a script element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\u003c").replace("\n", "")
    return f'"{escaped}"'
