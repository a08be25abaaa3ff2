"""A voice note from the microphone: a browser's raw stream made 16 kHz mono Opus here, or the Ogg Opus file a phone's
own encoder wrote; either kept, without tags, in the kompas."""

from __future__ import annotations

import enum
import functools
import io
import logging
import struct
import threading
from pathlib import Path
from typing import Callable

from kompas.base.clock import steady
from kompas.base.files import write_atomically
from kompas.domain.model import MAX_VOICE_SECONDS, VOICE_FOLDER, Voice
from kompas.media import oggopus

__all__ = ["KEPT_RATE", "PHONE_BIT_RATE", "Take", "VoiceProblem", "as_mp3", "as_opus", "can_record", "clean_voice",
           "guess_format", "keep_voice", "read_voice", "recording_file"]

log = logging.getLogger(__name__)


@functools.cache
def _sound():
    """numpy and soundfile (libsndfile with Opus), or None where they are missing: a phone build may lack the wheel.

    Loaded at the first voice note, not at start-up: they take longer to load than the whole first screen.
    """
    try:
        import numpy
        import soundfile
    except (ImportError, OSError):  # pragma: no cover - depends on the platform
        return None
    return (numpy, soundfile) if "OPUS" in soundfile.available_subtypes("OGG") else None

# Opus takes 8, 12, 16, 24 or 48 kHz. 16 kHz carries all of speech (up to 8 kHz) in a third of 48 kHz's samples.
KEPT_RATE = 16000
# What a browser's microphone gives: its own rate and channels, whatever was asked (see the README's "Voice notes").
RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
# Shorter than this is a tap on the button, not a note.
MIN_SECONDS = 0.5
# Below this peak (of 32767) the microphone gave silence: off, muted, or covered.
SILENT_PEAK = 64
# What a phone's own encoder is asked for: Opus at 24 kbit/s, about 3 kB a second as the laptop keeps it (three minutes
# in about 0.6 MB), plenty for one voice.
PHONE_BIT_RATE = 24000


class VoiceProblem(enum.Enum):
    """Why a recording did not become a voice note; only the UI turns this into words."""

    TOO_SHORT = "too_short"
    SILENT = "silent"
    NOT_SAVED = "not_saved"
    CANNOT = "cannot"  # no Opus encoder on this device
    DAMAGED = "damaged"  # a file that came in (an import) and is not a sound we can play


def can_record() -> bool:
    return _sound() is not None


class Take:
    """What the microphone has sent so far, chunk by chunk, and when each chunk came in.

    The stream says nothing of its format, so its pace tells: bytes per second of the clock, over the whole take.
    """

    def __init__(self, clock: Callable[[], float] = steady, file: Path | None = None):
        self._clock = clock
        # On a phone the recorder writes the Ogg Opus file itself, here; in a browser the sound streams in as chunks.
        self.file = file
        self._chunks: list[bytes] = []
        self._arrivals: list[tuple[float, int]] = []  # (when, bytes up to and including this chunk)
        self._size = 0
        self._lock = threading.Lock()  # the stream's events and the stop tap may come in on different threads
        self.started = clock()

    def begin(self) -> None:
        """The microphone is on: the three minutes count from now, not from the tap (a browser may first ask for
        permission, and a client may take a while to say yes)."""
        self.started = self._clock()

    def add(self, chunk: bytes) -> None:
        with self._lock:
            self._chunks.append(chunk)
            self._size += len(chunk)
            self._arrivals.append((self._clock(), self._size))

    def seconds(self) -> float:
        """How long it has been recording, by the clock: what the timer shows."""
        return self._clock() - self.started

    def full(self) -> bool:
        return self.seconds() >= MAX_VOICE_SECONDS

    def pcm(self) -> bytes:
        with self._lock:
            return b"".join(self._chunks)

    def bytes_per_second(self) -> float | None:
        """The stream's pace: the slope of bytes over arrival times, so a late first chunk or a slow stop tap does
        not count. None when the take is too short to tell: under four chunks, or half a second between the first
        and the last (at 16 kHz mono four chunks are a second; at 48 kHz, a third of one)."""
        with self._lock:
            arrivals = list(self._arrivals)
        if len(arrivals) < 4 or arrivals[-1][0] - arrivals[0][0] < 0.5:
            return None
        times = [t for t, _ in arrivals]
        sizes = [s for _, s in arrivals]
        mean_t, mean_s = sum(times) / len(times), sum(sizes) / len(sizes)
        spread = sum((t - mean_t) ** 2 for t in times)
        return sum((t - mean_t) * (s - mean_s) for t, s in zip(times, sizes)) / spread


