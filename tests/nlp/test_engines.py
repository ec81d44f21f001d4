"""The NLP pipeline and the three engines, with the real spaCy pipeline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder.nlp.engines import (
    Example,
    ModelEngine,
    RuleEngine,
    SimilarEngine,
    Suggestion,
    combine,
)
from qual_coder.nlp.pipeline import load
from qual_coder.nlp.sentences import split_turns


@pytest.fixture(scope="module")
def nlp():
    return load()


def _code(key, keywords=(), patterns=()):
    return dict(key=key, codable=True, keywords=list(keywords), patterns=list(patterns))


def test_blank_pipeline_lemmatises_with_a_lower_case_fallback(nlp):
    text = "Teachers were referring children. Referrals went to GPs!"
    # the lookup table knows "teachers" but not "Teachers": the fallback finds it
    assert list(split_turns(nlp, [(text, "turn")])) == [
        ("turn", 0, 33, "teacher be refer child"), ("turn", 34, 56, "referral go to gp")]


def test_keywords_match_on_lemmas_and_patterns_on_tokens(nlp):
    rules = RuleEngine(nlp, [
        _code("referral_routes", ["referral route", "GP"]),
        _code("single_point", patterns=[[{"LOWER": "single"}, {"LOWER": "point"}]]),
        _code("broken", patterns=[[{"NOT_AN_ATTRIBUTE": "x"}]]),
    ])
    found = rules.suggest(nlp.pipe(["Referral routes went via the GPs.",
                                    "We now have a single point of contact.",
                                    "Nothing to see here."]))
    first = {s.code: s for s in found[0]}
    assert first["referral_routes"].why == "matched keywords 'referral routes', 'gps'"
    assert first["referral_routes"].score == pytest.approx(0.70)
    assert [s.code for s in found[1]] == ["single_point"]
    assert found[2] == []
    assert rules.problems and "code 'broken': pattern 1" in rules.problems[0]


def _examples():
    wait = ["the wait for camhs be too long", "family wait month for an appointment",
            "the waiting list be eighteen week", "child wait and wait for a referral",
            "long wait mean crisis", "we wait too long for assessment"]
    trust = ["we trust each other now", "trust build over the two day",
             "by day two there be trust", "i trust the link worker", "trust take time",
             "more trust between school and camhs"]
    other = ["the room be cold", "lunch be good", "we meet in a hall", "the train be late",
             "i drive there", "the slide be long", "coffee be fine", "parking be hard"]
    return ([Example(t, frozenset({"waiting"}), "Eastbridge / CAMHS lead") for t in wait]
            + [Example(t, frozenset({"trust"})) for t in trust]
            + [Example(t, frozenset()) for t in other])


def test_the_model_learns_from_coded_sentences_and_survives_storage():
    model = ModelEngine.train(_examples(), epochs=20)
    assert model.labels == ["trust", "waiting"] and model.examples == 12
    probe = ["family wait a long time for camhs", "there be trust now"]
    scores = [{s.code: s.score for s in row} for row in model.suggest(probe, floor=0.0)]
    assert scores[0]["waiting"] > scores[0]["trust"]
    assert scores[1]["trust"] > scores[1]["waiting"]
    again = ModelEngine.from_bytes(model.to_bytes(), model.labels, model.examples)
    assert [{s.code: round(s.score, 6) for s in row} for row in again.suggest(probe, 0.0)] \
        == [{k: round(v, 6) for k, v in row.items()} for row in scores]
    assert "trained on 12 excerpts" in model.suggest(probe)[0][0].why


def test_a_code_with_too_few_examples_is_left_to_the_other_engines():
    few = [Example("we wait", frozenset({"waiting"}))] * 4 + [Example("lunch", frozenset())]
    assert ModelEngine.train(few) is None
    # a coded passage whole is an example too: four sentences and one passage are enough
    passage = [Example("we wait and wait", frozenset({"waiting"}))]
    model = ModelEngine.train(few, passages=passage)
    assert model is not None and model.labels == ["waiting"]
    assert model.examples == 4  # the excerpts a reason cites are the coded sentences


def test_similar_finds_the_nearest_coded_sentence_and_says_where_it_was():
    examples = _examples()
    similar = SimilarEngine(examples, [e.lemmas for e in examples])
    row = similar.suggest(["family wait month for camhs appointment"])[0]
    best = max(row, key=lambda s: s.score)
    assert best.code == "waiting" and "like your excerpt in Eastbridge / CAMHS lead" in best.why
    assert similar.suggest(["parking"])[0] == []  # uncoded sentences are never suggested


def test_scores_combine_by_noisy_or():
    combined = combine([[Suggestion("a", 0.5, "rules", "kw")],
                        [Suggestion("a", 0.4, "model", "m"), Suggestion("b", 0.3, "model", "m")]],
                       weights={"rules": 1.0, "model": 1.0})
    assert [c.code for c in combined] == ["a", "b"]
    assert combined[0].score == pytest.approx(1 - 0.5 * 0.6)
    assert combined[0].engine == "rules" and combined[0].why == "kw; m"


def test_rejected_suggestions_are_kept_as_negatives_when_sampling():
    examples = _examples()[:12] + [
        Example(f"filler sentence {i}", frozenset()) for i in range(100)] + [
        Example("the wait for lunch be long", frozenset(), rejected=frozenset({"waiting"}))]
    model = ModelEngine.train(examples, epochs=20)
    # 12 positives keep 24 negatives of 101; the rejected one is always among them, so
    # the model learns that "wait for lunch" is not about waiting lists.
    with_rejection = {s.code: s.score for s in model.suggest(["the wait for lunch be long"],
                                                             floor=0.0)[0]}
    without = ModelEngine.train(examples[:-1], epochs=20)
    plain = {s.code: s.score for s in without.suggest(["the wait for lunch be long"],
                                                      floor=0.0)[0]}
    assert with_rejection["waiting"] < plain["waiting"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=25),
       st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30), st.sampled_from("abc")),
                max_size=25))
def test_covering_is_every_pair_tested(segments, spans):
    """The sweep finds, for each segment, exactly the keys that testing every coding
    against it finds."""
    from qual_coder.nlp.suggester import covering, covers

    segments = [(a, a + n) for a, n in segments]
    spans = [(a, a + n, k) for a, n, k in spans]
    assert covering(segments, spans) == [
        frozenset(k for ca, cb, k in spans if covers(a, b, ca, cb)) for a, b in segments]


WORDS = ["waiting", "list", "school", "link", "worker", "referral", "camhs", "nurse"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
                          st.frozensets(st.sampled_from("abcd"), max_size=3)),
                min_size=1, max_size=30),
       st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=6), min_size=1,
                max_size=6))
def test_similar_engine_finds_each_codes_best_example(examples, segments):
    """Per segment and code, the best similarity over the code's examples (the first of
    equals, for the reason), as a scan of every example finds it."""
    from qual_coder.nlp.engines import Example, SimilarEngine

    coded = [Example(" ".join(words), codes, f"place {j}") for j, (words, codes) in
             enumerate(examples)]
    engine = SimilarEngine(coded, [e.lemmas for e in coded])
    texts = [" ".join(words) for words in segments]
    got = engine.suggest(texts)
    if not engine.examples:
        assert got == [[] for _ in texts]
        return
    sims = (engine._vectors(texts) @ engine.matrix.T).toarray()
    for r, text in enumerate(texts):
        sure = min(1.0, len([w for w in text.split()]) / 3)
        expected: dict[str, tuple[float, int]] = {}
        for j, e in enumerate(engine.examples):
            score = sims[r, j] * sure
            if score >= 0.08:
                for code in e.codes:
                    if score > expected.get(code, (0.0, -1))[0]:
                        expected[code] = (score, j)
        assert {s.code: (pytest.approx(s.score), s.why) for s in got[r]} == {
            code: (pytest.approx(score), engine._why(j, score))
            for code, (score, j) in expected.items()}


def test_a_code_is_compared_by_at_most_its_exemplars():
    from qual_coder.nlp.engines import Example, exemplars

    many = [Example(f"word{i}", frozenset({"a"} if i % 2 else {"a", "b"})) for i in range(1000)]
    kept = exemplars(many, per_code=100)
    assert sum("a" in e.codes for e in kept) >= 100
    assert sum("b" in e.codes for e in kept) >= 100
    assert len(kept) <= 200
    assert exemplars(many[:50], per_code=100) == many[:50]
