"""Reading CSV or XLSX tables for import, keeping spreadsheet row numbers for errors."""

from __future__ import annotations

from pathlib import Path

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
    rows = list(csv.reader(io.StringIO(text.replace("\x00", ""), newline="")))
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


def read_table(path: Path):
    """All cells as text (blank -> ""), header names stripped; the index is each row's
    number in the file (row 1 is the header), for error messages."""
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, dtype=str, keep_default_na=False)
            df.index = range(2, len(df) + 2)
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
