"""REFI-QDA project exchange (.qdpx) as one user action each: export a project for
NVivo, ATLAS.ti, MAXQDA or QualCoder; import a project they exported.

Import matches what the project already holds, so importing twice (or importing a
colleague's export of the same transcripts) duplicates nothing: transcripts by the
sha256 of their file or their text, codes by GUID, codings by GUID or by identical
span, code and coder.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.codebook import Code, Codebook, slugify
from ..core.text import plural
from ..core.transcripts import ParsedTranscript
from ..errors import NotFound, QualCoderError
from ..exchange.refi_project import (
    POSITIONS,
    ExportCase,
    ExportSource,
    QdpxCoding,
    QdpxProject,
    QdpxSource,
    read_qdpx,
    set_summary,
    stable_guid,
    write_qdpx,
)
from ..importers.text import TRANSCRIBER_HOW, paragraph_turns, parse_text
from ..storage import Project, code_rows, coding_rows, nlp_rows, transcript_rows, utcnow
from .codebook import merge_codebook
from .codings import default_coder
from .transcripts import ImportReport, store_transcript

SPEAKERS_VARIABLE = "speaker labels"  # "transcript: label; ..." so cases map back to speakers
TRANSCRIPT_FIELDS = ("site", "kind", "date")


@dataclass
class QdpxReport:
    origin: str
    codebooks: list[str] = field(default_factory=list)
    codes_added: int = 0
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_matched: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_present: int = 0
    participants: int = 0
    memos: int = 0
    positions: dict[str, str] = field(default_factory=dict)  # transcript -> convention
    not_carried: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)  # source sets, as transcript attributes
    suggestions: int = 0  # waiting for review, from our own export
    summaries: int = 0  # framework cell summaries, from our own export
    ratings: int = 0  # CASCADE ratings, from our own export
    survey_answers: int = 0  # survey answers, from our own export


# -- import ------------------------------------------------------------------------

def import_qdpx(project: Project, path: str | Path, coder: str | None = None,
                speakers: bool = False) -> QdpxReport:
    """Import a REFI-QDA project. Its sources are documents, not necessarily transcripts
    with speaker labels: they are split into speakers only with `speakers`, or when a
    label is one a transcriber writes (Interviewer:, P1:, **Name:**, timestamps) among
    two or more speakers, never on guesses alone such as "Model 1:" in an abstract. Our
    own exports were transcripts with speakers, and are split."""
    path = Path(path)
    qp = read_qdpx(path)
    speakers = speakers or qp.origin.startswith("qual-coder")
    coder = coder or default_coder(project)
    report = QdpxReport(qp.origin, not_carried=list(qp.not_carried),
                        notes=[f"{path}: {r}" for r in qp.repairs], sets=set_summary(qp))
    now = utcnow()
    with project.transaction():
        conn = project.conn
        last_participant = transcript_rows.last_participant_id(conn)
        for book in _codebooks(conn, qp, path):
            loaded = merge_codebook(conn, book, coder, str(path), rename_clashes=True)
            report.codebooks.append(book.key)
            report.codes_added += len(loaded.added)
        code_key = {c["guid"].lower(): c["key"] for c in code_rows.all_codes(conn)}
        extras = qp.extras
        _stakeholder_types(conn, extras.get("stakeholder_types") or [], report)
        for guid, metadata in (extras.get("codebook_metadata") or {}).items():
            if isinstance(metadata, dict):  # the CASCADE domains' declared links, say
                code_rows.set_codebook_metadata(conn, str(guid), metadata)
        for guid, origin in (extras.get("origins") or {}).items():
            if guid.lower() in code_key and origin in ("deductive", "inductive"):
                code_rows.update_code(conn, code_key[guid.lower()], origin=origin)
        turns_by_source = {str(g).lower(): t for g, t in (extras.get("turns") or {}).items()}
        transcript_of: dict[str, int] = {}
        case_of = _sole_case_of_source(qp)
        for src in qp.sources:
            if src.text is None:
                continue
            tid, name, added = _transcript_for(conn, src, src.text, path,
                                               set(transcript_of.values()), speakers,
                                               case_of.get(src.guid), report,
                                               turns_by_source.get(src.guid.lower()), now)
            transcript_of[src.guid] = tid
            (report.transcripts_added if added else report.transcripts_matched).append(name)
            report.positions[name] = src.convention
            if added:
                _transcript_variables(conn, tid, src.variables, report.notes)
            report.memos += _memo_text(conn, "transcript", tid, src.description, coder, now)
            for sel in src.selections:
                if not sel.codings and sel.description:
                    # An annotation (MAXQDA, QualCoder): a memo on words, with no code.
                    quote = " ".join(src.text[sel.start:sel.end].split())
                    quote = quote if len(quote) <= 80 else quote[:77] + "..."
                    report.memos += _memo_text(conn, "transcript", tid,
                                               f"Annotation on \"{quote}\": {sel.description}",
                                               coder, now)
                for c in sel.codings:
                    key = code_key.get(c.code_guid.lower())
                    if key is None:
                        report.not_carried.append(
                            f"coding {c.guid} in '{src.name}' refers to code {c.code_guid}, "
                            "which the codebook does not hold")
                        continue
                    cid = _add_coding(conn, tid, key, sel.start, sel.end, c, now)
                    if cid is None:
                        report.codings_present += 1
                        continue
                    report.codings_added += 1
                    report.memos += _memo(conn, qp, "coding", cid, sel.note_guids, coder, now)
                    report.memos += _memo_text(conn, "coding", cid, sel.description, coder, now)
            report.memos += _memo(conn, qp, "transcript", tid, src.note_guids, coder, now)
        for guid, note_guids in qp.code_note_guids.items():
            if guid.lower() in code_key:
                code_id = code_rows.code(conn, code_key[guid.lower()])["id"]
                report.memos += _memo(conn, qp, "code", code_id, note_guids, coder, now)
        referenced = {g for s in qp.sources for g in s.note_guids} | {
            g for s in qp.sources for sel in s.selections for g in sel.note_guids} | {
            g for gs in qp.code_note_guids.values() for g in gs}
        loose = [g for g in qp.notes if g not in referenced]
        report.memos += _memo(conn, qp, "project", None, loose, coder, now,
                              titled=set(loose) != set(qp.project_note_guids))
        report.memos += _memo_text(conn, "project", None, qp.description, coder, now)
        from_cases = _cases(conn, qp, transcript_of, report)
        _carried_back(conn, extras, transcript_of, code_key, report, now)
        report.participants = len(from_cases)
        # Speakers got default participants when their transcript was stored; the cases
        # may have taken them over, leaving those defaults empty. (A case that speaks
        # nowhere stays: it was in the file.)
        transcript_rows.delete_unplaced_participants(conn, last_participant, from_cases)
        from .audit import record

        record(project, "import", f"{path.name} (.qdpx): {len(report.codebooks)} codebooks, "
                                  f"{report.participants} participants", coder, now)
    return report


def _codebooks(conn: sqlite3.Connection, qp: QdpxProject, path: Path) -> list[Codebook]:
    frames = list(qp.frames)
    if not frames:
        # A peer re-exporting our project keeps each codebook's frame as a category:
        # a top-level non-codable code named as one of this project's codebooks.
        names = {b["name"] for b in code_rows.codebooks(conn)}
        frames = [c for c in qp.codes if c.parent is None and not c.codable
                  and c.name in names]
    ours = {b["guid"].lower(): b for b in qp.codebook_keys}
    if frames:
        books = []
        for frame in frames:
            known = code_rows.codebook_key_matching(conn, frame.guid, frame.name)
            mine = ours.get((frame.guid or "").lower(), {})
            book = Codebook(key=known or mine.get("key", frame.key),
                            name=frame.name, description=frame.description,
                            source=str(path), guid=frame.guid)
            inside = _descendants(qp.codes, frame.key)
            book.codes = [c for c in qp.codes if c.key in inside]
            for c in book.codes:
                if c.parent == frame.key:
                    c.parent = None
            books.append(book)
        return books
    if not qp.codes:
        return []
    if len(qp.codebook_keys) == 1:  # our export of a one-codebook project: no frame
        mine = qp.codebook_keys[0]
        book = Codebook(key=mine["key"], name=mine.get("name") or mine["key"],
                        source=str(path), guid=mine["guid"])
        book.codes = qp.codes
        return [book]
    key = slugify(qp.name if qp.name and qp.name != "Untitled" else path.stem)
    book = Codebook(key=key, name=qp.name or path.stem, source=str(path),
                    guid=stable_guid("codebook", qp.origin, key))
    book.codes = qp.codes
    return [book]


def _descendants(codes: list[Code], key: str) -> set[str]:
    out: set[str] = set()
    frontier = [key]
    while frontier:
        parent = frontier.pop()
        for c in codes:
            if c.parent == parent and c.key not in out:
                out.add(c.key)
                frontier.append(c.key)
    return out


def _sole_case_of_source(qp: QdpxProject) -> dict[str, str]:
    """Source GUID -> the name of the one case that refers to it (a source several cases
    share, a focus group, has no single owner)."""
    cases: dict[str, list[str]] = {}
    for case in qp.cases:
        for guid in case.source_guids:
            cases.setdefault(guid, []).append(case.name)
    return {guid: names[0] for guid, names in cases.items() if len(names) == 1}


def _transcript_for(conn: sqlite3.Connection, src: QdpxSource, text: str, path: Path,
                    taken: set[int], speakers: bool, case: str | None,
                    report: QdpxReport, turns: list[list[Any]] | None = None,
                    at: str | None = None) -> tuple[int, str, bool]:
    """The project's transcript with the source's `text` (not one another source of this
    file already matched: two sources may hold the same words), or a new one."""
    sha = hashlib.sha256(src.text_bytes).hexdigest()
    text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = transcript_rows.find_by_content(conn, (sha, text_sha), text, exclude=taken)
    if found:
        return found[0], found[1], False
    parsed = _as_stored(text, turns) if turns else _split(text, speakers)
    if parsed is None:
        # A document, not a labelled transcript: its paragraphs are its case's, or no
        # one's when no single case owns the source.
        parsed = ParsedTranscript(text, paragraph_turns(text.split("\n"), case), "qdpx")
    parsed.format, parsed.encoding = "qdpx", "utf-8"
    if parsed.text != text:
        raise QualCoderError(f"{path}: source '{src.name}' changed while splitting it into "
                             "turns; please report this file")
    if transcript_rows.sha_exists(conn, text_sha):  # the same words under another name
        text_sha = hashlib.sha256(f"{src.guid}\x1f{text}".encode()).hexdigest()
    stored = store_transcript(conn, Path(src.name), text_sha, parsed, None, None, None,
                              ImportReport(), at=at)
    transcript_rows.set_exchange_identity(conn, stored["id"], src.original_guid or None,
                                          src.convention)
    if stored["name"] != Path(src.name).stem:
        report.notes.append(f"source '{src.name}' is transcript '{stored['name']}' (the name "
                            "was taken)")
    return stored["id"], stored["name"], True


def _as_stored(text: str, turns: list[list[Any]]) -> ParsedTranscript | None:
    """The turns our own export carried, exactly (speakers, and turns of no one's: a
    label the coder marked "not a speaker" stays so); None if they do not fit the text."""
    from ..core.transcripts import ParsedTurn

    out = []
    for turn in turns:
        try:
            label, start, end = turn
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            return None
        if not (0 <= start <= end <= len(text)) or (label is not None and not str(label)):
            return None
        out.append(ParsedTurn(None if label is None else str(label), start, end))
    return ParsedTranscript(text, out, "qdpx")


def _stakeholder_types(conn: sqlite3.Connection, types: list[Any], report: QdpxReport) -> None:
    """The exporting project's stakeholder types: added where this project lacks them; one
    this project defines otherwise keeps this project's definition, and says so."""
    mine = {t["key"]: t for t in transcript_rows.stakeholder_types(conn)}
    for t in types:
        if not isinstance(t, dict) or not t.get("key"):
            continue
        key, label, interviewer = str(t["key"]), str(t.get("label") or t["key"]), bool(
            t.get("is_interviewer"))
        if key not in mine:
            transcript_rows.add_stakeholder_type(conn, key, label, interviewer)
        elif (mine[key]["label"], mine[key]["is_interviewer"]) != (label, interviewer):
            report.notes.append(f"stakeholder type '{key}': kept this project's '"
                                f"{mine[key]['label']}' (the file says '{label}'"
                                + (", an interviewer type" if interviewer else "") + ")")


