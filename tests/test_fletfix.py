"""Flet's web server sends each message as before, without writing it out for a debug log that is off, and only on the
Flet it was measured on."""

from __future__ import annotations

import importlib.util
import inspect
import logging
from importlib.metadata import version

import flet as ft
import pytest
from flet.messaging.protocol import Message, MessageAction
from flet_web.fastapi.flet_app import FletApp

from kompas.store.shelf import Shelf
from kompas.ui.server import build_web_app
from kompas.ui.web import fletfix
from kompas.workbook.session import Library


class Queue:
    """Stands in for a connected tab's send queue."""

    def __init__(self):
        self.sent: list[bytes] = []

    def put_nowait(self, data: bytes) -> None:
        self.sent.append(data)


class Counted(dict):
    """A message body that counts how often it is written out as text."""

    written = 0

    def __repr__(self) -> str:
        Counted.written += 1
        return super().__repr__()


def connected() -> FletApp:
    app = FletApp.__new__(FletApp)
    app._FletApp__send_queue = Queue()
    return app


def test_the_web_app_sends_without_debug_text_on_the_flet_it_was_measured_on(tmp_path, monkeypatch):
    monkeypatch.setattr(FletApp, "send_message", fletfix.FLETS_OWN)
    measured = version("flet-web") == fletfix.KNOWN_FLET_WEB
    assert fletfix.known_send_message() == measured, "flet-web 1.0.5's send_message is not the one that was read"
    library = Library(Shelf.open(tmp_path))
    try:
        build_web_app(library)
    finally:
        library.close()
    assert (FletApp.send_message is fletfix.send_without_debug_text) == measured


def test_a_message_goes_out_as_flet_sends_it():
    message = Message(MessageAction.PATCH_CONTROL, {"id": 7, "patch": [ft.Column([ft.Text("Client 1"), ft.Text("ሰላም")])]})
    ours, flets = connected(), connected()
    fletfix.send_without_debug_text(ours, message)
    fletfix.FLETS_OWN(flets, message)
    assert ours._FletApp__send_queue.sent == flets._FletApp__send_queue.sent
    assert ours._FletApp__send_queue.sent[0].startswith(b"\x00")


class Kept(logging.Handler):
    """The lines a logger writes out, on that logger itself: the root's handlers may carry the filters an earlier
    test's in-process `kompas` command put on them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_message_is_written_out_only_for_a_debug_log_that_is_on():
    message = Message(MessageAction.PATCH_CONTROL, Counted(id=7, patch=["Client 1"]))
    transport = logging.getLogger("flet_transport")
    kept, level = Kept(), transport.level
    transport.addHandler(kept)
    try:
        transport.setLevel(logging.INFO)
        Counted.written = 0
        fletfix.FLETS_OWN(connected(), message)
        assert Counted.written == 1  # what the replacement is for
        fletfix.send_without_debug_text(connected(), message)
        assert Counted.written == 1
        transport.setLevel(logging.DEBUG)
        fletfix.send_without_debug_text(connected(), message)
        assert Counted.written > 1  # logging writes it out, for the record
        assert kept.lines[-1] == f"send_message: {message}"
    finally:
        transport.removeHandler(kept)
        transport.setLevel(level)


def fake_flet(tmp_path, source: str):
    """A FletApp with `source` as its send_message, read from a file as Flet's is."""
    path = tmp_path / "fake_flet_app.py"
    path.write_text("from __future__ import annotations\n\n\nclass FletApp:\n" + source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("fake_flet_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FletApp


@pytest.mark.parametrize("change, installed", [
    ("", "1.0.6"),  # the same method in a later Flet: its other code may have changed
    ('transport_log.debug("send_message: %s", message)', "1.0.5"),  # Flet's method edited in place: the fix upstream
    ("self.__send_queue.put_nowait(b'\\x00' + body)\n        self.sent = True", "1.0.5"),
])
def test_any_other_flet_keeps_its_own_method(tmp_path, change, installed):
    source = inspect.getsource(fletfix.FLETS_OWN)
    if change.startswith("transport_log"):
        source = source.replace('transport_log.debug(f"send_message: {message}")', change)
    elif change:
        source = source.replace('self.__send_queue.put_nowait(b"\\x00" + body)', change)
    assert source != inspect.getsource(fletfix.FLETS_OWN) or not change
    other = fake_flet(tmp_path, source)
    own = other.send_message
    assert not fletfix.skip_debug_text(other, installed)
    assert other.send_message is own


def test_the_known_method_in_the_known_version_is_replaced(tmp_path):
    other = fake_flet(tmp_path, inspect.getsource(fletfix.FLETS_OWN))
    assert fletfix.skip_debug_text(other, "1.0.5")
    assert other.send_message is fletfix.send_without_debug_text
