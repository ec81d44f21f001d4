"""core.spans.SpanIndex against its definition written out plainly: the spans sharing a
character with a stretch of text, after any sequence of additions and removals."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder.core.spans import SpanIndex


@dataclass
class Span:
    id: int
    start: int
    end: int


class ShortLong(SpanIndex[Span]):
    LONG = 6  # so generated spans are often "long" and both paths are tried


spans = st.builds(lambda a, w: (a, a + w), st.integers(0, 60), st.integers(1, 25))
steps = st.lists(st.tuples(st.booleans(), st.integers(1, 12), spans), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=20), steps, st.lists(st.tuples(st.integers(0, 90),
                                                               st.integers(0, 10)), max_size=8),
       st.sampled_from([ShortLong, SpanIndex]))
def test_the_index_finds_what_a_scan_finds(first, changes, windows, kind):
    plain = {i + 1: Span(i + 1, a, b) for i, (a, b) in enumerate(first)}
    index = kind(plain.values())
    for adding, which, (a, b) in changes:
        if adding:
            plain[which] = Span(which, a, b)
            index.add(plain[which])
        else:
            gone = index.discard(which)
            assert gone is plain.pop(which, None)
    order = sorted(plain.values(), key=lambda s: (s.start, s.id))
    assert index.items == order and len(index) == len(order)
    for start, width in windows:
        end = start + width + 1
        assert index.overlapping(start, end) == [s for s in order if s.start < end
                                                 and s.end > start]
        assert index.at(start) == [s for s in order if s.start <= start < s.end]
        after = [s.start for s in order if s.start > start]
        before = [s.start for s in order if s.start < start]
        assert index.next_start(start) == (after[0] if after else None)
        assert index.prev_start(start) == (before[-1] if before else None)
