"""Choosing the one concrete action for the coming period, in the client's own words."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Callable

import flet as ft

from kompas.domain.content import CONDITIONS
from kompas.domain.model import Condition, Kompas, action_hints
from kompas.i18n import _, current_language, format_date
from kompas.screens.action import (
    ADJUST,
    CAN_YOU,
    CHOOSE,
    EXAMPLES,
    FIRST_STEP,
    HEADING,
    INTRO,
    OTHER_DATE,
    SMALLER,
    WHAT,
    WHEN,
    WHICH_PART,
    WHO_HELPS,
    YES,
    action_form,
)
from kompas.screens.readaloud import ACTION_HINTS, action_question_aloud
from kompas.screens.state import COMPASS_POINTS, Screen, ScreenKind
from kompas.ui import theme
from kompas.ui.fields import TextInput, use_field, use_text
from kompas.ui.messages import report, show_message
from kompas.ui.record import FormVoice
from kompas.ui.voice import Asked, SpeakButton
from kompas.ui.widgets import Body, Card, ConditionChip, Heading, Pictogram, name_of
from kompas.workbook.workbook import Workbook


def ConditionChoice(selected: Condition | None, on_select: Callable[[Condition], None]) -> ft.Control:
    def option(condition: Condition) -> ft.Control:
        chosen = condition is selected
        label = (_("{condition}: gekozen", condition=name_of(condition)) if chosen
                 else _("Kies {condition}", condition=name_of(condition)))
        row = ft.Row(
            [
                Pictogram(condition, theme.PICTOGRAM_CHIP, label=""),
                ft.Text(name_of(condition), size=theme.TEXT_BODY, color=theme.INK,
                        weight=ft.FontWeight.BOLD if chosen else ft.FontWeight.NORMAL),
                *([ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.INK)] if chosen else []),
            ],
            spacing=theme.GAP,
            tight=True,
        )
        return ConditionChip(condition, chosen, label, lambda: on_select(condition), row,
                             padding=ft.Padding.symmetric(horizontal=theme.PHONE_EDGE, vertical=theme.GAP))

    return ft.Row([option(c) for c in COMPASS_POINTS], wrap=True, spacing=theme.GAP, run_spacing=theme.GAP)


@ft.component
def ActionView(kompas: Kompas, workbook: Workbook, today: date, suggested: Condition | None,
               go: Callable[[Screen], None]) -> ft.Control:
    page = ft.context.page
    form = action_form(kompas, today, suggested)
    current = form.current
    text = use_text(form.text)
    condition, set_condition, condition_now = use_field(form.condition)
    helper = use_text(form.helper)
    first_step = use_text(form.first_step)
    look_back, set_look_back, look_back_now = use_field(form.look_back)

    def pick_example(example: str, of: Condition) -> None:
        text.put(_(example))
        set_condition(of)

    def store() -> None:
        outcome = workbook.choose_action(text.current, condition_now.current, look_back_now.current, today,
                                         helper=helper.current, first_step=first_step.current)
        # Home shows the chosen action big and on top: that is the confirmation.
        if report(page, outcome):
            go(Screen(ScreenKind.HOME))

    def choose() -> None:
        if not text.current.strip():
            show_message(page, _("Schrijf eerst op wat je gaat doen. Of tik op een voorbeeld."))
            return
        if condition_now.current is None:
            show_message(page, _("Kies bij welk deel van je kompas deze actie hoort."))
            return
        hints = action_hints(text.current, look_back_now.current, today, current_language())

        def answer(go_on: bool) -> None:
            # Close this dialog itself: a date picker closed a moment ago may still sit on the dialog stack.
            dialog.open = False
            dialog.update()
            if go_on:
                store()

        # Always one gentle question before the action is set; remarks only where they apply.
        question = _(CAN_YOU)
        typed = text.current
        dialog = ft.AlertDialog(
            # A pop-up has its own speaker: the "Voorlezen" bar is behind it.
            title=ft.Row([ft.Text(question, size=theme.TEXT_LARGE, expand=True),
                          SpeakButton(_("Voorlezen: {question}", question=question),
                                      lambda: action_question_aloud(typed, hints))],
                         vertical_alignment=ft.CrossAxisAlignment.START),
            content=ft.Column(
                [Body(_("‘{action}’", action=text.current.strip()), italic=True),
                 *[Body(_(ACTION_HINTS[h])) for h in hints]],
                tight=True, spacing=theme.GAP,
            ),
            actions=[
                ft.TextButton(_(SMALLER if hints else ADJUST),
                              on_click=lambda: answer(False)),
                ft.FilledButton(_(YES), on_click=lambda: answer(True)),
            ],
        )
        page.show_dialog(dialog)

    def pick_date() -> None:
        def changed(e) -> None:
            if e.control.value:
                set_look_back(e.control.value.date() if isinstance(e.control.value, datetime) else e.control.value)

        page.show_dialog(
            ft.DatePicker(
                value=datetime.combine(max(look_back_now.current, today), time()),
                first_date=datetime.combine(today, time()),
                last_date=datetime.combine(date(today.year + 2, 12, 31), time()),
                help_text=_(WHEN),
                cancel_text=_("Annuleren"),
                confirm_text=_("Kiezen"),
                on_change=changed,
            )
        )

    examples_of = [condition] if condition else list(COMPASS_POINTS)
    examples = [
        ft.OutlinedButton(_(example), on_click=lambda e, x=example, c=c: pick_example(x, c))
        for c in examples_of
        for example in CONDITIONS[c].example_actions
    ]
    return ft.Column(
        [
            Card(
                Heading(_(HEADING), theme.TEXT_TITLE),
                Body(_(INTRO)),
                Asked(TextInput(_(WHAT), text.current, on_change=text.typed, multiline=True, reset=text.reset), WHAT),
                FormVoice(kompas, workbook, "actie", _("Inspreken: wat ga je doen?"), _("bij je actie"),
                          attached=current.voice if current else None, attach=workbook.set_action_voice),
                Body(_(EXAMPLES), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
                ft.Row(examples, wrap=True, spacing=theme.GAP, run_spacing=theme.GAP),
            ),
            Card(
                Asked(Heading(_(WHICH_PART)), WHICH_PART),
                ConditionChoice(condition, set_condition),
            ),
            Card(
                Asked(Heading(_(WHO_HELPS)), WHO_HELPS),
                TextInput(_("Wie helpt"), helper.current, on_change=helper.typed),
                Asked(Heading(_(FIRST_STEP)), FIRST_STEP),
                TextInput(_("Eerste stapje"), first_step.current, on_change=first_step.typed, multiline=True),
                Asked(Heading(_(WHEN)), WHEN),
                Body(format_date(look_back, today)),
                ft.OutlinedButton(_(OTHER_DATE), icon=ft.Icons.CALENDAR_MONTH, on_click=pick_date),
            ),
            ft.FilledButton(_(CHOOSE), icon=ft.Icons.CHECK, on_click=choose),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
