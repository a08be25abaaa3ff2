"""Writing a file so that a crash or a power cut leaves the old one or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from pathlib import Path

from kompas.base import clock

__all__ = ["keep_aside", "make_private", "sync_folder", "write_atomically", "write_new"]

# On a shared laptop other accounts have no business with a kompas: its folders are this user's only (700), and so
# is every file the app writes (600). Where the system knows no such modes (Windows) they change nothing.
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def make_private(folder: Path, whole: bool = False) -> None:
    """Take away what other accounts may do with `folder` (that exists), if anything; `whole`: with everything in it
    too, once. The owner's own rights stay as they are: a folder made read-only stays read-only.

    A folder the app made before it did so (755, its files 644) is closed at the next start. Nothing happens where
    it cannot be done (another user's folder, Windows).
    """
    if os.name != "posix":
        return
    if not _close(folder) or not whole:
        return
    for root, folders, files in os.walk(folder):
        for name in folders:
            _close(Path(root, name))
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():  # a link's target may lie outside the folder
                _close(path)


def _close(path: Path) -> bool:
    """Clear the group's and others' bits of `path`; whether there were any to clear."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077 == 0:
            return False
        os.chmod(path, mode & 0o700)
    except OSError:
        return False
    return True


def write_atomically(path: Path, payload: bytes, private: bool = True, sync: bool = True,
                     changed: float | None = None) -> None:
    """Temp file, fsync, rename over `path`, fsync of the folder; readable by this user only, unless `private` is
    False (then as the user's umask says).

    `changed`: the time of last change the file is given (wall-clock seconds); None for the system's own.

    The temp file's name carries the process and thread, so two writers never share one; it starts with a dot
    and ends in .tmp, so whoever owns the folder can clear what a killed writer left.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        with open(os.open(tmp, flags, PRIVATE_FILE if private else 0o666), "wb") as f:
            f.write(payload)
            f.flush()
            if changed is not None:
                # Before the sync, so that the time is on the disk with the bytes.
                os.utime(f.fileno() if os.utime in os.supports_fd else tmp, (changed, changed))
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
    with open(os.open(path, flags, PRIVATE_FILE), "wb") as f:
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
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
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
