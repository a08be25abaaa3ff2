"""Speaking instead of writing: the page's microphone, the "Inspreken" button with its timer, and a voice note's row."""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from typing import Callable

import flet as ft

from kompas.domain.model import MAX_VOICE_SECONDS, Kompas, Voice, minutes
from kompas.i18n import _
from kompas.media.recording import PHONE_BIT_RATE, Take, VoiceProblem, can_record, read_voice, recording_file
from kompas.ui import theme
from kompas.ui.messages import report, show_message, undo_message
from kompas.ui.pagestore import keep, kept, let_go
from kompas.ui.voice import speaker_of
from kompas.ui.widgets import Body, Busy, IconAction, NamedButton
from kompas.workbook.workbook import Outcome, Workbook

__all__ = ["FormVoice", "RecordButton", "Recorder", "VoiceLine", "forget_recorder", "recorder_of"]

log = logging.getLogger(__name__)

Keep = Callable[[Take], "Outcome | VoiceProblem"]

# How often the timer moves on: twice a second, so it never seems to skip a second.
_TICK = 0.5


def _configuration(native: bool):
    import flet_audio_recorder as far

    # In a browser: raw 16-bit samples, streamed to the server as they come (a browser's own file would stay in the
    # browser); it uses the microphone's own rate and channels whatever is asked, and kompas/media/recording.py finds them.
    # On a phone: the phone's own Opus encoder writes the Ogg file the laptop keeps too (16 kHz, one channel), since a
    # phone build has no libsndfile to make one from raw samples.
    # The cleaning a phone call uses (noise, echo, level) makes a quiet voice in a shelter's hallway clearer.
    encoder = far.AudioEncoder.OPUS if native else far.AudioEncoder.PCM16BITS
    return far.AudioRecorderConfiguration(encoder=encoder, sample_rate=16000, channels=1, bit_rate=PHONE_BIT_RATE,
                                          suppress_noise=True, cancel_echo=True, auto_gain=True)


