"""Reading aloud: real speech from espeak-ng in every language, kept once, and a client's words kept only with them."""

from __future__ import annotations

import io
import json
import wave
from datetime import date
from pathlib import Path

import pytest

from kompas import speech
from kompas.i18n import LANGUAGES, use_language
from kompas.model import Condition, Step
from kompas.screens import Screen, ScreenKind, read_aloud
from kompas.shelf import Shelf
from kompas.speech import SPEECH_FOLDER, Pace, Speech
from kompas.storage import Store
from kompas.words import Spoken
from kompas.workbook import Outcome, Workbook

TODAY = date(2026, 11, 22)

# One sentence per language, short and long: the long one says the short one and more.
SENTENCES = {
    "nl": ("Welkom.", "Welkom. Vandaag kies je één kleine actie voor de komende weken."),
    "en": ("Welcome.", "Welcome. Today you choose one small action for the coming weeks."),
    "ar": ("مرحبا.", "مرحبا. اليوم تختار خطوة صغيرة واحدة للأسابيع القادمة."),
    "ti": ("እንቋዕ ብደሓን መጻእኩም።", "እንቋዕ ብደሓን መጻእኩም። ሎሚ ንዝመጽእ ሰሙናት ሓንቲ ንእሽቶ ስጉምቲ ትመርጹ።"),
    "tr": ("Hoş geldiniz.", "Hoş geldiniz. Bugün önümüzdeki haftalar için küçük bir adım seçiyorsunuz."),
    "uk": ("Вітаємо.", "Вітаємо. Сьогодні ви обираєте один маленький крок на наступні тижні."),
    "fa": ("خوش آمدید.", "خوش آمدید. امروز یک قدم کوچک برای هفته‌های آینده انتخاب می‌کنید."),
    "pl": ("Witaj.", "Witaj. Dzisiaj wybierasz jeden mały krok na najbliższe tygodnie."),
}


def seconds(wav: bytes) -> float:
    """The length of a WAV file, read as any player reads it: a broken file raises here."""
    with wave.open(io.BytesIO(wav), "rb") as sound:
        assert (sound.getnchannels(), sound.getsampwidth()) == (1, 2)
        frames = sound.readframes(sound.getnframes())
        assert len(frames) == sound.getnframes() * 2
        # Not silence: some samples far from zero.
        assert max(abs(int.from_bytes(frames[i:i + 2], "little", signed=True)) for i in range(0, len(frames), 200)) > 1000
        return sound.getnframes() / sound.getframerate()


def test_every_language_the_app_speaks_has_a_sentence_for_this_test():
    assert set(SENTENCES) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_speech_is_a_real_sound_of_plausible_length_in_each_language(language):
    short, long = SENTENCES[language]
    short_wav, long_wav = speech.speak(short, language, Pace.NORMAL), speech.speak(long, language, Pace.NORMAL)
    assert seconds(short_wav) > 0.5
    # It grows with the text: it reads the words, not a fixed sound.
    assert seconds(long_wav) > 1.8 * seconds(short_wav)
    # Slow is slower: the default for the app's own words, for someone who reads little or learns the language.
    assert seconds(speech.speak(long, language, Pace.SLOW)) > 1.15 * seconds(long_wav)


def test_the_second_request_for_a_text_is_read_from_its_file(tmp_path, monkeypatch):
    made = []
    real = speech.speak
    monkeypatch.setattr(speech, "speak", lambda *args: made.append(args) or real(*args))
    voice = Speech(tmp_path)
    first = voice.fixed("Kies een deel van het kompas.", "nl", Pace.SLOW)
    second = voice.fixed("Kies een deel van het kompas.", "nl", Pace.SLOW)
    assert first == second and len(made) == 1
    # Kept outside any kompas, per language: the app's words say nothing about a client.
    [kept] = (tmp_path / SPEECH_FOLDER / "nl").glob("*.wav")
    assert kept.read_bytes() == first
    # Another language or pace is another sound.
    voice.fixed("Kies een deel van het kompas.", "nl", Pace.NORMAL)
    assert len(made) == 2


def kompas_with_a_note(data: Path, text: str):
    shelf = Shelf.open(data)
    card = shelf.create("Noor", "groen")
    store = shelf.open_store(card.id)
    workbook = Workbook(store)
    assert workbook.add_note(Condition.MEEDOEN, Step.KRACHTEN, text) is Outcome.SAVED
    assert workbook.set_wish("Een eigen huis") is Outcome.SAVED
    return shelf, store, workbook, shelf.folder(card.id)


