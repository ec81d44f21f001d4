"""The import manifest: a CSV saying, per speaker of each file, who they are.

Columns: file, kind, site, date, speaker, participant, stakeholder_type, role.
One row per speaker of a file; file-level columns (kind, site, date) may be
repeated on every row of that file or given once. `stakeholder_type` of
`interviewer` marks interviewers and facilitators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportRefused
from .decode import csv_records, read_text_file

COLUMNS = ("file", "name", "kind", "site", "date", "speaker", "participant", "stakeholder_type",
           "role")
KINDS = {"interview": "interview", "focus_group": "focus_group", "focus group": "focus_group",
         "focus-group": "focus_group", "fg": "focus_group", "group": "focus_group"}


@dataclass
class SpeakerRow:
    row: int
    speaker: str
    participant: str | None
    stakeholder_type: str | None
    role: str | None


@dataclass
class ManifestEntry:
    file: Path
    row: int
    kind: str | None = None
    site: str | None = None
    date: str | None = None
    name: str | None = None  # the transcript's name in the project (default: the file's)
    speakers: dict[str, SpeakerRow] = field(default_factory=dict)


def normalise_kind(value: str, where: str) -> str:
    kind = KINDS.get(value.strip().lower())
    if kind is None:
        raise ImportRefused(f"{where}: kind '{value}' is not interview or focus_group")
    return kind


def read_manifest(path: Path, given: list[Path] | None = None) -> dict[Path, ManifestEntry]:
    """Entries keyed by the resolved path of each file the manifest names: a name is
    matched to the files `given` on the command line first (by file name), then looked
    for beside the manifest."""
    by_name: dict[str, Path] = {}
    for g in given or []:
        by_name.setdefault(g.name, g.resolve())
    text, _ = read_text_file(path, "manifest")
    reader = csv_records(text)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportRefused(f"{path}: the manifest is empty") from None
    for i, col in enumerate(header, start=1):
        if col not in COLUMNS:
            raise ImportRefused(
                f"{path} row 1, column {i}: unknown column '{col}'; "
                f"manifest columns are {', '.join(COLUMNS)}"
            )
    if "file" not in header:
        raise ImportRefused(f"{path} row 1: no 'file' column; manifest columns are "
                            + ", ".join(COLUMNS))
    entries: dict[Path, ManifestEntry] = {}
    for row_no, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise ImportRefused(f"{path} row {row_no}: {len(values)} values but "
                                f"{len(header)} columns; check for an unquoted comma")
        rec = {col: (values[i].strip() if i < len(values) else "") for i, col in enumerate(header)}
        where = f"{path} row {row_no}"
        if not rec["file"]:
            raise ImportRefused(f"{where}: the 'file' column is empty")
        file = by_name.get(Path(rec["file"]).name) if given else None
        if file is None:
            file = (path.parent / rec["file"]).resolve()
        if not file.is_file():
            among = "among the files named and " if given else ""
            raise ImportRefused(f"{where}: file '{rec['file']}' not found ({among}in "
                                f"{path.parent.resolve()}, the manifest's folder); fix the "
                                "name or remove the row")
        entry = entries.setdefault(file, ManifestEntry(file=file, row=row_no))
        for col in ("kind", "site", "date", "name"):
            value = rec.get(col, "")
            if not value:
                continue
            if col == "kind":
                value = normalise_kind(value, where)
            current = getattr(entry, col)
            if current and current != value:
                raise ImportRefused(f"{where}: {col} '{value}' contradicts '{current}' "
                                    f"given for this file at row {entry.row}")
            setattr(entry, col, value)
        speaker = " ".join(rec.get("speaker", "").split())
        if speaker:
            if speaker in entry.speakers:
                raise ImportRefused(f"{where}: speaker '{speaker}' is listed twice for "
                                    f"{rec['file']} (first at row {entry.speakers[speaker].row})")
            entry.speakers[speaker] = SpeakerRow(
                row_no, speaker, rec.get("participant") or None,
                rec.get("stakeholder_type") or None, rec.get("role") or None)
    return entries
