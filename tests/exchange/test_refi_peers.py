"""What peers need from our .qdpx and what we must take from theirs (issue 15): memos
where QualCoder, NVivo and MAXQDA read them, dated Notes with their text in a file,
descriptions read as memos, sources of identical text kept apart, older namespaces,
documents not split into invented speakers, code groups listed, UTF-16 positions,
GUIDs and keys carried invisibly, and Taguette's CSV codebooks."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from lxml import etree

from qual_coder import services
from qual_coder.exchange.refi_codebook import read_qdc
from qual_coder.services.exchange import export_qdpx, import_qdpx
from qual_coder.storage import init_project, open_project
from qual_coder.storage.code_rows import memos as stored_memos
from tests.exchange import qdpx_files

ROOT = Path(__file__).resolve().parents[2]

Q = "{urn:QDA-XML:project:1.0}"


def exported(project_path, tmp_path, **options):
    out = tmp_path / "out.qdpx"
    with open_project(project_path) as proj:
        result = export_qdpx(proj, out, **options)
    archive = zipfile.ZipFile(out)
    return result, archive, etree.fromstring(archive.read("project.qde"))


def test_memos_sit_where_qualcoder_reads_them(coded_demo, tmp_path):
    _, archive, root = exported(coded_demo, tmp_path)
    names = set(archive.namelist())
    # QualCoder's import reads each Note's date (creationDateTime or modifiedDateTime),
    # takes journals only from Notes that have a name and a plainTextPath file, and
    # reads source, coding and project memos from <Description>.
    notes = root.findall(f"{Q}Notes/{Q}Note")
    assert notes
    for note in notes:
        assert note.get("creationDateTime") and note.get("modifiedDateTime")
        assert note.get("name") and note.get("creatingUser")
        path = note.get("plainTextPath")
        assert path.startswith("internal://") and f"sources/{path[11:]}" in names
        text = archive.read(f"sources/{path[11:]}").decode()
        assert text == note.findtext(f"{Q}PlainTextContent")
    descriptions = [d.text for d in root.iter(f"{Q}Description")]
    assert "Recorded on site." in descriptions  # TextSource
    assert "Strong exemplar." in descriptions  # PlainTextSelection
    assert root.findtext(f"{Q}Description") == "Framework agreed at the March meeting."
    # no invisible bookkeeping shown to a peer: no "Key:" lines, no invented colours
    assert not any(d and "Key: " in d for d in descriptions)
    given = sum(p.read_text().count("color:") for p in (ROOT / "codebooks").glob("*.yaml"))
    assert len([c for c in root.iter(f"{Q}Code") if c.get("color")]) == given
    keys = json.loads(archive.read("qual-coder.json"))
    assert "clarity_on_roles" in keys["codes"].values() or len(keys["codes"]) > 10


def test_export_round_trip_keeps_memos_keys_and_guids(coded_demo, tmp_path):
    _, archive, _ = exported(coded_demo, tmp_path)
    fresh = tmp_path / "fresh.db"
    init_project(fresh).close()
    with open_project(fresh) as proj:
        import_qdpx(proj, tmp_path / "out.qdpx")
    with open_project(coded_demo) as a, open_project(fresh) as b:
        def memos(p):
            return sorted((m["scope"], m["text"]) for m in stored_memos(p.conn))
        assert memos(a) == memos(b)
        assert a.conn.execute("SELECT key, guid FROM codes ORDER BY key").fetchall() == \
            b.conn.execute("SELECT key, guid FROM codes ORDER BY key").fetchall()


def test_descriptions_from_other_tools_become_memos(tmp_path, project):
    qde = qdpx_files.project_qde().replace(b'<PlainTextSelection guid="2d3e',
                      b'<Description>Sam was nervous.</Description>\n'
                      b'      <PlainTextSelection guid="2d3e')
    qde = qde.replace(b'creatingUser="1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d">\n        <Coding',
                      b'creatingUser="1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d">\n'
                      b'        <Description>Key moment.</Description>\n        <Coding')
    qde = qde.replace(b"</Project>", b"<Description>Pilot study.</Description>\n</Project>")
    path = tmp_path / "project.qde"
    path.write_bytes(qde)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / f"{qdpx_files.SOURCE_GUID}.txt").write_text(qdpx_files.TEXT)
    report = import_qdpx(project, path)
    assert report.memos == 3
    memos = {(r[0], r[1]) for r in project.conn.execute("SELECT scope, text FROM memos")}
    assert memos == {("transcript", "Sam was nervous."), ("coding", "Key moment."),
                     ("project", "Pilot study.")}


def _two_sources(text: str) -> bytes:
    sources = "".join(
        f'<TextSource guid="{g}" name="{n}" plainTextPath="internal://{g}.txt"/>'
        for g, n in (("AAAAAAAA-0000-4000-8000-000000000001", "Abstract one"),
                     ("AAAAAAAA-0000-4000-8000-000000000002", "Abstract two")))
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1:0" '
           f'name="Papers" origin="MAXQDA 24"><Sources>{sources}</Sources></Project>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("project.qde", qde)
        for n in (1, 2):
            z.writestr(f"sources/AAAAAAAA-0000-4000-8000-00000000000{n}.txt", text)
    return out.getvalue()


ABSTRACT = ("Background: children wait months for support.\n"
            "Model 1: school-based link workers.\nLevel 1: universal provision.\n"
            "Model 1: results were mixed.\nLevel 1: staff training.\nT: twelve schools.\n")


def test_identical_sources_stay_apart_and_documents_are_not_split_into_speakers(
        tmp_path, project):
    path = tmp_path / "papers.qdpx"
    path.write_bytes(_two_sources(ABSTRACT))  # also: the older 1:0 namespace
    report = import_qdpx(project, path)
    assert sorted(report.transcripts_added) == ["Abstract one", "Abstract two"]
    assert any("1:0" in n for n in report.notes)
    labels = {r[0] for r in project.conn.execute("SELECT label FROM speakers")}
    people = {r[0] for r in project.conn.execute("SELECT name FROM participants")}
    assert labels == set() and people == set()  # no "Model 1", "Level 1", "T"


def test_speakers_are_split_when_asked(tmp_path, project):
    path = tmp_path / "papers.qdpx"
    path.write_bytes(_two_sources(ABSTRACT))
    import_qdpx(project, path, speakers=True)
    labels = {r[0] for r in project.conn.execute("SELECT label FROM speakers")}
    assert {"Model 1", "Level 1"} <= labels


def test_source_guids_and_case_come_back_unchanged(tmp_path, project):
    path = tmp_path / "papers.qdpx"
    path.write_bytes(_two_sources(ABSTRACT))
    import_qdpx(project, path)
    out = tmp_path / "back.qdpx"
    export_qdpx(project, out)
    qde = zipfile.ZipFile(out).read("project.qde").decode()
    assert 'guid="AAAAAAAA-0000-4000-8000-000000000001"' in qde
    assert 'guid="AAAAAAAA-0000-4000-8000-000000000002"' in qde


def test_utf16_positions_for_nvivo(tmp_path, project):
    path = tmp_path / "q.qdpx"
    path.write_bytes(qdpx_files.qdpx())
    report = import_qdpx(project, path)
    assert report.positions["Sam interview"].startswith("UTF-16")
    out = tmp_path / "back.qdpx"
    result = export_qdpx(project, out)
    assert any("--positions utf16" in w for w in result["warnings"])
    text = qdpx_files.TEXT.replace("\r\n", "\n")
    points = (text.index("referral route"), text.index("referral route") + 14)
    sel = re.search(r'startPosition="(\d+)" endPosition="(\d+)"',
                    zipfile.ZipFile(out).read("project.qde").decode())
    assert (int(sel[1]), int(sel[2])) == points
    export_qdpx(project, out, positions="utf16")
    sel = re.search(r'startPosition="(\d+)" endPosition="(\d+)"',
                    zipfile.ZipFile(out).read("project.qde").decode())
    assert (int(sel[1]), int(sel[2])) == (points[0] + 1, points[1] + 1)  # the emoji is 2 units


def test_duplicate_code_names_are_warned(tmp_path, project):
    services.add_code(project, "support", "Support")
    services.add_code(project, "support_2", "support", parent="support")
    result = export_qdpx(project, tmp_path / "d.qdpx")
    assert any("sharing a name" in w and "support_2" in w for w in result["warnings"])


def test_older_codebook_namespaces_and_code_groups(tmp_path):
    for ns in ("urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4"):
        path = tmp_path / "old.qdc"
        path.write_text(
            f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{ns}"><Codes>'
            '<Code guid="C0DE0000-0000-4000-8000-000000000001" name="Access" isCodable="true"/>'
            '<Code guid="C0DE0000-0000-4000-8000-000000000002" name="Trust" isCodable="true"/>'
            '</Codes><Sets><Set guid="5E700000-0000-4000-8000-000000000001" name="Barriers">'
            '<MemberCode guid="C0DE0000-0000-4000-8000-000000000001"/>'
            '<MemberCode guid="C0DE0000-0000-4000-8000-000000000002"/></Set></Sets>'
            '</CodeBook>')
        book, notes = read_qdc(path)
        assert [c.name for c in book.codes] == ["Access", "Trust"]
        assert any("code group 'Barriers' (2 codes: Access, Trust)" in n for n in notes)


def test_taguette_csv_codebook_round_trip(tmp_path, run, project_path):
    csv_in = tmp_path / "taguette.csv"
    csv_in.write_text("tag,description,number of highlights\n"
                      "interesting,Things that stand out,4\n"
                      "people/teachers,School staff,2\n"
                      "people/clinicians,,0\n")
    result = run("codebook", "load", project_path, csv_in)
    assert result.exit_code == 0, result.output
    tree = json.loads(run("codebook", "tree", project_path, "--json").output)
    assert [(c["name"], c["parent"]) for c in tree] == [
        ("interesting", None), ("people", None), ("teachers", "people"),
        ("clinicians", "people")]
    out = tmp_path / "out.csv"
    assert run("codebook", "export", project_path, out).exit_code == 0
    assert out.read_text().splitlines() == [
        "tag,description", "interesting,Things that stand out", "people,",
        "people/teachers,School staff", "people/clinicians,"]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,description\nx,y\n")
    result = run("codebook", "load", project_path, bad)
    assert result.exit_code == 1 and "row 1: no 'tag' column" in result.output


def test_a_code_path_a_peer_cannot_take_is_reported_on_export(demo_path, tmp_path, run):
    from qual_coder import services
    from qual_coder.storage import open_project

    with open_project(demo_path) as p:
        services.add_code(p, "long_one", "A very long inductive code name " * 7,
                          parent="design_setup", coder="ana")
    result = run("export", demo_path, tmp_path / "out.qdpx")
    assert result.exit_code == 0
    assert "code 'long_one'" in result.output and "200 Taguette takes" in result.output


def test_a_peer_attributing_by_case_selections_counts_as_qual_coder_does(demo_path, tmp_path,
                                                                         run):
    """Each case refers to its turns (SelectionRef to a selection of the source), so a
    peer that attributes a coding to the cases whose turns it overlaps finds, per leaf
    code and stakeholder type, the same participants as qual-coder's matrix."""
    import json
    import xml.etree.ElementTree as ET
    import zipfile

    out = tmp_path / "demo.qdpx"
    assert run("export", demo_path, out).exit_code == 0
    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(out) as z:
        root = ET.fromstring(z.read("project.qde"))
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", ns)}
    spans, codings = {}, []
    for src in root.iterfind(".//q:TextSource", ns):
        for sel in src.iterfind("q:PlainTextSelection", ns):
            a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
            spans[sel.get("guid")] = (src.get("guid"), a, b)
            for ref in sel.iterfind("q:Coding/q:CodeRef", ns):
                codings.append((ref.get("targetGUID"), src.get("guid"), a, b))
    cases = []
    for case in root.iterfind(".//q:Case", ns):
        stype = next((vv.findtext("q:TextValue", namespaces=ns) for vv in
                      case.iterfind("q:VariableValue", ns) if variables.get(
                          vv.find("q:VariableRef", ns).get("targetGUID")) == "stakeholder_type"),
                     None)
        turns = [spans[r.get("targetGUID")] for r in case.iterfind("q:SelectionRef", ns)]
        cases.append((case.get("name"), stype, turns))
    assert any(turns for _, _, turns in cases)
    code_key = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", ns)}
    peer: dict[tuple[str, str], set[str]] = {}
    for code_guid, source, a, b in codings:
        for name, stype, turns in cases:
            if stype and stype != "interviewer" and any(
                    s == source and ta < b and a < tb for s, ta, tb in turns):
                peer.setdefault((code_key[code_guid], stype), set()).add(name)
    m = json.loads(run("matrix", demo_path, "--cols", "stakeholder_type", "--measure",
                       "participants", "--json").output)
    tree = json.loads(run("codebook", "tree", demo_path, "--json").output)
    parents = {c["parent"] for c in tree}  # leaf codes: a peer does not roll codes up
    for r, name, row in zip(m["rows"], m["row_names"], m["cells"], strict=True):
        if r == "Total" or r in parents:
            continue
        for col, n in zip(m["cols"], row, strict=True):
            if col != "Total":
                assert len(peer.get((name, col), set())) == n, (name, col)


def test_comments_among_the_sources_are_passed_over(tmp_path, project):
    """An XML comment is an element to lxml, with no name: one between the sources, or
    in a recording beside its selections, is neither a source nor a selection."""
    qde = qdpx_files.project_qde().replace(
        b"<Sources>", b"<Sources><!-- exported for the team -->").replace(
        b"</TextSource>",
        b'</TextSource><AudioSource guid="9f1e2d3c-4b5a-4697-8876-5a4b3c2d1e0f" '
        b'name="Sam recording" path="internal://sam.m4a"><!-- no selections yet -->'
        b"</AudioSource>")
    path = tmp_path / "q.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"Sources/{qdpx_files.SOURCE_GUID}.txt",
                         qdpx_files.TEXT.encode("utf-8"))
    report = import_qdpx(project, path)
    assert [t[0] for t in project.conn.execute("SELECT name FROM transcripts")] == [
        "Sam interview"]
    assert any("Sam recording" in n and "(0 coded selections" in n for n in report.not_carried)
