"""Framework Method cells the analyst has summarised (charting), by theme and case."""

from __future__ import annotations

import sqlite3


def summaries(conn: sqlite3.Connection, theme: str, cases: str) -> dict[tuple[str, str], str]:
    """(case, code key) -> the analyst's summary, for one theme charted by `cases`."""
    return {(case, code): summary for case, code, summary in conn.execute(
        "SELECT case_key, code, summary FROM framework_cells WHERE theme = ? AND cases = ?",
        [theme, cases])}


def all_summaries(conn: sqlite3.Connection) -> list[tuple[str, str, str, str, str, str | None]]:
    """(theme, cases, case key, code, summary, author) of every charted cell."""
    return conn.execute("SELECT theme, cases, case_key, code, summary, author "
                        "FROM framework_cells ORDER BY theme, cases, case_key, code").fetchall()


def set_summary(conn: sqlite3.Connection, theme: str, cases: str, case_key: str, code: str,
                summary: str, author: str | None, at: str) -> None:
    conn.execute(
        "INSERT INTO framework_cells (theme, cases, case_key, code, summary, author, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(theme, cases, case_key, code) "
        "DO UPDATE SET summary = excluded.summary, author = excluded.author, "
        "updated_at = excluded.updated_at",
        [theme, cases, case_key, code, summary, author, at])


def clear_summary(conn: sqlite3.Connection, theme: str, cases: str, case_key: str,
                  code: str) -> None:
    conn.execute("DELETE FROM framework_cells WHERE theme = ? AND cases = ? AND "
                 "case_key = ? AND code = ?", [theme, cases, case_key, code])
