"""Importing transcripts; participants, attributes and stakeholder types."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.text import did_you_mean, plural
from ..core.transcripts import (
    ParsedTranscript,
    ParsedTurn,
    count_words,
    looks_like_interviewer,
)
from ..errors import ImportRefused, QualCoderError
from ..importers import read_transcript
from ..importers.manifest import ManifestEntry, SpeakerRow, normalise_kind, read_manifest
from ..storage import Project, transcript_rows, utcnow

_GENERIC_LABEL = re.compile(
    r"(?i)^(?:[PRC]\d{1,3}|A|R|Speaker(?: \d{1,3})?|Participant(?: \d{1,3})?|Respondent"
    r"(?: \d{1,3})?|Unknown(?: speaker)?)$")


@dataclass
class SpeakerMap:
    """What a reader decided in the preview: a label is a named participant, or is not
    a speaker at all (its turns become no one's)."""
    participants: dict[str, str] = field(default_factory=dict)
    not_speakers: set[str] = field(default_factory=set)

    @classmethod
    def from_options(cls, pairs: Iterable[str] = (), not_speakers: Iterable[str] = ()
                     ) -> SpeakerMap:
        """From `LABEL=PARTICIPANT` strings, as typed on the command line."""
        out = cls(not_speakers={" ".join(n.split()) for n in not_speakers})
        for pair in pairs:
            label, sep, name = pair.partition("=")
            if not sep or not label.strip() or not name.strip():
                raise QualCoderError(f"--speaker '{pair}': write LABEL=PARTICIPANT, e.g. "
                                     "--speaker 'SMITH=Jane Smith'")
            out.participants[" ".join(label.split())] = " ".join(name.split())
        return out

    def apply(self, parsed: ParsedTranscript) -> ParsedTranscript:
        if self.not_speakers:
            parsed.turns = [t._replace(speaker=None) if t.speaker in self.not_speakers else t
                            for t in parsed.turns]
            for label in self.not_speakers & set(parsed.how):
                parsed.how[label] = "marked not a speaker"
        return parsed


@dataclass
class ImportReport:
    imported: list[dict[str, Any]] = field(default_factory=list)
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
    speakers: SpeakerMap | None = None,
    allow_missing_speakers: bool = False,
) -> ImportReport:
    """Import transcript files as one transaction: all of them, or none.

    Every file is read and checked even after one fails, so the user sees every
    problem at once; then the transaction rolls back. A manifest speaker the file
    does not have is an error unless `allow_missing_speakers`.
    """
    entries, files = _files(paths, manifest)
    speakers = speakers or SpeakerMap()
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
            previous = transcript_rows.sha_exists(conn, sha) or (seen.get(sha) and str(seen[sha]))
            if previous:
                if skip_existing:
                    report.skipped.append(f"{path}: already imported as '{previous}'")
                    continue
                errors.append(f"{path}: already imported as '{previous}'; "
                              "use --skip-existing to pass over files already in the project")
                continue
            seen[sha] = path
            try:
                parsed = _parse(path, data, entry, speakers)
                missing = _missing_speakers(path, parsed, entry)
                if missing and not allow_missing_speakers:
                    raise ImportRefused("\n".join(missing) + "\n  (fix the manifest's speaker "
                                        "column, or import with --allow-missing-speakers)")
                report.warnings.extend(missing)
                if errors:
                    continue  # keep checking the rest, but write nothing more
                stored = store_transcript(conn, path, sha, parsed, entry, kind, site, report,
                                          speakers)
            except QualCoderError as err:
                errors.append(str(err))
                continue
            report.imported.append(stored)
            report.warnings.extend(parsed.warnings)
        if errors:
            raise ImportRefused("\n".join(errors) + "\nnothing was imported; fix the files "
                                "above and run the import again")
        from .audit import record

        for done in report.imported:
            record(project, "import", f"{done['name']} from {Path(done['file']).name} "
                                      f"({done['words']} words, {done['turns']} turns)")
    return report


def _files(paths: Iterable[str | Path], manifest: str | Path | None
           ) -> tuple[dict[Path, ManifestEntry], list[Path]]:
    given = [Path(p) for p in paths]
    entries = read_manifest(Path(manifest), given) if manifest else {}
    files = given or [e.file for e in entries.values()]
    if manifest:  # `import P *.csv --manifest manifest.csv`: the manifest is not a transcript
        files = [f for f in files if f.resolve() != Path(manifest).resolve()]
    if not files:
        raise ImportRefused("nothing to import: name transcript files, or a --manifest")
    return entries, files


