"""Merging another coder's project into this one, as one transaction.

Transcripts are matched by the sha256 of their source file (or identical text),
codes by GUID and then key, codings by GUID. Nothing is duplicated; what cannot be
brought in as it was (a code defined differently, a transcript of the same name
with other words, overlapping codings by the same coder) is reported as a conflict.
The other project is read from a copy, so it is never changed, not even upgraded.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QualCoderError
from ..storage import Project, code_rows, coding_rows, open_project, transcript_rows, utcnow
from .codebook import merge_codebook
from .codings import default_coder


@dataclass
class MergeReport:
    codes_added: list[str] = field(default_factory=list)
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_matched: int = 0
    codings_added: int = 0
    codings_present: int = 0
    memos_added: int = 0
    conflicts: list[str] = field(default_factory=list)


def merge_project(project: Project, other_path: str | Path, coder: str | None = None
                  ) -> MergeReport:
    other_path = Path(other_path)
    if other_path.resolve() == project.path.resolve():
        raise QualCoderError(f"{other_path}: that is this project; merge another one")
    coder = coder or default_coder(project)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "other.db"
        source = open_project(other_path)  # checks it is a qual-coder project
        try:
            target = sqlite3.connect(copy)
            source.conn.backup(target)
            target.close()
        finally:
            source.close()
        with open_project(copy) as other:
            from .pseudonymise import is_guarded

            guarded = is_guarded(other) and not is_guarded(project)
            with project.transaction():
                report = _merge(project.conn, other.conn, other_path, coder)
                from ..storage.audit_rows import copy_events
                from .audit import record

                copy_events(project.conn, other.conn)
                record(project, "merge", f"{other_path.name}: "
                                         f"{len(report.codes_added)} codes added", coder)
                if guarded:
                    # Its originals are now here too: exports come from a pseudonymised
                    # copy here as well (`pseudonymise --allow-exports` lifts it).
                    project.set_setting("exports.pseudonymised_only", "yes")
                    report.conflicts.append(
                        f"{other_path.name} has a pseudonymised copy, so exports of text "
                        "and quotes from this project are now refused too")
                return report


def _merge(conn: sqlite3.Connection, other: sqlite3.Connection, other_path: Path,
           coder: str) -> MergeReport:
    report = MergeReport()
    for book in code_rows.codebooks(other):
        loaded = merge_codebook(conn, code_rows.load_codebook(other, book["key"]), coder,
                                str(other_path), rename_clashes=True, update=False)
        report.codes_added.extend(loaded.added)
        for key, fields in loaded.updated.items():
            report.conflicts.append(f"code '{key}' is defined differently there "
                                    f"({', '.join(fields)}); kept this project's definition")
    code_key = {c["guid"]: c["key"] for c in code_rows.all_codes(conn)}
    other_codes = {c["id"]: c["guid"] for c in code_rows.all_codes(other)}
    tid_of = _transcripts(conn, other, report)
    memos = {(m["scope"], m["owner_id"]): m for m in code_rows.memos(other)}
    for g in coding_rows.listing(other):
        tid = tid_of[g["transcript_id"]]
        guid = other_codes[code_rows.code_id(other, g["code"])]
        code_id = code_rows.code_id(conn, code_key[guid])
        same = coding_rows.span_of_guid(conn, g["guid"])
        if same == (g["start"], g["end"]) or (same is None and coding_rows.identical(
                conn, tid, code_id, g["start"], g["end"], g["coder"], g["status"])):
            report.codings_present += 1
            continue
        overlapping = coding_rows.overlapping(conn, tid, code_id, g["coder"], g["start"],
                                              g["end"]) if g["status"] == "final" else []
        if overlapping:
            keep = overlapping[0]
            start = min(g["start"], *(o["start"] for o in overlapping))
            end = max(g["end"], *(o["end"] for o in overlapping))
            coding_rows.set_span(conn, keep["id"], start, end)
            report.conflicts.append(
                f"{g['coder']} coded {code_key[guid]} in {keep['transcript']} at "
                f"{g['start']}-{g['end']} there and {keep['start']}-{keep['end']} here; "
                f"merged into {start}-{end}")
            continue
        new_id = coding_rows.insert(conn, tid, code_id, g["start"], g["end"], g["coder"],
                                    g["status"], g["source"],
                                    g["guid"] if same is None else str(uuid.uuid4()),
                                    g["created_at"])
        report.codings_added += 1
        memo = memos.get(("coding", g["id"]))
        if memo:
            code_rows.set_memo(conn, "coding", new_id, memo["text"], memo["author"],
                               memo["updated_at"])
            report.memos_added += 1
    for (scope, owner), memo in memos.items():
        if scope == "coding":
            continue
        here = _owner_here(conn, other, scope, owner, tid_of)
        if here is False:
            continue
        mine = code_rows.memo(conn, scope, here)
        if not mine:
            code_rows.set_memo(conn, scope, here, memo["text"], memo["author"], utcnow())
            report.memos_added += 1
        elif memo["text"] not in mine:
            code_rows.set_memo(conn, scope, here, f"{mine}\n\n[merged from {other_path.name}, "
                               f"{memo['author']}]\n{memo['text']}", coder, utcnow())
            report.memos_added += 1
            report.conflicts.append(f"{scope} memo differs there; both texts kept")
    return report


def _owner_here(conn: sqlite3.Connection, other: sqlite3.Connection, scope: str,
                owner: int | None, tid_of: dict[int, int]) -> int | bool | None:
    """Our id for the other project's memo owner: None for the project, False when it
    has no counterpart here."""
    if scope == "project":
        return None
    if owner is None:
        return False
    if scope == "transcript":
        return tid_of.get(owner, False)
    if scope == "code":
        guid = code_rows.guid_of(other, owner)
        here = code_rows.code_by_guid(conn, guid) if guid else None
        return int(here["id"]) if here else False
    return False


def _transcripts(conn: sqlite3.Connection, other: sqlite3.Connection,
                 report: MergeReport) -> dict[int, int]:
    """Map the other project's transcript ids to ours, copying those we lack."""
    known_types = {t["key"] for t in transcript_rows.stakeholder_types(conn)}
    for t in transcript_rows.stakeholder_types(other):
        if t["key"] not in known_types:
            transcript_rows.add_stakeholder_type(conn, t["key"], t["label"], t["is_interviewer"])
    people = {p["id"]: p for p in transcript_rows.participants(other)}
    attributes = transcript_rows.attributes_by_owner(other, "transcript")
    mapping = {}
    for tid, row in transcript_rows.rows_to_copy(other):
        name = row["name"]
        found = transcript_rows.find_by_content(conn, [row["sha256"]], row["text"])
        if found:
            mapping[tid] = found[0]
            report.transcripts_matched += 1
            continue
        row["name"] = transcript_rows.free_name(conn, name)
        if row["name"] != name:
            report.conflicts.append(f"transcript '{name}' there has other words than '{name}' "
                                    f"here; added as '{row['name']}'")
        new = transcript_rows.insert_transcript(conn, row)
        speakers = {}
        for sid, label, pid in transcript_rows.speakers_of(other, tid):
            here = None
            if pid is not None:
                p = people[pid]
                here, notes = transcript_rows.ensure_participant(
                    conn, p["name"], p["stakeholder_type"], p["role"])
                report.conflicts.extend(notes)
                for key, value in p["attributes"].items():
                    transcript_rows.set_attribute(conn, "participant", here, key, value)
            speakers[sid] = transcript_rows.insert_speaker(conn, new, label, here)
        turns = transcript_rows.turn_rows(other, tid)
        transcript_rows.insert_turns(
            conn, ((new, seq, None if sid is None else speakers.get(sid), a, b, ts)
                   for seq, sid, a, b, ts in turns))
        for key, value in attributes.get(tid, {}).items():
            transcript_rows.set_attribute(conn, "transcript", new, key, value)
        mapping[tid] = new
        report.transcripts_added.append(row["name"])
    return mapping

