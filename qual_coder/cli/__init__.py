"""The `qual-coder` command: a thin layer of click commands over services.

Each command opens the project, calls one service, prints the result. Errors a
user can act on (QualCoderError) print as one line per problem on stderr with
exit status 1; nothing else is caught, so a bug shows its traceback. Commands
live in one module per area; importing them registers them on the group.
"""

from __future__ import annotations

from . import (analysis, assist, codebook, coding, project, quant,  # noqa: F401
               team)  # importing a module registers its commands
from .common import cli


def main() -> None:
    cli(prog_name="qual-coder")
