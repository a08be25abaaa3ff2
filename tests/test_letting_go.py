"""A kompas no screen has open is let go: its store closed, its folder free, its memory given back."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from fiveyears import fill_five_years

from kompas.base import clock
from kompas.store.lock import FolderInUse
from kompas.store.storage import DB_FILE, Store
from kompas.workbook.drafts import Draft
from kompas.workbook.workbook import Outcome, Workbook

# The count: a begeleider opening one client's kompas after another.
KOMPASSEN = 20


def _free(library, card_id: str) -> bool:
    """Whether another store could open this kompas's folder now: no one holds its lock."""
    try:
        Store.open(library.folder(card_id)).close()
    except FolderInUse:
        return False
    return True


def test_every_way_of_leaving_a_kompas_closes_it_and_frees_its_folder(library):
    cards = [library.create(f"Client {n}", "blauw") for n in range(6)]
    library.pin(cards[1].id).set("2468")
    library.pin(cards[2].id).set("2468")
    session = library.session()

    session.choose(cards[0].id)
    assert session.workbook is not None and not _free(library, cards[0].id)
    session.close()  # back to the shelf

    session.choose(cards[1].id)
    session.unlock("2468")
    assert session.workbook is not None
    session.lock()  # the lock button: the PIN is asked again

    session.choose(cards[2].id)
    session.unlock("2468")
    assert session.workbook is not None
    session.hide()  # "Snel verbergen" with a PIN locks

    session.choose(cards[3].id)
    assert session.workbook is not None
    session.choose(cards[4].id)  # straight to another kompas
    assert session.workbook is not None

    other = library.session()
    other.choose(cards[5].id)
    assert other.workbook is not None
    library.end(other)  # the page went away

    assert all(_free(library, card.id) for card in cards[:4])
    assert set(library._workbooks) == {cards[4].id}
    session.close()
    assert library._workbooks == {}
    assert all(_free(library, card.id) for card in cards)


def test_a_kompas_locked_at_its_lock_time_is_let_go(library):
    card = library.create("Noor", "geel")
    session = library.session()
    session.choose(card.id)
    assert session.workbook is not None
    library.clock.now += 5 * 60 + 1
    assert library.lock_idle() == [session]
    assert library._workbooks == {} and _free(library, card.id)


def test_a_kompas_stays_open_while_another_screen_has_it(library):
    noor = library.create("Noor", "geel")
    laptop, phone = library.session(), library.session()
    laptop.choose(noor.id)
    phone.choose(noor.id)
    shared = phone.workbook
    assert laptop.workbook is shared

    laptop.close()
    assert phone.workbook is shared and not _free(library, noor.id)
    shared.set_wish("Een eigen huis")
    laptop.choose(noor.id)
    assert laptop.workbook is shared, "two screens on one kompas share one workbook, also after one came back"
    assert laptop.workbook.kompas.wish == "Een eigen huis"

    laptop.close()
    phone.close()
    assert library._workbooks == {} and _free(library, noor.id)
    again = library.session()
    again.choose(noor.id)
    assert again.workbook is not shared and again.workbook.kompas.wish == "Een eigen huis"


def test_words_still_being_typed_are_stored_before_the_kompas_closes(library):
    card = library.create("Noor", "geel")
    session = library.session()
    session.choose(card.id)
    workbook = session.workbook
    # Far longer than the test: only leaving the kompas can store it.
    draft = Draft(lambda text: workbook.set_wish(text) is Outcome.SAVED, delay=3600)
    draft.type("Een eigen huis waar mijn kinderen kunnen spelen")
    session.close()
    assert not draft.pending
    with Store.open(library.folder(card.id)) as store:
        assert store.load().wish == "Een eigen huis waar mijn kinderen kunnen spelen"


@pytest.fixture(scope="module")
def five_years(tmp_path_factory) -> bytes:
    """The file of a five-year kompas (130 periods, 1,000 photo records), built once in memory."""
    workbook = Workbook(Store.in_memory(tmp_path_factory.mktemp("files")))
    fill_five_years(workbook, clock.today())
    return workbook.snapshot()


def test_the_memory_of_kompassen_left_comes_back(library, five_years):
    cards = [library.create(f"Client {n}", "blauw") for n in range(KOMPASSEN)]
    for card in cards:
        (library.folder(card.id) / DB_FILE).write_bytes(five_years)
    session = library.session()

    def open_and_leave(card_id: str) -> int:
        session.choose(card_id)
        assert len(session.workbook.kompas.periods) == 130
        session.close()
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        # A first one fills what any first kompas fills once (caches of dates, words): the rest must add nothing.
        open_and_leave(cards[0].id)
        after_first = open_and_leave(cards[1].id)
        tracemalloc.reset_peak()
        for card in cards[2:]:
            after_last = open_and_leave(card.id)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # One five-year kompas takes a few megabytes while open; 18 more kept would add tens.
    one_open = peak - after_first
    assert one_open > 1_000_000, "the measure must see an open kompas at all"
    assert after_last - after_first < one_open / 4, f"{(after_last - after_first) / 1e6:.1f} MB not given back"
    assert library._workbooks == {}
