"""Reading aloud on this device: espeak-ng speaks a text as a WAV, offline; each text is made once and kept.

espeak-ng 1.52 comes with its voices inside the `espeakng-loader` wheel (GPL-3.0-or-later; see the README), Tigrinya
included, so nothing is downloaded at run time. It keeps one voice and one speed for the whole process, so every
synthesis holds one lock.

Where speech is kept: the app's fixed words in `<data>/spraak/<language>/`, since they hold nothing of a client; a
client's own words only inside their kompas's folder (`spraak/`), so they go when the kompas is erased, and a
note's speech goes when the note does. A human recording in `assets/audio/<language>/` comes first, where there is
one (see `assets/audio/README.md`).
"""

from __future__ import annotations

import ctypes
import enum
import hashlib
import io
import json
import logging
import threading
import wave
from pathlib import Path

from kompas.files import write_atomically
from kompas.words import Spoken

__all__ = ["SPEECH_FOLDER", "Pace", "Speech", "Spoken", "forget_own_words", "speak"]

log = logging.getLogger(__name__)

SPEECH_FOLDER = "spraak"

# The espeak-ng voice for each language the app speaks.
VOICES = {"nl": "nl", "en": "en", "ar": "ar", "ti": "ti", "tr": "tr", "uk": "uk", "fa": "fa", "pl": "pl"}
# Longer texts are cut at this many characters: a note is at most a few hundred, a screen is read piece by piece.
MAX_CHARS = 4000
# The pause between two pieces of a screen, in seconds: a breath between the title and what follows.
_BETWEEN = 0.35


class Pace(enum.Enum):
    """Words per minute: espeak-ng's usual speed, and a slower one for someone who reads little or learns Dutch."""

    NORMAL = 165
    SLOW = 120


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
        log.warning("reading aloud is not available here (%s)", type(error).__name__)
        _failed = True
        return None
    _engine = (lib, rate)
    return _engine


def _samples(text: str, language: str, pace: Pace) -> tuple[bytes, int] | None:
    """16-bit mono samples of `text` spoken, and their rate."""
    with _lock:
        engine = _start()
        if engine is None:
            return None
        lib, rate = engine
        if lib.espeak_SetVoiceByName(VOICES.get(language, "nl").encode()) != 0:
            lib.espeak_SetVoiceByName(b"nl")
        lib.espeak_SetParameter(1, pace.value, 0)  # 1: the speed, in words per minute
        data = text[:MAX_CHARS].encode("utf-8", "replace") + b"\0"
        _pieces.clear()
        # Characters are UTF-8 (1), with a pause at the end (0x1000).
        lib.espeak_Synth(data, len(data), 0, 1, 0, 1 | 0x1000, None, None)
        samples = b"".join(_pieces)
        _pieces.clear()
    return samples, rate


def _wav(samples: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()


def speak(text: str, language: str, pace: Pace = Pace.SLOW) -> bytes | None:
    """`text` spoken in `language` as a WAV file; None where this device cannot speak."""
    made = _samples(text, language, pace)
    return None if made is None else _wav(*made)


def _key(text: str, language: str, pace: Pace) -> str:
    return hashlib.sha256(f"{language}\n{pace.name}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Speech:
    """Speech for one data folder: made once per text, language and pace, then read from its file."""

    def __init__(self, data_dir: Path, recordings: Path | None = None):
        self.data_dir = data_dir
        self.recordings = recordings  # assets/audio: <language>/index.json names a recording per Dutch text
        self._indexes: dict[str, dict[str, str]] = {}

    def fixed(self, text: str, language: str, pace: Pace, source: str | None = None) -> bytes | None:
        """The app's own words (translated), spoken: a human recording of `source` (the Dutch text) where there is
        one, else espeak-ng's, kept in the data folder."""
        recorded = self._recording(source or text, language)
        return recorded if recorded is not None else self._made(text, language, pace)

    def _made(self, text: str, language: str, pace: Pace) -> bytes | None:
        return self._kept(self.data_dir / SPEECH_FOLDER / language / f"{_key(text, language, pace)}.wav", text,
                          language, pace)

    def own_words(self, folder: Path, owner: str, text: str, language: str, pace: Pace) -> bytes | None:
        """A client's own words spoken, kept in their kompas's folder under the id of the note (or field) they
        belong to; an older version of the same words goes as the new one is kept."""
        path = folder / SPEECH_FOLDER / f"{_safe(owner)}-{_key(text, language, pace)}.wav"
        wav = self._kept(path, text, language, pace)
        if wav is not None:
            for older in _own_files(folder, owner):
                if older != path:
                    older.unlink(missing_ok=True)
        return wav

    def screen(self, pieces: list[Spoken], language: str, pace: Pace, folder: Path | None) -> bytes | None:
        """A whole screen read in order, as one WAV: each piece kept by its own rule, joined with a short pause."""
        joined, rate = [], 0
        for piece in pieces:
            if not piece.text.strip():
                continue
            if piece.own:
                # A client's words are kept with their kompas only; with no kompas open they are not kept at all.
                wav = (self.own_words(folder, piece.owner or "scherm", piece.text, language, pace) if folder is not None
                       else speak(piece.text, language, pace))
            else:
                wav = self.fixed(piece.text, language, pace, piece.source or None)
            if wav is None:
                return None
            try:
                samples, piece_rate = _read_wav(wav)
                if rate and piece_rate != rate:
                    raise ValueError("another sample rate")
            except (wave.Error, ValueError, EOFError):
                # A recording that cannot be joined to the rest (another format or rate) is read by espeak-ng
                # here; it still plays on its own button.
                made = self._made(piece.text, language, pace)
                if made is None:
                    return None
                samples, piece_rate = _read_wav(made)
            rate = piece_rate
            joined.append(samples)
            joined.append(b"\0\0" * int(rate * _BETWEEN))
        return _wav(b"".join(joined), rate) if joined else None

    def _kept(self, path: Path, text: str, language: str, pace: Pace) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            pass
        wav = speak(text, language, pace)
        if wav is None:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, wav, sync=False)  # speech can always be made again: no need to wait for the disk
        except OSError as error:
            log.warning("speech could not be kept (%s)", type(error).__name__)
        return wav

    def _recording(self, source: str, language: str) -> bytes | None:
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
        try:
            return (self.recordings / language / name).read_bytes()
        except OSError:
            return None


def forget_own_words(folder: Path, owner: str) -> None:
    """Delete the speech of a client's note (or field): it goes with the words themselves."""
    for path in _own_files(folder, owner):
        path.unlink(missing_ok=True)


def _own_files(folder: Path, owner: str):
    """The speech files of one owner, `<owner>-<key>.wav`: not those of another whose name starts the same, as
    "actie-stap" starts with "actie"."""
    return (folder / SPEECH_FOLDER).glob(f"{_safe(owner)}-{'[0-9a-f]' * 32}.wav")


def _safe(owner: str) -> str:
    return "".join(c for c in owner if c.isascii() and (c.isalnum() or c in "-_"))[:64] or "scherm"


def _read_wav(raw: bytes) -> tuple[bytes, int]:
    with wave.open(io.BytesIO(raw), "rb") as source:
        if source.getsampwidth() != 2 or source.getnchannels() != 1:
            raise ValueError("not 16-bit mono")
        return source.readframes(source.getnframes()), source.getframerate()
