"""Reading aloud on this device: espeak-ng speaks a text sentence by sentence as small MP3 files, offline; each kept once.

espeak-ng 1.52 comes with its voices inside the `espeakng-loader` wheel (GPL-3.0-or-later; see the README), Tigrinya
included, so nothing is downloaded at run time. It keeps one voice and one speed for the whole process, so every
synthesis holds one lock.

A screen is spoken as a row of sounds, a heading or a sentence or two each, so that the first plays while the rest
is still being made, and no sound is ever bigger than a few tens of kilobytes. Each run of letters goes to a voice
that can say it: a Dutch word inside Tigrinya speech is said by the Dutch voice, not spelled out in English.

Where speech is kept: the app's fixed words in `<data>/spraak/<language>/`, since they hold nothing of a client; a
client's own words only inside their kompas's folder (`spraak/`), so they go when the kompas is erased, and a
note's speech goes when the note does. A human recording in `assets/audio/<language>/` comes first, where there is
one (see `assets/audio/README.md`). Where espeak-ng is missing (a phone), the app's words come from a speech pack
made ahead of time (`kompas speech-pack`, kompas/media/speechpack.py), and a client's own words cannot be spoken.
"""

from __future__ import annotations

import ctypes
import enum
import hashlib
import io
import json
import logging
import re
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from kompas.base.files import write_atomically
from kompas.domain.words import Spoken
from kompas.media.recording import as_mp3, as_opus

__all__ = ["SPEECH_FOLDER", "SUFFIX", "Pace", "Sound", "Speech", "Spoken", "Unspoken", "can_speak", "forget_own_words", "pcm",
           "runs", "seconds_of", "segments", "speak", "speech_key", "warm"]

log = logging.getLogger(__name__)

SPEECH_FOLDER = "spraak"

# The espeak-ng voice for each language the app speaks.
VOICES = {"nl": "nl", "en": "en", "ar": "ar", "ti": "ti", "tr": "tr", "uk": "uk", "fa": "fa", "pl": "pl"}
# Longer texts are cut at this many characters: a note is at most a few hundred, a screen is read piece by piece.
MAX_CHARS = 4000
# Each sentence is a sound of its own, and a longer one is cut at a comma or a space near this many characters
# (about eight seconds slowly): each is made, on a busy machine too, in less time than the one before it plays.
SEGMENT_CHARS = 120
# A kept piece of speech: MP3 (kompas.media.recording.as_mp3 says why not Opus).
SUFFIX = ".mp3"
# How hard a speech pack's Opus is squeezed (libsndfile's scale, 0 to 1): 0.98 is about 11 kbit/s, clear for
# espeak-ng's voice, and the pack of all eight languages about 10 MB (MP3 at 24 kbit/s: 22 MB).
PACKED = 0.98


class Pace(enum.Enum):
    """Words per minute: espeak-ng's usual speed, and a slower one for someone who reads little or learns Dutch."""

    NORMAL = 165
    SLOW = 120


@dataclass(frozen=True)
class Sound:
    """One piece of speech to play: a file's bytes (MP3; a recording may be WAV) and how long it lasts.

    `speed`: how much faster than made it is to be played (a speech pack holds the slow pace only).
    `path`: where it is kept, if it is: a phone plays the file itself (its player takes no bytes on an iPhone)."""

    data: bytes
    seconds: float
    speed: float = 1.0
    path: Path | None = None


class Unspoken(enum.Enum):
    """Why something was not spoken; only the UI turns this into words."""

    OWN_WORDS = "own_words"  # a client's own words, on a device with no voice of its own (a phone's speech pack)
    CANNOT = "cannot"  # this device cannot speak at all


# espeak-ng through ctypes: made ready at the first text, never at start-up.

_SYNTH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_lock = threading.Lock()
_engine: tuple[ctypes.CDLL, int] | None = None
_failed = False
_pieces: list[bytes] = []


def _heard(samples, count: int, _events) -> int:
    if samples and count > 0:
        _pieces.append(ctypes.string_at(samples, count * 2))
    return 0  # go on


_callback = _SYNTH(_heard)  # kept here: ctypes does not keep a callback alive by itself


def _start() -> tuple[ctypes.CDLL, int] | None:
    """The library and its sample rate; None where the wheel is missing (a phone build without it)."""
    global _engine, _failed
    if _engine is not None or _failed:
        return _engine
    try:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        # Synchronous output (2): the callback gets every sample before espeak_Synth returns, on this thread.
        # 0x8000: on an error, say so instead of ending the whole process.
        rate = lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0x8000)
        if rate <= 0:
            raise OSError(f"espeak-ng did not start ({rate})")
        lib.espeak_SetSynthCallback(_callback)
    except (ImportError, OSError, AttributeError) as error:
        log.warning("espeak-ng is not available here (%s)", type(error).__name__)
        _failed = True
        return None
    _engine = (lib, rate)
    return _engine


