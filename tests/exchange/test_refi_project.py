"""REFI-QDA project exchange: the real NVivo and standard example files, other tools'
traps, our export validated by the official schema, and export -> import round trips."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import zipfile

import pytest
import xmlschema

from qual_coder import services
from qual_coder.errors import QualCoderError
from qual_coder.exchange.refi_project import read_qdpx
from qual_coder.services.exchange import import_qdpx
from qual_coder.storage import init_project, open_project
from tests.conftest import FIXTURES, SHARED
from tests.exchange import qdpx_files

QDPX = SHARED / "testdata" / "qdpx"
NVIVO = QDPX / "nvivo12-windows-oltas0517.qdpx"


def _need(path):
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")


def _codings(path) -> list[tuple]:
    """Each coding as the words it covers, its code's GUID, coder and GUID."""
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(
            'SELECT t.name, substr(t.text, g.start + 1, g."end" - g.start), g.start, g."end", '
            "k.guid, g.coder, g.guid FROM codings g JOIN transcripts t ON t.id = g.transcript_id "
            "JOIN codes k ON k.id = g.code_id WHERE g.status = 'final'"))


def _digest(path) -> str:
    with sqlite3.connect(path) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


# -- the real NVivo 12 export ----------------------------------------------------------

def test_nvivo_positions_are_utf16_units_with_crlf_and_land_on_the_words(project):
    _need(NVIVO)
    report = import_qdpx(project, NVIVO)
    assert report.codes_added == 152 and report.codings_added == 303
    assert set(report.positions.values()) == {"UTF-16 units"}
    assert report.not_carried == []
    rows = project.conn.execute(
        'SELECT t.text, g.start, g."end" FROM codings g JOIN transcripts t '
        "ON t.id = g.transcript_id").fetchall()
    text = rows[0][0]
    assert "\r" not in text and not text.startswith("\ufeff")
    # NVivo coded whole comments (lines) or sentences in them: codings must start and
    # end between words. Read as code points, only 20 of the 303 do (the rest drift
    # right by one character per emoji before them). Three selections in the file itself
    # begin or end inside a word ("J|avitsatok", "hiede|lem", "A|KI"), as their coder
    # dragged them; the one after each starts correctly, so nothing drifts.
    def between_words(i: int) -> bool:
        return i in (0, len(text)) or not (text[i - 1].isalnum() and text[i].isalnum())

    on_line = sum(1 for _, a, b in rows
                  if (a == 0 or text[a - 1] == "\n") and (b == len(text) or text[b] == "\n"))
    on_words = sum(1 for _, a, b in rows if between_words(a) and between_words(b)
                   and not text[a].isspace())
    assert on_line == 274 and on_words == 300
    first = project.conn.execute(
        'SELECT substr(t.text, g.start + 1, 34) FROM codings g JOIN transcripts t '
        "ON t.id = g.transcript_id WHERE g.guid = 'da50c6de-cd58-40da-a7e3-be4b82d7f00c'"
    ).fetchone()[0]
    assert first == "Senkit nem lehet kötelezni oltásra"
    coders = {r[0] for r in project.conn.execute("SELECT DISTINCT coder FROM codings")}
    assert coders == {"Gergo"}


def test_importing_the_same_project_twice_duplicates_nothing(project_path, run):
    _need(NVIVO)
    assert run("import", project_path, NVIVO).exit_code == 0
    before = _codings(project_path)
    result = run("import", project_path, NVIVO)
    assert result.exit_code == 0
    assert "0 codings added, 303 already present" in result.output
    assert _codings(project_path) == before


# -- the standard's own example ------------------------------------------------------

@pytest.mark.parametrize("name", ["refi-annex-a2-TestProject.qdpx", "refi-annex-a2-Project.qde"])
def test_standard_example_lists_what_it_cannot_carry(project_path, run, name):
    _need(QDPX / name)
    result = run("import", project_path, QDPX / name)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "14 codes added" in out and "2 notes as memos" in out
    for what in ("PDF source 'Pay de Lim", "video source '1994 Diet Coke",
                 "audio source 'Jeanine's Breakfast.m4a'", "picture source",
                 "set 'Video and Audio': 3 of its 3 sources not imported",
                 "code group 'negative feelings' (4 codes: \"rushed\", sleepy, disgust",
                 "1 graph (Netzwerk)", "1 link", "text source 'Simon.docx'"):
        assert what in out
    with open_project(project_path) as proj:
        memo = services.get_memo(proj, "project", None)
    assert "Research Plan" in memo and "dynamic team of researcher-developers" in memo
    # the note's own description is carried too, above its text
    assert "day to day log about this amazing project\n\nThis is a great project" in memo


