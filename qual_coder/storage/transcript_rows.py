"""Rows for transcripts, speakers, turns, participants and their attributes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..core.text import did_you_mean
from ..errors import NotFound, QualCoderError
from .project import update_row
from .row_types import ParticipantRow, StakeholderTypeRow, TranscriptRow, TurnRow

if TYPE_CHECKING:
    from .project import Project

TRANSCRIPT_FIELDS = ("site", "kind", "date", "name")
PARTICIPANT_FIELDS = ("stakeholder_type", "role", "name")


def sha_exists(conn: sqlite3.Connection, sha256: str) -> str | None:
    row = conn.execute("SELECT name FROM transcripts WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def find_by_content(conn: sqlite3.Connection, shas: Iterable[str], text: str,
                    exclude: Iterable[int] = ()) -> tuple[int, str] | None:
    """(id, name) of a transcript whose sha256 is one of `shas` (of a file, or of a
    text) or whose text is `text`: the same words, however they reached the project.
    Transcripts in `exclude` (already matched to another source) are passed over."""
    exclude = set(exclude)
    shas = list(shas)
    for row in conn.execute(f"SELECT id, name FROM transcripts WHERE sha256 IN "
                            f"({', '.join('?' for _ in shas)})", shas):
        if row[0] not in exclude:
            return int(row[0]), str(row[1])
    for row in conn.execute("SELECT id, name FROM transcripts WHERE text = ?", [text]):
        if row[0] not in exclude:
            return int(row[0]), str(row[1])
    return None


def set_exchange_identity(conn: sqlite3.Connection, tid: int, guid: str | None,
                          positions: str | None) -> None:
    """The GUID a REFI-QDA source had, and how its tool counted positions."""
    conn.execute("UPDATE transcripts SET guid = ?, positions = ? WHERE id = ?",
                 [guid, positions, tid])


def free_name(conn: sqlite3.Connection, wanted: str) -> str:
    name, n = wanted, 1
    while conn.execute("SELECT 1 FROM transcripts WHERE name = ?", [name]).fetchone():
        n += 1
        name = f"{wanted} ({n})"
    return name


def insert_transcript(conn: sqlite3.Connection, row: dict[str, Any]) -> int:
    # A hand-built INSERT, not insert_row: 29 µs against 207 µs a row, which would add 7%
    # to importing a thousand 5,000-word transcripts (bench/sqlite_utils_cost.py).
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    return conn.execute(f"INSERT INTO transcripts ({cols}) VALUES ({marks})",
                        list(row.values())).lastrowid or 0


def insert_speaker(conn: sqlite3.Connection, transcript_id: int, label: str,
                   participant_id: int | None) -> int:
    return conn.execute(
        "INSERT INTO speakers (transcript_id, label, participant_id) VALUES (?, ?, ?)",
        [transcript_id, label, participant_id],
    ).lastrowid or 0


def insert_turns(conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
    """rows: (transcript_id, seq, speaker_id, start, end, timestamp)."""
    conn.executemany(
        'INSERT INTO turns (transcript_id, seq, speaker_id, start, "end", timestamp) '
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def ensure_turn_index(conn: sqlite3.Connection) -> int:
    """Add transcripts not yet in the full-text index of turns; returns how many.
    Call inside a transaction."""
    todo = [r[0] for r in conn.execute(
        "SELECT id FROM transcripts WHERE id NOT IN (SELECT transcript_id FROM turn_fts_done)")]
    for tid in todo:
        conn.execute(
            'INSERT INTO turn_fts (rowid, text) SELECT t.id, substr(tr.text, t.start + 1, '
            't."end" - t.start) FROM turns t JOIN transcripts tr ON tr.id = t.transcript_id '
            "WHERE t.transcript_id = ?", [tid])
        conn.execute("INSERT INTO turn_fts_done (transcript_id) VALUES (?)", [tid])
    return len(todo)


def turns_matching(project: Project, query: str) -> set[int]:
    """search_turns after bringing the full-text index up to date, in a transaction of
    its own: the index is a cache of the turns, built on the first search that needs it."""
    with project.transaction():
        ensure_turn_index(project.conn)
    return search_turns(project.conn, query)


def search_turns(conn: sqlite3.Connection, query: str) -> set[int]:
    """Ids of turns containing every word of `query` (FTS5, case-insensitive); the
    index must be current (turns_matching)."""
    words = [w for w in query.replace('"', " ").split() if w.strip("*")]
    if not words:
        return set()
    # A trailing * is a prefix (referr* finds referral and referred), as FTS5 writes it.
    match = " AND ".join(f'"{w.rstrip("*")}"*' if w.endswith("*") else f'"{w}"'
                         for w in words)
    return {r[0] for r in conn.execute("SELECT rowid FROM turn_fts WHERE turn_fts MATCH ?",
                                       [match])}


def turn_hits(conn: sqlite3.Connection, turn_ids: Iterable[int], limit: int = 500
              ) -> list[dict[str, Any]]:
    """Where matching turns are and who spoke them: transcript, site, kind, speaker
    (participant, label, stakeholder type, role, interviewer or not), offsets."""
    rows = conn.execute(
        'SELECT t.id, t.transcript_id, tr.name, tr.site, t.start, t."end", s.label, p.name, '
        "p.stakeholder_type, p.role, COALESCE(st.is_interviewer, 0), tr.kind "
        "FROM turns t JOIN transcripts tr ON tr.id = t.transcript_id LEFT JOIN speakers s "
        "ON s.id = t.speaker_id LEFT JOIN participants p ON p.id = s.participant_id "
        "LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type WHERE "
        "t.id IN (SELECT value FROM json_each(?)) ORDER BY tr.name, t.start LIMIT ?",
        [json.dumps(sorted(turn_ids)), limit])
    keys = ("turn_id", "transcript_id", "transcript", "site", "start", "end", "speaker",
            "participant", "stakeholder_type", "role", "interviewer", "kind")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def turn_containing(conn: sqlite3.Connection, transcript_id: int, offset: int
                    ) -> tuple[int, str | None, str | None] | None:
    """(turn number, speaker label, participant) of the turn holding `offset`."""
    row = conn.execute(
        'SELECT t.seq, s.label, p.name FROM turns t LEFT JOIN speakers s ON s.id = '
        "t.speaker_id LEFT JOIN participants p ON p.id = s.participant_id WHERE "
        't.transcript_id = ? AND t.start <= ? ORDER BY t.start DESC LIMIT 1',
        [transcript_id, offset]).fetchone()
    return (row[0], row[1], row[2]) if row else None


def text_between(conn: sqlite3.Connection, transcript_id: int, start: int, end: int) -> str:
    row = conn.execute("SELECT substr(text, ?, ?) FROM transcripts WHERE id = ?",
                       [start + 1, end - start, transcript_id]).fetchone()
    return row[0] if row else ""


def texts_by(conn: sqlite3.Connection, by: str = "id") -> dict[Any, str]:
    """Every transcript's text, keyed by its id (or its name)."""
    key = "name" if by == "name" else "id"
    return dict(conn.execute(f"SELECT {key}, text FROM transcripts"))


