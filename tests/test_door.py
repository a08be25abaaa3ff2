"""Which door a screen stands at, from the facts of its session, without Flet: the first start, the shelf, a PIN, a
hidden screen, an open kompas, and the name the tab carries at each."""

from dataclasses import replace

import pytest

from kompas.screens.door import Door, DoorChoice, DoorFacts, door_for

# One kompas on the device, with a PIN, chosen on this screen and not yet open.
AT_PIN = DoorFacts(has_cards=True, language_chosen=True, chosen=True, has_pin=True)


def test_the_very_first_start_asks_for_the_language_before_anything_else():
    assert door_for(DoorFacts()) is Door.LANGUAGE
    # The language chosen, still no kompas: make one.
    assert door_for(DoorFacts(language_chosen=True)) is Door.NEW_KOMPAS


def test_a_device_with_kompassen_shows_the_shelf_until_one_is_chosen():
    assert door_for(DoorFacts(has_cards=True)) is Door.SHELF
    assert door_for(DoorFacts(has_cards=True, choice=DoorChoice(making=True))) is Door.NEW_KOMPAS
    assert door_for(DoorFacts(has_cards=True, choice=DoorChoice(picking=True))) is Door.LANGUAGE


def test_a_chosen_kompas_asks_its_pin_and_then_opens():
    assert door_for(AT_PIN) is Door.PIN
    assert door_for(replace(AT_PIN, unlocked=True, has_pin=False)) is Door.OPEN
    # Without a PIN a kompas that is not open has closed: the shelf shows, never a PIN screen with nothing to type.
    assert door_for(replace(AT_PIN, has_pin=False)) is Door.SHELF


@pytest.mark.parametrize("facts", [AT_PIN, replace(AT_PIN, unlocked=True), DoorFacts(), DoorFacts(has_cards=True)])
def test_hidden_at_once_covers_every_door_until_verder(facts):
    assert door_for(replace(facts, choice=DoorChoice(hidden=True))) is Door.HIDDEN
    assert door_for(replace(facts, choice=DoorChoice(hidden=True, picking=True, making=True))) is Door.HIDDEN


def test_another_language_can_be_chosen_at_every_door_but_the_hidden_one():
    for facts in (AT_PIN, replace(AT_PIN, unlocked=True), DoorFacts(language_chosen=True)):
        assert door_for(replace(facts, choice=DoorChoice(picking=True))) is Door.LANGUAGE


def test_a_discreet_kompas_is_never_called_a_kompas_before_its_pin_nor_inside():
    assert AT_PIN.name == "Kompas" and not AT_PIN.neutral
    discreet = replace(AT_PIN, discreet=True)
    assert discreet.neutral and discreet.name == "Notities"
    # Open, a discreet kompas keeps its cover in the tab's title; another one open on a device with a discreet one
    # is called what it is.
    assert replace(discreet, unlocked=True, discreet_inside=True).name == "Notities"
    assert not replace(discreet, unlocked=True).neutral and replace(discreet, unlocked=True).name == "Kompas"
    assert replace(AT_PIN, choice=DoorChoice(hidden=True)).name == "Notities"
