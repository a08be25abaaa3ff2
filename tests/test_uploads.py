"""Photos sent from the browser over HTTP: big ones arrive whole, too big ones are refused, an address works once;
a photo the page sends the moment it is chosen goes only to a screen on the device that chose it."""

from __future__ import annotations

import asyncio
import os

from starlette.requests import Request

from kompas.ui import uploads
from kompas.ui.uploads import MAX_UPLOAD, UploadProblem
from kompas.ui.web import receive


def request(scope: dict, body: bytes, chunk: int) -> Request:
    """A browser's PUT as the server sees it: its body sent in chunks, as a network delivers it."""
    parts = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]

    async def receive_body():
        data = parts.pop(0)
        return {"type": "http.request", "body": data, "more_body": bool(parts)}

    return Request({"type": "http", "method": "PUT", "query_string": b"", **scope}, receive_body)


def put(token: str, body: bytes, chunk: int = 1 << 20, declared: bool = True):
    """The PUT of Flet's own upload, to the address the screen made for it."""
    headers = [(b"content-length", str(len(body)).encode())] if declared else []
    return receive._receive(request({"path": f"{uploads.PATH}/{token}", "headers": headers,
                                     "path_params": {"token": token}}, body, chunk))


def test_a_photo_over_the_websocket_limit_arrives_whole():
    photo = os.urandom(20 * 2**20)  # 20 MiB: more than one websocket message may carry

    async def send():
        upload = uploads.expect()
        response = await put(upload.token, photo)
        return response.status_code, await upload.received(5)

    status, received = asyncio.run(send())
    assert status == 204
    assert received == photo


def test_a_file_over_the_limit_is_refused_and_the_screen_hears_why():
    async def send(declared: bool):
        upload = uploads.expect()
        response = await put(upload.token, b"\xff" * (MAX_UPLOAD + 1), chunk=8 << 20, declared=declared)
        return response.status_code, await upload.received(5)

    # Refused from its declared size, and also when the size is not declared up front.
    assert asyncio.run(send(True)) == (413, UploadProblem.TOO_LARGE)
    assert asyncio.run(send(False)) == (413, UploadProblem.TOO_LARGE)


def test_an_upload_address_works_once_and_an_unknown_one_never():
    async def send():
        upload = uploads.expect()
        first = await put(upload.token, b"foto")
        again = await put(upload.token, b"iets anders")
        guessed = await put("geraden", b"foto")
        return first.status_code, again.status_code, guessed.status_code, await upload.received(1)

    assert asyncio.run(send()) == (204, 404, 404, b"foto")


def test_a_photo_that_never_comes_ends_the_wait_with_a_message():
    async def wait():
        upload = uploads.expect()
        result = await upload.received(0.05)
        uploads.forget(upload)
        return result

    assert asyncio.run(wait()) is UploadProblem.LOST


def choose(body: bytes, name: str = "IMG_20261121_101500.jpg", client: str = "127.0.0.1", declared: int | None = None,
           chunk: int = 1 << 20):
    """The PUT the page's script makes when a photo is chosen: its name in a header, its bytes as the body."""
    from urllib.parse import quote

    headers = [(b"content-length", str(len(body) if declared is None else declared).encode()),
               (b"x-photo-name", quote(name).encode())]
    return receive._receive_chosen(request({"path": uploads.CHOSEN_PATH, "headers": headers,
                                            "client": (client, 50123)}, body, chunk))


def test_a_photo_sent_when_it_was_chosen_goes_to_the_screen_on_that_device_only():
    photo = os.urandom(5 * 2**20)
    name = "Foto van ons huis é.jpg"

    async def send():
        response = await choose(photo, name)
        # Another device on the network that happens to ask for a photo with the same name and size gets nothing.
        other = await uploads.claim("192.168.1.20", name, len(photo), grace=0.05)
        wrong_size = await uploads.claim("127.0.0.1", name, len(photo) - 1, grace=0.05)
        mine = await uploads.claim("127.0.0.1", name, len(photo), grace=0.05)
        # Claimed once: asked again, it is not there.
        again = await uploads.claim("127.0.0.1", name, len(photo), grace=0.05)
        return response.status_code, other, wrong_size, mine, again

    status, other, wrong_size, mine, again = asyncio.run(send())
    assert status == 204
    assert other is None and wrong_size is None and again is None
    assert mine == photo


