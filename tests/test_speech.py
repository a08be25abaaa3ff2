"""Reading aloud: real speech from espeak-ng in every language, sentence by sentence, kept once, a client's words
kept only with them, Latin words said by a voice that can say them, and a speech pack for a phone without espeak-ng."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import soundfile

from kompas.domain.model import Condition, Step
from kompas.domain.words import Spoken
from kompas.i18n import LANGUAGES, _, use_language
from kompas.media import speech
from kompas.media.speech import SPEECH_FOLDER, Pace, Sound, Speech, Unspoken
from kompas.media.speechpack import make_pack
from kompas.screens.registry import read_aloud
from kompas.screens.state import Screen, ScreenKind
from kompas.store.shelf import Shelf
from kompas.store.storage import Store
from kompas.workbook.workbook import Outcome, Workbook

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


def seconds(sound: Sound | bytes) -> float:
    """The length of a sound file, decoded as a player decodes it: a broken file raises here."""
    data = sound.data if isinstance(sound, Sound) else sound
    samples, rate = soundfile.read(io.BytesIO(data), dtype="float32")
    assert samples.ndim == 1  # one channel
    assert np.max(np.abs(samples)) > 0.03  # not silence
    return samples.size / rate


def heard(voice: Speech, pieces: list[Spoken], language: str = "nl", folder: Path | None = None) -> list:
    return list(voice.sounds(pieces, language, Pace.SLOW, folder))


def test_every_language_the_app_speaks_has_a_sentence_for_this_test():
    assert set(SENTENCES) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_speech_is_a_real_sound_of_plausible_length_in_each_language(language):
    short, long = SENTENCES[language]
    short_sound, long_sound = speech.speak(short, language, Pace.NORMAL), speech.speak(long, language, Pace.NORMAL)
    assert seconds(short_sound) > 0.5
    # It grows with the text: it reads the words, not a fixed sound.
    assert seconds(long_sound) > 1.8 * seconds(short_sound)
    # Slow is slower: the default for the app's own words, for someone who reads little or learns the language.
    assert seconds(speech.speak(long, language, Pace.SLOW)) > 1.15 * seconds(long_sound)
    # Compressed: a sixth of what the same sound takes as 16 kHz WAV, and its length known without decoding it.
    assert len(long_sound.data) < seconds(long_sound) * 32000 / 6
    assert abs(long_sound.seconds - seconds(long_sound)) < 0.2
    assert abs(speech.seconds_of(long_sound.data) - seconds(long_sound)) < 0.2


def test_a_text_is_spoken_in_sentences_and_a_long_sentence_is_cut_where_a_reader_pauses():
    text = ("Je doet mee met wat er om je heen gebeurt. Denk aan werk, school, sport, een club of vrijwilligerswerk. "
            "Hier schrijf je op wat je wilt doen.")
    assert speech.segments(text) == ["Je doet mee met wat er om je heen gebeurt.",
                                     "Denk aan werk, school, sport, een club of vrijwilligerswerk.",
                                     "Hier schrijf je op wat je wilt doen."]
    # Tigrinya and Arabic end their sentences with their own marks.
    assert len(speech.segments("ሰላም። ከመይ ኣለኻ፧")) == 2 and len(speech.segments("مرحبا. كيف حالك؟ جيد.")) == 3
    long = "Ik wil graag een eigen huis, met een tuin voor de kinderen, " * 6
    pieces = speech.segments(long)
    assert len(pieces) > 2 and all(len(p) <= speech.SEGMENT_CHARS for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1])  # cut after a comma, never inside a word
    assert " ".join(pieces) == long.strip()


def test_latin_words_inside_tigrinya_are_said_by_the_dutch_voice_not_spelled_out():
    text = "ሓንቲ ንእሽቶ ስጉምቲ: Een Stadspas aanvragen።"
    assert speech.runs(text, "ti") == [("ሓንቲ ንእሽቶ ስጉምቲ: ", "ti"), ("Een Stadspas aanvragen።", "nl")]
    assert speech.runs("Мій план: Stadspas", "uk") == [("Мій план: ", "uk"), ("Stadspas", "nl")]
    assert speech.runs("خطوة: Stadspas aanvragen", "ar") == [("خطوة: ", "ar"), ("Stadspas aanvragen", "nl")]
    assert speech.runs("Ik kook graag. Я добре готую", "nl") == [("Ik kook graag. ", "nl"), ("Я добре готую", "uk")]
    assert speech.runs("Een Stadspas aanvragen", "tr") == [("Een Stadspas aanvragen", "tr")]
    # The Tigrinya voice spells a Dutch word letter by letter: the sentence took over twice as long.
    mixed, rate = speech.pcm(text, "ti")
    spelled, spelled_rate = speech._samples(text, "ti", Pace.SLOW)
    assert len(mixed) / rate < 0.6 * len(spelled) / spelled_rate


def test_a_screen_is_made_one_sound_at_a_time_so_the_first_plays_while_the_rest_is_made(tmp_path, monkeypatch):
    made = []
    real = speech.speak
    monkeypatch.setattr(speech, "speak", lambda *args: made.append(args[0]) or real(*args))
    kompas = Workbook(Store.in_memory(tmp_path)).kompas
    pieces = read_aloud(Screen(ScreenKind.CONDITION, Condition.MEEDOEN), kompas, TODAY)
    sounds = Speech(tmp_path).sounds(pieces, "nl", Pace.SLOW, None)
    first = next(sounds)
    assert made == ["Meedoen"] and seconds(first) < 3
    rest = list(sounds)
    # Each sentence made once: one that comes back ("Bijvoorbeeld:") is read from its file.
    assert len(rest) > 20 and len(made) == len(set(made)) and len(made) < len(rest) + 1
    # No sound is big: a sentence each, tens of kilobytes at most.
    assert max(len(s.data) for s in [first, *rest]) < 64_000


def test_the_second_request_for_a_text_is_read_from_its_file(tmp_path, monkeypatch):
    made = []
    real = speech.speak
    monkeypatch.setattr(speech, "speak", lambda *args: made.append(args) or real(*args))
    voice = Speech(tmp_path)
    first = voice.fixed("Kies een deel van het kompas.", "nl", Pace.SLOW)
    second = voice.fixed("Kies een deel van het kompas.", "nl", Pace.SLOW)
    assert first.data == second.data and len(made) == 1
    # Kept outside any kompas, per language: the app's words say nothing about a client.
    [kept] = (tmp_path / SPEECH_FOLDER / "nl").glob("*.mp3")
    assert kept.read_bytes() == first.data
    # Another language or pace is another sound.
    voice.fixed("Kies een deel van het kompas.", "nl", Pace.NORMAL)
    assert len(made) == 2


def test_a_screens_heading_is_made_ahead_but_never_a_clients_words(tmp_path, monkeypatch):
    made = []
    real = speech.speak
    monkeypatch.setattr(speech, "speak", lambda *args: made.append(args[0]) or real(*args))
    voice = Speech(tmp_path)
    voice.prepare(Spoken("Meedoen. Doe mee.", source="Meedoen"), "nl", Pace.SLOW)
    voice.prepare(Spoken("Mijn geheim", own=True, owner="wens"), "nl", Pace.SLOW)
    assert made == ["Meedoen."]
    # The tap finds it made.
    assert list(voice.sounds([Spoken("Meedoen. Doe mee.")], "nl", Pace.SLOW, None)) and made == ["Meedoen.", "Doe mee."]


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
    sounds = heard(voice, pieces, folder=folder)
    assert sum(s.seconds for s in sounds) > 20  # the explanation, five questions with their examples, and the note
    # The note's speech is in the kompas's own folder; nothing under the shared folder holds a client's words.
    [own] = (folder / SPEECH_FOLDER).glob(f"{note.id}-*.mp3")
    shared = list((tmp_path / "data" / SPEECH_FOLDER).rglob("*.mp3"))
    assert shared and all(p.read_bytes() != own.read_bytes() for p in shared)
    # Changed words: the old speech goes at once, not when it is next read.
    assert workbook.edit_note(note.id, "Ik kook graag voor de buurt") is Outcome.SAVED
    assert not list((folder / SPEECH_FOLDER).glob(f"{note.id}-*.mp3"))
    voice.own_words(folder, note.id, "Ik kook graag voor de buurt", "nl", Pace.SLOW)
    assert list((folder / SPEECH_FOLDER).glob(f"{note.id}-*.mp3"))
    # A deleted note's speech is deleted with it.
    assert workbook.delete_note(note.id) is Outcome.SAVED
    assert not list((folder / SPEECH_FOLDER).glob(f"{note.id}-*.mp3"))
    store.close()
    shelf.close()


def test_the_wish_read_aloud_goes_when_the_wish_changes_and_counts_are_never_kept(tmp_path):
    shelf, store, workbook, folder = kompas_with_a_note(tmp_path / "data", "Koken")
    voice = Speech(tmp_path / "data")
    home = read_aloud(Screen(ScreenKind.HOME), workbook.kompas, TODAY)
    assert Spoken("Een eigen huis", own=True, owner="wens") in home
    heard(voice, home, folder=folder)
    assert list((folder / SPEECH_FOLDER).glob("wens-*.mp3"))
    # The shared folder holds the app's fixed words and nothing else: no wish, no note, not even a count of notes.
    fixed = {part for p in home if not p.own for part in speech.segments(p.text)}
    assert len(list((tmp_path / "data" / SPEECH_FOLDER / "nl").glob("*.mp3"))) == len(fixed)
    assert any(p.own and "notitie" in p.text for p in home)
    # A count changes with every note: spoken, and kept nowhere.
    assert {p.name.split("-")[0] for p in (folder / SPEECH_FOLDER).iterdir()} == {"wens"}
    assert workbook.set_wish("Een baan") is Outcome.SAVED
    assert not list((folder / SPEECH_FOLDER).glob("wens-*.mp3"))
    store.close()
    shelf.close()


def test_a_screen_is_read_in_the_screens_language(tmp_path):
    kompas = Workbook(Store.in_memory(tmp_path)).kompas
    with use_language("ar"):
        pieces = read_aloud(Screen(ScreenKind.CONDITION, Condition.ERBIJ_HOREN), kompas, TODAY)
    assert pieces[0].source == "Erbij horen" and pieces[0].text != "Erbij horen"
    assert all(not p.own for p in pieces)


def test_a_human_recording_is_played_where_there_is_one(tmp_path):
    recordings = tmp_path / "audio"
    (recordings / "nl").mkdir(parents=True)
    person = speech.speak("Dit is een mens", "nl", Pace.NORMAL).data  # stands in for a person's voice
    (recordings / "nl" / "taal.mp3").write_bytes(person)
    (recordings / "nl" / "index.json").write_text(json.dumps({"Kies je taal": "taal.mp3",
                                                              "Kies je naam.": "../../geheim.mp3"}))
    voice = Speech(tmp_path / "data", recordings)
    [recorded] = heard(voice, [Spoken("Kies je taal", source="Kies je taal")])
    assert recorded.data == person and abs(recorded.seconds - seconds(person)) < 0.2
    # Only a file in its own folder: an index cannot lead elsewhere.
    [made] = heard(voice, [Spoken("Kies je naam.", source="Kies je naam.")])
    assert made.data != person
    # Read by the Dutch text it was translated from, on a screen in another language too.
    [english] = heard(voice, [Spoken("Choose your language", source="Kies je taal")], "en")
    assert english.data != person  # no English recording yet: espeak-ng says it
    (recordings / "en").mkdir()
    (recordings / "en" / "index.json").write_text(json.dumps({"Kies je taal": "taal.mp3"}))
    (recordings / "en" / "taal.mp3").write_bytes(person)
    voice = Speech(tmp_path / "data", recordings)  # the recordings are read once, as the app starts
    assert [s.data for s in heard(voice, [Spoken("Choose your language", source="Kies je taal")], "en")] == [person]


def test_the_example_recording_that_ships_is_found_by_its_dutch_text():
    from kompas.base.resources import ASSETS_DIR

    voice = Speech(Path("/nonexistent"), ASSETS_DIR / "audio")
    index = json.loads((ASSETS_DIR / "audio" / "nl" / "index.json").read_text(encoding="utf-8"))
    for dutch, name in index.items():
        [sound] = heard(voice, [Spoken(dutch, source=dutch)])
        assert sound.data == (ASSETS_DIR / "audio" / "nl" / name).read_bytes()
        assert seconds(sound) > 0.5 and abs(sound.seconds - seconds(sound)) < 0.2


def test_a_clients_words_read_with_no_kompas_open_are_kept_nowhere(tmp_path):
    voice = Speech(tmp_path)
    sounds = heard(voice, [Spoken("Mijn kompas"), Spoken("Ik kook graag", own=True, owner="abc")])
    assert len(sounds) == 2 and sum(seconds(s) for s in sounds) > 1
    # Only the app's own words were kept; the client's words were spoken and let go.
    assert len(list(tmp_path.rglob("*.mp3"))) == 1


def test_the_speech_of_one_field_leaves_that_of_a_field_whose_name_starts_the_same(tmp_path):
    # The action's words are kept as "actie", its first step as "actie-stap": keeping or forgetting the one must
    # not throw away the other.
    voice, folder = Speech(tmp_path), tmp_path / "kompas"
    voice.own_words(folder, "actie-stap", "Eerst bellen", "nl", Pace.SLOW)
    voice.own_words(folder, "actie", "De sportclub bellen", "nl", Pace.SLOW)
    assert len(list((folder / SPEECH_FOLDER).glob("actie-stap-*.mp3"))) == 1
    # Speech kept by an older version of the app (one WAV a text) goes the same way.
    (folder / SPEECH_FOLDER / f"actie-{'0' * 32}.wav").write_bytes(b"RIFF")
    speech.forget_own_words(folder, "actie")
    assert [p.name.startswith("actie-stap-") for p in (folder / SPEECH_FOLDER).iterdir()] == [True]


# A phone: no espeak-ng, the app's words from a speech pack made ahead of time.


@pytest.fixture
def pack(tmp_path):
    """A speech pack of a few of the app's words in Dutch and Tigrinya, as `kompas speech-pack` makes one."""
    texts = {"nl": ["Meedoen", "Kies je kompas. Alleen de naam is hier te zien.",
                    "Je eigen woorden kan deze telefoon niet voorlezen."],
             "ti": ["ምስታፍ"]}
    sizes = make_pack(texts, tmp_path / "pack")
    assert set(sizes) == {"nl", "ti"} and all(size > 1000 for size in sizes.values())
    return tmp_path / "pack"