def id_named(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM transcripts WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


# -- stakeholder types -------------------------------------------------------------

def stakeholder_types(conn: sqlite3.Connection) -> list[StakeholderTypeRow]:
    cur = conn.execute(
        "SELECT key, label, is_interviewer FROM stakeholder_types ORDER BY sort, key")
    return [StakeholderTypeRow(key=k, label=lab, is_interviewer=bool(i)) for k, lab, i in cur]


def resolve_stakeholder_type(conn: sqlite3.Connection, value: str) -> str:
    """Accept a key or a label, in any case, with spaces or underscores."""
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    for t in stakeholder_types(conn):
        if wanted in (t["key"].lower(), t["label"].lower().replace(" ", "_")):
            return str(t["key"])
    known = ", ".join(t["key"] for t in stakeholder_types(conn))
    raise QualCoderError(
        f"unknown stakeholder type '{value}'; known types: {known} "
        "(add one with `qual-coder stakeholder-types PROJECT --add KEY LABEL`)"
    )


def clear_stakeholder_types(conn: sqlite3.Connection) -> None:
    """Start a study without the CASCADE types: only the interviewer type stays."""
    conn.execute("DELETE FROM stakeholder_types WHERE is_interviewer = 0")


def add_stakeholder_type(conn: sqlite3.Connection, key: str, label: str,
                         is_interviewer: bool = False) -> None:
    sort = conn.execute("SELECT COALESCE(MAX(sort), 0) + 1 FROM stakeholder_types "
                        "WHERE is_interviewer = 0").fetchone()[0]
    conn.execute(
        "INSERT INTO stakeholder_types (key, label, is_interviewer, sort) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET label = excluded.label, "
        "is_interviewer = excluded.is_interviewer",
        [key, label, int(is_interviewer), sort],
    )


# -- participants ------------------------------------------------------------------

def participant_by_name(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT id, name, stakeholder_type, role FROM participants WHERE name = ?", [name]
    ).fetchone()
    return dict(zip(("id", "name", "stakeholder_type", "role"), row)) if row else None


def ensure_participant(conn: sqlite3.Connection, name: str, stakeholder_type: str | None,
                       role: str | None) -> tuple[int, list[str]]:
    """Find or create a participant; fill in type and role where they were unknown."""
    notes: list[str] = []
    found = participant_by_name(conn, name)
    if found is None:
        pid = conn.execute(
            "INSERT INTO participants (name, stakeholder_type, role) VALUES (?, ?, ?)",
            [name, stakeholder_type, role],
        ).lastrowid or 0
        return pid, notes
    for field, value in (("stakeholder_type", stakeholder_type), ("role", role)):
        if value and not found[field]:
            conn.execute(f"UPDATE participants SET {field} = ? WHERE id = ?", [value, found["id"]])
        elif value and found[field] != value:
            notes.append(f"participant '{name}' keeps {field} '{found[field]}' "
                         f"(this import said '{value}')")
    return found["id"], notes


def participants(conn: sqlite3.Connection) -> list[ParticipantRow]:
    cur = conn.execute(
        """
        SELECT p.id, p.name, p.stakeholder_type, p.role,
               COALESCE(st.is_interviewer, 0),
               COUNT(DISTINCT s.transcript_id), COUNT(t.id)
        FROM participants p
        LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type
        LEFT JOIN speakers s ON s.participant_id = p.id
        LEFT JOIN turns t ON t.speaker_id = s.id
        GROUP BY p.id ORDER BY p.name
        """
    )
    attrs = attributes_by_owner(conn, "participant")
    return [ParticipantRow(id=pid, name=name, stakeholder_type=stype, role=role,
                           is_interviewer=bool(interviewer), transcripts=transcripts,
                           turns=turns, attributes=attrs.get(pid, {}))
            for pid, name, stype, role, interviewer, transcripts, turns in cur]


def update_participant(conn: sqlite3.Connection, who: str, **fields: str | None) -> None:
    found = participant_by_name(conn, who)
    if found is None:
        known = [n for n, in conn.execute("SELECT name FROM participants")]
        raise NotFound(f"no participant named '{who}'{did_you_mean(who, known)} "
                       "(`qual-coder participants PROJECT` lists them)")
    for field, value in fields.items():
        if value is None:
            continue
        if field not in PARTICIPANT_FIELDS:
            raise QualCoderError(f"participants have no field '{field}'")
        if field == "name" and participant_by_name(conn, value):
            raise QualCoderError(f"a participant named '{value}' exists already")
        conn.execute(f"UPDATE participants SET {field} = ? WHERE id = ?", [value, found["id"]])


def assign_speaker(conn: sqlite3.Connection, transcript_id: int, label: str,
                   participant_id: int) -> None:
    cur = conn.execute("UPDATE speakers SET participant_id = ? WHERE transcript_id = ? "
                       "AND label = ?", [participant_id, transcript_id, label])
    if cur.rowcount == 0:
        raise NotFound(f"no speaker '{label}' in that transcript")


# -- attributes --------------------------------------------------------------------

def attributes_by_owner(conn: sqlite3.Connection, scope: str) -> dict[int, dict[str, str]]:
    """owner id -> {attribute: value} for one scope ("transcript" or "participant")."""
    out: dict[int, dict[str, str]] = {}
    for owner, name, value in conn.execute(
        "SELECT owner_id, name, value FROM attributes WHERE scope = ? ORDER BY name", [scope]
    ):
        out.setdefault(owner, {})[name] = value
    return out


def set_attribute(conn: sqlite3.Connection, scope: str, owner_id: int, name: str,
                  value: str | None) -> None:
    if value is None or value == "":
        conn.execute("DELETE FROM attributes WHERE scope = ? AND owner_id = ? AND name = ?",
                     [scope, owner_id, name])
        return
    conn.execute(
        "INSERT INTO attributes (scope, owner_id, name, value) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(scope, owner_id, name) DO UPDATE SET value = excluded.value",
        [scope, owner_id, name, value],
    )


# -- transcripts -------------------------------------------------------------------

def transcript_by_ref(conn: sqlite3.Connection, ref: str | int) -> TranscriptRow:
    """A transcript by a reference a user gives: its id, else its name (exactly, else
    in any case), as `qual-coder transcripts` shows them; NotFound names the nearest."""
    row = None
    if isinstance(ref, int) or str(ref).isdigit():
        row = conn.execute("SELECT id FROM transcripts WHERE id = ?", [int(ref)]).fetchone()
    if row is None:
        row = conn.execute("SELECT id FROM transcripts WHERE name = ?", [str(ref)]).fetchone()
    if row is None:
        row = conn.execute("SELECT id FROM transcripts WHERE name = ? COLLATE NOCASE",
                           [str(ref)]).fetchone()
    if row is None:
        known = [n for n, in conn.execute("SELECT name FROM transcripts")]
        raise NotFound(f"no transcript '{ref}'{did_you_mean(str(ref), known)} "
                       "(`qual-coder transcripts PROJECT` lists them)")
    return transcript_by_id(conn, row[0])


def transcript_by_id(conn: sqlite3.Connection, transcript_id: int) -> TranscriptRow:
    row = conn.execute("SELECT id, name, source_file, format, encoding, sha256, kind, site, "
                       "date, words, text, imported_at FROM transcripts WHERE id = ?",
                       [transcript_id]).fetchone()
    if row is None:
        raise NotFound(f"no transcript with id {transcript_id}")
    id_, name, source_file, fmt, encoding, sha256, kind, site, date, words, text, at = row
    return TranscriptRow(id=id_, name=name, source_file=source_file, format=fmt,
                         encoding=encoding, sha256=sha256, kind=kind, site=site, date=date,
                         words=words, text=text, imported_at=at,
                         attributes=attributes_by_owner(conn, "transcript").get(id_, {}))


def turns(conn: sqlite3.Connection, transcript_id: int) -> list[TurnRow]:
    cur = conn.execute(
        """
        SELECT t.id, t.seq, t.start, t."end", t.timestamp, s.label, p.name,
               p.stakeholder_type, p.role, COALESCE(st.is_interviewer, 0)
        FROM turns t
        LEFT JOIN speakers s ON s.id = t.speaker_id
        LEFT JOIN participants p ON p.id = s.participant_id
        LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type
        WHERE t.transcript_id = ? ORDER BY t.seq
        """,
        [transcript_id],
    )
    return [TurnRow(id=tid, seq=seq, start=start, end=end, timestamp=ts, speaker=label,
                    participant=name, stakeholder_type=stype, role=role,
                    is_interviewer=interviewer)
            for tid, seq, start, end, ts, label, name, stype, role, interviewer in cur]


def list_transcripts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, name, kind, site, date, words, format, source_file FROM transcripts "
        "ORDER BY name"
    ).fetchall()
    speakers: dict[int, list[dict[str, Any]]] = {}
    per_speaker = dict(conn.execute(
        "SELECT speaker_id, COUNT(*) FROM turns WHERE speaker_id IS NOT NULL GROUP BY 1"))
    for sid, tid, label, participant, stype, role in conn.execute(
        """
        SELECT s.id, s.transcript_id, s.label, p.name, p.stakeholder_type, p.role
        FROM speakers s LEFT JOIN participants p ON p.id = s.participant_id
        ORDER BY s.transcript_id, s.id
        """
    ):
        speakers.setdefault(tid, []).append(
            dict(label=label, participant=participant, stakeholder_type=stype, role=role,
                 turns=per_speaker.get(sid, 0)))
    turn_counts = dict(conn.execute("SELECT transcript_id, COUNT(*) FROM turns GROUP BY 1"))
    out = []
    for tid, name, kind, site, date, words, fmt, source in rows:
        out.append(dict(id=tid, name=name, kind=kind, site=site, date=date, words=words,
                        turns=turn_counts.get(tid, 0), format=fmt, source_file=source,
                        speakers=speakers.get(tid, [])))
    return out


