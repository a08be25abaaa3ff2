"""Reading aloud on a screen: one player per page (flet-audio), started from a tap, and the buttons that start it."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Callable

import flet as ft

from kompas.i18n import _, current_language
from kompas.screens import said
from kompas.speech import Pace, Speech
from kompas.ui import theme
from kompas.ui.widgets import IconAction, show_message
from kompas.words import Spoken

__all__ = ["ROOM_FOR_VOICE", "Asked", "ReadAloudButton", "Speaker", "SpeakButton", "WithVoice", "speaker_of", "use_speaker"]

# Room at the end of every scrolling screen, so that the "Voorlezen" button never hides its last line.
ROOM_FOR_VOICE = theme.TAP + 3 * theme.PAD

log = logging.getLogger(__name__)

# How long a new sound may take to reach the browser before it is played anyway.
_LOAD_TIMEOUT = 5


class Speaker:
    """What one page reads aloud, and whether it is reading now: the player's own state, as the browser reports it.

    The player is made at the first tap, not at start-up, and a browser plays only after a tap (no autoplay).
    """

    def __init__(self, page: ft.Page, speech: Speech, folder: Callable[[], Path | None]):
        self.page = page
        self.speech = speech
        self.folder = folder  # the open kompas's folder, for its own words' speech; None on the shelf
        self.pace = Pace.SLOW  # slow unless the client asks for normal speed
        self.playing = False
        self._audio = None
        self._loaded = asyncio.Event()
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _state(self, e) -> None:
        import flet_audio

        self.playing = e.state is flet_audio.AudioState.PLAYING
        self._tell()

    def _tell(self) -> None:
        for listener in list(self._listeners):
            listener()

    async def say(self, pieces: list[Spoken]) -> None:
        language = current_language()
        wav = await asyncio.to_thread(self.speech.screen, pieces, language, self.pace, self.folder())
        if wav is None:
            show_message(self.page, _("Voorlezen lukt niet op dit apparaat."))
            return
        await self.play(wav)

    async def play(self, sound: bytes) -> None:
        """Play a sound file (WAV, or a voice note's Ogg Opus), in place of whatever played before."""
        import flet_audio

        if self._audio is not None and self._audio.src is not None and self._audio.src == sound:
            await self._audio.play()  # the same sound again: the browser has it already, and loads nothing new
            return
        self._loaded.clear()
        if self._audio is None:
            self._audio = flet_audio.Audio(src=sound, on_loaded=lambda _e: self._loaded.set(),
                                           on_state_change=self._state)
        else:
            self._audio.src = sound
            self._audio.update()
        try:
            # play() right after a new source can wait forever; once the browser has loaded it, it starts at once.
            await asyncio.wait_for(self._loaded.wait(), _LOAD_TIMEOUT)
        except asyncio.TimeoutError:
            log.warning("a sound took long to reach the browser")
        await self._audio.play()

    async def stop(self) -> None:
        if self._audio is not None:
            await self._audio.pause()
        self.playing = False
        self._tell()

    async def silence(self) -> None:
        """Stop at once and let the browser drop the sound: on lock and on "Snel verbergen", a client's notes must
        not go on being read aloud to whoever walked in."""
        if self._audio is None:
            return
        try:
            await self.stop()
            await self._audio.release()
        except Exception as error:  # noqa: BLE001 - a page going away: nothing is playing any more either
            log.warning("the player could not be stopped (%s)", type(error).__name__)
        self._audio.src = None  # the next sound is loaded anew


_SPEAKERS: dict[int, Speaker] = {}


def speaker_of(page: ft.Page) -> Speaker | None:
    return _SPEAKERS.get(id(page))


def use_speaker(page: ft.Page, speech: Speech, folder: Callable[[], Path | None]) -> Speaker:
    """This page's speaker, made once and dropped with the page."""
    speaker = _SPEAKERS.get(id(page))
    if speaker is None:
        speaker = _SPEAKERS[id(page)] = Speaker(page, speech, folder)
    else:
        speaker.folder = folder
    return speaker


def forget_speaker(page: ft.Page) -> None:
    _SPEAKERS.pop(id(page), None)


def WithVoice(body: ft.Control, pieces: Callable[[], list[Spoken]]) -> ft.Control:
    """`body` with "Voorlezen" floating at its lower corner: in reach of a thumb on every screen, word and pictogram."""
    return ft.Stack([body, ft.Container(ReadAloudButton(pieces), right=theme.PAD, bottom=theme.PAD)], expand=True)


@ft.component
def ReadAloudButton(pieces: Callable[[], list[Spoken]]) -> ft.Control:
    """ "Voorlezen" on every screen: the whole screen in order; tapped again while reading, it stops."""
    page = ft.context.page
    speaker = speaker_of(page)
    _version, set_version = ft.use_state(0)
    ft.use_effect(lambda: speaker.listen(lambda: set_version(lambda v: v + 1)) if speaker else None, [])
    if speaker is None:
        return ft.Container()

    async def tap() -> None:
        if speaker.playing:
            await speaker.stop()
        else:
            await speaker.say(pieces())

    style = ft.ButtonStyle(elevation=4, padding=ft.Padding.symmetric(horizontal=20, vertical=14),
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
    """A small speaker beside one question, its examples or one note: reads just that."""

    async def tap() -> None:
        speaker = speaker_of(ft.context.page)
        if speaker is not None:
            await speaker.say(pieces())

    return IconAction(ft.Icons.VOLUME_UP_OUTLINED, label, tap, color=theme.INK_SOFT)
