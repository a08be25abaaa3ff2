"""What each screen says when "Voorlezen" is tapped: its words in reading order, warnings first, without Flet.

Every screen reads what a client must know there: its heading, the warnings that cannot be undone (a forgotten PIN,
erasing, a forgotten passphrase, what visitors see on the poster), then everything else as it stands on the
screen, the names of its buttons included, with the client's own words in their place. The app's own words are
`said` (translated, with the Dutch they came from); the client's words, and anything made from them (a count, a
date, a name), are `own`: a speech pack never holds them, and their speech is kept only with their kompas.

Which screen reads which of these is one column of the table of screens (kompas/screens/registry.py), where
`app_words` lists every piece of the app's own words any screen can say: what a speech pack must hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kompas.domain.content import CONDITIONS, STEPS
from kompas.domain.model import (
    Action,
    ActionHint,
    CheckIn,
    Condition,
    Kompas,
    Mood,
    Note,
    Paper,
    PosterChoice,
    PosterItem,
    Step,
)
from kompas.domain.words import Spoken
from kompas.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, _, current_language, format_date, ngettext, use_language
from kompas.screens.action import (
    ADJUST,
    CAN_YOU,
    CHOOSE,
    EXAMPLES,
    FIRST_STEP,
    HEADING,
    INTRO,
    OTHER_DATE,
    SMALLER,
    WHAT,
    WHEN,
    WHICH_PART,
    WHO_HELPS,
    YES,
    action_form,
)
from kompas.screens.koers import strengths_grown
from kompas.screens.state import COMPASS_POINTS, condition_sections, home_state

__all__ = [
    "ACTION_HINTS",
    "MOOD_WORDS",
    "OWN_WORDS_UNSPOKEN",
    "POSTER_ITEMS",
    "DoorState",
    "about_aloud",
    "action_question_aloud",
    "action_screen_aloud",
    "album_aloud",
    "check_in_aloud",
    "condition_aloud",
    "door_aloud",
    "done_aloud",
    "examples_aloud",
    "hidden_aloud",
    "home_aloud",
    "language_aloud",
    "look_back_aloud",
    "new_kompas_aloud",
    "poster_aloud",
    "said",
    "settings_aloud",
    "shelf_aloud",
    "step_aloud",
    "take_along_aloud",
    "timeline_aloud",
]

# The three faces of "Hoe gaat het?", in their order on the screen.
MOOD_WORDS: dict[Mood, str] = {Mood.GOED: N_("Goed"), Mood.GAAT_WEL: N_("Gaat wel"), Mood.LASTIG: N_("Lastig")}

# The remarks on an action before it is set (the pop-up "Kun je dit in de komende weken doen?").
ACTION_HINTS: dict[ActionHint, str] = {
    ActionHint.LONG: N_("Dat is veel in één keer. Wat is het eerste kleine stukje?"),
    ActionHint.VAGUE: N_("Wat ga je precies doen? Met wie, en waar?"),
    ActionHint.FAR_AWAY: N_("De datum is ver weg. Kies liever een dag in de komende weken."),
    ActionHint.IN_THE_PAST: N_("Die datum is al voorbij. Kies een dag die nog komt."),
}

# The poster's switches, in the order the client reads them; the private ones come last, after a word of warning.
POSTER_ITEMS: tuple[tuple[PosterItem, str], ...] = (
    (PosterItem.ACTION, N_("Mijn actie")),
    (PosterItem.WISH, N_("Mijn wens voor later")),
    (PosterItem.STARRED, N_("Het belangrijkst (met ster)")),
    (PosterItem.KRACHTEN, N_("Krachten en bronnen")),
    (PosterItem.WAARDEN, N_("Waarden")),
    (PosterItem.INZET, N_("Benodigde inzet en bronnen")),
    (PosterItem.AANLEIDING, N_("Aanleiding")),
    (PosterItem.BELEMMERINGEN, N_("Belemmeringen")),
)

# Said where a client's own words stand, on a device that cannot speak them (a phone's speech pack).
OWN_WORDS_UNSPOKEN = N_("Je eigen woorden kan deze telefoon niet voorlezen. Spreek ze in, dan kun je ze terug horen.")


@dataclass(frozen=True)
class DoorState:
    """What the settings and take-along screens show besides the kompas: its door, and what this device can do."""

    has_pin: bool = False
    discreet: bool = False
    lock_minutes: int = 5
    nickname: str = ""
    can_pair: bool = False  # a phone can reach this server: pairing and the hand-over work
    link_minutes: int = 10  # how long a pairing or hand-over code works
    slow: bool = True  # "Langzaam voorlezen"
    backup_days: tuple[date, ...] = ()


def said(dutch: str) -> Spoken:
    """The app's words in the screen's language, with the Dutch they came from (which names a human recording)."""
    return Spoken(_(dutch), source=dutch)


def _own(text: str, owner: str = "") -> Spoken:
    """A client's words, or something made from them. `owner` (a note's id, "wens") keeps their speech with their
    kompas until they change; without one (a count, a date) it is spoken and not kept."""
    return Spoken(text, own=True, owner=owner)


def _switch(label: str, on: bool) -> list[Spoken]:
    return [said(label), said(N_("aan") if on else N_("uit"))]


def _notes(notes: tuple[Note, ...] | list[Note]) -> list[Spoken]:
    # A spoken note is not played in the middle of a screen read aloud: it is named, and has its own play button.
    return [said(N_("Een ingesproken notitie")) if note.voice and not note.text else _own(note.text, note.id)
            for note in notes]


def home_aloud(kompas: Kompas, today: date) -> list[Spoken]:
    state = home_state(kompas, today)
    pieces = [said(N_("Mijn kompas")), *_action_card_aloud(kompas, today)]
    for tile in state.tiles:
        pieces.append(said(CONDITIONS[tile.condition].name))
        pieces.append(_own(ngettext("{n} notitie", "{n} notities", tile.note_count)) if tile.note_count
                      else said(N_("Nog leeg")))
    pieces += [said(N_("Mijn wens voor later")), said(N_("Waar wil je naartoe? Dit is je grote doel."))]
    if state.wish.strip():
        pieces.append(_own(state.wish, "wens"))
    pieces.append(said(N_("Wat voor mij het belangrijkst is")))
    if state.starred:
        # What home shows at first: the newest stars, and the button for all.
        pieces += _notes(state.newest_starred)
        if len(state.newest_starred) < len(state.starred):
            pieces.append(_own(ngettext("Alle {n} laten zien", "Alle {n} laten zien", len(state.starred))))
    else:
        pieces.append(said(N_("Geef een ster aan wat voor jou het belangrijkst is. Dat zie je dan hier.")))
    # The buttons at the foot of home, by the names they carry.
    pieces += [said(N_("Mijn plakboek")), said(N_("Mijn koers")), said(N_("Poster voor de koelkast")),
               said(N_("Kopie en meenemen")), said(N_("Slot en wissen")), said(N_("Over deze app"))]
    return pieces


def _action_card_aloud(kompas: Kompas, today: date) -> list[Spoken]:
    """The action as home shows it on top, with its buttons."""
    action = kompas.action
    if action is None:
        return [said(N_("Mijn actie")), said(N_("Kies één kleine stap die je de komende weken gaat doen.")),
                said(N_("Kies een actie"))]
    pieces = [said(N_("Mijn actie")), said(CONDITIONS[action.condition].name), _own(action.text, "actie")]
    if action.voice:
        pieces.append(said(N_("Een ingesproken notitie")))
    if action.first_step:
        pieces.append(_own(_("Eerste stapje: {step}", step=action.first_step), "actie-stap"))
    if action.helper:
        pieces.append(_own(_("Wie helpt: {helper}", helper=action.helper), "actie-hulp"))
    pieces.append(_when(action, today))
    if kompas.done:
        pieces.append(said(N_("Gedaan!")))
    if kompas.checkins:
        pieces.append(_own(ngettext("Hoe het ging: {n} keer bijgehouden", "Hoe het ging: {n} keer bijgehouden",
                                    len(kompas.checkins))))
    return pieces + [said(N_("Hoe gaat het?")), said(N_("Terugkijken")), said(N_("Actie veranderen")),
                     said(N_("Foto"))]


def _when(action: Action, today: date) -> Spoken:
    """When to look back, as home says it: a date is the client's (it is not kept, and no pack holds it)."""
    look_back = date.fromisoformat(action.look_back)
    days = (look_back - today).days
    if days > 1:
        return _own(ngettext("Terugkijken op {date}, over {n} dag", "Terugkijken op {date}, over {n} dagen", days,
                             date=format_date(look_back, today)))
    if days == 1:
        return _own(_("Terugkijken op {date}: morgen", date=format_date(look_back, today)))
    if days == 0:
        return said(N_("Vandaag kijken we terug"))
    return _own(_("Op {date} zouden we terugkijken. Hoe ging het?", date=format_date(look_back, today)))


