"""Files a browser sends over HTTP (photos, .kompas files), waited for and kept in memory only: never on the disk as sent.

The HTTP end that receives them is in kompas/ui/web/receive.py: this module loads on a phone too, and imports no web stack.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
from dataclasses import dataclass, field

__all__ = ["MAX_UPLOAD", "PATH", "UPLOAD_TIMEOUT", "Upload", "UploadProblem", "arriving", "expect", "forget"]

# A websocket message stops at 16 MiB, and a phone photo can be 30 MB or more (200 MP, HDR).
# 64 MiB is above any photo a phone takes today, and small enough to hold in memory.
MAX_UPLOAD = 64 * 2**20
# A slow phone on a shelter's wifi may need minutes for a big photo.
UPLOAD_TIMEOUT = 600
PATH = "/foto-upload"


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

    def arrive(self, data: bytes) -> None:
        if not self.arrived.done():
            self.arrived.set_result(data)

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


def arriving(token: str) -> Upload | None:
    """The upload waiting at this address, taken off the list: an address works once."""
    return _expected.pop(token, None)
