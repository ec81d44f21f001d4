"""The sentence cache kept up to date: what the suggestion engines and discovery read.
Derived data, stored a batch of transcripts per transaction so a long first run (a large
project, a new pipeline) can be interrupted and picks up where it stopped."""

from __future__ import annotations

from ..nlp.pipeline import LOCK
from ..nlp.sentences import sentence_batches
from ..storage import Project, nlp_rows


def ensure_sentences(project: Project, transcript_ids: list[int] | None = None) -> int:
    """Bring the cache up to date for these transcripts (all by default); returns how many
    were (re)processed."""
    done = 0
    with LOCK:
        for batch in sentence_batches(project, transcript_ids):
            with project.transaction():
                for tid, sha, stamp, rows in batch:
                    nlp_rows.replace_sentences(project.conn, tid, sha, stamp, rows)
            done += len(batch)
    return done
