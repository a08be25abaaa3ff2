"""A begeleider's laptop with a kompas for each of many clients: the shelf shows a page of names, finds one by its
letters, and shows more on request."""

from __future__ import annotations

import pytest
from browser import open_app, type_into
from conftest import AppServer
from playwright.sync_api import expect

from kompas.store.shelf import Shelf
from kompas.ui.shelf import SHELF_PAGE

pytestmark = pytest.mark.browser

CLIENTS = 30


def test_a_shelf_of_thirty_shows_a_page_of_names_finds_one_and_shows_more(chromium, tmp_path):
    data = tmp_path / "data"
    with Shelf.open(data) as shelf:
        for n in range(1, CLIENTS + 1):
            shelf.create(f"Client {n}", "blauw")
    with AppServer(data) as server:
        page, _left = open_app(chromium, server.link())
        expect(page.get_by_role("button", name="Client 1 openen", exact=True)).to_be_attached()
        # A page of names, not all thirty: the shelf opens as fast with two hundred as with one.
        assert page.get_by_role("button", name=f"Client {SHELF_PAGE + 1} openen", exact=True).count() == 0
        more = page.get_by_role("button", name=f"Meer namen laten zien ({CLIENTS - SHELF_PAGE} nog)")
        expect(more).to_be_attached()
        # A name further down is found by its letters...
        type_into(page, "Zoek je naam", "client 27")
        expect(page.get_by_role("button", name="Client 27 openen", exact=True)).to_be_attached()
        expect(page.get_by_role("button", name="Client 1 openen", exact=True)).to_have_count(0)
        type_into(page, "Zoek je naam", "Zus")
        expect(page.get_by_text("Geen naam gevonden met deze letters.")).to_be_attached()
        # ...or by going on down the list.
        type_into(page, "Zoek je naam", "")
        page.get_by_role("button", name=f"Meer namen laten zien ({CLIENTS - SHELF_PAGE} nog)").click()
        expect(page.get_by_role("button", name=f"Client {2 * SHELF_PAGE} openen", exact=True)).to_be_attached()
        type_into(page, "Zoek je naam", "27")
        page.get_by_role("button", name="Client 27 openen", exact=True).click()
        expect(page.get_by_role("button", name="Meedoen: openen")).to_be_visible()
