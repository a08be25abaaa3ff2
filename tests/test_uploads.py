"""Photos sent from the browser over HTTP: big ones arrive whole, too big ones are refused, an address works once."""

from __future__ import annotations

import asyncio
import os

from starlette.requests import Request

from kompas.ui import uploads
from kompas.ui.uploads import MAX_UPLOAD, UploadProblem
from kompas.ui.web import receive


def put(token: str, body: bytes, chunk: int = 1 << 20, declared: bool = True):
    """The ASGI call a browser's PUT makes, sent in chunks as a network delivers it."""
    headers = [(b"content-length", str(len(body)).encode())] if declared else []
    scope = {"type": "http", "method": "PUT", "path": f"{uploads.PATH}/{token}", "headers": headers,
             "path_params": {"token": token}, "query_string": b""}
    parts = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]

    async def receive_body():
        data = parts.pop(0)
        return {"type": "http.request", "body": data, "more_body": bool(parts)}

    return receive._receive(Request(scope, receive_body))


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
