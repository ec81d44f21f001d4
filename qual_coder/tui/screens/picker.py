"""The fuzzy picker: type a few letters of a name or key, Enter to choose."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

NEW = "new:"


class Picker(ModalScreen[str | None]):
    """Choose one of `items` (id, label, detail). With `allow_new`, ctrl+n returns
    "new:<typed text>" so the caller can create an item from the query."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("ctrl+n", "new", "New from text", show=False),
    ]

    def __init__(self, title: str, items: list[tuple[str, str, str]],
                 allow_new: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.allow_new = allow_new

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield Input(placeholder="type to filter" + (" · ctrl+n: new code from text"
                                                        if self.allow_new else ""))
            yield OptionList(*self._options(""))

    def _options(self, query: str) -> list[Option]:
        if not query:
            return [Option(self._text(label, detail, None), id=ident)
                    for ident, label, detail in self.items]
        matcher = Matcher(query)
        scored = []
        for ident, label, detail in self.items:
            score = max(matcher.match(label), matcher.match(ident) * 0.9)
            if score > 0:
                scored.append((score, ident, label, detail))
        scored.sort(key=lambda s: -s[0])
        return [Option(self._text(label, detail, matcher), id=ident)
                for _, ident, label, detail in scored]

    @staticmethod
    def _text(label: str, detail: str, matcher: Matcher | None) -> Content:
        text = matcher.highlight(label) if matcher else Content(label)
        return text + Content.styled(f"  {detail}", "dim") if detail else text

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = min(max(current + delta, 0), options.option_count - 1)

    def on_input_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)
        elif self.allow_new:
            self.action_new()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_new(self) -> None:
        text = self.query_one(Input).value.strip()
        if self.allow_new and text:
            self.dismiss(NEW + text)
