"""DataFrames out to files and terminals, through pandas, openpyxl and python-docx."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.files import private_output
from ..core.text import defuse, strict_json
from ..errors import QualCoderError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "xlsx", "md", "json")

def defuse_frame(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every text cell, column name and index label defused (numbers kept)."""
    def label(v: Any) -> Any:
        return tuple(defuse(x) for x in v) if isinstance(v, tuple) else defuse(v)

    out = df.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype.kind not in "biufcmM":  # text, or mixed
            out.isetitem(i, column.map(defuse).tolist())
    out.columns = out.columns.map(label)
    out.index = out.index.map(label)
    return out


def format_for(out: Path | None, fmt: str | None, default: str = "table") -> str:
    if fmt:
        return fmt
    if out is not None:
        suffix = out.suffix.lower().lstrip(".")
        return {"markdown": "md"}.get(suffix, suffix)
    return default


def frame_text(df: pd.DataFrame, width: int | None = None) -> str:
    """A frame as a terminal table (core.text.aligned): its index (every level) first,
    then its columns, numbers flush right, a missing value blank, each cell measured as
    the terminal shows it (pandas' to_string pads by characters, so a name in Chinese or
    with an emoji pushed the columns after it out of line)."""
    from ..core.text import aligned
    from .html_page import is_number

    levels = [str(n or "") for n in df.index.names]
    head = levels + [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c)
                     for c in df.columns]
    columns = [_column_cells(df.iloc[:, i].tolist()) for i in range(df.shape[1])]
    rows = [[*(map(str, idx) if isinstance(idx, tuple) else [str(idx)]), *cells]
            for idx, cells in zip(df.index, zip(*columns))] if columns else [
        list(map(str, idx)) if isinstance(idx, tuple) else [str(idx)] for idx in df.index]
    right = [len(levels) + i for i in range(len(df.columns))
             if rows and all(is_number(r[len(levels) + i]) or r[len(levels) + i] == ""
                             for r in rows)]
    return aligned(head, rows, right, width=width)


def _column_cells(values: list[Any]) -> list[str]:
    """A column's cells as text: fractions to as many places as the most precise of them
    needs (as pandas prints a column: 13.95 and 14.90), a missing value blank."""
    def missing(v: Any) -> bool:
        return v is None or (isinstance(v, float) and v != v)

    floats = [v for v in values if isinstance(v, float) and not missing(v)]
    places = max((len(f"{v:.10g}".partition(".")[2]) for v in floats), default=0)
    return ["" if missing(v) else f"{v:.{places}f}" if isinstance(v, float) else str(v)
            for v in values]


def write_frame(df: pd.DataFrame, fmt: str, out: Path | None, sheet: str = "Sheet1",
                json_data: dict[str, Any] | None = None) -> str | None:
    """Write `df` as `fmt` to `out` (or return the text for the terminal)."""
    if fmt == "json":
        text = strict_json(json_data if json_data is not None else
                          json.loads(df.to_json(orient="split")), indent=2, ensure_ascii=False)
    elif fmt == "csv":
        text = defuse_frame(df).to_csv()
    elif fmt == "md":
        text = df.to_markdown()
    elif fmt == "table":
        text = frame_text(df)
    elif fmt == "xlsx":
        if out is None:
            raise QualCoderError("XLSX needs a file: add -o FILE.xlsx")
        write_xlsx({sheet: df}, out)
        return None
    else:
        raise QualCoderError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if out is None:
        return text
    with private_output(out):
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return None


