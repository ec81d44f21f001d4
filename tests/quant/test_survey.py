"""`qual-coder survey import` and `survey summary`."""

import json

import pytest
from scipy import stats

from tests.conftest import snapshot_db

ITEMS = """contact_cypmhs:
  label: Contact with NHS CYPMHS
  type: likert
  levels: [never, a few times a year, every few months, monthly, continuous]
  groups:
    monthly or continuous: [monthly, continuous]
confidence:
  label: Confidence talking about mental health (1-10)
  type: numeric
"""
# r1-r4 answer both waves; r5 baseline only; r6 follow-up only. r3 skips confidence at
# follow-up (blank = missing, not zero).
SURVEY = """respondent_id,wave,contact_cypmhs,confidence,role
r1,baseline,never,4,SENCo
r2,baseline,a few times a year,5,Head
r3,baseline,monthly,6,SENCo
r4,baseline,every few months,3,Mentor
r5,baseline,never,2,SENCo
r1,follow-up,monthly,6,SENCo
r2,follow-up,continuous,7,Head
r3,follow-up,monthly,,SENCo
r4,follow-up,monthly,6,Mentor
r6,follow-up,a few times a year,8,Head
"""


@pytest.fixture
def surveyed(tmp_path, project_path, run):
    (tmp_path / "items.yaml").write_text(ITEMS)
    (tmp_path / "survey.csv").write_text(SURVEY)
    result = run("survey", "import", project_path, tmp_path / "survey.csv", "--items",
                 tmp_path / "items.yaml")
    assert result.exit_code == 0, result.output
    return project_path


def test_summary_waves_match_rate_distributions_and_groups(surveyed, run):
    s = json.loads(run("survey", "summary", surveyed, "--json").output)
    assert s["waves"] == ["baseline", "follow-up"]
    assert s["respondents"] == {"baseline": 5, "follow-up": 5, "matched": 4, "match_rate": 80.0}
    contact = next(i for i in s["items"] if i["key"] == "contact_cypmhs")
    base, follow = contact["waves"]
    assert base["percent"] == {"never": 40.0, "a few times a year": 20.0,
                               "every few months": 20.0, "monthly": 20.0, "continuous": 0.0}
    assert base["groups"] == {"monthly or continuous": 20.0}
    assert follow["groups"] == {"monthly or continuous": 80.0}
    assert base["mean"] == pytest.approx((1 + 2 + 4 + 3 + 1) / 5)
    role = next(i for i in s["items"] if i["key"] == "role")
    assert role["type"] == "categorical" and "paired" not in role


def test_paired_tests_on_matched_respondents_with_missing_left_out(surveyed, run):
    s = json.loads(run("survey", "summary", surveyed, "--json").output)
    confidence = next(i for i in s["items"] if i["key"] == "confidence")
    assert [w["n"] for w in confidence["waves"]] == [5, 4]  # r3's blank is missing
    before, after = [4, 5, 3], [6, 7, 6]  # r1, r2, r4: matched and answered both times
    ref = stats.ttest_rel(after, before)
    paired = confidence["paired"]
    assert (paired["n"], paired["df"]) == (3, 2)
    assert paired["t"] == pytest.approx(ref.statistic, abs=1e-4)
    assert paired["p"] == pytest.approx(ref.pvalue, abs=1e-4)
    contact = next(i for i in s["items"] if i["key"] == "contact_cypmhs")["paired"]
    ref = stats.ttest_rel([4, 5, 4, 4], [1, 2, 4, 3])  # likert scored 1..5
    assert contact["n"] == 4 and contact["t"] == pytest.approx(ref.statistic, abs=1e-4)
    text = run("survey", "summary", surveyed).output
    assert "matched 4 of 5 (80.0%)" in text


@pytest.mark.parametrize("body,message", [
    ("respondent_id,wave,contact_cypmhs,confidence\nr1,baseline,sometimes,4\n",
     "row 2, column 'contact_cypmhs': 'sometimes' is not one of never"),
    ("respondent_id,wave,contact_cypmhs,confidence\nr1,baseline,never,lots\n",
     "row 2, column 'confidence': 'lots' is not a number"),
    ("respondent_id,wave,contact_cypmhs,confidence\nr1,baseline,never,4\nr1,baseline,never,5\n",
     "rows 2, 3: respondent r1 answers wave baseline more than once"),
    ("id,wave,contact_cypmhs,confidence\nr1,baseline,never,4\n", "row 1: no respondent_id column"),
])
def test_bad_survey_files_are_refused_with_row_and_column(tmp_path, surveyed, run, body,
                                                          message):
    before = snapshot_db(surveyed)
    path = tmp_path / "bad.csv"
    path.write_text(body)
    result = run("survey", "import", surveyed, path, "--items", tmp_path / "items.yaml")
    assert result.exit_code == 1 and message in result.output
    assert snapshot_db(surveyed) == before


def test_the_summary_is_computed_from_answers_alone():
    from scipy import stats

    from qual_coder.quant.survey import summary_from

    levels = ["Never", "Sometimes", "Often"]
    item = {"key": "contact", "label": "Contact with CAMHS", "type": "likert",
            "levels": levels, "groups": {"at least sometimes": ["Sometimes", "Often"]}}
    pre = {"r1": "Never", "r2": "Never", "r3": "Sometimes", "r4": "Never", "r5": None}
    post = {"r1": "Often", "r2": "Sometimes", "r3": "Often", "r4": "Sometimes", "r6": "Often"}
    answers = {(r, "pre", "contact"): v for r, v in pre.items()}
    answers |= {(r, "post", "contact"): v for r, v in post.items()}
    out = summary_from([item], ["pre", "post"], answers)
    assert out["respondents"]["matched"] == 4  # r1-r4; r5 and r6 answered once
    first, last = out["items"][0]["waves"]
    assert first["n"] == 4 and first["percent"]["Never"] == 75.0  # the blank is missing
    assert last["groups"]["at least sometimes"] == 100.0
    paired = out["items"][0]["paired"]
    before, after = [1, 1, 2, 1], [3, 2, 3, 2]
    assert paired["n"] == 4
    assert paired["t"] == pytest.approx(stats.ttest_rel(after, before).statistic, abs=1e-3)
