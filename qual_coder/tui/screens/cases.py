"""Participants and transcripts, and their attributes, edited in the workbench (F2):
a participant's stakeholder type and role, a transcript's site and kind, and anyone's
own attributes. Each change is saved at once, like everything in the workbench."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from ...errors import QualCoderError
from ...services.transcripts import (
    attribute_tables,
    rename_transcript,
    set_attributes,
    set_participant,
    stakeholder_type_choices,
)
from .picker import Picker
from .prompts import TextPrompt

FIXED = {"participants": ("name", "stakeholder_type", "role", "transcripts"),
         "transcripts": ("name", "site", "kind", "date")}


class CasesScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back"),
                Binding("e", "edit", "Edit the cell (or Enter)", show=True),
                Binding("a", "add_attribute", "Add an attribute", show=True),
                Binding("tab", "switch", "Participants / transcripts", show=True)]

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project
        self.scope = "participants"
        self.rows: list[dict] = []
        self.columns: list[str] = []

    def compose(self) -> ComposeResult:
        yield Label(id="cases-title")
        yield DataTable(id="cases-table", cursor_type="cell")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(DataTable).focus()

    def _show(self) -> None:
        data = attribute_tables(self.project)[self.scope]
        own = sorted({k for row in data for k in row} - set(FIXED[self.scope]))
        self.rows, self.columns = data, [*FIXED[self.scope], *own]
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        for col in self.columns:
            table.add_column(col.replace("_", " "), key=col)
        for row in data:
            table.add_row(*[str(row.get(c) or "") for c in self.columns])
        if data:
            table.cursor_coordinate = keep
        other = "transcripts" if self.scope == "participants" else "participants"
        self.query_one("#cases-title", Label).update(
            f"{self.scope.capitalize()} ({len(data)}): Enter edits a cell, a adds an "
            f"attribute, tab shows the {other}; saved as you go")

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit()

    def action_switch(self) -> None:
        self.scope = "transcripts" if self.scope == "participants" else "participants"
        self._show()

    def _current(self) -> tuple[dict, str] | None:
        row, col = self.query_one(DataTable).cursor_coordinate
        if not self.rows or row >= len(self.rows):
            return None
        return self.rows[row], self.columns[col]

    def _saver(self, owner: dict[str, Any], field: str,
               blank_clears: bool = True) -> Callable[[str | None], None]:
        """What a prompt calls with its answer: saved (trimmed) unless cancelled; an empty
        answer clears the field, or (a picker's, `blank_clears=False`) saves nothing."""
        def save(value: str | None) -> None:
            if value is not None and (value.strip() or blank_clears):
                self._save(owner, field, value.strip())
        return save

    def _save(self, owner: dict[str, Any], field: str, value: str) -> None:
        try:
            if self.scope == "participants" and field in ("name", "stakeholder_type", "role"):
                set_participant(self.project, owner["name"],
                                stakeholder_type=value if field == "stakeholder_type" else None,
                                role=value if field == "role" else None,
                                rename=value if field == "name" else None)
            elif self.scope == "transcripts" and field == "name":
                rename_transcript(self.project, owner["name"], value)
            else:
                scope = "participant" if self.scope == "participants" else "transcript"
                set_attributes(self.project, scope, owner["name"], {field: value})
        except QualCoderError as err:
            self.notify(str(err), severity="error", timeout=10)
            return
        self.notify(f"{owner['name']}: {field.replace('_', ' ')} = {value or '(cleared)'}")
        self._show()

    def action_edit(self) -> None:
        here = self._current()
        if here is None:
            return
        owner, field = here
        if field == "transcripts":
            return
        if field == "stakeholder_type":
            items = [(key, label, key) for key, label in stakeholder_type_choices(self.project)]
            self.app.push_screen(Picker(f"Stakeholder type of {owner['name']}", items),
                                 self._saver(owner, field, blank_clears=False))
            return
        if field == "kind":
            items = [("interview", "interview", ""), ("focus_group", "focus group", "")]
            self.app.push_screen(Picker(f"Kind of {owner['name']}", items),
                                 self._saver(owner, field, blank_clears=False))
            return
        self.app.push_screen(
            TextPrompt(f"{field.replace('_', ' ')} of {owner['name']} (empty clears it)",
                       str(owner.get(field) or "")),
            self._saver(owner, field))

    def action_add_attribute(self) -> None:
        here = self._current()
        if here is None:
            return
        owner, _ = here

        def added(text: str | None) -> None:
            if not text:
                return
            name, sep, value = text.partition("=")
            if not sep or not name.strip():
                self.notify("Write name=value, e.g. years_in_post=6", severity="warning")
                return
            self._save(owner, name.strip(), value.strip())

        self.app.push_screen(TextPrompt(f"New attribute of {owner['name']}: name=value",
                                        placeholder="years_in_post=6"), added)
