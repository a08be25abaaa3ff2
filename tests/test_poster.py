"""The fridge poster: paper sizes, a QR code that a phone reads, only what the client chose, and nothing cut off."""

from __future__ import annotations

import copy
import hashlib
import io
from dataclasses import replace
from datetime import date, timedelta

import icalendar
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader

from kompas.domain import palette
from kompas.domain.model import DEFAULT_POSTER_ITEMS, Action, Condition, Kompas, Note, Paper, PosterChoice, PosterItem, Step
from kompas.i18n import use_language
from kompas.poster import fonts, textfit
from kompas.poster.output import save_pdf, save_png
from kompas.poster.render import DPI, NOTES_SMALLEST_MM, PREVIEW_DPI, Placement, clear_caches, render_poster

TODAY = date(2026, 11, 21)
MM = DPI / 25.4


def action(text="Samen met papa een taart bakken", condition=Condition.ERTOE_DOEN, helper="Papa"):
    return Action(text, condition, (TODAY + timedelta(days=14)).isoformat(), helper=helper, chosen=TODAY.isoformat())


def full_kompas(text="Ik kan goed koken", notes_per_step=1) -> Kompas:
    notes = [Note(c, s, f"{text} {i}", starred=(i == 0 and s is Step.KRACHTEN))
             for c in Condition for s in Step for i in range(notes_per_step)]
    return Kompas(notes=notes, wish="Een eigen huis waar mijn kinderen kunnen spelen", action=action())


KOMPASSEN = {
    "empty": Kompas(),
    "full": full_kompas(),
    "very long": Kompas(
        notes=[Note(c, Step.KRACHTEN, "Heel lang verhaal " * 120) for c in Condition],
        wish="Een wens die maar doorgaat " * 80,
        action=action("Ik ga elke dag een stukje verder met het opruimen van de zolder en de schuur " * 6,
                      helper="Mijn buurvrouw en haar zoon die in de flat ernaast wonen " * 5),
    ),
    "100 notes": full_kompas(notes_per_step=5),
    "arabic": Kompas(
        notes=[Note(c, Step.KRACHTEN, "أنا أطبخ جيدا وأحب مساعدة جيراني") for c in Condition],
        wish="بيت لأطفالي", action=action("أتصل بأختي كل أسبوع", helper="أختي"),
    ),
    "mixed scripts": Kompas(
        notes=[Note(c, Step.WAARDEN, "Koken · أنا أطبخ · ጥሩ ምግብ አበስላለሁ · Я добре готую · İyi yemek") for c in Condition],
        wish="ĳsjes eten met mijn dochter — ጥሩ ቤት", action=action("Bellen met Ayşe — اتصل بأختي"),
    ),
    "no-break word": Kompas(notes=[Note(Condition.MEEDOEN, Step.KRACHTEN, "x" * 900)], action=action("y" * 300)),
}


def within(inner, outer, slack=2) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


@pytest.mark.parametrize("paper", list(Paper))
@pytest.mark.parametrize("name", list(KOMPASSEN))
def test_nothing_is_drawn_outside_its_box_or_the_printable_area(name, paper):
    poster = render_poster(KOMPASSEN[name], PosterChoice(paper=paper, items=frozenset(PosterItem)), TODAY)
    width, height = poster.image.size
    margin = round(10 * MM * (1 if paper is Paper.A4 else 297 / 210))
    printable = (margin, margin, width - margin, height - margin)
    for placement in poster.placements:
        assert within(placement.box, printable, slack=0), placement.role
        if placement.ink:
            assert within(placement.ink, placement.box), (placement.role, placement.box, placement.ink)


def test_a_long_note_wraps_then_shrinks_to_the_floor_then_ends_in_an_ellipsis():
    # With an action of the usual length: a long one takes room from the compass.
    poster = render_poster(replace(KOMPASSEN["very long"], action=action()), PosterChoice(), TODAY)
    notes = next(p for p in poster.placements if p.role == "notes-meedoen")
    assert notes.truncated and notes.text.endswith("…")
    assert notes.text.count("\n") > 3
    assert notes.size_px == round(NOTES_SMALLEST_MM * MM)
    short = render_poster(KOMPASSEN["full"], PosterChoice(), TODAY)
    short_notes = next(p for p in short.placements if p.role == "notes-meedoen")
    assert notes.size_px < short_notes.size_px and not short_notes.truncated


