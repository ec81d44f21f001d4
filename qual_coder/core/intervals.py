"""Sets of character offsets as sorted, disjoint [start, end) spans: their union,
intersection and difference, and whether a span meets one of them. Coding queries and
quotes by several codes are these operations (stdlib only)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

Spans = list[tuple[int, int]]  # sorted, disjoint, non-empty [start, end)


def union(spans: Iterable[tuple[int, int]]) -> Spans:
    """Any spans, merged where they overlap or touch."""
    out: Spans = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def intersect(a: Spans, b: Spans) -> Spans:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Spans, b: Spans) -> Spans:
    out, j = [], 0
    for s, e in a:
        while j < len(b) and b[j][1] <= s:
            j += 1
        k, cur = j, s
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Does [start, end) overlap one of the sorted, disjoint spans (starts, ends)?"""
    i = bisect_right(starts, start) - 1
    if i >= 0 and ends[i] > start:
        return True
    return i + 1 < len(starts) and starts[i + 1] < end
