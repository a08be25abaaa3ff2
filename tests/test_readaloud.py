"""What each screen says when "Voorlezen" is tapped: all a client must know there, warnings first, the client's own
words in their place, and every word of the app's own ready for a speech pack."""

from __future__ import annotations

import ast
import importlib
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from kompas.domain.model import ActionHint, Condition, Mood, Paper, PosterChoice, PosterItem, Step
from kompas.i18n import LANGUAGES, _, use_language
from kompas.screens.readaloud import (
    DoorState,
    action_question_aloud,
    done_aloud,
    door_aloud,
    language_aloud,
    shelf_aloud,
)
from kompas.screens.registry import app_words, read_aloud
from kompas.screens.state import STARS_ON_HOME, Screen, ScreenKind
from kompas.store.storage import Store
from kompas.workbook.workbook import Outcome, Workbook

TODAY = date(2026, 11, 22)
UI = Path(__file__).resolve().parent.parent / "kompas" / "ui"


def texts(pieces) -> list[str]:
    return [p.text for p in pieces]


@pytest.fixture
def workbook(tmp_path) -> Workbook:
    workbook = Workbook(Store.in_memory(tmp_path))
    for outcome in (
        workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken"),
        workbook.set_star(workbook.kompas.notes[0].id, True),
        workbook.set_wish("Een eigen huis"),
        workbook.choose_action("De sportclub bellen", Condition.MEEDOEN, TODAY + timedelta(days=14), TODAY,
                               helper="Anouk", first_step="Het nummer opzoeken"),
        workbook.check_in(Mood.GOED, TODAY, note="Nummer gevonden"),
        workbook.look_back("Ik heb gebeld", "Bellen valt mee", "Anouk", TODAY + timedelta(days=14)),
        workbook.choose_action("Mijn zus bellen", Condition.ERBIJ_HOREN, TODAY + timedelta(days=28),
                               TODAY + timedelta(days=14)),
    ):
        assert outcome is Outcome.SAVED
    return workbook


def test_slot_en_wissen_reads_the_pin_and_erase_warnings_first_then_every_card(workbook):
    pieces = read_aloud(Screen(ScreenKind.SETTINGS), workbook.kompas, TODAY, DoorState(nickname="Noor"))
    said = texts(pieces)
    assert said[:3] == ["Slot en wissen", "PIN vergeten? Dan kan dit kompas alleen gewist worden.",
                        "Alles van dit kompas gaat van dit apparaat: notities, foto's, posters. Dat kan niet terug."]
    for words in ("Met een PIN kan niemand anders dit kompas openen op dit apparaat.", "PIN instellen",
                  "Op slot na 5 minuten: gekozen", "Stil: vóór de PIN heet de app gewoon Notities", "Open op telefoon",
                  "Dit kompas wissen", "Langzaam voorlezen"):
        assert words in said, words
    # A switch says whether it is on.
    assert said[said.index("Langzaam voorlezen") + 1] == "aan"
    assert said[said.index("Stil: vóór de PIN heet de app gewoon Notities") + 1] == "uit"
    # The kompas's name, typed to erase it, is the client's: never in a speech pack, never kept.
    [name] = [p for p in pieces if "Noor" in p.text]
    assert name.own and not name.owner
    with_pin = texts(read_aloud(Screen(ScreenKind.SETTINGS), workbook.kompas, TODAY,
                                DoorState(has_pin=True, discreet=True, lock_minutes=15)))
    assert with_pin[1].startswith("PIN vergeten?") and "Dit kompas heeft een PIN." in with_pin
    assert "Op slot na 15 minuten: gekozen" in with_pin and "PIN weghalen" in with_pin


def test_kopie_en_meenemen_reads_the_passphrase_warning_first(workbook):
    said = texts(read_aloud(Screen(ScreenKind.TAKE_ALONG), workbook.kompas, TODAY,
                            DoorState(can_pair=True, backup_days=(TODAY, TODAY - timedelta(days=1),
                                                                  TODAY - timedelta(days=3)))))
    assert said[1] == ("Met een wachtwoord kan alleen wie het wachtwoord kent het bestand openen. Vergeet je het, dan "
                       "gaat de kopie niet meer open.")
    for words in ("Bewaar een kopie", "Kopie maken", "Terugzetten ongedaan maken", "Terug naar 19 november",
                  "Wat je daarna deed, gaat dan weg. Dat kun je weer ongedaan maken.", "Meegeven aan de client"):
        assert words in said, words


def test_over_deze_app_reads_every_card_and_the_credit_to_the_method(workbook):
    said = " ".join(texts(read_aloud(Screen(ScreenKind.ABOUT), workbook.kompas, TODAY)))
    assert "Er gaat niets naar internet." in said and "© J. Wolf / Impuls" in said and "niet door Impuls" in said


def test_the_poster_screen_reads_what_visitors_see_first_and_each_switch_with_its_state(workbook):
    choice = PosterChoice(items=frozenset({PosterItem.ACTION, PosterItem.AANLEIDING}), paper=Paper.A3)
    kompas = replace(workbook.kompas, poster=choice)
    said = texts(read_aloud(Screen(ScreenKind.POSTER), kompas, TODAY))
    assert said[1] == "Bezoek ziet de poster ook. Zet de twee hieronder alleen aan als je dat wilt."
    assert said[said.index("Mijn actie") + 1] == "aan" and said[said.index("Aanleiding") + 1] == "aan"
    assert said[said.index("Waarden") + 1] == "uit" and said[said.index("Belemmeringen") + 1] == "uit"
    assert "Papier A3: gekozen" in said and "Papier A4" in said
    # In another language, the switch for the Dutch words beside them is there too.
    with use_language("en"):
        english = texts(read_aloud(Screen(ScreenKind.POSTER), kompas, TODAY))
    assert len(english) == len(said) + 2


