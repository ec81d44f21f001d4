"""Suggestions as user actions: list them for a transcript, write them as codings
flagged for review (never final), accept or reject one. Accepts and rejects are
kept (suggestion_decisions) and feed the learned engine."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..core.text import plural
from ..errors import QualCoderError
from ..storage import (
    Project,
    action_rows,
    code_rows,
    coding_rows,
    nlp_rows,
    transcript_rows,
    utcnow,
)
from .codings import add_coding, default_coder, list_codings

if TYPE_CHECKING:
    from ..nlp.engines import Example
    from ..nlp.suggester import Segment, Suggester

# (transcript id, segment, one of its suggestions), as suggest() gives them
Found = tuple[int, dict[str, Any], dict[str, Any]]

UNITS = ("sentence", "turn")


def _engines(engines: Iterable[str] | None) -> tuple[str, ...]:
    from ..nlp.suggester import ENGINES

    chosen = tuple(engines or ENGINES)
    unknown = [e for e in chosen if e not in ENGINES]
    if unknown:
        raise QualCoderError(f"unknown engine '{unknown[0]}'; engines are {', '.join(ENGINES)}")
    return chosen


def make_suggester(project: Project, engines: tuple[str, ...] | None = None,
                   retrain: bool | None = None,
                   transcripts: Iterable[int] | None = None) -> Suggester:
    """The engines over this project, to be asked about `transcripts` (ids; None: any):
    the sentence cache brought up to date first for those and the coded transcripts the
    engines learn from (not the whole project: the first suggestion for one transcript of
    a thousand waits for that one), and a model trained on the way kept in the project (one
    transaction) for the next time."""
    from ..nlp.suggester import ENGINES, MODEL_NAME, Suggester
    from .sentences import ensure_sentences

    ensure_sentences(project, None if transcripts is None else sorted(
        {*transcripts, *coding_rows.coded_transcripts(project.conn)}))
    suggester = Suggester(project, engines or ENGINES, retrain=retrain)
    if suggester.trained is not None:
        model, codings = suggester.trained
        with project.transaction():
            nlp_rows.save_model(project.conn, MODEL_NAME, model.to_bytes(), model.labels,
                                model.examples, codings, utcnow())
    return suggester


def _taken(conn: sqlite3.Connection, transcript_id: int,
           coder: str) -> list[tuple[str, int, int]]:
    """Spans a suggestion should not repeat: codings already made or suggested to this
    coder, and suggestions anyone rejected."""
    rows = coding_rows.spans_for(conn, transcript_id, coder)
    rows += [(k, a, b) for tid, k, a, b in nlp_rows.rejections(conn) if tid == transcript_id]
    return rows


def suggest(project: Project, transcript: str | int, top: int = 3, unit: str = "sentence",
            engines: Iterable[str] | None = None, min_score: float = 0.2,
            suggester: Suggester | None = None, coder: str | None = None,
            segments: list[Segment] | None = None) -> list[dict[str, Any]]:
    """Segments with suggestions, best first: [{start, end, text, suggestions: [{code,
    score, engine, why}]}]. Codes already on a segment (or rejected there) are left out."""
    from ..nlp.suggester import covers

    if unit not in UNITS:
        raise QualCoderError(f"suggestions are per {' or per '.join(UNITS)}, not '{unit}'")
    conn = project.conn
    t = transcript_rows.transcript_by_ref(conn, transcript)
    suggester = suggester or make_suggester(project, _engines(engines), transcripts=[t["id"]])
    segments = segments if segments is not None else suggester.segments(t["id"], unit)
    taken = _taken(conn, t["id"], coder or default_coder(project))
    out: list[dict[str, Any]] = []
    for seg, ranked in zip(segments, suggester.suggest(segments)):
        kept = [s for s in ranked if s.score >= min_score and not any(
            k == s.code and covers(seg.start, seg.end, a, b) for k, a, b in taken)][:top]
        if kept:
            out.append(dict(start=seg.start, end=seg.end, text=seg.text, suggestions=[
                dict(code=s.code, score=round(s.score, 3), engine=s.engine, why=s.why)
                for s in kept]))
    out.sort(key=lambda d: d["suggestions"][0]["score"], reverse=True)
    return out


def autocode(project: Project, transcripts: list[str | int] | None = None,
             min_score: float = 0.6,
             engines: Iterable[str] | None = None, unit: str = "sentence",
             coder: str | None = None, progress: Callable[[int], object] | None = None,
             density_cap: bool = True) -> dict[str, Any]:
    """Write suggestions at or above `min_score` as codings with status 'suggested' (one
    transaction), for the coder to accept or reject.

    `density_cap`: a code is suggested for at most the share of a transcript's sentences
    the project's coding gives it elsewhere (at least one), best scores first. On the demo
    (bench/autocode_agreement.py, each transcript held out in turn) that cuts the
    suggestions from 999 to 341 against 229 sentence-code pairs coded by hand, with the
    same agreement (kappa 0.16 against 0.15)."""
    coder = coder or default_coder(project)
    conn = project.conn
    ids = [transcript_rows.transcript_by_ref(conn, t)["id"] for t in transcripts] if transcripts \
        else transcript_rows.transcript_ids(conn, by="name")
    suggester = make_suggester(project, _engines(engines), transcripts=ids)
    shares = _code_shares(suggester.examples) if density_cap and unit == "sentence" else {}
    found: list[Found] = []
    capped = 0
    for tid in ids:
        if progress:
            progress(tid)
        segments = suggester.segments(tid, unit)
        here = [(tid, seg, s) for seg in suggest(project, tid, top=3, unit=unit,
                                                 min_score=min_score, suggester=suggester,
                                                 coder=coder, segments=segments)
                for s in seg["suggestions"]]
        if shares:
            kept = _within_density(here, shares, len(segments))
            capped += len(here) - len(kept)
            here = kept
        found.extend(here)
    now = utcnow()
    with project.transaction():
        made = []
        for tid, seg, s in found:
            code = code_rows.code(conn, s["code"])
            cid = coding_rows.insert(conn, tid, code["id"], seg["start"], seg["end"], coder,
                                     "suggested", f"suggest:{s['engine']}",
                                     str(uuid.uuid4()), now)
            nlp_rows.set_reason(conn, cid, s["score"], s["engine"], s["why"])
            made.append(cid)
        action_rows.record(conn, f"autocode ({plural(len(made), 'suggestion')})", [],
                           action_rows.snapshot(conn, made), coder, now)
    return dict(suggested=len(made), transcripts=len(ids), problems=suggester.problems,
                capped=capped)


def _code_shares(examples: list[Example]) -> dict[str, float]:
    """Each code's share of the coded transcripts' sentences (none before any coding)."""
    if not examples:
        return {}
    counts: dict[str, int] = {}
    for e in examples:
        for code in e.codes:
            counts[code] = counts.get(code, 0) + 1
    return {code: n / len(examples) for code, n in counts.items()} if counts else {}


def _within_density(found: list[Found], shares: dict[str, float],
                    sentences: int) -> list[Found]:
    """Per code, the best-scoring suggestions up to its share of these sentences."""
    import math

    by_code: dict[str, list[Found]] = {}
    for item in found:
        by_code.setdefault(item[2]["code"], []).append(item)
    kept = []
    for code, items in by_code.items():
        cap = max(1, math.ceil(shares.get(code, 0.0) * sentences))
        kept += sorted(items, key=lambda item: item[2]["score"], reverse=True)[:cap]
    return kept


def pending(project: Project, transcript: str | int | None = None,
            coder: str | None = None) -> list[dict[str, Any]]:
    """Suggested codings waiting for a yes or no (from `coder`), with their reasons."""
    rows = list_codings(project, transcript, coder=coder, status="suggested")
    reasons = nlp_rows.reasons(project.conn, [r["id"] for r in rows])
    for r in rows:
        score, engine, why = reasons.get(r["id"], (None, r["source"], ""))
        r.update(score=score, engine=engine, why=why)
    return rows


def accept(project: Project, coding_id: int, coder: str | None = None) -> dict[str, Any]:
    """The suggestion becomes a final coding by `coder` (merged with overlapping ones of
    the same code, as any coding is)."""
    coder = coder or default_coder(project)
    with project.transaction():
        conn = project.conn
        g = _suggested(conn, coding_id)
        result = add_coding(project, g["transcript_id"], g["code"], g["start"], g["end"],
                            coder=coder, source=f"accepted:{g['engine'] or 'suggestion'}",
                            replaces=coding_id)
        _record(conn, g, "accepted", coder)
    return dict(coding=result.id, code=g["code"], start=result.start, end=result.end,
                absorbed=result.absorbed)


def reject(project: Project, coding_id: int, coder: str | None = None) -> dict[str, Any]:
    coder = coder or default_coder(project)
    with project.transaction():
        conn = project.conn
        g = _suggested(conn, coding_id)
        before = action_rows.snapshot(conn, [coding_id])
        coding_rows.delete(conn, coding_id)
        action_rows.record(conn, f"reject {g['code']}", before, [], coder, utcnow())
        _record(conn, g, "rejected", coder)
    return dict(code=g["code"], start=g["start"], end=g["end"])


def _suggested(conn: sqlite3.Connection, coding_id: int) -> dict[str, Any]:
    """The suggested coding with the score and engine it was suggested with."""
    g: dict[str, Any] = dict(coding_rows.get(conn, coding_id))
    if g["status"] != "suggested":
        raise QualCoderError(f"coding #{coding_id} is not a suggestion (it is {g['status']}); "
                             "`qual-coder review PROJECT` lists the suggestions")
    g["score"], g["engine"], _ = nlp_rows.reasons(conn, [coding_id]).get(
        coding_id, (None, None, ""))
    return g


def _record(conn: sqlite3.Connection, g: dict[str, Any], decision: str, coder: str) -> None:
    nlp_rows.record_decision(conn, g["transcript_id"], code_rows.code_id(conn, g["code"]),
                             g["start"], g["end"], decision, g["engine"], g["score"], coder,
                             utcnow())


def train(project: Project) -> dict[str, Any]:
    """Retrain the learned engine on the project's coding now."""
    suggester = make_suggester(project, ("model",), retrain=True, transcripts=[])
    model = suggester.engines.get("model")
    if model is None:
        return dict(trained=False, labels=[], examples=0)
    return dict(trained=True, labels=model.labels, examples=model.examples)


