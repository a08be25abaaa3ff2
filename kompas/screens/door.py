"""Which door a screen stands at before a kompas is open, from the facts of its session, without Flet."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kompas.i18n import N_

__all__ = ["Door", "DoorChoice", "DoorFacts", "door_for"]


class Door(enum.Enum):
    HIDDEN = "hidden"  # "Snel verbergen": an empty notes page, until "Verder"
    LANGUAGE = "language"  # choosing the language: at the very first start, or asked for
    NEW_KOMPAS = "new_kompas"  # making a kompas: none on this device yet, or asked for
    OPEN = "open"  # the open kompas itself
    PIN = "pin"  # a chosen kompas's PIN
    SHELF = "shelf"  # every kompas on this device, by its name only


@dataclass(frozen=True)
class DoorChoice:
    """What the client asked for at the door, on this screen only."""

    hidden: bool = False  # hidden at once ("Snel verbergen")
    picking: bool = False  # another language
    making: bool = False  # a new kompas


@dataclass(frozen=True)
class DoorFacts:
    """What the door depends on: what the client asked for on this screen, and how the session stands."""

    choice: DoorChoice = DoorChoice()
    has_cards: bool = False  # any kompas on this device
    language_chosen: bool = False  # the session speaks a language chosen here or kept with a kompas
    chosen: bool = False  # a kompas is chosen on this screen
    unlocked: bool = False  # and open
    has_pin: bool = False  # the chosen kompas has a PIN (asked only while it is not open)
    discreet: bool = False  # the chosen kompas, or before one is chosen any on this device, is discreet
    discreet_inside: bool = False  # the open kompas is discreet

    @property
    def neutral(self) -> bool:
        """Before the PIN a discreet kompas (or any discreet one on this device) is never called a kompas."""
        return self.discreet and not self.unlocked

    @property
    def name(self) -> str:
        """The tab's title and the doors' heading (a msgid): "Notities" wherever "Kompas" would give it away."""
        return N_("Notities") if self.choice.hidden or self.neutral or (self.unlocked and self.discreet_inside) else N_(
            "Kompas")


def door_for(facts: DoorFacts) -> Door:
    choice = facts.choice
    if choice.hidden:
        return Door.HIDDEN
    # The very first start asks for the language before any other word.
    if choice.picking or (not facts.has_cards and not facts.language_chosen):
        return Door.LANGUAGE
    if choice.making or not facts.has_cards:
        return Door.NEW_KOMPAS
    if facts.chosen and facts.unlocked:
        return Door.OPEN
    if facts.chosen and facts.has_pin:
        return Door.PIN
    # Chosen and locked without a PIN cannot be: such a kompas closes instead, and the shelf shows.
    return Door.SHELF
