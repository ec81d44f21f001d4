"""Charting a framework matrix: the analyst's summary of a cell, stored as one action."""

from __future__ import annotations

from ..analysis.framework import CASES
from ..errors import QualCoderError
from ..storage import Project, code_rows, framework_rows, utcnow


def set_summary(project: Project, theme: str, cases: str, case_key: str, code: str,
                summary: str, author: str | None = None) -> None:
    """Store (or with empty text, clear) the analyst's summary of one cell."""
    if cases not in CASES:
        raise QualCoderError(f"cases must be one of {', '.join(CASES)}")
    with project.transaction():
        conn = project.conn
        top = code_rows.code(conn, theme)["key"]
        key = code_rows.code(conn, code)["key"]
        if not summary.strip():
            framework_rows.clear_summary(conn, top, cases, case_key, key)
        else:
            framework_rows.set_summary(conn, top, cases, case_key, key, summary.strip(), author,
                                       utcnow())
