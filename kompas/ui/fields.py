"""Text fields whose words are the client's: typed words never lost to a redraw, stored as they are typed."""

from __future__ import annotations

from typing import Callable

import flet as ft

from kompas.i18n import _
from kompas.ui import theme
from kompas.ui.messages import report
from kompas.ui.widgets import IconAction
from kompas.workbook.drafts import Draft
from kompas.workbook.workbook import Outcome


def use_field(initial):
    """State for a choice (a condition, a date), and a ref that always holds its latest value.

    Click handlers read the ref: a tap that reaches the server right after the last
    change, before the redraw that would give it a fresh closure, still sees it.
    """
    value, set_value = ft.use_state(initial)
    latest = ft.use_ref(initial)

    def update(new) -> None:
        latest.current = new
        set_value(new)

    return value, update, latest


class FormText:
    """The words in one form field: typing only updates `current`; `put` replaces what the field shows.

    `current` is read from the field itself once a TextInput is bound to it. Flet applies what the browser typed
    to the field in the order it arrives, before the tap that follows, but runs a plain change handler in a worker
    thread: a quick tap on "Kopie maken" or "Openen" could otherwise run first and miss the last letters, and a
    passphrase typed a moment before would be lost (the copy made without it).

    The field is drawn anew each time its screen is, and Flet 1.0.5 applies what the browser sent through its session
    index, which takes up the new field object only after the drawing: so the field objects of the last few drawings
    are kept with the words each was drawn with, and the one whose words the browser changed is the one that counts.
    (A safeguard: a PIN seen lost under two CPU burners was lost before it reached the server at all.)
    """

    _KEPT = 4  # drawings whose field may still hear from the browser

    def __init__(self, initial: str, bump: Callable[[Callable[[int], int]], None]):
        self._text = initial
        self._fields: list[tuple[ft.TextField, object]] = []  # (a drawing's field, the words it was drawn with)
        self.reset = 0
        self._bump = bump

    @property
    def current(self) -> str:
        for field, drawn in reversed(self._fields):
            if field.value != drawn and isinstance(field.value, str):
                return field.value  # typed into since it was drawn
        if self._fields and isinstance(self._fields[-1][0].value, str):
            return self._fields[-1][0].value
        return self._text

    def bind(self, field: ft.TextField) -> None:
        self._fields = [*self._fields[-(self._KEPT - 1):], (field, field.value)]

    def typed(self, text: str) -> None:
        # No redraw: the browser already shows what was typed, and a redraw could only show less.
        self._text = text

    def put(self, text: str) -> None:
        """Show `text` in the field (an example tapped, or the field emptied after adding)."""
        self._text = text
        self._fields = []  # until the field is drawn again with these words, they are the form's own
        self._bump(lambda n: n + 1)


def use_text(initial: str = "") -> FormText:
    reset, set_reset = ft.use_state(0)
    form = ft.use_ref(lambda: FormText(initial, set_reset))
    form.current.reset = reset
    return form.current


