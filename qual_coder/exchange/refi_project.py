"""REFI-QDA Project Exchange (.qdpx): a zip of `project.qde` and `sources/`.

Reading is forgiving about what other tools are known to write (ATLAS.ti's
`<name>.qde`, NVivo's `Sources/` and NVivo for Mac's lowercase `sources/` with a
stray `.root`, Taguette's empty `<Sets/>`, colours with an alpha channel) and
strict about the rest: the file is validated against the official schema after
those repairs. A PDF source comes in by its text layer (its `<Representation>`), with
the codings of its words, and an audio or video source by its transcripts. What we
cannot carry (pictures, recordings and their time codings, PDF regions without text,
code groups, graphs, links) is listed in
`QdpxProject.not_carried`, never dropped silently.

Positions. The standard says selections count characters of the plain text, but
tools disagree on what a character is: NVivo (a .NET program) counts UTF-16 code
units, so every emoji shifts later codings by one, and counts the CR of CRLF. We
keep text with LF endings and offsets in code points, so each source's positions
are converted. Which convention a file used is decided per source from the
evidence (`position_convention`): the hypothesis whose selections start and end
on word boundaries most often wins; ties go to the tool's known habit.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..core.codebook import Code, derived_guid
from ..core.files import private_output
from ..core.limits import check_archive
from ..core.text import plural
from ..errors import QualCoderError

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.etree import _Element as Element

    from ..core.codebook import Codebook

    SourceBytes = Callable[[str], bytes | None]  # an archive member's bytes, if present
    Position = Callable[[int], int | None]  # a tool's position -> an index, if in range
from .refi_codebook import (
    check_schema,
    codes_from_xml,
    local_name,
    normalise_namespace,
    parse_xml,
    repair_known_traps,
    required,
)

NS = "urn:QDA-XML:project:1.0"
_NSMAP = {"q": NS}
_GUID_NAMESPACE = uuid.UUID("0b7f3c55-4a1e-4d1f-8a0e-5f6c2b9d7e21")
_MEDIA = {"PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio",
          "VideoSource": "video"}
MAX_QDE_BYTES = 200 * 1024 * 1024


class QdpxError(QualCoderError):
    pass


def stable_guid(*parts: str) -> str:
    """A GUID derived from what an object is, so exporting twice gives the same file."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join(parts)))


# -- what a .qdpx holds, once read ----------------------------------------------------

@dataclass
class QdpxCoding:
    guid: str
    code_guid: str
    coder: str
    created: str | None


@dataclass
class QdpxSelection:
    guid: str
    start: int  # code points into QdpxSource.text (LF endings)
    end: int
    codings: list[QdpxCoding]
    note_guids: list[str] = field(default_factory=list)
    description: str = ""  # a memo, where NVivo, MAXQDA and QualCoder put coding memos


