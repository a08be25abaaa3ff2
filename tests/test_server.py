"""The server as it runs on the device: bound to this device only, and telling the browser to call nowhere else."""

import asyncio
import http.cookiejar
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

from kompas.cli import main


def listening_addresses(port: int) -> set[str]:
    """Where the kernel says something listens on `port` (Linux /proc/net), as hex addresses."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def browser_with_key(server):
    """A client that opened the printed link, as the browser does: it now holds the cookie."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(server.link("/")) as response:
        assert response.status == 200
    return opener


def status_of(opener, url: str, **headers) -> tuple[int, bytes]:
    try:
        with opener.open(urllib.request.Request(url, headers=headers)) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_server_answers_on_this_device(app_server):
    with browser_with_key(app_server).open(app_server.url + "/") as response:
        assert response.status == 200
        policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self' data: blob:", "the page may open connections to this server only"


def test_pictograms_and_fonts_are_served_from_the_app_itself(app_server):
    opener = browser_with_key(app_server)
    for path in ("/pictograms/meedoen.svg", "/fonts/NotoSansArabic-Regular.ttf"):
        with opener.open(app_server.url + path) as response:
            assert response.status == 200
            assert len(response.read()) > 200


def test_the_server_listens_on_loopback_only(app_server):
    # 0100007F is 127.0.0.1 as /proc/net/tcp writes it; anything else would be reachable from the network.
    assert listening_addresses(app_server.port) == {"0100007F"}


def two_kompassen_on_two_screens(tmp_path):
    """Noor's and Sam's kompas on one server, each open on a screen of its own (no PIN)."""
    from kompas.store.shelf import Shelf
    from kompas.workbook.session import Library

    library = Library(Shelf.open(tmp_path))
    noor, sam = library.create("Noor", "geel"), library.create("Sam", "blauw")
    mine, theirs = library.session(), library.session()
    mine.choose(noor.id)
    theirs.choose(sam.id)
    return library, noor, sam, mine, theirs


def test_photos_are_served_only_to_the_screen_that_unlocked_their_kompas(tmp_path):
    """A deleted photo is gone at once and back after undo; a locked kompas's photos, or another's, never come."""
    from photofiles import phone_photo
    from starlette.testclient import TestClient

    from kompas.ui.server import build_web_app
    from kompas.workbook.workbook import Outcome

    library, noor, sam, mine, theirs = two_kompassen_on_two_screens(tmp_path)
    outcome, photo = mine.workbook.add_photo(phone_photo(800, 600), "kompas")
    assert outcome is Outcome.SAVED
    client = TestClient(build_web_app(library))
    folder = library.folder(noor.id)

    def status(key, relative):
        return client.get(f"/k/{key}/{relative}").status_code

    for relative in (photo.file, photo.thumb):
        response = client.get(f"/k/{mine.file_key}/{relative}")
        assert response.status_code == 200
        assert response.content == (folder / relative).read_bytes()
        # A shared or family device must not keep the photo in its browser cache.
        assert response.headers["cache-control"] == "no-store"
        # Sam's screen holds a key too, but to Sam's kompas: Noor's photos do not open with it.
        assert status(theirs.file_key, relative) == 404

    assert mine.workbook.delete_photo(photo.id) is Outcome.SAVED
    assert [status(mine.file_key, r) for r in (photo.file, photo.thumb)] == [404, 404]
    assert (folder / photo.file).exists(), "the files wait for undo"
    assert mine.workbook.restore_photo(photo) is Outcome.SAVED
    assert [status(mine.file_key, r) for r in (photo.file, photo.thumb)] == [200, 200]
    # Only names the app gives its photos, and only inside the photo folder.
    assert status(mine.file_key, "photos/..%2Fkompas.json") == 404
    assert status(mine.file_key, "../kompas.json") == 404

    # Locked, the old key opens nothing any more.
    old_key = mine.file_key
    mine.lock()
    assert status(old_key, photo.thumb) == 404
    library.close()


@pytest.fixture
def demo_server(tmp_path):
    """A server on the demo kompas with a photo and a poster in it, as a client's device would have."""
    from conftest import AppServer, kompas_folder
    from photofiles import phone_photo

    from kompas.store.storage import Store
    from kompas.workbook.workbook import Workbook

    data = tmp_path / "data"
    assert main(["demo", "--data", str(data)]) == 0
    folder = kompas_folder(data)
    with Store.open(folder) as store:
        Workbook(store).add_photo(phone_photo(800, 600), "kompas")
    assert main(["poster", "--data", str(data), "--out", str(folder / "posters" / "poster-A4.pdf")]) == 0
    server = AppServer(data)
    server.start()
    yield server
    server.stop()


