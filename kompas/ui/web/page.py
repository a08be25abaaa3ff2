"""The web shell's page: Flet's own index.html, served with its tab name in the browser's language, a few lines that
let a person zoom in with two fingers, and the page's own part of sending a chosen photo and keeping the focus in view."""

from __future__ import annotations

import re
from html import escape
from typing import Callable

from kompas.i18n import known_language, use_language
from kompas.ui.uploads import CHOSEN_PATH, MAX_UPLOAD, PHOTO_EXTENSIONS
from kompas.ui.voice import ROOM_FOR_VOICE

__all__ = ["PAGE_SCRIPT", "ZOOM", "ShellPage"]

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

# A photo chosen in a file field goes to CHOSEN_PATH at once (see uploads): photos only, and none bigger than the
# server takes. Flutter's file field is not in the document (a change there reaches no listener on it), so each is
# watched as it opens; its own listener runs after this one, so the photo is on its way before the app hears of it.
_SEND_CHOSEN_PHOTO = """\
(function () {
  function send(event) {
    var files = event.target.files || [];
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      if (!/\\.(%(extensions)s)$/i.test(file.name) || file.size > %(limit)d) continue;
      fetch("%(path)s", {method: "PUT", body: file, credentials: "same-origin",
                         headers: {"X-Photo-Name": encodeURIComponent(file.name)}}).catch(function () {});
    }
  }
  var open = HTMLInputElement.prototype.click;
  HTMLInputElement.prototype.click = function () {
    if (this.type === "file" && !this.photoWatched) {
      this.photoWatched = true;
      this.addEventListener("change", send, true);
    }
    return open.apply(this, arguments);
  };
})();
""" % {"extensions": "|".join(PHOTO_EXTENSIONS), "limit": MAX_UPLOAD, "path": CHOSEN_PATH}

# A control that gets the focus off the screen (by Tab, or a screen reader moving through the page) is scrolled
# into view. Flutter does that for its own keyboard traversal and for text fields, but not when the browser moves
# the focus between the nodes of its accessibility tree: a turn of the wheel over the control's own scrolling area
# does, again until it shows (Flutter moves in its own steps). Controls outside a scrolling area (the header, the
# floating "Voorlezen") stay where they are, and so do text fields, which Flutter scrolls to itself.
_FOLLOW_FOCUS = """\
(function () {
  var ROOM = %(room)d, MARGIN = 16;
  function area(node) {
    for (var up = node.parentElement; up; up = up.parentElement) {
      var overflow = getComputedStyle(up).overflowY;
      if (overflow === "scroll" || overflow === "auto") return up;
    }
    return null;
  }
  function follow(node, tries) {
    var around = area(node);
    if (!around || tries > 8 || document.activeElement !== node || !node.isConnected) return;
    var box = node.getBoundingClientRect(), room = around.getBoundingClientRect();
    var top = room.top, bottom = Math.min(room.bottom, window.innerHeight) - ROOM;
    var delta = box.top < top ? box.top - top - MARGIN : box.bottom > bottom ? box.bottom - bottom + MARGIN : 0;
    var view = node.closest("flutter-view");
    if (!delta || !view) return;
    var x = Math.min(Math.max(box.left + box.width / 2, room.left + 1), room.right - 1);
    view.dispatchEvent(new WheelEvent("wheel", {deltaY: delta, deltaMode: 0, clientX: x,
                                                clientY: (room.top + room.bottom) / 2, bubbles: true, cancelable: true}));
    setTimeout(function () { follow(node, tries + 1); }, 150);
  }
  document.addEventListener("focusin", function (event) {
    var node = event.target;
    if (!node || !node.closest || /^(INPUT|TEXTAREA)$/.test(node.tagName)) return;
    setTimeout(function () { follow(node, 0); }, 0);
  }, true);
})();
""" % {"room": ROOM_FOR_VOICE}

# Inline, as ZOOM is; and like every word before the PIN, it never says "kompas": anyone may read a page's source.
PAGE_SCRIPT = f"<script>\n{_SEND_CHOSEN_PHOTO}{_FOLLOW_FOCUS}</script>\n".encode()

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
                    page = _TITLE.sub(lambda _match: title, page, count=1).replace(b"</head>", ZOOM + PAGE_SCRIPT + b"</head>", 1)
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
