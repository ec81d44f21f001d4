"""Rows for codebooks, codes, the code history and memos."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..core.codebook import Code, Codebook, ordered
from ..core.text import did_you_mean
from ..errors import NotFound
from .project import insert_row, update_row
from .row_types import CodebookRow, CodeRow, HistoryRow, MemoRow

_CODE_COLS = ("c.id", "c.key", "c.name", "p.key", "c.description", "c.include", "c.exclude",
              "c.example", "c.keywords", "c.patterns", "c.color", "c.origin", "c.codable",
              "c.guid", "b.key", "c.sort", "c.created_by", "c.created_at")
_CODE_SELECT = (f"SELECT {', '.join(_CODE_COLS)} FROM codes c "
                "JOIN codebooks b ON b.id = c.codebook_id "
                "LEFT JOIN codes p ON p.id = c.parent_id")


def _code_dict(row: tuple[Any, ...]) -> CodeRow:
    (id_, key, name, parent, description, include, exclude, example, keywords, patterns,
     color, origin, codable, guid, codebook, sort, created_by, created_at) = row
    return CodeRow(id=id_, key=key, name=name, parent=parent, description=description,
                   include=include, exclude=exclude, example=example,
                   keywords=json.loads(keywords), patterns=json.loads(patterns), color=color,
                   origin=origin, codable=bool(codable), guid=guid, codebook=codebook,
                   sort=sort, created_by=created_by, created_at=created_at)


def code(conn: sqlite3.Connection, key: str) -> CodeRow:
    row = conn.execute(f"{_CODE_SELECT} WHERE c.key = ?", [key]).fetchone()
    if row is None:
        row = conn.execute(f"{_CODE_SELECT} WHERE c.key = ? COLLATE NOCASE OR c.name = ? "
                           "COLLATE NOCASE", [key, key]).fetchall()
        if len(row) == 1:
            return _code_dict(row[0])
        known = [v for pair in conn.execute("SELECT key, name FROM codes") for v in pair]
        raise NotFound(f"no code '{key}'{did_you_mean(key, known)} "
                       "(`qual-coder codebook tree PROJECT` lists the codes)")
    return _code_dict(row)


def code_exists(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM codes WHERE key = ?", [key]).fetchone() is not None


def code_by_guid(conn: sqlite3.Connection, guid: str) -> CodeRow | None:
    row = conn.execute(f"{_CODE_SELECT} WHERE lower(c.guid) = lower(?)", [guid]).fetchone()
    return _code_dict(row) if row else None


def all_codes(conn: sqlite3.Connection) -> list[CodeRow]:
    """Every code, codebook by codebook, each tree depth first in sort order."""
    rows = [_code_dict(r) for r in conn.execute(
        f"{_CODE_SELECT} ORDER BY b.sort, b.id, c.sort, c.id")]
    by_book: dict[str, list[CodeRow]] = {}
    for r in rows:
        by_book.setdefault(r["codebook"], []).append(r)
    out: list[CodeRow] = []
    for book_rows in by_book.values():
        index = {r["key"]: r for r in book_rows}
        out.extend(index[c.key] for c in ordered(
            [Code(key=r["key"], name=r["name"], parent=r["parent"]) for r in book_rows]))
    return out


def coding_counts(conn: sqlite3.Connection, keys: list[str] | None = None) -> dict[str, int]:
    """Final codings per code (only the codes `keys`, when given: a count from the
    index on (code, status) for each, whatever the project holds besides)."""
    only = f"WHERE c.key IN ({', '.join('?' for _ in keys)}) " if keys is not None else ""
    return dict(conn.execute(
        "SELECT c.key, COUNT(g.id) FROM codes c LEFT JOIN codings g ON g.code_id = c.id "
        f"AND g.status = 'final' {only}GROUP BY c.id", keys or []))


def codebooks(conn: sqlite3.Connection) -> list[CodebookRow]:
    return [CodebookRow(id=id_, key=key, name=name, description=description,
                        metadata=json.loads(metadata), source_file=source_file, guid=guid,
                        sort=sort)
            for id_, key, name, description, metadata, source_file, guid, sort in conn.execute(
                "SELECT id, key, name, description, metadata, source_file, guid, sort "
                "FROM codebooks ORDER BY sort, id")]


def codebook_row(conn: sqlite3.Connection, key: str) -> CodebookRow | None:
    return next((b for b in codebooks(conn) if b["key"] == key), None)


def load_codebook(conn: sqlite3.Connection, key: str) -> Codebook:
    row = codebook_row(conn, key)
    if row is None:
        known = ", ".join(b["key"] for b in codebooks(conn)) or "none loaded"
        raise NotFound(f"no codebook '{key}' in the project (codebooks: {known})")
    book = Codebook(key=row["key"], name=row["name"], description=row["description"],
                    metadata=row["metadata"], source=row["source_file"] or "", guid=row["guid"])
    # A colour chosen here for display was never the codebook's: it is not handed on.
    assigned = assigned_colors(conn)
    book.codes = [
        Code(key=r["key"], name=r["name"], parent=r["parent"], description=r["description"],
             include=r["include"], exclude=r["exclude"], example=r["example"],
             keywords=r["keywords"], patterns=r["patterns"],
             color=None if r["key"] in assigned else r["color"],
             origin=r["origin"], guid=r["guid"], codable=r["codable"])
        for r in all_codes(conn) if r["codebook"] == key
    ]
    return book


def insert_codebook(conn: sqlite3.Connection, book: Codebook, guid: str) -> int:
    sort = conn.execute("SELECT COALESCE(MAX(sort), 0) + 1 FROM codebooks").fetchone()[0]
    return insert_row(conn, "codebooks", {
        "key": book.key, "name": book.name, "description": book.description,
        "metadata": json.dumps(book.metadata, sort_keys=True), "source_file": book.source,
        "guid": guid, "sort": sort})


def set_codebook_metadata(conn: sqlite3.Connection, guid: str, metadata: dict[str, Any]) -> bool:
    """Give the codebook with `guid` this metadata where it has none; True if it did."""
    cur = conn.execute("UPDATE codebooks SET metadata = ? WHERE lower(guid) = lower(?) AND "
                       "metadata IN ('{}', '')", [json.dumps(metadata, sort_keys=True), guid])
    return cur.rowcount > 0


def update_codebook(conn: sqlite3.Connection, book: Codebook) -> None:
    conn.execute("UPDATE codebooks SET name = ?, description = ?, metadata = ?, source_file = ? "
                 "WHERE key = ?", [book.name, book.description,
                                   json.dumps(book.metadata, sort_keys=True), book.source,
                                   book.key])


def code_id(conn: sqlite3.Connection, key: str) -> int:
    """The id of code `key` (NotFound if there is none)."""
    row = conn.execute("SELECT id FROM codes WHERE key = ?", [key]).fetchone()
    if row is None:
        raise NotFound(f"no code '{key}'")
    return int(row[0])


def parent_id(conn: sqlite3.Connection, key: str | None) -> int | None:
    """The id of the parent code `key`; None for none (a top-level code). NotFound if
    `key` names no code."""
    return None if key is None else code_id(conn, key)


def mark_color_assigned(conn: sqlite3.Connection, key: str) -> None:
    """The code's colour was chosen here for display, not given by a codebook file."""
    conn.execute("UPDATE codes SET color_assigned = 1 WHERE key = ?", [key])


