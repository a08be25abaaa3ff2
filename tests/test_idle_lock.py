"""The lock time belongs to the kompas and the clock, not to a page: it comes whether or not a screen is connected."""

from __future__ import annotations

import time

from conftest import Clock
from photofiles import phone_photo

from kompas.store.shelf import Shelf
from kompas.workbook.session import Library, Part, PinOutcome
from kompas.workbook.workbook import Outcome


def gone_page():
    """What telling a page whose connection dropped did: Flet's run_task has no event loop to run on."""
    raise AttributeError("'NoneType' object has no attribute 'loop'")


def test_a_kompas_whose_page_is_gone_locks_at_its_lock_time_with_all_its_keys(library):
    noor, sam = library.create("Noor", "geel"), library.create("Sam", "blauw")
    library.change_card(noor.id, lock_minutes=1)
    assert library.pin(noor.id).set("2468").outcome is PinOutcome.OK
    away, beside = library.session(), library.session()
    away.on_idle_lock = gone_page
    away.choose(noor.id)
    assert away.unlock("2468").outcome is PinOutcome.OK
    beside.choose(sam.id)
    assert away.workbook.add_photo(phone_photo(400, 300), "kompas")[0] is Outcome.SAVED
    key = away.file_key
    copy = library.parcel(noor.id, library.pack(noor.id), owner=away)
    hand_over = library.parcel(noor.id, library.pack(noor.id), hand_over=True, poster=b"%PDF", owner=away)
    assert library.kompas_of_file_key(key) == noor.id

    library.clock.now += 59
    assert library.lock_idle() == [] and away.unlocked
    library.clock.now += 2
    beside.touch()  # the other screen is in use; its kompas stays open
    # Nobody asked anything of the screen that went away: the library's own look locks it.
    assert library.lock_idle() == [away]
    assert away.card_id == noor.id and away._unlocked is False and away.workbook is None
    assert library.kompas_of_file_key(key) is None, "its photos, posters and copies no longer open"
    assert library.parcel_for(copy.token, hand_over=False) is None
    assert library.begin_fetch(hand_over.token, Part.FILE) is None
    assert beside.unlocked and beside.workbook is not None
    # Coming back shows the door: the PIN is needed again.
    assert away.workbook is None and away.unlock("2468").outcome is PinOutcome.OK


def test_anything_asked_after_the_lock_time_finds_the_kompas_locked_before_any_look(library):
    noor = library.create("Noor")
    session = library.session()
    told = []
    session.on_idle_lock = lambda: told.append("door")
    session.choose(noor.id)
    key = session.file_key
    library.clock.now += 5 * 60 + 1
    # A photo address asked for by a tab coming back: refused, and the kompas (no PIN) is closed at once.
    assert library.kompas_of_file_key(key) is None
    assert session.card_id is None and told == ["door"]
    # Input after the lock time does not reopen it.
    session.touch()
    assert not session.unlocked and session.workbook is None


def test_a_voice_note_being_spoken_keeps_its_kompas_open(library):
    noor = library.create("Noor")
    session = library.session()
    speaking = [True]
    session.busy = lambda: speaking[0]
    session.choose(noor.id)
    library.clock.now += 10 * 60
    assert library.lock_idle() == [] and session.unlocked
    speaking[0] = False
    library.clock.now += 5 * 60 + 1
    assert library.lock_idle() == [session]


def test_the_library_watches_the_clock_from_a_thread_of_its_own(library):
    noor = library.create("Noor")
    library.pin(noor.id).set("2468")
    session = library.session()
    session.on_idle_lock = gone_page
    session.choose(noor.id)
    session.unlock("2468")
    library.watch_idle(every=0.02)
    library.clock.now += 5 * 60 + 1
    deadline = time.monotonic() + 5
    while session._unlocked and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not session._unlocked and session.file_key is None


def test_a_server_wide_lock_time_shortens_every_kompas_and_never_lengthens_one(tmp_path):
    clock = Clock()
    with Shelf.open(tmp_path) as shelf:
        library = Library(shelf, clock=clock, lock_seconds=20)
        quick, slow = shelf.create("Noor"), shelf.create("Sam")
        shelf.change(slow.id, lock_minutes=30)
        first, second = library.session(), library.session()
        first.choose(quick.id)
        second.choose(slow.id)
        assert first.idle_seconds == second.idle_seconds == 20
        assert library.idle_check == 5
        assert Library(shelf, lock_seconds=600).session().idle_seconds == 5 * 60
        clock.now += 21
        assert set(library.lock_idle()) == {first, second}
