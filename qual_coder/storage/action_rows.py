"""The undo log: each coding action stored as the coding rows before and after it, each
row naming its code by GUID so it can only ever go back on the code it was made with.

Undo and redo are each coder's own: a coder steps back through the actions they made,
never another coder's, and an action whose codings someone has changed since is refused
rather than taken back over the other person's work."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..errors import ProjectError

_COLS = ("id", "transcript_id", "code_id", "start", "end", "coder", "status", "source", "guid",
         "created_at")


def snapshot(conn: sqlite3.Connection, coding_ids: list[int]) -> list[dict[str, Any]]:
    """The codings as they are, each with its code's GUID: a code's id can be reused by
    SQLite after the code is deleted, its GUID never is."""
    if not coding_ids:
        return []
    marks = ", ".join("?" for _ in coding_ids)
    cur = conn.execute(
        f'SELECT g.id, g.transcript_id, g.code_id, g.start, g."end", g.coder, g.status, '
        f"g.source, g.guid, g.created_at, c.guid FROM codings g JOIN codes c ON c.id = "
        f"g.code_id WHERE g.id IN ({marks}) ORDER BY g.id", coding_ids)
    return [dict(zip((*_COLS, "code_guid"), r)) for r in cur]


def record(conn: sqlite3.Connection, label: str, before: list[dict[str, Any]],
           after: list[dict[str, Any]],
           coder: str | None, at: str) -> None:
    if before == after:
        return
    # A new action makes this coder's undone ones unreachable, as in every editor (the
    # index on (coder, undone) keeps this as cheap with a long log as with none).
    conn.execute("DELETE FROM actions WHERE coder IS ? AND undone = 1", [coder])
    conn.execute("INSERT INTO actions (label, before, after, coder, at) VALUES (?, ?, ?, ?, ?)",
                 [label, json.dumps(before), json.dumps(after), coder, at])


def attach_created_code(conn: sqlite3.Connection, code_id: int) -> None:
    """Mark the newest action as the one that created code `code_id` (in-vivo coding)."""
    cur = conn.execute("SELECT * FROM codes WHERE id = ?", [code_id])
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone()))
    conn.execute("UPDATE actions SET created_code = ? WHERE id = (SELECT MAX(id) FROM actions)",
                 [json.dumps(row)])


_SAME = ("id", "transcript_id", "start", "end", "coder", "status")


def _unchanged(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> bool:
    """The coding rows are still as the action left them (same span, coder, status and
    code): nobody has changed them since, so taking the action back loses no one's work."""
    if not rows:
        return True
    now = {r["id"]: r for r in snapshot(conn, [r["id"] for r in rows])}
    return all(r["id"] in now and all(now[r["id"]][c] == r[c] for c in _SAME)
               and now[r["id"]]["code_guid"] == r.get("code_guid", now[r["id"]]["code_guid"])
               for r in rows)


def _drop_code(conn: sqlite3.Connection, code: dict[str, Any]) -> bool:
    """Remove a code an undone action created, unless it has been used since (a coding,
    a child code, a link, a memo, a suggestion decided): then it stays, as nothing else
    may be lost with it."""
    used = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM codings WHERE code_id = :id) "
        "OR EXISTS (SELECT 1 FROM codes WHERE parent_id = :id) "
        "OR EXISTS (SELECT 1 FROM unplaced_codings WHERE code_id = :id) "
        "OR EXISTS (SELECT 1 FROM suggestion_decisions WHERE code_id = :id) "
        "OR EXISTS (SELECT 1 FROM links WHERE code = :key) "
        "OR EXISTS (SELECT 1 FROM memos WHERE scope = 'code' AND owner_id = :id)",
        {"id": code["id"], "key": code["key"]}).fetchone()[0]
    if used:
        return False
    conn.execute("DELETE FROM codes WHERE id = ?", [code["id"]])
    return True


