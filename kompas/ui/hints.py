"""The first-use hint for the header's buttons: each pictogram with its word and what it does, once per device."""

from __future__ import annotations

import logging

import flet as ft

from kompas.i18n import _
from kompas.ui import theme
from kompas.ui.widgets import Body, Card, Heading

__all__ = ["ButtonsHint", "HINT_KEY"]

log = logging.getLogger(__name__)

# Where the device remembers that the hint was read: a name that says nothing of what the app is, since a
# browser's storage is as easy to look into as its history.
HINT_KEY = "uitleg-knoppen"


def _row(icon: ft.IconData, word: str, what: str) -> ft.Control:
    return ft.Row([ft.Icon(icon, color=theme.INK, size=28),
                   ft.Column([Body(word, size=theme.TEXT_BODY), Body(what, size=theme.TEXT_SMALL, color=theme.INK_SOFT)],
                             spacing=0, expand=True)],
                  spacing=theme.PAD, vertical_alignment=ft.CrossAxisAlignment.START)


@ft.component
def ButtonsHint() -> ft.Control:
    """The header shows three pictograms without their words (a phone has no room for them): this says, the first
    time, which is which. Their words are also their tooltips, and what a screen reader says."""
    page = ft.context.page
    # Asked of the device once per page: home is drawn again at every visit, and each answer redraws it.
    seen = page.session.store.get(HINT_KEY)
    _version, set_version = ft.use_state(0)

    def ask() -> None:
        async def read() -> None:
            try:
                kept = await ft.SharedPreferences().get(HINT_KEY)
            except Exception as error:  # noqa: BLE001 - no storage on this device: explain every time rather than never
                log.info("the device keeps no preferences (%s)", type(error).__name__)
                kept = False
            page.session.store.set(HINT_KEY, bool(kept))
            set_version(lambda v: v + 1)

        if page.session.store.get(HINT_KEY) is None:
            page.run_task(read)

    ft.use_effect(ask, [])

    async def understood() -> None:
        page.session.store.set(HINT_KEY, True)
        set_version(lambda v: v + 1)
        try:
            await ft.SharedPreferences().set(HINT_KEY, True)
        except Exception as error:  # noqa: BLE001 - then it comes back next time, which does no harm
            log.info("the hint could not be remembered (%s)", type(error).__name__)

    if seen is not False:  # not asked yet, or read already
        return ft.Container(visible=False)
    return Card(
        Heading(_("De knoppen bovenaan"), theme.TEXT_BODY),
        _row(ft.Icons.TRANSLATE, _("Taal kiezen"), _("De app in een andere taal.")),
        _row(ft.Icons.VISIBILITY_OFF, _("Snel verbergen"), _("In één tik een leeg scherm. Met een PIN gaat het kompas "
                                                             "ook op slot.")),
        _row(ft.Icons.LOCK, _("Op slot doen"), _("Het kompas gaat dicht. Met een PIN kan alleen wie de PIN kent het "
                                                 "weer openen.")),
        ft.FilledButton(_("Begrepen"), icon=ft.Icons.CHECK, on_click=understood),
    )
