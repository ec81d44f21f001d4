"""Coding from scripts: code, uncode, undo/redo, memos, CSV import."""

from __future__ import annotations

from pathlib import Path

import click

from .. import services
from ..core.text import plural, shorten
from ..errors import QualCoderError
from ..storage import open_project
from .common import (
    cli,
    coder_opt,
    dry_run_opt,
    dry_run_said,
    echo_table,
    json_opt,
    open_for,
    originals_notice,
    print_json,
    project_arg,
    warn,
)


@cli.command()
@project_arg
@click.argument("transcript")
@click.option("--start", type=int, help="First character (0-based, code points).")
@click.option("--end", type=int, help="Character after the last (exclusive).")
@click.option("--quote", help="Exact text to code; must occur once.")
@click.option("--code", "code_key", required=True, help="Code key.")
@coder_opt
def code(project: Path, transcript: str, start: int | None, end: int | None, quote: str | None,
         code_key: str, coder: str | None) -> None:
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
@dry_run_opt
def import_codings(project: Path, file: Path, coder: str | None, dry_run: bool) -> None:
    """Apply codings listed by quote in a CSV: transcript, code, quote[, coder]."""
    notes: list[str] = []
    with open_for(project, dry_run) as proj:
        n = services.import_codings_csv(proj, file, coder, notes)
    warn(notes)
    click.echo(f"applied {plural(n, 'coding')}")
    dry_run_said(project, dry_run)


@cli.command()
@project_arg
@coder_opt
def undo(project: Path, coder: str | None) -> None:
    """Undo your last coding action (kept in the project, so it survives restarts).

    Each coder undoes their own actions, never another coder's; an action whose codings
    someone has changed since is refused."""
    with open_project(project) as proj:
        done = services.undo(proj, coder)
    click.echo(f"undid: {done['label']}" if done else "nothing to undo")


@cli.command()
@project_arg
@coder_opt
def redo(project: Path, coder: str | None) -> None:
    """Redo your last undone coding action."""
    with open_project(project) as proj:
        done = services.redo(proj, coder)
    click.echo(f"redid: {done['label']}" if done else "nothing to redo")


@cli.command()
@project_arg
@click.argument("coding_id", type=int)
@coder_opt
def uncode(project: Path, coding_id: int, coder: str | None) -> None:
    """Remove one coding by its id (your undo puts it back)."""
    with open_project(project) as proj:
        found = services.remove_coding(proj, coding_id, coder)
    click.echo(f"removed coding #{coding_id} ({found['code']} in {found['transcript']})")


@cli.command()
@project_arg
@click.option("--transcript", help="Only this transcript.")
@click.option("--code", "code_key", help="Only this code.")
@click.option("--coder", help="Only this coder.")
@click.option("--status", type=click.Choice(["final", "suggested", "rejected"]),
              help="Only final codings, suggestions waiting for review (autocode's), or "
                   "suggestions a coder rejected; by default final and suggested, each "
                   "marked.")
@json_opt
def codings(project: Path, transcript: str | None, code_key: str | None, coder: str | None,
            status: str | None, as_json: bool) -> None:
    """List codings with their text and status."""
    with open_project(project) as proj:
        originals_notice(proj)
        found = services.list_codings(proj, transcript, code_key, coder, status=status)
    if as_json:
        from ..services.codings import CODING_FIELDS

        print_json([{k: g[k] for k in CODING_FIELDS} for g in found])
        return
    echo_table(["id", "status", "transcript", "span", "code", "coder", "text"],
               ([f"#{g['id']}", g["status"], g["transcript"], f"{g['start']}-{g['end']}",
                 g["code"], g["coder"], shorten(" ".join(g["text"].split()), 60)]
                for g in found), right=[3])


@cli.command()
@project_arg
@click.option("--transcript")
@click.option("--code", "code_key")
@click.option("--coding", type=int)
@click.argument("text", required=False)
def memo(project: Path, transcript: str | None, code_key: str | None, coding: int | None,
         text: str | None) -> None:
    """Show or set the memo of the project, a transcript, a code or a coding."""

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
