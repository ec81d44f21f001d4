"""The audit trail (Lincoln & Guba's dependability): events no other table remembers, and
every dated record of who did what, read together."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def record_event(conn: sqlite3.Connection, kind: str, detail: str, who: str | None,
                 at: str) -> None:
    conn.execute("INSERT INTO events (at, who, kind, detail) VALUES (?, ?, ?, ?)",
                 [at, who, kind, detail])


def trail(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every dated record, oldest first: (at, who, what, detail, status)."""
    out: list[dict[str, Any]] = []

    def add(at: str | None, who: str | None, what: str, detail: str, status: str = "") -> None:
        out.append({"at": at or "", "who": who or "", "what": what, "detail": detail,
                    "status": status})

    names = dict(conn.execute("SELECT id, name FROM transcripts"))
    logged = set()  # transcripts whose import is an event ("NAME from FILE (…)")
    import_times = set()  # a .qdpx import's event has the time its transcripts were stored
    for at, who, kind, detail in conn.execute("SELECT at, who, kind, detail FROM events"):
        add(at, who, kind, detail)
        if kind == "import":
            logged.add(detail.split(" from ", 1)[0])
            import_times.add(at)
    for name, source, at in conn.execute(
            "SELECT name, source_file, imported_at FROM transcripts"):
        if name not in logged and at not in import_times:  # from before the trail was kept
            add(at, None, "import", f"{name} (from {source or 'unknown file'}; who imported "
                                    "it was not recorded)")
    for label, before, after, who, at, undone in conn.execute(
            "SELECT label, before, after, coder, at, undone FROM actions ORDER BY id"):
        rows_before, rows_after = json.loads(before), json.loads(after)
        where = sorted({names.get(r["transcript_id"], "?") for r in rows_before + rows_after})
        spans = "; ".join(f"{names.get(r['transcript_id'], '?')} {r['start']}-{r['end']}"
                          for r in rows_after[:3]) + ("; …" if len(rows_after) > 3 else "")
        add(at, who, "coding", f"{label}: {len(rows_before)} coding(s) before, "
                               f"{len(rows_after)} after, in {', '.join(where) or '-'}"
                               + (f" ({spans})" if spans else ""),
            "undone" if undone else "")
    for key, action, detail, who, at in conn.execute(
            "SELECT code_key, action, detail, coder, at FROM code_history ORDER BY id"):
        add(at, who, "codebook", f"{key}: {action}" + (f" ({detail})" if detail else ""))
    for tid, code, start, end, coders, decision, who, at in conn.execute(
            'SELECT transcript_id, code, start, "end", coders, decision, decided_by, '
            "decided_at FROM agreement_resolutions ORDER BY id"):
        add(at, who, "agreement", f"{code} in {names.get(tid, '?')} {start}-{end} between "
                                  f"{coders}: {decision}")
    for tid, code, start, end, decision, engine, who, at in conn.execute(
            'SELECT d.transcript_id, c.key, d.start, d."end", d.decision, d.engine, d.coder, '
            "d.decided_at FROM suggestion_decisions d LEFT JOIN codes c ON c.id = d.code_id "
            "ORDER BY d.id"):
        add(at, who, "suggestion", f"{decision} {code or '?'} ({engine}) in "
                                   f"{names.get(tid, '?')} {start}-{end}")
    for scope, owner, who, created, updated in conn.execute(
            "SELECT scope, owner_id, author, created_at, updated_at FROM memos ORDER BY id"):
        add(updated or created, who, "memo", f"{scope} memo" + (
            f" on {names.get(owner, owner)}" if scope == "transcript" else
            f" #{owner}" if owner is not None else "") + (
            " (written " + created + ")" if updated and created and updated != created else ""))
    for theme, cases, case, code, who, at in conn.execute(
            "SELECT theme, cases, case_key, code, author, updated_at FROM framework_cells"):
        add(at, who, "framework", f"summary of {case} under {theme} / {code} (by {cases})")
    out.sort(key=lambda r: r["at"])
    return out


def copy_events(conn: sqlite3.Connection, other: sqlite3.Connection) -> int:
    """Another project's events this one has not got (a merge brings its history too)."""
    have = set(conn.execute("SELECT at, who, kind, detail FROM events"))
    new = [e for e in other.execute("SELECT at, who, kind, detail FROM events")
           if e not in have]
    conn.executemany("INSERT INTO events (at, who, kind, detail) VALUES (?, ?, ?, ?)", new)
    return len(new)
