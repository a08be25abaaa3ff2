"""What home draws, as Flet controls built without a page: the words on each condition's tile."""

from __future__ import annotations

from datetime import date

import flet as ft

from kompas.base.resources import pictogram
from kompas.domain.model import Condition, Kompas
from kompas.screens.state import ConditionTile, home_state
from kompas.ui.home import ActionCard, ConditionButton


def inside(control, kind: type) -> list:
    """The controls of `kind` inside `control`, in order."""
    found = [control] if isinstance(control, kind) else []
    for name in ("content", "controls"):
        inner = getattr(control, name, None)
        for child in inner if isinstance(inner, list) else [inner] if inner is not None else []:
            found += inside(child, kind)
    return found


def words(control) -> list[str]:
    """The texts inside `control`, in order."""
    return [text.value for text in inside(control, ft.Text)]


def test_a_condition_tile_at_home_says_how_many_notes_and_photos_it_has():
    def tile(notes: int, photos: int) -> list[str]:
        return words(ConditionButton(ConditionTile(Condition.MEEDOEN, notes, 0, False, photos), lambda s: None, False))

    assert tile(5, 1) == ["Meedoen", "5 notities", "1 foto"]
    assert tile(0, 2) == ["Meedoen", "2 foto's"]
    assert tile(0, 0) == ["Meedoen", "Nog leeg"]


def test_the_action_card_has_a_pictogram_of_its_own_beside_its_word():
    """Before an action is chosen (with one, the browser test sees the page ask for it)."""
    card = ActionCard(home_state(Kompas(), date(2026, 11, 21)).action, None, None, date(2026, 11, 21),
                      lambda screen: None)
    assert [image.src for image in inside(card, ft.Image)] == [pictogram("actie")]
    assert words(card)[0] == "Mijn actie"
