"""Quotes out: Markdown block quotes, CSV rows, a Word document, or JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.files import private_output
from ..core.text import defuse, plural, strict_json
from ..errors import QualCoderError

if TYPE_CHECKING:
    from ..analysis.quotes import Quote


def write_quotes(quotes: Sequence[Quote], fmt: str, out: Path | None, title: str) -> str | None:
    if fmt == "json":
        text = strict_json([q.to_json() for q in quotes], indent=2, ensure_ascii=False)
    elif fmt == "md":
        lines = [f"# Quotes: {title}", "", f"{plural(len(quotes), 'quote')}.", ""]
        for q in quotes:
            lines += [f"> {' '.join(q.text.split())}", ">",
                      f"> — {q.attribution or 'unattributed'} · {q.transcript}", ""]
        text = "\n".join(lines)
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["quote", "attribution", "transcript", "start", "end", "codes",
                    "participants", "site"])
        for q in quotes:
            w.writerow([defuse(v) for v in (
                " ".join(q.text.split()), q.attribution, q.transcript, q.start, q.end,
                "; ".join(q.codes), "; ".join(q.participants), q.site or "")])
        text = buf.getvalue()
    elif fmt == "docx":
        if out is None:
            raise QualCoderError("a Word document needs a file: add -o FILE.docx")
        import docx

        document = docx.Document()
        document.add_heading(f"Quotes: {title}", level=1)
        for q in quotes:
            p = document.add_paragraph(style="Quote")
            p.add_run(f"‘{' '.join(q.text.split())}’")
            p.add_run(f" ({q.attribution})" if q.attribution else "").italic = True
        with private_output(out):
            document.save(str(out))
        return None
    else:
        raise QualCoderError(f"quotes can be written as md, csv, docx or json, not '{fmt}'")
    if out is None:
        return text
    with private_output(out):
        out.write_text(text, encoding="utf-8")
    return None