def test_without_the_link_nothing_is_served(demo_server):
    """No page, no photo and no poster for a request without this start's key, or with a wrong one."""
    photo = next(demo_server.data_dir.glob("**/photos/*-klein.jpg")).name
    stranger = urllib.request.build_opener()
    for path in ("/", "/kompas/meedoen", f"/k/x/photos/{photo}", "/k/x/posters/poster-A4.pdf",
                 "/fonts/NotoSans-Regular.ttf", "/?k=geraden", "/koppel/geraden"):
        status, body = status_of(stranger, demo_server.url + path)
        assert status == 403, path
        assert b"Stadspas" not in body and b"\xff\xd8" not in body and b"%PDF" not in body
    # Past the doors, a photo or poster still needs the key of a screen that unlocked its kompas.
    opener = browser_with_key(demo_server)
    assert status_of(opener, f"{demo_server.url}/k/geraden/photos/{photo}")[0] == 404
    assert status_of(opener, f"{demo_server.url}/k/geraden/posters/poster-A4.pdf")[0] == 404
    # The link's secret does not linger in the address bar: the page moves on to the same path without it.
    assert b"location.replace(\"/\")" in status_of(urllib.request.build_opener(), demo_server.link("/"))[1]


def test_another_site_or_host_name_gets_nothing_even_with_the_cookie(demo_server):
    opener = browser_with_key(demo_server)
    for headers in ({"Origin": "http://evil.example"}, {"Host": f"evil.example:{demo_server.port}"},
                    {"Origin": "null"}):
        for path in ("/", "/pictograms/meedoen.svg"):
            assert status_of(opener, demo_server.url + path, **headers)[0] == 403, (headers, path)
    assert status_of(opener, f"{demo_server.url}/pictograms/meedoen.svg", Origin=demo_server.url)[0] == 200


def test_a_websocket_from_another_origin_or_without_the_cookie_gets_no_session(demo_server):
    """The probe that once read a whole kompas: a script on another site opening the app's websocket."""

    async def probe(**headers) -> bytes:
        received = b""
        try:
            async with websockets.connect(f"ws://127.0.0.1:{demo_server.port}/ws", additional_headers=headers,
                                          open_timeout=5) as socket:
                while True:
                    message = await asyncio.wait_for(socket.recv(), 3)
                    received += message if isinstance(message, bytes) else message.encode()
        except (websockets.exceptions.InvalidStatus, websockets.exceptions.ConnectionClosed):
            return received
        except asyncio.TimeoutError:
            raise AssertionError("the websocket stayed open") from None

    cookie = next(c for c in browser_with_key(demo_server).handlers if hasattr(c, "cookiejar")).cookiejar
    key = "; ".join(f"{c.name}={c.value}" for c in cookie)
    assert asyncio.run(probe(Origin="http://evil.example", Cookie=key)) == b""
    assert asyncio.run(probe(Origin=demo_server.url)) == b""
    assert asyncio.run(probe()) == b""


def test_no_answer_says_any_site_may_read_it(demo_server):
    opener = browser_with_key(demo_server)
    for path in ("/", "/main.dart.js", "/pictograms/meedoen.svg", "/manifest.json"):
        request = urllib.request.Request(demo_server.url + path)
        try:
            with opener.open(request) as response:
                assert response.headers.get("Access-Control-Allow-Origin") is None, path
        except urllib.error.HTTPError as error:
            assert error.headers.get("Access-Control-Allow-Origin") is None, path


