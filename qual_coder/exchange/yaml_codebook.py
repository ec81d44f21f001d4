"""Codebooks as YAML: one file per framework, readable and diff-friendly.

    key: cascade
    name: CASCADE framework
    description: ...
    metadata: {...}            # free-form, e.g. rating levels
    codes:
      - key: clarity_roles
        name: Clarity on roles, remit and responsibilities
        description: ...       # the definition
        include: ...
        exclude: ...
        example: ...
        keywords: [role, remit]
        patterns: [[{LOWER: single}, {LOWER: point}, {LOWER: of}, {LOWER: contact}]]
        color: "#1F77B4"
        origin: deductive
        codes: [...]           # children; or give a child `parent: KEY` in a flat list

Errors name the file and line. Export writes the nested form in a fixed field order,
so load -> export -> load -> export is byte-for-byte stable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..core.codebook import Code, Codebook, CodebookInvalid, derived_guid, slugify, validate
from ..core.limits import CODEBOOK_DEPTH, YAML_NODES
from ..core.text import did_you_mean
from ..errors import QualCoderError

CODEBOOK_FIELDS = ("key", "name", "description", "metadata", "codes", "guid")
CODE_FIELDS = ("key", "name", "parent", "description", "include", "exclude", "example",
               "keywords", "patterns", "color", "origin", "guid", "codable", "codes")


class CodebookFileError(QualCoderError):
    pass


class _Mapping(dict[str, Any]):
    line = 0
    key_lines: dict[str, Any]


class YamlTooLarge(QualCoderError):
    """Aliases that expand past the limit (a "billion laughs" file)."""


def load_yaml(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """Like yaml.safe_load, but the document's nodes are counted with every alias
    expanded before anything is built from them: a few hundred bytes of nested aliases
    would otherwise expand past any memory when the data is walked. Refused past
    YAML_NODES with YamlTooLarge."""
    reader = loader(text)
    try:
        node = reader.get_single_node()
        if node is None:
            return None
        seen: dict[int, int] = {}

        def size(n: yaml.Node) -> int:
            if id(n) in seen:
                return seen[id(n)]
            seen[id(n)] = 1  # a cycle counts once
            total = 1
            if isinstance(n, yaml.SequenceNode):
                total += sum(size(v) for v in n.value)
            elif isinstance(n, yaml.MappingNode):
                total += sum(size(k) + size(v) for k, v in n.value)
            if total > YAML_NODES.value:
                raise YamlTooLarge(f"its aliases expand to over {YAML_NODES.value:,} nodes "
                                   f"(the limit; {YAML_NODES.env}=N raises it)")
            seen[id(n)] = total
            return total

        size(node)
        return reader.construct_document(node)
    finally:
        reader.dispose()


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping and key, and refuses
    duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise CodebookFileError(f"line {line}: '{key}' is given twice in one mapping "
                                    f"(first at line {mapping.key_lines[key]})")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    raise CodebookFileError(f"{where}: expected text, got {type(value).__name__}")


def _unknown(fields: _Mapping, allowed: tuple[str, ...], what: str) -> None:
    for name in fields:
        if name not in allowed:
            hint = did_you_mean(str(name), allowed, n=1)
            raise CodebookFileError(
                f"line {fields.key_lines[name]}: unknown field '{name}' in {what}"
                + (hint or f"; fields are {', '.join(allowed)}"))


def parse_codebook(text: str, source: str = "") -> Codebook:
    """Parse and validate; errors raise CodebookFileError naming `source` and the line."""
    try:
        try:
            data = load_yaml(text, _LineLoader)
        except YamlTooLarge as err:
            raise CodebookFileError(str(err)) from None
        except RecursionError:  # PyYAML composes nested blocks recursively
            raise CodebookFileError(
                f"codes nested too deeply to read (the limit is {CODEBOOK_DEPTH.value} levels, "
                f"{CODEBOOK_DEPTH.env}); give deep codes a 'parent:' instead") from None
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
            where = f"line {mark.line + 1}: " if mark else ""
            problem = getattr(err, "problem", None) or str(err)
            raise CodebookFileError(f"{where}not valid YAML ({problem})") from None
        if not isinstance(data, _Mapping):
            raise CodebookFileError("line 1: a codebook is a mapping with key, name and codes")
        _unknown(data, CODEBOOK_FIELDS, "the codebook")
        key = _text(data.get("key"), "key") or slugify(Path(source).stem or "codebook")
        book = Codebook(
            key=key, name=_text(data.get("name"), "name") or key,
            description=_text(data.get("description"), "description"),
            metadata=_plain(data.get("metadata") or {}), source=source,
            guid=_text(data.get("guid"), "guid") or None,
        )
        codes = data.get("codes") or []
        if not isinstance(codes, list):
            raise CodebookFileError(f"line {data.key_lines.get('codes', 1)}: 'codes' must be "
                                    "a list of codes")
        _read_codes(codes, None, book)
        try:
            validate(book)
        except CodebookInvalid as err:
            raise CodebookFileError("\n".join(
                (f"line {line}: " if line else "") + msg for line, msg in err.problems)) from None
    except CodebookFileError as err:
        prefix = f"{source}: " if source else ""
        raise CodebookFileError("\n".join(prefix + line for line in str(err).splitlines())) \
            from None
    return book


def _read_codes(items: list[Any], parent: str | None, book: Codebook, level: int = 0) -> None:
    if level >= CODEBOOK_DEPTH.value:
        raise CodebookFileError(f"codes nested more than {CODEBOOK_DEPTH.value} levels deep, "
                                f"over the limit; raise it with {CODEBOOK_DEPTH.env}=N")
    for item in items:
        if not isinstance(item, _Mapping):
            raise CodebookFileError("a code must be a mapping with at least key and name")
        _unknown(item, CODE_FIELDS, f"code '{item.get('key', '?')}'")
        where = f"line {item.line}"
        if not item.get("key"):
            raise CodebookFileError(f"{where}: code without a key (give it a stable key "
                                    "such as referral_routes)")
        keywords = item.get("keywords") or []
        if isinstance(keywords, str):
            keywords = [keywords]
        if not isinstance(keywords, list):
            raise CodebookFileError(f"{where}: keywords must be a list of words or phrases")
        patterns = item.get("patterns") or []
        if not isinstance(patterns, list):
            raise CodebookFileError(f"{where}: patterns must be a list of spaCy Matcher "
                                    "patterns (each a list of token mappings)")
        explicit_parent = item.get("parent")
        if explicit_parent is not None and parent is not None:
            raise CodebookFileError(f"{where}: code '{item['key']}' is nested under "
                                    f"'{parent}' and also names parent '{explicit_parent}'")
        color = item.get("color")
        code = Code(
            key=str(item["key"]), name=_text(item.get("name"), where) or str(item["key"]),
            parent=str(explicit_parent) if explicit_parent is not None else parent,
            description=_text(item.get("description"), where),
            include=_text(item.get("include"), where), exclude=_text(item.get("exclude"), where),
            example=_text(item.get("example"), where),
            keywords=[str(k) for k in keywords], patterns=_plain(patterns),
            color=str(color).upper() if color is not None else None,
            origin=_text(item.get("origin"), where) or "deductive",
            guid=_text(item.get("guid"), where) or None,
            codable=bool(item.get("codable", True)), line=item.line,
        )
        book.codes.append(code)
        children = item.get("codes") or []
        if not isinstance(children, list):
            raise CodebookFileError(f"line {item.key_lines['codes']}: 'codes' must be a list")
        _read_codes(children, code.key, book, level + 1)


def _plain(value: Any) -> Any:
    """_Mapping -> dict, recursively, for storing as JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_codebook_file(path: Path) -> tuple[Codebook, list[str]]:
    """A YAML codebook and what reading it noted: read as every text file is
    (importers.decode), so one saved by an old editor in Windows-1252 or with UTF-16 comes
    in with its encoding named, as a CSV of codings would."""
    from ..importers.decode import read_text_file

    text, notes = read_text_file(path, "codebook")
    return parse_codebook(text, str(path)), notes


