"""Typed text is stored at most twice a second, always on flush, in order, and never dropped when a save fails."""

from __future__ import annotations

import asyncio

from kompas.workbook.drafts import Draft, flush_all


class Clock:
    """A scheduler the test moves by hand, so timing is exact on a busy machine."""

    def __init__(self):
        self.now = 0  # milliseconds, so that no float rounding decides when a timer fires
        self.timers: list[list] = []

    def schedule(self, delay, callback):
        timer = [self.now + round(delay * 1000), callback, False]

        class Handle:
            def cancel(self_inner):
                timer[2] = True

        self.timers.append(timer)
        return Handle()

    def advance(self, seconds: float) -> None:
        self.now += round(seconds * 1000)
        for timer in list(self.timers):
            if timer[0] <= self.now and not timer[2]:
                timer[2] = True
                timer[1]()


def test_fast_typing_costs_one_write_per_half_second_and_the_last_text_wins():
    clock, saved = Clock(), []
    draft = Draft(lambda t: saved.append(t) or True, schedule=clock.schedule)
    text = ""
    for letter in "Een eigen kamer en weer werken":  # 30 letters at 20 ms a key: 0.6 s of typing
        text += letter
        draft.type(text)
        clock.advance(0.02)
    # The first key starts the half second; the 25th key falls on it, and its text is what is written.
    assert saved == ["Een eigen kamer en weer w"], "one write after half a second, with every letter typed so far"
    clock.advance(0.5)
    assert saved[-1] == "Een eigen kamer en weer werken"
    assert len(saved) == 2
    assert not draft.pending


def test_flush_stores_at_once_and_a_later_timer_writes_nothing_more():
    clock, saved = Clock(), []
    draft = Draft(lambda t: saved.append(t) or True, schedule=clock.schedule)
    draft.type("Mijn zus")
    assert saved == []
    assert draft.flush() is True
    assert saved == ["Mijn zus"]
    clock.advance(1)
    assert saved == ["Mijn zus"]


def test_a_failed_save_keeps_the_words_for_the_next_try():
    clock, saved, disk_full = Clock(), [], [True]

    def save(text):
        if disk_full[0]:
            return False
        saved.append(text)
        return True

    draft = Draft(save, schedule=clock.schedule)
    draft.type("Werk is belangrijk")
    clock.advance(0.6)
    assert draft.pending and saved == []
    assert draft.flush() is False
    disk_full[0] = False
    assert draft.flush() is True
    assert saved == ["Werk is belangrijk"]


def test_a_save_that_raises_keeps_the_words_too():
    calls = []

    def save(text):
        calls.append(text)
        if len(calls) == 1:
            raise OSError("disk full")
        return True

    draft = Draft(save, schedule=Clock().schedule)
    draft.type("Bellen")
    assert draft.flush() is False
    assert draft.pending
    assert draft.flush() is True
    assert calls == ["Bellen", "Bellen"]


def test_flush_all_stores_every_unsaved_field_as_at_shutdown():
    clock, saved = Clock(), []
    wish = Draft(lambda t: saved.append(("wens", t)) or True, schedule=clock.schedule)
    note = Draft(lambda t: saved.append(("notitie", t)) or True, schedule=clock.schedule)
    wish.type("Een eigen huis")
    note.type("Ik kan koken")
    assert flush_all() is True
    assert sorted(saved) == [("notitie", "Ik kan koken"), ("wens", "Een eigen huis")]
    assert flush_all() is True
    assert len(saved) == 2, "nothing is written twice"


def test_discard_forgets_words_of_something_deleted():
    saved = []
    draft = Draft(lambda t: saved.append(t) or True, schedule=Clock().schedule)
    draft.type("weg")
    draft.discard()
    assert flush_all() is True
    assert saved == []


def test_on_an_event_loop_the_write_comes_half_a_second_after_the_first_key():
    saved: list[tuple[str, float]] = []

    async def typing():
        loop = asyncio.get_running_loop()
        # The loop's own timer, watched: the delay asked for is the promise; when it fires depends on the load.
        asked: list[float] = []
        timer = loop.call_later
        loop.call_later = lambda delay, *args, **kw: asked.append(delay) or timer(delay, *args, **kw)
        draft = Draft(lambda t: saved.append((t, loop.time())) or True)
        first_key = loop.time()
        for text in ("a", "ab", "abc"):
            draft.type(text)
        await asyncio.sleep(0)
        assert saved == []
        assert asked == [0.5], "one write, half a second after the first key, for all three keys"
        for _ in range(3000):  # thirty seconds at most, for a loop that never fires it
            if saved:
                break
            await asyncio.sleep(0.01)
        return first_key

    first_key = asyncio.run(typing())
    [(text, when)] = saved
    assert text == "abc" and when - first_key >= 0.5
