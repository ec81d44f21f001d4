"""Analysis screens: the theme matrix, the framework chart and quotes by theme.

Each computes with qual_coder.analysis (pandas) and shows the result; Enter goes
one step closer to the words: a matrix cell to its quotes, a quote to its place in
the transcript, a framework cell to its summary beside its excerpts."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ... import services
from ...core.text import plural, visible
from ...core.transcripts import NOT_RECORDED
from ...errors import QualCoderError
from ...services import reading
from ...services.analyses import (
    MEASURES,
    TOTAL,
    FrameworkMatrix,
    Matrix,
    Quote,
    coders_in,
    find_quotes,
    framework_matrix,
    frequency_matrix,
)
from ...services.framework import set_summary
from ..messages import OpenTranscript

COLUMNS = ("stakeholder_type", "role", "site", "kind", "participant", "transcript")
ALL_CODERS, BY_CODER = "\x00all", "\x00by"  # not a coder's name


def own_attributes(project) -> list[str]:
    """The attributes users gave participants and transcripts, for matrix columns."""
    from ...services.transcripts import attribute_tables

    tables = attribute_tables(project)
    fixed = {"name", "stakeholder_type", "role", "transcripts", "site", "kind", "date"}
    return sorted({k for rows in tables.values() for row in rows for k in row} - fixed)


def show_in_workbench(app, transcript_id: int, start: int, end: int) -> None:
    """Close the screens above the workbench and show the span there, selected."""
    from .workbench import WorkbenchScreen

    stack = app.screen_stack
    workbench = next(s for s in stack if isinstance(s, WorkbenchScreen))
    for _ in range(len(stack) - stack.index(workbench) - 1):
        app.pop_screen()
    workbench.post_message(OpenTranscript(transcript_id, start, end))


def heat(value: float, top: float) -> str:
    """A background from dark to bright for 0..top (the heat shading of a cell)."""
    if top <= 0 or value <= 0:
        return ""
    level = min(value / top, 1.0)
    return f"on rgb({int(20 + 40 * level)},{int(40 + 110 * level)},{int(60 + 140 * level)})"


class MatrixScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back"),
                Binding("enter", "quotes", "Quotes of the cell", show=True)]

    def __init__(self, project, codebook: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.codebook = codebook
        self.matrix: Matrix | None = None
        self._order: list[str] = []  # the matrix's columns as shown (totals first)

    def compose(self) -> ComposeResult:
        books = [(b["name"], b["key"]) for b in reading.codebooks(self.project)]
        with Horizontal(id="matrix-controls"):
            yield Select([(c.replace("_", " "), c) for c in COLUMNS]
                         + [(f"{c} (attribute)", c) for c in own_attributes(self.project)],
                         value="stakeholder_type",
                         allow_blank=False, id="matrix-cols")
            yield Select([(m, m) for m in MEASURES], value="excerpts", allow_blank=False,
                         id="matrix-measure")
            yield Select(books, prompt="all codebooks", id="matrix-codebook")
            yield Select([("all coders, each passage once", ALL_CODERS),
                          ("coders side by side", BY_CODER)]
                         + [(f"only {c}", c) for c in coders_in(self.project)],
                         value=ALL_CODERS, allow_blank=False, id="matrix-coders")
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=False)
        yield Static(id="matrix-note")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_matrix()
        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_matrix()

    def refresh_matrix(self) -> None:
        """Counted on a worker thread (its own connection): a big project takes seconds,
        and the screen keeps answering meanwhile."""
        cols = str(self.query_one("#matrix-cols", Select).value)
        measure = str(self.query_one("#matrix-measure", Select).value)
        book = self.query_one("#matrix-codebook", Select).value
        book = book if isinstance(book, str) else None  # the blank choice: every codebook
        who = str(self.query_one("#matrix-coders", Select).value)
        path = self.project.path
        self.query_one("#matrix-note", Static).update("Counting…")

        def work() -> None:
            from ...storage import open_project

            try:
                with open_project(path) as own:
                    m = frequency_matrix(
                        own, cols, measure, book,
                        coders=None if who in (ALL_CODERS, BY_CODER) else [who],
                        by_coder=who == BY_CODER)
            except QualCoderError as err:
                self.app.call_from_thread(self.notify, str(err), severity="error")
                return
            self.app.call_from_thread(self._show_matrix, m, cols, measure)

        self.run_worker(work, thread=True, group="matrix", exclusive=True)

    def _show_matrix(self, m, cols: str, measure: str) -> None:
        self.matrix = m
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # The names' width, set: measured from rows added later, it came out as the
        # header's four letters when the worker's rows arrived after the first layout.
        # The code's name and the Total stay in view on a narrow screen (fixed columns);
        # the values scroll beside them. The name column is as wide as the room allows.
        width = self.app.size.width
        table.add_column("code", key="code", width=min(
            48 if width >= 100 else 26, max((len(n) for n in m.row_names), default=4)))
        order = [c for c in m.cols if c.endswith(TOTAL)] + [c for c in m.cols
                                                           if not c.endswith(TOTAL)]
        label = dict(zip(m.cols, m.col_names, strict=True))
        for c in order:
            table.add_column(visible(label[c]), key=c)
        table.fixed_columns = 1 + sum(1 for c in order if c.endswith(TOTAL))
        self._order = order
        inner = m.frame.drop(index=TOTAL, columns=[c for c in m.cols if c.endswith(TOTAL)])
        top = float(inner.to_numpy().max()) if inner.size else 0.0
        for key, name in zip(m.rows, m.row_names):
            cells = [Text(visible(name[:48]), style="bold" if key == TOTAL else "")]
            for c in order:
                v = m.frame.loc[key, c]
                shown = f"{v:.1f}" if measure == "percent" else f"{int(v)}"
                style = "bold" if key == TOTAL or c.endswith(TOTAL) else heat(float(v), top)
                cells.append(Text(shown, style=style, justify="right"))
            table.add_row(*cells, key=key)
        self.query_one("#matrix-note", Static).update(
            f"{measure} by {cols}; {m.counting}; interviewers excluded; parents include "
            "their children. Enter: the quotes behind a cell · esc: back")

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_quotes()

    def action_quotes(self) -> None:
        table = self.query_one(DataTable)
        row, col = table.cursor_coordinate
        if self.matrix is None or col == 0:
            return
        code = self.matrix.rows[row]
        value = self._order[col - 1]
        if code == TOTAL:
            return
        who = str(self.query_one("#matrix-coders", Select).value)
        coders = None if who in (ALL_CODERS, BY_CODER) else [who]
        if who == BY_CODER:
            coder, _, value = value.partition(": ")
            coders = [coder]
        cols = str(self.query_one("#matrix-cols", Select).value)
        where = {} if value in (TOTAL, NOT_RECORDED) or cols == "transcript" else {cols: value}
        self.app.push_screen(QuotesScreen(self.project, [code], where, coders))


class QuotesScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"),
                Binding("ctrl+f", "focus_search", "Search", show=True),
                Binding("ctrl+y", "copy", "Copy quote", show=True),
                Binding("ctrl+s", "export", "Export", show=True)]

    def __init__(self, project, codes: list[str], where: dict[str, str] | None = None,
                 coders: list[str] | None = None) -> None:
        super().__init__()
        self.project = project
        self.codes = codes
        self.coders = coders
        self.where = where or {}
        self._base_where = dict(self.where)
        self.quotes: list[Quote] = []

    def compose(self) -> ComposeResult:
        title = ", ".join(self.codes) + "".join(f"  {k}={v}" for k, v in self.where.items())
        yield Label(Text(f"Quotes: {title}", style="bold"), id="quotes-title")
        yield Input(placeholder="words to search; filter with type: site: role: kind:  (Enter)",
                    id="quotes-search")
        yield OptionList(id="quotes-list")
        yield Footer()

    def on_mount(self) -> None:
        self.load("")
        self.query_one(OptionList).focus()

    def load(self, search: str) -> None:
        try:
            self.quotes = find_quotes(self.project, self.codes, "any", self.where,
                                      search or None, coders=self.coders)
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return
        options = self.query_one(OptionList)
        options.clear_options()
        for i, q in enumerate(self.quotes):
            text = Text(visible(f"‘{' '.join(q.text.split())}’"))
            text.append(visible(f"\n({q.attribution}) · {q.transcript}"), style="dim italic")
            options.add_option(Option(text, id=str(i)))
        if self.quotes:
            options.highlighted = 0
        self.query_one("#quotes-title", Label).update(Text(
            f"{plural(len(self.quotes), 'quote')}: {', '.join(self.codes)}"
            + "".join(f"  {k}={v}" for k, v in self.where.items())
            + (f"  ‘{search}’" if search else ""), style="bold"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Words are searched; `type:` `site:` `role:` `kind:` `participant:` filter."""
        words, where = [], {}
        aliases = {"type": "stakeholder_type", "stakeholder_type": "stakeholder_type",
                   "site": "site", "role": "role", "kind": "kind", "participant": "participant"}
        for term in event.value.split():
            field, sep, value = term.partition(":")
            if sep and field.lower() in aliases and value:
                where[aliases[field.lower()]] = value.replace("_", " ") if field.lower() in (
                    "site", "role", "participant") else value
            else:
                words.append(term)
        self.where = {**self._base_where, **where}
        self.load(" ".join(words))
        self.query_one(OptionList).focus()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def _current(self):
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.quotes:
            return None
        return self.quotes[options.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        q = self.quotes[int(str(event.option.id))]
        show_in_workbench(self.app, q.transcript_id, q.start, q.end)

    def action_copy(self) -> None:
        q = self._current()
        if q is not None:
            self.app.copy_to_clipboard(q.formatted())
            self.notify("Quote copied")

    def action_export(self) -> None:
        from .. import served as in_browser
        from .prompts import TextPrompt

        served = in_browser()

        def save(name: str | None) -> None:
            if not name:
                return
            out = Path(name).expanduser()
            if served:  # the browser downloads it; nothing is left on the server
                if out.name in ("", ".", ".."):
                    self.notify("Give the file a name, e.g. quotes.md", severity="error")
                    return
                self._download(out.name)
                return
            if not out.is_absolute():  # beside the project, and said in full
                out = self.project.path.parent / out
            if self._write(out):
                self.notify(f"Wrote {out.resolve()}", timeout=10)

        folder = self.project.path.parent
        where = "download" if served else f"a plain name goes in {folder}"
        self.app.push_screen(TextPrompt(f"Export quotes to (.md .csv .docx .json; {where})",
                                        f"quotes-{self.codes[0]}.md"), save)

    def _write(self, out: Path) -> bool:
        from ...reports.quotes import write_quotes

        try:
            write_quotes(self.quotes, out.suffix.lower().lstrip(".") or "md", out,
                         ", ".join(self.codes))
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return False
        return True

    def _download(self, name: str) -> None:
        """Write the export in a private temporary folder and hand it to the browser
        (textual-serve's delivery), then remove the folder."""
        import io
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / name
            if not self._write(out):
                return
            data = out.read_bytes()
        self.app.deliver_binary(io.BytesIO(data), save_filename=name)
        self.notify(f"Sent {name} to your browser ({len(data):,} bytes)", timeout=10)


class SummaryEditor(ModalScreen[str | None]):
    """Write a framework cell's summary beside the excerpts it summarises."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, excerpts: list[str], summary: str) -> None:
        super().__init__()
        self.title_text, self.excerpts, self.summary = title, excerpts, summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo"):
            yield Label(self.title_text + "   (ctrl+s save · esc cancel)", classes="dialog-title")
            with VerticalScroll(id="summary-excerpts"):
                yield Static("\n\n".join(self.excerpts) or "(no excerpts)")
            yield TextArea(self.summary, soft_wrap=True, id="summary-text")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class FrameworkScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back"),
                Binding("enter", "edit", "Summarise cell", show=True),
                Binding("o", "open_excerpt", "Excerpt in context", show=True),
                Binding("g", "group", "Group by type", show=True),
                Binding("c", "cycle_cases", "Cases", show=True)]

    def __init__(self, project, theme: str) -> None:
        super().__init__()
        self.project = project
        self.theme = theme
        self.cases = "participant"
        self.group_by: str | None = None
        self.chart: FrameworkMatrix | None = None

    def compose(self) -> ComposeResult:
        yield Label(id="framework-title")
        yield DataTable(id="framework-table", cursor_type="cell")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_chart()
        self.query_one(DataTable).focus()

    def refresh_chart(self) -> None:
        """Charted on a worker thread (its own connection), the screen answering meanwhile."""
        path, theme, cases, group_by = self.project.path, self.theme, self.cases, self.group_by
        self.query_one("#framework-title", Label).update("Charting…")

        def work() -> None:
            from ...storage import open_project

            try:
                with open_project(path) as own:
                    chart = framework_matrix(own, theme, cases, group_by)
            except QualCoderError as err:
                self.app.call_from_thread(self.notify, str(err), severity="error")
                return
            self.app.call_from_thread(self._show_chart, chart)

        self.run_worker(work, thread=True, group="framework", exclusive=True)

    def _show_chart(self, chart) -> None:
        self.chart = chart
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        # The case names' width outright: measured from rows added after the first layout,
        # it sometimes came out as the header's ("Sarah Whitf", seen in a snapshot run).
        table.add_column(self.cases, width=min(32, max(
            [len(str(case)) for case in chart.frame.index] + [len(self.cases)])))
        for col in chart.frame.columns:
            table.add_column(visible(str(col).replace("_", " ")), width=14 if col in (
                "stakeholder_type", "role", "site", "kind", "date") else 44)
        table.fixed_columns = 1  # the case stays in view while the codes scroll past
        for case in chart.frame.index:
            row = [Text(visible(str(case)), style="bold")]
            for col in chart.frame.columns:
                value = chart.frame.loc[case, col]
                text = "" if value != value or value is None else str(value)
                code = next((k for k, n in zip(chart.codes, chart.frame.columns[-len(
                    chart.codes):]) if n == col), None)
                summarised = code is not None and (case, code) in chart.summaries
                row.append(Text(visible(text.split("\n")[0][:120]),
                                style="green" if summarised else
                                "" if code is None else "dim", overflow="ellipsis",
                                no_wrap=True))
            table.add_row(*row)
        table.cursor_coordinate = keep
        self.query_one("#framework-title", Label).update(Text(
            f"Framework: {chart.theme_name} · cases: {self.cases}"
            + (f" · grouped by {self.group_by}" if self.group_by else "")
            + "   (green: summarised; dim: excerpts until you summarise)", style="bold"))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit()

    def _cell(self):
        table = self.query_one(DataTable)
        row, col = table.cursor_coordinate
        chart = self.chart
        if chart is None:  # still charting
            return None
        first_code_col = len(chart.frame.columns) - len(chart.codes) + 1
        if col < first_code_col:
            return None
        return chart.frame.index[row], chart.codes[col - first_code_col]

    def action_edit(self) -> None:
        cell = self._cell()
        if cell is None:
            return
        case, code = cell
        chart = self.chart
        if chart is None:  # _cell found one, so charting is done
            return
        texts = reading.transcript_texts(self.project)
        excerpts = [f"‘{' '.join(texts[f['transcript_id']][f['start']:f['end']].split())}’ — "
                    f"{f['transcript']}" for f in chart.links.get((case, code), [])]

        def save(text: str | None) -> None:
            if text is not None:
                set_summary(self.project, self.theme, self.cases, str(case), code, text,
                            services.default_coder(self.project))
                self.refresh_chart()

        self.app.push_screen(SummaryEditor(f"{case} × {code}", excerpts,
                                           chart.summaries.get((case, code), "")), save)

    def action_open_excerpt(self) -> None:
        """Jump to the cell's excerpt in its transcript (choose one when there are several)."""
        from .picker import Picker

        cell = self._cell()
        if cell is None or self.chart is None:
            return
        found = self.chart.links.get(cell, [])
        if not found:
            self.notify("No excerpts in this cell.")
            return

        def go(choice: str | None) -> None:
            if choice is None:
                return
            f = found[int(choice)]
            show_in_workbench(self.app, f["transcript_id"], f["start"], f["end"])

        if len(found) == 1:
            go("0")
        else:
            texts = reading.transcript_texts(self.project)
            self.app.push_screen(Picker("Which excerpt?", [
                (str(i), " ".join(texts[f["transcript_id"]][f["start"]:f["end"]].split())[:70],
                 f"{f['transcript']} turn {f['turn']}") for i, f in enumerate(found)]), go)

    def action_group(self) -> None:
        options = {"participant": "stakeholder_type", "transcript": "site", "site": None}
        self.group_by = None if self.group_by else options[self.cases]
        self.refresh_chart()

    def action_cycle_cases(self) -> None:
        order = ["participant", "transcript", "site"]
        self.cases = order[(order.index(self.cases) + 1) % 3]
        self.group_by = None
        self.refresh_chart()
