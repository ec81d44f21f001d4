"""Codebooks: load, edit, export, history."""

from __future__ import annotations

from pathlib import Path

import click

from .. import services
from ..core.text import plural
from ..storage import open_project
from .common import (
    cli,
    coder_opt,
    dry_run_opt,
    dry_run_said,
    echo_table,
    json_opt,
    open_for,
    print_json,
    project_arg,
    warn,
)


@cli.group()
def codebook() -> None:
    """Load, grow, reshape and export codebooks."""


@codebook.command("load")
@project_arg
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--key", help="Codebook key (default: the file's own key or name).")
@coder_opt
@dry_run_opt
def codebook_load(project: Path, file: Path, key: str | None, coder: str | None,
                  dry_run: bool) -> None:
    """Load a codebook (.yaml or REFI-QDA .qdc), or update it from an edited file.
    FILE may be the name of a shipped codebook (`cascade`; see `codebook shipped`)."""
    with open_for(project, dry_run) as proj:
        report = services.load_codebook(proj, file, key=key, coder=coder)
    warn(report.notes)
    verb = "loaded" if report.created else "updated"
    click.echo(f"{verb} codebook '{report.codebook}': {plural(len(report.added), 'code')} added, "
               f"{len(report.updated)} changed")
    for key_, fields in report.updated.items():
        click.echo(f"  changed {key_}: {', '.join(fields)}")
    for key_ in report.added if not report.created else []:
        click.echo(f"  added {key_}")
    if report.kept:
        click.echo(f"  kept {plural(len(report.kept), 'code')} that are not in the file: "
                   + ", ".join(report.kept))
    dry_run_said(project, dry_run)


@codebook.command("shipped")
@json_opt
def codebook_shipped(as_json: bool) -> None:
    """List the codebooks shipped with qual-coder, loadable by name."""
    from ..services.codebook import list_shipped

    books = list_shipped()
    if as_json:
        print_json(books)
        return
    echo_table(["name", "codes", "title", "about"],
               [(b["name"], b["codes"], b["title"], b["description"]) for b in books],
               right=[1])
    click.echo("load one with: qual-coder codebook load PROJECT NAME")


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
def codebook_add(project: Path, key: str, name: str, parent: str | None, description: str,
                 book: str | None, deductive: bool, coder: str | None) -> None:
    """Create a code (inductive by default)."""
    with open_project(project) as proj:
        made = services.add_code(proj, key, name, parent=parent, description=description,
                                 codebook=book, origin="deductive" if deductive else "inductive",
                                 coder=coder)
    click.echo(f"created {made['key']} ({made['origin']}) in {made['codebook']}")


@codebook.command("tree")
@project_arg
@json_opt
def codebook_tree(project: Path, as_json: bool) -> None:
    """The code tree with coding counts."""
    with open_project(project) as proj:
        codes = services.tree(proj)
    if as_json:
        print_json([{k: c[k] for k in ("key", "name", "parent", "origin", "codings",
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
def codebook_export(project: Path, out: Path, book: str | None) -> None:
    """Write a codebook as YAML, as REFI-QDA .qdc when OUT ends in .qdc, or as CSV
    (tag,description; Parent/Child paths) for Taguette when OUT ends in .csv."""
    notes: list[str] = []
    with open_project(project) as proj:
        keys = services.export_codebook(proj, out, book, notes)
    warn(notes)
    click.echo(f"wrote {out} ({', '.join(keys)})")


@codebook.command("history")
@project_arg
@click.argument("key", required=False)
@json_opt
def codebook_history(project: Path, key: str | None, as_json: bool) -> None:
    """What changed in the codebook: what, who, when."""
    with open_project(project) as proj:
        entries = services.codebook_history(proj, key)
    if as_json:
        print_json(entries)
        return
    echo_table(["when", "coder", "code", "what"],
               [(e["at"], e["coder"] or "-", e["code"], f"{e['action']}: {e['detail']}")
                for e in entries])


@codebook.command("rename")
@project_arg
@click.argument("key")
@click.argument("name")
@coder_opt
def codebook_rename(project: Path, key: str, name: str, coder: str | None) -> None:
    """Give code KEY a new NAME (its key stays)."""
    with open_project(project) as proj:
        services.rename_code(proj, key, name, coder)
    click.echo(f"renamed {key}")


@codebook.command("move")
@project_arg
@click.argument("key")
@click.option("--parent", help="New parent's key; omit to move to the top.")
@coder_opt
def codebook_move(project: Path, key: str, parent: str | None, coder: str | None) -> None:
    """Move a code, with its children, under another parent."""
    with open_project(project) as proj:
        services.move_code(proj, key, parent, coder)
    click.echo(f"moved {key} under {parent or '(top)'}")


@codebook.command("merge")
@project_arg
@click.argument("source")
@click.argument("target")
@coder_opt
def codebook_merge(project: Path, source: str, target: str, coder: str | None) -> None:
    """Merge code SOURCE into TARGET (codings and children move; SOURCE goes)."""
    with open_project(project) as proj:
        result = services.merge_codes(proj, source, target, coder)
    click.echo(f"merged {source} into {target}: {plural(result['moved'], 'coding')} moved, "
               f"{plural(result['collapsed'], 'duplicate')} collapsed")


@codebook.command("split")
@project_arg
@click.argument("source")
@click.argument("new_key")
@click.option("--coding", "codings", type=int, multiple=True, required=True,
              help="Id of a coding to move (repeat).")
@click.option("--name", help="Name of the new code.")
@coder_opt
def codebook_split(project: Path, source: str, new_key: str, codings: tuple[int, ...],
                   name: str | None, coder: str | None) -> None:
    """Move chosen codings of SOURCE to NEW_KEY (created beside SOURCE if new)."""
    with open_project(project) as proj:
        result = services.split_code(proj, source, list(codings), new_key, name, coder)
    click.echo(f"moved {plural(result['moved'], 'coding')} to {result['to']}")


@codebook.command("delete")
@project_arg
@click.argument("key")
@click.option("--force", is_flag=True, help="Delete its codings too.")
@coder_opt
def codebook_delete(project: Path, key: str, force: bool, coder: str | None) -> None:
    """Delete a code (refused while it has codings, unless --force)."""
    with open_project(project) as proj:
        n = services.delete_code(proj, key, force, coder)
    click.echo(f"deleted {key}" + (f" and its {plural(n, 'coding')}" if n else ""))