@pytest.fixture
def phone(monkeypatch):
    """espeak-ng missing, as in a phone build: nothing can be made on the device."""
    monkeypatch.setattr(speech, "_start", lambda: None)
    monkeypatch.setattr(speech, "speak", lambda *args: pytest.fail("a phone has no espeak-ng to speak with"))


def test_a_speech_pack_holds_each_sentence_once_as_small_files_with_an_index(pack):
    index = json.loads((pack / "index.json").read_text(encoding="utf-8"))
    assert index["format"] == 1 and index["paces"] == ["SLOW"]
    dutch = index["languages"]["nl"]["SLOW"]
    # The text of two sentences is two sounds, each found by its own words.
    assert set(dutch) == {"Meedoen", "Kies je kompas.", "Alleen de naam is hier te zien.",
                          "Je eigen woorden kan deze telefoon niet voorlezen."}
    files = sorted((pack / "nl").iterdir())
    assert sorted(p.name for p in files) == sorted(dutch.values())
    assert all(seconds(p.read_bytes()) > 0.4 and p.stat().st_size < 40_000 for p in files)
    # Compact: Ogg Opus at about 11 kbit/s, under 2 kB a second of speech with each file's own header (MP3 at the
    # quality the app streams: 3 kB).
    assert sum(p.stat().st_size for p in files) < 2000 * sum(seconds(p.read_bytes()) for p in files)
    # Made again with fewer words: what the index no longer names goes.
    make_pack({"nl": ["Meedoen"]}, pack)
    assert len(list((pack / "nl").iterdir())) == 1