# -- other tools' traps --------------------------------------------------------------

@pytest.mark.parametrize("quirk", [
    dict(),                                                     # NVivo: Sources/, BOM, CRLF
    dict(qde_name="ATLAS.ti project.qde", origin="ATLAS.ti 9"),  # ATLAS.ti's <name>.qde
    dict(folder="sources", extra={".root": b""}, origin="NVivo for Mac 12"),
    dict(sets="<Sets/>", origin="Taguette 1.4"),                # empty <Sets/>
    dict(color="#FF0000FF"),                                    # alpha channel
])
def test_other_tools_traps_import_and_land_on_the_words(tmp_path, project, quirk):
    path = tmp_path / "quirk.qdpx"
    path.write_bytes(qdpx_files.qdpx(**quirk))
    report = import_qdpx(project, path)
    assert report.codings_added == 1
    words = project.conn.execute(
        'SELECT substr(t.text, g.start + 1, g."end" - g.start), g.coder FROM codings g '
        "JOIN transcripts t ON t.id = g.transcript_id").fetchone()
    assert words == (qdpx_files.CODED, "Robin")
    color = project.conn.execute("SELECT color FROM codes").fetchone()[0]
    assert color == "#FF0000"


def test_a_tool_counting_code_points_is_recognised_too(tmp_path, project):
    text = qdpx_files.TEXT
    start = text.index(qdpx_files.CODED)
    path = tmp_path / "qualcoder.qdpx"
    path.write_bytes(qdpx_files.qdpx(origin="QualCoder 3.5", start=start,
                                     end=start + len(qdpx_files.CODED)))
    report = import_qdpx(project, path)
    assert report.positions == {"Sam interview": "code points"}
    words = project.conn.execute(
        'SELECT substr(t.text, g.start + 1, g."end" - g.start) FROM codings g '
        "JOIN transcripts t ON t.id = g.transcript_id").fetchone()[0]
    assert words == qdpx_files.CODED


# Explicit ids: a zip's bytes hold the time it was made, and test ids must be the same in
# every pytest-xdist worker.
@pytest.mark.parametrize("data, message", [
    (b"not a zip at all", "cannot open as a REFI-QDA project"),
    (qdpx_files.qdpx(qde_name="notes/readme.qde"), "no project.qde inside"),
], ids=["not-a-zip", "no-project-qde"])
def test_bad_archives_are_refused_and_the_project_is_unchanged(tmp_path, project_path, run,
                                                                data, message):
    before = _digest(project_path)
    path = tmp_path / "bad.qdpx"
    path.write_bytes(data)
    result = run("import", project_path, path)
    assert result.exit_code == 1
    assert str(path) in result.output and message in result.output
    assert _digest(project_path) == before


def test_a_schema_violation_names_the_line(tmp_path, project):
    qde = qdpx_files.project_qde().replace(b'isCodable="true" ', b"")
    path = tmp_path / "project.qde"
    path.write_bytes(qde)
    with pytest.raises(QualCoderError, match=r"project.qde line 5: does not follow the "
                                             r"REFI-QDA schema"):
        read_qdpx(path)


# -- our export ----------------------------------------------------------------------

def test_export_validates_against_the_official_schema(tmp_path, coded_demo, run):
    out = tmp_path / "demo.qdpx"
    result = run("export", coded_demo, out)
    assert result.exit_code == 0, result.output
    stored = len(_codings(coded_demo))
    assert f"{stored} codings" in result.output
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde")
        sources = re.findall(rb'<TextSource [^>]*plainTextPath="internal://([^"]+)"', qde)
        texts = [archive.read(f"sources/{n.decode()}").decode("utf-8") for n in sources]
    assert len(texts) == 18 and all(texts)
    schema = xmlschema.XMLSchema(str(FIXTURES / "refi-qda" / "Project.xsd"))
    schema.validate(qde)
    assert b"Strong exemplar." in qde and b"speaker labels" in qde