def warm() -> None:
    """Load espeak-ng and the MP3 encoder, and speak one word, so the first tap on "Voorlezen" waits for none of it:
    together they take the better part of a second, more on a busy machine."""
    if can_speak():
        speak("Kompas.", "nl")


def can_speak() -> bool:
    """Whether this device makes speech itself (espeak-ng), for any text: a client's own words too."""
    with _lock:
        return _start() is not None


def _samples(text: str, voice: str, pace: Pace, end_pause: bool = True) -> tuple[bytes, int] | None:
    """16-bit mono samples of `text` spoken by `voice`, and their rate."""
    with _lock:
        engine = _start()
        if engine is None:
            return None
        lib, rate = engine
        if lib.espeak_SetVoiceByName(VOICES.get(voice, "nl").encode()) != 0:
            lib.espeak_SetVoiceByName(b"nl")
        lib.espeak_SetParameter(1, pace.value, 0)  # 1: the speed, in words per minute
        data = text.encode("utf-8", "replace") + b"\0"
        _pieces.clear()
        # Characters are UTF-8 (1); a pause at the end (0x1000) only after the last run of a sentence.
        lib.espeak_Synth(data, len(data), 0, 1, 0, 1 | (0x1000 if end_pause else 0), None, None)
        samples = b"".join(_pieces)
        _pieces.clear()
    return samples, rate


# Letters by script: which voice can say them.

_SCRIPT_OF_LANGUAGE = {"nl": "latin", "en": "latin", "tr": "latin", "pl": "latin", "ar": "arabic", "fa": "arabic",
                       "ti": "ethiopic", "uk": "cyrillic"}
# The voice for a script the screen's language does not write in. Latin inside another script is most often Dutch
# (a place, an office, "Stadspas"); Arabic-script words inside Latin text are read as Arabic.
_VOICE_OF_SCRIPT = {"latin": "nl", "arabic": "ar", "ethiopic": "ti", "cyrillic": "uk"}


def _script(char: str) -> str | None:
    """The script of a letter; None for what every voice says alike or not at all (spaces, digits, signs, marks)."""
    if not char.isalpha():
        return None
    point = ord(char)
    if point < 0x250 or 0x1E00 <= point < 0x1F00:
        return "latin"
    if 0x400 <= point < 0x530:
        return "cyrillic"
    if 0x600 <= point < 0x780 or 0x8A0 <= point < 0x900 or 0xFB50 <= point < 0xFE00 or 0xFE70 <= point < 0xFF00:
        return "arabic"
    if 0x1200 <= point < 0x13A0 or 0x2D80 <= point < 0x2DE0 or 0xAB00 <= point < 0xAB30:
        return "ethiopic"
    return None


def _voice_for(script: str | None, language: str) -> str:
    if script is None or _SCRIPT_OF_LANGUAGE.get(language) == script:
        return language
    return _VOICE_OF_SCRIPT[script]


def runs(text: str, language: str) -> list[tuple[str, str]]:
    """`text` cut where its script changes, each run with the voice that says it: (words, voice)."""
    found: list[list[str]] = []  # [voice, text]
    for char in text:
        voice = _voice_for(_script(char), language) if _script(char) else None
        if found and (voice is None or voice == found[-1][0]):
            found[-1][1] += char
        elif voice is None:
            found.append([language, char])  # signs before the first letter
        elif found and not any(_script(c) for c in found[-1][1]):
            found[-1] = [voice, found[-1][1] + char]  # those signs go with the first letter's voice
        else:
            found.append([voice, char])
    return [(words, voice) for voice, words in found if words.strip()]


_SENTENCE_END = re.compile(r"(?<=[.!?…።፧؟])\s+|\s*\n\s*")