def update_transcript(conn: sqlite3.Connection, transcript_id: int, **fields: str | None) -> None:
    for field, value in fields.items():
        if value is None:
            continue
        if field not in TRANSCRIPT_FIELDS:
            raise QualCoderError(f"transcripts have no field '{field}'")
        if field == "kind" and value not in ("interview", "focus_group"):
            raise QualCoderError(f"kind must be interview or focus_group, not '{value}'")
        update_row(conn, "transcripts", transcript_id, {field: value})


def summary(conn: sqlite3.Connection) -> dict[str, Any]:
    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return dict(
        transcripts=one("SELECT COUNT(*) FROM transcripts"),
        words=one("SELECT COALESCE(SUM(words), 0) FROM transcripts"),
        turns=one("SELECT COUNT(*) FROM turns"),
        participants=one(
            "SELECT COUNT(*) FROM participants p LEFT JOIN stakeholder_types st "
            "ON st.key = p.stakeholder_type WHERE COALESCE(st.is_interviewer, 0) = 0"),
        sites=[r[0] for r in conn.execute(
            "SELECT DISTINCT site FROM transcripts WHERE site IS NOT NULL ORDER BY site")],
        kinds=dict(conn.execute("SELECT kind, COUNT(*) FROM transcripts GROUP BY kind")),
        by_stakeholder_type=dict(conn.execute(
            "SELECT COALESCE(stakeholder_type, '(not recorded)'), COUNT(*) FROM participants "
            "GROUP BY 1 ORDER BY 1")),
    )