def test_on_a_phone_the_apps_words_come_from_the_pack_and_a_clients_words_are_said_to_be_unavailable(
        pack, phone, tmp_path):
    voice = Speech(tmp_path / "data", pack=pack)
    notice = Spoken("Je eigen woorden kan deze telefoon niet voorlezen.")
    pieces = [Spoken("Meedoen"), Spoken("Ik kook graag", own=True, owner="n1"),
              Spoken("Mijn buurvrouw helpt", own=True, owner="n2"),
              Spoken("Kies je kompas. Alleen de naam is hier te zien."), Spoken("Niet in het pack")]
    sounds = list(voice.sounds(pieces, "nl", Pace.SLOW, tmp_path / "kompas", notice))
    # Heading, then once (not per note) that the client's words cannot be said here, then the rest; a text the
    # pack lacks is passed over.
    assert sounds[1] is Unspoken.OWN_WORDS and sounds.count(Unspoken.OWN_WORDS) == 1
    played = [s for s in sounds if isinstance(s, Sound)]
    assert len(played) == 4 and all(seconds(s) > 0.4 for s in played)
    assert not (tmp_path / "kompas").exists()  # nothing of the client's was made or kept
    # Tigrinya from its own part of the pack; the usual pace is the slow sound played faster.
    [ti] = voice.sounds([Spoken("ምስታፍ")], "ti", Pace.NORMAL, None)
    assert ti.speed == pytest.approx(Pace.NORMAL.value / Pace.SLOW.value)
    # Nothing at all to say: the reading ends with one word that it cannot.
    assert list(voice.sounds([Spoken("Onbekend")], "nl", Pace.SLOW, None)) == [Unspoken.CANNOT]


