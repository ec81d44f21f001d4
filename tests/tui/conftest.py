"""Workbench tests run the real app (Pilot) on a private copy of the demo project."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from qual_coder.tui.app import make_app


@pytest.fixture(autouse=True)
def stable_terminal(monkeypatch):
    # Snapshots must not depend on who runs them, the terminal's theme or a blinking cursor.
    monkeypatch.setenv("QUAL_CODER_CODER", "tester")
    monkeypatch.setenv("QUAL_CODER_THEME", "dark")
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def app(demo_path):
    application = make_app(demo_path)
    yield application
    application.project.close()
