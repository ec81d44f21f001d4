"""The transcript list: filter by words, site, kind and stakeholder type; shows
each transcript's coding progress."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..messages import OpenTranscript

FILTER_HELP = "filter: words site:… kind:… type:…"


def matches(t: dict, query: str) -> bool:
    """`site:north kind:focus type:school referral` - every term must match."""
    for term in query.lower().split():
        field, sep, value = term.partition(":")
        if not sep:
            if term not in t["name"].lower():
                return False
        elif field == "site":
            if not (t["site"] or "").lower().startswith(value):
                return False
        elif field == "kind":
            if not t["kind"].startswith(value.replace("-", "_")):
                return False
        elif field in ("type", "stakeholder", "stakeholder_type"):
            if not any(s.startswith(value) for s in t["stakeholder_types"]):
                return False
    return True


def label(t: dict) -> Text:
    done = round(t["progress"] * 100)
    bar = "█" * (done // 20) + "░" * (5 - done // 20)
    name = t["name"] if len(t["name"]) <= 32 else t["name"][:31] + "…"
    out = Text(name, style="bold", no_wrap=True, overflow="ellipsis")
    kind = "group" if t["kind"] == "focus_group" else "interview"
    out.append(f"\n{bar} {done:>3}% ", style="green" if done >= 80 else "yellow" if done
               else "dim")
    out.append(f"{(t['site'] or '-')[:12]} · {kind}", style="dim")
    return out


class TranscriptList(Vertical):
    DEFAULT_CSS = """
    TranscriptList { height: 1fr; }
    TranscriptList Input { margin: 0; border: none; height: 1; padding: 0 1; }
    TranscriptList OptionList { height: 1fr; border: none; padding: 0; }
    """

    def __init__(self, transcripts: list[dict], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.transcripts = transcripts

    def compose(self) -> ComposeResult:
        yield Input(placeholder=FILTER_HELP, id="transcript-filter")
        yield OptionList(*self._options(""), id="transcript-options")

    def _options(self, query: str) -> list[Option]:
        return [Option(label(t), id=str(t["id"])) for t in self.transcripts if matches(t, query)]

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(OpenTranscript(int(event.option.id)))

    def update(self, transcripts: list[dict]) -> None:
        self.transcripts = transcripts
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options(self.query_one(Input).value))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted

    def set_progress(self, transcript_id: int, progress: float) -> None:
        """Redraw one transcript's entry (not the whole list: it may hold hundreds)."""
        for t in self.transcripts:
            if t["id"] == transcript_id and t["progress"] != progress:
                t["progress"] = progress
                options = self.query_one(OptionList)
                try:
                    options.replace_option_prompt(str(transcript_id), label(t))
                except Exception:  # filtered out of view: nothing on screen to redraw
                    pass

    def mark_current(self, transcript_id: int) -> None:
        options = self.query_one(OptionList)
        for i in range(options.option_count):
            if options.get_option_at_index(i).id == str(transcript_id):
                options.highlighted = i
                break