def condition_aloud(kompas: Kompas, condition: Condition) -> list[Spoken]:
    info = CONDITIONS[condition]
    pieces = [said(info.name), said(info.explanation)]
    for section in condition_sections(kompas, condition):
        pieces += step_aloud(section.step)
        pieces += _notes(section.notes)
    return pieces + [Spoken(_("Kies een actie bij {condition}", condition=_(info.name)))]


def step_aloud(step: Step, examples: bool = True) -> list[Spoken]:
    """A step's name and question, and its examples: what its own speaker button reads."""
    text = STEPS[step]
    pieces = [said(text.name), said(text.question)]
    if examples:
        pieces += examples_aloud(step)
    return pieces


def examples_aloud(step: Step) -> list[Spoken]:
    return [said(N_("Bijvoorbeeld:")), *[said(q) for q in STEPS[step].example_questions]]


def action_screen_aloud(kompas: Kompas, today: date, suggested: Condition | None) -> list[Spoken]:
    """Choosing or changing the action: its questions in order, with what is filled in already."""
    form = action_form(kompas, today, suggested)
    pieces = [said(HEADING), said(INTRO), said(WHAT)]
    if form.current:
        pieces.append(_own(form.text, "actie"))
    pieces.append(said(EXAMPLES))
    for shown in ([form.condition] if form.condition else COMPASS_POINTS):
        pieces += [said(example) for example in CONDITIONS[shown].example_actions]
    pieces.append(said(WHICH_PART))
    if form.condition:
        pieces.append(said(CONDITIONS[form.condition].name))
    pieces.append(said(WHO_HELPS))
    if form.helper:
        pieces.append(_own(form.helper, "actie-hulp"))
    pieces.append(said(FIRST_STEP))
    if form.first_step:
        pieces.append(_own(form.first_step, "actie-stap"))
    pieces.append(said(WHEN))
    # A new action's day is the form's own suggestion, not yet the client's: it is shown, not read.
    if form.current:
        pieces.append(_own(format_date(form.look_back, today)))
    return pieces + [said(OTHER_DATE), said(CHOOSE)]


