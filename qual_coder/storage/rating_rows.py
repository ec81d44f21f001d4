"""CASCADE ratings as stored, and the links that tie a CASCADE domain or a survey item to
the codes that speak to it (for the joint display)."""

from __future__ import annotations

import sqlite3


def site_ratings(conn: sqlite3.Connection) -> dict[tuple[str, str, str], int]:
    """(site as named in transcripts, workshop, domain) -> rating, areas matched to sites
    by name, ignoring case and spacing."""
    sites = {" ".join(s.lower().split()): s for (s,) in conn.execute(
        "SELECT DISTINCT site FROM transcripts WHERE site IS NOT NULL")}
    out = {}
    for area, workshop, domain, rating in conn.execute(
            "SELECT area, workshop, domain, rating FROM cascade_ratings"):
        site = sites.get(" ".join(area.lower().split()))
        if site:
            out[(site, workshop, domain)] = rating
    return out


def ratings(conn: sqlite3.Connection) -> list[tuple[str, str, int, str, int]]:
    """(area, workshop, workshop order, domain, rating) of every CASCADE rating."""
    return conn.execute("SELECT area, workshop, workshop_order, domain, rating "
                        "FROM cascade_ratings").fetchall()


def replace_ratings(conn: sqlite3.Connection,
                    rows: list[tuple[str, str, int, str, int]]) -> int:
    """Put `rows` (as `ratings` returns them) in place of every rating; returns how many
    were replaced."""
    replaced = int(conn.execute("SELECT COUNT(*) FROM cascade_ratings").fetchone()[0])
    conn.execute("DELETE FROM cascade_ratings")
    conn.executemany("INSERT INTO cascade_ratings (area, workshop, workshop_order, domain, "
                     "rating) VALUES (?, ?, ?, ?, ?)", rows)
    return replaced


def any_ratings(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM cascade_ratings LIMIT 1").fetchone() is not None


def links(conn: sqlite3.Connection, kind: str, *, source: str | None = None,
          codes: list[str] | None = None) -> list[tuple[str, str]]:
    """(source, code) of the links of `kind` ("cascade" or "survey") from `source`, or to
    any of `codes`."""
    where, args = ["kind = ?"], [kind]
    if source is not None:
        where.append("source = ?")
        args.append(source)
    if codes is not None:
        if not codes:
            return []
        where.append(f"code IN ({', '.join('?' for _ in codes)})")
        args += codes
    return conn.execute(f"SELECT DISTINCT source, code FROM links WHERE {' AND '.join(where)} "
                        "ORDER BY source, code", args).fetchall()


def set_link(conn: sqlite3.Connection, kind: str, source: str, code: str,
             remove: bool = False) -> None:
    if remove:
        conn.execute("DELETE FROM links WHERE kind = ? AND source = ? AND code = ?",
                     [kind, source, code])
    else:
        conn.execute("INSERT OR IGNORE INTO links (kind, source, code) VALUES (?, ?, ?)",
                     [kind, source, code])
