"""The command palette (ctrl+p): every action of the workbench, searchable by name:
the screen's named actions, the reading view's and the codebook panel's keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.binding import Binding
from textual.command import Hit, Hits, Provider

from .actions import ACTIONS
from .screens.help import key_text
from .widgets.codebook_panel import CodebookPanel
from .widgets.transcript_view import TranscriptView


def _entry(description: str, keys: str) -> str:
    # The palette reads its text as markup: a key shown as "[/]" would close a tag that
    # was never opened (and crash the palette), so keys follow a dot, not brackets.
    return f"{description}  ·  {key_text(keys)}"


def palette_entries(screen) -> Iterator[tuple[str, str, Callable]]:
    """(text, group, callback) for every action the user can run."""
    for a in ACTIONS:
        yield (_entry(a.description, a.keys.split(",")[0]), a.group,
               partial(screen.run_action, a.action))
    for b in TranscriptView.BINDINGS:
        if not isinstance(b, Binding):
            continue
        yield (_entry(b.description, b.key.split(",")[0]), "Reading",
               partial(screen.reader.run_action, b.action))
    for b in CodebookPanel.BINDINGS:
        if not isinstance(b, Binding):
            continue
        yield (_entry(f"Codebook: {b.description}", b.key), "Codebook",
               partial(screen.run_action, b.action.removeprefix("screen.")))


class WorkbenchCommands(Provider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, group, callback in palette_entries(self.screen):
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=group)

    async def discover(self) -> Hits:
        for text, group, callback in palette_entries(self.screen):
            yield Hit(1, text, callback, help=group)
