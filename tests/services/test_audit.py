"""The audit trail: every coding action (undone ones marked), codebook change, import,
merge and decision, with who and when, oldest first; the CSV carries the same rows."""

from __future__ import annotations

import csv
import json

from qual_coder import services
from qual_coder.services.audit import audit_trail
from qual_coder.storage import init_project


def test_every_action_is_in_the_trail_with_who_and_when(project, tmp_path, monkeypatch, run):
    monkeypatch.setenv("QUAL_CODER_CODER", "ana")
    file = tmp_path / "one.txt"
    file.write_text("Interviewer: Why?\nAnn: Because the waiting list is long.\n")
    services.import_transcripts(project, [file])
    services.add_code(project, "waits", "Waiting", coder="ana")
    services.rename_code(project, "waits", "Waiting times", coder="ana")
    first = services.add_coding(project, "one", "waits", 18, 30, coder="ana")
    services.add_coding(project, "one", "waits", 35, 50, coder="ben")
    services.undo(project, coder="ana")
    services.set_memo(project, "transcript", "one", "Short interview.", author="ana")
    other = init_project(tmp_path / "other.db")
    other_file = tmp_path / "two.txt"
    other_file.write_text("Interviewer: And?\nBob: Nothing more.\n")
    services.import_transcripts(other, [other_file])
    other.close()
    from qual_coder.services.merge import merge_project

    merge_project(project, tmp_path / "other.db", coder="ana")
    rows = audit_trail(project)
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    what = [(r["what"], r["who"]) for r in rows]
    assert what.count(("coding", "ana")) == 1 and what.count(("coding", "ben")) == 1
    [mine] = [r for r in rows if r["what"] == "coding" and r["who"] == "ana"]
    assert mine["status"] == "undone" and "code waits" in mine["detail"] and first.id
    assert any(r["what"] == "codebook" and "renamed" in r["detail"] for r in rows)
    imports = [r for r in rows if r["what"] == "import"]
    # the merged project's own import comes with it
    assert [r["detail"].split(" from ")[0] for r in imports] == ["one", "two"]
    assert {r["who"] for r in imports} == {"ana"}
    assert any(r["what"] == "merge" and "other.db" in r["detail"] for r in rows)
    assert any(r["what"] == "memo" and "one" in r["detail"] for r in rows)
    path = project.path
    project.close()
    out = tmp_path / "trail.csv"
    assert run("audit", path, "-o", out).exit_code == 0
    with out.open(newline="") as f:
        from_csv = list(csv.DictReader(f))
    assert [dict(r) for r in from_csv] == [{k: str(v) for k, v in r.items()} for r in rows]
    as_json = json.loads(run("audit", path, "--format", "json").output)
    assert as_json == rows


def test_a_qdpx_import_is_one_event_not_transcripts_of_unknown_origin(demo_path, tmp_path):
    from qual_coder.services.exchange import export_qdpx, import_qdpx
    from qual_coder.storage import open_project

    out = tmp_path / "demo.qdpx"
    with open_project(demo_path) as p:
        export_qdpx(p, out)
    project = init_project(tmp_path / "fresh.db")
    try:
        import_qdpx(project, out, coder="ana")
        rows = audit_trail(project)
        imports = [r for r in rows if r["what"] == "import"]
        assert len(imports) == 1 and imports[0]["detail"].startswith("demo.qdpx")
        assert imports[0]["who"] == "ana"
        assert not any("not recorded" in r["detail"] for r in rows)
        # however long the import takes: its transcripts bear the time of its one event
        stored = {at for at, in project.conn.execute("SELECT imported_at FROM transcripts")}
        assert stored == {imports[0]["at"]}
    finally:
        project.close()
