"""What one coding costs as the undo log grows, and `import-codings` at 1x, 4x and 16x.

    python bench/undo_log.py

Each coding records an undo action and clears the coder's redo stack. Before the
per-coder index that clearing read the whole log, so a coding cost 0.7 ms with an empty
log and 32.6 ms with 200,000 rows (issue 42), and a bulk import of codings grew with the
square of its size. Here: the median time of 200 codings (service calls, one transaction
each, as the workbench's key makes them) with 0, 50,000 and 200,000 rows already in the
log; then import-codings of 2,500, 10,000 and 40,000 quotes over transcripts of 250
coded sentences each, each as a ratio of the first per row. The baseline printed beside
them is a bare INSERT of the same coding rows.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qual_coder import services  # noqa: E402
from qual_coder.storage import init_project  # noqa: E402

SENTENCE = "We talked about the waiting list and the link worker again today."


PER_TRANSCRIPT = 250  # sentences: a long interview's worth of coded passages


def _project(path: Path, sentences: int):
    """Transcripts of 250 sentences each, `sentences` in all (t0, t1, ...)."""
    project = init_project(path)
    files = []
    for n in range(0, sentences, PER_TRANSCRIPT):
        file = path.parent / f"t{n // PER_TRANSCRIPT}.txt"
        file.write_text("\n".join(f"Ann: {SENTENCE} ({i})"
                                   for i in range(n, min(n + PER_TRANSCRIPT, sentences))) + "\n")
        files.append(file)
    services.import_transcripts(project, files)
    services.add_code(project, "theme", "Theme", coder="lead")
    return project, files[0].read_text()


def coding_cost(log_rows: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        project, text = _project(Path(tmp) / "p.db", 200)
        empty = json.dumps([])
        with project.transaction():  # an undo log of this many others' actions
            project.conn.executemany(
                "INSERT INTO actions (label, before, after, coder, at, undone) "
                "VALUES ('code theme', ?, ?, ?, '2026-01-01', ?)",
                [(empty, empty, f"coder{i % 20}", i % 3 == 0) for i in range(log_rows)])
        times = []
        starts = [text.index(f"({i})") for i in range(200)]
        for s in starts:
            t = time.perf_counter()
            services.add_coding(project, "t0", "theme", s, s + 3, coder="ana")
            times.append(time.perf_counter() - t)
        project.close()
        return statistics.median(times) * 1000


def import_cost(rows: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        project, text = _project(Path(tmp) / "p.db", rows)
        csv_path = Path(tmp) / "codings.csv"
        csv_path.write_text("transcript,code,quote,coder\n" + "".join(
            f"t{i // PER_TRANSCRIPT},theme,\"{SENTENCE} ({i})\",ana\n" for i in range(rows)))
        t = time.perf_counter()
        services.import_codings_csv(project, csv_path)
        took = time.perf_counter() - t
        t = time.perf_counter()
        with project.transaction():
            project.conn.executemany(
                "INSERT INTO codings (transcript_id, code_id, start, \"end\", coder, status, "
                "source, guid, created_at) VALUES (1, 1, ?, ?, 'bare', 'final', 'x', ?, 'now')",
                [(i, i + 1, f"g{i}") for i in range(rows)])
        bare = time.perf_counter() - t
        project.close()
        return took, bare


def progress_cost(codings: int) -> tuple[float, float]:
    """The workbench recomputes a transcript's progress after each coding: its median
    time, and a plain count of the transcript's codings beside it, with `codings` on one
    transcript of 250 turns."""
    from qual_coder.storage.coding_rows import progress

    with tempfile.TemporaryDirectory() as tmp:
        project, text = _project(Path(tmp) / "p.db", PER_TRANSCRIPT)
        conn = project.conn
        with project.transaction():
            conn.executemany(
                "INSERT INTO codings (transcript_id, code_id, start, \"end\", coder, status, "
                "source, guid, created_at) VALUES (1, 1, ?, ?, 'bare', 'final', 'x', ?, 'now')",
                [((i * 7) % (len(text) - 40), (i * 7) % (len(text) - 40) + 30, f"g{i}")
                 for i in range(codings)])
        ours, plain = [], []
        for _ in range(50):
            t = time.perf_counter()
            progress(conn, 1)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            conn.execute("SELECT COUNT(*) FROM codings WHERE transcript_id = 1").fetchone()
            plain.append(time.perf_counter() - t)
        project.close()
        return statistics.median(ours) * 1000, statistics.median(plain) * 1000


def main() -> None:
    for codings in (500, 2_000, 8_000):
        ours, plain = progress_cost(codings)
        print(f"progress of a transcript with {codings:,} codings: {ours:.2f} ms "
              f"(a plain count of them: {plain:.2f} ms)")
    base = coding_cost(0)
    print(f"one coding, empty undo log: {base:.2f} ms (median of 200)")
    for rows in (50_000, 200_000):
        ms = coding_cost(rows)
        print(f"one coding, {rows:,} rows in the log: {ms:.2f} ms = {ms / base:.2f}x")
    first = None
    for rows in (2_500, 10_000, 40_000):
        took, bare = import_cost(rows)
        first = first or took / rows
        print(f"import-codings {rows:,}: {took:.2f} s ({took / rows * 1e3:.3f} ms a row, "
              f"{took / rows / first:.2f}x the first per row); bare insert {bare:.3f} s")


if __name__ == "__main__":
    main()
