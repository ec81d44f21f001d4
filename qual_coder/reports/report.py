"""The report's writers: Markdown, HTML and Word from one list of blocks (headings,
paragraphs, tables, quotes, figures), so the three formats never drift apart. The blocks
are computed by services.report from the project; nothing here reads it."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.files import private_output
from ..errors import QualCoderError
from .html_page import page, table_html

if TYPE_CHECKING:
    import pandas as pd

# ("h1" | "h2" | "h3" | "p", text), ("table", frame, show_index, caption, note),
# ("quote", text, attribution) or ("figure", Chart)
Block = tuple[Any, ...]


def _table_words(block: Block) -> tuple[str, str]:
    """A table block's caption and note, either of which may be empty."""
    return block[3] or "", block[4] or ""


def _md_table(frame: pd.DataFrame, index: bool) -> str:
    # Text cells stay as written ("+0.73", "2.10"); numbers get one decimal and, like
    # every column of numbers, stand right-aligned.
    from .html_page import cell_text, is_number

    align = (["left"] if index else []) + [
        "right" if len(frame) and all(is_number(v) or cell_text(v) == "" for v in frame[c])
        else "left" for c in frame.columns]
    return str(frame.to_markdown(index=index, floatfmt=".1f", disable_numparse=True,
                                 colalign=align))


def to_markdown(blocks: list[Block], figures: Path | None = None) -> str:
    out: list[str] = []
    tables = 0
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + b[1])
        elif kind == "p":
            out.append(b[1])
        elif kind == "table":
            tables += 1
            caption, note = _table_words(b)
            if caption:
                out += [f"**Table {tables}. {caption}**", ""]
            out.append(_md_table(b[1], b[2]))
            if note:
                out += ["", f"*Note.* {note}"]
        elif kind == "quote":
            out.append(f"> ‘{b[1]}’ ({b[2]})")
        elif kind == "figure" and figures is not None:
            figures.mkdir(exist_ok=True)
            n = len(list(figures.glob("figure-*.png"))) + 1
            name = f"figure-{n}-{b[1].kind}.png"
            with private_output(figures / name):
                (figures / name).write_bytes(b[1].png())
            out.append(f"![{b[1].alt}]({figures.name}/{name})")
            out.append("")
            out.append(f"*Figure {n}. {b[1].title}*")
        out.append("")
    return "\n".join(out)


def to_html(blocks: list[Block]) -> str:
    body = []
    tables = 0
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            body.append(f"<{kind}>{html.escape(b[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{html.escape(b[1])}</p>")
        elif kind == "table":
            tables += 1
            caption, note = _table_words(b)
            body.append(table_html(b[1], b[2], f"Table {tables}. {caption}" if caption else ""))
            if note:
                body.append(f"<p class=\"note\"><em>Note.</em> {html.escape(note)}</p>")
        elif kind == "quote":
            body.append(f"<blockquote>‘{html.escape(b[1])}’ <cite>({html.escape(b[2])})"
                        "</cite></blockquote>")
        elif kind == "figure":
            svg = b[1].svg().replace(
                "<svg ", f'<svg role="img" aria-label="{html.escape(b[1].alt)}" ', 1)
            body.append(f"<figure>{svg}<figcaption>{html.escape(b[1].title)}</figcaption>"
                        "</figure>")
    return page("Findings", "\n".join(body))


PAPERS = {"a4": (210, 297), "letter": (215.9, 279.4)}  # mm
MARGIN_MM = 25
WORD_DPI = 220  # figures in a Word report: see to_docx


def to_docx(blocks: list[Block], out: Path, paper: str = "a4") -> None:
    """A Word report a funder's template takes as it is: A4 (or US Letter) with 25 mm
    margins; tables with columns sized to their content (the label column wide, numbers
    narrow and right-aligned), the header row repeated on every page and rows never split;
    figures as wide as the text block, so their 8 pt text stays 8 pt."""
    import docx
    from docx.shared import Mm

    if paper not in PAPERS:
        raise QualCoderError(f"--paper is {' or '.join(PAPERS)}, not '{paper}'")
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = (Mm(v) for v in PAPERS[paper])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    text_width = Mm(PAPERS[paper][0] - 2 * MARGIN_MM)
    tables = 0
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            document.add_heading(b[1], level=int(kind[1]) - 1 if kind != "h1" else 0)
        elif kind == "p":
            document.add_paragraph(b[1])
        elif kind == "quote":
            p = document.add_paragraph(style="Quote")
            p.add_run(f"‘{b[1]}’ ")
            p.add_run(f"({b[2]})").italic = True
        elif kind == "figure":
            import io

            # 220 ppi: Word's own default resolution for pictures in a document (File >
            # Options > Advanced > Image size and quality), to which it would bring a 300
            # dpi figure down on saving anyway; a figure written alone (`chart -o`) is 300.
            picture = document.add_paragraph().add_run().add_picture(
                io.BytesIO(b[1].png(dpi=WORD_DPI)), width=text_width)
            picture._inline.docPr.set("descr", b[1].alt)  # the image's alt text
            picture._inline.docPr.set("title", b[1].title)
            document.add_paragraph(b[1].title, style="Caption")
        elif kind == "table":
            tables += 1
            caption, note = _table_words(b)
            if caption:  # above the table, as APA and most funders' templates set it
                document.add_paragraph(f"Table {tables}. {caption}", style="Caption")
            _docx_table(document, b[1], b[2], text_width)
            if note:
                from docx.shared import Pt

                run = document.add_paragraph().add_run(f"Note. {note}")
                run.font.size = Pt(9)
    with private_output(out):
        document.save(str(out))


