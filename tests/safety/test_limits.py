"""Bounded imports: a hostile file is refused with a message naming the limit and how to
lift it, never a traceback, a RecursionError or gigabytes of memory. The attacks are
built here; each failed (or ran for minutes) before its fix."""

from __future__ import annotations

import io
import resource
import zipfile

import pytest

from qual_coder.errors import ImportRefused, QualCoderError
from qual_coder.exchange.refi_codebook import read_qdc
from qual_coder.exchange.refi_project import read_qdpx
from qual_coder.exchange.yaml_codebook import load_codebook_file
from qual_coder.importers import read_transcript
from qual_coder.quant.survey import read_items
from qual_coder.quant.tabular import read_table
from qual_coder.services import set_attributes


def _bomb(members: dict[str, bytes | int]) -> bytes:
    """A zip whose int members are that many bytes of spaces: tiny on disk."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            if isinstance(content, int):
                with z.open(name, "w", force_zip64=True) as f:
                    chunk = b" " * (1 << 20)
                    for _ in range(content >> 20):
                        f.write(chunk)
            else:
                z.writestr(name, content)
    return buf.getvalue()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_docx_that_inflates_past_the_limit_is_refused_cheaply(tmp_path):
    data = _bomb({"[Content_Types].xml": b"<Types/>", "word/document.xml": 300 << 20})
    assert len(data) < 2 << 20  # a small file on disk...
    before = _peak_mb()
    with pytest.raises(ImportRefused, match="QUAL_CODER_MAX_XML_BYTES") as err:
        read_transcript(tmp_path / "bomb.docx", data)
    assert "word/document.xml" in str(err.value)
    assert _peak_mb() - before < 100  # ...not inflated in memory to find out


def test_a_qdpx_source_that_inflates_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("QUAL_CODER_MAX_MEMBER_BYTES", str(10 << 20))
    path = tmp_path / "bomb.qdpx"
    path.write_bytes(_bomb({"project.qde": b"<Project/>", "sources/a.txt": 20 << 20}))
    with pytest.raises(QualCoderError, match="QUAL_CODER_MAX_MEMBER_BYTES"):
        read_qdpx(path)


def test_an_xlsx_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.setenv("QUAL_CODER_MAX_ROWS", "1000")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["respondent_id", "wave", "q1"])
    for i in range(1500):
        sheet.append([f"R{i}", "pre", 3])
    path = tmp_path / "big.xlsx"
    book.save(path)
    with pytest.raises(ImportRefused, match="QUAL_CODER_MAX_ROWS"):
        read_table(path)
    monkeypatch.setenv("QUAL_CODER_MAX_ROWS", "2000")
    assert len(read_table(path)) == 1500


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_a_deep_yaml_codebook_is_refused_without_recursion(tmp_path, depth):
    lines = ["key: deep", "name: Deep", "codes:"]
    lines += [f"  - key: c{i}\n    name: C{i}" + (f"\n    parent: c{i - 1}" if i else "")
              for i in range(depth)]
    path = tmp_path / "deep.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(QualCoderError, match="levels deep.*QUAL_CODER_MAX_CODEBOOK_DEPTH"):
        load_codebook_file(path)


def test_a_deeply_nested_yaml_codebook_is_refused_without_a_traceback(tmp_path):
    depth = 400
    lines = ["key: deep", "codes:"] + [
        "  " * (2 * i + 1) + f"- key: c{i}\n" + "  " * (2 * i + 2) + "codes:"
        for i in range(depth)]
    path = tmp_path / "nested.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(QualCoderError, match="QUAL_CODER_MAX_CODEBOOK_DEPTH"):
        load_codebook_file(path)


def test_a_deep_qdc_is_refused_without_recursion(tmp_path):
    depth = 1_200
    xml = ('<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
           'origin="x"><Codes>'
           + "".join(f'<Code guid="00000000-0000-0000-0000-{i:012d}" name="c{i}" '
                     'isCodable="true">' for i in range(depth))
           + "</Code>" * depth + "</Codes></CodeBook>")
    path = tmp_path / "deep.qdc"
    path.write_text(xml)
    with pytest.raises(QualCoderError, match="QUAL_CODER_MAX_CODEBOOK_DEPTH|deep"):
        read_qdc(path)


def test_an_attribute_named_like_an_internal_column_is_refused(demo_path, run):
    from qual_coder.storage import open_project

    with open_project(demo_path) as p, pytest.raises(QualCoderError, match="its own columns"):
        set_attributes(p, "transcript", "1", {"transcript_id": "7"})
    result = run("matrix", demo_path)
    assert result.exit_code == 0


@pytest.mark.parametrize("text, says", [
    ("a: [1, 2]\n", "line 1: item 'a'"),
    ("x: {}\nb:\n  levels: 5\n", "line 2: item 'b': levels must be a list"),
    ("c:\n  levels: [a]\n  groups: 7\n", "groups must map"),
    ("d:\n  - [\n", "not valid YAML"),
])
def test_a_malformed_items_file_names_the_line(tmp_path, text, says):
    path = tmp_path / "items.yaml"
    path.write_text(text)
    with pytest.raises(ImportRefused, match=r".*") as err:
        read_items(path)
    assert says in str(err.value) and str(path) in str(err.value)


def test_a_transcript_with_too_many_turns_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("QUAL_CODER_MAX_TURNS", "100")
    data = "".join(f"P{i % 2}: Turn {i}.\n\n" for i in range(300)).encode()
    with pytest.raises(ImportRefused, match="300 turns.*QUAL_CODER_MAX_TURNS"):
        read_transcript(tmp_path / "many.txt", data)


def test_a_billion_laughs_codebook_is_refused_at_once(tmp_path, project_path, run):
    import time

    anchors = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    prev = "a"
    for name in "bcdefghi":
        anchors += f"{name}: &{name} [" + ", ".join(["*" + prev] * 9) + "]\n"
        prev = name
    book = tmp_path / "laughs.yaml"
    book.write_text("anchors:\n" + "".join(f"  {line}\n" for line in anchors.splitlines())
                    + "key: x\nname: X\ncodes:\n  - key: k\n    name: K\n    keywords: *i\n")
    assert book.stat().st_size < 1000
    started = time.monotonic()
    result = run("codebook", "load", project_path, book)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert str(book) in result.output and "QUAL_CODER_MAX_YAML_NODES" in result.output


def test_a_zip_member_whose_header_lies_about_its_size_is_refused_at_the_limit(tmp_path,
                                                                               project_path,
                                                                               run):
    """A member that declares 1,000 bytes (with the CRC of its first 1,000) but inflates
    to 300 MB: refused when the XML limit is reached, not after inflating it all."""
    import io
    import resource
    import struct
    import zipfile
    import zlib

    body = b"<a>" + b"x" * 300_000_000 + b"</a>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", body)
    data = bytearray(buf.getvalue())
    crc = zlib.crc32(body[:1000])
    del body
    for signature, crc_at, size_at in ((b"PK\x03\x04", 14, 22), (b"PK\x01\x02", 16, 24)):
        at = data.find(signature)
        struct.pack_into("<I", data, at + crc_at, crc)
        struct.pack_into("<I", data, at + size_at, 1000)
    lying = tmp_path / "lying.qdpx"
    lying.write_bytes(bytes(data))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run("import", project_path, lying)
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert result.exit_code == 1 and "QUAL_CODER_MAX_XML_BYTES" in result.output
    assert grew < 200 * 1024  # KiB: the member was never inflated whole
