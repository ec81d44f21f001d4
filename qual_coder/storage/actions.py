"""The undo log: each coding action stored as the coding rows before and after it."""

from __future__ import annotations

import json
import sqlite3

_COLS = ("id", "transcript_id", "code_id", "start", "end", "coder", "status", "source", "guid",
         "created_at")


def snapshot(conn: sqlite3.Connection, coding_ids: list[int]) -> list[dict]:
    if not coding_ids:
        return []
    marks = ", ".join("?" for _ in coding_ids)
    cur = conn.execute(
        f'SELECT id, transcript_id, code_id, start, "end", coder, status, source, guid, '
        f"created_at FROM codings WHERE id IN ({marks}) ORDER BY id", coding_ids)
    return [dict(zip(_COLS, r)) for r in cur]


def record(conn: sqlite3.Connection, label: str, before: list[dict], after: list[dict],
           coder: str | None, at: str) -> None:
    if before == after:
        return
    # A new action makes the undone ones unreachable, as in every editor.
    conn.execute("DELETE FROM actions WHERE undone = 1")
    conn.execute("INSERT INTO actions (label, before, after, coder, at) VALUES (?, ?, ?, ?, ?)",
                 [label, json.dumps(before), json.dumps(after), coder, at])


def _apply(conn: sqlite3.Connection, remove: list[dict], restore: list[dict]) -> None:
    conn.executemany("DELETE FROM codings WHERE id = ?", [(r["id"],) for r in remove])
    conn.executemany(
        'INSERT INTO codings (id, transcript_id, code_id, start, "end", coder, status, source, '
        "guid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [tuple(r[c] for c in _COLS) for r in restore])


def _step(conn: sqlite3.Connection, undo: bool) -> dict | None:
    """Undo the newest done action, or redo the oldest undone one."""
    row = conn.execute(
        "SELECT id, label, before, after FROM actions WHERE undone = ? ORDER BY id "
        + ("DESC" if undo else "ASC") + " LIMIT 1", [0 if undo else 1]).fetchone()
    if row is None:
        return None
    before, after = json.loads(row[2]), json.loads(row[3])
    if undo:
        _apply(conn, after, before)
    else:
        _apply(conn, before, after)
    conn.execute("UPDATE actions SET undone = ? WHERE id = ?", [1 if undo else 0, row[0]])
    now = before if undo else after
    return {"label": row[1], "rows": now or (after if undo else before)}


def undo(conn: sqlite3.Connection) -> dict | None:
    return _step(conn, undo=True)


def redo(conn: sqlite3.Connection) -> dict | None:
    return _step(conn, undo=False)
