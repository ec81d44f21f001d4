"""Properties of the core's span arithmetic that must hold for any text (Hypothesis):
sentences, re-anchoring codings in a corrected transcript, and the offset map that
carries codings through pseudonymisation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder.core.anchoring import reanchor
from qual_coder.core.pseudonyms import OffsetMap, apply_edits, replacements_in
from qual_coder.core.spans import sentence_spans

WORDS = st.sampled_from(["the", "waiting", "list", "Dr.", "Mr.", "e.g.", "[laughs]", "(pause)",
                         "school", "CAMHS", "yes", "no", "café", "🙂", "..."])
SEPARATORS = st.sampled_from([" ", " ", " ", ". ", "? ", "! ", "\n", "\n\n", ", ", "… "])
TEXT = st.lists(st.tuples(WORDS, SEPARATORS), max_size=60).map(
    lambda parts: "".join(w + s for w, s in parts))


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_sentences_are_ordered_trimmed_and_cover_every_word(text):
    spans = sentence_spans(text, 0, len(text))
    for (_, b), (c, _) in zip(spans, spans[1:]):
        assert b <= c  # in order, never overlapping
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
    covered = set()
    for a, b in spans:
        covered.update(range(a, b))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@given(TEXT, st.data())
@settings(max_examples=200, deadline=None)
def test_a_coding_in_an_unchanged_text_stays_where_it_was(text, data):
    if not text.strip():
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    if not text[start:end].strip():
        return
    anchor = reanchor(text, text, start, end)
    assert (anchor.start, anchor.end, anchor.how) == (start, end, "same")


@given(TEXT, st.text(alphabet="abc XYZ\n", min_size=1, max_size=30), st.data())
@settings(max_examples=200, deadline=None)
def test_a_coding_moves_with_text_inserted_before_it(text, inserted, data):
    if len(text.strip()) < 2:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip():
        return
    new = inserted + text
    anchor = reanchor(text, new, start, end)
    assert new[anchor.start:anchor.end] == quote  # the same words, wherever they are now


NAMES = {"Sarah Whitfield": "Participant A", "Sarah": "P-A", "Eastbridge": "Site 1"}


@given(st.lists(st.sampled_from(["Sarah Whitfield", "Sarah", "Eastbridge", "EASTBRIDGE",
                                 "said", "the", "school", "Sarahs", "sarah", ".", "\n"]),
                max_size=40).map(" ".join), st.data())
@settings(max_examples=300, deadline=None)
def test_pseudonymising_keeps_every_other_character_and_carries_spans(text, data):
    edits = replacements_in(text, NAMES)
    new = apply_edits(text, edits)
    move = OffsetMap(edits)
    assert "Sarah" not in new.replace("Sarahs", "") and "Eastbridge" not in new
    # every character outside a replaced name is kept, at its mapped place
    inside = {i for s, e, _ in edits for i in range(s, e)}
    for i, ch in enumerate(text):
        if i not in inside:
            assert new[move(i)] == ch
    # a span maps to a span: start before end, in order
    if text:
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(a, len(text)))
        assert 0 <= move(a, is_start=True) <= move(b) <= len(new)
