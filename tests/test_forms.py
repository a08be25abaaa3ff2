"""A form field's words are read from the field itself when a button needs them, not from a handler still on its way."""

from __future__ import annotations

import flet as ft

from kompas.ui.fields import FormText


def test_a_tap_right_after_typing_reads_what_the_field_holds():
    form = FormText("", lambda change: None)
    field = ft.TextField(value="")
    form.bind(field)
    # Flet sets the field's value from the browser in order, before the tap that follows; the change handler, run in
    # a worker thread, may come later. The tap must see the passphrase all the same.
    field.value = "zee en wind 7"
    assert form.current == "zee en wind 7"
    form.typed("zee en wind 7")
    # Emptied by the app (after making the copy): empty at once, before the field is drawn again.
    form.put("")
    assert form.current == ""


def test_a_form_without_its_field_keeps_what_was_typed():
    form = FormText("begin", lambda change: None)
    assert form.current == "begin"
    form.typed("begin en meer")
    assert form.current == "begin en meer"
