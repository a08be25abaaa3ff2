"""The legacy move: the kompas from before the shelf, lying loose in the data folder, moved onto the shelf whole."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

from kompas.base.files import PRIVATE_FOLDER, sync_folder
from kompas.base.resources import POSTER_FOLDER
from kompas.media.photos import PHOTO_FOLDER
from kompas.store.storage import DB_FILE, StoreProblem

__all__ = ["MOVING", "loose_items", "move_in"]

# Inside the shelf folder: the kompas from before the shelf, being moved in. A crash may leave it; the next move
# finishes it.
MOVING = ".verhuizing"


def loose_items(data_dir: Path) -> list[Path]:
    """What the app wrote in the data folder before the shelf: the kompas and all that belongs to it."""
    # Temp files of writes a crash cut off (the store clears them), kompas files kept aside as unreadable.
    items = sorted(data_dir.glob(f".{DB_FILE}.*.tmp"))
    items += sorted(data_dir.glob(f"kompas.{StoreProblem.UNREADABLE.value}-*.json"))
    # The kompas itself goes last. While it is still loose its photos are too, so an older app started in between
    # finds them with their kompas; it would take photos without their kompas for left-overs and delete them.
    whole = [data_dir / name for name in (POSTER_FOLDER, PHOTO_FOLDER, DB_FILE)]
    return items + [item for item in whole if item.exists() or item.is_symlink()]


def move_in(data_dir: Path, shelf_folder: Path, card_for: Callable[[Path], str]) -> Iterator[tuple[str, int]]:
    """Move the kompas from before the shelf, lying loose in `data_dir`, into `shelf_folder` as one kompas; yield
    each kompas moved in (its id, and how many items came along) once it is on the shelf.

    `card_for(waiting_folder)` makes sure the waiting folder holds a card the shelf can use, and gives its id.
    Only renames, never a copy: each file or folder is at its old place or its new one, never both, never
    neither. The steps, each finished by the next open after a crash at any point:
    1. a waiting folder (.verhuizing) gets a card, unless it has a readable one from a crash before;
    2. each loose file or folder is renamed into it, one by one, the kompas file last; nothing already there
       is ever replaced;
    3. the waiting folder is renamed to the kompas's id: on the shelf with everything at once.
    Anything still loose after that (an older app wrote again in between) goes onto the shelf next to it.
    """
    moving = shelf_folder / MOVING
    for _ in range(100):  # one round per kompas: more would mean the old app writes on and on
        items = loose_items(data_dir)
        if not items and not moving.exists():
            return
        moving.mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
        card_id = card_for(moving)
        moved = 0
        # A name in both places means an older app wrote again after a crash cut the move off: the waiting
        # kompas goes onto the shelf as it is, and the loose one, kept together, goes next round.
        if not any((moving / item.name).exists() or (moving / item.name).is_symlink() for item in items):
            for item in items:
                os.replace(item, moving / item.name)
                moved += 1
        sync_folder(data_dir, quiet=True)
        sync_folder(moving, quiet=True)
        os.replace(moving, shelf_folder / card_id)
        sync_folder(shelf_folder, quiet=True)
        yield card_id, moved
    raise OSError("the data folder keeps getting a loose kompas; is an older app still writing there?")
