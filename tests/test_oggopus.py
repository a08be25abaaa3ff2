"""A voice note on a phone, where there is no libsndfile: the Ogg Opus file the phone's own encoder writes is checked page
by page in pure Python, its length read and its tags taken out; a laptop's note coming in a .kompas file is checked the
same way; and a damaged, foreign or too long file is refused."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
import soundfile
from phone import ogg_opus

from kompas.domain.model import MAX_VOICE_SECONDS, VOICE_FOLDER
from kompas.media import oggopus, recording
from kompas.media.recording import Take, VoiceProblem, clean_voice, keep_voice

ID = "0123456789abcdef0123456789abcdef"
PLACE = "Kerkstraat 12, Utrecht"


@pytest.fixture
def without_libsndfile(monkeypatch):
    """The app as a phone build runs it: no soundfile, no numpy."""
    recording._sound.cache_clear()
    monkeypatch.setitem(__import__("sys").modules, "soundfile", None)
    yield
    recording._sound.cache_clear()


def decoded_seconds(data: bytes) -> float:
    """libsndfile's own reading, to check ours against."""
    with soundfile.SoundFile(io.BytesIO(data)) as sound:
        return sound.frames / sound.samplerate


@pytest.mark.parametrize("seconds", [0.7, 4.0, 61.3, 180.0])
def test_the_length_is_the_one_libsndfile_reads(seconds):
    data = ogg_opus(seconds)
    about = oggopus.read(data)
    assert about.seconds == pytest.approx(decoded_seconds(data), abs=0.001)
    assert (about.channels, about.input_rate, about.finished) == (1, 16000, True)


def test_the_tags_go_and_the_sound_stays_whole():
    data = ogg_opus(12.0, {"title": PLACE, "artist": "Noor", "date": "2026-05-12"})
    assert oggopus.read(data).comments == 3 and PLACE.encode() in data
    cleaned, about = oggopus.without_tags(data)
    assert about.comments == 0 and oggopus.read(cleaned).comments == 0
    assert PLACE.encode() not in cleaned and b"Noor" not in cleaned
    # The same sound, sample for sample, as libsndfile decodes it from either file.
    before, _ = soundfile.read(io.BytesIO(data), dtype="int16")
    after, _ = soundfile.read(io.BytesIO(cleaned), dtype="int16")
    assert np.array_equal(before, after)
    # A file without tags comes out the same again: the rewrite is stable.
    assert oggopus.without_tags(cleaned)[0] == cleaned


def pages(data: bytes) -> list[bytes]:
    out, at = [], 0
    while at < len(data):
        count = data[at + 26]
        size = 27 + count + sum(data[at + 27:at + 27 + count])
        out.append(data[at:at + size])
        at += size
    return out


def damaged() -> dict[str, bytes]:
    good = ogg_opus(5.0)
    split = pages(good)
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x10
    other_stream = bytearray(split[3])
    other_stream[14:18] = struct.pack("<I", 12345)  # a second logical stream's serial, its CRC left as it was
    two_heads = split[0] + split[0] + b"".join(split[1:])
    return {
        "empty": b"",
        "not ogg": b"\x89PNG\r\n\x1a\n" + bytes(500),
        "a byte changed": bytes(flipped),
        "cut off mid-page": good[: len(good) - 100],
        "a page missing": b"".join(split[:3] + split[4:]),
        "another stream inside": b"".join(split[:3]) + bytes(other_stream) + b"".join(split[4:]),
        "two heads": two_heads,
        "vorbis, not opus": _vorbis(),
    }


def _vorbis() -> bytes:
    out = io.BytesIO()
    soundfile.write(out, np.zeros(16000, dtype="float32") + 0.1, 16000, format="OGG", subtype="VORBIS")
    return out.getvalue()


@pytest.mark.parametrize("kind", list(damaged()))
def test_a_damaged_or_foreign_file_is_refused(kind):
    with pytest.raises(oggopus.NotOggOpus):
        oggopus.without_tags(damaged()[kind])


def test_a_recording_cut_off_by_the_app_closing_keeps_what_was_said(tmp_path):
    """The phone's own file, when the app was closed mid-sentence: its last page is not marked as the last."""
    split = pages(ogg_opus(6.0))
    last = bytearray(split[-2])
    last[5] &= ~0x04  # not the last page: the recorder never got to write that
    cut = b"".join(split[:-2]) + bytes(last)
    with pytest.raises(oggopus.NotOggOpus):
        oggopus.read(cut)  # from elsewhere, a file must be whole
    recorded = tmp_path / "opname.ogg"
    recorded.write_bytes(cut)
    kept = keep_voice(Take(file=recorded), tmp_path, ID)
    assert 4.0 < kept.seconds < 6.0
    assert oggopus.read((tmp_path / kept.file).read_bytes()).finished


def test_the_phones_own_recording_becomes_a_note_without_tags(tmp_path, without_libsndfile):
    recorded = recording.recording_file(tmp_path, "abc")
    recorded.write_bytes(ogg_opus(4.2, {"title": PLACE}))
    kept = keep_voice(Take(file=recorded), tmp_path, ID)
    assert kept.seconds == pytest.approx(4.2, abs=0.05)
    data = (tmp_path / VOICE_FOLDER / f"{ID}.ogg").read_bytes()
    assert PLACE.encode() not in data and oggopus.read(data).comments == 0
    assert not recorded.exists()  # nothing half is left in voice/


@pytest.mark.parametrize("content, problem", [(b"", VoiceProblem.TOO_SHORT), (None, VoiceProblem.TOO_SHORT),
                                              (bytes(range(256)) * 100, VoiceProblem.DAMAGED)])
def test_a_recording_that_is_not_one_is_said_so(tmp_path, without_libsndfile, content, problem):
    recorded = tmp_path / "opname.ogg"
    if content is not None:
        recorded.write_bytes(content)
    assert keep_voice(Take(file=recorded), tmp_path, ID) is problem


def test_a_tap_on_stop_at_once_is_too_short(tmp_path, without_libsndfile):
    recorded = tmp_path / "opname.ogg"
    recorded.write_bytes(ogg_opus(0.3))
    assert keep_voice(Take(file=recorded), tmp_path, ID) is VoiceProblem.TOO_SHORT


def test_a_laptops_note_coming_in_is_checked_and_kept_without_libsndfile(without_libsndfile):
    data = ogg_opus(8.0, {"comment": PLACE})
    cleaned, seconds = clean_voice(data)
    assert seconds == pytest.approx(8.0, abs=0.05) and PLACE.encode() not in cleaned
    assert clean_voice(_vorbis()) is VoiceProblem.DAMAGED
    assert clean_voice(claiming(ogg_opus(5.0), MAX_VOICE_SECONDS + 10)) is VoiceProblem.DAMAGED


def claiming(data: bytes, seconds: float) -> bytes:
    """The file with its last page saying the sound lasts `seconds` (its checksum made right again)."""
    split = pages(data)
    last = bytearray(split[-1])
    last[6:14] = struct.pack("<q", int(seconds * 48000) + 312)
    last[22:26] = bytes(4)
    last[22:26] = struct.pack("<I", oggopus._crc(bytes(last)))
    return b"".join(split[:-1]) + bytes(last)


def test_the_length_comes_from_the_file_and_is_checked():
    assert oggopus.read(claiming(ogg_opus(5.0), 200)).seconds == pytest.approx(200, abs=0.01)


def test_three_minutes_from_the_phone_stay_well_under_six_megabytes():
    """Opus at the bit rate the phone is asked for: about 3 kB a second."""
    assert len(ogg_opus(MAX_VOICE_SECONDS)) < 1_000_000
