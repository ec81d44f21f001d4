"""Errors that point the way, names that can be changed, manifests as people write them."""

from __future__ import annotations

import ast
import json
import re

import click

from qual_coder.cli import cli, load_all
from tests.conftest import REPO


def test_a_misspelt_command_is_an_error_naming_the_one_meant(run, tmp_path):
    for args, meant in ((["improt", tmp_path / "s.db", "a.txt"], "import"),
                        (["improt"], "import"), (["codebook", "lod", "x"], "load")):
        result = run(*args)
        assert result.exit_code == 2 and f"did you mean '{meant}'" in result.output
        assert "Usage: qual-coder tui" not in result.output
    result = run(tmp_path / "missing.db")
    assert result.exit_code == 2 and "qual-coder init" in result.output


def test_an_unknown_code_transcript_or_participant_names_the_closest(demo_path, run):
    r = run("code", demo_path, "northmor_school_lead", "--start", 0, "--end", 5, "--code",
            "clarity_roles")
    assert "did you mean 'northmoor_school_lead_interview'" in r.output
    r = run("code", demo_path, "1", "--start", 0, "--end", 5, "--code", "referal_routes")
    assert "did you mean 'referral_routes'" in r.output
    r = run("participants", demo_path, "Sara Whitfeld", "--role", "x")
    assert "did you mean 'Sarah Whitfield'" in r.output


def _commands() -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    load_all()

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            out.add((*prefix, name))
            if isinstance(command, click.Group):
                walk(command, (*prefix, name))

    walk(cli, ())
    return out


NAMED = re.compile(r"`qual-coder ([a-z][a-z-]*)(?![\w.])(?: ([a-z][a-z-]*)(?![\w.]))?")


def test_every_command_a_message_names_exists():
    """Every `qual-coder ...` a message (or help) names is a command (and subcommand)."""
    commands = _commands()
    named = set()
    for path in (REPO / "qual_coder").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for m in NAMED.finditer(node.value):
                    named.add((path.name, m.group(1), m.group(2)))
    assert len(named) > 10
    for where, first, second in named:
        assert (first,) in commands, f"{where}: `qual-coder {first}` is not a command"
        group = cli.commands[first]
        if isinstance(group, click.Group) and second:
            assert (first, second) in commands, f"{where}: `qual-coder {first} {second}`"


def test_a_transcript_is_renamed_and_keeps_its_codings(demo_path, run):
    before = json.loads(run("codings", demo_path, "--json", "--transcript", "1").output)
    assert run("rename", demo_path, "1", "Lead, Northmoor").exit_code == 0
    assert run("transcripts", demo_path, "--rename", "lead, northmoor", "nm_lead").exit_code == 0
    after = json.loads(run("codings", demo_path, "--json", "--transcript", "nm_lead").output)
    assert [g["id"] for g in after] == [g["id"] for g in before]
    taken = run("rename", demo_path, "nm_lead", "eastbridge_ep_interview")
    assert taken.exit_code == 1 and "already" in taken.output


def test_a_manifest_names_transcripts_matches_files_given_and_labels_as_written(
        tmp_path, project_path, run, monkeypatch):
    elsewhere = tmp_path / "interviews"
    elsewhere.mkdir()
    (elsewhere / "a.md").write_text(
        "Interviewer: Hello, and thank you.\nSarah (CCG lead): We commission the service.\n"
        "Interviewer: Since when?\nSarah (CCG lead): Since the review, two years ago.\n")
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "m.csv").write_text(
        "file,name,kind,site,speaker,participant,stakeholder_type\n"
        "a.md,Commissioner Kelsey,interview,Kelsey Vale,Interviewer,Interviewer,interviewer\n"
        "a.md,,,,Sarah (CCG lead),Sarah Jones,commissioner\n")
    monkeypatch.chdir(tmp_path)  # the manifest is elsewhere, the file named on the line
    result = run("import", project_path, elsewhere / "a.md", "--manifest", manifests / "m.csv")
    assert result.exit_code == 0, result.output
    listing = json.loads(run("transcripts", project_path, "--json").output)
    assert [t["name"] for t in listing] == ["Commissioner Kelsey"]
    people = {s["label"]: s["participant"] for s in listing[0]["speakers"]}
    assert people["Sarah"] == "Sarah Jones"