@ft.component
def TextInput(
    label: str,
    value: str = "",
    on_change: Callable[[str], None] | None = None,
    on_submit: Callable[[str], None] | None = None,
    on_blur: Callable[[str], None] | None = None,
    multiline: bool = False,
    hint: str | None = None,
    reset: int = 0,
    secret: bool = False,
    passphrase: bool = False,
) -> ft.Control:
    """A text field that belongs to the client while they are in it; `secret` hides what is typed (a PIN), as
    `passphrase` does for a longer one, with an eye to show it.

    The server tells the field what to show only when `value` changed while the
    client was elsewhere, or when `reset` changes. Otherwise a redraw hands the
    field the very text the browser last reported, so no change goes out:
    keystrokes are still on their way to the server, and an older value sent back
    would wipe out the newest letters.
    """
    shown = ft.use_ref(None)  # (reset, value) as last sent to the browser
    inside = ft.use_ref(False)
    field = ft.use_ref(None)  # the field as drawn last; the browser's changes land on it
    if shown.current is None or shown.current[0] != reset or (not inside.current and shown.current[1] != value):
        send = value
        shown.current = (reset, value)
    else:
        send = field.current.value

    def changed(e) -> None:
        inside.current = True
        if on_change:
            on_change(e.control.value)

    def focused(e) -> None:
        inside.current = True

    def left(e) -> None:
        inside.current = False
        if on_blur:
            on_blur(e.control.value)

    revealed, set_revealed = ft.use_state(False)
    secret_options = dict(password=True, keyboard_type=ft.KeyboardType.NUMBER,
                          max_length=6) if secret else dict(password=not revealed) if passphrase else {}
    field.current = text_field(
        None, send, hint=hint, multiline=multiline, on_change=changed, on_focus=focused, on_blur=left,
        on_submit=(lambda e: on_submit(e.control.value)) if on_submit else None, **secret_options,
    )
    # A form's words are read from this field at the moment a button needs them (see FormText).
    form = getattr(on_change, "__self__", None)
    if isinstance(form, FormText):
        form.bind(field.current)
    named = LabelAbove(label, field.current)
    if not passphrase:
        return named
    # The eye that shows the passphrase, beside the field and with a name of its own (inside the field, it would be
    # merged into the field's name).
    eye = IconAction(ft.Icons.VISIBILITY_OFF if revealed else ft.Icons.VISIBILITY,
                     _("Wachtwoord verbergen") if revealed else _("Wachtwoord laten zien"),
                     lambda: set_revealed(not revealed), color=theme.INK_SOFT)
    return ft.Row([ft.Container(named, expand=True), eye], spacing=0, vertical_alignment=ft.CrossAxisAlignment.END)


def LabelAbove(label: str, field: ft.TextField) -> ft.Control:
    """A field with its label above it, in as many lines as the label needs.

    On the field's border, a long label (or any label, with the text at 200%) wrapped over the border and over
    what was typed. Screen readers still hear the label as the field's name, once.
    """
    return ft.MergeSemantics(content=ft.Column([ft.Text(label, size=theme.TEXT_BODY, color=theme.INK), field],
                                               spacing=4, horizontal_alignment=ft.CrossAxisAlignment.STRETCH))


def text_field(label: str | None, value: str | None, hint: str | None = None, multiline: bool = False,
               **events) -> ft.TextField:
    """The look of every text field: large text, a clear label (or none: see LabelAbove), a white box."""
    return ft.TextField(
        label=label,
        value=value,
        hint_text=hint,
        multiline=multiline,
        min_lines=1,
        max_lines=6 if multiline else 1,
        text_size=theme.TEXT_BODY,
        border_radius=theme.RADIUS / 2,
        bgcolor=theme.CARD,
        shift_enter=multiline,
        # What Flutter brings into view around the cursor when the field gets the focus (a Tab, a tap): Flutter's
        # 20 px below it left the bottom of a field of several lines just under the screen's edge.
        scroll_padding=ft.Padding.only(left=20, top=20, right=20, bottom=48),
        **events,
    )


def use_draft(save: Callable[[str], Outcome]) -> Draft:
    """A Draft for a field that stores as the client types, reporting failures; flushed when the screen goes."""
    page = ft.context.page
    latest = ft.use_ref(lambda: save)
    latest.current = save

    def store(text: str) -> bool:
        outcome = latest.current(text)
        report(page, outcome)
        return outcome is Outcome.SAVED

    draft = ft.use_ref(lambda: Draft(store))
    # Leaving the screen (or the dialog) stores what is still pending.
    ft.use_effect(lambda: None, [], cleanup=lambda: draft.current.flush())
    return draft.current


@ft.component
def StoredText(label: str, stored: str, save: Callable[[str], Outcome], multiline: bool = False,
               hint: str | None = None) -> ft.Control:
    """A field stored as the client types: at most twice a second, and at once when they leave it."""
    draft = use_draft(save)
    return TextInput(label, stored, on_change=draft.type, on_blur=lambda _text: draft.flush(), multiline=multiline,
                     hint=hint)