def notes_placed(poster) -> dict[str, Placement]:
    return {p.role: p for p in poster.placements if p.role.startswith("notes-")}


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_notes_that_do_not_fit_are_counted_not_dropped(language):
    """Twelve notes in one cell: as many whole notes as fit, at readable type, and "+N" for the others."""
    texts = [f"Ik kan goed koken en ik help mijn buren {i}" for i in range(12)]
    kompas = Kompas(notes=[Note(Condition.MEEDOEN, Step.KRACHTEN, text) for text in texts], action=action())
    with use_language(language):
        placed = notes_placed(render_poster(kompas, PosterChoice(), TODAY))
    shown = placed["notes-meedoen"].text.split("\n")
    assert 1 <= len(shown) < 12 and "…" not in placed["notes-meedoen"].text
    assert shown == [f"• {text}" for text in texts[:len(shown)]], "whole notes, in their order"
    more = placed["notes-meedoen-more"]
    assert more.text == f"+{12 - len(shown)}" and not more.truncated
    assert min(p.size_px for p in placed.values()) >= round(NOTES_SMALLEST_MM * MM)
    # Under the last note shown, on the side where the poster's lines start.
    assert more.box[1] >= placed["notes-meedoen"].ink[3] - 2
    cell = placed["notes-meedoen"].box
    assert (abs(more.box[2] - cell[2]) < abs(more.box[0] - cell[0])) == (language == "ar")


def test_notes_are_one_size_in_every_cell():
    """A full cell does not leave its neighbours' notes large and its own tiny: one size for all, never under the floor."""
    kompas = Kompas(notes=[Note(Condition.MEEDOEN, Step.KRACHTEN, f"Ik kan goed koken en ik help mijn buren {i}")
                           for i in range(9)] + [Note(c, Step.WAARDEN, "Familie") for c in Condition], action=action())
    placed = notes_placed(render_poster(kompas, PosterChoice(), TODAY))
    sizes = {p.size_px for role, p in placed.items() if not role.endswith("-more")}
    assert len(sizes) == 1 and sizes.pop() >= round(NOTES_SMALLEST_MM * MM)
    assert len([role for role in placed if not role.endswith("-more")]) == 4


def test_the_action_is_readable_from_two_metres():
    """Capitals of 10 mm for an action of the usual length; a long one shrinks to 8 mm before any of it is cut."""
    for name, least_mm in (("full", 10), ("arabic", 10), ("very long", 8)):
        poster = render_poster(KOMPASSEN[name], PosterChoice(), TODAY)
        placed = next(p for p in poster.placements if p.role == "action")
        cap = fonts.font("latin", placed.size_px, bold=True).getbbox("H")
        assert (cap[3] - cap[1]) / MM >= least_mm, name


def test_the_pdf_is_one_page_of_a4_or_a3(tmp_path):
    for paper, (w, h) in {Paper.A4: (595, 842), Paper.A3: (842, 1191)}.items():
        poster = render_poster(KOMPASSEN["full"], PosterChoice(paper=paper), TODAY)
        save_pdf(poster, tmp_path / f"{paper.value}.pdf")
        reader = PdfReader(tmp_path / f"{paper.value}.pdf")
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - w) <= 1 and abs(float(box.height) - h) <= 1


def test_the_a4_png_is_300_dpi(tmp_path):
    save_png(render_poster(KOMPASSEN["full"], PosterChoice(), TODAY), tmp_path / "poster.png")
    with Image.open(tmp_path / "poster.png") as image:
        assert image.size == (2480, 3508)
        assert round(image.info["dpi"][0]) == 300


@pytest.mark.parametrize("paper", list(Paper))
def test_the_png_holds_every_pixel_of_the_poster(tmp_path, paper):
    photos = [Image.effect_noise((400, 300), 80).convert("RGB") for _ in range(6)]
    poster = render_poster(KOMPASSEN["arabic"], PosterChoice(paper=paper, name="Samira"), TODAY, photos)
    save_png(poster, tmp_path / "poster.png")
    with Image.open(tmp_path / "poster.png") as image:
        assert image.mode == "RGB"
        assert image.tobytes() == poster.image.tobytes()


@pytest.mark.parametrize("name", ["full", "very long", "arabic", "mixed scripts"])
def test_the_qr_code_puts_the_look_back_date_in_the_calendar(tmp_path, name):
    kompas = KOMPASSEN[name]
    poster = render_poster(kompas, PosterChoice(), TODAY)
    save_png(poster, tmp_path / "poster.png")
    with Image.open(tmp_path / "poster.png") as image:
        results = zxingcpp.read_barcodes(image.convert("L"))
    assert len(results) == 1
    calendar = icalendar.Calendar.from_ical(results[0].text)
    assert calendar.name == "VCALENDAR" and str(calendar["VERSION"]) == "2.0"
    [event] = calendar.walk("VEVENT")
    look_back = date.fromisoformat(kompas.action.look_back)
    assert event.decoded("DTSTART") == look_back
    summary = str(event["SUMMARY"])
    expected = " ".join(kompas.action.text.split())
    assert expected.startswith(summary.rstrip("…")) and len(summary) > 5
    qr = next(p for p in poster.placements if p.role == "qr")
    assert qr.size_px / MM >= 0.6, "a module must be at least 0.6 mm to scan from 30 cm"
    modules = (qr.box[2] - qr.box[0]) // qr.size_px - 8  # without the four-module quiet zone each side
    assert (modules - 17) // 4 <= 10, "version 10 or lower"