def action_question_aloud(text: str, hints: list[ActionHint] | tuple[ActionHint, ...]) -> list[Spoken]:
    """The pop-up before an action is set: its question, the action, the remarks, and its two answers."""
    return [said(CAN_YOU), _own(text.strip()), *[said(ACTION_HINTS[hint]) for hint in hints],
            said(SMALLER if hints else ADJUST), said(YES)]


def done_aloud() -> list[Spoken]:
    """The pop-up after "Gedaan!"."""
    return [said(N_("Gedaan! Goed gedaan!")),
            said(N_("Je hebt je actie gedaan. Dat is een stap op je koers. Kijk terug als je wilt, en kies dan een "
                    "nieuwe actie.")),
            said(N_("Terugkijken")), said(N_("Later"))]


def check_in_aloud(kompas: Kompas) -> list[Spoken]:
    if kompas.action is None:
        return [said(N_("Hoe gaat het?")), said(N_("Kies eerst een actie.")), said(N_("Kies een actie"))]
    return [said(N_("Hoe gaat het?")), _own(_("Met: {action}", action=kompas.action.text)),
            *[said(word) for word in MOOD_WORDS.values()],
            said(N_("Wil je er iets over zeggen? (mag leeg blijven)")), said(N_("Foto toevoegen")), said(N_("Bewaar")),
            said(N_("Is het gelukt?")), said(N_("Gedaan!"))]


