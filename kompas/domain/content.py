"""The worksheet's own words: names, explanations, example questions and example actions, in plain Dutch.

These are written for this app (not taken from the Impuls worksheet) and are
marked with N_ so the catalogue holds them; `_` translates them where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompas.domain.model import Condition, Step
from kompas.i18n import N_

__all__ = ["ConditionText", "StepText", "CONDITIONS", "STEPS"]


@dataclass(frozen=True)
class ConditionText:
    name: str
    explanation: str
    example_actions: tuple[str, ...]


@dataclass(frozen=True)
class StepText:
    name: str
    question: str  # the step told in the sailing metaphor
    example_questions: tuple[str, ...]


CONDITIONS: dict[Condition, ConditionText] = {
    Condition.JEZELF_ZIJN: ConditionText(
        name=N_("Jezelf zijn"),
        explanation=N_(
            "Je mag zijn wie je bent. Wat past bij jou? Waar word jij blij van? "
            "Hier schrijf je op wie jij bent en wat bij jou past."
        ),
        example_actions=(
            N_("Elke ochtend tien minuten wandelen"),
            N_("Een foto maken van iets moois"),
            N_("Zaterdagavond een film kijken die ik zelf kies"),
        ),
    ),
    Condition.ERTOE_DOEN: ConditionText(
        name=N_("Ertoe doen"),
        explanation=N_(
            "Je telt mee. Wat jij doet, is belangrijk voor anderen. "
            "Hier schrijf je op voor wie jij belangrijk bent. En wat jij doet voor anderen."
        ),
        example_actions=(
            N_("Samen met papa een taart bakken"),
            N_("De buurvrouw helpen met de boodschappen"),
            N_("Een kaartje sturen naar een vriend"),
        ),
    ),
    Condition.MEEDOEN: ConditionText(
        name=N_("Meedoen"),
        explanation=N_(
            "Je doet mee met wat er om je heen gebeurt. Denk aan werk, school, "
            "sport, een club of vrijwilligerswerk. Hier schrijf je op wat je wilt doen."
        ),
        example_actions=(
            N_("Een Stadspas aanvragen"),
            N_("Bellen met de sportclub voor een proefles"),
            N_("Eén keer naar de inloop in het buurthuis gaan"),
        ),
    ),
    Condition.ERBIJ_HOREN: ConditionText(
        name=N_("Erbij horen"),
        explanation=N_(
            "Je hoort ergens bij. Bij familie, vrienden, buren of een groep. "
            "Hier schrijf je op bij wie jij je thuis voelt."
        ),
        example_actions=(
            N_("Mijn zus bellen"),
            N_("Koffie drinken met een buurman of buurvrouw"),
            N_("Naar het taalcafé gaan"),
        ),
    ),
}

STEPS: dict[Step, StepText] = {
    Step.AANLEIDING: StepText(
        name=N_("Aanleiding"),
        question=N_("Wat bracht mij uit koers?"),
        example_questions=(
            N_("Wat is er gebeurd?"),
            N_("Wat is er veranderd in mijn leven?"),
            N_("Wanneer ging het anders dan ik wilde?"),
        ),
    ),
    Step.KRACHTEN: StepText(
        name=N_("Krachten en bronnen"),
        question=N_("Wat houdt mij op koers?"),
        example_questions=(
            N_("Waar ben ik goed in?"),
            N_("Wat geeft mij energie?"),
            N_("Wie staat achter mij?"),
        ),
    ),
    Step.WAARDEN: StepText(
        name=N_("Waarden"),
        question=N_("Wat vind ik belangrijk? Dat wijst mij de weg."),
        example_questions=(
            N_("Wat vind ik echt belangrijk?"),
            N_("Waar ben ik trots op?"),
            N_("Hoe wil ik leven?"),
        ),
    ),
    Step.BELEMMERINGEN: StepText(
        name=N_("Belemmeringen"),
        question=N_("Wat houdt mij tegen?"),
        example_questions=(
            N_("Wat maakt het nu lastig?"),
            N_("Waar zie ik tegenop?"),
        ),
    ),
    Step.INZET: StepText(
        name=N_("Benodigde inzet en bronnen"),
        question=N_("Wat en wie heb ik nodig?"),
        example_questions=(
            N_("Wat kan ik zelf doen?"),
            N_("Wie kan mij helpen?"),
            N_("Wat heb ik nog nodig?"),
        ),
    ),
}