def texts_on(poster) -> str:
    return "\n".join(p.text for p in poster.placements)


def test_by_default_what_happened_and_obstacles_stay_off_and_there_is_no_name():
    kompas = Kompas(notes=[
        Note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken"),
        Note(Condition.MEEDOEN, Step.WAARDEN, "Mijn kinderen"),
        Note(Condition.MEEDOEN, Step.AANLEIDING, "Ontslagen in mei", starred=True),
        Note(Condition.MEEDOEN, Step.BELEMMERINGEN, "Schulden"),
        Note(Condition.MEEDOEN, Step.INZET, "Hulp met brieven", starred=True),
    ], wish="Werk", action=action())
    shown = texts_on(render_poster(kompas, PosterChoice(), TODAY))
    assert "Ik kan goed koken" in shown and "Mijn kinderen" in shown and "Hulp met brieven" in shown
    assert "Ontslagen" not in shown and "Schulden" not in shown
    assert "Mijn kompas ·" not in shown

    chosen = PosterChoice(items=frozenset({PosterItem.AANLEIDING, PosterItem.BELEMMERINGEN}), name="Samira")
    shown = texts_on(render_poster(kompas, chosen, TODAY))
    assert "Ontslagen" in shown and "Schulden" in shown and "Samira" in shown
    assert "Ik kan goed koken" not in shown and "Samen met papa" not in shown and "Werk" not in shown


def test_empty_places_become_lines_to_write_on_and_frames_for_photos():
    poster = render_poster(Kompas(), PosterChoice(), TODAY)
    roles = {p.role for p in poster.placements}
    assert not any(r.startswith("notes-") for r in roles)
    assert sum(r.startswith("photo-hint-") for r in roles) == 6
    assert poster.qr_payload is None


def test_chosen_photos_are_placed_up_to_six():
    photos = []
    for i in range(8):
        image = Image.new("RGB", (400 + 50 * i, 300), (40 * i, 120, 200))
        ImageDraw.Draw(image).ellipse((50, 50, 250, 250), fill="white")
        photos.append(image)
    poster = render_poster(KOMPASSEN["full"], PosterChoice(), TODAY, photos=photos)
    assert sum(p.role.startswith("photo-") and not p.role.startswith("photo-hint") for p in poster.placements) == 6


def test_the_poster_reads_in_grey():
    """Tints print as light grey and ink as near black, so words keep their contrast without colour."""
    def grey(hex_colour: str) -> int:
        return Image.new("RGB", (1, 1), hex_colour).convert("L").getpixel((0, 0))

    for tint in [*palette.CONDITION_COLOURS.values(), palette.CARD]:
        assert grey(tint) >= 200
        assert grey(tint) - grey(palette.INK) >= 150
    assert grey(palette.INK_SOFT) <= 90


def photo(colour) -> Image.Image:
    image = Image.new("RGB", (800, 600), colour)
    ImageDraw.Draw(image).ellipse((200, 100, 600, 500), fill="white")
    return image


def inputs(**changed):
    """The arguments of render_poster for a full kompas with one photo, with some of them changed."""
    kompas = changed.pop("kompas", full_kompas())
    base = {"kompas": kompas, "choice": PosterChoice(), "today": TODAY, "photos": [photo((200, 80, 40))]}
    return {**base, **changed}


def with_note_changed(kompas: Kompas, text: str) -> Kompas:
    """The first note with strengths (on the poster by default) says something else."""
    shown = next(n for n in kompas.notes if n.step is Step.KRACHTEN)
    return replace(kompas, notes=[replace(n, text=text) if n is shown else n for n in kompas.notes])


# One input changed at a time; each is on the poster, so each must change it.
VARIANTS = {
    "a note": lambda: inputs(kompas=with_note_changed(full_kompas(), "Ik kan goed fietsen")),
    "the action": lambda: inputs(kompas=replace(full_kompas(), action=action("Elke dag een stukje wandelen"))),
    "the wish": lambda: inputs(kompas=replace(full_kompas(), wish="Een tuin")),
    "a photo": lambda: inputs(photos=[photo((40, 80, 200))]),
    "an item": lambda: inputs(choice=PosterChoice(items=DEFAULT_POSTER_ITEMS - {PosterItem.WAARDEN})),
    "the name": lambda: inputs(choice=PosterChoice(name="Samira")),
    "the paper": lambda: inputs(choice=PosterChoice(paper=Paper.A3)),
    "the day": lambda: inputs(today=TODAY + timedelta(days=1)),
}


