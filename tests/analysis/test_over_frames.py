"""analysis/ and quant/ compute over what storage reads: these run them on frames and
records built by hand, no project file."""

from __future__ import annotations

import pandas as pd

from qual_coder.analysis.excerpts import _said_texts, _with_attributes, passages
from qual_coder.quant.survey import Item, SurveyFile, import_outcome


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
