"""What every command shares: the group, error handling, common options."""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import QualCoderError
from ..storage.project import DatabaseError

if TYPE_CHECKING:
    from ..storage import Project


def fail(message: str) -> None:
    """The message on stderr, control characters shown as symbols: an error often names
    what the user typed or what a file held (raised after visible_output has ended)."""
    from ..core.text import visible

    for line in message.splitlines():
        click.secho(f"error: {visible(line)}", fg="red", err=True)
    sys.exit(1)


def handles_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn what a user can act on into one line on stderr and exit status 1.

    Applied to every command by the group (`_ErrorHandlingGroup.add_command`), so no
    command can forget it: QualCoderError; SQLite refusing to write (read-only file, full
    disk, a lock held too long), named with the project's path; and an operating-system
    error on a file the user named (permissions, a full disk, a missing folder). Anything
    else is a bug and keeps its traceback."""
    if getattr(fn, "_handles_errors", False):
        return fn

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _not_the_project(kwargs)
            if fn.__name__ in FULL_SCREEN:
                return fn(*args, **kwargs)
            with visible_output():
                return fn(*args, **kwargs)
        except QualCoderError as err:
            fail(str(err))
        except OverflowError as err:  # a number SQLite cannot hold (--coding 999...9)
            fail(f"a number given is too large ({err}); give one from the listing")
        except DatabaseError as err:
            from ..storage.project import describe_error

            fail(describe_error(kwargs.get("project") or Path("the project"), err))
        except OSError as err:
            if err.filename is None:
                raise
            fail(f"{err.filename}: {err.strerror or err}; check the path, its permissions "
                 "and the free space on its disk")

    wrapper._handles_errors = True  # type: ignore[attr-defined]
    return wrapper


# Commands that hand the terminal to a full-screen program (Textual, the server's log).
FULL_SCREEN = frozenset({"tui", "serve"})
_SGR = re.compile(r"\x1b\[[0-9;]*m")  # colours click.style adds: the only escapes let through


class _VisibleStream:
    """A text stream that shows every control character but newline and tab as a visible
    symbol (core.text.visible): a code, participant or file name, a memo or a transcript
    carrying ESC ] ... BEL cannot retitle, clear or hide the terminal it is printed on.
    Colour codes (SGR) pass, as click.secho writes them."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.encoding = getattr(stream, "encoding", "utf-8")
        self.errors = getattr(stream, "errors", "strict")

    def write(self, text: str) -> int:
        from ..core.text import visible

        if not isinstance(text, str):
            raise TypeError("text only")
        parts, at = [], 0
        for m in _SGR.finditer(text):
            parts += [visible(text[at:m.start()]), m.group()]
            at = m.end()
        parts.append(visible(text[at:]))
        self._stream.write("".join(parts))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())

    def fileno(self) -> int:
        return int(self._stream.fileno())


