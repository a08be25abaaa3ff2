"""What home draws, as Flet controls built without a page: the words on each condition's tile."""

from __future__ import annotations

import flet as ft

from kompas.model import Condition
from kompas.screens import ConditionTile
from kompas.ui.home import ConditionButton


def words(control) -> list[str]:
    """The texts inside `control`, in order."""
    found = [control.value] if isinstance(control, ft.Text) else []
    for name in ("content", "controls"):
        inner = getattr(control, name, None)
        for child in inner if isinstance(inner, list) else [inner] if inner is not None else []:
            found += words(child)
    return found


def test_a_condition_tile_at_home_says_how_many_notes_and_photos_it_has():
    def tile(notes: int, photos: int) -> list[str]:
        return words(ConditionButton(ConditionTile(Condition.MEEDOEN, notes, 0, False, photos), lambda s: None, False))

    assert tile(5, 1) == ["Meedoen", "5 notities", "1 foto"]
    assert tile(0, 2) == ["Meedoen", "2 foto's"]
    assert tile(0, 0) == ["Meedoen", "Nog leeg"]