def code_from_candidate(project: Project, phrase: str, key: str | None = None,
                        name: str | None = None, parent: str | None = None,
                        coder: str | None = None) -> dict[str, Any]:
    """A discovered phrase becomes an inductive code whose keyword is the phrase, so the
    rules engine finds it elsewhere at once."""
    from ..core.codebook import slugify
    from .codebook import add_code

    phrase = " ".join(phrase.split())
    if not phrase:
        raise QualCoderError("say which phrase to make a code of")
    key = key or slugify(phrase)
    with project.transaction():
        made = add_code(project, key, name or phrase[:1].upper() + phrase[1:], parent=parent,
                        description=f"Inductive: discovered as '{phrase}'", coder=coder)
        code_rows.update_code(project.conn, made["key"], keywords=[phrase])
    return dict(made, keywords=[phrase])


def set_pipeline(project: Project, model: str) -> None:
    """Use the spaCy pipeline `model` (an installed trained pipeline, or blank-en) for
    this project's suggestions; refused clearly when it is not installed."""
    from ..nlp.pipeline import BLANK, SETTING, describe

    describe(model)  # loads it: fails clearly when it is not installed
    project.set_setting(SETTING, "" if model == BLANK else model)


def pipeline_description(project: Project) -> str:
    """The project's pipeline: its name, components and spaCy version."""
    from ..nlp.pipeline import describe, pipeline_name

    return describe(pipeline_name(project))