def turn_spans(conn: sqlite3.Connection, turn_ids: Iterable[int]) -> list[tuple[int, int, int]]:
    """(transcript id, start, end) of the turns with `turn_ids`, in no set order."""
    return conn.execute('SELECT transcript_id, start, "end" FROM turns WHERE id IN '
                        "(SELECT value FROM json_each(?))",
                        [json.dumps(sorted(turn_ids))]).fetchall()


def turns_overlapping(conn: sqlite3.Connection, transcript_id: int, low: int,
                      high: int) -> list[tuple[int, int, int, int | None]]:
    """(turn id, start, end, speaker id) of a transcript's turns overlapping [low, high)."""
    return conn.execute('SELECT id, start, "end", speaker_id FROM turns WHERE '
                        'transcript_id = ? AND start < ? AND "end" > ?',
                        [transcript_id, high, low]).fetchall()


def speaker_identities(conn: sqlite3.Connection,
                       ) -> dict[int, tuple[str | None, str | None, str | None, int, str | None]]:
    """speaker id -> (participant name, role, stakeholder type, 1 if an interviewer else 0,
    the stakeholder type's label); Nones for a speaker no participant is assigned to."""
    return {sid: (name, role, st, interviewer, label)
            for sid, name, role, st, interviewer, label in conn.execute(
                "SELECT s.id, p.name, p.role, p.stakeholder_type, "
                "COALESCE(st.is_interviewer, 0), st.label FROM speakers s "
                "LEFT JOIN participants p ON p.id = s.participant_id "
                "LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type")}


