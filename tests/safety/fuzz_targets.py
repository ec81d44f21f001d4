"""Every importer as a function of raw bytes, for fuzzing (tests and bench/fuzz.py).

Each target writes the bytes to a file of the right kind and runs the real importer;
it must import or raise QualCoderError, nothing else."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from qual_coder.errors import QualCoderError
from qual_coder.exchange.refi_codebook import read_qdc
from qual_coder.exchange.yaml_codebook import parse_codebook
from qual_coder.importers import read_transcript
from qual_coder.importers.manifest import read_manifest
from qual_coder.storage import init_project


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def text(folder: Path, data: bytes) -> None:
    read_transcript(_file(folder, "t.txt", data))


def markdown(folder: Path, data: bytes) -> None:
    read_transcript(_file(folder, "t.md", data))


def vtt(folder: Path, data: bytes) -> None:
    read_transcript(_file(folder, "t.vtt", b"WEBVTT\n\n" + data))


def srt(folder: Path, data: bytes) -> None:
    read_transcript(_file(folder, "t.srt", data))


def docx(folder: Path, data: bytes) -> None:
    read_transcript(_file(folder, "t.docx", data))


def manifest(folder: Path, data: bytes) -> None:
    _file(folder, "a.txt", b"P1: hello\n")
    read_manifest(_file(folder, "m.csv", b"file,speaker,stakeholder_type\n" + data))


def yaml_codebook(folder: Path, data: bytes) -> None:
    parse_codebook(data.decode("utf-8", errors="replace"), "fuzz.yaml")


def qdc(folder: Path, data: bytes) -> None:
    read_qdc(_file(folder, "c.qdc", data))


def cascade(folder: Path, data: bytes) -> None:
    from qual_coder.services.quant import import_ratings

    with init_project(folder / f"p{id(data)}.db") as project:
        import_ratings(project, _file(folder, "r.csv", b"area,workshop,domain,rating\n" + data))


def survey(folder: Path, data: bytes) -> None:
    from qual_coder.services.quant import import_survey

    with init_project(folder / f"s{id(data)}.db") as project:
        import_survey(project, _file(folder, "s.csv", b"respondent_id,wave,q1,q2\n" + data))


TARGETS = {"text": text, "markdown": markdown, "vtt": vtt, "srt": srt, "docx": docx,
           "manifest": manifest, "yaml": yaml_codebook, "qdc": qdc, "cascade": cascade,
           "survey": survey}

SEEDS = {
    "text": b"Interviewer: Hi\nSam (00:01:02): well \\[04:05\\] ok\n**Jo:** yes\n",
    "markdown": b"**Ali:** Hi\n\n**Divya:** \\[02:03\\] Hello\n",
    "vtt": (b"00:00:01.000 --> 00:00:02.000\n<v Jo>Hi</v>\n\n"
            b"00:00:02.500 --> 00:00:03.000\nSam: yo\n"),
    "srt": b"1\n00:00:01,000 --> 00:00:02,000\nJo: Hi\n\n2\n00:00:03,000 --> 00:00:04,000\nok\n",
    "manifest": b"a.txt,P1,school_staff\n",
    "yaml": b"key: x\ncodes:\n  - key: a\n    name: A\n    codes:\n      - {key: b, name: B}\n",
    "qdc": (b"<?xml version='1.0'?><CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>"
            b"<Code guid='0D62985D-B147-5D01-A9B5-CAE5DCD98342' name='x' isCodable='true'/>"
            b"</Codes></CodeBook>"),
    "cascade": b"A,I,clarity_roles,1\nA,II,clarity_roles,Gold standard\n",
    "survey": b"r1,baseline,1,yes\nr1,follow-up,2,no\n",
}


def docx_seed() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Interviewer: Hello")
    document.add_paragraph("Sam: Hi")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def run_target(name: str, data: bytes) -> str:
    """'ok', or 'refused' for a clear QualCoderError; anything else propagates."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            TARGETS[name](Path(tmp), data)
        except QualCoderError as err:
            assert str(err).strip(), "an error must say something"
            return "refused"
    return "ok"


def mutate(seed: bytes, rng) -> bytes:
    """Bit flips, deletions, duplications and splices of hostile fragments."""
    data = bytearray(seed)
    hostile = [b"\x00", b"\xff\xfe", b"\r", b"\n" * 50, b"**", b"\\[", b"-->", b":" * 20,
               b"\xe2\x80\xa8", b"<v", b"{", b"- ", b"&lol;", b"]]>", "🙂".encode(),
               b"9" * 30, b"\t", b"'", b'"']
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(4)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1 and data:
            del data[pos:pos + rng.randint(1, 20)]
        elif op == 2:
            data[pos:pos] = data[pos:pos + rng.randint(1, 40)]
        else:
            data[pos:pos] = rng.choice(hostile)
    return bytes(data)


def mutate_zip(seed: bytes, rng) -> bytes:
    """Either corrupt the zip's bytes or rewrite one member with mutated content."""
    if rng.random() < 0.5:
        return mutate(seed, rng)
    source = zipfile.ZipFile(io.BytesIO(seed))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        victim = rng.choice(source.namelist())
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, mutate(body, rng) if name == victim else body)
    return out.getvalue()


def qdpx(folder: Path, data: bytes) -> None:
    from qual_coder.services.exchange import import_qdpx

    with init_project(folder / f"q{id(data)}.db") as project:
        import_qdpx(project, _file(folder, "p.qdpx", data))


def qdpx_seed() -> bytes:
    from tests.exchange.qdpx_files import qdpx as build

    return build()


TARGETS["qdpx"] = qdpx
ZIPPED = ("docx", "qdpx")


def seed_for(name: str) -> bytes:
    return docx_seed() if name == "docx" else qdpx_seed() if name == "qdpx" else SEEDS[name]
