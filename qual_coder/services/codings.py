"""Coding: applying a code to a span of a transcript, and taking it off again."""

from __future__ import annotations

import getpass
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import QualCoderError
from ..storage import Project, action_rows, code_rows, coding_rows, transcript_rows, utcnow
from ..storage.row_types import CodingRow

# What a coding is, to a script: `qual-coder codings --json` and the notebook API.
CODING_FIELDS = ("id", "transcript", "start", "end", "code", "coder", "status", "text")


def default_coder(project: Project | None = None) -> str:
    """Who is coding: $QUAL_CODER_CODER, else the project's `coder` setting, else the login."""
    if os.environ.get("QUAL_CODER_CODER"):
        return os.environ["QUAL_CODER_CODER"]
    if project is not None and project.setting("coder"):
        return project.setting("coder")  # type: ignore[return-value]
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"


@dataclass
class CodingResult:
    id: int
    start: int
    end: int
    created: bool  # False when the span was already coded and nothing changed
    absorbed: list[int] = field(default_factory=list)  # codings merged into this one


def locate_quote(text: str, quote: str, name: str) -> tuple[int, int]:
    if not quote:
        raise QualCoderError("--quote is empty")
    hits: list[int] = []
    at = text.find(quote)
    while at != -1 and len(hits) < 6:
        hits.append(at)
        at = text.find(quote, at + 1)
    if not hits:
        raise QualCoderError(f"the quote does not occur in '{name}'; copy it exactly, "
                             "or give --start and --end")
    if len(hits) > 1:
        more = "+" if len(hits) > 5 else ""
        raise QualCoderError(
            f"the quote occurs {len(hits[:5])}{more} times in '{name}' (at "
            f"{', '.join(map(str, hits[:5]))}); quote more words, or give --start and --end")
    return hits[0], hits[0] + len(quote)


def add_coding(project: Project, transcript: str | int, code: str, start: int | None = None,
               end: int | None = None, quote: str | None = None, coder: str | None = None,
               status: str = "final", source: str = "manual",
               replaces: int | None = None, text_sha: str | None = None) -> CodingResult:
    """Code a span. Codings of one code by one coder never overlap: a span that
    overlaps or touches existing ones is merged with them, as NVivo does. `replaces`
    names a coding (an accepted suggestion) removed in the same undoable action.
    `text_sha` is the sha256 of the version the caller's offsets were taken from (the
    workbench's open transcript): if another process re-imported it since, the offsets
    would land on other words, so the coding is refused instead."""
    coder = coder or default_coder(project)
    with project.transaction():
        conn = project.conn
        replaced = action_rows.snapshot(conn, [replaces]) if replaces is not None else []
        if replaces is not None:
            coding_rows.delete(conn, replaces)
        t = transcript_rows.transcript_by_ref(conn, transcript)
        if text_sha is not None and t["sha256"] != text_sha:
            raise QualCoderError(
                f"'{t['name']}' was re-imported by another program since you opened it; "
                "nothing was coded. Refresh (ctrl+g) to read the new version, then select again")
        if quote is not None:
            if start is not None or end is not None:
                raise QualCoderError("give either --quote or --start/--end, not both")
            start, end = locate_quote(t["text"], quote, t["name"])
        if start is None or end is None:
            raise QualCoderError("say what to code: --start and --end, or --quote")
        if not 0 <= start < end <= len(t["text"]):
            raise QualCoderError(
                f"span {start}-{end} is outside '{t['name']}' (0-{len(t['text'])}); "
                "offsets count characters from 0, end exclusive")
        c = code_rows.code(conn, code)
        if not c["codable"]:
            raise QualCoderError(f"code '{c['key']}' is a folder (not codable); code at one of "
                                 "its children")
        if status == "final":
            touching = coding_rows.overlapping(conn, t["id"], c["id"], coder, start, end)
        else:
            touching = []
        if any(g["start"] <= start and end <= g["end"] for g in touching):
            inside = next(g for g in touching if g["start"] <= start and end <= g["end"])
            if replaced:
                action_rows.record(conn, f"code {c['key']}", replaced, [], coder, utcnow())
            return CodingResult(inside["id"], inside["start"], inside["end"], created=False)
        before = replaced + action_rows.snapshot(conn, [g["id"] for g in touching])
        if touching:
            keep = touching[0]
            start = min(start, *(g["start"] for g in touching))
            end = max(end, *(g["end"] for g in touching))
            coding_rows.set_span(conn, keep["id"], start, end)
            for g in touching[1:]:
                coding_rows.delete(conn, g["id"])
            result = CodingResult(keep["id"], start, end, created=True,
                                  absorbed=[g["id"] for g in touching[1:]])
        else:
            new_id = coding_rows.insert(conn, t["id"], c["id"], start, end, coder, status,
                                        source, str(uuid.uuid4()), utcnow())
            result = CodingResult(new_id, start, end, created=True)
        action_rows.record(conn, f"code {c['key']}", before,
                           action_rows.snapshot(conn, [result.id]), coder, utcnow())
        return result


