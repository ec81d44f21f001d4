"""Framework Method charting (Ritchie & Spencer): cases by the codes of one theme.

Each cell holds the analyst's summary, stored in the project, and links to the
excerpts behind it; until summarised, a cell shows those excerpts, shortened.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.text import shorten
from ..core.transcripts import NOT_RECORDED
from ..errors import QualCoderError
from ..storage import Project, code_rows, frames, framework_rows, transcript_rows
from ..storage.row_types import CodeRow
from .excerpts import excerpt_links, participant_table, transcript_table

if TYPE_CHECKING:
    import pandas as pd

CASES = ("participant", "transcript", "site")
SHORTEN = 160
MAX_SHOWN = 12
WHOLE_THEME = "(theme as a whole)"  # the column of codings at a theme that has sub-codes


@dataclass
class FrameworkMatrix:
    theme: str
    theme_name: str
    cases: str
    frame: Any  # DataFrame: index = case, leading attribute columns, then code names
    codes: list[str]
    links: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    summaries: dict[tuple[str, str], str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        df = self.frame
        return {
            "theme": self.theme, "cases": self.cases, "codes": self.codes,
            "rows": [{"case": case, **{c: _plain(df.loc[case, c]) for c in df.columns},
                      "links": {code: self.links.get((case, code), []) for code in self.codes}}
                     for case in df.index]}


def _plain(v: Any) -> Any:
    return None if v != v else v  # NaN -> None


def theme_codes(project: Project, theme: str) -> tuple[CodeRow, list[CodeRow]]:
    conn = project.conn
    top = code_rows.code(conn, theme)
    children = [c for c in code_rows.all_codes(conn) if c["parent"] == top["key"]]
    return top, children or [top]


def framework_matrix(project: Project, theme: str, cases: str = "participant",
                     group_by: str | None = None,
                     coders: list[str] | None = None) -> FrameworkMatrix:
    """A passage several coders coded is one excerpt in its cell; `coders` keeps only
    those coders' codings."""
    import pandas as pd

    from .matrix import check_coders

    if cases not in CASES:
        raise QualCoderError(f"cases must be one of {', '.join(CASES)}, not '{cases}'")
    conn = project.conn
    top, codes = theme_codes(project, theme)
    subtree = {c["key"]: [c["key"]] + code_rows.descendant_keys(conn, c["key"]) for c in codes}
    links = excerpt_links(project, coders=check_coders(project, coders))
    if codes != [top] and (links["code"] == top["key"]).any():
        # Framework analysts code general remarks at the theme itself: their own column,
        # first, so no coding of the theme is left out of its chart.
        codes = [{**top, "name": WHOLE_THEME}, *codes]
        subtree[top["key"]] = [top["key"]]
    people = participant_table(project)
    transcripts = transcript_table(project)
    links = links.merge(people[["participant_id", "participant"]], on="participant_id") \
        .merge(transcripts[["transcript_id", "transcript", "site"]], on="transcript_id")
    links["site"] = links["site"].fillna(NOT_RECORDED)
    texts = transcript_rows.texts_by(conn)

    if cases == "participant":
        speaking = frames.participant_sites(conn)
        sites = speaking.groupby("participant_id")["site"].apply(
            lambda s: ", ".join(sorted({x for x in s if isinstance(x, str) and x})))
        base = people[(people["is_interviewer"] == 0) &
                      people["participant_id"].isin(speaking["participant_id"])].copy()
        base["site"] = base["participant_id"].map(sites)
        attrs = ["stakeholder_type", "role", "site"]
        base = base.set_index("participant")[attrs]
        case_col = "participant"
    elif cases == "transcript":
        base = transcripts.set_index("transcript")[["site", "kind", "date"]]
        case_col = "transcript"
    else:
        base = pd.DataFrame(index=sorted(links["site"].unique().tolist() or
                                         transcripts["site"].dropna().unique().tolist()))
        case_col = "site"
    if group_by:
        if group_by not in base.columns:
            raise QualCoderError(f"cannot group {cases}s by '{group_by}'; choose one of "
                                 f"{', '.join(base.columns) or 'nothing for sites'}")
        base = base.sort_values([group_by], kind="stable")
    summaries = framework_rows.summaries(conn, top["key"], cases)
    frame, cell_links = chart(base, links, case_col, codes, subtree, summaries, texts,
                              frames.turn_starts(conn))
    frame.index.name = cases
    return FrameworkMatrix(top["key"], top["name"], cases, frame, [c["key"] for c in codes],
                           cell_links, summaries)


def chart(base: pd.DataFrame, links: pd.DataFrame, case_col: str, codes: list[CodeRow],
          subtree: dict[str, list[str]], summaries: dict[tuple[str, str], str],
          texts: dict[int, str], turn_seq: dict[int, tuple[list[int], list[int]]],
          ) -> tuple[pd.DataFrame, dict[tuple[str, str], list[dict[str, Any]]]]:
    """The chart, with no project: `base` has a row per case (its attributes as columns),
    `links` a row per (excerpt, participant) with coding_id, code, transcript_id,
    transcript, start, end and the case column; each code's column holds, per case, the
    analyst's summary if there is one, else its excerpts (`texts` by transcript id) under
    the code and its descendants (`subtree`). Returns the chart and each cell's excerpts,
    each with the turn it starts in (`turn_seq`: starts and numbers per transcript)."""
    frame = base.copy()
    cell_links: dict[tuple[str, str], list[dict[str, Any]]] = {}
    links = links.sort_values(["transcript", "start"])
    for code in codes:
        mine = links[links["code"].isin(subtree[code["key"]])].drop_duplicates(
            ["coding_id", case_col])
        by_case: dict[str, list[dict[str, Any]]] = {}
        r: Any  # a row's fields are the frame's columns
        for r in mine.itertuples():
            found = by_case.setdefault(getattr(r, case_col), [])
            last = found[-1] if found else None
            if last and last["transcript_id"] == r.transcript_id and r.start < last["end"]:
                # Sub-codes (or coders) covering one passage: one excerpt in the cell.
                last["end"] = max(last["end"], int(r.end))
                last["coding_ids"].append(int(r.coding_id))
                continue
            turns = turn_seq.get(r.transcript_id)
            turn = turns[1][max(bisect_right(turns[0], r.start) - 1, 0)] if turns else None
            found.append({"coding_id": int(r.coding_id), "coding_ids": [int(r.coding_id)],
                          "transcript": r.transcript, "transcript_id": int(r.transcript_id),
                          "turn": turn, "start": int(r.start), "end": int(r.end)})
        column = []
        for case in frame.index:
            found = by_case.get(case, [])
            cell_links[(case, code["key"])] = found
            if (case, code["key"]) in summaries:
                column.append(summaries[(case, code["key"])])
            else:
                column.append(cell_text(found, texts))
        frame[code["name"]] = column
    return frame, cell_links


def cell_text(found: list[dict[str, Any]], texts: dict[int, str]) -> str:
    """An unsummarised cell: its excerpts, shortened; a long list ends with a count, so a
    cell stays readable (and inside a spreadsheet cell's 32,767 characters)."""
    shown = [f"‘{shorten(texts[f['transcript_id']][f['start']:f['end']], SHORTEN)}’"
             for f in found[:MAX_SHOWN]]
    if len(found) > MAX_SHOWN:
        shown.append(f"… and {len(found) - MAX_SHOWN} more excerpts")
    return "\n".join(shown)
