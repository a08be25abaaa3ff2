"""Small building blocks shared by the screens: a pictogram with its word, buttons, cards, headings and a busy sign."""

from __future__ import annotations

import asyncio
from typing import Callable

import flet as ft

from kompas.base.resources import pictogram
from kompas.domain.content import CONDITIONS, STEPS
from kompas.domain.model import Condition, Step
from kompas.domain.words import writes_right_to_left
from kompas.i18n import _
from kompas.ui import theme

# Seconds of a still hourglass before a busy sign starts turning (see Busy).
TURN_AFTER = 1.5


def name_of(subject: Condition | Step) -> str:
    texts = CONDITIONS if isinstance(subject, Condition) else STEPS
    return _(texts[subject].name)


def Pictogram(subject: Condition | Step | str, size: int = theme.PICTOGRAM, label: str | None = None) -> ft.Control:
    """A pictogram image; its label tells screen readers what it shows."""
    return ft.Image(
        src=pictogram(subject),
        width=size,
        height=size,
        semantics_label=label if label is not None else (name_of(subject) if not isinstance(subject, str) else None),
        exclude_from_semantics=label == "",
    )


def Labelled(subject: Condition | Step, size: int = theme.PICTOGRAM, text_size: int = theme.TEXT_BODY) -> ft.Control:
    """A pictogram with its word beside it: never one without the other. A word too wide to stand beside it (a long
    one, or the text at 200%) goes under it, whole, rather than broken in two."""
    return ft.Row(
        [
            Pictogram(subject, size, label=""),
            ft.Text(name_of(subject), size=text_size, weight=ft.FontWeight.BOLD, color=theme.INK),
        ],
        spacing=theme.GAP * 1.5,
        run_spacing=theme.GAP,
        wrap=True,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )


def LabelledSwitch(label: str, value: bool, on_change: Callable[[bool], None]) -> ft.Control:
    """A switch with its words beside it, or above it when they need the whole width: Flet's own label never wraps,
    so a long one was cut off, and in a right-to-left screen pushed the switch off its card. The whole row is one
    switch to tap and to hear."""
    return ft.MergeSemantics(content=ft.Container(
        ft.Row([ft.Text(label, size=theme.TEXT_BODY, color=theme.INK),
                ft.Switch(value=value, on_change=lambda e: on_change(bool(e.control.value)))],
               spacing=theme.GAP, run_spacing=4, wrap=True, alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
               vertical_alignment=ft.CrossAxisAlignment.CENTER),
        on_click=lambda: on_change(not value), ink=True, border_radius=theme.RADIUS / 2,
        padding=ft.Padding.symmetric(vertical=4),
    ))


def Spoken(label: str, content: ft.Control) -> ft.Control:
    """`content` as screen readers hear it: `label`, and not the words drawn inside once more."""
    return ft.Semantics(label=label, exclude_semantics=True, content=content)


def OneButton(control: ft.Control, label: str | None = None, selected: bool | None = None) -> ft.Control:
    """A button as one node for screen readers: its name, its state and its tap, with nothing unnamed beside it."""
    return ft.MergeSemantics(content=ft.Semantics(label=label, button=True, selected=selected, content=control))


def Tappable(label: str, on_click: Callable[[], None], content: ft.Control, selected: bool | None = None,
             **container) -> ft.Control:
    """A tile that acts as one button with one name."""
    return OneButton(ft.Container(Spoken(label, content), on_click=on_click, ink=True, **container), selected=selected)


def IconAction(icon: ft.IconData, label: str, on_click: Callable[[], None], color: str = theme.INK,
               tooltip: bool = False) -> ft.Control:
    """An icon button with a name and a full 48 px tap area; `tooltip`: its word also shows on hover or a long press,
    for a pictogram that stands without its word (the header's)."""
    return OneButton(ft.IconButton(
        icon,
        icon_color=color,
        on_click=on_click,
        size_constraints=ft.BoxConstraints(min_width=theme.TAP, min_height=theme.TAP),
        # While it shows, Flutter puts the tooltip's words in the button's name a second time: only where needed.
        tooltip=ft.Tooltip(message=label, exclude_from_semantics=True) if tooltip else None,
    ), label)


