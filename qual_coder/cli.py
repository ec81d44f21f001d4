"""The `qual-coder` command: a thin layer of click commands over services.

Each command opens the project, calls one service, prints the result. Errors a
user can act on (QualCoderError) print as one line per problem on stderr with
exit status 1; nothing else is caught, so a bug shows its traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from . import services
from .errors import QualCoderError
from .storage import init_project, open_project
from .storage import transcripts as rows


def _fail(message: str) -> None:
    for line in message.splitlines():
        click.secho(f"error: {line}", fg="red", err=True)
    sys.exit(1)


def handles_errors(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QualCoderError as err:
            _fail(str(err))

    return wrapper


def _warn(lines) -> None:
    for line in lines:
        click.secho(f"warning: {line}", fg="yellow", err=True)


project_arg = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def _print_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


class _ProjectDefaultGroup(click.Group):
    """`qual-coder study.db` opens the workbench, like `qual-coder tui study.db`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "tui", self.commands["tui"], args
        return super().resolve_command(ctx, args)


@click.group(cls=_ProjectDefaultGroup)
@click.version_option(package_name="qual-coder")
def cli() -> None:
    """Keyboard-first qualitative analysis of interview and focus-group transcripts.

    A project is one SQLite file. Start with `qual-coder demo demo.db`, or
    `qual-coder init study.db` and `qual-coder import study.db FILES...`.
    """


def main() -> None:
    cli(prog_name="qual-coder")


@cli.command()
@project_arg
@handles_errors
def init(project: Path) -> None:
    """Create an empty project file."""
    init_project(project).close()
    click.echo(f"created {project}")


@cli.command("import")
@project_arg
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path),
              help="CSV naming each file's kind, site, date and speakers.")
@click.option("--kind", type=click.Choice(["interview", "focus_group"]))
@click.option("--site", help="Local area (site) of every file imported.")
@click.option("--skip-existing", is_flag=True, help="Pass over files already imported.")
@handles_errors
def import_(project: Path, files, manifest, kind, site, skip_existing) -> None:
    """Import transcripts (.txt .md .docx .vtt .srt) as one transaction."""
    with open_project(project) as proj:
        report = services.import_transcripts(proj, files, manifest=manifest, kind=kind,
                                             site=site, skip_existing=skip_existing)
    _warn(report.warnings)
    for line in report.skipped:
        click.echo(f"skipped {line}")
    for t in report.imported:
        click.echo(f"imported {t['name']}: {t['words']:,} words, {t['turns']} turns, "
                   f"{t['speakers']} speakers")
    click.echo(f"{len(report.imported)} transcripts, {report.words:,} words imported")


@cli.command()
@project_arg
@json_opt
@handles_errors
def transcripts(project: Path, as_json: bool) -> None:
    """List transcripts with their speakers."""
    with open_project(project) as proj:
        listing = rows.list_transcripts(proj.conn)
    if as_json:
        _print_json([{k: t[k] for k in ("id", "name", "kind", "site", "words", "turns",
                                         "speakers")} for t in listing])
        return
    for t in listing:
        click.echo(f"{t['id']:>4}  {t['name']:<32} {t['kind']:<12} {t['site'] or '-':<14} "
                   f"{t['words']:>7,} words {t['turns']:>5} turns")
        for s in t["speakers"]:
            who = s["participant"] or "?"
            extra = ", ".join(x for x in (s["stakeholder_type"], s["role"]) if x)
            click.echo(f"        {s['label']:<24} -> {who}" + (f" ({extra})" if extra else ""))


@cli.command()
@project_arg
@click.argument("transcript")
@handles_errors
def show(project: Path, transcript: str) -> None:
    """Print one transcript, turn by turn, with its speakers."""
    with open_project(project) as proj:
        t = rows.find_transcript(proj.conn, transcript)
        turn_rows = rows.turns(proj.conn, t["id"])
    click.secho(f"{t['name']}  ({t['kind']}, {t['site'] or 'no site'}, {t['date'] or 'no date'}, "
                f"{t['words']:,} words, from {t['source_file']})", bold=True)
    for turn in turn_rows:
        who = turn["speaker"] or ""
        if turn["participant"] and turn["participant"] != turn["speaker"]:
            who += f" = {turn['participant']}"
        if turn["role"] or turn["stakeholder_type"]:
            who += f" [{turn['role'] or turn['stakeholder_type']}]"
        stamp = f"{turn['timestamp']} " if turn["timestamp"] else ""
        click.echo()
        if who:
            click.secho(f"{stamp}{who}", fg="cyan")
        click.echo(t["text"][turn["start"]:turn["end"]])