def test_a_clients_words_are_kept_in_their_kompas_only_and_go_with_the_note(tmp_path):
    shelf, store, workbook, folder = kompas_with_a_note(tmp_path / "data", "Ik kook graag voor mijn buren")
    note = workbook.kompas.notes[0]
    voice = Speech(tmp_path / "data")
    pieces = read_aloud(Screen(ScreenKind.CONDITION, Condition.MEEDOEN), workbook.kompas, TODAY)
    # The client's note is read in its place on the page, between the app's words.
    assert Spoken(note.text, own=True, owner=note.id) in pieces and pieces[0].own is False
    wav = voice.screen(pieces, "nl", Pace.SLOW, folder)
    assert seconds(wav) > 20  # the explanation, five questions with their examples, and the note
    # The note's speech is in the kompas's own folder; nothing under the shared folder holds a client's words.
    [own] = (folder / SPEECH_FOLDER).glob(f"{note.id}-*.wav")
    shared = list((tmp_path / "data" / SPEECH_FOLDER).rglob("*.wav"))
    assert shared and all(p.read_bytes() != own.read_bytes() for p in shared)
    # Changed words: the old speech goes at once, not when it is next read.
    assert workbook.edit_note(note.id, "Ik kook graag voor de buurt") is Outcome.SAVED
    assert not list((folder / SPEECH_FOLDER).glob(f"{note.id}-*.wav"))
    voice.own_words(folder, note.id, "Ik kook graag voor de buurt", "nl", Pace.SLOW)
    assert list((folder / SPEECH_FOLDER).glob(f"{note.id}-*.wav"))
    # A deleted note's speech is deleted with it.
    assert workbook.delete_note(note.id) is Outcome.SAVED
    assert not list((folder / SPEECH_FOLDER).glob(f"{note.id}-*.wav"))
    store.close()
    shelf.close()


def test_the_wish_read_aloud_goes_when_the_wish_changes(tmp_path):
    shelf, store, workbook, folder = kompas_with_a_note(tmp_path / "data", "Koken")
    voice = Speech(tmp_path / "data")
    home = read_aloud(Screen(ScreenKind.HOME), workbook.kompas, TODAY)
    assert Spoken("Een eigen huis", own=True, owner="wens") in home
    voice.screen(home, "nl", Pace.SLOW, folder)
    assert list((folder / SPEECH_FOLDER).glob("wens-*.wav"))
    # The shared folder holds the app's fixed words and nothing else: no wish, no note, not even a count of notes.
    fixed = {p.text for p in home if not p.own}
    assert len(list((tmp_path / "data" / SPEECH_FOLDER / "nl").glob("*.wav"))) == len(fixed)
    assert any(p.own and p.owner.startswith("telling-") for p in home)
    assert workbook.set_wish("Een baan") is Outcome.SAVED
    assert not list((folder / SPEECH_FOLDER).glob("wens-*.wav"))
    store.close()
    shelf.close()


def test_a_screen_is_read_in_the_screens_language(tmp_path):
    kompas = Workbook(Store.in_memory()).kompas
    with use_language("ar"):
        pieces = read_aloud(Screen(ScreenKind.CONDITION, Condition.ERBIJ_HOREN), kompas, TODAY)
    assert pieces[0].source == "Erbij horen" and pieces[0].text != "Erbij horen"
    assert all(not p.own for p in pieces)


def test_a_human_recording_is_played_where_there_is_one(tmp_path):
    recordings = tmp_path / "audio"
    (recordings / "nl").mkdir(parents=True)
    person = speech.speak("Dit is een mens", "nl", Pace.NORMAL)  # stands in for a person's voice
    (recordings / "nl" / "taal.wav").write_bytes(person)
    (recordings / "nl" / "index.json").write_text(json.dumps({"Kies je taal": "taal.wav",
                                                              "Kies je naam.": "../../geheim.wav"}))
    voice = Speech(tmp_path / "data", recordings)
    assert voice.fixed("Kies je taal", "nl", Pace.SLOW) == person
    # Only a file in its own folder: an index cannot lead elsewhere.
    assert voice.fixed("Kies je naam.", "nl", Pace.SLOW) != person
    # Read as part of a whole screen too, by the Dutch text it was translated from.
    screen = voice.screen([Spoken("Choose your language", source="Kies je taal")], "en", Pace.SLOW, None)
    assert seconds(screen) > 0.5


def test_the_example_recording_that_ships_is_found_by_its_dutch_text():
    from kompas.resources import ASSETS_DIR

    voice = Speech(Path("/nonexistent"), ASSETS_DIR / "audio")
    index = json.loads((ASSETS_DIR / "audio" / "nl" / "index.json").read_text(encoding="utf-8"))
    for dutch, name in index.items():
        assert voice.fixed(dutch, "nl", Pace.SLOW) == (ASSETS_DIR / "audio" / "nl" / name).read_bytes()
        assert seconds((ASSETS_DIR / "audio" / "nl" / name).read_bytes()) > 0.5


def test_a_clients_words_read_with_no_kompas_open_are_kept_nowhere(tmp_path):
    voice = Speech(tmp_path)
    wav = voice.screen([Spoken("Mijn kompas"), Spoken("Ik kook graag", own=True, owner="abc")], "nl", Pace.SLOW, None)
    assert seconds(wav) > 1
    # Only the app's own words were kept; the client's words were spoken and let go.
    assert len(list(tmp_path.rglob("*.wav"))) == 1


def test_the_speech_of_one_field_leaves_that_of_a_field_whose_name_starts_the_same(tmp_path):
    # The action's words are kept as "actie", its first step as "actie-stap": keeping or forgetting the one must
    # not throw away the other.
    voice, folder = Speech(tmp_path), tmp_path / "kompas"
    voice.own_words(folder, "actie-stap", "Eerst bellen", "nl", Pace.SLOW)
    voice.own_words(folder, "actie", "De sportclub bellen", "nl", Pace.SLOW)
    assert len(list((folder / SPEECH_FOLDER).glob("actie-stap-*.wav"))) == 1
    speech.forget_own_words(folder, "actie")
    assert [p.name.startswith("actie-stap-") for p in (folder / SPEECH_FOLDER).iterdir()] == [True]
