"""The guide's walkthrough is run as written: every `$ qual-coder …` command in
docs/guide/01-walkthrough.md, in order, on a fresh project in a folder holding the shipped
transcripts and codebooks, must succeed and print each line the guide shows under it. The
guide's pictures are the screens' snapshots (tests/tui/test_snapshots.py keeps those true to
the app), and its key sheet is the actions table."""

from __future__ import annotations

import asyncio
import html
import importlib.util
import os
import re
import shlex
import shutil
from pathlib import Path

from qual_coder.tui.actions import ACTIONS

from .conftest import REPO

GUIDE = REPO / "docs" / "guide"


def _blocks(text: str) -> list[tuple[str, object]]:
    """The walkthrough's runnable blocks in order: ("console", [(command, lines shown)]) for
    each console block, ("keys", (project, [keys of a row])) for a table under a
    `<!-- keys: PROJECT -->` comment."""
    blocks: list[tuple[str, object]] = []
    pattern = r"```console\n(.*?)```|<!-- keys: (\S+) -->\n((?:\|[^\n]*\n)+)"
    for match in re.finditer(pattern, text, re.S):
        if match.group(1) is not None:
            steps: list[tuple[str, list[str]]] = []
            for line in match.group(1).splitlines():
                if line.startswith("$ "):
                    steps.append((line[2:], []))
                elif line.strip():
                    steps[-1][1].append(line)
            blocks.append(("console", steps))
        else:
            rows = [line.split("|")[1] for line in match.group(3).splitlines()[2:]]
            blocks.append(("keys", (match.group(2), [_keys(cell) for cell in rows])))
    return blocks


def _keys(cell: str) -> list[str]:
    """A row's keys as the Pilot presses them: `ctrl+t` is one key, `"vcs"` types v, c, s."""
    keys: list[str] = []
    for token in re.findall(r"`([^`]+)`", cell):
        if token.startswith('"'):
            keys.extend(token.strip('"'))
        else:
            keys.append({"/": "slash", ".": "full_stop"}.get(token, token))
    return keys


async def _press(project: Path, rows: list[list[str]]) -> None:
    from qual_coder.tui.app import make_app

    app = make_app(project)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for keys in rows:
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
                await pilot.pause(0.2)
    finally:
        app.project.close()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_walkthrough_runs_as_written(tmp_path, run, monkeypatch):
    """Every command and every key of the walkthrough, in order, on one project: a step
    after the keys sees what the keys did."""
    shutil.copytree(REPO / "transcripts", tmp_path / "transcripts")
    shutil.copytree(REPO / "codebooks", tmp_path / "codebooks")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUAL_CODER_CODER", "ana")
    blocks = _blocks((GUIDE / "01-walkthrough.md").read_text())
    assert sum(len(b) for kind, b in blocks if kind == "console") >= 20
    assert [kind for kind, _ in blocks].count("keys") == 1
    for kind, block in blocks:
        if kind == "keys":
            project, rows = block  # type: ignore[misc]
            asyncio.run(_press(tmp_path / project, rows))
            continue
        for command, expected in block:  # type: ignore[union-attr]
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


def _pictures_script():
    spec = importlib.util.spec_from_file_location("guide_pictures",
                                                  REPO / "scripts" / "guide_pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _svg_text(svg: str) -> str:
    """The words an SVG terminal shows, in reading order."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>',
                                 svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text)))
    return _flat(" ".join("".join(t for _, t in sorted(rows[y])) for y in sorted(rows)))


def test_every_chapter_has_a_picture_of_the_app_and_each_is_true(demo_template, tmp_path):
    """Screens are the snapshot tests' SVGs, byte for byte; terminal pictures show what
    their commands print now, run again on the demo."""
    pictures = _pictures_script()
    chapters = {p.name: p.read_text() for p in GUIDE.glob("[0-9]*.md")}
    for name, text in chapters.items():
        assert "](img/" in text, f"{name} has no picture"
    shown = sorted((GUIDE / "img").glob("*.svg"))
    everything = "".join(chapters.values())
    for picture in shown:
        assert f"img/{picture.name}" in everything, f"{picture.name} is shown nowhere"
        if picture.stem in pictures.TERMINALS:
            folder = tmp_path / picture.stem
            folder.mkdir()
            shutil.copyfile(demo_template, folder / "demo.db")
            session = pictures.session(picture.stem, folder)
            now = _flat(" ".join(f"{typed} {printed}" for typed, printed in session))
            assert _svg_text(picture.read_text()) == now, (
                f"{picture.name} no longer shows what its commands print: "
                "run scripts/guide_pictures.py")
        else:
            assert picture.read_bytes() == pictures.snapshot_of(picture.stem).read_bytes(), (
                f"{picture.name} is not the current screen: run scripts/guide_pictures.py")
    assert {p.stem for p in shown} >= {*pictures.SCREENS, *pictures.OWN_SNAPSHOTS,
                                       *pictures.TERMINALS}


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