def code_spans(project: Project, code: str, spans: list[tuple[int, int, int]],
               coder: str | None = None, source: str = "manual",
               label: str | None = None) -> list[int]:
    """Code many spans (transcript id, start, end) with one code as one undoable action
    (NVivo's "code results at"): each merged with the coder's codings of that code it
    overlaps or touches, as `add_coding` does. Returns the codings that hold them."""
    coder = coder or default_coder(project)
    now = utcnow()
    with project.transaction():
        conn = project.conn
        c = code_rows.code(conn, code)
        if not c["codable"]:
            raise QualCoderError(f"code '{c['key']}' is a folder (not codable); code at one of "
                                 "its children")
        before: list[dict[str, Any]] = []
        made: set[int] = set()  # codings this action created
        seen: set[int] = set()  # codings as they were before it, already remembered
        holding: set[int] = set()
        for tid, start, end in spans:
            touching = coding_rows.overlapping(conn, tid, c["id"], coder, start, end)
            if any(g["start"] <= start and end <= g["end"] for g in touching):
                holding.add(next(g["id"] for g in touching
                                 if g["start"] <= start and end <= g["end"]))
                continue
            old = [g["id"] for g in touching if g["id"] not in made | seen]
            before += action_rows.snapshot(conn, old)
            seen.update(old)
            if touching:
                keep = touching[0]
                coding_rows.set_span(conn, keep["id"], min(start, *(g["start"] for g in touching)),
                                     max(end, *(g["end"] for g in touching)))
                for g in touching[1:]:
                    coding_rows.delete(conn, g["id"])
                    holding.discard(g["id"])
                holding.add(keep["id"])
            else:
                new_id = coding_rows.insert(conn, tid, c["id"], start, end, coder, "final",
                                            source, str(uuid.uuid4()), now)
                made.add(new_id)
                holding.add(new_id)
        changed = sorted(i for i in holding if i in made or i in seen)
        action_rows.record(conn, label or f"code {c['key']}", before,
                           action_rows.snapshot(conn, changed), coder, now)
        return sorted(holding)


def remove_coding(project: Project, coding_id: int, coder: str | None = None,
                  own_only: bool = False) -> CodingRow:
    """Take a coding off. The action is the remover's (their undo puts it back); with
    `own_only` (a served workbench, whose coder is fixed by a link) another coder's
    coding is refused."""
    coder = coder or default_coder(project)
    with project.transaction():
        found = coding_rows.get(project.conn, coding_id)
        if own_only and found["coder"] != coder:
            raise QualCoderError(
                f"coding #{coding_id} is {found['coder']}'s; only {found['coder']} can remove it "
                "(settle differences in the agreement screen, F4)")
        before = action_rows.snapshot(project.conn, [coding_id])
        coding_rows.delete(project.conn, coding_id)
        action_rows.record(project.conn, f"uncode {found['code']}", before, [], coder, utcnow())
        code_rows.set_memo(project.conn, "coding", coding_id, "", None, utcnow())
    return found


def list_codings(project: Project, transcript: str | int | None = None,
                 code: str | None = None, coder: str | None = None,
                 with_descendants: bool = False, status: str | None = None) -> list[dict[str, Any]]:
    conn = project.conn
    tid = transcript_rows.transcript_by_ref(conn, transcript)["id"] if transcript else None
    keys = None
    if code:
        key = code_rows.code(conn, code)["key"]
        keys = [key] + (code_rows.descendant_keys(conn, key) if with_descendants else [])
    if status not in (None, "final", "suggested", "rejected"):
        raise QualCoderError(f"--status is final, suggested or rejected, not '{status}'")
    found = (coding_rows.rejected_listing(conn, tid, keys, coder) if status == "rejected"
             else coding_rows.listing(conn, tid, keys, coder, status))
    texts: dict[int, str] = {}
    for g in found:
        if g["transcript_id"] not in texts:
            texts[g["transcript_id"]] = transcript_rows.text_of(conn, g["transcript_id"])
        g["text"] = texts[g["transcript_id"]][g["start"]:g["end"]]
    return found


def undo(project: Project, coder: str | None = None) -> dict[str, Any] | None:
    """Undo `coder`'s last coding action (also one made in an earlier session); another
    coder's actions are theirs to undo."""
    with project.transaction():
        return action_rows.undo(project.conn, coder or default_coder(project))


def redo(project: Project, coder: str | None = None) -> dict[str, Any] | None:
    with project.transaction():
        return action_rows.redo(project.conn, coder or default_coder(project))


def import_codings_csv(project: Project, path: str | Path, coder: str | None = None,
                       notes: list[str] | None = None) -> int:
    """Apply codings listed by quote in a CSV (transcript, code, quote[, coder]) as one
    transaction; every bad row is reported with its number and nothing is written. The
    file is read as every text file is (importers.decode); what that guessed (an
    encoding) goes in `notes`."""
    from pathlib import Path

    from ..importers.decode import csv_dicts, read_text_file

    path = Path(path)
    text, found = read_text_file(path, "list of codings")
    if notes is not None:
        notes.extend(found)
    # On the text as a file: a quote spanning two lines of a turn is one quoted field with
    # its line break kept, and each record is one spreadsheet row whatever it holds.
    header, reader = csv_dicts(text)
    missing = {"transcript", "code", "quote"} - set(header)
    if missing:
        raise QualCoderError(f"{path} row 1: missing column(s) {', '.join(sorted(missing))}; "
                             "columns are transcript, code, quote and optionally coder")
    errors, done = [], 0
    with project.transaction():
        for row_no, row in enumerate(reader, start=2):
            try:
                add_coding(project, row["transcript"], row["code"], quote=row["quote"],
                           coder=(row.get("coder") or coder or None), source="import")
                done += 1
            except QualCoderError as err:
                errors.append(f"{path} row {row_no}: {err}")
        if errors:
            raise QualCoderError("\n".join(errors) + "\nno codings were imported")
        from .audit import record

        record(project, "import", f"{path.name}: {done} codings", coder)
    return done