def test_the_door_says_what_a_forgotten_pin_means_before_the_pin_is_typed_and_a_quiet_one_never_says_kompas():
    said = texts(door_aloud("Noor", discreet=False))
    assert said.index("PIN vergeten? Dan kan dit kompas alleen gewist worden.") < said.index(
        "Typ je PIN om dit kompas te openen.")
    quiet = texts(door_aloud("Noor", discreet=True))
    assert "PIN vergeten? Dan kan alles hier alleen gewist worden." in quiet
    assert not any("kompas" in text.lower() for text in quiet)
    assert not any("kompas" in text.lower() for text in texts(shelf_aloud(["Noor"], neutral=True)))


def test_mijn_koers_reads_each_period_with_all_the_client_wrote_in_it(workbook):
    pieces = read_aloud(Screen(ScreenKind.TIMELINE), workbook.kompas, TODAY)
    said = texts(pieces)
    period = workbook.kompas.periods[0]
    for words in ("De sportclub bellen", "Goed", "Nummer gevonden", "Wat ging goed?", "Ik heb gebeld",
                  "Wat heb je geleerd?", "Bellen valt mee", "Wie of wat hielp?", "Anouk"):
        assert words in said, words
    assert said.index("De sportclub bellen") < said.index("Nummer gevonden") < said.index("Bellen valt mee")
    # The client's words of a period are kept with it; its dates are spoken and not kept.
    kept = {p.owner for p in pieces if p.own and p.owner}
    assert kept == {f"koers-{period.id}"}
    assert any(p.own and not p.owner and "22 november" in p.text for p in pieces)


def test_home_reads_the_action_the_compass_the_wish_the_stars_and_the_names_of_its_buttons(workbook):
    said = texts(read_aloud(Screen(ScreenKind.HOME), workbook.kompas, TODAY))
    order = ["Mijn kompas", "Mijn zus bellen", "Hoe gaat het?", "Actie veranderen", "Meedoen", "1 notitie",
             "Mijn wens voor later", "Een eigen huis", "Wat voor mij het belangrijkst is", "Ik kan goed koken",
             "Mijn plakboek", "Mijn koers", "Poster voor de koelkast", "Kopie en meenemen", "Slot en wissen",
             "Over deze app"]
    assert [said.index(words) for words in order] == sorted(said.index(words) for words in order)


def test_each_pop_up_question_has_its_own_words_to_read():
    said = texts(action_question_aloud(" Een Stadspas aanvragen ", [ActionHint.VAGUE]))
    assert said == ["Kun je dit in de komende weken doen?", "Een Stadspas aanvragen",
                    "Wat ga je precies doen? Met wie, en waar?", "Ik maak het kleiner", "Ja, dat lukt"]
    assert texts(done_aloud())[0] == "Gedaan! Goed gedaan!"


def test_the_very_first_start_says_choose_your_language_in_every_language_each_in_its_own_voice():
    pieces = language_aloud()
    assert [p.language for p in pieces] == list(LANGUAGES)
    assert len({p.text for p in pieces}) == len(LANGUAGES)
    for piece in pieces:
        with use_language(piece.language):
            assert piece.text == _("Kies je taal")


def questions_with_a_speaker() -> set[str]:
    """The Dutch of every question the screens give a speaker of its own: Asked(control, "…"), or Asked(control, WHAT)
    with the Dutch in a name the screen's module knows."""
    found = set()
    for path in UI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Asked":
                question = node.args[1]
                found.add(getattr(importlib.import_module(f"kompas.ui.{path.stem}"), question.id)
                          if isinstance(question, ast.Name) else ast.literal_eval(question))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_a_screen_can_say_is_in_a_speech_pack_and_none_of_a_client(language):
    with use_language(language):
        words = app_words(TODAY, (1, 2, 5, 15, 30), 10)
        said = {p.text for p in words}
        assert not any(p.own for p in words)
        # The sample kompas the screens were read with writes "x" in every field a client fills in.
        assert not any(text == "x" or "x" in text.split() for text in said)
        for question in questions_with_a_speaker():
            assert _(question) in said, question
        for words_of_a_screen in ("PIN vergeten? Dan kan dit kompas alleen gewist worden.", "Dit kompas wissen",
                                  "Gedaan! Goed gedaan!", "Kun je dit in de komende weken doen?"):
            assert _(words_of_a_screen) in said
    assert questions_with_a_speaker() >= {"Wat ga je doen?", "Is het gelukt?", "Wie of wat hielp?"}


def test_home_reads_the_stars_it_shows_the_newest_and_the_button_for_all(workbook):
    stars = STARS_ON_HOME + 3
    for n in range(1, stars + 1):
        workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, f"Ster nummer {n}.")
        workbook.set_star(workbook.kompas.notes[-1].id, True)
    said = texts(read_aloud(Screen(ScreenKind.HOME), workbook.kompas, TODAY))
    read = [n for n in range(1, stars + 1) if f"Ster nummer {n}." in said]
    assert read == list(range(stars - STARS_ON_HOME + 1, stars + 1))
    assert "Ik kan goed koken" not in said, "the oldest star is behind the button, as on the screen"
    every = len(workbook.kompas.starred())
    assert said.index(f"Ster nummer {stars}.") < said.index(f"Alle {every} laten zien") < said.index("Mijn plakboek")
