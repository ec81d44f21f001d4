"""Small answers should not wait on start-up: each command's wall time on the demo project
against a baseline run beside it, the bare import of the libraries that command needs.

    python bench/startup.py [--runs 15]

Every figure is the median of `--runs` fresh processes, the command and its baseline
alternating so both see the same machine. Targets (issue 42): CLI start-up within 2x
`python -c "import click"`; `cascade table`, `survey summary` and `agreement` within 1.5x
of importing what they need; `report` under 3 s; `discover` within 2x a bare spaCy pass over
the same participants' sentences.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PY = sys.executable
# the console script, as people run it (python -m qual_coder where there is none)
SCRIPT = Path(PY).parent / "qual-coder"
CLI = [str(SCRIPT)] if SCRIPT.exists() else [PY, "-m", "qual_coder"]

# command, baseline (Python that imports what the command cannot do without), target ratio
CASES: list[tuple[str, str, float | None]] = [
    ("--version", "import click", 2.0),
    # since its table of stakeholder types is laid out by rich (issue 39), rich too
    ("summary demo.db", "import click, sqlite3, rich.console, rich.table", 2.0),
    ("quotes demo.db --code single_point_of_contact", "import click, sqlite3", 2.0),
    ("agreement demo.db --coders ana ben",
     "import click, sqlite3, numpy, rich.console, rich.table", 1.5),
    ("cascade table demo.db", "import click, sqlite3, numpy", 1.5),
    ("survey summary demo.db", "import click, sqlite3, numpy, scipy.special", 1.5),
    ("matrix demo.db", "import click, sqlite3, pandas", None),
    ("saturation demo.db", "import click, sqlite3, rich.console, rich.table", None),
    ("methods demo.db", "import click, sqlite3, numpy", None),
]


def wall(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_pair(command: list[str], baseline: list[str], cwd: Path,
                runs: int) -> tuple[float, float]:
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(wall(command, cwd))
        theirs.append(wall(baseline, cwd))
    return statistics.median(ours), statistics.median(theirs)


SPACY_PASS = """
import sqlite3, sys
from qual_coder.nlp.pipeline import load
texts = [r[0] for r in sqlite3.connect(sys.argv[1]).execute(
    'SELECT substr(t.text, u.start + 1, u."end" - u.start) FROM turns u '

    "JOIN transcripts t ON t.id = u.transcript_id")]
nlp = load()
for doc in nlp.pipe(texts):
    pass
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    import compileall

    from qual_coder.demo import build_demo

    # pip compiles a package as it installs it; a checkout run with PYTHONDONTWRITEBYTECODE
    # (as this machine's shell sets) would compile our modules in every process instead
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "qual_coder"),
                           quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_demo(folder / "demo.db")
        print(f"median of {args.runs} fresh processes each; Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} cores")
        print(f"{'command':<48} {'ours':>7} {'baseline':>9} {'ratio':>6}  target")
        for command, baseline, target in CASES:
            ours, base = median_pair([*CLI, *command.split()], [PY, "-c", baseline], folder,
                                     args.runs)
            mark = "" if target is None else (f"<= {target}x " +
                                              ("met" if ours / base <= target else "MISSED"))
            print(f"{command:<48} {ours:6.2f}s {base:8.2f}s {ours / base:5.2f}x  {mark}")
        few = max(3, args.runs // 5)
        report, _ = median_pair([*CLI, "report", "demo.db", "-o", "r.docx"], [PY, "-c", "0"],
                                folder, few)
        print(f"{'report demo.db -o r.docx':<48} {report:6.2f}s {'':>9} {'':>6}  < 3 s "
              + ("met" if report < 3 else "MISSED"))
        # discover against one spaCy pass over the turns' text (its sentence cache is
        # rebuilt each time: a fresh copy of the demo, whose cache is empty)
        fresh = folder / "fresh.db"
        discover, spacy_pass = [], []
        for _ in range(few):
            fresh.unlink(missing_ok=True)
            build_demo(fresh)
            discover.append(wall([*CLI, "discover", "fresh.db"], folder))
            spacy_pass.append(wall([PY, "-c", SPACY_PASS, "fresh.db"], folder))
        d, s = statistics.median(discover), statistics.median(spacy_pass)
        print(f"{'discover (cold sentence cache)':<48} {d:6.2f}s {s:8.2f}s {d / s:5.2f}x  "
              f"<= 2.0x " + ("met" if d / s <= 2 else "MISSED"))


if __name__ == "__main__":
    main()