def look_back_aloud(kompas: Kompas) -> list[Spoken]:
    if kompas.action is None:
        return [said(N_("Terugkijken")), said(N_("Er is nu geen actie om op terug te kijken.")),
                said(N_("Kies een actie"))]
    return [said(N_("Terugkijken")), _own(_("Op: {action}", action=kompas.action.text)),
            said(N_("Wat ging goed?")), said(N_("Wat heb je geleerd?")), said(N_("Wie of wat hielp?")),
            said(N_("Daarna kies je een nieuwe actie. Je kompas blijft zoals het is; je kunt het altijd aanpassen.")),
            said(N_("Klaar: kies een nieuwe actie"))]


def timeline_aloud(kompas: Kompas, today: date) -> list[Spoken]:
    """"Mijn koers": every earlier period, newest first, with all the client wrote and said in it."""
    pieces = [said(N_("Mijn koers"))]
    if not kompas.periods:
        return pieces + [said(N_("Hier komt te staan wat je hebt gedaan. Na het terugkijken op je eerste actie zie "
                                 "je het hier."))]
    for period in reversed(kompas.periods):
        action, look = period.action, period.look_back
        owner = f"koers-{period.id}"
        start = date.fromisoformat(action.chosen or look.day)
        pieces.append(_own(_("{start} tot {end} · {condition}", start=format_date(start, today),
                             end=format_date(date.fromisoformat(look.day), today),
                             condition=_(CONDITIONS[action.condition].name))))
        pieces.append(_own(action.text, owner))
        if action.voice:
            pieces.append(said(N_("Een ingesproken notitie")))
        if period.done:
            pieces.append(said(N_("Gedaan!")))
        for checkin in period.checkins:
            pieces += _checkin_aloud(checkin, today, owner)
        for question, answer in ((N_("Wat ging goed?"), look.went_well), (N_("Wat heb je geleerd?"), look.learned),
                                 (N_("Wie of wat hielp?"), look.helped)):
            if answer:
                pieces += [said(question), _own(answer, owner)]
        if look.voice:
            pieces.append(said(N_("Een ingesproken notitie")))
        grown = strengths_grown(kompas, period)
        if grown:
            pieces.append(_own(_("Krachten die erbij kwamen: {strengths}", strengths=", ".join(grown)), owner))
    return pieces


def _checkin_aloud(checkin: CheckIn, today: date, owner: str) -> list[Spoken]:
    pieces = [_own(format_date(date.fromisoformat(checkin.day), today)), said(MOOD_WORDS[checkin.mood])]
    if checkin.note:
        pieces.append(_own(checkin.note, owner))
    if checkin.voice:
        pieces.append(said(N_("Een ingesproken notitie")))
    return pieces


def album_aloud(kompas: Kompas, today: date) -> list[Spoken]:
    pieces = [said(N_("Mijn plakboek")), said(N_("Al je foto's, de nieuwste eerst. Tik op een foto om hem groot te "
                                                 "zien.")), said(N_("Foto toevoegen"))]
    if not kompas.photos:
        return pieces + [said(N_("Nog geen foto's. Voeg er een toe bij je kompas, je actie of hier."))]
    for photo in reversed(kompas.photos):
        added = date.fromisoformat(photo.added[:10])
        pieces.append(_own(photo.caption or _("Foto van {date}", date=format_date(added, today))))
    return pieces


def poster_aloud(choice: PosterChoice) -> list[Spoken]:
    pieces = [said(N_("Poster voor de koelkast")),
              said(N_("Bezoek ziet de poster ook. Zet de twee hieronder alleen aan als je dat wilt.")),
              said(N_("Kies wat erop komt. Alleen wat aan staat, komt op de poster."))]
    for item, label in POSTER_ITEMS:
        pieces += _switch(label, item in choice.items)
    if current_language() != SOURCE_LANGUAGE:
        pieces += _switch(N_("Ook de Nederlandse woorden, klein erbij (voor de begeleider)"), choice.dutch_labels)
    pieces += [said(N_("Naam op de poster")), said(N_("Naam (mag leeg blijven)"))]
    if choice.name.strip():
        pieces.append(_own(choice.name))
    pieces.append(said(N_("Papier")))
    pieces += [Spoken(_("Papier {paper}: gekozen", paper=paper.value) if paper is choice.paper
                      else _("Papier {paper}", paper=paper.value)) for paper in Paper]
    return pieces + [said(N_("Zo ziet je poster eruit")), said(N_("Poster maken"))]


