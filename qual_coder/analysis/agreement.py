"""Inter-coder agreement on transcripts coded independently by two or more coders.

For each code, every unit (a character, a sentence or a turn) is coded or not by
each coder. From those yes/no decisions:
- `agreement`: the share of units on which all coders made the same decision;
- `kappa`: Cohen's kappa for two coders. When both coders made one decision
  throughout (expected agreement 1), kappa is undefined; like NVivo we report 1
  when they agree on every unit;
- `alpha`: Krippendorff's alpha, nominal, any number of coders (closed form, checked
  against the `krippendorff` package); undefined (None) when the units carry one value only;
- `coded_units` and `coded_agreement`: the units at least one coder coded, and the
  share of those that every coder coded. At character level most text is coded by
  nobody, which inflates `agreement` and drives kappa; `coded_agreement` is the
  figure that says whether coders picked the same passages.
Per code, the figures are given twice: pooled over the transcripts compared (every
transcript's units one series), and per transcript (`transcripts`), as NVivo's coding
comparison reports kappa per code per source. `overall` pools every code's decisions
(each code-and-unit pair one decision).

Disagreements are reported as clusters: codings of one code (by any of the coders)
that overlap each other form a cluster; a cluster in which the coders' coverage
differs is one place to discuss, with each coder's version side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.spans import sentence_spans
from ..errors import QualCoderError
from ..storage import Project, coding_rows, transcript_rows

if TYPE_CHECKING:
    import sqlite3

UNITS = ("character", "sentence", "turn")


@dataclass
class Cluster:
    transcript_id: int
    transcript: str
    code: str
    start: int
    end: int
    versions: dict[str, list[tuple[int, int]]]  # coder -> their spans (maybe none)


def _spans(conn: sqlite3.Connection, coders: list[str], transcripts: list[str] | None,
           ) -> tuple[list[tuple[int, str, str, int, int]], list[int]]:
    """(transcript id, code key, coder, start, end) of the coders' final codings in the
    transcripts compared, and those transcripts' ids."""
    rows = sorted((tid, key, coder, a, b) for _, tid, key, coder, a, b in
                  coding_rows.final_coded(conn, coders))
    if transcripts:
        wanted = {transcript_rows.transcript_by_ref(conn, t)["id"] for t in transcripts}
    else:  # the transcripts every coder has coded: those were coded independently
        by_coder: dict[str, set[int]] = {}
        for tid, _, coder, _, _ in rows:
            by_coder.setdefault(coder, set()).add(tid)
        missing = [c for c in coders if c not in by_coder]
        if missing:
            raise QualCoderError(f"no codings by {', '.join(missing)}; `qual-coder codings "
                                 "PROJECT --coder NAME` lists a coder's codings")
        wanted = set.intersection(*(by_coder[c] for c in coders))
        if not wanted:
            raise QualCoderError(f"no transcript is coded by all of {', '.join(coders)}; "
                                 "name the transcripts to compare with --transcripts")
    return [r for r in rows if r[0] in wanted], sorted(wanted)


def _units(conn: sqlite3.Connection, tid: int, text: str, unit: str) -> np.ndarray:
    """(n, 2) array of unit spans; characters are handled without spans."""
    turns = [(a, b) for _, a, b in transcript_rows.numbered_turns(conn, tid)]
    if unit == "turn":
        return np.array(turns or [(0, len(text))], dtype=np.int64).reshape(-1, 2)
    spans = [s for a, b in (turns or [(0, len(text))]) for s in sentence_spans(text, a, b)]
    return np.array(spans or [(0, len(text))], dtype=np.int64).reshape(-1, 2)


def _coded(spans: list[tuple[int, int]], units: np.ndarray | None, length: int) -> np.ndarray:
    """Which units a coder's spans touch (for characters: which characters they cover)."""
    if units is None:
        covered = np.zeros(length + 1, dtype=np.int32)
        for a, b in spans:
            covered[a] += 1
            covered[b] -= 1
        return np.cumsum(covered[:-1]) > 0
    hit = np.zeros(len(units), dtype=bool)
    for a, b in spans:
        hit |= (units[:, 0] < b) & (units[:, 1] > a)
    return hit


def _stats(decisions: np.ndarray) -> dict[str, Any]:
    """decisions: (coders, units) booleans. Everything but kappa comes from one count: how
    many units have 0, 1, ..., m coders saying yes."""
    m, n = decisions.shape
    if n == 0:
        return dict(agreement=None, kappa=None, alpha=None, units=0, coded_units=0,
                    coded_agreement=None)
    by_yes = np.bincount(decisions.sum(axis=0), minlength=m + 1)
    same = int(by_yes[0] + by_yes[m])
    coded = n - int(by_yes[0])
    out = dict(agreement=same / n, units=int(n), coded_units=coded,
               coded_agreement=int(by_yes[m]) / coded if coded else None)
    if m == 2:
        pa, pb = (np.count_nonzero(row) / n for row in decisions)
        po = same / n
        pe = pa * pb + (1 - pa) * (1 - pb)
        out["kappa"] = 1.0 if pe >= 1.0 and po == 1.0 else (
            (po - pe) / (1 - pe) if pe < 1.0 else None)
    else:
        out["kappa"] = None
    out["alpha"] = nominal_alpha(by_yes)
    return out


