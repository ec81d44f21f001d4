"""The notebook API: a project as pandas DataFrames, each equal to what the matching
`qual-coder` command prints as JSON.

    import qual_coder
    p = qual_coder.open("study.db")            # read-only: a snapshot in memory
    p.codings()                                 # = qual-coder codings study.db --json
    p.quotes("access", where={"stakeholder_type": "school_staff"})
    p.matrix(cols="site", measure="participants")
    p.query("access AND NOT waiting_times")

Read-only by default: the project is copied into memory when opened (`refresh()` takes a
new copy), so nothing a notebook does can change the file, and a project another
program is writing is read as it stood. `open(path, writable=True)` opens the file
itself, for scripts that import or code through `services`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .storage import Project, open_preview, open_project

if TYPE_CHECKING:
    import pandas as pd

Where = dict[str, str] | dict[str, list[str]] | None


def _frame(records: list[dict[str, Any]], columns: list[str] | None = None) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame.from_records(records, columns=columns)


class Study:
    """One project, read through the same services the CLI and the workbench use."""

    def __init__(self, path: str | Path, writable: bool = False) -> None:
        self.path = Path(path)
        self.writable = writable
        self.project: Project = open_project(path) if writable else open_preview(path)

    def refresh(self) -> None:
        """Read the file again (a read-only Study holds the snapshot taken when opened)."""
        self.close()
        self.project = open_project(self.path) if self.writable else open_preview(self.path)

    def close(self) -> None:
        self.project.close()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<qual_coder.Study {self.path} ({'writable' if self.writable else 'read-only'})>"

    # --- what was coded ----------------------------------------------------------------

    def codings(self, transcript: str | None = None, code: str | None = None,
                coder: str | None = None, status: str | None = None) -> pd.DataFrame:
        """One row per coding: id, transcript, start, end, code, coder, status, text
        (`qual-coder codings --json`)."""
        from .services.codings import CODING_FIELDS, list_codings

        found = list_codings(self.project, transcript, code, coder, status=status)
        return _frame([{k: g[k] for k in CODING_FIELDS} for g in found], list(CODING_FIELDS))

    def quotes(self, code: str | list[str], mode: str = "any", where: Where = None,
               search: str | None = None, coders: list[str] | None = None) -> pd.DataFrame:
        """Attributed quotes of one or more codes (`qual-coder quotes --format json`)."""
        from .services.analyses import find_quotes

        codes = [code] if isinstance(code, str) else list(code)
        found = find_quotes(self.project, codes, mode, where, search, coders=coders)
        return _frame([q.to_json() for q in found], QUOTE_COLUMNS)

    def query(self, expression: str, where: Where = None,
              coders: list[str] | None = None) -> pd.DataFrame:
        """A coding query's passages (`qual-coder query --format json`); see
        `qual-coder query --help` for AND, OR, NOT, NEAR/n, SAME TURN, FOLLOWED BY."""
        from .services.query import answer_query

        result = answer_query(self.project, expression, _listed(where), coders)
        return _frame([q.to_json() for q in result.quotes], QUOTE_COLUMNS)

    # --- matrices ----------------------------------------------------------------------

    def matrix(self, cols: str = "stakeholder_type", measure: str = "excerpts",
               codebook: str | None = None, coders: list[str] | None = None,
               labels: bool = False) -> pd.DataFrame:
        """Codes by an attribute (`qual-coder matrix --json`: rows are code keys, columns
        the values' keys and Total); `labels=True` gives names as the tables show them."""
        import pandas as pd

        from .services.analyses import frequency_matrix

        m = frequency_matrix(self.project, cols, measure, codebook, False, coders)
        if labels:
            return m.labelled()
        data = m.to_json()
        return pd.DataFrame(data["cells"], index=data["rows"], columns=data["cols"])

    def framework(self, theme: str, cases: str = "participant",
                  group_by: str | None = None) -> pd.DataFrame:
        """The framework matrix of a theme: a row per case with its attributes, a column
        per code (`qual-coder framework --format json`, its `rows`)."""
        from .services.analyses import framework_matrix

        chart = framework_matrix(self.project, theme, cases, group_by)
        return _frame(chart.to_json()["rows"])

    def cooccurrence(self, within: str = "overlap") -> pd.DataFrame:
        """How often each two codes meet (`qual-coder cooccurrence --format json`)."""
        from .services.analyses import cooccurrence

        return cooccurrence(self.project, within)[0]

    # --- team, quantitative strands, saturation ---------------------------------------

    def agreement(self, coders: list[str], unit: str = "character") -> pd.DataFrame:
        """Per code: kappa, alpha, agreement and units (`qual-coder agreement --json`,
        its `codes`, without the per-transcript breakdown); `.attrs["overall"]` holds the
        pooled figures."""
        from .services.analyses import agreement

        result = agreement(self.project, coders, unit=unit)
        frame = _frame([{k: v for k, v in c.items() if k != "transcripts"}
                        for c in result["codes"]])
        frame.attrs["overall"] = result["overall"]
        frame.attrs["unit"] = unit
        return frame

    def cascade(self) -> pd.DataFrame:
        """The CASCADE table, a row per domain and workshop: n and the percent at each
        level (`qual-coder cascade table --json`, its `domains`)."""
        from .services.analyses import cascade_table

        table = cascade_table(self.project)
        rows = []
        for d in table["domains"]:
            for ws in d["workshops"]:
                rows.append({"domain": d["key"], "name": d["name"], "workshop": ws["label"],
                             "n": ws["n"], **{lvl: pct for lvl, pct in zip(
                                 table["levels"], ws["percent"], strict=True)},
                             "z": (d.get("wilcoxon") or {}).get("z"),
                             "p": (d.get("wilcoxon") or {}).get("p")})
        return _frame(rows)

    def survey(self) -> pd.DataFrame:
        """The survey summary, a row per item (`qual-coder survey summary --json`, its
        `items`)."""
        from .services.analyses import survey_summary

        return _frame(survey_summary(self.project)["items"])

    def saturation(self, base: int = 4, run: int = 2, threshold: float = 5.0,
                   by: str | None = None) -> pd.DataFrame:
        """A row per transcript in interview order (`qual-coder saturation --format json`,
        its `order`, with `group` when by stakeholder type); `.attrs` holds each result's
        statement and point of saturation."""
        from .services.analyses import saturation

        results = saturation(self.project, base, run, threshold, by)
        frame = _frame([{"group": r.group, **o} for r in results for o in r.order])
        frame.attrs["statements"] = {r.group: r.statement for r in results}
        frame.attrs["saturation_at"] = {r.group: r.saturation_at for r in results}
        return frame

    def words(self, by: str | None = None, top: int = 30, min_count: int = 2) -> pd.DataFrame:
        """Word frequency, or each group's key words (`qual-coder words --format json`)."""
        from .services.analyses import word_frequency

        return word_frequency(self.project, by, top, min_count)


QUOTE_COLUMNS = ["text", "attribution", "transcript", "start", "end", "codes", "participants",
                 "roles", "stakeholder_types", "site"]


def _listed(where: Where) -> dict[str, list[str]] | None:
    if not where:
        return None
    return {k: [v] if isinstance(v, str) else list(v) for k, v in where.items()}


def open(path: str | Path, writable: bool = False) -> Study:  # noqa: A001 (the API's verb)
    """Open a project for a notebook: read-only (a snapshot in memory) unless `writable`."""
    return Study(path, writable)
