"""The codebook as the analyst grows it: loading frameworks, adding inductive codes,
renaming, moving, merging, splitting and deleting, each recorded in the history."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.codebook import KEY_RE, PALETTE, Code, Codebook, derived_guid, ordered
from ..core.files import private_output
from ..core.text import plural
from ..errors import QualCoderError
from ..storage import Project, code_rows, coding_rows, utcnow
from ..storage.row_types import CodeRow, HistoryRow
from .codings import CodingResult, default_coder

INDUCTIVE_BOOK = "inductive"


@dataclass
class LoadReport:
    codebook: str
    created: bool
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # in the project, not in the file
    notes: list[str] = field(default_factory=list)


def read_codebook_file(path: Path, key: str | None = None) -> tuple[Codebook, list[str]]:
    if path.suffix.lower() == ".qdc":
        from ..exchange.refi_codebook import read_qdc

        return read_qdc(path, key)
    if path.suffix.lower() == ".csv":
        from ..exchange.csv_codebook import read_csv

        return read_csv(path, key)
    if path.suffix.lower() in (".yaml", ".yml"):
        from ..exchange.yaml_codebook import load_codebook_file

        book, notes = load_codebook_file(path)
        if key:
            book.key = key
        return book, notes
    raise QualCoderError(f"{path}: a codebook is a .yaml/.yml, a REFI-QDA .qdc, or a .csv "
                         "(tag,description, as Taguette writes) file")


def load_codebook(project: Project, path: str | Path, key: str | None = None,
                  coder: str | None = None) -> LoadReport:
    """Load a codebook file, or update the loaded one of the same key: codes are matched
    by GUID, then key; codings are never touched; codes missing from the file stay.
    A name without a file (`cascade`) is a codebook shipped with qual-coder."""
    path = shipped_or_file(path)
    book, notes = read_codebook_file(path, key)
    coder = coder or default_coder(project)
    with project.transaction():
        return merge_codebook(project.conn, book, coder, str(path), notes)


def shipped_or_file(path: str | Path) -> Path:
    """The file named, or the shipped codebook of that name when there is no such file."""
    from ..paths import shipped_codebooks

    path = Path(path)
    if path.exists():
        return path
    shipped = shipped_codebooks()
    if path.suffix == "" and path.name in shipped:
        return shipped[path.name]
    raise QualCoderError(f"{path}: no such file, and not a shipped codebook ("
                         + ", ".join(shipped) + "); `qual-coder codebook shipped` lists them")


def list_shipped() -> list[dict[str, Any]]:
    """The codebooks shipped with qual-coder: name, title, codes, description, file."""
    from ..paths import shipped_codebooks

    out = []
    for name, path in shipped_codebooks().items():
        book, _ = read_codebook_file(path, None)
        out.append(dict(name=name, title=book.name, codes=len(book.codes),
                        description=(book.description or "").strip().split("\n")[0],
                        file=str(path)))
    return out


def merge_codebook(conn: sqlite3.Connection, book: Codebook, coder: str, source: str,
                   notes: list[str] | None = None, rename_clashes: bool = False,
                   update: bool = True) -> LoadReport:
    """Bring `book` into the project inside the caller's transaction (a codebook file,
    a REFI-QDA project, another project being merged). With `rename_clashes`, a code
    whose key another codebook already uses gets a fresh key instead of an error.
    Without `update`, codes already here keep their definitions and the differences
    are only reported (in `updated`)."""
    now = utcnow()
    path = Path(source)
    existing = code_rows.codebook_row(conn, book.key)
    report = LoadReport(book.key, created=existing is None, notes=notes or [])
    if existing is None:
        book_id = code_rows.insert_codebook(conn, book, book.guid or derived_guid(book.key))
    else:
        book_id = existing["id"]
        if update:
            code_rows.update_codebook(conn, book)
    # Match codes already in the project by GUID first, so a renamed key in another
    # tool's export still lands on the same code.
    renamed = {}
    for code in book.codes:
        guid = code.guid or derived_guid(book.key, code.key)
        found = code_rows.code_by_guid(conn, guid)
        if found and found["key"] != code.key:
            renamed[code.key] = found["key"]
        elif not found and rename_clashes and code_rows.code_exists(conn, code.key) \
                and code_rows.code(conn, code.key)["codebook"] != book.key:
            renamed[code.key] = _free_key(conn, code.key, {c.key for c in book.codes})
    for code in book.codes:
        code.key = renamed.get(code.key, code.key)
        if code.parent in renamed:
            code.parent = renamed[code.parent]
    sort: dict[str | None, int] = {}
    for code in ordered(book.codes):
        sort[code.parent] = sort.get(code.parent, 0) + 1
        if not code_rows.code_exists(conn, code.key):
            _insert_new(conn, book_id, book, code, sort[code.parent], coder, now)
            report.added.append(code.key)
            continue
        current = code_rows.code(conn, code.key)
        if current["codebook"] != book.key:
            raise QualCoderError(f"{path}: code key '{code.key}' already belongs to "
                                 f"codebook '{current['codebook']}'; keys are project-wide")
        stored: dict[str, Any] = dict(current)
        changed = {f: getattr(code, f) for f in Code.COMPARED
                   if getattr(code, f) != stored[f]
                   and not (f == "color" and code.color is None)}
        if not update:
            if changed:
                report.updated[code.key] = sorted(changed)
            continue
        if current["sort"] != sort[code.parent]:
            code_rows.update_code(conn, code.key, sort=sort[code.parent])
        if changed:
            code_rows.update_code(conn, code.key, **changed)
            report.updated[code.key] = sorted(changed)
            code_rows.record_history(conn, code.key, "updated from file",
                                     f"{path.name}: {', '.join(sorted(changed))}", coder, now)
    in_file = {c.key for c in book.codes}
    report.kept = [r["key"] for r in code_rows.all_codes(conn)
                   if r["codebook"] == book.key and r["key"] not in in_file]
    return report


def _free_key(conn: sqlite3.Connection, key: str, taken: set[str]) -> str:
    n = 2
    while code_rows.code_exists(conn, f"{key}_{n}") or f"{key}_{n}" in taken:
        n += 1
    return f"{key}_{n}"


def _insert_new(conn: sqlite3.Connection, book_id: int, book: Codebook, code: Code, sort: int,
                coder: str, now: str) -> None:
    assigned = code.color is None
    if assigned:
        code.color = PALETTE[code_rows.code_count(conn) % len(PALETTE)]
    code_rows.insert_code(conn, book_id, code, code.guid or derived_guid(book.key, code.key), sort,
                          coder, now)
    if assigned:
        code_rows.mark_color_assigned(conn, code.key)
    code_rows.record_history(conn, code.key, "created", f"from {Path(book.source).name or 'file'}"
                             f" ({code.origin})", coder, now)


def _book_id(conn: sqlite3.Connection, key: str, name: str) -> int:
    row = code_rows.codebook_row(conn, key)
    if row:
        return int(row["id"])
    return code_rows.insert_codebook(conn, Codebook(key=key, name=name), derived_guid(key))


def add_code(project: Project, key: str, name: str, parent: str | None = None,
             description: str = "", codebook: str | None = None, origin: str = "inductive",
             coder: str | None = None) -> CodeRow:
    """Create a code: under `parent` (in its codebook), or at the top of `codebook`, or
    in the project's 'Inductive codes' frame."""
    if not KEY_RE.match(key):
        raise QualCoderError(f"code key '{key}' must be lower-case letters, digits and "
                             "underscores, starting with a letter (e.g. release_time)")
    coder = coder or default_coder(project)
    now = utcnow()
    with project.transaction():
        conn = project.conn
        if code_rows.code_exists(conn, key):
            raise QualCoderError(f"a code with key '{key}' exists already")
        if parent:
            parent_row = code_rows.code(conn, parent)
            parent, book_key = parent_row["key"], parent_row["codebook"]
            if codebook and codebook != book_key:
                raise QualCoderError(f"parent '{parent}' is in codebook '{book_key}', "
                                     f"not '{codebook}'")
        else:
            book_key = codebook or INDUCTIVE_BOOK
        if book_key == INDUCTIVE_BOOK:
            book_id = _book_id(conn, INDUCTIVE_BOOK, "Inductive codes")
        else:
            row = code_rows.codebook_row(conn, book_key)
            if row is None:
                raise QualCoderError(f"no codebook '{book_key}'")
            book_id = row["id"]
        code = Code(key=key, name=name.strip() or key, parent=parent, description=description,
                    origin=origin, color=PALETTE[code_rows.code_count(conn) % len(PALETTE)])
        code_rows.insert_code(conn, book_id, code, str(uuid.uuid4()),
                              code_rows.next_sort(conn, book_id, parent), coder, now)
        code_rows.mark_color_assigned(conn, key)
        under = f", under {parent}" if parent else ""
        code_rows.record_history(conn, key, "created", f"{origin}{under}", coder, now)
        return code_rows.code(conn, key)


