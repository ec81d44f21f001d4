"""Importing transcripts; participants, attributes and stakeholder types."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.transcripts import ParsedTranscript, count_words, looks_like_interviewer
from ..errors import ImportRefused, QualCoderError
from ..importers import read_transcript
from ..importers.manifest import ManifestEntry, normalise_kind, read_manifest
from ..storage import Project, utcnow
from ..storage import transcripts as rows

_GENERIC_LABEL = re.compile(
    r"(?i)^(?:[PRC]\d{1,3}|A|R|Speaker(?: \d{1,3})?|Participant(?: \d{1,3})?|Respondent"
    r"(?: \d{1,3})?|Unknown(?: speaker)?)$")


@dataclass
class ImportReport:
    imported: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(t["words"] for t in self.imported)


def import_transcripts(
    project: Project,
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    kind: str | None = None,
    site: str | None = None,
    skip_existing: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import transcript files as one transaction: all of them, or none.

    Every file is read and checked even after one fails, so the user sees every
    problem at once; then the transaction rolls back.
    """
    entries = read_manifest(Path(manifest)) if manifest else {}
    files = [Path(p) for p in paths] or [e.file for e in entries.values()]
    if not files:
        raise ImportRefused("nothing to import: name transcript files, or a --manifest")
    if kind:
        kind = normalise_kind(kind, "--kind")
    report = ImportReport()
    errors: list[str] = []
    seen: dict[str, Path] = {}
    conn = project.conn
    with project.transaction():
        for path in files:
            if progress:
                progress(path)
            entry = entries.get(path.resolve())
            if entries and entry is None:
                report.warnings.append(f"{path}: not in the manifest; speakers get default "
                                       "participants")
            try:
                data = path.read_bytes()
            except OSError as err:
                errors.append(f"{path}: cannot read ({err.strerror})")
                continue
            sha = hashlib.sha256(data).hexdigest()
            previous = rows.sha_exists(conn, sha) or (seen.get(sha) and str(seen[sha]))
            if previous:
                if skip_existing:
                    report.skipped.append(f"{path}: already imported as '{previous}'")
                    continue
                errors.append(f"{path}: already imported as '{previous}'; "
                              "use --skip-existing to pass over files already in the project")
                continue
            seen[sha] = path
            try:
                parsed = read_transcript(path, data,
                                         set(entry.speakers) if entry else None)
                if errors:
                    continue  # keep checking the rest, but write nothing more
                stored = store_transcript(conn, path, sha, parsed, entry, kind, site, report)
            except QualCoderError as err:
                errors.append(str(err))
                continue
            report.imported.append(stored)
            report.warnings.extend(parsed.warnings)
        if errors:
            raise ImportRefused("\n".join(errors) + "\nnothing was imported; fix the files "
                                "above and run the import again")
    return report


def store_transcript(conn, path: Path, sha: str, parsed: ParsedTranscript,
                     entry: ManifestEntry | None, kind: str | None, site: str | None,
                     report: ImportReport) -> dict:
    name = rows.free_name(conn, path.stem)
    words = count_words(parsed.text)
    tid = rows.insert_transcript(conn, dict(
        name=name, source_file=path.name, format=parsed.format, encoding=parsed.encoding,
        sha256=sha, kind=kind or (entry and entry.kind) or "interview",
        site=site or (entry and entry.site) or None, date=(entry and entry.date) or None,
        words=words, text=parsed.text, imported_at=utcnow(),
    ))
    speaker_ids: dict[str, int] = {}
    for label in parsed.speakers:
        pid = _participant_for(conn, path, name, label, entry, report)
        speaker_ids[label] = rows.insert_speaker(conn, tid, label, pid)
    if entry:
        for missing in set(entry.speakers) - set(speaker_ids):
            report.warnings.append(f"{path}: manifest row {entry.speakers[missing].row} names "
                                   f"speaker '{missing}', who does not speak in the file")
    rows.insert_turns(conn, (
        (tid, seq, speaker_ids.get(t.speaker) if t.speaker else None, t.start, t.end,
         t.timestamp)
        for seq, t in enumerate(parsed.turns, start=1)
    ))
    return dict(id=tid, name=name, file=str(path), words=words, turns=len(parsed.turns),
                speakers=len(speaker_ids))


