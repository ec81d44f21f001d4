"""The engines put together over one project: training examples from its coding,
segments (sentences or turns) from the sentence cache, and one ranked list of
suggestions per segment."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import QualCoderError
from ..storage import Project, code_rows, coding_rows, nlp_rows, transcript_rows
from .engines import (
    WEIGHTS,
    Combined,
    Example,
    Matches,
    ModelEngine,
    RuleEngine,
    SimilarEngine,
    Suggestion,
    combine,
)
from .pipeline import LOCK, load, pipeline_name
from .sentences import uncached

if TYPE_CHECKING:
    import sqlite3

ENGINES = ("rules", "model", "similar")
MODEL_NAME = "textcat"
# How much the rest of a sentence's turn counts beside the sentence itself (a weight on
# its engines' scores in the noisy-OR). bench/suggest_quality.py, 50% coded, combined
# recall@3: 0.71 without context, 0.81 / 0.83 / 0.84 / 0.83 / 0.82 / 0.77 at 0.15 / 0.3 /
# 0.4 / 0.5 / 0.6 / 1.0: the middle of that plateau.
CONTEXT_WEIGHT = 0.4
CONTEXT_SENTENCES = 5  # either side (the whole rest of the turn: 0.84; two either side: 0.82)
# Coded sentences from which the classifier counts in full (bench/suggest_quality.py,
# combined recall@3 at 10 / 25 / 50 / 75% coded: 0.72 / 0.63 / 0.83 / 0.82 at full weight
# always; 0.77 / 0.78 / 0.83 / 0.82 from 100; 0.77 / 0.80 / 0.82 / 0.82 from 200;
# 0.77 / 0.80 / 0.83 / 0.82 from 400). The demo has 232.
MODEL_FULL_AT = 200


@dataclass
class Segment:
    transcript_id: int
    start: int
    end: int
    lemmas: str
    text: str
    turn: int = -1  # the turn's seq: sentences of one turn are each other's context


def covers(start: int, end: int, c_start: int, c_end: int) -> bool:
    """A coding covers a segment when they share at least half of the shorter one."""
    overlap = min(end, c_end) - max(start, c_start)
    return overlap > 0 and overlap >= 0.5 * min(end - start, c_end - c_start)


Codings = dict[int, list[tuple[int, int, str]]]  # transcript -> (start, end, code key)


def _final_codings(conn: sqlite3.Connection, transcript_ids: set[int] | None = None,
                   ) -> Codings:
    out: Codings = {}
    for _, tid, key, _, a, b in coding_rows.final_coded(conn):
        if transcript_ids is None or tid in transcript_ids:
            out.setdefault(tid, []).append((a, b, key))
    return out


def _labels(conn: sqlite3.Connection) -> dict[tuple[int, int], str]:
    """(transcript, turn seq) -> "Site / role", where an excerpt was said."""
    return {place: " / ".join(x for x in (site, role or stype) if x)
            for place, (site, role, stype) in nlp_rows.turn_places(conn).items()}


def training_examples(project: Project, transcript_ids: set[int] | None = None,
                      sentences: list[tuple[Any, ...]] | None = None,
                      codings: Codings | None = None) -> list[Example]:
    """Sentences of the coded transcripts (the interviewer's and no one's left out),
    labelled with the codes whose final codings cover them (accepted suggestions among them);
    uncoded sentences are the negatives, rejected suggestions the surest ones.
    `sentences` and `codings`: the cache's rows and the final codings of these
    transcripts, when the caller has read them already."""
    conn = project.conn
    codings = _final_codings(conn, transcript_ids) if codings is None else codings
    labels = _labels(conn)
    rejected: dict[int, list[tuple[int, int, str]]] = {}
    for tid, key, a, b in nlp_rows.rejections(conn):
        rejected.setdefault(tid, []).append((a, b, key))
    if sentences is None:
        sentences = nlp_rows.sentences(conn, list(codings))
    kept = [row for row in sentences if not row[6] and row[1] in codings]
    by_transcript: dict[int, list[tuple[int, int]]] = {}
    for row in kept:
        by_transcript.setdefault(row[1], []).append((row[3], row[4]))
    codes = {tid: iter(covering(spans, codings[tid])) for tid, spans in by_transcript.items()}
    said_no = {tid: iter(covering(spans, rejected.get(tid, [])))
               for tid, spans in by_transcript.items()}
    out = []
    for _, tid, seq, _, _, lemmas, _ in kept:
        yes, no = next(codes[tid]), next(said_no[tid])
        out.append(Example(lemmas, yes, labels.get((tid, seq), ""), no - yes))
    return out


def covering(segments: list[tuple[int, int]], spans: list[tuple[int, int, str]],
             ) -> list[frozenset[str]]:
    """For each segment (start, end), the keys of the spans (start, end, key) that cover
    it (`covers`), in the segments' order. A sweep over both sorted by start, keeping the
    spans still open: its cost grows with segments plus spans plus the pairs that overlap,
    where testing every pair grew with their product (75.7 million tests for 200,000
    codings)."""
    order = sorted(range(len(segments)), key=lambda i: segments[i])
    spans = sorted(spans)
    found: list[frozenset[str]] = [frozenset()] * len(segments)
    open_spans: list[tuple[int, int, str]] = []
    j = 0
    for i in order:
        a, b = segments[i]
        while j < len(spans) and spans[j][0] < b:
            open_spans.append(spans[j])
            j += 1
        open_spans = [s for s in open_spans if s[1] > a]
        if open_spans:
            found[i] = frozenset(k for ca, cb, k in open_spans if covers(a, b, ca, cb))
    return found


def training_passages(project: Project, transcript_ids: set[int] | None = None,
                      sentences: list[tuple[Any, ...]] | None = None,
                      codings: Codings | None = None) -> list[Example]:
    """Each coded passage whole, its lemmas those of the participants' sentences it
    covers, labelled with every code given to exactly that span: the classifier learns
    what a passage about a code says, not only its sentences one by one (the model alone
    on the demo, bench/suggest_quality.py at 50% coded: recall@3 0.50 -> 0.55).
    `sentences` and `codings` as for training_examples."""
    conn = project.conn
    codings = _final_codings(conn, transcript_ids) if codings is None else codings
    if sentences is None:
        sentences = nlp_rows.sentences(conn, list(codings))
    spoken: dict[int, list[tuple[int, int, str]]] = {}
    for _, tid, _, a, b, lemmas, not_said in sentences:
        if not not_said and tid in codings:
            spoken.setdefault(tid, []).append((a, b, lemmas))
    out = []
    for tid, rows in codings.items():
        spans: dict[tuple[int, int], set[str]] = {}
        for a, b, key in rows:
            spans.setdefault((a, b), set()).add(key)
        said = spoken.get(tid, [])
        starts = [a for a, _, _ in said]
        for (a, b), keys in spans.items():
            words = []
            for i in range(max(0, bisect.bisect_right(starts, a) - 1), len(said)):
                sa, sb, lemmas = said[i]
                if sa >= b:
                    break
                if covers(sa, sb, a, b):
                    words.append(lemmas)
            if words:
                out.append(Example(" ".join(words), frozenset(keys)))
    return out


def _cached(project: Project, transcript_ids: Iterable[int]) -> None:
    missing = uncached(project, transcript_ids)
    if missing:
        raise QualCoderError(f"the sentence cache lacks {', '.join(missing[:3])}"
                             + (" and more" if len(missing) > 3 else "")
                             + ": build it first (qual_coder.services.ensure_sentences)")


class Suggester:
    def __init__(self, project: Project, engines: tuple[str, ...] = ENGINES,
                 train_on: set[int] | None = None, retrain: bool | None = None):
        """`train_on` limits what the engines learn from to these transcripts (the
        benchmark holds the others out); `retrain` forces (True) or forbids (False)
        training the classifier, which by default is retrained when the project's
        coding has grown or shrunk by a tenth (and at least 10 codings) since.

        Everything learned comes from the coded transcripts (those of `train_on`): the
        examples, the classifier and the similarity engine's idf, as a vectoriser is
        fitted on its training set. So what a transcript is suggested does not depend on
        which others the sentence cache holds, and the cache need only hold the coded
        transcripts and those asked about (`segments`)."""
        with LOCK:
            self._setup(project, engines, train_on, retrain)

    def _setup(self, project: Project, engines: tuple[str, ...], train_on: set[int] | None,
               retrain: bool | None) -> None:
        self.project = project
        conn = project.conn
        codings = _final_codings(conn, train_on)
        _cached(project, codings)
        self.nlp = load(pipeline_name(project))
        # read once: the examples, the passages and the similarity corpus
        every = nlp_rows.sentences(conn, sorted(codings))
        self.examples = training_examples(project, train_on, every, codings)
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
            model = self._model(train_on, retrain, every, codings)
            if model is not None:
                self.engines["model"] = model
        # A classifier trained on a few dozen sentences is mostly noise: its weight in the
        # noisy-OR grows with what it learned from, in full from MODEL_FULL_AT sentences.
        self.weights = dict(WEIGHTS)
        if "model" in self.engines:
            self.weights["model"] *= min(1.0, self.engines["model"].examples / MODEL_FULL_AT)

    def _model(self, train_on: set[int] | None, retrain: bool | None,
               sentences: list[tuple[Any, ...]], final: Codings) -> ModelEngine | None:
        conn = self.project.conn
        codings = coding_rows.final_count(conn)
        stored = nlp_rows.model(conn, MODEL_NAME) if train_on is None else None
        fresh = stored and abs(codings - stored["codings"]) < max(10, stored["codings"] / 10)
        if stored and (retrain is False or (fresh and retrain is not True)):
            return ModelEngine.from_bytes(stored["data"], stored["labels"], stored["examples"])
        if retrain is False:
            return None
        model = ModelEngine.train(self.examples, passages=training_passages(
            self.project, train_on, sentences, final))
        if model is not None and train_on is None:
            self.trained = (model, codings)  # for the caller to keep (services.suggest)
        return model

    def segments(self, transcript_id: int, unit: str = "sentence") -> list[Segment]:
        conn = self.project.conn
        _cached(self.project, [transcript_id])
        text = transcript_rows.text_of(conn, transcript_id)
        rows = [r for r in nlp_rows.sentences(conn, [transcript_id]) if not r[6]]
        if unit == "sentence":
            return [Segment(transcript_id, a, b, lemmas, text[a:b], seq)
                    for _, _, seq, a, b, lemmas, _ in rows]
        turns: dict[int, list[tuple[int, int, str]]] = {}
        for _, _, seq, a, b, lemmas, _ in rows:
            turns.setdefault(seq, []).append((a, b, lemmas))
        return [Segment(transcript_id, parts[0][0], parts[-1][1],
                        " ".join(p[2] for p in parts), text[parts[0][0]:parts[-1][1]], seq)
                for seq, parts in turns.items()]

    def suggest(self, segments: list[Segment]) -> list[list[Combined]]:
        """One ranked list per segment. A sentence is read in its turn: the rest of the
        turn (its other sentences among `segments`) is scored too, and what it suggests
        joins the sentence's own suggestions at CONTEXT_WEIGHT ("in this turn: ...").
        People code passages, and a sentence such as "Yes, that's exactly it." says
        little on its own: on the demo (bench/suggest_quality.py, 50% coded) recall@3
        0.71 -> 0.83, P@1 0.47 -> 0.59."""
        with LOCK:
            rules = self.engines.get("rules")
            matches = rules.matches(self.nlp.pipe((s.text for s in segments), batch_size=256)) \
                if rules else []
            own = self._suggest(segments, matches)
            groups: dict[tuple[int, int], list[int]] = {}
            for i, seg in enumerate(segments):
                if seg.turn >= 0:
                    groups.setdefault((seg.transcript_id, seg.turn), []).append(i)
            # a sentence's context is the rest of its turn (its own words count once), up
            # to CONTEXT_SENTENCES either side: a long monologue stays linear to score
            context = [(i, [j for j in members[max(0, n - CONTEXT_SENTENCES):
                                               n + CONTEXT_SENTENCES + 1] if j != i])
                       for members in groups.values() if len(members) > 1
                       for n, i in enumerate(members)]
            if not context:
                return [combine(parts, self.weights) for parts in own]
            rest = [Segment(segments[i].transcript_id, segments[i].start, segments[i].end,
                            " ".join(segments[j].lemmas for j in others), "", segments[i].turn)
                    for i, others in context]
            # the rules read the rest of a turn as its sentences' matches: no second pass
            rest_matches = [rules.merged(matches[j] for j in others) for _, others in context] \
                if rules else []
            for (i, _), parts in zip(context, self._suggest(rest, rest_matches)):
                own[i].append([Suggestion(s.code, CONTEXT_WEIGHT * s.score, s.engine,
                                          f"in this turn: {s.why}")
                               for engine in parts for s in engine])
            return [combine(parts, self.weights) for parts in own]

    def _suggest(self, segments: list[Segment], matches: list[Matches]
                 ) -> list[list[list[Suggestion]]]:
        """Per segment, each engine's suggestions (the rules' from their `matches`)."""
        per_engine = []
        if "rules" in self.engines:
            per_engine.append(self.engines["rules"].scored(matches))
        lemmas = [s.lemmas for s in segments]
        for name in ("model", "similar"):
            if name in self.engines:
                per_engine.append(self.engines[name].suggest(lemmas))
        return [[engine[i] for engine in per_engine] for i in range(len(segments))]