@cli.command()
@project_arg
@click.argument("name", required=False)
@click.option("--stakeholder-type", help="Key or label of a stakeholder type.")
@click.option("--role", help="Role used in quote attributions, e.g. 'School lead'.")
@click.option("--rename", help="New name for the participant.")
@json_opt
@handles_errors
def participants(project: Path, name, stakeholder_type, role, rename, as_json) -> None:
    """List participants, or change one: NAME --stakeholder-type T --role R."""
    with open_project(project) as proj:
        if name:
            services.set_participant(proj, name, stakeholder_type, role, rename)
        listing = rows.participants(proj.conn)
    if as_json:
        _print_json(listing)
        return
    for p in listing:
        click.echo(f"{p['name']:<36} {p['stakeholder_type'] or '?':<14} {p['role'] or '':<22} "
                   f"{p['transcripts']} transcripts, {p['turns']} turns")


@cli.command("stakeholder-types")
@project_arg
@click.option("--add", nargs=2, metavar="KEY LABEL", help="Add or relabel a stakeholder type.")
@click.option("--interviewer", is_flag=True, help="With --add: excluded from counts.")
@handles_errors
def stakeholder_types(project: Path, add, interviewer: bool) -> None:
    """List the project's stakeholder types, or add one."""
    with open_project(project) as proj:
        if add:
            services.add_stakeholder_type(proj, add[0], add[1], interviewer)
        for t in rows.stakeholder_types(proj.conn):
            click.echo(f"{t['key']:<16} {t['label']}" + ("  (not counted)" if
                                                        t["is_interviewer"] else ""))


@cli.group()
def attributes() -> None:
    """Attributes of participants and transcripts."""


@attributes.command("set")
@project_arg
@click.option("--participant", help="Participant name.")
@click.option("--transcript", help="Transcript id or name.")
@click.argument("pairs", nargs=-1, required=True)
@handles_errors
def attributes_set(project: Path, participant, transcript, pairs) -> None:
    """Set KEY=VALUE pairs (site, kind, date, stakeholder_type, role, or your own)."""
    if bool(participant) == bool(transcript):
        raise QualCoderError("name one --participant or one --transcript")
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QualCoderError(f"'{pair}' is not KEY=VALUE")
        values[key.strip()] = value.strip()
    with open_project(project) as proj:
        services.set_attributes(proj, "participant" if participant else "transcript",
                                participant or transcript, values)
    click.echo(f"set {', '.join(values)}")


@attributes.command("list")
@project_arg
@json_opt
@handles_errors
def attributes_list(project: Path, as_json: bool) -> None:
    """Show every transcript's and participant's attributes."""
    with open_project(project) as proj:
        data = {
            "transcripts": [
                {"name": t["name"], "site": t["site"], "kind": t["kind"], "date": t["date"],
                 **rows.transcript(proj.conn, t["id"])["attributes"]}
                for t in rows.list_transcripts(proj.conn)],
            "participants": [
                {"name": p["name"], "stakeholder_type": p["stakeholder_type"], "role": p["role"],
                 **p["attributes"]} for p in rows.participants(proj.conn)],
        }
    if as_json:
        _print_json(data)
        return
    for scope, items in data.items():
        click.secho(scope, bold=True)
        for item in items:
            click.echo("  " + ", ".join(f"{k}={v}" for k, v in item.items() if v is not None))


@cli.command()
@project_arg
@click.argument("transcript")
@click.argument("label")
@click.argument("participant")
@handles_errors
def assign(project: Path, transcript: str, label: str, participant: str) -> None:
    """Say that speaker LABEL in TRANSCRIPT is PARTICIPANT."""
    with open_project(project) as proj:
        services.assign_speaker(proj, transcript, label, participant)
    click.echo(f"{label} in {transcript} is now {participant}")


@cli.command()
@project_arg
@json_opt
@handles_errors
def summary(project: Path, as_json: bool) -> None:
    """What the project holds: transcripts, words, participants by stakeholder type."""
    with open_project(project) as proj:
        s = rows.summary(proj.conn)
    if as_json:
        _print_json(s)
        return
    _echo_summary(project, s)