def test_export_then_import_gives_back_the_same_project(tmp_path, coded_demo, run):
    out = tmp_path / "demo.qdpx"
    run("export", coded_demo, out)
    fresh = tmp_path / "fresh.db"
    init_project(fresh).close()
    result = run("import", fresh, out)
    assert result.exit_code == 0, result.output
    assert _codings(fresh) == _codings(coded_demo)
    with open_project(coded_demo) as a, open_project(fresh) as b:
        memo = lambda p: sorted(  # noqa: E731
            (m["scope"], m["text"]) for m in services_memos(p))
        assert memo(a) == memo(b)
        people = lambda p: sorted(  # noqa: E731
            (r["name"], r["stakeholder_type"], r["role"], r["transcripts"], r["turns"])
            for r in participants(p))
        assert people(a) == people(b)
        assert [(c["key"], c["guid"]) for c in codes(a)] == [(c["key"], c["guid"])
                                                            for c in codes(b)]
        site = "SELECT name, site, kind FROM transcripts ORDER BY name"
        assert a.conn.execute(site).fetchall() == b.conn.execute(site).fetchall()
    # and exporting the imported project writes the same file, but for its name and date
    again = tmp_path / "again.qdpx"
    run("export", fresh, again)
    with zipfile.ZipFile(out) as x, zipfile.ZipFile(again) as y:
        assert sorted(x.namelist()) == sorted(y.namelist())
        header = re.compile(rb'<Project [^>]*>')  # its name and date differ
        assert header.sub(b"", x.read("project.qde")) == header.sub(b"", y.read("project.qde"))


def services_memos(project):
    from qual_coder.storage.code_rows import memos

    return memos(project.conn)


def participants(project):
    from qual_coder.storage.transcript_rows import participants as rows

    return rows(project.conn)


def codes(project):
    from qual_coder.storage.code_rows import all_codes

    return all_codes(project.conn)


def test_cases_become_participants_even_when_they_speak_nowhere(tmp_path, project):
    qde = qdpx_files.project_qde().replace(b"  <Sources>", b"""  <Variables>
    <Variable guid="6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d" name="role" typeOfVariable="Text"/>
  </Variables>
  <Cases><Case guid="9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f" name="Robin's school"/></Cases>
  <Sources>""")
    path = tmp_path / "project.qde"
    path.write_bytes(qde)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / f"{qdpx_files.SOURCE_GUID}.txt").write_text(
        qdpx_files.TEXT, encoding="utf-8")
    report = import_qdpx(project, path)
    assert report.participants == 1 and report.codings_added == 1
    names = {r[0] for r in project.conn.execute("SELECT name FROM participants")}
    assert "Robin's school" in names and "Sam" in names  # and the transcript's own speakers


def test_sets_of_sources_become_transcript_attributes(tmp_path, project, run):
    """MAXQDA's document sets and ATLAS.ti's document groups are how those users sort
    their documents: a "name: value" group sets that attribute, any other set is a value
    of "Set"; a group of codes is listed as not carried, with its codes."""
    member = f'<MemberSource targetGUID="{qdpx_files.SOURCE_GUID.upper()}"/>'
    sets = (f'<Sets><Set guid="0b0e0f10-1111-4a2b-8c3d-000000000001" name="ICLS 2024">{member}'
            f'</Set><Set guid="0b0e0f10-1111-4a2b-8c3d-000000000002" name="Wave 2">{member}</Set>'
            f'<Set guid="0b0e0f10-1111-4a2b-8c3d-000000000003" name="gender: female">{member}'
            '</Set><Set guid="0b0e0f10-1111-4a2b-8c3d-000000000004" name="Feelings">'
            f'<MemberCode targetGUID="{qdpx_files.CODE_GUID}"/></Set></Sets>')
    path = tmp_path / "sets.qdpx"
    path.write_bytes(qdpx_files.qdpx(sets=sets, origin="MAXQDA 24 (Release 24.7.0)"))
    result = run("import", project.path, path)
    assert result.exit_code == 0, result.output
    assert "Set = ICLS 2024; Wave 2 (1 transcript)" in result.output
    assert "gender = female (1 transcript)" in result.output
    assert "code group 'Feelings' (1 code: Referral routes) not carried" in result.output
    attributes = services_attributes(project.path)
    assert attributes == {"Set": "ICLS 2024; Wave 2", "gender": "female"}


