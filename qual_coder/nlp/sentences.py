"""The sentence cache: each transcript split into sentences within its turns, with
lemmas, stored in the project and recomputed only when the text or the pipeline
changes. Every engine and the discovery of new themes read from it."""

from __future__ import annotations

import hashlib

from ..storage import Project
from ..storage import nlp as nlp_rows
from .pipeline import load, pipeline_name


def lemma_string(tokens) -> str:
    """The words of a span as lower-case lemmas (no punctuation or white space)."""
    return " ".join(t.lemma_ for t in tokens if not (t.is_space or t.is_punct))


def split_turns(nlp, text: str, turns: list[tuple[int, int, int]], batch_size: int = 256):
    """(turn_seq, start, end, lemmas) for each sentence of each turn."""
    pieces = ((text[a:b], (seq, a)) for seq, a, b in turns)
    for doc, (seq, offset) in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size):
        for sent in doc.sents:
            lemmas = lemma_string(sent)
            if not lemmas:
                continue
            start = offset + sent.start_char
            end = offset + sent.end_char
            yield seq, start, end, lemmas


def ensure_sentences(project: Project, transcript_ids: list[int] | None = None) -> int:
    """Bring the cache up to date for these transcripts (all by default), one
    transaction per transcript so a long first run can be interrupted safely.
    Returns how many transcripts were (re)processed."""
    conn = project.conn
    name = pipeline_name(project)
    state = nlp_rows.sentence_state(conn)
    ids = transcript_ids if transcript_ids is not None else [
        r[0] for r in conn.execute("SELECT id FROM transcripts ORDER BY id")]
    done = 0
    for tid in ids:
        text = conn.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()[0]
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if state.get(tid) == (sha, name):
            continue
        turns = conn.execute('SELECT seq, start, "end" FROM turns WHERE transcript_id = ? '
                             "ORDER BY seq", [tid]).fetchall() or [(0, 0, len(text))]
        rows = list(split_turns(load(name), text, turns))
        with project.transaction():
            nlp_rows.replace_sentences(conn, tid, sha, name, rows)
        done += 1
    return done
