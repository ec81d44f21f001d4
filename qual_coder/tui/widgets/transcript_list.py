"""The transcript list: filter by words, site, kind and stakeholder type; shows
each transcript's coding progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..messages import OpenTranscript

FILTER_HELP = "filter: words site:… kind:… type:…"


def matches(t: dict, query: str) -> bool:
    """`site:north kind:focus type:school referral` - every term must match."""
    for term in query.lower().split():
        field, sep, value = term.partition(":")
        if not sep:
            shown = " ".join([t["name"], t["site"] or "", "group" if t["kind"] == "focus_group"
                              else "interview", *t["stakeholder_types"]]).lower()
            if term not in shown:
                return False
        elif field == "site":
            if not (t["site"] or "").lower().startswith(value):
                return False
        elif field == "kind":
            # the list says "group" and "interview": those words work, as do the keys
            kind = {"group": "focus_group", "focus": "focus_group", "fg": "focus_group"}.get(
                value, value.replace("-", "_"))
            if not t["kind"].startswith(kind):
                return False
        elif field in ("type", "stakeholder", "stakeholder_type"):
            if not any(s.startswith(value) for s in t["stakeholder_types"]):
                return False
    return True


LABEL_WIDTH = 21  # the list is 26 columns: borders, scrollbar and a cell to spare


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class TwoLines(Visual):
    """An entry of exactly two lines. The list measures every entry's height as it opens
    (by wrapping it: most of a second for 5,000 transcripts); these need no measuring."""

    def __init__(self, content: Content) -> None:
        self.content = content

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 2

    @property
    def plain(self) -> str:
        return self.content.plain


def label(t: dict) -> TwoLines:
    """Two lines that fit the list without wrapping: the name, then progress, site and
    kind ("group" or "interview", the words the filter takes)."""
    kind = "group" if t["kind"] == "focus_group" else "int"
    if t["progress"] is None:  # a big project's, still being counted
        bar = ("···   …  ", "dim")
    else:
        done = round(t["progress"] * 100)
        bar = (f"{'█' * (done // 34)}{'░' * (3 - done // 34)}{done:>3}% ",
               "$text-success" if done >= 80 else "$text-warning" if done else "dim")
    return TwoLines(Content.assemble(
        (_fit(t["name"], LABEL_WIDTH), "bold"), "\n", bar,
        (f"{_fit(t['site'] or '-', 8)} {kind}", "dim")))


class TranscriptList(Vertical):
    DEFAULT_CSS = """
    TranscriptList { height: 1fr; }
    TranscriptList Input { margin: 0; border: none; height: 1; padding: 0 1; }
    TranscriptList OptionList, TranscriptList OptionList:focus {
        height: 1fr; border: none; padding: 0;
    }
    TranscriptList Input:focus { border: none; background: $boost; }
    """

    def __init__(self, transcripts: list[dict], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.transcripts = transcripts

    def compose(self) -> ComposeResult:
        yield Input(placeholder=FILTER_HELP, id="transcript-filter", select_on_focus=False)
        yield OptionList(*self._options(""), id="transcript-options")

    def _options(self, query: str) -> list[Option]:
        return [Option(label(t), id=str(t["id"])) for t in self.transcripts if matches(t, query)]

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))

    def on_key(self, event) -> None:
        """Typing in the list types into the filter; up from the first entry goes there."""
        options = self.query_one(OptionList)
        if not options.has_focus:
            return
        field = self.query_one(Input)
        if event.is_printable and event.character and event.character.strip():
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()
        elif event.key == "up" and not options.highlighted:
            field.focus()
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(OpenTranscript(int(str(event.option.id))))

    def update(self, transcripts: list[dict]) -> None:
        self.transcripts = transcripts
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options(self.query_one(Input).value))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted

    def set_all_progress(self, progress: dict[int, float]) -> None:
        """Every entry's progress at once (a big project's, counted after the first
        screen): the list is drawn again once, not entry by entry."""
        for t in self.transcripts:
            if t["progress"] is None:
                t["progress"] = progress.get(t["id"], 0.0)
        self.update(self.transcripts)

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
