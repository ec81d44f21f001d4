"""Reading CSV or XLSX tables for import, keeping spreadsheet row numbers for errors."""

from __future__ import annotations

from pathlib import Path

from ..errors import ImportRefused


def read_table(path: Path):
    """All cells as text (blank -> ""), header names stripped; DataFrame row i is the
    file's row i + 2 (row 1 is the header)."""
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif suffix in (".csv", ".txt"):
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
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
