"""The command palette (ctrl+p): every action of the workbench, searchable by name:
the screen's named actions, the reading view's and the codebook panel's keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import Hit, Hits, Provider

from .actions import ACTIONS
from .screens.help import key_text
from .widgets.codebook_panel import CodebookPanel
from .widgets.transcript_view import TranscriptView


def palette_entries(screen) -> Iterator[tuple[str, str, Callable]]:
    """(text, group, callback) for every action the user can run."""
    for a in ACTIONS:
        yield (f"{a.description}  [{key_text(a.keys.split(',')[0])}]", a.group,
               partial(screen.run_action, a.action))
    for b in TranscriptView.BINDINGS:
        yield (f"{b.description}  [{key_text(b.key.split(',')[0])}]", "Reading",
               partial(screen.reader.run_action, b.action))
    for b in CodebookPanel.BINDINGS:
        yield (f"Codebook: {b.description}  [{key_text(b.key)}]", "Codebook",
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
