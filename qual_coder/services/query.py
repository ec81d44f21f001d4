"""Coding queries as a user runs them: by expression or by a saved name (@NAME), saved in
the project, and their results coded at a code as one undoable action."""

from __future__ import annotations

from typing import Any

from ..analysis.query import QueryError, Result, check_query, query_matrix, run_query
from ..errors import QualCoderError
from ..storage import Project, code_rows, query_rows, utcnow
from .codings import code_spans, default_coder

__all__ = ["QueryError", "Result", "answer_query", "code_results", "delete_query",
           "query_matrix", "save_query", "saved_queries"]


def answer_query(project: Project, expression: str, where: dict[str, list[str]] | None = None,
          coders: list[str] | None = None, include_interviewer: bool = False) -> Result:
    """Run an expression, or a saved query (`@NAME`) with its saved options unless others
    are given."""
    expression = expression.strip()
    if expression.startswith("@"):
        name = expression[1:].strip()
        found = query_rows.saved(project.conn, name)
        if found is None:
            names = [q["name"] for q in query_rows.all_saved(project.conn)]
            raise QualCoderError(f"no saved query '{name}'; saved: "
                                 f"{', '.join(names) or 'none yet (save one with --save NAME)'}")
        options = found["options"]
        return run_query(project, found["expression"], where or options.get("where"),
                         coders or options.get("coders"),
                         include_interviewer or bool(options.get("include_interviewer")))
    return run_query(project, expression, where, coders, include_interviewer)


def save_query(project: Project, name: str, expression: str,
               where: dict[str, list[str]] | None = None, coders: list[str] | None = None,
               include_interviewer: bool = False, coder: str | None = None) -> bool:
    """Save a query by name (checked first: a query that cannot be read, or names a code,
    filter value or coder the project does not have, is not saved); True when it replaced
    one of that name."""
    name = " ".join(name.split())
    if not name or name.startswith("@"):
        raise QualCoderError("a saved query's name is a word or a few (run it as @NAME)")
    check_query(project, expression, where, coders)
    options: dict[str, Any] = {}
    if where:
        options["where"] = where
    if coders:
        options["coders"] = coders
    if include_interviewer:
        options["include_interviewer"] = True
    with project.transaction():
        return query_rows.save(project.conn, name, expression.strip(), options,
                               coder or default_coder(project), utcnow())


def saved_queries(project: Project) -> list[dict[str, Any]]:
    return query_rows.all_saved(project.conn)


def delete_query(project: Project, name: str) -> None:
    with project.transaction():
        if not query_rows.delete(project.conn, name):
            raise QualCoderError(f"no saved query '{name}'")


def code_results(project: Project, result: Result, key: str, coder: str | None = None,
                 ) -> dict[str, Any]:
    """Code every passage the query found at `key` (made as an inductive code when there is
    none), as one action `undo` takes back, code included."""
    from ..storage import action_rows
    from .codebook import add_code

    spans = [(q.transcript_id, q.start, q.end) for q in result.quotes]
    if not spans:
        raise QualCoderError("the query found nothing to code; nothing was changed")
    with project.transaction():
        created = None
        if not code_rows.code_exists(project.conn, key):
            created = add_code(project, key, key.replace("_", " ").capitalize(),
                               description=f"Coded from the query: {result.expression}",
                               coder=coder)
        holding = code_spans(project, key, spans, coder, source="query",
                             label=f"code query results at {key}")
        if created is not None:
            action_rows.attach_created_code(project.conn, created["id"])
    return {"code": key, "created": created is not None, "passages": len(spans),
            "codings": len(holding)}
