"""Agreement between coders and the disagreements to talk through, each coder's
version side by side; a key settles one (keep either version, keep both, merge)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Select, Static
from textual.widgets.option_list import Option

from ... import services
from ...core.text import plural
from ...errors import QualCoderError
from ...services import reading
from ...services.agreement import resolve
from ...services.analyses import UNITS, Cluster, agreement, disagreements
from .analysis import show_in_workbench


def coder_pairs(project) -> list[str]:
    """Coders with codings, those who share the most transcripts first."""
    return reading.coders_by_reach(project)


class AgreementScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("1", "keep(0)", "Keep left version", show=True),
        Binding("2", "keep(1)", "Keep right version", show=True),
        Binding("b", "settle('both')", "Keep both", show=True),
        Binding("m", "settle('merge')", "Merge", show=True),
        Binding("o,enter", "show", "In context", show=True),
        Binding("u", "undo", "Undo"),
    ]

    def __init__(self, project, active_coder: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.me = active_coder  # whose action settling is, and whose undo `u` takes back
        coders = coder_pairs(project)
        if active_coder in coders:
            coders.remove(active_coder)
            coders.insert(0, active_coder)
        self.coders = coders
        self.found: list[Cluster] = []

    def compose(self) -> ComposeResult:
        choices = [(c, c) for c in self.coders]
        with Horizontal(id="agreement-controls"):
            yield Select(choices, value=self.coders[0] if self.coders else Select.BLANK,
                         allow_blank=not self.coders, id="coder-a")
            yield Select(choices, value=self.coders[1] if len(self.coders) > 1 else Select.BLANK,
                         allow_blank=len(self.coders) < 2, id="coder-b")
            yield Select([(u, u) for u in UNITS], value="sentence", allow_blank=False,
                         id="agreement-unit")
        yield Static(id="agreement-summary")
        with Horizontal(id="agreement-body"):
            yield OptionList(id="disagreements")
            with Vertical(id="versions"):
                yield Static(id="version-a", classes="version")
                yield Static(id="version-b", classes="version")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one(OptionList).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_view()

    @property
    def pair(self) -> list[str]:
        a = self.query_one("#coder-a", Select).value
        b = self.query_one("#coder-b", Select).value
        return [str(a), str(b)] if isinstance(a, str) and isinstance(b, str) else []

    @property
    def unit(self) -> str:
        return str(self.query_one("#agreement-unit", Select).value)

    def refresh_view(self, keep_index: int = 0) -> None:
        summary = self.query_one("#agreement-summary", Static)
        listing = self.query_one(OptionList)
        listing.clear_options()
        self.found = []
        pair = self.pair
        if len(pair) < 2 or pair[0] == pair[1]:
            summary.update("Agreement needs two coders: code a transcript as a second coder "
                           "(ctrl+w switches the active coder) or merge a colleague's project.")
            self._show_versions()
            return
        try:
            result = agreement(self.project, pair, unit=self.unit)
            self.found = disagreements(self.project, pair, unit=self.unit)
        except QualCoderError as err:
            summary.update(str(err))
            self._show_versions()
            return
        o = result["overall"]

        def fmt(v, pct=False):
            return "–" if v is None else (f"{v:.1%}" if pct else f"{v:.2f}")

        summary.update(Text.assemble(
            (f"{pair[0]} vs {pair[1]}", "bold"), f" · per {self.unit} · "
            f"{plural(len(result['transcripts']), 'transcript')} · ",
            ("kappa ", "dim"), fmt(o["kappa"]), ("  alpha ", "dim"), fmt(o["alpha"]),
            ("  agreement ", "dim"), fmt(o["agreement"], True),
            ("  of coded text ", "dim"), fmt(o["coded_agreement"], True),
            f" · {len(self.found)} to discuss"))
        from ...services.reading import where_said

        listing.add_options([Option(Text.assemble(
            (c.code, "bold"), f"  {c.transcript}",
            (f" · {where_said(self.project, c.transcript_id, c.start)}", "dim")))
            for c in self.found])
        if self.found:
            listing.highlighted = min(keep_index, len(self.found) - 1)
        self._show_versions()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_versions()

    def _current(self):
        index = self.query_one(OptionList).highlighted
        return self.found[index] if index is not None and index < len(self.found) else None

    def _show_versions(self) -> None:
        cluster = self._current()
        panes = [self.query_one("#version-a", Static), self.query_one("#version-b", Static)]
        if cluster is None:
            for pane in panes:
                pane.update("")
            return
        text = reading.transcript_text(self.project, cluster.transcript_id)
        for n, (pane, coder) in enumerate(zip(panes, self.pair)):
            spans = cluster.versions.get(coder, [])
            shown = Text.assemble((f"{n + 1}  {coder}", "bold"), "\n")
            if not spans:
                shown.append("(not coded)", style="dim italic")
            # some context either side, cut at word boundaries
            lo = text.rfind(" ", 0, max(0, cluster.start - 80)) + 1
            hi = text.find(" ", min(len(text), cluster.end + 80))
            hi = len(text) if hi < 0 else hi
            if spans:
                cursor = lo
                for a, b in spans:
                    shown.append(text[cursor:a], style="dim")
                    shown.append(text[a:b], style="bold reverse")
                    cursor = b
                shown.append(text[cursor:hi], style="dim")
            pane.update(shown)

    def _settle(self, decision: str, keep: str | None = None) -> None:
        cluster = self._current()
        if cluster is None:
            return
        index = self.query_one(OptionList).highlighted or 0
        try:
            said = resolve(self.project, self.pair, cluster, decision, keep=keep, by=self.me)
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(said)
        self.refresh_view(index)

    def action_keep(self, which: int) -> None:
        if len(self.pair) == 2:
            self._settle("keep", self.pair[which])

    def action_settle(self, decision: str) -> None:
        self._settle(decision)

    def action_undo(self) -> None:
        try:
            done = services.undo(self.project, self.me)
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return
        if done:
            self.notify(f"Undid {done['label']}")
        self.refresh_view(self.query_one(OptionList).highlighted or 0)

    def action_show(self) -> None:
        cluster = self._current()
        if cluster is not None:
            show_in_workbench(self.app, cluster.transcript_id, cluster.start, cluster.end)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_show()
