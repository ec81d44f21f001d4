"""Rows for codings: a code applied by a coder to a span of a transcript."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from ..errors import NotFound
from .row_types import CodingRow

_KEYS = ("id", "transcript_id", "transcript", "start", "end", "code", "coder", "status",
         "source", "guid", "created_at")
_SELECT = ("SELECT g.id, g.transcript_id, t.name, g.start, g.\"end\", c.key, g.coder, g.status, "
           "g.source, g.guid, g.created_at FROM codings g "
           "JOIN transcripts t ON t.id = g.transcript_id JOIN codes c ON c.id = g.code_id")


def insert(conn: sqlite3.Connection, transcript_id: int, code_id: int, start: int, end: int,
           coder: str, status: str, source: str, guid: str, at: str) -> int:
    return conn.execute(
        'INSERT INTO codings (transcript_id, code_id, start, "end", coder, status, source, '
        "guid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [transcript_id, code_id, start, end, coder, status, source, guid, at]).lastrowid or 0


def get(conn: sqlite3.Connection, coding_id: int) -> CodingRow:
    row = conn.execute(f"{_SELECT} WHERE g.id = ?", [coding_id]).fetchone()
    if row is None:
        raise NotFound(f"no coding #{coding_id}; `qual-coder codings PROJECT` lists them")
    return _coding(row)


def _coding(row: tuple[Any, ...]) -> CodingRow:
    id_, tid, transcript, start, end, code, coder, status, source, guid, created_at = row
    return CodingRow(id=id_, transcript_id=tid, transcript=transcript, start=start, end=end,
                     code=code, coder=coder, status=status, source=source, guid=guid,
                     created_at=created_at)


# A coding longer than this is "long": what overlaps a span is sought among the codings
# starting up to this far before it (the index on (transcript, start)) and among the long
# ones (the index on (transcript, length)), so the search reads what is near the span,
# not every coding before it (core.spans.SpanIndex divides them the same way).
LONG = 2_000


def overlapping(conn: sqlite3.Connection, transcript_id: int, code_id: int, coder: str,
                start: int, end: int) -> list[dict[str, Any]]:
    """Codings of the same code by the same coder that overlap or touch [start, end)."""
    same = "g.code_id = ? AND g.coder = ? AND g.status = 'final' AND g.\"end\" >= ?"
    rows = conn.execute(
        f'{_SELECT} WHERE g.transcript_id = ? AND g.start BETWEEN ? AND ? AND {same} '
        f'UNION {_SELECT} WHERE g.transcript_id = ? AND (g."end" - g.start) > {LONG} '
        f'AND +g.start < ? AND {same} ORDER BY 4',  # + : by length, not by start
        [transcript_id, start - LONG, end, code_id, coder, start,
         transcript_id, start - LONG, code_id, coder, start])
    return [dict(zip(_KEYS, r)) for r in rows]


def identical(conn: sqlite3.Connection, transcript_id: int, code_id: int, start: int,
              end: int, coder: str, status: str | None = None) -> bool:
    """Whether this coder already has this code on exactly this span (of `status`, or
    of any status)."""
    sql = ('SELECT 1 FROM codings WHERE transcript_id = ? AND code_id = ? AND start = ? '
           'AND "end" = ? AND coder = ?')
    args = [transcript_id, code_id, start, end, coder]
    if status is not None:
        sql += " AND status = ?"
        args.append(status)
    return conn.execute(sql, args).fetchone() is not None


def set_span(conn: sqlite3.Connection, coding_id: int, start: int, end: int) -> None:
    conn.execute('UPDATE codings SET start = ?, "end" = ? WHERE id = ?', [start, end, coding_id])


def delete(conn: sqlite3.Connection, coding_id: int) -> None:
    conn.execute("DELETE FROM codings WHERE id = ?", [coding_id])


def move_to_code(conn: sqlite3.Connection, coding_ids: list[int], code_id: int) -> None:
    conn.executemany("UPDATE codings SET code_id = ? WHERE id = ?",
                     [(code_id, i) for i in coding_ids])


def _filters(alias: str, transcript_id: int | None, code_keys: list[str] | None,
             coder: str | None) -> tuple[list[str], list[object]]:
    """WHERE terms (and their arguments) for a listing of `alias`'s rows (codings `g`,
    decisions `d`) by transcript, codes (joined as `c`) and coder."""
    where: list[str] = []
    args: list[object] = []
    if transcript_id is not None:
        where.append(f"{alias}.transcript_id = ?")
        args.append(transcript_id)
    if code_keys:
        where.append(f"c.key IN ({', '.join('?' for _ in code_keys)})")
        args.extend(code_keys)
    if coder:
        where.append(f"{alias}.coder = ?")
        args.append(coder)
    return where, args


def rejected_listing(conn: sqlite3.Connection, transcript_id: int | None = None,
                     code_keys: list[str] | None = None,
                     coder: str | None = None) -> list[dict[str, Any]]:
    """Suggestions a coder rejected (kept as decisions, no longer codings), in the shape
    of `listing`: the id is the decision's, the status 'rejected'."""
    where, args = _filters("d", transcript_id, code_keys, coder)
    sql = ("SELECT d.id, d.transcript_id, t.name, d.start, d.\"end\", c.key, d.coder, "
           "'rejected', coalesce(d.engine, 'suggestion'), NULL, d.decided_at "
           "FROM suggestion_decisions d JOIN transcripts t ON t.id = d.transcript_id "
           "JOIN codes c ON c.id = d.code_id WHERE " + " AND ".join(
               ["d.decision = 'rejected'", *where]))
    return [dict(zip(_KEYS, r)) for r in conn.execute(sql + " ORDER BY t.name, d.start, d.id",
                                                      args)]


