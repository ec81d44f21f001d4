"""No control character from any stored string reaches a terminal: names, memos and file
names carrying ESC ] … BEL (a terminal's retitle), CSI or a C1 introducer are printed as
visible symbols by every command."""

from __future__ import annotations

import pytest

from qual_coder import services
from qual_coder.storage import open_project

OSC = "\x1b]0;pwned\x07"
CSI = "\x9b2J"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, demo_template):
    import shutil

    path = tmp_path_factory.mktemp("hostile") / "demo.db"
    shutil.copy(demo_template, path)
    with open_project(path) as p:
        services.add_code(p, "evil", f"Evil{OSC}", description=f"about {CSI}", coder="ana")
        services.add_coding(p, 1, "evil", 0, 30, coder=f"mallory{OSC}")
        services.set_memo(p, "transcript", 1, f"note {OSC}{CSI}", author="ana")
        services.set_memo(p, "code", "evil", f"code note {OSC}", author="ana")
        services.set_participant(p, "Sarah Whitfield", role=f"Lead{OSC}")
        p.set_setting("exports.pseudonymised_only", "no")
    return path


COMMANDS = [
    ("transcripts",), ("show", "1"), ("codings",), ("codings", "--json"), ("summary",),
    ("participants",), ("codebook", "tree"), ("codebook", "history"), ("memo", "--code", "evil"),
    ("memo", "--transcript", "1"), ("quotes", "--code", "evil"), ("matrix", "--cols", "role"),
    ("framework", "--theme", "evil", "--cases", "participant"), ("cooccurrence",),
    ("stakeholder-types",), ("attributes", "list"), ("review", "1"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_no_command_sends_a_control_character_to_the_terminal(hostile, run, args):
    where = 2 if args[0] in ("codebook", "attributes") else 1
    full = [*args[:where], hostile, *args[where:]]
    result = run(*full)
    out = result.output + (result.stderr if result.stderr_bytes else "")
    assert not [ch for ch in out if ch in "\x1b\x07\x9b"], out[:400]


def test_an_error_naming_what_was_typed_sends_no_control_character(hostile, run):
    result = run("code", hostile, "1", "--start", 0, "--end", 5, "--code", f"no{OSC}such")
    assert result.exit_code == 1 and "no code" in result.output
    assert not [ch for ch in result.output if ch in "\x1b\x07\x9b"], result.output
