"""Saturation (Guest, Namey & Chen 2020) recomputed independently on projects built by
hand: ties in dates, codes first seen in the base, saturation never reached, and by
stakeholder type; the chart and the CLI's JSON say the same."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.analysis.saturation import assess, interview_date, saturation
from qual_coder.services import reading
from qual_coder.storage import init_project


def _oracle(sequence, base, run, threshold):
    """The paper's procedure written out plainly: codes first seen per transcript, the
    base's distinct codes, each sliding run's new codes over them."""
    first = []
    for i, (_, _, codes) in enumerate(sequence):
        before = set().union(*(c for _, _, c in sequence[:i])) if i else set()
        first.append(codes - before)
    base_codes = set().union(*(c for _, _, c in sequence[:base])) if sequence else set()
    runs, at = [], None
    for s in range(base, len(sequence) - run + 1):
        new = sum(len(first[i]) for i in range(s, s + run))
        ratio = 100 * new / len(base_codes) if base_codes else None
        runs.append(new)
        if at is None and ratio is not None and ratio <= threshold:
            at = sequence[s + run - 1][0]
    return len(base_codes), runs, at


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sets(st.sampled_from("abcdefghij"), max_size=6), min_size=0, max_size=14),
       st.integers(1, 5), st.integers(1, 3), st.sampled_from([0, 5, 10, 25]))
def test_assess_matches_the_procedure(code_sets, base, run, threshold):
    seq = [(f"t{i:02}", None, s) for i, s in enumerate(code_sets)]
    result = assess(seq, base, run, threshold)
    base_codes, runs, at = _oracle(seq, base, run, threshold)
    assert result.base_codes == base_codes
    if base_codes:
        assert [r["new"] for r in result.runs] == runs
    assert result.saturation_at == at
    assert [o["cumulative"] for o in result.order] == [
        len(set().union(*code_sets[:i + 1])) for i in range(len(code_sets))]


def test_interview_dates_as_people_write_them():
    assert interview_date("2016-07-12") == date(2016, 7, 12)
    assert interview_date("2016-07-12T10:00") == date(2016, 7, 12)
    assert interview_date("12/07/2016") == date(2016, 7, 12)  # day first, as in the UK
    assert interview_date("3 March 2017") == date(2017, 3, 3)
    assert interview_date("") is None and interview_date("sometime") is None


@pytest.fixture
def dated(tmp_path):
    project = init_project(tmp_path / "s.db")
    plan = [  # name, date, codes, stakeholder type of its participant
        ("e_late", "2020-03-01", "ab", "school_staff"),
        ("a_tie", "2020-01-10", "abc", "school_staff"),
        ("b_tie", "10/01/2020", "cd", "commissioner"),  # the same day, written UK style
        ("c", "2020-01-20", "a", "school_staff"),
        ("d", "2020-02-01", "de", "commissioner"),
        ("f_undated", "", "f", "school_staff"),
    ]
    for key in "abcdef":
        services.add_code(project, key, key.upper(), coder="lead")
    for name, when, codes, stype in plan:
        file = tmp_path / f"{name}.txt"
        file.write_text(f"Interviewer: Question?\nP{name}: An answer about {name}.\n")
        services.import_transcripts(project, [file])
        services.set_attributes(project, "transcript", name, {"date": when})
        doc = reading.load_doc(project, name)
        turn = doc.turns[1]
        services.set_participant(project, turn.participant, stakeholder_type=stype)
        for key in codes:
            services.add_coding(project, name, key, turn.start, turn.end, coder="ana")
    yield project
    project.close()


def test_order_by_date_then_name_undated_last(dated):
    [result] = saturation(dated, base=2, run=1, threshold=0)
    assert [o["transcript"] for o in result.order] == [
        "a_tie", "b_tie", "c", "d", "e_late", "f_undated"]
    assert [o["new_codes"] for o in result.order] == [
        ["a", "b", "c"], ["d"], [], ["e"], [], ["f"]]
    assert result.base_codes == 4
    assert [r["ratio"] for r in result.runs] == [0.0, 25.0, 0.0, 25.0]
    assert result.saturation_at == "c"
    never = saturation(dated, base=1, run=5, threshold=0)[0]
    assert never.saturation_at is None and "not reached" in never.statement


def test_by_stakeholder_type(dated):
    groups = {r.group: r for r in saturation(dated, base=1, run=1, by="stakeholder_type")}
    assert set(groups) == {"School staff", "Commissioner"}
    assert [o["transcript"] for o in groups["Commissioner"].order] == ["b_tie", "d"]
    assert groups["Commissioner"].runs == [{"transcripts": ["d"], "new": 1, "ratio": 50.0}]
    with pytest.raises(Exception, match="stakeholder_type"):
        saturation(dated, by="site")


def test_cli_json_and_chart(dated, run, tmp_path):
    path = dated.path
    dated.close()
    out = run("saturation", path, "--base", "2", "--run", "1", "--threshold", "0",
              "--format", "json")
    data = json.loads(out.output)
    assert data["saturation_at"] == "c" and data["base_codes"] == 4
    assert data["runs"][1] == {"transcripts": ["d"], "new": 1, "ratio": 25.0}
    assert {"transcript", "date", "new_codes", "cumulative"} == set(data["order"][0])
    png = tmp_path / "sat.png"
    chart = run("chart", path, "--kind", "saturation", "-o", png)
    assert chart.exit_code == 0 and png.stat().st_size > 1000
    assert "saturation not reached" in chart.output or "saturation at" in chart.output
