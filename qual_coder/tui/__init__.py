"""The workbench (Textual), in a terminal or served to a browser by `qual-coder serve`."""

from __future__ import annotations

import os

SERVED_ENV = "QUAL_CODER_SERVED"  # set by `qual-coder serve` for each coder's workbench


def served() -> bool:
    """A browser session of `qual-coder serve`: the coder comes from the link (switching
    is off) and exports are downloaded by the browser, not written on the server."""
    return bool(os.environ.get(SERVED_ENV))


def session_key(coder: str, name: str) -> str:
    """The setting under which a workbench remembers `name` (the open transcript, the
    cursor in each, the last code, pins, panel sizes, the theme) for one coder: two
    coders sharing a project never land on each other's place or repeat each other's code."""
    return f"tui@{coder}.{name}"
