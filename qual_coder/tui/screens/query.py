"""Coding queries in the workbench (ctrl+k): type an expression (or @NAME for a saved
one), see the passages it finds with who said them; Enter opens one in the reading view."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...core.text import plural
from ...core.text import visible as shown_text
from ...errors import QualCoderError
from ...services.query import answer_query, saved_queries
from .search import HitList

HINT = ("codes joined by AND, OR, NOT, NEAR/n, SAME TURN, FOLLOWED BY and ( ); =key: the "
        "code alone; @name: a saved query")


class QueryScreen(HitList):
    """A coding query's passages; the chosen passage."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Label("Coding query: where codes meet (Enter runs it)", classes="dialog-title")
            yield Input(value=self.words, placeholder=HINT, id="query-expression")
            saved = ", ".join("@" + q["name"] for q in saved_queries(self.project))
            yield Label(f"saved: {shown_text(saved)}" if saved else HINT, id="query-count")
            yield OptionList(id="query-hits")

    def _run(self, expression: str) -> None:
        count = self.query_one("#query-count", Label)
        options = self.query_one(OptionList)
        options.clear_options()
        self.hits = []
        if not expression.strip():
            count.update(HINT)
            return
        try:
            self.hits = answer_query(self.project, expression).quotes
        except QualCoderError as err:
            count.update(Text(shown_text(str(err)), style="bold red"))
            return
        for i, q in enumerate(self.hits):
            text = Text(shown_text(q.as_said()))
            text.append(f"\n{shown_text(q.attribution or 'unattributed')} · "
                        f"{shown_text(q.transcript)} · {', '.join(q.codes)}",
                        style="dim italic")
            options.add_option(Option(text, id=str(i)))
        people = {p for q in self.hits for p in q.participants}
        count.update(f"{plural(len(self.hits), 'passage')}, "
                     f"{plural(len(people), 'participant')}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        q = self.hits[int(event.option.id or 0)]
        self.dismiss((q.transcript_id, q.start, q.end))
