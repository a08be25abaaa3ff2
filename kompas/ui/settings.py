"""This kompas's doors: its PIN, when it locks, its discreet name, opening it on a phone beside you, and erasing it."""

from __future__ import annotations

import asyncio
import io
import math
from typing import Callable

import flet as ft

from kompas.domain.words import same_name
from kompas.i18n import _, ngettext
from kompas.media.speech import Pace
from kompas.poster.agenda import qr_image
from kompas.ui import theme
from kompas.ui.fields import TextInput, use_text
from kompas.ui.messages import show_message
from kompas.ui.pinwords import pin_words
from kompas.ui.reach import PAIRING_PATH, Reach, unreachable_words
from kompas.ui.voice import speaker_of
from kompas.ui.widgets import Body, Busy, Card, Heading, LabelledSwitch, Said, Tappable
from kompas.workbook.session import LOCK_MINUTES, Library, PinAnswer, PinOutcome, Session

_PIN_MESSAGES = {
    PinOutcome.INVALID: lambda: _("Een PIN heeft 4, 5 of 6 cijfers."),
    PinOutcome.WRONG: lambda: _("De huidige PIN klopt niet."),
    PinOutcome.LOCKED: lambda: _("Te vaak een verkeerde PIN. Wacht even en probeer het dan opnieuw."),
    PinOutcome.DAMAGED: lambda: _("De PIN van dit kompas kan niet meer worden gelezen."),
    PinOutcome.NOT_SAVED: lambda: _("Opslaan lukte niet. Is er nog ruimte op het apparaat?"),
    PinOutcome.NO_MEMORY: lambda: _("Het apparaat had het even te druk. Probeer het zo opnieuw."),
}


@ft.component
def PinCard(library: Library, session: Session, on_answered: Callable[[], None] | None = None) -> ft.Control:
    """The PIN: set, changed or taken away. A new PIN is typed twice, hidden, and set only when both are the same:
    a typo no one saw would lock the client out for good.

    `on_answered`: this card is the offer after a copy came in from a device where the kompas had a PIN; it says
    so, has "Later", and once the PIN is set it says so with "Klaar".
    """
    page = ft.context.page
    current, new, again = use_text(), use_text(), use_text()
    said, set_said = ft.use_state(None)  # (words, good): what the last try did
    busy, set_busy = ft.use_state(False)
    if session.card is None:  # erased or closed a moment ago; the shelf takes this screen over
        return ft.Container()
    lock = library.pin(session.card_id)

    async def done(work: Callable[[str, str], object], message: str, twice: bool = True) -> None:
        typed_current, typed_new, typed_again = current.current, new.current, again.current
        for field in (current, new, again):
            field.put("")
        if twice and typed_new != typed_again:
            set_said((_("De twee nieuwe PIN's zijn niet hetzelfde. Typ de nieuwe PIN twee keer precies hetzelfde."),
                      False))
            return
        set_busy(True)
        try:
            # scrypt takes over half a second: not on the event loop.
            answer = await asyncio.to_thread(work, typed_new, typed_current)
        finally:
            set_busy(False)
        if answer.outcome is PinOutcome.OK:
            set_said((message, True))
        else:
            set_said((_PIN_MESSAGES.get(answer.outcome, lambda: _("Dat lukte niet."))(), False))

    def run(work: Callable[[str, str], object], message: str, twice: bool = True) -> Callable[[], None]:
        return lambda: page.run_task(done, work, message, twice)

    shown = [Said(*said)] if said else []
    if busy:
        shown = [Busy(_("De PIN wordt bewaard…"))]
    if on_answered is not None and lock.is_set:
        return Card(Heading(_("PIN")), *shown, ft.FilledButton(_("Klaar"), icon=ft.Icons.CHECK, on_click=on_answered))
    if not lock.is_set:
        intro = [Body(_("Met een PIN kan niemand anders dit kompas openen op dit apparaat."))]
        if on_answered is not None:
            intro = [Body(_("Op het andere apparaat had dit kompas een PIN. Een PIN gaat niet mee in een bestand. "
                            "Stel hier een PIN in, dan kan niemand anders dit kompas op dit apparaat openen."))]
        return Card(
            Heading(_("Een PIN voor dit kompas?") if on_answered else _("PIN")),
            *intro,
            TextInput(_("Nieuwe PIN (4 tot 6 cijfers)"), new.current, on_change=new.typed, reset=new.reset, secret=True),
            TextInput(_("Typ de nieuwe PIN nog een keer"), again.current, on_change=again.typed, reset=again.reset,
                      secret=True),
            *shown,
            ft.Row([
                ft.FilledButton(_("PIN instellen"), icon=ft.Icons.LOCK, on_click=run(
                    lambda pin, _current: lock.set(pin),
                    _("Je PIN is klaar. Onthoud hem goed: zonder PIN kan dit kompas alleen gewist worden."))),
                *([ft.TextButton(_("Later"), on_click=on_answered)] if on_answered else []),
            ], wrap=True, spacing=theme.GAP),
            Body(_("PIN vergeten? Dan kan dit kompas alleen gewist worden."), size=theme.TEXT_SMALL,
                 color=theme.INK_SOFT),
        )
    return Card(
        Heading(_("PIN")),
        Body(_("Dit kompas heeft een PIN.")),
        TextInput(_("Huidige PIN"), current.current, on_change=current.typed, reset=current.reset, secret=True),
        TextInput(_("Nieuwe PIN (laat leeg om de PIN weg te halen)"), new.current, on_change=new.typed,
                  reset=new.reset, secret=True),
        TextInput(_("Typ de nieuwe PIN nog een keer"), again.current, on_change=again.typed, reset=again.reset,
                  secret=True),
        *shown,
        ft.Row([
            ft.FilledButton(_("PIN veranderen"), on_click=run(lambda pin, old: lock.set(pin, old),
                                                              _("De nieuwe PIN staat erop."))),
            ft.OutlinedButton(_("PIN weghalen"), on_click=run(
                lambda _pin, old: lock.remove(old),
                _("De PIN is weg. Iedereen met dit apparaat kan dit kompas nu openen."), twice=False)),
        ], wrap=True, spacing=theme.GAP),
    )


