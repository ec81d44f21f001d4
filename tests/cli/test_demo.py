"""The shipped demo corpus: what the README's first command opens."""

import json

from qual_coder.storage import open_project


def test_demo_corpus_meets_its_brief(demo_path, run):
    listing = json.loads(run("transcripts", demo_path, "--json").output)
    assert len(listing) >= 10
    assert sum(t["words"] for t in listing) >= 22_000  # words said: no labels or [laughs]
    assert sum(t["kind"] == "focus_group" for t in listing) >= 3
    assert len({t["site"] for t in listing}) >= 3
    with open_project(demo_path) as proj:
        formats = {r[0] for r in proj.conn.execute("SELECT DISTINCT format FROM transcripts")}
        types = {r[0] for r in proj.conn.execute(
            "SELECT DISTINCT stakeholder_type FROM participants WHERE stakeholder_type "
            "!= 'interviewer'")}
        unassigned = proj.conn.execute(
            "SELECT COUNT(*) FROM speakers WHERE participant_id IS NULL").fetchone()[0]
    assert {"text", "docx", "vtt"} <= formats
    assert len(types) >= 4
    assert unassigned == 0
    # A mixed focus group of school and CAMHS staff.
    mixed = [t for t in listing if t["kind"] == "focus_group" and
             {"school_staff", "nhs_cypmhs"} <= {s["stakeholder_type"] for s in t["speakers"]}]
    assert mixed
    # Every speaker the manifest names is a real speaker of the file: no stray labels.
    for t in listing:
        assert all(s["participant"] for s in t["speakers"]), t["name"]


def test_demo_refuses_to_overwrite_without_force(demo_path, run):
    result = run("demo", demo_path)
    assert result.exit_code == 1 and "--force" in result.output
