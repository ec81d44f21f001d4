"""The real `qual-coder` in a real terminal (tmux): what a user types, what they see."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from qual_coder.storage import open_project

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
QUAL_CODER = Path(sys.executable).with_name("qual-coder")


def capture(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-pt", session], capture_output=True,
                          text=True).stdout


def wait_for(session: str, needle: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(session)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


def keys(session: str, *names: str) -> None:
    for name in names:
        subprocess.run(["tmux", "send-keys", "-t", session, name], check=True)
        time.sleep(0.15)


def test_code_a_sentence_in_a_real_terminal(demo_path):
    session = f"qc-{uuid.uuid4().hex[:8]}"
    with open_project(demo_path) as project:
        before = project.conn.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
    # COLUMNS/LINES from the test runner would pin the app to their size; let tmux decide.
    command = (f"env -u COLUMNS -u LINES QUAL_CODER_CODER=tmuxer TERM=xterm-256color "
               f"{QUAL_CODER} {demo_path}")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    command], check=True)
    try:
        # 120 columns: the transcript list is shown once the terminal has reported its size.
        screen = wait_for(session, "Transcripts")
        assert "eastbridge_camhs_lead_interview" in screen
        assert "CASCADE framework" in screen
        keys(session, "}", "}", "v", "c")
        wait_for(session, "Code the selection")
        keys(session, "r", "e", "f", "e", "r", "r", "a", "l", "Enter", "Left")
        # Back inside the coded sentence, the status line names the code at the cursor.
        wait_for(session, "Referral routes and GP routing (tmuxer)")
        keys(session, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and subprocess.run(
                ["tmux", "has-session", "-t", session], capture_output=True).returncode == 0:
            time.sleep(0.2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    with open_project(demo_path) as project:
        rows = project.conn.execute(
            "SELECT c.key, g.coder FROM codings g JOIN codes c ON c.id = g.code_id "
            "ORDER BY g.id DESC LIMIT 1").fetchall()
        after = project.conn.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
    assert after == before + 1
    assert rows == [("referral_routes", "tmuxer")]