def guess_format(pcm: bytes, bytes_per_second: float) -> tuple[int, int]:
    """The rate and channels of 16-bit PCM that arrived at `bytes_per_second`.

    The nearest of the rates a microphone gives, mono or stereo. Where both fit one pace (48 kHz mono and 24 kHz
    stereo are both 96,000 bytes a second), stereo only when left and right are the same samples: that is how a
    browser gives a mono microphone as two channels.
    """
    best: list[tuple[float, int, int]] = []
    for rate in RATES:
        for channels in (1, 2):
            off = abs(rate * channels * 2 - bytes_per_second) / (rate * channels * 2)
            best.append((off, rate, channels))
    best.sort()
    off, rate, channels = best[0]
    twins = [(r, c) for o, r, c in best if abs(o - off) < 0.02 and (r, c) != (rate, channels)]
    if twins:
        stereo = _same_channels(pcm)
        candidates = [(rate, channels), *twins]
        return next(((r, c) for r, c in candidates if (c == 2) == stereo), (rate, channels))
    return rate, channels


def _same_channels(pcm: bytes) -> bool:
    np = _sound()[0]
    samples = np.frombuffer(pcm[: len(pcm) // 4 * 4], dtype="<i2")
    if samples.size < 2:
        return False
    left, right = samples[0::2], samples[1::2]
    return bool(np.mean(left == right) > 0.99) and bool(np.any(left))


def _speech(pcm: bytes, rate: int, channels: int):
    """The sound as float samples at KEPT_RATE, one channel, at most MAX_VOICE_SECONDS long."""
    np = _sound()[0]
    frame = 2 * channels
    samples = np.frombuffer(pcm[: len(pcm) // frame * frame], dtype="<i2").astype(np.float32) / 32768
    if channels == 2:
        samples = samples.reshape(-1, 2).mean(axis=1)
    samples = samples[: MAX_VOICE_SECONDS * rate]
    if rate == KEPT_RATE or samples.size == 0:
        return samples
    if rate > KEPT_RATE:
        # Sounds above what 16 kHz can hold would fold back as a whistle: a low-pass filter first (windowed sinc).
        cutoff = 0.45 * KEPT_RATE / rate
        taps = np.arange(-32, 33)
        kernel = np.sinc(2 * cutoff * taps) * np.hamming(taps.size)
        samples = np.convolve(samples, (kernel / kernel.sum()).astype(np.float32), mode="same")
    count = int(samples.size * KEPT_RATE / rate)
    return np.interp(np.arange(count) * (rate / KEPT_RATE), np.arange(samples.size), samples).astype(np.float32)


def _opus(samples) -> bytes:
    out = io.BytesIO()
    _sound()[1].write(out, samples, KEPT_RATE, format="OGG", subtype="OPUS")
    return out.getvalue()


def recording_file(folder: Path, token: str) -> Path:
    """Where a phone's recorder writes while the client speaks: inside the kompas's own voice/, so that erasing the
    kompas erases it too, under a name no voice note has (the next start clears one that was left)."""
    (folder / VOICE_FOLDER).mkdir(exist_ok=True)
    return folder / VOICE_FOLDER / f"opname-{token}.ogg"


def _keep_file(take: Take, folder: Path, voice_id: str) -> Voice | VoiceProblem:
    """The phone's own recording: checked page by page, its tags taken out, kept as voice/<id>.ogg."""
    try:
        data = take.file.read_bytes()
    except OSError:
        return VoiceProblem.TOO_SHORT  # the recorder wrote nothing: stopped at once
    try:
        cleaned, about = oggopus.without_tags(data, require_end=False)
    except oggopus.NotOggOpus as problem:
        log.warning("a recording could not be read (%s)", problem)
        return VoiceProblem.TOO_SHORT if len(data) < 4096 else VoiceProblem.DAMAGED
    if about.seconds < MIN_SECONDS:
        return VoiceProblem.TOO_SHORT
    voice = Voice(id=voice_id, seconds=round(min(about.seconds, MAX_VOICE_SECONDS), 1))
    try:
        (folder / VOICE_FOLDER).mkdir(exist_ok=True)
        write_atomically(folder / voice.file, cleaned)
    except OSError as error:
        log.warning("a voice note could not be stored (%s)", type(error).__name__)
        return VoiceProblem.NOT_SAVED
    take.file.unlink(missing_ok=True)
    return voice


def keep_voice(take: Take, folder: Path, voice_id: str) -> Voice | VoiceProblem:
    """Make the take a voice note in the kompas `folder`: voice/<id>.ogg, written whole or not at all."""
    if take.file is not None:
        return _keep_file(take, folder, voice_id)
    if _sound() is None:
        return VoiceProblem.CANNOT
    np = _sound()[0]
    pcm, pace = take.pcm(), take.bytes_per_second()
    if pace is None:
        return VoiceProblem.TOO_SHORT
    rate, channels = guess_format(pcm, pace)
    samples = _speech(pcm, rate, channels)
    seconds = samples.size / KEPT_RATE
    if seconds < MIN_SECONDS:
        return VoiceProblem.TOO_SHORT
    if np.max(np.abs(samples)) * 32768 < SILENT_PEAK:
        return VoiceProblem.SILENT
    voice = Voice(id=voice_id, seconds=round(seconds, 1))
    try:
        (folder / VOICE_FOLDER).mkdir(exist_ok=True)
        write_atomically(folder / voice.file, _opus(samples))
    except OSError as error:
        log.warning("a voice note could not be stored (%s)", type(error).__name__)
        return VoiceProblem.NOT_SAVED
    return voice


def read_voice(folder: Path, voice: Voice) -> bytes | None:
    """The voice note's file, to play; None when it is gone from this device."""
    try:
        return (folder / voice.file).read_bytes()
    except OSError:
        return None


def _no_tags(data: bytes) -> bool:
    """Whether an Ogg Opus file says nothing but its encoder: no title, name, place or date in its comments."""
    at = data.find(b"OpusTags")
    if at < 0:
        return False
    try:
        (vendor,) = struct.unpack_from("<I", data, at + 8)
        (count,) = struct.unpack_from("<I", data, at + 12 + vendor)
    except struct.error:
        return False
    return count == 0


def clean_voice(data: bytes) -> tuple[bytes, float] | VoiceProblem:
    """A voice note's file as it comes in (an import): the bytes to keep and its length, or why it cannot be kept.

    A file as this app writes it (Ogg Opus at 16 kHz, one channel, no comments) is kept byte for byte; any other
    sound is made into one, so no name or other words in its tags reach the device. Without libsndfile (a phone) only
    Ogg Opus can be checked, page by page, and it is kept without its tags.
    """
    if _sound() is None:
        return _clean_without_libsndfile(data)
    np, soundfile = _sound()
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate = sound.samplerate
            kind = (sound.format, sound.subtype, sound.samplerate, sound.channels)
            # A second at a time, one channel kept, and no more than a note can hold (and one frame to tell it went
            # on): a small file can hold hours of sound in many channels, and is never decoded whole into memory.
            blocks = [block.mean(axis=1) for block in sound.blocks(
                blocksize=rate, frames=int((MAX_VOICE_SECONDS + 1) * rate) + 1, dtype="float32", always_2d=True)]
    except (soundfile.LibsndfileError, RuntimeError, ValueError, TypeError) as error:
        log.warning("a voice note could not be read (%s)", type(error).__name__)
        return VoiceProblem.DAMAGED
    samples = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
    seconds = samples.size / rate if rate else 0.0
    if not MIN_SECONDS / 2 <= seconds <= MAX_VOICE_SECONDS + 1:
        return VoiceProblem.DAMAGED
    if kind == ("OGG", "OPUS", KEPT_RATE, 1) and _no_tags(data):
        return data, round(seconds, 1)
    mono = (samples * 32768).clip(-32768, 32767).astype("<i2").tobytes()
    return _opus(_speech(mono, int(rate), 1)), round(seconds, 1)


def _clean_without_libsndfile(data: bytes) -> tuple[bytes, float] | VoiceProblem:
    try:
        cleaned, about = oggopus.without_tags(data)
    except oggopus.NotOggOpus as problem:
        log.warning("a voice note could not be read (%s)", problem)
        return VoiceProblem.DAMAGED
    if not MIN_SECONDS / 2 <= about.seconds <= MAX_VOICE_SECONDS + 1:
        return VoiceProblem.DAMAGED
    return cleaned, round(about.seconds, 1)


def as_opus(pcm: bytes, rate: int, compression_level: float) -> bytes | None:
    """16-bit mono sound at any rate made Ogg Opus at 16 kHz, squeezed as hard as `compression_level` says (0 to 1,
    libsndfile's scale); None where this device has no encoder. For sound made ahead of time, where encoding may
    take its while."""
    if _sound() is None:
        return None
    out = io.BytesIO()
    _sound()[1].write(out, _speech(pcm, rate, 1), KEPT_RATE, format="OGG", subtype="OPUS",
                      compression_level=compression_level)
    return out.getvalue()


def as_mp3(pcm: bytes, rate: int) -> bytes | None:
    """16-bit mono sound at any rate made MP3 at 16 kHz and 24 kbit/s, for speech read aloud; None where this device
    has no encoder.

    Not Opus, as voice notes are: libsndfile's Opus encoder takes a tenth of a second per second of sound, which a
    busy machine turns into most of a second before the first word; MP3 takes a fifth of that, and every browser
    and phone plays it (an iPhone plays no Ogg).
    """
    if _sound() is None:
        return None
    out = io.BytesIO()
    # Constant bitrate: a file's length in seconds is its size over its bitrate, without decoding it.
    _sound()[1].write(out, _speech(pcm, rate, 1), KEPT_RATE, format="MP3", subtype="MPEG_LAYER_III",
                      compression_level=0.9, bitrate_mode="CONSTANT")
    return out.getvalue()
