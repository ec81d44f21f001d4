"""The theme frequency matrix: codes (parents rolling up their children) by a
participant or transcript attribute, with totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.transcripts import NOT_RECORDED
from ..errors import QualCoderError
from ..storage import Project, code_rows, coding_rows, frames, transcript_rows
from ..storage.row_types import CodeRow
from .excerpts import excerpt_links, participant_table, transcript_table

if TYPE_CHECKING:
    import pandas as pd

MEASURES = ("excerpts", "participants", "percent", "transcripts", "words", "presence")
TOTAL = "Total"


@dataclass
class Matrix:
    frame: Any  # pandas DataFrame: index = code names, columns = values + Total
    measure: str
    rows: list[str]  # code keys, in codebook order
    cols: list[str]
    row_names: list[str]
    counting: str = ""  # how several coders' codings were counted, said with the table
    col_names: list[str] = field(default_factory=list)  # what people read: labels, not keys
    population: dict[str, int] = field(default_factory=dict)  # participants per column

    def __post_init__(self) -> None:
        if not self.col_names:
            self.col_names = list(self.cols)

    def percent(self) -> Matrix:
        """This participants matrix as the percent measure, without counting again: each
        cell over its column's participants (what `frequency_matrix(..., "percent")` gives)."""
        if self.measure != "participants" or not self.population:
            raise ValueError("percent() needs a participants matrix with its population")
        sizes = [float(self.population.get(c, 0)) for c in self.cols[:-1]]
        return Matrix(as_percent(self.frame, [*sizes, sum(sizes)]), "percent", self.rows,
                      self.cols, self.row_names, self.counting, self.col_names,
                      self.population)

    def labelled(self) -> pd.DataFrame:
        """The table as people read it: code names down, value labels across."""
        df: pd.DataFrame = self.frame.copy()
        df.index = self.row_names
        df.columns = self.col_names
        return df

    def to_json(self) -> dict[str, Any]:
        df = self.frame
        return {"rows": self.rows, "row_names": self.row_names, "cols": self.cols,
                "col_names": self.col_names,
                "cells": [[_plain(v) for v in df.loc[r].tolist()] for r in df.index],
                "measure": self.measure, "counting": self.counting}


def counting_note(coders: list[str] | None, by_coder: bool = False) -> str:
    if by_coder:
        return "each coder's codings counted apart, side by side"
    if coders:
        return (f"codings by {', '.join(coders)}; overlapping codings of one code count as "
                "one excerpt")
    return "all coders; overlapping codings of one code by several coders count as one excerpt"


def coders_in(project: Project) -> list[str]:
    return coding_rows.final_coders(project.conn)


def check_coders(project: Project, coders: list[str] | None) -> list[str] | None:
    """The coders named, as the project spells them; an unknown one is an error."""
    if not coders:
        return None
    known = {c.casefold(): c for c in coders_in(project)}
    missing = [c for c in coders if c.casefold() not in known]
    if missing:
        raise QualCoderError(f"no codings by {', '.join(missing)}; coders: "
                             + (", ".join(known.values()) or "none yet"))
    return [known[c.casefold()] for c in coders]


def resolve_column(name: str, columns: Iterable[Any]) -> str | None:
    """A column by its name, case and spacing ignored (`Stakeholder type` finds
    stakeholder_type)."""
    want = "_".join(name.split()).casefold()
    return next((c for c in columns if str(c).casefold() == want
                 or "_".join(str(c).split()).casefold() == want), None)


def _plain(value: Any) -> Any:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    return int(f) if f.is_integer() else round(f, 1)


PARTICIPANT_COLUMNS = ("participant", "stakeholder_type", "role")
TRANSCRIPT_COLUMNS = ("transcript", "site", "kind", "date")