def _restore_code(conn: sqlite3.Connection, code: dict[str, Any]) -> bool:
    """Put back a code an undone action had created. Refused when its id or key has been
    taken by another code since (SQLite reuses the highest id): its codings would land on
    that other code."""
    here = conn.execute("SELECT id, key, guid FROM codes WHERE id = ? OR key = ?",
                        [code["id"], code["key"]]).fetchall()
    if here == [(code["id"], code["key"], code["guid"])]:
        return False  # it is there already
    if here:
        raise ProjectError(f"cannot redo: a code '{code['key']}' was made since the in-vivo "
                           "code of that name was undone; nothing was changed")
    names = list(code)
    conn.execute(f"INSERT INTO codes ({', '.join(names)}) VALUES "
                 f"({', '.join('?' for _ in names)})", [code[n] for n in names])
    return True


def _placed(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows to put back, each on the code it was made with: found by GUID (a merge or
    an id SQLite reused cannot send it elsewhere); refused when that code or the
    transcript is gone."""
    out = []
    for r in rows:
        guid = r.get("code_guid")
        found = conn.execute("SELECT id FROM codes WHERE guid = ?" if guid else
                             "SELECT id FROM codes WHERE id = ?",
                             [guid or r["code_id"]]).fetchone()
        if found is None:
            raise ProjectError("cannot take that action back: a code it touched has been "
                               "deleted or merged since; nothing was changed")
        if not conn.execute("SELECT 1 FROM transcripts WHERE id = ?",
                            [r["transcript_id"]]).fetchone():
            raise ProjectError("cannot take that action back: its transcript has been "
                               "removed since; nothing was changed")
        out.append({**r, "code_id": found[0]})
    return out


def _apply(conn: sqlite3.Connection, remove: list[dict[str, Any]],
           restore: list[dict[str, Any]]) -> None:
    restore = _placed(conn, restore)
    leaving = {r["id"] for r in remove}
    taken = [r["id"] for r in restore if r["id"] not in leaving
             and conn.execute("SELECT 1 FROM codings WHERE id = ?", [r["id"]]).fetchone()]
    if taken:  # SQLite gave the number to a coding made since (another coder's, say)
        raise ProjectError("cannot take that action back: a coding made since holds its place "
                           "in the project; nothing was changed")
    conn.executemany("DELETE FROM codings WHERE id = ?", [(r["id"],) for r in remove])
    conn.executemany(
        'INSERT INTO codings (id, transcript_id, code_id, start, "end", coder, status, source, '
        "guid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [tuple(r[c] for c in _COLS) for r in restore])


def _step(conn: sqlite3.Connection, undo: bool, coder: str) -> dict[str, Any] | None:
    """Undo `coder`'s newest done action, or redo their oldest undone one."""
    row = conn.execute(
        "SELECT id, label, before, after, created_code FROM actions WHERE coder IS ? AND "
        "undone = ? ORDER BY id " + ("DESC" if undo else "ASC") + " LIMIT 1",
        [coder, 0 if undo else 1]).fetchone()
    if row is None:
        return None
    before, after = json.loads(row[2]), json.loads(row[3])
    if not _unchanged(conn, after if undo else before):
        raise ProjectError(
            f"cannot {'undo' if undo else 'redo'} '{row[1]}': its codings have been changed "
            "since (by another coder, or a merge or reimport); nothing was changed")
    created = json.loads(row[4]) if row[4] else None
    code_changed = False
    if undo:
        _apply(conn, after, before)
        code_changed = created is not None and _drop_code(conn, created)
    else:
        code_changed = created is not None and _restore_code(conn, created)
        _apply(conn, before, after)
    conn.execute("UPDATE actions SET undone = ? WHERE id = ?", [1 if undo else 0, row[0]])
    now = before if undo else after
    return {"label": row[1], "rows": now or (after if undo else before),
            "code": created["key"] if code_changed and created else None,
            # every coding the step put in or took out, and their codes
            "ids": sorted({r["id"] for r in before + after}),
            "code_ids": sorted({r["code_id"] for r in before + after})}


def undo(conn: sqlite3.Connection, coder: str) -> dict[str, Any] | None:
    return _step(conn, undo=True, coder=coder)


def redo(conn: sqlite3.Connection, coder: str) -> dict[str, Any] | None:
    return _step(conn, undo=False, coder=coder)