def _parse(path: Path, data: bytes | None, entry: ManifestEntry | None,
           speakers: SpeakerMap) -> ParsedTranscript:
    separate = set(speakers.participants) | speakers.not_speakers
    # A manifest speaker written `Sarah (CCG lead)` is the label Sarah with a role.
    known = ({s for w in entry.speakers for s in (w, _ROLE_AFTER.sub("", w))}
             if entry else None)
    parsed = read_transcript(path, data, known, separate)
    if entry:
        _align_manifest(entry, parsed)
    return speakers.apply(parsed)


_ROLE_AFTER = re.compile(r"\s*\([^()]*\)$")


def _align_manifest(entry: ManifestEntry, parsed: ParsedTranscript) -> None:
    """A manifest may name a speaker as the file writes the label (`Sarah (CCG lead)`,
    read as Sarah with the role CCG lead) or by the name a header or key gave the label
    (`Doreen Walsh` for WALSH): each is filed under the label as read."""
    found = set(parsed.speakers)
    by_written = {f"{label} ({role})": label for label, role in parsed.roles.items()}
    by_name = {name: label for label, name in parsed.names.items()}
    for written in list(entry.speakers):
        if written in found:
            continue
        label = by_written.get(written) or by_name.get(written)
        if label is None:
            bare = _ROLE_AFTER.sub("", written)
            label = bare if bare in found else None
        if label is not None and label not in entry.speakers:
            entry.speakers[label] = entry.speakers.pop(written)


def _missing_speakers(path: Path, parsed: ParsedTranscript,
                      entry: ManifestEntry | None) -> list[str]:
    if not entry:
        return []
    found = parsed.turn_counts()
    listed = ", ".join(f"'{k}' ({plural(n, 'turn')})" for k, n in found.items()) or "none"
    return [f"{path}: manifest row {entry.speakers[m].row} names speaker '{m}', who does "
            f"not speak in the file; speakers found: {listed}"
            for m in entry.speakers if m not in found]


def preview_transcripts(paths: Iterable[str | Path], manifest: str | Path | None = None,
                        speakers: SpeakerMap | None = None) -> list[dict[str, Any]]:
    """What an import would make of each file, writing nothing: speakers with their
    turns, words, first words, role and participant, how each label was recognised,
    what is not a speaker, and anything ambiguous."""
    entries, files = _files(paths, manifest)
    speakers = speakers or SpeakerMap()
    out: list[dict[str, Any]] = []
    for path in files:
        entry = entries.get(path.resolve())
        try:
            parsed = _parse(path, None, entry, speakers)
        except QualCoderError as err:
            out.append({"file": str(path), "error": str(err)})
            continue
        counts = parsed.turn_counts()
        by_label: dict[str, list[ParsedTurn]] = {}
        for t in parsed.turns:
            if t.speaker is not None:
                by_label.setdefault(t.speaker, []).append(t)
        rows_ = []
        for label, turns in by_label.items():
            first = parsed.text[turns[0].start:turns[0].end].split()
            participant, stype, role = _who(path.stem, label, entry, parsed.roles.get(label),
                                            speakers.participants.get(label),
                                            parsed.names.get(label))
            rows_.append(dict(
                label=label, turns=counts[label],
                words=sum(count_words(parsed.text[t.start:t.end]) for t in turns),
                first_words=" ".join(first[:10]) + (" ..." if len(first) > 10 else ""),
                how=parsed.how.get(label, "label"), role=role, participant=participant,
                stakeholder_type=stype))
        out.append(dict(
            file=str(path), format=parsed.format, encoding=parsed.encoding,
            turns=len(parsed.turns), words=parsed.spoken_words(), speakers=rows_,
            not_speakers=sorted(k for k, v in parsed.how.items() if k not in counts),
            missing=_missing_speakers(path, parsed, entry), ambiguous=parsed.ambiguous,
            warnings=parsed.warnings))
    return out


