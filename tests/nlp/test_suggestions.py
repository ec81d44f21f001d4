"""Suggestions over a real project: the sentence cache, `suggest`, `autocode` for review,
accepting and rejecting, discovery, and the pipeline setting."""

from __future__ import annotations

import json

import pytest

from qual_coder import services
from qual_coder.services import suggest as svc
from qual_coder.services.sentences import ensure_sentences
from qual_coder.storage import init_project, open_project

FOCUS = "northmoor_mixed_focus_group"


def _final(project) -> int:
    return project.conn.execute("SELECT COUNT(*) FROM codings WHERE status = 'final'"
                                ).fetchone()[0]


def test_the_sentence_cache_is_kept_and_redone_when_the_text_changes(tmp_path, demo_path, run):
    with open_project(demo_path) as proj:
        assert ensure_sentences(proj) == 18
        assert ensure_sentences(proj) == 0
        rows = proj.conn.execute('SELECT s.start, s."end", s.lemmas, t.text FROM sentences s '
                                 "JOIN transcripts t ON t.id = s.transcript_id").fetchall()
        text = proj.conn.execute("SELECT text FROM transcripts WHERE name = "
                                 "'kelsey_vale_ep_interview'").fetchone()[0]
    # every cached sentence is a span of its transcript, inside one turn, with lemmas
    assert all(t[a:b].strip() == t[a:b] and lemmas for a, b, lemmas, t in rows)
    corrected = tmp_path / "kelsey_vale_ep_interview.txt"
    corrected.write_text(text.replace("Awkwardly, at first.", "Awkwardly, at the start."),
                         encoding="utf-8")
    assert run("reimport", demo_path, "kelsey_vale_ep_interview", corrected).exit_code == 0
    with open_project(demo_path) as proj:
        assert ensure_sentences(proj) == 1