@ft.component
def PairCard(library: Library, session: Session, reach: Reach | None) -> ft.Control:
    """ "Open op telefoon": a QR code that opens this kompas once on the phone that scans it."""
    code, set_code = ft.use_state(None)

    def show() -> None:
        pairing = library.pair(session.card_id)
        image = qr_image(f"{reach.url}/{PAIRING_PATH}/{pairing.token}", module_px=6)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        set_code(buffer.getvalue())

    if reach is None or reach.url is None:
        return Card(Heading(_("Open op telefoon")), Body(unreachable_words(reach, pairing=True)))
    parts = [Heading(_("Open op telefoon")),
             Body(ngettext("Scan de code met de camera van de telefoon. De code werkt één keer, {n} minuut lang, "
                           "alleen voor dit kompas.",
                           "Scan de code met de camera van de telefoon. De code werkt één keer, {n} minuten lang, "
                           "alleen voor dit kompas.", math.ceil(library.pairing_seconds / 60)))]
    if code:
        parts.append(ft.Image(src=code, width=240, height=240, semantics_label=_("Code om te koppelen")))
    parts.append(ft.FilledButton(_("Laat de code zien") if not code else _("Nieuwe code"), icon=ft.Icons.QR_CODE,
                                 on_click=show))
    return Card(*parts)


@ft.component
def EraseCard(library: Library, session: Session, on_erased: Callable[[], None]) -> ft.Control:
    """ "Dit kompas wissen": after its name is typed, and its PIN when it has one, on this very screen."""
    page = ft.context.page
    typed, pin = use_text(), use_text()
    said, set_said = ft.use_state("")
    card = session.card
    if card is None:  # erased or closed a moment ago; the shelf takes this screen over
        return ft.Container()
    with_pin = session.has_pin()

    async def erase() -> None:
        if not same_name(typed.current, card.nickname):
            show_message(page, _("Typ de naam van het kompas precies zoals hij er staat: {name}", name=card.nickname))
            return
        typed_pin = pin.current
        pin.put("")
        # A PIN takes scrypt half a second to check: not on the event loop.
        erased = await asyncio.to_thread(library.erase, card.id, typed_pin if with_pin else None)
        if isinstance(erased, PinAnswer):
            set_said(pin_words(erased))
        elif erased:
            show_message(page, _("Het kompas is gewist. Er staat niets meer van op dit apparaat."))
            on_erased()
        else:
            show_message(page, _("Wissen lukte niet helemaal. Probeer het nog een keer."))

    return Card(
        Heading(_("Dit kompas wissen")),
        Body(_("Alles van dit kompas gaat van dit apparaat: notities, foto's, posters. Dat kan niet terug.")),
        TextInput(_("Typ ter bevestiging de naam: {name}", name=card.nickname), typed.current, on_change=typed.typed),
        *([TextInput(_("PIN van dit kompas"), pin.current, on_change=pin.typed, reset=pin.reset, secret=True)]
          if with_pin else []),
        *([Body(said, color=theme.DANGER)] if said else []),
        ft.OutlinedButton(_("Dit kompas wissen"), icon=ft.Icons.DELETE_FOREVER, on_click=erase,
                          style=ft.ButtonStyle(color=theme.DANGER)),
    )