def assigned_colors(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT key FROM codes WHERE color_assigned = 1")}


def insert_code(conn: sqlite3.Connection, codebook_id: int, c: Code, guid: str, sort: int,
                created_by: str | None, created_at: str) -> int:
    return insert_row(conn, "codes", {
        "key": c.key, "codebook_id": codebook_id, "parent_id": parent_id(conn, c.parent),
        "name": c.name, "description": c.description, "include": c.include,
        "exclude": c.exclude, "example": c.example, "keywords": json.dumps(c.keywords),
        "patterns": json.dumps(c.patterns), "color": c.color, "origin": c.origin,
        "codable": int(c.codable), "guid": guid, "sort": sort, "created_by": created_by,
        "created_at": created_at})


def update_code(conn: sqlite3.Connection, key: str, **fields: Any) -> None:
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "parent":
            name, value = "parent_id", parent_id(conn, value)
        elif name in ("keywords", "patterns"):
            value = json.dumps(value)
        elif name == "codable":
            value = int(value)
        values[name] = value
    if values:
        update_row(conn, "codes", code_id(conn, key), values)


def next_sort(conn: sqlite3.Connection, codebook_id: int, parent_key: str | None) -> int:
    return int(conn.execute(
        "SELECT COALESCE(MAX(sort), 0) + 1 FROM codes WHERE codebook_id = ? AND "
        "parent_id IS ?", [codebook_id, parent_id(conn, parent_key)]).fetchone()[0])


def children_keys(conn: sqlite3.Connection, key: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT c.key FROM codes c JOIN codes p ON p.id = c.parent_id WHERE p.key = ? "
        "ORDER BY c.sort, c.id", [key])]