def stretch(conn: sqlite3.Connection, transcript_id: int, low: int,
            high: int) -> tuple[str, str | None, str, str]:
    """(name, site, kind, text[low:high]) of one transcript, reading only that stretch."""
    name, site, kind, text = conn.execute(
        "SELECT name, site, kind, substr(text, ?, ?) FROM transcripts WHERE id = ?",
        [low + 1, high - low, transcript_id]).fetchone()
    return name, site, kind, text


_DISTINCT = {"role": "SELECT DISTINCT role FROM participants",
             "site": "SELECT DISTINCT site FROM transcripts",
             "kind": "SELECT DISTINCT kind FROM transcripts",
             "participant": "SELECT name FROM participants",
             "speaker": "SELECT DISTINCT label FROM speakers"}


def distinct_values(conn: sqlite3.Connection, field: str) -> list[str]:
    """The values given for `field` (role, site, kind, participant name or speaker label),
    blanks left out."""
    return [v for v, in conn.execute(_DISTINCT[field]) if v]


def speaking_participants(conn: sqlite3.Connection) -> set[int]:
    """Participants assigned to a speaker in some transcript."""
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT participant_id FROM speakers WHERE participant_id IS NOT NULL")}


def names_by_id(conn: sqlite3.Connection) -> dict[int, str]:
    """transcript id -> name."""
    return dict(conn.execute("SELECT id, name FROM transcripts"))


