"""What the client starred stands on home, in Chromium: every star while there are a few; after years of use the
newest ones and a button that shows them all, so home stays short and quick to come back to."""

from __future__ import annotations

import re

import pytest
from browser import open_app
from conftest import AppServer, one_kompas
from playwright.sync_api import expect

from kompas.domain.model import Condition, Step
from kompas.screens.state import STARS_ON_HOME
from kompas.store.storage import Store
from kompas.workbook.workbook import Outcome, Workbook

pytestmark = pytest.mark.browser


def starred_kompas(data_dir, stars: int) -> None:
    with Store.open(one_kompas(data_dir)) as store:
        workbook = Workbook(store)
        conditions = list(Condition)
        for n in range(1, stars + 1):
            assert workbook.add_note(conditions[n % 4], Step.KRACHTEN, f"Ster nummer {n}") is Outcome.SAVED
            assert workbook.set_star(workbook.kompas.notes[-1].id, True) is Outcome.SAVED
        # And one note without a star, which home never shows.
        assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Zonder ster") is Outcome.SAVED


def star(page, n: int):
    # Each starred note is one button, named after its words and where it leads.
    return page.get_by_role("button", name=re.compile(f"^Ster nummer {n}: openen bij "))


def test_many_stars_show_the_newest_and_a_tap_shows_them_all(chromium, tmp_path):
    stars = STARS_ON_HOME + 4
    starred_kompas(tmp_path / "data", stars)
    with AppServer(tmp_path / "data") as server:
        page, _ = open_app(chromium, server.link(), viewport={"width": 390, "height": 4000})
        expect(star(page, stars)).to_be_visible()
        for n in range(stars - STARS_ON_HOME + 1, stars + 1):
            expect(star(page, n)).to_be_visible()
        for n in range(1, stars - STARS_ON_HOME + 1):
            expect(star(page, n)).to_have_count(0)
        expect(page.get_by_role("button", name=re.compile("^Zonder ster"))).to_have_count(0)

        page.get_by_role("button", name=f"Alle {stars} laten zien").click()
        for n in range(1, stars + 1):
            expect(star(page, n)).to_be_visible()
        expect(page.get_by_role("button", name=f"Alle {stars} laten zien")).to_have_count(0)
        # A starred note still leads to its condition.
        star(page, 1).click()
        expect(page.get_by_role("button", name="Ster weghalen: Ster nummer 1")).to_be_visible()


def test_a_few_stars_all_stand_on_home_without_a_button(chromium, tmp_path):
    starred_kompas(tmp_path / "data", STARS_ON_HOME)
    with AppServer(tmp_path / "data") as server:
        page, _ = open_app(chromium, server.link(), viewport={"width": 390, "height": 4000})
        for n in range(1, STARS_ON_HOME + 1):
            expect(star(page, n)).to_be_visible()
        expect(page.get_by_role("button", name="laten zien")).to_have_count(0)
