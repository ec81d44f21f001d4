import os
import sqlite3
import stat

import pytest

from qual_coder.errors import ProjectError
from qual_coder.storage import init_project, open_project
from qual_coder.storage.schema import LATEST


def test_new_project_is_wal_with_foreign_keys_owner_only_and_versioned(tmp_path):
    path = tmp_path / "p.db"
    with init_project(path) as proj:
        conn = proj.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert [r[0] for r in conn.execute("SELECT id FROM _migrations")] == list(
            range(1, LATEST + 1))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_old_project_files_are_migrated_forward(tmp_path):
    """A file at schema 1 gains later tables without losing its rows."""
    from qual_coder.storage import project as project_module
    from qual_coder.storage.schema import MIGRATIONS

    path = tmp_path / "old.db"
    original = list(MIGRATIONS)
    MIGRATIONS[:] = original[:1]
    try:
        project_module.LATEST = 1
        with init_project(path) as proj:
            proj.conn.execute("INSERT INTO settings VALUES ('kept', 'yes')")
    finally:
        MIGRATIONS[:] = original
        project_module.LATEST = LATEST
    with open_project(path) as proj:
        assert proj.setting("kept") == "yes"
        assert proj.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_newer_files_and_foreign_files_are_refused(tmp_path):
    path = tmp_path / "new.db"
    init_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    with pytest.raises(ProjectError, match="newer qual-coder"):
        open_project(path)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(ProjectError, match="not a qual-coder project"):
        open_project(other)
    text = tmp_path / "notes.db"
    text.write_text("hello")
    with pytest.raises(ProjectError, match="not an SQLite file"):
        open_project(text)


def test_transaction_rolls_back_everything_on_error(project):
    with pytest.raises(RuntimeError):
        with project.transaction():
            project.conn.execute("INSERT INTO settings VALUES ('a', '1')")
            with project.transaction():
                project.conn.execute("INSERT INTO settings VALUES ('b', '2')")
            raise RuntimeError("boom")
    assert project.conn.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
