"""Survey files as the tools export them, one file per wave (issue 24): Qualtrics,
SurveyMonkey, Microsoft Forms and JISC Online Surveys layouts built here to each tool's
documented header rows; the summary checked against pandas and scipy directly."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pandas as pd
import pytest
from scipy import stats

from tests.conftest import snapshot_db

LEVELS = ["Never", "A few times a year", "Every few months", "Monthly", "Continuous"]
# respondent code, contact answer, confidence; baseline and follow-up. S3 is only at
# baseline, S9 only at follow-up; codes differ in case and spacing between waves.
BASE = [("S001", "never", "4"), ("S002", "A few times a year", "5"),
        ("S003", "Monthly", "6"), ("s004", "every  few months", "3"), ("S005", "Never", "2")]
FOLLOW = [("s001 ", "Monthly", "6"), ("S002", "Continuous", "7"), ("S004", "MONTHLY", "6"),
          ("S005", "monthly", "5"), ("S009", "Never", "8")]
ITEMS = f"""respondent: What is your respondent code?
contact:
  label: Contact with NHS CYPMHS
  type: likert
  levels: {json.dumps(LEVELS)}
  column: How often are you in contact with NHS CYPMHS?
confidence:
  label: Confidence (1-10)
  type: numeric
  column: How confident are you talking about mental health?
