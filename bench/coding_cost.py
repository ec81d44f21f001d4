"""A coding key's cost in the workbench as the open transcript fills up (issue 42).

    python bench/coding_cost.py [--sizes 500 2000 8000] [--keys 200]

One 30,000-word focus group with N codings already on it (random spans of 30-80
characters at twelve codes, by two coders: 500, 2,000 and 8,000 are 1x, 4x and 16x), the
shipped codebooks, the real app headless (Textual's run_test) in a fresh process. A key
is the handler of `1` (code the selected sentence at pin 1), at places spread evenly
through the transcript, plus a redraw of every
visible line of the reading view: what a coder waits for. Beside it, in the same
process, the baseline: `services.add_coding` alone, the commit a key cannot do without.
Target: a key costs the same whatever the transcript holds (16x the codings, about 1x
the time).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import random_codings, run_probe, write_corpus  # noqa: E402

PROBE = r"""
import json, sys, time
from qual_coder import services
from qual_coder.tui.app import make_app
app = make_app(sys.argv[1])
keys = int(sys.argv[2])
async def probe():
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.open_transcript(1)
        screen.reader.focus()
        await pilot.pause()
        ours, bare, handler = [], [], []
        length = len(screen.doc.text)
        places = [length * i // keys for i in range(keys)]  # through the whole transcript
        for at in places:
            screen.reader.move_to(at)
            screen.reader.action_select_sentence()
            t = time.perf_counter()
            screen.action_pinned(1)
            handled = time.perf_counter()
            for y in range(screen.reader.size.height):
                screen.reader.render_line(y)
            ours.append(time.perf_counter() - t)
            handler.append(handled - t)
        # The baseline: the same commits without a screen (a fresh code, so each is new).
        code = screen.codebook.pinned[1]
        for at in places:
            a = at + 11
            t = time.perf_counter()
            services.add_coding(app.project, 1, code, a, a + 20, coder="bench")
            bare.append(time.perf_counter() - t)
        print(json.dumps({"ours": sorted(ours)[keys // 2] * 1000,
                          "p95": sorted(ours)[int(keys * 0.95)] * 1000,
                          "handler": sorted(handler)[keys // 2] * 1000,
                          "bare": sorted(bare)[keys // 2] * 1000}))
import asyncio
asyncio.run(probe())
"""


def build(folder: Path, codings: int) -> Path:
    from qual_coder import services
    from qual_coder.paths import DEMO_CODEBOOKS
    from qual_coder.storage import init_project

    write_corpus(folder / "corpus", 1, 30_000, seed=7)
    path = folder / "bench.db"
    with init_project(path) as project:
        services.import_transcripts(project, sorted((folder / "corpus").glob("*.txt")),
                                    kind="focus_group")
        for book in sorted(DEMO_CODEBOOKS.glob("*.yaml")):
            services.load_codebook(project, book)
        rng = random.Random(codings)
        random_codings(project, rng, "lead", per_transcript=codings // 2)
        random_codings(project, rng, "second", per_transcript=codings - codings // 2)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2_000, 8_000])
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    first = None
    print("| codings on the transcript | a coding key, p50 | p95 | its handler (no redraw) | "
          "add_coding alone | handler / add_coding | key / key at the first size |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            m = run_probe(PROBE, str(build(Path(tmp), n)), str(args.keys))
        first = first or m["ours"]
        print(f"| {n:,} | {m['ours']:.1f} ms | {m['p95']:.1f} ms | {m['handler']:.1f} ms | "
              f"{m['bare']:.2f} ms | {m['handler'] / m['bare']:.1f}x | "
              f"{m['ours'] / first:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
