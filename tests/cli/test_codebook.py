"""`qual-coder codebook ...`: loading, reloading, growing and reshaping codebooks."""

import json
import zipfile
from pathlib import Path

import xmlschema
from lxml import etree

from tests.conftest import FIXTURES, REPO, SHARED, snapshot_db

CASCADE = REPO / "codebooks" / "cascade.yaml"
LAR = REPO / "codebooks" / "local_area_review.yaml"


def tree(run, path):
    return json.loads(run("codebook", "tree", path, "--json").output)


def test_two_codebooks_side_by_side_with_counts(project_path, run):
    assert run("codebook", "load", project_path, CASCADE).exit_code == 0
    assert run("codebook", "load", project_path, LAR).exit_code == 0
    codes = tree(run, project_path)
    assert codes[0] == {"key": "clarity_roles", "name": codes[0]["name"], "parent": None,
                        "origin": "deductive", "codings": 0, "codebook": "cascade"}
    assert {c["codebook"] for c in codes} == {"cascade", "local_area_review"}
    assert next(c for c in codes if c["key"] == "networking")["parent"] == "implementation"


def test_reloading_an_edited_file_updates_by_key_and_keeps_codings(
        tmp_path, project_path, run):
    (tmp_path / "t.txt").write_text("Interviewer: Who?\nSam: We have a named link worker now.\n")
    run("import", project_path, tmp_path / "t.txt")
    run("codebook", "load", project_path, CASCADE)
    assert run("code", project_path, "t", "--quote", "named link worker",
               "--code", "agreed_contact").exit_code == 0
    edited = tmp_path / "cascade.yaml"
    edited.write_text(CASCADE.read_text().replace(
        "name: Agreed best use of key points of contact in schools and CYP mental health services",
        "name: Agreed points of contact").replace(
        "- key: evidence_based", "- key: new_domain\n  name: New domain\n  origin: inductive\n"
        "- key: evidence_based"))
    result = run("codebook", "load", project_path, edited)
    assert result.exit_code == 0, result.output
    assert "1 code added, 1 changed" in result.output
    assert "changed agreed_contact: name" in result.output
    codes = {c["key"]: c for c in tree(run, project_path)}
    assert codes["agreed_contact"]["name"] == "Agreed points of contact"
    assert codes["agreed_contact"]["codings"] == 1
    assert "new_domain" in codes
    history = json.loads(run("codebook", "history", project_path, "agreed_contact",
                             "--json").output)
    assert [h["action"] for h in history] == ["created", "updated from file"]


def test_add_rename_move_merge_split_delete_with_history(tmp_path, project_path, run):
    (tmp_path / "t.txt").write_text(
        "Interviewer: And release time?\n"
        "Gemma: We can't get cover. Supply costs money. The head almost said no.\n")
    run("import", project_path, tmp_path / "t.txt")
    run("codebook", "load", project_path, LAR)
    r = run("codebook", "add", project_path, "release_time", "--name", "Release time",
            "--parent", "who_attended", "--coder", "ana")
    assert r.exit_code == 0 and "inductive" in r.output
    run("codebook", "add", project_path, "cover_costs", "--name", "Cover costs", "--coder", "ana")
    for quote, key in (("We can't get cover.", "release_time"),
                       ("We can't get cover. Supply costs money.", "cover_costs"),
                       ("The head almost said no.", "cover_costs")):
        assert run("code", project_path, "t", "--quote", quote, "--code", key,
                   "--coder", "ana").exit_code == 0
    assert run("codebook", "rename", project_path, "release_time", "Release time and cover",
               "--coder", "ana").exit_code == 0
    bad = run("codebook", "move", project_path, "design_setup", "--parent", "who_attended")
    assert bad.exit_code == 1 and "itself or one of its own children" in bad.output
    assert run("codebook", "move", project_path, "cover_costs", "--parent",
               "timescale_capacity").exit_code == 0
    merged = run("codebook", "merge", project_path, "release_time", "cover_costs",
                 "--coder", "ana")
    assert merged.exit_code == 0, merged.output
    assert "1 coding moved, 1 duplicate collapsed" in merged.output
    listing = json.loads(run("codings", project_path, "--json").output)
    assert [(g["code"], g["text"]) for g in listing] == [
        ("cover_costs", "We can't get cover. Supply costs money."),
        ("cover_costs", "The head almost said no.")]
    split = run("codebook", "split", project_path, "cover_costs", "head_reluctance",
                "--coding", listing[1]["id"], "--name", "Head's reluctance")
    assert split.exit_code == 0, split.output
    codes = {c["key"]: c for c in tree(run, project_path)}
    assert codes["head_reluctance"]["parent"] == "timescale_capacity"
    assert codes["head_reluctance"]["codings"] == 1 and codes["cover_costs"]["codings"] == 1
    refused = run("codebook", "delete", project_path, "cover_costs")
    assert refused.exit_code == 1 and "has 1 coding;" in refused.output
    forced = run("codebook", "delete", project_path, "cover_costs", "--force")
    assert "deleted cover_costs and its 1 coding" in forced.output
    actions = [(h["code"], h["action"]) for h in json.loads(
        run("codebook", "history", project_path, "--json").output) if h["coder"] == "ana"]
    assert actions[:2] == [("release_time", "created"), ("cover_costs", "created")]
    assert ("release_time", "renamed") in actions and ("release_time", "merged") in actions


