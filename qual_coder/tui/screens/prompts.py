"""Small modal dialogs: a one-line prompt, a memo editor, a yes/no question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea


class TextPrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(value=self.value, placeholder=self.placeholder, select_on_focus=False)

    def on_mount(self) -> None:
        # Typing replaces the old value; arrows keep it for editing.
        field = self.query_one(Input)
        field.focus()
        field.select_all() if hasattr(field, "select_all") else field.action_select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class MemoEditor(ModalScreen[str | None]):
    """Edit a memo, its target named in the title. ctrl+s saves (an empty memo removes
    it); escape leaves, asking first when the text was changed: typed words are never
    thrown away without a word. The keys stand on a line of their own, at every width."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "leave", "Cancel")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, soft_wrap=True, id="memo-text")
            yield Label("ctrl+s save · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_leave(self) -> None:
        typed = self.query_one(TextArea).text
        if typed == self.text:
            self.dismiss(None)
            return

        def answered(save: bool | None) -> None:
            self.dismiss(typed if save else None)

        self.app.push_screen(Confirm("Save the changes to this memo? (y save · n discard)"),
                             answered)


class Confirm(ModalScreen[bool]):
    BINDINGS = [Binding("y", "dismiss(True)", "Yes"), Binding("n,escape", "dismiss(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
