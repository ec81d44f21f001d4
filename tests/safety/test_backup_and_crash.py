"""Nothing lost: backups while a writer is busy, SIGKILL mid-coding, concurrent writers."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from bisect import bisect_right

from qual_coder import services
from qual_coder.storage import open_project
from qual_coder.storage.backup_files import backup_dir, restore, rotate

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


def covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Is [start, end) inside one of the codings? `spans` sorted and non-overlapping (one
    coder's codings of one code never overlap: they merge)."""
    i = bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def code_then_kill(path, tid: int, coder: str, seconds: float, spacing: int = 37,
                   n: int = 100_000) -> list[int]:
    """Run a coding process, SIGKILL it after `seconds`, return the starts of the spans it
    acknowledged (printed after each commit), including lines written just before death."""
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(tid), str(n), coder,
                             str(spacing)], stdout=subprocess.PIPE, text=True)
    return [int(x.split()[1]) for x in read_then_kill(proc, seconds)]


def read_then_kill(proc, seconds: float) -> list[str]:
    """The whole `a b` lines `proc` printed in `seconds`, then SIGKILL it; lines written
    just before death count, a line cut off by the kill was never fully acknowledged."""
    lines = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([proc.stdout], [], [], left)
        line = proc.stdout.readline() if ready else ""
        if not line:
            break
        lines.append(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    lines += proc.stdout.read().splitlines(keepends=True)
    return [x for x in lines if x.endswith("\n") and len(x.split()) == 2]


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


def test_automatic_backups_leave_the_trained_model_out(demo_warm_path, tmp_path, run):
    def models_and_codings(path):
        with open_project(path) as p:
            return [p.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                    for t in ("nlp_models", "codings")]

    assert run("suggest", demo_warm_path, "kelsey_vale_ep_interview").exit_code == 0
    models, codings = models_and_codings(demo_warm_path)
    assert models == 1  # trained on the way, kept in the project
    made = rotate(demo_warm_path, keep=3)
    assert models_and_codings(made) == [0, codings]
    # most of the demo's bytes were the model: each automatic copy is the smaller for it
    assert made.stat().st_size < 0.7 * demo_warm_path.stat().st_size
    # an explicit backup is the whole project
    whole = tmp_path / "whole.db"
    assert run("backup", demo_warm_path, whole).exit_code == 0
    assert models_and_codings(whole) == [1, codings]
    # restored from an automatic backup, the project suggests again, training on the way
    restore(demo_warm_path, made, force=True)
    result = run("suggest", demo_warm_path, "kelsey_vale_ep_interview", "--json")
    assert result.exit_code == 0 and '"engine": "model"' in result.output
    assert models_and_codings(demo_warm_path) == [1, codings]


def test_sigkill_mid_coding_loses_nothing_acknowledged(demo_path):
    tid = _transcript(demo_path)
    rng = random.Random(9)
    acknowledged: list[int] = []  # starts of spans the worker reported as committed
    kills = 12
    for _ in range(kills):
        acknowledged += code_then_kill(demo_path, tid, "killer", rng.uniform(0.3, 1.2), n=400)
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


async def test_the_workbench_backs_up_after_its_first_screen_and_a_served_one_does_not(
        demo_path, monkeypatch):
    from qual_coder.tui.app import make_app

    app = make_app(demo_path, auto_backup=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen is not None  # the first screen does not wait for the copy
        await app.workers.wait_for_complete()
        await pilot.pause()
    app.project.close()
    assert len(list(backup_dir(demo_path).glob("*.db"))) == 1
    monkeypatch.setenv("QUAL_CODER_SERVED", "1")
    app = make_app(demo_path, auto_backup=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    app.project.close()
    assert len(list(backup_dir(demo_path).glob("*.db"))) == 1  # the server took its own