def test_a_hand_over_code_opens_that_kompas_file_only_without_the_cookie_and_only_while_it_lasts(tmp_path):
    """The phone has no cookie: the code lets it fetch the file and the poster of one kompas, and reach nothing else."""
    from starlette.testclient import TestClient

    from kompas.store.shelf import Shelf
    from kompas.ui.server import build_web_app
    from kompas.ui.web.doors import Keys
    from kompas.workbook.session import Library

    now = [1000.0]
    library = Library(Shelf.open(tmp_path), clock=lambda: now[0])
    noor, sam = library.create("Noor", "geel"), library.create("Sam", "blauw")
    library.change_card(noor.id, language="ar")
    laptop = library.session()
    laptop.choose(noor.id)
    data = library.pack(noor.id)
    parcel = library.parcel(noor.id, data, hand_over=True, poster=b"%PDF-1.4 poster")
    copy = library.parcel(sam.id, library.pack(sam.id))  # a copy for a screen, not a hand-over
    phone = TestClient(build_web_app(library, Keys(), frozenset({"testserver"})))

    page = phone.get(f"/meegeven/{parcel.token}")
    assert page.status_code == 200 and 'lang="ar" dir="rtl"' in page.text
    # The page names no one, and may run nothing: no script, nothing from elsewhere.
    assert "Noor" not in page.text and "<script" not in page.text
    assert page.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert not parcel.fetched
    got = phone.get(f"/meegeven/{parcel.token}/{parcel.name}")
    assert got.status_code == 200 and got.content == data and parcel.fetched
    assert got.headers["content-disposition"] == f'attachment; filename="{parcel.name}"'
    assert phone.get(f"/meegeven/{parcel.token}/poster.pdf").content == b"%PDF-1.4 poster"
    # Another site's page cannot fetch it, even with the code.
    assert phone.get(f"/meegeven/{parcel.token}/{parcel.name}", headers={"Origin": "http://evil.example"}
                     ).status_code == 403
    # Nothing else opens with it: not the app, not another kompas's copy, not a photo address.
    assert phone.get("/").status_code == 403
    assert phone.get(f"/meegeven/{copy.token}").status_code == 403
    assert phone.get(f"/meegeven/{parcel.token}/../../k/{laptop.file_key}/kompas.json").status_code in (403, 404)
    assert phone.get(f"/meegeven/{parcel.token}/kompas.json").status_code == 404
    # Ten minutes later the code is dead: the phone gets a refusal, not the kompas.
    now[0] += library.pairing_seconds
    assert phone.get(f"/meegeven/{parcel.token}/{parcel.name}").status_code == 403
    library.close()


def test_a_copy_downloads_only_on_the_screen_that_has_its_kompas_open(tmp_path):
    from starlette.testclient import TestClient

    from kompas.ui.server import build_web_app

    library, noor, sam, mine, theirs = two_kompassen_on_two_screens(tmp_path)
    parcel = library.parcel(noor.id, library.pack(noor.id))
    client = TestClient(build_web_app(library))
    got = client.get(f"/k/{mine.file_key}/kopie/{parcel.token}")
    assert got.status_code == 200 and got.content == parcel.data
    assert got.headers["cache-control"] == "no-store"
    assert re.fullmatch(r'attachment; filename="kompas-\d{4}-\d{2}-\d{2}\.kompas"', got.headers["content-disposition"])
    assert client.get(f"/k/{theirs.file_key}/kopie/{parcel.token}").status_code == 404
    key = mine.file_key
    mine.lock()  # a locked kompas's copy does not download, even at an address from before
    assert client.get(f"/k/{key}/kopie/{parcel.token}").status_code == 404
    library.close()


def test_another_local_apps_cookie_does_not_lock_the_begeleider_out(tmp_path):
    """Cookies on 127.0.0.1 are shared across ports: another app's cookie with a space in it comes along, as
    browsers send it, and must not hide ours."""
    from starlette.testclient import TestClient

    from kompas.store.shelf import Shelf
    from kompas.ui.server import build_web_app
    from kompas.ui.web.doors import COOKIE, Keys
    from kompas.workbook.session import Library

    keys = Keys()
    library = Library(Shelf.open(tmp_path))
    client = TestClient(build_web_app(library, keys, frozenset({"testserver"})))
    for header in (f"theme=dark mode; {COOKIE}={keys.cookie}", f'{COOKIE}={keys.cookie}; note="a; b',
                   f"a=b\\c; {COOKIE}={keys.cookie}; lang=nl"):
        assert client.get("/manifest.json", headers={"Cookie": header}).status_code == 200, header
    # A wrong key stays a wrong key, wherever it stands.
    assert client.get("/manifest.json", headers={"Cookie": f"theme=dark mode; {COOKIE}=geraden"}).status_code == 403
    library.close()


def test_on_every_address_only_the_lan_address_and_this_devices_names_are_accepted_as_host(tmp_path):
    """--host 0.0.0.0 reaches the network, but a rebinding name (any other Host) still gets nothing."""
    from conftest import AppServer, one_kompas

    from kompas.ui.reach import lan_address

    one_kompas(tmp_path / "data")
    with AppServer(tmp_path / "data", host="0.0.0.0") as server:
        opener = browser_with_key(server)
        lan = lan_address()
        for name in ("evil.example", "rebind.example.com", "127.0.1.1", "0.0.0.0"):
            assert status_of(opener, f"{server.url}/manifest.json", Host=f"{name}:{server.port}")[0] == 403, name
        assert status_of(opener, f"{server.url}/manifest.json", Host=f"localhost:{server.port}")[0] == 200
        if lan:
            # From the network, at the address the cards show: this start's link and cookie work as on the laptop.
            phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            assert status_of(phone, server.link("/").replace("127.0.0.1", lan))[0] == 200
            assert status_of(phone, f"http://{lan}:{server.port}/manifest.json")[0] == 200
    printed = server.log.read_text()
    # The server says it is on the network, and does not ask to be started so.
    assert "--host 0.0.0.0" not in printed