# -- export --------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_codebook(book: Codebook) -> str:
    data: dict[str, Any] = {"key": book.key, "name": book.name}
    if book.description:
        data["description"] = book.description
    if book.guid and book.guid != derived_guid(book.key):
        data["guid"] = book.guid
    if book.metadata:
        data["metadata"] = book.metadata
    data["codes"] = _dump_children(book, None)
    header = "# qual-coder codebook: edit freely, keep keys stable (codings refer to them).\n"
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                              width=100, default_flow_style=None)


def _dump_children(book: Codebook, parent: str | None) -> list[dict[str, Any]]:
    out = []
    for code in book.children(parent):
        item: dict[str, Any] = {"key": code.key, "name": code.name}
        for field in ("description", "include", "exclude", "example"):
            if getattr(code, field):
                item[field] = getattr(code, field)
        if code.keywords:
            item["keywords"] = list(code.keywords)
        if code.patterns:
            item["patterns"] = code.patterns
        if code.color:
            item["color"] = code.color
        item["origin"] = code.origin
        if not code.codable:
            item["codable"] = False
        if code.guid and code.guid != derived_guid(book.key, code.key):
            item["guid"] = code.guid
        children = _dump_children(book, code.key)
        if children:
            item["codes"] = children
        out.append(item)
    return out
