"""What a client does with the kompas, checked on memory and on a real file: words kept exactly, nothing lost."""

import os
import threading
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kompas.base import clock
from kompas.domain import model
from kompas.domain.model import MAX_TEXT, Condition, Mood, Step
from kompas.media.photos import PhotoProblem
from kompas.store.lock import LOCK_FILE
from kompas.store.storage import DB_FILE, Store
from kompas.workbook.workbook import Outcome, Workbook

ODD_TEXTS = [
    "  twee spaties ervoor en erna  ",
    "Regel één\nRegel twee\n",
    "أنا أطبخ جيدا",
    "ጥሩ ምግብ አበስላለሁ",
    "Я добре готую",
    "Emoji 🎂👨‍👧 en ĳs",
    "<b>geen html</b> {placeholder} %s \\n",
    "\ud800 losse surrogaat",
]


def test_a_note_is_added_where_it_was_written(workbook):
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken") is Outcome.SAVED
    assert [n.text for n in workbook.kompas.notes_at(Condition.MEEDOEN, Step.KRACHTEN)] == ["Ik kan goed koken"]
    assert workbook.store.load().notes == workbook.kompas.notes


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_the_clients_words_are_kept_exactly_as_typed(workbook, text):
    assert workbook.add_note(Condition.JEZELF_ZIJN, Step.WAARDEN, text) is Outcome.SAVED
    assert workbook.store.load().notes[0].text == text
    assert workbook.set_wish(text) is Outcome.SAVED
    assert workbook.store.load().wish == text
    if workbook.store.in_file:
        # The store keeps the kompas in memory: only opening the file again shows what was written.
        workbook.store.close()
        with Store.open(workbook.store.folder) as again:
            kompas = again.load()
        assert (kompas.notes[0].text, kompas.wish) == (text, text)


def test_empty_words_are_not_added(workbook):
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "   \n ") is Outcome.EMPTY
    assert workbook.store.load().notes == []


def test_too_long_text_is_refused_and_nothing_changes(workbook):
    workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "kort")
    note = workbook.kompas.notes[0]
    assert workbook.edit_note(note.id, "x" * (MAX_TEXT + 1)) is Outcome.TOO_LONG
    assert workbook.store.load().notes[0].text == "kort"


def test_editing_starring_and_deleting_a_note(workbook):
    workbook.add_note(Condition.ERTOE_DOEN, Step.WAARDEN, "Goed voorbeeld zijn")
    note_id = workbook.kompas.notes[0].id
    assert workbook.edit_note(note_id, "Een goed voorbeeld zijn") is Outcome.SAVED
    assert workbook.set_star(note_id, True) is Outcome.SAVED
    stored = workbook.store.load().notes[0]
    assert (stored.text, stored.starred) == ("Een goed voorbeeld zijn", True)
    assert workbook.delete_note(note_id) is Outcome.SAVED
    assert workbook.store.load().notes == []
    assert workbook.delete_note(note_id) is Outcome.NOT_FOUND


def test_a_deleted_note_can_be_put_back_in_its_old_place(workbook):
    for text in ("een", "twee", "drie"):
        workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, text)
    middle = workbook.kompas.notes[1]
    workbook.delete_note(middle.id)
    assert workbook.restore_note(middle) is Outcome.SAVED
    assert [n.text for n in workbook.store.load().notes] == ["een", "twee", "drie"]
    assert [n.text for n in workbook.kompas.notes] == ["een", "twee", "drie"]


TODAY = date(2026, 11, 21)


def test_choosing_an_action_replaces_the_one_before(workbook):
    look_back = date(2026, 12, 5)
    workbook.choose_action("Mijn zus bellen", Condition.ERBIJ_HOREN, look_back, TODAY)
    assert workbook.choose_action("Een Stadspas aanvragen", Condition.MEEDOEN, look_back, TODAY,
                                  helper="Anouk", first_step="Paspoort zoeken") is Outcome.SAVED
    action = workbook.store.load().action
    assert (action.text, action.condition, action.helper, action.first_step, action.look_back) == (
        "Een Stadspas aanvragen", Condition.MEEDOEN, "Anouk", "Paspoort zoeken", "2026-12-05")


