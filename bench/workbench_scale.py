"""The workbench's first screen as projects grow, against a bare Textual app showing the
same transcript list, in one run.

    python bench/workbench_scale.py [--sizes 100 2000 5000] [--runs 3]

Each project has N short transcripts (two speakers, ~300 words) and 40 codings each
(200,000 at 5,000 transcripts), the shipped codebooks, and an undo log as long as its
codings. The first screen is the time from a fresh process's start to the first frame
after the app is idle (Textual's run_test), the transcript list drawn with every entry's
progress and the first transcript open. The baseline is a bare Textual app, started the
same way, that reads the same transcripts from the same file with sqlite3 and shows them
in an OptionList as the workbench does, two lines each (name, then site and kind); and, as
a stricter baseline, the names alone on one line each. Targets (issue 42): within 2x the
baseline at 5,000 transcripts; at 2,000 within 2x our own time at 100.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import random_codings, run_probe, short_project  # noqa: E402

OURS = r"""
import time, json, sys
t0 = time.perf_counter()
from qual_coder.tui.app import make_app
app = make_app(sys.argv[1])
async def probe():
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        print(json.dumps({"first": time.perf_counter() - t0,
                          "entries": len(app.screen.query_one("#transcript-options")._options)}))
import asyncio
asyncio.run(probe())
"""

BARE = r"""
import time, json, sys
t0 = time.perf_counter()
import sqlite3
from textual.app import App
from textual.widgets import OptionList
class Bare(App):
    def compose(self):
        rows = sqlite3.connect(sys.argv[1]).execute(
            "SELECT name, site, kind FROM transcripts ORDER BY name")
        if sys.argv[2] == "names":
            yield OptionList(*(name for name, _, _ in rows))
        else:  # the workbench's entries: the name, then site and kind
            yield OptionList(*(f"{name}\n{site or '-'} {kind}" for name, site, kind in rows))
app = Bare()
async def probe():
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        print(json.dumps({"first": time.perf_counter() - t0,
                          "entries": app.query_one(OptionList).option_count}))
import asyncio
asyncio.run(probe())
"""

def build(path: Path, transcripts: int) -> None:
    from qual_coder.storage import open_project

    rng = random.Random(transcripts)
    short_project(path, [f"site{n % 7}_interview_{n:05d}" for n in range(transcripts)], rng,
                  turns=20)
    with open_project(path) as project:
        rows = random_codings(project, rng, "ana", codes=10_000)
        with project.transaction():  # an undo log as long as the coding
            project.conn.executemany(
                "INSERT INTO actions (label, before, after, coder, at, undone) "
                "VALUES ('code', '[]', '[]', ?, '2026-01-01', 0)", [(r[4],) for r in rows])


def first_screen(script: str, path: Path, *extra: str) -> dict:
    return run_probe(script, str(path), *extra)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 2000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ours_at: dict[int, float] = {}
    print(f"{'transcripts':>11} {'codings':>8} {'ours':>7} {'bare':>7} {'ratio':>6} "
          f"{'names only':>10} {'ratio':>6}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.db"
            build(path, n)
            ours, bare, names = [], [], []
            for _ in range(args.runs):
                mine = first_screen(OURS, path)
                theirs = first_screen(BARE, path, "entries")
                only = first_screen(BARE, path, "names")
                assert mine["entries"] == theirs["entries"] == only["entries"] == n
                ours.append(mine["first"])
                bare.append(theirs["first"])
                names.append(only["first"])
        o, b, m = (statistics.median(x) for x in (ours, bare, names))
        ours_at[n] = o
        print(f"{n:>11,} {n * 40:>8,} {o:6.2f}s {b:6.2f}s {o / b:5.2f}x {m:9.2f}s "
              f"{o / m:5.2f}x")
    if len(ours_at) > 1:
        smallest = min(ours_at)
        for n, o in sorted(ours_at.items())[1:]:
            print(f"{n:,} transcripts take {o / ours_at[smallest]:.2f}x the time of "
                  f"{smallest:,}")


if __name__ == "__main__":
    main()
