"""The engines put together over one project: training examples from its coding,
segments (sentences or turns) from the sentence cache, and one ranked list of
suggestions per segment."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import QualCoderError
from ..storage import Project
from ..storage import codebook as code_rows
from ..storage import codings as coding_rows
from ..storage import nlp as nlp_rows
from ..storage import transcripts as transcript_rows
from .engines import Combined, Example, ModelEngine, RuleEngine, SimilarEngine, combine
from .pipeline import LOCK, load, pipeline_name
from .sentences import uncached

ENGINES = ("rules", "model", "similar")
MODEL_NAME = "textcat"


@dataclass
class Segment:
    transcript_id: int
    start: int
    end: int
    lemmas: str
    text: str


def covers(start: int, end: int, c_start: int, c_end: int) -> bool:
    """A coding covers a segment when they share at least half of the shorter one."""
    overlap = min(end, c_end) - max(start, c_start)
    return overlap > 0 and overlap >= 0.5 * min(end - start, c_end - c_start)


def _final_codings(conn: sqlite3.Connection, transcript_ids: set[int] | None = None,
                   ) -> dict[int, list[tuple[int, int, str]]]:
    out: dict[int, list[tuple[int, int, str]]] = {}
    for _, tid, key, _, a, b in coding_rows.final_coded(conn):
        if transcript_ids is None or tid in transcript_ids:
            out.setdefault(tid, []).append((a, b, key))
    return out


def _labels(conn: sqlite3.Connection) -> dict[tuple[int, int], str]:
    """(transcript, turn seq) -> "Site / role", where an excerpt was said."""
    return {place: " / ".join(x for x in (site, role or stype) if x)
            for place, (site, role, stype) in nlp_rows.turn_places(conn).items()}


def training_examples(project: Project, transcript_ids: set[int] | None = None,
                      sentences: list[tuple[Any, ...]] | None = None) -> list[Example]:
    """Sentences of the coded transcripts (interviewer turns left out), labelled with
    the codes whose final codings cover them (accepted suggestions among them);
    uncoded sentences are the negatives, rejected suggestions the surest ones.
    `sentences`: the cache's rows, when the caller has read them already."""
    conn = project.conn
    codings = _final_codings(conn, transcript_ids)
    labels = _labels(conn)
    rejected: dict[int, list[tuple[int, int, str]]] = {}
    for tid, key, a, b in nlp_rows.rejections(conn):
        rejected.setdefault(tid, []).append((a, b, key))
    out = []
    if sentences is None:
        sentences = nlp_rows.sentences(conn, list(codings))
    for _, tid, seq, a, b, lemmas, interviewer in sentences:
        if interviewer or tid not in codings:
            continue
        codes = frozenset(k for ca, cb, k in codings[tid] if covers(a, b, ca, cb))
        said_no = frozenset(k for ca, cb, k in rejected.get(tid, []) if covers(a, b, ca, cb))
        out.append(Example(lemmas, codes, labels.get((tid, seq), ""), said_no - codes))
    return out


class Suggester:
    def __init__(self, project: Project, engines: tuple[str, ...] = ENGINES,
                 train_on: set[int] | None = None, retrain: bool | None = None):
        """`train_on` limits what the engines learn from to these transcripts (the
        benchmark holds the others out); `retrain` forces (True) or forbids (False)
        training the classifier, which by default is retrained when the project's
        coding has grown or shrunk by a tenth (and at least 10 codings) since."""
        with LOCK:
            self._setup(project, engines, train_on, retrain)

    def _setup(self, project: Project, engines: tuple[str, ...], train_on: set[int] | None,
               retrain: bool | None) -> None:
        self.project = project
        missing = uncached(project)
        if missing:
            raise QualCoderError(f"the sentence cache lacks {', '.join(missing[:3])}"
                                 + (" and more" if len(missing) > 3 else "")
                                 + ": build it first (qual_coder.services.ensure_sentences)")
        self.nlp = load(pipeline_name(project))
        conn = project.conn
        every = nlp_rows.sentences(conn)  # read once: examples and the similarity corpus
        self.examples = training_examples(project, train_on, every)
        self.engines: dict[str, Any] = {}
        self.problems: list[str] = []
        # A model trained here on the whole project, with the final codings it saw: the
        # service that made this Suggester stores it in the project.
        self.trained: tuple[ModelEngine, int] | None = None
        if "rules" in engines:
            rules = RuleEngine(self.nlp, code_rows.all_codes(conn))
            self.problems.extend(rules.problems)
            self.engines["rules"] = rules
        if "similar" in engines:
            corpus = [r[5] for r in every]
            self.engines["similar"] = SimilarEngine(self.examples, corpus)
        if "model" in engines:
            model = self._model(train_on, retrain)
            if model is not None:
                self.engines["model"] = model

    def _model(self, train_on: set[int] | None, retrain: bool | None) -> ModelEngine | None:
        conn = self.project.conn
        codings = coding_rows.final_count(conn)
        stored = nlp_rows.model(conn, MODEL_NAME) if train_on is None else None
        fresh = stored and abs(codings - stored["codings"]) < max(10, stored["codings"] / 10)
        if stored and (retrain is False or (fresh and retrain is not True)):
            return ModelEngine.from_bytes(stored["data"], stored["labels"], stored["examples"])
        if retrain is False:
            return None
        model = ModelEngine.train(self.examples)
        if model is not None and train_on is None:
            self.trained = (model, codings)  # for the caller to keep (services.suggest)
        return model

    def segments(self, transcript_id: int, unit: str = "sentence") -> list[Segment]:
        conn = self.project.conn
        text = transcript_rows.text(conn, transcript_id)
        rows = [r for r in nlp_rows.sentences(conn, [transcript_id]) if not r[6]]
        if unit == "sentence":
            return [Segment(transcript_id, a, b, lemmas, text[a:b])
                    for _, _, _, a, b, lemmas, _ in rows]
        turns: dict[int, list[tuple[int, int, str]]] = {}
        for _, _, seq, a, b, lemmas, _ in rows:
            turns.setdefault(seq, []).append((a, b, lemmas))
        return [Segment(transcript_id, parts[0][0], parts[-1][1],
                        " ".join(p[2] for p in parts), text[parts[0][0]:parts[-1][1]])
                for parts in turns.values()]

    def suggest(self, segments: list[Segment]) -> list[list[Combined]]:
        with LOCK:
            return self._suggest(segments)

    def _suggest(self, segments: list[Segment]) -> list[list[Combined]]:
        per_engine = []
        lemmas = [s.lemmas for s in segments]
        if "rules" in self.engines:
            per_engine.append(self.engines["rules"].suggest(
                self.nlp.pipe((s.text for s in segments), batch_size=256)))
        for name in ("model", "similar"):
            if name in self.engines:
                per_engine.append(self.engines[name].suggest(lemmas))
        return [combine([engine[i] for engine in per_engine]) for i in range(len(segments))]
