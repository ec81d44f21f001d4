"""The theme frequency matrix: codes (parents rolling up their children) by a
participant or transcript attribute, with totals."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import QualCoderError
from ..storage import Project
from ..storage import codebook as code_rows
from .excerpts import excerpt_links, participant_table, transcript_table

MEASURES = ("excerpts", "participants", "percent", "transcripts", "words", "presence")
TOTAL = "Total"


@dataclass
class Matrix:
    frame: object  # pandas DataFrame: index = code names, columns = values + Total
    measure: str
    rows: list[str]  # code keys, in codebook order
    cols: list[str]
    row_names: list[str]

    def to_json(self) -> dict:
        df = self.frame
        return {"rows": self.rows, "row_names": self.row_names, "cols": self.cols,
                "cells": [[_plain(v) for v in df.loc[r].tolist()] for r in df.index],
                "measure": self.measure}


def _plain(value):
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    return int(f) if f.is_integer() else round(f, 1)


PARTICIPANT_COLUMNS = ("participant", "stakeholder_type", "role")
TRANSCRIPT_COLUMNS = ("transcript", "site", "kind", "date")


def frequency_matrix(project: Project, cols: str = "stakeholder_type",
                     measure: str = "excerpts", codebook: str | None = None,
                     include_interviewer: bool = False) -> Matrix:
    import pandas as pd

    if measure not in MEASURES:
        raise QualCoderError(f"measure must be one of {', '.join(MEASURES)}, not '{measure}'")
    codes = [c for c in code_rows.all_codes(project.conn)
             if codebook is None or c["codebook"] == codebook]
    if codebook and not codes:
        raise QualCoderError(f"no codebook '{codebook}' (or it has no codes)")
    links = excerpt_links(project, include_interviewer, with_words=measure == "words")
    people = participant_table(project)
    transcripts = transcript_table(project)
    if cols in people.columns and cols != "participant_id":
        links = links.merge(people[["participant_id", cols]], on="participant_id", how="left")
        base = people if include_interviewer else people[people["is_interviewer"] == 0]
        # Only participants who speak in some transcript count as a column's population.
        base = base[base["participant_id"].isin(_speaking(project))]
        population = base.groupby(base[cols].fillna("(none)"))["participant_id"].nunique()
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
    links[cols] = links[cols].fillna("(none)").astype(str)
    col_values = sorted(population.index.astype(str).tolist())
    # Roll-up: each coding also counts for every ancestor of its code.
    parent = {c["key"]: c["parent"] for c in codes}
    chains = {}
    for key in parent:
        chain, k = [], key
        while k is not None and k in parent:
            chain.append(k)
            k = parent[k]
        chains[key] = chain
    links = links[links["code"].isin(parent)]
    links = links.assign(row=links["code"].map(chains)).explode("row")

    def aggregate(frame, by):
        if frame.empty:
            return pd.Series(dtype=float)
        g = frame.groupby(by)
        if measure in ("excerpts", "presence"):
            return g["coding_id"].nunique()
        if measure in ("participants", "percent"):
            return g["participant_id"].nunique()
        if measure == "transcripts":
            return g["transcript_id"].nunique()
        # words: a coding's words once per cell, however many speakers it spans
        return frame.drop_duplicates(["coding_id", *by]).groupby(by)["words"].sum()

    cells = aggregate(links, ["row", cols]).unstack(cols) if not links.empty else pd.DataFrame()
    table = pd.DataFrame(0.0, index=[c["key"] for c in codes], columns=col_values)
    if not cells.empty:
        table.update(cells.reindex(index=table.index, columns=col_values))
    table = table.fillna(0)
    row_total = aggregate(links, ["row"]).reindex(table.index).fillna(0)
    table[TOTAL] = row_total
    overall = links.drop(columns=["row"]).drop_duplicates()
    col_total = aggregate(overall, [cols]).reindex(col_values).fillna(0).tolist()
    if measure == "words":
        col_total = [float(overall[overall[cols] == v].drop_duplicates("coding_id")["words"]
                           .sum()) for v in col_values]
    if measure in ("excerpts", "presence"):
        grand = overall["coding_id"].nunique()
    elif measure in ("participants", "percent"):
        grand = overall["participant_id"].nunique()
    elif measure == "transcripts":
        grand = overall["transcript_id"].nunique()
    else:
        grand = overall.drop_duplicates("coding_id")["words"].sum()
    table.loc[TOTAL] = col_total + [grand]
    if measure == "percent":
        sizes = population.reindex(col_values).fillna(0).tolist()
        sizes.append(sum(sizes))
        table = table.div([s or float("nan") for s in sizes], axis=1).mul(100).round(1)
        table = table.fillna(0)
    elif measure == "presence":
        table = (table > 0).astype(int)
    else:
        table = table.astype(int)
    names = [c["name"] for c in codes] + [TOTAL]
    return Matrix(table, measure, [c["key"] for c in codes] + [TOTAL], col_values + [TOTAL],
                  names)


def _speaking(project: Project) -> set[int]:
    return {r[0] for r in project.conn.execute(
        "SELECT DISTINCT participant_id FROM speakers WHERE participant_id IS NOT NULL")}


def _population_by_transcript_attr(project: Project, transcripts, col: str,
                                   include_interviewer: bool):
    """Participants who speak in transcripts with each value of a transcript attribute."""
    import pandas as pd

    rows = pd.read_sql_query(
        "SELECT DISTINCT s.transcript_id, s.participant_id, COALESCE(st.is_interviewer, 0) "
        "AS is_interviewer FROM speakers s JOIN participants p ON p.id = s.participant_id "
        "LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type", project.conn)
    if not include_interviewer:
        rows = rows[rows["is_interviewer"] == 0]
    rows = rows.merge(transcripts[["transcript_id", col]], on="transcript_id")
    return rows.groupby(rows[col].fillna("(none)").astype(str))["participant_id"].nunique()