def services_attributes(path) -> dict[str, str]:
    with open_project(path) as proj:
        return dict(proj.conn.execute(
            "SELECT name, value FROM attributes WHERE scope = 'transcript'"))


def archive(path, qde: str, files: dict) -> object:
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("project.qde", qde)
        for name, data in files.items():
            out.writestr(name, data)
    return path


def coded_words(project) -> list[tuple[str, str]]:
    """(the coded words, their transcript's GUID) of every coding."""
    return project.conn.execute(
        'SELECT substr(t.text, g.start + 1, g."end" - g.start), t.guid FROM codings g '
        "JOIN transcripts t ON t.id = g.transcript_id").fetchall()


PDF_TEXT = "Breakfast policy\n\nEvery pupil is offered a free breakfast before lessons.\n"


def test_a_pdf_comes_in_by_its_text_layer_with_the_codings_of_its_words(tmp_path, project):
    """ATLAS.ti and NVivo write a PDF's text as a <Representation> whose selections carry
    the codings of its words (and repeat them as page regions, same GUID): the PDF becomes
    a transcript under its own name and GUID; a coded region with no text selection is
    listed."""
    code = "9a1f0c2e-1111-4a2b-8c3d-00000000000c"
    pdf = "4b2c1d0e-2222-4a2b-8c3d-00000000000d"
    words = "a free breakfast"
    start = PDF_TEXT.index(words)
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="PDFs" origin="ATLAS.ti 23.4.0">
  <CodeBook><Codes><Code guid="{code}" name="Food" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <PDFSource guid="{pdf}" name="policy.pdf" path="internal://{pdf}.pdf">
      <PDFSelection guid="5c3d2e1f-3333-4a2b-8c3d-000000000001" page="0" firstX="10"
                    firstY="20" secondX="300" secondY="40" name="{words}">
        <Coding guid="6d4e3f20-4444-4a2b-8c3d-000000000001"><CodeRef targetGUID="{code}"/>
        </Coding>
      </PDFSelection>
      <PDFSelection guid="5c3d2e1f-3333-4a2b-8c3d-000000000002" page="1" firstX="10"
                    firstY="20" secondX="300" secondY="400" name="Quotation 1:2">
        <Coding guid="6d4e3f20-4444-4a2b-8c3d-000000000002"><CodeRef targetGUID="{code}"/>
        </Coding>
      </PDFSelection>
      <Representation guid="7e5f4031-5555-4a2b-8c3d-000000000001" name="Representation"
                      plainTextPath="internal://7e5f4031-5555-4a2b-8c3d-000000000001.txt">
        <PlainTextSelection guid="5c3d2e1f-3333-4a2b-8c3d-000000000001" name="{words}"
                            startPosition="{start}" endPosition="{start + len(words)}">
          <Coding guid="6d4e3f20-4444-4a2b-8c3d-000000000003"><CodeRef targetGUID="{code}"/>
          </Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
  </Sources>
