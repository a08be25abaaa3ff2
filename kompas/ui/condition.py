"""One condition opened: its explanation and the five steps, each with the client's own notes."""

from __future__ import annotations

from typing import Callable

import flet as ft

from kompas.domain.content import CONDITIONS, STEPS
from kompas.domain.model import Condition, Kompas, Note
from kompas.domain.words import Spoken
from kompas.i18n import _
from kompas.screens.readaloud import examples_aloud, step_aloud
from kompas.screens.state import Screen, ScreenKind, StepSection, condition_sections
from kompas.ui import theme
from kompas.ui.fields import TextInput, use_draft, use_text
from kompas.ui.files import KompasFiles, PhotoButton
from kompas.ui.messages import report, show_message, undo_message
from kompas.ui.pasted import PastedPhotos
from kompas.ui.record import RecordButton, VoiceLine
from kompas.ui.voice import SpeakButton
from kompas.ui.widgets import Body, Card, Heading, IconAction, Labelled, NamedButton, name_of, own_direction
from kompas.workbook.workbook import Outcome, Workbook


# A condition's notes and steps are memoised (drawn again only when their own arguments changed): a typed note stores
# a new kompas and redraws the screen, and at five years the other steps' 50 notes cost the server four times the
# CPU of the one that changed (tools/bench_typing.py). Their words come from the language of the screen, which
# cannot change under them: choosing another language leaves the kompas's screens for the language door.
@ft.memo
@ft.component
def NoteRow(note: Note, workbook: Workbook) -> ft.Control:
    page = ft.context.page
    editing, set_editing = ft.use_state(False)
    typed = ft.use_ref(note.text)

    def save(text: str) -> Outcome:
        typed.current = text
        # An emptied field is not saved: the note keeps its last words until it is deleted. A spoken note needs
        # none: its words beside the voice can be taken away again.
        return workbook.edit_note(note.id, text) if text.strip() or note.voice else Outcome.SAVED

    draft = use_draft(save)

    def done() -> None:
        if not typed.current.strip() and note.voice is None:
            show_message(page, _("Een lege notitie haal je weg met Weghalen."))
            return
        if draft.flush():
            set_editing(False)

    def delete() -> None:
        draft.discard()
        if report(page, workbook.delete_note(note.id)):
            undo_message(page, _("Notitie weggehaald."), lambda: workbook.restore_note(note))

    def typing(text: str) -> None:
        typed.current = text
        draft.type(text)

    # A spoken note is named by where it is, for the buttons a screen reader lists: it has no words to be named by.
    name = note.text[:40] or _("ingesproken notitie bij {step}", step=name_of(note.step))
    star_label = _("Ster weghalen: {note}", note=name) if note.starred else _("Geef een ster: {note}", note=name)
    star = IconAction(
        ft.Icons.STAR if note.starred else ft.Icons.STAR_BORDER,
        star_label,
        lambda: report(page, workbook.set_star(note.id, not note.starred)),
        color=theme.STAR,
    )
    if editing:
        return ft.Column(
            [
                TextInput(_("Woorden bij je opname (mag leeg blijven)") if note.voice else _("Notitie aanpassen"),
                          note.text, on_change=typing, on_blur=lambda _text: draft.flush(), multiline=True),
                ft.Row(
                    [
                        ft.FilledButton(_("Klaar"), icon=ft.Icons.CHECK, on_click=done),
                        ft.TextButton(_("Weghalen"), icon=ft.Icons.DELETE_OUTLINE, on_click=delete),
                    ],
                    wrap=True,
                ),
            ],
            spacing=theme.GAP,
        )

    def edit() -> None:
        typed.current = note.text
        set_editing(True)

    words: list[ft.Control] = []
    if note.voice is not None:
        words.append(VoiceLine(note.voice, _("bij {step}", step=name_of(note.step))))
    if note.text:
        words.append(ft.Text(note.text, size=theme.TEXT_BODY, color=theme.INK, **own_direction(note.text)))
    # The client's words across the whole width, and the buttons under them: beside three buttons a phone left them
    # a third of its width, and with the text at 200% a word of theirs was broken in two.
    return ft.Column(
        [
            ft.Column(words, spacing=2),
            ft.Row([
                star,
                *([SpeakButton(_("Voorlezen: {note}", note=name), lambda: [Spoken(note.text, own=True, owner=note.id)])]
                  if note.text else []),
                IconAction(ft.Icons.EDIT_OUTLINED, _("Aanpassen: {note}", note=name), edit),
            ], spacing=0),
        ],
        spacing=0,
    )