def about_aloud() -> list[Spoken]:
    return [said(N_("Over deze app")), said(N_("Over Kompas")),
            said(N_("Met dit kompas kijk je naar je leven. Wat gaat goed? Wat wil je? Wat is je volgende stap?")),
            said(N_("Je vult het in met je begeleider, of alleen. Je kiest steeds één kleine actie.")),
            said(N_("Je gegevens blijven bij jou")),
            said(N_("Alles wat je schrijft, blijft op dit apparaat. Er gaat niets naar internet.")),
            said(N_("De methode")),
            said(N_("Het Krachtkompas hoort bij de methode Krachtwerk van Judith Wolf (Impuls, Radboudumc). "
                    "De methode en het werkblad zijn © J. Wolf / Impuls.")),
            said(N_("De teksten en pictogrammen in deze app zijn gemaakt door de makers van deze app, niet door "
                    "Impuls."))]


def settings_aloud(door: DoorState) -> list[Spoken]:
    """"Slot en wissen": the two warnings that cannot be undone first, then each card in order."""
    pin_forgotten = N_("PIN vergeten? Dan kan dit kompas alleen gewist worden.")
    erase_warning = N_("Alles van dit kompas gaat van dit apparaat: notities, foto's, posters. Dat kan niet terug.")
    pieces = [said(N_("Slot en wissen")), said(pin_forgotten), said(erase_warning),
              said(N_("Voorlezen")),
              said(N_("Tik op Voorlezen, bovenaan het scherm, om het hele scherm te horen. Naast elke vraag, elk "
                      "voorbeeld en elke notitie staat ook een luidspreker.")),
              *_switch(N_("Langzaam voorlezen"), door.slow),
              said(N_("PIN"))]
    if door.has_pin:
        pieces += [said(N_("Dit kompas heeft een PIN.")), said(N_("Huidige PIN")),
                   said(N_("Nieuwe PIN (laat leeg om de PIN weg te halen)")), said(N_("PIN veranderen")),
                   said(N_("PIN weghalen"))]
    else:
        pieces += [said(N_("Met een PIN kan niemand anders dit kompas openen op dit apparaat.")),
                   said(N_("Nieuwe PIN (4 tot 6 cijfers)")), said(N_("PIN instellen"))]
    minutes = ngettext("{n} minuut", "{n} minuten", door.lock_minutes)
    pieces += [said(N_("Op slot")),
               said(N_("Doe je een tijd niets, dan gaat dit kompas vanzelf op slot. Na hoeveel minuten?")),
               Spoken(_("Op slot na {time}: gekozen", time=minutes)),
               *_switch(N_("Stil: vóór de PIN heet de app gewoon Notities"), door.discreet),
               said(N_("Dan staat het woord kompas nergens voordat de PIN is getypt: niet op het scherm en niet in de "
                       "titel van de browser.")),
               said(N_("Open op telefoon"))]
    if door.can_pair:
        pieces.append(Spoken(ngettext(
            "Scan de code met de camera van de telefoon. De code werkt één keer, {n} minuut lang, alleen voor dit "
            "kompas.",
            "Scan de code met de camera van de telefoon. De code werkt één keer, {n} minuten lang, alleen voor dit "
            "kompas.", door.link_minutes)))
        pieces.append(said(N_("Laat de code zien")))
    else:
        pieces.append(said(N_("Om een telefoon te koppelen moet Kompas zo starten: kompas --host 0.0.0.0")))
    pieces += [said(N_("Dit kompas wissen")),
               _own(_("Typ ter bevestiging de naam: {name}", name=door.nickname)),
               said(N_("Dit kompas wissen"))]
    return pieces