def test_a_screen_waits_for_a_chosen_photo_that_is_still_on_its_way():
    photo = os.urandom(3 * 2**20)

    async def send():
        # The app hears of the choice first, the photo comes a moment later.
        asked = asyncio.create_task(uploads.claim("127.0.0.1", "IMG_1.jpg", len(photo), grace=5))
        await asyncio.sleep(0.05)
        response = await choose(photo, "IMG_1.jpg")
        return response.status_code, await asked

    assert asyncio.run(send()) == (204, photo)


def test_a_chosen_photo_that_never_comes_leaves_the_screen_to_ask_flet_and_one_cut_off_is_lost():
    async def send():
        nothing = await uploads.claim("127.0.0.1", "IMG_2.jpg", 1000, grace=0.05)
        cut = await choose(b"\xff" * 600, "IMG_2.jpg", declared=1000)
        return nothing, cut.status_code, await uploads.claim("127.0.0.1", "IMG_2.jpg", 1000, grace=0.05)

    nothing, status, cut = asyncio.run(send())
    assert nothing is None, "then the screen asks the page for it the way Flet sends files"
    assert status == 400 and cut is UploadProblem.LOST


def test_a_file_that_is_no_photo_is_asked_for_at_once_the_way_flet_sends_files():
    """The page sends photos only: a .kompas file picked to open a copy does not wait for one that never comes."""
    import time

    started = time.monotonic()
    assert asyncio.run(uploads.claim("127.0.0.1", "kompas-2026-11-22.kompas", 1000, grace=5)) is None
    assert time.monotonic() - started < 1


def test_chosen_photos_nobody_claims_are_let_go_and_never_take_more_than_their_room(monkeypatch):
    photo = os.urandom(2**20)

    async def send():
        assert (await choose(photo, "IMG_3.jpg")).status_code == 204
        monkeypatch.setattr(uploads, "CHOSEN_KEEP", 0)
        await asyncio.sleep(0.01)
        forgotten = await uploads.claim("127.0.0.1", "IMG_3.jpg", len(photo), grace=0.05)
        monkeypatch.setattr(uploads, "CHOSEN_KEEP", 60)
        monkeypatch.setattr(uploads, "CHOSEN_ROOM", 3 * 2**20)
        statuses = [(await choose(photo, f"IMG_{n}.jpg")).status_code for n in range(4)]
        too_big = (await choose(b"", "IMG_9.jpg", declared=MAX_UPLOAD + 1)).status_code
        for n in range(3):
            assert await uploads.claim("127.0.0.1", f"IMG_{n}.jpg", len(photo), grace=0.05) == photo
        return forgotten, statuses, too_big

    forgotten, statuses, too_big = asyncio.run(send())
    assert forgotten is None, "a photo waiting longer than CHOSEN_KEEP is let go"
    assert statuses == [204, 204, 204, 413], "a fourth does not fit in the room; the screen then asks Flet's way"
    assert too_big == 413
    assert uploads._chosen == []


def test_the_apps_page_carries_the_script_that_sends_a_chosen_photo(tmp_path):
    from starlette.testclient import TestClient

    from kompas.store.shelf import Shelf
    from kompas.ui.server import build_web_app
    from kompas.ui.web.page import PAGE_SCRIPT
    from kompas.workbook.session import Library

    library = Library(Shelf.open(tmp_path))
    try:
        client = TestClient(build_web_app(library))
        for path in ("/", "/kompas/meedoen"):
            page = client.get(path)
            assert page.status_code == 200
            assert PAGE_SCRIPT.decode() + "</head>" in page.text
            assert int(page.headers["content-length"]) == len(page.content)
        script = PAGE_SCRIPT.decode()
        assert uploads.CHOSEN_PATH in script and "X-Photo-Name" in script and "ompas" not in script.lower()
        # The same script keeps the focused control in view (tests/test_keyboard_in_browser.py).
        assert "focusin" in script
    finally:
        library.close()
