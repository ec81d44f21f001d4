"""Search the whole project (ctrl+f): the turns holding every word typed, across
transcripts, with speaker and site; Enter opens the transcript there."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...core.text import plural
from ...services.reading import search_project


class HitList(ModalScreen[tuple[int, int, int] | None]):
    """A line to type in and the hits it finds (Enter runs it, then the first hit has the
    cursor); dismisses with (transcript id, start, end) of the chosen hit, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, project: Any, words: str = "") -> None:
        super().__init__()
        self.project = project
        self.words = words
        self.hits: list[Any] = []

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.words:
            self._run(self.words)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._run(event.value)
        if self.hits:
            options = self.query_one(OptionList)
            options.highlighted = 0
            options.focus()

    def _run(self, words: str) -> None:
        raise NotImplementedError


class ProjectSearch(HitList):
    """The turns holding every word typed; the chosen hit's sentence."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Label("Search the project: every word, any transcript (Enter)",
                        classes="dialog-title")
            yield Input(value=self.words, placeholder="words…", id="search-words")
            yield Label("", id="search-count")
            yield OptionList(id="search-hits")

    def _run(self, words: str) -> None:
        self.hits = search_project(self.project, words) if words.strip() else []
        options = self.query_one(OptionList)
        options.clear_options()
        for i, h in enumerate(self.hits):
            who = h["participant"] or h["speaker"] or "no speaker"
            text = Text(h["text"])
            text.append(f"\n{who} · {h['transcript']}" + (f" · {h['site']}" if h["site"]
                                                          else ""), style="dim italic")
            options.add_option(Option(text, id=str(i)))
        count = len(self.hits)
        self.query_one("#search-count", Label).update(
            plural(count, "turn") + (" (the first 500)" if count >= 500 else "")
            if words.strip() else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        h = self.hits[int(event.option.id or 0)]
        self.dismiss((h["transcript_id"], h["at"], h["at_end"]))