def write_xlsx(sheets: dict[str, Any], out: Path, wrap: bool = False, index: bool = True,
               widths: dict[str, int] | None = None) -> None:
    """One sheet per DataFrame, header row bold and frozen, columns sized to fit, long text
    wrapped. Written with XlsxWriter: column formats instead of a style per cell keep a
    5,000-row framework chart to about a second."""
    import pandas as pd

    # Text from transcripts and codebooks stays text: never a formula, never a link.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with private_output(out):
        with pd.ExcelWriter(out, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
            book = writer.book
            header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                      "border": 1})
            body = book.add_format({"text_wrap": wrap, "valign": "top"})
            for name, df in sheets.items():
                title = _sheet_name(name)
                df.to_excel(writer, sheet_name=title, index=index)
                ws = writer.sheets[title]
                ws.freeze_panes(1, 1 if index else 0)
                names = ([df.index.name or ""] if index else []) + [str(c) for c in df.columns]
                for i, col in enumerate(names):
                    ws.write(0, i, col, header)
                    if index and i == 0:
                        values = df.index
                    else:
                        values = df[df.columns[i - (1 if index else 0)]]
                    longest = max([len(col)] + [len(str(v)) for v in values[:200]])
                    width = (widths or {}).get(col, min(max(longest + 2, 10), 60))
                    ws.set_column(i, i, width, body)


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31] or "Sheet"


def framework_text(title: str, df: pd.DataFrame, codes: list[str], width: int = 100) -> str:
    """A framework chart for a terminal: one block per case (its attributes on the first
    line), then each code's cell wrapped to `width`; an empty cell is a dash, never NaN.
    Wide charts belong in XLSX (-o chart.xlsx), where each cell wraps in its column."""
    import textwrap

    def blank(v: Any) -> bool:
        return v is None or v != v or not str(v).strip()

    lines = [title, "=" * min(len(title), width)]
    attrs = [c for c in df.columns if c not in codes]
    for case in df.index:
        row = df.loc[case]
        about = ", ".join(str(row[a]) for a in attrs if not blank(row[a]))
        lines.append("")
        lines.extend(textwrap.wrap(f"{case}" + (f" ({about})" if about else ""), width,
                                   subsequent_indent="  "))
        for code in codes:
            value = row[code]
            if blank(value):
                lines.append(f"  {code}: –")
                continue
            first = True
            for para in str(value).split("\n"):
                lead = f"  {code}: " if first else "    "
                lines.extend(textwrap.wrap(para, width, initial_indent=lead,
                                           subsequent_indent="    ") or [lead])
                first = False
    return "\n".join(lines)


def format_saturation(results: list[Any], fmt: str = "table", width: int | None = None) -> str:
    """Saturation results (analysis.saturation) as a terminal table (within `width`, if
    given) or Markdown: each transcript's new codes and the running total, the runs'
    ratios, the statement."""
    from ..core.text import aligned, plural

    lines: list[str] = []
    for r in results:
        if fmt == "md":
            lines += [f"## Saturation{' among ' + r.group if r.group else ''}", "",
                      "| # | transcript | date | new codes | cumulative |", "|--:|---|---|--:|--:|"]
            lines += [f"| {i} | {o['transcript']} | {o['date'] or ''} | {len(o['new_codes'])} "
                      f"| {o['cumulative']} |" for i, o in enumerate(r.order, 1)]
            lines += ["", "| run | new | ratio |", "|---|--:|--:|"]
            lines += [f"| {' + '.join(x['transcripts'])} | {x['new']} | {x['ratio']:g}% |"
                      for x in r.runs]
            lines += ["", r.statement, ""]
        else:
            if r.group:
                lines.append(f"== {r.group}")
            lines.append(aligned(
                ["#", "transcript", "date", "new", "codes", ""],
                [(i, o["transcript"], o["date"] or "(no date)", f"+{len(o['new_codes'])}",
                  o["cumulative"], " ".join(
                      (["base"] if i <= r.base else [])
                      + (["<- saturation"] if o["transcript"] == r.saturation_at else [])))
                 for i, o in enumerate(r.order, 1)], right=[0, 3, 4], width=width))
            lines.append(f"base: {plural(r.base_codes, 'code')}; runs: " + ", ".join(
                f"{x['ratio']:g}%" for x in r.runs))
            lines += [r.statement, ""]
    return "\n".join(lines).rstrip()