def _carried_back(conn: sqlite3.Connection, extras: dict[str, Any],
                  transcript_of: dict[str, int], code_key: dict[str, str],
                  report: QdpxReport, now: str) -> None:
    """Suggestions waiting for review, how accepted codings came, framework summaries:
    what our own export carried beside the XML."""
    from ..storage import framework_rows

    by_guid = {g.lower(): t for g, t in transcript_of.items()}
    for s in extras.get("suggestions") or []:
        try:
            tid = by_guid[str(s["source"]).lower()]
            key = code_key[str(s["code"]).lower()]
            start, end = int(s["start"]), int(s["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if coding_rows.guid_exists(conn, str(s.get("guid"))):
            continue
        coding_rows.insert(conn, tid, code_rows.code_id(conn, key), start, end,
                           str(s.get("coder") or "autocode"), "suggested",
                           str(s.get("origin") or "autocode"), str(s["guid"]),
                           str(s.get("created_at") or now))
        report.suggestions += 1
    for d in extras.get("decisions") or []:  # accepted and rejected suggestions
        try:
            source, code, start, end, decision, engine, score, who, at = d
            tid, key = by_guid[str(source).lower()], code_key[str(code).lower()]
        except (KeyError, TypeError, ValueError):
            continue
        if decision in ("accepted", "rejected"):
            nlp_rows.record_decision(conn, tid, code_rows.code_id(conn, key), int(start),
                                     int(end), decision, engine, score, str(who), str(at))
    for guid, source in (extras.get("coding_sources") or {}).items():
        coding_rows.set_source(conn, str(guid), str(source))
    _carried_quant(conn, extras, code_key, report)
    known = {(h["code"], h["action"], h["detail"], h["at"]) for h in code_rows.history(conn)}
    for row in extras.get("history") or []:
        try:
            was, action, detail, who, at = (str(v) if v is not None else None for v in row)
        except (TypeError, ValueError):
            continue
        if was and action and at and (was, action, detail, at) not in known:
            code_rows.record_history(conn, was, action, detail or "", who, at)
    from ..storage import query_rows

    for row in extras.get("queries") or []:  # saved coding queries; one of that name stays
        try:
            name, expression, options, who, at = row
        except (TypeError, ValueError):
            continue
        if isinstance(name, str) and isinstance(expression, str) and isinstance(
                options, dict) and query_rows.saved(conn, name) is None:
            query_rows.save(conn, name, expression, options, who, str(at or now))
    for row in extras.get("summaries") or []:
        try:
            theme, cases, case_key, code, summary, author = row
        except (TypeError, ValueError):
            continue
        framework_rows.set_summary(conn, str(theme), str(cases), str(case_key), str(code),
                                   str(summary), author, now)
        report.summaries += 1


def _carried_quant(conn: sqlite3.Connection, extras: dict[str, Any], code_key: dict[str, str],
                   report: QdpxReport) -> None:
    """CASCADE ratings, the survey and their links to codes, from our own export: taken
    when this project has none of its own, else this project's kept (and said)."""
    from ..storage import rating_rows, survey_rows

    # A member that was edited by hand (or damaged) is listed as not carried, never a
    # traceback: every value is checked as it is converted.
    try:
        ratings = [(str(a), str(w), int(o), str(d), int(v))
                   for a, w, o, d, v in extras.get("ratings") or []]
    except (TypeError, ValueError):
        ratings = []
        report.not_carried.append("qual-coder.json: its CASCADE ratings could not be read")
    if ratings and rating_rows.any_ratings(conn):
        report.notes.append("CASCADE ratings: kept this project's own (the file has "
                            f"{plural(len(ratings), 'rating')})")
    elif ratings:
        rating_rows.replace_ratings(conn, ratings)
        report.ratings = len(ratings)
    survey = extras.get("survey") or {}
    try:
        answers = [(str(r), str(w), str(k), None if v is None else str(v))
                   for r, w, k, v in survey.get("answers") or []]
        items = [(str(i["key"]), str(i["label"]), str(i["type"]), list(i["levels"]),
                  dict(i["groups"])) for i in survey.get("items") or []]
        waves = [str(w) for w in survey.get("waves") or []]
    except (TypeError, ValueError, KeyError, AttributeError):
        answers = []
        report.not_carried.append("qual-coder.json: its survey could not be read")
    if answers and survey_rows.waves(conn):
        report.notes.append("survey: kept this project's own responses (the file has "
                            f"{plural(len(answers), 'answer')})")
    elif answers:
        survey_rows.replace_waves(conn, waves, items, answers)
        report.survey_answers = len(answers)
    for link in extras.get("links") or []:
        try:
            kind, source, guid = (str(v) for v in link)
        except (TypeError, ValueError):
            continue
        if kind in ("cascade", "survey") and guid.lower() in code_key:
            rating_rows.set_link(conn, kind, source, code_key[guid.lower()])


def _split(text: str, speakers: bool) -> ParsedTranscript | None:
    """Speaker turns of a REFI source, when asked for, or when two or more speakers are
    found and one of them by a label a transcriber writes; else None."""
    parsed = parse_text(text, "text")
    if not parsed.how or parsed.speakers == ["Speaker"] and not speakers:
        return None
    if speakers:
        return parsed
    people = [h for k, h in parsed.how.items() if k in parsed.speakers]
    return parsed if len(people) >= 2 and any(h in TRANSCRIBER_HOW for h in people) else None


def _transcript_variables(conn: sqlite3.Connection, tid: int, variables: dict[str, str],
                          notes: list[str]) -> None:
    for name, value in variables.items():
        field_name = name.strip().lower()
        if field_name in TRANSCRIPT_FIELDS and field_name != "kind":
            transcript_rows.update_transcript(conn, tid, **{field_name: value})
        elif field_name == "kind" and value in ("interview", "focus_group"):
            transcript_rows.update_transcript(conn, tid, kind=value)
        else:
            name = _free_attribute_name(name, f"transcript {tid}", notes)
            transcript_rows.set_attribute(conn, "transcript", tid, name, value)


def _free_attribute_name(name: str, owner: str, notes: list[str]) -> str:
    """A variable named like one of our own columns ("transcript_id") is renamed, and the
    renaming reported: under its own name it would stand in for that column everywhere."""
    from .transcripts import is_reserved_attribute

    if is_reserved_attribute(name):
        notes.append(f"{owner}: variable '{name}' is a name qual-coder uses for its own "
                     f"columns; kept as '{name}_attr'")
        return f"{name}_attr"
    return name


def _add_coding(conn: sqlite3.Connection, tid: int, key: str, start: int, end: int, c: QdpxCoding,
                now: str) -> int | None:
    if coding_rows.guid_exists(conn, c.guid):
        return None
    code_id = code_rows.code_id(conn, key)
    if coding_rows.identical(conn, tid, code_id, start, end, c.coder):
        return None
    return coding_rows.insert(conn, tid, code_id, start, end, c.coder, "final", "qdpx",
                              c.guid, c.created or now)


def _memo_text(conn: sqlite3.Connection, scope: str, owner_id: int | None, text: str, author: str,
               now: str) -> int:
    """Add `text` to the owner's memo unless it is there already; 1 if it was added."""
    if not (text or "").strip():
        return 0
    existing = code_rows.memo(conn, scope, owner_id)
    if existing and text in existing:
        return 0
    code_rows.set_memo(conn, scope, owner_id, f"{existing}\n\n{text}" if existing else text,
                       author, now)
    return 1


def _memo(conn: sqlite3.Connection, qp: QdpxProject, scope: str, owner_id: int | None,
          note_guids: list[str], author: str, now: str, titled: bool = False) -> int:
    """Notes become one memo; with several (or notes that stood loose in the project),
    each keeps its name as a heading."""
    texts = [qp.notes[g] for g in note_guids if g in qp.notes and qp.notes[g][1].strip()]
    if not texts:
        return 0
    # When the notes were written, where the file says (as our exports do).
    now = max((qp.note_dates[g] for g in note_guids if g in qp.note_dates), default=now)
    titled = titled or len(texts) > 1
    body = "\n\n".join(f"{name}\n{text}" if titled else text for name, text in texts)
    return len(texts) if _memo_text(conn, scope, owner_id, body, author, now) else 0


def _cases(conn: sqlite3.Connection, qp: QdpxProject, transcript_of: dict[str, int],
           report: QdpxReport) -> list[int]:
    """Cases become participants (their variables attributes); returns their ids."""
    made = []
    every_name = transcript_rows.names_by_id(conn)
    names = {tid: every_name[tid] for tid in transcript_of.values()}
    by_name = {v: k for k, v in names.items()}
    for case in qp.cases:
        values = dict(case.variables)
        labels = values.pop(SPEAKERS_VARIABLE, "")
        stype = values.pop("stakeholder type", None) or values.pop("stakeholder_type", None)
        role = values.pop("role", None)
        if stype:
            try:
                stype = transcript_rows.resolve_stakeholder_type(conn, stype)
            except QualCoderError:
                report.notes.append(f"case '{case.name}': stakeholder type '{stype}' is not "
                                    "one of the project's; kept as an attribute")
                values["stakeholder type"], stype = stype, None
        pid, notes = transcript_rows.ensure_participant(conn, case.name, stype, role)
        made.append(pid)
        report.notes.extend(notes)
        for name, value in values.items():
            name = _free_attribute_name(name, f"case '{case.name}'", report.notes)
            transcript_rows.set_attribute(conn, "participant", pid, name, value)
        pairs = [p.rsplit(": ", 1) for p in labels.split("; ") if ": " in p]
        for transcript, label in pairs:
            if transcript in by_name:
                _assign(conn, by_name[transcript], label, pid)
        if not pairs:
            for guid in case.source_guids:
                if guid in transcript_of:
                    _assign(conn, transcript_of[guid], case.name, pid)
    return made


def _assign(conn: sqlite3.Connection, tid: int, label: str, pid: int) -> None:
    """A case names who speaks as `label`; a label the transcript lacks is no error."""
    try:
        transcript_rows.assign_speaker(conn, tid, label, pid)
    except NotFound:
        pass


# -- export ------------------------------------------------------------------------

def export_qdpx(project: Project, out: str | Path,
                positions: str = "code points") -> dict[str, Any]:
    """Write the whole project (final codings; suggestions stay home) as a .qdpx.
    `positions="utf16"` counts positions in UTF-16 units, as NVivo reads them."""
    from ..about import version

    out = Path(out)
    if out.suffix.lower() != ".qdpx":
        raise QualCoderError(f"{out}: a REFI-QDA project file ends in .qdpx")
    conn = project.conn
    books = [code_rows.load_codebook(conn, b["key"]) for b in code_rows.codebooks(conn)]
    guid_of = {c["key"]: c["guid"] for c in code_rows.all_codes(conn)}
    memos = {(m["scope"], m["owner_id"]): m["text"] for m in code_rows.memos(conn)}
    sources: list[ExportSource] = []
    speaks: dict[int, list[tuple[str, str]]] = {}  # participant -> (source GUID, label)
    if positions not in POSITIONS:
        raise QualCoderError(f"positions '{positions}': one of {', '.join(POSITIONS)}")
    attrs = transcript_rows.attributes_by_owner(conn, "transcript")
    codings = 0
    utf16_sources = []
    turns_of: dict[str, list[list[Any]]] = {}
    turns_of_case: dict[str, list[tuple[str, int, int]]] = {}  # participant -> turns
    source_guid: dict[int, str] = {}
    suggestions: list[dict[str, Any]] = []
    coding_sources: dict[str, str] = {}
    stored = transcript_rows.for_export(conn)
    for tid, name, text, site, kind, date, kept_guid, convention in stored:
        # The GUID a REFI source came with; else one from the text (not the file it came
        # from), so a round trip keeps it.
        guid = kept_guid or stable_guid("transcript",
                                        hashlib.sha256(text.encode("utf-8")).hexdigest())
        if convention and convention.startswith("UTF-16") and positions != "utf16":
            utf16_sources.append(name)
        every = coding_rows.listing(conn, tid)  # final codings, and suggestions for review
        final = [r for r in every if r["status"] == "final"]
        turns = transcript_rows.turns(conn, tid)
        turns_of[guid] = [[t["speaker"], t["start"], t["end"]] for t in turns]
        source_guid[tid] = guid
        coding_sources.update({r["guid"]: r["source"] for r in final
                               if r["source"] not in ("manual", "qdpx")})
        suggestions += [{"source": guid, "code": guid_of[r["code"]], "start": r["start"],
                         "end": r["end"], "coder": r["coder"], "guid": r["guid"],
                         "created_at": r["created_at"], "origin": r["source"]}
                        for r in every if r["status"] == "suggested"]
        given = {k: v for k, v in (("site", site), ("kind", kind), ("date", date)) if v}
        sources.append(ExportSource(
            guid, name, text,
            [dict(r, code_guid=guid_of[r["code"]], note=memos.get(("coding", r["id"]), ""))
             for r in final],
            {**given, **attrs.get(tid, {})}, memos.get(("transcript", tid), "")))
        codings += len(final)
        for _, label, pid in transcript_rows.speakers_of(conn, tid):
            if pid is not None:
                speaks.setdefault(pid, []).append((guid, f"{name}: {label}"))
        for t in turns:
            if t["participant"] is not None and t["end"] > t["start"]:
                turns_of_case.setdefault(t["participant"], []).append(
                    (guid, t["start"], t["end"]))
    cases = []
    for p in transcript_rows.participants(conn):
        variables = dict(p["attributes"])
        for k, v in (("stakeholder_type", p["stakeholder_type"]), ("role", p["role"])):
            if v:
                variables[k] = v
        spoken = speaks.get(p["id"], [])
        if spoken:
            variables[SPEAKERS_VARIABLE] = "; ".join(label for _, label in spoken)
        cases.append(ExportCase(p["name"], variables, sorted({g for g, _ in spoken}),
                                turns_of_case.get(p["name"], [])))
    code_notes = {}
    guid_by_id = {c["id"]: c["guid"] for c in code_rows.all_codes(conn)}
    for m in code_rows.memos(conn):
        if m["scope"] == "code" and m["owner_id"] in guid_by_id:
            code_notes[guid_by_id[m["owner_id"]]] = (m["text"], m["updated_at"])
    from ..storage import framework_rows, query_rows, rating_rows, survey_rows

    answers = survey_rows.answers(conn)
    extras = {
        "ratings": [list(r) for r in rating_rows.ratings(conn)],
        "survey": {"waves": survey_rows.waves(conn), "items": survey_rows.items(conn),
                   "answers": [[r, w, i, v] for (r, w, i), v in answers.items()]},
        "links": [[kind, source, guid_of[code]] for kind in ("cascade", "survey")
                  for source, code in rating_rows.links(conn, kind) if code in guid_of],
        "history": [[h["code"], h["action"], h["detail"], h["coder"], h["at"]]
                    for h in code_rows.history(conn)],
        "queries": [[q["name"], q["expression"], q["options"], q["saved_by"], q["saved_at"]]
                    for q in query_rows.all_saved(conn)],
        "codebook_metadata": {b["guid"]: b["metadata"] for b in code_rows.codebooks(conn)
                              if b["metadata"]},
        "decisions": [[source_guid[d[0]], *d[1:]] for d in nlp_rows.decisions(conn)
                      if d[0] in source_guid],
        "stakeholder_types": [dict(t) for t in transcript_rows.stakeholder_types(conn)],
        "participants": {p["name"]: {"stakeholder_type": p["stakeholder_type"], "role": p["role"]}
                         for p in transcript_rows.participants(conn)},
        "origins": {c["guid"]: c["origin"] for c in code_rows.all_codes(conn)},
        "turns": turns_of, "suggestions": suggestions, "coding_sources": coding_sources,
        "summaries": [list(r) for r in framework_rows.all_summaries(conn)]}
    write_qdpx(out, project.path.stem, f"qual-coder {version()}", books, sources, cases,
               code_notes, memos.get(("project", None), ""), utcnow(), positions, extras)
    warnings = []
    names: dict[str, list[str]] = {}
    for b in books:
        for c in b.codes:
            names.setdefault(c.name.casefold(), []).append(f"{b.key}:{c.key}")
    same = {n: keys for n, keys in names.items() if len(keys) > 1}
    if same:
        warnings.append("codes sharing a name (QualCoder merges codes of one name, and moves "
                        "their children): " + "; ".join(", ".join(k) for k in same.values())
                        + "; rename one of each to keep them apart there")
    # A code's path, parent names joined by '/', is its name in Taguette's codebook, which
    # takes at most 200 characters; a name over 255 is beyond most tools' fields.
    for b in books:
        by_key = {c.key: c for c in b.codes}
        for c in b.codes:
            path, up = [c.name], c.parent
            while up and up in by_key:
                path.insert(0, by_key[up].name)
                up = by_key[up].parent
            whole = "/".join(path)
            if len(whole) > 200 or len(c.name) > 255:
                warnings.append(f"code '{c.key}': its path '{whole[:60]}…' is {len(whole)} "
                                "characters, over the 200 Taguette takes (and a name over "
                                "255 is cut by most tools); shorten the name or its parents'")
    if utf16_sources:
        warnings.append(f"{plural(len(utf16_sources), 'transcript')} came from a tool that "
                        f"counts UTF-16 "
                        "units (NVivo); for that tool export with --positions utf16")
    return dict(transcripts=len(sources), codings=codings, codes=len(guid_of),
                cases=len(cases), positions=positions, warnings=warnings)
