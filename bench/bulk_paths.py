"""Every bulk path at 1x, 4x and 16x the work, each against a baseline run beside it:

    python bench/bulk_paths.py [--base 25]

Projects of base, 4 x base and 16 x base generated transcripts (~400 words, 40 codings
each by one coder). Timed, each in this process on a fresh copy:
- `.qdpx` export and then import into an empty project;
- merge of a colleague's copy (a second coder's 40 codings a transcript) into the project;
- re-import of every transcript from a corrected file (a word changed in each turn);
- autocode over every transcript (a trained model kept first, so it is not timed).
The baseline is the bare SQLite read of what each path must read (every transcript's
text and codings). Cost per transcript should stay flat: the last column is the time per
transcript as a multiple of the first size's.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import random_codings, short_project  # noqa: E402


def build(folder: Path, transcripts: int) -> Path:
    from qual_coder.storage import open_project

    rng = random.Random(transcripts)
    path = short_project(folder / "project.db", [f"t{n:05d}" for n in range(transcripts)],
                         rng, turns=14, sentences=4)
    with open_project(path) as project:
        random_codings(project, rng, "ana")
    return path


def bare_read(path: Path) -> float:
    t = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("SELECT id, text FROM transcripts").fetchall()
    conn.execute('SELECT transcript_id, code_id, start, "end", coder FROM codings').fetchall()
    conn.close()
    return time.perf_counter() - t


def qdpx_round_trip(path: Path, work: Path) -> float:
    from qual_coder.services.exchange import export_qdpx, import_qdpx
    from qual_coder.storage import init_project, open_project

    t = time.perf_counter()
    with open_project(path) as project:
        export_qdpx(project, work / "out.qdpx")
    with init_project(work / "into.db") as fresh:
        import_qdpx(fresh, work / "out.qdpx")
    return time.perf_counter() - t


def merge(path: Path, work: Path) -> float:
    from qual_coder.services.merge import merge_project
    from qual_coder.storage import open_project

    theirs = work / "colleague.db"
    shutil.copyfile(path, theirs)
    with open_project(theirs) as colleague:
        random_codings(colleague, random.Random(7), "ben")
    t = time.perf_counter()
    with open_project(path) as project:
        merge_project(project, theirs)
    return time.perf_counter() - t


def reimport_all(path: Path, work: Path) -> float:
    from qual_coder.services.reimport import reimport_transcript
    from qual_coder.storage import open_project

    corrected = work / "corrected"
    corrected.mkdir()
    with open_project(path) as project:
        names = [r[0] for r in project.conn.execute("SELECT name FROM transcripts")]
    sources = {n: (path.parent / "corpus" / f"{n}.txt").read_text() for n in names}
    for name, text in sources.items():
        (corrected / f"{name}.txt").write_text(text.replace("the second day", "day two"))
    t = time.perf_counter()
    with open_project(path) as project:
        for name in names:
            reimport_transcript(project, name, corrected / f"{name}.txt")
    return time.perf_counter() - t


def autocode_all(path: Path, work: Path) -> float:
    from qual_coder.services.suggest import autocode, train
    from qual_coder.storage import open_project

    with open_project(path) as project:
        train(project)  # the model is kept: autocode's own time is what is measured
        t = time.perf_counter()
        autocode(project, coder="bot")
    return time.perf_counter() - t


PATHS = {"qdpx round trip": qdpx_round_trip, "merge": merge, "reimport all": reimport_all,
         "autocode all": autocode_all}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=25)
    parser.add_argument("--paths", nargs="+", default=list(PATHS))
    args = parser.parse_args()
    sizes = [args.base, 4 * args.base, 16 * args.base]
    per_first: dict[str, float] = {}
    print(f"{'path':<16} {'transcripts':>11} {'time':>8} {'bare read':>9} {'ratio':>7} "
          f"{'per transcript vs 1x':>21}")
    with tempfile.TemporaryDirectory() as tmp:
        templates = {}
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            folder.mkdir()
            templates[n] = build(folder, n)
        for name in args.paths:
            for n in sizes:
                work = Path(tmp) / f"{name.replace(' ', '_')}_{n}"
                work.mkdir()
                copy = templates[n].parent / f"copy_{name.replace(' ', '_')}.db"
                shutil.copyfile(templates[n], copy)
                bare = bare_read(copy)
                took = PATHS[name](copy, work)
                per = took / n
                per_first.setdefault(name, per)
                print(f"{name:<16} {n:>11,} {took:>7.2f}s {bare:>8.3f}s {took / bare:>6.0f}x "
                      f"{per / per_first[name]:>20.2f}x", flush=True)


if __name__ == "__main__":
    main()
