"""The shelf and its doors: the kompassen on this device by nickname only, a new one, the PIN, and a neutral screen."""

from __future__ import annotations

import asyncio
from typing import Callable

import flet as ft

from kompas.i18n import LANGUAGE_NAMES, _, is_right_to_left, ngettext, use_language
from kompas.ui import theme
from kompas.ui.fields import TextInput, use_text
from kompas.ui.messages import show_message
from kompas.ui.openfile import OpenFromFile
from kompas.ui.pinwords import pin_words
from kompas.ui.widgets import Body, Heading, Tappable
from kompas.ui.widgets import Card as Panel
from kompas.workbook.session import LOOKS, Card, Library, NicknameProblem, PinOutcome, Session

# The colours a kompas can be told apart by on the shelf: calm, and each with its own word.
LOOK_COLOURS = {
    "blauw": "#D6E4F5", "groen": "#D2ECD9", "geel": "#FCE6B8", "oranje": "#FAD4C8",
    "rood": "#F5C6C6", "paars": "#E3D5F0", "grijs": "#E4E7EB",
}
LOOK_WORDS = {
    "blauw": lambda: _("blauw"), "groen": lambda: _("groen"), "geel": lambda: _("geel"),
    "oranje": lambda: _("oranje"), "rood": lambda: _("rood"), "paars": lambda: _("paars"), "grijs": lambda: _("grijs"),
}

_NICKNAME_PROBLEMS = {
    NicknameProblem.EMPTY: lambda: _("Kies een naam voor dit kompas. Een bijnaam mag ook."),
    NicknameProblem.TOO_LONG: lambda: _("Die naam is te lang. Kies een kortere."),
    NicknameProblem.TAKEN: lambda: _("Er is al een kompas met die naam. Kies een andere naam."),
}


def Swatch(look: str, size: int = 40) -> ft.Control:
    """A kompas's colour, always with its word: the colour alone does not tell a colour-blind client which it is."""
    return ft.Container(width=size, height=size, bgcolor=LOOK_COLOURS.get(look, LOOK_COLOURS["grijs"]),
                        border_radius=size / 2, border=ft.Border.all(2, theme.INK))


# A begeleider's laptop may hold a kompas for each of 200 clients: the shelf shows this many at a time, and a field
# to find a name, so that it opens as fast as a shelf of one (tools/bench_koers.py).
SHELF_PAGE = 12


