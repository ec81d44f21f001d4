"""Hostile inputs per importer: random bytes and mutations of valid files.

    python bench/fuzz.py [--per 10000] [--only text,docx]

Every importer must import or refuse with a clear error (QualCoderError); anything
else is printed with the input that caused it and counted as a failure. Then the crafted
attacks of tests/safety/test_limits.py and test_leaks.py at full size (zip bombs, escape
sequences, deep codebooks), each with the peak memory it cost.
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
    failures += attacks()
    sys.exit(1 if failures else 0)


def attacks() -> int:
    """Crafted hostile files at full size: refused (or imported clean) and the peak memory
    of this process after each (ru_maxrss only grows, so each line is a bound)."""
    import resource
    import tempfile

    from qual_coder.errors import QualCoderError
    from qual_coder.exchange.refi_project import read_qdpx
    from qual_coder.exchange.yaml_codebook import load_codebook_file
    from qual_coder.importers import read_transcript
    from qual_coder.quant.tabular import read_table
    from tests.safety.test_limits import _bomb

    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    escapes = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x9b31m"
    cases = {
        "docx inflating to 1 GB": ("bomb.docx", _bomb({"[Content_Types].xml": b"<Types/>",
                                                       "word/document.xml": 1 << 30})),
        "qdpx source inflating to 1 GB": ("bomb.qdpx", _bomb({"project.qde": b"<Project/>",
                                                              "sources/a.txt": 1 << 30})),
        "text with OSC/CSI escapes": ("esc.txt", f"P1: a {escapes} b\n".encode()),
        "vtt with escapes": ("esc.vtt", f"WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>"
                                        f"hi {escapes}\n".encode()),
        "codebook 10,000 deep": ("deep.yaml", ("key: d\ncodes:\n" + "".join(
            f"  - key: c{i}\n" + (f"    parent: c{i - 1}\n" if i else "")
            for i in range(10_000))).encode()),
        "xlsx-like zip of 2 GB": ("big.xlsx", _bomb({"xl/worksheets/sheet1.xml": 2 << 30})),
    }
    crashes = 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, (name, data) in cases.items():
            path = Path(tmp) / name
            path.write_bytes(data)
            t0 = time.perf_counter()
            try:
                if name.endswith(".qdpx"):
                    read_qdpx(path)
                elif name.endswith(".yaml"):
                    load_codebook_file(path)
                elif name.endswith(".xlsx"):
                    read_table(path)
                else:
                    parsed = read_transcript(path, data)
                    assert not any(ord(c) < 32 and c not in "\n\t" for c in parsed.text)
                outcome = "imported clean"
            except QualCoderError as err:
                outcome = f"refused: {str(err).splitlines()[0][:90]}"
            except Exception as err:  # what this looks for
                outcome, crashes = f"CRASH {type(err).__name__}: {err}", crashes + 1
            print(f"{label:<32} {len(data):>9,} bytes  {time.perf_counter() - t0:5.2f} s  "
                  f"peak {peak():5.0f} MB  {outcome}", flush=True)
    return crashes


if __name__ == "__main__":
    main()
