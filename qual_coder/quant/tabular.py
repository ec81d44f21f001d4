"""Reading CSV or XLSX tables for import, keeping spreadsheet row numbers for errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.limits import ROWS, check_archive
from ..core.text import plural
from ..errors import ImportRefused

if TYPE_CHECKING:
    import pandas as pd


def _csv_rows(path: Path, notes: list[str] | None) -> list[list[str]]:
    """A CSV read as every text file is (importers.decode: a BOM, UTF-8, UTF-16, or
    Windows-1252 said in `notes`), parsed by the csv module on the text as a file, so a
    quoted line break stays in its cell and each record keeps its row number."""
    from ..importers.decode import csv_records, read_text_file

    text, found = read_text_file(path, "table")
    if notes is not None:
        notes.extend(found)
    rows: list[list[str]] = []
    for row in csv_records(text):
        if len(rows) > ROWS.value:
            raise ROWS.refuse(str(path), f"more than {plural(ROWS.value, 'row')}")
        rows.append(row)
    return rows


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet, row by row (openpyxl's read-only mode), refused past ROWS rows
    or an archive that inflates past the limits, instead of minutes and gigabytes."""
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(str(path), archive)
    except zipfile.BadZipFile as err:
        raise ImportRefused(f"{path}: not an XLSX workbook ({err}); save it again from "
                            "Excel, or as CSV") from None
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = []
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if n > ROWS.value + 1:
                raise ROWS.refuse(str(path), f"more than {plural(ROWS.value, 'row')}")
            rows.append(["" if v is None else str(v) for v in row])
    finally:
        book.close()
    return rows


def _rows(path: Path, notes: list[str] | None = None) -> list[list[str]]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_rows(path)
        if suffix in (".csv", ".txt"):
            return _csv_rows(path, notes)
        raise ImportRefused(f"{path}: read CSV or XLSX files, not '{suffix}'")
    except ImportRefused:
        raise
    except FileNotFoundError:
        raise ImportRefused(f"{path}: no such file") from None
    except Exception as err:  # openpyxl raises many kinds on broken files
        raise ImportRefused(f"{path}: cannot be read as {suffix[1:].upper()} "
                            f"({type(err).__name__}: {err})") from None


def read_rows(path: Path, notes: list[str] | None = None) -> list[tuple[int, list[str]]]:
    """Every non-blank row as (its row number in the file, cells stripped), all rows the
    same width: for files whose header is not one row (survey tools' exports). What the
    reading had to guess (an encoding) is added to `notes`."""
    rows = _rows(path, notes)
    if not rows or not any(any(c.strip() for c in r) for r in rows):
        raise ImportRefused(f"{path}: the file is empty")
    width = max(len(r) for r in rows)
    return [(n, [c.strip() for c in r] + [""] * (width - len(r)))
            for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]


def read_table(path: Path, notes: list[str] | None = None) -> pd.DataFrame:
    """All cells as text (blank -> ""), header names stripped; the index is each row's
    number in the file (row 1 is the header), for error messages. A CSV row with more
    cells than the header is an error naming the row (pandas would shift columns or drop
    cells silently)."""
    import pandas as pd

    rows = _rows(path, notes)
    if not rows:
        raise ImportRefused(f"{path}: the file is empty")
    header = [str(c).strip() for c in rows[0]]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        width = max(len(r) for r in rows)
        header += [""] * (width - len(header))
        while header and not header[-1] and all(len(r) < len(header) or not r[len(header) - 1]
                                                for r in rows):
            header = header[:-1]
    body, numbers = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(cell).strip() for cell in row):
            continue
        if len(row) > len(header):
            if any(str(c).strip() for c in row[len(header):]):
                raise ImportRefused(f"{path} row {number}: {len(row)} cells but "
                                    f"{len(header)} columns; check for an unquoted comma")
            row = row[:len(header)]
        body.append([str(c).strip() for c in row] + [""] * (len(header) - len(row)))
        numbers.append(number)
    if len(set(header)) != len(header):
        raise ImportRefused(f"{path} row 1: a column name appears twice")
    return pd.DataFrame(body, columns=header, dtype=str, index=numbers)
