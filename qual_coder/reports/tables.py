"""DataFrames out to files and terminals, through pandas, openpyxl and python-docx."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import QualCoderError

FORMATS = ("table", "csv", "xlsx", "md", "json")


def format_for(out: Path | None, fmt: str | None, default: str = "table") -> str:
    if fmt:
        return fmt
    if out is not None:
        suffix = out.suffix.lower().lstrip(".")
        return {"markdown": "md"}.get(suffix, suffix)
    return default


def write_frame(df, fmt: str, out: Path | None, sheet: str = "Sheet1",
                json_data: dict | None = None) -> str | None:
    """Write `df` as `fmt` to `out` (or return the text for the terminal)."""
    if fmt == "json":
        text = json.dumps(json_data if json_data is not None else
                          json.loads(df.to_json(orient="split")), indent=2, ensure_ascii=False)
    elif fmt == "csv":
        text = df.to_csv()
    elif fmt == "md":
        text = df.to_markdown()
    elif fmt == "table":
        text = df.to_string()
    elif fmt == "xlsx":
        if out is None:
            raise QualCoderError("XLSX needs a file: add -o FILE.xlsx")
        write_xlsx({sheet: df}, out)
        return None
    else:
        raise QualCoderError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if out is None:
        return text
    out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return None


def write_xlsx(sheets: dict, out: Path, wrap: bool = False, index: bool = True,
               widths: dict[str, int] | None = None) -> None:
    """One sheet per DataFrame, header row frozen and bold, columns sized to fit."""
    import pandas as pd
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, df in sheets.items():
            title = _sheet_name(name)
            df.to_excel(writer, sheet_name=title, index=index)
            ws = writer.sheets[title]
            ws.freeze_panes = "B2" if index else "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for i, column in enumerate(ws.columns, start=1):
                letter = get_column_letter(i)
                longest = max((len(str(c.value)) for c in column if c.value is not None),
                              default=8)
                ws.column_dimensions[letter].width = (widths or {}).get(
                    str(column[0].value), min(max(longest + 2, 10), 60))
                if wrap:
                    for c in column[1:]:
                        c.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31] or "Sheet"
