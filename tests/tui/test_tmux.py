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
        assert "eastbridge_camhs_lea" in screen  # the list shows names shortened
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


def _words(demo_path) -> set[str]:
    import re

    with open_project(demo_path) as project:
        texts = [t for t, in project.conn.execute("SELECT text FROM transcripts")]
        texts += [n for n, in project.conn.execute("SELECT name FROM participants")]
    return {w.casefold() for t in texts for w in re.findall(r"[\w'’\-]+", t)}


def _reader_lines(screen: str) -> list[str]:
    """The reading view's lines: from the column its first speaker header starts at to
    the next panel border."""
    lines = screen.splitlines()[1:-2]  # not the title, the status line or the footer
    at = next((line.index("Interviewer ·") for line in lines if "Interviewer ·" in line), None)
    assert at is not None, f"no reading view on the screen:\n{screen}"
    out = []
    for line in lines:
        part = line[at - 5:] if len(line) > at else ""
        stops = [i for i, ch in enumerate(part) if ch in "│╭╰▕▏"]
        out.append(part[:stops[0]] if stops else part)
    return out


def alive(session: str) -> bool:
    return subprocess.run(["tmux", "has-session", "-t", session],
                          capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_user_session_at_every_size(demo_path, size):
    """Press what a user presses, read what the screen shows: the palette runs an entry,
    a transcript opens from the list, a sentence is coded, the project is searched,
    every F-key screen opens and closes, and the app quits cleanly."""
    import re

    vocabulary = _words(demo_path)
    session = f"qc-{uuid.uuid4().hex[:8]}"
    command = (f"env -u COLUMNS -u LINES QUAL_CODER_CODER=tmuxer TERM=xterm-256color "
               f"{QUAL_CODER} {demo_path}; sleep 5")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(size[0]), "-y",
                    str(size[1]), command], check=True)
    try:
        screen = wait_for(session, "Codebook")
        time.sleep(0.5)
        screen = capture(session)
        # the reading view never ends a line inside a word
        for line in _reader_lines(screen):
            tail = re.findall(r"[\w'’\-]+", line)
            if tail:
                assert tail[-1].casefold() in vocabulary, f"cut word {tail[-1]!r} in {line!r}"
        # the command palette opens and runs an entry
        keys(session, "C-p")
        wait_for(session, "Search for commands")
        keys(session, "h", "e", "l", "p", ":", " ", "e", "v", "e", "r", "y")
        time.sleep(0.5)
        keys(session, "Enter")
        wait_for(session, "Reading and selecting")
        keys(session, "Escape")
        # a transcript from the list, filtered by the words the list shows
        keys(session, "C-t")
        wait_for(session, "Transcripts")
        time.sleep(0.5)
        keys(session, "k", "i", "n", "d", ":", "g", "r", "o", "u", "p")
        wait_for(session, "kind:group")
        keys(session, "Enter", "Enter")
        wait_for(session, "focus_g")
        # code a sentence
        keys(session, "}", "}", "v", "c")
        wait_for(session, "Code the selection")
        keys(session, "r", "e", "f", "e", "r", "r", "a", "l", "Enter")
        time.sleep(0.5)
        # search the whole project, open the hit
        keys(session, "C-f")
        wait_for(session, "Search the project")
        keys(session, "f", "o", "l", "d", "e", "r", "Enter")
        wait_for(session, "turns")
        keys(session, "Enter")
        time.sleep(0.5)
        assert "Search the project" not in capture(session)
        # every F-key screen opens, shows itself, and goes back
        keys(session, "C-b")
        for key, shows in [("F2", "Enter edits a cell"), ("F5", "by stakeholder"),
                           ("F8", "Bonferroni"),  # a long domain title wraps, is not cut
                           ("F9", "Survey summary"), ("F10", "Joint display"),
                           ("F3", "candidate"), ("F4", "ana"), ("F7", "quotes"),
                           ("F6", "")]:
            keys(session, key)
            if shows:
                wait_for(session, shows, timeout=30)
            time.sleep(0.5)
            assert alive(session), f"the app died on {key}"
            keys(session, "Escape")
            time.sleep(0.3)
            wait_for(session, "Codebook")
        keys(session, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "EXIT" not in capture(session):
            if not alive(session):
                break
            time.sleep(0.2)
        assert "Traceback" not in capture(session) if alive(session) else True
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    with open_project(demo_path) as project:
        coded = project.conn.execute(
            "SELECT COUNT(*) FROM codings WHERE coder = 'tmuxer'").fetchone()[0]
    assert coded == 1