def _echo_summary(project: Path, s: dict) -> None:
    kinds = ", ".join(f"{n} {k.replace('_', ' ')}s" for k, n in sorted(s["kinds"].items()))
    click.secho(f"{project}", bold=True)
    click.echo(f"  {s['transcripts']} transcripts ({kinds or 'none'}), {s['words']:,} words, "
               f"{s['turns']:,} turns")
    click.echo(f"  sites: {', '.join(s['sites']) or '-'}")
    click.echo(f"  {s['participants']} participants (interviewers not counted):")
    for stype, n in s["by_stakeholder_type"].items():
        click.echo(f"    {stype:<16} {n}")


@cli.command()
@project_arg
@click.option("--from", "source", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of demo transcripts (default: the shipped transcripts/).")
@click.option("--force", is_flag=True, help="Replace PROJECT if it exists.")
@handles_errors
def demo(project: Path, source: Path | None, force: bool) -> None:
    """Build the demo project from the shipped transcripts and codebooks."""
    from .demo import build_demo

    report = build_demo(project, source, force=force)
    _warn(report.warnings)
    click.echo(f"built {project}: {len(report.imported)} transcripts, {report.words:,} words")


@cli.command()
@project_arg
@handles_errors
def tui(project: Path) -> None:
    """Open the coding workbench on PROJECT."""
    from .tui.app import run

    open_project(project).close()  # fail here, with a clear message, not inside the app
    run(project)


# -- codebooks -----------------------------------------------------------------------

coder_opt = click.option("--coder", help="Who is acting (default: $QUAL_CODER_CODER or login).")


@cli.group()
def codebook() -> None:
    """Load, grow, reshape and export codebooks."""


@codebook.command("load")
@project_arg
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--key", help="Codebook key (default: the file's own key or name).")
@coder_opt
@handles_errors
def codebook_load(project: Path, file: Path, key, coder) -> None:
    """Load a codebook (.yaml or REFI-QDA .qdc), or update it from an edited file."""
    with open_project(project) as proj:
        report = services.load_codebook(proj, file, key=key, coder=coder)
    _warn(report.notes)
    verb = "loaded" if report.created else "updated"
    click.echo(f"{verb} codebook '{report.codebook}': {len(report.added)} codes added, "
               f"{len(report.updated)} changed")
    for key_, fields in report.updated.items():
        click.echo(f"  changed {key_}: {', '.join(fields)}")
    for key_ in report.added if not report.created else []:
        click.echo(f"  added {key_}")
    if report.kept:
        click.echo(f"  kept {len(report.kept)} codes that are not in the file: "
                   + ", ".join(report.kept))


@codebook.command("add")
@project_arg
@click.argument("key")
@click.option("--name", required=True)
@click.option("--parent", help="Key of the parent code.")
@click.option("--description", default="")
@click.option("--codebook", "book", help="Codebook to add to (default: the parent's, or "
              "'inductive').")
@click.option("--deductive", is_flag=True, help="Mark as deductive (default inductive).")
@coder_opt
@handles_errors
def codebook_add(project: Path, key, name, parent, description, book, deductive, coder) -> None:
    """Create a code (inductive by default)."""
    with open_project(project) as proj:
        made = services.add_code(proj, key, name, parent=parent, description=description,
                                 codebook=book, origin="deductive" if deductive else "inductive",
                                 coder=coder)
    click.echo(f"created {made['key']} ({made['origin']}) in {made['codebook']}")


@codebook.command("tree")
@project_arg
@json_opt
@handles_errors
def codebook_tree(project: Path, as_json: bool) -> None:
    """The code tree with coding counts."""
    with open_project(project) as proj:
        codes = services.tree(proj)
    if as_json:
        _print_json([{k: c[k] for k in ("key", "name", "parent", "origin", "codings",
                                        "codebook")} for c in codes])
        return
    depth: dict[str, int] = {}
    book = None
    for c in codes:
        if c["codebook"] != book:
            book = c["codebook"]
            click.secho(book, bold=True)
        depth[c["key"]] = depth.get(c["parent"], 0) + 1 if c["parent"] else 1
        mark = "" if c["origin"] == "deductive" else " (inductive)"
        click.echo(f"{'  ' * depth[c['key']]}{c['name']} [{c['key']}] {c['codings']}{mark}")


@codebook.command("export")
@project_arg
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--codebook", "book", help="Which codebook (YAML holds one).")
@handles_errors
def codebook_export(project: Path, out: Path, book) -> None:
    """Write a codebook as YAML, or as REFI-QDA .qdc when OUT ends in .qdc."""
    with open_project(project) as proj:
        keys = services.export_codebook(proj, out, book)
    click.echo(f"wrote {out} ({', '.join(keys)})")


@codebook.command("history")
@project_arg
@click.argument("key", required=False)
@json_opt
@handles_errors
def codebook_history(project: Path, key, as_json: bool) -> None:
    """What changed in the codebook: what, who, when."""
    with open_project(project) as proj:
        entries = services.codebook_history(proj, key)
    if as_json:
        _print_json(entries)
        return
    for e in entries:
        click.echo(f"{e['at']}  {e['coder'] or '-':<12} {e['code']:<28} {e['action']}: "
                   f"{e['detail']}")


@codebook.command("rename")
@project_arg
@click.argument("key")
@click.argument("name")
@coder_opt
@handles_errors
def codebook_rename(project: Path, key, name, coder) -> None:
    """Give code KEY a new NAME (its key stays)."""
    with open_project(project) as proj:
        services.rename_code(proj, key, name, coder)
    click.echo(f"renamed {key}")


@codebook.command("move")
@project_arg
@click.argument("key")
@click.option("--parent", help="New parent's key; omit to move to the top.")
@coder_opt
@handles_errors
def codebook_move(project: Path, key, parent, coder) -> None:
    """Move a code, with its children, under another parent."""
    with open_project(project) as proj:
        services.move_code(proj, key, parent, coder)
    click.echo(f"moved {key} under {parent or '(top)'}")


@codebook.command("merge")
@project_arg
@click.argument("source")
@click.argument("target")
@coder_opt
@handles_errors
def codebook_merge(project: Path, source, target, coder) -> None:
    """Merge code SOURCE into TARGET (codings and children move; SOURCE goes)."""
    with open_project(project) as proj:
        result = services.merge_codes(proj, source, target, coder)
    click.echo(f"merged {source} into {target}: {result['moved']} codings moved, "
               f"{result['collapsed']} duplicates collapsed")


@codebook.command("split")
@project_arg
@click.argument("source")
@click.argument("new_key")
@click.option("--coding", "codings", type=int, multiple=True, required=True,
              help="Id of a coding to move (repeat).")
@click.option("--name", help="Name of the new code.")
@coder_opt
@handles_errors
def codebook_split(project: Path, source, new_key, codings, name, coder) -> None:
    """Move chosen codings of SOURCE to NEW_KEY (created beside SOURCE if new)."""
    with open_project(project) as proj:
        result = services.split_code(proj, source, list(codings), new_key, name, coder)
    click.echo(f"moved {result['moved']} codings to {result['to']}")


@codebook.command("delete")
@project_arg
@click.argument("key")
@click.option("--force", is_flag=True, help="Delete its codings too.")
@coder_opt
@handles_errors
def codebook_delete(project: Path, key, force, coder) -> None:
    """Delete a code (refused while it has codings, unless --force)."""
    with open_project(project) as proj:
        n = services.delete_code(proj, key, force, coder)
    click.echo(f"deleted {key}" + (f" and its {n} codings" if n else ""))


# -- codings -------------------------------------------------------------------------

@cli.command()
@project_arg
@click.argument("transcript")
@click.option("--start", type=int, help="First character (0-based, code points).")
@click.option("--end", type=int, help="Character after the last (exclusive).")
@click.option("--quote", help="Exact text to code; must occur once.")
@click.option("--code", "code_key", required=True, help="Code key.")
@coder_opt
@handles_errors
def code(project: Path, transcript, start, end, quote, code_key, coder) -> None:
    """Code a span of TRANSCRIPT (id or name) at a code."""
    with open_project(project) as proj:
        result = services.add_coding(proj, transcript, code_key, start, end, quote, coder)
    if not result.created:
        click.echo(f"already coded: coding #{result.id} ({result.start}-{result.end})")
    else:
        click.echo(f"coding #{result.id}: {result.start}-{result.end}"
                   + (f" (merged {len(result.absorbed)} overlapping)" if result.absorbed else ""))


@cli.command("import-codings")
@project_arg
@click.argument("file", type=click.Path(path_type=Path))
@coder_opt
@handles_errors
def import_codings(project: Path, file: Path, coder) -> None:
    """Apply codings listed by quote in a CSV: transcript, code, quote[, coder]."""
    with open_project(project) as proj:
        n = services.import_codings_csv(proj, file, coder)
    click.echo(f"applied {n} codings")


@cli.command()
@project_arg
def undo(project: Path) -> None:
    """Undo the last coding action (kept in the project, so it survives restarts)."""
    with open_project(project) as proj:
        done = services.undo(proj)
    click.echo(f"undid: {done['label']}" if done else "nothing to undo")


@cli.command()
@project_arg
def redo(project: Path) -> None:
    """Redo the last undone coding action."""
    with open_project(project) as proj:
        done = services.redo(proj)
    click.echo(f"redid: {done['label']}" if done else "nothing to redo")


@cli.command()
@project_arg
@click.argument("coding_id", type=int)
@handles_errors
def uncode(project: Path, coding_id: int) -> None:
    """Remove one coding by its id."""
    with open_project(project) as proj:
        found = services.remove_coding(proj, coding_id)
    click.echo(f"removed coding #{coding_id} ({found['code']} in {found['transcript']})")


@cli.command()
@project_arg
@click.option("--transcript", help="Only this transcript.")
@click.option("--code", "code_key", help="Only this code.")
@click.option("--coder", help="Only this coder.")
@json_opt
@handles_errors
def codings(project: Path, transcript, code_key, coder, as_json: bool) -> None:
    """List codings with their text."""
    with open_project(project) as proj:
        found = services.list_codings(proj, transcript, code_key, coder)
    if as_json:
        _print_json([{k: g[k] for k in ("id", "transcript", "start", "end", "code", "coder",
                                         "text")} for g in found])
        return
    for g in found:
        text = " ".join(g["text"].split())
        click.echo(f"#{g['id']:<5} {g['transcript']:<30} {g['start']:>6}-{g['end']:<6} "
                   f"{g['code']:<24} {g['coder']:<10} {text[:60]}")


@cli.command()
@project_arg
@click.option("--transcript")
@click.option("--code", "code_key")
@click.option("--coding", type=int)
@click.argument("text", required=False)
@handles_errors
def memo(project: Path, transcript, code_key, coding, text) -> None:
    """Show or set the memo of the project, a transcript, a code or a coding."""
    from .storage import codebook as code_rows

    chosen = [(s, o) for s, o in (("transcript", transcript), ("code", code_key),
                                  ("coding", coding)) if o is not None]
    if len(chosen) > 1:
        raise QualCoderError("name one of --transcript, --code, --coding (or none for the "
                             "project memo)")
    scope, owner = chosen[0] if chosen else ("project", None)
    with open_project(project) as proj:
        if text is not None:
            services.set_memo(proj, scope, owner, text)
            click.echo(f"memo saved ({scope})")
            return
        click.echo(services.get_memo(proj, scope, owner))


# -- analysis ------------------------------------------------------------------------

out_opt = click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write to this file (format from its suffix unless --format).")


def _exports_allowed(proj) -> None:
    from .services.pseudonymise import check_export_allowed

    check_export_allowed(proj)


def _emit(text: str | None, out: Path | None) -> None:
    if text is not None:
        click.echo(text.rstrip("\n"))
    elif out is not None:
        click.echo(f"wrote {out}")


@cli.command()
@project_arg
@click.option("--rows", type=click.Choice(["code"]), default="code", show_default=True)
@click.option("--cols", default="stakeholder_type", show_default=True,
              help="A participant or transcript attribute: stakeholder_type, role, site, kind, "
                   "participant, transcript, or your own.")
@click.option("--measure", default="excerpts", show_default=True,
              type=click.Choice(["excerpts", "participants", "percent", "transcripts", "words",
                                 "presence"]))
@click.option("--codebook", "book", help="Only this codebook's codes.")
@click.option("--include-interviewer", is_flag=True, help="Count interviewers' turns too.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]))
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@out_opt
@handles_errors
def matrix(project: Path, rows, cols, measure, book, include_interviewer, fmt, as_json,
           out) -> None:
    """Theme frequency: codes (parents rolling up children) by an attribute, with totals."""
    from .analysis.matrix import frequency_matrix
    from .reports.tables import format_for, write_frame

    with open_project(project) as proj:
        m = frequency_matrix(proj, cols, measure, book, include_interviewer)
    df = m.frame.copy()
    df.index = m.row_names
    fmt = "json" if as_json else format_for(out, fmt)
    _emit(write_frame(df, fmt, out, sheet=f"{measure} by {cols}", json_data=m.to_json()), out)


@cli.command()
@project_arg
@click.option("--theme", "themes", multiple=True, required=True,
              help="Code whose children are the columns (repeat for one sheet per theme).")
@click.option("--cases", type=click.Choice(["participant", "transcript", "site"]),
              default="participant", show_default=True)
@click.option("--group-by", help="Sort and group cases by an attribute (stakeholder_type, "
                                 "site, ...).")
@click.option("--set", "set_cell", nargs=3, metavar="CASE CODE SUMMARY",
              help="Store the analyst's summary of one cell (empty text clears it).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]))
@out_opt
@coder_opt
@handles_errors
def framework(project: Path, themes, cases, group_by, set_cell, fmt, out, coder) -> None:
    """Framework matrix: cases by the codes of a theme, summaries or excerpts in cells."""
    from .analysis.framework import framework_matrix, set_summary
    from .reports.tables import format_for, write_frame, write_xlsx

    with open_project(project) as proj:
        if not set_cell:
            _exports_allowed(proj)
        if set_cell:
            set_summary(proj, themes[0], cases, set_cell[0], set_cell[1], set_cell[2],
                        coder or services.default_coder(proj))
            click.echo(f"summary saved for {set_cell[0]} × {set_cell[1]}")
            return
        charts = [framework_matrix(proj, t, cases, group_by) for t in themes]
    fmt = format_for(out, fmt)
    if fmt == "xlsx":
        if out is None:
            raise QualCoderError("XLSX needs a file: add -o FILE.xlsx")
        write_xlsx({c.theme_name: c.frame for c in charts}, out, wrap=True,
                   widths={name: 48 for c in charts for name in c.frame.columns[-len(c.codes):]})
        click.echo(f"wrote {out}")
        return
    if fmt == "json":
        _emit(write_frame(charts[0].frame, "json", out,
                          json_data={"themes": [c.to_json() for c in charts]}), out)
        return
    parts = []
    for c in charts:
        text = write_frame(c.frame, fmt, None)
        parts.append((f"## {c.theme_name}\n\n" if fmt == "md" else "") + (text or ""))
    text = "\n\n".join(parts)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    _emit(None if out else text, out)


@cli.command()
@project_arg
@click.option("--within", type=click.Choice(["overlap", "turn"]), default="overlap",
              show_default=True, help="Codes on overlapping text, or anywhere in one turn.")
@click.option("--codebook", "book")
@click.option("--list", "as_list", is_flag=True, help="List the co-coded excerpts.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]))
@out_opt
@handles_errors
def cooccurrence(project: Path, within, book, as_list, fmt, out) -> None:
    """Which codes are applied together, as counts (and the excerpts, with --list)."""
    from .analysis.cooccurrence import cooccurrence as co
    from .reports.tables import format_for, write_frame

    with open_project(project) as proj:
        if as_list:
            _exports_allowed(proj)
        matrix_, pairs = co(proj, within, book)
        texts = dict(proj.conn.execute("SELECT name, text FROM transcripts"))
    fmt = format_for(out, fmt)
    if as_list:
        for p in pairs:
            p["text"] = texts[p["transcript"]][p["start"]:p["end"]]
        if fmt == "json":
            _emit(json.dumps(pairs, indent=2, ensure_ascii=False), None)
        else:
            for p in pairs:
                click.echo(f"{' + '.join(p['codes'])}  {p['transcript']} {p['start']}-{p['end']}"
                           f"  ‘{' '.join(p['text'].split())[:80]}’")
        return
    _emit(write_frame(matrix_, fmt, out, sheet="co-occurrence",
                      json_data={"codes": list(matrix_.index),
                                 "cells": matrix_.values.tolist(), "within": within}), out)


@cli.command()
@project_arg
@click.option("--code", "codes", multiple=True, required=True, help="Code key (repeatable).")
@click.option("--all", "mode", flag_value="all", help="Text coded with every --code.")
@click.option("--any", "mode", flag_value="any", default=True, help="Text coded with any.")
@click.option("--where", "wheres", multiple=True, metavar="FIELD=VALUE",
              help="stakeholder_type=…, role=…, site=…, kind=…, participant=… (repeatable).")
@click.option("--search", help="Only quotes containing these words (full-text search).")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "docx", "json"]))
@out_opt
@handles_errors
def quotes(project: Path, codes, mode, wheres, search, fmt, out) -> None:
    """Quotes by theme, overlapping excerpts merged, attributed as reports quote them."""
    from .analysis.quotes import find_quotes
    from .reports.quotes import write_quotes

    where = {}
    for w in wheres:
        field, sep, value = w.partition("=")
        if not sep:
            raise QualCoderError(f"--where '{w}' is not FIELD=VALUE")
        where[field.strip()] = value.strip()
    with open_project(project) as proj:
        _exports_allowed(proj)
        found = find_quotes(proj, list(codes), mode, where, search)
    fmt = fmt or (out.suffix.lower().lstrip(".") if out else "md")
    title = " + ".join(codes) if mode == "all" else ", ".join(codes)
    _emit(write_quotes(found, fmt, out, title), out)


# -- quantitative companions -----------------------------------------------------------

@cli.group()
def cascade() -> None:
    """CASCADE framework ratings: import and the Table 1 summary."""


@cascade.command("import")
@project_arg
@click.argument("file", type=click.Path(path_type=Path))
@handles_errors
def cascade_import(project: Path, file: Path) -> None:
    """Import ratings from CSV or XLSX (long: area, workshop, domain, rating; or wide)."""
    from .quant.cascade import import_ratings

    with open_project(project) as proj:
        result = import_ratings(proj, file)
    click.echo(f"imported {result.ratings} ratings for {result.areas} areas at workshops "
               f"{', '.join(result.workshops)}"
               + (f" (replacing {result.replaced})" if result.replaced else ""))


@cascade.command("table")
@project_arg
@json_opt
@handles_errors
def cascade_table_cmd(project: Path, as_json: bool) -> None:
    """Per domain: % of areas at each level per workshop, Wilcoxon Z and p, alpha."""
    from .quant.cascade import cascade_table, format_table

    with open_project(project) as proj:
        table = cascade_table(proj)
    if as_json:
        _print_json(table)
    else:
        click.echo(format_table(table))


@cli.group()
def survey() -> None:
    """Pre/post surveys: import and the summary with paired comparisons."""


@survey.command("import")
@project_arg
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--items", type=click.Path(path_type=Path),
              help="YAML naming each item's label, type, levels and groups.")
@handles_errors
def survey_import(project: Path, file: Path, items) -> None:
    """Import responses (respondent_id, wave, one column per item) from CSV or XLSX."""
    from .quant.survey import import_survey

    with open_project(project) as proj:
        result = import_survey(proj, file, items)
    click.echo(f"imported {result['respondents']} respondents, {result['items']} items, "
               f"waves {', '.join(result['waves'])}")


@survey.command("summary")
@project_arg
@json_opt
@handles_errors
def survey_summary_cmd(project: Path, as_json: bool) -> None:
    """Respondents per wave, match rate, per item distributions and paired tests."""
    from .quant.survey import format_summary, survey_summary

    with open_project(project) as proj:
        summary_ = survey_summary(proj)
    if as_json:
        _print_json(summary_)
    else:
        click.echo(format_summary(summary_))


@cli.command()
@project_arg
@click.option("--domain", help="CASCADE domain key.")
@click.option("--survey-item", help="Survey item key.")
@click.option("--code", "code_key", required=True, help="Code key to link.")
@click.option("--remove", is_flag=True, help="Remove the link instead.")
@handles_errors
def link(project: Path, domain, survey_item, code_key, remove) -> None:
    """Link a CASCADE domain or a survey item to a code, for triangulation."""
    from .quant.triangulate import set_link

    if bool(domain) == bool(survey_item):
        raise QualCoderError("name one --domain or one --survey-item")
    with open_project(project) as proj:
        set_link(proj, "cascade" if domain else "survey", domain or survey_item, code_key,
                 remove)
    click.echo(f"{'unlinked' if remove else 'linked'} {domain or survey_item} - {code_key}")


@cli.command()
@project_arg
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html", "xlsx"]))
@out_opt
@handles_errors
def triangulate(project: Path, fmt, out) -> None:
    """Joint display per CASCADE domain: ratings, survey, interviews, quotes."""
    from .quant.triangulate import joint_display_frame, joint_display_markdown
    from .quant.triangulate import triangulate as tri

    fmt = fmt or (out.suffix.lower().lstrip(".") if out else "md")
    with open_project(project) as proj:
        _exports_allowed(proj)
        data = tri(proj)
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False)
    elif fmt == "md":
        text = joint_display_markdown(data)
    elif fmt == "html":
        import html as html_lib

        # Line breaks inside cells survive escaping as a placeholder, then become <br>.
        frame = joint_display_frame(data).replace("\n", "\u2028", regex=True)
        text = ("<html><head><meta charset='utf-8'><title>Joint display</title></head><body>"
                "<h1>Joint display</h1>" + frame.to_html(index=False, escape=True)
                .replace("\u2028", "<br>") + f"<p>{html_lib.escape(data['rule'])}</p>"
                "</body></html>")
    elif fmt == "xlsx":
        if out is None:
            raise QualCoderError("XLSX needs a file: add -o FILE.xlsx")
        from .reports.tables import write_xlsx

        write_xlsx({"Joint display": joint_display_frame(data)}, out, wrap=True, index=False)
        click.echo(f"wrote {out}")
        return
    else:
        raise QualCoderError(f"unknown format '{fmt}'")
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(text)


