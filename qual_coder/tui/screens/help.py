"""Every key, from the same tables that make the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..actions import ACTIONS
from ..widgets.codebook_panel import CodebookPanel
from ..widgets.transcript_view import TranscriptView

KEY_NAMES = {"question_mark": "?", "slash": "/", "full_stop": ".", "comma": ",",
             "right_parenthesis": ")", "left_parenthesis": "(", "right_curly_bracket": "}",
             "left_curly_bracket": "{", "right_square_bracket": "]",
             "left_square_bracket": "[", "delete": "del"}


def key_text(keys: str) -> str:
    """Keys as a person reads them: `>` not greater_than_sign, `?` not question_mark."""
    from textual.keys import key_to_character

    def one(key: str) -> str:
        if key in KEY_NAMES:
            return KEY_NAMES[key]
        modifiers, _, name = key.rpartition("+")
        shown = key_to_character(name) if len(name) > 1 else name
        return (modifiers + "+" if modifiers else "") + (shown or name.replace("_", " "))

    return " ".join(one(k) for k in keys.split(","))


def help_table() -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    group = None
    rows = [("Reading and selecting", b.key, b.description) for b in TranscriptView.BINDINGS
            if isinstance(b, Binding)]
    rows += [(a.group, a.keys, a.description) for a in ACTIONS if not a.action.startswith(
        "pinned(") or a.action == "pinned(1)"]
    rows += [("Codebook panel", b.key, b.description) for b in CodebookPanel.BINDINGS
             if isinstance(b, Binding)]
    for g, keys, desc in rows:
        if g != group:
            table.add_row(Text(f"\n{g}", style="bold underline"), "")
            group = g
        if keys == "1":
            keys, desc = "1 … 9", "Code with pinned code 1-9 (pin with p in the codebook)"
        table.add_row(key_text(keys), desc)
    table.add_row(Text("\nAnywhere", style="bold underline"), "")
    table.add_row("ctrl+p", "Command palette: every action by name")
    table.add_row("tab", "Next panel")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("qual-coder keys   (esc to close)", style="bold"))
            yield Static(help_table())