def test_an_action_needs_words(workbook):
    assert workbook.choose_action(" ", Condition.MEEDOEN, date(2026, 12, 5), TODAY) is Outcome.EMPTY
    assert workbook.store.load().action is None


def test_a_look_back_date_that_has_passed_is_refused(workbook):
    assert workbook.choose_action("Mijn zus bellen", Condition.ERBIJ_HOREN, TODAY - timedelta(days=1),
                                  TODAY) is Outcome.DATE_PASSED
    assert workbook.store.load().action is None
    assert workbook.choose_action("Mijn zus bellen", Condition.ERBIJ_HOREN, TODAY, TODAY) is Outcome.SAVED


def test_a_failed_write_changes_nothing_the_client_sees_or_has(tmp_path, monkeypatch):
    workbook = Workbook(Store.open(tmp_path))
    workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "al bewaard")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "nieuw") is Outcome.NOT_SAVED
    assert workbook.set_wish("wens") is Outcome.NOT_SAVED
    assert [n.text for n in workbook.kompas.notes] == ["al bewaard"]
    monkeypatch.undo()
    # Nothing half-written is left to fill the disk further.
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE, DB_FILE]
    workbook.store.close()
    reopened = Store.open(tmp_path)
    assert reopened.problem is None
    assert [n.text for n in reopened.load().notes] == ["al bewaard"]
    assert reopened.load().wish == ""


def test_listeners_hear_of_stored_changes_only(workbook):
    heard = []
    stop = workbook.subscribe(lambda: heard.append(1))
    workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "ja")
    workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "")
    stop()
    workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "na het stoppen")
    assert heard == [1]


def test_a_broken_listener_is_dropped_and_the_change_still_counts(workbook):
    broken, heard = [], []

    def closed_tab():
        broken.append(1)
        raise RuntimeError("session is gone")

    workbook.subscribe(closed_tab)
    workbook.subscribe(lambda: heard.append(1))
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "toch bewaard") is Outcome.SAVED
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "en nog een") is Outcome.SAVED
    assert len(workbook.store.load().notes) == 2
    assert broken == [1], "a broken listener is called once, then dropped"
    assert heard == [1, 1], "the other screens still hear every change"


def test_notes_keep_their_order_when_the_clock_goes_back(tmp_path):
    # The device clock as Note.created reads it: summer time ends right after the first note.
    times = [datetime(2026, 10, 25, 2, 55), datetime(2026, 10, 25, 2, 5), datetime(2026, 10, 25, 2, 10)]
    workbook = Workbook(Store.open(tmp_path))
    for moment, text in zip(times, ("eerst", "daarna", "als laatste")):
        with clock.shifted(moment):
            workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, text)
    first, second, third = workbook.kompas.notes
    assert second.created < third.created < first.created, "the clock went back after the first note"
    assert workbook.edit_note(second.id, "daarna, verbeterd") is Outcome.SAVED
    expected = ["eerst", "daarna, verbeterd", "als laatste"]
    assert [n.text for n in workbook.kompas.notes] == expected
    workbook.store.close()
    with Store.open(tmp_path) as again:
        assert [n.text for n in again.load().notes] == expected


def test_an_unreadable_file_is_told_once_a_newer_one_every_time(tmp_path):
    (tmp_path / "kompas.json").write_text("{kapot")
    workbook = Workbook(Store.open(tmp_path))
    told = workbook.problem_to_tell()
    assert told[0].value == "unreadable" and told[1].startswith("kompas.unreadable-")
    assert workbook.problem_to_tell() is None


def test_a_file_from_a_newer_app_is_left_alone_and_nothing_is_written(tmp_path):
    newer = '{"meta": {"1": {"schema": 99}}, "notes": {}}'
    (tmp_path / "kompas.json").write_text(newer)
    workbook = Workbook(Store.open(tmp_path))
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "nieuw") is Outcome.NOT_SAVED
    assert workbook.set_wish("wens") is Outcome.NOT_SAVED
    assert (tmp_path / "kompas.json").read_text() == newer
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE, "kompas.json"]
    for _ in range(2):
        assert workbook.problem_to_tell() == (workbook.store.problem, "kompas.json")