@cli.command()
@project_arg
@click.option("-o", "--output", "out", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="report.docx, .md or .html")
@handles_errors
def report(project: Path, out: Path) -> None:
    """A report skeleton: sample, themes, quotes, CASCADE table, survey, joint display."""
    from .reports.report import write_report

    with open_project(project) as proj:
        _exports_allowed(proj)
        write_report(proj, out)
    click.echo(f"wrote {out}")


# -- safety ----------------------------------------------------------------------------

@cli.command()
@project_arg
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("--keep", type=int, help="Set how many automatic backups the workbench keeps "
                                       "(0: none).")
@handles_errors
def backup(project: Path, dest, keep) -> None:
    """Back up PROJECT (consistent while the workbench has it open)."""
    from .storage.backup import backup as do_backup

    if keep is not None:
        with open_project(project) as proj:
            proj.set_setting("backup.keep", str(max(keep, 0)))
        click.echo(f"the workbench keeps {max(keep, 0)} automatic backups")
        if dest is None:
            return
    click.echo(f"backed up to {do_backup(project, dest)}")


@cli.command()
@project_arg
@click.argument("backup_file", type=click.Path(path_type=Path))
@handles_errors
def restore(project: Path, backup_file: Path) -> None:
    """Replace PROJECT's contents with a backup (the current state is backed up first)."""
    from .storage.backup import restore as do_restore

    safety = do_restore(project, backup_file)
    click.echo(f"restored {backup_file}; the state before is in {safety}")