def code_in_vivo(project: Project, transcript: str | int, start: int, end: int, key: str,
                 name: str, parent: str | None = None, coder: str | None = None,
                 text_sha: str | None = None) -> tuple[CodeRow, CodingResult]:
    """In-vivo coding as one action: the selected words become a new inductive code and
    the span is coded with it; one undo removes both (the code stays if it has been used
    since), one redo brings both back. Returns the code and its coding."""
    from ..storage import action_rows
    from .codings import add_coding

    with project.transaction():
        code = add_code(project, key, name, parent=parent, coder=coder)
        coded = add_coding(project, transcript, key, start, end, coder=coder,
                           text_sha=text_sha)
        action_rows.attach_created_code(project.conn, code["id"])
        return code, coded


def rename_code(project: Project, key: str, name: str, coder: str | None = None) -> None:
    if not name.strip():
        raise QualCoderError("a code needs a name")
    with project.transaction():
        current = code_rows.code(project.conn, key)
        code_rows.update_code(project.conn, current["key"], name=name.strip())
        code_rows.record_history(project.conn, current["key"], "renamed",
                                 f"'{current['name']}' -> '{name.strip()}'",
                                 coder or default_coder(project), utcnow())


def move_code(project: Project, key: str, parent: str | None, coder: str | None = None) -> None:
    """Move a code (with its children) under another parent, or to the top (None)."""
    with project.transaction():
        conn = project.conn
        current = code_rows.code(conn, key)
        key = current["key"]
        book_id = code_rows.codebook_id_of(conn, key)
        if parent is not None:
            target = code_rows.code(conn, parent)
            parent = target["key"]
            if parent == key or parent in code_rows.descendant_keys(conn, key):
                raise QualCoderError(f"cannot move '{key}' under '{parent}': that is itself or "
                                     "one of its own children")
            book_id = code_rows.codebook_id_of(conn, parent)
        subtree = [key] + code_rows.descendant_keys(conn, key)
        code_rows.move_to_codebook(conn, subtree, book_id)
        code_rows.update_code(conn, key, parent=parent,
                              sort=code_rows.next_sort(conn, book_id, parent))
        code_rows.record_history(conn, key, "moved", f"from {current['parent'] or '(top)'} to "
                                 f"{parent or '(top)'}", coder or default_coder(project), utcnow())