@ft.component
def DoorCard(session: Session, on_door: Callable[[], None]) -> ft.Control:
    """When the kompas locks by itself, and whether it shows its name before the PIN."""
    page = ft.context.page
    _version, set_version = ft.use_state(0)
    card = session.card
    if card is None:  # erased from another screen a moment ago; this screen goes back to the shelf
        return ft.Container()

    def change(**door) -> None:
        try:
            session.set_door(**door)
        except PermissionError:
            pass  # locked meanwhile (idle, or from the other screen): the door screen takes over
        except OSError:
            show_message(page, _("Opslaan lukte niet. Is er nog ruimte op het apparaat?"))
        set_version(lambda v: v + 1)
        on_door()

    def minutes(option: int) -> ft.Control:
        chosen = option == card.lock_minutes
        words = ngettext("{n} minuut", "{n} minuten", option)
        return Tappable(
            _("Op slot na {time}: gekozen", time=words) if chosen else _("Op slot na {time}", time=words),
            lambda _e=None, m=option: change(lock_minutes=m),
            Body(words, size=theme.TEXT_SMALL), selected=chosen, padding=ft.Padding.symmetric(horizontal=14, vertical=12),
            border_radius=theme.RADIUS / 2, border=ft.Border.all(3 if chosen else 1, theme.INK if chosen else theme.LINE),
        )

    return Card(
        Heading(_("Op slot")),
        Body(_("Doe je een tijd niets, dan gaat dit kompas vanzelf op slot. Na hoeveel minuten?")),
        ft.Row([minutes(option) for option in LOCK_MINUTES], wrap=True, spacing=theme.GAP, run_spacing=theme.GAP),
        LabelledSwitch(_("Stil: vóór de PIN heet de app gewoon Notities"), card.discreet,
                       lambda on: change(discreet=on)),
        Body(_("Dan staat het woord kompas nergens voordat de PIN is getypt: niet op het scherm en niet in de "
               "titel van de browser."), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
    )


@ft.component
def VoiceCard() -> ft.Control:
    """How fast "Voorlezen" reads: slowly unless the client asks for the usual speed."""
    speaker = speaker_of(ft.context.page)
    _version, set_version = ft.use_state(0)
    if speaker is None:
        return ft.Container()

    def change(slow: bool) -> None:
        speaker.pace = Pace.SLOW if slow else Pace.NORMAL
        set_version(lambda v: v + 1)

    return Card(
        Heading(_("Voorlezen")),
        Body(_("Tik op Voorlezen, bovenaan het scherm, om het hele scherm te horen. Naast elke vraag, elk voorbeeld en "
               "elke notitie staat ook een luidspreker.")),
        LabelledSwitch(_("Langzaam voorlezen"), speaker.pace is Pace.SLOW, change),
    )


def SettingsView(library: Library, session: Session, reach: Reach | None, on_erased: Callable[[], None],
                 on_door: Callable[[], None]) -> ft.Control:
    # "Open op telefoon" pairs a phone with the laptop's server: on the phone's own app there is none to pair with.
    served = ft.context.page.web
    return ft.Column(
        [VoiceCard(), PinCard(library, session), DoorCard(session, on_door),
         *([PairCard(library, session, reach)] if served else []), EraseCard(library, session, on_erased)],
        spacing=theme.PAD, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
