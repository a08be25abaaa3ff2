"""The log says what went wrong, and never what a client wrote: a partner may read a log as easily as a screen."""

from __future__ import annotations

import logging

from photofiles import phone_photo

from kompas.drafts import Draft
from kompas.model import Condition, Step
from kompas.storage import DB_FILE, Store
from kompas.workbook import Workbook

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

    monkeypatch.setattr("kompas.storage._write_atomically", full_disk)
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
