"""The `qual-coder` command: a thin layer of click commands over services.

Each command opens the project, calls one service, prints the result. Errors a
user can act on (QualCoderError, SQLite refusing a read-only or full file, an OS
error on a named file) print as one line per problem on stderr with exit status 1,
for every command through the group (common.handles_errors); anything else is a
bug and shows its traceback. Commands
live in one module per area; importing them registers them on the group.
"""

from __future__ import annotations

from typing import Any

from . import (  # noqa: F401
    analysis,
    assist,
    codebook,
    coding,
    project,
    quant,
    query,
    team,  # importing a module registers its commands
)
from .common import cli, warn


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
