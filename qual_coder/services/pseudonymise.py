"""Pseudonymising a project: propose replacements for review, then apply them to a copy
with every coding kept on the same words."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..core.pseudonyms import OffsetMap, apply_edits, find_candidates, replacements_in
from ..errors import QualCoderError
from ..storage import Project, open_project
from ..storage import transcripts as rows

COLUMNS = ("name", "kind", "replacement", "occurrences")
_GENERIC = re.compile(r"^(?:[PRCAQI]\d{0,3}|Speaker(?: \d+)?|Participant(?: \d+)?)$")


def propose(project: Project) -> list[dict]:
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


def write_proposal(found: list[dict], out: Path) -> None:
    with open(out, "w", newline="", encoding="utf-8") as f:
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
    for n, row in enumerate(reader, start=2):
        name, new = (row.get("name") or "").strip(), (row.get("replacement") or "").strip()
        if name and new:  # a blank replacement keeps the name (reviewed and allowed)
            mapping[name] = new
    return mapping


def apply(project_path: Path, proposal: Path, dest: Path) -> dict:
    """Write a pseudonymised copy to `dest`; the original is marked so that exports
    of quotes and text are made from the copy."""
    from ..storage.backup import backup

    if dest.exists():
        raise QualCoderError(f"{dest}: exists already; choose a new file for the copy")
    mapping = read_proposal(proposal)
    backup(project_path, dest)
    replaced = 0
    with open_project(dest) as copy, copy.transaction():
        conn = copy.conn
        for tid, text in conn.execute("SELECT id, text FROM transcripts").fetchall():
            edits = replacements_in(text, mapping)
            if not edits:
                continue
            replaced += len(edits)
            move = OffsetMap(edits)
            conn.execute("UPDATE transcripts SET text = ? WHERE id = ?",
                         [apply_edits(text, edits), tid])
            for table in ("codings", "turns"):
                for rid, s, e in conn.execute(f'SELECT id, start, "end" FROM {table} WHERE '
                                              "transcript_id = ?", [tid]).fetchall():
                    conn.execute(f'UPDATE {table} SET start = ?, "end" = ? WHERE id = ?',
                                 [move(s, is_start=True), move(e), rid])
        for table, column in (("participants", "name"), ("speakers", "label"),
                              ("transcripts", "site"), ("memos", "text"),
                              ("framework_cells", "summary"), ("framework_cells", "case_key"),
                              ("unplaced_codings", "quote"), ("cascade_ratings", "area")):
            for rid, value in conn.execute(f"SELECT rowid, {column} FROM {table}").fetchall():
                if value:
                    new = apply_edits(value, replacements_in(value, mapping))
                    if new != value:
                        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
                                     [new, rid])
        conn.execute("INSERT INTO turn_fts (turn_fts) VALUES ('delete-all')")
        conn.execute("DELETE FROM turn_fts_done")
        conn.execute("DELETE FROM actions")  # offsets in the undo log are the original's
        conn.execute("INSERT INTO settings (key, value) VALUES ('pseudonymised', 'yes') "
                     "ON CONFLICT(key) DO UPDATE SET value = 'yes'")
    with open_project(project_path) as original:
        original.set_setting("exports.pseudonymised_only", "yes")
    return {"copy": str(dest), "names": len(mapping), "replacements": replaced}


def check_export_allowed(project: Project) -> None:
    if project.setting("exports.pseudonymised_only") == "yes" and \
            project.setting("pseudonymised") != "yes":
        raise QualCoderError(
            f"{project.path}: this project has a pseudonymised copy; export quotes and text "
            "from that copy (or allow exports here with `qual-coder pseudonymise PROJECT "
            "--allow-exports`)")
