"""The `qual-coder` command: a thin layer of click commands over services.

Each command opens the project, calls one service, prints the result. Errors a
user can act on (QualCoderError, SQLite refusing a read-only or full file, an OS
error on a named file) print as one line per problem on stderr with exit status 1,
for every command through the group (common.handles_errors); anything else is a
bug and shows its traceback. Commands live in one module per area; importing a module
registers its commands on the group. A command's module is imported when the command is
first asked for (MODULES), so `qual-coder summary` does not load the analysis commands'
imports, nor `--version` any command's.
"""

from __future__ import annotations

import importlib
from typing import Any

from .common import cli, warn

MODULES = {
    "analysis": ("chart", "cooccurrence", "framework", "matrix", "quotes", "report"),
    "assist": ("autocode", "discover", "nlp", "review", "suggest"),
    "codebook": ("codebook",),
    "coding": ("code", "codings", "import-codings", "memo", "redo", "uncode", "undo"),
    "project": ("assign", "attributes", "backup", "demo", "import", "init", "participants",
        "pseudonymise", "reimport", "rename", "restore", "show", "stakeholder-types", "summary",
        "transcripts", "tui"),
    "quant": ("cascade", "link", "survey", "triangulate"),
    "query": ("audit", "methods", "query", "saturation", "search", "words"),
    "team": ("agreement", "export", "merge", "serve"),
}
cli.lazy = {name: module for module, names in MODULES.items() for name in names}


def load_all() -> None:
    """Register every command (for code that walks `cli.commands`)."""
    for module in MODULES:
        importlib.import_module(f".{module}", __name__)


def main() -> None:
    import warnings

    from ..storage.project import NetworkLocationWarning

    default = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], *args: Any,
             **kwargs: Any) -> None:
        if issubclass(category, NetworkLocationWarning):
            warn([str(message)])
        else:
            default(message, category, *args, **kwargs)

    warnings.showwarning = show
    cli(prog_name="qual-coder")