def test_the_speech_pack_command_speaks_every_word_of_the_app_in_every_language(tmp_path, monkeypatch):
    from kompas.cli import main
    from kompas.media import speechpack

    # Which words go in is what this checks; making each sound is checked above, and takes minutes for all of them.
    made = []
    monkeypatch.setattr(speechpack, "speak", lambda text, *_args, **_kw: made.append(text) or Sound(b"OggS", 1.0))
    assert main(["speech-pack", "--out", str(tmp_path / "pack"), "--lang", "nl", "--lang", "ti"]) == 0
    index = json.loads((tmp_path / "pack" / "index.json").read_text(encoding="utf-8"))
    assert set(index["languages"]) == {"nl", "ti"}
    dutch = index["languages"]["nl"]["SLOW"]
    # The door's and the erase screen's warnings, a step's question and its examples, and the very first words.
    for words in ("PIN vergeten?", "Dan kan dit kompas alleen gewist worden.", "Dat kan niet terug.",
                  "Wat houdt mij op koers?", "Waar ben ik goed in?", "Kies je taal"):
        assert words in dutch, words
    # The first start says "choose your language" in every language: each in its own part of the pack.
    with use_language("ti"):
        assert _("Kies je taal") in index["languages"]["ti"]["SLOW"] and _("Kies je taal") != "Kies je taal"
    # Not one word of a client: the sample kompas the screens were read with writes "x" everywhere.
    assert "x" not in dutch and not any(text.startswith("Terugkijken op") for text in dutch)
    assert len(made) == sum(len(texts["SLOW"]) for texts in index["languages"].values())
