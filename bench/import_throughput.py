"""Import throughput and peak memory on a generated corpus.

    python bench/import_throughput.py [--transcripts 1000] [--words 5000]

Writes the corpus to a temporary folder, then imports it in a fresh process
(so the corpus generator's memory is not counted) and prints words/s and the
importing process's peak RSS. Target (issue 2): >= 1,000,000 words/s, < 400 MB.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args()
    from bench.corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        t0 = time.perf_counter()
        total = write_corpus(corpus, args.transcripts, args.words)
        print(f"generated {args.transcripts} transcripts, {total:,} words "
              f"in {time.perf_counter() - t0:.1f} s")
        out = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(Path(tmp) / "b.db")],
                             capture_output=True, text=True, check=True,
                             cwd=Path(__file__).resolve().parent.parent)
        result = json.loads(out.stdout)
        size = (Path(tmp) / "b.db").stat().st_size / 1e6
    print(f"imported {result['transcripts']} transcripts, {result['words']:,} words in "
          f"{result['seconds']:.2f} s: {result['words'] / result['seconds']:,.0f} words/s")
    print(f"peak RSS of the importing process: {result['peak_rss_mb']:.0f} MB; "
          f"project file {size:.0f} MB")


if __name__ == "__main__":
    main()
