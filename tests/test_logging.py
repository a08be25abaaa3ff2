"""The log says what went wrong, and never what a client wrote: a partner may read a log as easily as a screen."""

from __future__ import annotations

import logging
import re

import pytest
from photofiles import phone_photo

from kompas.domain.model import Condition, Step
from kompas.store.storage import DB_FILE, Store
from kompas.workbook.drafts import Draft
from kompas.workbook.workbook import Workbook

SECRET = "Blijf-Weg-Van-Mij Dorpsstraat-Zevenentwintig"


def test_failures_are_logged_without_a_word_of_the_client(tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    workbook = Workbook(Store.open(tmp_path / "a"))
    workbook.add_note(Condition.ERBIJ_HOREN, Step.AANLEIDING, SECRET)
    workbook.set_wish(SECRET)

    def broken_screen():
        raise ValueError(SECRET)

    workbook.subscribe(broken_screen)
    workbook.set_wish(SECRET + "!")

    draft = Draft(lambda text: (_ for _ in ()).throw(OSError(text)))
    draft.type(SECRET)
    draft.flush()

    def full_disk(*args, **kwargs):
        raise OSError(28, f"No space left for {SECRET}")

    monkeypatch.setattr("kompas.store.storage._write_atomically", full_disk)
    workbook.edit_note(workbook.kompas.notes[0].id, SECRET + "?")
    monkeypatch.undo()
    workbook.store.close()

    damaged = tmp_path / "b"
    damaged.mkdir()
    (damaged / DB_FILE).write_text('{"meta": {"1": {"schema": 1}}, "notes": {"1": {"text": "%s", "order": 1e400}}}'
                                   % SECRET)
    Store.open(damaged).close()
    Workbook(Store.open(tmp_path / "c")).add_photo(phone_photo(400, 300)[:3000], SECRET)

    # Only our own lines: Pillow's debug lines describe a photo's metadata, and the app keeps them off (see cli).
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
                       if r.name.startswith("kompas"))
    # Each failure above left a line, so the log is useful to whoever looks after the device...
    for expected in ("a screen stopped following changes (ValueError)", "saving typed text failed (OSError)",
                     "a change could not be stored (OSError)", "the kompas file is damaged ("):
        assert expected in logged
    # ...and none of it quotes the client.
    for part in SECRET.split():
        assert part not in logged


@pytest.mark.browser
def test_a_real_server_at_debug_logs_no_word_and_no_pin_a_client_typed(chromium, tmp_path):
    """KOMPAS_LOG_LEVEL=DEBUG shows more of the app's own lines, and still nothing a client typed: Flet logs every
    message it carries at DEBUG, the PIN and the notes among them."""
    from browser import open_app, type_into
    from conftest import AppServer, kompas_json
    from playwright.sync_api import expect

    from kompas.store.pin import PinLock, PinOutcome
    from kompas.store.shelf import Shelf

    pin, wrong, note = "864213", "975318", "Zonnebloem-Merel-Vijfendertig"
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        folder = shelf.folder(shelf.create("Noor", "geel").id)
    assert PinLock(folder).set(pin).outcome is PinOutcome.OK
    with AppServer(data, env={"KOMPAS_LOG_LEVEL": "DEBUG"}) as server:
        page, _ = open_app(chromium, server.link())
        page.get_by_role("button", name="Noor openen").click()
        type_into(page, "PIN", wrong)
        page.get_by_role("button", name="Openen").click()
        expect(page.get_by_text("Dat is niet de goede PIN. Probeer het nog een keer.")).to_be_visible(timeout=20_000)
        type_into(page, "PIN", pin)
        page.get_by_role("button", name="Openen").click()
        page.get_by_role("button", name="Meedoen: openen").click(timeout=20_000)
        type_into(page, "Schrijf iets bij Krachten en bronnen", note)
        page.get_by_role("button", name="Toevoegen bij Krachten en bronnen").click()
        expect(page.get_by_text(note, exact=True)).to_be_visible()
        assert note in kompas_json(data).read_text(encoding="utf-8"), "the note went through the server"
    lines = server.log.read_text(encoding="utf-8", errors="replace").splitlines()
    # The level took: the app's own lines below WARNING are there...
    assert any(" INFO kompas." in line for line in lines)
    # ...and not one line, from any logger, holds the note or either PIN.
    for line in lines:
        assert note not in line and "Merel" not in line
        assert not re.search(rf"(?<![0-9A-Za-z])({pin}|{wrong})(?![0-9A-Za-z])", line), line
