"""`qual-coder code`, `uncode`, `codings`, `memo`."""

import json

import pytest

from tests.conftest import REPO, snapshot_db

TEXT = ("Interviewer: How do referrals work?\n"
        "Priya: We refer directly now. Before, we went via the GP. Café 🙂 talk.\n"
        "Priya: We refer directly now, honestly.\n")


@pytest.fixture
def coded(tmp_path, project_path, run):
    (tmp_path / "fg.txt").write_text(TEXT)
    run("import", project_path, tmp_path / "fg.txt")
    run("codebook", "load", project_path, REPO / "codebooks" / "cascade.yaml")
    return project_path


def codings(run, path):
    return json.loads(run("codings", path, "--json").output)


def test_code_by_offsets_and_by_quote_with_code_points(coded, run):
    start = TEXT.index("Café")
    r = run("code", coded, "fg", "--start", start, "--end", start + 6,
            "--code", "clarity_roles", "--coder", "ana")
    assert r.exit_code == 0, r.output
    r = run("code", coded, "1", "--quote", "we went via the GP", "--code",
            "development_integrated", "--coder", "ben")
    assert r.exit_code == 0, r.output
    listing = codings(run, coded)
    assert [(g["code"], g["coder"], g["text"], g["transcript"]) for g in listing] == [
        ("development_integrated", "ben", "we went via the GP", "fg"),
        ("clarity_roles", "ana", "Café 🙂", "fg")]
    assert set(listing[0]) == {"id", "transcript", "start", "end", "code", "coder", "status",
                               "text"}


def test_absent_ambiguous_and_out_of_range_spans_are_errors(coded, run):
    before = snapshot_db(coded)
    r = run("code", coded, "fg", "--quote", "We refer directly now", "--code", "clarity_roles")
    assert r.exit_code == 1 and "occurs 2 times" in r.output
    r = run("code", coded, "fg", "--quote", "not there", "--code", "clarity_roles")
    assert r.exit_code == 1 and "does not occur" in r.output
    r = run("code", coded, "fg", "--start", 5, "--end", 100_000, "--code", "clarity_roles")
    assert r.exit_code == 1 and "outside 'fg'" in r.output
    r = run("code", coded, "fg", "--start", 5, "--end", 9, "--code", "no_such_code")
    assert r.exit_code == 1 and "no code 'no_such_code'" in r.output
    assert snapshot_db(coded) == before


def test_overlapping_codings_of_one_code_by_one_coder_merge(coded, run):
    a = TEXT.index("We refer directly now.")
    run("code", coded, "fg", "--start", a, "--end", a + 10, "--code", "clarity_roles",
        "--coder", "ana")
    run("code", coded, "fg", "--start", a + 5, "--end", a + 22, "--code", "clarity_roles",
        "--coder", "ana")
    run("code", coded, "fg", "--start", a + 2, "--end", a + 8, "--code", "clarity_roles",
        "--coder", "ben")
    again = run("code", coded, "fg", "--start", a + 1, "--end", a + 4, "--code",
                "clarity_roles", "--coder", "ana")
    assert "already coded" in again.output
    listing = codings(run, coded)
    assert sorted((g["coder"], g["start"], g["end"]) for g in listing) == [
        ("ana", a, a + 22), ("ben", a + 2, a + 8)]


def test_uncode_and_memos(coded, run):
    run("code", coded, "fg", "--quote", "via the GP", "--code", "development_integrated")
    coding_id = codings(run, coded)[0]["id"]
    assert run("memo", coded, "--coding", coding_id, "GP routing myth").exit_code == 0
    assert run("memo", coded, "--code", "clarity_roles", "Check with Ana").exit_code == 0
    assert "GP routing myth" in run("memo", coded, "--coding", coding_id).output
    r = run("uncode", coded, coding_id)
    assert r.exit_code == 0 and "removed coding" in r.output
    assert codings(run, coded) == []
    assert run("uncode", coded, coding_id).exit_code == 1