def _docx_table(document: Any, frame: pd.DataFrame, index: bool, text_width: int) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from .html_page import cell_text, is_number

    head = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    body = [([str(idx)] if index else []) + [cell_text(v) for v in row.tolist()]
            for idx, row in frame.iterrows()]
    numeric = [bool(body) and all(is_number(r[i]) or r[i] == "" for r in body)
               and any(r[i] for r in body) for i in range(len(head))]
    # Width by content, in millimetres: a column's floor is its longest word (or number)
    # whole, with the cell's padding; what room is left goes to the text columns that want
    # more (their longest cell, up to 40 characters, on one line). 9 pt type, or 8 pt for
    # a table whose words would not fit whole at 9.
    from docx.shared import Mm

    room = text_width / Mm(1)
    size = 9
    floor, want = _column_room(head, body, numeric, 2.0, padding=2.8)
    if sum(floor) > room:
        size = 8
        floor, want = _column_room(head, body, numeric, 1.78, padding=2.8)
    spare = room - sum(floor)
    extra: list[float] = [w - f for w, f in zip(want, floor, strict=True)]
    wanted = float(sum(extra, 0.0))
    if spare > 0 and wanted:
        mm = [f + min(e, spare * e / wanted) for f, e in zip(floor, extra, strict=True)]
    else:
        mm = floor
    widths = [int(Mm(1) * w * min(1.0, room / sum(mm))) for w in mm]
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    rows = [head, *body]
    for r, values in enumerate(rows):
        cells = table.rows[0].cells if r == 0 else table.add_row().cells
        tr = table.rows[r]._tr.get_or_add_trPr()
        tr.append(OxmlElement("w:cantSplit"))  # a row is never broken across pages
        if r == 0:
            tr.append(OxmlElement("w:tblHeader"))  # the header row on every page
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[i]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = Pt(size)
            run.bold = r == 0
            if numeric[i]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    grid = table._tbl.tblGrid
    for i, col in enumerate(grid.findall(qn("w:gridCol"))):
        col.set(qn("w:w"), str(int(widths[i] / 635)))  # EMU to twentieths of a point
    # Fixed layout at the sum of the columns: Word and LibreOffice keep these widths
    # instead of refitting the columns to the first words they meet.
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(int(w / 635) for w in widths)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    margins = OxmlElement("w:tblCellMar")  # 1.2 mm either side of a cell's text
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "68")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


def _column_room(head: list[str], body: list[list[str]], numeric: list[bool],
                 per_char: float, padding: float) -> tuple[list[float], list[float]]:
    """Each column's floor (its longest word, or whole number, with the cell's padding)
    and the width it wants (its longest cell up to 40 characters on one line), in mm."""
    def ems(text: str, bold: bool = False) -> float:
        """A word's width in average characters: capitals wider, punctuation narrower,
        bold (the header row) a tenth wider."""
        width = sum(1.35 if ch.isupper() else 0.6 if ch in ".,;:'’()-–" else 1.0
                    for ch in text)
        return width * (1.12 if bold else 1.0)

    floor: list[float] = []
    want: list[float] = []
    for i, name in enumerate(head):
        cells = [r[i] for r in body]
        words = [ems(w) for c in cells for w in c.split()]
        words += [ems(w, bold=True) for w in name.split()]
        if numeric[i]:  # a number, or "< .001*", is never broken
            words += [ems(c) for c in cells]
        floor.append(max(words, default=1.0) * per_char + padding)
        longest = max((ems(c) for c in cells), default=0.0)
        want.append(max(floor[-1], min(max(longest, ems(name, True)), 40) * per_char + padding))
    return floor, want