@ft.component
def ShelfView(library: Library, on_choose: Callable[[Card], None], on_new: Callable[[], None],
              on_opened: Callable[[Card], None], neutral: bool = False) -> ft.Control:
    """ "Kompassen op dit apparaat": nicknames and colours only, nothing written inside any of them.

    `neutral`: a kompas on this device is discreet, so the shelf does not say "kompas" at all.
    """
    query, set_query = ft.use_state("")
    shown, set_shown = ft.use_state(SHELF_PAGE)
    cards = library.cards()
    many = len(cards) > SHELF_PAGE
    wanted = query.strip().casefold()
    found = [card for card in cards if wanted in card.nickname.casefold()] if wanted else cards
    rows = []
    for card in found[:shown]:
        look = LOOK_WORDS.get(card.look, lambda: card.look)()
        rows.append(Tappable(
            _("{name} openen", name=card.nickname), lambda _e=None, c=card: on_choose(c),
            ft.Row([Swatch(card.look), ft.Column([Heading(card.nickname, theme.TEXT_BODY, own=True),
                                                  Body(look, size=theme.TEXT_SMALL, color=theme.INK_SOFT)],
                                                 spacing=0, expand=True),
                    ft.Icon(ft.Icons.LOCK_OUTLINE if library.pin(card.id).is_set else ft.Icons.CHEVRON_RIGHT,
                            color=theme.INK)], spacing=theme.PAD),
            bgcolor=theme.CARD, border_radius=theme.RADIUS, border=ft.Border.all(1, theme.LINE), padding=theme.PAD,
        ))
    if len(found) > shown:
        rows.append(ft.OutlinedButton(
            ngettext("Meer namen laten zien ({n} nog)", "Meer namen laten zien ({n} nog)", len(found) - shown),
            icon=ft.Icons.EXPAND_MORE, on_click=lambda: set_shown(lambda n: n + SHELF_PAGE)))
    if wanted and not found:
        rows.append(Body(_("Geen naam gevonden met deze letters."), color=theme.INK_SOFT))

    def search(text: str) -> None:
        set_query(text)
        set_shown(SHELF_PAGE)

    return ft.Column(
        [
            Heading(_("Notities op dit apparaat") if neutral else _("Kompassen op dit apparaat"), theme.TEXT_TITLE),
            Body(_("Kies je naam.") if neutral else _("Kies je kompas. Alleen de naam is hier te zien.")),
            *([TextInput(_("Zoek je naam"), query, on_change=search)] if many else []),
            *rows,
            ft.OutlinedButton(_("Nieuw") if neutral else _("Nieuw kompas"), icon=ft.Icons.ADD, on_click=on_new),
            OpenFromFile(library, on_opened, neutral),
        ],
        spacing=theme.PAD, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


@ft.component
def NewKompasView(library: Library, on_made: Callable[[Card], None], on_cancel: Callable[[], None] | None,
                  on_opened: Callable[[Card], None]) -> ft.Control:
    """A new kompas: a nickname (not a real name, if the client prefers) and a colour."""
    page = ft.context.page
    name = use_text()
    look, set_look = ft.use_state(LOOKS[0])

    def make() -> None:
        made = library.create(name.current, look)
        if isinstance(made, NicknameProblem):
            show_message(page, _NICKNAME_PROBLEMS[made]())
            return
        on_made(made)

    def colour(option: str) -> ft.Control:
        chosen = option == look
        word = LOOK_WORDS[option]()
        return Tappable(
            _("Kleur {colour}: gekozen", colour=word) if chosen else _("Kleur {colour}", colour=word),
            lambda: set_look(option),
            ft.Column([Swatch(option, 36), Body(word, size=theme.TEXT_SMALL)], spacing=2,
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER),
            selected=chosen, padding=6, border_radius=theme.RADIUS / 2,
            border=ft.Border.all(3 if chosen else 1, theme.INK if chosen else theme.LINE),
        )

    return Panel(
        Heading(_("Een nieuw kompas"), theme.TEXT_TITLE),
        Body(_("Geef je kompas een naam. Dat mag een bijnaam zijn: iedereen met dit apparaat ziet hem.")),
        TextInput(_("Naam van het kompas"), name.current, on_change=name.typed, on_submit=lambda _t: make()),
        Heading(_("Kies een kleur"), theme.TEXT_BODY),
        ft.Row([colour(option) for option in LOOKS], wrap=True, spacing=theme.GAP, run_spacing=theme.GAP),
        ft.FilledButton(_("Maak mijn kompas"), icon=ft.Icons.CHECK, on_click=make),
        *([ft.TextButton(_("Terug"), on_click=on_cancel)] if on_cancel else []),
        # A new phone: the kompas comes from the old one, or from the begeleider's laptop.
        ft.Divider(color=theme.LINE),
        Body(_("Heb je al een kompas, in een bestand van je oude telefoon of van je begeleider?")),
        OpenFromFile(library, on_opened),
    )


@ft.component
def PinView(session: Session, on_open: Callable[[], None], on_shelf: Callable[[], None]) -> ft.Control:
    """The door of one kompas: its nickname, the PIN, and no word of what is inside."""
    page = ft.context.page
    pin = use_text()
    card = session.card
    neutral = session.is_discreet()

    # What the last try said, under the title: it stays until the next try (a snackbar that vanishes
    # while the client types again rebuilds the screen under their fingers, and a screen reader misses it).
    said, set_said = ft.use_state("")

    async def enter(_text: str | None = None) -> None:
        # A PIN takes scrypt over half a second to check (on a cheap phone, seconds): not on the event loop.
        typed = pin.current
        pin.put("")
        answer = await asyncio.to_thread(session.unlock, typed)
        if answer.outcome is PinOutcome.OK:
            set_said("")
            on_open()
        else:
            set_said(pin_words(answer))

    return Panel(
        ft.Row([Swatch(card.look), Heading(card.nickname, theme.TEXT_TITLE, own=True)], spacing=theme.PAD),
        Body(_("Typ je PIN.") if neutral else _("Typ je PIN om dit kompas te openen.")),
        *([Body(said, color=theme.DANGER)] if said else []),
        TextInput(_("PIN"), pin.current, on_change=pin.typed, on_submit=lambda _t: page.run_task(enter), reset=pin.reset,
                  secret=True),
        ft.FilledButton(_("Openen"), icon=ft.Icons.LOCK_OPEN, on_click=enter),
        Body(_("PIN vergeten? Dan kan alles hier alleen gewist worden.") if neutral
             else _("PIN vergeten? Dan kan dit kompas alleen gewist worden."), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
        ft.TextButton(_("Terug") if neutral else _("Naar alle kompassen"), icon=ft.Icons.ARROW_BACK, on_click=on_shelf),
    )


def LanguageView(chosen: str | None, on_pick: Callable[[str], None], on_back: Callable[[], None] | None = None,
                 ) -> ft.Control:
    """Every language the app speaks, each named in its own script (no flags), with "choose your language" in it:
    found without reading Dutch. At the very first start (nothing `chosen` yet) nothing else is written."""
    rows = []
    for code, name in LANGUAGE_NAMES.items():
        picked = code == chosen
        with use_language(code):
            ask = _("Kies je taal")
        own = is_right_to_left(code)
        rows.append(Tappable(
            name, lambda _e=None, c=code: on_pick(c),
            ft.Row([ft.Column([ft.Text(name, size=theme.TEXT_LARGE, color=theme.INK, rtl=own),
                               ft.Text(ask, size=theme.TEXT_SMALL, color=theme.INK_SOFT, rtl=own)],
                              spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                    ft.Icon(ft.Icons.CHECK if picked else ft.Icons.CHEVRON_RIGHT, color=theme.INK)],
                   spacing=theme.PAD),
            selected=picked, bgcolor=theme.CARD, border_radius=theme.RADIUS, padding=theme.PAD,
            border=ft.Border.all(3 if picked else 1, theme.INK if picked else theme.LINE),
        ))
    return ft.Column(
        [
            ft.Row([ft.Icon(ft.Icons.TRANSLATE, color=theme.INK),
                    *([ft.Container(Heading(_("Kies je taal"), theme.TEXT_TITLE), expand=True)] if chosen else [])],
                   spacing=theme.GAP),
            *rows,
            *([ft.TextButton(_("Terug"), icon=ft.Icons.ARROW_BACK, on_click=on_back)] if on_back else []),
        ],
        spacing=theme.GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def HiddenView(title: str, on_back: Callable[[], None]) -> ft.Control:
    """What one quick tap shows: an empty notes page that gives nothing away."""
    return ft.Column(
        [
            Heading(title, theme.TEXT_TITLE),
            Body(_("Nog geen notities."), color=theme.INK_SOFT),
            ft.Container(height=theme.PAD * 8),
            ft.TextButton(_("Verder"), on_click=on_back),
        ],
        spacing=theme.PAD,
    )
