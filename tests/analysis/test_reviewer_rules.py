"""What a methods reviewer checks (issue 17), each against an independent computation on
the small project of conftest.py with a second coder added: a passage two coders coded
counts once; filters take keys or labels and refuse unknown values; agreement per
transcript as NVivo reports it; one sentence splitter; APA p-values; readable charts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qual_coder import services
from qual_coder.analysis.agreement import agreement
from qual_coder.analysis.matrix import frequency_matrix
from qual_coder.analysis.quotes import find_quotes
from qual_coder.core.spans import sentence_spans
from qual_coder.errors import QualCoderError
from qual_coder.quant.stats import apa_p
from qual_coder.reports.tables import framework_text
from tests.analysis.conftest import GROUP


@pytest.fixture
def double(small):
    """bob codes Ann's answer (overlapping ana's c1 there, a little wider) and Dee's turn."""
    services.add_coding(small, "interview", "c1", quote="We refer directly", coder="bob")
    services.add_coding(small, "group", "c1", quote="We were not in the room.", coder="bob")
    return small


def cell(m, row, col):
    return int(m.frame.loc[row, col])


def test_a_passage_two_coders_coded_counts_once(double):
    m = frequency_matrix(double, "stakeholder_type", "excerpts")
    # by hand: c1 excerpts attributed to school staff: Ann's answer (ana and bob: one
    # passage); to other_cypmhs: Dee's turn (bob)
    assert cell(m, "c1", "school_staff") == 1
    assert cell(m, "c1", "other_cypmhs") == 1
    assert "count as one excerpt" in m.counting
    ana = frequency_matrix(double, "stakeholder_type", "excerpts", coders=["ANA"])
    assert cell(ana, "c1", "other_cypmhs") == 0 and cell(ana, "c1", "school_staff") == 1
    both = frequency_matrix(double, "stakeholder_type", "excerpts", by_coder=True)
    assert cell(both, "c1", "ana: school_staff") == 1
    assert cell(both, "c1", "bob: school_staff") == 1
    assert cell(both, "c1", "bob: other_cypmhs") == 1
    with pytest.raises(QualCoderError, match="coders: ana, bob"):
        frequency_matrix(double, coders=["zed"])


def test_quotes_merge_coders_and_filter_by_key_or_label(double):
    quotes = find_quotes(double, ["c1"], where={"stakeholder_type": "School staff"})
    assert [q.text for q in quotes] == ["We refer directly now."]  # one quote, two coders
    same = find_quotes(double, ["c1"], where={"Stakeholder Type": "SCHOOL_STAFF"})
    assert [q.text for q in same] == ["We refer directly now."]
    with pytest.raises(QualCoderError, match=r"no such stakeholder type; known: .*school_staff"
                                             r" \(School staff\)"):
        find_quotes(double, ["c1"], where={"stakeholder_type": "scool_staff"})
    with pytest.raises(QualCoderError, match="no such site; known: Site A, Site B"):
        find_quotes(double, ["c1"], where={"site": "Site C"})
    bob = find_quotes(double, ["c1"], coders=["bob"])
    assert [q.text for q in bob] == ["We were not in the room.", "We refer directly"]


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    po = (a == b).mean()
    pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    return (po - pe) / (1 - pe)


def test_agreement_per_transcript_as_nvivo(double):
    result = agreement(double, ["ana", "bob"], ["interview", "group"], "character", ["c1"])
    c1 = result["codes"][0]
    by = {t["transcript"]: t for t in c1["transcripts"]}
    texts = {n: double.conn.execute("SELECT text FROM transcripts WHERE name = ?",
                                    [n]).fetchone()[0] for n in ("interview", "group")}

    def covered(name, coder):
        mask = np.zeros(len(texts[name]), dtype=bool)
        for a, b in double.conn.execute(
                'SELECT g.start, g."end" FROM codings g JOIN transcripts t ON t.id = '
                "g.transcript_id JOIN codes c ON c.id = g.code_id WHERE t.name = ? AND "
                "g.coder = ? AND c.key = 'c1'", [name, coder]):
            mask[a:b] = True
        return mask

    for name in ("interview", "group"):
        assert by[name]["kappa"] == pytest.approx(
            _kappa(covered(name, "ana"), covered(name, "bob")))
    pooled = _kappa(np.concatenate([covered(n, "ana") for n in ("interview", "group")]),
                    np.concatenate([covered(n, "bob") for n in ("interview", "group")]))
    assert c1["kappa"] == pytest.approx(pooled)
    assert by["interview"]["kappa"] != pytest.approx(pooled)  # the two differ: both given


def test_one_sentence_splitter_keeps_stage_directions_whole():
    text = "Painful. [laughs] Genuinely. [Pause. Long one.] Then Dr. Patel came. (laughs.) Yes."
    assert [text[a:b] for a, b in sentence_spans(text, 0, len(text))] == [
        "Painful. [laughs]", "Genuinely. [Pause. Long one.]", "Then Dr. Patel came. (laughs.)",
        "Yes."]


def test_agreement_units_and_the_nlp_cache_are_the_same_sentences(double):
    from qual_coder.services.sentences import ensure_sentences

    ensure_sentences(double)
    tid = double.conn.execute("SELECT id FROM transcripts WHERE name = 'group'").fetchone()[0]
    cached = double.conn.execute('SELECT start, "end" FROM sentences WHERE transcript_id = ? '
                                 "ORDER BY start", [tid]).fetchall()
    turns = double.conn.execute('SELECT start, "end" FROM turns WHERE transcript_id = ? '
                                "ORDER BY start", [tid]).fetchall()
    spans = [s for a, b in turns for s in sentence_spans(GROUP, a, b)]
    assert [tuple(c) for c in cached] == spans


@pytest.mark.parametrize("p,cell,said", [
    (0.0123, ".012", "p = .012"), (0.0004, "< .001", "p < .001"), (2.2e-9, "< .001", "p < .001"),
    (0.05, ".050", "p = .050"), (0.99999, "> .999", "p > .999"), (None, "–", "–")])
def test_p_values_as_journals_print_them(p, cell, said):
    assert apa_p(p, with_p=False) == cell and apa_p(p) == said


def test_survey_json_keeps_p_at_full_precision(tmp_path, project_path, run):
    rows = ["respondent_id,wave,score"] + [f"r{n},pre,{n}" for n in range(40)] + [
        f"r{n},post,{n + 5 + (n % 3)}" for n in range(40)]
    (tmp_path / "s.csv").write_text("\n".join(rows) + "\n")
    assert run("survey", "import", project_path, tmp_path / "s.csv").exit_code == 0
    s = json.loads(run("survey", "summary", project_path, "--json").output)
    p = s["items"][0]["paired"]["p"]
    assert 0 < p < 1e-9  # not rounded to 0.0
    text = run("survey", "summary", project_path).output
    assert "p < .001" in text and "p = 0.000" not in text


def test_framework_chart_reads_on_a_terminal(double):
    from qual_coder.analysis.framework import framework_matrix

    chart = framework_matrix(double, "t")
    text = framework_text(chart.theme_name, chart.frame, list(chart.frame.columns[
        -len(chart.codes):]), width=60)
    assert "NaN" not in text and "nan" not in text
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "We refer directly now." in text
