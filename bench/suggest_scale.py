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
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import random_codings, run_probe, short_project  # noqa: E402

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
    from qual_coder.storage import open_project

    rng = random.Random(coded)
    names = [f"{'coded' if n < coded else 'new'}_{n:05d}" for n in range(coded + uncoded)]
    short_project(path, names, rng)
    with open_project(path) as project:
        random_codings(project, rng, "ana", names_like="coded%")
    return f"new_{coded:05d}"


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
            bare = run_probe(BARE, str(path), name)
            first = run_probe(FIRST, str(path), name)
            train = run_probe(TRAIN, str(path))
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