@cli.command()
@project_arg
@click.argument("transcript")
@click.argument("file", type=click.Path(path_type=Path))
@json_opt
@handles_errors
def reimport(project: Path, transcript: str, file: Path, as_json: bool) -> None:
    """Replace TRANSCRIPT with a corrected FILE, keeping its codings (re-anchored)."""
    with open_project(project) as proj:
        r = services.reimport_transcript(proj, transcript, file)
    if as_json:
        _print_json({"transcript": r.transcript, "same": r.same, "moved": r.moved,
                     "fuzzy": r.fuzzy, "unplaced": r.unplaced})
        return
    click.echo(f"{r.transcript}: {r.total} codings: {r.same} in place, {r.moved} moved, "
               f"{len(r.fuzzy)} re-anchored fuzzily, {len(r.unplaced)} could not be placed")
    for f in r.fuzzy:
        click.echo(f"  fuzzy #{f['coding']} ({f['score']}): ‘{f['was'][:50]}’ -> "
                   f"‘{f['now'][:50]}’")
    for u in r.unplaced:
        click.echo(f"  UNPLACED (kept in unplaced_codings): ‘{u['quote'][:70]}’")


@cli.command()
@project_arg
@click.option("--propose", "propose_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the names found and their proposed replacements to this CSV.")
@click.option("--apply", "apply_from", type=click.Path(dir_okay=False, path_type=Path),
              help="The reviewed CSV (name, replacement; blank keeps the name).")
