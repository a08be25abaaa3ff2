"""Sessions on the shelf: each screen holds its own kompas, locks, pairs once, and never reaches another's."""

from __future__ import annotations

import pytest

from kompas.domain.model import Condition, Step
from kompas.store.shelf import Shelf
from kompas.workbook.session import PAIRING_SECONDS, Library, PinOutcome


def test_two_screens_on_one_kompas_share_it_and_another_kompas_stays_apart(library):
    noor, sam = library.create("Noor", "geel"), library.create("Sam", "blauw")
    laptop, phone, other = library.session(), library.session(), library.session()
    laptop.choose(noor.id)
    phone.choose(noor.id)
    other.choose(sam.id)
    laptop.workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken")
    assert [n.text for n in phone.workbook.kompas.notes] == ["Ik kan goed koken"]
    assert other.workbook.kompas.notes == []
    assert laptop.file_key != phone.file_key != other.file_key
    assert library.kompas_of_file_key(other.file_key) == sam.id


def test_a_kompas_with_a_pin_opens_only_with_it_and_locks_again(library):
    noor = library.create("Noor", "geel")
    assert library.pin(noor.id).set("2468").outcome is PinOutcome.OK
    session = library.session()
    session.choose(noor.id)
    assert session.workbook is None and session.file_key is None
    assert session.unlock("1357").outcome is PinOutcome.WRONG
    assert session.workbook is None
    assert session.unlock("2468").outcome is PinOutcome.OK
    key = session.file_key
    assert session.workbook is not None and library.kompas_of_file_key(key) == noor.id
    session.lock()
    assert session.workbook is None and library.kompas_of_file_key(key) is None


def test_an_idle_kompas_is_due_to_lock_after_the_chosen_minutes(library):
    session = library.session()
    session.choose(library.create("Noor", "geel").id)
    library.clock.now += 4 * 60
    assert not session.idle_too_long()
    session.touch()
    library.clock.now += 5 * 60 - 1
    assert not session.idle_too_long()
    library.clock.now += 2
    assert session.idle_too_long()


def test_a_pairing_code_opens_one_kompas_once_and_not_after_ten_minutes(library):
    noor = library.create("Noor", "geel")
    library.pin(noor.id).set("2468")
    pairing = library.pair(noor.id)
    assert library.pairing_open(pairing.token) and library.pairing_open(pairing.token), "looking does not use it"
    assert library.redeem(pairing.token) == noor.id
    assert library.redeem(pairing.token) is None
    assert not library.pairing_open(pairing.token)

    late = library.pair(noor.id)
    library.clock.now += PAIRING_SECONDS + 1
    assert not library.pairing_open(late.token)
    assert library.redeem(late.token) is None
    assert library.redeem("geraden") is None


def test_erasing_a_kompas_closes_every_screen_on_it_and_leaves_the_others(library, tmp_path):
    noor, sam = library.create("Noor", "geel"), library.create("Sam", "blauw")
    on_noor, on_sam = library.session(), library.session()
    on_noor.choose(noor.id)
    on_sam.choose(sam.id)
    on_sam.workbook.set_wish("Een eigen huis")
    sam_files = {p: p.read_bytes() for p in library.folder(sam.id).rglob("*") if p.is_file()}
    key = on_noor.file_key
    assert library.erase(noor.id)
    assert on_noor.card_id is None and on_noor.workbook is None
    assert library.kompas_of_file_key(key) is None
    assert [c.nickname for c in library.cards()] == ["Sam"]
    assert {p: p.read_bytes() for p in library.folder(sam.id).rglob("*") if p.is_file()} == sam_files
    assert on_sam.workbook.kompas.wish == "Een eigen huis"