def merge_codes(project: Project, source: str, target: str,
                coder: str | None = None) -> dict[str, Any]:
    """Merge `source` into `target`: its codings move (overlapping duplicates collapse),
    its children move under `target`, and `source` is deleted."""
    coder = coder or default_coder(project)
    now = utcnow()
    with project.transaction():
        conn = project.conn
        src, dst = code_rows.code(conn, source), code_rows.code(conn, target)
        if src["key"] == dst["key"]:
            raise QualCoderError("cannot merge a code into itself")
        if dst["key"] in code_rows.descendant_keys(conn, src["key"]):
            raise QualCoderError(f"'{dst['key']}' is inside '{src['key']}'; move it out first")
        moved = coding_rows.listing(conn, code_keys=[src["key"]])
        collapsed = 0
        for g in moved:
            coding_rows.move_to_code(conn, [g["id"]], dst["id"])
            collapsed += _collapse(conn, g, dst["id"])
        for child in code_rows.children_keys(conn, src["key"]):
            code_rows.update_code(conn, child, parent=dst["key"])
        memo_src = code_rows.memo(conn, "code", src["id"])
        if memo_src:
            joined = "\n\n".join(
                m for m in (code_rows.memo(conn, "code", dst["id"]), memo_src) if m)
            code_rows.set_memo(conn, "code", dst["id"], joined, coder, now)
            code_rows.set_memo(conn, "code", src["id"], "", coder, now)
        code_rows.delete_code(conn, src["key"])
        detail = f"{plural(len(moved), 'coding')} moved, {plural(collapsed, 'duplicate')} collapsed"
        code_rows.record_history(conn, src["key"], "merged", f"into {dst['key']}: {detail}", coder,
                                 now)
        code_rows.record_history(conn, dst["key"], "merged", f"absorbed {src['key']}: {detail}",
                                 coder, now)
        return {"moved": len(moved), "collapsed": collapsed}


