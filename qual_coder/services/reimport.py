"""Importing a corrected version of a transcript without losing its codings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.anchoring import Alignment, reanchor
from ..errors import ImportRefused
from ..importers import read_transcript
from ..storage import Project, coding_rows, transcript_rows, utcnow


@dataclass
class ReanchorReport:
    transcript: str
    same: int = 0
    moved: int = 0  # the same words, shifted by edits elsewhere
    changed: list[dict[str, Any]] = field(default_factory=list)  # its words were edited
    unplaced: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.same + self.moved + len(self.changed) + len(self.unplaced)


def reimport_transcript(project: Project, transcript: str | int,
                        path: str | Path) -> ReanchorReport:
    """Replace a transcript's text and turns with a corrected file, re-anchoring every
    coding by its words. Codings that cannot be placed are kept in `unplaced_codings`.
    One transaction, inside which the old text, its speakers and its codings are read:
    two re-imports of one transcript at once run one after the other, the second
    re-anchoring from what the first wrote (or refused if it brings the same file).
    The undo log for the transcript is cleared (its offsets are old)."""
    path = Path(path)
    conn = project.conn
    data = path.read_bytes() if path.is_file() else None
    if data is None:
        raise ImportRefused(f"{path}: no such file")
    sha = hashlib.sha256(data).hexdigest()
    now = utcnow()
    with project.transaction():
        old = transcript_rows.transcript_by_ref(conn, transcript)
        if sha == old["sha256"]:
            raise ImportRefused(
                f"{path}: identical to the version already imported; nothing to do")
        other = transcript_rows.sha_exists(conn, sha)
        if other:
            raise ImportRefused(f"{path}: already imported as '{other}'")
        labels = {label: pid for _, label, pid in transcript_rows.speakers_of(conn, old["id"])}
        parsed = read_transcript(path, data, set(labels))
        report = ReanchorReport(old["name"])
        alignment = Alignment(old["text"], parsed.text)
        for cid, code_id, start, end, coder, guid, created in coding_rows.for_reanchoring(
                conn, old["id"]):
            anchor = reanchor(old["text"], parsed.text, start, end, alignment)
            quote = old["text"][start:end]
            if anchor.how == "unplaced":
                coding_rows.set_aside(conn, cid, old["id"], code_id, coder, quote, start, end,
                                      guid, created, now)
                report.unplaced.append({"coding": cid, "quote": quote, "elsewhere":
                                        list(anchor.elsewhere) if anchor.elsewhere else None})
                continue
            coding_rows.set_span(conn, cid, anchor.start, anchor.end)
            if anchor.how == "same":
                report.same += 1
            elif anchor.how == "moved":
                report.moved += 1
            else:
                report.changed.append({"coding": cid, "was": quote, "now":
                                       parsed.text[anchor.start:anchor.end],
                                       "similarity": anchor.score})
        transcript_rows.replace_version(conn, old["id"], parsed.text, sha, parsed.spoken_words(),
                                        path.name, parsed.format, parsed.encoding)
        speaker_ids = {}
        for label in parsed.speakers:
            pid = labels.get(label)
            if pid is None:
                pid, _ = transcript_rows.ensure_participant(conn, label, None, None)
            speaker_ids[label] = transcript_rows.insert_speaker(conn, old["id"], label, pid)
        transcript_rows.insert_turns(conn, ((old["id"], seq, speaker_ids.get(t.speaker) if t.speaker
                                             else None, t.start, t.end, t.timestamp)
                                 for seq, t in enumerate(parsed.turns, start=1)))
        from .audit import record

        record(project, "reimport", f"{old['name']} from {path.name}: {report.same} codings "
                                    f"in place, {report.moved} moved, {len(report.changed)} "
                                    f"changed, {len(report.unplaced)} set aside", at=now)
    return report
