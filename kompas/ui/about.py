"""About this app: what it is for, where the data stays, and credit to the method and its author."""

from __future__ import annotations

import flet as ft

from kompas.i18n import _
from kompas.ui import theme
from kompas.ui.files import KompasFiles
from kompas.ui.widgets import Body, Card, Heading


def AboutView(files: KompasFiles) -> ft.Control:
    return ft.Column(
        [
            Card(
                Heading(_("Over Kompas"), theme.TEXT_TITLE),
                Body(_("Met dit kompas kijk je naar je leven. Wat gaat goed? Wat wil je? Wat is je volgende stap?")),
                Body(_("Je vult het in met je begeleider, of alleen. Je kiest steeds één kleine actie.")),
            ),
            Card(
                Heading(_("Je gegevens blijven bij jou")),
                Body(_("Alles wat je schrijft, blijft op dit apparaat. Er gaat niets naar internet.")),
                # A folder's path is one long "word" (its last part 32 letters): it may break anywhere, as a path
                # does, rather than run off the screen.
                Body(_("Map met je gegevens: {folder}", folder="\u200b".join(str(files.folder))),
                     size=theme.TEXT_SMALL, color=theme.INK_SOFT),
            ),
            Card(
                Heading(_("De methode")),
                Body(_("Het Krachtkompas hoort bij de methode Krachtwerk van Judith Wolf (Impuls, Radboudumc). "
                       "De methode en het werkblad zijn © J. Wolf / Impuls.")),
                Body(_("De teksten en pictogrammen in deze app zijn gemaakt door de makers van deze app, niet door Impuls.")),
            ),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