def nominal_alpha(by_yes: np.ndarray) -> float | None:
    """Krippendorff's alpha, nominal, for yes/no decisions every coder made on every unit,
    from `by_yes[y]`, the number of units on which y of the m coders said yes (y = 0..m).
    In closed form from the coincidence matrix (Krippendorff 2011, "Computing
    Krippendorff's alpha-reliability"): with n_0 and n_1 the pairable no and yes values and
    n = n_0 + n_1, alpha = 1 - (n - 1) * D / (n_0 * n_1), D being the off-diagonal
    coincidences, the sum over units of y (m - y) / (m - 1). Equal to the `krippendorff`
    package's (a test compares them) without its per-call matrices. None when the units
    carry one value only."""
    m = len(by_yes) - 1
    y = np.arange(m + 1)
    n1 = float((y * by_yes).sum())
    n = float(m * by_yes.sum())
    n0 = n - n1
    if n1 == 0 or n0 == 0:
        return None
    disagreeing = float((y * (m - y) * by_yes).sum()) / (m - 1)
    return 1.0 - (n - 1.0) * disagreeing / (n0 * n1)


def agreement(project: Project, coders: list[str], transcripts: list[str] | None = None,
              unit: str = "character", codes: list[str] | None = None) -> dict[str, Any]:
    if len(coders) < 2 or len(set(coders)) < len(coders):
        raise QualCoderError("agreement needs two or more different coders (--coders A B)")
    if unit not in UNITS:
        raise QualCoderError(f"unit '{unit}' is not one of {', '.join(UNITS)}")
    conn = project.conn
    rows, tids = _spans(conn, coders, transcripts)
    keys = sorted({r[1] for r in rows} | set(codes or []))
    if codes:
        keys = [k for k in keys if k in codes]
    spans: dict[tuple[int, str, str], list[tuple[int, int]]] = {}
    for tid, key, coder, a, b in rows:
        spans.setdefault((tid, key, coder), []).append((a, b))
    per_code: dict[str, list[np.ndarray]] = {k: [] for k in keys}
    names = []
    for tid in tids:
        t = transcript_rows.transcript_by_id(conn, tid)
        names.append(t["name"])
        units = None if unit == "character" else _units(conn, tid, t["text"], unit)
        for key in keys:
            per_code[key].append(np.stack([
                _coded(spans.get((tid, key, c), []), units, len(t["text"])) for c in coders]))
    result_codes = []
    pooled = []
    for key in keys:
        decisions = np.concatenate(per_code[key], axis=1)
        pooled.append(decisions)
        result_codes.append(dict(key=key, **_stats(decisions), transcripts=[
            dict(transcript=name, **_stats(one)) for name, one in zip(
                names, per_code[key], strict=True)]))
    overall = _stats(np.concatenate(pooled, axis=1)) if pooled else _stats(
        np.zeros((len(coders), 0), dtype=bool))
    return dict(unit=unit, coders=coders, transcripts=names, codes=result_codes,
                overall=overall, nvivo=nvivo_summary(result_codes),
                pooled="per code: pooled over the transcripts; codes[].transcripts[]: per "
                       "transcript, as NVivo; overall: every code's decisions on every unit "
                       "pooled into one series; nvivo: the mean of the per-transcript, "
                       "per-code kappas NVivo's coding comparison reports")


def nvivo_summary(codes: list[dict[str, Any]]) -> dict[str, Any]:
    """The headline as NVivo users compare it: kappa per code per transcript, summarised
    as their mean, with how many of those comparisons are of a code neither coder used
    (kappa 1 by NVivo's convention, which lifts the mean) and the mean without them."""
    cells = [t for c in codes for t in c["transcripts"] if t["kappa"] is not None]
    used = [t for t in cells if t["coded_units"]]

    def mean(rows: list[dict[str, Any]]) -> float | None:
        return round(float(np.mean([r["kappa"] for r in rows])), 4) if rows else None

    per_code = [c["kappa"] for c in codes if c["kappa"] is not None]
    return dict(mean_kappa=mean(cells), comparisons=len(cells),
                neither_used=len(cells) - len(used), mean_kappa_when_used=mean(used),
                pooled_kappa_range=[min(per_code), max(per_code)] if per_code else None)


def disagreements(project: Project, coders: list[str], transcripts: list[str] | None = None,
                  unit: str = "character", codes: list[str] | None = None) -> list[Cluster]:
    """Clusters of overlapping codings where the coders' versions differ (at `unit`),
    leaving out those already resolved as "keep both"."""
    conn = project.conn
    rows, tids = _spans(conn, coders, transcripts)
    resolved = coding_rows.resolutions(conn)
    out: list[Cluster] = []
    texts: dict[int, tuple[str, str]] = {}
    groups: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    for tid, key, coder, a, b in rows:
        if codes and key not in codes:
            continue
        groups.setdefault((tid, key), []).append((a, b, coder))
    for (tid, key), items in sorted(groups.items()):
        if tid not in texts:
            t = transcript_rows.transcript_by_id(conn, tid)
            texts[tid] = (t["name"], t["text"])
        name, text = texts[tid]
        units = None if unit == "character" else _units(conn, tid, text, unit)
        for start, end, members in _clusters(sorted(items)):
            versions = {c: [(a, b) for a, b, who in members if who == c] for c in coders}
            if unit == "character":
                covers = {c: _coverage(v) for c, v in versions.items()}
            else:
                covers = {c: tuple(np.flatnonzero(_coded(v, units, len(text))))
                          for c, v in versions.items()}
            if len(set(covers.values())) > 1 and (tid, key, start, end) not in resolved:
                out.append(Cluster(tid, name, key, start, end, versions))
    return out


def _clusters(items: list[tuple[int, int, str]],
              ) -> Iterator[tuple[int, int, list[tuple[int, int, str]]]]:
    start: int | None = None
    end = 0
    members: list[tuple[int, int, str]] = []
    for a, b, coder in items:
        if start is not None and a < end:
            end = max(end, b)
            members.append((a, b, coder))
            continue
        if start is not None:
            yield start, end, members
        start, end, members = a, b, [(a, b, coder)]
    if start is not None:
        yield start, end, members


def _coverage(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((m[0], m[1]) for m in merged)
