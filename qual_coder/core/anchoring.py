"""Re-anchoring a coding in a corrected version of its transcript.

A coding is found again by its words: exactly (choosing, among several occurrences, the
one whose surrounding words match best, then the nearest to where it was), else fuzzily
(rapidfuzz's best partial alignment, accepted above a similarity threshold), else it is
reported unplaced. Stdlib plus rapidfuzz; no storage here.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    hits: list[int] = []
    at = new.find(quote)
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
            span = _whole_words(quote, new, lo + found.dest_start, lo + found.dest_end,
                                snap_start=at_word_boundary(old, start),
                                snap_end=at_word_boundary(old, end))
            if span is not None:
                return Anchor(span[0], span[1], "fuzzy", round(found.score, 1))
    return Anchor(start, end, "unplaced", 0.0)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "'’"


def at_word_boundary(text: str, i: int) -> bool:
    """Is offset i between words (not inside one)? The same for a span's start and end."""
    return i <= 0 or i >= len(text) or not (_is_word(text[i - 1]) and _is_word(text[i]))


def _punctuation_run(chars: Iterable[str]) -> int:
    """How many characters at the front of `chars` are punctuation (not space, not word)."""
    n = 0
    for ch in chars:
        if ch.isspace() or _is_word(ch):
            break
        n += 1
    return n


def _whole_words(quote: str, new: str, s: int, e: int, snap_start: bool,
                 snap_end: bool) -> tuple[int, int] | None:
    """rapidfuzz's alignment (s, e), widened to the whole words it touches.

    A partial alignment stops where the characters stop matching, which after a
    substitution ("workshop" -> "training day") is often inside a word ("...and tr",
    "nestly? Still"). A reader would take the word whole: an edge inside a word moves
    out to that word's boundary (only where the coder's own span began or ended on a
    boundary; a span a coder dragged mid-word keeps its shape). White space is trimmed.
    None when nothing but white space is left, or the widened text no longer reads like
    the quote."""
    from rapidfuzz import fuzz

    while s < e and new[s].isspace():
        s += 1
    while e > s and new[e - 1].isspace():
        e -= 1
    if e <= s:
        return None
    if snap_start:
        while s > 0 and not at_word_boundary(new, s):
            s -= 1
    if snap_end:
        while e < len(new) and not at_word_boundary(new, e):
            e += 1
    # Then a word more or a word less at either end, while that reads more like the
    # quote: the aligner drops a short first word ("I think" -> "think") it could not
    # match character by character.
    score = fuzz.ratio(quote, new[s:e])
    for _ in range(8):
        moves = []
        if snap_start:
            moves += [(_word_before(new, s), e), (_word_after(new, s, e), e)]
        if snap_end:
            moves += [(s, _end_after(new, e)), (s, _end_before(new, s, e))]
        scored = [(fuzz.ratio(quote, new[a:b]), a, b) for a, b in moves if 0 <= a < b]
        top = max(scored, default=None)
        if top is None or top[0] <= score:
            break
        score, s, e = top
    if score < FUZZY_THRESHOLD - 20:
        return None
    # The quote's own closing (or opening) punctuation, where the new text has it too.
    tail = _punctuation_run(reversed(quote))
    if tail and new[e:e + tail] == quote[-tail:]:
        e += tail
    head = _punctuation_run(quote)
    if head and s >= head and new[s - head:s] == quote[:head]:
        s -= head
    return s, e


def _word_before(text: str, s: int) -> int:
    """The start of the word before position s (a word boundary)."""
    i = s
    while i > 0 and not _is_word(text[i - 1]):
        i -= 1
    while i > 0 and _is_word(text[i - 1]):
        i -= 1
    return i


def _word_after(text: str, s: int, e: int) -> int:
    """The start of the next word after the one at s, if it is before e."""
    i = s
    while i < e and _is_word(text[i]):
        i += 1
    while i < e and not _is_word(text[i]):
        i += 1
    return i if i < e else -1


def _end_after(text: str, e: int) -> int:
    """The end of the word after position e, with the punctuation before it."""
    i = e
    while i < len(text) and not _is_word(text[i]):
        i += 1
    while i < len(text) and _is_word(text[i]):
        i += 1
    return i


def _end_before(text: str, s: int, e: int) -> int:
    """The end of the word before the one that ends at e, if after s."""
    i = e
    while i > s and _is_word(text[i - 1]):
        i -= 1
    while i > s and not _is_word(text[i - 1]):
        i -= 1
    return i if i > s else -1
