"""A discreet kompas is never called a kompas where someone else may look: its addresses in the browser's history, its
file in a Downloads folder, the words before any PIN when a file is opened, and the page a visitor without the key
gets."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest
from conftest import ROOT

from kompas.domain.model import Condition
from kompas.i18n import use_language
from kompas.screens.registry import route_for, route_of, screen_at
from kompas.screens.state import Screen, ScreenKind
from kompas.store.shelf import Shelf
from kompas.ui.filewords import file_problem_message, open_elsewhere_words, same_kompas_words
from kompas.workbook.session import NEUTRAL_SUFFIX, SUFFIXES, FileProblem, Library

# What would give a discreet kompas away, in the screens' words and in the method's terms, in Dutch and English.
TELLING = re.compile(r"kompas|compass|meedoen|ertoe|erbij|jezelf|plakboek|koers|actie|poster|meenemen|instellingen|"
                     r"terugkijken|hoe-gaat", re.IGNORECASE)


def every_screen() -> list[Screen]:
    return [Screen(ScreenKind.HOME), *(Screen(ScreenKind.CONDITION, c) for c in Condition), Screen(ScreenKind.ACTION),
            *(Screen(ScreenKind.ACTION, c) for c in Condition),
            *(Screen(k) for k in ScreenKind if k not in (ScreenKind.HOME, ScreenKind.CONDITION, ScreenKind.ACTION))]


def test_a_discreet_kompas_has_addresses_that_say_nothing_and_lead_to_the_same_screens():
    routes = set()
    for screen in every_screen():
        route = route_for(screen, discreet=True)
        assert not TELLING.search(route), route
        assert screen_at(route) == screen
        assert route_for(screen, discreet=False) == route_of(screen)
        routes.add(route)
    assert len(routes) == len(every_screen()), "each screen its own address"
    assert screen_at("/p/999") == Screen(ScreenKind.HOME)


def test_a_discreet_kompas_downloads_under_a_neutral_name_and_such_a_file_opens(tmp_path):
    with Shelf.open(tmp_path / "laptop") as shelf:
        library = Library(shelf)
        card = shelf.create("Noor")
        shelf.change(card.id, discreet=True)
        parcel = library.parcel(card.id, library.pack(card.id), today=date(2026, 11, 22))
        assert parcel.name == f"notities-2026-11-22{NEUTRAL_SUFFIX}" and not TELLING.search(parcel.name)
        assert NEUTRAL_SUFFIX in SUFFIXES
        saved = tmp_path / parcel.name
        saved.write_bytes(parcel.data)
    # The phone takes it in as any kompas file: what is inside counts, not the name.
    done = subprocess.run([sys.executable, "-m", "kompas", "--data", str(tmp_path / "phone"), "import", str(saved)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Shelf.open(tmp_path / "phone") as shelf:
        [arrived] = shelf.cards()
        assert arrived.nickname == "Noor" and arrived.discreet


@pytest.mark.parametrize("language", ["nl", "en"])
def test_before_any_pin_opening_a_file_never_says_kompas(language):
    with use_language(language):
        said = [file_problem_message(problem, neutral=True) for problem in FileProblem]
        said += [same_kompas_words("Noor", neutral=True), open_elsewhere_words(neutral=True)]
        for words in said:
            assert not TELLING.search(words), words
        # Without a discreet kompas the words are the usual ones.
        assert TELLING.search(file_problem_message(FileProblem.NOT_KOMPAS))


def test_a_visitor_without_the_key_reads_nothing_about_what_the_app_is(tmp_path):
    from starlette.testclient import TestClient

    from kompas.ui.server import build_web_app
    from kompas.ui.web.doors import Keys

    keys = Keys()
    library = Library(Shelf.open(tmp_path))
    client = TestClient(build_web_app(library, keys, frozenset({"testserver"})))
    refused = client.get("/")
    assert refused.status_code == 403 and not TELLING.search(refused.text), refused.text
    # The page that hands out the key stays in the history for a moment: its title says nothing either.
    handed = client.get(f"/?k={keys.link}")
    assert handed.status_code == 200 and not TELLING.search(handed.text.split("<script>")[0]), handed.text
    library.close()
