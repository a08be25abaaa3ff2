"""Files a browser sends over HTTP (a photo, a .kompas file), taken into the upload that waits for them, in memory only."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kompas.ui.uploads import CHOSEN_PATH, PATH, UploadProblem, arriving, choose

__all__ = ["routes"]

log = logging.getLogger(__name__)


async def _body(request: Request, limit: int) -> bytes | UploadProblem:
    """The whole body, or why not: larger than `limit` (by its declared size or as it comes), or broken off."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return UploadProblem.TOO_LARGE
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return UploadProblem.TOO_LARGE
            chunks.append(chunk)
    except Exception as error:  # noqa: BLE001 - a dropped connection: the photo did not arrive, and the screen says so
        log.warning("a photo upload broke off (%s)", type(error).__name__)
        return UploadProblem.LOST
    return b"".join(chunks)


def _answer(body: bytes | UploadProblem) -> PlainTextResponse:
    status = 204 if isinstance(body, bytes) else 413 if body is UploadProblem.TOO_LARGE else 400
    return PlainTextResponse("", status_code=status)


async def _receive(request: Request) -> PlainTextResponse:
    """An upload a screen asked for, at its one-time address."""
    upload = arriving(request.path_params["token"])
    if upload is None:
        return PlainTextResponse("", status_code=404)
    body = await _body(request, upload.limit)
    if isinstance(body, bytes):
        upload.arrive(body)
    else:
        upload.fail(body)
    return _answer(body)


async def _receive_chosen(request: Request) -> PlainTextResponse:
    """A photo the page sends the moment it is chosen, before the screen has asked: kept until the screen claims it."""
    declared = request.headers.get("content-length", "")
    name = request.headers.get("x-photo-name", "")
    if not declared.isdigit() or not name or request.client is None:
        return PlainTextResponse("", status_code=400)
    chosen = choose(request.client.host, name, int(declared))
    if isinstance(chosen, UploadProblem):
        return PlainTextResponse("", status_code=413)  # the screen then asks for it Flet's way
    body = await _body(request, chosen.size)
    if isinstance(body, bytes) and len(body) != chosen.size:
        body = UploadProblem.LOST  # cut off on the way: it is not the photo that was chosen
    chosen.arrive(body)
    return _answer(body)


def routes() -> list[Route]:
    """Both ways in for a photo: the page's own sending of a chosen photo (see page.py), and Flet's upload."""
    return [Route(f"{PATH}/{{token}}", _receive, methods=["PUT", "POST"]),
            Route(CHOSEN_PATH, _receive_chosen, methods=["PUT"])]
