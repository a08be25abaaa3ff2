"""Writing a file so that a crash or a power cut leaves the old one or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import datetime
from pathlib import Path

__all__ = ["keep_aside", "sync_folder", "write_atomically", "write_new"]


def write_atomically(path: Path, payload: bytes, private: bool = False, sync: bool = True) -> None:
    """Temp file, fsync, rename over `path`, fsync of the folder; `private` makes it readable by this user only.

    The temp file's name carries the process and thread, so two writers never share one; it starts with a dot
    and ends in .tmp, so whoever owns the folder can clear what a killed writer left.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        with open(os.open(tmp, flags, 0o600 if private else 0o666), "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        # A full disk must not be left fuller by a half-written temp file until the next start.
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    if sync:
        sync_folder(path.parent)


def write_new(path: Path, payload: bytes) -> None:
    """A file that was not there, in a folder nothing reads yet (a kompas being taken in): written and synced in
    place, without a temp file. That folder takes its place whole, in one rename, only after it is synced itself."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with open(os.open(path, flags, 0o600), "wb") as f:
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())


def sync_folder(folder: Path, quiet: bool = False) -> None:
    """A rename or a removal only survives a power cut once the folder holding it is synced.

    `quiet`: a folder that cannot be synced is no reason to fail a change that is already made.
    """
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        if quiet:
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not quiet:
            raise
    finally:
        os.close(fd)


def keep_aside(path: Path, prefix: str) -> Path | None:
    """Rename a damaged file to `prefix-<time>.json` beside it, never over another one kept aside before.

    Returns the new path; None when it could not be renamed (then it must not be written over either).
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        kept = path.with_name(f"{prefix}-{stamp}{f'-{n}' if n else ''}.json")
        if kept.exists():
            continue
        try:
            os.replace(path, kept)
        except OSError:
            return None
        return kept
    return None