def frequency_matrix(project: Project, cols: str = "stakeholder_type",
                     measure: str = "excerpts", codebook: str | None = None,
                     include_interviewer: bool = False, coders: list[str] | None = None,
                     by_coder: bool = False) -> Matrix:
    """Counts per code (rows, parents including their children) and attribute value.
    A passage coded by several coders counts once; `coders` restricts to some coders;
    `by_coder` puts each coder's matrix side by side (columns `coder: value`)."""
    import pandas as pd

    if measure not in MEASURES:
        raise QualCoderError(f"measure must be one of {', '.join(MEASURES)}, not '{measure}'")
    coders = check_coders(project, coders)
    if by_coder:
        each = coders or coders_in(project)
        parts = [frequency_matrix(project, cols, measure, codebook, include_interviewer, [c])
                 for c in each]
        if not parts:
            raise QualCoderError("no codings yet")
        frame = pd.concat([m.frame.rename(columns=lambda v, c=c: f"{c}: {v}")
                           for c, m in zip(each, parts, strict=True)], axis=1).fillna(0)
        first = parts[0]
        return Matrix(frame, measure, first.rows, [str(c) for c in frame.columns],
                      first.row_names, counting_note(coders, by_coder=True),
                      [f"{c}: {name}" for c, m in zip(each, parts, strict=True)
                       for name in m.col_names])
    codes = [c for c in code_rows.all_codes(project.conn)
             if codebook is None or c["codebook"] == codebook]
    if codebook and not codes:
        raise QualCoderError(f"no codebook '{codebook}' (or it has no codes)")
    links = excerpt_links(project, include_interviewer, with_words=measure == "words",
                          coders=coders)
    people = participant_table(project)
    transcripts = transcript_table(project)
    cols = resolve_column(cols, [*people.columns, *transcripts.columns]) or cols
    if cols in people.columns and cols != "participant_id":
        links = links.merge(people[["participant_id", cols]], on="participant_id", how="left")
        base = people if include_interviewer else people[people["is_interviewer"] == 0]
        # Only participants who speak in some transcript count as a column's population.
        base = base[base["participant_id"].isin(_speaking(project))]
        population = base.groupby(base[cols].fillna(NOT_RECORDED))["participant_id"].nunique()
    elif cols in transcripts.columns and cols != "transcript_id":
        links = links.merge(transcripts[["transcript_id", cols]], on="transcript_id",
                            how="left")
        population = _population_by_transcript_attr(project, transcripts, cols,
                                                    include_interviewer)
    else:
        known = sorted(set(people.columns) | set(transcripts.columns) -
                       {"participant_id", "transcript_id", "is_interviewer"})
        raise QualCoderError(f"no participant or transcript attribute '{cols}'; "
                             f"columns can be: {', '.join(known)}")
    table, col_values = tabulate(links, codes, cols, population, measure)
    names = [c["name"] for c in codes] + [TOTAL]
    labels = ({t["key"]: t["label"] for t in transcript_rows.stakeholder_types(project.conn)}
              if cols == "stakeholder_type" else {})
    return Matrix(table, measure, [c["key"] for c in codes] + [TOTAL], col_values + [TOTAL],
                  names, counting_note(coders),
                  [labels.get(v) or v for v in col_values] + [TOTAL],
                  {str(k): int(v) for k, v in population.items()})


