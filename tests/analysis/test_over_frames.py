"""analysis/ and quant/ compute over what storage reads: these run them on frames and
records built by hand, no project file."""

from __future__ import annotations

import pandas as pd

from qual_coder.analysis.excerpts import _said_texts, _with_attributes, passages
from qual_coder.analysis.matrix import TOTAL, tabulate
from qual_coder.quant.survey import Item, SurveyFile, import_outcome
from qual_coder.storage.row_types import CodeRow


def _codings(rows: list[tuple[int, int, int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["coding_id", "code_id", "transcript_id", "start", "end"])


def test_overlapping_codings_of_a_code_are_one_passage_and_touching_ones_stay_two():
    merged = passages(_codings([
        (1, 7, 1, 0, 10),    # two coders' overlapping codings of code 7 ...
        (2, 7, 1, 5, 20),
        (3, 7, 1, 20, 30),   # ... and one that only touches them
        (4, 8, 1, 5, 20),    # another code over the same words
        (5, 7, 2, 5, 20),    # the same code in another transcript
    ]))
    got = sorted(map(tuple, merged[["coding_id", "code_id", "transcript_id", "start",
                                    "end"]].to_numpy().tolist()))
    assert got == [(1, 7, 1, 0, 20), (3, 7, 1, 20, 30), (4, 8, 1, 5, 20), (5, 7, 2, 5, 20)]


def test_words_outside_turns_are_blanked_to_the_same_length():
    text = "Interviewer: Why?\n\nAmira: Because it works."
    turns = pd.DataFrame({"transcript_id": [1, 1], "t_start": [13, 26],
                          "t_end": [17, len(text)]})
    said = _said_texts({1: text, 2: "untouched"}, turns)[1]
    assert len(said) == len(text)
    assert said.split() == ["Why?", "Because", "it", "works."]
    assert _said_texts({1: text, 2: "untouched"}, turns)[2] == "untouched"


def test_free_attributes_become_columns_and_missing_ones_stay_empty():
    people = pd.DataFrame({"participant_id": [1, 2], "participant": ["Amira", "Ben"]})
    attrs = pd.DataFrame({"participant_id": [1, 1], "name": ["years", "team"],
                          "value": ["12", "north"]})
    wide = _with_attributes(people, attrs, "participant_id").set_index("participant")
    assert wide.loc["Amira", "years"] == "12" and wide.loc["Amira", "team"] == "north"
    assert pd.isna(wide.loc["Ben", "years"])
    assert _with_attributes(people, attrs.iloc[0:0], "participant_id").equals(people)


def test_a_waves_import_is_matched_against_the_other_waves_case_folded():
    survey = SurveyFile(tool="tidy CSV", waves=["post"], items=[
        Item("q1", "Q1", "numeric", [], {})], rows=[("R1", "post", "q1", "3")],
        respondents={"r1", "r2", "r9"}, incomplete=1, blank=0, incomplete_rule=None)
    out = import_outcome(survey, {"pre": {"r1", "r2", "r3"}, "post": {"r1", "r2", "r9"}},
                         ["pre", "post"])
    assert (out["matched"], out["only_here"], out["only_other"]) == (2, 1, 1)
    first = import_outcome(survey, {"post": {"r1", "r2", "r9"}}, ["post"])
    assert first["matched"] is None and first["respondents"] == 3


def _code(key: str, parent: str | None = None) -> CodeRow:
    return CodeRow(id=0, key=key, name=key.title(), parent=parent, description="",
                   include="", exclude="", example="", keywords=[], patterns=[], color=None,
                   origin="inductive", codable=True, guid=key, codebook="b", sort=0,
                   created_by=None, created_at="")


def test_a_matrix_rolls_children_up_and_counts_each_unit_once_per_cell():
    codes = [_code("access"), _code("waits", "access"), _code("trust")]
    links = pd.DataFrame(
        [(1, "waits", 10, 1, "school", 0, 10), (1, "waits", 11, 1, "school", 0, 10),  # 2 people
         (2, "access", 10, 1, "school", 20, 30), (3, "trust", 20, 2, "nhs", 0, 5),
         (4, "trust", 21, 2, "nhs", 9, 15)],
        columns=["coding_id", "code", "participant_id", "transcript_id", "stakeholder_type",
                 "start", "end"])
    population = pd.Series({"school": 4, "nhs": 2, "vcs": 1})
    excerpts, columns = tabulate(links, codes, "stakeholder_type", population, "excerpts")
    assert columns == ["nhs", "school", "vcs"]
    assert excerpts.loc["access", "school"] == 2  # its own excerpt and its child's
    assert excerpts.loc["waits", "school"] == 1  # two speakers, one excerpt
    assert excerpts.loc["trust", "nhs"] == 2 and excerpts.loc["trust", "vcs"] == 0
    assert excerpts.loc[TOTAL, TOTAL] == 4
    people, _ = tabulate(links, codes, "stakeholder_type", population, "participants")
    assert people.loc["access", "school"] == 2 and people.loc["access", TOTAL] == 2
    percent, _ = tabulate(links, codes, "stakeholder_type", population, "percent")
    assert percent.loc["trust", "nhs"] == 100.0 and percent.loc["access", "school"] == 50.0
    # a passage a code and its sub-code both cover is one excerpt of the parent
    both = pd.concat([links, pd.DataFrame(
        [(5, "waits", 12, 3, "school", 0, 10), (6, "access", 12, 3, "school", 5, 15)],
        columns=links.columns)])
    excerpts, _ = tabulate(both, codes, "stakeholder_type", population, "excerpts")
    assert excerpts.loc["access", "school"] == 3 and excerpts.loc["waits", "school"] == 2


def test_a_framework_chart_puts_summaries_first_then_excerpts_of_the_code_and_its_children():
    from qual_coder.analysis.framework import chart

    base = pd.DataFrame({"stakeholder_type": ["school", "nhs"]},
                        index=pd.Index(["Amira", "Ben"], name="participant"))
    text = "Amira: We wait months.  Ben: The pathway is clear now."
    links = pd.DataFrame(
        [(1, "waits", 1, "t1", 7, 22, "Amira"), (2, "pathway", 1, "t1", 29, 54, "Ben")],
        columns=["coding_id", "code", "transcript_id", "transcript", "start", "end",
                 "participant"])
    codes = [_code("access"), _code("pathway")]
    frame, cells = chart(base, links, "participant", codes,
                         {"access": ["access", "waits"], "pathway": ["pathway"]},
                         {("Ben", "pathway"): "Clear since the new triage."}, {1: text},
                         {1: ([0, 24], [1, 2])})
    assert frame.loc["Amira", "Access"] == "‘We wait months.’"  # the child's excerpt
    assert frame.loc["Ben", "Pathway"] == "Clear since the new triage."  # the summary
    assert frame.loc["Ben", "Access"] == "" and frame.loc["Amira", "Pathway"] == ""
    assert [c["turn"] for c in cells[("Ben", "pathway")]] == [2]
    assert list(frame.columns) == ["stakeholder_type", "Access", "Pathway"]
