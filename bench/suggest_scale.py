"""Suggestions as projects grow: the first suggestion for one new transcript, training the
classifier, and the memory both take, at 1x, 4x and 16x the coding.

    python bench/suggest_scale.py [--sizes 125 500 2000] [--uncoded 100]

Each project has N coded transcripts (~300 words, 40 codings each: 5,000 / 20,000 /
80,000 codings) and `--uncoded` transcripts nobody has coded or analysed yet. In a fresh
process each:
- first suggestion: `suggest` for one uncoded transcript on a project whose sentence cache
  is empty (it caches what it needs, trains, suggests), beside a bare spaCy pass (the same
  pipeline) over the transcripts it must read: the coded ones and the one asked about;
- training: the classifier retrained on a warm cache (what `qual-coder train` does).
Peak memory (ru_maxrss) of each. Cost should grow no faster than the coding.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = ["We talked about the waiting list again.", "The link worker came to the school.",
             "I think the second day was better.", "Nobody knew who to call.",
             "Referrals went up after the workshop.", "We set up a consultation line.",
             "Supervision for the nurses was the gap.", "Parents rang the school first."]

FIRST = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from qual_coder.services.suggest import suggest
from qual_coder.storage import open_project
with open_project(sys.argv[1]) as project:
    found = suggest(project, sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t0, "suggested": len(found),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE = r"""
import json, resource, sqlite3, sys, time
t0 = time.perf_counter()
from qual_coder.nlp.pipeline import load
conn = sqlite3.connect(sys.argv[1])
texts = [r[0] for r in conn.execute(
    'SELECT substr(t.text, u.start + 1, u."end" - u.start) FROM turns u '
    "JOIN transcripts t ON t.id = u.transcript_id WHERE t.id IN "
    "(SELECT transcript_id FROM codings) OR t.name = ?", [sys.argv[2]])]
for doc in load().pipe(texts, batch_size=256):
    pass
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

TRAIN = r"""
import json, resource, sys, time
from qual_coder.storage import open_project
from qual_coder.nlp.suggester import Suggester
with open_project(sys.argv[1]) as project:
    t0 = time.perf_counter()
    s = Suggester(project, engines=("model",), retrain=True)
    took = time.perf_counter() - t0
print(json.dumps({"seconds": took, "examples": len(s.examples),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(path: Path, coded: int, uncoded: int) -> str:
    """The project; returns the name of an uncoded transcript."""
    from qual_coder import services
    from qual_coder.paths import DEMO_CODEBOOKS
    from qual_coder.storage import init_project

    rng = random.Random(coded)
    folder = path.parent / "corpus"
    folder.mkdir()
    files = []
    for n in range(coded + uncoded):
        turns = [("Interviewer" if t % 2 == 0 else "Participant") + ": "
                 + " ".join(rng.choice(SENTENCES) for _ in range(3)) for t in range(16)]
        file = folder / f"{'coded' if n < coded else 'new'}_{n:05d}.txt"
        file.write_text("\n".join(turns) + "\n")
        files.append(file)
    with init_project(path) as project:
        for start in range(0, len(files), 500):
            services.import_transcripts(project, files[start:start + 500])
        for book in sorted(DEMO_CODEBOOKS.glob("*.yaml")):
            services.load_codebook(project, book)
        conn = project.conn
        codes = [r[0] for r in conn.execute("SELECT id FROM codes")][:12]
        rows = []
        for tid, length in conn.execute(
                "SELECT id, length(text) FROM transcripts WHERE name LIKE 'coded%'"):
            for _ in range(40):
                a = rng.randrange(0, length - 80)
                rows.append((tid, rng.choice(codes), a, a + rng.randrange(30, 80),
                             str(uuid.UUID(int=rng.getrandbits(128)))))
        with project.transaction():
            conn.executemany(
                'INSERT INTO codings (transcript_id, code_id, start, "end", coder, status, '
                "guid, created_at) VALUES (?, ?, ?, ?, 'ana', 'final', ?, "
                "'2026-01-01T00:00:00')", rows)
    return f"new_{coded:05d}"


def run(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                         text=True, check=True, cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "QUAL_CODER_CODER": "bench"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[125, 500, 2000])
    parser.add_argument("--uncoded", type=int, default=100)
    args = parser.parse_args()
    print(f"{'coded':>6} {'codings':>8} | {'first suggestion':>16} {'bare spaCy':>10} "
          f"{'ratio':>6} {'RSS':>7} | {'training':>8} {'examples':>8} {'RSS':>7}")
    first_at: dict[int, float] = {}
    train_at: dict[int, float] = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.db"
            name = build(path, n, args.uncoded)
            bare = run(BARE, str(path), name)
            first = run(FIRST, str(path), name)
            train = run(TRAIN, str(path))
        first_at[n], train_at[n] = first["seconds"], train["seconds"]
        print(f"{n:>6,} {n * 40:>8,} | {first['seconds']:>15.2f}s {bare['seconds']:>9.2f}s "
              f"{first['seconds'] / bare['seconds']:>5.2f}x {first['rss_mb']:>5.0f}MB | "
              f"{train['seconds']:>7.2f}s {train['examples']:>8,} {train['rss_mb']:>5.0f}MB")
    small = min(args.sizes)
    for n in sorted(args.sizes)[1:]:
        print(f"{n // small}x the coding: first suggestion {first_at[n] / first_at[small]:.1f}x,"
              f" training {train_at[n] / train_at[small]:.1f}x the time")


if __name__ == "__main__":
    main()
