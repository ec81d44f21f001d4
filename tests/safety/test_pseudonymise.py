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

    from qual_coder.nlp.entities import TRAINED, named_entities

    if any(spacy.util.is_package(n) for n in TRAINED):
        import pytest
        pytest.skip("a trained pipeline is installed here")
    assert named_entities(["Sarah met Mark in Leeds."]) == []


def _prepare_demo_for_leaks(demo_path, run, tmp_path):
    """The demo with everything that once kept names in a copy: a sentence cache and a
    learned model, suggestions with reasons, a code whose example quotes names, a memo,
    an undo log and a full-text index."""
    from qual_coder import services

    assert run("nlp", demo_path, "--train").exit_code == 0
    assert run("autocode", demo_path, "--transcripts", "eastbridge_school_staff_focus_group",
               "--min-score", "0.3").exit_code == 0
    with open_project(demo_path) as p:
        services.add_code(p, "amara_mark_jo", "Now it's Amara and Mark and Jo",
                          description="Eastbridge staff naming colleagues (Priya, Nadia)")
        services.set_memo(p, "transcript", "eastbridge_school_staff_focus_group",
                          "Nadia was late; eastbridge rescheduled", author="ana")
        services.add_coding(p, "eastbridge_school_staff_focus_group", "amara_mark_jo", 0, 40,
                            coder="ana")
    assert run("quotes", demo_path, "--code", "networking", "--search", "school").exit_code \
        in (0, 1)


def test_the_copy_holds_no_replaced_name_anywhere_in_its_bytes(demo_path, tmp_path, run):
    import re

    _prepare_demo_for_leaks(demo_path, run, tmp_path)
    names = tmp_path / "names.csv"
    assert run("pseudonymise", demo_path, "--propose", names).exit_code == 0
    rows = list(csv.DictReader(names.open()))
    mapping = {r["name"]: r["replacement"] for r in rows if r["replacement"]}
    assert {"Eastbridge", "Nadia", "Amara", "Kelsey Vale"} <= set(mapping), sorted(mapping)
    # schools said without "Primary" or "Academy" are proposed with their school's name
    for bare in ("Hilltop", "Parkside", "Orchard Lane", "Riverside", "Southfield"):
        assert mapping[bare] == next(v for k, v in mapping.items()
                                     if k.startswith(bare + " ")), bare
    copy = tmp_path / "shared" / "pseudo.db"
    copy.parent.mkdir()
    result = run("pseudonymise", demo_path, "--apply", names, "--to", copy)
    assert result.exit_code == 0, result.output
    assert [p.name for p in copy.parent.iterdir()] == ["pseudo.db"]  # no -wal, no partial
    raw = copy.read_bytes().decode("utf-8", errors="replace")
    with open_project(demo_path) as p:
        original = " ".join(t for (t,) in p.conn.execute("SELECT text FROM transcripts"))
    leaks = {}
    for name in mapping:
        # every form: words joined by spaces, underscores or hyphens ("kelsey_vale")
        form = r"[\s_\-]+".join(re.escape(w) for w in name.split())
        exact = re.findall(rf"(?<![0-9A-Za-z]){form}(?![0-9A-Za-z])", raw)
        # In another case too, unless the original's text uses that word as a common word
        # ("mark the register") rather than as a name.
        common = re.search(rf"(?<![0-9A-Za-z]){re.escape(name.lower())}(?![0-9A-Za-z])",
                           original)
        loose = [] if common else re.findall(
            rf"(?<![0-9A-Za-z]){form}(?![0-9A-Za-z])", raw, flags=re.I)
        if exact or loose:
            leaks[name] = exact + loose
    assert leaks == {}
    # Still a working project: codings on the same (renamed) words, suggestions rebuildable.
    assert run("summary", copy).exit_code == 0
    assert run("suggest", copy, "1").exit_code == 0


KILLED = r"""
import sys
from pathlib import Path
from qual_coder.services import pseudonymise as ps
real = ps._pseudonymise
def slow(conn, mapping):
    n = real(conn, mapping)
    print("written", flush=True)
    import time; time.sleep(60)
    return n
ps._pseudonymise = slow
ps.apply(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
"""


def test_a_killed_apply_leaves_no_copy_and_can_be_run_again(demo_path, tmp_path, run):
    import signal
    import subprocess
    import sys

    names = tmp_path / "names.csv"
    assert run("pseudonymise", demo_path, "--propose", names).exit_code == 0
    copy = tmp_path / "out" / "pseudo.db"
    copy.parent.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", KILLED, demo_path, names, copy],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # the copy was being rewritten in memory: no file at all, let alone one with names
    assert list(copy.parent.iterdir()) == []
    result = run("pseudonymise", demo_path, "--apply", names, "--to", copy)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in copy.parent.iterdir()) == ["pseudo.db"]
    with open_project(copy) as p:
        assert p.setting("pseudonymised") == "yes"


def test_the_guard_travels_with_a_merge_and_printing_commands_say_so(demo_path, tmp_path,
                                                                     run):
    names = tmp_path / "names.csv"
    assert run("pseudonymise", demo_path, "--propose", names).exit_code == 0
    assert run("pseudonymise", demo_path, "--apply", names, "--to",
               tmp_path / "copy.db").exit_code == 0
    fresh = tmp_path / "fresh.db"
    assert run("init", fresh).exit_code == 0
    merged = run("merge", fresh, demo_path)
    assert merged.exit_code == 0 and "pseudonymised copy" in merged.output
    refused = run("quotes", fresh, "--code", "networking")
    assert refused.exit_code == 1 and "pseudonymised copy" in refused.output
    for args in (("show", fresh, "1"), ("codings", fresh, "--json")):
        shown = run(*args)
        assert shown.exit_code == 0
        assert "notice:" in shown.stderr and "original names" in shown.stderr


def test_the_name_list_is_its_owners_only(demo_path, tmp_path, run):
    import os
    import stat

    names = tmp_path / "names.csv"
    assert run("pseudonymise", demo_path, "--propose", names).exit_code == 0
    assert stat.S_IMODE(os.stat(names).st_mode) == 0o600
