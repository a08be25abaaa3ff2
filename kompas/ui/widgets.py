"""Small building blocks shared by the screens: a pictogram with its word, cards, and messages."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import flet as ft

from kompas.base.resources import pictogram
from kompas.domain.content import CONDITIONS, STEPS
from kompas.domain.model import MAX_NOTES_PER_STEP, MAX_TEXT, Condition, Step
from kompas.domain.words import writes_right_to_left
from kompas.i18n import _
from kompas.media.photos import PhotoProblem
from kompas.ui import theme, uploads
from kompas.ui.uploads import MAX_UPLOAD, UPLOAD_TIMEOUT, UploadProblem
from kompas.workbook.drafts import Draft
from kompas.workbook.workbook import Outcome, StoreProblem, VoiceProblem

# Photos and posters of an unlocked kompas are served under /k/<key>/: the key dies when the kompas locks.
FILES_PATH = "/k"
# Seconds of a still hourglass before a busy sign starts turning (see Busy).
TURN_AFTER = 1.5

_OUTCOME_MESSAGES = {
    Outcome.EMPTY: lambda: _("Schrijf eerst een paar woorden."),
    Outcome.TOO_LONG: lambda: _("Dit is te lang. Gebruik niet meer dan {max} letters.", max=MAX_TEXT),
    Outcome.NOT_FOUND: lambda: _("Dit is al weggehaald."),
    Outcome.NOT_SAVED: lambda: _("Opslaan lukte niet. Je tekst staat er nog. Probeer het zo opnieuw."),
    Outcome.DATE_PASSED: lambda: _("Die datum is al voorbij. Kies een dag die nog komt."),
    Outcome.NO_ACTION: lambda: _("Kies eerst een actie."),
    Outcome.FULL: lambda: _("Bij deze stap staan al {max} notities. Haal er eerst een weg.", max=MAX_NOTES_PER_STEP),
    PhotoProblem.EMPTY: lambda: _("Dit bestand is leeg. Kies een andere foto."),
    PhotoProblem.NOT_AN_IMAGE: lambda: _("Dit is geen foto. Kies een foto: JPG, PNG, WebP of HEIC."),
    PhotoProblem.DAMAGED: lambda: _("Deze foto is kapot of niet helemaal binnen. Kies een andere foto."),
    PhotoProblem.TOO_BIG: lambda: _("Deze foto is te groot om te openen. Kies een andere foto."),
    PhotoProblem.ANIMATED: lambda: _("Bewegende beelden kunnen niet. Kies een gewone foto."),
    PhotoProblem.HEIC_UNSUPPORTED: lambda: _("Deze iPhone-foto kan de app hier niet openen. Zet hem eerst om naar JPG."),
    PhotoProblem.NOT_SAVED: lambda: _("Opslaan lukte niet. Is er nog ruimte op het apparaat?"),
    UploadProblem.TOO_LARGE: lambda: _("Dit bestand is groter dan {size} MB. Kies een kleinere foto.",
                                       size=MAX_UPLOAD // 2**20),
    UploadProblem.LOST: lambda: _("De foto kwam niet aan. Probeer het nog een keer."),
    VoiceProblem.TOO_SHORT: lambda: _("Dat was te kort om te bewaren. Tik op Inspreken, praat, en tik dan op Stop en bewaar."),
    VoiceProblem.SILENT: lambda: _("De app hoorde niets. Staat de microfoon aan? Probeer het nog een keer."),
    VoiceProblem.NOT_SAVED: lambda: _("Je opname kon niet worden bewaard. Is er nog ruimte op het apparaat?"),
    VoiceProblem.CANNOT: lambda: _("Inspreken lukt niet op dit apparaat. Je kunt je notitie schrijven."),
    VoiceProblem.DAMAGED: lambda: _("Deze opname is kapot."),
}


def use_field(initial):
    """State for a choice (a condition, a date), and a ref that always holds its latest value.

    Click handlers read the ref: a tap that reaches the server right after the last
    change, before the redraw that would give it a fresh closure, still sees it.
    """
    value, set_value = ft.use_state(initial)
    latest = ft.use_ref(initial)

    def update(new) -> None:
        latest.current = new
        set_value(new)

    return value, update, latest


class FormText:
    """The words in one form field: typing only updates `current`; `put` replaces what the field shows.

    `current` is read from the field itself once a TextInput is bound to it. Flet applies what the browser typed
    to the field in the order it arrives, before the tap that follows, but runs a plain change handler in a worker
    thread: a quick tap on "Kopie maken" or "Openen" could otherwise run first and miss the last letters, and a
    passphrase typed a moment before would be lost (the copy made without it).

    The field is drawn anew each time its screen is, and Flet 1.0.5 applies what the browser sent through its session
    index, which takes up the new field object only after the drawing: so the field objects of the last few drawings
    are kept with the words each was drawn with, and the one whose words the browser changed is the one that counts.
    (A safeguard: a PIN seen lost under two CPU burners was lost before it reached the server at all.)
    """

    _KEPT = 4  # drawings whose field may still hear from the browser

    def __init__(self, initial: str, bump: Callable[[Callable[[int], int]], None]):
        self._text = initial
        self._fields: list[tuple[ft.TextField, object]] = []  # (a drawing's field, the words it was drawn with)
        self.reset = 0
        self._bump = bump

    @property
    def current(self) -> str:
        for field, drawn in reversed(self._fields):
            if field.value != drawn and isinstance(field.value, str):
                return field.value  # typed into since it was drawn
        if self._fields and isinstance(self._fields[-1][0].value, str):
            return self._fields[-1][0].value
        return self._text

    def bind(self, field: ft.TextField) -> None:
        self._fields = [*self._fields[-(self._KEPT - 1):], (field, field.value)]

    def typed(self, text: str) -> None:
        # No redraw: the browser already shows what was typed, and a redraw could only show less.
        self._text = text

    def put(self, text: str) -> None:
        """Show `text` in the field (an example tapped, or the field emptied after adding)."""
        self._text = text
        self._fields = []  # until the field is drawn again with these words, they are the form's own
        self._bump(lambda n: n + 1)


def use_text(initial: str = "") -> FormText:
    reset, set_reset = ft.use_state(0)
    form = ft.use_ref(lambda: FormText(initial, set_reset))
    form.current.reset = reset
    return form.current


def outcome_message(outcome: Outcome | PhotoProblem | UploadProblem | VoiceProblem) -> str | None:
    """The words for an outcome the client should hear about; None when all went well."""
    message = _OUTCOME_MESSAGES.get(outcome)
    return message() if message else None


def store_problem_message(problem: StoreProblem, file: str) -> str:
    if problem is StoreProblem.TOO_NEW:
        return _(
            "Je kompas is gemaakt met een nieuwere versie van deze app. Deze versie kan het niet openen "
            "en verandert er niets aan. Werk de app bij om verder te gaan.",
        )
    if problem is StoreProblem.READ_ONLY:
        return _("Je kompas kan hier niet worden bewaard: de map is alleen-lezen. "
                 "Je kunt je kompas bekijken, maar niets veranderen. Je begeleider kan helpen.")
    return _(
        "De app kan je oude kompas niet openen. Het is niet weg: het staat apart als {file}. "
        "Je begeleider kan helpen. Je begint nu met een nieuw kompas.",
        file=file,
    )


def show_message(page: ft.Page, message: str) -> None:
    page.show_dialog(ft.SnackBar(ft.Text(message, size=theme.TEXT_BODY), duration=6000))


def undo_message(page: ft.Page, message: str, undo: Callable[[], Outcome]) -> None:
    """Something was taken away: say so, with "Terugzetten" for eight seconds."""
    page.show_dialog(ft.SnackBar(ft.Text(message, size=theme.TEXT_BODY), action=_("Terugzetten"),
                                 on_action=lambda: report(page, undo()), duration=8000))


def report(page: ft.Page, outcome: Outcome | PhotoProblem | UploadProblem | VoiceProblem) -> bool:
    """Tell the client when a change did not go through; True when it did."""
    message = outcome_message(outcome)
    if message:
        show_message(page, message)
    return message is None


def name_of(subject: Condition | Step) -> str:
    texts = CONDITIONS if isinstance(subject, Condition) else STEPS
    return _(texts[subject].name)


def Pictogram(subject: Condition | Step | str, size: int = theme.PICTOGRAM, label: str | None = None) -> ft.Control:
    """A pictogram image; its label tells screen readers what it shows."""
    return ft.Image(
        src=pictogram(subject),
        width=size,
        height=size,
        semantics_label=label if label is not None else (name_of(subject) if not isinstance(subject, str) else None),
        exclude_from_semantics=label == "",
    )


def Labelled(subject: Condition | Step, size: int = theme.PICTOGRAM, text_size: int = theme.TEXT_BODY) -> ft.Control:
    """A pictogram with its word beside it: never one without the other. A word too wide to stand beside it (a long
    one, or the text at 200%) goes under it, whole, rather than broken in two."""
    return ft.Row(
        [
            Pictogram(subject, size, label=""),
            ft.Text(name_of(subject), size=text_size, weight=ft.FontWeight.BOLD, color=theme.INK),
        ],
        spacing=theme.GAP * 1.5,
        run_spacing=theme.GAP,
        wrap=True,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )


def LabelledSwitch(label: str, value: bool, on_change: Callable[[bool], None]) -> ft.Control:
    """A switch with its words beside it, or above it when they need the whole width: Flet's own label never wraps,
    so a long one was cut off, and in a right-to-left screen pushed the switch off its card. The whole row is one
    switch to tap and to hear."""
    return ft.MergeSemantics(content=ft.Container(
        ft.Row([ft.Text(label, size=theme.TEXT_BODY, color=theme.INK),
                ft.Switch(value=value, on_change=lambda e: on_change(bool(e.control.value)))],
               spacing=theme.GAP, run_spacing=4, wrap=True, alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
               vertical_alignment=ft.CrossAxisAlignment.CENTER),
        on_click=lambda: on_change(not value), ink=True, border_radius=theme.RADIUS / 2,
        padding=ft.Padding.symmetric(vertical=4),
    ))


def Spoken(label: str, content: ft.Control) -> ft.Control:
    """`content` as screen readers hear it: `label`, and not the words drawn inside once more."""
    return ft.Semantics(label=label, exclude_semantics=True, content=content)


def OneButton(control: ft.Control, label: str | None = None, selected: bool | None = None) -> ft.Control:
    """A button as one node for screen readers: its name, its state and its tap, with nothing unnamed beside it."""
    return ft.MergeSemantics(content=ft.Semantics(label=label, button=True, selected=selected, content=control))


def Tappable(label: str, on_click: Callable[[], None], content: ft.Control, selected: bool | None = None,
             **container) -> ft.Control:
    """A tile that acts as one button with one name."""
    return OneButton(ft.Container(Spoken(label, content), on_click=on_click, ink=True, **container), selected=selected)


def IconAction(icon: ft.IconData, label: str, on_click: Callable[[], None], color: str = theme.INK,
               tooltip: bool = False) -> ft.Control:
    """An icon button with a name and a full 48 px tap area; `tooltip`: its word also shows on hover or a long press,
    for a pictogram that stands without its word (the header's)."""
    return OneButton(ft.IconButton(
        icon,
        icon_color=color,
        on_click=on_click,
        size_constraints=ft.BoxConstraints(min_width=theme.TAP, min_height=theme.TAP),
        # While it shows, Flutter puts the tooltip's words in the button's name a second time: only where needed.
        tooltip=ft.Tooltip(message=label, exclude_from_semantics=True) if tooltip else None,
    ), label)


def NamedButton(text: str, name: str, icon: ft.IconData, on_click: Callable[[], None],
                filled: bool = True) -> ft.Control:
    """A button whose short word is on screen and whose full name is what screen readers say.

    `filled`: the one main step of a card; the others have an outline.
    """
    ink = theme.ON_ACCENT if filled else theme.ACCENT
    return Tappable(
        name, on_click,
        ft.Row([ft.Icon(icon, color=ink, size=20),
                ft.Text(text, size=theme.TEXT_BODY, weight=ft.FontWeight.W_600, color=ink)],
               alignment=ft.MainAxisAlignment.CENTER, spacing=theme.GAP, tight=True),
        bgcolor=theme.ACCENT if filled else None, border=None if filled else ft.Border.all(1, theme.ACCENT),
        border_radius=theme.RADIUS, alignment=ft.Alignment.CENTER,
        padding=ft.Padding.symmetric(horizontal=20, vertical=14),
    )


def ConditionChip(condition: Condition, selected: bool, label: str, on_click: Callable[[], None],
                  content: ft.Control, **layout) -> ft.Control:
    """A tappable tile in a condition's colour; a thick dark border shows which one is chosen."""
    return Tappable(
        label, on_click, content, selected=selected,
        bgcolor=theme.CONDITION_COLOURS[condition],
        border=ft.Border.all(3 if selected else 1, theme.INK if selected else theme.LINE),
        border_radius=theme.RADIUS,
        **layout,
    )


def Card(*controls: ft.Control, bgcolor: str = theme.CARD, key: str | None = None) -> ft.Control:
    return ft.Container(
        ft.Column(list(controls), spacing=theme.GAP * 1.5, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        bgcolor=bgcolor,
        border_radius=theme.RADIUS,
        border=ft.Border.all(1, theme.LINE),
        padding=theme.PAD,
        key=key,
    )


def Heading(text: str, size: int = theme.TEXT_LARGE, own: bool = False) -> ft.Control:
    """A heading; `own`: the client's words, laid out in their own direction (see OwnWords)."""
    return ft.Text(text, size=size, weight=ft.FontWeight.BOLD, color=theme.INK, **(own_direction(text) if own else {}))


def Body(text: str, size: int = theme.TEXT_BODY, italic: bool = False, color: str = theme.INK,
         own: bool = False) -> ft.Control:
    return ft.Text(text, size=size, color=color, italic=italic, selectable=False,
                   **(own_direction(text) if own else {}))


def own_direction(text: str) -> dict[str, bool]:
    """The client's own words read in their own direction: an Arabic note from right to left on a Dutch screen.

    Flet sends only rtl=True, so the other way round (Dutch words on an Arabic screen) keeps the screen's direction;
    Flutter's bidi algorithm still puts each word's letters in order there.
    """
    return {"rtl": True} if writes_right_to_left(text) else {}


@ft.component
def TextInput(
    label: str,
    value: str = "",
    on_change: Callable[[str], None] | None = None,
    on_submit: Callable[[str], None] | None = None,
    on_blur: Callable[[str], None] | None = None,
    multiline: bool = False,
    hint: str | None = None,
    reset: int = 0,
    secret: bool = False,
    passphrase: bool = False,
) -> ft.Control:
    """A text field that belongs to the client while they are in it; `secret` hides what is typed (a PIN), as
    `passphrase` does for a longer one, with an eye to show it.

    The server tells the field what to show only when `value` changed while the
    client was elsewhere, or when `reset` changes. Otherwise a redraw hands the
    field the very text the browser last reported, so no change goes out:
    keystrokes are still on their way to the server, and an older value sent back
    would wipe out the newest letters.
    """
    shown = ft.use_ref(None)  # (reset, value) as last sent to the browser
    inside = ft.use_ref(False)
    field = ft.use_ref(None)  # the field as drawn last; the browser's changes land on it
    if shown.current is None or shown.current[0] != reset or (not inside.current and shown.current[1] != value):
        send = value
        shown.current = (reset, value)
    else:
        send = field.current.value

    def changed(e) -> None:
        inside.current = True
        if on_change:
            on_change(e.control.value)

    def focused(e) -> None:
        inside.current = True

    def left(e) -> None:
        inside.current = False
        if on_blur:
            on_blur(e.control.value)

    revealed, set_revealed = ft.use_state(False)
    secret_options = dict(password=True, keyboard_type=ft.KeyboardType.NUMBER,
                          max_length=6) if secret else dict(password=not revealed) if passphrase else {}
    field.current = text_field(
        None, send, hint=hint, multiline=multiline, on_change=changed, on_focus=focused, on_blur=left,
        on_submit=(lambda e: on_submit(e.control.value)) if on_submit else None, **secret_options,
    )
    # A form's words are read from this field at the moment a button needs them (see FormText).
    form = getattr(on_change, "__self__", None)
    if isinstance(form, FormText):
        form.bind(field.current)
    named = LabelAbove(label, field.current)
    if not passphrase:
        return named
    # The eye that shows the passphrase, beside the field and with a name of its own (inside the field, it would be
    # merged into the field's name).
    eye = IconAction(ft.Icons.VISIBILITY_OFF if revealed else ft.Icons.VISIBILITY,
                     _("Wachtwoord verbergen") if revealed else _("Wachtwoord laten zien"),
                     lambda: set_revealed(not revealed), color=theme.INK_SOFT)
    return ft.Row([ft.Container(named, expand=True), eye], spacing=0, vertical_alignment=ft.CrossAxisAlignment.END)


def LabelAbove(label: str, field: ft.TextField) -> ft.Control:
    """A field with its label above it, in as many lines as the label needs.

    On the field's border, a long label (or any label, with the text at 200%) wrapped over the border and over
    what was typed. Screen readers still hear the label as the field's name, once.
    """
    return ft.MergeSemantics(content=ft.Column([ft.Text(label, size=theme.TEXT_BODY, color=theme.INK), field],
                                               spacing=4, horizontal_alignment=ft.CrossAxisAlignment.STRETCH))


def text_field(label: str | None, value: str | None, hint: str | None = None, multiline: bool = False,
               **events) -> ft.TextField:
    """The look of every text field: large text, a clear label (or none: see LabelAbove), a white box."""
    return ft.TextField(
        label=label,
        value=value,
        hint_text=hint,
        multiline=multiline,
        min_lines=1,
        max_lines=6 if multiline else 1,
        text_size=theme.TEXT_BODY,
        border_radius=theme.RADIUS / 2,
        bgcolor=theme.CARD,
        shift_enter=multiline,
        **events,
    )


def use_draft(save: Callable[[str], Outcome]) -> Draft:
    """A Draft for a field that stores as the client types, reporting failures; flushed when the screen goes."""
    page = ft.context.page
    latest = ft.use_ref(lambda: save)
    latest.current = save

    def store(text: str) -> bool:
        outcome = latest.current(text)
        report(page, outcome)
        return outcome is Outcome.SAVED

    draft = ft.use_ref(lambda: Draft(store))
    # Leaving the screen (or the dialog) stores what is still pending.
    ft.use_effect(lambda: None, [], cleanup=lambda: draft.current.flush())
    return draft.current


@ft.component
def StoredText(label: str, stored: str, save: Callable[[str], Outcome], multiline: bool = False,
               hint: str | None = None) -> ft.Control:
    """A field stored as the client types: at most twice a second, and at once when they leave it."""
    draft = use_draft(save)
    return TextInput(label, stored, on_change=draft.type, on_blur=lambda _text: draft.flush(), multiline=multiline,
                     hint=hint)


@dataclass(frozen=True)
class KompasFiles:
    """Where one kompas's photos and posters are: its folder, and the key that opens them to this screen only."""

    folder: Path
    key: str | None = None

    def src(self, page: ft.Page, relative: str) -> str:
        """The address of a stored file: on the server behind this unlocking's key, or the file itself on a phone."""
        return f"{FILES_PATH}/{self.key}/{relative}" if page.web else str(self.folder / relative)


async def picked_bytes(page: ft.Page, picker: ft.FilePicker, file: ft.FilePickerFile,
                       limit: int = MAX_UPLOAD) -> bytes | PhotoProblem | UploadProblem:
    """The picked file's bytes: over HTTP in a browser (a websocket message stops at 16 MiB), read directly on a phone."""
    if file.size > limit:
        return UploadProblem.TOO_LARGE
    if not page.web:
        if file.bytes is not None:
            return file.bytes
        try:
            return await asyncio.to_thread(Path(file.path).read_bytes)
        except (OSError, TypeError):
            return PhotoProblem.DAMAGED
    # The page sent a photo the moment it was chosen (see uploads); anything else comes the way Flet sends files.
    sent = await uploads.claim(page.client_ip or "", file.name, file.size)
    if sent is not None:
        return sent
    upload = uploads.expect(limit)
    picker.on_upload = lambda e: upload.fail() if e.error else None
    try:
        await picker.upload([ft.FilePickerUploadFile(upload_url=upload.url, id=file.id, name=file.name)])
        return await upload.received(UPLOAD_TIMEOUT)
    finally:
        uploads.forget(upload)


def Said(words: str, good: bool = False) -> ft.Control:
    """What the last try did, in place under its form: it stays until the next try (a snackbar is gone before a slow
    reader is done), and a screen reader says it as it comes."""
    return ft.Semantics(live_region=True, content=Body(words, color=theme.INK if good else theme.DANGER))


@ft.component
def Busy(text: str) -> ft.Control:
    """Something takes a moment: in words what is being done, with an hourglass that turns into a turning ring
    once it takes longer than TURN_AFTER.

    A turning ring draws a frame every 16 ms; in a browser without a graphics chip those frames took more of the
    processor than cleaning the photo itself (tools/bench_photos.py), and most waits are over within a second.
    """
    page = ft.context.page
    turning, set_turning = ft.use_state(False)

    def start():
        async def later() -> None:
            await asyncio.sleep(TURN_AFTER)
            set_turning(True)

        return page.run_task(later).cancel

    ft.use_effect(start, [])
    sign = ft.ProgressRing(width=28, height=28) if turning else ft.Icon(ft.Icons.HOURGLASS_TOP, size=28, color=theme.INK)
    return ft.Row([sign, Body(text)])


@ft.component
def PhotoButton(workbook, about: str, on_added: Callable | None = None, label: str | None = None) -> ft.Control:
    """"Foto toevoegen": the file picker in a browser, camera or gallery on a phone."""
    page = ft.context.page
    busy, set_busy = ft.use_state(False)

    async def pick() -> None:
        picker = ft.FilePicker()
        # A phone hands over a path to its copy of the photo, which is read here: a 200 MP photo is not sent through
        # the app's own channel as bytes first.
        files = await picker.pick_files(
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=list(uploads.PHOTO_EXTENSIONS),
        )
        if not files:
            return
        set_busy(True)
        try:
            for file in files:
                data = await picked_bytes(page, picker, file)
                if not isinstance(data, bytes):
                    report(page, data)
                    continue
                # Cleaning a 200 MP photo takes a moment: off the event loop, so other screens stay quick.
                outcome, photo = await asyncio.to_thread(workbook.add_photo, data, about)
                del data
                if report(page, outcome) and on_added:
                    on_added(photo)
        finally:
            set_busy(False)

    if busy:
        return Busy(_("Foto wordt klaargemaakt…"))
    return ft.OutlinedButton(label or _("Foto toevoegen"), icon=ft.Icons.ADD_A_PHOTO, on_click=pick)
