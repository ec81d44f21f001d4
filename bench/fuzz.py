"""Hostile inputs per importer: random bytes and mutations of valid files.

    python bench/fuzz.py [--per 10000] [--only text,docx]

Every importer must import or refuse with a clear error (QualCoderError); anything
else is printed with the input that caused it and counted as a failure.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.safety.fuzz_targets import TARGETS, ZIPPED, mutate, mutate_zip, run_target, seed_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per", type=int, default=10_000)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    names = [n for n in TARGETS if not args.only or n in args.only.split(",")]
    failures = 0
    for name in names:
        rng = random.Random(name)
        seed = seed_for(name)
        counts = {"ok": 0, "refused": 0, "crash": 0}
        t0 = time.perf_counter()
        for i in range(args.per):
            if i % 3 == 0:
                data = bytes(rng.randrange(256) for _ in range(rng.randrange(300)))
            else:
                data = (mutate_zip if name in ZIPPED else mutate)(seed, rng)
            try:
                counts[run_target(name, data)] += 1
            except Exception:  # the very thing this script looks for
                counts["crash"] += 1
                if counts["crash"] <= 3:
                    print(f"{name}: {data[:200]!r}\n{traceback.format_exc(limit=3)}")
        failures += counts["crash"]
        print(f"{name:<9} {args.per:>6} inputs: {counts['ok']:>5} imported, "
              f"{counts['refused']:>5} refused, {counts['crash']} tracebacks "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
