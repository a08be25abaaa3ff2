"""The folder lock: an OS lock that keeps a data folder to one copy of the app at a time."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

if os.name == "nt":
    import msvcrt
else:
    import fcntl

__all__ = ["LOCK_FILE", "FolderInUse", "FolderLock"]

# Held locked by the one copy of the app that has the folder open. It stays in the folder:
# the OS lock on it, not the file, says whether the folder is in use.
LOCK_FILE = ".kompas.lock"


class FolderInUse(Exception):
    """Another copy of the app has this data folder open: two writers would each overwrite the other's changes."""

    def __init__(self, folder: Path):
        super().__init__(f"{folder} is in use by another copy of the app")
        self.folder = folder


class FolderLock:
    """An OS lock on the lock file in the data folder: held while a store is open, gone with its process.

    Being an OS lock (flock on POSIX, msvcrt.locking on Windows), it cannot go stale:
    a copy of the app that was killed holds nothing, so the next start is never blocked.
    """

    def __init__(self, fd: int):
        self._fd: int | None = fd

    @classmethod
    def take(cls, folder: Path) -> FolderLock | None:
        """The folder's lock, or None where there can be none: a read-only folder, a file system without locks."""
        path = folder / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            try:  # A read-only folder may still have the lock file from earlier: lock that.
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                return None
        try:
            _lock(fd)
        except OSError as error:
            os.close(fd)
            if error.errno in _IN_USE:
                raise FolderInUse(folder) from None
            # A file system without locks (some network shares): open as the app did before it locked.
            return None
        return cls(fd)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                _unlock(fd)
            os.close(fd)

    # A store dropped without close() (a command that just returns) lets go of the folder too.
    def __del__(self) -> None:
        try:
            self.release()
        except Exception:  # noqa: BLE001 - at interpreter exit the OS lets go anyway
            pass


if os.name == "nt":
    _IN_USE = (errno.EACCES, errno.EDEADLOCK)

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    _IN_USE = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