def tabulate(links: pd.DataFrame, codes: list[CodeRow], cols: str, population: pd.Series,
             measure: str) -> tuple[pd.DataFrame, list[str]]:
    """The matrix from attributed excerpts, with no project: `links` has a row per
    (coding, participant) with coding_id, code (its key), participant_id, transcript_id,
    start, end, the column attribute `cols` (and words, to count words); excerpts are
    counted as passages (overlapping excerpts in one row of the matrix are one);
    `population` is how many participants each value of `cols` has (for percent). Rows
    are `codes` in order, each parent counting its children's excerpts too, then a total
    row; columns are the values of `cols`, then a total. Returns the table and the column values."""
    import numpy as np
    import pandas as pd

    links = links.copy()
    links[cols] = links[cols].fillna(NOT_RECORDED).astype(str)
    col_values = sorted(population.index.astype(str).tolist())
    col_index = {v: i for i, v in enumerate(col_values)}
    links = links.assign(col=links[cols].map(col_index)).dropna(subset=["col"])
    links["col"] = links["col"].astype(int)
    # Roll-up: each coding also counts for every ancestor of its code (integer rows
    # and columns keep the grouping fast: 200,000 codings in a fraction of a second).
    keys = [c["key"] for c in codes]
    row_index = {k: i for i, k in enumerate(keys)}
    parent = {c["key"]: c["parent"] for c in codes}
    pairs = []
    for key in keys:
        k: str | None = key
        while k is not None and k in row_index:
            pairs.append((key, row_index[k]))
            k = parent[k]
    ancestors = pd.DataFrame(pairs, columns=["code", "row"])
    base = links[links["code"].isin(row_index)]
    rolled = _passages(base.merge(ancestors, on="code"))
    unit = {"excerpts": "passage", "presence": "passage", "participants": "participant_id",
            "percent": "participant_id", "transcripts": "transcript_id"}.get(measure)

    def count(frame: pd.DataFrame, by: list[str]) -> pd.Series:
        if unit is not None:
            return frame[[*by, unit]].drop_duplicates().groupby(by).size()
        # words: a coding's words once per cell, however many speakers it spans
        return frame.drop_duplicates(["coding_id", *by]).groupby(by)["words"].sum()

    grid = np.zeros((len(keys) + 1, len(col_values) + 1))
    if not rolled.empty:
        cells = count(rolled, ["row", "col"])
        grid[cells.index.get_level_values(0), cells.index.get_level_values(1)] = \
            cells.to_numpy()
        totals = count(rolled, ["row"])
        grid[totals.index, -1] = totals.to_numpy()
        # The total row: every code at once, a passage coded twice counted once
        everything = _passages(base.assign(row=-1)) if unit == "passage" else base
        by_col = count(everything, ["col"])
        grid[-1, by_col.index] = by_col.to_numpy()
        if unit is not None:
            grid[-1, -1] = everything[unit].nunique()
        else:
            grid[-1, -1] = base.drop_duplicates("coding_id")["words"].sum()
    table = pd.DataFrame(grid, index=keys + [TOTAL], columns=col_values + [TOTAL])
    if measure == "percent":
        sizes = population.reindex(col_values).fillna(0).tolist()
        table = as_percent(table, [*sizes, sum(sizes)])
    elif measure == "presence":
        table = (table > 0).astype(int)
    else:
        table = table.astype(int)
    return table, col_values


def as_percent(participants: pd.DataFrame, sizes: list[float]) -> pd.DataFrame:
    """Participants per cell as a percent of each column's `sizes` (the last, the total)."""
    table = participants.div([s or float("nan") for s in sizes], axis=1).mul(100).round(1)
    return table.fillna(0)


def _passages(rolled: pd.DataFrame) -> pd.DataFrame:
    """`rolled` (a row per excerpt, participant and row of the matrix it counts for) with
    `passage`: one number for overlapping excerpts counted in one row of one transcript,
    so a parent whose two sub-codes cover one passage counts it once."""
    import pandas as pd

    if rolled.empty:
        return rolled.assign(passage=pd.Series(dtype="int64"))
    r = rolled.astype({"start": "int64", "end": "int64"}).sort_values(
        ["row", "transcript_id", "start", "end"], kind="stable")
    same = r["row"].eq(r["row"].shift()) & r["transcript_id"].eq(r["transcript_id"].shift())
    reach = r.groupby(["row", "transcript_id"], sort=False)["end"].cummax().shift()
    return r.assign(passage=(~same | (r["start"] >= reach)).cumsum())


def _speaking(project: Project) -> set[int]:
    return transcript_rows.speaking_participants(project.conn)


def _population_by_transcript_attr(project: Project, transcripts: pd.DataFrame, col: str,
                                   include_interviewer: bool) -> pd.Series:
    """Participants who speak in transcripts with each value of a transcript attribute."""
    rows = frames.speaking_in(project.conn)
    if not include_interviewer:
        rows = rows[rows["is_interviewer"] == 0]
    rows = rows.merge(transcripts[["transcript_id", col]], on="transcript_id")
    return rows.groupby(rows[col].fillna(NOT_RECORDED).astype(str))["participant_id"].nunique()