def pixels(poster) -> tuple:
    """All of a poster that can differ: its pixels (as a digest, for short messages), placements and QR payload."""
    return poster.image.size, hashlib.sha256(poster.image.tobytes()).hexdigest(), poster.placements, poster.qr_payload


@pytest.mark.parametrize("dpi", [DPI, PREVIEW_DPI])
def test_the_renderer_is_pure_and_repeatable(dpi):
    """The same inputs give the same poster, every input changes it, and no input is changed by drawing."""
    first = pixels(render_poster(**inputs(), dpi=dpi))
    for name, make in VARIANTS.items():
        given = make()
        kept = copy.deepcopy(given)
        drawn = pixels(render_poster(**given, dpi=dpi))
        assert drawn != first, f"changing {name} must change the poster"
        assert drawn == pixels(render_poster(**make(), dpi=dpi)), f"drawing with {name} changed twice is repeatable"
        assert given["kompas"] == kept["kompas"] and given["choice"] == kept["choice"], name
        assert [p.tobytes() for p in given["photos"]] == [p.tobytes() for p in kept["photos"]], name
    assert pixels(render_poster(**inputs(), dpi=dpi)) == first, "after all the others, the first is drawn as before"


@pytest.mark.parametrize("dpi", [DPI, PREVIEW_DPI])
def test_what_earlier_renders_kept_never_changes_a_poster(dpi):
    """Each poster, drawn after all the others, equals the same poster drawn with nothing kept, also without raqm."""
    cases = {"first": inputs, **VARIANTS}
    for raqm in (True, False):
        textfit.use_raqm(raqm)
        try:
            warm = {}
            for name, make in cases.items():
                warm[name] = pixels(render_poster(**make(), dpi=dpi))
            for name, make in cases.items():
                clear_caches()
                assert pixels(render_poster(**make(), dpi=dpi)) == warm[name], (name, raqm)
        finally:
            textfit.use_raqm(True)


def test_without_raqm_arabic_still_fits_its_boxes():
    """Phone builds of Pillow have no raqm; the basic layout must still keep text inside its boxes."""
    textfit.use_raqm(False)
    try:
        poster = render_poster(KOMPASSEN["arabic"], PosterChoice(), TODAY)
        for placement in poster.placements:
            if placement.ink:
                assert within(placement.ink, placement.box), placement.role
    finally:
        textfit.use_raqm(True)


def test_saving_replaces_an_old_poster_whole(tmp_path):
    target = tmp_path / "poster.pdf"
    target.write_bytes(b"old")
    save_pdf(render_poster(KOMPASSEN["full"], PosterChoice(), TODAY), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["poster.pdf"]
    assert io.BytesIO(target.read_bytes()).getbuffer().nbytes > 10_000


@pytest.mark.parametrize("save, name", [(save_pdf, "poster-A4.pdf"), (save_png, "poster-A4.png")])
def test_a_saved_poster_is_on_the_disk_before_it_takes_the_old_ones_place(tmp_path, monkeypatch, save, name):
    """Synced before the rename and the folder after it, as every file the app writes: a power cut right after
    "saved" leaves the new poster or the old one, never an empty file under the poster's name."""
    import os

    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("fsync", os.path.basename(os.readlink(
        f"/proc/self/fd/{fd}")))), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", os.path.basename(b))), real_replace(a, b))[1])
    save(render_poster(KOMPASSEN["full"], PosterChoice(), TODAY, dpi=PREVIEW_DPI), tmp_path / name)
    renamed = events.index(("replace", name))
    assert any(kind == "fsync" and seen.startswith(f".{name}.") for kind, seen in events[:renamed]), events
    assert ("fsync", tmp_path.name) in events[renamed:], "the folder synced after the rename"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_spoken_note_shows_a_speaker_with_its_length_drawn_in_a_font_that_has_it():
    from test_poster_scripts import missing_glyphs

    from kompas.domain.model import Voice
    from kompas.poster.render import SPEAKER

    kompas = Kompas(notes=[
        Note(Condition.MEEDOEN, Step.KRACHTEN, "", starred=True, voice=Voice("a" * 32, 42.4)),
        Note(Condition.MEEDOEN, Step.WAARDEN, "Familie", voice=Voice("b" * 32, 125.0)),
        Note(Condition.MEEDOEN, Step.KRACHTEN, "Ik kan goed koken"),
    ], action=action())
    poster = render_poster(kompas, PosterChoice(), TODAY)
    [notes] = [p for p in poster.placements if p.role == "notes-meedoen"]
    # The starred spoken note first; each spoken one with its speaker and length; nothing cut.
    assert notes.text.splitlines() == [f"★ {SPEAKER} 0:42", f"• {SPEAKER} 2:05 Familie", "• Ik kan goed koken"]
    assert not notes.truncated
    assert any(SPEAKER in text for _file, text in notes.drawn) and missing_glyphs([notes]) == []
