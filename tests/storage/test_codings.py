"""storage.coding_rows.overlapping (what a new coding merges with) against its definition
written out plainly, with codings long and short, near and far."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.storage import init_project
from qual_coder.storage.coding_rows import LONG, overlapping

TEXT_LENGTH = 3 * LONG
widths = st.one_of(st.integers(1, 300), st.integers(LONG - 5, 2 * LONG))  # short and long
codings = st.lists(st.tuples(st.integers(0, TEXT_LENGTH - 2), widths,
                             st.sampled_from(["theme", "other"]),
                             st.sampled_from(["ana", "ana", "ben"]),
                             st.sampled_from(["final", "final", "suggested"])), max_size=30)


@settings(max_examples=60, deadline=None)
@given(codings, st.lists(st.tuples(st.integers(0, TEXT_LENGTH - 2), st.integers(0, 300)),
                         min_size=1, max_size=6))
def test_overlapping_finds_what_a_scan_finds(rows, spans):
    with TemporaryDirectory() as tmp:
        file = Path(tmp) / "t.txt"
        words = "the waiting list came back again and nobody called ".split()
        body = " ".join(words[i % len(words)] for i in range(TEXT_LENGTH // 5))
        file.write_text(f"Ann: {body}\n")
        with init_project(Path(tmp) / "p.db") as project:
            services.import_transcripts(project, [file])
            for key in ("theme", "other"):
                services.add_code(project, key, key.title(), coder="ana")
            conn = project.conn
            length = conn.execute("SELECT length(text) FROM transcripts").fetchone()[0]
            code_ids = dict(conn.execute("SELECT key, id FROM codes"))
            with project.transaction():  # as an import may leave them: overlapping freely
                conn.executemany(
                    'INSERT INTO codings (transcript_id, code_id, start, "end", coder, status, '
                    "guid, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, 'now')",
                    [(code_ids[code], a, min(length, a + w), who, status, f"g{i}")
                     for i, (a, w, code, who, status) in enumerate(rows)])
            table = conn.execute('SELECT id, code_id, coder, status, start, "end" '
                                 "FROM codings").fetchall()
            for a, w in spans:
                b = min(length, a + w + 1)
                for key, code_id in code_ids.items():
                    found = overlapping(conn, 1, code_id, "ana", a, b)
                    plain = {i for i, c, who, status, s, e in table if c == code_id
                             and who == "ana" and status == "final" and s <= b and e >= a}
                    assert {g["id"] for g in found} == plain, (key, a, b)
                    assert len(found) == len(plain)  # each once
                    starts = [g["start"] for g in found]
                    assert starts == sorted(starts)  # in text order
