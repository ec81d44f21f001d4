"""Crash safety and concurrent writers, at the issue's scale.

    python bench/safety.py [--kills 200] [--writers 4] [--codings 1000] [--workbench-kills 200]

Kills a real coding process with SIGKILL at random moments and checks, after each, that
the project passes PRAGMA integrity_check and that every coding the process had
acknowledged (printed after its commit) is still covered; then runs several writer
processes on one file at once and counts what landed; then kills the real workbench
(tests/safety/workbench_worker.py: the Textual app with its automatic backup, coding by
keys) while another process opens and closes the project between its codings, the case
that once lost everything the workbench saved after the first `qual-coder summary`.
Figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qual_coder.demo import build_demo  # noqa: E402
from qual_coder.storage import open_project  # noqa: E402
from tests.safety.test_backup_and_crash import (  # noqa: E402
    WORKER,
    code_then_kill,
    covered,
    read_then_kill,
)

WORKBENCH = ROOT / "tests" / "safety" / "workbench_worker.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--codings", type=int, default=1000)
    parser.add_argument("--workbench-kills", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "safety.db"
        build_demo(path)
        with open_project(path) as p:
            tid, length = p.conn.execute(
                "SELECT id, length(text) FROM transcripts ORDER BY length(text) DESC").fetchone()
        survived, acknowledged_total, lost_total = 0, 0, 0
        for k in range(args.kills):
            coder = f"killer{k}"  # a fresh coder: every call is a new, acknowledged write
            acknowledged = code_then_kill(path, tid, coder, rng.uniform(0.4, 1.2),
                                          spacing=rng.choice([7, 11, 13, 17, 19, 23]))
            with open_project(path) as p:
                ok = p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                spans = sorted(p.conn.execute('SELECT start, "end" FROM codings WHERE coder = ?',
                                              [coder]).fetchall())
            lost = [a for a in set(acknowledged) if not covered(spans, a, a + 10)]
            acknowledged_total += len(acknowledged)
            lost_total += len(lost)
            survived += ok and not lost
        print(f"kills survived with nothing acknowledged lost: {survived} of {args.kills} "
              f"({acknowledged_total:,} acknowledged codings, {lost_total} lost)")

        with open_project(path) as p:
            p.conn.execute("DELETE FROM codings WHERE transcript_id = ?", [tid])
        per = min(args.codings, (length - 20) // 12)  # spans 12 apart never overlap
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(tid), str(per),
                                   f"writer{i}", "12"], stdout=subprocess.PIPE, text=True,
                                  cwd=ROOT)
                 for i in range(args.writers)]
        outs = [p.communicate()[0] for p in procs]
        elapsed = time.perf_counter() - t0
        with open_project(path) as p:
            landed = [p.conn.execute("SELECT COUNT(*) FROM codings WHERE coder = ?",
                                     [f"writer{i}"]).fetchone()[0] for i in range(args.writers)]
            ok = p.conn.execute("PRAGMA integrity_check").fetchone()[0]
        acked = [len(o.splitlines()) for o in outs]
        print(f"{args.writers} concurrent writers x {per} codings: acknowledged {sum(acked)}, "
              f"stored {sum(landed)}, integrity {ok}, {elapsed:.1f} s "
              f"({sum(landed) / elapsed:.0f} codings/s)")

        survived, acknowledged_total, lost_total = 0, 0, 0
        opener = subprocess.Popen([sys.executable, "-c", OPENER, str(path)], cwd=ROOT)
        try:
            for k in range(args.workbench_kills):
                coder = f"workbench{k}"
                acknowledged = workbench_then_kill(path, coder, rng.uniform(0.5, 2.0))
                with open_project(path) as p:
                    ok = p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                    spans = sorted(p.conn.execute(
                        'SELECT start, "end" FROM codings WHERE coder = ?', [coder]).fetchall())
                lost = [a for a in acknowledged if not covered(spans, *a)]
                acknowledged_total += len(acknowledged)
                lost_total += len(lost)
                survived += ok and not lost
        finally:
            opener.kill()
            opener.wait()
        print(f"workbench kills (another process opening and closing the project meanwhile) "
              f"survived with nothing acknowledged lost: {survived} of {args.workbench_kills} "
              f"({acknowledged_total:,} acknowledged codings, {lost_total} lost)")


# `qual-coder summary` in a loop, in effect: open, read, close.
OPENER = """
import sys, time
from qual_coder.storage import open_project
while True:
    p = open_project(sys.argv[1])
    p.conn.execute("SELECT COUNT(*) FROM codings").fetchone()
    p.close()
    time.sleep(0.05)
"""


def workbench_then_kill(path: Path, coder: str, seconds: float) -> list[tuple[int, int]]:
    """Start the workbench worker, let it code for `seconds` after it is ready, SIGKILL it;
    the spans it acknowledged (whole lines only)."""
    proc = subprocess.Popen([sys.executable, str(WORKBENCH), str(path), coder],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    first = proc.stdout.readline()
    assert first.strip() == "ready", first
    lines = read_then_kill(proc, seconds)
    return [tuple(map(int, x.split())) for x in lines]


if __name__ == "__main__":
    main()