def listing(conn: sqlite3.Connection, transcript_id: int | None = None,
            code_keys: list[str] | None = None, coder: str | None = None,
            status: str | None = None) -> list[dict[str, Any]]:
    where, args = _filters("g", transcript_id, code_keys, coder)
    if status:
        where.append("g.status = ?")
        args.append(status)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return [dict(zip(_KEYS, r)) for r in conn.execute(sql + " ORDER BY t.name, g.start, g.id",
                                                      args)]


def count_for_codes(conn: sqlite3.Connection, keys: list[str]) -> int:
    return int(conn.execute(
        f"SELECT COUNT(*) FROM codings g JOIN codes c ON c.id = g.code_id WHERE c.key IN "
        f"({', '.join('?' for _ in keys)})", keys).fetchone()[0])


def coders_by_reach(conn: sqlite3.Connection) -> list[str]:
    """Coders with final codings, those who coded the most transcripts first."""
    return [r[0] for r in conn.execute(
        "SELECT coder, COUNT(DISTINCT transcript_id) FROM codings WHERE status = 'final' "
        "GROUP BY coder ORDER BY 2 DESC, coder")]


def final_spans(conn: sqlite3.Connection, keys: list[str],
                coders: list[str] | None = None) -> list[tuple[int, int, int]]:
    """(transcript id, start, end) of the final codings with any of `keys`, by any coder
    or only `coders`."""
    by_coder = f" AND g.coder IN ({', '.join('?' for _ in coders)})" if coders else ""
    return conn.execute(
        f'SELECT g.transcript_id, g.start, g."end" FROM codings g JOIN codes c ON '
        f"c.id = g.code_id WHERE c.key IN ({', '.join('?' for _ in keys)}) "
        f"AND g.status = 'final'{by_coder}", [*keys, *(coders or [])]).fetchall()


def final_coders(conn: sqlite3.Connection) -> list[str]:
    """Everyone with a final coding, in name order."""
    return [c for c, in conn.execute(
        "SELECT DISTINCT coder FROM codings WHERE status = 'final' ORDER BY coder")]


def final_coded(conn: sqlite3.Connection, coders: list[str] | None = None,
                ) -> list[tuple[int, int, str, str, int, int]]:
    """(coding id, transcript id, code key, coder, start, end) of every final coding (or
    only `coders`'), by transcript then start."""
    by_coder = f" AND g.coder IN ({', '.join('?' for _ in coders)})" if coders else ""
    return conn.execute(
        f'SELECT g.id, g.transcript_id, c.key, g.coder, g.start, g."end" FROM codings g '
        f"JOIN codes c ON c.id = g.code_id WHERE g.status = 'final'{by_coder} "
        f"ORDER BY g.transcript_id, g.start, g.id", coders or []).fetchall()