def store_transcript(conn: sqlite3.Connection, path: Path, sha: str, parsed: ParsedTranscript,
                     entry: ManifestEntry | None, kind: str | None, site: str | None,
                     report: ImportReport, speakers: SpeakerMap | None = None,
                     at: str | None = None) -> dict[str, Any]:
    """A parsed transcript stored with its speakers and participants, imported `at` (now,
    unless the import that stores several names one time for all, as a .qdpx import's
    event does)."""
    name = transcript_rows.free_name(conn, (entry and entry.name) or path.stem)
    words = parsed.spoken_words()
    tid = transcript_rows.insert_transcript(conn, dict(
        name=name, source_file=path.name, format=parsed.format, encoding=parsed.encoding,
        sha256=sha, kind=kind or (entry and entry.kind) or "interview",
        site=site or (entry and entry.site) or None, date=(entry and entry.date) or None,
        words=words, text=parsed.text, imported_at=at or utcnow(),
    ))
    speaker_ids: dict[str, int] = {}
    mapped = speakers.participants if speakers else {}
    for label in parsed.speakers:
        pid = _participant_for(conn, path, name, label, entry, report,
                               parsed.roles.get(label), mapped.get(label),
                               parsed.names.get(label))
        speaker_ids[label] = transcript_rows.insert_speaker(conn, tid, label, pid)
    transcript_rows.insert_turns(conn, (
        (tid, seq, speaker_ids.get(t.speaker) if t.speaker else None, t.start, t.end,
         t.timestamp)
        for seq, t in enumerate(parsed.turns, start=1)
    ))
    return dict(id=tid, name=name, file=str(path), words=words, turns=len(parsed.turns),
                speakers=len(speaker_ids))


def _stakeholder_type(conn: sqlite3.Connection, path: Path, given: SpeakerRow, written: str,
                      report: ImportReport) -> str:
    """The stakeholder type the manifest `written` for a speaker: a known key or label, or
    a new type, created and reported (a study has its own kinds of stakeholder)."""
    try:
        return transcript_rows.resolve_stakeholder_type(conn, written)
    except QualCoderError:
        pass
    label = " ".join(written.split())
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    if not key or not key[0].isalpha():
        raise ImportRefused(f"{path} (manifest row {given.row}): stakeholder type "
                            f"'{written}' needs a letter first") from None
    transcript_rows.add_stakeholder_type(conn, key, label, looks_like_interviewer(label))
    report.warnings.append(f"{path} (manifest row {given.row}): new stakeholder type '{key}' "
                           f"({label}) created; rename it with `qual-coder stakeholder-types` "
                           "if it was a typing slip")
    return key


def _who(transcript: str, label: str, entry: ManifestEntry | None, role: str | None,
         mapped: str | None, named: str | None = None) -> tuple[str, str | None, str | None]:
    """Participant name, stakeholder type (as the manifest gives it) and role for a label:
    from its manifest row, else from the label and the role the file gave it (and the
    name a key in the file gave it, `named`); a name the reader chose in the preview
    (`mapped`) wins."""
    given = entry.speakers.get(label) if entry else None
    if given:
        name, stype, role = given.participant or label, given.stakeholder_type or None, \
            given.role or role
    elif looks_like_interviewer(label):
        name, stype, role = named or "Interviewer", "interviewer", "Interviewer"
    elif role and looks_like_interviewer(role):
        name, stype = named or label, "interviewer"  # a named interviewer, as a header said
    elif named:
        name, stype = named, None
    else:
        # "P1" or "Speaker 2" in one transcript is not the same person as in another.
        name, stype = f"{label} ({transcript})" if _GENERIC_LABEL.match(label) else label, None
    return mapped or name, stype, role


def _participant_for(conn: sqlite3.Connection, path: Path, transcript: str, label: str,
                     entry: ManifestEntry | None, report: ImportReport,
                     role_in_file: str | None = None, mapped: str | None = None,
                     named: str | None = None) -> int:
    name, stype, role = _who(transcript, label, entry, role_in_file, mapped, named)
    given = entry.speakers.get(label) if entry else None
    if given and given.stakeholder_type:  # as the manifest wrote it: a key, a label, or new
        stype = _stakeholder_type(conn, path, given, given.stakeholder_type, report)
    pid, notes = transcript_rows.ensure_participant(conn, name, stype, role)
    report.warnings.extend(f"{path}: {n}" for n in notes)
    return pid


# -- participants and attributes ---------------------------------------------------

