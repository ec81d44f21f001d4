"""Re-anchoring a coding in a corrected version of its transcript.

The two versions are aligned first, as a reader compares them: line by line, then word by
word inside the lines that changed (difflib). A coding's start and end are carried
through that alignment, so a coding stays with its own words and never jumps to an
identical phrase in another turn ("the" 3,700 characters away). An edge that lands inside
a word that changed ("did" -> "didn't", "likely" -> "unlikely") is widened to the whole
word, so no quote ends inside a word or says less than the transcript now says. Then:
"same" (same words, same place), "moved" (same words, shifted by edits elsewhere),
"changed" (its words were edited: reported with before and after, never as "moved"), or
"unplaced" (its words were deleted; if the very same words stand, once, somewhere else
the report says where, and leaves the choice to the coder). Stdlib plus rapidfuzz.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

CHANGED_THRESHOLD = 50.0  # below this similarity a span's words are gone, not edited
FUZZY_THRESHOLD = 80.0
_TOKENS = re.compile(r"[\w'’]+|\s+|[^\w\s]")
_BIG = 2000  # tokens in a changed block past which difflib's autojunk keeps it linear


@dataclass
class Anchor:
    start: int
    end: int
    how: str  # "same", "moved", "changed" or "unplaced"
    score: float = 100.0
    elsewhere: tuple[int, int] | None = None  # unplaced, but the same words stand here


class Alignment:
    """Old offsets carried into the new text: a list of segments (old start, old end, new
    start, new end, equal), covering both texts in order."""

    def __init__(self, old: str, new: str) -> None:
        self.segments: list[tuple[int, int, int, int, bool]] = []
        if old == new:
            self.segments.append((0, len(old), 0, len(new), True))
        else:
            self._lines(old, new)
        self._starts = [seg[0] for seg in self.segments]

    def _add(self, a0: int, a1: int, b0: int, b1: int, equal: bool) -> None:
        if a0 == a1 and b0 == b1:
            return
        self.segments.append((a0, a1, b0, b1, equal))

    def _lines(self, old: str, new: str) -> None:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
        a_at, b_at = _offsets(a), _offsets(b)
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal" or op != "replace":
                self._add(a_at[i1], a_at[i2], b_at[j1], b_at[j2], op == "equal")
            else:
                self._words(old[a_at[i1]:a_at[i2]], new[b_at[j1]:b_at[j2]], a_at[i1], b_at[j1])

    def _words(self, old: str, new: str, o: int, n: int) -> None:
        a, b = _TOKENS.findall(old), _TOKENS.findall(new)
        a_at, b_at = _offsets(a), _offsets(b)
        junk = len(a) + len(b) > _BIG
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=junk).get_opcodes():
            if op == "replace" and a_at[i2] - a_at[i1] + b_at[j2] - b_at[j1] <= _BIG:
                self._chars(old[a_at[i1]:a_at[i2]], new[b_at[j1]:b_at[j2]], o + a_at[i1],
                            n + b_at[j1])
            else:
                self._add(o + a_at[i1], o + a_at[i2], n + b_at[j1], n + b_at[j2], op == "equal")

    def _chars(self, old: str, new: str, o: int, n: int) -> None:
        """Inside words that changed, the letters that stayed ("the" in "Xthe", "likely"
        in "unlikely"): a coding dragged mid-word keeps its letters."""
        for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            self._add(o + i1, o + i2, n + j1, n + j2, op == "equal")

    def start(self, i: int) -> int:
        """Where old offset i, as the start of a span, is now: a start inside text that
        changed goes to the start of what replaced it."""
        k = max(bisect.bisect_right(self._starts, i) - 1, 0)
        while k < len(self.segments) - 1 and self.segments[k][0] == self.segments[k][1]:
            k += 1  # an insertion before the text i is in
        a0, a1, b0, b1, equal = self.segments[k]
        if not a0 <= i < a1:
            return b1
        return b0 + (i - a0) if equal else b0

    def end(self, i: int) -> int:
        """Where old offset i, as the end of a span, is now: an end inside text that
        changed goes to the end of what replaced it."""
        k = bisect.bisect_left(self._starts, i) - 1
        if k < 0:
            return 0
        a0, a1, b0, b1, equal = self.segments[k]
        return b0 + (i - a0) if equal else b1


def _offsets(parts: list[str]) -> list[int]:
    out = [0]
    for p in parts:
        out.append(out[-1] + len(p))
    return out


def reanchor(old: str, new: str, start: int, end: int,
             alignment: Alignment | None = None) -> Anchor:
    """Where the coding old[start:end] belongs in `new` (pass one `alignment` for all of
    a transcript's codings: it is the costly part)."""
    quote = old[start:end]
    if not quote.strip():
        return Anchor(start, end, "unplaced", 0.0)
    align = alignment or Alignment(old, new)
    s, e = align.start(start), align.end(end)
    span = _whole_words(new, s, e, at_word_boundary(old, start), at_word_boundary(old, end),
                        quote)
    if span is not None and new[span[0]:span[1]] == quote:
        return Anchor(span[0], span[1], "same" if span == (start, end) else "moved")
    from rapidfuzz import fuzz

    if span is not None:
        score = round(fuzz.ratio(quote, new[span[0]:span[1]]), 1)
        if score >= CHANGED_THRESHOLD:
            return Anchor(span[0], span[1], "changed", score)
    return Anchor(start, end, "unplaced", 0.0, _only_other_place(old, new, start, end))


def _whole_words(new: str, s: int, e: int, snap_start: bool, snap_end: bool,
                 quote: str) -> tuple[int, int] | None:
    """(s, e) trimmed of the white space the coded words did not have, each edge widened
    to a word boundary where the coder's own edge was on one (a span dragged mid-word
    keeps its shape)."""
    while s < e and new[s].isspace() and not quote[0].isspace():
        s += 1
    while e > s and new[e - 1].isspace() and not quote[-1].isspace():
        e -= 1
    if e <= s:
        return None
    if snap_start:
        while s > 0 and not at_word_boundary(new, s):
            s -= 1
    if snap_end:
        while e < len(new) and not at_word_boundary(new, e):
            e += 1
    return s, e


def _only_other_place(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """The one place, on word boundaries, where the very same words stand in `new`."""
    quote = old[start:end]
    if len(quote.split()) < 3:  # a word or two stands in many places: no guess
        return None
    hits = [m.start() for m in re.finditer(re.escape(quote), new)
            if at_word_boundary(new, m.start()) and at_word_boundary(new, m.end())]
    return (hits[0], hits[0] + len(quote)) if len(hits) == 1 else None


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