def test_a_period_grows_with_check_ins_and_closes_with_a_look_back(workbook):
    look_back = date(2026, 12, 5)
    assert workbook.check_in(Mood.GOED, TODAY) is Outcome.NO_ACTION
    workbook.add_note(Condition.ERTOE_DOEN, Step.KRACHTEN, "Ik kan bakken")
    workbook.choose_action("Samen met papa een taart bakken", Condition.ERTOE_DOEN, look_back, TODAY)
    assert workbook.check_in(Mood.GAAT_WEL, TODAY, note="Recept gevonden") is Outcome.SAVED
    # Changing the action's date keeps what was already done in this period.
    workbook.choose_action("Samen met papa een taart bakken", Condition.ERTOE_DOEN, look_back + timedelta(days=3), TODAY)
    assert workbook.check_in(Mood.GOED, TODAY + timedelta(days=2)) is Outcome.SAVED
    assert workbook.mark_done() is Outcome.SAVED
    assert workbook.look_back("De taart was lekker", "Ik kan het zelf", "Papa", TODAY + timedelta(days=5)) is Outcome.SAVED

    for kompas in (workbook.kompas, workbook.store.load()):
        assert kompas.action is None and kompas.checkins == [] and not kompas.done
        [period] = kompas.periods
        assert period.action.text == "Samen met papa een taart bakken" and period.done
        assert [c.mood for c in period.checkins] == [Mood.GAAT_WEL, Mood.GOED]
        assert period.checkins[0].note == "Recept gevonden"
        assert (period.look_back.went_well, period.look_back.learned, period.look_back.helped) == (
            "De taart was lekker", "Ik kan het zelf", "Papa")
        assert [n.text for n in kompas.notes] == ["Ik kan bakken"], "the kompas itself carries over"

    assert workbook.choose_action("Mijn zus bellen", Condition.ERBIJ_HOREN, look_back, TODAY) is Outcome.SAVED
    assert workbook.store.load().checkins == []


def test_photos_are_added_captioned_deleted_and_put_back(tmp_path):
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from photofiles import phone_photo

    workbook = Workbook(Store.open(tmp_path))
    outcome, photo = workbook.add_photo(phone_photo(800, 600), "meedoen")
    assert outcome is Outcome.SAVED and (tmp_path / photo.file).exists()
    assert workbook.set_caption(photo.id, "Op de fiets") is Outcome.SAVED
    assert workbook.set_on_poster(photo.id, True) is Outcome.SAVED
    assert workbook.store.load().photos[0].caption == "Op de fiets"
    assert workbook.store.load().poster_photos()[0].id == photo.id

    bad, nothing = workbook.add_photo(b"geen foto", "meedoen")
    assert bad is PhotoProblem.NOT_AN_IMAGE and nothing is None
    assert len(workbook.store.load().photos) == 1

    assert workbook.delete_photo(photo.id) is Outcome.SAVED
    assert workbook.store.load().photos == []
    kept = workbook.kompas.photos
    assert workbook.restore_photo(replace(photo, caption="Op de fiets", on_poster=True)) is Outcome.SAVED
    assert workbook.store.load().photos[0].caption == "Op de fiets" and kept == []

    # Deleted for good: its files are erased the next time the app starts.
    workbook.delete_photo(photo.id)
    workbook.store.close()
    Workbook(Store.open(tmp_path)).store.close()
    assert not (tmp_path / photo.file).exists() and not (tmp_path / photo.thumb).exists()


