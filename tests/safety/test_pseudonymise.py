"""Pseudonymisation: names found, reviewed, replaced in a copy with codings kept."""

from __future__ import annotations

import csv
import json

from qual_coder.storage import open_project


def test_propose_review_apply_and_export_only_from_the_copy(demo_path, tmp_path, run):
    names = tmp_path / "names.csv"
    result = run("pseudonymise", demo_path, "--propose", names)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(names.open()))
    found = {r["name"]: r for r in rows}
    assert found["Sarah Whitfield"]["replacement"] == found["Sarah"]["replacement"]
    assert found["Sarah"]["replacement"].startswith("[School lead")
    assert found["St Aidan's"]["kind"] == "school" if "St Aidan's" in found else True
    assert found["Northmoor Academy"]["kind"] == "school"
    assert found["Northmoor"]["replacement"].startswith("[Site")
    assert found["Dr Ellis"]["kind"] == "person" or "Ellis" in found
    # The reviewer keeps one name (blank replacement) and accepts the rest.
    for r in rows:
        if r["name"] == "Kemi":
            r["replacement"] = ""
    with names.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys())
        w.writeheader()
        w.writerows(rows)
    before = {g["id"]: g["text"] for g in json.loads(run("codings", demo_path, "--json").output)}
    copy = tmp_path / "pseudo.db"
    result = run("pseudonymise", demo_path, "--apply", names, "--to", copy)
    assert result.exit_code == 0, result.output
    after = {g["id"]: g["text"] for g in json.loads(run("codings", copy, "--json").output)}
    assert after.keys() == before.keys()
    with open_project(copy) as p:
        texts = " ".join(t for (t,) in p.conn.execute("SELECT text FROM transcripts"))
        people = {n for (n,) in p.conn.execute("SELECT name FROM participants")}
    for name in ("Sarah Whitfield", "Priya", "Northmoor Academy", "Eastbridge", "JAMES", "Jo:"):
        assert name not in texts
    assert "Kemi" in texts  # kept on review
    assert "Sarah Whitfield" not in people
    changed = [cid for cid in before if before[cid] != after[cid]]
    assert changed  # some coded excerpts named people or places...
    for cid in changed:  # ...and now read the same with the names replaced
        assert "[" in after[cid]
    unchanged = [cid for cid in before if before[cid] == after[cid]]
    assert len(unchanged) > len(changed)
    refused = run("quotes", demo_path, "--code", "networking")
    assert refused.exit_code == 1 and "pseudonymised copy" in refused.output
    allowed = run("quotes", copy, "--code", "networking")
    assert allowed.exit_code == 0 and "Northmoor" not in allowed.output
    assert run("pseudonymise", demo_path, "--allow-exports").exit_code == 0
    assert run("quotes", demo_path, "--code", "networking").exit_code == 0


def test_entities_from_a_recogniser_join_the_proposal():
    from qual_coder.core.pseudonyms import find_candidates

    found = {c.name: c for c in find_candidates(
        ["Mr Khan met Youth Space staff in Leeds. Youth Space was busy."],
        people=[], sites=[], entities=[("Youth Space", "org"), ("Leeds", "place"),
                                       ("Khan", "person")])}
    assert found["Youth Space"].replacement == "[Organisation A]"
    assert found["Youth Space"].occurrences == 2
    assert found["Leeds"].replacement == "[Place A]"
    assert found["Mr Khan"].kind == "person"  # the titled name, found by pattern


def test_no_trained_pipeline_means_no_ner_and_no_download():
    import spacy

    from qual_coder.services.pseudonymise import TRAINED, named_entities

    if any(spacy.util.is_package(n) for n in TRAINED):
        import pytest
        pytest.skip("a trained pipeline is installed here")
    assert named_entities(["Sarah met Mark in Leeds."]) == []
