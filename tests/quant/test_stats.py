"""Statistics against scipy and against worked examples."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from qual_coder.quant.stats import cronbach_alpha, paired_t, wilcoxon_spss


def test_wilcoxon_worked_example_by_hand():
    # d = after - before: 1, 0 (dropped), 1, 2, -1, 1 -> |d| ranks: the four 1s share
    # ranks 1-4 (2.5 each), the 2 has rank 5. W- = 2.5, W+ = 12.5, n = 5.
    # Var = 5*6*11/24 - (4^3 - 4)/48 = 13.75 - 1.25 = 12.5; Z = (2.5 - 7.5)/sqrt(12.5).
    w = wilcoxon_spss([0, 1, 0, 0, 2, 1], [1, 1, 1, 2, 1, 2])
    assert (w.n_pairs, w.w_plus, w.w_minus) == (5, 12.5, 2.5)
    assert w.z == pytest.approx(-5 / math.sqrt(12.5))
    assert w.p == pytest.approx(2 * stats.norm.cdf(-5 / math.sqrt(12.5)))


@pytest.mark.parametrize("seed", range(8))
def test_wilcoxon_matches_scipy_without_continuity_correction(seed):
    rng = random.Random(seed)
    before = [rng.randint(0, 3) for _ in range(30)]
    after = [min(3, b + rng.choice([-1, 0, 0, 1, 1, 2])) for b in before]
    ours = wilcoxon_spss(before, after)
    ref = stats.wilcoxon(before, after, zero_method="wilcox", correction=False,
                         method="approx")
    assert ours.z == pytest.approx(-abs(ref.zstatistic))
    assert ours.p == pytest.approx(ref.pvalue)
    assert min(ours.w_plus, ours.w_minus) == pytest.approx(ref.statistic)


def test_cronbach_alpha_worked_example():
    # 4 cases x 3 items: item variances 1, 1, 1 (sample); totals 3, 6, 6, 9 var 6.
    rows = [[0, 1, 2], [1, 2, 3], [2, 1, 3], [2, 3, 4]]
    item_vars = [stats.tvar([r[i] for r in rows]) for i in range(3)]
    total_var = stats.tvar([sum(r) for r in rows])
    expected = 3 / 2 * (1 - sum(item_vars) / total_var)
    assert cronbach_alpha(rows) == pytest.approx(expected)
    assert math.isnan(cronbach_alpha([[1, 2]]))


def test_paired_t_matches_scipy():
    before, after = [2, 3, 1, 4, 2, 3], [3, 4, 2, 4, 3, 5]
    t = paired_t(before, after)
    ref = stats.ttest_rel(after, before)
    assert (t.n, t.df) == (6, 5)
    assert t.t == pytest.approx(ref.statistic) and t.p == pytest.approx(ref.pvalue)


def test_the_exact_wilcoxon_agrees_with_scipy_and_with_ties_counts_every_sign_pattern():
    import itertools
    import random

    from scipy.stats import wilcoxon

    from qual_coder.quant.stats import exact_p, wilcoxon_spss

    rng = random.Random(7)
    for n in (4, 7, 11, 16):
        before = [rng.random() for _ in range(n)]
        after = [b + rng.gauss(0.2, 0.4) for b in before]
        ours = wilcoxon_spss(before, after)
        theirs = wilcoxon([a - b for a, b in zip(after, before)], method="exact")
        assert ours.p_exact == pytest.approx(float(theirs.pvalue))
    # with tied ranks, by brute force over all 2^n sign patterns
    ranks = [1.5, 1.5, 3.0, 4.5, 4.5, 6.0]
    w_plus = 3.0
    sums = [sum(r for r, s in zip(ranks, signs) if s)
            for signs in itertools.product([0, 1], repeat=len(ranks))]
    low = sum(x <= w_plus for x in sums) / len(sums)
    high = sum(x >= w_plus for x in sums) / len(sums)
    assert exact_p(ranks, w_plus) == pytest.approx(min(1, 2 * min(low, high)))


def test_constant_differences_leave_t_undefined_with_a_reason_and_json_strict():
    import json
    import warnings

    from qual_coder.core.text import strict_json
    from qual_coder.quant.stats import paired_t

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning reaches stderr
        t = paired_t([1, 2, 3, 4], [2, 3, 4, 5])
    assert t.t != t.t and "same amount" in t.undefined and t.mean_difference == 1
    text = strict_json({"t": float("inf"), "p": float("nan"), "z": -1.5, "x": [float("-inf")]})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(c)) == {
        "t": None, "p": None, "z": -1.5, "x": [None]}


def test_a_p_too_small_for_a_float_keeps_its_size_as_a_logarithm():
    from qual_coder.quant.stats import paired_t, wilcoxon_spss

    rng = random.Random(1)
    before = [rng.random() for _ in range(4000)]
    after = [b + 1 + rng.gauss(0, 0.1) for b in before]
    t = paired_t(before, after)
    assert t.p == 0.0 and t.log10_p < -300  # underflowed, but the log says how small
    assert t.log10_p == pytest.approx(math.log10(2) + stats.t.logsf(t.t, t.df) / math.log(10))
    w = wilcoxon_spss(before, after)
    assert w.p == 0.0 and w.log10_p == pytest.approx(
        (math.log(2) + stats.norm.logcdf(w.z)) / math.log(10))
    small = wilcoxon_spss(before[:30], after[:30])  # where p is a float, the log agrees
    assert small.log10_p == pytest.approx(math.log10(small.p))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-5, 5).map(float), min_size=1, max_size=40))
def test_average_ranks_are_scipys(values):
    from qual_coder.quant.stats import average_ranks

    assert average_ranks(values) == list(stats.rankdata(values))


@pytest.mark.parametrize("df", [1, 2, 5, 29, 300])
def test_student_t_and_normal_tails_are_scipy_stats(df):
    from qual_coder.quant.stats import student_t_quantile, student_t_sf, two_sided_normal_p

    for t in (0.0, 0.5, 1.96, 4.0, 12.0):
        assert student_t_sf(t, df) == pytest.approx(stats.t.sf(t, df), rel=1e-12)
        assert two_sided_normal_p(-t) == pytest.approx(2 * stats.norm.cdf(-t), rel=1e-12)
    for q in (0.5, 0.9, 0.975, 0.995):
        assert student_t_quantile(q, df) == pytest.approx(stats.t.ppf(q, df), rel=1e-10)


@pytest.mark.parametrize("seed", range(6))
def test_paired_t_is_scipys_ttest_rel(seed):
    rng = random.Random(seed)
    before = [rng.randint(1, 5) for _ in range(25)]
    after = [min(5, b + rng.choice([-1, 0, 1, 1, 2])) for b in before]
    ours = paired_t(before, after)
    ref = stats.ttest_rel(after, before)
    assert ours.t == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-10)
