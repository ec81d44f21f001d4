"""Import with a preview (ctrl+o): each file's speakers as the importer reads them,
with turns, words, first words and how each label was recognised. Before anything
is written the reader can file a label under a participant (m), mark it "not a
speaker" (n), then import (i) as one transaction."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ... import services
from ...core.text import plural
from ...errors import QualCoderError
from .prompts import TextPrompt


def expand(typed: str) -> list[Path]:
    """Paths typed in the prompt: space separated, `~` and globs expanded."""
    out: list[Path] = []
    for word in typed.split():
        word = os.path.expanduser(word)
        matches = sorted(glob.glob(word)) if any(c in word for c in "*?[") else [word]
        out.extend(Path(m) for m in matches)
    return out


class ImportScreen(Screen):
    """Dismisses with the ImportReport, or None when nothing was imported."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Cancel"),
                Binding("m", "map", "File under participant", show=True),
                Binding("n", "not_speaker", "Not a speaker / is one", show=True),
                Binding("i,ctrl+s", "run_import", "Import", show=True)]

    def __init__(self, project, paths: list[Path]) -> None:
        super().__init__()
        self.project = project
        self.paths = paths
        self.speakers = services.SpeakerMap()
        self.rows: list[tuple[str, str]] = []  # (file, label) per table row

    def compose(self) -> ComposeResult:
        yield Static(id="import-title")
        yield DataTable(id="import-table", cursor_type="row")
        yield Static(id="import-notes")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("file", "label", "turns", "words", "participant", "role",
                      "first words", "how recognised"):
            table.add_column(label, key=label)
        self._show()
        table.focus()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows = []
        notes: list[str] = []
        files = services.preview_transcripts(self.paths, speakers=self.speakers)
        for f in files:
            name = Path(f["file"]).name
            if "error" in f:
                notes.append(f"✗ {f['error']}")
                continue
            for s in f["speakers"]:
                self.rows.append((f["file"], s["label"]))
                table.add_row(name, s["label"], Text(str(s["turns"]), justify="right"),
                              Text(f"{s['words']:,}", justify="right"), s["participant"],
                              s["role"] or "", s["first_words"], s["how"])
            for label in f["not_speakers"]:
                self.rows.append((f["file"], label))
                table.add_row(name, Text(label, style="dim"), "", "",
                              Text("not a speaker", style="dim italic"), "", "", "")
            notes += [f"! {line}" for line in f["missing"] + f["ambiguous"]]
        words = sum(f.get("words", 0) for f in files)
        self.query_one("#import-title", Static).update(
            f"Import preview: {plural(len(files), 'file')}, {plural(words, 'word')} spoken. "
            f"Nothing is "
            "written until you press i.")
        self.query_one("#import-notes", Static).update("\n".join(notes) or "Nothing ambiguous.")
        if self.rows:
            table.move_cursor(row=min(max(keep, 0), len(self.rows) - 1))

    def _label(self) -> str | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row][1] if self.rows and 0 <= row < len(self.rows) else None

    def action_map(self) -> None:
        label = self._label()
        if label is None:
            return

        def mapped(name: str | None) -> None:
            if name is None:
                return
            if name.strip():
                self.speakers.participants[label] = " ".join(name.split())
            else:
                self.speakers.participants.pop(label, None)
            self._show()

        self.app.push_screen(TextPrompt(f"Participant for '{label}' (empty: the default)",
                                        self.speakers.participants.get(label, label)), mapped)

    def action_not_speaker(self) -> None:
        label = self._label()
        if label is None:
            return
        self.speakers.not_speakers ^= {label}
        self._show()

    def action_run_import(self) -> None:
        try:
            report = services.import_transcripts(self.project, self.paths,
                                                 speakers=self.speakers)
        except QualCoderError as err:
            self.notify(str(err), severity="error", timeout=15)
            return
        self.dismiss(report)
