"""Nothing lost: backups while a writer is busy, SIGKILL mid-coding, concurrent writers."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time

from qual_coder import services
from qual_coder.storage import open_project
from qual_coder.storage.backup import backup_dir, restore, rotate

WORKER = r"""
import sys
from qual_coder import services
from qual_coder.storage import open_project
project = open_project(sys.argv[1])
tid = int(sys.argv[2]); n = int(sys.argv[3]); coder = sys.argv[4]
spacing = int(sys.argv[5]) if len(sys.argv) > 5 else 37
length = len(project.conn.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()[0])
for i in range(n):
    start = (i * spacing) % (length - 20)
    result = services.add_coding(project, tid, "clarity_roles", start, start + 10, coder=coder)
    # Acknowledged to the user only after the commit has returned (and only when the
    # call wrote something: a span already coded is not a new acknowledgement).
    if result.created:
        print(result.id, start, flush=True)
"""


def _transcript(path):
    with open_project(path) as p:
        return p.conn.execute("SELECT id FROM transcripts ORDER BY id LIMIT 1").fetchone()[0]


def test_backup_while_another_connection_writes_and_restore(demo_path, tmp_path, run):
    writer = open_project(demo_path)
    services.add_coding(writer, 1, "clarity_roles", 20, 40, coder="live")
    writer.conn.execute("BEGIN IMMEDIATE")  # the workbench mid-transaction
    writer.conn.execute("DELETE FROM codings")
    out = run("backup", demo_path, tmp_path / "copy.db")
    writer.conn.execute("ROLLBACK")
    assert out.exit_code == 0, out.output
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT COUNT(*) FROM codings WHERE coder = 'live'").fetchone()[0] == 1
    assert stat.S_IMODE(os.stat(tmp_path / "copy.db").st_mode) == 0o600
    writer.conn.execute("DELETE FROM codings")  # a disaster...
    writer.close()
    safety = restore(demo_path, tmp_path / "copy.db")  # ...undone
    with open_project(demo_path) as p:
        assert p.conn.execute("SELECT COUNT(*) FROM codings").fetchone()[0] > 150
    with open_project(safety) as p:
        assert p.conn.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 0


def test_automatic_backups_rotate(demo_path, run):
    for _ in range(4):
        rotate(demo_path, keep=3)
    assert len(list(backup_dir(demo_path).glob("*.db"))) == 3
    assert "keeps 0" in run("backup", demo_path, "--keep", "0").output
    with open_project(demo_path) as p:
        assert p.setting("backup.keep") == "0"


def test_sigkill_mid_coding_loses_nothing_acknowledged(demo_path):
    tid = _transcript(demo_path)
    rng = random.Random(9)
    acknowledged: list[int] = []  # starts of spans the worker reported as committed
    kills = 12
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", WORKER, str(demo_path), str(tid), "400",
                                 "killer"], stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + rng.uniform(0.3, 1.2)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            acknowledged.append(int(line.split()[1]))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Lines the worker wrote before it died were acknowledged too.
        acknowledged += [int(line.split()[1]) for line in proc.stdout.read().splitlines()
                         if line.strip()]
    assert len(acknowledged) > kills
    with open_project(demo_path) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        spans = p.conn.execute('SELECT start, "end" FROM codings WHERE coder = ? AND '
                               "transcript_id = ?", ["killer", tid]).fetchall()
    # Overlapping codings of one code by one coder merge, so the test asks for coverage:
    # every acknowledged span lies inside a stored coding.
    missing = [a for a in acknowledged if not any(s <= a and a + 10 <= e for s, e in spans)]
    assert missing == []


def test_four_writers_on_one_file_lose_nothing(demo_path):
    tid = _transcript(demo_path)
    with open_project(demo_path) as p:
        p.conn.execute("DELETE FROM codings WHERE transcript_id = ?", [tid])
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(demo_path), str(tid), "60",
                               f"writer{i}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for i in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outputs]
    with open_project(demo_path) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for i in range(4):
            n = p.conn.execute("SELECT COUNT(*) FROM codings WHERE coder = ?",
                               [f"writer{i}"]).fetchone()[0]
            acknowledged = len(outputs[i][0].split("\n")) - 1
            # 60 spans 37 characters apart never overlap: each is its own coding.
            assert acknowledged == 60 and n == 60
