"""Who has a workbench open on the project: one row per workbench process."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Presence:
    coder: str
    transcript: str | None  # the transcript's name, None before one is open
    transcript_id: int | None
    served: bool  # a browser session of `qual-coder serve`
    host: str
    pid: int
    started_at: str
    seen_at: str


def touch(conn: sqlite3.Connection, host: str, pid: int, coder: str,
          transcript_id: int | None, served: bool, now: str) -> None:
    conn.execute(
        "INSERT INTO presence (host, pid, coder, transcript_id, served, started_at, seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (host, pid) DO UPDATE SET "
        "coder = excluded.coder, transcript_id = excluded.transcript_id, "
        "seen_at = excluded.seen_at",
        [host, pid, coder, transcript_id, int(served), now, now])


def leave(conn: sqlite3.Connection, host: str, pid: int) -> None:
    conn.execute("DELETE FROM presence WHERE host = ? AND pid = ?", [host, pid])


def forget_before(conn: sqlite3.Connection, cutoff: str) -> None:
    conn.execute("DELETE FROM presence WHERE seen_at < ?", [cutoff])


def active(conn: sqlite3.Connection, since: str) -> list[Presence]:
    return [Presence(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7]) for r in conn.execute(
        "SELECT p.coder, t.name, p.transcript_id, p.served, p.host, p.pid, p.started_at, "
        "p.seen_at FROM presence p LEFT JOIN transcripts t ON t.id = p.transcript_id "
        "WHERE p.seen_at >= ? ORDER BY p.coder, p.started_at", [since])]
