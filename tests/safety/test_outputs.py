"""What a command writes is its owner's only, formulas never run, bad files get a message."""

from __future__ import annotations

import csv
import os
import stat

import pytest

from qual_coder import services
from qual_coder.storage import open_project

OUTPUTS = [
    ("matrix.csv", lambda out: ("matrix", "{p}", "--cols", "stakeholder_type", "-o", out)),
    ("quotes.md", lambda out: ("quotes", "{p}", "--code", "networking", "-o", out)),
    ("book.csv", lambda out: ("codebook", "export", "{p}", out)),
    ("book.qdc", lambda out: ("codebook", "export", "{p}", out)),
    ("study.qdpx", lambda out: ("export", "{p}", out)),
    ("report.html", lambda out: ("report", "{p}", "-o", out)),
    ("shift.svg", lambda out: ("chart", "{p}", "--kind", "cascade", "-o", out)),
    ("names.csv", lambda out: ("pseudonymise", "{p}", "--propose", out)),
]


@pytest.mark.parametrize("name, command", OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_an_output_written_over_an_open_file_is_made_owner_only(demo_path, tmp_path, run,
                                                                name, command):
    out = tmp_path / name
    out.write_text("old")
    os.chmod(out, 0o644)
    args = [demo_path if a == "{p}" else a for a in command(out)]
    if args[0] == "codebook" and name.endswith(".qdc"):
        args += ["--codebook", "cascade"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(demo_path, tmp_path, run):
    with open_project(demo_path) as p:
        services.add_code(p, "evil", "=HYPERLINK(\"http://x\")",
                          description="+cmd|' /C calc'!A0")
    book = tmp_path / "book.csv"
    assert run("codebook", "export", demo_path, book).exit_code == 0
    cells = [c for row in csv.reader(book.open()) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'+cmd|' /C calc'!A0" in cells
    # and it reads back as it was
    fresh = tmp_path / "fresh.db"
    run("init", fresh, "--template", "none")
    assert run("codebook", "load", fresh, book).exit_code == 0
    again = tmp_path / "again.csv"
    assert run("codebook", "export", fresh, again).exit_code == 0
    assert "'+cmd|' /C calc'!A0" in [c for row in csv.reader(again.open()) for c in row]
    with open_project(fresh) as p:
        assert "+cmd|' /C calc'!A0" in p.conn.execute(
            "SELECT group_concat(description, '|') FROM codes").fetchone()[0]


def test_a_proposal_saved_in_another_encoding_is_a_message(demo_path, tmp_path, run):
    names = tmp_path / "names.csv"
    names.write_bytes("name,replacement\nSéverine,[P1]\n".encode("latin-1"))
    result = run("pseudonymise", demo_path, "--apply", names, "--to", tmp_path / "c.db")
    assert result.exit_code == 1 and "not UTF-8" in result.output and str(names) in result.output
    assert not (tmp_path / "c.db").exists()
