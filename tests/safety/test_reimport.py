"""A corrected transcript keeps its codings: in place, moved, changed (with before and
after), or kept unplaced."""

from __future__ import annotations

import json

from tests.conftest import REPO, snapshot_db

SOURCE = REPO / "transcripts" / "northmoor_school_lead_interview.txt"


def codings_by_id(run, path):
    return {g["id"]: g for g in json.loads(run("codings", path, "--json", "--transcript",
                                                "northmoor_school_lead_interview").output)}


def test_corrected_transcript_keeps_every_coding(demo_path, tmp_path, run):
    before = codings_by_id(run, demo_path)
    text = SOURCE.read_text()
    edited = (text
              # a new paragraph near the top shifts every later offset
              .replace("Recorded in school, July 2016.",
                       "Recorded in school, July 2016. Transcribed by A. N. Other.")
              # a typo fixed inside a coded quote
              .replace("It was that nobody knew how the system actually worked.",
                       "It was that nobody knew how the system really worked.")
              # a turn split in two
              .replace("Sarah: No. Well, the first day,",
                       "Sarah: No.\nInterviewer: No?\nSarah: Well, the first day,")
              # a coded sentence deleted outright
              .replace("Capacity. [pause] It's always capacity.", "It's time."))
    path = tmp_path / "northmoor_school_lead_interview_v2.txt"
    path.write_text(edited)
    result = run("reimport", demo_path, "northmoor_school_lead_interview", path, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["moved"] >= len(before) - 3
    # ana coded the sentence, ben (the demo's second coder) it and the next one
    assert sorted(f["now"] for f in report["changed"]) == [
        "It was that nobody knew how the system really worked.",
        "It was that nobody knew how the system really worked. Including, to be fair, some "
        "of the CAMHS people, who didn't know what we were already doing in schools."]
    assert [u["quote"] for u in report["unplaced"]] == ["Capacity. [pause] It's always capacity."]
    after = codings_by_id(run, demo_path)
    assert len(after) == len(before) - 1
    for cid, g in after.items():
        if g["text"] != before[cid]["text"]:
            assert cid in {f["coding"] for f in report["changed"]}
    turns = json.loads(run("transcripts", demo_path, "--json").output)
    lead = next(t for t in turns if t["name"] == "northmoor_school_lead_interview")
    assert {s["participant"] for s in lead["speakers"]} == {"Interviewer", "Sarah Whitfield"}
    with __import__("sqlite3").connect(demo_path) as conn:
        kept = conn.execute("SELECT quote FROM unplaced_codings").fetchall()
    assert kept == [("Capacity. [pause] It's always capacity.",)]


def test_same_file_again_is_refused_and_changes_nothing(demo_path, run):
    before = snapshot_db(demo_path)
    result = run("reimport", demo_path, "northmoor_school_lead_interview", SOURCE)
    assert result.exit_code == 1 and "identical to the version already imported" in result.output
    assert snapshot_db(demo_path) == before


def test_an_edited_word_widens_the_quote_and_is_reported_as_changed(tmp_path, project_path, run):
    """The issue's cases: "did," -> "didn't," and "likely" -> "unlikely" must not leave a
    quote that ends (or starts) inside a word, and the coding is "changed", not "moved"."""
    first = tmp_path / "fg.txt"
    first.write_text("Interviewer: And the schools?\n"
                     "Priya: It was likely to help, more than the schools did, in the end.\n"
                     "Interviewer: Thanks.\nPriya: The pilot ran for the whole year.\n")
    run("import", project_path, first)
    run("codebook", "add", project_path, "theme", "--name", "Theme")
    for quote in ("It was likely to help", "more than the schools did"):
        assert run("code", project_path, "fg", "--quote", quote, "--code", "theme",
                   "--coder", "ana").exit_code == 0
    at = first.read_text().index("the whole")
    assert run("code", project_path, "fg", "--start", at, "--end", at + 3, "--code", "theme",
               "--coder", "ana").exit_code == 0
    second = tmp_path / "fg2.txt"
    second.write_text("Interviewer: And the schools?\n"
                      "Priya: It was unlikely to help, more than the schools didn't, in the end.\n"
                      "Interviewer: Thanks.\nPriya: The pilot ran all year.\n")
    report = json.loads(run("reimport", project_path, "fg", second, "--json").output)
    assert sorted(c["now"] for c in report["changed"]) == [
        "It was unlikely to help", "more than the schools didn't"]
    assert report["moved"] == 0 and report["same"] == 0
    # the coded "the" of "the whole year" was deleted: kept aside, not moved to another "the"
    assert [u["quote"] for u in report["unplaced"]] == ["the"]
    assert report["unplaced"][0]["elsewhere"] is None
