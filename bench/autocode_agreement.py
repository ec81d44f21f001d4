"""`autocode` as a second coder (issue 20): leave one transcript out, learn from the rest,
suggest on it as `autocode` does (the top three per sentence at the default score), and
compare with the human coder's codings of it, sentence by sentence.

    python bench/autocode_agreement.py [--coder ana] [--transcripts 6] [--ceiling]
        [--thresholds]

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
from collections.abc import Callable
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


def capped_picks(ranked: list, codes: list[str], share: dict[str, float],
                 floor: Callable[[str], float], scale: float = 1.0) -> list[set[str]]:
    """Per sentence, the codes chosen as autocode's density cap chooses them: each code's
    top-three suggestions at or above its floor, best first, for at most `scale` times its
    share of the sentences (at least one)."""
    picks: list[set[str]] = [set() for _ in ranked]
    for code in codes:
        scored = sorted(((c.score, i) for i, r in enumerate(ranked) for c in r[:3]
                         if c.code == code and c.score >= floor(code)), reverse=True)
        for _, i in scored[:max(1, math.ceil(scale * share.get(code, 0.0) * len(ranked)))]:
            picks[i].add(code)
    return picks


def auc(scores: list[float], truth: list[bool]) -> float:
    """Area under the ROC curve: how often a coded sentence outscores an uncoded one."""
    from scipy.stats import mannwhitneyu

    pos = [s for s, t in zip(scores, truth) if t]
    neg = [s for s, t in zip(scores, truth) if not t]
    return float(mannwhitneyu(pos, neg).statistic) / (len(pos) * len(neg))


def ceiling(project, coded: list[int], codes: list[str]) -> None:
    """Where agreement is lost, each transcript held out in turn: kappa if the human's
    choice of sentences were known (our top code on each), and how well the top score, a
    classifier trained for coded-or-not, and simple features tell coded sentences."""
    from dataclasses import replace

    from qual_coder.nlp.engines import ModelEngine

    conn = project.conn
    oracle: list[tuple[bool, bool]] = []
    top, coded_p, truth = [], [], []
    features: dict[str, list[float]] = {"length": [], "turn length": [],
                                        "first in turn": [], "last in turn": []}
    for tid in coded:
        suggester = Suggester(project, train_on=set(coded) - {tid}, retrain=True)
        segments = suggester.segments(tid)
        gold = gold_codes(conn, tid, segments)
        ranked = suggester.suggest(segments)
        oracle += [(c in g, bool(g) and bool(r) and r[0].code == c)
                   for g, r in zip(gold, ranked) for c in codes]
        top += [r[0].score if r else 0.0 for r in ranked]
        either = ModelEngine.train([replace(e, codes=frozenset({"coded"}) if e.codes
                                            else frozenset(), rejected=frozenset())
                                    for e in suggester.examples])
        assert either is not None
        coded_p += [max((s.score for s in row), default=0.0)
                    for row in either.suggest([s.lemmas for s in segments], floor=0.0)]
        truth += [bool(g) for g in gold]
        turns: dict[int, list[int]] = {}
        for i, seg in enumerate(segments):
            turns.setdefault(seg.turn, []).append(i)
        for i, seg in enumerate(segments):
            members = turns[seg.turn]
            features["length"].append(len(seg.text.split()))
            features["turn length"].append(len(members))
            features["first in turn"].append(float(members[0] == i))
            features["last in turn"].append(float(members[-1] == i))
    print(f"ceiling: kappa if the coded sentences were known, our top code on each: "
          f"{kappa(oracle):.2f}")
    print(f"telling coded sentences ({sum(truth) / len(truth):.1%} of them) from uncoded, "
          f"AUC: top score {auc(top, truth):.2f}, a coded-or-not classifier "
          f"{auc(coded_p, truth):.2f}, " + ", ".join(
              f"{k} {auc(v, truth):.2f}" for k, v in features.items()))


def learned_thresholds(project, coded: list[int], codes: list[str]) -> None:
    """Per-code thresholds learned from reviews, simulated: for each held-out transcript
    the others are split three ways, suggestions made on each third by engines trained on
    the rest are "accepted" where the human coded them, and each code's threshold is set
    where its F1 over those reviews is best; then applied, with and without the cap."""
    conn = project.conn
    grid = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    results: dict[str, list[tuple[bool, bool]]] = {"thresholds": [], "thresholds + cap": []}
    made = dict.fromkeys(results, 0)
    for tid in coded:
        train = [t for t in coded if t != tid]
        order = train[:]
        random.Random(tid).shuffle(order)
        pool: dict[str, list[tuple[float, bool]]] = {c: [] for c in codes}
        positives: dict[str, int] = {}
        for k in range(3):
            part = order[k::3]
            inner = Suggester(project, train_on=set(train) - set(part), retrain=True)
            for t in part:
                segments = inner.segments(t)
                for g, r in zip(gold_codes(conn, t, segments), inner.suggest(segments)):
                    for c in g:
                        positives[c] = positives.get(c, 0) + 1
                    for s in r[:3]:
                        pool[s.code].append((s.score, s.code in g))
        cut = {}
        for code, seen in pool.items():
            best = (0.0, 2.0)
            for t in grid:
                tp = sum(1 for s, y in seen if s >= t and y)
                fp = sum(1 for s, y in seen if s >= t and not y)
                f1 = 2 * tp / (tp + fp + positives.get(code, 0)) if tp else 0.0
                best = max(best, (f1, -t))
            cut[code] = -best[1] if best[0] else 2.0
        suggester = Suggester(project, train_on=set(train), retrain=True)
        segments = suggester.segments(tid)
        gold = gold_codes(conn, tid, segments)
        ranked = suggester.suggest(segments)
        share = densities(project, set(train))
        chosen = [{c.code for c in r[:3] if c.score >= cut.get(c.code, 2.0)} for r in ranked]
        capped = capped_picks(ranked, codes, share, lambda code, c=cut: c.get(code, 2.0))
        for name, picks in (("thresholds", chosen), ("thresholds + cap", capped)):
            made[name] += sum(len(p) for p in picks)
            results[name] += [(c in g, c in p) for g, p in zip(gold, picks) for c in codes]
    for name, pairs in results.items():
        print(f"{name:<17} kappa {kappa(pairs):.2f}  suggestions {made[name]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coder", default="ana")
    parser.add_argument("--transcripts", type=int, default=6, help="how many to hold out")
    parser.add_argument("--ceiling", action="store_true",
                        help="also: kappa if the coded sentences were known, and AUCs")
    parser.add_argument("--thresholds", action="store_true",
                        help="also: per-code thresholds learned from simulated reviews")
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
                    choices[name] = capped_picks(ranked, codes, share,
                                                 lambda code, f=floor: f, scale)
                for name, chosen in choices.items():
                    made[name] += sum(len(c) for c in chosen)
                    results[name] += [(code in g, code in c) for g, c in zip(gold, chosen)
                                      for code in codes]
            print(f"held out {len(held_out)} of {len(coded)} transcripts coded by {args.coder}; "
                  f"{human_pairs} sentence-code pairs coded by hand")
            for name, pairs in results.items():
                print(f"{name:<15} kappa {kappa(pairs):.2f}  suggestions {made[name]}")
            if args.ceiling:
                ceiling(project, coded, codes)
            if args.thresholds:
                learned_thresholds(project, coded, codes)


if __name__ == "__main__":
    main()