def test_suggest_prints_the_documented_json_best_first(demo_warm_path, run):
    result = run("suggest", demo_warm_path, FOCUS, "--top", "3", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found and all(set(seg) == {"start", "end", "text", "suggestions"} for seg in found)
    tops = [seg["suggestions"][0]["score"] for seg in found]
    assert tops == sorted(tops, reverse=True)
    for seg in found:
        assert 1 <= len(seg["suggestions"]) <= 3
        scores = [s["score"] for s in seg["suggestions"]]
        assert scores == sorted(scores, reverse=True)
        assert all(set(s) == {"code", "score", "engine", "why"} and s["why"]
                   for s in seg["suggestions"])
    engines = {s["engine"] for seg in found for s in seg["suggestions"]}
    assert engines == {"rules", "model", "similar"}
    # a code already on a sentence is not suggested for it again
    with open_project(demo_warm_path) as proj:
        done = [(g["start"], g["end"], g["code"]) for g in services.list_codings(
            proj, transcript=FOCUS)]
    for seg in found:
        for a, b, code in done:
            if a <= seg["start"] and seg["end"] <= b:
                assert code not in {s["code"] for s in seg["suggestions"]}


def test_autocode_writes_suggestions_for_review_and_never_final(demo_warm_path, run):
    with open_project(demo_warm_path) as proj:
        before = _final(proj)
    result = run("autocode", demo_warm_path, "--transcripts", FOCUS, "kelsey_vale_ep_interview",
                 "--min-score", "0.6")
    assert result.exit_code == 0, result.output
    with open_project(demo_warm_path) as proj:
        waiting = svc.pending(proj)
        assert waiting and _final(proj) == before
        assert {w["transcript"] for w in waiting} <= {FOCUS, "kelsey_vale_ep_interview"}
        assert all(w["score"] >= 0.6 and w["why"] for w in waiting)
        matrix_before = run("matrix", demo_warm_path, "--json").output
    listed = run("review", demo_warm_path, FOCUS)
    here = [w for w in waiting if w["transcript"] == FOCUS]
    assert f"#{here[0]['id']}" in listed.output
    assert f"{len(here)} suggestions to review" in listed.output
    yes, no = here[0], here[1]
    assert run("review", demo_warm_path, "--accept", yes["id"], "--reject", no["id"]).exit_code == 0
    with open_project(demo_warm_path) as proj:
        assert _final(proj) == before + 1
        decisions = proj.conn.execute("SELECT decision FROM suggestion_decisions ORDER BY id"
                                      ).fetchall()
        assert decisions == [("accepted",), ("rejected",)]
        # a rejected suggestion is not made again
        again = svc.suggest(proj, no["transcript"], top=10, min_score=0.0)
        assert not any(s["code"] == no["code"] and seg["start"] <= no["start"] < seg["end"]
                       for seg in again for s in seg["suggestions"])
        services.undo(proj)  # the reject
        services.undo(proj)  # the accept
        assert _final(proj) == before
        assert {w["id"] for w in svc.pending(proj)} >= {no["id"]}
    # suggestions never count
    assert run("matrix", demo_warm_path, "--json").output == matrix_before
    bad = run("review", demo_warm_path, "--accept", 1)
    assert bad.exit_code == 1 and "is not a suggestion" in bad.output


def test_discover_finds_uncoded_themes_and_makes_one_a_code(demo_warm_path, run):
    result = run("discover", demo_warm_path, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert len(found) >= 10
    for c in found:
        assert c["frequency"] >= 3 and c["participants"] >= 2 and c["examples"]
        assert c["lemmas"].split()[0] in " ".join(e["text"].lower() for e in c["examples"]) \
            or c["phrase"] in " ".join(e["text"].lower() for e in c["examples"])
    keyness = [c["keyness"] for c in found]
    assert keyness == sorted(keyness, reverse=True)
    phrases = {c["phrase"] for c in found}
    assert "counsellor" in phrases  # said by 9 participants, coded nowhere
    assert not phrases & {"northmoor", "kelsey vale", "eastbridge"}  # places are not themes
    made = run("discover", demo_warm_path, "--make-code", "counsellor")
    assert made.exit_code == 0 and "created counsellor" in made.output
    with open_project(demo_warm_path) as proj:
        code = proj.conn.execute("SELECT origin, keywords FROM codes WHERE key = 'counsellor'"
                                 ).fetchone()
        assert code == ("inductive", '["counsellor"]')
        suggested = svc.suggest(proj, "northmoor_mixed_focus_group", engines=["rules"])
    hits = [seg for seg in suggested for s in seg["suggestions"] if s["code"] == "counsellor"]
    assert hits and all("counsellor" in seg["text"].lower() for seg in hits)


def test_the_pipeline_setting_refuses_a_model_that_is_not_installed(demo_path, run):
    result = run("nlp", demo_path, "--model", "en_core_web_nonexistent")
    assert result.exit_code == 1 and "is not installed" in result.output
    shown = run("nlp", demo_path, "--train")
    assert shown.exit_code == 0, shown.output
    assert "blank-en: lemmatizer, qc_lemma_fallback" in shown.output
    assert "trained on" in shown.output and "clarity_roles" in shown.output


def test_autocode_suggests_no_code_beyond_its_share_of_the_coding(demo_warm_path):
    """A code is suggested for at most its share of the sentences coded elsewhere (at
    least one per transcript), best scores first; without the cap there are more."""
    import math

    from qual_coder.nlp.suggester import Suggester

    with open_project(demo_warm_path) as proj:
        suggester = Suggester(proj)
        shares = svc._code_shares(suggester.examples)
        tid = proj.conn.execute("SELECT id FROM transcripts WHERE name = ?", [FOCUS]
                                ).fetchone()[0]
        sentences = len(suggester.segments(tid))
        capped = svc.autocode(proj, [FOCUS], min_score=0.6)
        per_code: dict[str, list[float]] = {}
        for w in svc.pending(proj, FOCUS):
            per_code.setdefault(w["code"], []).append(w["score"])
        assert per_code and capped["capped"] > 0
        for code, scores in per_code.items():
            assert len(scores) <= max(1, math.ceil(shares.get(code, 0.0) * sentences))
        services.undo(proj)  # the autocode action, taken back whole
        uncapped = svc.autocode(proj, [FOCUS], min_score=0.6, density_cap=False)
    assert uncapped["suggested"] == capped["suggested"] + capped["capped"]


_CONTEXT_BOOK = """\
key: study
name: Study
codes:
- key: waiting
  name: Waiting times
  keywords: [waiting list, weeks]
- key: training
  name: Training
  keywords: [training, course]
"""

_CONTEXT_TRANSCRIPT = """\
Interviewer: How long do referrals take?

Sam: The waiting list is fourteen weeks now. And that is far too long for any family.

Interviewer: Anything else?

Sam: We ran a training course for staff in the spring.

Ali: Honestly it was hard for everyone.
"""


def _context_project(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text(_CONTEXT_BOOK, encoding="utf-8")
    script = tmp_path / "visit.txt"
    script.write_text(_CONTEXT_TRANSCRIPT, encoding="utf-8")
    proj = init_project(tmp_path / "ctx.db")
    services.load_codebook(proj, book)
    services.import_transcripts(proj, [script])
    return proj


def test_a_sentence_is_read_in_its_turn_and_its_own_words_count_once(tmp_path):
    from qual_coder.nlp.suggester import CONTEXT_WEIGHT

    with _context_project(tmp_path) as proj:
        suggester = svc.make_suggester(proj, ("rules",))
        tid = proj.conn.execute("SELECT id FROM transcripts").fetchone()[0]
        segments = suggester.segments(tid)
        by_text = {s.text: ranked for s, ranked in zip(segments, suggester.suggest(segments))}
    own = {c.code: c for c in by_text["The waiting list is fourteen weeks now."]}
    after = {c.code: c for c in by_text["And that is far too long for any family."]}
    alone = by_text["Honestly it was hard for everyone."]
    # the sentence that says it: its keywords once, plus nothing from the rest of the turn
    assert own["waiting"].why == "matched keywords 'waiting list', 'weeks'"
    # the sentence after it, in the same turn, hears it at the context weight
    assert after["waiting"].why == "in this turn: matched keywords 'waiting list', 'weeks'"
    assert after["waiting"].score == pytest.approx(CONTEXT_WEIGHT * own["waiting"].score)
    assert after["waiting"].score < own["waiting"].score
    # another speaker's turn is not context, and a one-sentence turn has none
    assert "training" not in {c.code for c in alone} and not alone


def test_coded_passages_are_learned_whole(tmp_path):
    from qual_coder.nlp.suggester import training_passages

    with _context_project(tmp_path) as proj:
        ensure_sentences(proj)
        services.add_coding(proj, "visit", "waiting",
                            quote="The waiting list is fourteen weeks now. And that is far "
                                  "too long for any family.")
        services.add_coding(proj, "visit", "training", quote="We ran a training course")
        passages = sorted(training_passages(proj), key=lambda e: sorted(e.codes))
    assert [sorted(p.codes) for p in passages] == [["training"], ["waiting"]]
    # the whole passage, both sentences' lemmas, in text order
    assert passages[1].lemmas.split()[:2] == ["the", "wait"]
    assert "family" in passages[1].lemmas.split()
    assert passages[0].lemmas.split()[:3] == ["we", "run", "a"]


def test_a_model_trained_on_little_counts_for_little(demo_warm_path):
    from qual_coder.nlp.engines import WEIGHTS
    from qual_coder.nlp.suggester import MODEL_FULL_AT, Suggester

    with open_project(demo_warm_path) as proj:
        ids = [r[0] for r in proj.conn.execute("SELECT id FROM transcripts ORDER BY id")]
        few = Suggester(proj, engines=("model",), train_on=set(ids[:5]), retrain=True)
        every = Suggester(proj, engines=("model",), retrain=True)
    n = few.engines["model"].examples
    assert 0 < n < MODEL_FULL_AT
    assert few.weights["model"] == pytest.approx(WEIGHTS["model"] * n / MODEL_FULL_AT)
    assert every.engines["model"].examples >= MODEL_FULL_AT
    assert every.weights["model"] == WEIGHTS["model"]


def test_no_ones_turns_are_neither_suggested_for_nor_learned_from(tmp_path):
    with _context_project(tmp_path) as proj:
        script = tmp_path / "second.txt"
        script.write_text("Waiting list study: second visit, about the training course.\n\n"
                          + _CONTEXT_TRANSCRIPT + "Note: the waiting list was mentioned "
                          "off the record.\n", encoding="utf-8")
        services.import_transcripts(proj, [script])
        services.add_coding(proj, "second", "training", quote="We ran a training course")
        found = svc.suggest(proj, "second", min_score=0.0)
        suggester = svc.make_suggester(proj, ("rules",))
    said = {seg["text"] for seg in found}
    assert "The waiting list is fourteen weeks now." in said  # Sam's words: suggested for
    assert not [t for t in said if "study" in t or "off the record" in t]
    # a coded transcript's sentences are examples, but not its header's nor its note's
    assert suggester.examples and all("study" not in e.lemmas and "record" not in e.lemmas
                                      for e in suggester.examples)


def test_the_first_suggestions_cache_only_the_transcript_asked_and_the_coded(tmp_path):
    """Suggesting for one transcript of a project reads (and caches) that one and the
    coded transcripts the engines learn from, not the rest; what is suggested is the same
    once the rest is cached, since the engines learn from the coded transcripts only."""
    from qual_coder.storage.nlp_rows import sentence_state

    files = []
    for n, topic in enumerate(["waiting list", "link worker", "consultation line",
                               "supervision", "training day"]):
        file = tmp_path / f"t{n}.txt"
        file.write_text("\n".join(
            f"Ann: We talked about the {topic} again, and the waiting list grew ({i}). "
            f"The link worker came in week {i}." for i in range(12)) + "\n")
        files.append(file)
    with init_project(tmp_path / "p.db") as proj:
        services.import_transcripts(proj, files)
        services.add_code(proj, "waiting", "Waiting", coder="ana")
        ids = [r[0] for r in proj.conn.execute("SELECT id FROM transcripts ORDER BY name")]
        text = proj.conn.execute("SELECT text FROM transcripts WHERE id = ?",
                                 [ids[0]]).fetchone()[0]
        at = text.index("We talked")
        services.add_coding(proj, ids[0], "waiting", at, text.index("(0)") + 4, coder="ana")
        first = svc.suggest(proj, ids[3])
        assert set(sentence_state(proj.conn)) == {ids[0], ids[3]}
        ensure_sentences(proj)
        assert svc.suggest(proj, ids[3]) == first
        assert first  # sentences like the coded one are found
