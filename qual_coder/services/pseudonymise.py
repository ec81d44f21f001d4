"""Pseudonymising a project: propose replacements for review, then apply them to a copy
with every coding kept on the same words."""

from __future__ import annotations

import csv
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from ..core.pseudonyms import (
    OffsetMap,
    apply_edits,
    find_candidates,
    name_pattern,
    replacements_in,
)
from ..core.text import defuse, undefuse
from ..errors import QualCoderError
from ..nlp.entities import named_entities
from ..storage import Project, open_project, rewrite, transcript_rows

COLUMNS = ("name", "kind", "replacement", "occurrences")
_GENERIC = re.compile(r"^(?:[PRCAQI]\d{0,3}|Speaker(?: \d+)?|Participant(?: \d+)?)$")


def propose(project: Project) -> list[dict[str, Any]]:
    conn = project.conn
    people = []
    for p in transcript_rows.participants(conn):
        if p["is_interviewer"] or p["stakeholder_type"] == "interviewer":
            continue
        parts = p["name"].split()
        aliases = [w for w in parts if w[:1].isupper() and len(w) >= 3] if len(parts) > 1 else []
        labels = transcript_rows.labels_of(conn, p["id"])
        # Speaker labels are names too ("Jo", "JAMES"), unless generic ("P1", "A").
        named = [lb for lb in labels if lb[:1].isupper() and not _GENERIC.match(lb)]
        people.append({"name": p["name"], "label": p["role"] or "Participant",
                       "aliases": aliases + named})
    texts = list(transcript_rows.texts_by(conn).values())
    sites = transcript_rows.distinct_values(conn, "site")
    return [c.__dict__ for c in find_candidates(texts, people, sites, named_entities(texts))]


def write_proposal(found: list[dict[str, Any]], out: Path) -> None:
    """Every real name beside its replacement: its owner's eyes only (0600)."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(out, 0o600)  # an existing file keeps its mode through O_CREAT
    with open(fd, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows({k: defuse(v) for k, v in row.items()} for row in found)


def read_proposal(path: Path) -> dict[str, str]:
    from ..importers.decode import csv_dicts

    try:
        header, reader = csv_dicts(path.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise QualCoderError(f"{path}: cannot read ({err.strerror})") from None
    except UnicodeDecodeError as err:
        raise QualCoderError(f"{path}: not UTF-8 text (byte {err.start}); save the reviewed "
                             "list as CSV UTF-8 and apply it again") from None
    if not {"name", "replacement"} <= set(header):
        raise QualCoderError(f"{path} row 1: needs 'name' and 'replacement' columns")
    mapping = {}
    for row in reader:
        name = undefuse((row.get("name") or "").strip())
        new = undefuse((row.get("replacement") or "").strip())
        if name and new:  # a blank replacement keeps the name (reviewed and allowed)
            mapping[name] = new
    return mapping




def apply(project_path: Path, proposal: Path, dest: Path) -> dict[str, Any]:
    """Write a pseudonymised copy to `dest`; the original is marked so that exports
    of quotes and text are made from the copy.

    The copy is rewritten in memory and only then written to disk, under a temporary
    name beside `dest` renamed when complete: a process killed at any moment leaves no
    file holding the real names (what it may leave is the pseudonymised text, removed by
    the next run). Every text column of every table is rewritten (not a list that a new
    table could escape), derived data is dropped, and the file is written by VACUUM INTO
    so no page of the original text survives in its free space."""
    dest = Path(dest)
    if dest.exists():
        raise QualCoderError(f"{dest}: exists already; choose a new file for the copy")
    mapping = read_proposal(proposal)
    for stale in dest.parent.glob(f".{dest.name}.partial-*"):
        stale.unlink()  # left by a run that was killed
    clean = dest.with_name(f".{dest.name}.partial-{os.urandom(4).hex()}")
    try:
        replaced = rewrite.rewritten_copy(Path(project_path), clean,
                                          lambda conn: _pseudonymise(conn, mapping))
        os.replace(clean, dest)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{clean}{suffix}").unlink(missing_ok=True)
        raise
    with open_project(project_path) as original:
        original.set_setting("exports.pseudonymised_only", "yes")
    return {"copy": str(dest), "names": len(mapping), "replacements": replaced}


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "x"


def _pseudonymise(conn: sqlite3.Connection, mapping: dict[str, str]) -> int:
    replaced = 0
    for tid, text in transcript_rows.texts_by(conn).items():
        edits = replacements_in(text, mapping)
        if not edits:
            continue
        replaced += len(edits)
        rewrite.replace_text(conn, int(tid), apply_edits(text, edits), OffsetMap(edits))
    rewrite.drop_derived(conn)
    # Every other text value, wherever it is, in any case (a lower-case site in a memo),
    # longest names first; a name counts between characters that are not letters or
    # digits, so "_" joins it to nothing ("eastbridge_..." in identifiers, which get the
    # replacement as a slug).
    names = [(re.compile(rf"(?<![^\W_]){name_pattern(name)}(?![^\W_])", re.I), new)
             for name, new in sorted(mapping.items(), key=lambda kv: -len(kv[0]))]

    def renamed(value: str, identifier: bool) -> str:
        for pattern, rep in names:
            value = pattern.sub(_slug(rep) if identifier else rep, value)
        return value

    rewrite.rewrite_text_values(conn, renamed)
    rewrite.mark_pseudonymised(conn)
    return replaced


def is_guarded(project: Project) -> bool:
    """Exports of text and quotes are to come from this project's pseudonymised copy."""
    return project.setting("exports.pseudonymised_only") == "yes" and \
        project.setting("pseudonymised") != "yes"


def check_export_allowed(project: Project) -> None:
    if is_guarded(project):
        raise QualCoderError(
            f"{project.path}: this project has a pseudonymised copy; export quotes and text "
            "from that copy (or allow exports here with `qual-coder pseudonymise PROJECT "
            "--allow-exports`)")