def take_along_aloud(door: DoorState, today: date) -> list[Spoken]:
    """"Kopie en meenemen": the passphrase warning first (a forgotten one loses the copy), then each card."""
    passphrase_warning = N_("Met een wachtwoord kan alleen wie het wachtwoord kent het bestand openen. Vergeet je "
                            "het, dan gaat de kopie niet meer open.")
    back_warning = N_("Wat je daarna deed, gaat dan weg. Dat kun je weer ongedaan maken.")
    pieces = [said(N_("Kopie en meenemen")), said(passphrase_warning),
              said(N_("Bewaar een kopie")),
              said(N_("Je hele kompas met je foto's in één bestand. Bewaar het op een veilige plek, of zet het op je "
                      "nieuwe telefoon.")),
              said(N_("Wachtwoord voor de kopie (mag leeg blijven)")), said(N_("Kopie maken")),
              said(N_("Terug naar gisteren")),
              said(N_("Elke dag dat je je kompas gebruikt, bewaart de app hoe het de dag ervoor was. Zeven dagen "
                      "terug. Zo kun je een vergissing herstellen."))]
    if door.backup_days:
        for day in door.backup_days:
            if day == today:
                pieces.append(said(N_("Terugzetten ongedaan maken")))
            elif day == today - timedelta(days=1):
                pieces.append(said(N_("Terug naar gisteren")))
            else:
                pieces.append(_own(_("Terug naar {date}", date=format_date(day, today))))
        pieces.append(said(back_warning))
    else:
        pieces.append(said(N_("Er is nog geen kopie. Die komt er de volgende dag dat je iets verandert.")))
    pieces.append(said(N_("Meegeven aan de client")))
    if door.can_pair:
        pieces += [said(N_("Samen ingevuld op deze computer? Geef het kompas mee aan de telefoon van de client. "
                           "Daarna staat het alleen nog op die telefoon.")),
                   said(N_("Wachtwoord voor het bestand (mag leeg blijven)")), said(N_("Meegeven aan de client"))]
    else:
        pieces.append(said(N_("Om mee te geven moet Kompas zo starten: kompas --host 0.0.0.0")))
    return pieces


# The screens before a kompas is open: nothing of any kompas is read there but the nicknames on show.


def language_aloud() -> list[Spoken]:
    """"Choose your language" in every language the app speaks, each in its own voice: found without Dutch."""
    pieces = []
    for language in LANGUAGES:
        with use_language(language):
            pieces.append(Spoken(_("Kies je taal"), source="Kies je taal", language=language))
    return pieces


def shelf_aloud(nicknames: list[str], neutral: bool) -> list[Spoken]:
    if neutral:
        pieces = [said(N_("Notities op dit apparaat")), said(N_("Kies je naam."))]
    else:
        pieces = [said(N_("Kompassen op dit apparaat")), said(N_("Kies je kompas. Alleen de naam is hier te zien."))]
    pieces += [_own(name) for name in nicknames]
    return pieces + [said(N_("Nieuw") if neutral else N_("Nieuw kompas")),
                     said(N_("Openen uit bestand") if neutral else N_("Kompas openen uit bestand"))]


def new_kompas_aloud() -> list[Spoken]:
    return [said(N_("Een nieuw kompas")),
            said(N_("Geef je kompas een naam. Dat mag een bijnaam zijn: iedereen met dit apparaat ziet hem.")),
            said(N_("Naam van het kompas")), said(N_("Kies een kleur")), said(N_("Maak mijn kompas")),
            said(N_("Heb je al een kompas, in een bestand van je oude telefoon of van je begeleider?")),
            said(N_("Kompas openen uit bestand"))]


def door_aloud(nickname: str, discreet: bool) -> list[Spoken]:
    """A kompas's PIN screen: what "PIN vergeten?" means comes first, before the PIN is typed."""
    if discreet:
        return [_own(nickname), said(N_("PIN vergeten? Dan kan alles hier alleen gewist worden.")),
                said(N_("Typ je PIN.")), said(N_("Openen")), said(N_("Terug"))]
    return [_own(nickname), said(N_("PIN vergeten? Dan kan dit kompas alleen gewist worden.")),
            said(N_("Typ je PIN om dit kompas te openen.")), said(N_("Openen")), said(N_("Naar alle kompassen"))]


def hidden_aloud() -> list[Spoken]:
    """The empty notes page of "Snel verbergen", under its title."""
    return [said(N_("Nog geen notities.")), said(N_("Verder"))]