def test_export_yaml_round_trip_and_qdc_validates(tmp_path, project_path, run):
    run("codebook", "load", project_path, CASCADE)
    run("codebook", "load", project_path, LAR)
    refused = run("codebook", "export", project_path, tmp_path / "both.yaml")
    assert refused.exit_code == 1 and "--codebook" in refused.output
    out = tmp_path / "lar.yaml"
    assert run("codebook", "export", project_path, out, "--codebook",
               "local_area_review").exit_code == 0
    other = tmp_path / "other.db"
    run("init", other)
    run("codebook", "load", other, out)
    out2 = tmp_path / "lar2.yaml"
    run("codebook", "export", other, out2, "--codebook", "local_area_review")
    assert out.read_bytes() == out2.read_bytes()
    qdc = tmp_path / "all.qdc"
    assert run("codebook", "export", project_path, qdc).exit_code == 0
    xmlschema.XMLSchema(str(FIXTURES / "refi-qda" / "Codebook.xsd")).validate(str(qdc))


def test_qdc_import_and_guid_matching_on_reimport(tmp_path, project_path, run):
    qdc = FIXTURES / "qdc" / "nvivo.qdc"
    assert run("codebook", "load", project_path, qdc, "--key", "nvivo").exit_code == 0
    renamed = tmp_path / "nvivo.qdc"
    renamed.write_text(qdc.read_text().replace('name="Referral routes"',
                                               'name="Referral pathways"'))
    result = run("codebook", "load", project_path, renamed, "--key", "nvivo")
    assert result.exit_code == 0, result.output
    codes = tree(run, project_path)
    assert [(c["key"], c["name"]) for c in codes] == [
        ("themes", "Themes"), ("referral_routes", "Referral pathways")]


def test_real_nvivo_codebook_imports_with_its_hierarchy(tmp_path, project_path, run):
    qdpx = SHARED / "testdata" / "qdpx" / "nvivo12-windows-oltas0517.qdpx"
    if not qdpx.exists():
        import pytest
        pytest.skip("../shared/testdata is not beside this checkout")
    with zipfile.ZipFile(qdpx) as z:
        root = etree.fromstring(z.read("project.qde"))
    ns = "urn:QDA-XML:project:1.0"
    book = root.find(f"{{{ns}}}CodeBook")
    xml = etree.tostring(book).decode().replace(ns, "urn:QDA-XML:codebook:1.0")
    path = tmp_path / "nvivo_real.qdc"
    path.write_text(xml)
    result = run("codebook", "load", project_path, path)
    assert result.exit_code == 0, result.output
    codes = tree(run, project_path)
    assert len(codes) == len(book.findall(f".//{{{ns}}}Code")) == 152
    assert sum(1 for c in codes if c["parent"]) > 100


def test_bad_codebook_files_leave_the_project_unchanged(tmp_path, project_path, run):
    run("codebook", "load", project_path, CASCADE)
    before = snapshot_db(project_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: bad\ncodes:\n  - key: a\n    name: A\n    parent: ghost\n")
    result = run("codebook", "load", project_path, bad)
    assert result.exit_code == 1 and "bad.yaml: line 3" in result.output
    notxml = tmp_path / "broken.qdc"
    notxml.write_text("<CodeBook")
    result = run("codebook", "load", project_path, notxml)
    assert result.exit_code == 1 and "broken.qdc line 1" in result.output
    clash = tmp_path / "clash.yaml"
    clash.write_text("key: clash\ncodes:\n  - key: ok_code\n    name: Fine\n"
                     "  - key: clarity_roles\n    name: Stolen key\n")
    result = run("codebook", "load", project_path, clash)
    assert result.exit_code == 1 and "already belongs to codebook 'cascade'" in result.output
    assert snapshot_db(project_path) == before
    assert run("codebook", "load", project_path, Path("nope.yaml")).exit_code == 1


def test_a_codebook_saved_by_an_old_editor_loads_with_its_encoding_named(run, project_path,
                                                                        tmp_path):
    """A YAML codebook in Windows-1252 (Notepad before 2019) is read as every text file is:
    its accents and quotes right, the encoding named, nothing refused."""
    book = tmp_path / "legacy.yaml"
    book.write_bytes("key: legacy\nname: Legacy\ncodes:\n  - key: cafe\n    name: Café culture\n"
                     "    description: “Drop-in” sessions – the school’s own\n".encode("cp1252"))
    result = run("codebook", "load", project_path, book)
    assert result.exit_code == 0, result.output
    assert "Windows-1252" in result.output and "legacy.yaml" in result.output
    codes = json.loads(run("codebook", "tree", project_path, "--json").output)
    assert next(c["name"] for c in codes if c["key"] == "cafe") == "Café culture"
