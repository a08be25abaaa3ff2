"""What the client is told: the words for each outcome and store problem, shown in a snackbar, with "Terugzetten"."""

from __future__ import annotations

from typing import Callable

import flet as ft

from kompas.domain.model import MAX_NOTES_PER_STEP, MAX_TEXT
from kompas.i18n import _
from kompas.media.photos import PhotoProblem
from kompas.ui import theme
from kompas.ui.uploads import MAX_UPLOAD, UploadProblem
from kompas.workbook.workbook import Outcome, StoreProblem, VoiceProblem

_OUTCOME_MESSAGES = {
    Outcome.EMPTY: lambda: _("Schrijf eerst een paar woorden."),
    Outcome.TOO_LONG: lambda: _("Dit is te lang. Gebruik niet meer dan {max} letters.", max=MAX_TEXT),
    Outcome.NOT_FOUND: lambda: _("Dit is al weggehaald."),
    Outcome.NOT_SAVED: lambda: _("Opslaan lukte niet. Je tekst staat er nog. Probeer het zo opnieuw."),
    Outcome.DATE_PASSED: lambda: _("Die datum is al voorbij. Kies een dag die nog komt."),
    Outcome.NO_ACTION: lambda: _("Kies eerst een actie."),
    Outcome.FULL: lambda: _("Bij deze stap staan al {max} notities. Haal er eerst een weg.", max=MAX_NOTES_PER_STEP),
    PhotoProblem.EMPTY: lambda: _("Dit bestand is leeg. Kies een andere foto."),
    PhotoProblem.NOT_AN_IMAGE: lambda: _("Dit is geen foto. Kies een foto: JPG, PNG, WebP of HEIC."),
    PhotoProblem.DAMAGED: lambda: _("Deze foto is kapot of niet helemaal binnen. Kies een andere foto."),
    PhotoProblem.TOO_BIG: lambda: _("Deze foto is te groot om te openen. Kies een andere foto."),
    PhotoProblem.ANIMATED: lambda: _("Bewegende beelden kunnen niet. Kies een gewone foto."),
    PhotoProblem.HEIC_UNSUPPORTED: lambda: _("Deze iPhone-foto kan de app hier niet openen. Zet hem eerst om naar JPG."),
    PhotoProblem.NOT_SAVED: lambda: _("Opslaan lukte niet. Is er nog ruimte op het apparaat?"),
    UploadProblem.TOO_LARGE: lambda: _("Dit bestand is groter dan {size} MB. Kies een kleinere foto.",
                                       size=MAX_UPLOAD // 2**20),
    UploadProblem.LOST: lambda: _("De foto kwam niet aan. Probeer het nog een keer."),
    VoiceProblem.TOO_SHORT: lambda: _("Dat was te kort om te bewaren. Tik op Inspreken, praat, en tik dan op Stop en bewaar."),
    VoiceProblem.SILENT: lambda: _("De app hoorde niets. Staat de microfoon aan? Probeer het nog een keer."),
    VoiceProblem.NOT_SAVED: lambda: _("Je opname kon niet worden bewaard. Is er nog ruimte op het apparaat?"),
    VoiceProblem.CANNOT: lambda: _("Inspreken lukt niet op dit apparaat. Je kunt je notitie schrijven."),
    VoiceProblem.DAMAGED: lambda: _("Deze opname is kapot."),
}


def outcome_message(outcome: Outcome | PhotoProblem | UploadProblem | VoiceProblem) -> str | None:
    """The words for an outcome the client should hear about; None when all went well."""
    message = _OUTCOME_MESSAGES.get(outcome)
    return message() if message else None


def store_problem_message(problem: StoreProblem, file: str) -> str:
    if problem is StoreProblem.TOO_NEW:
        return _(
            "Je kompas is gemaakt met een nieuwere versie van deze app. Deze versie kan het niet openen "
            "en verandert er niets aan. Werk de app bij om verder te gaan.",
        )
    if problem is StoreProblem.READ_ONLY:
        return _("Je kompas kan hier niet worden bewaard: de map is alleen-lezen. "
                 "Je kunt je kompas bekijken, maar niets veranderen. Je begeleider kan helpen.")
    return _(
        "De app kan je oude kompas niet openen. Het is niet weg: het staat apart als {file}. "
        "Je begeleider kan helpen. Je begint nu met een nieuw kompas.",
        file=file,
    )


def show_message(page: ft.Page, message: str) -> None:
    page.show_dialog(ft.SnackBar(ft.Text(message, size=theme.TEXT_BODY), duration=6000))


def undo_message(page: ft.Page, message: str, undo: Callable[[], Outcome]) -> None:
    """Something was taken away: say so, with "Terugzetten" for eight seconds."""
    page.show_dialog(ft.SnackBar(ft.Text(message, size=theme.TEXT_BODY), action=_("Terugzetten"),
                                 on_action=lambda: report(page, undo()), duration=8000))


def report(page: ft.Page, outcome: Outcome | PhotoProblem | UploadProblem | VoiceProblem) -> bool:
    """Tell the client when a change did not go through; True when it did."""
    message = outcome_message(outcome)
    if message:
        show_message(page, message)
    return message is None
