"""The web shell's page: Flet's own index.html, served with its tab name in the browser's language and a few
lines that let a person zoom in with two fingers."""

from __future__ import annotations

import re
from html import escape
from typing import Callable

from kompas.i18n import known_language, use_language

__all__ = ["ZOOM", "ShellPage"]

# Flutter replaces the page's viewport with one that forbids zooming ("user-scalable=no") and takes every touch for
# itself ("touch-action: none"). A client who reads small print must be able to pinch, as on any other page: the
# viewport is put back each time Flutter writes it, and two-finger gestures go to the browser. One finger still
# belongs to the app, so its lists scroll as before. (Inline, as Flet's own page scripts are: the
# Content-Security-Policy already allows that, and stays as it is.)
ZOOM = b"""<style>* { touch-action: pinch-zoom !important; }</style>
<script>
(function () {
  var zoomable = "width=device-width, initial-scale=1";
  function allowZoom() {
    document.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {
      if (meta.content !== zoomable) meta.content = zoomable;
    });
  }
  new MutationObserver(allowZoom).observe(document.head,
    {childList: true, subtree: true, attributes: true, attributeFilter: ["content"]});
  allowZoom();
})();
</script>
"""

# Only the page that starts Flutter gets it; our own pages (the hand-over page) allow no script at all.
_FLUTTER_PAGE = b"flutter_bootstrap.js"


_TITLE = re.compile(rb"<title>[^<]*</title>")


class ShellPage:
    """ASGI middleware for Flet's index.html, wherever it is served (any route of the app): ZOOM in its head, and
    `name()` as its title in the first of the browser's languages the app speaks (the tab says it before the app
    has started, and at the very first start no word may be Dutch to a client who reads none)."""

    def __init__(self, app, name: Callable[[], str]):
        self.app = app
        self.name = name

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") == "HEAD":
            await self.app(scope, receive, send)
            return
        held: dict | None = None
        body: list[bytes] = []

        async def patched(message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if message.get("status") == 200 and content_type.startswith(b"text/html"):
                    held = message  # sent with the page, once its length is known
                    return
            elif message["type"] == "http.response.body" and held is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                page = b"".join(body)
                if _FLUTTER_PAGE in page:
                    with use_language(_browser_language(scope)):
                        title = f"<title>{escape(self.name())}</title>".encode()
                    page = _TITLE.sub(lambda _match: title, page, count=1).replace(b"</head>", ZOOM + b"</head>", 1)
                headers = [(k, v) for k, v in held.get("headers", []) if k.lower() != b"content-length"]
                await send({**held, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, patched)


def _browser_language(scope) -> str | None:
    """The first language in the request's Accept-Language that the app speaks."""
    header = dict(scope.get("headers", [])).get(b"accept-language", b"").decode("latin-1")
    for part in header.split(","):
        language = known_language(part.split(";")[0].strip())
        if language:
            return language
    return None
