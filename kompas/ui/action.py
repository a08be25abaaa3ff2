"""Choosing the one concrete action for the coming period, in the client's own words."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Callable

import flet as ft

from kompas.content import CONDITIONS
from kompas.i18n import _
from kompas.model import ActionHint, Condition, Kompas, action_hints, default_look_back
from kompas.screens import COMPASS_POINTS, Screen, ScreenKind, format_date
from kompas.ui import theme
from kompas.ui.widgets import Body, Card, Heading, Pictogram, TextInput, name_of, report, show_message
from kompas.workbook import Workbook

_HINTS = {
    ActionHint.LONG: lambda: _("Het is een hele zin. Past het in één kleine stap?"),
    ActionHint.VAGUE: lambda: _("Wat ga je precies doen? Met wie, en waar?"),
    ActionHint.FAR_AWAY: lambda: _("De datum is ver weg. Kies liever een dag in de komende weken."),
    ActionHint.IN_THE_PAST: lambda: _("Die datum is al voorbij. Kies een dag die nog komt."),
}


def ConditionChoice(selected: Condition | None, on_select: Callable[[Condition], None]) -> ft.Control:
    def option(condition: Condition) -> ft.Control:
        chosen = condition is selected
        label = (_("{condition}: gekozen", condition=name_of(condition)) if chosen
                 else _("Kies {condition}", condition=name_of(condition)))
        return ft.Semantics(button=True, selected=chosen, label=label, content=ft.Container(
            ft.Row(
                [
                    Pictogram(condition, 40, label=""),
                    ft.Text(name_of(condition), size=theme.TEXT_BODY, color=theme.INK,
                            weight=ft.FontWeight.BOLD if chosen else ft.FontWeight.NORMAL),
                    *([ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.INK)] if chosen else []),
                ],
                spacing=theme.GAP,
                tight=True,
            ),
            bgcolor=theme.CONDITION_COLOURS[condition],
            border=ft.Border.all(3 if chosen else 1, theme.INK if chosen else theme.LINE),
            border_radius=theme.RADIUS,
            padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            on_click=lambda: on_select(condition),
            ink=True,
        ))

    return ft.Row([option(c) for c in COMPASS_POINTS], wrap=True, spacing=theme.GAP, run_spacing=theme.GAP)


@ft.component
def ActionView(kompas: Kompas, workbook: Workbook, today: date, suggested: Condition | None, go: Callable[[Screen], None]) -> ft.Control:
    page = ft.context.page
    current = kompas.action
    text, set_text = ft.use_state(current.text if current else "")
    condition, set_condition = ft.use_state(suggested or (current.condition if current else None))
    helper, set_helper = ft.use_state(current.helper if current else "")
    first_step, set_first_step = ft.use_state(current.first_step if current else "")
    look_back, set_look_back = ft.use_state(
        date.fromisoformat(current.look_back) if current else default_look_back(today)
    )

    def pick_example(example: str, of: Condition) -> None:
        set_text(_(example))
        set_condition(of)

    def store() -> None:
        outcome = workbook.choose_action(text, condition, look_back, helper=helper, first_step=first_step)
        # Home shows the chosen action big and on top: that is the confirmation.
        if report(page, outcome):
            go(Screen(ScreenKind.HOME))

    def choose() -> None:
        if not text.strip():
            show_message(page, _("Schrijf eerst op wat je gaat doen. Of tik op een voorbeeld."))
            return
        if condition is None:
            show_message(page, _("Kies bij welk deel van je kompas deze actie hoort."))
            return
        hints = action_hints(text, look_back, today)
        if not hints:
            store()
            return

        def answer(go_on: bool) -> None:
            page.pop_dialog()
            if go_on:
                store()

        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(_("Kun je dit in de komende weken doen?"), size=theme.TEXT_LARGE),
                content=ft.Column([Body(_HINTS[h]()) for h in hints], tight=True, spacing=theme.GAP),
                actions=[
                    ft.TextButton(_("Ik maak het kleiner"), on_click=lambda: answer(False)),
                    ft.FilledButton(_("Ja, dat lukt"), on_click=lambda: answer(True)),
                ],
            )
        )

    def pick_date() -> None:
        def changed(e) -> None:
            if e.control.value:
                set_look_back(e.control.value.date() if isinstance(e.control.value, datetime) else e.control.value)

        page.show_dialog(
            ft.DatePicker(
                value=datetime.combine(look_back, time()),
                first_date=datetime.combine(today, time()),
                last_date=datetime.combine(date(today.year + 2, 12, 31), time()),
                help_text=_("Wanneer kijken we terug?"),
                cancel_text=_("Annuleren"),
                confirm_text=_("Kiezen"),
                on_change=changed,
            )
        )

    examples_of = [condition] if condition else list(COMPASS_POINTS)
    examples = [
        ft.OutlinedButton(
            _(example),
            on_click=lambda e, x=example, c=c: pick_example(x, c),
            tooltip=_("Voorbeeld gebruiken"),
        )
        for c in examples_of
        for example in CONDITIONS[c].example_actions
    ]
    return ft.Column(
        [
            Card(
                Heading(_("Mijn actie voor de komende weken"), theme.TEXT_TITLE),
                Body(_("Eén kleine stap die je echt kunt doen. In je eigen woorden.")),
                TextInput(_("Wat ga je doen?"), text, on_change=set_text, multiline=True),
                Body(_("Voorbeelden. Tik erop en maak het van jou:"), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
                ft.Row(examples, wrap=True, spacing=theme.GAP, run_spacing=theme.GAP),
            ),
            Card(
                Heading(_("Bij welk deel hoort het?")),
                ConditionChoice(condition, set_condition),
            ),
            Card(
                Heading(_("Wie helpt je? (mag leeg blijven)")),
                TextInput(_("Wie helpt"), helper, on_change=set_helper),
                Heading(_("Wat is het eerste kleine stapje? (mag leeg blijven)")),
                TextInput(_("Eerste stapje"), first_step, on_change=set_first_step, multiline=True),
                Heading(_("Wanneer kijken we terug?")),
                Body(format_date(look_back, today)),
                ft.OutlinedButton(_("Andere datum kiezen"), icon=ft.Icons.CALENDAR_MONTH, on_click=pick_date),
            ),
            ft.FilledButton(_("Kies deze actie"), icon=ft.Icons.CHECK, on_click=choose),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
