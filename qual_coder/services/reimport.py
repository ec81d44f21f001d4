"""Importing a corrected version of a transcript without losing its codings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.anchoring import reanchor
from ..errors import ImportRefused
from ..importers import read_transcript
from ..storage import Project, utcnow
from ..storage import transcripts as rows


@dataclass
class ReanchorReport:
    transcript: str
    same: int = 0
    moved: int = 0
    fuzzy: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.same + self.moved + len(self.fuzzy) + len(self.unplaced)


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
        old = rows.find_transcript(conn, transcript)
        if sha == old["sha256"]:
            raise ImportRefused(
                f"{path}: identical to the version already imported; nothing to do")
        other = rows.sha_exists(conn, sha)
        if other:
            raise ImportRefused(f"{path}: already imported as '{other}'")
        labels = {s: p for s, p in conn.execute(
            "SELECT label, participant_id FROM speakers WHERE transcript_id = ?", [old["id"]])}
        parsed = read_transcript(path, data, set(labels))
        report = ReanchorReport(old["name"])
        codings = conn.execute(
            'SELECT id, code_id, start, "end", coder, guid, created_at FROM codings '
            "WHERE transcript_id = ?", [old["id"]]).fetchall()
        for cid, code_id, start, end, coder, guid, created in codings:
            anchor = reanchor(old["text"], parsed.text, start, end)
            quote = old["text"][start:end]
            if anchor.how == "unplaced":
                conn.execute("DELETE FROM codings WHERE id = ?", [cid])
                conn.execute(
                    "INSERT INTO unplaced_codings (transcript_id, code_id, coder, quote, "
                    "old_start, old_end, guid, created_at, unplaced_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [old["id"], code_id, coder, quote, start, end, guid, created, now])
                report.unplaced.append({"coding": cid, "quote": quote})
                continue
            conn.execute('UPDATE codings SET start = ?, "end" = ? WHERE id = ?',
                         [anchor.start, anchor.end, cid])
            if anchor.how == "same":
                report.same += 1
            elif anchor.how == "moved":
                report.moved += 1
            else:
                report.fuzzy.append({"coding": cid, "was": quote, "now":
                                     parsed.text[anchor.start:anchor.end], "score": anchor.score})
        conn.execute("DELETE FROM turns WHERE transcript_id = ?", [old["id"]])
        conn.execute("DELETE FROM speakers WHERE transcript_id = ?", [old["id"]])
        speaker_ids = {}
        for label in parsed.speakers:
            pid = labels.get(label)
            if pid is None:
                pid, _ = rows.ensure_participant(conn, label, None, None)
            speaker_ids[label] = rows.insert_speaker(conn, old["id"], label, pid)
        rows.insert_turns(conn, ((old["id"], seq, speaker_ids.get(t.speaker) if t.speaker
                                  else None, t.start, t.end, t.timestamp)
                                 for seq, t in enumerate(parsed.turns, start=1)))
        conn.execute(
            "UPDATE transcripts SET text = ?, sha256 = ?, words = ?, source_file = ?, "
            "format = ?, encoding = ? WHERE id = ?",
            [parsed.text, sha, parsed.spoken_words(), path.name, parsed.format,
             parsed.encoding, old["id"]])
        conn.execute("DELETE FROM turn_fts_done WHERE transcript_id = ?", [old["id"]])
        conn.execute("DELETE FROM actions WHERE before LIKE ? OR after LIKE ?",
                     [f'%"transcript_id": {old["id"]},%'] * 2)
    return report