def descendant_keys(conn: sqlite3.Connection, key: str) -> list[str]:
    return [r[0] for r in conn.execute(
        """WITH RECURSIVE tree(id) AS (SELECT id FROM codes WHERE key = ?
           UNION ALL SELECT c.id FROM codes c JOIN tree ON c.parent_id = tree.id)
           SELECT key FROM codes WHERE id IN (SELECT id FROM tree) AND key != ?""",
        [key, key])]


def delete_code(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM codes WHERE key = ?", [key])


def record_history(conn: sqlite3.Connection, code_key: str, action: str, detail: str,
                   coder: str | None, at: str) -> None:
    conn.execute("INSERT INTO code_history (code_key, action, detail, coder, at) "
                 "VALUES (?, ?, ?, ?, ?)", [code_key, action, detail, coder, at])


def history(conn: sqlite3.Connection, code_key: str | None = None) -> list[HistoryRow]:
    sql = "SELECT id, code_key, action, detail, coder, at FROM code_history"
    args: list[Any] = []
    if code_key:
        sql += " WHERE code_key = ?"
        args.append(code_key)
    return [HistoryRow(id=i, code=code, action=action, detail=detail, coder=coder, at=at)
            for i, code, action, detail, coder, at in conn.execute(sql + " ORDER BY id", args)]


# -- memos ---------------------------------------------------------------------------

def set_memo(conn: sqlite3.Connection, scope: str, owner_id: int | None, text: str,
             author: str | None, at: str) -> None:
    if not text.strip():
        conn.execute("DELETE FROM memos WHERE scope = ? AND owner_id IS ?", [scope, owner_id])
        return
    conn.execute(
        "INSERT INTO memos (scope, owner_id, text, author, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(scope, owner_id) DO UPDATE SET "
        "text = excluded.text, author = excluded.author, updated_at = excluded.updated_at",
        [scope, owner_id, text, author, at, at])


def memo(conn: sqlite3.Connection, scope: str, owner_id: int | None) -> str:
    row = conn.execute("SELECT text FROM memos WHERE scope = ? AND owner_id IS ?",
                       [scope, owner_id]).fetchone()
    return row[0] if row else ""


def memos(conn: sqlite3.Connection) -> list[MemoRow]:
    return [MemoRow(id=i, scope=scope, owner_id=owner, text=text, author=author,
                    created_at=created, updated_at=updated)
            for i, scope, owner, text, author, created, updated in conn.execute(
                "SELECT id, scope, owner_id, text, author, created_at, updated_at FROM memos "
                "ORDER BY id")]


def top_codes(conn: sqlite3.Connection, codebook: str) -> list[tuple[str, str]]:
    """(key, name) of a codebook's top-level codes, in order."""
    return conn.execute(
        "SELECT c.key, c.name FROM codes c JOIN codebooks b ON b.id = c.codebook_id "
        "WHERE b.key = ? AND c.parent_id IS NULL ORDER BY c.sort, c.id", [codebook]).fetchall()


def keys_of(conn: sqlite3.Connection, code_ids: list[int]) -> list[str]:
    return [r[0] for r in conn.execute(
        f"SELECT key FROM codes WHERE id IN ({', '.join('?' for _ in code_ids)})", code_ids)]


def code_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM codes").fetchone()[0])


def codebook_id_of(conn: sqlite3.Connection, key: str) -> int:
    """The id of the codebook a code is in."""
    return int(conn.execute("SELECT codebook_id FROM codes WHERE key = ?", [key]).fetchone()[0])


def move_to_codebook(conn: sqlite3.Connection, keys: list[str], codebook_id: int) -> None:
    conn.executemany("UPDATE codes SET codebook_id = ? WHERE key = ?",
                     [(codebook_id, k) for k in keys])


def codebook_key_matching(conn: sqlite3.Connection, guid: str | None, name: str) -> str | None:
    """The key of the codebook with this GUID (any case) or else this name, if any."""
    row = conn.execute("SELECT key FROM codebooks WHERE lower(guid) = lower(?) OR name = ? "
                       "ORDER BY lower(guid) = lower(?) DESC", [guid, name, guid]).fetchone()
    return None if row is None else str(row[0])


def guid_of(conn: sqlite3.Connection, code_id: int) -> str | None:
    row = conn.execute("SELECT guid FROM codes WHERE id = ?", [code_id]).fetchone()
    return None if row is None else str(row[0])
