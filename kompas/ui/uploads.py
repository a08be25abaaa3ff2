"""Files a browser sends over HTTP (photos, .kompas files), waited for and kept in memory only: never on the disk as sent.

A photo comes the quick way: the page sends the file the moment the client chooses it, straight from the
browser's own copy (see kompas/ui/web/page.py), and the screen that asked for it claims it by name and size. Flet's
file picker would first copy it through the page's WebAssembly in pieces and then hand it to the network again,
which took most of the 1 to 3 seconds between choosing a 12 MP photo and seeing it. Flet's own upload (expect)
stays as the way when the quick one did not come.

The HTTP end that receives them is in kompas/ui/web/receive.py: this module loads on a phone too, and imports no web
stack.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
from dataclasses import dataclass, field
from urllib.parse import unquote

from kompas.base import clock

__all__ = ["CHOSEN_PATH", "MAX_UPLOAD", "PATH", "PHOTO_EXTENSIONS", "UPLOAD_TIMEOUT", "Chosen", "Upload",
           "UploadProblem", "arriving", "choose", "claim", "expect", "forget", "is_photo_name"]

# A websocket message stops at 16 MiB, and a phone photo can be 30 MB or more (200 MP, HDR).
# 64 MiB is above any photo a phone takes today, and small enough to hold in memory.
MAX_UPLOAD = 64 * 2**20
# A slow phone on a shelter's wifi may need minutes for a big photo.
UPLOAD_TIMEOUT = 600
PATH = "/foto-upload"
CHOSEN_PATH = "/foto-gekozen"
# A chosen photo nobody claims (the screen was closed meanwhile) is let go after this long.
CHOSEN_KEEP = 60
# How long a screen waits for a chosen photo to start coming before it asks the page for it Flet's way. The page
# starts sending before Flutter even hears of the choice, so a photo that has not begun by then is not coming.
CHOSEN_GRACE = 1.5
# What all chosen photos waiting to be claimed may take together.
CHOSEN_ROOM = 2 * MAX_UPLOAD
# The kinds of file the page sends the quick way, and the photo pickers offer.
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "heic", "heif")


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


# The quick way: photos the page sent the moment they were chosen


@dataclass
class Chosen:
    """One photo the page is sending or has sent, until a screen on the same device claims it by name and size."""

    client: str
    name: str
    size: int
    arrived: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())
    since: float = field(default_factory=clock.steady)

    def arrive(self, body: bytes | UploadProblem) -> None:
        if not self.arrived.done():
            self.arrived.set_result(body)


_chosen: list[Chosen] = []
_news: list[asyncio.Future] = []  # screens waiting for a chosen photo to start coming


def _let_go_of_old() -> None:
    for old in [c for c in _chosen if clock.steady() - c.since > CHOSEN_KEEP]:
        _chosen.remove(old)
        old.arrive(UploadProblem.LOST)


def choose(client: str, name: str, size: int) -> Chosen | UploadProblem:
    """A photo the page begins to send as it was chosen: waiting to be claimed, or TOO_LARGE (then the screen
    asks for it Flet's way, which says so)."""
    _let_go_of_old()
    if size > MAX_UPLOAD or sum(c.size for c in _chosen) + size > CHOSEN_ROOM:
        return UploadProblem.TOO_LARGE
    chosen = Chosen(client, unquote(name), size)
    _chosen.append(chosen)
    for waiting in _news:
        if not waiting.done():
            waiting.set_result(None)
    return chosen


def is_photo_name(name: str) -> bool:
    return name.rpartition(".")[2].lower() in PHOTO_EXTENSIONS


async def claim(client: str, name: str, size: int, grace: float = CHOSEN_GRACE,
                timeout: float = UPLOAD_TIMEOUT) -> bytes | UploadProblem | None:
    """The photo this device's page sent when `name` of `size` bytes was chosen; None when none began to come
    within `grace` seconds (or it is no photo the page sends), and the screen should ask for it Flet's way."""
    if not is_photo_name(name):
        return None
    deadline = clock.steady() + grace
    while True:
        _let_go_of_old()
        found = next((c for c in _chosen if (c.client, c.name, c.size) == (client, name, size)), None)
        if found is not None:
            _chosen.remove(found)
            try:
                return await asyncio.wait_for(asyncio.shield(found.arrived), timeout)
            except asyncio.TimeoutError:
                return UploadProblem.LOST
        left = deadline - clock.steady()
        if left <= 0:
            return None
        news = asyncio.get_running_loop().create_future()
        _news.append(news)
        try:
            await asyncio.wait_for(news, left)
        except asyncio.TimeoutError:
            pass
        finally:
            _news.remove(news)
