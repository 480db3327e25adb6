"""engine/confidence.py: intervals and tests against hand-computed values and statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retention_xl.engine import confidence as cf

import statsmodels.stats.proportion as sm_prop  # test-only dependency (pyproject [test])
import statsmodels.stats.weightstats as sm_weight

Z = 1.959963984540054


# --- Wilson, by hand ---------------------------------------------------------------------


def test_wilson_8_of_10_by_hand():
    # p = 0.8, z² = 3.8415: centre (0.8 + z²/20) / (1 + z²/10) = 0.71674,
    # half z / (1 + z²/10) · √(0.016 + z²/400) = 0.22658
    iv = cf.wilson(8, 10)
    assert iv.value == 0.8
    assert iv.low == pytest.approx(0.49016, abs=5e-5)
    assert iv.high == pytest.approx(0.94332, abs=5e-5)
    assert iv.method == cf.WILSON and iv.basis == cf.Proportion(8, 10)


def test_wilson_edges_by_hand():
    # 0 of 10: the upper bound is z²/n / (1 + z²/n) = 0.38415 / 1.38415 = 0.27753
    iv = cf.wilson(0, 10)
    assert (iv.value, iv.low) == (0.0, 0.0)
    assert iv.high == pytest.approx((Z * Z / 10) / (1 + Z * Z / 10), abs=1e-12)
    full = cf.wilson(10, 10)
    assert full.high == 1.0 and full.low == pytest.approx(1 - iv.high, abs=1e-12)


def test_wilson_refuses_bad_counts():
    for args in ((0, 0), (11, 10), (-1, 10)):
        with pytest.raises(ValueError):
            cf.wilson(*args)


@pytest.mark.parametrize("k,n", [(0, 1), (1, 3), (57, 100), (171, 300), (171_000, 300_000), (999, 1000)])
def test_wilson_matches_statsmodels(k, n):
    low, high = sm_prop.proportion_confint(k, n, alpha=0.05, method="wilson")
    iv = cf.wilson(k, n)
    assert iv.low == pytest.approx(low, abs=1e-12)
    assert iv.high == pytest.approx(high, abs=1e-12)


def test_same_share_more_cases_is_a_narrower_interval():
    # the example: 57 % of 300 customers vs 57 % of 300,000
    small, large = cf.wilson(171, 300), cf.wilson(171_000, 300_000)
    assert small.high - small.low == pytest.approx(0.1113, abs=5e-4)
    assert large.high - large.low == pytest.approx(0.003543, abs=5e-6)


def test_complement_is_churn_of_crr():
    crr = cf.wilson(160, 200)
    churn = crr.complement()
    assert churn.value == pytest.approx(0.2)
    assert churn.low == pytest.approx(1 - crr.high) and churn.high == pytest.approx(1 - crr.low)


# --- NPS ----------------------------------------------------------------------------------


def test_nps_interval_by_hand():
    # 10 answers: 5 promoters, 2 detractors: NPS 30, Var = 0.5 + 0.2 − 0.3² = 0.61 per answer
    iv = cf.nps_interval(5, 2, 10)
    half = 100 * Z * math.sqrt(0.61 / 10)  # 48.4075
    assert iv.value == pytest.approx(30.0)
    assert iv.low == pytest.approx(30 - half) and iv.high == pytest.approx(30 + half)
    assert half == pytest.approx(48.4075, abs=1e-4)


def test_nps_interval_matches_the_variance_of_individual_answers():
    # each answer is +1 (promoter), 0 (passive), −1 (detractor): NPS = 100 × mean,
    # and the variance formula is exactly that of those values (ddof = 0)
    answers = np.array([1] * 37 + [0] * 40 + [-1] * 23, dtype=float)
    iv = cf.nps_interval(37, 23, 100)
    half = 100 * Z * answers.std(ddof=0) / math.sqrt(answers.size)
    assert iv.value == pytest.approx(14.0)
    assert iv.high - iv.value == pytest.approx(half)


def test_nps_interval_stays_on_the_scale():
    iv = cf.nps_interval(2, 0, 2)
    assert (iv.value, iv.high) == (100.0, 100.0) and iv.low == 100.0  # every answer a promoter: no spread
    iv = cf.nps_interval(1, 0, 2)
    assert iv.high == 100.0 and iv.low < 50


def test_nps_difference_by_hand():
    a, b = cf.NpsCounts(50, 20, 100), cf.NpsCounts(40, 30, 100)  # NPS 30 vs 10
    d = cf.nps_difference(a, b)
    se = 100 * math.sqrt((0.7 - 0.09) / 100 + (0.7 - 0.01) / 100)
    assert d.difference == pytest.approx(20.0)
    assert d.statistic == pytest.approx(20 / se)
    assert d.high - d.difference == pytest.approx(Z * se)
    assert d.p_value == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(20 / se / math.sqrt(2)))))
    assert d.significant is (d.p_value < 0.05)


# --- means ----------------------------------------------------------------------------------


def test_mean_interval_matches_statsmodels():
    values = np.array([12.0, 30.5, 44.0, 18.25, 99.0, 27.0, 31.0])
    s = cf.sample_stats(values)
    iv = cf.mean_interval(s.mean, s.sd, s.n)
    low, high = sm_weight.DescrStatsW(values).tconfint_mean(alpha=0.05)
    assert (iv.low, iv.high) == (pytest.approx(low), pytest.approx(high))


def test_mean_interval_needs_two_values():
    iv = cf.mean_interval(25.0, None, 1)
    assert iv.value == 25.0 and iv.low is None and iv.high is None


def test_welch_matches_scipy_and_statsmodels():
    rng = np.random.default_rng(3)
    a = rng.gamma(2.0, 30.0, 80)
    b = rng.gamma(2.0, 24.0, 120)
    d = cf.welch_test(cf.sample_stats(a), cf.sample_stats(b))
    from scipy import stats

    ref = stats.ttest_ind(a, b, equal_var=False)
    assert d.statistic == pytest.approx(ref.statistic) and d.p_value == pytest.approx(ref.pvalue)
    cm = sm_weight.CompareMeans(sm_weight.DescrStatsW(a), sm_weight.DescrStatsW(b))
    low, high = cm.tconfint_diff(alpha=0.05, usevar="unequal")
    assert (d.low, d.high) == (pytest.approx(low), pytest.approx(high))
    assert d.significant is bool(ref.pvalue < 0.05)
    assert cf.welch_test(cf.sample_stats([5.0]), cf.sample_stats(b)) is None


# --- two proportions -------------------------------------------------------------------------


def test_two_proportion_by_hand():
    # 45 of 100 vs 30 of 100: pooled 0.375, se √(0.375 · 0.625 · 0.02) = 0.068465, z = 2.1909
    d = cf.two_proportion_test(45, 100, 30, 100)
    assert d.difference == pytest.approx(0.15)
    assert d.statistic == pytest.approx(0.15 / math.sqrt(0.375 * 0.625 * 0.02))
    assert d.statistic == pytest.approx(2.1909, abs=1e-4)
    assert d.significant and d.p_value == pytest.approx(0.02846, abs=5e-5)


@pytest.mark.parametrize("x1,n1,x2,n2", [(45, 100, 30, 100), (171, 300, 160, 310), (5, 12, 0, 9),
                                         (900, 1000, 880, 1000)])
def test_two_proportion_matches_statsmodels(x1, n1, x2, n2):
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    d = cf.two_proportion_test(x1, n1, x2, n2)
    z, p = proportions_ztest([x1, x2], [n1, n2])
    assert d.statistic == pytest.approx(z) and d.p_value == pytest.approx(p)
    low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    assert (d.low, d.high) == (pytest.approx(low), pytest.approx(high))


def test_two_proportion_test_2indep_agrees_on_the_verdict():
    from statsmodels.stats.proportion import test_proportions_2indep

    for args in ((45, 100, 30, 100), (171, 300, 160, 310), (520, 1000, 480, 1000)):
        d = cf.two_proportion_test(*args)
        res = test_proportions_2indep(*args, method="score", compare="diff")
        assert d.significant is bool(res.pvalue < 0.05)


def test_two_equal_extremes_are_no_change():
    d = cf.two_proportion_test(10, 10, 20, 20)
    assert d.difference == 0 and d.p_value == 1.0 and not d.significant


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 5000), data=st.data())
def test_wilson_contains_the_value(n, data):
    k = data.draw(st.integers(0, n))
    iv = cf.wilson(k, n)
    assert 0.0 <= iv.low <= iv.value <= iv.high <= 1.0


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 2000), m=st.integers(2, 20), data=st.data())
def test_wilson_narrows_as_n_grows(n, m, data):
    k = data.draw(st.integers(0, n))
    small, large = cf.wilson(k, n), cf.wilson(k * m, n * m)
    assert large.high - large.low < small.high - small.low


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 3000), m=st.integers(2, 20), data=st.data())
def test_nps_interval_contains_the_value_and_narrows(n, m, data):
    p = data.draw(st.integers(0, n))
    d = data.draw(st.integers(0, n - p))
    iv = cf.nps_interval(p, d, n)
    assert -100.0 <= iv.low <= iv.value <= iv.high <= 100.0
    big = cf.nps_interval(p * m, d * m, n * m)
    assert big.value == pytest.approx(iv.value)
    assert big.high - big.low <= iv.high - iv.low
    if 0 < iv.high - iv.low and iv.low > -100 and iv.high < 100:
        assert big.high - big.low < iv.high - iv.low


@settings(max_examples=200, deadline=None)
@given(x1=st.integers(0, 400), n1=st.integers(1, 400), x2=st.integers(0, 400), n2=st.integers(1, 400))
def test_difference_interval_contains_the_difference(x1, n1, x2, n2):
    x1, x2 = min(x1, n1), min(x2, n2)
    d = cf.two_proportion_test(x1, n1, x2, n2)
    assert d.low <= d.difference + 1e-12 and d.difference <= d.high + 1e-12
    assert -1.0 - 1e-12 <= d.low and d.high <= 1.0 + 1e-12


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e4, 1e4), st.floats(1e-3, 1e4), st.integers(2, 100_000),
       st.floats(-1e4, 1e4), st.floats(1e-3, 1e4), st.integers(2, 100_000))
def test_distributions_are_scipy_stats_to_the_last_bit(m1, s1, n1, m2, s2, n2):
    """The engine takes its normal and t distributions from scipy.special (scipy.stats costs a
    third of a second to import): the same numbers as scipy.stats, bit for bit."""
    from scipy import stats

    d = cf.welch_test(cf.MeanStats(m1, s1, n1), cf.MeanStats(m2, s2, n2))
    ref = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
    assert (d.statistic, d.p_value) == (float(ref.statistic), float(ref.pvalue))
    for level in (0.9, 0.95, 0.99):
        assert cf._z(level) == float(stats.norm.ppf(0.5 + level / 2))
        iv = cf.mean_interval(m1, s1, n1, level)
        assert iv.high - m1 == pytest.approx(float(stats.t.ppf(0.5 + level / 2, n1 - 1)) * s1 / math.sqrt(n1),
                                             rel=1e-15, abs=1e-12)
    for d in (cf.two_proportion_test(3, 10, 7, 12), cf.nps_difference(cf.NpsCounts(5, 2, 10), cf.NpsCounts(3, 3, 9))):
        assert d.p_value == float(2 * stats.norm.sf(abs(d.statistic)))
