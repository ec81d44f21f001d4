"""Statistics as report writers' reference software computes them (SPSS conventions),
checked against scipy.stats and worked examples in the tests.

The distributions come from the standard library (the normal's tail is math.erfc) and
scipy.special (Student's t), not scipy.stats, whose import alone takes about a second:
longer than the CASCADE table, the survey summary or the statistics in a report take to
compute."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Wilcoxon:
    n_pairs: int       # pairs with a non-zero difference
    n_total: int       # pairs before zero differences were dropped
    w_plus: float
    w_minus: float
    z: float
    p: float
    p_exact: float = float("nan")  # SPSS's "Exact Sig. (2-tailed)", from every sign pattern
    log10_p: float = float("nan")  # log10 of p, exact where p itself underflows to 0.0

    @property
    def small(self) -> bool:
        """Too few pairs for the normal approximation to be trusted (fewer than 20):
        report the exact p."""
        return self.n_pairs < 20


def wilcoxon_spss(before: list[float], after: list[float]) -> Wilcoxon:
    """Wilcoxon signed-rank test as SPSS reports it: zero differences dropped, average
    ranks for ties, normal approximation with tie correction, no continuity
    correction; Z from the smaller rank sum, so it is negative; two-sided p."""
    diffs = [b - a for a, b in zip(before, after) if b != a]
    n = len(diffs)
    if n == 0:
        return Wilcoxon(0, len(before), 0.0, 0.0, float("nan"), float("nan"))
    ranks = average_ranks([abs(d) for d in diffs])
    w_plus = float(sum(r for r, d in zip(ranks, diffs) if d > 0))
    w_minus = float(sum(r for r, d in zip(ranks, diffs) if d < 0))
    t = min(w_plus, w_minus)
    ties: dict[float, int] = {}
    for r in ranks:
        ties[r] = ties.get(r, 0) + 1
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(c ** 3 - c for c in ties.values()) / 48
    z = (t - n * (n + 1) / 4) / math.sqrt(variance) if variance > 0 else float("nan")
    p = two_sided_normal_p(z)
    log10_p = _log10_two_sided_normal_p(z, p)
    return Wilcoxon(n, len(before), w_plus, w_minus, z, p,
                    exact_p([float(r) for r in ranks], w_plus) if n <= 200 else float("nan"),
                    log10_p)


def average_ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties given the mean of the ranks they span (scipy's rankdata with
    method="average", which a test compares)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def two_sided_normal_p(z: float) -> float:
    """2 * P(Z < -|z|) for a standard normal Z; NaN for NaN."""
    return math.erfc(abs(z) / math.sqrt(2)) if z == z else float("nan")


def _log10_two_sided_normal_p(z: float, p: float) -> float:
    """log10 of that p, exact where p underflows to 0.0 (|z| beyond about 38)."""
    if p != p or p > 0:
        return math.log10(p) if p > 0 else p
    from scipy.special import log_ndtr

    return (math.log(2) + float(log_ndtr(-abs(z)))) / math.log(10)


def student_t_sf(t: float, df: float) -> float:
    """P(T > t) for Student's t with df degrees of freedom."""
    from scipy.special import stdtr

    return float(stdtr(df, -t))


def student_t_quantile(q: float, df: float) -> float:
    """The t below which a share q of Student's t with df degrees of freedom lies."""
    from scipy.special import stdtrit

    return float(stdtrit(df, q))


def exact_p(ranks: list[float], w_plus: float) -> float:
    """Two-sided exact p of the signed-rank statistic W+ given these ranks (average ranks
    for ties, so the distribution is of the ranks as they are, as SPSS's exact test):
    every one of the 2^n sign patterns counted by dynamic programming over doubled ranks."""
    doubled = [round(2 * r) for r in ranks]
    total = sum(doubled)
    counts = [0] * (total + 1)
    counts[0] = 1
    for r in doubled:
        for s in range(total, r - 1, -1):
            counts[s] += counts[s - r]
    patterns = 2 ** len(doubled)
    w = round(2 * w_plus)
    low = sum(counts[: w + 1]) / patterns
    high = sum(counts[w:]) / patterns
    return float(min(1.0, 2 * min(low, high)))


def cronbach_alpha(rows: list[list[float]]) -> float:
    """Cronbach's alpha for cases (rows) by items (columns), sample variances."""
    import numpy as np

    data = np.asarray(rows, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2 or data.shape[1] < 2:
        return float("nan")
    k = data.shape[1]
    item_var = data.var(axis=0, ddof=1).sum()
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - item_var / total_var))


@dataclass
class PairedT:
    n: int
    t: float
    df: int
    p: float
    mean_difference: float
    undefined: str = ""  # why t is not defined, when it is not
    log10_p: float = float("nan")  # log10 of p, exact where p itself underflows to 0.0


def paired_t(before: list[float], after: list[float]) -> PairedT:
    """Paired t (after - before). Fewer than two pairs, or differences that are all the
    same (no variance), leave t undefined: NaN with the reason, never infinity."""
    n = len(before)
    if n < 2:
        return PairedT(n, float("nan"), max(n - 1, 0), float("nan"), float("nan"),
                       "fewer than two matched pairs")
    diffs = [b - a for a, b in zip(before, after)]
    diff = sum(diffs) / n
    if max(diffs) == min(diffs):
        return PairedT(n, float("nan"), n - 1, float("nan"), diff,
                       "every pair differs by the same amount (no variance)")
    sd = math.sqrt(sum((d - diff) ** 2 for d in diffs) / (n - 1))
    t = diff / (sd / math.sqrt(n))
    tail = student_t_sf(abs(t), n - 1)
    log10_p = math.log10(2 * tail) if tail > 0 else float("-inf")
    return PairedT(n, t, n - 1, min(1.0, 2 * tail), diff, "", log10_p)


def apa_p(p: float | None, with_p: bool = True) -> str:
    """A p-value as journals print it (APA 7th edition): three decimals without the
    leading zero, and "< .001" below that: "p = .013", "p < .001". `with_p=False` gives
    the table cell (".013", "< .001"). Missing or undefined p is a dash."""
    if p is None or p != p:
        return "–"
    if p < 0.001:
        cell = "< .001"
    elif p > 0.999:
        cell = "> .999"
    else:
        cell = f"{p:.3f}".lstrip("0")
    if not with_p:
        return cell
    return f"p {cell}" if cell[0] in "<>" else f"p = {cell}"
