"""Names a package or module exports, each imported from where it is defined when first
used (PEP 562's module `__getattr__`): the package, `services` and the analyses they name
stay cheap to import, and a command pays only for what it reaches."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def exports(namespace: dict[str, Any], where: dict[str, str],
            modules: tuple[str, ...] = ()) -> Callable[[str], Any]:
    """A `__getattr__` for the module whose globals are `namespace`: `where` maps each
    exported name to the module defining it, relative to the module's package (".codebook",
    "..analysis.quotes"); the names in `modules` are those modules themselves. Each value
    is kept in `namespace` once found, so it is looked up once."""
    package = namespace["__package__"]

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        module = importlib.import_module(where[name], package)
        value = module if name in modules else getattr(module, name)
        namespace[name] = value
        return value

    return __getattr__
