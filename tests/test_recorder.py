"""The page's recorder: one recording at a time, the stream's last chunks kept after the stop, and at three minutes it
stops by itself, keeps the note and says so."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace
from typing import Callable

import flet as ft
import pytest
from flet.messaging.session_store import SessionStore
from soundfiles import take_of

from kompas.domain.model import MAX_VOICE_SECONDS, Condition, Step
from kompas.media.recording import Take
from kompas.store.storage import Store
from kompas.ui import record
from kompas.ui.record import Recorder
from kompas.workbook.workbook import Outcome, Workbook


class Microphone:
    """flet-audio-recorder as the server sees it: start and stop, and the chunks its stream sends."""

    def __init__(self, recorder: Recorder):
        self.recorder = recorder
        self.running = False
        self.asking: list[float] | None = None

    async def start_recording(self, output_path=None, configuration=None) -> bool:
        assert output_path is None  # a browser streams; only a phone's recorder writes a file
        assert configuration.encoder.value == "pcm16bits"  # only raw samples can be streamed
        self.running = True
        if self.asking is not None:
            self.asking[0] += 20  # the client takes twenty seconds to allow the microphone
        return True

    async def stop_recording(self) -> None:
        self.running = False
        self.send(b"\x01\x00" * 100)  # the browser's last chunk comes in after the stop

    def send(self, chunk: bytes) -> None:
        self.recorder._chunk(type("StreamEvent", (), {"chunk": chunk})())


class Page:
    web = True  # a browser's page: the sound streams to the server

    def __init__(self):
        self.said: list[str] = []
        # What the page keeps while it lives is in its Flet session's store, as on a real page.
        self.session = SimpleNamespace(store=SessionStore())

    def run_task(self, handler, *args):
        return asyncio.get_running_loop().create_task(handler(*args))

    def show_dialog(self, dialog: ft.SnackBar) -> None:
        self.said.append(dialog.content.value)


@pytest.fixture
def clock(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(record, "Take", lambda file=None: Take(clock=lambda: now[0], file=file))
    monkeypatch.setattr(record, "_TICK", 0.01)
    return now


async def until(condition, seconds: float = 20) -> None:
    """Wait for what the recorder does in its own tasks; a bound only for a recorder that never gets there."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)


@pytest.fixture
def workbook(tmp_path) -> Workbook:
    return Workbook(Store.in_memory(tmp_path))


def recorder_with_microphone() -> tuple[Recorder, Microphone, Page]:
    page = Page()
    recorder = Recorder(page)
    microphone = recorder._service = Microphone(recorder)
    return recorder, microphone, page


def test_at_three_minutes_it_stops_by_itself_keeps_the_note_and_says_so(clock, workbook):
    kept: list[Take] = []

    async def speak() -> None:
        recorder, microphone, page = recorder_with_microphone()
        await recorder.start("meedoen/krachten", lambda take: kept.append(take) or Outcome.SAVED, workbook)
        assert microphone.running and recorder.take is not None
        microphone.send(b"\x10\x00" * 4096)
        clock[0] = MAX_VOICE_SECONDS - 1
        await asyncio.sleep(0.05)
        assert microphone.running and not kept  # a second to go: still listening
        clock[0] = MAX_VOICE_SECONDS
        # Kept, stored and said: on a loaded machine the stop and the store take their time.
        await until(lambda: kept and not recorder.storing and page.said)
        assert not microphone.running and recorder.take is None and not recorder.storing
        assert "Drie minuten is het langst" in page.said[-1]
        # Everything the stream sent is in the note, the last chunk after the stop too.
        assert kept[0].pcm() == b"\x10\x00" * 4096 + b"\x01\x00" * 100

    asyncio.run(speak())


def test_stop_en_bewaar_keeps_the_note_and_says_nothing_about_three_minutes(clock, workbook):
    """The button's handler is called as Flet calls one: with the tap event when it takes an argument."""
    from flet.utils.object_model import get_param_count

    kept: list[Take] = []

    async def speak() -> None:
        recorder, microphone, page = recorder_with_microphone()
        await recorder.start("meedoen/krachten", lambda take: kept.append(take) or Outcome.SAVED, workbook)
        microphone.send(b"\x10\x00" * 4096)
        clock[0] = 10
        tap = ft.ControlEvent(control=ft.Button(), name="click", data=None)
        await (recorder.finish() if get_param_count(recorder.finish) == 0 else recorder.finish(tap))
        await until(lambda: kept and not recorder.storing)
        assert len(kept) == 1 and not microphone.running
        assert not [said for said in page.said if "Drie minuten" in said], page.said

    asyncio.run(speak())


def test_one_recording_at_a_time_and_weggooien_keeps_nothing(clock, workbook):
    kept: list[Take] = []

    async def speak() -> None:
        recorder, microphone, page = recorder_with_microphone()
        await recorder.start("checkin", lambda take: kept.append(take) or Outcome.SAVED, workbook)
        first = recorder.take
        await recorder.start("actie", lambda take: kept.append(take) or Outcome.SAVED, workbook)
        assert recorder.take is first and recorder.place == "checkin"  # the second tap started nothing
        await recorder.cancel()
        microphone.send(b"\x10\x00" * 10)  # late chunks of a recording thrown away go nowhere
        await recorder.finish()
        assert kept == [] and page.said == [] and recorder.take is None and not microphone.running

    asyncio.run(speak())