"""
CODE_Q = "What is your respondent code?"
CONTACT_Q = "How often are you in contact with NHS CYPMHS?"
CONF_Q = "How confident are you talking about mental health?"


def write_csv(path, rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def qualtrics(path, answers, unfinished=()):
    rows = [["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId",
             "Q1", "Q2", "Q3"],
            ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Response ID",
             CODE_Q, CONTACT_Q, CONF_Q],
            ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"status"}',
             '{"ImportId":"progress"}', '{"ImportId":"finished"}', '{"ImportId":"_recordId"}',
             '{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2"}', '{"ImportId":"QID3_TEXT"}']]
    for n, (code, contact, conf) in enumerate(answers):
        rows.append(["2024-01-10 09:00", "2024-01-10 09:05", "IP Address", "100", "True",
                     f"R_{n}", code, contact, conf])
    for code in unfinished:
        rows.append(["2024-01-10 09:00", "", "IP Address", "40", "False", "R_x", code,
                     "Never", ""])
    return write_csv(path, rows)


def monkey(path, answers):
    rows = [["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
             CODE_Q, CONTACT_Q, CONF_Q, "Which services do you use?", ""],
            ["", "", "", "", "", "Open-Ended Response", "Response", "Response",
             "School nurse", "CAMHS"]]
    for n, (code, contact, conf) in enumerate(answers):
        rows.append([str(1000 + n), "431", "01/10/2024", "01/10/2024", "1.2.3.4", code,
                     contact, conf, "School nurse", ""])
    rows.append([str(2000), "431", "01/10/2024", "01/10/2024", "1.2.3.5", "", "", "", "", ""])
    return write_csv(path, rows)


def forms(path, answers):
    rows = [["ID", "Start time", "Completion time", "Email", "Name", CODE_Q, CONTACT_Q,
             CONF_Q]]
    for n, (code, contact, conf) in enumerate(answers, start=1):
        rows.append([n, "1/10/24 9:00:00", "1/10/24 9:04:00", "anonymous", "", code, contact,
                     int(conf)])
    return write_xlsx(path, rows)


def jisc(path, answers):
    rows = [["Response ID", "Started", "Completed", f"1. {CODE_Q}", f"2. {CONTACT_Q}",
             f"3. {CONF_Q}"]]
    for n, (code, contact, conf) in enumerate(answers, start=1):
        rows.append([n, "2024-01-10 09:00:00", "2024-01-10 09:06:00", code, contact, conf])
    rows.append([99, "2024-01-10 09:00:00", "", "S777", "Never", ""])  # never submitted
    return write_xlsx(path, rows)


WRITERS = {"Qualtrics": (qualtrics, "csv"), "SurveyMonkey": (monkey, "csv"),
           "Microsoft Forms": (forms, "xlsx"), "JISC Online Surveys": (jisc, "xlsx")}


@pytest.mark.parametrize("tool", sorted(WRITERS))
def test_each_tools_export_two_waves(tool, tmp_path, project_path, run):
    write, suffix = WRITERS[tool]
    items = tmp_path / "items.yaml"
    items.write_text(ITEMS)
    base = write(tmp_path / f"baseline.{suffix}", BASE)
    follow = write(tmp_path / f"follow.{suffix}", FOLLOW)
    first = run("survey", "import", project_path, base, "--items", items, "--wave", "baseline")
    assert first.exit_code == 0, first.output
    assert f"as {tool}" in first.output and "5 respondents" in first.output
    second = run("survey", "import", project_path, follow, "--items", items, "--wave",
                 "follow-up")
    assert second.exit_code == 0, second.output
    # S001/s001, S002, S004/s004, S005 match; S003 baseline only; S009 follow-up only
    assert "4 of 5; only in this wave 1, only in the others 1" in second.output
    s = json.loads(run("survey", "summary", project_path, "--json").output)
    assert s["waves"] == ["baseline", "follow-up"]
    assert s["respondents"]["matched"] == 4
    # an independent computation: pandas over the answers as written, scipy's t-test
    score = {lv.casefold(): n for n, lv in enumerate(LEVELS, start=1)}
    frame = lambda rows: pd.DataFrame(  # noqa: E731
        [(c.strip().casefold(), score[" ".join(a.split()).casefold()], float(f))
         for c, a, f in rows], columns=["code", "contact", "conf"]).set_index("code")
    b, f = frame(BASE), frame(FOLLOW)
    both = b.add_suffix("_b").join(f.add_suffix("_f"), how="inner")
    contact = next(i for i in s["items"] if i["key"] == "contact")
    assert contact["waves"][0]["mean"] == pytest.approx(b["contact"].mean(), abs=1e-3)
    assert contact["paired"]["n"] == len(both) == 4
    t = stats.ttest_rel(both["contact_f"], both["contact_b"])
    assert contact["paired"]["t"] == pytest.approx(t.statistic, abs=1e-3)
    assert contact["paired"]["p"] == pytest.approx(t.pvalue, abs=1e-3)
    conf = next(i for i in s["items"] if i["key"] == "confidence")
    assert conf["waves"][1]["mean"] == pytest.approx(f["conf"].mean(), abs=1e-3)


def test_unfinished_responses_are_left_out_and_counted(tmp_path, project_path, run):
    items = tmp_path / "items.yaml"
    items.write_text(ITEMS)
    path = qualtrics(tmp_path / "q.csv", BASE, unfinished=["S100", "S101"])
    result = run("survey", "import", project_path, path, "--items", items, "--wave", "pre")
    assert result.exit_code == 0, result.output
    assert "left out: 2 unfinished (Finished is False or Progress under 100)" in result.output
    s = json.loads(run("survey", "summary", project_path, "--json").output)
    assert s["respondents"]["pre"] == 5
    kept = run("survey", "import", project_path, path, "--items", items, "--wave", "pre",
               "--include-incomplete")
    assert kept.exit_code == 0, kept.output
    s = json.loads(run("survey", "summary", project_path, "--json").output)
    assert s["respondents"]["pre"] == 7  # the same wave imported again replaces it


def test_bad_exports_name_row_column_and_change_nothing(tmp_path, project_path, run):
    items = tmp_path / "items.yaml"
    items.write_text(ITEMS)
    before = snapshot_db(project_path)
    wrong = qualtrics(tmp_path / "q.csv", BASE[:2] + [("S003", "Sometimes", "6")])
    result = run("survey", "import", project_path, wrong, "--items", items, "--wave", "pre")
    assert result.exit_code == 1
    assert "row 6, column 'Q2': 'Sometimes' is not one of Never, A few times a year" \
        in result.output
    twice = qualtrics(tmp_path / "t.csv", BASE[:2] + [("s001", "Never", "3")])
    result = run("survey", "import", project_path, twice, "--items", items, "--wave", "pre")
    assert result.exit_code == 1 and "rows 4, 6: respondent S001 answers wave pre more than " \
        "once" in result.output
    no_wave = run("survey", "import", project_path, wrong, "--items", items)
    assert no_wave.exit_code == 1 and "--wave" in no_wave.output
    items.write_text(ITEMS.replace("respondent: What is your respondent code?\n", ""))
    no_code = run("survey", "import", project_path, wrong, "--items", items, "--wave", "pre")
    assert no_code.exit_code == 1 and "respondent: Q1" in no_code.output
    assert snapshot_db(project_path) == before


def test_a_wave_column_is_never_an_item(tmp_path, project_path, run):
    path = tmp_path / "t.csv"
    path.write_text("respondent_id,wave,score\nr1,pre,3\nr2,pre,4\n")
    assert run("survey", "import", project_path, path, "--wave", "baseline").exit_code == 0
    s = json.loads(run("survey", "summary", project_path, "--json").output)
    assert [i["key"] for i in s["items"]] == ["score"] and s["waves"] == ["baseline"]
