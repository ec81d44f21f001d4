"""The quantitative strands in the workbench: CASCADE ratings with bar charts per
domain, the survey summary, and the joint display with quotes one key away."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from ...errors import QualCoderError
from ...services.analyses import alpha_sentence, apa_p


class CascadeScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project
        self.table: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        from ...services.analyses import cascade_table

        with VerticalScroll(id="cascade-scroll"):
            try:
                self.table = cascade_table(self.project)
            except QualCoderError as err:
                self.table = None
                yield Static(str(err))
                return
            # Static wraps a long title at any width; a Label would cut it at the edge.
            yield Static(Text("CASCADE ratings: % of areas at each level, per workshop",
                              style="bold"))
            for d in self.table["domains"]:
                w = d.get("wilcoxon", {})
                stat = (f"  Z = {w['z']:.2f}, {apa_p(w['p'])}"
                        + ("  (significant after Bonferroni)" if w.get("significant") else "")
                        if w.get("z") is not None else "")
                yield Static(Text(d["name"], style="bold cyan") + Text(stat, style="dim"),
                             classes="domain-title")
                yield PlotextPlot(classes="cascade-plot", id=f"plot-{d['key']}")
            yield Static(Text(alpha_sentence(self.table), style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        if self.table is None:
            return
        from textual_plotext import PlotextPlot

        short = ["Major", "Good elements", "Widespread", "Gold"]
        for d in self.table["domains"]:
            plot = self.query_one(f"#plot-{d['key']}", PlotextPlot)
            plt = plot.plt
            # plotext takes labels=; textual-plotext's typing says label=
            plt.multiple_bar(short, [[p or 0 for p in w["percent"]] for w in d["workshops"]],  # type: ignore[call-arg]
                             labels=[f"Workshop {w['label']} (n={w['n']})"
                                     for w in d["workshops"]])
            plt.ylim(0, 100)
            plt.ylabel("% of areas")


class SurveyScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        from ...services.analyses import format_summary, survey_summary

        try:
            text = format_summary(survey_summary(self.project))
        except QualCoderError as err:
            text = str(err)
        with VerticalScroll():
            yield Label(Text("Survey summary", style="bold"))
            yield Static(text, id="survey-text")
        yield Footer()


class JointScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back"),
                Binding("enter", "quotes", "Quotes of the linked codes", show=True)]

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project
        self.data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Label(Text("Joint display: ratings, survey and interviews per domain",
                         style="bold"))
        yield DataTable(id="joint-table", cursor_type="row")
        yield Static(id="joint-note")
        yield Footer()

    def on_mount(self) -> None:
        from ...services.analyses import triangulate

        table = self.query_one(DataTable)
        try:
            self.data = triangulate(self.project)
        except QualCoderError as err:
            self.query_one("#joint-note", Static).update(str(err))
            return
        first, last = self.data["workshops"][0], self.data["workshops"][-1]
        table.add_columns("Domain", f"Major challenge {first}→{last}", "Z", "p", "Survey",
                          "Excerpts (people)", "Strands")
        for r in self.data["rows"]:
            w = r["wilcoxon"]
            survey = "; ".join(f"{s['label']} Δ{s['mean_difference']:+.2f}"
                               for s in r["survey"]) or "–"
            table.add_row(
                r["name"][:40],
                " → ".join(f"{x['percent'][0]:.0f}%" for x in r["workshops"]),
                "" if w.get("z") is None else f"{w['z']:.2f}",
                "" if w.get("p") is None else apa_p(w["p"], with_p=False), survey,
                f"{r['excerpts']} ({r['participants']})",
                Text("; ".join(r["notes"]), style="bold red") if r["strands_disagree"]
                else Text("agree", style="green"), key=r["key"])
        self.query_one("#joint-note", Static).update(Text(
            f"Strands: {self.data['rule']}. Enter: the quotes of a domain's linked codes.",
            style="dim"))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_quotes()

    def action_quotes(self) -> None:
        from .analysis import QuotesScreen

        if not self.data:
            return
        row = self.data["rows"][self.query_one(DataTable).cursor_row]
        if row["linked_codes"]:
            self.app.push_screen(QuotesScreen(self.project, row["linked_codes"]))