def _participant_for(conn, path: Path, transcript: str, label: str,
                     entry: ManifestEntry | None, report: ImportReport) -> int:
    given = entry.speakers.get(label) if entry else None
    if given:
        where = f"{path} (manifest row {given.row})"
        try:
            stype = (rows.resolve_stakeholder_type(conn, given.stakeholder_type)
                     if given.stakeholder_type else None)
        except QualCoderError as err:
            raise ImportRefused(f"{where}: {err}") from None
        name = given.participant or label
        role = given.role
    elif looks_like_interviewer(label):
        name, stype, role = "Interviewer", "interviewer", "Interviewer"
    else:
        # "P1" or "Speaker 2" in one transcript is not the same person as in another.
        name = f"{label} ({transcript})" if _GENERIC_LABEL.match(label) else label
        stype = role = None
    pid, notes = rows.ensure_participant(conn, name, stype, role)
    report.warnings.extend(f"{path}: {n}" for n in notes)
    return pid


# -- participants and attributes ---------------------------------------------------

def set_participant(project: Project, name: str, stakeholder_type: str | None = None,
                    role: str | None = None, rename: str | None = None) -> None:
    with project.transaction():
        conn = project.conn
        stype = rows.resolve_stakeholder_type(conn, stakeholder_type) if stakeholder_type else None
        rows.update_participant(conn, name, stakeholder_type=stype, role=role, name=rename)


# Column names the analyses give participants, transcripts, codings and turns: a free
# attribute of the same name would stand in for them in every matrix and report.
RESERVED_ATTRIBUTES = frozenset({
    "id", "participant_id", "participant", "transcript_id", "transcript", "speaker",
    "speaker_id", "is_interviewer", "coding_id", "code", "code_id", "coder", "status",
    "start", "end", "seq", "turn_seq", "text", "words", "name", "label", "scope",
    "owner_id", "value", "source", "guid", "format", "encoding", "sha256", "imported_at",
    "source_file", "total", "excerpts", "participants", "percent", "cases",
})


def is_reserved_attribute(name: str) -> bool:
    """One of our own column names, or a CASCADE rating's (cascade.<domain>.<workshop>)."""
    return name.strip().lower() in RESERVED_ATTRIBUTES or name.lower().startswith("cascade.")


def check_attribute_name(name: str) -> None:
    if not name.strip():
        raise QualCoderError("an attribute needs a name")
    if is_reserved_attribute(name):
        raise QualCoderError(
            f"'{name}' is a name qual-coder uses for its own columns; give the attribute "
            f"another name (e.g. '{name}_attr')")


def set_attributes(project: Project, scope: str, owner: str, values: dict[str, str]) -> None:
    """Set built-in fields (site, kind, date / stakeholder_type, role) or free attributes."""
    for key in values:
        if key not in ("site", "kind", "date", "stakeholder_type", "role"):
            check_attribute_name(key)
    with project.transaction():
        conn = project.conn
        if scope == "transcript":
            tid = rows.find_transcript(conn, owner)["id"]
            for key, value in values.items():
                if key in ("site", "kind", "date"):
                    if key == "kind":
                        value = normalise_kind(value, "kind")
                    rows.update_transcript(conn, tid, **{key: value})
                else:
                    rows.set_attribute(conn, "transcript", tid, key, value)
        elif scope == "participant":
            found = rows.participant_by_name(conn, owner)
            if found is None:
                raise QualCoderError(f"no participant named '{owner}'; "
                                     "`qual-coder participants PROJECT` lists them")
            for key, value in values.items():
                if key == "stakeholder_type":
                    rows.update_participant(conn, owner, stakeholder_type=rows.
                                            resolve_stakeholder_type(conn, value))
                elif key == "role":
                    rows.update_participant(conn, owner, role=value)
                else:
                    rows.set_attribute(conn, "participant", found["id"], key, value)
        else:
            raise QualCoderError(f"attributes belong to a participant or a transcript, not {scope}")


def assign_speaker(project: Project, transcript: str, label: str, participant: str) -> None:
    """Map a transcript's speaker label to a (new or existing) participant."""
    with project.transaction():
        conn = project.conn
        tid = rows.find_transcript(conn, transcript)["id"]
        pid, _ = rows.ensure_participant(conn, participant, None, None)
        rows.assign_speaker(conn, tid, label, pid)


def add_stakeholder_type(project: Project, key: str, label: str, interviewer: bool) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise QualCoderError(f"stakeholder type key '{key}' must be lower-case letters, digits "
                             "and underscores, e.g. educational_psychology")
    with project.transaction():
        rows.add_stakeholder_type(project.conn, key, label, interviewer)
