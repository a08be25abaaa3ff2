"""The domain on its own: notes per condition and step, stars, and the gentle check of an action."""

from datetime import date

from kompas.domain.model import ActionHint, Condition, Kompas, Note, Step, action_hints, default_look_back

TODAY = date(2026, 11, 21)


def test_notes_are_found_by_condition_and_step():
    strength = Note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken")
    value = Note(Condition.MEEDOEN, Step.WAARDEN, "Mijn kinderen")
    elsewhere = Note(Condition.ERBIJ_HOREN, Step.KRACHTEN, "Mijn buurvrouw")
    kompas = Kompas(notes=[strength, value, elsewhere])
    assert kompas.notes_at(Condition.MEEDOEN, Step.KRACHTEN) == [strength]
    assert kompas.notes_in(Condition.MEEDOEN) == [strength, value]
    assert kompas.find(elsewhere.id) is elsewhere


def test_with_note_replaces_in_place_and_keeps_the_order_of_writing():
    first = Note(Condition.MEEDOEN, Step.KRACHTEN, "een", order=1)
    second = Note(Condition.MEEDOEN, Step.KRACHTEN, "twee", order=2)
    kompas = Kompas(notes=[first, second])
    starred = Note(first.condition, first.step, first.text, starred=True, id=first.id, created=first.created, order=1)
    assert kompas.with_note(starred) == [starred, second]
    third = Note(Condition.MEEDOEN, Step.KRACHTEN, "drie", order=kompas.next_order())
    assert kompas.with_note(third)[-1] is third
    assert kompas.without_note(first.id) == [second]


def test_starred_lists_only_what_matters_most():
    kompas = Kompas(notes=[Note(Condition.MEEDOEN, Step.WAARDEN, "werk", starred=True),
                           Note(Condition.MEEDOEN, Step.WAARDEN, "sport")])
    assert [n.text for n in kompas.starred()] == ["werk"]


def test_look_back_is_two_weeks_ahead_by_default():
    assert default_look_back(TODAY) == date(2026, 12, 5)


def test_a_small_concrete_action_gets_no_remarks():
    assert action_hints("Samen met papa een taart bakken", default_look_back(TODAY), TODAY) == []
    assert action_hints("Elke ochtend tien minuten wandelen", default_look_back(TODAY), TODAY) == []


def test_a_vague_or_long_action_is_questioned_gently():
    assert ActionHint.VAGUE in action_hints("Gelukkiger worden", default_look_back(TODAY), TODAY)
    assert ActionHint.VAGUE in action_hints("Be happier", default_look_back(TODAY), TODAY, "en")


def test_the_vague_check_speaks_only_languages_it_has_words_for_and_never_misfires_across_them():
    later = default_look_back(TODAY)
    # Concrete actions in every language: no remark. "meer" is Dutch for "more", but in an English action it is
    # a lake, and an Arabic or Tigrinya action has no list at all.
    concrete = {"nl": "Mijn zus bellen", "en": "Go to Lake Meer with my sister", "ar": "أتصل بأختي كل أسبوع",
                "ti": "ንሓብተይ ክድውል", "tr": "Kız kardeşimi aramak", "uk": "Подзвонити сестрі",
                "fa": "به خواهرم زنگ بزنم", "pl": "Zadzwonić do siostry"}
    for language, text in concrete.items():
        assert action_hints(text, later, TODAY, language) == [], language
    assert action_hints("Altijd gelukkig", later, TODAY, "ar") == []
    long = "Ik ga naar de gemeente en dan naar het UWV en daarna zoek ik werk en een huis en een school"
    assert ActionHint.LONG in action_hints(long, default_look_back(TODAY), TODAY)


def test_a_look_back_date_far_away_or_past_is_questioned():
    assert action_hints("Mijn zus bellen", date(2027, 6, 1), TODAY) == [ActionHint.FAR_AWAY]
    assert action_hints("Mijn zus bellen", date(2026, 11, 1), TODAY) == [ActionHint.IN_THE_PAST]
