"""Flet 1.0.5's web server writes out every message it sends for a debug log that is off: not here, on that code only."""

from __future__ import annotations

import hashlib
import inspect
import logging
from importlib.metadata import PackageNotFoundError, version

import msgpack
from flet.controls.base_control import BaseControl
from flet.messaging.protocol import Message, configure_encode_object_for_msgpack
from flet_web.fastapi.flet_app import FletApp, transport_log

__all__ = ["FLETS_OWN", "KNOWN_FLET_WEB", "KNOWN_SEND_MESSAGE", "known_send_message", "send_without_debug_text",
           "skip_debug_text"]

log = logging.getLogger(__name__)

# FletApp.send_message builds f"send_message: {message}" for transport_log.debug before it sends anything: the repr of
# the whole message, every control in it with all its fields, though the line is never logged. Opening Mijn koers of a
# five-year kompas twice, that was 2.4 million characters, 0.1 s of the server's 1.0 s, six times the time msgpack took
# to encode the same messages; on the shelf of 200 (a page of 12 names at a time) 0.015 s of 0.62 s. The method below
# does what Flet's does, and builds the line only when it is logged (as Flet's own socket server does). It replaces
# Flet's only on the version it was written against, and only while Flet's method is, letter for letter, the one read
# then (its SHA-256 below): any other Flet keeps its own method.
KNOWN_FLET_WEB = "1.0.5"
KNOWN_SEND_MESSAGE = "47399d973ee706f08b9d343906c55dd28aa8aabda2f55513c29d98f3d932466e"
# Flet's own method, as it was before anything here replaced it: what the replacement must do the same as.
FLETS_OWN = FletApp.send_message


def known_send_message(cls: type[FletApp] = FletApp, installed: str | None = None) -> bool:
    """Whether `cls.send_message` is flet-web 1.0.5's, letter for letter; `installed` stands in for the version."""
    try:
        installed = installed or version("flet-web")
        source = inspect.getsource(cls.send_message)
    except (PackageNotFoundError, OSError, TypeError):
        return False
    return installed == KNOWN_FLET_WEB and hashlib.sha256(source.encode()).hexdigest() == KNOWN_SEND_MESSAGE


def send_without_debug_text(self: FletApp, message: Message) -> None:
    # As Flet's own, with the debug line built by logging itself, and only when it is logged.
    transport_log.debug("send_message: %s", message)
    body = msgpack.packb(
        [message.action, message.body],
        default=configure_encode_object_for_msgpack(BaseControl),
    )
    self._FletApp__send_queue.put_nowait(b"\x00" + body)  # type: ignore[attr-defined]


def skip_debug_text(cls: type[FletApp] = FletApp, installed: str | None = None) -> bool:
    """Put `send_without_debug_text` in the place of Flet's send_message when that is the known one; True if it is there."""
    if cls.send_message is send_without_debug_text:
        return True
    if not known_send_message(cls, installed):
        log.info("Flet's send_message is not the one of flet-web %s: left as it is", KNOWN_FLET_WEB)
        return False
    setattr(cls, "send_message", send_without_debug_text)
    return True
