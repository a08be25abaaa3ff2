"""A hand-over code works once: the first whole download uses it up, the poster comes once more, and every other
try, or any try after a new code, a lock, hiding, erasing or leaving the screen, is refused and counted."""

from __future__ import annotations

import asyncio
import os

import pytest
from starlette.testclient import TestClient

from kompas.store.shelf import Shelf
from kompas.ui.server import build_web_app
from kompas.ui.web.doors import Keys
from kompas.workbook.session import Library, Part, PinOutcome

POSTER = b"%PDF-1.4 poster"


@pytest.fixture
def laptop(tmp_path, monkeypatch):
    """A laptop's server with Noor open on its screen (with a PIN), and a phone without the cookie beside it."""
    import kompas.store.pin as pin

    monkeypatch.setattr(pin, "COST", pin.Cost(n=2**10, r=8, p=1))
    library = Library(Shelf.open(tmp_path))
    noor = library.create("Noor", "geel")
    assert library.pin(noor.id).set("2468").outcome is PinOutcome.OK
    screen = library.session()
    screen.choose(noor.id)
    assert screen.unlock("2468").outcome is PinOutcome.OK
    phone = TestClient(build_web_app(library, Keys(), frozenset({"testserver"})))
    yield library, noor, screen, phone
    library.close()


def hand_over(library, noor, screen, data: bytes | None = None):
    return library.parcel(noor.id, data or library.pack(noor.id), hand_over=True, poster=POSTER, owner=screen)


def fetch(phone, parcel, what: str | None = None) -> int:
    return phone.get(f"/meegeven/{parcel.token}" + (f"/{what}" if what else "")).status_code


def test_the_first_whole_download_uses_the_code_and_the_poster_comes_once_more(laptop):
    library, noor, screen, phone = laptop
    parcel = hand_over(library, noor, screen)
    assert fetch(phone, parcel) == 200
    got = phone.get(f"/meegeven/{parcel.token}/{parcel.name}")
    assert got.status_code == 200 and got.content == parcel.data and parcel.fetched
    assert parcel.tried_again == 0
    # The same phone, or another one with the same code: refused, and the laptop is told.
    assert fetch(phone, parcel, parcel.name) == 403
    assert fetch(phone, parcel) == 403
    assert parcel.tried_again == 2
    # The poster, once, also after the file.
    assert phone.get(f"/meegeven/{parcel.token}/poster.pdf").content == POSTER
    assert fetch(phone, parcel, "poster.pdf") == 403
    assert parcel.tried_again == 3
    # What the phone reads on a refusal names nothing.
    refused = phone.get(f"/meegeven/{parcel.token}/{parcel.name}")
    assert "Noor" not in refused.text and "kompas" not in refused.text.lower()


def test_a_download_cut_off_halfway_does_not_use_the_code(laptop):
    """The phone drops the connection after the first piece: the file may be fetched again, whole."""
    library, noor, screen, phone = laptop
    big = os.urandom(3 * 1024 * 1024)
    parcel = hand_over(library, noor, screen, big)
    app = build_web_app(library)
    received: list[bytes] = []

    async def cut_off() -> None:
        first_piece = asyncio.Event()
        asked = False

        async def receive():
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await first_piece.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.body" and message.get("body"):
                received.append(message["body"])
                first_piece.set()
                await asyncio.sleep(0.05)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
                 "path": f"/meegeven/{parcel.token}/{parcel.name}", "raw_path": b"", "root_path": "",
                 "query_string": b"", "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 5000),
                 "server": ("testserver", 80)}
        await app(scope, receive, send)

    asyncio.run(cut_off())
    assert 0 < sum(map(len, received)) < len(big), "the download was cut off"
    assert not parcel.fetched and parcel.tried_again == 0
    got = phone.get(f"/meegeven/{parcel.token}/{parcel.name}")
    assert got.status_code == 200 and got.content == big and parcel.fetched


def test_a_second_download_while_the_first_is_under_way_is_refused(laptop):
    library, noor, screen, _phone = laptop
    parcel = hand_over(library, noor, screen)
    assert library.begin_fetch(parcel.token, Part.FILE) is parcel
    assert library.begin_fetch(parcel.token, Part.FILE) is None and parcel.tried_again == 1
    library.end_fetch(parcel, Part.FILE, whole=False)
    assert library.begin_fetch(parcel.token, Part.FILE) is parcel


@pytest.mark.parametrize("ending", ["new code", "lock", "hide", "erase", "leave"])
def test_a_code_ends_with_a_new_code_a_lock_hiding_erasing_or_leaving_the_screen(laptop, ending):
    library, noor, screen, phone = laptop
    parcel = hand_over(library, noor, screen)
    assert fetch(phone, parcel) == 200
    if ending == "new code":
        newer = hand_over(library, noor, screen)
        assert fetch(phone, newer) == 200
    elif ending == "lock":
        screen.lock()
    elif ending == "hide":
        screen.hide()
    elif ending == "erase":
        assert library.erase(noor.id, "2468") is True
    else:
        screen.close()
    for what in (None, parcel.name, "poster.pdf"):
        assert fetch(phone, parcel, what) == 403, what
    assert not parcel.fetched


def test_hiding_a_kompas_without_a_pin_ends_its_code_too(tmp_path):
    library = Library(Shelf.open(tmp_path))
    sam = library.create("Sam")
    screen = library.session()
    screen.choose(sam.id)
    parcel = library.parcel(sam.id, library.pack(sam.id), hand_over=True, owner=screen)
    screen.hide()
    assert screen.unlocked, "without a PIN the kompas waits behind the empty screen"
    phone = TestClient(build_web_app(library, Keys(), frozenset({"testserver"})))
    assert fetch(phone, parcel, parcel.name) == 403
    library.close()