def test_the_lan_address_comes_from_the_routes_and_a_card_never_asks_for_what_was_done():
    from kompas.ui.reach import lan_address, reach_of, unreachable_words

    lan = lan_address()
    assert lan is None or not lan.startswith("127."), "Debian's host name gives 127.0.1.1, which no phone reaches"
    everywhere = reach_of("0.0.0.0", 8550, "192.168.1.20")
    assert everywhere.url == "http://192.168.1.20:8550" and everywhere.on_network
    assert everywhere.hosts == {"192.168.1.20:8550", "127.0.0.1:8550", "localhost:8550"}
    lost = reach_of("0.0.0.0", 8550, None)
    assert lost.url is None and lost.hosts == {"127.0.0.1:8550", "localhost:8550"}
    # Started on the network but not in one: the card says to connect, not to start with --host.
    assert "--host" not in unreachable_words(lost, pairing=True)
    assert "--host" not in unreachable_words(lost, pairing=False)
    assert "--host 0.0.0.0" in unreachable_words(reach_of("127.0.0.1", 8550), pairing=True)
    assert reach_of("127.0.0.1", 8550).hosts == {"127.0.0.1:8550", "localhost:8550"}
    assert reach_of("192.168.1.20", 8550).url == "http://192.168.1.20:8550"


def test_thousands_of_refused_requests_make_a_few_log_lines(tmp_path):
    from conftest import AppServer, one_kompas

    one_kompas(tmp_path / "data")
    with AppServer(tmp_path / "data") as server:
        stranger = urllib.request.build_opener()
        for n in range(400):
            assert status_of(stranger, f"{server.url}/?k=guess{n}")[0] == 403
    refusals = [line for line in server.log.read_text().splitlines() if "kompas.ui.web.doors: refused" in line]
    assert 1 <= len(refusals) <= 3, refusals
    # ...and together they still count every one.
    assert "refused 399 more requests" in refusals[-1]


def test_a_websocket_whose_tab_went_away_ends_without_a_traceback():
    """Closing a tab while a message was on its way to it is no error: the doors end that websocket quietly, and
    Flet's warning about it, with its traceback, is not logged."""
    import logging

    from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected

    from kompas.ui.server import _not_a_closed_tab
    from kompas.ui.web.doors import COOKIE, Doors, Keys

    keys = Keys()

    async def flet(scope, receive, send):
        raise WebSocketDisconnect(code=1006)

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        pass

    scope = {"type": "websocket", "path": "/ws", "headers": [(b"host", b"127.0.0.1:8550"),
                                                               (b"cookie", f"{COOKIE}={keys.cookie}".encode())]}
    asyncio.run(Doors(flet, keys, frozenset({"127.0.0.1:8550"}))(scope, receive, send))

    def record(error):
        try:
            raise error
        except Exception:
            import sys

            return logging.LogRecord("flet_web.fastapi", logging.WARNING, "", 0, "Receive loop error", (),
                                     sys.exc_info())

    assert not _not_a_closed_tab(record(WebSocketDisconnected("not connected")))
    assert _not_a_closed_tab(record(ValueError("a real problem")))


def test_the_page_lets_a_person_zoom_and_names_its_tab_in_the_browsers_language_under_the_same_policy(app_server):
    """Flet's page, served with the viewport put back (pinch zoom) and the tab's neutral name in the browser's
    language; the Content-Security-Policy is the one every answer has."""
    from kompas.i18n import _, use_language
    from kompas.ui.server import CONTENT_SECURITY_POLICY
    from kompas.ui.web.page import ZOOM

    opener = browser_with_key(app_server)
    for path in ("/", "/kompas/meedoen"):
        request = urllib.request.Request(app_server.url + path, headers={"Accept-Language": "de-DE, ar-SY;q=0.8"})
        with opener.open(request) as response:
            page = response.read().decode("utf-8")
            assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            assert int(response.headers["Content-Length"]) == len(page.encode("utf-8"))
        with use_language("ar"):
            assert f"<title>{_('Notities')}</title>" in page
        assert ZOOM.decode("utf-8") in page
