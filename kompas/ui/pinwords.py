"""What a PIN that did not open tells the client, on every screen that asks for one: why, and what to do now."""

from __future__ import annotations

import math

from kompas.i18n import _, ngettext
from kompas.workbook.session import PinAnswer, PinOutcome

__all__ = ["pin_words"]


def _wait_words(seconds: float) -> str:
    minutes = math.ceil(seconds / 60)
    if seconds <= 60:
        return ngettext("Te vaak een verkeerde PIN. Wacht {n} seconde en probeer het dan opnieuw.",
                        "Te vaak een verkeerde PIN. Wacht {n} seconden en probeer het dan opnieuw.", math.ceil(seconds))
    return ngettext("Te vaak een verkeerde PIN. Wacht {n} minuut en probeer het dan opnieuw.",
                    "Te vaak een verkeerde PIN. Wacht {n} minuten en probeer het dan opnieuw.", minutes)


def pin_words(answer: PinAnswer) -> str:
    """What a refused PIN tells the client: why, and what to do now."""
    if answer.outcome is PinOutcome.LOCKED or (answer.outcome is PinOutcome.WRONG and answer.wait):
        return _wait_words(answer.wait)
    if answer.outcome is PinOutcome.INVALID:
        return _("Een PIN heeft 4, 5 of 6 cijfers.")
    if answer.outcome is PinOutcome.DAMAGED:
        return _("De PIN van dit kompas kan niet meer worden gelezen. Dit kompas kan alleen gewist worden.")
    if answer.outcome is PinOutcome.NOT_SAVED:
        return _("Opslaan lukte niet. Is er nog ruimte op het apparaat?")
    if answer.outcome is PinOutcome.NO_MEMORY:
        return _("Het apparaat had het even te druk. Probeer het zo opnieuw.")
    return _("Dat is niet de goede PIN. Probeer het nog een keer.")
