"""What sqlite-utils costs against raw sqlite3 for the project's writes.

    python bench/sqlite_utils_cost.py [--rows 200000]

Bulk: the turns of an import written with executemany (as storage.transcript_rows does) and
with sqlite-utils' insert_all, inside one transaction on a file in WAL mode, as the
project opens it. Single rows: a transcript row inserted by column name through
storage.project.insert_row (sqlite-utils) and through a hand-built INSERT. The figures
decide where storage uses sqlite-utils (single rows, inspection) and where it keeps
executemany (turns, sentences, codings in bulk): see storage.project.database.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COLUMNS = ("transcript_id", "seq", "speaker_id", "start", "end", "timestamp")


def _fresh(folder: Path, name: str) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / name)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute('CREATE TABLE turns (id INTEGER PRIMARY KEY, transcript_id INTEGER, '
                 'seq INTEGER, speaker_id INTEGER, start INTEGER, "end" INTEGER, '
                 "timestamp TEXT)")
    conn.execute("CREATE TABLE transcripts (id INTEGER PRIMARY KEY, name TEXT, text TEXT, "
                 "sha256 TEXT, words INTEGER)")
    return conn


def main() -> None:
    from qual_coder.storage.project import database, insert_row

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    n = parser.parse_args().rows
    rows = [(1 + i // 300, i % 300, None, i * 50, i * 50 + 49, None) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        conn = _fresh(folder, "raw.db")
        t = time.perf_counter()
        with conn:
            conn.executemany('INSERT INTO turns (transcript_id, seq, speaker_id, start, "end", '
                             "timestamp) VALUES (?, ?, ?, ?, ?, ?)", rows)
        raw = time.perf_counter() - t
        conn = _fresh(folder, "utils.db")
        t = time.perf_counter()
        with conn:
            database(conn).table("turns").insert_all(
                (dict(zip(COLUMNS, r, strict=True)) for r in rows), batch_size=1000)
        utils = time.perf_counter() - t
        print(f"bulk, {n:,} turns: executemany {raw:.2f} s ({raw / n * 1e6:.1f} µs/row), "
              f"insert_all {utils:.2f} s ({utils / n * 1e6:.1f} µs/row): {utils / raw:.1f}x")

        singles = 2_000
        row = {"name": "x", "text": "words " * 1000, "sha256": "0" * 64, "words": 1000}
        conn = _fresh(folder, "single.db")
        t = time.perf_counter()
        with conn:
            for _ in range(singles):
                conn.execute("INSERT INTO transcripts (name, text, sha256, words) "
                             "VALUES (?, ?, ?, ?)", list(row.values()))
        raw = time.perf_counter() - t
        t = time.perf_counter()
        with conn:
            for _ in range(singles):
                insert_row(conn, "transcripts", row)
        utils = time.perf_counter() - t
        print(f"single rows, {singles:,} transcripts: INSERT {raw / singles * 1e6:.0f} µs, "
              f"insert_row {utils / singles * 1e6:.0f} µs each ({utils / raw:.1f}x; one per "
              "transcript imported, code or codebook added)")


if __name__ == "__main__":
    main()
