"""The audit trail reviewers ask for: every coding action (undone ones marked), codebook
change, merge, import, agreement decision, suggestion decision, memo and framework summary,
with who and when, oldest first."""

from __future__ import annotations

from typing import Any

from ..storage import Project
from ..storage.audit import trail

COLUMNS = ("at", "who", "what", "detail", "status")


def audit_trail(project: Project) -> list[dict[str, Any]]:
    return trail(project.conn)