def test_an_actions_photos_go_with_it_to_mijn_koers_even_when_the_next_is_chosen_that_same_day(workbook, monkeypatch):
    from kompas.domain.model import Photo

    def paste(about: str, day: date, hour: int = 10) -> Photo:
        photo = Photo(file=f"photos/{about}{hour}.jpg", thumb=f"photos/{about}{hour}-klein.jpg", about=about,
                      added=datetime.combine(day, datetime.min.time()).replace(hour=hour).isoformat())
        assert workbook.restore_photo(photo) is Outcome.SAVED
        return photo

    look_back = TODAY + timedelta(days=14)
    with clock.shifted(TODAY):
        workbook.choose_action("Een Stadspas aanvragen", Condition.MEEDOEN, look_back, TODAY)
    cake = paste("actie", look_back)
    paste("meedoen", look_back)
    assert workbook.look_back("Het lukte", "", "", look_back) is Outcome.SAVED
    # The same day, after the look-back: a new action, and a photo of it.
    with clock.shifted(look_back):
        workbook.choose_action("Mijn zus bellen", Condition.ERBIJ_HOREN, look_back + timedelta(days=14), look_back)
    call = paste("actie", look_back, hour=15)
    for kompas in (workbook.kompas, workbook.store.load()):
        [period] = kompas.periods
        assert {key: [p.file for p in found] for key, found in kompas.action_photos().items()} == {
            period.id: [cake.file], None: [call.file]}

    # A look-back that could not be stored leaves the action's photos with the action, and the next one takes them.
    real = workbook.store.close_period
    monkeypatch.setattr(workbook.store, "close_period", lambda *a: (_ for _ in ()).throw(OSError(28, "vol")))
    assert workbook.look_back("", "", "", look_back + timedelta(days=14)) is Outcome.NOT_SAVED
    assert [p.file for p in workbook.store.load().action_photos()[None]] == [call.file]
    monkeypatch.setattr(workbook.store, "close_period", real)
    assert workbook.look_back("", "", "", look_back + timedelta(days=14)) is Outcome.SAVED
    kompas = workbook.store.load()
    assert None not in kompas.action_photos()
    assert [p.file for p in kompas.action_photos()[kompas.periods[-1].id]] == [call.file]


def test_action_photos_from_before_they_named_their_period_go_to_the_weeks_they_were_added_in(workbook):
    from kompas.domain.model import Photo

    first, second = TODAY, TODAY + timedelta(days=14)
    for chosen, look_back in ((first, second), (second + timedelta(days=1), second + timedelta(days=14))):
        with clock.shifted(chosen):
            workbook.choose_action("Een Stadspas aanvragen", Condition.MEEDOEN, look_back, chosen)
        workbook.look_back("", "", "", look_back)
    with clock.shifted(second + timedelta(days=20)):
        workbook.choose_action("Koken met de buren", Condition.ERBIJ_HOREN, second + timedelta(days=28),
                               second + timedelta(days=20))
    # As an older app stored them: "actie", no period.
    for day in (first + timedelta(days=3), second + timedelta(days=5), second + timedelta(days=21)):
        workbook.store.put_photo(Photo(file=f"photos/{day}.jpg", thumb=f"photos/{day}-klein.jpg", about="actie",
                                       added=f"{day}T12:00:00"))
    kompas = workbook.store.load()
    assert {key: [p.file for p in found] for key, found in kompas.action_photos().items()} == {
        kompas.periods[0].id: [f"photos/{first + timedelta(days=3)}.jpg"],
        kompas.periods[1].id: [f"photos/{second + timedelta(days=5)}.jpg"],
        None: [f"photos/{second + timedelta(days=21)}.jpg"]}


def test_photos_of_a_kompas_kept_aside_are_never_erased(tmp_path):
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from photofiles import phone_photo

    workbook = Workbook(Store.open(tmp_path))
    _, photo = workbook.add_photo(phone_photo(400, 300), "kompas")
    workbook.store.close()
    (tmp_path / "kompas.json").write_text("{kapot")
    Workbook(Store.open(tmp_path)).store.close()
    assert (tmp_path / photo.file).exists() and (tmp_path / photo.thumb).exists()


