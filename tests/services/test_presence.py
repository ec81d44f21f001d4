"""Who is working on the project now: rows each workbench keeps fresh, read by the status
line and `qual-coder serve --status`; a process that died stops counting."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from qual_coder.services import presence
from qual_coder.storage import open_project

ANNOUNCE = """
import sys
from qual_coder.services import presence
from qual_coder.storage import open_project
with open_project(sys.argv[1]) as p:
    presence.announce(p, sys.argv[2], int(sys.argv[3]), served=True)
"""


def test_another_process_on_the_same_transcript_is_seen_and_ages_out(demo_path, run):
    with open_project(demo_path) as proj:
        tid = proj.conn.execute("SELECT MIN(id) FROM transcripts").fetchone()[0]
        other = proj.conn.execute("SELECT MAX(id) FROM transcripts").fetchone()[0]
    # ben's process announces itself and dies without saying goodbye
    subprocess.run([sys.executable, "-c", ANNOUNCE, str(demo_path), "ben", str(tid)], check=True)
    with open_project(demo_path) as proj:
        presence.announce(proj, "ana", tid, served=False)
        assert presence.others_on(proj, tid, "ana") == ["ben"]
        assert presence.others_on(proj, other, "ana") == []
        assert presence.others_on(proj, tid, "ben") == ["ana"]
    status = run("serve", demo_path, "--status").output
    assert "2 workbenches open" in status
    assert "ben" in status and "browser" in status and "terminal on" in status
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2 * presence.STALE)
    with open_project(demo_path) as proj:
        assert presence.active(proj, now=later) == []
        presence.announce(proj, "ana", tid, served=False)
        assert [p.coder for p in presence.active(proj)] == ["ana"]
        presence.leave(proj)
        assert presence.active(proj) == []
    assert "no one has a workbench open" in run("serve", demo_path, "--status").output


def test_a_beat_is_skipped_not_waited_for_while_another_program_writes(demo_path):
    """The workbench announces itself on the UI thread: while another process holds the
    write lock (a long import), announce returns at once instead of waiting."""
    import sqlite3
    import time

    other = sqlite3.connect(demo_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing
    try:
        with open_project(demo_path) as proj:
            began = time.monotonic()
            assert presence.announce(proj, "ana", None, served=False) is False
            assert time.monotonic() - began < 1.0
    finally:
        other.execute("ROLLBACK")
        other.close()
    with open_project(demo_path) as proj:
        assert presence.announce(proj, "ana", None, served=False) is True
        presence.leave(proj)
