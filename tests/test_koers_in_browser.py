"""Mijn koers in Chromium: the newest periods first, a page of them at once, the earlier ones on request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser import open_app
from conftest import AppServer, one_kompas
from playwright.sync_api import expect

from kompas.base import clock
from kompas.domain.model import Condition
from kompas.store.storage import Store
from kompas.workbook.workbook import Outcome, Workbook

pytestmark = pytest.mark.browser


def test_mijn_koers_shows_the_newest_periods_first_and_the_earlier_ones_on_request(chromium, tmp_path):
    data = tmp_path / "data"
    today = clock.today()
    with Store.open(one_kompas(data)) as store:
        workbook = Workbook(store)
        for n in range(3):
            day = today - timedelta(weeks=2 * (3 - n))
            assert workbook.choose_action(f"Mijn zus bellen ({n + 1})", Condition.ERBIJ_HOREN,
                                          day + timedelta(days=14), day) is Outcome.SAVED
            assert workbook.look_back("Het lukte", "", "", day + timedelta(days=14)) is Outcome.SAVED
    with AppServer(data) as server:
        page, _ = open_app(chromium, server.link("/koers"), viewport={"width": 390, "height": 3000})
        expect(page.get_by_text("Mijn zus bellen (3)")).to_be_visible(timeout=30_000)
        # The second card follows the first by itself: the first page is two cards, only sent one after the other.
        expect(page.get_by_text("Mijn zus bellen (2)")).to_be_visible()
        expect(page.get_by_text("Mijn zus bellen (1)")).to_have_count(0)
        page.get_by_role("button", name="Eerdere acties laten zien (1 nog)").click()
        expect(page.get_by_text("Mijn zus bellen (1)")).to_be_visible()
        expect(page.get_by_role("button", name="Eerdere acties laten zien (1 nog)")).to_have_count(0)
