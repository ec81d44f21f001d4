"""Thematic saturation in the workbench (ctrl+n): each transcript's new codes in interview
order, the runs' new-information ratios and the statement; s switches to the same by
stakeholder type."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...core.text import visible
from ...reports.tables import format_saturation
from ...services.analyses import saturation


class SaturationScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Back"),
                Binding("s", "toggle_by", "By stakeholder type")]

    def __init__(self, project: Any) -> None:
        super().__init__()
        self.project = project
        self.by: str | None = None
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Label("Thematic saturation (Guest, Namey & Chen 2020): base 4, run 2, 5% "
                        "· s: by stakeholder type · Esc: back", classes="dialog-title")
            with VerticalScroll():
                yield Static(id="saturation-text")

    def on_mount(self) -> None:
        self.call_after_refresh(self._show)  # once laid out: the table fits the dialog

    def action_toggle_by(self) -> None:
        self.by = None if self.by else "stakeholder_type"
        self._show()

    def _show(self) -> None:
        self.results = saturation(self.project, by=self.by)
        text = self.query_one("#saturation-text", Static)
        room = text.size.width - 2  # the scroll bar, once the table is longer than the view
        text.update(Text(visible(format_saturation(self.results,
                                                   width=room if room > 20 else None))))
