"""Every HTML output (the report, the joint display) on one stylesheet: readable type,
figures that fit the column, numbers right-aligned under left-aligned headers, and a
print stylesheet (A4, header rows repeated, rows kept whole)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

STYLE = """
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 16px;
       line-height: 1.5; color: #1a1a1a; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3 { line-height: 1.25; }
figure { margin: 1.5em 0; }
figure svg, figure img { max-width: 100%; height: auto; display: block; }
figcaption, .note { font-size: 0.9em; color: #444; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.95em; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
th, td { border-bottom: 1px solid #bbb; padding: 0.3em 0.6em; vertical-align: top; }
th { text-align: left; border-bottom: 2px solid #555; }
td { text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
blockquote { margin: 0.8em 0 0.8em 1.5em; padding-left: 0.8em; border-left: 3px solid #ccc; }
cite { font-style: italic; color: #444; }
@media print {
  @page { size: A4; margin: 20mm; }
  body { max-width: none; margin: 0; font-size: 11pt; }
  thead { display: table-header-group; }
  tr, figure, blockquote { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
"""


def is_number(value: Any) -> bool:
    """Whether a table cell holds a number ("12%", "< .001", "1,204"): set flush right."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    text = str(value).strip().rstrip("%*").replace(",", "")
    for lead in ("< ", "> ", "<", ">", "–", "-", "+"):
        text = text.removeprefix(lead)
    try:
        float(text.lstrip("."))
        return bool(text)
    except ValueError:
        return False


def cell_text(value: Any) -> str:
    """A table cell as every writer shows it: empty for nothing, a fraction to one place."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def table_html(frame: pd.DataFrame, index: bool = False, caption: str = "") -> str:
    """A table whose numbers are right-aligned, text left-aligned, line breaks kept."""
    head = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    columns = list(frame.columns)
    numeric = [all(is_number(v) or cell_text(v) == "" for v in frame[c]) and
               any(cell_text(v) for v in frame[c]) for c in columns]
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    flags = ([False] if index else []) + numeric
    num = ' class="num"'
    out += [f"<th{num if n else ''}>{html.escape(h)}</th>"
            for h, n in zip(head, flags, strict=True)]
    out.append("</tr></thead><tbody>")
    for idx, row in frame.iterrows():
        cells = ([str(idx)] if index else []) + [cell_text(v) for v in row.tolist()]
        out.append("<tr>" + "".join(
            f"<td{num if n else ''}>{html.escape(c).replace(chr(10), '<br>')}</td>"
            for c, n in zip(cells, flags, strict=True)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def page(title: str, body: str) -> str:
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>\n"
            f"{body}\n</body></html>\n")


def joint_display_html(data: dict[str, Any]) -> str:
    """The joint display as the report lays it out: a row per domain, the ratings' shift
    with its test (p as journals print it), a Survey column only when items are linked,
    the interviews' excerpts with participants, one exemplar quote, whether strands agree."""
    import pandas as pd

    from ..quant.stats import apa_p

    first, last = data["workshops"][0], data["workshops"][-1]
    surveyed = any(r["survey"] for r in data["rows"])
    rows = []
    for r in data["rows"]:
        w = r["wilcoxon"]
        row = {"Domain": r["name"],
               f"% Major challenge, {first} → {last}":
                   f"{r['workshops'][0]['percent'][0]:.0f}% → "
                   f"{r['workshops'][-1]['percent'][0]:.0f}%",
               "Z, p": (f"{w['z']:.2f}, {apa_p(w['p'])}" if w.get("z") is not None else "–")}
        if surveyed:
            row["Survey (matched respondents)"] = "\n".join(
                f"{s['label']}: {s['mean_difference']:+.2f} ({apa_p(s['p'])})"
                for s in r["survey"]) or "–"
        row["Excerpts (participants)"] = f"{r['excerpts']} ({r['participants']})"
        row["Exemplar quote"] = r["quotes"][0] if r["quotes"] else "–"
        row["Strands"] = "; ".join(r["notes"]) if r["strands_disagree"] else "agree"
        rows.append(row)
    rule = data["rule"][:1].upper() + data["rule"][1:]
    body = ("<h1>Joint display: CASCADE ratings, surveys and interviews</h1>"
            + table_html(pd.DataFrame(rows)) + f"<p class=\"note\">{html.escape(rule)}.</p>")
    return page("Joint display", body)