def final_ids_within(conn: sqlite3.Connection, transcript_id: int, code_id: int, start: int,
                     end: int, coders: list[str]) -> list[int]:
    """Final codings of one code by `coders` overlapping [start, end) of a transcript."""
    return [r[0] for r in conn.execute(
        'SELECT id FROM codings WHERE transcript_id = ? AND code_id = ? AND status = '
        f"'final' AND start < ? AND \"end\" > ? AND coder IN "
        f"({', '.join('?' for _ in coders)})",
        [transcript_id, code_id, end, start, *coders])]


def resolutions(conn: sqlite3.Connection) -> set[tuple[int, str, int, int]]:
    """(transcript id, code key, start, end) of disagreements resolved as "keep both"."""
    return {(t, c, s, e) for t, c, s, e in conn.execute(
        'SELECT transcript_id, code, start, "end" FROM agreement_resolutions')}


def record_resolution(conn: sqlite3.Connection, transcript_id: int, code: str, start: int,
                      end: int, coders: list[str], decision: str, by: str, at: str) -> None:
    conn.execute(
        'INSERT OR REPLACE INTO agreement_resolutions (transcript_id, code, start, "end", '
        "coders, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [transcript_id, code, start, end, " ".join(coders), decision, by, at])


def any_codings(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM codings LIMIT 1").fetchone() is not None


def final_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM codings WHERE status = 'final'").fetchone()[0])


def in_transcript(conn: sqlite3.Connection, transcript_id: int, coder: str | None = None,
                  ids: Iterable[int] | None = None,
                  ) -> list[tuple[int, int, int, str, str, str, str, str]]:
    """(id, start, end, code key, code name, colour, coder, status) of a transcript's
    codings (every status; only `coder`'s, only those of `ids`, when given), in text
    order."""
    # With `ids`, the rows are found by id; the transcript is then a filter (the unary +
    # keeps SQLite from reading the transcript's codings through its index instead).
    wanted = list(ids) if ids is not None else None
    sql = ('SELECT g.id, g.start, g."end", c.key, c.name, COALESCE(c.color, "#888888"), '
           "g.coder, g.status FROM codings g JOIN codes c ON c.id = g.code_id WHERE "
           + ("+g.transcript_id = ?" if wanted is not None else "g.transcript_id = ?"))
    args: list[Any] = [transcript_id]
    if coder:
        sql += " AND g.coder = ?"
        args.append(coder)
    if wanted is not None:
        sql += f" AND g.id IN ({', '.join('?' for _ in wanted)})"
        args.extend(wanted)
    return conn.execute(sql + " ORDER BY g.start, g.id", args).fetchall()


def coded_transcripts(conn: sqlite3.Connection) -> list[int]:
    """The transcripts with at least one final coding."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT transcript_id FROM codings WHERE status = 'final'")]


def excerpt_rows(conn: sqlite3.Connection, keys: list[str],
                 ) -> list[tuple[int, int, str, int, int, str, str, str, str | None]]:
    """(coding id, transcript id, transcript name, start, end, text, code key, coder, site)
    of the final codings with any of `keys`, by transcript name then start."""
    return conn.execute(
        f"""
        SELECT g.id, g.transcript_id, t.name, g.start, g."end", substr(t.text, g.start + 1,
               g."end" - g.start), c.key, g.coder, t.site
        FROM codings g JOIN codes c ON c.id = g.code_id JOIN transcripts t ON t.id = g.transcript_id
        WHERE c.key IN ({', '.join('?' for _ in keys)}) AND g.status = 'final'
        ORDER BY t.name, g.start""", keys).fetchall()


def progress(conn: sqlite3.Connection, transcript_id: int | None = None) -> dict[int, float]:
    """Share of participants' (not interviewers') turns carrying at least one final
    coding, per transcript (or for one). One sorted pass: turns (at their ends) and final
    codings (at their starts) in order of position, each turn coded when the furthest end
    of the codings that start before it ends reaches past its start. Its cost grows with
    turns plus codings, in SQLite (which lets other threads run meanwhile); a correlated
    EXISTS per turn grew with their product (8,000 codings on one transcript: 1.8 s)."""
    only = "AND {}transcript_id = ?" if transcript_id is not None else ""
    args = [transcript_id, transcript_id] if transcript_id is not None else []
    return dict(conn.execute(
        f"""
        WITH turn AS (
            SELECT t.transcript_id AS tid, t.start AS s, t."end" AS e
            FROM turns t JOIN speakers sp ON sp.id = t.speaker_id
            LEFT JOIN participants p ON p.id = sp.participant_id
            LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type
            WHERE COALESCE(st.is_interviewer, 0) = 0 {only.format("t.")}),
        event AS (
            SELECT tid, e AS at, 0 AS is_coding, s AS turn_start, NULL AS reach FROM turn
            UNION ALL
            SELECT transcript_id, start, 1, NULL, "end" FROM codings
            WHERE status = 'final' {only.format("")}),
        swept AS (
            SELECT tid, is_coding, turn_start,
                   MAX(reach) OVER (PARTITION BY tid ORDER BY at, is_coding
                                    ROWS UNBOUNDED PRECEDING) AS reached
            FROM event)
        SELECT tid, 1.0 * SUM(COALESCE(reached, -1) > turn_start) / COUNT(*)
        FROM swept WHERE is_coding = 0 GROUP BY tid""", args))


def delete_for_code(conn: sqlite3.Connection, code_id: int) -> None:
    conn.execute("DELETE FROM codings WHERE code_id = ?", [code_id])


def spans_for(conn: sqlite3.Connection, transcript_id: int,
              coder: str) -> list[tuple[str, int, int]]:
    """(code key, start, end) of a transcript's final codings and of every coding of
    `coder`'s (suggestions to them included)."""
    return conn.execute(
        'SELECT c.key, g.start, g."end" FROM codings g JOIN codes c ON c.id = g.code_id '
        "WHERE g.transcript_id = ? AND (g.coder = ? OR g.status = 'final')",
        [transcript_id, coder]).fetchall()


def set_source(conn: sqlite3.Connection, guid: str, source: str) -> None:
    """How the coding with `guid` came to be (accepted from a suggestion, resolved, ...)."""
    conn.execute("UPDATE codings SET source = ? WHERE guid = ?", [source, guid])


def guid_exists(conn: sqlite3.Connection, guid: str) -> bool:
    return conn.execute("SELECT 1 FROM codings WHERE guid = ?", [guid]).fetchone() is not None


def span_of_guid(conn: sqlite3.Connection, guid: str) -> tuple[int, int] | None:
    """(start, end) of the coding with this GUID, if there is one."""
    row = conn.execute('SELECT start, "end" FROM codings WHERE guid = ?', [guid]).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def for_reanchoring(conn: sqlite3.Connection, transcript_id: int,
                    ) -> list[tuple[int, int, int, int, str, str, str]]:
    """(id, code id, start, end, coder, guid, created at) of every coding of a transcript."""
    return conn.execute('SELECT id, code_id, start, "end", coder, guid, created_at FROM codings '
                        "WHERE transcript_id = ?", [transcript_id]).fetchall()


def set_aside(conn: sqlite3.Connection, coding_id: int, transcript_id: int, code_id: int,
              coder: str, quote: str, start: int, end: int, guid: str, created: str,
              at: str) -> None:
    """A coding a new version of its transcript has no place for, moved to
    unplaced_codings with the words it covered."""
    conn.execute("DELETE FROM codings WHERE id = ?", [coding_id])
    conn.execute(
        "INSERT INTO unplaced_codings (transcript_id, code_id, coder, quote, old_start, "
        "old_end, guid, created_at, unplaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [transcript_id, code_id, coder, quote, start, end, guid, created, at])


def first_final_at(conn: sqlite3.Connection) -> str | None:
    """When the first final coding still standing was made."""
    row = conn.execute("SELECT MIN(created_at) FROM codings WHERE status = 'final'").fetchone()
    return row[0] if row else None


def final_from_suggestions(conn: sqlite3.Connection) -> int:
    """Final codings that began as a suggestion a coder accepted."""
    return int(conn.execute("SELECT COUNT(*) FROM codings WHERE status = 'final' AND "
                            "source LIKE 'accepted:%'").fetchone()[0])
