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
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = ["We talked about the waiting list again.", "The link worker came to the school.",
             "I think the second day was better.", "Nobody knew who to call.",
             "Referrals went up after the workshop.", "We set up a consultation line.",
             "Supervision for the nurses was the gap.", "Parents rang the school first."]


def build(folder: Path, transcripts: int) -> Path:
    from qual_coder import services
    from qual_coder.paths import DEMO_CODEBOOKS
    from qual_coder.storage import init_project

    rng = random.Random(transcripts)
    corpus = folder / "corpus"
    corpus.mkdir()
    files = []
    for n in range(transcripts):
        turns = [("Interviewer" if t % 2 == 0 else "Participant") + ": "
                 + " ".join(rng.choice(SENTENCES) for _ in range(4)) for t in range(14)]
        file = corpus / f"t{n:05d}.txt"
        file.write_text("\n".join(turns) + "\n")
        files.append(file)
    path = folder / "project.db"
    with init_project(path) as project:
        for start in range(0, len(files), 500):
            services.import_transcripts(project, files[start:start + 500])
        for book in sorted(DEMO_CODEBOOKS.glob("*.yaml")):
            services.load_codebook(project, book)
        _code(project, rng, "ana")
    return path


def _code(project, rng: random.Random, coder: str) -> None:
    conn = project.conn
    codes = [r[0] for r in conn.execute("SELECT id FROM codes")][:12]
    rows = []
    for tid, length in conn.execute("SELECT id, length(text) FROM transcripts"):
        for _ in range(40):
            a = rng.randrange(0, length - 80)
            rows.append((tid, rng.choice(codes), a, a + rng.randrange(30, 80), coder,
                         str(uuid.UUID(int=rng.getrandbits(128)))))
    with project.transaction():
        conn.executemany(
            'INSERT INTO codings (transcript_id, code_id, start, "end", coder, status, guid, '
            "created_at) VALUES (?, ?, ?, ?, ?, 'final', ?, '2026-01-01T00:00:00')", rows)


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
        _code(colleague, random.Random(7), "ben")
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
