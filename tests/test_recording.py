"""From the microphone's stream to a voice note on the device: any microphone's format, three minutes at most, Opus
with nothing in it but the sound, and a clear no for a tap, silence, a full disk or a damaged file."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from soundfiles import as_microphone, spoken, streamed, take_of

from kompas.domain.model import MAX_VOICE_SECONDS, VOICE_FOLDER
from kompas.media import recording
from kompas.media.recording import KEPT_RATE, Take, VoiceProblem, clean_voice, guess_format, keep_voice

SENTENCE = "Ik kan goed koken, vooral soep, en ik kook graag voor de buren."
ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def voice(tmp_path_factory):
    """The sentence said once (espeak-ng): its samples and rate."""
    return spoken(SENTENCE, tmp_path_factory.mktemp("speech"))


def envelope(samples: np.ndarray, rate: int, step: float = 0.05) -> np.ndarray:
    """How loud the sound is every 50 ms: where the words and the pauses fall."""
    size = int(rate * step)
    frames = samples[: samples.size // size * size].astype(np.float64).reshape(-1, size)
    loudness = np.sqrt((frames ** 2).mean(axis=1))
    return loudness / (loudness.max() or 1)


# What browsers' microphones give (the requested format is ignored): Chromium's fake one, a laptop, a headset.
MICROPHONES = [(48000, 1), (44100, 2), (16000, 1), (24000, 2), (22050, 1), (8000, 1), (32000, 1)]


@pytest.mark.parametrize(("rate", "channels"), MICROPHONES)
def test_any_microphone_gives_the_same_words_at_16_khz_mono_opus(voice, tmp_path, rate, channels):
    samples, own_rate = voice
    take = streamed(as_microphone(samples, own_rate, rate, channels), rate * channels * 2, seed=rate)
    assert guess_format(take.pcm(), take.bytes_per_second()) == (rate, channels)
    kept = keep_voice(take, tmp_path, ID)
    said = samples.size / own_rate
    assert kept.id == ID and abs(kept.seconds - said) < 0.1
    data = (tmp_path / VOICE_FOLDER / f"{ID}.ogg").read_bytes()
    info = soundfile.info(io.BytesIO(data))
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("OGG", "OPUS", KEPT_RATE, 1)
    # The same words at the same pace: a wrong guess of the rate would stretch or squeeze them.
    heard, heard_rate = soundfile.read(io.BytesIO(data), dtype="float32")
    original, again = envelope(samples, own_rate), envelope(heard, heard_rate)
    length = min(original.size, again.size)
    assert abs(original.size - again.size) <= 2
    assert np.corrcoef(original[:length], again[:length])[0, 1] > 0.9
    # Small: about 3 kB a second, a tenth of the raw 16 kHz sound.
    assert len(data) < 5000 * said


def test_a_browser_that_gives_a_mono_microphone_as_two_equal_channels_is_read_as_one(voice):
    samples, own_rate = voice
    twins = as_microphone(samples, own_rate, 24000, 2)
    single = as_microphone(samples, own_rate, 48000, 1)
    # Both come at 96,000 bytes a second: left and right being the same samples is what tells them apart.
    assert guess_format(twins, 96000) == (24000, 2)
    assert guess_format(single, 96000) == (48000, 1)


def test_a_note_stops_at_three_minutes(voice, tmp_path):
    samples, own_rate = voice
    long = np.tile(samples, int(200 * own_rate / samples.size) + 1)
    take = streamed(as_microphone(long, own_rate, 16000, 1), 32000)
    assert take.full()  # the clock says so too: the screen stops the recording there
    kept = keep_voice(take, tmp_path, ID)
    assert kept.seconds == MAX_VOICE_SECONDS
    assert soundfile.info(str(tmp_path / kept.file)).duration == pytest.approx(MAX_VOICE_SECONDS, abs=0.05)


def test_a_tap_silence_and_a_full_disk_keep_nothing(voice, tmp_path, monkeypatch):
    samples, own_rate = voice
    short = streamed(as_microphone(samples[: own_rate // 4], own_rate, 48000, 1), 96000)
    assert keep_voice(short, tmp_path, ID) is VoiceProblem.TOO_SHORT
    quiet = streamed(bytes(96000 * 3), 96000)
    assert keep_voice(quiet, tmp_path, ID) is VoiceProblem.SILENT
    assert keep_voice(Take(), tmp_path, ID) is VoiceProblem.TOO_SHORT  # stopped before anything came

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(recording, "write_atomically", full)
    assert keep_voice(take_of("Hallo", tmp_path), tmp_path, ID) is VoiceProblem.NOT_SAVED
    assert not list((tmp_path / VOICE_FOLDER).glob("*.ogg"))


def test_a_file_as_the_app_makes_it_is_kept_byte_for_byte(voice, tmp_path):
    kept = keep_voice(take_of(SENTENCE, tmp_path), tmp_path, ID)
    data = (tmp_path / kept.file).read_bytes()
    assert clean_voice(data) == (data, kept.seconds)


def sound_file(samples: np.ndarray, rate: int, **kwargs) -> bytes:
    out = io.BytesIO()
    soundfile.write(out, samples, rate, **kwargs)
    return out.getvalue()


SECRET = "Kerkstraat 12, Utrecht"


@pytest.mark.parametrize("kind", ["wav", "vorbis with tags", "opus 48 kHz stereo", "opus with a title"])
def test_any_other_sound_coming_in_is_made_again_with_no_words_in_its_tags(voice, kind):
    samples, own_rate = voice
    audio = samples.astype(np.float32) / 32768
    data = {
        "wav": lambda: sound_file(audio, own_rate, format="WAV"),
        "vorbis with tags": lambda: tagged(audio, own_rate, "VORBIS"),
        "opus 48 kHz stereo": lambda: sound_file(np.stack([audio, audio], axis=1)[: own_rate * 3], 48000,
                                                 format="OGG", subtype="OPUS"),
        "opus with a title": lambda: tagged(np.interp(np.arange(samples.size * 16000 // own_rate) * own_rate / 16000,
                                                      np.arange(samples.size), audio).astype(np.float32),
                                            16000, "OPUS"),
    }[kind]()
    cleaned, seconds = clean_voice(data)
    assert cleaned != data and SECRET.encode() not in cleaned
    info = soundfile.info(io.BytesIO(cleaned))
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("OGG", "OPUS", KEPT_RATE, 1)
    assert seconds > 0.5 and abs(info.duration - seconds) < 0.1


def tagged(samples: np.ndarray, rate: int, subtype: str) -> bytes:
    out = io.BytesIO()
    with soundfile.SoundFile(out, "w", rate, 1, format="OGG", subtype=subtype) as sound:
        sound.title = SECRET
        sound.artist = SECRET
        sound.write(samples)
    data = out.getvalue()
    assert SECRET.encode() in data  # the tags are really there to be cleaned away
    return data


@pytest.mark.parametrize("data", [b"", b"OggS" + bytes(200), b"\x89PNG\r\n\x1a\n" + bytes(100), bytes(range(256)) * 40])
def test_a_damaged_or_foreign_file_is_refused(data):
    assert clean_voice(data) is VoiceProblem.DAMAGED


def test_a_sound_longer_than_three_minutes_coming_in_is_refused():
    data = sound_file(np.zeros(16000 * (MAX_VOICE_SECONDS + 5), dtype=np.float32) + 0.1, 16000, format="OGG",
                      subtype="OPUS")
    assert clean_voice(data) is VoiceProblem.DAMAGED