def test_each_kompas_locks_after_its_own_quiet_minutes_and_keeps_its_language(tmp_path):
    clock = [1000.0]
    with Shelf.open(tmp_path) as shelf:
        library = Library(shelf, clock=lambda: clock[0])
        quick, slow = shelf.create("Noor"), shelf.create("Sam")
        shelf.change(quick.id, lock_minutes=1)
        first, second = library.session(), library.session()
        first.choose(quick.id)
        second.choose(slow.id)
        clock[0] += 61
        assert first.idle_too_long() and not second.idle_too_long()
        clock[0] += 4 * 60
        assert second.idle_too_long()
        # Locked by now (without a PIN: closed); opened again, each screen speaks its own kompas's language, and
        # the choice is kept with the kompas.
        assert not first.unlocked and not second.unlocked and first.card_id is None
        first.choose(quick.id)
        first.choose_language("ar")
        assert first.speaks() == "ar" and second.speaks() is None
        assert Library(shelf).session().speaks() is None
        assert shelf.card(quick.id).language == "ar"


def test_a_locked_door_changes_nothing_and_discreet_makes_every_door_neutral(library):
    shelf = library._shelf
    noor, sam = shelf.create("Noor"), shelf.create("Sam")
    library.pin(noor.id).set("2468")
    at_door = library.session()
    at_door.choose(noor.id)
    assert not at_door.unlocked
    with pytest.raises(PermissionError):
        at_door.set_door(discreet=True)
    # A language picked at the door is this screen's, not the kompas's: the door does not write the card.
    shelf.change(noor.id, language="ar")
    assert at_door.speaks() == "ar"
    at_door.choose_language("nl")
    assert at_door.speaks() == "nl" and shelf.card(noor.id).language == "ar"
    # Another kompas chosen: its own language speaks again.
    at_door.choose(sam.id)
    shelf.change(sam.id, language="fa")
    assert at_door.speaks() == "fa"
    at_door.choose(noor.id)
    assert not at_door.is_discreet()
    inside = library.session()
    inside.choose(sam.id)
    inside.set_door(discreet=True, lock_minutes=15)
    assert shelf.card(sam.id).discreet and inside.idle_minutes == 15
    # One discreet kompas on the device: no door on it says "kompas" any more.
    assert at_door.is_discreet() and library.session().is_discreet()


def test_a_kompas_erased_on_another_screen_cannot_be_chosen_and_breaks_no_screen(library):
    shelf = library._shelf
    noor = shelf.create("Noor")
    shelf.create("Sam")
    watching, opened = library.session(), library.session()
    opened.choose(noor.id)
    opened.close()
    assert library.erase(noor.id)
    with pytest.raises(KeyError):
        watching.choose(noor.id)
    assert watching.card_id is None and watching.card is None and watching.speaks() is None


def test_a_kompas_that_had_a_pin_where_it_came_from_offers_to_set_one_here(library, tmp_path, monkeypatch):
    """The PIN never travels; that there was one does, so the new device can say so at once."""
    import kompas.store.sealed as sealed

    monkeypatch.setattr(sealed, "_SCRYPT", {"n": 2**10, "r": 8, "p": 1})
    noor, sam = library.create("Noor", "geel"), library.create("Sam", "blauw")
    assert library.pin(noor.id).set("2468").outcome is PinOutcome.OK
    with_pin, without_pin = library.pack(noor.id, "zee en wind"), library.pack(sam.id)
    assert b"2468" not in with_pin and b"scrypt$" not in without_pin

    phone = Library(Shelf.open(tmp_path / "telefoon"))
    try:
        arrival = phone.receive(with_pin, "zee en wind")
        assert arrival.manifest.had_pin
        noor_here = phone.take_in(arrival)
        sam_here = phone.take_in(phone.receive(without_pin))
        assert phone.pin_offered(noor_here.id) and not phone.pin_offered(sam_here.id)
        assert not phone.pin(noor_here.id).is_set, "the PIN itself never comes along"
        phone.answer_pin_offer(noor_here.id)
        assert not phone.pin_offered(noor_here.id)
        # Replacing a kompas that has its own PIN here: it keeps that PIN, and nothing is offered.
        assert phone.pin(noor_here.id).set("1357").outcome is PinOutcome.OK
        again = phone.receive(with_pin, "zee en wind")
        assert phone.pin_offered(phone.take_in(again, pin="1357").id) is False
    finally:
        phone.close()
