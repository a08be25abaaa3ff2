"""Stopping and leaving, in Chromium: SIGTERM stops the server within seconds after storing what was typed, and tabs
that close leave nothing in the log."""

from __future__ import annotations

import base64
import http.cookiejar
import os
import signal
import socket
import time
import urllib.request

import pytest
from browser import open_app
from conftest import AppServer, kompas_json, one_kompas

from kompas.ui.server import STOP_WITHIN

pytestmark = pytest.mark.browser

TALL = {"width": 390, "height": 1600}


def asleep(server: AppServer) -> socket.socket:
    """A phone asleep on the wifi: its websocket is open, and it never reads or answers again."""
    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(server.link("/")).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    phone = socket.create_connection(("127.0.0.1", server.port))
    phone.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    key = base64.b64encode(os.urandom(16)).decode()
    phone.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                   f"Origin: {server.url}\r\nCookie: {cookie}\r\n\r\n").encode())
    assert phone.recv(12) == b"HTTP/1.1 101"
    return phone


def test_sigterm_stores_what_was_just_typed_and_stops_within_seconds(chromium, tmp_path):
    data = tmp_path / "data"
    one_kompas(data)
    server = AppServer(data)
    server.start()
    phone = None
    try:
        page, _ = open_app(chromium, server.link(), viewport=TALL)
        phone = asleep(server)
        wish = "Een eigen huis met een tuin voor de kinderen"
        field = page.get_by_role("textbox", name="Mijn wens")
        field.click()
        field.fill(wish)
        # Typed a moment ago: the words wait for their half-second store when the service manager says stop.
        page.wait_for_timeout(150)
        asked = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(STOP_WITHIN + 10)
        except Exception:
            server.proc.kill()
            raise AssertionError("the server ignored SIGTERM") from None
        took = time.monotonic() - asked
    finally:
        if phone is not None:
            phone.close()
        server.stop()
    # It gives up waiting at STOP_WITHIN; a loaded machine may take seconds more to end the process. Before, it did not
    # stop at all (still there after 60 s).
    assert took <= STOP_WITHIN + 10, f"stopped after {took:.1f} s"
    assert server.proc.returncode == 0
    assert wish in kompas_json(data).read_text(encoding="utf-8")
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log, log


def test_tabs_that_close_leave_no_traceback_in_the_log(chromium, tmp_path):
    data = tmp_path / "data"
    one_kompas(data)
    with AppServer(data) as server:
        for _ in range(6):
            # Closed while the screen it asked for is still on its way to it.
            page, _left = open_app(chromium, server.link(), viewport=TALL)
            page.get_by_role("button", name="Meedoen: openen").click(timeout=20_000)
            page.context.close()
        time.sleep(1)
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log
