"""The server as it runs on the device: bound to this device only, and telling the browser to call nowhere else."""

import urllib.request
from pathlib import Path


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


def test_the_server_answers_on_this_device(app_server):
    with urllib.request.urlopen(app_server.url + "/") as response:
        assert response.status == 200
        policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self' data: blob:", "the page may open connections to this server only"


def test_pictograms_and_fonts_are_served_from_the_app_itself(app_server):
    for path in ("/pictograms/meedoen.svg", "/fonts/NotoSansArabic-Regular.ttf"):
        with urllib.request.urlopen(app_server.url + path) as response:
            assert response.status == 200
            assert len(response.read()) > 200


def test_the_server_listens_on_loopback_only(app_server):
    # 0100007F is 127.0.0.1 as /proc/net/tcp writes it; anything else would be reachable from the network.
    assert listening_addresses(app_server.port) == {"0100007F"}


def test_a_deleted_photo_is_gone_from_the_server_at_once_and_back_after_undo(tmp_path):
    from photofiles import phone_photo
    from starlette.testclient import TestClient

    from kompas.storage import Store
    from kompas.ui.server import build_web_app
    from kompas.workbook import Outcome, Workbook

    workbook = Workbook(Store.open(tmp_path))
    outcome, photo = workbook.add_photo(phone_photo(800, 600), "kompas")
    assert outcome is Outcome.SAVED
    client = TestClient(build_web_app(workbook, tmp_path))
    for relative in (photo.file, photo.thumb):
        response = client.get("/" + relative)
        assert response.status_code == 200
        assert response.content == (tmp_path / relative).read_bytes()
        # A shared or family device must not keep the photo in its browser cache.
        assert response.headers["cache-control"] == "no-store"

    assert workbook.delete_photo(photo.id) is Outcome.SAVED
    assert [client.get("/" + r).status_code for r in (photo.file, photo.thumb)] == [404, 404]
    assert (tmp_path / photo.file).exists(), "the files wait for undo"

    assert workbook.restore_photo(photo) is Outcome.SAVED
    assert [client.get("/" + r).status_code for r in (photo.file, photo.thumb)] == [200, 200]
    # Only names the app gives its photos, and only inside the photo folder.
    assert client.get("/photos/..%2Fkompas.json").status_code == 404
    workbook.store.close()
