"""Codebooks as CSV, the way Taguette exchanges them: a `tag` column and an optional
`description`; other columns (Taguette's "number of highlights") are ignored. A code's
place in the tree is its path, `Parent/Child`, so the hierarchy survives a tool that
has none."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..core.codebook import Code, Codebook, CodebookInvalid, slugify, validate
from ..core.files import private_output
from ..core.text import defuse, undefuse
from ..errors import QualCoderError
from .refi_codebook import join_description, split_description

SEPARATOR = "/"


def write_csv(books: list[Codebook], path: Path) -> list[str]:
    """Write `tag,description` rows, parents before children; returns notes (a name
    holding the separator is written with it replaced, and said)."""
    notes: list[str] = []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tag", "description"])
    for book in books:
        prefix = [book.name] if len(books) > 1 else []
        names = {c.key: c.name for c in book.codes}
        parent = {c.key: c.parent for c in book.codes}
        for code in book.codes:
            parts: list[str] = []
            key: str | None = code.key
            while key is not None:
                name = names[key]
                if SEPARATOR in name:
                    notes.append(f"code '{name}': '{SEPARATOR}' separates levels in the CSV, "
                                 "written as '-'")
                    name = name.replace(SEPARATOR, "-")
                parts.append(name)
                key = parent[key]
            writer.writerow([defuse(SEPARATOR.join(prefix + parts[::-1])),
                             defuse(join_description(code))])
    with private_output(path):
        path.write_text(out.getvalue(), encoding="utf-8")
    return sorted(set(notes))


def read_csv(path: Path, key: str | None = None) -> tuple[Codebook, list[str]]:
    from ..importers.decode import csv_records, read_text_file

    text, notes = read_text_file(path, "codebook")
    rows = csv_records(text)
    header = [h.strip().lower() for h in next(rows, [])]
    if "tag" not in header:
        found = ", ".join(header) or "nothing"
        raise QualCoderError(f"{path} row 1: no 'tag' column (found: {found}); a codebook "
                             "CSV has tag and, optionally, description")
    at_tag, at_desc = header.index("tag"), header.index("description") \
        if "description" in header else None
    book = Codebook(key=key or slugify(path.stem), name=path.stem, source=str(path))
    by_path: dict[tuple[str, ...], Code] = {}
    taken: set[str] = set()
    for row_no, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        tag = undefuse(row[at_tag].strip()) if at_tag < len(row) else ""
        if not tag:
            raise QualCoderError(f"{path} row {row_no}: the tag is empty; give every row a "
                                 "tag, or delete the row")
        parts = tuple(p.strip() for p in tag.split(SEPARATOR) if p.strip())
        description, criteria = split_description(
            undefuse(row[at_desc]) if at_desc is not None and at_desc < len(row) else "")
        for depth in range(1, len(parts) + 1):
            here = parts[:depth]
            if here in by_path:
                continue
            base = slugify(here[-1]) or "code"
            code_key, n = base, 1
            while code_key in taken:
                n += 1
                code_key = f"{base}_{n}"
            taken.add(code_key)
            parent = by_path[here[:-1]].key if depth > 1 else None
            by_path[here] = Code(key=code_key, name=here[-1], parent=parent, origin="deductive",
                                 line=row_no)
            book.codes.append(by_path[here])
        code = by_path[parts]
        if description or criteria:
            code.description = description
            code.include = criteria.get("Include", "")
            code.exclude = criteria.get("Exclude", "")
            code.example = criteria.get("Example", "")
    if not book.codes:
        raise QualCoderError(f"{path}: no tags; nothing to load")
    try:
        validate(book)
    except CodebookInvalid as err:
        raise QualCoderError(f"{path}: {err}") from None
    return book, notes