class Recorder:
    """The page's microphone: one recording at a time, streamed to the server while the client speaks.

    Made at the first tap on "Inspreken", so the browser (or the phone) asks for the microphone only then.
    """

    def __init__(self, page: ft.Page):
        self.page = page
        self.take: Take | None = None  # the recording now, if any
        self.place: str | None = None  # which button started it, or is storing it
        self.storing = False
        self._service = None
        self._receiving: Take | None = None  # stays set until stored: the last chunks come in after the stop
        self._keep: Keep | None = None
        self._workbook: Workbook | None = None  # what the note goes into, held open while it is being kept
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _tell(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _chunk(self, e) -> None:
        take = self._receiving
        if take is not None:
            take.add(bytes(e.chunk))

    @property
    def busy(self) -> bool:
        return self.take is not None or self.storing

    @property
    def native(self) -> bool:
        """On a phone (not in a browser): the phone's recorder writes the file itself."""
        return not self.page.web

    async def start(self, place: str, keep: Keep, workbook: Workbook) -> None:
        if self.busy:
            return  # one recording at a time; the button of the one running shows its stop
        try:
            import flet_audio_recorder as far
        except ImportError:  # pragma: no cover - a build without it
            far = None
        speaker = speaker_of(self.page)
        folder = speaker.folder() if speaker is not None else None
        if far is None or (not self.native and not can_record()) or (self.native and folder is None):
            report(self.page, VoiceProblem.CANNOT)
            return
        if self._service is None:
            # The stream handler must be there when the recorder is made: set later, the browser keeps the sound.
            self._service = far.AudioRecorder() if self.native else far.AudioRecorder(on_stream=self._chunk)
        if self.native and not await self._writes_ogg_opus(far):
            report(self.page, VoiceProblem.CANNOT)
            return
        if speaker is not None:
            await speaker.stop()  # the app reading aloud must not end up in the client's note
        take = Take(file=recording_file(folder, secrets.token_hex(8)) if self.native else None)
        self.take, self._receiving, self.place, self._keep, self._workbook = take, take, place, keep, workbook
        self._tell()
        try:
            started = await self._service.start_recording(
                output_path=str(take.file) if take.file else None, configuration=_configuration(self.native))
        except Exception as error:  # noqa: BLE001 - no microphone, no permission, a browser without it
            log.warning("recording could not start (%s)", type(error).__name__)
            started = False
        if not started:
            self._reset()
            show_message(self.page, _("De microfoon doet het niet. Geef de app toestemming om de microfoon te "
                                      "gebruiken, of schrijf je notitie."))
            return
        take.begin()
        self.page.run_task(self._tick, take)

    async def _writes_ogg_opus(self, far) -> bool:
        """Whether this phone's recorder writes Ogg Opus: Android 10 and later do. An iPhone's writes Opus into an MP4
        file, which neither the laptop's browser nor the .kompas file's checks take, so it is not offered there."""
        if self.page.platform is not ft.PagePlatform.ANDROID:
            return False
        try:
            return bool(await self._service.is_supported_encoder(far.AudioEncoder.OPUS))
        except Exception as error:  # noqa: BLE001 - an older recorder plugin: no Opus then
            log.warning("the recorder could not say what it writes (%s)", type(error).__name__)
            return False

    async def _tick(self, take: Take) -> None:
        while self.take is take:
            await asyncio.sleep(_TICK)
            if self.take is not take:
                return
            if take.full():
                await self.finish()
                return
            self._tell()

    async def finish(self) -> None:
        """Stop, and keep what was said where its button belongs.

        No arguments: it is "Stop en bewaar"'s own handler, and Flet hands a handler that takes one the tap event.
        """
        take, keep, workbook = self.take, self._keep, self._workbook
        if take is None or keep is None or workbook is None:
            return
        # Only a note that ran the whole three minutes hears that three minutes is the longest.
        at_limit = take.full()
        self.take, self.storing = None, True
        # From this tap until it is written: going back to the shelf or locking meanwhile must not lose it.
        with workbook.hold():
            self._tell()
            await self._stop()
            outcome = await asyncio.to_thread(keep, take)
        self._reset()
        if report(self.page, outcome) and at_limit:
            show_message(self.page, _("Drie minuten is het langst. Je notitie is bewaard. Wil je meer zeggen? "
                                      "Tik dan weer op Inspreken."))

    def keep_unfinished(self) -> None:
        """The page went away while recording (a closed tab, a phone that dropped the connection): what was said so
        far is kept, as typed words are. Off the event loop: making the Opus file takes up to a few seconds."""
        take, keep, workbook = self.take, self._keep, self._workbook
        if take is not None and keep is not None and workbook is not None:
            hold = workbook.hold()  # until written, even when the kompas locks meanwhile

            def kept() -> None:
                with hold:
                    keep(take)

            threading.Thread(target=kept, name="keep-voice", daemon=True).start()
        self._listeners.clear()  # the page's buttons are gone with it: nothing to tell
        self._reset()

    async def cancel(self) -> None:
        """Stop, and keep nothing: "Weggooien", or the kompas being locked or hidden while recording."""
        take = self.take
        if take is None:
            return
        self.take = None
        await self._stop()
        if take.file is not None:
            take.file.unlink(missing_ok=True)  # a phone's recording: nothing of it stays on the phone
        self._reset()

    async def _stop(self) -> None:
        try:
            await self._service.stop_recording()
        except Exception as error:  # noqa: BLE001 - a page going away: the microphone stops with it
            log.warning("recording could not be stopped (%s)", type(error).__name__)

    def _reset(self) -> None:
        self.take = self._receiving = self.place = self._keep = self._workbook = None
        self.storing = False
        self._tell()


# The key the page keeps its recorder under: it goes with the page's Flet session, or at once when the tab closes.
_RECORDER = "kompas.recorder"


def recorder_of(page: ft.Page) -> Recorder:
    """This page's recorder, made at the first use and dropped with the page."""
    recorder = kept(page, _RECORDER)
    if recorder is None:
        # A page already gone gets one that keeps nothing: there is no microphone to stop any more.
        recorder = Recorder(page)
        keep(page, _RECORDER, recorder)
    return recorder


def forget_recorder(page: ft.Page) -> Recorder | None:
    return let_go(page, _RECORDER)


@ft.component
def RecordButton(place: str, name: str, keep: Keep, workbook: Workbook) -> ft.Control:
    """"Inspreken" beside a field: tap, speak (a timer counts to three minutes), then "Stop en bewaar".

    `place`: which field it speaks for, one recording at a time on a page; `name`: the button's full name; `keep`
    puts what was said into `workbook`.
    """
    page = ft.context.page
    recorder = recorder_of(page)
    _version, set_version = ft.use_state(0)
    ft.use_effect(lambda: recorder.listen(lambda: set_version(lambda v: v + 1)), [])

    async def start() -> None:
        await recorder.start(place, keep, workbook)

    async def stop() -> None:
        # Not finish itself as the handler: Flet would hand it the tap's event as `at_limit`, and every note stopped
        # by hand would be told it reached three minutes.
        await recorder.finish()

    if recorder.place == place and recorder.storing:
        return Busy(_("Je notitie wordt bewaard…"))
    if recorder.place == place and recorder.take is not None:
        clock = f"{minutes(min(int(recorder.take.seconds()), MAX_VOICE_SECONDS))} / {minutes(MAX_VOICE_SECONDS)}"
        return ft.Container(
            ft.Row(
                [
                    ft.Icon(ft.Icons.FIBER_MANUAL_RECORD, color=theme.RECORDING, size=28),
                    ft.Text(clock, size=theme.TEXT_LARGE, color=theme.INK, weight=ft.FontWeight.W_600,
                            semantics_label=_("Opname loopt: {time}", time=clock)),
                    ft.FilledButton(_("Stop en bewaar"), icon=ft.Icons.STOP, on_click=stop),
                    ft.TextButton(_("Weggooien"), icon=ft.Icons.DELETE_OUTLINE, on_click=recorder.cancel),
                ],
                wrap=True,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            border=ft.Border.all(2, theme.RECORDING),
            border_radius=theme.RADIUS,
            padding=theme.GAP,
        )
    return NamedButton(_("Inspreken"), name, ft.Icons.MIC_NONE, start, filled=False)


def VoiceLine(voice: Voice, what: str, remove: Callable[[], None] | None = None) -> ft.Control:
    """A voice note: play it, how long it is, and (where it can go) take it away.

    `what`: where it belongs, for the play button's name ("bij Krachten", "bij je actie").
    """

    async def play() -> None:
        page = ft.context.page
        speaker = speaker_of(page)
        folder = speaker.folder() if speaker else None
        sound = await asyncio.to_thread(read_voice, folder, voice) if folder else None
        if sound is None:
            show_message(page, _("Deze opname staat niet meer op dit apparaat."))
            return
        # The file's path too: a phone plays the file itself (an iPhone's player takes no bytes).
        await speaker.play(sound, folder / voice.file)

    controls = [
        IconAction(ft.Icons.PLAY_CIRCLE_OUTLINE, _("Opname afspelen {what}", what=what), play,
                   color=theme.INK),
        ft.Icon(ft.Icons.MIC, size=20, color=theme.INK_SOFT),
        Body(voice.length, size=theme.TEXT_SMALL, color=theme.INK_SOFT),
    ]
    if remove is not None:
        controls.append(IconAction(ft.Icons.DELETE_OUTLINE, _("Opname weghalen"), remove, color=theme.INK_SOFT))
    return ft.Row(controls, spacing=theme.GAP / 2, tight=True, vertical_alignment=ft.CrossAxisAlignment.CENTER)



def FormVoice(kompas: Kompas, workbook: Workbook, place: str, name: str, what: str, attached: Voice | None = None,
              attach: Callable[[Voice | None], Outcome] | None = None) -> ft.Control:
    """A form's microphone, and what was said on it: kept at once, and saved with the form (the action, a check-in,
    the look-back).

    `attached`: the voice note of what the form changes (the action chosen before), with `attach` to take it away
    and put it back. Speaking again puts the new note in place of the one shown.
    """
    page = ft.context.page
    waiting = kompas.waiting.get(place)
    if waiting is not None or attached is None or attach is None:
        voice, attach = waiting, lambda v: workbook.put_voice(place, v)
    else:
        voice = attached

    def remove() -> None:
        if report(page, attach(None)):
            undo_message(page, _("Opname weggehaald."), lambda: attach(voice))

    return ft.Column(
        [*([VoiceLine(voice, what, remove)] if voice else []),
         RecordButton(place, name, lambda take: workbook.speak_for(place, take), workbook)],
        spacing=theme.GAP / 2,
    )
