"""A transcript's progress (the share of participants' turns with a final coding) against
its definition written out plainly, over generated transcripts and codings."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.storage import init_project
from qual_coder.storage.coding_rows import progress

WORDS = ["the", "waiting", "list", "school", "link", "worker", "came", "again"]


@st.composite
def projects(draw):
    transcripts = []
    for _ in range(draw(st.integers(1, 3))):
        turns = draw(st.lists(st.tuples(st.sampled_from(["Interviewer", "Ann", "Bob"]),
                                        st.lists(st.sampled_from(WORDS), min_size=1,
                                                 max_size=8)), min_size=1, max_size=12))
        codings = draw(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 0.3),
                                          st.sampled_from(["final", "suggested"])),
                                max_size=15))
        transcripts.append((turns, codings))
    return transcripts


def _plain(conn, tid: int) -> float | None:
    """Each participant's turn, and whether any final coding overlaps it."""
    turns = conn.execute(
        'SELECT t.start, t."end", COALESCE(st.is_interviewer, 0) FROM turns t '
        "JOIN speakers s ON s.id = t.speaker_id "
        "LEFT JOIN participants p ON p.id = s.participant_id "
        "LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type "
        "WHERE t.transcript_id = ?", [tid]).fetchall()
    codings = conn.execute('SELECT start, "end" FROM codings WHERE transcript_id = ? '
                           "AND status = 'final'", [tid]).fetchall()
    theirs = [(a, b) for a, b, interviewer in turns if not interviewer]
    if not theirs:
        return None
    hit = sum(any(s < b and e > a for s, e in codings) for a, b in theirs)
    return hit / len(theirs)


@settings(max_examples=60, deadline=None)
@given(projects())
def test_progress_is_its_definition(transcripts):
    with TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for n, (turns, _) in enumerate(transcripts):
            file = folder / f"t{n}.txt"
            lines = [f"{who}: {' '.join(words)}." for who, words in turns]
            file.write_text("\n".join([*lines, f"Ann: number {n}."]))  # no two the same
            files.append(file)
        with init_project(folder / "p.db") as project:
            services.import_transcripts(project, files)
            services.add_code(project, "theme", "Theme", coder="ana")
            conn = project.conn
            ids = [r[0] for r in conn.execute("SELECT id FROM transcripts ORDER BY name")]
            for tid, (_, codings) in zip(ids, transcripts, strict=True):
                length = conn.execute("SELECT length(text) FROM transcripts WHERE id = ?",
                                      [tid]).fetchone()[0]
                for at, width, status in codings:
                    a = min(int(at * length), length - 1)
                    b = min(length, a + 1 + int(width * length))
                    services.add_coding(project, tid, "theme", a, b, coder="ana")
                    if status == "suggested":
                        conn.execute("UPDATE codings SET status = 'suggested' WHERE id = "
                                     "(SELECT MAX(id) FROM codings)")
            everything = progress(conn)
            for tid in ids:
                expected = _plain(conn, tid)
                assert everything.get(tid) == expected
                assert progress(conn, tid).get(tid) == expected