@ft.memo
@ft.component
def StepCard(condition: Condition, section: StepSection, workbook: Workbook, files: KompasFiles) -> ft.Control:
    page = ft.context.page
    text = use_text()
    step = STEPS[section.step]

    def add(value: str | None = None) -> None:
        value = text.current if value is None else value
        outcome = workbook.add_note(condition, section.step, value)
        # The words stay in the field unless they were stored, so nothing typed is lost.
        if report(page, outcome):
            text.put("")

    examples = "\n".join(f"• {_(q)}" for q in step.example_questions)
    pasted = PastedPhotos(section.photos, name_of(section.step), files, workbook)
    return Card(
        Labelled(section.step),
        ft.Row([ft.Container(Heading(_(step.question), size=theme.TEXT_BODY), expand=True),
                SpeakButton(_("Voorlezen: {question}", question=_(step.question)),
                            lambda: step_aloud(section.step, examples=False))],
               vertical_alignment=ft.CrossAxisAlignment.CENTER),
        ft.Row([ft.Container(Body(_("Bijvoorbeeld:") + "\n" + examples, size=theme.TEXT_SMALL, color=theme.INK_SOFT),
                             expand=True),
                SpeakButton(_("Voorbeelden voorlezen bij {step}", step=name_of(section.step)),
                            lambda: examples_aloud(section.step))],
               vertical_alignment=ft.CrossAxisAlignment.START),
        *[NoteRow(n, workbook, key=n.id) for n in section.notes],
        TextInput(
            _("Schrijf iets bij {step}", step=name_of(section.step)),
            text.current,
            on_change=text.typed,
            on_submit=add,
            reset=text.reset,
        ),
        ft.Row([
            NamedButton(_("Toevoegen"), _("Toevoegen bij {step}", step=name_of(section.step)), ft.Icons.ADD,
                        lambda: add()),
            RecordButton(f"{condition.value}/{section.step.value}",
                         _("Inspreken bij {step}", step=name_of(section.step)),
                         lambda take: workbook.speak_note(condition, section.step, take), workbook),
        ], wrap=True),
        *([pasted] if pasted else []),
        PhotoButton(workbook, f"{condition.value}/{section.step.value}",
                    label=_("Foto bij {step}", step=name_of(section.step))),
        key=section.step.value,
    )


def ConditionView(condition: Condition, kompas: Kompas, workbook: Workbook, files: KompasFiles,
                  go: Callable[[Screen], None]) -> ft.Control:
    info = CONDITIONS[condition]
    pasted = PastedPhotos(kompas.photos_at(condition.value), name_of(condition), files, workbook)
    return ft.Column(
        [
            ft.Container(
                ft.Column(
                    [
                        Labelled(condition, theme.PICTOGRAM_LARGE, theme.TEXT_TITLE),
                        Body(_(info.explanation)),
                        *([pasted] if pasted else []),
                        PhotoButton(workbook, condition.value),
                    ],
                    spacing=theme.GAP * 1.5,
                ),
                bgcolor=theme.CONDITION_COLOURS[condition],
                border_radius=theme.RADIUS,
                padding=theme.PAD,
            ),
            *[StepCard(condition, s, workbook, files, key=s.step.value) for s in condition_sections(kompas, condition)],
            ft.FilledButton(
                _("Kies een actie bij {condition}", condition=name_of(condition)),
                icon=ft.Icons.FLAG,
                on_click=lambda: go(Screen(ScreenKind.ACTION, condition)),
            ),
        ],
        spacing=theme.PAD,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
