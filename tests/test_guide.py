"""The guide's walkthrough is run as written: every `$ qual-coder …` command in
docs/guide/01-walkthrough.md, in order, on a fresh project in a folder holding the shipped
transcripts and codebooks, must succeed and print each line the guide shows under it. The
guide's pictures are the screens' snapshots (tests/tui/test_snapshots.py keeps those true to
the app), and its key sheet is the actions table."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

from qual_coder.tui.actions import ACTIONS

from .conftest import REPO

GUIDE = REPO / "docs" / "guide"


def _steps(text: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif line.strip():
                steps[-1][1].append(line)
    return steps


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_walkthrough_runs_as_written(tmp_path, run, monkeypatch):
    shutil.copytree(REPO / "transcripts", tmp_path / "transcripts")
    shutil.copytree(REPO / "codebooks", tmp_path / "codebooks")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUAL_CODER_CODER", "ana")
    steps = _steps((GUIDE / "01-walkthrough.md").read_text())
    assert len(steps) >= 20
    for command, expected in steps:
        argv = shlex.split(command)
        assert argv[0] == "qual-coder"
        out = run(*argv[1:])
        assert out.exit_code == 0, (command, out.output)
        printed = _flat(out.output)
        for line in expected:
            for part in line.split("…"):
                assert _flat(part) in printed, (command, part, out.output[:2000])
    assert (tmp_path / "report.docx").stat().st_size > 10_000
    assert (tmp_path / "trail.csv").read_text().startswith("at,who,what,detail,status")


def test_the_guide_pictures_are_the_screens_snapshots():
    snapshots = REPO / "tests" / "tui" / "__snapshots__" / "test_snapshots"
    pictures = sorted((GUIDE / "img").glob("*.svg"))
    assert len(pictures) >= 8
    for picture in pictures:
        source = snapshots / f"test_every_screen_at_both_sizes[{picture.stem}-120x40].svg"
        assert picture.read_bytes() == source.read_bytes(), (
            f"{picture.name} is not the current screen: run scripts/guide_pictures.py")
        assert f"img/{picture.name}" in "".join(p.read_text() for p in GUIDE.glob("*.md"))


def test_the_key_sheet_lists_every_action():
    sheet = (GUIDE / "keys.md").read_text()
    for a in ACTIONS:
        if not a.action.startswith("pinned(") or a.action == "pinned(1)":
            assert a.description.split(" (")[0] in sheet, a.description
    assert os.path.getsize(GUIDE / "keys.md") < 8000  # one printed page


def test_every_chapter_is_linked_from_the_guide_index():
    index = (GUIDE / "README.md").read_text()
    for chapter in GUIDE.glob("*.md"):
        if chapter.name != "README.md":
            assert f"({chapter.name})" in index, chapter.name
    links = re.findall(r"\]\(([^)#]+\.md)", "".join(p.read_text() for p in GUIDE.glob("*.md")))
    for link in links:
        assert (GUIDE / link).resolve().exists(), link
    assert Path(REPO / "README.md").read_text().count("\n") < 250