@contextlib.contextmanager
def visible_output() -> Iterator[None]:
    """stdout and stderr through _VisibleStream while a command runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _VisibleStream(sys.stdout), _VisibleStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _not_the_project(kwargs: dict) -> None:
    """Refuse a file argument that is the project itself (or its -wal/-shm): reading or
    writing it with anything but SQLite would, on closing, drop every lock this process
    holds on the project (`qual-coder import study.db *` in the project's folder)."""
    project = kwargs.get("project")
    if not isinstance(project, Path) or not project.exists():
        return
    own = {project.resolve()} | {project.with_name(project.name + s).resolve()
                                 for s in ("-wal", "-shm", "-journal")}
    for name, value in kwargs.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if name != "project" and isinstance(v, Path) and v.resolve() in own:
                raise QualCoderError(f"{v}: that is the project file itself; name another "
                                     "file (nothing was changed)")


def warn(lines: Iterable[str]) -> None:
    for line in lines:
        click.secho(f"warning: {line}", fg="yellow", err=True)


project_arg = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def terminal_width() -> int | None:
    """The terminal's width when standard output is one; None when piped or redirected
    (what is printed is then as wide as it needs)."""
    import shutil

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def echo_table(head: Sequence[str], rows: Iterable[Sequence[Any]], right: Iterable[int] = (),
               indent: int = 0, show_head: bool = True) -> None:
    """Rows as aligned columns (core.text.aligned): on a terminal within its width, piped
    or redirected as wide as the widest cells, nothing cut. No rows, nothing printed."""
    from ..core.text import aligned

    rows = list(rows)
    if not rows:
        return
    width = terminal_width()
    width = width - indent if width else None
    for line in aligned(head, rows, right, show_head, width).splitlines():
        click.echo(" " * indent + line)


def print_json(data: Any) -> None:
    from ..core.text import strict_json

    click.echo(strict_json(data, indent=2, ensure_ascii=False))

class _ErrorHandlingGroup(click.Group):
    """Every command added to this group (or to its subgroups) handles errors alike; an
    unknown command is an error that names the closest ones."""

    def resolve_command(self, ctx: click.Context, args: list[str],
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            from ..core.text import did_you_mean

            hint = did_you_mean(args[0], self.list_commands(ctx))
            ctx.fail(f"no command '{args[0]}'{hint} (`{ctx.command_path} --help` "
                     "lists them)")
        return super().resolve_command(ctx, args)

    # subgroups made with @group.group() are of this class too
    group_class: type[click.Group] | type[type] | None = type

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if cmd.callback is not None and not isinstance(cmd, click.Group):
            cmd.callback = handles_errors(cmd.callback)
        super().add_command(cmd, name)


class _ProjectDefaultGroup(_ErrorHandlingGroup):
    """`qual-coder study.db` opens the workbench, like `qual-coder tui study.db`."""

    group_class = _ErrorHandlingGroup
    # command name -> the module of qual_coder.cli that defines it, imported when the
    # command is first asked for: one command loads only its own module and what that
    # imports (`--help` loads them all)
    lazy: dict[str, str] = {}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            importlib.import_module(f"qual_coder.cli.{self.lazy[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.lazy))

    def resolve_command(self, ctx: click.Context, args: list[str],
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """An existing file opens the workbench; a word that is neither a command nor a
        file is an error naming the commands it is close to (`improt` -> import)."""
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            if Path(args[0]).is_file():
                return "tui", self.get_command(ctx, "tui"), args
            from ..core.text import did_you_mean

            hint = did_you_mean(args[0], self.list_commands(ctx))
            if not hint and Path(args[0]).suffix:
                ctx.fail(f"{args[0]}: no such project; create one with `qual-coder init "
                         f"{args[0]}`, or open one that exists")
            ctx.fail(f"no command '{args[0]}'{hint} (`qual-coder --help` lists them; a "
                     "project file that exists opens the workbench)")
        return super().resolve_command(ctx, args)


@click.group(cls=_ProjectDefaultGroup)
@click.version_option(package_name="qual-coder")
def cli() -> None:
    """Keyboard-first qualitative analysis of interview and focus-group transcripts.

    A project is one SQLite file. Start with `qual-coder demo demo.db`, or
    `qual-coder init study.db` and `qual-coder import study.db FILES...`.
    """
    # Everything a command writes holds transcripts, quotes or names (exports, reports,
    # name lists, backups): readable by its owner only, like the project itself.
    os.umask(0o077)

coder_opt = click.option("--coder", help="Who is acting (default: $QUAL_CODER_CODER or login).")

dry_run_opt = click.option(
    "--dry-run", is_flag=True,
    help="Do it on a copy in memory and say what would change; the project file (and its "
         "-wal) is left byte for byte as it was.")


def open_for(project: Path, dry_run: bool) -> Project:
    """The project, or with `dry_run` its copy in memory (storage.open_preview)."""
    from ..storage import open_preview, open_project

    return open_preview(project) if dry_run else open_project(project)


def dry_run_said(project: Path, dry_run: bool) -> None:
    if dry_run:
        click.secho(f"dry run: nothing was written to {project}", fg="yellow")

out_opt = click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write to this file (format from its suffix unless --format).")


def exports_allowed(proj: Project) -> None:
    from ..services.pseudonymise import check_export_allowed

    check_export_allowed(proj)


def originals_notice(proj: Project) -> None:
    """One line on stderr when a command prints names and text from a project whose
    exports are meant to come from its pseudonymised copy."""
    from ..services.pseudonymise import is_guarded

    if is_guarded(proj):
        click.secho(f"notice: {proj.path} has a pseudonymised copy; this shows the original "
                    "names and text (share the copy's output instead)", fg="yellow", err=True)


def emit(text: str | None, out: Path | None) -> None:
    if text is not None:
        click.echo(text.rstrip("\n"))
    elif out is not None:
        click.echo(f"wrote {out}")


class ListOptionsCommand(click.Command):
    """Lets `--coders ana ben` stand for `--coders ana --coders ben`: the options named in
    `list_options` take every value up to the next option."""

    list_options: tuple[str, ...] = ()

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        out: list[str] = []
        taking: str | None = None
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


def list_options_command(*names: str) -> type[ListOptionsCommand]:
    return type("ListOptions", (ListOptionsCommand,), {"list_options": names})


where_opt = click.option(
    "--where", "wheres", multiple=True, metavar="FIELD=VALUE",
    help="stakeholder_type=…, role=…, site=…, kind=…, participant=… (repeatable: different "
         "fields must all match, values of one field are alternatives; a key or a label, "
         "any case).")


def parse_where(wheres: tuple[str, ...]) -> dict[str, list[str]]:
    """--where FIELD=VALUE options as {field: [values]}: a field given twice is either."""
    where: dict[str, list[str]] = {}
    for w in wheres:
        field, sep, value = w.partition("=")
        if not sep or not field.strip():
            raise QualCoderError(f"--where '{w}' is not FIELD=VALUE (stakeholder_type=school)")
        where.setdefault(field.strip(), []).append(value.strip())
    return where
