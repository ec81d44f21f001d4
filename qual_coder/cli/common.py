"""What every command shares: the group, error handling, common options."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from ..errors import QualCoderError


def fail(message: str) -> None:
    for line in message.splitlines():
        click.secho(f"error: {line}", fg="red", err=True)
    sys.exit(1)


def handles_errors(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QualCoderError as err:
            fail(str(err))

    return wrapper


def warn(lines) -> None:
    for line in lines:
        click.secho(f"warning: {line}", fg="yellow", err=True)


project_arg = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def print_json(data) -> None:
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

coder_opt = click.option("--coder", help="Who is acting (default: $QUAL_CODER_CODER or login).")

out_opt = click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write to this file (format from its suffix unless --format).")


def exports_allowed(proj) -> None:
    from ..services.pseudonymise import check_export_allowed

    check_export_allowed(proj)


def emit(text: str | None, out: Path | None) -> None:
    if text is not None:
        click.echo(text.rstrip("\n"))
    elif out is not None:
        click.echo(f"wrote {out}")


class ListOptionsCommand(click.Command):
    """Lets `--coders ana ben` stand for `--coders ana --coders ben`: the options named in
    `list_options` take every value up to the next option."""

    list_options: tuple[str, ...] = ()

    def parse_args(self, ctx, args):
        out, taking = [], None
        for arg in args:
            if arg.startswith("-"):
                taking = arg if arg in self.list_options else None
                if taking:
                    continue
            elif taking:
                out.extend([taking, arg])
                continue
            out.append(arg)
        return super().parse_args(ctx, out)


def list_options_command(*names: str):
    return type("ListOptions", (ListOptionsCommand,), {"list_options": names})
