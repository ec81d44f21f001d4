"""Every excerpt of the highlighted code across the project, attributed as reports
quote them, one key (Enter) from its place in the transcript."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...services.reading import Excerpt
from ..messages import OpenTranscript


class RetrievalPanel(OptionList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.excerpts: list[Excerpt] = []

    def show(self, code_name: str | None, excerpts: list[Excerpt]) -> None:
        self.excerpts = excerpts
        self.clear_options()
        self.border_title = f"{code_name} · {len(excerpts)}" if code_name else "Excerpts"
        for i, e in enumerate(excerpts):
            text = Text(f"‘{' '.join(e.text.split())}’", style="italic")
            where = ", ".join(x for x in (e.role, e.site) if x)
            text.append(f"\n({where}) · {e.transcript} · {e.coder}", style="dim")
            self.add_option(Option(text, id=str(i)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        e = self.excerpts[int(str(event.option.id))]
        self.post_message(OpenTranscript(e.transcript_id, e.start, e.end))