def segments(text: str) -> list[str]:
    """`text` as the pieces it is spoken in: one sentence each, and a sentence longer than SEGMENT_CHARS cut at a
    comma, else at a space. The same text always gives the same pieces (a speech pack is looked up by them)."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()[:MAX_CHARS]):
        sentence = sentence.strip()
        while len(sentence) > SEGMENT_CHARS:
            cut = sentence.rfind(", ", SEGMENT_CHARS // 3, SEGMENT_CHARS)
            if cut < 0:
                cut = sentence.rfind(" ", SEGMENT_CHARS // 3, SEGMENT_CHARS)
            if cut < 0:
                cut = SEGMENT_CHARS - 1
            pieces.append(sentence[:cut + 1].strip())
            sentence = sentence[cut + 1:].strip()
        if sentence:
            pieces.append(sentence)
    return pieces


def pcm(text: str, language: str, pace: Pace = Pace.SLOW) -> tuple[bytes, int] | None:
    """`text` spoken as raw 16-bit mono samples and their rate, each run of letters by a voice that can say it."""
    parts = runs(text, language)
    made, rate = [], 0
    for number, (words, voice) in enumerate(parts):
        said = _samples(words, voice, pace, end_pause=number == len(parts) - 1)
        if said is None:
            return None
        made.append(said[0])
        rate = said[1]
    return (b"".join(made), rate) if made else None


def speak(text: str, language: str, pace: Pace = Pace.SLOW, ahead: bool = False) -> Sound | None:
    """`text` spoken in `language` as one sound (MP3; a WAV where there is no encoder); None where this device
    cannot speak. `ahead`: made for a speech pack, where time does not count and size does: Ogg Opus at 11 kbit/s,
    half the size of the MP3 and as clear."""
    made = pcm(text, language, pace)
    if made is None:
        return None
    samples, rate = made
    seconds = len(samples) / 2 / rate
    data = as_opus(samples, rate, PACKED) if ahead else as_mp3(samples, rate)
    return Sound(data if data is not None else _wav(samples, rate), seconds)


def _wav(samples: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()


def speech_key(text: str, language: str, pace: Pace) -> str:
    return hashlib.sha256(f"{language}\n{pace.name}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _keep(path: Path, sound: Sound | None) -> Sound | None:
    """`sound`, kept at `path` (and saying so); as it was where it cannot be kept."""
    if sound is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Speech can always be made again: no need to wait for the disk.
        write_atomically(path, sound.data, sync=False)
    except OSError as error:
        log.warning("speech could not be kept (%s)", type(error).__name__)
        return sound
    return replace(sound, path=path)


def _kept(path: Path) -> Sound | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    seconds = seconds_of(data)
    return Sound(data, seconds, path=path) if seconds else None


def seconds_of(data: bytes) -> float:
    """How long a sound file lasts: an MP3 of constant bitrate by its size, an Ogg Opus file (a voice note) by its
    last page, a WAV by its header; 0 when it cannot tell (cut off, or another format)."""
    mp3 = _mp3_bitrate(data)
    if mp3:
        return len(data) * 8 / mp3
    if data[:4] == b"OggS":
        last, head = data.rfind(b"OggS"), data.find(b"OpusHead")
        if last < 0 or head < 0 or len(data) < last + 14 or len(data) < head + 12:
            return 0.0
        # Opus counts at 48 kHz, whatever the rate it was made at; the first `pre-skip` samples are not heard.
        end = int.from_bytes(data[last + 6:last + 14], "little", signed=True)
        skip = int.from_bytes(data[head + 10:head + 12], "little")
        return max(0.0, (end - skip) / 48000)
    try:
        with wave.open(io.BytesIO(data), "rb") as sound:
            return sound.getnframes() / sound.getframerate()
    except (wave.Error, EOFError, ZeroDivisionError):
        return 0.0


class Speech:
    """Speech for one data folder: made once per sentence, language and pace, then read from its file.

    `recordings`: assets/audio, where <language>/index.json names a person's recording per Dutch text.
    `pack`: a speech pack (kompas/media/speechpack.py) of the app's own words, for a device without espeak-ng.
    """

    def __init__(self, data_dir: Path, recordings: Path | None = None, pack: Path | None = None):
        from kompas.media.speechpack import Pack

        self.data_dir = data_dir
        self.recordings = recordings
        self.pack = Pack(pack) if pack is not None else None
        self._indexes: dict[str, dict[str, str]] = {}

    def sounds(self, pieces: list[Spoken], language: str, pace: Pace, folder: Path | None,
               instead: Spoken | None = None) -> Iterator[Sound | Unspoken]:
        """The sounds of `pieces` in order, each made only when asked for: the first plays while the next is made.

        A client's words on a device that cannot speak them give one Unspoken.OWN_WORDS where they first come,
        followed by `instead` (the app's words saying so); a screen of which nothing at all could be spoken ends with
        Unspoken.CANNOT.
        """
        spoken = told = False
        for piece in pieces:
            if not piece.text.strip():
                continue
            said = piece.language or language
            if piece.own and not can_speak():
                if not told:
                    told = True
                    yield Unspoken.OWN_WORDS
                    for sound in self.sounds([instead] if instead is not None else [], language, pace, None):
                        if isinstance(sound, Sound):
                            spoken = True
                            yield sound
                continue
            recorded = None if piece.own else self._recording(piece.source or piece.text, said)
            if recorded is not None:
                spoken = True
                yield recorded
                continue
            for part in segments(piece.text):
                if not piece.own:
                    sound = self.fixed(part, said, pace)
                elif folder is not None and piece.owner:
                    sound = self.own_words(folder, piece.owner, part, said, pace)
                else:
                    # With no kompas open, or words with no owner to go with (a count, a date): kept nowhere.
                    sound = speak(part, said, pace)
                if sound is None:
                    # A text the speech pack was made without: the rest is still read.
                    log.info("a piece of a screen has no speech here")
                    continue
                spoken = True
                yield sound
        if not spoken:
            # Nothing at all could be said (no voice here, and no speech pack): that is the one line to show, also
            # after a word about the client's own words.
            yield Unspoken.CANNOT

    def prepare(self, piece: Spoken, language: str, pace: Pace) -> None:
        """Make and keep the first sound of `piece` (a screen's heading), so that a tap on "Voorlezen" finds it made.
        Only the app's own words: a client's words are spoken only when the client asks."""
        if piece.own or not piece.text.strip() or not can_speak():
            return
        said = piece.language or language
        if self._recording(piece.source or piece.text, said) is None:
            self.fixed(segments(piece.text)[0], said, pace)

    def fixed(self, text: str, language: str, pace: Pace) -> Sound | None:
        """The app's own words (one sentence or so, translated) spoken: from the speech pack, from the data
        folder, or made now and kept there."""
        if self.pack is not None:
            packed = self.pack.sound(text, language, pace)
            if packed is not None:
                return packed
        path = self.data_dir / SPEECH_FOLDER / language / f"{speech_key(text, language, pace)}{SUFFIX}"
        sound = _kept(path)
        if sound is None and can_speak():
            sound = _keep(path, speak(text, language, pace))
        return sound

    def own_words(self, folder: Path, owner: str, text: str, language: str, pace: Pace) -> Sound | None:
        """A client's own words (a sentence or so) spoken, kept in their kompas's folder under the id of the note
        (or field) they belong to, so that they go with it."""
        path = folder / SPEECH_FOLDER / f"{_safe(owner)}-{speech_key(text, language, pace)}{SUFFIX}"
        return _kept(path) or _keep(path, speak(text, language, pace))

    def _recording(self, source: str, language: str) -> Sound | None:
        if self.recordings is None:
            return None
        index = self._indexes.get(language)
        if index is None:
            try:
                index = json.loads((self.recordings / language / "index.json").read_bytes())
                if not isinstance(index, dict):
                    index = {}
            except (OSError, ValueError):
                index = {}
            self._indexes[language] = index
        name = index.get(source)
        if type(name) is not str or "/" in name or "\\" in name or name.startswith("."):
            return None
        path = self.recordings / language / name
        try:
            data = path.read_bytes()
        except OSError:
            return None
        # Where its length cannot be told, a guess that only bounds the wait for its end: 2 kB a second is Opus.
        return Sound(data, seconds_of(data) or len(data) / 2000, path=path)


# MPEG Layer III bitrates in kbit/s by the header's index: MPEG-1, and MPEG-2 and 2.5 (16 kHz and below).
_MP3_KBPS = {3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}


def _mp3_bitrate(data: bytes) -> int:
    """The bits a second of an MP3 that starts with a Layer III frame; 0 for anything else."""
    if len(data) < 4 or data[0] != 0xFF or data[1] & 0xE0 != 0xE0 or (data[1] >> 1) & 3 != 1:
        return 0
    version = (data[1] >> 3) & 3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
    rates = _MP3_KBPS.get(3 if version == 3 else 2 if version in (0, 2) else -1)
    index = data[2] >> 4
    return rates[index] * 1000 if rates and 0 < index < 15 else 0


def forget_own_words(folder: Path, owner: str) -> None:
    """Delete the speech of a client's note (or field): it goes with the words themselves."""
    for path in _own_files(folder, owner):
        path.unlink(missing_ok=True)


def _own_files(folder: Path, owner: str):
    """The speech files of one owner, `<owner>-<key>.mp3` (`.wav` from before): not those of another whose name
    starts the same, as "actie-stap" starts with "actie"."""
    pattern = f"{_safe(owner)}-{'[0-9a-f]' * 32}"
    return [path for suffix in (SUFFIX, ".wav") for path in (folder / SPEECH_FOLDER).glob(f"{pattern}{suffix}")]


def _safe(owner: str) -> str:
    return "".join(c for c in owner if c.isascii() and (c.isalnum() or c in "-_"))[:64] or "scherm"
