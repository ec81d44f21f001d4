"""Spans of text: words and sentences inside turns, for moving and selecting.

The one sentence splitter: rule-based (stdlib only, so the workbench moves by sentence
without loading spaCy), and the same sentences serve agreement units and the NLP
layer's sentence cache (spaCy gives the lemmas, not the boundaries). A stage direction
in brackets is never split and stays with the sentence it follows ("Painful. [laughs]"),
and a title's full stop (Dr., Mrs.) does not end a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

# A sentence ends at . ! ? or … (plus closing quotes/brackets), before white space and
# an opening capital, digit, quote or bracket, or at a line break.
_SENTENCE_END = re.compile(
    r"""(?:[.!?…]+["'’”\)\]]*(?:[ \t]*(?:\\?\[[^\]\n]{1,80}\\?\]|\([^)\n]{1,80}\)))?)"""
    r"""(?=\s+["'‘“(]?[A-Z0-9])|\n+""")
_BRACKETED = re.compile(r"\[[^\]\n]*\]|\([^)\n]*\)")
_ABBREVIATIONS = frozenset("dr mr mrs ms mx prof st rev sr jr vs etc e.g i.e cf approx no".split())
_WORD = re.compile(r"\w[\w'’\-]*|[^\w\s]")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as (start, end) offsets, trimmed of white space."""
    spans: list[tuple[int, int]] = []
    begin = start
    asides: list[tuple[int, int]] | None = None
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group().strip():
            if asides is None:
                asides = [(b.start(), b.end()) for b in _BRACKETED.finditer(text, start, end)]
            at = m.start()
            i = bisect_right(asides, (at, end + 1)) - 1
            if i >= 0 and asides[i][0] < at < asides[i][1] and m.end() < asides[i][1]:
                continue  # inside a bracketed aside: "[Pause. Long one.]"
            word = text[max(start, at - 6):at].rsplit(None, 1)[-1:] or [""]
            if word[0].lower().lstrip("(\"'‘“") in _ABBREVIATIONS:
                continue
        stop = m.end() if m.group().strip() else m.start()
        _add(text, begin, stop, spans)
        begin = m.end()
    _add(text, begin, end, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


class Segments:
    """Sorted, non-overlapping spans with lookups by offset."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def __len__(self) -> int:
        return len(self.spans)

    def index_at(self, offset: int) -> int | None:
        """Index of the span containing offset, else of the last span before it."""
        i = bisect_right(self.starts, offset) - 1
        return i if i >= 0 else None

    def containing(self, offset: int) -> tuple[int, int] | None:
        i = self.index_at(offset)
        if i is not None and self.spans[i][0] <= offset < self.spans[i][1]:
            return self.spans[i]
        return None

    def at_or_after(self, offset: int) -> tuple[int, int] | None:
        """The span containing offset, else the next one (the cursor may sit in a
        speaker label or between turns)."""
        here = self.containing(offset)
        if here is not None:
            return here
        nxt = self.next_start(offset)
        return self.spans[bisect_left(self.starts, nxt)] if nxt is not None else None

    def next_start(self, offset: int) -> int | None:
        i = bisect_right(self.starts, offset)
        return self.starts[i] if i < len(self.starts) else None

    def prev_start(self, offset: int) -> int | None:
        i = bisect_right(self.starts, offset - 1) - 1
        return self.starts[i] if i >= 0 else None


class Span(Protocol):
    id: int
    start: int
    end: int


S = TypeVar("S", bound=Span)


class SpanIndex(Generic[S]):
    """Overlapping spans (a transcript's codings; ids are positive) kept in (start, id)
    order, with the ones over a stretch of text found by bisection: a short span over
    [a, b) starts in (a - LONG, b); the few longer ones are looked through on their own.
    Adding or removing one moves pointers in a list, so drawing a line or taking a coding
    back costs about the same with 500 codings on the transcript as with 8,000."""

    LONG = 2_000  # characters: a paragraph or two; a whole-turn coding is seldom longer

    def __init__(self, spans: Iterable[S] = ()) -> None:
        self.items: list[S] = sorted(spans, key=lambda s: (s.start, s.id))
        self._keys = [(s.start, s.id) for s in self.items]
        self._by_id = {s.id: s for s in self.items}
        self._long = {s.id: s for s in self.items if s.end - s.start > self.LONG}

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._by_id

    def get(self, span_id: int) -> S | None:
        return self._by_id.get(span_id)

    def add(self, span: S) -> None:
        self.discard(span.id)
        i = bisect_left(self._keys, (span.start, span.id))
        self._keys.insert(i, (span.start, span.id))
        self.items.insert(i, span)
        self._by_id[span.id] = span
        if span.end - span.start > self.LONG:
            self._long[span.id] = span

    def discard(self, span_id: int) -> S | None:
        span = self._by_id.pop(span_id, None)
        if span is not None:
            i = bisect_left(self._keys, (span.start, span.id))
            del self._keys[i], self.items[i]
            self._long.pop(span_id, None)
        return span

    def overlapping(self, start: int, end: int) -> list[S]:
        """The spans sharing a character with [start, end), in (start, id) order."""
        lo = bisect_left(self._keys, (start - self.LONG + 1, -1))
        hi = bisect_left(self._keys, (end, -1))
        found = [s for s in self.items[lo:hi] if s.end > start]
        longer = [s for s in self._long.values()
                  if s.start < end and s.end > start and s.start <= start - self.LONG]
        if longer:
            found = sorted(found + longer, key=lambda s: (s.start, s.id))
        return found

    def at(self, offset: int) -> list[S]:
        return self.overlapping(offset, offset + 1)

    def next_start(self, offset: int) -> int | None:
        """The first start after `offset`."""
        i = bisect_left(self._keys, (offset + 1, -1))
        return self._keys[i][0] if i < len(self._keys) else None

    def prev_start(self, offset: int) -> int | None:
        """The last start before `offset`."""
        i = bisect_left(self._keys, (offset, -1)) - 1
        return self._keys[i][0] if i >= 0 else None
