"""What the workbench's mixins (suggestion review, codebook operations) use of the screen
they are mixed into, named once for the type checker; at run time a plain object."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from ...services.reading import TranscriptDoc
    from ...storage import Project
    from ..widgets.codebook_panel import CodebookPanel
    from ..widgets.transcript_view import TranscriptView

    class WorkbenchState(Screen):
        project: Project
        doc: TranscriptDoc | None
        coder: str

        @property
        def reader(self) -> TranscriptView: ...
        @property
        def codebook(self) -> CodebookPanel: ...
        def _after_change(self, keys: list[str]) -> None: ...
        def _codings_changed(self, ids: list[int], keys: list[str]) -> None: ...
        def _reload_codebook(self, keep: str | None = None) -> None: ...
        def _mine(self, name: str) -> str: ...
else:
    WorkbenchState = object
