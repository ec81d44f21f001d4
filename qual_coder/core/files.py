"""Files we write hold transcripts, quotes or names: readable by their owner only (0600),
whether the file is new or was there before (writing over a file keeps its mode, so an
old 0644 export would otherwise stay readable by everyone). Stdlib only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _private(path: Path) -> None:
    try:
        os.chmod(path, 0o600)
    except FileNotFoundError:
        pass


@contextmanager
def private_output(path: str | Path) -> Iterator[Path]:
    """Around a write to `path`: an existing file is made 0600 before a byte is written,
    a new one as soon as it is made."""
    path = Path(path)
    _private(path)
    try:
        yield path
    finally:
        _private(path)
