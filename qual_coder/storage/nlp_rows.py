"""Rows for the NLP side: the sentence cache, the learned model, suggestion reasons
and decisions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from .row_types import ModelRow


def sentence_state(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT transcript_id, text_sha, pipeline FROM sentence_state")}


def replace_sentences(conn: sqlite3.Connection, transcript_id: int, text_sha: str,
                      pipeline: str, rows: Iterable[tuple[int, int, int, str]]) -> None:
    conn.execute("DELETE FROM sentences WHERE transcript_id = ?", [transcript_id])
    conn.executemany('INSERT INTO sentences (transcript_id, turn_seq, start, "end", lemmas) '
                     "VALUES (?, ?, ?, ?, ?)", ((transcript_id, *r) for r in rows))
    conn.execute("INSERT OR REPLACE INTO sentence_state (transcript_id, text_sha, pipeline) "
                 "VALUES (?, ?, ?)", [transcript_id, text_sha, pipeline])


def sentences(conn: sqlite3.Connection,
              transcript_ids: list[int] | None = None) -> list[tuple[Any, ...]]:
    """(id, transcript_id, turn_seq, start, end, lemmas, not_said) in text order;
    `not_said` is 1 for the interviewer's words and for a turn that is no one's (a
    header, a transcriber's note): nothing to suggest codes for or learn from."""
    where = ""
    args: list[int] = []
    if transcript_ids is not None:
        where = f"WHERE s.transcript_id IN ({', '.join('?' for _ in transcript_ids)})"
        args = list(transcript_ids)
    return conn.execute(
        f'SELECT s.id, s.transcript_id, s.turn_seq, s.start, s."end", s.lemmas, '
        f"CASE WHEN t.speaker_id IS NULL THEN 1 ELSE COALESCE(st.is_interviewer, 0) END "
        f"FROM sentences s "
        f"LEFT JOIN turns t ON t.transcript_id = s.transcript_id AND t.seq = s.turn_seq "
        f"LEFT JOIN speakers sp ON sp.id = t.speaker_id "
        f"LEFT JOIN participants p ON p.id = sp.participant_id "
        f"LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type "
        f"{where} ORDER BY s.transcript_id, s.start", args).fetchall()


def save_model(conn: sqlite3.Connection, name: str, data: bytes, labels: list[str],
               examples: int, codings: int, at: str) -> None:
    conn.execute("INSERT OR REPLACE INTO nlp_models (name, data, labels, examples, codings, "
                 "trained_at) VALUES (?, ?, ?, ?, ?, ?)",
                 [name, data, json.dumps(labels), examples, codings, at])


def model(conn: sqlite3.Connection, name: str) -> ModelRow | None:
    row = conn.execute("SELECT data, labels, examples, codings, trained_at FROM nlp_models "
                       "WHERE name = ?", [name]).fetchone()
    if row is None:
        return None
    return ModelRow(data=row[0], labels=json.loads(row[1]), examples=row[2], codings=row[3],
                    trained_at=row[4])


def set_reason(conn: sqlite3.Connection, coding_id: int, score: float, engine: str,
               why: str) -> None:
    conn.execute("INSERT OR REPLACE INTO suggestion_reasons (coding_id, score, engine, why) "
                 "VALUES (?, ?, ?, ?)", [coding_id, score, engine, why])


def reasons(conn: sqlite3.Connection, coding_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    if not coding_ids:
        return {}
    marks = ", ".join("?" for _ in coding_ids)
    return {r[0]: r[1:] for r in conn.execute(
        f"SELECT coding_id, score, engine, why FROM suggestion_reasons WHERE coding_id IN "
        f"({marks})", coding_ids)}


def record_decision(conn: sqlite3.Connection, transcript_id: int, code_id: int, start: int,
                    end: int, decision: str, engine: str | None, score: float | None,
                    coder: str, at: str) -> None:
    conn.execute('INSERT INTO suggestion_decisions (transcript_id, code_id, start, "end", '
                 "decision, engine, score, coder, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 [transcript_id, code_id, start, end, decision, engine, score, coder, at])


def decisions(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """(transcript id, code GUID, start, end, decision, engine, score, coder, when) of every
    accepted and rejected suggestion."""
    return conn.execute(
        'SELECT d.transcript_id, c.guid, d.start, d."end", d.decision, d.engine, d.score, '
        "d.coder, d.decided_at FROM suggestion_decisions d JOIN codes c ON c.id = d.code_id "
        "ORDER BY d.id").fetchall()


def rejections(conn: sqlite3.Connection) -> list[tuple[int, str, int, int]]:
    """(transcript_id, code key, start, end) of every rejected suggestion."""
    return conn.execute(
        'SELECT d.transcript_id, c.key, d.start, d."end" FROM suggestion_decisions d '
        "JOIN codes c ON c.id = d.code_id WHERE d.decision = 'rejected'").fetchall()


def turn_speakers(conn: sqlite3.Connection) -> dict[tuple[int, int], tuple[str | None, str | None]]:
    """(transcript id, turn seq) -> (participant's name, stakeholder type), Nones for a turn
    no participant is assigned to."""
    return {(tid, seq): (who, stype) for tid, seq, who, stype in conn.execute(
        "SELECT t.transcript_id, t.seq, p.name, p.stakeholder_type FROM turns t "
        "LEFT JOIN speakers s ON s.id = t.speaker_id "
        "LEFT JOIN participants p ON p.id = s.participant_id")}


def turn_places(conn: sqlite3.Connection,
                ) -> dict[tuple[int, int], tuple[str | None, str | None, str | None]]:
    """(transcript id, turn seq) -> (site, speaker's role, stakeholder type's label)."""
    return {(tid, seq): (site, role, stype) for tid, seq, site, role, stype in conn.execute(
        "SELECT t.transcript_id, t.seq, tr.site, p.role, st.label FROM turns t "
        "JOIN transcripts tr ON tr.id = t.transcript_id "
        "LEFT JOIN speakers s ON s.id = t.speaker_id "
        "LEFT JOIN participants p ON p.id = s.participant_id "
        "LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type")}
