"""Matrices and quotes at scale: 200,000 codings over 5,000 participants.

    python bench/analysis_speed.py

Builds a project from 1,300 generated transcripts (generic speaker labels, so
each transcript's speakers are its own participants: ~5,000, random stakeholder types) and a
10-code theme, inserts 200,000 codings on random sentences
of participants' turns, then times: the frequency matrix, the framework matrix of
the theme written to XLSX, and a quotes query with full-text search (first run
builds the FTS index; the second is the steady state). Targets (issue 6): matrix
< 0.5 s; framework XLSX < 5 s; quotes with FTS < 0.2 s.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import theme_project  # noqa: E402
from qual_coder.analysis.framework import framework_matrix  # noqa: E402
from qual_coder.analysis.matrix import frequency_matrix  # noqa: E402
from qual_coder.analysis.quotes import find_quotes  # noqa: E402
from qual_coder.reports.tables import write_xlsx  # noqa: E402


def build(folder: Path, codings: int = 200_000):
    rng = random.Random(3)
    project = theme_project(folder, 1300, 1600, rng, generic_labels=True)
    conn = project.conn
    with project.transaction():
        turns = conn.execute(
            'SELECT t.transcript_id, t.start, t."end" FROM turns t JOIN speakers s ON '
            "s.id = t.speaker_id JOIN participants p ON p.id = s.participant_id "
            "WHERE p.name != 'Interviewer'").fetchall()
        code_ids = [r[0] for r in conn.execute("SELECT id FROM codes WHERE key LIKE 'code_%'")]
        rows = []
        for _ in range(codings):
            tid, start, end = rng.choice(turns)
            a = rng.randrange(start, max(start + 1, end - 20))
            rows.append((tid, rng.choice(code_ids), a, min(end, a + rng.randint(20, 200)),
                         "bench", "final", "bench", str(uuid.uuid4()), "2026-11-25"))
        conn.executemany(
            'INSERT INTO codings (transcript_id, code_id, start, "end", coder, status, source, '
            "guid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return project


def timed(label: str, fn):
    t0 = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - t0:.2f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp)).close()
        # Measure in a fresh process, as a user's command would run: the builder's heap
        # of 200,000 Python rows would slow pandas' allocations and skew the figures.
        subprocess.run([sys.executable, __file__, "--measure", str(Path(tmp) / "bench.db")],
                       check=True)


def measure(path: Path) -> None:
    from qual_coder.storage import open_project

    tmp = path.parent
    with open_project(path) as project:
        n = project.conn.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
        people = project.conn.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
        print(f"{n:,} codings, {people:,} participants")
        timed("frequency matrix, first call (imports pandas)",
              lambda: frequency_matrix(project, "stakeholder_type", "excerpts"))
        timed("frequency matrix (excerpts by stakeholder type)",
              lambda: frequency_matrix(project, "stakeholder_type", "excerpts"))
        timed("frequency matrix (percent by stakeholder type)",
              lambda: frequency_matrix(project, "stakeholder_type", "percent"))
        fm = timed("framework matrix, 10 codes x participants",
                   lambda: framework_matrix(project, "theme", "participant"))
        timed("  ... written to XLSX", lambda: write_xlsx(
            {"Theme": fm.frame}, Path(tmp) / "fw.xlsx", wrap=True))
        timed("quotes with search, first (builds the FTS index)",
              lambda: find_quotes(project, ["code_1"], search="waiting list"))
        q = timed("quotes with search, again",
                  lambda: find_quotes(project, ["code_1"], search="waiting list"))
        print(f"  {len(q):,} quotes (the phrase is in a third of the synthetic turns)")
        q = timed("quotes with a narrower search",
                  lambda: find_quotes(project, ["code_1"], search="eighteen weeks inaudible"))
        print(f"  {len(q):,} quotes")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))
    else:
        main()