def _collapse(conn: sqlite3.Connection, coding: dict[str, Any], code_id: int) -> int:
    """After moving `coding` to `code_id`, fold it into any overlapping coding of the same
    coder there. Returns how many codings disappeared."""
    if coding["status"] != "final":
        return 0
    others = [g for g in coding_rows.overlapping(conn, coding["transcript_id"], code_id,
                                                 coding["coder"], coding["start"],
                                                 coding["end"]) if g["id"] != coding["id"]]
    if not others:
        return 0
    keep = others[0]
    start = min(coding["start"], *(g["start"] for g in others))
    end = max(coding["end"], *(g["end"] for g in others))
    coding_rows.set_span(conn, keep["id"], start, end)
    for g in [coding] + others[1:]:
        coding_rows.delete(conn, g["id"])
    return len(others)


def split_code(project: Project, source: str, coding_ids: list[int], new_key: str,
               new_name: str | None = None, coder: str | None = None) -> dict[str, Any]:
    """Move the chosen codings of `source` to another code, made beside it if new."""
    coder = coder or default_coder(project)
    if not coding_ids:
        raise QualCoderError("choose the codings to move (--coding ID, repeatable)")
    with project.transaction():
        conn = project.conn
        src = code_rows.code(conn, source)
        for cid in coding_ids:
            if coding_rows.get(conn, cid)["code"] != src["key"]:
                raise QualCoderError(f"coding #{cid} is not coded at '{src['key']}'")
        if not code_rows.code_exists(conn, new_key):
            add_code(project, new_key, new_name or new_key.replace("_", " ").capitalize(),
                     parent=src["parent"], codebook=src["codebook"], origin="inductive",
                     coder=coder)
        dst = code_rows.code(conn, new_key)
        coding_rows.move_to_code(conn, coding_ids, dst["id"])
        code_rows.record_history(conn, src["key"], "split",
                                 f"{plural(len(coding_ids), 'coding')} to {dst['key']}", coder,
                                 utcnow())
        return {"moved": len(coding_ids), "to": dst["key"]}


