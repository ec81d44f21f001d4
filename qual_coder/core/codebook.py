"""Codebooks: a tree of codes per framework, and the rules a valid one obeys."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from .limits import CODEBOOK_DEPTH

ORIGINS = ("deductive", "inductive")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Stable GUIDs for codes that never had one: the same codebook key and code key give
# the same GUID in every project, so projects built from one YAML file merge by GUID.
_GUID_NAMESPACE = uuid.UUID("6f1d3f0e-8c1a-4f7e-9a51-2d0c6b8e4a11")

# Distinct, readable on dark and light terminals; cycled for codes without a colour.
PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2",
           "#7F7F7F", "#BCBD22", "#17BECF", "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896")


def derived_guid(codebook_key: str, code_key: str | None = None) -> str:
    name = codebook_key if code_key is None else f"{codebook_key}/{code_key}"
    return str(uuid.uuid5(_GUID_NAMESPACE, name))


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"code_{slug}" if slug else "code"
    return slug[:60].rstrip("_")


@dataclass
class Code:
    key: str
    name: str
    parent: str | None = None
    description: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    keywords: list[str] = field(default_factory=list)
    patterns: list[Any] = field(default_factory=list)
    color: str | None = None
    origin: str = "deductive"
    guid: str | None = None
    codable: bool = True
    line: int | None = None  # where the code was defined, for error messages

    COMPARED = ("name", "parent", "description", "include", "exclude", "example", "keywords",
                "patterns", "color", "origin", "codable")


@dataclass
class Codebook:
    key: str
    name: str
    description: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    codes: list[Code] = field(default_factory=list)  # parents before their children
    source: str = ""
    guid: str | None = None

    def children(self, key: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent == key]


class CodebookInvalid(ValueError):
    """Problems found in a codebook, each as (line or None, message)."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = problems
        super().__init__("; ".join(m for _, m in problems))


def validate(codebook: Codebook) -> None:
    """Raise CodebookInvalid listing every problem (duplicate keys, unknown parents,
    cycles, bad colours, bad keys and origins)."""
    problems: list[tuple[int | None, str]] = []
    seen: dict[str, Code] = {}
    for code in codebook.codes:
        if not KEY_RE.match(code.key):
            problems.append((code.line, f"code key '{code.key}' must be lower-case letters, "
                                        "digits and underscores, starting with a letter"))
        if code.key in seen:
            first = seen[code.key].line
            problems.append((code.line, f"duplicate code key '{code.key}'"
                                        + (f" (first at line {first})" if first else "")))
        seen.setdefault(code.key, code)
        if not code.name.strip():
            problems.append((code.line, f"code '{code.key}' has no name"))
        if code.color is not None and not COLOUR_RE.match(code.color):
            problems.append((code.line, f"code '{code.key}': bad colour '{code.color}'; "
                                        "use #RRGGBB, e.g. #1F77B4"))
        if code.origin not in ORIGINS:
            problems.append((code.line, f"code '{code.key}': origin '{code.origin}' must be "
                                        "deductive or inductive"))
    for code in codebook.codes:
        if code.parent is not None and code.parent not in seen:
            problems.append((code.line, f"code '{code.key}': unknown parent '{code.parent}'"))
    levels, deep = deepest(codebook.codes)
    if levels > CODEBOOK_DEPTH.value:
        problems.append((deep.line if deep else None,
                         f"code '{deep.key if deep else '?'}' is {levels:,} levels deep, over "
                         f"the limit of {CODEBOOK_DEPTH.value}; if the codebook is genuine, "
                         f"raise it with {CODEBOOK_DEPTH.env}=N"))
        raise CodebookInvalid(problems)
    problems.extend(_cycles(codebook, seen))
    if problems:
        raise CodebookInvalid(problems)


def _cycles(codebook: Codebook, by_key: dict[str, Code]) -> list[tuple[int | None, str]]:
    problems: list[tuple[int | None, str]] = []
    reported: set[str] = set()
    for code in codebook.codes:
        path, current = [code.key], code.parent
        while current is not None and current in by_key:
            if current in path:
                cycle = path[path.index(current):] + [current]
                if not reported & set(cycle):
                    problems.append((code.line, "cycle in parents: " + " -> ".join(cycle)))
                    reported |= set(cycle)
                break
            path.append(current)
            current = by_key[current].parent
    return problems


def ordered(codes: list[Code]) -> list[Code]:
    """Parents before children, siblings in their given order (depth first)."""
    by_parent: dict[str | None, list[Code]] = {}
    for code in codes:
        by_parent.setdefault(code.parent, []).append(code)
    out: list[Code] = []
    # Iterative: a codebook 1,000 levels deep must not exhaust Python's stack.
    stack = list(reversed(by_parent.get(None, [])))
    while stack:
        code = stack.pop()
        out.append(code)
        stack.extend(reversed(by_parent.get(code.key, [])))
    return out


def deepest(codes: list[Code]) -> tuple[int, Code | None]:
    """The deepest level (1 for a top-level code) and a code at it; cycles stop a chain."""
    by_key = {c.key: c for c in codes}
    depth: dict[str, int] = {}
    best: tuple[int, Code | None] = (0, None)
    for code in codes:
        chain: list[Code] = []
        current: Code | None = code
        while current is not None and current.key not in depth and current not in chain:
            chain.append(current)
            current = by_key.get(current.parent) if current.parent is not None else None
        # Where the walk up stopped: a code measured already, the top, or a cycle (0).
        level = depth.get(current.key, 0) if current is not None else 0
        for c in reversed(chain):
            level += 1
            depth[c.key] = level
        if depth.get(code.key, 0) > best[0]:
            best = (depth[code.key], code)
    return best
