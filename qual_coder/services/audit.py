"""The audit trail reviewers ask for: every coding action (undone ones marked), codebook
change, merge, import, agreement decision, suggestion decision, memo and framework summary,
with who and when, oldest first."""

from __future__ import annotations

from typing import Any

from ..storage import Project
from ..storage.audit_rows import trail

COLUMNS = ("at", "who", "what", "detail", "status")


def audit_trail(project: Project) -> list[dict[str, Any]]:
    return trail(project.conn)


def record(project: Project, kind: str, detail: str, who: str | None = None,
           at: str | None = None) -> None:
    """Note an event no other table remembers (an import, reimport or merge) in the trail,
    inside the caller's transaction; by the acting coder, now, unless said."""
    from ..storage import utcnow
    from ..storage.audit_rows import record_event
    from .codings import default_coder

    record_event(project.conn, kind, detail, who or default_coder(project), at or utcnow())
