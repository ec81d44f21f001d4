"""No traceback from any command: every command, every argument and every option that
takes a value, given hostile values (a number SQLite cannot hold, a negative, nothing, an
escape sequence, a path outside, a path that does not exist). A refusal is a message and
exit status 1 or 2; an uncaught exception is a bug."""

from __future__ import annotations

import shutil

import click
import pytest
from click.testing import CliRunner

from qual_coder.cli import cli, load_all

HOSTILE = ["99999999999999999999", "-1", "", "\x1b]0;x\x07", "../../../etc/passwd",
           "/nonexistent/x.csv"]
SKIP = {"tui", "serve", "demo"}  # full-screen, a server, and the demo builder (its own test)


def _commands(group: click.Group, prefix: list[str]):
    for name, command in sorted(group.commands.items()):
        if name in SKIP:
            continue
        if isinstance(command, click.Group):
            yield from _commands(command, [*prefix, name])
        else:
            yield [*prefix, name], command


load_all()
COMMANDS = list(_commands(cli, []))


@pytest.mark.slow
@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_no_command_answers_hostile_values_with_a_traceback(demo_template, tmp_path, path,
                                                            command, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an -o given a hostile name writes here, not in the checkout
    work = tmp_path / "study.db"
    shutil.copy(demo_template, work)
    options = [p for p in command.params if isinstance(p, click.Option)
               and not p.is_flag and not p.count]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    runner = CliRunner()
    tracebacks = []
    for value in HOSTILE:
        positional = [str(work) if a.name == "project" else value for a in arguments]
        for extra in [[], *([o.opts[0], value] for o in options)]:
            result = runner.invoke(cli, [*path, *positional, *extra], catch_exceptions=True)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                tracebacks.append(f"{' '.join(path)} {positional} {extra}: "
                                  f"{result.exception!r}")
    assert tracebacks == []
