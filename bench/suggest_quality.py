"""How good are the suggestions? Hold out whole transcripts, learn from the rest,
suggest on the held-out ones and score against their hand coding.

    python bench/suggest_quality.py [--db demo.db] [--coder ana] [--splits 5]

Per engine and combined: precision@1 (the top suggestion is one of the sentence's
codes), recall@3 (a sentence's code is among its top three suggestions) over the
held-out sentences that were coded, and micro-F1 over all held-out sentences with
the score threshold that suits each engine best (a mean over splits,
so the threshold shown is a mean too). The learning curve trains on 10, 25, 50 and 75% of the
transcripts; each point averages `--splits` random splits.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qual_coder.demo import build_demo  # noqa: E402
from qual_coder.nlp.suggester import Suggester, covers  # noqa: E402
from qual_coder.services.sentences import ensure_sentences  # noqa: E402
from qual_coder.storage import open_project  # noqa: E402

THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def evaluate(project, train: set[int], test: list[int]) -> dict[str, dict[str, float]]:
    ensure_sentences(project)
    suggester = Suggester(project, train_on=train, retrain=True)
    conn = project.conn
    engines = {name: (name,) for name in suggester.engines} | {"combined": None}
    scored: dict[str, list[tuple[set[str], list]]] = {name: [] for name in engines}
    for tid in test:
        segments = suggester.segments(tid)
        gold = gold_codes(conn, tid, segments)
        everything = suggester.engines
        for name, only in engines.items():
            suggester.engines = everything if only is None else {name: everything[name]}
            scored[name].extend(zip(gold, suggester.suggest(segments)))
        suggester.engines = everything
    return {name: figures(rows) for name, rows in scored.items()}


def gold_codes(conn, tid: int, segments) -> list[set[str]]:
    """Per segment, the codes whose final codings cover it (the human's answer)."""
    codings = conn.execute(
        'SELECT g.start, g."end", c.key FROM codings g JOIN codes c ON c.id = g.code_id '
        "WHERE g.transcript_id = ? AND g.status = 'final'", [tid]).fetchall()
    return [{k for a, b, k in codings if covers(s.start, s.end, a, b)} for s in segments]


def figures(rows) -> dict[str, float]:
    """P@1 and R@3 over coded sentences; micro-F1 over all, at the best threshold."""
    coded = [(codes, ranked) for codes, ranked in rows if codes]
    p1 = sum(bool(r) and r[0].code in codes for codes, r in coded) / max(len(coded), 1)
    r3 = sum(len(codes & {s.code for s in r[:3]}) for codes, r in coded) / max(
        sum(len(codes) for codes, _ in coded), 1)
    best = (0.0, 0.0)
    for threshold in THRESHOLDS:
        tp = fp = fn = 0
        for codes, ranked in rows:
            predicted = {s.code for s in ranked if s.score >= threshold}
            tp += len(predicted & codes)
            fp += len(predicted - codes)
            fn += len(codes - predicted)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (f1, threshold))
    return dict(p_at_1=p1, r_at_3=r3, f1=best[0], threshold=best[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="a coded project (default: a fresh demo)")
    parser.add_argument("--coder", default="ana", help="whose coding is the gold standard")
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--fractions", default="0.1,0.25,0.5,0.75")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        if args.db:
            shutil.copy(args.db, db)
        else:
            build_demo(db)
        with open_project(db) as project:
            # one coder's coding only: a second coder's double-coding would leak answers
            with project.transaction():
                project.conn.execute("DELETE FROM codings WHERE coder != ? OR status != 'final'",
                                     [args.coder])
            coded = [r[0] for r in project.conn.execute(
                "SELECT DISTINCT transcript_id FROM codings ORDER BY 1")]
            print(f"{len(coded)} coded transcripts, "
                  f"{project.conn.execute('SELECT COUNT(*) FROM codings').fetchone()[0]} "
                  f"codings by {args.coder}; {args.splits} random splits per point")
            print(f"{'coded':>6} {'engine':<9} {'P@1':>6} {'R@3':>6} {'F1':>6}  at score")
            for fraction in (float(f) for f in args.fractions.split(",")):
                sums: dict[str, dict[str, float]] = {}
                started = time.perf_counter()
                for split in range(args.splits):
                    order = coded[:]
                    random.Random(split).shuffle(order)
                    n = max(1, round(fraction * len(order)))
                    result = evaluate(project, set(order[:n]), order[n:])
                    for engine, figures in result.items():
                        for k, v in figures.items():
                            sums.setdefault(engine, {}).setdefault(k, 0.0)
                            sums[engine][k] += v / args.splits
                for engine, f in sums.items():
                    print(f"{fraction:>6.0%} {engine:<9} {f['p_at_1']:>6.2f} {f['r_at_3']:>6.2f} "
                          f"{f['f1']:>6.2f}  >= {f['threshold']:.1f}")
                print(f"       ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
