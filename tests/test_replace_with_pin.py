"""Replacing or erasing a kompas that has a PIN needs that PIN, typed on the screen that does it; a kompas open on
another screen is not replaced; the replaced kompas goes to its backups first, so going back brings it back."""

from __future__ import annotations

from datetime import date

import pytest
from photofiles import phone_photo

from kompas.domain.model import Condition, Step
from kompas.store.pin import FREE_TRIES
from kompas.store.shelf import Shelf
from kompas.workbook.session import Arrival, FolderInUse, Library, PinAnswer, PinOutcome
from kompas.workbook.workbook import Outcome

TODAY = date(2026, 3, 12)


@pytest.fixture
def noor(tmp_path, monkeypatch):
    """Noor with a PIN: an older plain copy of her kompas in a file, and newer notes and a photo on the device."""
    import kompas.store.pin as pin

    monkeypatch.setattr(pin, "COST", pin.Cost(n=2**10, r=8, p=1))
    library = Library(Shelf.open(tmp_path / "data"))
    card = library.create("Noor", "geel")
    laptop = library.session()
    laptop.choose(card.id)
    laptop.workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kook graag")
    older = library.pack(card.id)
    assert laptop.workbook.add_note(Condition.MEEDOEN, Step.WAARDEN, "Nieuw: mijn kinderen") is Outcome.SAVED
    assert laptop.workbook.add_photo(phone_photo(640, 480), "kompas")[0] is Outcome.SAVED
    assert library.pin(card.id).set("2468").outcome is PinOutcome.OK
    yield library, card, laptop, older
    library.close()


def disk(library, card) -> dict[str, bytes]:
    folder = library.folder(card.id)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "tries" not in p.name and ".lock" not in p.name}


def test_a_kompas_open_on_another_screen_is_not_replaced_and_keeps_every_note(noor):
    library, card, laptop, older = noor
    phone = library.session()  # a phone with the cookie, on the shelf
    before = disk(library, card)
    arrival = library.receive(older)
    assert isinstance(arrival, Arrival) and arrival.same.id == card.id
    with pytest.raises(FolderInUse):
        library.take_in(arrival, pin="2468", here=phone)
    library.discard(arrival)
    assert disk(library, card) == before
    # The open screen goes on as if nothing happened.
    assert laptop.workbook.add_note(Condition.MEEDOEN, Step.INZET, "Nog een") is Outcome.SAVED


def test_replacing_a_kompas_with_a_pin_takes_that_pin_under_its_lockout(noor):
    library, card, laptop, older = noor
    laptop.lock()
    phone = library.session()
    before = disk(library, card)
    arrival = library.receive(older)
    for typed in (None, "1357"):
        answer = library.take_in(arrival, pin=typed, here=phone, today=TODAY)
        assert isinstance(answer, PinAnswer) and answer.outcome is not PinOutcome.OK
    assert disk(library, card) == before, "nothing changed without the PIN"
    # Wrong PINs here count as at the door: after the free tries, even the right one waits.
    for _ in range(FREE_TRIES - 1):
        library.take_in(arrival, pin="0000", here=phone, today=TODAY)
    assert library.take_in(arrival, pin="2468", here=phone, today=TODAY).outcome is PinOutcome.LOCKED
    assert disk(library, card) == before


def test_the_replaced_kompas_goes_to_its_backups_with_its_photo_and_comes_back(noor):
    library, card, laptop, older = noor
    newer = laptop.workbook.kompas
    [photo] = newer.photos
    laptop.close()
    phone = library.session()
    arrival = library.receive(older)
    taken = library.take_in(arrival, pin="2468", here=phone, today=TODAY)
    assert taken.id == card.id and taken.nickname == "Noor"
    assert library.pin(card.id).is_set, "the PIN stays"
    back = library.session()
    back.choose(card.id)
    assert back.unlock("2468").outcome is PinOutcome.OK
    workbook = back.workbook
    assert [n.text for n in workbook.kompas.notes] == ["Ik kook graag"]
    # "Terugzetten": the kompas as it was just before the file came in, photo and all.
    assert TODAY in workbook.backup_days()
    assert workbook.go_back_to(TODAY) is Outcome.SAVED
    assert [n.text for n in workbook.kompas.notes] == [n.text for n in newer.notes]
    assert [p.id for p in workbook.kompas.photos] == [photo.id]
    folder = library.folder(card.id)
    assert (folder / photo.file).is_file() and (folder / photo.thumb).is_file()


def test_erasing_a_kompas_with_a_pin_takes_that_pin(noor):
    library, card, laptop, _older = noor
    before = disk(library, card)
    for typed in (None, "1357"):
        answer = library.erase(card.id, typed)
        assert isinstance(answer, PinAnswer) and answer.outcome is not PinOutcome.OK
    assert disk(library, card) == before and laptop.unlocked
    assert library.erase(card.id, "2468") is True
    assert library.cards() == []


def test_a_kompas_without_a_pin_is_replaced_as_before_and_kept_as_a_backup(tmp_path):
    library = Library(Shelf.open(tmp_path / "data"))
    sam = library.create("Sam")
    screen = library.session()
    screen.choose(sam.id)
    screen.workbook.add_note(Condition.ERBIJ_HOREN, Step.KRACHTEN, "Oud")
    older = library.pack(sam.id)
    screen.workbook.add_note(Condition.ERBIJ_HOREN, Step.KRACHTEN, "Nieuw")
    screen.close()
    taken = library.take_in(library.receive(older), today=TODAY)
    assert taken.id == sam.id
    screen.choose(sam.id)
    assert [n.text for n in screen.workbook.kompas.notes] == ["Oud"]
    assert screen.workbook.backup_days() == [TODAY]
    library.close()
