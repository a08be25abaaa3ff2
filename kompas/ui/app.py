"""The app shell: page set-up, routing, phone or wide layout, and the web server that serves it."""

from __future__ import annotations

import contextvars
from datetime import date
from pathlib import Path

import flet as ft

from kompas.content import STEPS
from kompas.drafts import flush_all
from kompas.i18n import _, current_language
from kompas.model import Step
from kompas.screens import Layout, Screen, ScreenKind, home_state, layout_for
from kompas.ui import theme
from kompas.ui.about import AboutView
from kompas.ui.action import ActionView
from kompas.ui.album import AlbumView
from kompas.ui.condition import ConditionView
from kompas.ui.home import HomeView
from kompas.ui.poster import PosterView
from kompas.ui.progress import CheckInView, LookBackView, TimelineView
from kompas.ui.widgets import Body, Card, Heading, IconAction, Labelled, name_of, show_message, store_problem_message
from kompas.workbook import Workbook


def _title(screen: Screen) -> str:
    if screen.kind is ScreenKind.CONDITION and screen.condition:
        return name_of(screen.condition)
    if screen.kind is ScreenKind.ACTION:
        return _("Mijn actie")
    if screen.kind is ScreenKind.ABOUT:
        return _("Over deze app")
    return {
        ScreenKind.POSTER: _("Poster"),
        ScreenKind.CHECK_IN: _("Hoe gaat het?"),
        ScreenKind.LOOK_BACK: _("Terugkijken"),
        ScreenKind.TIMELINE: _("Mijn koers"),
        ScreenKind.ALBUM: _("Mijn plakboek"),
    }.get(screen.kind, _("Mijn kompas"))


def StepsGuide() -> ft.Control:
    """What the wide layout shows beside the compass before a condition is opened."""
    return Card(
        Heading(_("Zo werkt het kompas"), theme.TEXT_TITLE),
        Body(_("Kies een deel van het kompas. Bij elk deel horen vijf vragen. Ze gaan over een reis met een boot:")),
        *[
            ft.Column([Labelled(step), Body(_(STEPS[step].question), size=theme.TEXT_SMALL, color=theme.INK_SOFT)],
                      spacing=2)
            for step in Step
        ],
        Body(_("Je kiest steeds één kleine actie voor de komende weken.")),
    )


@ft.component
def App(workbook: Workbook, data_dir: Path) -> ft.Control:
    page = ft.context.page
    screen, set_screen = ft.use_state(lambda: Screen.parse(page.route))
    width, set_width = ft.use_state(page.width)
    _version, set_version = ft.use_state(0)
    missed = ft.use_ref(False)

    def mount():
        page.on_route_change = lambda e: set_screen(Screen.parse(e.route))
        page.on_resize = lambda e: set_width(e.width)
        problem = workbook.problem_to_tell()
        if problem:
            show_message(page, store_problem_message(*problem))

        async def redraw() -> None:
            set_version(lambda v: v + 1)

        def changed() -> None:
            # A change may come from another tab or device, on its event or from a worker thread:
            # redraw as this page's own task, in a context of its own.
            if page.session.connection is None:
                # This tab is away (closed, or reconnecting): it redraws when it comes back.
                missed.current = True
                return
            contextvars.copy_context().run(page.run_task, redraw)

        def came_back(_e) -> None:
            if missed.current:
                missed.current = False
                set_version(lambda v: v + 1)

        # A closed tab or a lost connection stores what was still being typed.
        page.on_disconnect = lambda _e: flush_all()
        page.on_close = lambda _e: flush_all()
        page.on_connect = came_back
        return workbook.subscribe(changed)

    ft.use_effect(mount, [])

    def go(target: Screen) -> None:
        page.navigate(target.route)

    today = date.today()
    kompas = workbook.kompas
    layout = layout_for(width)
    open_condition = screen.condition if screen.kind is ScreenKind.CONDITION else None

    def detail() -> ft.Control | None:
        if screen.kind is ScreenKind.CONDITION and screen.condition:
            return ConditionView(screen.condition, kompas, workbook, go)
        if screen.kind is ScreenKind.ACTION:
            return ActionView(kompas, workbook, today, screen.condition, go, key=screen.route)
        if screen.kind is ScreenKind.POSTER:
            return PosterView(kompas, workbook, data_dir, today)
        if screen.kind is ScreenKind.CHECK_IN:
            return CheckInView(kompas, workbook, data_dir, today, go, key=screen.route)
        if screen.kind is ScreenKind.LOOK_BACK:
            return LookBackView(kompas, workbook, today, go, key=screen.route)
        if screen.kind is ScreenKind.TIMELINE:
            return TimelineView(kompas, data_dir, today)
        if screen.kind is ScreenKind.ALBUM:
            return AlbumView(kompas, workbook, data_dir, today)
        if screen.kind is ScreenKind.ABOUT:
            return AboutView(data_dir)
        return None

    home = HomeView(home_state(kompas, today), workbook, today, go, open_condition)
    shown = detail()
    if layout is Layout.WIDE:
        body = ft.Row(
            [
                ft.Container(
                    ft.Column([home], scroll=ft.ScrollMode.AUTO),
                    width=theme.SIDE_PANEL,
                    padding=theme.PAD,
                ),
                ft.Container(
                    ft.Column([ft.Container(shown or StepsGuide(), width=theme.CONTENT_MAX)],
                              scroll=ft.ScrollMode.AUTO, key=screen.route),
                    expand=True,
                    padding=theme.PAD,
                    alignment=ft.Alignment.TOP_LEFT,
                ),
            ],
            expand=True,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    else:
        body = ft.Container(
            ft.Column([shown or home], scroll=ft.ScrollMode.AUTO, key=screen.route),
            expand=True,
            padding=ft.Padding.symmetric(horizontal=theme.PHONE_EDGE, vertical=theme.PAD),
        )

    at_home = screen.kind is ScreenKind.HOME
    title = _title(screen) if layout is Layout.PHONE else _("Mijn kompas")
    header = ft.Container(
        ft.Row(
            [
                *([] if at_home else [IconAction(
                    ft.Icons.ARROW_BACK, _("Terug naar mijn kompas"), lambda: go(Screen(ScreenKind.HOME))
                )]),
                ft.Text(title, size=theme.TEXT_LARGE, weight=ft.FontWeight.BOLD, color=theme.INK),
            ],
            spacing=theme.GAP,
        ),
        height=theme.HEADER,
        padding=ft.Padding.symmetric(horizontal=theme.GAP if not at_home else theme.PAD),
        border=ft.Border.only(bottom=ft.BorderSide(1, theme.LINE)),
    )
    return ft.Column([header, body], expand=True, spacing=0)


def make_main(workbook: Workbook, data_dir: Path):
    def main(page: ft.Page) -> None:
        page.title = _("Kompas")
        # Flutter's own words (date picker, copy and paste) follow the app's language.
        language = current_language()
        page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[ft.Locale(language)], current_locale=ft.Locale(language)
        )
        page.fonts = theme.FONTS
        page.theme = theme.app_theme()
        page.theme_mode = ft.ThemeMode.LIGHT
        page.bgcolor = theme.PAPER
        page.padding = 0
        page.spacing = 0
        page.render(App, workbook, data_dir)

    return main
