"""Taking a kompas along: a copy to keep, going back a day, handing it to the client's phone."""

from __future__ import annotations

import asyncio
import io
from datetime import date, timedelta
from typing import Callable

import flet as ft

from kompas.base.resources import POSTER_FOLDER
from kompas.i18n import _, format_date, ngettext
from kompas.poster.agenda import qr_image
from kompas.poster.output import make_files, poster_paths
from kompas.poster.render import poster_images
from kompas.ui import theme
from kompas.ui.fields import FormText, TextInput, use_text
from kompas.ui.files import FILES_PATH, KompasFiles
from kompas.ui.filewords import sealing_message
from kompas.ui.messages import outcome_message, show_message
from kompas.ui.pinwords import pin_words
from kompas.ui.reach import HAND_OVER_PATH, Reach, unreachable_words
from kompas.ui.widgets import Body, Busy, Card, Heading, Said
from kompas.workbook.session import Library, PinAnswer, Refused, Session
from kompas.workbook.workbook import Outcome, Workbook

__all__ = ["COPY_FOLDER", "TakeAlongView"]

# Where this screen downloads a copy, next to the kompas's photos and posters, under its unlocking's key.
COPY_FOLDER = "kopie"


def _minutes(library: Library) -> str:
    minutes = -(-library.pairing_seconds // 60)
    return ngettext("De link werkt {n} minuut.", "De link werkt {n} minuten.", minutes)


@ft.component
def CopyCard(library: Library, session: Session, files: KompasFiles) -> ft.Control:
    """ "Bewaar een kopie": the whole kompas with its photos in one .kompas file, with a passphrase if wanted."""
    page = ft.context.page
    passphrase, again = use_text(), use_text()
    busy, set_busy = ft.use_state(False)
    made, set_made = ft.use_state(None)
    said, set_said = ft.use_state("")

    async def make() -> None:
        secret = twice_the_same(passphrase, again, set_said)
        if secret is None:
            return
        set_busy(True)
        try:
            # Sealing takes scrypt half a second, and a kompas with many photos is many megabytes: not on the loop.
            data = await asyncio.to_thread(library.pack, session.card_id, secret or None)
            parcel = library.parcel(session.card_id, data, owner=session)
        except OSError:
            show_message(page, _("De kopie kon niet worden gemaakt. Probeer het nog een keer."))
            return
        except Refused:
            show_message(page, sealing_message())
            return
        finally:
            set_busy(False)
        if page.web:
            set_made((parcel.token, bool(secret)))
        else:
            await ft.Share().share_files([ft.ShareFile.from_bytes(parcel.data, name=parcel.name)])

    parts = [
        Heading(_("Bewaar een kopie")),
        Body(_("Je hele kompas met je foto's in één bestand. Bewaar het op een veilige plek, of zet het op je "
               "nieuwe telefoon.")),
        TextInput(_("Wachtwoord voor de kopie (mag leeg blijven)"), passphrase.current, on_change=passphrase.typed,
                  reset=passphrase.reset, passphrase=True),
        TextInput(_("Wachtwoord voor de kopie, nog een keer"), again.current, on_change=again.typed,
                  reset=again.reset, passphrase=True),
        Body(_("Met een wachtwoord kan alleen wie het wachtwoord kent het bestand openen. Vergeet je het, dan gaat "
               "de kopie niet meer open."), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
        *([Said(said)] if said else []),
    ]
    if busy:
        parts.append(Busy(_("De kopie wordt gemaakt…")))
    else:
        parts.append(ft.FilledButton(_("Kopie maken"), icon=ft.Icons.SAVE_ALT, on_click=make))
    if made:
        token, sealed = made
        parts += [
            ft.FilledButton(_("Kopie downloaden"), icon=ft.Icons.DOWNLOAD,
                            url=ft.Url(f"{FILES_PATH}/{files.key}/{COPY_FOLDER}/{token}", ft.UrlTarget.SELF)),
            *([Body(_("Op slot met je wachtwoord."), size=theme.TEXT_SMALL, color=theme.INK_SOFT)] if sealed else []),
            Body(_minutes(library), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
        ]
    return Card(*parts)


def twice_the_same(first: FormText, second: FormText, say: Callable[[str], None]) -> str | None:
    """The passphrase typed in two fields (FormText), which then empty; None, said in place, when the two differ: a
    typo no one saw would make the file open nowhere, for good."""
    secret, repeated = first.current, second.current
    first.put("")
    second.put("")
    if secret != repeated:
        say(_("De twee wachtwoorden zijn niet hetzelfde. Typ het wachtwoord twee keer precies hetzelfde."))
        return None
    say("")
    return secret


def _back_label(day: date, today: date) -> str:
    if day == today:
        # Today's backup is the kompas as it was just before going back: going to it undoes that.
        return _("Terugzetten ongedaan maken")
    if day == today - timedelta(days=1):
        return _("Terug naar gisteren")
    return _("Terug naar {date}", date=format_date(day, today))


@ft.component
def BackupCard(workbook: Workbook, today: date) -> ft.Control:
    """ "Terug naar gisteren": the kompas as it was at the end of an earlier day of use, in one tap."""
    page = ft.context.page
    _version, set_version = ft.use_state(0)
    days = workbook.backup_days()

    def back(day: date) -> None:
        outcome = workbook.go_back_to(day)
        if outcome is Outcome.SAVED:
            show_message(page, _("Je kompas is weer zoals het was op {date}.", date=format_date(day, today))
                         if day != today else _("Je kompas is weer zoals het was."))
        else:
            show_message(page, outcome_message(outcome) or _("Dat lukte niet."))
        set_version(lambda v: v + 1)

    parts = [Heading(_("Terug naar gisteren")),
             Body(_("Elke dag dat je je kompas gebruikt, bewaart de app hoe het de dag ervoor was. Zeven dagen terug. "
                    "Zo kun je een vergissing herstellen."))]
    if not days:
        parts.append(Body(_("Er is nog geen kopie. Die komt er de volgende dag dat je iets verandert."),
                          size=theme.TEXT_SMALL, color=theme.INK_SOFT))
    for day in days:
        parts.append(ft.OutlinedButton(_back_label(day, today), icon=ft.Icons.HISTORY,
                                       on_click=lambda _e=None, d=day: back(d)))
    if days:
        parts.append(Body(_("Wat je daarna deed, gaat dan weg. Dat kun je weer ongedaan maken."),
                          size=theme.TEXT_SMALL, color=theme.INK_SOFT))
    return Card(*parts)


@ft.component
def HandOverCard(library: Library, session: Session, files: KompasFiles, reach: Reach | None, today: date,
                 on_erased: Callable[[], None]) -> ft.Control:
    """ "Meegeven aan de client": the phone beside the laptop fetches the kompas and its poster; then the laptop
    erases its own copy, and says that nothing is left.

    The code works once. A new code, a lock, hiding, erasing or leaving this screen ends it; the laptop says when
    someone tried it again.
    """
    page = ft.context.page
    passphrase, again, pin = use_text(), use_text(), use_text()
    parcel, set_parcel = ft.use_state(None)
    seen, set_seen = ft.use_state((False, 0))  # (the phone fetched the file, tries refused after that)
    said, set_said = ft.use_state("")
    mistyped, set_mistyped = ft.use_state("")
    busy, set_busy = ft.use_state(False)
    sealed, set_sealed = ft.use_state(False)
    current = ft.use_ref(None)
    with_pin = session.has_pin()

    def leave_screen():
        # Leaving this screen ends the code shown on it.
        return lambda: library.revoke(current.current)

    ft.use_effect(leave_screen, [])

    if reach is None or reach.url is None:
        return Card(Heading(_("Meegeven aan de client")), Body(unreachable_words(reach, pairing=False)))

    async def start() -> None:
        secret = twice_the_same(passphrase, again, set_mistyped)
        if secret is None:
            return
        set_busy(True)
        try:
            workbook = library.workbook(session.card_id)
            kompas = workbook.kompas
            pdf, _png = poster_paths(files.folder / POSTER_FOLDER, kompas.poster.paper)

            def build() -> tuple[bytes, bytes]:
                make_files(kompas, kompas.poster, today, pdf, None, poster_images(kompas, files.folder))
                return library.pack(session.card_id, secret or None), pdf.read_bytes()

            data, poster = await asyncio.to_thread(build)
        except OSError:
            show_message(page, _("Het bestand kon niet worden gemaakt. Is er nog ruimte op het apparaat?"))
            return
        except Refused:
            show_message(page, sealing_message())
            return
        finally:
            set_busy(False)
        made = library.parcel(session.card_id, data, hand_over=True, poster=poster, today=today, owner=session)
        current.current = made
        set_sealed(bool(secret))
        set_parcel(made)
        set_seen((False, 0))
        set_said("")

        async def watch() -> None:
            # The laptop sees the phone fetch the file, so the begeleider knows when to ask; and sees any try after.
            shown = (False, 0)
            while library.parcel_for(made.token, hand_over=True) is made:
                now = (made.fetched, made.tried_again)
                if now != shown:
                    shown = now
                    set_seen(now)
                await asyncio.sleep(1)

        page.run_task(watch)

    def new_code() -> None:
        library.revoke(parcel)
        current.current = None
        set_parcel(None)

    async def arrived() -> None:
        if parcel is None or not parcel.fetched:
            set_said(_("De telefoon heeft het bestand nog niet opgehaald. Wacht daarmee, anders is het kompas weg."))
            return
        card_id = session.card_id
        typed_pin = pin.current
        pin.put("")
        erased = await asyncio.to_thread(library.erase, card_id, typed_pin if with_pin else None)
        if isinstance(erased, PinAnswer):
            set_said(pin_words(erased))
            return
        if erased and not library.traces(card_id):
            show_message(page, _("Het kompas is gewist op dit apparaat. Er staat niets meer van op deze computer."))
        else:
            show_message(page, _("Wissen lukte niet helemaal. Wat over is, gaat bij de volgende start weg."))
        on_erased()

    parts = [
        Heading(_("Meegeven aan de client")),
        Body(_("Samen ingevuld op deze computer? Geef het kompas mee aan de telefoon van de client. Daarna staat het "
               "alleen nog op die telefoon.")),
    ]
    if parcel is None:
        parts += [
            TextInput(_("Wachtwoord voor het bestand (mag leeg blijven)"), passphrase.current,
                      on_change=passphrase.typed, reset=passphrase.reset, passphrase=True),
            TextInput(_("Wachtwoord voor het bestand, nog een keer"), again.current, on_change=again.typed,
                      reset=again.reset, passphrase=True),
            *([Said(mistyped)] if mistyped else []),
            Busy(_("Het bestand wordt gemaakt…")) if busy else
            ft.FilledButton(_("Meegeven aan de client"), icon=ft.Icons.SEND_TO_MOBILE, on_click=start),
        ]
        return Card(*parts)
    fetched, tried_again = seen
    link = f"{reach.url}/{HAND_OVER_PATH}/{parcel.token}"
    buffer = io.BytesIO()
    qr_image(link, module_px=6).save(buffer, "PNG")
    parts += [
        Body(_("1. Scan de code met de camera van de telefoon.")),
        Body(_("2. Download op de telefoon het kompas-bestand en de poster.")),
        Body(_("3. Open op de telefoon de app Kompas en kies: Kompas openen uit bestand.")),
        ft.Image(src=buffer.getvalue(), width=240, height=240, semantics_label=_("Code om mee te geven")),
        ft.Text(link, size=theme.TEXT_SMALL, color=theme.INK_SOFT, selectable=True),
        Body(_minutes(library), size=theme.TEXT_SMALL, color=theme.INK_SOFT),
        *([Body(_("Het bestand is op slot. Zeg het wachtwoord hardop tegen de client: het staat nergens "
                  "opgeschreven."))] if sealed else []),
        Body(_("De telefoon heeft het bestand opgehaald.") if fetched
             else _("De telefoon heeft het bestand nog niet opgehaald.")),
        *([Body(ngettext("Daarna probeerde iemand het bestand nog {n} keer op te halen. Dat kon niet: de code werkt "
                         "maar één keer.",
                         "Daarna probeerde iemand het bestand nog {n} keer op te halen. Dat kon niet: de code werkt "
                         "maar één keer.", tried_again), color=theme.DANGER)] if tried_again else []),
        Heading(_("Is het kompas goed aangekomen?"), theme.TEXT_BODY),
        Body(_("Zie je het kompas op de telefoon, met de foto's? Dan wis je het hier: notities, foto's, posters en "
               "kopieën.")),
        *([TextInput(_("PIN van dit kompas"), pin.current, on_change=pin.typed, reset=pin.reset, secret=True)]
          if with_pin else []),
        *([Body(said, color=theme.DANGER)] if said else []),
        ft.Row([
            ft.FilledButton(_("Ja, wis het hier"), icon=ft.Icons.CHECK, on_click=arrived),
            ft.OutlinedButton(_("Nee, nog niet"), on_click=lambda: set_said(
                _("Het kompas blijft hier. Probeer het opnieuw, of maak een nieuwe code."))),
        ], wrap=True, spacing=theme.GAP),
        ft.TextButton(_("Nieuwe code"), icon=ft.Icons.QR_CODE, on_click=new_code),
    ]
    return Card(*parts)


def TakeAlongView(library: Library, session: Session, files: KompasFiles, reach: Reach | None, today: date,
                  on_erased: Callable[[], None]) -> ft.Control:
    # "Meegeven aan de client" hands a kompas from the laptop's server to a phone: the phone's own app is the end of
    # that road, and has no server to hand from.
    served = ft.context.page.web
    return ft.Column(
        [CopyCard(library, session, files), BackupCard(session.workbook, today),
         *([HandOverCard(library, session, files, reach, today, on_erased)] if served else [])],
        spacing=theme.PAD, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