@dataclass
class QdpxSource:
    guid: str
    name: str
    text: str | None  # None when the archive lacks the text: listed in not_carried
    text_bytes: bytes = b""
    selections: list[QdpxSelection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    note_guids: list[str] = field(default_factory=list)
    convention: str = "code points"
    original_guid: str = ""  # as written (case kept), for writing back
    description: str = ""  # the source's memo in NVivo and QualCoder
    from_sets: list[str] = field(default_factory=list)  # variables made from its sets
    guessed: str = ""  # how its text was decoded, when that was a guess


@dataclass
class QdpxCase:
    guid: str
    name: str
    variables: dict[str, str]
    source_guids: list[str]
    description: str = ""


@dataclass
class QdpxProject:
    name: str
    origin: str
    users: dict[str, str]
    codes: list[Code]  # nested by parent key, keys unique within the file
    frames: list[Code]  # top-level non-codable codes: codebooks, when we wrote the file
    sources: list[QdpxSource]
    cases: list[QdpxCase]
    notes: dict[str, tuple[str, str]]  # guid -> (name, text)
    code_note_guids: dict[str, list[str]]  # code guid -> note guids
    project_note_guids: list[str]
    not_carried: list[str]
    repairs: list[str]
    description: str = ""  # the project's memo as QualCoder and NVivo write it
    note_dates: dict[str, str] = field(default_factory=dict)  # guid -> last modified
    codebook_keys: list[dict[str, Any]] = field(default_factory=list)  # our own export's codebooks
    # What qual-coder stores and REFI-QDA has no element for, from our own exports
    # (EXTRAS in the qual-coder.json member): empty for other tools' files.
    extras: dict[str, Any] = field(default_factory=dict)

# Beside project.qde our exports carry what the XML has no place for: each code's and
# codebook's key, so a project that travels through another tool comes back with the keys
# scripts and reports use. Other tools ignore an unknown member of the zip.
KEYS_MEMBER = "qual-coder.json"
# The member's other parts (docs/qdpx-member.md): stakeholder types; each case's type and
# role; each code's origin (deductive or inductive); each source's turns as stored
# (label or none, start, end), so speakers and not-speakers come back as they were;
# suggestions waiting for review; how accepted codings came; framework cell summaries.
EXTRAS = ("stakeholder_types", "participants", "origins", "turns", "suggestions",
          "coding_sources", "summaries", "ratings", "survey", "links", "history",
          "codebook_metadata", "decisions", "queries")


# -- reading ---------------------------------------------------------------------------

def read_qdpx(path: Path) -> QdpxProject:
    """Read a .qdpx (or a bare .qde beside its sources folder)."""
    if path.suffix.lower() == ".qde":
        try:
            qde = path.read_bytes()
        except OSError as err:
            raise QdpxError(f"{path}: cannot read ({err.strerror})") from None
        folder = path.parent
        return _read(qde, str(path), lambda name: _file_source(folder, name))
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        reason = getattr(err, "strerror", None) or "not a zip archive"
        raise QdpxError(f"{path}: cannot open as a REFI-QDA project ({reason}); a .qdpx is "
                        "a zip holding project.qde and sources/") from None
    with archive:
        check_archive(str(path), archive)
        members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        qde_name = _find_qde(members, path)
        if members[qde_name].file_size > MAX_QDE_BYTES:
            raise QdpxError(f"{path}: {qde_name} is larger than 200 MB; refusing to read it")

        def source(name: str) -> bytes | None:
            wanted = name.lower()
            for member in members:
                lower = member.lower()
                if lower in (f"sources/{wanted}", wanted) or lower.endswith(f"/{wanted}"):
                    return archive.read(member)
            return None

        try:
            return _read(archive.read(qde_name), f"{path}:{qde_name}", source)
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise QdpxError(f"{path}: damaged archive ({err})") from None


def _find_qde(members: dict[str, Any], path: Path) -> str:
    at_root = [m for m in members if m.lower().endswith(".qde") and "/" not in m.strip("/")]
    if not at_root:
        raise QdpxError(f"{path}: no project.qde inside; is this a REFI-QDA project export?")
    # The standard says project.qde; ATLAS.ti writes <project name>.qde.
    at_root.sort(key=lambda m: (m.lower() != "project.qde", m))
    return at_root[0]


def _file_source(folder: Path, name: str) -> bytes | None:
    for candidate in (folder / "sources" / name, folder / "Sources" / name, folder / name):
        if candidate.is_file():
            return candidate.read_bytes()
    return None


def _read(qde: bytes, where: str, source_bytes: SourceBytes) -> QdpxProject:
    root = parse_xml(qde, where)
    repairs: list[str] = []
    root = normalise_namespace(root, repairs)
    if root.tag != f"{{{NS}}}Project":
        raise QdpxError(f"{where}: not a REFI-QDA project (root element is "
                        f"{local_name(root)}, expected Project)")
    repair_known_traps(root, repairs)
    ours = _keys(source_bytes(KEYS_MEMBER))
    check_schema(root, where, "Project.xsd")
    origin = root.get("origin", "")
    users = {_guid(guid): u.get("name") or u.get("id") or guid
             for u in root.iterfind("q:Users/q:User", _NSMAP) for guid in [required(u, "guid")]}
    not_carried: list[str] = []

    codes_el = root.find("q:CodeBook/q:Codes", _NSMAP)
    codes = (codes_from_xml(codes_el, NS, where, ours.get("codes", {}))
             if codes_el is not None else [])
    # Our own exports carry each codebook (of several) as a non-codable top-level code.
    book_guids = {b["guid"].lower() for b in ours.get("codebooks", [])}
    frames = [c for c in codes if c.parent is None and not c.codable and (
        (c.guid or "").lower() in book_guids
        or (not book_guids and origin.startswith("qual-coder")))]
    code_notes: dict[str, list[str]] = {}
    for code_el in root.iterfind(".//q:CodeBook//q:Code", _NSMAP):
        refs = _note_refs(code_el)
        if refs:
            code_notes[_guid(code_el.get("guid"))] = refs

    variables = {_guid(v.get("guid")): required(v, "name")
                 for v in root.iterfind("q:Variables/q:Variable", _NSMAP)}
    notes = {}
    note_dates = {}
    for note in root.iterfind("q:Notes/q:Note", _NSMAP):
        when = note.get("modifiedDateTime") or note.get("creationDateTime")
        if when:
            note_dates[_guid(note.get("guid"))] = when
        text = note.findtext("q:PlainTextContent", default="", namespaces=_NSMAP)
        text_path = note.get("plainTextPath")
        if not text and text_path:
            data = source_bytes(_internal_name(text_path))
            text = _decode(data)[0] if data else ""
        # A note's description (a line about it, as the standard's own example writes
        # "day to day log about this amazing project") comes first, then its text.
        about = _description(note)
        if about and about not in text:
            text = f"{about}\n\n{text}" if text.strip() else about
        notes[_guid(note.get("guid"))] = (note.get("name") or "", text.replace("\r\n", "\n"))

    sources: list[QdpxSource] = []
    sources_el = root.find("q:Sources", _NSMAP)
    # ATLAS.ti writes a recording's transcript twice: in the recording and as a text
    # source with the same file. Such a transcript comes in once, as the text source.
    text_paths = {_internal_name(t.get("plainTextPath", "")).lower()
                  for t in root.iterfind("q:Sources/q:TextSource", _NSMAP)
                  if t.get("plainTextPath")}
    for el in (sources_el if sources_el is not None else []):
        kind = local_name(el)
        if not kind:
            continue  # a comment between the sources
        name = el.get("name") or required(el, "guid")
        if kind == "PDFSource":
            from_text = _pdf_text(el, name, origin, variables, users, source_bytes,
                                  not_carried)
            if from_text is not None:
                sources.append(from_text)
                continue
        if kind in _MEDIA:
            heard = _media_transcripts(el, name, origin, variables, users, source_bytes,
                                       not_carried, text_paths)
            sources += heard
            selections = sum(1 for c in el if local_name(c).endswith("Selection"))
            not_carried.append(
                f"{_MEDIA[kind]} source '{name}' ({selections} coded selections of the "
                "recording): qual-coder holds text only" + (
                    f"; its transcript{'s' if len(heard) > 1 else ''} "
                    f"{', '.join(repr(h.name) for h in heard)} imported" if heard else ""))
            continue
        sources.append(_text_source(el, name, origin, variables, users, source_bytes,
                                    not_carried))

    repairs += [f"text source '{s.name}': {s.guessed}" for s in sources if s.guessed]
    cases = [QdpxCase(_guid(c.get("guid")), c.get("name") or required(c, "guid"),
                      _variable_values(c, variables),
                      [_guid(r.get("targetGUID")) for r in c.iterfind("q:SourceRef", _NSMAP)],
                      _description(c))
             for c in root.iterfind("q:Cases/q:Case", _NSMAP)]
    not_carried += _sets(root, sources, codes)
    for tag, what in (("Graphs/q:Graph", "graph"), ("Links/q:Link", "link")):
        shapes = root.findall(f"q:{tag}", _NSMAP)
        if shapes:
            names = ", ".join(sorted({f.get("name") or "(unnamed)" for f in shapes})[:5])
            not_carried.append(f"{len(shapes)} {what}{'s' if len(shapes) != 1 else ''} "
                               f"({names}{', ...' if len(shapes) > 5 else ''})")
    return QdpxProject(
        name=root.get("name", ""), origin=origin, users=users, codes=codes, frames=frames,
        sources=sources, cases=cases, notes=notes, code_note_guids=code_notes,
        project_note_guids=_note_refs(root), not_carried=not_carried, repairs=repairs,
        description=_description(root), note_dates=note_dates,
        codebook_keys=ours.get("codebooks", []), extras=ours.get("extras", {}))


SET_ATTRIBUTE = "Set"
_ATTRIBUTE_SET = re.compile(r"^\s*([^:;]{1,60}?)\s*:\s*(\S.*?)\s*$")


def _sets(root: Element, sources: list[QdpxSource], codes: list[Code]) -> list[str]:
    """Sets of sources become transcript attributes, so a matrix can be cut by them. A
    set named "name: value" (ATLAS.ti writes document-group attributes so: "gender:
    female", "age: 25") sets attribute `name` to `value`; any other set (MAXQDA's
    document sets, ATLAS.ti's plain groups) is a value of the attribute "Set", a source in
    several such sets getting their names joined with "; ". Sets of codes (ATLAS.ti's
    code groups) are listed as not carried, with their codes."""
    from .refi_codebook import sets_not_carried

    by_guid = {s.guid: s for s in sources if s.text is not None}
    out: list[str] = []
    given: dict[str, dict[str, list[str]]] = {}  # source guid -> attribute -> values
    code_sets = []
    for st in root.iterfind("q:Sets/q:Set", _NSMAP):
        name = st.get("name") or "(unnamed set)"
        members = [_guid(m.get("targetGUID")) for m in st.iterfind("q:MemberSource", _NSMAP)]
        if st.find("q:MemberCode", _NSMAP) is not None:
            code_sets.append(st)
        pair = _ATTRIBUTE_SET.match(name)
        attribute, value = (pair.group(1), pair.group(2)) if pair else (SET_ATTRIBUTE, name)
        for guid in members:
            if guid in by_guid:
                given.setdefault(guid, {}).setdefault(attribute, []).append(value)
        gone = len([g for g in members if g not in by_guid])
        if gone:
            out.append(f"set '{name}': {gone} of its {len(members)} sources not imported "
                       "(listed above)")
    for guid, attributes in given.items():
        src = by_guid[guid]
        for attribute, values in attributes.items():
            if attribute in src.variables:
                out.append(f"text source '{src.name}': has a variable '{attribute}' already; "
                           f"its set{'s' if len(values) > 1 else ''} "
                           f"{'; '.join(values)} not carried")
                continue
            src.variables[attribute] = "; ".join(values)
            src.from_sets.append(attribute)
    return out + sets_not_carried(code_sets, NS, codes)


def set_summary(project: QdpxProject) -> list[str]:
    """What the import made of the file's source sets, for its report."""
    counts: dict[tuple[str, str], int] = {}
    for src in project.sources:
        for attribute in src.from_sets:
            key = (attribute, src.variables[attribute])
            counts[key] = counts.get(key, 0) + 1
    return [f"{attribute} = {value} ({n} transcript{'s' if n != 1 else ''})"
            for (attribute, value), n in sorted(counts.items())]


def _keys(data: bytes | None) -> dict[str, Any]:
    if not data:
        return {}
    import json

    try:
        found = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    codes = {str(k).lower(): str(v) for k, v in (found.get("codes") or {}).items()}
    books = [b for b in found.get("codebooks") or [] if isinstance(b, dict)
             and isinstance(b.get("guid"), str) and isinstance(b.get("key"), str)]
    extras = {k: found[k] for k in EXTRAS if k in found}
    return {"codes": codes, "codebooks": books, "extras": extras}


def _description(el: Element) -> str:
    return (el.findtext("q:Description", default="", namespaces=_NSMAP) or "").replace(
        "\r\n", "\n").strip()


def _text_source(el: Element, name: str, origin: str, variables: dict[str, Any],
                 users: dict[str, Any], source_bytes: SourceBytes,
                 not_carried: list[str]) -> QdpxSource:
    guid = _guid(el.get("guid"))
    selections_el = el.findall("q:PlainTextSelection", _NSMAP)
    inline = el.find("q:PlainTextContent", _NSMAP)
    data: bytes | None = None
    if inline is not None and inline.text:
        data = inline.text.encode("utf-8")
    elif text_path := el.get("plainTextPath"):
        data = source_bytes(_internal_name(text_path))
    src = QdpxSource(guid, name, None, variables=_variable_values(el, variables),
                     note_guids=_note_refs(el), original_guid=(el.get("guid") or "").strip("{}"),
                     description=_description(el))
    rich_path = el.get("richTextPath", "")
    if data is None and rich_path.lower().endswith(".docx"):
        rich = source_bytes(_internal_name(rich_path))
        text = _docx_text(rich, name) if rich is not None else None
        if text is not None:
            # Only the Word file came: its text is read, but the selections count
            # positions in a plain text the file does not hold, so none is placed.
            src.text = text
            src.text_bytes = text.encode("utf-8")
            src.guessed = ("its plain text is not in the archive; the text is read from its "
                           "Word file")
            if selections_el:
                not_carried.append(f"text source '{name}': {len(selections_el)} coded "
                                   "selections not placed (their positions count a plain text "
                                   "the archive does not hold; the Word file's text is imported)")
            return src
    if data is None:
        lost = (f"; its {len(selections_el)} coded selections cannot be placed"
                if selections_el else "")
        not_carried.append(f"text source '{name}': its text ({el.get('plainTextPath') or 'none'})"
                           f" is not in the archive{lost}")
        return src
    raw, encoding = _decode(data)
    if encoding == "cp1252":
        src.guessed = ("its text is not UTF-8 or UTF-16; read as Windows-1252 (check "
                       "accented letters and quotes)")
    src.text_bytes = data
    src.text = raw.replace("\r\n", "\n").replace("\r", "\n")
    spans = [(int(required(s, "startPosition")), int(required(s, "endPosition")))
             for s in selections_el]
    src.convention, to_text = position_convention(raw, spans, origin)
    for sel, (start, end) in zip(selections_el, spans):
        a, b = to_text(min(start, end)), to_text(max(start, end))
        if a is None or b is None or a == b:
            not_carried.append(f"text source '{name}': selection {sel.get('guid')} at "
                               f"{start}-{end} lies outside its text ({len(raw)} characters)")
            continue
        src.selections.append(QdpxSelection(_guid(sel.get("guid")), a, b, _codings(sel, users),
                                            _note_refs(sel), _description(sel)))
    whole = el.findall("q:Coding", _NSMAP)
    if whole:
        not_carried.append(f"text source '{name}': {plural(len(whole), 'coding')} of the whole "
                           f"source "
                           "(code them on a span in qual-coder)")
    return src


def _code_ref(coding: Element) -> str:
    """The GUID of the code a <Coding> applies (its one <CodeRef>, by the schema)."""
    ref = coding.find("q:CodeRef", _NSMAP)
    return _guid(required(ref if ref is not None else coding, "targetGUID"))


def _codings(sel: Element, users: dict[str, Any]) -> list[QdpxCoding]:
    return [QdpxCoding((c.get("guid") or "").strip("{}"),
                       _code_ref(c),
                       users.get(_guid(c.get("creatingUser") or sel.get("creatingUser") or ""),
                                 "") or "imported",
                       c.get("creationDateTime") or sel.get("creationDateTime"))
            for c in sel.iterfind("q:Coding", _NSMAP)]


def _media_transcripts(el: Element, name: str, origin: str, variables: dict[str, Any],
                       users: dict[str, Any], source_bytes: SourceBytes,
                       not_carried: list[str], text_paths: set[str]) -> list[QdpxSource]:
    """The transcripts of an audio or video source (NVivo, MAXQDA, ATLAS.ti): each a
    transcript here, under its own name (the recording's when it has none), with the
    recording's variables and memo; its coded selections run between sync points, whose
    positions count characters of the transcript's text."""
    out: list[QdpxSource] = []
    for tr in el.iterfind("q:Transcript", _NSMAP):
        path = tr.get("plainTextPath")
        if path and _internal_name(path).lower() in text_paths:
            continue
        label = tr.get("name") or name
        src = _text_source(tr, label, origin, variables, users, source_bytes, not_carried)
        if src.text is None:
            continue
        # cases and sets name the recording: its first transcript stands in for it
        _stand_in(src, el, variables, take_guid=not out)
        at = {_guid(p.get("guid")): int(p.get("position", "")) for p in tr.iterfind(
            "q:SyncPoint", _NSMAP) if (p.get("position") or "").lstrip("-").isdigit()}
        chosen = tr.findall("q:TranscriptSelection", _NSMAP)
        spans = [(at.get(_guid(t.get("fromSyncPoint"))), at.get(_guid(t.get("toSyncPoint"))))
                 for t in chosen]
        raw = _decode(src.text_bytes)[0]
        found = [(a, b) for a, b in spans if a is not None and b is not None]
        src.convention, to_text = position_convention(raw, found, origin)
        for sel, (a, b) in zip(chosen, spans):
            start = to_text(min(a, b)) if a is not None and b is not None else None
            end = to_text(max(a, b)) if a is not None and b is not None else None
            if start is None or end is None or start == end:
                not_carried.append(f"transcript '{label}': selection {sel.get('guid')} has no "
                                   "sync points inside its text")
                continue
            src.selections.append(QdpxSelection(_guid(sel.get("guid")), start, end,
                                                _codings(sel, users), _note_refs(sel),
                                                _description(sel)))
        out.append(src)
    return out


def _stand_in(src: QdpxSource, outer: Element, variables: dict[str, Any], take_guid: bool) -> None:
    """`src`, read from a PDF's text layer or a recording's transcript, stands in for the
    PDF or recording `outer`: its GUID (so cases and sets that name `outer` find it), and
    `outer`'s variables (the schema gives the inner element none) and notes; a memo on
    either is kept, both when both have one."""
    if take_guid:
        src.guid = _guid(outer.get("guid"))
        src.original_guid = (outer.get("guid") or "").strip("{}")
    src.variables = {**src.variables, **_variable_values(outer, variables)}
    src.note_guids += _note_refs(outer)
    memos = dict.fromkeys(m for m in (_description(outer), src.description) if m)
    src.description = "\n\n".join(memos)


def _pdf_text(el: Element, name: str, origin: str, variables: dict[str, Any],
              users: dict[str, Any], source_bytes: SourceBytes,
              not_carried: list[str]) -> QdpxSource | None:
    """A PDF source by its text: ATLAS.ti and NVivo write a PDF's text layer as a
    `<Representation>` (a text source) whose PlainTextSelections carry the codings of
    the PDF's words. It becomes a transcript under the PDF's name and GUID (so cases and
    sets still find it); coded regions with no text (a picture, a chart) are listed."""
    rep = el.find("q:Representation", _NSMAP)
    if rep is None:
        return None
    inline = rep.findtext("q:PlainTextContent", default="", namespaces=_NSMAP)
    path = rep.get("plainTextPath")
    if not inline and not (path and source_bytes(_internal_name(path)) is not None):
        return None  # no text layer in the archive: the PDF is listed as not carried
    src = _text_source(rep, name, origin, variables, users, source_bytes, not_carried)
    _stand_in(src, el, variables, take_guid=True)
    carried = {sel.guid for sel in src.selections}
    regions = [r for r in el.iterfind("q:PDFSelection", _NSMAP)
               if _guid(r.get("guid")) not in carried and r.find("q:Coding", _NSMAP) is not None]
    for r in regions:
        not_carried.append(f"PDF source '{name}': a coded region on page {r.get('page')} "
                           f"('{(r.get('name') or '')[:60]}') has no selection in the PDF's "
                           "text; its text and the codings of its words are imported")
    whole = el.findall("q:Coding", _NSMAP)
    if whole:
        not_carried.append(f"PDF source '{name}': {plural(len(whole), 'coding')} of the whole "
                           f"source "
                           "(code them on a span in qual-coder)")
    return src


def _docx_text(data: bytes, name: str) -> str | None:
    """A source's Word file as text, a paragraph a line (None if it cannot be read)."""
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(name, archive)
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None
    return "\n".join(p.text for p in document.paragraphs).replace("\r", "\n")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"
    return text.removeprefix("\ufeff"), "utf-8"


def _internal_name(path: str) -> str:
    path = re.sub(r"^(internal|relative|absolute)://", "", path.strip())
    return PurePosixPath(path.replace("\\", "/")).name


def _guid(value: str | None) -> str:
    return (value or "").strip("{}").lower()


def _note_refs(el: Element) -> list[str]:
    return [_guid(r.get("targetGUID")) for r in el.iterfind("q:NoteRef", _NSMAP)]


def _variable_values(el: Element, variables: dict[str, str]) -> dict[str, str]:
    out = {}
    for vv in el.iterfind("q:VariableValue", _NSMAP):
        ref = vv.find("q:VariableRef", _NSMAP)
        name = variables.get(_guid(ref.get("targetGUID")) if ref is not None else "")
        values = [c.text for c in vv if local_name(c) not in ("VariableRef", "") and c.text]
        if name and values:
            out[name] = values[0]
    return out


# -- positions -----------------------------------------------------------------------

def position_convention(raw: str, spans: list[tuple[int, int]],
                        origin: str) -> tuple[str, Position]:
    """Decide how a tool counted positions in `raw` (its text as decoded, BOM removed,
    line endings as written) and return (description, position -> code point in the
    LF-normalised text, or None when out of range)."""
    habits = [("UTF-16 units", True), ("code points", False)]
    if not re.search(r"nvivo|atlas\.ti|maxqda", origin, re.I):
        habits.reverse()
    crlf = [True, False] if "\r" in raw else [True]
    candidates = [(f"{unit}{'' if keeps_cr else ', CR not counted'}", _mapper(raw, u16, keeps_cr))
                  for unit, u16 in habits for keeps_cr in crlf]
    if len(spans) == 0 or (len(candidates) == 2 and raw.isascii()):
        return candidates[0][0], candidates[0][1][1]
    scored = [(_plausibility(raw, spans, to_raw), i) for i, (_, (to_raw, _)) in
              enumerate(candidates)]
    best = max(scored, key=lambda s: (s[0], -s[1]))[1]
    name, (_, to_text) = candidates[best]
    return name, to_text


def _mapper(raw: str, utf16: bool, keeps_cr: bool) -> tuple[Position, Position]:
    """Position p (in the tool's units) -> index into raw, and -> index into the
    LF-normalised text. Only astral characters and CRs before LF make the counts
    differ, so only their indices are kept and positions are found by bisection."""
    astral = [m.start() for m in re.finditer("[\U00010000-\U0010FFFF]", raw)] if utf16 else []
    crs = [m.start() for m in re.finditer("\r\n", raw)]
    dropped = [] if keeps_cr else crs

    def units_before(i: int) -> int:  # the tool's position of raw index i
        return i + bisect_left(astral, i) - bisect_left(dropped, i)

    total = units_before(len(raw))

    def to_raw(p: int) -> int | None:
        if p < 0 or p > total:
            return None
        lo, hi = 0, len(raw)
        while lo < hi:  # the first raw index whose position is >= p
            mid = (lo + hi) // 2
            if units_before(mid) < p:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def to_text(p: int) -> int | None:
        i = to_raw(p)
        return None if i is None else i - bisect_left(crs, i)

    return to_raw, to_text


def _plausibility(raw: str, spans: list[tuple[int, int]], to_raw: Position) -> int:
    def edge(i: int | None, start: bool) -> bool:
        if i is None:
            return False
        inside = raw[i] if start and i < len(raw) else raw[i - 1] if i > 0 else ""
        outside = raw[i - 1] if start and i > 0 else raw[i] if not start and i < len(raw) else ""
        return bool(inside) and not inside.isspace() and (not outside or not outside.isalnum())

    return sum(edge(to_raw(a), True) + edge(to_raw(b), False) for a, b in spans)


# -- writing -------------------------------------------------------------------------

@dataclass
class ExportSource:
    guid: str
    name: str
    text: str
    codings: list[dict[str, Any]]  # guid, code_guid, start, end, coder, created_at, note (or "")
    variables: dict[str, str]
    note: str = ""


@dataclass
class ExportCase:
    name: str
    variables: dict[str, str]
    source_guids: list[str]
    # The case's turns, (source GUID, start, end): written as selections of their sources
    # and referred to by the case (SelectionRef), so a peer that attributes excerpts by
    # case attributes a focus group's turns to who spoke them, as qual-coder does.
    turns: list[tuple[str, int, int]] = field(default_factory=list)


POSITIONS = ("code points", "utf16")


def write_qdpx(out: Path, name: str, origin: str, books: list[Codebook],
               sources: list[ExportSource], cases: list[ExportCase],
               code_notes: dict[str, tuple[str, str]],
               project_note: str, created: str, positions: str = "code points",
               extras: dict[str, Any] | None = None) -> None:
    """Write a .qdpx and validate its project.qde against the official schema first.

    Memos go where other tools read them: a transcript's and a coding's in the
    Description of its TextSource and PlainTextSelection, the project's in the
    Project's Description (NVivo, MAXQDA and QualCoder all read these), a code's in a
    Note (dated, with its text also in a file, as QualCoder requires). `positions`
    "utf16" counts UTF-16 code units, as NVivo does; the standard's default counts
    characters (code points)."""
    import json

    from lxml import etree

    from .refi_codebook import code_elements

    def q(tag: str) -> str:
        return f"{{{NS}}}{tag}"

    coders = sorted({c["coder"] for s in sources for c in s.codings} | {"qual-coder"})
    user_guid = {c: stable_guid("user", c) for c in coders}
    root = etree.Element(q("Project"), {
        "name": name, "origin": origin, "creatingUserGUID": user_guid["qual-coder"],
        "creationDateTime": _xml_datetime(created)}, nsmap={None: NS})
    users = etree.SubElement(root, q("Users"))
    for coder in coders:
        etree.SubElement(users, q("User"), {"guid": user_guid[coder], "name": coder})
    notes: list[tuple[str, str, str, str]] = []  # guid, name, text, when written
    files: dict[str, bytes] = {}

    if books:
        codebook = etree.SubElement(root, q("CodeBook"))
        codes_el = etree.SubElement(codebook, q("Codes"))
        # One codebook is the tree itself; several sit side by side, one frame each.
        code_elements(codes_el, books, NS, frames=len(books) > 1)
        for code_el in codes_el.iter(q("Code")):
            text, when = code_notes.get(code_el.get("guid", ""), ("", ""))
            if text:
                # NoteRef goes after Description and before child codes (schema order).
                guid = stable_guid("note", "code", code_el.get("guid", ""))
                notes.append((guid, f"code memo: {code_el.get('name')}", text, when))
                ref = etree.Element(q("NoteRef"), {"targetGUID": guid})
                desc = code_el.find(q("Description"))
                code_el.insert(1 if desc is not None else 0, ref)

    variable_names = sorted({k for s in sources for k in s.variables}
                            | {k for c in cases for k in c.variables})
    variable_guid = {v: stable_guid("variable", v) for v in variable_names}
    if variable_names:
        variables = etree.SubElement(root, q("Variables"))
        for v in variable_names:
            etree.SubElement(variables, q("Variable"), {"guid": variable_guid[v], "name": v,
                                                        "typeOfVariable": "Text"})

    def values(parent: Element, given: dict[str, str]) -> None:
        for key in sorted(given):
            vv = etree.SubElement(parent, q("VariableValue"))
            etree.SubElement(vv, q("VariableRef"), {"targetGUID": variable_guid[key]})
            etree.SubElement(vv, q("TextValue")).text = given[key]

    turn_selections: dict[str, list[tuple[str, int, int, str]]] = {}
    if cases:
        cases_el = etree.SubElement(root, q("Cases"))
        for case in cases:
            case_el = etree.SubElement(cases_el, q("Case"), {
                "guid": stable_guid("case", case.name), "name": case.name})
            values(case_el, case.variables)
            for guid in case.source_guids:
                etree.SubElement(case_el, q("SourceRef"), {"targetGUID": guid})
            for source, start, end in case.turns:
                sel_guid = stable_guid("turn", source, str(start), str(end))
                turn_selections.setdefault(source, []).append(
                    (sel_guid, start, end, f"{case.name}'s turn"))
                etree.SubElement(case_el, q("SelectionRef"), {"targetGUID": sel_guid})

    if sources:
        sources_el = etree.SubElement(root, q("Sources"))
        for src in sources:
            file_name = f"{src.guid}.txt"
            files[f"sources/{file_name}"] = src.text.encode("utf-8")
            unit = _utf16_units(src.text) if positions == "utf16" else (lambda i: i)
            el = etree.SubElement(sources_el, q("TextSource"), {
                "guid": src.guid, "name": src.name, "plainTextPath": f"internal://{file_name}"})
            if src.note.strip():
                etree.SubElement(el, q("Description")).text = src.note
            for c in src.codings:
                sel = etree.SubElement(el, q("PlainTextSelection"), {
                    "guid": stable_guid("selection", c["guid"]), "name": "",
                    "startPosition": str(unit(c["start"])), "endPosition": str(unit(c["end"])),
                    "creatingUser": user_guid[c["coder"]],
                    "creationDateTime": _xml_datetime(c["created_at"])})
                if (c.get("note") or "").strip():
                    etree.SubElement(sel, q("Description")).text = c["note"]
                coding = etree.SubElement(sel, q("Coding"), {
                    "guid": c["guid"], "creatingUser": user_guid[c["coder"]],
                    "creationDateTime": _xml_datetime(c["created_at"])})
                etree.SubElement(coding, q("CodeRef"), {"targetGUID": c["code_guid"]})
            for sel_guid, start, end, label in turn_selections.get(src.guid, []):
                etree.SubElement(el, q("PlainTextSelection"), {
                    "guid": sel_guid, "name": label, "startPosition": str(unit(start)),
                    "endPosition": str(unit(end))})
            values(el, src.variables)
    if notes:
        notes_el = etree.SubElement(root, q("Notes"))
        for guid, note_name, text, when in notes:
            files[f"sources/{guid}.txt"] = text.encode("utf-8")
            note = etree.SubElement(notes_el, q("Note"), {
                "guid": guid, "name": note_name, "plainTextPath": f"internal://{guid}.txt",
                "creatingUser": user_guid["qual-coder"],
                "creationDateTime": _xml_datetime(when or created),
                "modifiedDateTime": _xml_datetime(when or created)})
            etree.SubElement(note, q("PlainTextContent")).text = text
    if project_note.strip():
        etree.SubElement(root, q("Description")).text = project_note
    check_schema(root, str(out), "Project.xsd")
    keys = {"codebooks": [{"key": b.key, "guid": b.guid or derived_guid(b.key), "name": b.name}
                          for b in books],
            "codes": {(c.guid or derived_guid(b.key, c.key)): c.key
                      for b in books for c in b.codes}, **(extras or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", etree.tostring(root, xml_declaration=True,
                                                       encoding="utf-8", pretty_print=True))
        for member, data in files.items():
            archive.writestr(member, data)
        archive.writestr(KEYS_MEMBER, json.dumps(keys, indent=1, sort_keys=True))
    with private_output(out):
        out.write_bytes(buffer.getvalue())


def _utf16_units(text: str) -> Callable[[int], int]:
    """Code point offset -> UTF-16 code units before it (astral characters count two)."""
    astral = [m.start() for m in re.finditer("[\U00010000-\U0010FFFF]", text)]
    return lambda i: i + bisect_left(astral, i)


def _xml_datetime(value: str | None) -> str:
    """Our timestamps are ISO 8601 UTC; the schema wants xsd:dateTime (no spaces)."""
    if not value:
        return "1970-01-01T00:00:00Z"
    value = value.replace(" ", "T")
    return value if re.search(r"(Z|[+-]\d\d:\d\d)$", value) else value + "Z"