@click.option("--to", "dest", type=click.Path(dir_okay=False, path_type=Path),
              help="With --apply: the pseudonymised copy to create.")
@click.option("--allow-exports", is_flag=True, help="Allow exports from this project again.")
@handles_errors
def pseudonymise(project: Path, propose_to, apply_from, dest, allow_exports) -> None:
    """Find names of people, schools and places; replace them in a copy, codings kept."""
    from .services import pseudonymise as ps

    if allow_exports:
        with open_project(project) as proj:
            proj.set_setting("exports.pseudonymised_only", "no")
        click.echo("exports of quotes and text are allowed from this project")
        return
    if apply_from:
        if dest is None:
            raise QualCoderError("--apply needs --to COPY.db, the pseudonymised copy to create")
        result = ps.apply(project, apply_from, dest)
        click.echo(f"wrote {result['copy']}: {result['replacements']} replacements of "
                   f"{result['names']} names; export quotes and text from the copy")
        return
    with open_project(project) as proj:
        found = ps.propose(proj)
    if propose_to:
        ps.write_proposal(found, propose_to)
        click.echo(f"wrote {len(found)} names to {propose_to}: review, then --apply it")
    else:
        for c in found:
            click.echo(f"{c['kind']:<7} {c['name']:<32} -> {c['replacement']:<24} "
                       f"({c['occurrences']})")
