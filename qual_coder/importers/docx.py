"""Word transcripts: paragraphs with speaker labels, or speaker|text tables.

The stored text is the document's text, a paragraph a line. A two-column table
row (speaker | what they said), as Word transcripts are often laid out, becomes
`Speaker: text`; a three-column row (speaker | time | text) keeps the time too.
The result goes through the plain-text parser, with table speakers known, so a
document mixing a header paragraph and a turn table reads as one transcript.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from typing import TYPE_CHECKING

from ..core.limits import check_archive
from ..core.transcripts import TIMESTAMP, ParsedTranscript
from ..errors import ImportRefused
from .text import NAME_AND_ROLE, normalise_label, parse_text

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Row
    from docx.text.paragraph import Paragraph

_TS_ONLY = re.compile(rf"^\[?{TIMESTAMP}\]?$")


def read_docx(data: bytes, filename: str, separate: set[str] | None = None) -> ParsedTranscript:
    import docx  # python-docx; imported here so the CLI starts fast
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(
            f"{filename}: not a Word document (.docx files are zip archives); "
            "open it in Word and save as .docx, or export it as .txt"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(filename, archive)  # a 1 MB file may inflate to gigabytes
        document = docx.Document(io.BytesIO(data))
    except ImportRefused:  # over a limit: its own message says which and how to lift it
        raise
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as err:
        raise ImportRefused(
            f"{filename}: a zip archive but not a Word document ({err}); "
            "open it in Word and save as .docx, or export it as .txt"
        ) from None
    except Exception as err:  # lxml and python-docx raise a zoo of errors on hostile files
        raise ImportRefused(
            f"{filename}: Word could not be read ({type(err).__name__}); "
            "open it in Word and save it again, or export it as .txt"
        ) from None

    try:
        text, table_speakers = _document_text(document)
    except Exception as err:  # a damaged document.xml: python-docx fails in many ways
        raise ImportRefused(
            f"{filename}: the Word document is damaged ({type(err).__name__}); open it in "
            "Word and save it again, or export it as .txt") from None
    if not text.strip():
        raise ImportRefused(f"{filename}: the Word document has no text; nothing to import")
    return parse_text(text, "docx", known_speakers=table_speakers, separate=separate)


def _document_text(document: Document) -> tuple[str, set[str]]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    table_speakers: set[str] = set()
    bold_names: Counter[str] = Counter()
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.replace("\r", "\n").replace("\v", "\n")
            name, after = _bold_label(block, text)
            if name:
                r = NAME_AND_ROLE.match(name)
                bold_names[normalise_label(r.group("name") if r else name)] += 1
                text = f"{name}: {after}"
            lines.append(text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = _unique_cells(row)
                if len(cells) < 2:
                    lines.extend(cells)
                    continue
                speaker = " ".join(cells[0].split())
                rest = cells[1:]
                stamp = ""
                if len(rest) >= 2 and _TS_ONLY.match(rest[0].strip()):
                    stamp, rest = rest[0].strip().strip("[]"), rest[1:]
                said = "\n".join(c for c in rest if c.strip())
                if not speaker:
                    lines.append(said)
                    continue
                table_speakers.add(speaker.rstrip(":"))
                label = f"{speaker.rstrip(':')} ({stamp}):" if stamp else f"{speaker.rstrip(':')}:"
                lines.append(f"{label} {said}")
                lines.append("")
    # Bold names opening paragraphs are labels the writer marked: trusted when one
    # recurs (a single bold phrase may be emphasis).
    known = table_speakers | (set(bold_names) if max(bold_names.values(), default=0) >= 2
                              else set())
    return "\n".join(lines).strip("\n") + "\n", known


def _bold_label(paragraph: Paragraph, text: str) -> tuple[str | None, str]:
    """`**Sarah:** words` or `**Sarah** words` in Word: the bold name and the rest."""
    bold = []
    for run in paragraph.runs:
        if run.bold:
            bold.append(run.text)
        elif run.text.strip() or bold:
            break
    lead = "".join(bold)
    name = lead.strip().rstrip(":").strip()
    if not name or len(name.split()) > 4 or not text.startswith(lead) or not (
            name[0].isupper() and name[-1] not in ".?!,;"):
        return None, text
    rest = text[len(lead):].lstrip()
    if rest.startswith(":"):
        rest = rest[1:].lstrip()
    return name, rest


def _unique_cells(row: _Row) -> list[str]:
    # Merged cells repeat their text in python-docx; keep each physical cell once.
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell.text.replace("\r", "\n"))
    return cells
