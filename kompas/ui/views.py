"""Each screen's view inside an open kompas, in one table beside its row in kompas/screens/registry.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

import flet as ft

from kompas.domain.model import Kompas
from kompas.screens.registry import route_of
from kompas.screens.state import Screen, ScreenKind
from kompas.ui.about import AboutView
from kompas.ui.action import ActionView
from kompas.ui.album import AlbumView
from kompas.ui.carry import TakeAlongView
from kompas.ui.condition import ConditionView
from kompas.ui.files import KompasFiles
from kompas.ui.poster import PosterView
from kompas.ui.progress import CheckInView, LookBackView, TimelineView
from kompas.ui.reach import Reach
from kompas.ui.settings import SettingsView
from kompas.workbook.session import Library, Session
from kompas.workbook.workbook import Workbook

__all__ = ["VIEWS", "Exits", "Opened"]


@dataclass(frozen=True)
class Exits:
    """The ways out of an open kompas, always in reach: lock it, hide it at once, or go back to the shelf."""

    lock: Callable[[], None]
    hide: Callable[[], None]
    leave: Callable[[], None]
    language: Callable[[], None]  # not a way out, but in reach on every screen all the same
    door_changed: Callable[[], None]  # the tab title follows a kompas made discreet at once


@dataclass(frozen=True)
class Opened:
    """What the view of a screen inside an open kompas is drawn from."""

    screen: Screen
    library: Library
    session: Session
    reach: Reach | None
    workbook: Workbook
    files: KompasFiles
    today: date
    go: Callable[[Screen], None]
    exits: Exits

    @property
    def kompas(self) -> Kompas:
        return self.workbook.kompas


def _condition_view(o: Opened) -> ft.Control | None:
    condition = o.screen.condition
    return ConditionView(condition, o.kompas, o.workbook, o.files, o.go) if condition else None


# Each screen's view, beside its row in kompas/screens/registry.py (its route, title and words). Home has none of its
# own: it is the compass, beside every other screen on a wide layout. A view keyed by its route starts afresh when
# the same view opens for another screen (an action for another condition).
VIEWS: dict[ScreenKind, Callable[[Opened], ft.Control | None]] = {
    ScreenKind.CONDITION: _condition_view,
    ScreenKind.ACTION: lambda o: ActionView(o.kompas, o.workbook, o.today, o.screen.condition, o.go,
                                            key=route_of(o.screen)),
    ScreenKind.POSTER: lambda o: PosterView(o.kompas, o.workbook, o.files, o.today),
    ScreenKind.CHECK_IN: lambda o: CheckInView(o.kompas, o.workbook, o.files, o.today, o.go, key=route_of(o.screen)),
    ScreenKind.LOOK_BACK: lambda o: LookBackView(o.kompas, o.workbook, o.today, o.go, key=route_of(o.screen)),
    ScreenKind.TIMELINE: lambda o: TimelineView(o.kompas, o.files, o.today),
    ScreenKind.ALBUM: lambda o: AlbumView(o.kompas, o.workbook, o.files, o.today),
    ScreenKind.ABOUT: lambda o: AboutView(o.files),
    ScreenKind.SETTINGS: lambda o: SettingsView(o.library, o.session, o.reach, on_erased=o.exits.leave,
                                                on_door=o.exits.door_changed),
    ScreenKind.TAKE_ALONG: lambda o: TakeAlongView(o.library, o.session, o.files, o.reach, o.today,
                                                   on_erased=o.exits.leave),
}
