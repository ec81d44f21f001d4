"""REFI-QDA Codebook Exchange (.qdc): the codebook format NVivo, ATLAS.ti, MAXQDA,
QualCoder and Taguette read and write.

Known traps of other tools are repaired before validating against the official
schema: Taguette's empty `<Sets/>` and colours with an alpha channel (#RRGGBBAA).
GUIDs are kept so a re-import matches codes. Our include/exclude/example criteria
travel inside the Description, so other tools show them and we read them back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.codebook import Code, Codebook, CodebookInvalid, derived_guid, slugify, validate
from ..core.files import private_output
from ..core.limits import CODEBOOK_DEPTH
from ..core.text import plural
from ..errors import QualCoderError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.etree import XMLSchema
    from lxml.etree import _Element as Element

NS = "urn:QDA-XML:codebook:1.0"
_CRITERIA = re.compile(r"(?:^|\n\n)(Include|Exclude|Example|Key): ")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_ALPHA = re.compile(r"^#([0-9A-Fa-f]{6})[0-9A-Fa-f]{2}$")


class QdcError(QualCoderError):
    pass


@lru_cache(maxsize=None)
def schema(name: str = "Codebook.xsd") -> XMLSchema:
    """The official schema, by libxml2 through lxml (a millisecond to load and a few to
    validate a real NVivo project, where a pure-Python validator took 0.75 s and 0.12 s,
    with the same verdicts; the tests check our exports with that one too)."""
    from lxml import etree

    with resources.as_file(resources.files("qual_coder.data") / name) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def parse_xml(data: bytes, source: str) -> Element:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_blank_text=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else "?"
        raise QdcError(f"{source} line {line}: not well-formed XML ({err.msg})") from None


def local_name(el: Element) -> str:
    """An element's name without its namespace ("" for a comment or a processing
    instruction, whose tag is not a name)."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def required(el: Element, name: str) -> str:
    """An attribute the schema requires (it is checked before anything is read)."""
    value = el.get(name)
    if value is None:
        raise QdcError(f"line {el.sourceline}: <{local_name(el)}> has no {name}; the "
                       "REFI-QDA schema requires one")
    return value


_OLD_NS = re.compile(r"^\{urn:QDA-XML:(codebook|project):(?!1\.0\})[^}]*\}")


def normalise_namespace(root: Element, notes: list[str]) -> Element:
    """Older exporters (and NVivo for Mac) write the namespace as `urn:QDA-XML:codebook:1:0`
    or `:0:4`; the elements are the same, so they are read as the 1.0 standard's. Returns
    the root to use (lxml cannot rename a root's namespace map in place)."""
    from lxml import etree

    m = _OLD_NS.match(root.tag if isinstance(root.tag, str) else "")
    if not m:
        return root
    old = m.group(0)[1:-1]
    new = f"urn:QDA-XML:{m.group(1)}:1.0"
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{" + old + "}"):
            el.tag = "{" + new + "}" + el.tag[len(old) + 2:]
    fresh = etree.Element(root.tag, dict(root.attrib), nsmap={None: new})
    fresh.text = root.text
    fresh.extend(list(root))
    etree.cleanup_namespaces(fresh)
    notes.append(f"read the namespace {old} as {new} (an older form of the standard)")
    return fresh


def repair_known_traps(root: Element, notes: list[str]) -> None:
    """Fix what other tools are known to write wrongly, in place, saying what was fixed."""
    for sets in list(root.iter("{*}Sets")):
        parent = sets.getparent()
        if len(sets) == 0 and parent is not None:
            parent.remove(sets)
            notes.append("removed an empty <Sets/> (written by Taguette; invalid by the schema)")
    for el in root.iter():
        color = el.get("color")
        alpha = _ALPHA.match(color) if color else None
        if alpha:
            el.set("color", "#" + alpha.group(1))
            notes.append(f"dropped the alpha channel of colour {color}")


def check_schema(root: Element, source: str, xsd: str) -> None:
    checker = schema(xsd)
    if checker.validate(root):
        return
    errors = list(checker.error_log)
    first = errors[0]
    where = f" line {first.line}" if first.line else ""
    # "Element '{urn:QDA-XML:codebook:1.0}Code', attribute 'isCodable': ..." -> "Code, ..."
    reason = re.sub(r"'\{[^}]*\}([^']*)'", r"\1", first.message)
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    raise QdcError(f"{source}{where}: does not follow the REFI-QDA schema: {reason}{more}")


def read_qdc(path: Path, key: str | None = None) -> tuple[Codebook, list[str]]:
    from lxml import etree

    try:
        data = path.read_bytes()
    except OSError as err:
        raise QdcError(f"{path}: cannot read ({err.strerror})") from None
    root = parse_xml(data, str(path))
    notes: list[str] = []
    root = normalise_namespace(root, notes)
    if root.tag != f"{{{NS}}}CodeBook":
        found = local_name(root)
        space = etree.QName(root).namespace or "none"
        raise QdcError(f"{path}: not a REFI-QDA codebook (root element {found} in namespace "
                       f"{space}; expected CodeBook in {NS})")
    repair_known_traps(root, notes)
    check_schema(root, str(path), "Codebook.xsd")
    book = Codebook(key=key or slugify(path.stem), name=path.stem, source=str(path))
    codes_el = root.find(f"{{{NS}}}Codes")
    book.codes = codes_from_xml(codes_el, NS, str(path)) if codes_el is not None else []
    notes += sets_not_carried(root.iterfind(f"{{{NS}}}Sets/{{{NS}}}Set"), NS, book.codes)
    try:
        validate(book)
    except CodebookInvalid as err:
        raise QdcError(f"{path}: {err}") from None
    return book, [f"{path}: {n}" for n in notes]