# Two devices on one server, each making a change from its own thread. The first device's
# write is slowed down, so the second device's change starts while the first is being written.
RACES = {
    "a star and an edit of the same note": (
        "put_note",
        lambda wb: wb.set_star(wb.kompas.notes[0].id, True),
        lambda wb: wb.edit_note(wb.kompas.notes[0].id, "Ik kan heel goed koken"),
        lambda k: [(n.text, n.starred) for n in k.notes] == [("Ik kan heel goed koken", True)],
    ),
    "two check-ins": (
        "put_progress",
        lambda wb: wb.check_in(Mood.GOED, TODAY, note="van de telefoon"),
        lambda wb: wb.check_in(Mood.LASTIG, TODAY, note="van de laptop"),
        lambda k: sorted(c.note for c in k.checkins) == ["van de laptop", "van de telefoon"],
    ),
    "a check-in and looking back": (
        "put_progress",
        lambda wb: wb.check_in(Mood.GOED, TODAY, note="van de telefoon"),
        lambda wb: wb.look_back("Goed", "Veel", "Anouk", TODAY),
        lambda k: [c.note for p in k.periods for c in p.checkins] == ["van de telefoon"],
    ),
    "a caption and putting the photo on the poster": (
        "put_photo",
        lambda wb: wb.set_caption(wb.kompas.photos[0].id, "Op de fiets"),
        lambda wb: wb.set_on_poster(wb.kompas.photos[0].id, True),
        lambda k: [(p.caption, p.on_poster) for p in k.photos] == [("Op de fiets", True)],
    ),
}


@pytest.mark.parametrize("race", RACES, ids=list(RACES))
def test_two_devices_changing_at_once_both_keep_their_change(tmp_path, monkeypatch, race):
    write_name, first, second, both_kept = RACES[race]
    workbook = Workbook(Store.open(tmp_path))
    workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken")
    workbook.choose_action("Een Stadspas aanvragen", Condition.MEEDOEN, TODAY + timedelta(days=14), TODAY)
    workbook.restore_photo(model.Photo("photos/a.jpg", "photos/a-klein.jpg", "2026-11-21T10:00:00"))
    writing = threading.Event()
    write = getattr(workbook.store, write_name)

    def slow_write(*args):
        writing.set()
        time.sleep(0.3)
        return write(*args)

    monkeypatch.setattr(workbook.store, write_name, slow_write)
    outcomes = []
    phone = threading.Thread(target=lambda: outcomes.append(first(workbook)))
    phone.start()
    assert writing.wait(5)
    laptop = threading.Thread(target=lambda: outcomes.append(second(workbook)))
    laptop.start()
    phone.join(10)
    laptop.join(10)
    assert outcomes == [Outcome.SAVED, Outcome.SAVED]
    assert both_kept(workbook.kompas)
    workbook.store.close()
    with Store.open(tmp_path) as again:
        assert both_kept(again.load())


def test_the_poster_choices_are_kept_and_a_quick_second_tap_counts_too(workbook):
    from kompas.domain.model import Paper, PosterItem

    assert workbook.change_poster(dutch_labels=True) is Outcome.SAVED
    assert workbook.change_poster(paper=Paper.A3) is Outcome.SAVED
    assert workbook.change_poster(items=workbook.kompas.poster.items | {PosterItem.AANLEIDING}) is Outcome.SAVED
    kept = workbook.store.load().poster
    assert kept.dutch_labels and kept.paper is Paper.A3 and PosterItem.AANLEIDING in kept.items


def test_a_step_holds_at_most_its_share_of_notes(workbook):
    """The limit a .kompas file is held to on the way in is the one typing holds: the next note is refused with a word
    that says why, and nothing changes."""
    from kompas.domain.model import MAX_NOTES_PER_STEP

    for n in range(MAX_NOTES_PER_STEP):
        assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, f"Kracht {n}") is Outcome.SAVED
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, "Nog een") is Outcome.FULL
    assert len(workbook.kompas.notes) == MAX_NOTES_PER_STEP
    assert workbook.add_note(Condition.MEEDOEN, Step.WAARDEN, "Elders past het wel") is Outcome.SAVED
