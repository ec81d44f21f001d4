"""The Textual app: opens a project and shows the workbench. Kept small; the
screens and widgets do the work, the services do the writing."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App

from ..storage import Project, open_project
from . import session_key
from .screens.workbench import WorkbenchScreen


def terminal_prefers_light() -> bool:
    """COLORFGBG ("fg;bg", set by many terminals) tells a light background by a bg of
    7 or 15; QUAL_CODER_THEME=light|dark overrides it."""
    forced = os.environ.get("QUAL_CODER_THEME", "").lower()
    if forced in ("light", "dark"):
        return forced == "light"
    bg = os.environ.get("COLORFGBG", "").split(";")[-1]
    return bg in ("7", "15")


class QualCoderApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "qual-coder"

    def __init__(self, project: Project, auto_backup: bool = False) -> None:
        super().__init__()
        self.project = project
        self.auto_backup = auto_backup
        from ..services import default_coder

        saved = project.setting(session_key(default_coder(project), "theme"))
        self.theme = saved or ("textual-light" if terminal_prefers_light() else "textual-dark")

    def on_mount(self) -> None:
        self.push_screen(WorkbenchScreen(self.project))
        if self.auto_backup:  # after the first screen, off the UI thread
            keep = self.project.setting("backup.keep")  # read here: the connection is ours
            self.run_worker(lambda: self._backup(keep), thread=True, group="backup",
                            exit_on_error=False)
        if self.project.location_warning:
            self.notify(self.project.location_warning, title="Not a safe place for a project",
                        severity="warning", timeout=30)


    def _backup(self, keep: str | None) -> None:
        """The rotating backup (the project's `backup.keep`, default 5; 0 turns it off),
        taken by SQLite's online backup on a connection of its own while the coder works:
        the worker never touches the workbench's connection."""
        from ..services.backups import rotating_backup

        try:
            rotating_backup(self.project.path, keep)
        except Exception as err:  # a full disk must not stop the coding
            self.call_from_thread(self.notify, f"The automatic backup failed: {err}",
                                  severity="warning")


def make_app(path: str | Path, auto_backup: bool = False) -> QualCoderApp:
    """The factory the CLI and the tests share. With `auto_backup`, a rotating backup is
    taken once the first screen is up. A served workbench takes none: the server took one
    as it started, and twenty coders opening at once would take twenty."""
    from . import served

    project = open_project(path)
    return QualCoderApp(project, auto_backup=auto_backup and not served())


def run(path: str | Path) -> None:
    app = make_app(path, auto_backup=True)
    try:
        app.run()
    finally:
        app.project.close()
