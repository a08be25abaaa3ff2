"""The speech pack: the app's own words spoken ahead of time by espeak-ng, for a phone that has no espeak-ng.

A pack is a folder: `index.json`, and per language `<language>/<key>.ogg`, one small Ogg Opus file per piece of
speech (kompas.media.speech.segments). The index names, per language, the text of each piece and its file, so a phone
finds a sentence's sound by its words, and a person can see what is in it. Only the app's own words go in (never a
client's), so a pack can ship inside the app for everyone.

    {"format": 1, "made_with": "espeak-ng", "paces": ["SLOW"],
     "languages": {"nl": {"SLOW": {"Meedoen": "1f3a….ogg", …}}, …}}

The pack holds the slow pace only, which the app reads at by default; the usual pace is the same sound played
faster (`Sound.speed`), which keeps the pack half the size.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from kompas.base.files import write_atomically
from kompas.media.speech import Pace, Sound, seconds_of, segments, speak, speech_key

__all__ = ["INDEX", "SPEECH_PACK", "Pack", "make_pack"]

log = logging.getLogger(__name__)

# Where a phone build carries its pack, inside assets/ (`kompas speech-pack --out assets/spraak`).
SPEECH_PACK = "spraak"
INDEX = "index.json"
# Ogg Opus: made ahead, so the encoder's time does not count, and half the size of MP3. Android plays it, and
# iPhones from iOS 18.4 on.
PACKED_SUFFIX = ".ogg"
FORMAT = 1
PACED = (Pace.SLOW,)


class Pack:
    """A speech pack on this device, read lazily: its index at the first lookup, a file when it is played."""

    def __init__(self, root: Path):
        self.root = root
        self._index: dict | None = None

    def _languages(self) -> dict:
        if self._index is None:
            try:
                index = json.loads((self.root / INDEX).read_bytes())
                ok = isinstance(index, dict) and index.get("format") == FORMAT
                self._index = index.get("languages", {}) if ok and isinstance(index.get("languages"), dict) else {}
            except (OSError, ValueError):
                self._index = {}  # no pack here (a laptop, a checkout): espeak-ng speaks
        return self._index

    def sound(self, text: str, language: str, pace: Pace) -> Sound | None:
        """The sound of one piece of the app's words, at `pace`: made at that pace, or at the slow pace played
        faster; None where the pack does not have it."""
        paces = self._languages().get(language)
        if not isinstance(paces, dict):
            return None
        for made in (pace, Pace.SLOW):
            name = (paces.get(made.name) or {}).get(text)
            if type(name) is str and "/" not in name and "\\" not in name and not name.startswith("."):
                path = self.root / language / name
                try:
                    data = path.read_bytes()
                except OSError:
                    return None
                return Sound(data, seconds_of(data), pace.value / made.value, path)
        return None


def make_pack(texts: dict[str, Iterable[str]], out: Path, paces: Iterable[Pace] = PACED,
              told: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Speak `texts` (per language, the app's words as the screens read them) into a pack in `out`.

    Each text is cut into the pieces the app plays (kompas.media.speech.segments), and each piece is made once. Files of
    an earlier pack that the new index does not name are taken away, so a pack made again holds nothing stale.
    Returns the bytes per language. Raises RuntimeError where espeak-ng cannot speak (the pack would be empty).
    """
    languages: dict[str, dict[str, dict[str, str]]] = {}
    sizes: dict[str, int] = {}
    for language, said in texts.items():
        folder = out / language
        folder.mkdir(parents=True, exist_ok=True)
        pieces = sorted({piece for text in said for piece in segments(text)})
        made: dict[str, dict[str, str]] = {}
        size = 0
        for pace in paces:
            names: dict[str, str] = {}
            for number, piece in enumerate(pieces):
                name = f"{speech_key(piece, language, pace)}{PACKED_SUFFIX}"
                path = folder / name
                if not path.is_file():
                    sound = speak(piece, language, pace, ahead=True)
                    if sound is None:
                        raise RuntimeError("espeak-ng cannot speak here")
                    write_atomically(path, sound.data, sync=False)
                names[piece] = name
                size += path.stat().st_size
                if told is not None:
                    told(language, number + 1, len(pieces))
            made[pace.name] = names
        wanted = {name for names in made.values() for name in names.values()}
        for stale in folder.glob(f"*{PACKED_SUFFIX}"):
            if stale.name not in wanted:
                stale.unlink()
        languages[language] = made
        sizes[language] = size
    index = {"format": FORMAT, "made_with": "espeak-ng", "paces": [p.name for p in paces], "languages": languages}
    write_atomically(out / INDEX, json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
    return sizes
