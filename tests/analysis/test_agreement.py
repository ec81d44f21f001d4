"""Inter-coder agreement against worked examples and the krippendorff package's own
results; disagreements and their resolution; the CLI's JSON."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.analysis.agreement import agreement, disagreements, nominal_alpha
from qual_coder.errors import QualCoderError
from qual_coder.services.agreement import find_cluster, resolve


@pytest.fixture
def fifty_turns(tmp_path, project):
    """One transcript of 50 turns and one code; coders code whole turns."""
    path = tmp_path / "pair.txt"
    path.write_text("".join(f"P{i % 3 + 1}: Turn number {i} is about schools.\n"
                            for i in range(50)), encoding="utf-8")
    services.import_transcripts(project, [path])
    services.add_code(project, "theme", "Theme")
    turns = project.conn.execute('SELECT start, "end" FROM turns ORDER BY seq').fetchall()
    return project, turns


def _code(project, turns, coder, indices, key="theme"):
    for i in indices:
        services.add_coding(project, "pair", key, turns[i][0], turns[i][1], coder=coder)


def test_cohen_kappa_matches_the_textbook_example(fifty_turns):
    # The 2x2 table of the usual worked example: both yes 20, A only 5, B only 10,
    # both no 15 -> observed 0.70, expected 0.50, kappa 0.40.
    project, turns = fifty_turns
    _code(project, turns, "ana", [*range(0, 20), *range(20, 25)])
    _code(project, turns, "ben", [*range(0, 20), *range(25, 35)])
    result = agreement(project, ["ana", "ben"], unit="turn")
    theme = result["codes"][0]
    assert theme["units"] == 50 and theme["agreement"] == pytest.approx(0.70)
    assert theme["kappa"] == pytest.approx(0.40)
    assert theme["coded_units"] == 35 and theme["coded_agreement"] == pytest.approx(20 / 35)
    # Krippendorff's alpha for the same decisions, as the package computes it from the
    # raw coders-by-units matrix.
    a = np.isin(np.arange(50), [*range(0, 25)]).astype(float)
    b = np.isin(np.arange(50), [*range(0, 20), *range(25, 35)]).astype(float)
    expected = krippendorff.alpha(reliability_data=np.stack([a, b]),
                                  level_of_measurement="nominal")
    assert theme["alpha"] == pytest.approx(expected)


def test_alpha_for_three_coders_matches_krippendorff(fifty_turns):
    project, turns = fifty_turns
    picks = {"ana": range(0, 30), "ben": range(5, 32), "cai": [*range(0, 10), *range(20, 45)]}
    for coder, indices in picks.items():
        _code(project, turns, coder, indices)
    result = agreement(project, list(picks), unit="turn")
    matrix = np.stack([np.isin(np.arange(50), list(v)).astype(float) for v in picks.values()])
    assert result["overall"]["alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    assert result["overall"]["kappa"] is None  # Cohen's kappa is for two coders


def test_character_kappa_counts_every_character(fifty_turns):
    project, turns = fifty_turns
    text_length = len(project.conn.execute("SELECT text FROM transcripts").fetchone()[0])
    services.add_coding(project, "pair", "theme", 0, 100, coder="ana")
    services.add_coding(project, "pair", "theme", 50, 150, coder="ben")
    theme = agreement(project, ["ana", "ben"])["codes"][0]
    # 50 characters both, 50 ana only, 50 ben only, the rest neither.
    n = text_length
    po = (n - 100) / n
    pa = pb = 100 / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    assert theme["units"] == n and theme["agreement"] == pytest.approx(po)
    assert theme["kappa"] == pytest.approx((po - pe) / (1 - pe))
    assert theme["coded_units"] == 150 and theme["coded_agreement"] == pytest.approx(50 / 150)


def test_codings_that_agree_completely_report_kappa_one(fifty_turns):
    project, turns = fifty_turns
    _code(project, turns, "ana", [3, 4])
    _code(project, turns, "ben", [3, 4])
    theme = agreement(project, ["ana", "ben"], unit="sentence")["codes"][0]
    assert theme["agreement"] == 1.0 and theme["kappa"] == 1.0 and theme["alpha"] == 1.0


def test_only_transcripts_both_coders_coded_are_compared(tmp_path, fifty_turns):
    project, turns = fifty_turns
    other = tmp_path / "solo.txt"
    other.write_text("P1: Only ana read this one.\n", encoding="utf-8")
    services.import_transcripts(project, [other])
    services.add_coding(project, "solo", "theme", quote="Only ana", coder="ana")
    _code(project, turns, "ana", [1])
    _code(project, turns, "ben", [1])
    assert agreement(project, ["ana", "ben"])["transcripts"] == ["pair"]
    with pytest.raises(QualCoderError, match="no codings by cai"):
        agreement(project, ["ana", "cai"])


def test_disagreements_resolve_by_keeping_one_version_and_undo(fifty_turns):
    project, turns = fifty_turns
    _code(project, turns, "ana", [2, 7])
    _code(project, turns, "ben", [2, 9])
    services.add_coding(project, "pair", "theme", turns[7][0], turns[8][1], coder="ben")
    found = disagreements(project, ["ana", "ben"])
    assert [(d.start, d.end) for d in found] == [(turns[7][0], turns[8][1]),
                                                 (turns[9][0], turns[9][1])]
    assert found[0].versions == {"ana": [turns[7]], "ben": [(turns[7][0], turns[8][1])]}
    resolve(project, ["ana", "ben"], found[0], "keep", keep="ana")
    ben = [(g["start"], g["end"]) for g in services.list_codings(project, coder="ben")]
    assert turns[7] in ben and (turns[7][0], turns[8][1]) not in ben
    assert len(disagreements(project, ["ana", "ben"])) == 1
    services.undo(project)
    assert len(disagreements(project, ["ana", "ben"])) == 2


def test_merge_gives_every_coder_the_union_and_both_is_remembered(fifty_turns):
    project, turns = fifty_turns
    services.add_coding(project, "pair", "theme", turns[4][0], turns[4][0] + 10, coder="ana")
    services.add_coding(project, "pair", "theme", turns[4][0] + 5, turns[4][1], coder="ben")
    _code(project, turns, "ana", [11])
    cluster = find_cluster(project, ["ana", "ben"], "pair", "theme", turns[4][0] + 7)
    resolve(project, ["ana", "ben"], cluster, "merge")
    for coder in ("ana", "ben"):
        assert (turns[4][0], turns[4][1]) in [(g["start"], g["end"]) for g in
                                              services.list_codings(project, coder=coder)]
    left = disagreements(project, ["ana", "ben"])
    assert len(left) == 1
    resolve(project, ["ana", "ben"], left[0], "both")
    assert disagreements(project, ["ana", "ben"]) == []


def test_cli_json_has_the_documented_shape(demo_path, run):
    result = run("agreement", demo_path, "--coders", "ana", "ben", "--unit", "sentence",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["unit"] == "sentence" and len(data["transcripts"]) == 3
    assert {"key", "agreement", "kappa", "alpha", "units"} <= set(data["codes"][0])
    assert 0.5 < data["overall"]["kappa"] < 0.9
    listed = run("agreement", demo_path, "--coders", "ana", "ben", "--disagreements")
    assert "(not coded)" in listed.output and "disagreements; settle one" in listed.output
    first = listed.output.splitlines()[0].split()[0]
    settled = run("agreement", demo_path, "--coders", "ana", "ben", "--resolve", first,
                  "--keep", "ana")
    assert settled.exit_code == 0 and "every coder now has ana's version" in settled.output
    bad = run("agreement", demo_path, "--coders", "ana", "ben", "--resolve", "nonsense")
    assert bad.exit_code == 1 and "TRANSCRIPT:CODE:OFFSET" in bad.output


def test_the_headline_is_nvivos_mean_with_its_pooling_stated(demo_path, run):
    import json
    import statistics

    out = run("agreement", demo_path, "--coders", "ana", "ben", "--json").output
    result = json.loads(out)
    cells = [t for c in result["codes"] for t in c["transcripts"] if t["kappa"] is not None]
    nv = result["nvivo"]
    assert nv["comparisons"] == len(cells)
    assert nv["mean_kappa"] == pytest.approx(statistics.mean(t["kappa"] for t in cells), abs=1e-4)
    neither = [t for t in cells if t["coded_units"] == 0]
    assert nv["neither_used"] == len(neither) and all(t["kappa"] == 1 for t in neither)
    assert nv["mean_kappa_when_used"] == pytest.approx(statistics.mean(
        t["kappa"] for t in cells if t["coded_units"]), abs=1e-4)
    said = run("agreement", demo_path, "--coders", "ana", "ben").output
    assert "as NVivo's coding comparison gives it" in said and "pooled, all codes" in said


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 5).flatmap(lambda m: st.lists(
    st.lists(st.booleans(), min_size=m, max_size=m), min_size=1, max_size=60)))
def test_closed_form_alpha_is_the_krippendorff_packages(units):
    """Every unit coded yes or no by every coder: the closed form equals the package's
    alpha from the reliability matrix, for two to five coders."""
    decisions = np.array(units, dtype=bool).T  # (coders, units)
    mine = nominal_alpha(np.bincount(decisions.sum(axis=0), minlength=len(decisions) + 1))
    if decisions.all() or not decisions.any():
        assert mine is None
        return
    theirs = krippendorff.alpha(reliability_data=decisions.astype(float),
                                level_of_measurement="nominal")
    assert mine == pytest.approx(theirs, abs=1e-12)
