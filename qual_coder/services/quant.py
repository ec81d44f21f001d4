"""Storing what the quantitative strands read from files, each import one transaction:
CASCADE ratings, survey waves, and the links from domains and survey items to codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import QualCoderError
from ..quant.cascade import CascadeImport, read_ratings
from ..quant.survey import import_outcome, read_survey
from ..storage import Project, code_rows, rating_rows, survey_rows
from .audit import record


def import_ratings(project: Project, path: str | Path) -> CascadeImport:
    """A ratings file in place of every rating stored; a refused file changes nothing."""
    notes: list[str] = []
    rows, workshops = read_ratings(project, path, notes)
    with project.transaction():
        replaced = rating_rows.replace_ratings(project.conn, rows)
        record(project, "import", f"{Path(path).name}: {len(rows)} CASCADE ratings")
    return CascadeImport(len(rows), len({r[0] for r in rows}), workshops, replaced, notes)


def import_survey(project: Project, path: str | Path, items_path: str | Path | None = None,
                  wave: str | None = None, include_incomplete: bool = False) -> dict[str, Any]:
    """One survey file (quant.survey.read_survey says what it may hold): the responses of
    its waves replace those waves'; other waves stay, so each wave's file is imported in
    turn. One transaction; a refused file imports nothing."""
    notes: list[str] = []
    survey = read_survey(project, path, items_path, wave, include_incomplete, notes)
    conn = project.conn
    with project.transaction():
        survey_rows.replace_waves(
            conn, survey.waves,
            [(i.key, i.label, i.type, i.levels, i.groups) for i in survey.items], survey.rows)
        all_waves = survey_rows.waves(conn)
        by_wave = survey_rows.respondents_by_wave(conn)
        record(project, "import", f"{Path(path).name}: survey wave(s) "
                                  f"{', '.join(survey.waves)}, {len(survey.rows)} answers")
    return {**import_outcome(survey, by_wave, all_waves), "notes": notes}


def set_link(project: Project, kind: str, source: str, code: str, remove: bool = False) -> None:
    """Tie a CASCADE domain or a survey item to a code (or untie it), for the joint display."""
    if kind not in ("cascade", "survey"):
        raise QualCoderError("link a CASCADE --domain or a --survey-item")
    with project.transaction():
        conn = project.conn
        key = code_rows.code(conn, code)["key"]
        if kind == "survey" and not survey_rows.item_exists(conn, source):
            raise QualCoderError(f"no survey item '{source}'; import the survey first")
        rating_rows.set_link(conn, kind, source, key, remove)
