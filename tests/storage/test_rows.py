"""Storage's row modules on their own: what each read returns for what was written, on
real project files (no services in between)."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.errors import NotFound
from qual_coder.storage import (
    backup_files,
    framework_rows,
    init_project,
    query_rows,
    transcript_rows,
)

# Speech with what strains offsets: emoji beyond the BMP, combining accents, CJK, CRLF kept
# out (imports normalise it), curly quotes.
said = st.lists(st.sampled_from(list("abc de’fg.?") + ["🙂", "e\u0301", "王", "“", "”"]),
                min_size=1, max_size=60).map("".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(said, min_size=1, max_size=6), st.data())
def test_a_stretch_of_text_is_the_same_characters_python_slices(turns, data):
    """text_between counts characters as Python does (SQLite's substr counts code points
    of UTF-8 text): every offset stored for a coding lands on the same words."""
    with TemporaryDirectory() as tmp:
        file = Path(tmp) / "t.txt"
        file.write_text("".join(f"Ann: {t}\n" for t in turns), encoding="utf-8")
        with init_project(Path(tmp) / "p.db") as project:
            services.import_transcripts(project, [file])
            conn = project.conn
            text = transcript_rows.text_of(conn, 1)
            a = data.draw(st.integers(0, len(text) - 1))
            b = data.draw(st.integers(a, len(text)))
            assert transcript_rows.text_between(conn, 1, a, b) == text[a:b]
            assert transcript_rows.texts_by(conn)[1] == text
            assert transcript_rows.texts_by(conn, "name")["t"] == text


def test_a_transcript_is_found_by_id_by_name_and_by_name_in_any_case(demo_path):
    from qual_coder.storage import open_project

    with open_project(demo_path) as project:
        conn = project.conn
        first = transcript_rows.transcript_by_id(conn, 1)
        assert transcript_rows.transcript_by_ref(conn, 1)["id"] == 1
        assert transcript_rows.transcript_by_ref(conn, "1")["id"] == 1
        assert transcript_rows.transcript_by_ref(conn, first["name"])["id"] == 1
        assert transcript_rows.transcript_by_ref(conn, first["name"].upper())["id"] == 1
        assert transcript_rows.id_named(conn, first["name"]) == 1
        assert transcript_rows.id_named(conn, "nobody") is None
        with pytest.raises(NotFound, match="did you mean"):
            transcript_rows.transcript_by_ref(conn, first["name"][:-1])
        assert transcript_rows.names_by_id(conn)[1] == first["name"]
        assert transcript_rows.lengths_by_id(conn)[1] == len(first["text"])
        assert transcript_rows.transcript_ids(conn) == sorted(transcript_rows.names_by_id(conn))


def test_a_saved_query_is_replaced_by_name_and_read_back_as_saved(tmp_path):
    with init_project(tmp_path / "p.db") as project:
        conn = project.conn
        options = {"where": {"site": ["Northmoor"]}, "coders": ["ana"]}
        assert query_rows.save(conn, "waits", "a AND b", options, "ana", "t1") is False
        assert query_rows.save(conn, "waits", "a OR b", {}, "ben", "t2") is True
        assert query_rows.saved(conn, "waits") == {"name": "waits", "expression": "a OR b",
                                                   "options": {}, "saved_by": "ben",
                                                   "saved_at": "t2"}
        query_rows.save(conn, "access", "c", options, None, "t3")
        assert [q["name"] for q in query_rows.all_saved(conn)] == ["access", "waits"]
        assert query_rows.saved(conn, "access")["options"] == options
        assert query_rows.delete(conn, "waits") and not query_rows.delete(conn, "waits")
        assert query_rows.saved(conn, "waits") is None


def test_a_framework_summary_is_one_per_cell_and_cleared_alone(tmp_path):
    with init_project(tmp_path / "p.db") as project:
        conn = project.conn
        framework_rows.set_summary(conn, "cascade", "participant", "Ann", "roles", "first",
                                   "ana", "t1")
        framework_rows.set_summary(conn, "cascade", "participant", "Ann", "roles", "second",
                                   "ben", "t2")
        framework_rows.set_summary(conn, "cascade", "participant", "Bob", "roles", "his",
                                   "ana", "t3")
        framework_rows.set_summary(conn, "cascade", "site", "Ann", "roles", "other chart",
                                   "ana", "t4")
        assert framework_rows.summaries(conn, "cascade", "participant") == {
            ("Ann", "roles"): "second", ("Bob", "roles"): "his"}
        framework_rows.clear_summary(conn, "cascade", "participant", "Ann", "roles")
        assert framework_rows.summaries(conn, "cascade", "participant") == {
            ("Bob", "roles"): "his"}
        assert len(framework_rows.all_summaries(conn)) == 2


def test_automatic_backups_keep_the_newest_and_none_when_turned_off(tmp_path):
    path = tmp_path / "study.db"
    init_project(path).close()
    made = [backup_files.rotate(path, keep=2) for _ in range(4)]
    kept = sorted(backup_files.backup_dir(path).glob("study-*.db"))
    assert len(kept) == 2 and kept[-1] == made[-1]
    assert all(not p.exists() for p in made[:2])
    assert backup_files.rotate(path, keep=0) is None
    assert len(sorted(backup_files.backup_dir(path).glob("study-*.db"))) == 2
