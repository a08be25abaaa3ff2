"""Five years of weekly use, written through the Workbook as a client would: for benchmarks and big-data tests."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from kompas.domain.model import Condition, Mood, Photo, Step, new_id
from kompas.media.photos import PHOTO_FOLDER
from kompas.workbook.workbook import Outcome, Workbook

__all__ = ["PERIODS", "CHECKINS", "PHOTOS", "NOTES", "fill_five_years"]

# Two-week periods for five years, a check-in every week: the counts the issue measured.
PERIODS = 130
CHECKINS = 2 * PERIODS
PHOTOS = 1000
NOTES = 200

# Words as clients write them, mixed with scripts the app must keep exactly.
_NOTE_TEXTS = [
    "Ik kan goed koken, vooral soep",
    "Mijn buurvrouw Fatma helpt mij met de brieven",
    "Werken is belangrijk voor mij",
    "أنا أطبخ جيدا",
    "Я добре готую",
    "ጥሩ ምግብ አበስላለሁ",
    "Mijn kinderen komen bij mij als ze verdriet hebben 🎂",
    "Ik weet niet waar ik moet beginnen",
]
_ACTIONS = [
    ("Samen met papa een taart bakken", Condition.ERTOE_DOEN),
    ("Een Stadspas aanvragen", Condition.MEEDOEN),
    ("Mijn zus bellen", Condition.ERBIJ_HOREN),
    ("Elke ochtend tien minuten wandelen", Condition.JEZELF_ZIJN),
]
_ABOUT = ["kompas", "meedoen", "meedoen/krachten", "actie", "checkin", "erbij_horen/waarden"]


def _check(outcome: Outcome) -> None:
    # A builder that silently skips a failed write would measure a smaller kompas than it claims.
    if outcome is not Outcome.SAVED:
        raise RuntimeError(f"building five years stopped: {outcome}")


def fill_five_years(workbook: Workbook, today: date, photos: int = PHOTOS) -> None:
    """Fill an empty workbook with five years of use ending at `today`.

    130 closed two-week periods (260 check-ins), 1,000 photo records (or `photos`), 200 notes,
    a wish and a current action, all through the Workbook's own methods, so the
    file is exactly what the app writes. The photo records point at files that
    are not there: the kompas file is the same size either way.
    """
    start = today - timedelta(weeks=2 * PERIODS)
    photos_per_period, extra_photos = divmod(photos, PERIODS)
    notes_per_period, extra_notes = divmod(NOTES, PERIODS)
    moods = itertools.cycle(Mood)
    steps = itertools.cycle(Step)
    conditions = itertools.cycle(Condition)
    texts = itertools.cycle(_NOTE_TEXTS)
    _check(workbook.set_wish("Een eigen huis waar mijn kinderen kunnen spelen"))
    for n in range(PERIODS):
        day = start + timedelta(weeks=2 * n)
        text, condition = _ACTIONS[n % len(_ACTIONS)]
        _check(workbook.choose_action(f"{text} ({n + 1})", condition, day + timedelta(days=14), day,
                                      helper="Anouk", first_step="Beginnen"))
        for i in range(notes_per_period + (n < extra_notes)):
            _check(workbook.add_note(next(conditions), next(steps), f"{next(texts)} {n}.{i}"))
            if i == 0 and n % 3 == 0:
                _check(workbook.set_star(workbook.kompas.notes[-1].id, True))
        photo_ids = []
        for i in range(photos_per_period + (n < extra_photos)):
            added = datetime.combine(day, datetime.min.time()) + timedelta(days=i % 14, hours=9 + i)
            caption = "Op de fiets naar de markt, met de kinderen" if i % 2 == 0 else ""
            photo_ids.append(_put_photo(workbook, added, _ABOUT[(n + i) % len(_ABOUT)], on_poster=(n + i) % 40 == 0,
                                        caption=caption))
        _check(workbook.check_in(next(moods), day + timedelta(days=3), note="Recept gevonden en boodschappen gedaan",
                                 photo=photo_ids[0]))
        _check(workbook.check_in(next(moods), day + timedelta(days=10), note="Het was druk, maar het lukte"))
        if n % 3:
            _check(workbook.mark_done())
        _check(workbook.look_back("De taart was lekker en papa was blij dat we het samen deden",
                                  "Ik kan het zelf, als ik het opschrijf en op tijd begin",
                                  "Papa, en de buurvrouw die de mixer leende", day + timedelta(days=14)))
    # The week the numbers were measured in: a current action, not yet looked back on.
    _check(workbook.choose_action("Mijn zus bellen", Condition.ERBIJ_HOREN, today + timedelta(days=14), today))


def _put_photo(workbook: Workbook, added: datetime, about: str, on_poster: bool, caption: str) -> str:
    photo_id = new_id()
    photo = Photo(file=f"{PHOTO_FOLDER}/{photo_id}.jpg", thumb=f"{PHOTO_FOLDER}/{photo_id}-klein.jpg",
                  added=added.isoformat(timespec="seconds"), about=about, caption=caption, on_poster=on_poster,
                  id=photo_id)
    # restore_photo is how the app puts a whole photo record back; it stores it exactly as given.
    _check(workbook.restore_photo(photo))
    return photo_id
