"""Code co-occurrence: codes applied to overlapping text, or within the same turn."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..errors import QualCoderError
from ..storage import Project, code_rows, coding_rows, frames, transcript_rows

if TYPE_CHECKING:
    import pandas as pd


def cooccurrence(project: Project, within: str = "overlap", codebook: str | None = None,
                 coders: list[str] | None = None) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Returns (matrix DataFrame of co-coded pair counts, list of co-coded excerpts).

    Each code's codings are first merged into passages across coders (`coders` keeps
    only theirs): two coders coding one passage with one code is one passage, so a pair
    is two *different* codes meeting, never one coder's code against another coder's
    version of it, and a double-coded passage pairs once."""
    import pandas as pd

    from .matrix import check_coders

    if within not in ("overlap", "turn"):
        raise QualCoderError("--within is overlap or turn")
    conn = project.conn
    codes = [c for c in code_rows.all_codes(conn) if codebook is None or
             c["codebook"] == codebook]
    keys = [c["key"] for c in codes]
    order = {k: i for i, k in enumerate(keys)}
    spans: dict[int, dict[str, list[tuple[int, int, int]]]] = defaultdict(
        lambda: defaultdict(list))
    for cid, tid, key, _, start, end in coding_rows.final_coded(
            conn, check_coders(project, coders)):
        if key in order:
            spans[tid][key].append((start, end, cid))
    turn_starts: dict[int, list[int]] = {}
    if within == "turn":
        turn_starts = {tid: starts for tid, (starts, _) in frames.turn_starts(conn).items()}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    pairs = []
    names = transcript_rows.names_by_id(conn)
    for tid, per_code in spans.items():
        items = sorted((s, e, k, ids) for k, found in per_code.items()
                       for s, e, ids in _passages(found))
        ts = turn_starts.get(tid, [])
        for i, (s1, e1, k1, c1) in enumerate(items):
            for s2, e2, k2, c2 in items[i + 1:]:
                if within == "overlap" and s2 >= e1:
                    break
                if k1 == k2:
                    continue
                if within == "overlap":
                    hit = s2 < e1 and s1 < e2
                else:
                    hit = bisect_right(ts, s1) == bisect_right(ts, s2)
                if hit:
                    a, b = sorted((k1, k2), key=order.__getitem__)
                    counts[(a, b)] += 1
                    pairs.append({"transcript": names[tid], "codes": [a, b],
                                  "codings": sorted(c1 + c2), "start": max(s1, s2) if within
                                  == "overlap" else min(s1, s2), "end": min(e1, e2) if within
                                  == "overlap" else max(e1, e2)})
    matrix = pd.DataFrame(0, index=keys, columns=keys)
    for (a, b), n in counts.items():
        matrix.loc[a, b] = n
        matrix.loc[b, a] = n
    return matrix, pairs


def _passages(found: list[tuple[int, int, int]]) -> list[tuple[int, int, list[int]]]:
    """One code's codings in one transcript, overlapping ones (any coder's) merged."""
    out: list[tuple[int, int, list[int]]] = []
    for s, e, cid in sorted(found):
        if out and s < out[-1][1]:
            ps, pe, ids = out[-1]
            out[-1] = (ps, max(pe, e), ids + [cid])
        else:
            out.append((s, e, [cid]))
    return out
