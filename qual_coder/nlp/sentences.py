"""The sentence cache: each transcript split into sentences within its turns, with
lemmas, stored in the project and recomputed only when the text or the pipeline
changes. Every engine and the discovery of new themes read from it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from ..core.spans import sentence_spans
from ..core.transcripts import mask_asides
from ..storage import Project, nlp_rows, transcript_rows
from .pipeline import load, pipeline_name

if TYPE_CHECKING:
    from spacy.language import Language

K = TypeVar("K")  # whatever the caller keys a turn by


def split_turns(nlp: Language, pieces: Iterable[tuple[str, K]], batch_size: int = 256,
                ) -> Iterator[tuple[K, int, int, str]]:
    """pieces: (text, key) of turns. Yields (key, start, end, lemmas) per sentence, with
    start and end relative to the turn's text. The sentences are core.spans' (the one
    splitter the workbench and agreement use); spaCy reads the text with its stage
    directions and timestamps blanked, for the lemmas."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA

    pieces = list(pieces)  # as_tuples=True costs a tenth of the pipe's speed; zip instead
    docs = nlp.pipe((mask_asides(text) for text, _ in pieces), batch_size=batch_size)
    strings = nlp.vocab.strings
    for doc, (text, key) in zip(docs, pieces, strict=True):
        bounds = sentence_spans(text, 0, len(text))
        if not bounds:
            continue
        # One row of ints per token instead of a Token object per word: the cache runs
        # close to the bare pipeline's speed.
        at = 0
        words: list[str] = []
        for lemma, punct, space, idx in doc.to_array([LEMMA, IS_PUNCT, IS_SPACE, IDX]).tolist():
            while at < len(bounds) and idx >= bounds[at][1]:
                if words:
                    yield key, bounds[at][0], bounds[at][1], " ".join(words)
                at, words = at + 1, []
            if at == len(bounds):
                break
            if not space and not punct and idx >= bounds[at][0]:
                words.append(strings[lemma])
        if at < len(bounds) and words:
            yield key, bounds[at][0], bounds[at][1], " ".join(words)


SPLITTER = "spans-2"  # core.spans' sentences, asides kept whole
COMMIT_WORDS = 50_000  # words per transaction: safe to interrupt, few fsyncs


# One transcript's sentences, ready to store: (transcript id, its text's sha256, the
# pipeline and splitter that made them, (turn seq, start, end, lemmas) per sentence).
Cached = tuple[int, str, str, list[tuple[int, int, int, str]]]


def sentence_batches(project: Project, transcript_ids: list[int] | None = None,
                     ) -> Iterator[list[Cached]]:
    """The sentences of the transcripts (all by default) whose cache is missing or stale,
    in batches of about COMMIT_WORDS words of finished transcripts: the caller stores
    each batch in a transaction (services.sentences.ensure_sentences), so a long first run
    can be interrupted and resumed. All turns stream through one nlp.pipe. Call with
    LOCK held (one thread at a time uses the pipeline)."""
    conn = project.conn
    name = pipeline_name(project)
    stamp = f"{name} {SPLITTER}"  # a cache made by another pipeline or splitter is redone
    state = nlp_rows.sentence_state(conn)
    ids = transcript_ids if transcript_ids is not None else transcript_rows.transcript_ids(conn)
    todo = []
    for tid in ids:
        text = transcript_rows.text_of(conn, tid)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if state.get(tid) != (sha, stamp):
            turns = transcript_rows.numbered_turns(conn, tid) or [(0, 0, len(text))]
            todo.append((tid, sha, text, turns))
    if not todo:
        return
    pieces = ((text[a:b], (tid, seq, a)) for tid, _, text, turns in todo for seq, a, b in turns)
    done: dict[int, list[tuple[int, int, int, str]]] = {tid: [] for tid, _, _, _ in todo}
    shas = {tid: (sha, len(text.split())) for tid, sha, text, _ in todo}
    finished: list[int] = []
    pending_words = 0

    def batch() -> list[Cached]:
        out = [(tid, shas[tid][0], stamp, done.pop(tid)) for tid in finished]
        finished.clear()
        return out

    current = None
    for (tid, seq, offset), a, b, lemmas in split_turns(load(name), pieces):
        if current is not None and tid != current:  # turns arrive transcript by transcript
            finished.append(current)
            pending_words += shas[current][1]
            if pending_words >= COMMIT_WORDS:
                yield batch()
                pending_words = 0
        current = tid
        done[tid].append((seq, offset + a, offset + b, lemmas))
    if current is not None:
        finished.append(current)
    finished.extend(t for t in done if t not in finished)  # transcripts with no words
    yield batch()


def uncached(project: Project, transcript_ids: Iterable[int] | None = None) -> list[str]:
    """Transcripts (of these; by default all) the cache has never seen, by name: the
    engines would find no sentences in them, so a caller that forgot to build the cache is
    told, not given silently empty suggestions."""
    state = nlp_rows.sentence_state(project.conn)
    wanted = None if transcript_ids is None else set(transcript_ids)
    return [name for tid, name in transcript_rows.names_by_id(project.conn).items()
            if tid not in state and (wanted is None or tid in wanted)]
