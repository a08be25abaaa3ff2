"""Speaking a note in Chromium: its (fake) microphone hears a real voice, the stream reaches the server, and the note is
stored, shown, played, starred, taken away and put back, and goes into the .kompas file."""

from __future__ import annotations

import io
import json
import wave
import zipfile

import numpy as np
import pytest
import soundfile
from browser import open_app, scroll_to
from conftest import launch_chromium
from playwright.sync_api import expect
from soundfiles import spoken

from kompas.store.kompasfile import pack

pytestmark = pytest.mark.browser

SENTENCE = "Ik kan goed fietsen, en ik help mijn buurman met zijn fiets. Dat doe ik graag, elke zaterdag."


@pytest.fixture(scope="module")
def microphone(tmp_path_factory):
    """A spoken sentence as a WAV: what Chromium's fake microphone hears, over and over."""
    folder = tmp_path_factory.mktemp("microphone")
    samples, rate = spoken(SENTENCE, folder)
    path = folder / "voice.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


@pytest.fixture(scope="module")
def chromium_with_microphone(microphone):
    # A microphone that says yes without asking (a test has no one to tap "Allow"), and hears the file.
    yield from launch_chromium("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                               f"--use-file-for-fake-audio-capture={microphone}")


def stored(data) -> tuple[dict, object]:
    [folder] = [p for p in (data / "kompassen").iterdir() if p.is_dir() and not p.name.startswith(".")]
    return json.loads((folder / "kompas.json").read_bytes()), folder


def test_a_spoken_note_is_stored_played_starred_and_taken_along(chromium_with_microphone, demo_app):
    data = demo_app.data_dir
    page, requests = open_app(chromium_with_microphone, demo_app.link())
    page.get_by_role("button", name="Meedoen: openen").click()
    scroll_to(page, page.get_by_role("button", name="Inspreken bij Krachten en bronnen")).click()
    # While it records, the button is a timer with its stop.
    stop = page.get_by_role("button", name="Stop en bewaar")
    expect(stop).to_be_visible(timeout=15_000)
    expect(page.get_by_text("0:02 / 3:00")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("0:04 / 3:00")).to_be_visible(timeout=10_000)  # a few words more
    stop.click()
    play = page.get_by_role("button", name="Opname afspelen bij Krachten en bronnen")
    expect(play).to_be_visible(timeout=20_000)

    tables, folder = stored(data)
    [note] = [n for n in tables["notes"].values() if n.get("voice")]
    assert note["text"] == "" and note["condition"] == "meedoen" and note["step"] == "krachten"
    sound = (folder / "voice" / f"{note['voice']['id']}.ogg").read_bytes()
    info = soundfile.info(io.BytesIO(sound))
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("OGG", "OPUS", 16000, 1)
    # About four seconds were said (two on the timer, two more waited): the length the note says is the sound's own.
    assert 3.0 <= info.duration <= 7.0 and abs(info.duration - note["voice"]["seconds"]) < 0.15
    samples, _rate = soundfile.read(io.BytesIO(sound))
    assert np.sqrt(np.mean(samples ** 2)) > 0.01  # the voice, not silence
    assert b"Kerkstraat" not in sound and b"TITLE" not in sound.upper()

    # Played in the page: the player says it plays.
    play.click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Stop met voorlezen").click()

    # A star, as for a written note; then taken away and put back.
    # Named by where it is, as a spoken note has no words to be named by.
    star = page.get_by_role("button", name="Geef een ster: ingesproken notitie bij Krachten en bronnen")
    star.click()
    expect(page.get_by_role("button", name="Ster weghalen: ingesproken notitie bij Krachten en bronnen")).to_be_visible()
    page.get_by_role("button", name="Aanpassen: ingesproken notitie bij Krachten en bronnen").click()
    page.get_by_role("button", name="Weghalen", exact=True).click()
    expect(play).to_have_count(0)
    page.get_by_role("button", name="Terugzetten").click()
    expect(play).to_be_visible(timeout=10_000)
    tables, folder = stored(data)
    [again] = [n for n in tables["notes"].values() if n.get("voice")]
    assert again["voice"] == note["voice"] and again["starred"] is True

    # It goes along in the .kompas file, byte for byte.
    raw = pack((folder / "kompas.json").read_bytes(), folder, {"id": folder.name, "nickname": "Demo"})
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert archive.read(f"voice/{note['voice']['id']}.ogg") == sound
    assert requests == []


def test_the_action_said_aloud_waits_on_its_form_and_goes_with_the_action(chromium_with_microphone, demo_app):
    data = demo_app.data_dir
    page, requests = open_app(chromium_with_microphone, demo_app.link())
    page.get_by_role("button", name="Actie veranderen").click()
    page.get_by_role("button", name="Inspreken: wat ga je doen?").click()
    stop = page.get_by_role("button", name="Stop en bewaar")
    expect(stop).to_be_visible(timeout=15_000)
    expect(page.get_by_text("0:02 / 3:00")).to_be_visible(timeout=10_000)
    stop.click()
    play = page.get_by_role("button", name="Opname afspelen bij je actie")
    expect(play).to_be_visible(timeout=20_000)
    # Stored already, waiting for the form: a closed tab would not lose it.
    tables, _folder = stored(data)
    waiting = tables["kompas"]["1"]["waiting"]["actie"]
    assert "voice" not in tables["kompas"]["1"]["action"]
    scroll_to(page, page.get_by_role("button", name="Kies deze actie")).click()
    page.get_by_role("button", name="Ja, dat lukt").click()
    # Home shows the action with its voice; the file says the same.
    expect(page.get_by_role("button", name="Opname afspelen bij je actie")).to_be_visible(timeout=15_000)
    tables, _folder = stored(data)
    assert tables["kompas"]["1"]["action"]["voice"] == waiting and tables["kompas"]["1"]["waiting"] == {}
    assert requests == []
