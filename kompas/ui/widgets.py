"""Small building blocks shared by the screens: a pictogram with its word, cards, and messages."""

from __future__ import annotations

from typing import Callable

import flet as ft

from kompas.content import CONDITIONS, STEPS
from kompas.i18n import _
from kompas.model import MAX_TEXT, Condition, Step
from kompas.photos import PhotoProblem
from kompas.resources import pictogram
from kompas.storage import StoreProblem
from kompas.ui import theme
from kompas.workbook import Outcome

_OUTCOME_MESSAGES = {
    Outcome.EMPTY: lambda: _("Schrijf eerst een paar woorden."),
    Outcome.TOO_LONG: lambda: _("Dit is te lang. Gebruik niet meer dan {max} letters.", max=MAX_TEXT),
    Outcome.NOT_FOUND: lambda: _("Dit is al weggehaald."),
    Outcome.NOT_SAVED: lambda: _("Opslaan lukte niet. Je tekst staat er nog. Probeer het zo opnieuw."),
    Outcome.DATE_PASSED: lambda: _("Die datum is al voorbij. Kies een dag die nog komt."),
    Outcome.NO_ACTION: lambda: _("Kies eerst een actie."),
    PhotoProblem.EMPTY: lambda: _("Dit bestand is leeg. Kies een andere foto."),
    PhotoProblem.NOT_AN_IMAGE: lambda: _("Dit is geen foto. Kies een foto: JPG, PNG, WebP of HEIC."),
    PhotoProblem.DAMAGED: lambda: _("Deze foto is kapot of niet helemaal binnen. Kies een andere foto."),
    PhotoProblem.TOO_BIG: lambda: _("Deze foto is te groot om te openen. Kies een andere foto."),
    PhotoProblem.ANIMATED: lambda: _("Bewegende beelden kunnen niet. Kies een gewone foto."),
    PhotoProblem.HEIC_UNSUPPORTED: lambda: _("Deze iPhone-foto kan de app hier niet openen. Zet hem eerst om naar JPG."),
    PhotoProblem.NOT_SAVED: lambda: _("Opslaan lukte niet. Is er nog ruimte op het apparaat?"),
}


def use_field(initial):
    """State for a form field, and a ref that always holds its latest value.

    Click handlers read the ref: a tap that reaches the server right after the last
    keystroke, before the redraw that would give it a fresh closure, still sees every letter.
    """
    value, set_value = ft.use_state(initial)
    latest = ft.use_ref(initial)

    def update(new) -> None:
        latest.current = new
        set_value(new)

    return value, update, latest


def outcome_message(outcome: Outcome | PhotoProblem) -> str | None:
    """The words for an outcome the client should hear about; None when all went well."""
    message = _OUTCOME_MESSAGES.get(outcome)
    return message() if message else None


def store_problem_message(problem: StoreProblem, file: str) -> str:
    if problem is StoreProblem.TOO_NEW:
        return _(
            "Je kompas is gemaakt met een nieuwere versie van deze app. Deze versie kan het niet openen "
            "en verandert er niets aan. Werk de app bij om verder te gaan.",
        )
    return _(
        "De app kan je oude kompas niet openen. Het is niet weg: het staat apart als {file}. "
        "Je begeleider kan helpen. Je begint nu met een nieuw kompas.",
        file=file,
    )


def show_message(page: ft.Page, message: str) -> None:
    page.show_dialog(ft.SnackBar(ft.Text(message, size=theme.TEXT_BODY), duration=6000))


def report(page: ft.Page, outcome: Outcome | PhotoProblem) -> bool:
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
    """A pictogram with its word beside it: never one without the other."""
    return ft.Row(
        [
            Pictogram(subject, size, label=""),
            ft.Text(name_of(subject), size=text_size, weight=ft.FontWeight.BOLD, color=theme.INK, expand=True),
        ],
        spacing=theme.GAP * 1.5,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )


def IconAction(icon: ft.IconData, label: str, on_click: Callable[[], None], color: str = theme.INK) -> ft.Control:
    """An icon button with a name for screen readers and a full 48 px tap area."""
    return ft.Semantics(
        label=label,
        button=True,
        content=ft.IconButton(
            icon,
            icon_color=color,
            on_click=on_click,
            size_constraints=ft.BoxConstraints(min_width=theme.TAP, min_height=theme.TAP),
        ),
    )


def ConditionChip(condition: Condition, selected: bool, label: str, on_click: Callable[[], None],
                  content: ft.Control, **layout) -> ft.Control:
    """A tappable tile in a condition's colour; a thick dark border shows which one is chosen."""
    return ft.Semantics(
        button=True,
        selected=selected,
        label=label,
        content=ft.Container(
            content,
            bgcolor=theme.CONDITION_COLOURS[condition],
            border=ft.Border.all(3 if selected else 1, theme.INK if selected else theme.LINE),
            border_radius=theme.RADIUS,
            on_click=on_click,
            ink=True,
            **layout,
        ),
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


def Heading(text: str, size: int = theme.TEXT_LARGE) -> ft.Control:
    return ft.Text(text, size=size, weight=ft.FontWeight.BOLD, color=theme.INK)


def Body(text: str, size: int = theme.TEXT_BODY, italic: bool = False, color: str = theme.INK) -> ft.Control:
    return ft.Text(text, size=size, color=color, italic=italic, selectable=False)


def TextInput(
    label: str,
    value: str,
    on_change: Callable[[str], None] | None = None,
    on_submit: Callable[[str], None] | None = None,
    multiline: bool = False,
    hint: str | None = None,
) -> ft.TextField:
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
        on_change=(lambda e: on_change(e.control.value)) if on_change else None,
        on_submit=(lambda e: on_submit(e.control.value)) if on_submit else None,
        shift_enter=multiline,
    )


def photo_src(page: ft.Page, data_dir, relative: str) -> str:
    """Where the screen loads a stored photo from: the server in a browser, the file itself on a phone."""
    return f"/{relative}" if page.web else str(data_dir / relative)


@ft.component
def PhotoButton(workbook, about: str, on_added: Callable | None = None, label: str | None = None) -> ft.Control:
    """"Foto toevoegen": the file picker in a browser, camera or gallery on a phone."""
    page = ft.context.page
    busy, set_busy = ft.use_state(False)

    async def pick() -> None:
        files = await ft.FilePicker().pick_files(
            with_data=True,
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=["jpg", "jpeg", "png", "webp", "heic", "heif"],
        )
        if not files:
            return
        set_busy(True)
        try:
            for file in files:
                outcome, photo = workbook.add_photo(file.bytes or b"", about)
                if report(page, outcome) and on_added:
                    on_added(photo)
        finally:
            set_busy(False)

    if busy:
        return ft.Row([ft.ProgressRing(width=28, height=28), Body(_("Foto wordt klaargemaakt…"))])
    return ft.OutlinedButton(label or _("Foto toevoegen"), icon=ft.Icons.ADD_A_PHOTO, on_click=pick)
