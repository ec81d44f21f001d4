"""Reading CSV or XLSX tables for import, keeping spreadsheet row numbers for errors."""

from __future__ import annotations

from pathlib import Path

from ..core.limits import ROWS, check_archive
from ..errors import ImportRefused


def _read_csv(path: Path):
    """CSV through the csv module: a row with more cells than the header is an error
    naming the row (pandas would shift columns or drop cells silently)."""
    import csv
    import io

    import pandas as pd

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportRefused(f"{path}: not UTF-8 (byte {err.start}); save it as CSV UTF-8") \
            from None
    rows = []
    for row in csv.reader(io.StringIO(text.replace("\x00", ""), newline="")):
        if len(rows) > ROWS.value:
            raise ROWS.refuse(str(path), f"more than {ROWS.value:,} rows")
        rows.append(row)
    if not rows:
        raise ImportRefused(f"{path}: the file is empty")
    header = rows[0]
    body, numbers = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise ImportRefused(f"{path} row {number}: {len(row)} cells but {len(header)} "
                                "columns; check for an unquoted comma")
        body.append(row + [""] * (len(header) - len(row)))
        numbers.append(number)
    if len(set(header)) != len(header):
        raise ImportRefused(f"{path} row 1: a column name appears twice")
    return pd.DataFrame(body, columns=header, dtype=str, index=numbers)


def _read_xlsx(path: Path):
    """The first sheet, row by row (openpyxl's read-only mode), refused past ROWS rows
    or an archive that inflates past the limits, instead of minutes and gigabytes."""
    import zipfile

    import openpyxl
    import pandas as pd

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
                raise ROWS.refuse(str(path), f"more than {ROWS.value:,} rows")
            rows.append(["" if v is None else str(v) for v in row])
    finally:
        book.close()
    if not rows:
        raise ImportRefused(f"{path}: the first sheet is empty")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = rows[0]
    while header and not header[-1] and all(not r[len(header) - 1] for r in rows):
        header = header[:-1]
        rows = [r[:len(header)] for r in rows]
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    return pd.DataFrame([r for _, r in body], columns=header, dtype=str,
                        index=[n for n, _ in body])


def read_table(path: Path):
    """All cells as text (blank -> ""), header names stripped; the index is each row's
    number in the file (row 1 is the header), for error messages."""

    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = _read_xlsx(path)
        elif suffix in (".csv", ".txt"):
            df = _read_csv(path)
        else:
            raise ImportRefused(f"{path}: read CSV or XLSX files, not '{suffix}'")
    except ImportRefused:
        raise
    except FileNotFoundError:
        raise ImportRefused(f"{path}: no such file") from None
    except Exception as err:  # pandas/openpyxl raise many kinds on broken files
        raise ImportRefused(f"{path}: cannot be read as {suffix[1:].upper()} "
                            f"({type(err).__name__}: {err})") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df.map(lambda v: str(v).strip())
