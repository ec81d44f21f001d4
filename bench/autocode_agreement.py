"""`autocode` as a second coder (issue 20): leave one transcript out, learn from the rest,
suggest on it as `autocode` does (the top three per sentence at the default score), and
compare with the human coder's codings of it, sentence by sentence.

    python bench/autocode_agreement.py [--coder ana] [--transcripts 6]

Pooled over codes, Cohen's kappa between "the human coded this sentence with code c" and
"autocode suggested c for it", with how many suggestions autocode made against how many
sentence-code pairs the human coded. Two ways of choosing what to suggest are compared:
one global score threshold (0.6, the default), and the same threshold with a cap per code
from the coder's own density (a code the coder gave to 3% of the sentences they coded is
suggested for at most 3% of the new transcript's sentences, best scores first).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.suggest_quality import gold_codes  # noqa: E402
from qual_coder.demo import build_demo  # noqa: E402
from qual_coder.nlp.suggester import Suggester  # noqa: E402
from qual_coder.services.sentences import ensure_sentences  # noqa: E402
from qual_coder.storage import open_project  # noqa: E402

MIN_SCORE = 0.6


def kappa(pairs: list[tuple[bool, bool]]) -> float:
    n = len(pairs)
    both = sum(a and b for a, b in pairs)
    neither = sum(not a and not b for a, b in pairs)
    human = sum(a for a, _ in pairs) / n
    machine = sum(b for _, b in pairs) / n
    observed = (both + neither) / n
    chance = human * machine + (1 - human) * (1 - machine)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def densities(project, train: set[int]) -> dict[str, float]:
    """Each code's share of the training sentences the coder coded with it."""
    conn = project.conn
    ensure_sentences(project)
    suggester = Suggester(project, engines=(), train_on=train, retrain=True)
    total, per_code = 0, {}
    for tid in train:
        segments = suggester.segments(tid)
        total += len(segments)
        for keys in gold_codes(conn, tid, segments):
            for key in keys:
                per_code[key] = per_code.get(key, 0) + 1
    return {k: n / max(total, 1) for k, n in per_code.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coder", default="ana")
    parser.add_argument("--transcripts", type=int, default=6, help="how many to hold out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        build_demo(db)
        with open_project(db) as project:
            conn = project.conn
            with project.transaction():
                conn.execute("DELETE FROM codings WHERE coder != ? OR status != 'final'",
                             [args.coder])
            coded = [r[0] for r in conn.execute(
                "SELECT DISTINCT transcript_id FROM codings ORDER BY 1")]
            codes = [r[0] for r in conn.execute("SELECT key FROM codes WHERE codable = 1")]
            held_out = sorted(random.Random(0).sample(coded, min(args.transcripts, len(coded))))
            variants = {"global": None, "density cap": (MIN_SCORE, 1.0),
                        "cap, score 0.3": (0.3, 1.0), "half cap": (MIN_SCORE, 0.5),
                        "half cap, 0.3": (0.3, 0.5)}
            results: dict[str, list] = {k: [] for k in variants}
            made = dict.fromkeys(variants, 0)
            human_pairs = 0
            ensure_sentences(project)
            for tid in held_out:
                train = set(coded) - {tid}
                suggester = Suggester(project, train_on=train, retrain=True)
                segments = suggester.segments(tid)
                gold = gold_codes(conn, tid, segments)
                human_pairs += sum(len(g) for g in gold)
                ranked = suggester.suggest(segments)
                picked = [{c.code for c in r[:3] if c.score >= MIN_SCORE} for r in ranked]
                share = densities(project, train)
                choices = {}
                for name, rule in variants.items():
                    if rule is None:
                        choices[name] = picked
                        continue
                    floor, scale = rule
                    capped: list[set[str]] = [set() for _ in segments]
                    for code in codes:
                        scored = sorted(((c.score, i) for i, r in enumerate(ranked)
                                         for c in r[:3] if c.code == code and c.score >= floor),
                                        reverse=True)
                        cap = max(1, math.ceil(scale * share.get(code, 0.0) * len(segments)))
                        for _, i in scored[:cap]:
                            capped[i].add(code)
                    choices[name] = capped
                for name, chosen in choices.items():
                    made[name] += sum(len(c) for c in chosen)
                    results[name] += [(code in g, code in c) for g, c in zip(gold, chosen)
                                      for code in codes]
            print(f"held out {len(held_out)} of {len(coded)} transcripts coded by {args.coder}; "
                  f"{human_pairs} sentence-code pairs coded by hand")
            for name, pairs in results.items():
                print(f"{name:<15} kappa {kappa(pairs):.2f}  suggestions {made[name]}")


if __name__ == "__main__":
    main()
