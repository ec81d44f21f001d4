"""Make the guide's pictures (docs/guide/img/), each from the app itself:

- the workbench's screens are copies of the snapshot tests' SVGs, which those tests keep true
  to the app: run this after `pytest tests/tui/test_snapshots.py --snapshot-update` changes a
  screen;
- the command line's and the Python API's are terminal sessions: the commands (or Python
  lines) are run on the shipped demo project and what they print is drawn as a terminal.

tests/test_guide.py fails when a copy differs from its snapshot, or when a command no longer
prints what its picture shows.

    python scripts/guide_pictures.py
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMG = REPO / "docs" / "guide" / "img"
SNAPSHOTS = REPO / "tests" / "tui" / "__snapshots__" / "test_snapshots"
SCREENS = ("matrix", "framework", "quotes", "cascade", "survey", "joint", "discover",
           "agreement", "search", "query", "saturation", "cases", "help", "import")
# pictures of screens that have a snapshot test of their own
OWN_SNAPSHOTS = {"workbench": "test_workbench_wide", "picker": "test_code_picker"}


def snapshot_of(picture: str) -> Path:
    """The snapshot test's SVG that docs/guide/img/PICTURE.svg copies."""
    if picture in OWN_SNAPSHOTS:
        return SNAPSHOTS / f"{OWN_SNAPSHOTS[picture]}.svg"
    return SNAPSHOTS / f"test_every_screen_at_both_sizes[{picture}-120x40].svg"


# A terminal picture is a session: `$ ` lines are qual-coder commands, `>>> ` lines Python
# (an expression's value is shown as the REPL shows it). They run in a folder holding the
# demo project as demo.db and the files `setup` writes.
def _corrected(folder: Path) -> None:
    """A corrected transcript, as a transcriber might send it back."""
    text = (REPO / "transcripts" / "northmoor_school_lead_interview.txt").read_text()
    text = text.replace("The first day was tense.", "The first day was very tense.")
    (folder / "corrected.txt").write_text(text)


TERMINALS: dict[str, list[str]] = {
    "command-line": [
        "$ qual-coder summary demo.db",
        "$ qual-coder quotes demo.db --code single_point_of_contact "
        "--where stakeholder_type=commissioner",
    ],
    "reimport": [
        "$ qual-coder reimport demo.db northmoor_school_lead_interview corrected.txt --dry-run",
    ],
    "python": [
        ">>> import qual_coder",
        '>>> p = qual_coder.open("demo.db")',
        '>>> p.matrix(cols="site", measure="participants", labels=True).head(8)',
    ],
}
SETUP = {"reimport": _corrected}
WIDTH = 110


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def session(name: str, folder: Path) -> list[tuple[str, str]]:
    """(the line typed, what it printed) for each line of a terminal picture, run in
    `folder` (which holds demo.db)."""
    import pandas as pd
    from click.testing import CliRunner

    from qual_coder.cli import cli

    if name in SETUP:
        SETUP[name](folder)
    out: list[tuple[str, str]] = []
    names: dict[str, object] = {}
    with _inside(folder), pd.option_context("display.width", WIDTH, "display.max_columns", None,
                                            "display.max_colwidth", 48):
        for line in TERMINALS[name]:
            if line.startswith("$ "):
                argv = shlex.split(line[2:])
                result = CliRunner().invoke(cli, argv[1:], catch_exceptions=False)
                if result.exit_code != 0:
                    raise SystemExit(f"{line}: exit {result.exit_code}\n{result.output}")
                out.append((line, result.output))
                continue
            code = line.removeprefix(">>> ")
            printed = io.StringIO()
            with redirect_stdout(printed):
                try:
                    value = eval(code, names)  # noqa: S307 - our own fixed lines
                except SyntaxError:
                    exec(code, names)  # noqa: S102
                    value = None
            out.append((line, printed.getvalue() + (f"{value!r}\n" if value is not None else "")))
    if "p" in names:
        names["p"].close()  # type: ignore[attr-defined]
    return out


def draw(name: str, lines: list[tuple[str, str]]) -> str:
    """The session as an SVG terminal, by rich (which Textual draws its screens with)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor")
    for typed, printed in lines:
        prompt = "$ " if typed.startswith("$ ") else ">>> "
        console.print(Text(prompt, style="bold green") +
                      Text(typed.removeprefix(prompt), style="bold"))
        if printed.strip():
            console.print(Text(printed.rstrip("\n")), highlight=False)
    return console.export_svg(title=name.replace("-", " "))


def main() -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    for screen in (*SCREENS, *OWN_SNAPSHOTS):
        shutil.copyfile(snapshot_of(screen), IMG / f"{screen}.svg")
        print(f"docs/guide/img/{screen}.svg")
    from qual_coder.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.db"
        build_demo(template)
        for name in TERMINALS:
            folder = Path(tmp) / name
            folder.mkdir()
            shutil.copyfile(template, folder / "demo.db")
            (IMG / f"{name}.svg").write_text(draw(name, session(name, folder)))
            print(f"docs/guide/img/{name}.svg")


if __name__ == "__main__":
    main()
