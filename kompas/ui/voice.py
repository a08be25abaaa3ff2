"""Reading aloud on a screen: one player per page (flet-audio), fed sentence by sentence from a tap, and the buttons.

A screen is heard sentence by sentence: the first sound plays as soon as it is made, and while it plays the next
ones are made, each starting as soon as the one before ends. No sound is more than a few tens of kilobytes, so
nothing waits on a big transfer. Every call to a player is bounded in time and guarded: a player that
does not answer (a closed page, a browser that will not play) ends the reading with one line in the screen's
language, and the app goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

import flet as ft

from kompas.base import clock
from kompas.domain.words import Spoken
from kompas.i18n import N_, _, current_language, use_language
from kompas.media.speech import Pace, Sound, Speech, Unspoken, seconds_of, warm
from kompas.screens.readaloud import OWN_WORDS_UNSPOKEN, said
from kompas.ui import theme
from kompas.ui.pagestore import keep, kept, let_go
from kompas.ui.widgets import IconAction

__all__ = ["ROOM_FOR_VOICE", "Asked", "ReadAloudButton", "Speaker", "SpeakButton", "WithVoice", "speaker_of",
           "use_speaker"]

# Room at the end of every scrolling screen. The "Voorlezen" button has a bar of its own above the screen, so it
# covers nothing; this is only the breathing space after the last line.
ROOM_FOR_VOICE = theme.PAD

log = logging.getLogger(__name__)

# How long a sound may take to reach the page and be ready to play: seconds for a few tens of kilobytes, on a
# cheap phone on a shelter's wifi.
LOAD_TIMEOUT = 10
# How long the page may take to start, pause or let go of a sound. Flet itself would wait 30 s and then end the
# whole app with an error screen.
CALL_TIMEOUT = 6
# How long a sound loaded to start by itself may take to say it started, before it is told to.
STARTED_TIMEOUT = 3
# How long a player that was let go of stays on the page: longer than Flutter waits for any call to answer.
RETIRED_FOR = 60
# How long past a sound's own length its end may come before the next one plays anyway.
END_SLACK = 3
# Sounds made ahead of the one playing: enough that a long sentence after a short one leaves no gap.
AHEAD = 3
# Seconds after the first page starts before espeak-ng and the MP3 encoder are loaded, in a thread: by then the
# first screen is drawn, and the first tap on "Voorlezen" no longer waits the better part of a second for them.
WARM_AFTER = 3.0
# Seconds after a screen appears before its heading is spoken ahead, in a thread: the screen is drawn by then.
PREPARE_AFTER = 1.0

# What the line beside "Voorlezen" says when a reading stopped; only these, in the screen's language.
_CANNOT = N_("Voorlezen lukt niet op dit apparaat.")
_FAILED = N_("Voorlezen lukt nu niet. Probeer het straks nog eens.")


class _Player:
    """The page's flet-audio player, and what the page last said about it.

    Every sound is given to it to start by itself as soon as the page has it (autoplay): no round trip to the server
    between "loaded" and "play", which on a busy machine is most of the wait for the first word. One player, one
    sound at a time: a second player loaded ahead was found to start by itself over the first.
    """

    def __init__(self, page: ft.Page, sound: Sound):
        import flet_audio

        self.page = page
        self.loaded = asyncio.Event()
        self.started = asyncio.Event()
        self.ended = asyncio.Event()
        self.wanted = True  # a sound may play now; a sound the page starts late, after a stop, is paused at once
        self.sounding = False  # the page says it is playing, and has not said it stopped
        self.audio = flet_audio.Audio(src=self._source(sound), autoplay=True, playback_rate=sound.speed,
                                      on_loaded=lambda _e: self.loaded.set(), on_state_change=self._state)

    def _source(self, sound: Sound) -> str | bytes:
        """The bytes in a browser (over the websocket, a few tens of kilobytes); the file itself on a phone, whose
        player takes no bytes on an iPhone (audioplayers), and needs none carried over where the file is."""
        return str(sound.path) if sound.path is not None and not self.page.web else sound.data

    def _state(self, e) -> None:
        import flet_audio

        self.sounding = e.state is flet_audio.AudioState.PLAYING
        if self.sounding:
            self.started.set()
            if not self.wanted:
                self.page.run_task(self.hush)
        if e.state in (flet_audio.AudioState.COMPLETED, flet_audio.AudioState.STOPPED,
                       flet_audio.AudioState.DISPOSED):
            self.ended.set()

    async def load(self, sound: Sound, first: bool) -> bool:
        """Give the page `sound` (the `first` came with the player itself), and wait until it has it; False when the
        page has these very bytes already, and so says nothing and starts nothing by itself."""
        self.wanted = True
        self.started.clear()
        self.ended.clear()
        if not first:
            if self.audio.src == self._source(sound):
                return False
            self.loaded.clear()
            self.audio.src = self._source(sound)
            self.audio.playback_rate = sound.speed
            self.audio.update()
        await asyncio.wait_for(self.loaded.wait(), LOAD_TIMEOUT)
        return True

    async def begin(self, loaded: bool) -> None:
        """The sound plays: it started by itself, or it is told to."""
        if loaded:
            try:
                await asyncio.wait_for(self.started.wait(), STARTED_TIMEOUT)
                return
            except asyncio.TimeoutError:
                log.info("a sound did not start by itself")
        if self.wanted:
            await asyncio.wait_for(self.audio.play(), CALL_TIMEOUT)

    async def finish(self, sound: Sound) -> None:
        """Until the sound has been heard to its end; a page that never says so does not hold the reading up."""
        try:
            await asyncio.wait_for(self.ended.wait(), sound.seconds / sound.speed + END_SLACK)
        except asyncio.TimeoutError:
            log.info("a sound's end was not heard of")

    async def hush(self) -> None:
        self.wanted = False
        if self.sounding:
            self.sounding = False
            await asyncio.wait_for(self.audio.pause(), CALL_TIMEOUT)


class Speaker:
    """What one page reads aloud, and whether it is reading now.

    The player is made at the first tap, not at start-up: a browser plays only after a tap.
    """

    def __init__(self, page: ft.Page, speech: Speech, folder: Callable[[], Path | None]):
        self.page = page
        self.speech = speech
        self.folder = folder  # the open kompas's folder, for its own words' speech; None on the shelf
        self.pace = Pace.SLOW  # slow unless the client asks for normal speed
        self.playing = False  # reading: from the tap until the last sound ends, or it is stopped
        self.problem = ""  # the one line a reading that could not go on left, until the next tap
        self._player: _Player | None = None
        self._retired: list[tuple[float, _Player]] = []  # let go of, kept until the page can no longer answer
        self._reading: asyncio.Task | None = None
        # Counts readings begun and stopped: a reading whose turn is over stops at its next step, even where
        # a cancel was swallowed (asyncio.wait_for can do that when what it waits for ends at that moment).
        self._turn = 0
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _tell(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception as error:  # noqa: BLE001 - a button gone with its screen: the others still hear
                log.info("a listener of the speaker failed (%s)", type(error).__name__)

    async def say(self, pieces: list[Spoken]) -> None:
        """Start reading `pieces` aloud, in place of whatever was read before; returns at once."""
        language = current_language()
        instead = said(OWN_WORDS_UNSPOKEN)
        self._begin(self.speech.sounds(list(pieces), language, self.pace, self.folder(), instead), language)

    async def play(self, sound: bytes, path: Path | None = None) -> None:
        """Play one sound file (a voice note's Ogg Opus, kept at `path`), in place of whatever played before; returns
        at once."""
        self._begin(iter([Sound(sound, seconds_of(sound) or 180, path=path)]), current_language())

    def _begin(self, made: Iterator[Sound | Unspoken], language: str) -> None:
        if self._reading is not None:
            self._reading.cancel()
        self._turn += 1
        self.problem = ""
        self.playing = True
        self._tell()
        work = self._through(made, language, self._turn)
        self._reading = asyncio.get_running_loop().create_task(self._guarded(work, language))

    async def _guarded(self, work, language: str) -> None:
        me = asyncio.current_task()
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - a player that did not answer, a page going away: never the app
            log.warning("reading aloud stopped (%s)", type(error).__name__)
            self._drop_player()
            with use_language(language):
                self.problem = _(_FAILED)
        finally:
            if self._reading is me:
                self.playing = False
                self._reading = None
                self._tell()

    async def _through(self, made: Iterator[Sound | Unspoken], language: str, turn: int) -> None:
        """Play what `made` gives, one sound after the other; the next is made while the one before plays."""
        await self._hush()
        ready: asyncio.Queue = asyncio.Queue(maxsize=AHEAD)
        done = object()

        async def make() -> None:
            try:
                while True:
                    # Made in a thread: espeak-ng and the encoder take a moment, and the page must stay quick.
                    item = await asyncio.to_thread(next, made, done)
                    await ready.put(item)
                    if item is done:
                        return
            except Exception as error:  # noqa: BLE001 - handed to the player's side, which says the one line
                await ready.put(error)

        maker = asyncio.create_task(make())
        heard: Sound | None = None
        try:
            while True:
                item = await ready.get()
                if item is done or turn != self._turn:
                    break
                if isinstance(item, Exception):
                    raise item
                if item is Unspoken.CANNOT:
                    with use_language(language):
                        self.problem = _(_CANNOT)
                    break
                if item is Unspoken.OWN_WORDS:
                    with use_language(language):
                        self.problem = _(OWN_WORDS_UNSPOKEN)
                    self._tell()
                    continue
                if heard is not None:
                    await self._player.finish(heard)
                    if turn != self._turn:
                        break
                first = self._player is None
                if first:
                    self._player = _Player(self.page, item)
                loaded = await self._player.load(item, first)
                if turn != self._turn:
                    break
                await self._player.begin(loaded)
                heard = item
            if heard is not None:
                await self._player.finish(heard)
        finally:
            maker.cancel()

    async def _hush(self) -> None:
        if self._player is not None:
            await self._player.hush()

    def _drop_player(self) -> None:
        """Let go of a player that failed: the next tap makes a new one. Letting go is itself bounded and guarded.

        It stays on the page a while yet: the page may still answer a call to it that was given up on (Flutter
        waits 30 s), and Flet breaks the whole connection on an answer from a player it no longer knows."""
        player, self._player = self._player, None
        if player is None:
            return
        player.wanted = False
        now = clock.steady()
        self._retired = [(at, old) for at, old in self._retired if now - at < RETIRED_FOR] + [(now, player)]

        async def release() -> None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(player.audio.release(), CALL_TIMEOUT)

        with contextlib.suppress(Exception):
            self.page.run_task(release)

    async def stop(self) -> None:
        """Stop reading: the client tapped "Stop", left the screen, or started to record."""
        self._turn += 1
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None
        self.playing = False
        self._tell()
        try:
            await self._hush()
        except Exception as error:  # noqa: BLE001 - a player that does not answer is let go; the app stays
            log.warning("the player could not be stopped (%s)", type(error).__name__)
            self._drop_player()

    def prepare(self, pieces: Callable[[], list[Spoken]]) -> None:
        """A screen appeared: make its heading's sound a moment later, in a thread, unless a tap comes first."""
        language, pace = current_language(), self.pace

        def made() -> None:
            # The screen's words are gathered here too, not while it is drawn: Mijn koers at five years reads 130
            # periods, for a heading of two words.
            try:
                with use_language(language):
                    first = next(iter(pieces()), None)
                if first is not None:
                    self.speech.prepare(first, language, pace)
            except Exception as error:  # noqa: BLE001 - only a head start: the tap makes it all the same
                log.info("a heading could not be made ahead (%s)", type(error).__name__)

        timer = threading.Timer(PREPARE_AFTER, made)
        timer.daemon = True
        timer.start()

    def leave(self) -> None:
        """The screen this was read on is gone (back arrow, browser back): stop now, before the next screen is drawn.

        What can be done at once is: nothing more of this reading starts. The page is told to pause in a moment, also
        where it has not yet said that it plays (on a busy machine it says so late)."""
        self.problem = ""
        if not self.playing and (self._player is None or not self._player.sounding):
            return
        self._turn += 1
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None
        self.playing = False
        player = self._player
        if player is not None:
            player.wanted = False

            async def pause() -> None:
                try:
                    await asyncio.wait_for(player.audio.pause(), CALL_TIMEOUT)
                except Exception as error:  # noqa: BLE001 - a player that does not answer is let go
                    log.warning("the player could not be stopped (%s)", type(error).__name__)
                    self._drop_player()
                player.sounding = False

            with contextlib.suppress(Exception):
                self.page.run_task(pause)
        self._tell()

    async def silence(self) -> None:
        """Stop at once and let the page drop every sound: on lock and on "Snel verbergen", a client's notes must
        not go on being read aloud to whoever walked in."""
        await self.stop()
        self._drop_player()


# The key the page keeps its speaker under: it goes with the page's Flet session, or at once when the tab closes.
_SPEAKER = "kompas.speaker"


def speaker_of(page: ft.Page) -> Speaker | None:
    return kept(page, _SPEAKER)


def use_speaker(page: ft.Page, speech: Speech, folder: Callable[[], Path | None]) -> Speaker:
    """This page's speaker, made once and dropped with the page."""
    speaker = speaker_of(page)
    if speaker is None:
        speaker = Speaker(page, speech, folder)
        keep(page, _SPEAKER, speaker)
        _warm_soon()
    else:
        speaker.folder = folder
    return speaker


_warming: threading.Timer | None = None


def _warm_soon() -> None:
    """Once per process, a moment after the first page: never at start-up, which must stay quick."""
    global _warming
    if _warming is None:
        _warming = threading.Timer(WARM_AFTER, warm)
        _warming.daemon = True
        _warming.start()


def forget_speaker(page: ft.Page) -> None:
    let_go(page, _SPEAKER)


def WithVoice(body: ft.Control, pieces: Callable[[], list[Spoken]], place: str) -> ft.Control:
    """`body` under a bar of its own with "Voorlezen", where the screen starts, as "Lees voor" stands at the top of a
    Dutch town hall's website: it covers nothing, and it is one stop for the Tab key, before the screen's content.

    (Fixed at the foot of the screen, Flutter's reading order put it before each control below the fold, so the Tab
    key came back to it again and again while going down a long screen; Flet has no focus traversal group.)

    `place`: which screen this is; leaving it (back arrow, browser back, another screen) stops the reading.
    """
    return ft.Column([ReadAloudBar(pieces, place), ft.Container(body, expand=True)], expand=True, spacing=0)


@ft.component
def ReadAloudBar(pieces: Callable[[], list[Spoken]], place: str) -> ft.Control:
    """The bar at the top of every screen: "Voorlezen" (or "Stop met voorlezen"), and the line a reading left."""
    page = ft.context.page
    speaker = speaker_of(page)
    _version, set_version = ft.use_state(0)
    # Cleanups go in by name: one a setup returns is forgotten at the next drawing of the bar.
    unsubscribe = ft.use_ref(None)

    def subscribe() -> None:
        unsubscribe.current = speaker.listen(lambda: set_version(lambda v: v + 1)) if speaker else None

    ft.use_effect(subscribe, [], cleanup=lambda: unsubscribe.current() if unsubscribe.current else None)
    # A new screen: its heading is made ready. Leaving it (or the bar going) stops what was read there.
    ft.use_effect(lambda: speaker.prepare(pieces) if speaker else None, [place],
                  cleanup=speaker.leave if speaker else None)
    if speaker is None:
        return ft.Container()
    line = ft.Text(speaker.problem, size=theme.TEXT_SMALL, color=theme.INK, expand=True) if speaker.problem else \
        ft.Container(expand=True)
    return ft.Container(
        ft.Row([ReadAloudButton(pieces), line], spacing=theme.PAD, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        padding=ft.Padding.symmetric(horizontal=theme.PHONE_EDGE, vertical=theme.GAP / 2),
        border=ft.Border.only(bottom=ft.BorderSide(1, theme.LINE)),
        bgcolor=theme.PAPER,
    )


def ReadAloudButton(pieces: Callable[[], list[Spoken]]) -> ft.Control:
    """ "Voorlezen" on every screen: the whole screen in order; tapped again while reading, it stops."""
    speaker = speaker_of(ft.context.page)

    async def tap() -> None:
        if speaker.playing:
            await speaker.stop()
        else:
            await speaker.say(pieces())

    style = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=12),
                           text_style=theme.text_style(weight=ft.FontWeight.W_600))
    if speaker.playing:
        return ft.FilledButton(_("Stop met voorlezen"), icon=ft.Icons.STOP_CIRCLE_OUTLINED, on_click=tap, style=style)
    return ft.FilledButton(_("Voorlezen"), icon=ft.Icons.VOLUME_UP, on_click=tap, style=style)


def Asked(control: ft.Control, question: str) -> ft.Control:
    """A question (a heading, or a field whose label asks it) with its own speaker beside it.

    `question` is the Dutch text (a msgid): it is shown translated, and names a human recording if there is one.
    """
    piece = said(question)
    speaker = SpeakButton(_("Voorlezen: {question}", question=piece.text), lambda: [piece])
    if isinstance(control, ft.Text):
        # A heading too wide to stand beside its speaker (a long word, with the text at 200%) goes above it, whole.
        return ft.Row([control, speaker], wrap=True, spacing=0, alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                      vertical_alignment=ft.CrossAxisAlignment.CENTER)
    return ft.Row([ft.Container(control, expand=True), speaker], vertical_alignment=ft.CrossAxisAlignment.CENTER)


def SpeakButton(label: str, pieces: Callable[[], list[Spoken]]) -> ft.Control:
    """A small speaker beside one question, its examples, one note or a pop-up's question: reads just that."""

    async def tap() -> None:
        speaker = speaker_of(ft.context.page)
        if speaker is not None:
            await speaker.say(pieces())

    return IconAction(ft.Icons.VOLUME_UP_OUTLINED, label, tap, color=theme.INK_SOFT)
