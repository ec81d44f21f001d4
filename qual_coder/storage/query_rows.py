"""Saved coding queries: an expression and its options (where, coders) by name."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def save(conn: sqlite3.Connection, name: str, expression: str, options: dict[str, Any],
         saved_by: str | None, at: str) -> bool:
    """Save (or replace) a query; True when one of that name was replaced."""
    existed = saved(conn, name) is not None
    conn.execute("INSERT INTO queries (name, expression, options, saved_by, saved_at) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET expression = "
                 "excluded.expression, options = excluded.options, saved_by = "
                 "excluded.saved_by, saved_at = excluded.saved_at",
                 [name, expression, json.dumps(options, sort_keys=True), saved_by, at])
    return existed


def saved(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT name, expression, options, saved_by, saved_at FROM queries "
                       "WHERE name = ?", [name]).fetchone()
    return _row(row) if row else None


def all_saved(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [_row(r) for r in conn.execute(
        "SELECT name, expression, options, saved_by, saved_at FROM queries ORDER BY name")]


def delete(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM queries WHERE name = ?", [name]).rowcount > 0


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    name, expression, options, by, at = row
    return {"name": name, "expression": expression, "options": json.loads(options),
            "saved_by": by, "saved_at": at}
