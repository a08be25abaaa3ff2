"""A realistic sample kompas, for demos and for training begeleiders."""

from __future__ import annotations

from datetime import date

from kompas.domain.model import Condition, Step, default_look_back
from kompas.workbook.workbook import Outcome, Workbook

__all__ = ["fill_demo"]

# (condition, step, text, starred): written as a client might, in short everyday words.
_NOTES = [
    (Condition.JEZELF_ZIJN, Step.KRACHTEN, "Ik kan goed koken, vooral soep", True),
    (Condition.JEZELF_ZIJN, Step.KRACHTEN, "Ik geef niet snel op", False),
    (Condition.JEZELF_ZIJN, Step.WAARDEN, "Mijn geloof geeft mij rust", False),
    (Condition.JEZELF_ZIJN, Step.AANLEIDING, "Sinds de verhuizing weet ik niet goed wie ik hier ben", False),
    (Condition.ERTOE_DOEN, Step.KRACHTEN, "Mijn kinderen komen bij mij als ze verdriet hebben", True),
    (Condition.ERTOE_DOEN, Step.WAARDEN, "Ik wil een goed voorbeeld zijn voor mijn kinderen", False),
    (Condition.ERTOE_DOEN, Step.INZET, "Iemand die mij helpt met de brieven", False),
    (Condition.MEEDOEN, Step.KRACHTEN, "Ik spreek Arabisch en een beetje Nederlands", False),
    (Condition.MEEDOEN, Step.WAARDEN, "Werken is belangrijk voor mij", True),
    (Condition.MEEDOEN, Step.BELEMMERINGEN, "Ik weet niet waar ik moet beginnen", False),
    (Condition.MEEDOEN, Step.INZET, "Een Stadspas voor de sportclub van mijn zoon", False),
    (Condition.ERBIJ_HOREN, Step.KRACHTEN, "Mijn buurvrouw Fatma", False),
    (Condition.ERBIJ_HOREN, Step.AANLEIDING, "Mijn familie woont ver weg", False),
    (Condition.ERBIJ_HOREN, Step.INZET, "Een plek om andere moeders te ontmoeten", False),
]


def fill_demo(workbook: Workbook, today: date) -> Outcome:
    """Write the sample notes, wish and action into an empty workbook."""
    for condition, step, text, starred in _NOTES:
        outcome = workbook.add_note(condition, step, text)
        if outcome is not Outcome.SAVED:
            return outcome
        if starred:
            workbook.set_star(workbook.kompas.notes[-1].id, True)
    workbook.set_wish("Een eigen huis waar mijn kinderen kunnen spelen")
    return workbook.choose_action(
        "Een Stadspas aanvragen",
        Condition.MEEDOEN,
        default_look_back(today),
        today,
        helper="Anouk, mijn begeleider",
        first_step="Paspoort en brief van de gemeente klaarleggen",
    )
