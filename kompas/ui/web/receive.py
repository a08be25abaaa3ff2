"""A file a browser sends over HTTP (a photo, a .kompas file), taken into the upload that waits for it, in memory only."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kompas.ui.uploads import PATH, UploadProblem, arriving

__all__ = ["route"]

log = logging.getLogger(__name__)


async def _receive(request: Request) -> PlainTextResponse:
    upload = arriving(request.path_params["token"])
    if upload is None:
        return PlainTextResponse("", status_code=404)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > upload.limit:
        upload.fail(UploadProblem.TOO_LARGE)
        return PlainTextResponse("", status_code=413)
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > upload.limit:
                upload.fail(UploadProblem.TOO_LARGE)
                return PlainTextResponse("", status_code=413)
            chunks.append(chunk)
    except Exception as error:  # noqa: BLE001 - a dropped connection: the photo did not arrive, and the screen says so
        log.warning("a photo upload broke off (%s)", type(error).__name__)
        upload.fail()
        return PlainTextResponse("", status_code=400)
    upload.arrive(b"".join(chunks))
    return PlainTextResponse("", status_code=204)


def route() -> Route:
    return Route(f"{PATH}/{{token}}", _receive, methods=["PUT", "POST"])
