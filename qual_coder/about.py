"""The installed version, read from the package's metadata (pyproject.toml is its one
source)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("qual-coder")
    except PackageNotFoundError:  # a checkout that was never installed
        return "0+unknown"
