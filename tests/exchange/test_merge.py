"""Merging a colleague's project: nothing duplicated, conflicts reported, their file
untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

from qual_coder import services
from qual_coder.services.merge import merge_project
from qual_coder.storage import open_project


def _digest(path) -> str:
    with sqlite3.connect(path) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


@pytest.fixture
def pair(tmp_path, demo_path):
    """Ours is the demo; theirs is a copy where cai coded more and added a code."""
    theirs = tmp_path / "theirs.db"
    shutil.copy(demo_path, theirs)
    with open_project(theirs) as proj:
        services.add_code(proj, "waiting_lists", "Waiting lists", coder="cai")
        services.set_memo(proj, "code", "waiting_lists", "Emerged at Eastbridge.")
        c = services.add_coding(proj, "eastbridge_camhs_lead_interview", "waiting_lists",
                                quote="Our average wait for a first appointment was eighteen "
                                      "weeks", coder="cai")
        services.set_memo(proj, "coding", c.id, "Key figure.")
        services.add_coding(proj, "northmoor_school_lead_interview", "expectations",
                            quote="Honestly? Not much.", coder="cai")
    return demo_path, theirs


def test_merge_brings_in_codes_codings_and_memos_once(pair, run):
    ours, theirs = pair
    before_theirs = _digest(theirs)
    result = run("merge", ours, theirs)
    assert result.exit_code == 0, result.output
    assert "1 code, 0 transcripts added (18 already here), 2 codings added" in result.output
    with open_project(ours) as proj:
        cai = services.list_codings(proj, coder="cai")
        assert sorted(g["code"] for g in cai) == ["expectations", "waiting_lists"]
        assert services.get_memo(proj, "code", "waiting_lists") == "Emerged at Eastbridge."
        waiting = next(g for g in cai if g["code"] == "waiting_lists")
        assert services.get_memo(proj, "coding", waiting["id"]) == "Key figure."
    again = run("merge", ours, theirs)
    assert "0 codes, 0 transcripts added (18 already here), 0 codings added" in again.output
    assert _digest(theirs) == before_theirs


def test_conflicts_are_reported_not_silently_resolved(tmp_path, pair):
    ours, theirs = pair
    with open_project(theirs) as proj:
        services.rename_code(proj, "expectations", "Hopes for the workshops")
        # ana, in their copy, widened one of her codings
        first = services.list_codings(proj, transcript="northmoor_school_lead_interview",
                                      coder="ana")[0]
        services.add_coding(proj, first["transcript"], first["code"], first["start"],
                            first["end"] + 20, coder="ana")
        new = tmp_path / "northmoor_school_lead_interview.txt"
        new.write_text("P1: Same name, other words.\n", encoding="utf-8")
        services.import_transcripts(proj, [new])
    with open_project(ours) as proj:
        report = merge_project(proj, theirs)
        name = proj.conn.execute("SELECT name FROM codes WHERE key = 'expectations'"
                                 ).fetchone()[0]
        widened = services.list_codings(proj, transcript="northmoor_school_lead_interview",
                                        coder="ana")[0]
    assert name == "Expectations and motivation for taking part"  # ours kept
    assert any("code 'expectations' is defined differently there (name)" in c
               for c in report.conflicts)
    assert any("ana coded" in c and "merged into" in c for c in report.conflicts)
    assert widened["end"] == first["end"] + 20
    assert report.transcripts_added == ["northmoor_school_lead_interview (2)"]


def test_a_bad_other_project_leaves_ours_as_it_was(tmp_path, demo_path, run):
    before = _digest(demo_path)
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database", encoding="utf-8")
    result = run("merge", demo_path, bogus)
    assert result.exit_code == 1 and "not a qual-coder project" in result.output
    assert _digest(demo_path) == before
