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
    """Text inserted between words (a new paragraph, a note) moves the coding, its words
    unchanged. (Letters glued onto the first word change that word: then the coding
    widens to the word as it now is, which the next property checks.)"""
    inserted += "\n"
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


EDIT_WORDS = ["the", "schools", "did", "likely", "pilot", "contract", "honest", "list",
              "waiting", "we", "can't", "referral"]
EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(
    ["prefix", "suffix", "negate", "delete", "insert_word", "replace"])), max_size=8)


def _edit(words: list[str], edits) -> list[str]:
    out = list(words)
    for at, kind in edits:
        if not out:
            break
        i = at % len(out)
        w = out[i]
        if kind == "prefix":
            out[i] = "un" + w
        elif kind == "suffix":
            out[i] = w + ("n't" if w == "did" else "s")
        elif kind == "negate":
            out.insert(i, "not")
        elif kind == "delete":
            del out[i]
        elif kind == "insert_word":
            out.insert(i, "actually")
        else:
            out[i] = "something"
    return out


@given(st.lists(st.sampled_from(EDIT_WORDS), min_size=3, max_size=60), EDITS, st.data())
@settings(max_examples=300, deadline=None)
def test_a_kept_coding_starts_and_ends_on_word_boundaries_and_says_what_is_quoted(
        words, edits, data):
    """The issue's property: transcripts edited at random (letters added at a word's start
    or end, negations, deletions, insertions, replacements); every coding that started and
    ended on word boundaries is, if kept, on word boundaries in the new text, and one whose
    words are unchanged is said to be in place or moved, never changed, and vice versa."""
    from qual_coder.core.anchoring import Alignment, at_word_boundary

    old = " ".join(words) + "."
    new = " ".join(_edit(words, edits)) + "."
    bounds = [0] + [i for i in range(1, len(old)) if at_word_boundary(old, i)
                    and (old[i - 1] == " " or old[i] == " ")] + [len(old)]
    start = data.draw(st.sampled_from(bounds[:-1]))
    end = data.draw(st.sampled_from([b for b in bounds if b > start]))
    quote = old[start:end]
    if not quote.strip() or quote != quote.strip():
        return
    anchor = reanchor(old, new, start, end, Alignment(old, new))
    if anchor.how == "unplaced":
        return
    now = new[anchor.start:anchor.end]
    assert at_word_boundary(new, anchor.start) and at_word_boundary(new, anchor.end)
    assert now.strip() == now and now
    assert (anchor.how in ("same", "moved")) == (now == quote)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab _-é’\nA1", max_size=40), st.text(alphabet="ab é’A", min_size=1,
                                                              max_size=4))
def test_whole_occurrences_count_as_the_regex_does(text, name):
    """The name counter pseudonymisation and discovery use: str.find with word edges,
    the same count as a regex scan with lookarounds."""
    import re

    from qual_coder.core.pseudonyms import whole_occurrences

    assert whole_occurrences(name, text) == len(
        re.findall(rf"(?<![\w]){re.escape(name)}(?![\w])", text))
