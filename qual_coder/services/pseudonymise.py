"""Pseudonymising a project: propose replacements for review, then apply them to a copy
with every coding kept on the same words."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Any

from ..core.pseudonyms import OffsetMap, apply_edits, find_candidates, replacements_in
from ..errors import QualCoderError
from ..storage import Project, open_project
from ..storage import transcripts as rows

COLUMNS = ("name", "kind", "replacement", "occurrences")
_GENERIC = re.compile(r"^(?:[PRCAQI]\d{0,3}|Speaker(?: \d+)?|Participant(?: \d+)?)$")


def propose(project: Project) -> list[dict[str, Any]]:
    conn = project.conn
    people = []
    for p in rows.participants(conn):
        if p["is_interviewer"] or p["stakeholder_type"] == "interviewer":
            continue
        parts = p["name"].split()
        aliases = [w for w in parts if w[:1].isupper() and len(w) >= 3] if len(parts) > 1 else []
        labels = [r[0] for r in conn.execute(
            "SELECT DISTINCT label FROM speakers WHERE participant_id = ?", [p["id"]])]
        # Speaker labels are names too ("Jo", "JAMES"), unless generic ("P1", "A").
        named = [lb for lb in labels if lb[:1].isupper() and not _GENERIC.match(lb)]
        people.append({"name": p["name"], "label": p["role"] or "Participant",
                       "aliases": aliases + named})
    texts = [t for (t,) in conn.execute("SELECT text FROM transcripts")]
    sites = [s for (s,) in conn.execute("SELECT DISTINCT site FROM transcripts WHERE site "
                                        "IS NOT NULL")]
    return [c.__dict__ for c in find_candidates(texts, people, sites, named_entities(texts))]


TRAINED = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}


def named_entities(texts: list[str]) -> list[tuple[str, str]]:
    """People, organisations and places spaCy's NER finds, when a trained English pipeline
    is installed (the blank pipeline has no NER; nothing is ever downloaded)."""
    try:
        import spacy
    except ImportError:
        return []
    name = next((n for n in TRAINED if spacy.util.is_package(n)), None)
    if name is None:
        return []
    nlp = spacy.load(name, exclude=["parser", "lemmatizer", "textcat"])
    seen: dict[str, str] = {}
    for doc in nlp.pipe(texts, batch_size=8):
        for ent in doc.ents:
            if ent.label_ in KINDS and ent.text[:1].isupper():
                seen.setdefault(ent.text.strip(), KINDS[ent.label_])
    return sorted(seen.items())


def write_proposal(found: list[dict[str, Any]], out: Path) -> None:
    """Every real name beside its replacement: its owner's eyes only (0600)."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(out, 0o600)  # an existing file keeps its mode through O_CREAT
    with open(fd, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(found)


def read_proposal(path: Path) -> dict[str, str]:
    try:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    except OSError as err:
        raise QualCoderError(f"{path}: cannot read ({err.strerror})") from None
    if not reader.fieldnames or not {"name", "replacement"} <= set(reader.fieldnames):
        raise QualCoderError(f"{path} row 1: needs 'name' and 'replacement' columns")
    mapping = {}
    for row in reader:
        name, new = (row.get("name") or "").strip(), (row.get("replacement") or "").strip()
        if name and new:  # a blank replacement keeps the name (reviewed and allowed)
            mapping[name] = new
    return mapping


# Derived from the original text: dropped from the copy and rebuilt from its own text when
# next needed (the sentence cache and lemmas, the learned model, suggestion reasons that
# quote other excerpts, the undo log's before/after snapshots, the full-text index).
DERIVED = ("sentences", "sentence_state", "nlp_models", "suggestion_reasons", "actions",
           "turn_fts_done")
# Offsets into a transcript's text besides codings and turns, moved with the text.
SPANS = ("codings", "turns", "suggestion_decisions", "agreement_resolutions")
# Identifier-like columns where a name is written in lower case and joined by _ or -
# ("eastbridge_school_staff_focus_group", "eastbridge_vcs.txt").
IDENTIFIERS = {"transcripts": ("name", "source_file"), "codes": ("key",),
               "codebooks": ("key",), "framework_cells": ("case_key",)}


def apply(project_path: Path, proposal: Path, dest: Path) -> dict[str, Any]:
    """Write a pseudonymised copy to `dest`; the original is marked so that exports
    of quotes and text are made from the copy.

    The copy is built under a temporary name beside `dest` and renamed only when it is
    complete, so a killed process leaves no half-made copy under the real name. Every
    text column of every table is rewritten (not a list that a new table could escape),
    derived data is dropped, and the file is rebuilt with VACUUM INTO so no page of the
    original text survives in its free space."""
    from ..storage.backup import backup

    dest = Path(dest)
    if dest.exists():
        raise QualCoderError(f"{dest}: exists already; choose a new file for the copy")
    mapping = read_proposal(proposal)
    for stale in dest.parent.glob(f".{dest.name}.partial-*"):
        stale.unlink()  # left by a run that was killed
    token = os.urandom(4).hex()
    work = dest.with_name(f".{dest.name}.partial-{token}")
    clean = dest.with_name(f".{dest.name}.partial-{token}-clean")
    try:
        backup(project_path, work)
        with open_project(work) as copy:
            with copy.transaction():
                replaced = _pseudonymise(copy.conn, mapping)
            copy.conn.execute("VACUUM INTO ?", [str(clean)])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        os.chmod(clean, 0o600)
        os.replace(clean, dest)
    except BaseException:
        for path in (work, clean):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    with open_project(project_path) as original:
        original.set_setting("exports.pseudonymised_only", "yes")
    return {"copy": str(dest), "names": len(mapping), "replacements": replaced}


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "x"


def _pseudonymise(conn, mapping: dict[str, str]) -> int:
    replaced = 0
    for tid, text in conn.execute("SELECT id, text FROM transcripts").fetchall():
        edits = replacements_in(text, mapping)
        if not edits:
            continue
        replaced += len(edits)
        move = OffsetMap(edits)
        conn.execute("UPDATE transcripts SET text = ? WHERE id = ?",
                     [apply_edits(text, edits), tid])
        for table in SPANS:
            for rid, s, e in conn.execute(f'SELECT rowid, start, "end" FROM {table} WHERE '
                                          "transcript_id = ?", [tid]).fetchall():
                conn.execute(f'UPDATE {table} SET start = ?, "end" = ? WHERE rowid = ?',
                             [move(s, is_start=True), move(e), rid])
    for table in DERIVED:
        conn.execute(f"DELETE FROM {table}")
    conn.execute("INSERT INTO turn_fts (turn_fts) VALUES ('delete-all')")
    # Every other text value, wherever it is, in any case (a lower-case site in a memo),
    # longest names first; a name counts between characters that are not letters or
    # digits, so "_" joins it to nothing ("eastbridge_..." in identifiers, which get the
    # replacement as a slug).
    names = [(re.compile(rf"(?<![^\W_]){re.escape(name)}(?![^\W_])", re.I), new)
             for name, new in sorted(mapping.items(), key=lambda kv: -len(kv[0]))]
    for table, columns in _text_columns(conn).items():
        ident = IDENTIFIERS.get(table, ())
        for column in columns:
            if table == "transcripts" and column == "text":
                continue
            for rid, value in conn.execute(
                    f'SELECT rowid, "{column}" FROM "{table}" WHERE typeof("{column}") = '
                    "'text'").fetchall():
                new = value
                for pattern, rep in names:
                    new = pattern.sub(_slug(rep) if column in ident else rep, new)
                if new != value:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                                 [new, rid])
    conn.execute("INSERT INTO settings (key, value) VALUES ('pseudonymised', 'yes') "
                 "ON CONFLICT(key) DO UPDATE SET value = 'yes'")
    return replaced


def _text_columns(conn) -> dict[str, list[str]]:
    """Every ordinary table's columns that may hold text (not the FTS index's shadow
    tables, which are rebuilt, nor SQLite's own)."""
    out = {}
    for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'turn_fts%'"):
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')
                if r[2].upper() in ("TEXT", "") or "CHAR" in r[2].upper()]
        if cols:
            out[table] = cols
    return out


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