def set_participant(project: Project, name: str, stakeholder_type: str | None = None,
                    role: str | None = None, rename: str | None = None) -> None:
    with project.transaction():
        conn = project.conn
        stype = (transcript_rows.resolve_stakeholder_type(conn, stakeholder_type)
                 if stakeholder_type else None)
        transcript_rows.update_participant(conn, name, stakeholder_type=stype, role=role,
                                           name=rename)


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


def attribute_tables(project: Project) -> dict[str, list[dict[str, Any]]]:
    """Every transcript's and participant's fields and own attributes, as the CLI lists
    them and the workbench's cases screen edits them."""
    conn = project.conn
    return {
        "transcripts": [
            {"name": t["name"], "site": t["site"], "kind": t["kind"], "date": t["date"],
             **transcript_rows.transcript_by_id(conn, t["id"])["attributes"]}
            for t in transcript_rows.list_transcripts(conn)],
        "participants": [
            {"name": p["name"], "stakeholder_type": p["stakeholder_type"], "role": p["role"],
             "transcripts": p["transcripts"], **p["attributes"]}
            for p in transcript_rows.participants(conn) if not p["is_interviewer"]],
    }


def stakeholder_type_choices(project: Project) -> list[tuple[str, str]]:
    return [(t["key"], t["label"]) for t in transcript_rows.stakeholder_types(project.conn)]


def rename_transcript(project: Project, transcript: str | int, new: str) -> str:
    """Give a transcript a new name (its id, text and codings stay); returns the old."""
    new = " ".join(new.split())
    if not new:
        raise QualCoderError("a transcript's name cannot be empty")
    with project.transaction():
        conn = project.conn
        found = transcript_rows.transcript_by_ref(conn, transcript)
        if new != found["name"] and transcript_rows.id_named(conn, new) is not None:
            raise QualCoderError(f"there is a transcript '{new}' already; choose another name")
        transcript_rows.update_transcript(conn, found["id"], name=new)
    return found["name"]


def set_attributes(project: Project, scope: str, owner: str, values: dict[str, str]) -> None:
    """Set built-in fields (site, kind, date / stakeholder_type, role) or free attributes."""
    for key in values:
        if key not in ("site", "kind", "date", "stakeholder_type", "role"):
            check_attribute_name(key)
    with project.transaction():
        conn = project.conn
        if scope == "transcript":
            tid = transcript_rows.transcript_by_ref(conn, owner)["id"]
            for key, value in values.items():
                if key in ("site", "kind", "date"):
                    if key == "kind":
                        value = normalise_kind(value, "kind")
                    transcript_rows.update_transcript(conn, tid, **{key: value})
                else:
                    transcript_rows.set_attribute(conn, "transcript", tid, key, value)
        elif scope == "participant":
            found = transcript_rows.participant_by_name(conn, owner)
            if found is None:
                known = [p["name"] for p in transcript_rows.participants(conn)]
                raise QualCoderError(f"no participant named '{owner}'"
                                     f"{did_you_mean(owner, known)} (`qual-coder participants "
                                     "PROJECT` lists them)")
            for key, value in values.items():
                if key == "stakeholder_type":
                    stype = transcript_rows.resolve_stakeholder_type(conn, value)
                    transcript_rows.update_participant(conn, owner, stakeholder_type=stype)
                elif key == "role":
                    transcript_rows.update_participant(conn, owner, role=value)
                else:
                    transcript_rows.set_attribute(conn, "participant", found["id"], key, value)
        else:
            raise QualCoderError(f"attributes belong to a participant or a transcript, not {scope}")


def assign_speaker(project: Project, transcript: str, label: str, participant: str) -> None:
    """Map a transcript's speaker label to a (new or existing) participant."""
    with project.transaction():
        conn = project.conn
        tid = transcript_rows.transcript_by_ref(conn, transcript)["id"]
        pid, _ = transcript_rows.ensure_participant(conn, participant, None, None)
        transcript_rows.assign_speaker(conn, tid, label, pid)


def start_without_stakeholder_types(project: Project) -> None:
    """A study that is not a local area review: no CASCADE stakeholder types."""
    with project.transaction():
        transcript_rows.clear_stakeholder_types(project.conn)


def add_stakeholder_type(project: Project, key: str, label: str, interviewer: bool) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise QualCoderError(f"stakeholder type key '{key}' must be lower-case letters, digits "
                             "and underscores, e.g. educational_psychology")
    with project.transaction():
        transcript_rows.add_stakeholder_type(project.conn, key, label, interviewer)