def test_undo_and_redo_survive_a_restart(coded, run):
    a = TEXT.index("We refer directly now.")
    run("code", coded, "fg", "--start", a, "--end", a + 10, "--code", "clarity_roles",
        "--coder", "ana")
    run("code", coded, "fg", "--start", a + 5, "--end", a + 22, "--code", "clarity_roles",
        "--coder", "ana")
    assert [(g["start"], g["end"]) for g in codings(run, coded)] == [(a, a + 22)]
    # Each CLI call is a fresh process-level open of the file: the log is in the project.
    assert "undid: code clarity_roles" in run("undo", coded, "--coder", "ana").output
    assert [(g["start"], g["end"]) for g in codings(run, coded)] == [(a, a + 10)]
    assert "undid" in run("undo", coded, "--coder", "ana").output
    assert codings(run, coded) == []
    assert run("undo", coded, "--coder", "ana").output.strip() == "nothing to undo"
    assert "redid" in run("redo", coded, "--coder", "ana").output
    assert [(g["start"], g["end"]) for g in codings(run, coded)] == [(a, a + 10)]
    g = codings(run, coded)[0]
    run("uncode", coded, g["id"], "--coder", "ana")
    assert codings(run, coded) == []
    run("undo", coded, "--coder", "ana")
    assert codings(run, coded)[0]["id"] == g["id"]
    # A new action clears what could be redone.
    run("code", coded, "fg", "--quote", "via the GP", "--code", "development_integrated",
        "--coder", "ana")
    assert run("redo", coded, "--coder", "ana").output.strip() == "nothing to redo"


def test_import_codings_csv_is_all_or_nothing_with_row_numbers(tmp_path, coded, run):
    good = tmp_path / "good.csv"
    good.write_text('transcript,code,quote,coder\nfg,development_integrated,"via the GP",ana\n'
                    'fg,clarity_roles,Café,ben\n')
    assert "applied 2 codings" in run("import-codings", coded, good).output
    before = snapshot_db(coded)
    bad = tmp_path / "bad.csv"
    bad.write_text("transcript,code,quote\nfg,clarity_roles,How do referrals work?\n"
                   "fg,clarity_roles,missing words\nfg,nope,Café\n")
    result = run("import-codings", coded, bad)
    assert result.exit_code == 1
    assert "bad.csv row 3: the quote does not occur" in result.output
    assert "bad.csv row 4: no code 'nope'" in result.output
    assert snapshot_db(coded) == before


def test_import_codings_keeps_a_quote_that_spans_two_lines(tmp_path, project_path, run):
    """A quoted field with a line break is one quote (the csv module on the file, not on
    split lines), and the rows after it keep their spreadsheet numbers."""
    (tmp_path / "two.txt").write_text("Interviewer: How did it go?\nAnn: The first part went "
                                      "well.\nThe second part did not.\nInterviewer: Why?\n")
    run("import", project_path, tmp_path / "two.txt")
    run("codebook", "load", project_path, REPO / "codebooks" / "cascade.yaml")
    rows = tmp_path / "multi.csv"
    rows.write_text('transcript,code,quote\n'
                    'two,clarity_roles,"The first part went well.\nThe second part did not."\n'
                    'two,nope,Why?\n', newline="")
    bad = run("import-codings", project_path, rows)
    assert bad.exit_code == 1
    assert "multi.csv row 3: no code 'nope'" in bad.output  # the record after it: row 3
    assert "row 2" not in bad.output  # the two-line quote was found
    rows.write_text('transcript,code,quote\n'
                    'two,clarity_roles,"The first part went well.\r\nThe second part did not."\n',
                    newline="")
    assert "applied 1 coding" in run("import-codings", project_path, rows).output


def test_demo_project_is_coded(demo_path, run):
    listing = codings(run, demo_path)
    assert len(listing) >= 150
    assert len({g["transcript"] for g in listing}) == 18


def test_codings_show_each_status_and_filter_by_it(coded, run):
    from qual_coder.services import add_coding
    from qual_coder.services.suggest import reject
    from qual_coder.storage import open_project

    run("code", coded, "fg", "--quote", "via the GP", "--code", "clarity_roles", "--coder", "ana")
    with open_project(coded) as p:
        waiting = add_coding(p, "fg", "development_integrated", 0, 11, coder="auto",
                             status="suggested", source="autocode")
        doomed = add_coding(p, "fg", "clarity_roles", 12, 20, coder="auto",
                            status="suggested", source="autocode")
        reject(p, doomed.id, coder="ana")
    head, *listed = run("codings", coded).output.splitlines()
    assert head.split()[:2] == ["id", "status"]
    assert [line.split()[1] for line in listed] == ["suggested", "final"]
    assert [g["id"] for g in codings_with(run, coded, "suggested")] == [waiting.id]
    assert [g["status"] for g in codings_with(run, coded, "final")] == ["final"]
    rejected = codings_with(run, coded, "rejected")
    assert [(g["code"], g["coder"], g["start"]) for g in rejected] == [("clarity_roles", "ana",
                                                                          12)]


def codings_with(run, path, status):
    return json.loads(run("codings", path, "--json", "--status", status).output)
