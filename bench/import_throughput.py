"""Import throughput and peak memory on generated corpora.

    python bench/import_throughput.py [--words-total 5000000]

Two corpora of the same total size: 5,000-word files (an interview) and 25,000-word
files (a two-hour focus group). Each is written to a temporary folder, then imported in
a fresh process (so the generator's memory is not counted); words/s counts the files'
words. The same files then go through a bare script that only reads them, splits turns
on one regex and inserts rows, as a floor for what reading and storing costs.
Targets (issues 2 and 14): >= 1,000,000 words/s for both, < 400 MB, within 5x of the
bare script. Last, one 10 MB file, whose parse time shows the parser is linear.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from qual_coder.storage import init_project
from qual_coder import services
files = sorted(Path(sys.argv[1]).glob("*.txt"))
t0 = time.perf_counter()
with init_project(Path(sys.argv[2])) as project:
    report = services.import_transcripts(project, files)
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "words": report.words,
                  "transcripts": len(report.imported),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


# The floor: read, split on one regex, insert the text and its turns. No checks, no
# decoding fallbacks, no header or stage-direction rules, no participants.
BARE = r"""
import json, re, sqlite3, sys, time
from pathlib import Path
files = sorted(Path(sys.argv[1]).glob("*.txt"))
label = re.compile(r"^([^\W\d][\w .'-]{0,40}):[ \t]", re.M)
t0 = time.perf_counter()
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, text TEXT)")
db.execute("CREATE TABLE turns (t INTEGER, seq INTEGER, speaker TEXT, start INTEGER, e INTEGER)")
with db:
    for f in files:
        text = f.read_text(encoding="utf-8")
        tid = db.execute("INSERT INTO t (name, text) VALUES (?, ?)", [f.stem, text]).lastrowid
        marks = list(label.finditer(text))
        db.executemany("INSERT INTO turns VALUES (?, ?, ?, ?, ?)",
                       [(tid, i, m.group(1), m.end(),
                         marks[i + 1].start() if i + 1 < len(marks) else len(text))
                        for i, m in enumerate(marks)])
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""

ROOT = Path(__file__).resolve().parent.parent


def child(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def corpus_run(tmp: Path, words_each: int, words_total: int) -> None:
    from bench.corpus import write_corpus

    corpus = tmp / f"corpus{words_each}"
    n = max(1, words_total // words_each)
    total = write_corpus(corpus, n, words_each)
    result = child(CHILD, str(corpus), str(tmp / f"q{words_each}.db"))
    bare = child(BARE, str(corpus), str(tmp / f"b{words_each}.db"))
    size = (tmp / f"q{words_each}.db").stat().st_size / 1e6
    print(f"{n} files of ~{words_each:,} words ({total:,} words): imported in "
          f"{result['seconds']:.2f} s = {total / result['seconds']:,.0f} words/s "
          f"({result['words']:,} words spoken); peak RSS {result['peak_rss_mb']:.0f} MB; "
          f"project file {size:.0f} MB")
    print(f"  bare read+split+insert: {bare['seconds']:.2f} s = "
          f"{total / bare['seconds']:,.0f} words/s; qual-coder takes "
          f"{result['seconds'] / bare['seconds']:.1f}x as long")


def one_big_file(tmp: Path, megabytes: int) -> None:
    from qual_coder.importers.text import parse_text

    line = "Speaker {}: and the referral went back to the school again, as it did before\n"
    text = "".join(line.format(n % 9) for n in range(megabytes * 1024 * 1024 // len(line)))
    t0 = time.perf_counter()
    parsed = parse_text(text)
    print(f"one {len(text) / 1e6:.0f} MB file, {len(parsed.turns):,} turns: parsed in "
          f"{time.perf_counter() - t0:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words-total", type=int, default=5_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for each in (5_000, 25_000):
            corpus_run(Path(tmp), each, args.words_total)
        for mb in (5, 10):
            one_big_file(Path(tmp), mb)


if __name__ == "__main__":
    main()
