"""What the app adds to Flet's page in a browser: a photo sent the moment it is chosen, and the focus kept in view."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kompas.ui.uploads import CHOSEN_PATH, MAX_UPLOAD, PHOTO_EXTENSIONS
from kompas.ui.voice import ROOM_FOR_VOICE

__all__ = ["SCRIPT_PATH", "install"]

SCRIPT_PATH = "/kompas.js"

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
                         headers: {"X-Kompas-Name": encodeURIComponent(file.name)}}).catch(function () {});
    }
  }
  var open = HTMLInputElement.prototype.click;
  HTMLInputElement.prototype.click = function () {
    if (this.type === "file" && !this.kompasWatched) {
      this.kompasWatched = true;
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

_SCRIPT = _SEND_CHOSEN_PHOTO + _FOLLOW_FOCUS
_SCRIPT_TAG = f'<script src="{SCRIPT_PATH}"></script>'.encode()


async def _script(_request: Request) -> Response:
    return Response(_SCRIPT, media_type="text/javascript")


def install(app) -> None:
    """Serve the script on `app` (a FastAPI app serving Flet's page), and name it in that page."""
    app.router.routes.insert(0, Route(SCRIPT_PATH, _script))

    @app.middleware("http")
    async def with_script(request, call_next):
        response = await call_next(request)
        if request.method != "GET" or not response.headers.get("content-type", "").startswith("text/html"):
            return response
        page = b"".join([chunk async for chunk in response.body_iterator])
        # Flet's page only (any path of the app answers with it), not the hand-over page.
        if b"flutter_bootstrap.js" in page and _SCRIPT_TAG not in page:
            page = page.replace(b"</head>", _SCRIPT_TAG + b"</head>", 1)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(page, status_code=response.status_code, headers=headers)