def test_a_microphone_that_will_not_start_is_said_plainly(clock, workbook):
    async def speak() -> None:
        recorder, microphone, page = recorder_with_microphone()

        async def refused(configuration=None) -> bool:
            raise RuntimeError("NotAllowedError: Permission denied")

        microphone.start_recording = refused
        await recorder.start("checkin", lambda take: Outcome.SAVED, workbook)
        assert recorder.take is None and not recorder.busy
        assert page.said == ["De microfoon doet het niet. Geef de app toestemming om de microfoon te gebruiken, "
                             "of schrijf je notitie."]

    asyncio.run(speak())


def test_a_tab_closed_while_recording_keeps_what_was_said_so_far(clock, workbook):
    kept: list[Take] = []

    async def speak() -> None:
        recorder, microphone, _page = recorder_with_microphone()
        await recorder.start("meedoen/krachten", lambda take: kept.append(take) or Outcome.SAVED, workbook)
        microphone.send(b"\x10\x00" * 4096)
        recorder.keep_unfinished()  # the page's on_close
        await until(lambda: kept and recorder.take is None)
        assert kept[0].pcm() == b"\x10\x00" * 4096 and recorder.take is None

    asyncio.run(speak())


def test_the_three_minutes_count_from_when_the_microphone_is_on_not_from_the_tap(clock, workbook):
    async def speak() -> None:
        recorder, microphone, _page = recorder_with_microphone()
        microphone.asking = clock
        await recorder.start("checkin", lambda take: Outcome.SAVED, workbook)
        assert recorder.take.seconds() == 0  # the timer starts at 0:00 when recording does
        clock[0] += MAX_VOICE_SECONDS - 1
        await asyncio.sleep(0.05)
        assert microphone.running
        await recorder.cancel()

    asyncio.run(speak())


def test_a_page_keeps_one_recorder_in_its_session_until_it_closes():
    page, other = Page(), Page()
    recorder = record.recorder_of(page)
    assert record.recorder_of(page) is recorder and record.recorder_of(other) is not recorder
    assert page.session.store.get_keys() == ["kompas.recorder"]  # with the page's Flet session, and gone with it
    # The tab closes: its recorder is handed over once (to keep what was said), and the page keeps nothing.
    assert record.forget_recorder(page) is recorder
    assert record.forget_recorder(page) is None and page.session.store.get_keys() == []


def test_a_page_whose_session_is_gone_gets_a_recorder_that_keeps_nothing():
    class Gone(Page):
        @property
        def session(self):
            raise RuntimeError("An attempt to fetch destroyed session.")

        @session.setter
        def session(self, _value):
            pass

    page = Gone()
    assert record.recorder_of(page).take is None and record.recorder_of(page) is not record.recorder_of(page)
    assert record.forget_recorder(page) is None


def slow_keep(workbook: Workbook, tmp_path) -> tuple[Callable[[Take], object], threading.Event]:
    """A keep that writes a real spoken note into `workbook` once the returned event is set: until then its Opus
    file is still being made."""
    said = take_of("Ik kan goed koken", tmp_path)
    encoding = threading.Event()

    def keep(_take: Take):
        encoding.wait(20)
        return workbook.speak_note(Condition.MEEDOEN, Step.KRACHTEN, said)

    return keep, encoding


@pytest.mark.parametrize("leave", ["close", "lock", "hide"])
def test_a_note_being_kept_when_the_client_leaves_the_kompas_is_kept_and_its_folder_let_go(library, tmp_path, leave):
    """"Stop en bewaar", then at once back to the shelf, the lock or "Snel verbergen": making the note's Opus file
    takes seconds, and the kompas closing meanwhile must not lose it."""
    card = library.create("Noor", "blauw")
    library.pin(card.id).set("2468")
    session = library.session()
    session.choose(card.id)
    session.unlock("2468")
    workbook = session.workbook
    keep, encoding = slow_keep(workbook, tmp_path)

    async def speak() -> Page:
        recorder, microphone, page = recorder_with_microphone()
        await recorder.start("meedoen/krachten", keep, workbook)
        tap = asyncio.create_task(recorder.finish())
        await until(lambda: recorder.storing)
        getattr(session, leave)()
        assert not session.unlocked
        encoding.set()
        await tap
        return page

    page = asyncio.run(speak())
    assert page.said == [], "no message of a note not kept"
    # The folder is let go once the note is written: another copy of the app could open it now.
    Store.open(library.folder(card.id)).close()
    again = library.session()
    again.choose(card.id)
    again.unlock("2468")
    notes = again.workbook.kompas.notes_in(Condition.MEEDOEN)
    assert [n.voice is not None for n in notes] == [True]
    assert (library.folder(card.id) / notes[0].voice.file).stat().st_size > 0


def test_a_screen_opening_the_kompas_while_a_note_is_kept_gets_the_same_one(library, tmp_path):
    card = library.create("Noor", "blauw")
    session = library.session()
    session.choose(card.id)
    workbook = session.workbook
    keep, encoding = slow_keep(workbook, tmp_path)

    async def speak() -> None:
        recorder, _microphone, _page = recorder_with_microphone()
        await recorder.start("meedoen/krachten", keep, workbook)
        tap = asyncio.create_task(recorder.finish())
        await until(lambda: recorder.storing)
        session.close()  # back to the shelf...
        other = library.session()
        other.choose(card.id)  # ...and straight in again, on another screen, before the note is written
        assert other.workbook is workbook
        encoding.set()
        await tap
        assert len(other.workbook.kompas.notes_in(Condition.MEEDOEN)) == 1
        other.close()

    asyncio.run(speak())
    Store.open(library.folder(card.id)).close()  # let go once the last screen left and the note was written