</Project>
"""
    report = import_qdpx(project, archive(tmp_path / "pdfs.qdpx", qde, {
        f"sources/{pdf}.pdf": b"%PDF-1.4 not read",
        "sources/7e5f4031-5555-4a2b-8c3d-000000000001.txt": PDF_TEXT}))
    assert (report.transcripts_added, report.codings_added) == (["policy"], 1)
    assert coded_words(project) == [(words, pdf)]
    assert [n for n in report.not_carried if "page 1" in n and "Quotation 1:2" in n]


INTERVIEW = "Interviewer: How did the day start?\nAsha: With the breakfast club, at eight.\n"


def test_a_recordings_transcript_comes_in_with_codings_between_sync_points(tmp_path, project):
    """An interview kept as audio with its transcript (NVivo, MAXQDA): the transcript is
    imported with the coded selections that run between its sync points, under the
    recording's GUID so its case still finds it; the recording itself is listed."""
    code = "9a1f0c2e-1111-4a2b-8c3d-00000000000c"
    audio = "4b2c1d0e-2222-4a2b-8c3d-0000000000a1"
    case = "4b2c1d0e-2222-4a2b-8c3d-0000000000c1"
    words = "the breakfast club"
    start = INTERVIEW.index(words)
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Audio" origin="MAXQDA 24">
  <CodeBook><Codes><Code guid="{code}" name="Routines" isCodable="true"/></Codes></CodeBook>
  <Cases><Case guid="{case}" name="Asha"><SourceRef targetGUID="{audio}"/></Case></Cases>
  <Sources>
    <AudioSource guid="{audio}" name="Asha interview.m4a" path="internal://{audio}.m4a">
      <Transcript guid="7e5f4031-5555-4a2b-8c3d-0000000000b1" name="Asha interview"
                  plainTextPath="internal://7e5f4031-5555-4a2b-8c3d-0000000000b1.txt">
        <SyncPoint guid="8f605142-6666-4a2b-8c3d-000000000001" position="{start}"
                   timeStamp="4100"/>
        <SyncPoint guid="8f605142-6666-4a2b-8c3d-000000000002" position="{start + len(words)}"
                   timeStamp="5200"/>
        <TranscriptSelection guid="5c3d2e1f-3333-4a2b-8c3d-0000000000e1" name="club"
            fromSyncPoint="8f605142-6666-4a2b-8c3d-000000000001"
            toSyncPoint="8f605142-6666-4a2b-8c3d-000000000002">
          <Coding guid="6d4e3f20-4444-4a2b-8c3d-0000000000e1"><CodeRef targetGUID="{code}"/>
          </Coding>
        </TranscriptSelection>
      </Transcript>
      <AudioSelection guid="5c3d2e1f-3333-4a2b-8c3d-0000000000f1" begin="0" end="3000">
        <Coding guid="6d4e3f20-4444-4a2b-8c3d-0000000000f1"><CodeRef targetGUID="{code}"/>
        </Coding>
      </AudioSelection>
    </AudioSource>
  </Sources>
</Project>
"""
    report = import_qdpx(project, archive(tmp_path / "audio.qdpx", qde, {
        "sources/7e5f4031-5555-4a2b-8c3d-0000000000b1.txt": INTERVIEW}))
    assert (report.transcripts_added, report.codings_added) == (["Asha interview"], 1)
    assert coded_words(project) == [(words, audio)]
    assert report.participants == 1
    assert any("audio source 'Asha interview.m4a' (1 coded selections of the recording)" in n
               and "'Asha interview' imported" in n for n in report.not_carried)


def test_a_source_not_in_utf8_is_read_and_the_guess_is_said(tmp_path, project):
    text = "Interviewer: Caf\xe9 or canteen?\nSam: The caf\xe9, always \x93on time\x94.\n"
    path = tmp_path / "cp1252.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qdpx_files.project_qde(start=0, end=11))
        archive.writestr(f"sources/{qdpx_files.SOURCE_GUID}.txt", text.encode("latin-1"))
    report = import_qdpx(project, path)
    assert any("read as Windows-1252" in n for n in report.notes)
    stored = project.conn.execute("SELECT text FROM transcripts").fetchone()[0]
    assert "café, always “on time”" in stored


def test_a_source_with_only_its_word_file_comes_in_and_its_codings_are_listed(tmp_path,
                                                                              project):
    from docx import Document

    word = tmp_path / "source.docx"
    doc = Document()
    doc.add_paragraph("Interviewer: Where do you start?")
    doc.add_paragraph("Sam: Honestly, the referral route is a maze.")
    doc.save(word)
    qde = qdpx_files.project_qde(start=0, end=11).decode("utf-8").replace(
        f'plainTextPath="internal://{qdpx_files.SOURCE_GUID}.txt"',
        f'richTextPath="internal://{qdpx_files.SOURCE_GUID}.docx"')
    report = import_qdpx(project, archive(tmp_path / "word.qdpx", qde, {
        f"sources/{qdpx_files.SOURCE_GUID}.docx": word.read_bytes()}))
    assert report.transcripts_added == ["Sam interview"] and report.codings_added == 0
    assert any("1 coded selections not placed" in n for n in report.not_carried)
    assert any("read from its Word file" in n for n in report.notes)
    text = project.conn.execute("SELECT text FROM transcripts").fetchone()[0]
    assert "the referral route is a maze" in text
