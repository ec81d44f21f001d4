"""Re-anchoring a coding in a corrected version of its transcript.

A coding is found again by its words: exactly (choosing, among several occurrences, the
one whose surrounding words match best, then the nearest to where it was), else fuzzily
(rapidfuzz's best partial alignment, accepted above a similarity threshold), else it is
reported unplaced. Stdlib plus rapidfuzz; no storage here.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 40
FUZZY_THRESHOLD = 80.0


@dataclass
class Anchor:
    start: int
    end: int
    how: str  # "same", "moved", "fuzzy" or "unplaced"
    score: float = 100.0


def _context_score(old: str, new: str, o_start: int, o_end: int, n_start: int,
                   n_end: int) -> int:
    before_old, before_new = old[max(0, o_start - CONTEXT):o_start], new[max(0, n_start -
                                                                                  CONTEXT):n_start]
    after_old, after_new = old[o_end:o_end + CONTEXT], new[n_end:n_end + CONTEXT]
    score = 0
    for a, b in ((before_old[::-1], before_new[::-1]), (after_old, after_new)):
        for x, y in zip(a, b):
            if x != y:
                break
            score += 1
    return score


def reanchor(old: str, new: str, start: int, end: int) -> Anchor:
    quote = old[start:end]
    if not quote.strip():
        return Anchor(start, end, "unplaced", 0.0)
    hits, at = [], new.find(quote)
    while at != -1 and len(hits) < 50:
        hits.append(at)
        at = new.find(quote, at + 1)
    if hits:
        relative = start / max(len(old), 1)
        best = max(hits, key=lambda h: (_context_score(old, new, start, end, h, h + len(quote)),
                                        -abs(h / max(len(new), 1) - relative)))
        how = "same" if best == start else "moved"
        return Anchor(best, best + len(quote), how)
    from rapidfuzz import fuzz

    # Search a window around where the quote was, widening to the whole text if needed.
    for lo, hi in ((max(0, start - 5000), min(len(new), end + 5000)), (0, len(new))):
        window = new[lo:hi]
        if not window:
            continue
        found = fuzz.partial_ratio_alignment(quote, window)
        if found is not None and found.score >= FUZZY_THRESHOLD:
            s, e = lo + found.dest_start, lo + found.dest_end
            while s < e and new[s].isspace():
                s += 1
            while e > s and new[e - 1].isspace():
                e -= 1
            if e > s:
                return Anchor(s, e, "fuzzy", round(found.score, 1))
    return Anchor(start, end, "unplaced", 0.0)
