"""Pre/post survey items and responses as stored: one row per respondent, wave and item."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def items(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Items in their order: key, label, type, levels (list), groups (dict)."""
    return [{"key": k, "label": lab, "type": t, "levels": json.loads(lv),
             "groups": json.loads(g)} for k, lab, t, lv, g in conn.execute(
                 "SELECT key, label, type, levels, groups FROM survey_items ORDER BY sort")]


def waves(conn: sqlite3.Connection) -> list[str]:
    """Waves in the order they were first imported."""
    return [w for w, in conn.execute(
        "SELECT wave FROM survey_responses GROUP BY wave ORDER BY MIN(wave_order)")]


def answers(conn: sqlite3.Connection) -> dict[tuple[str, str, str], str | None]:
    """(respondent, wave, item) -> the answer (None for a blank)."""
    return {(rid, w, item): v for rid, w, item, v in conn.execute(
        "SELECT respondent_id, wave, item, value FROM survey_responses")}


def respondents(conn: sqlite3.Connection) -> list[str]:
    """Every respondent code stored, as first written."""
    return [r for r, in conn.execute("SELECT DISTINCT respondent_id FROM survey_responses")]


def respondents_by_wave(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """wave -> its respondents' codes, case-folded."""
    out: dict[str, set[str]] = {}
    for w, rid in conn.execute("SELECT DISTINCT wave, respondent_id FROM survey_responses"):
        out.setdefault(w, set()).add(rid.casefold())
    return out


def item_exists(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM survey_items WHERE key = ?", [key]).fetchone() is not None


def replace_waves(conn: sqlite3.Connection, wave_names: list[str],
                  new_items: list[tuple[str, str, str, list[str], dict[str, list[str]]]],
                  rows: list[tuple[str, str, str, str | None]]) -> None:
    """Responses `rows` (respondent, wave, item, value) in place of those of
    `wave_names`; `new_items` (key, label, type, levels, groups) added or updated, new
    ones after those already stored, in the order given."""
    orders = dict(conn.execute(
        "SELECT wave, MIN(wave_order) FROM survey_responses GROUP BY wave").fetchall())
    for w in wave_names:
        orders.setdefault(w, max(orders.values(), default=-1) + 1)
    conn.executemany("DELETE FROM survey_responses WHERE wave = ?", [(w,) for w in wave_names])
    existing = [k for k, in conn.execute("SELECT key FROM survey_items ORDER BY sort")]
    for i, (key, label, kind, levels, groups) in enumerate(new_items):
        sort = existing.index(key) if key in existing else len(existing) + i
        conn.execute(
            "INSERT INTO survey_items (key, label, type, levels, groups, sort) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET label = "
            "excluded.label, type = excluded.type, levels = excluded.levels, "
            "groups = excluded.groups",
            [key, label, kind, json.dumps(levels), json.dumps(groups), sort])
    conn.executemany(
        "INSERT INTO survey_responses (respondent_id, wave, wave_order, item, value) "
        "VALUES (?, ?, ?, ?, ?)", [(r, w, orders[w], k, v) for r, w, k, v in rows])
