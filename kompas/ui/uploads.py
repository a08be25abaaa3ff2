"""Files sent from the browser over HTTP (photos, .kompas files) and kept in memory only: never on the disk as sent."""

from __future__ import annotations

import asyncio
import enum
import logging
import secrets
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

__all__ = ["MAX_UPLOAD", "UPLOAD_TIMEOUT", "Upload", "UploadProblem", "expect", "forget", "route"]

# A websocket message stops at 16 MiB, and a phone photo can be 30 MB or more (200 MP, HDR).
# 64 MiB is above any photo a phone takes today, and small enough to hold in memory.
MAX_UPLOAD = 64 * 2**20
# A slow phone on a shelter's wifi may need minutes for a big photo.
UPLOAD_TIMEOUT = 600
PATH = "/foto-upload"

log = logging.getLogger(__name__)


class UploadProblem(enum.Enum):
    """Why a photo did not arrive; only the UI turns this into words."""

    TOO_LARGE = "too_large"
    LOST = "lost"


@dataclass
class Upload:
    """One photo the server waits for, at an address that works once and that nobody can guess."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    limit: int = MAX_UPLOAD
    arrived: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())

    @property
    def url(self) -> str:
        return f"{PATH}/{self.token}"

    def fail(self, problem: UploadProblem = UploadProblem.LOST) -> None:
        if not self.arrived.done():
            self.arrived.set_result(problem)

    async def received(self, timeout: float) -> bytes | UploadProblem:
        try:
            return await asyncio.wait_for(asyncio.shield(self.arrived), timeout)
        except asyncio.TimeoutError:
            return UploadProblem.LOST


_expected: dict[str, Upload] = {}


def expect(limit: int = MAX_UPLOAD) -> Upload:
    upload = Upload(limit=limit)
    _expected[upload.token] = upload
    return upload


def forget(upload: Upload) -> None:
    _expected.pop(upload.token, None)
    upload.fail()


async def _receive(request: Request) -> PlainTextResponse:
    upload = _expected.pop(request.path_params["token"], None)
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
    if not upload.arrived.done():
        upload.arrived.set_result(b"".join(chunks))
    return PlainTextResponse("", status_code=204)


def route() -> Route:
    return Route(f"{PATH}/{{token}}", _receive, methods=["PUT", "POST"])
