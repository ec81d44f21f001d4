"""Every real REFI-QDA file in ../shared/testdata/qdpx, and any added there later (a
MAXQDA, ATLAS.ti or QualCoder export): nothing is lost without a word, and what came in
goes out again as a file the schema accepts and this tool reads back the same.

The file is read here independently of our reader (ElementTree over the .qde) to list
what it holds; the import must store each thing or name it among what it could not carry.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema

from qual_coder.services.exchange import export_qdpx, import_qdpx
from qual_coder.storage import init_project, open_project
from tests.conftest import FIXTURES, SHARED

QDPX = SHARED / "testdata" / "qdpx"
NS = "{urn:QDA-XML:project:1.0}"
REAL = sorted(p for p in QDPX.glob("*") if p.suffix.lower() in (".qdpx", ".qde")) \
    if QDPX.is_dir() else []


def _root(path: Path) -> ET.Element:
    if path.suffix.lower() == ".qde":
        return ET.parse(path).getroot()
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
        return ET.fromstring(archive.read(name))


def _attr(el: ET.Element, name: str) -> str:
    """An attribute the schema requires (the files validate), as text."""
    value = el.get(name)
    assert value is not None, (el.tag, name)
    return value


def _held(root: ET.Element) -> dict:
    """What the file holds: code GUIDs, codings with their source's name, the notes'
    texts and descriptions with the sources that refer to them, and the descriptions
    of sources and their selections."""
    sources = [el for el in root.iter() if el.tag.endswith("Source")
               and el.tag != NS + "NoteRef"]
    notes = {_attr(n, "guid").lower(): [t.strip() for t in (
        n.findtext(NS + "PlainTextContent") or "", n.findtext(NS + "Description") or "")
        if t.strip()] for n in root.iter(NS + "Note")}
    referring: dict[str, set[str]] = {}
    for src in sources:
        for ref in src.iter(NS + "NoteRef"):
            referring.setdefault(_attr(ref, "targetGUID").lower(), set()).add(
                _attr(src, "name"))
    return dict(
        codes={_attr(c, "guid").lower(): (c.findtext(NS + "Description") or "").strip()
               for c in root.iter(NS + "Code")},
        codings=[(_attr(c, "guid").lower(), _attr(src, "name"))
                 for src in sources for c in src.iter(NS + "Coding")],
        notes=notes, referring=referring,
        described=[(src.get("name"), (d.text or "").strip()) for src in sources
                   for d in src.iter(NS + "Description") if (d.text or "").strip()]
        + [(None, (d.text or "").strip()) for d in root.findall(NS + "Description")
           if (d.text or "").strip()])  # the project's own


def _stored(path: Path) -> dict:
    with sqlite3.connect(path) as conn:
        return dict(
            codes={(g or "").lower(): d for g, d in conn.execute(
                "SELECT guid, description FROM codes")},
            books={(g or "").lower() for (g,) in conn.execute("SELECT guid FROM codebooks")},
            codings={g.lower(): (a, b, len(t)) for g, a, b, t in conn.execute(
                'SELECT g.guid, g.start, g."end", t.text FROM codings g '
                "JOIN transcripts t ON t.id = g.transcript_id")},
            memos="\n".join(t for (t,) in conn.execute("SELECT text FROM memos")))


@pytest.mark.parametrize("path", REAL or [pytest.param(
    None, marks=pytest.mark.skip(reason="../shared/testdata/qdpx is not beside this checkout"))],
    ids=lambda p: p.name if p else "none")
def test_a_real_project_loses_nothing_without_a_word(path, tmp_path):
    held = _held(_root(path))
    first = tmp_path / "first.db"
    with init_project(first) as project:
        report = import_qdpx(project, path)
    stored = _stored(first)
    listed = "\n".join(report.not_carried)

    def carried_not(source: str | None) -> bool:
        return source is not None and f"'{source}'" in listed

    # every code, with its description
    for guid, description in held["codes"].items():
        assert guid in stored["codes"] or guid in stored["books"], guid
        if guid in stored["codes"] and description:
            assert " ".join(description.split()) in " ".join(stored["codes"][guid].split())
    # every coding, on the words of its transcript, or its source named as not carried
    for guid, source in held["codings"]:
        assert guid in stored["codings"] or carried_not(source), (guid, source)
    for a, b, length in stored["codings"].values():
        assert 0 <= a < b <= length
    # every note and description as a memo, unless it belongs to a source not carried
    for guid, texts in held["notes"].items():
        if not any(carried_not(s) for s in held["referring"].get(guid, ())):
            for text in texts:  # its text and its description
                assert " ".join(text.split())[:60] in " ".join(stored["memos"].split()), text
    for source, text in held["described"]:
        if not carried_not(source):
            assert " ".join(text.split())[:60] in " ".join(stored["memos"].split()), text

    # out again: valid by the schema, and read back the same
    out = tmp_path / "again.qdpx"
    with open_project(first) as project:
        export_qdpx(project, out)
    with zipfile.ZipFile(out) as archive:
        xmlschema.XMLSchema(str(FIXTURES / "refi-qda" / "Project.xsd")).validate(
            archive.read("project.qde"))
    second = tmp_path / "second.db"
    with init_project(second) as project:
        import_qdpx(project, out)
    again = _stored(second)
    assert again["codings"] == stored["codings"]
    assert set(again["codes"]) == set(stored["codes"])
