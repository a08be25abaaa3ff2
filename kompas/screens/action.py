"""The action form as plain state, without Flet: its questions, and what it starts with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kompas.domain.model import Action, Condition, Kompas, default_look_back
from kompas.i18n import N_

__all__ = [
    "ADJUST",
    "CAN_YOU",
    "CHOOSE",
    "EXAMPLES",
    "FIRST_STEP",
    "HEADING",
    "INTRO",
    "OTHER_DATE",
    "SMALLER",
    "WHAT",
    "WHEN",
    "WHICH_PART",
    "WHO_HELPS",
    "YES",
    "ActionForm",
    "action_form",
]

# The form's words in the order they stand on it: shown, read aloud and spoken by their own speakers from here.
HEADING = N_("Mijn actie voor de komende weken")
INTRO = N_("Eén kleine stap die je echt kunt doen. In je eigen woorden.")
WHAT = N_("Wat ga je doen?")
EXAMPLES = N_("Voorbeelden. Tik erop en maak het van jou:")
WHICH_PART = N_("Bij welk deel hoort het?")
WHO_HELPS = N_("Wie helpt je? (mag leeg blijven)")
FIRST_STEP = N_("Wat is het eerste kleine stapje? (mag leeg blijven)")
WHEN = N_("Wanneer kijken we terug?")
OTHER_DATE = N_("Andere datum kiezen")
CHOOSE = N_("Kies deze actie")
# The pop-up before the action is set: its question, and its two answers (the first as there are remarks or not).
CAN_YOU = N_("Kun je dit in de komende weken doen?")
SMALLER = N_("Ik maak het kleiner")
ADJUST = N_("Nog even aanpassen")
YES = N_("Ja, dat lukt")


@dataclass(frozen=True)
class ActionForm:
    """What the form holds when it opens. `current`: the action it changes, or None for a new one."""

    current: Action | None
    text: str
    condition: Condition | None
    helper: str
    first_step: str
    look_back: date


def action_form(kompas: Kompas, today: date, suggested: Condition | None) -> ActionForm:
    """The form for `suggested` (the condition it was opened from, if any)."""
    # Changing the action starts from it; choosing one for another condition starts blank.
    current = kompas.action if kompas.action and suggested in (None, kompas.action.condition) else None
    if current is None:
        return ActionForm(None, "", suggested, "", "", default_look_back(today))
    # A look-back day gone by is not offered again: the form starts from today.
    return ActionForm(current, current.text, suggested or current.condition, current.helper, current.first_step,
                      max(date.fromisoformat(current.look_back), today))
