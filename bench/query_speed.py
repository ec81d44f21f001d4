"""Coding queries at scale: 2,000 transcripts, 50 codings each (issue 36: under a second).

    python bench/query_speed.py

Builds projects of 125, 500 and 2,000 generated transcripts (1x, 4x, 16x; ~1,600 words
each, participants of random stakeholder types) and a 10-code theme with 50 random codings
per transcript, then times each operator in a fresh process against a baseline run beside
it: the bare read of the codings the query names (one SELECT of their spans), which any
implementation must do.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import theme_project  # noqa: E402

QUERIES = ["code_1 AND code_2", "code_1 OR code_2", "code_1 AND NOT code_2",
           "theme AND NOT (code_1 OR code_2)", "code_1 NEAR/10 code_2",
           "code_1 SAME TURN code_2", "code_1 FOLLOWED BY/2 code_2", "NOT code_1"]
SIZES = (125, 500, 2000)


def build(folder: Path, transcripts: int, per_transcript: int = 50) -> None:
    rng = random.Random(5)
    project = theme_project(folder, transcripts, 1600, rng)
    conn = project.conn
    with project.transaction():
        turns: dict[int, list[tuple[int, int]]] = {}
        for tid, start, end in conn.execute('SELECT transcript_id, start, "end" FROM turns'):
            turns.setdefault(tid, []).append((start, end))
        code_ids = [r[0] for r in conn.execute("SELECT id FROM codes WHERE key LIKE 'code_%'")]
        rows = []
        for tid, spans in turns.items():
            for _ in range(per_transcript):
                start, end = rng.choice(spans)
                a = rng.randrange(start, max(start + 1, end - 20))
                rows.append((tid, rng.choice(code_ids), a, min(end, a + rng.randint(20, 300)),
                             rng.choice(["ana", "ben"]), "final", "bench", str(uuid.uuid4()),
                             "2026-12-04"))
        conn.executemany(
            'INSERT INTO codings (transcript_id, code_id, start, "end", coder, status, source, '
            "guid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    project.close()


def baseline(path: Path, expression: str) -> float:
    """The bare read of the named codes' spans (the theme with its codes)."""
    keys = {w for w in expression.replace("(", " ").replace(")", " ").split()
            if w.startswith(("code_", "theme"))}
    if "theme" in keys:
        keys |= {f"code_{i}" for i in range(10)}
    conn = sqlite3.connect(path)
    t0 = time.perf_counter()
    conn.execute(
        f'SELECT g.transcript_id, g.start, g."end" FROM codings g JOIN codes c ON '
        f"c.id = g.code_id WHERE c.key IN ({', '.join('?' for _ in keys)}) AND "
        f"g.status = 'final'", sorted(keys)).fetchall()
    spent = time.perf_counter() - t0
    conn.close()
    return spent


def measure(path: Path) -> None:
    from qual_coder.services.query import answer_query as query
    from qual_coder.storage import open_project

    with open_project(path) as project:
        n = project.conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
        codings = project.conn.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
        query(project, "code_0 AND code_9")  # warm: imports and page cache
        for expression in QUERIES:
            best = min(_time(lambda e=expression: query(project, e)) for _ in range(3))
            hits = len(query(project, expression).quotes)
            base = min(baseline(path, expression) for _ in range(3))
            print(f"{n:>5} transcripts, {codings:>7,} codings | {expression:<34} "
                  f"{best:6.3f} s  {hits:>6,} hits | bare read {base:6.3f} s "
                  f"({best / base:5.1f}x)")


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp), size)
            subprocess.run([sys.executable, __file__, "--measure", str(Path(tmp) / "bench.db")],
                           check=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))
    else:
        main()