def NamedButton(text: str, name: str, icon: ft.IconData, on_click: Callable[[], None],
                filled: bool = True) -> ft.Control:
    """A button whose short word is on screen and whose full name is what screen readers say.

    `filled`: the one main step of a card; the others have an outline.
    """
    ink = theme.ON_ACCENT if filled else theme.ACCENT
    return Tappable(
        name, on_click,
        ft.Row([ft.Icon(icon, color=ink, size=20),
                ft.Text(text, size=theme.TEXT_BODY, weight=ft.FontWeight.W_600, color=ink)],
               alignment=ft.MainAxisAlignment.CENTER, spacing=theme.GAP, tight=True),
        bgcolor=theme.ACCENT if filled else None, border=None if filled else ft.Border.all(1, theme.ACCENT),
        border_radius=theme.RADIUS, alignment=ft.Alignment.CENTER,
        padding=ft.Padding.symmetric(horizontal=20, vertical=14),
    )


def ConditionChip(condition: Condition, selected: bool, label: str, on_click: Callable[[], None],
                  content: ft.Control, **layout) -> ft.Control:
    """A tappable tile in a condition's colour; a thick dark border shows which one is chosen."""
    return Tappable(
        label, on_click, content, selected=selected,
        bgcolor=theme.CONDITION_COLOURS[condition],
        border=ft.Border.all(3 if selected else 1, theme.INK if selected else theme.LINE),
        border_radius=theme.RADIUS,
        **layout,
    )


def Card(*controls: ft.Control, bgcolor: str = theme.CARD, key: str | None = None) -> ft.Control:
    return ft.Container(
        ft.Column(list(controls), spacing=theme.GAP * 1.5, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        bgcolor=bgcolor,
        border_radius=theme.RADIUS,
        border=ft.Border.all(1, theme.LINE),
        padding=theme.PAD,
        key=key,
    )


def Heading(text: str, size: int = theme.TEXT_LARGE, own: bool = False) -> ft.Control:
    """A heading; `own`: the client's words, laid out in their own direction (see OwnWords)."""
    return ft.Text(text, size=size, weight=ft.FontWeight.BOLD, color=theme.INK, **(own_direction(text) if own else {}))


def Body(text: str, size: int = theme.TEXT_BODY, italic: bool = False, color: str = theme.INK,
         own: bool = False) -> ft.Control:
    return ft.Text(text, size=size, color=color, italic=italic, selectable=False,
                   **(own_direction(text) if own else {}))


def own_direction(text: str) -> dict[str, bool]:
    """The client's own words read in their own direction: an Arabic note from right to left on a Dutch screen.

    Flet sends only rtl=True, so the other way round (Dutch words on an Arabic screen) keeps the screen's direction;
    Flutter's bidi algorithm still puts each word's letters in order there.
    """
    return {"rtl": True} if writes_right_to_left(text) else {}


def Said(words: str, good: bool = False) -> ft.Control:
    """What the last try did, in place under its form: it stays until the next try (a snackbar is gone before a slow
    reader is done), and a screen reader says it as it comes."""
    return ft.Semantics(live_region=True, content=Body(words, color=theme.INK if good else theme.DANGER))


@ft.component
def Busy(text: str) -> ft.Control:
    """Something takes a moment: in words what is being done, with an hourglass that turns into a turning ring
    once it takes longer than TURN_AFTER.

    A turning ring draws a frame every 16 ms; in a browser without a graphics chip those frames took more of the
    processor than cleaning the photo itself (tools/bench_photos.py), and most waits are over within a second.
    """
    page = ft.context.page
    turning, set_turning = ft.use_state(False)

    def start():
        async def later() -> None:
            await asyncio.sleep(TURN_AFTER)
            set_turning(True)

        return page.run_task(later).cancel

    ft.use_effect(start, [])
    sign = ft.ProgressRing(width=28, height=28) if turning else ft.Icon(ft.Icons.HOURGLASS_TOP, size=28, color=theme.INK)
    return ft.Row([sign, Body(text)])