def transcript_ids(conn: sqlite3.Connection, by: str = "id") -> list[int]:
    """Every transcript's id, in id order (or in name order, `by="name"`)."""
    order = "name" if by == "name" else "id"
    return [r[0] for r in conn.execute(f"SELECT id FROM transcripts ORDER BY {order}")]


def text_of(conn: sqlite3.Connection, transcript_id: int) -> str:
    row = conn.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    if row is None:
        raise NotFound(f"no transcript with id {transcript_id}")
    return str(row[0])


def numbered_turns(conn: sqlite3.Connection, transcript_id: int) -> list[tuple[int, int, int]]:
    """(seq, start, end) of a transcript's turns, in order."""
    return conn.execute('SELECT seq, start, "end" FROM turns WHERE transcript_id = ? '
                        "ORDER BY seq", [transcript_id]).fetchall()


def participants_within(conn: sqlite3.Connection, transcript_id: int, start: int,
                        end: int) -> list[tuple[str | None, str | None]]:
    """(participant name, role or stakeholder type or speaker label) of the non-interviewer
    speakers of turns overlapping [start, end), in turn order, each pair once."""
    return conn.execute(
        """
        SELECT DISTINCT p.name, COALESCE(p.role, st.label, s.label)
        FROM turns tu JOIN speakers s ON s.id = tu.speaker_id
        LEFT JOIN participants p ON p.id = s.participant_id
        LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type
        WHERE tu.transcript_id = ? AND tu.start < ? AND tu."end" > ?
          AND COALESCE(st.is_interviewer, 0) = 0
        ORDER BY tu.seq""", [transcript_id, end, start]).fetchall()


def last_participant_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM participants").fetchone()[0])


def delete_unplaced_participants(conn: sqlite3.Connection, after: int, keep: Iterable[int],
                                 ) -> None:
    """Delete the participants made after id `after` that no speaker is assigned to,
    except those in `keep`."""
    conn.execute("DELETE FROM participants WHERE id > ? AND id NOT IN (SELECT value FROM "
                 "json_each(?)) AND id NOT IN (SELECT participant_id FROM speakers WHERE "
                 "participant_id IS NOT NULL)", [after, json.dumps(sorted(keep))])