def sets_not_carried(sets: Iterable[Element], ns: str, codes: list[Code]) -> list[str]:
    """Code groups (`<Set>` elements, as ATLAS.ti writes them): named, with their codes,
    so the user can rebuild them; qual-coder has no code groups besides the tree."""
    names = {c.guid.lower(): c.name for c in codes if c.guid}
    out = []
    for s in sets:
        # MemberCode has `guid` in a codebook, `targetGUID` in a project
        members = [names.get((m.get("guid") or m.get("targetGUID") or "").strip("{}").lower(),
                             "?")
                   for m in s.iterfind(f"{{{ns}}}MemberCode")]
        shown = ", ".join(members[:8]) + (", ..." if len(members) > 8 else "")
        out.append(f"code group '{s.get('name')}' ({plural(len(members), 'code')}: {shown}) not "
                   f"carried: "
                   "qual-coder groups codes by the tree only")
    return out


def codes_from_xml(codes_el: Element, ns: str, where: str = "the codebook",
                   keys: dict[str, str] | None = None) -> list[Code]:
    """Code elements (nested) to Codes with unique keys: the key qual-coder gave the code
    (from `keys`, GUID -> key, which our exports carry beside the XML; or a "Key:" line
    older exports wrote in the description), else one slugified from its name."""
    taken: set[str] = set()
    out: list[Code] = []

    def unique(name: str) -> str:
        base = slugify(name)
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}_{n}"
        taken.add(key)
        return key

    def walk(top: Element) -> None:
        # Iterative, depth first in document order; refused past the depth limit.
        stack: list[tuple[Any, str | None, int]] = [
            (el, None, 0) for el in reversed(top.findall(f"{{{ns}}}Code"))]
        while stack:
            code_el, parent, level = stack.pop()
            if level >= CODEBOOK_DEPTH.value:
                raise CODEBOOK_DEPTH.refuse(where, f"codes nested more than "
                                                   f"{CODEBOOK_DEPTH.value} levels deep")
            name = code_el.get("name", "").strip() or "(unnamed)"
            desc_el = code_el.find(f"{{{ns}}}Description")
            description, criteria = split_description(desc_el.text if desc_el is not None
                                                      and desc_el.text else "")
            color = code_el.get("color")
            if color and len(color) == 4:  # #RGB -> #RRGGBB
                color = "#" + "".join(ch * 2 for ch in color[1:])
            key = (keys or {}).get(code_el.get("guid", "").strip("{}").lower(), "") or \
                criteria.get("Key", "")
            if _KEY.match(key) and key not in taken:  # written by us: keep our key
                taken.add(key)
            else:
                key = unique(name)
            code = Code(key=key, name=name, parent=parent, description=description,
                        include=criteria.get("Include", ""), exclude=criteria.get("Exclude", ""),
                        example=criteria.get("Example", ""),
                        color=color.upper() if color else None, origin="deductive",
                        guid=code_el.get("guid", "").strip("{}"),  # case kept as written
                        codable=code_el.get("isCodable", "true") in ("true", "1"),
                        line=code_el.sourceline)
            out.append(code)
            stack.extend((child, code.key, level + 1)
                         for child in reversed(code_el.findall(f"{{{ns}}}Code")))

    if codes_el is not None:
        walk(codes_el)
    return out


def split_description(text: str) -> tuple[str, dict[str, str]]:
    parts = _CRITERIA.split(text)
    criteria = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    return parts[0].strip(), criteria


def join_description(code: Code) -> str:
    text = code.description
    for label, value in (("Include", code.include), ("Exclude", code.exclude),
                         ("Example", code.example)):
        if value:
            text += f"\n\n{label}: {value}"
    return text.strip()


def code_elements(parent_el: Element, books: list[Codebook], ns: str, frames: bool) -> None:
    """Append Code elements for `books` under parent_el. With `frames`, each codebook
    becomes a non-codable top-level code holding its codes (how other tools show
    several frameworks side by side). Keys travel outside the XML (see refi_project),
    so descriptions show only what the codebook says."""
    from lxml import etree

    def add(el: Element, book: Codebook, parent: str | None) -> None:
        for code in book.children(parent):
            attrs = {"guid": code.guid or derived_guid(book.key, code.key), "name": code.name,
                     "isCodable": "true" if code.codable else "false"}
            if code.color:
                attrs["color"] = code.color
            code_el = etree.SubElement(el, f"{{{ns}}}Code", attrs)
            description = join_description(code)
            if description:
                etree.SubElement(code_el, f"{{{ns}}}Description").text = description
            add(code_el, book, code.key)

    for book in books:
        target = parent_el
        if frames:
            target = etree.SubElement(parent_el, f"{{{ns}}}Code", {
                "guid": book.guid or derived_guid(book.key), "name": book.name,
                "isCodable": "false"})
            if book.description.strip():
                etree.SubElement(target, f"{{{ns}}}Description").text = book.description.strip()
        add(target, book, None)


def write_qdc(books: list[Codebook], path: Path, origin: str) -> None:
    from lxml import etree

    root = etree.Element(f"{{{NS}}}CodeBook", {"origin": origin}, nsmap={None: NS})
    codes_el = etree.SubElement(root, f"{{{NS}}}Codes")
    code_elements(codes_el, books, NS, frames=len(books) > 1)
    if len(codes_el) == 0:
        raise QdcError("the codebook has no codes; a .qdc must hold at least one")
    check_schema(root, str(path), "Codebook.xsd")
    with private_output(path):
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8",
                                        pretty_print=True))
