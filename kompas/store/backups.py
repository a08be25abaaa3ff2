"""A copy of the kompas as it was at the end of each day of use, in its own backups/ folder, seven days back."""

from __future__ import annotations

import logging
import os
import re
from datetime import date
from pathlib import Path
from typing import Callable

from kompas.base import clock
from kompas.base.files import PRIVATE_FOLDER, write_atomically
from kompas.domain.model import VOICE_FOLDER
from kompas.media.photos import PHOTO_FOLDER
from kompas.store import codec

__all__ = ["BACKUP_FOLDER", "KEEP", "Backups"]

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
# Seven days of use: a week back, enough to undo a mistake noticed only at the next appointment.
KEEP = 7

_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.json")
# What the app calls a photo file: a backup (edited by hand) that names anything else keeps nothing else.
_PHOTO_FILE = re.compile(rf"{PHOTO_FOLDER}/[0-9a-f]{{32}}(?:-klein)?\.jpg")


class Backups:
    """The backups of the kompas file at `path`; each is the whole file, named after the day it shows.

    Photos and voice notes are not copied: their files never change, and one that a backup still names is kept on
    the device (see files), so a backup costs the size of the kompas file alone, about 0.4 MB after five years.
    """

    def __init__(self, path: Path, today: Callable[[], date] = clock.today):
        self.path = path
        self.folder = path.parent / BACKUP_FOLDER
        self._today = today
        self._checked: date | None = None  # the day a backup was last seen to, so each write costs no stat after it

    def before_change(self) -> None:
        """At the first change of a day, keep the file as the last day of use left it.

        Named after that day, which its time of last change tells. A backup that cannot be written costs the
        client nothing now, so it never stops the change.
        """
        today = self._today()
        if self._checked == today:
            return
        self._checked = today
        try:
            changed = date.fromtimestamp(os.stat(self.path).st_mtime)
        except (OSError, ValueError, OverflowError):
            return  # no file yet: nothing to keep
        if changed >= today:
            return  # changed today already (or a clock that runs behind): this day's copy is made tomorrow
        try:
            self.keep(changed, self.path.read_bytes())
        except OSError as error:
            log.warning("a backup could not be made (%s)", type(error).__name__)

    def keep(self, day: date, raw: bytes) -> None:
        """Store `raw` as the backup of `day`, and let the oldest go beyond KEEP."""
        self.folder.mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
        write_atomically(self.folder / f"{day.isoformat()}.json", raw)
        for old in self.days()[KEEP:]:
            (self.folder / f"{old.isoformat()}.json").unlink(missing_ok=True)

    def days(self) -> list[date]:
        """The days there is a backup of, the newest first."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        days = []
        for name in names:
            match = _NAME.fullmatch(name)
            if match:
                try:
                    days.append(date.fromisoformat(match[1]))
                except ValueError:
                    continue
        return sorted(days, reverse=True)

    def read(self, day: date) -> bytes:
        return (self.folder / f"{day.isoformat()}.json").read_bytes()

    def files(self) -> set[str]:
        """Every photo file (photos/…jpg) and voice note (voice/…ogg) a backup names: these stay on the device while
        that backup is kept. A backup that cannot be read names nothing: it can never be gone back to."""
        names: set[str] = set()
        for day in self.days():
            try:
                named = codec.named_files(codec.parse(self.read(day)))
            except (OSError, *codec.DAMAGE):
                continue
            names.update(name for name in named if name.startswith(VOICE_FOLDER) or _PHOTO_FILE.fullmatch(name))
        return names