def for_export(conn: sqlite3.Connection,
               ) -> list[tuple[int, str, str, str | None, str, str | None, str | None, str | None]]:
    """(id, name, text, site, kind, date, guid, positions) of every transcript, by name."""
    return conn.execute("SELECT id, name, text, site, kind, date, guid, positions "
                        "FROM transcripts ORDER BY name").fetchall()


_COPIED = ("name", "source_file", "format", "encoding", "sha256", "kind", "site", "date",
           "words", "text", "imported_at")


def rows_to_copy(conn: sqlite3.Connection) -> list[tuple[int, dict[str, Any]]]:
    """(id, row) of every transcript, the row as insert_transcript takes it, by id."""
    return [(r[0], dict(zip(_COPIED, r[1:]))) for r in conn.execute(
        f"SELECT id, {', '.join(_COPIED)} FROM transcripts ORDER BY id")]


def speakers_of(conn: sqlite3.Connection, transcript_id: int) -> list[tuple[int, str, int | None]]:
    """(speaker id, label, participant id or None) of a transcript's speakers."""
    return conn.execute("SELECT id, label, participant_id FROM speakers WHERE transcript_id = ?",
                        [transcript_id]).fetchall()


def turn_rows(conn: sqlite3.Connection, transcript_id: int,
              ) -> list[tuple[int, int | None, int, int, str | None]]:
    """(seq, speaker id, start, end, timestamp) of a transcript's turns, in order."""
    return conn.execute('SELECT seq, speaker_id, start, "end", timestamp FROM turns '
                        "WHERE transcript_id = ? ORDER BY seq", [transcript_id]).fetchall()


def labels_of(conn: sqlite3.Connection, participant_id: int) -> list[str]:
    """The speaker labels a participant speaks under, in any transcript."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT label FROM speakers WHERE participant_id = ?", [participant_id])]


def replace_version(conn: sqlite3.Connection, transcript_id: int, text: str, sha256: str,
                    words: int, source_file: str, fmt: str, encoding: str) -> None:
    """A transcript's text and provenance replaced by a new version's; its speakers and
    turns dropped (the caller inserts the new ones), and what was derived from the old
    text with them: its full-text index entries and undo entries (their offsets are old)."""
    conn.execute("DELETE FROM turns WHERE transcript_id = ?", [transcript_id])
    conn.execute("DELETE FROM speakers WHERE transcript_id = ?", [transcript_id])
    conn.execute("UPDATE transcripts SET text = ?, sha256 = ?, words = ?, source_file = ?, "
                 "format = ?, encoding = ? WHERE id = ?",
                 [text, sha256, words, source_file, fmt, encoding, transcript_id])
    conn.execute("DELETE FROM turn_fts_done WHERE transcript_id = ?", [transcript_id])
    conn.execute("DELETE FROM actions WHERE before LIKE ? OR after LIKE ?",
                 [f'%"transcript_id": {transcript_id},%'] * 2)


def lengths_by_id(conn: sqlite3.Connection) -> dict[int, int]:
    """transcript id -> length of its text in characters."""
    return dict(conn.execute("SELECT id, length(text) FROM transcripts"))


def turn_starts_of(conn: sqlite3.Connection, transcript_id: int) -> list[int]:
    """Where each of a transcript's turns starts, in text order."""
    return [s for s, in conn.execute("SELECT start FROM turns WHERE transcript_id = ? "
                                     "ORDER BY start", [transcript_id])]


def turns_by_type(conn: sqlite3.Connection) -> dict[int, list[tuple[int, int, str]]]:
    """transcript id -> (start, end, stakeholder type) of the turns of participants with a
    type that is not an interviewer's, in text order."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for tid, start, end, stype in conn.execute(
            'SELECT t.transcript_id, t.start, t."end", p.stakeholder_type FROM turns t '
            "JOIN speakers s ON s.id = t.speaker_id "
            "JOIN participants p ON p.id = s.participant_id "
            "JOIN stakeholder_types st ON st.key = p.stakeholder_type "
            "WHERE st.is_interviewer = 0 ORDER BY t.transcript_id, t.start"):
        out.setdefault(tid, []).append((start, end, stype))
    return out
