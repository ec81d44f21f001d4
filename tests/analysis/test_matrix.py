import pytest

from qual_coder.analysis.matrix import frequency_matrix
from qual_coder.errors import QualCoderError

COLS = ["nhs_cypmhs", "other_cypmhs", "school_staff", "Total"]


def cells(small, measure, cols="stakeholder_type", **kw):
    m = frequency_matrix(small, cols, measure, **kw)
    return {row: dict(zip(m.cols, m.frame.loc[row].tolist())) for row in m.rows}


def test_excerpts_attribute_focus_groups_roll_up_and_exclude_interviewers(small):
    got = cells(small, "excerpts")
    assert got["c1"] == dict(zip(COLS, [1, 0, 1, 2]))        # #4 Cal, #1 Ann; #2 excluded
    assert got["c2"] == dict(zip(COLS, [1, 0, 2, 2]))        # #3 Bea+Cal, #5 Bea
    # the parent rolls up #1 #3 #4 #5; #3 (c2) and #4 (c1) overlap on Cal's "Yes, and ":
    # one passage of the theme, as a reader counts it
    assert got["t"] == dict(zip(COLS, [1, 0, 3, 3]))
    assert got["Total"] == dict(zip(COLS, [1, 0, 3, 3]))


def test_interviewer_turns_count_when_asked(small):
    m = frequency_matrix(small, "stakeholder_type", "excerpts", include_interviewer=True)
    assert m.cols == ["interviewer", "nhs_cypmhs", "other_cypmhs", "school_staff", "Total"]
    assert m.frame.loc["c1", "interviewer"] == 1 and m.frame.loc["c1", "Total"] == 3


def test_participants_percent_transcripts_presence(small):
    assert cells(small, "participants")["t"] == dict(zip(COLS, [1, 0, 2, 3]))
    # Population: school_staff Ann+Bea = 2, nhs Cal = 1, other Dee = 1; 4 in all.
    assert cells(small, "percent")["c1"] == dict(zip(COLS, [100.0, 0.0, 50.0, 50.0]))
    assert cells(small, "percent")["Total"] == dict(zip(COLS, [100.0, 0.0, 100.0, 75.0]))
    assert cells(small, "transcripts")["c1"] == dict(zip(COLS, [1, 0, 1, 2]))
    assert cells(small, "transcripts")["c2"] == dict(zip(COLS, [1, 0, 1, 1]))
    assert cells(small, "presence")["c2"] == dict(zip(COLS, [1, 0, 1, 1]))


def test_words_count_each_coding_once_per_cell(small):
    # #1 "We refer directly now." 4; #3 "refer directly.\nCal: Yes, and " 4 (the label
    # "Cal:" is not a word anyone said); #4 7; #5 6.
    got = cells(small, "words")
    assert got["c1"] == dict(zip(COLS, [7, 0, 4, 11]))
    assert got["c2"] == dict(zip(COLS, [4, 0, 10, 10]))
    assert got["t"]["Total"] == 21


def test_by_transcript_attributes_and_free_participant_attributes(small):
    got = cells(small, "excerpts", cols="site")
    assert got["t"] == {"Site A": 1, "Site B": 2, "Total": 3}  # #3 and #4 are one passage
    from qual_coder import services
    services.set_attributes(small, "participant", "Bea", {"years": "5+"})
    got = cells(small, "participants", cols="years")
    assert got["c2"] == {"(not recorded)": 1, "5+": 1, "Total": 2}
    with pytest.raises(QualCoderError, match="no participant or transcript attribute"):
        frequency_matrix(small, "shoe_size")


def test_json_shape(small):
    data = frequency_matrix(small, "stakeholder_type", "excerpts").to_json()
    assert set(data) >= {"rows", "cols", "cells", "measure"}
    assert data["rows"][0] == "t" and data["cells"][0] == [1, 0, 3, 3]


def test_a_participants_matrix_as_percent_equals_the_percent_measure(demo_path):
    from qual_coder.storage import open_project

    with open_project(demo_path) as p:
        for cols in ("stakeholder_type", "site"):
            counted = frequency_matrix(p, cols, "percent")
            derived = frequency_matrix(p, cols, "participants").percent()
            assert derived.frame.equals(counted.frame) and derived.cols == counted.cols
