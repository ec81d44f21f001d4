"""Candidate new themes (F3): phrases over-used where no code covers the text yet,
with who said them and examples; Enter makes one an inductive code."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...core.codebook import slugify
from ...core.text import plural
from ...errors import QualCoderError
from ...services import reading
from ...services.analyses import Candidate
from ...services.suggest import code_from_candidate
from ...storage import open_project
from .analysis import show_in_workbench
from .prompts import TextPrompt


class DiscoverScreen(Screen):
    """Dismisses with the key of a code it made (or None)."""

    BINDINGS = [Binding("escape,q", "close", "Back"),
                Binding("enter", "make_code", "Make it a code", show=True),
                Binding("o", "show", "Example in context", show=True)]

    def __init__(self, project, coder: str) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.found: list[Candidate] = []
        self.made: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Looking for themes no code covers yet…", id="discover-note")
        with Horizontal(id="discover-body"):
            yield DataTable(id="discover-table", cursor_type="row")
            yield Static(id="discover-examples")
        yield Footer()

    COLUMNS = ("phrase", "keyness", "said", "people", "types")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in self.COLUMNS:
            table.add_column(label, key=label)
        path = self.project.path

        def work() -> None:
            from ...services.analyses import discover

            with open_project(path) as own:
                found = discover(own)
            self.app.call_from_thread(self._show, found)

        self.run_worker(work, thread=True, group="discover", exclusive=True)
        table.focus()

    def _show(self, found) -> None:
        self.found = found
        table = self.query_one(DataTable)
        # Widths set outright from the rows: measured before the worker's rows arrived
        # they could come out as the headers' (as F5's and F6's first columns did).
        table.clear(columns=True)
        rows = [(c.shown, f"{c.keyness:.1f}", str(c.frequency), str(c.participants),
                 str(c.stakeholder_types)) for c in found]
        for i, label in enumerate(self.COLUMNS):
            widest = max([len(r[i]) for r in rows] + [len(label)])
            table.add_column(label, key=label, width=min(40, widest))
        for phrase, *numbers in rows:
            table.add_row(phrase, *(Text(n, justify="right") for n in numbers))
        self.query_one("#discover-note", Static).update(
            f"{len(found)} candidate themes in the text no code covers, by keyness against "
            "the coded text (weighted by how rare the words are). Enter: make one a code.")
        self._examples()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._examples()

    def _current(self):
        row = self.query_one(DataTable).cursor_row
        return self.found[row] if self.found and 0 <= row < len(self.found) else None

    def _examples(self) -> None:
        c = self._current()
        pane = self.query_one("#discover-examples", Static)
        if c is None:
            pane.update("")
            return
        shown = Text(c.shown, style="bold")
        shown.append(f"\nsaid {plural(c.frequency, 'time')} by "
                     f"{plural(c.participants, 'participant')} "
                     f"({c.stakeholder_types} stakeholder types)\n", style="dim")
        for e in c.examples:
            shown.append(f"\n‘{' '.join(e['text'].split())}’\n", style="italic")
            shown.append(f"({e['speaker'] or '?'}, {e['transcript']})\n", style="dim")
        pane.update(shown)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_make_code()

    def action_make_code(self) -> None:
        c = self._current()
        if c is None:
            return

        def named(name: str | None) -> None:
            if not name or not name.strip():
                return
            try:
                made = code_from_candidate(self.project, c.shown, key=slugify(name)[:40],
                                           name=name.strip(), coder=self.coder)
            except QualCoderError as err:
                self.notify(str(err), severity="error")
                return
            self.made = made["key"]
            self.notify(f"New inductive code: {made['name']} (keyword '{c.shown}')")

        self.app.push_screen(TextPrompt("Name of the new inductive code",
                                        c.shown[:1].upper() + c.shown[1:]), named)

    def action_show(self) -> None:
        c = self._current()
        if c is not None and c.examples:
            e = c.examples[0]
            tid = reading.transcript_id(self.project, e["transcript"])
            if tid is None:  # renamed or deleted since discovery ran
                return
            show_in_workbench(self.app, tid, e["start"], e["end"])

    def action_close(self) -> None:
        self.dismiss(self.made)
