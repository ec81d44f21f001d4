"""Rewriting a project's words in place, for a pseudonymised copy: a transcript's new
text with every offset into it moved, derived data dropped, and every other text value
in every table rewritten (found from the schema, so a new table cannot escape)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .project import database

T = TypeVar("T")

# Offsets into a transcript's text besides codings and turns, moved with the text.
SPANS = ("codings", "turns", "suggestion_decisions", "agreement_resolutions")
# Derived from the original text: dropped and rebuilt from the new text when next needed
# (the sentence cache and lemmas, the learned model, suggestion reasons that quote other
# excerpts, the undo log's before/after snapshots, the full-text index).
DERIVED = ("sentences", "sentence_state", "nlp_models", "suggestion_reasons", "actions",
           "turn_fts_done")
# Identifier-like columns where a name is written in lower case and joined by _ or -
# ("eastbridge_school_staff_focus_group", "eastbridge_vcs.txt").
IDENTIFIERS = {"transcripts": ("name", "source_file"), "codes": ("key",),
               "codebooks": ("key",), "framework_cells": ("case_key",)}


def replace_text(conn: sqlite3.Connection, transcript_id: int, text: str,
                 shift: Callable[[int, bool], int]) -> None:
    """A transcript's text replaced, every span into it moved by `shift(offset, is_start)`."""
    conn.execute("UPDATE transcripts SET text = ? WHERE id = ?", [text, transcript_id])
    for table in SPANS:
        for rid, s, e in conn.execute(f'SELECT rowid, start, "end" FROM {table} WHERE '
                                      "transcript_id = ?", [transcript_id]).fetchall():
            conn.execute(f'UPDATE {table} SET start = ?, "end" = ? WHERE rowid = ?',
                         [shift(s, True), shift(e, False), rid])


def drop_derived(conn: sqlite3.Connection) -> None:
    for table in DERIVED:
        conn.execute(f"DELETE FROM {table}")
    conn.execute("INSERT INTO turn_fts (turn_fts) VALUES ('delete-all')")


def rewrite_text_values(conn: sqlite3.Connection, rewrite: Callable[[str, bool], str]) -> None:
    """Every text value of every table (transcripts' texts aside: replace_text) through
    `rewrite(value, is_identifier)`; only changed values are written."""
    for table, columns in _text_columns(conn).items():
        ident = IDENTIFIERS.get(table, ())
        for column in columns:
            if table == "transcripts" and column == "text":
                continue
            for rid, value in conn.execute(
                    f'SELECT rowid, "{column}" FROM "{table}" WHERE typeof("{column}") = '
                    "'text'").fetchall():
                new = rewrite(value, column in ident)
                if new != value:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                                 [new, rid])


def _text_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Every ordinary table's columns that may hold text (not the FTS index's shadow
    tables, which are rebuilt, nor SQLite's own)."""
    db = database(conn)
    out = {}
    for name in db.table_names():
        table = db.table(name)
        if table.virtual_table_using or name.startswith(("sqlite_", "turn_fts")):
            continue
        cols = [c.name for c in table.columns
                if c.type.upper() in ("TEXT", "") or "CHAR" in c.type.upper()]
        if cols:
            out[name] = cols
    return out


def mark_pseudonymised(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO settings (key, value) VALUES ('pseudonymised', 'yes') "
                 "ON CONFLICT(key) DO UPDATE SET value = 'yes'")


def rewritten_copy(project_path: Path, dest: Path, rewrite: Callable[[sqlite3.Connection], T]
                   ) -> T:
    """The project copied into memory (SQLite's online backup), changed there by
    `rewrite` in one transaction, then written to `dest` by VACUUM INTO: a process killed
    half-way leaves no file holding what `rewrite` replaced."""
    from .project import open_project

    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        with open_project(project_path) as project:
            project.conn.backup(memory)
        memory.execute("PRAGMA foreign_keys = ON")
        memory.execute("BEGIN IMMEDIATE")
        result = rewrite(memory)
        memory.execute("COMMIT")
        vacuum_into(memory, dest)
    finally:
        memory.close()
    return result


def vacuum_into(conn: sqlite3.Connection, path: Path) -> None:
    """A compact copy of the database at `path` (made 0600 before SQLite writes to it):
    no page of replaced text survives in free space."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    conn.execute("VACUUM INTO ?", [str(path)])
