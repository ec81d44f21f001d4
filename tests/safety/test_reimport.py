"""A corrected transcript keeps its codings: exact, moved, fuzzy, or kept unplaced."""

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
    assert sorted(f["now"] for f in report["fuzzy"]) == [
        "It was that nobody knew how the system really worked.",
        "It was that nobody knew how the system really worked. Including, to be fair, some "
        "of the CAMHS people, who didn't know what we were already doing in schools."]
    assert [u["quote"] for u in report["unplaced"]] == ["Capacity. [pause] It's always capacity."]
    after = codings_by_id(run, demo_path)
    assert len(after) == len(before) - 1
    for cid, g in after.items():
        if g["text"] != before[cid]["text"]:
            assert cid in {f["coding"] for f in report["fuzzy"]}
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