def delete_code(project: Project, key: str, force: bool = False,
                coder: str | None = None) -> int:
    """Delete a code; refused while it has codings unless `force`. Children move up.
    Returns how many codings were deleted with it."""
    with project.transaction():
        conn = project.conn
        current = code_rows.code(conn, key)
        key = current["key"]
        n = coding_rows.count_for_codes(conn, [key])
        if n and not force:
            raise QualCoderError(f"code '{key}' has {plural(n, 'coding')}; merge it into "
                                 f"another code, "
                                 f"or delete with --force to delete the {plural(n, 'coding')} too")
        coding_rows.delete_for_code(conn, current["id"])
        for child in code_rows.children_keys(conn, key):
            code_rows.update_code(conn, child, parent=current["parent"])
        code_rows.set_memo(conn, "code", current["id"], "", None, utcnow())
        code_rows.delete_code(conn, key)
        code_rows.record_history(conn, key, "deleted", f"'{current['name']}'" +
                                 (f", with {plural(n, 'coding')}" if n else ""),
                                 coder or default_coder(project), utcnow())
        return n


def tree(project: Project) -> list[dict[str, Any]]:
    counts = code_rows.coding_counts(project.conn)
    return [{"key": r["key"], "name": r["name"], "parent": r["parent"], "origin": r["origin"],
             "codings": counts.get(r["key"], 0), "codebook": r["codebook"],
             "color": r["color"]} for r in code_rows.all_codes(project.conn)]


def codebook_history(project: Project, key: str | None = None) -> list[HistoryRow]:
    return code_rows.history(project.conn, key)


def export_codebook(project: Project, out: str | Path, codebook: str | None = None,
                    notes: list[str] | None = None) -> list[str]:
    """Write YAML (one codebook), REFI-QDA .qdc (one, or all as frames) or CSV
    (`tag,description`, the hierarchy as Parent/Child paths, as Taguette imports)."""
    out = Path(out)
    conn = project.conn
    keys = [codebook] if codebook else [b["key"] for b in code_rows.codebooks(conn)]
    if not keys:
        raise QualCoderError("the project has no codebook to export; load one first")
    books = [code_rows.load_codebook(conn, k) for k in keys]
    if out.suffix.lower() == ".qdc":
        from ..about import version
        from ..exchange.refi_codebook import write_qdc

        write_qdc(books, out, f"qual-coder {version()}")
    elif out.suffix.lower() in (".yaml", ".yml"):
        if len(books) > 1:
            raise QualCoderError("a YAML file holds one codebook; choose one with --codebook ("
                                 + ", ".join(keys) + ")")
        from ..exchange.yaml_codebook import dump_codebook

        with private_output(out):
            out.write_text(dump_codebook(books[0]), encoding="utf-8")
    elif out.suffix.lower() == ".csv":
        from ..exchange.csv_codebook import write_csv

        said = write_csv(books, out)
        if notes is not None:
            notes.extend(said)
    else:
        raise QualCoderError(f"{out}: export to a .yaml, .qdc or .csv file")
    return keys


def _memo_owner(conn: sqlite3.Connection, scope: str, owner: str | int | None) -> int | None:
    from ..storage import transcript_rows

    if scope == "code":
        return int(code_rows.code(conn, str(owner))["id"])
    if scope == "transcript":
        if owner is None:
            raise QualCoderError("a transcript memo needs the transcript")
        return int(transcript_rows.transcript_by_ref(conn, owner)["id"])
    if scope == "coding":
        if owner is None:
            raise QualCoderError("a coding memo needs the coding")
        return int(coding_rows.get(conn, int(owner))["id"])
    if scope == "project":
        return None
    raise QualCoderError(f"memos belong to a project, transcript, code or coding, not '{scope}'")


def set_memo(project: Project, scope: str, owner: str | int | None, text: str,
             author: str | None = None) -> None:
    """Attach a memo to the project, a transcript, a code or a coding (empty text removes)."""
    with project.transaction():
        owner_id = _memo_owner(project.conn, scope, owner)
        code_rows.set_memo(project.conn, scope, owner_id, text, author or default_coder(project),
                           utcnow())


def get_memo(project: Project, scope: str, owner: str | int | None) -> str:
    return code_rows.memo(project.conn, scope, _memo_owner(project.conn, scope, owner))

