"""Issue 13 cell functions: the optional interval of a rate and RATE_CHANGE, as xlwings calls them."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

from retention_xl.excel import udfs


def col(*values):
    return [[v] for v in values]


def test_crr_interval_is_the_wilson_interval_of_the_kept_customers():
    out = udfs.CRR(210.0, 30.0, 200.0, True)  # kept 180 of 200
    low, high = proportion_confint(180, 200, method="wilson")
    assert out == [[pytest.approx(0.9), pytest.approx(low), pytest.approx(high)]]
    assert udfs.CRR(210.0, 30.0, 200.0, False) == pytest.approx(0.9)
    assert udfs.CRR(210.0, 30.0, 200.0, None) == pytest.approx(0.9)  # a blank cell: no interval


def test_nps_interval_by_the_variance_formula():
    scores = col(10, 9, 9, 8, 7, 6, 3, 10, None, "n/a")  # 4 promoters, 2 detractors of 8 answers
    value, low, high = udfs.NPS(scores, True)[0]
    half = 1.959963984540054 * 100 * ((0.5 + 0.25 - 0.25 ** 2) / 8) ** 0.5
    assert value == pytest.approx(25.0)
    assert (low, high) == (pytest.approx(25 - half), pytest.approx(min(100.0, 25 + half)))


@pytest.mark.parametrize("fn,args,k,n", [
    ("RETURN_RATE", (5.0, 100.0), 5, 100),
    ("CONVERSION", (700.0, 1000.0), 700, 1000),
    ("REPEAT_RATE", (col("a", "a", "b", "c", "c", "c", "d"),), 2, 4),
    ("CSAT", (col(5, 4, 1, 3, 5), 5, 4), 3, 5),
])
def test_rate_intervals_match_statsmodels(fn, args, k, n):
    value, low, high = getattr(udfs, fn)(*args, True)[0]
    lo, hi = proportion_confint(k, n, method="wilson")
    assert (value, low, high) == (pytest.approx(k / n), pytest.approx(lo), pytest.approx(hi))


def test_interval_argument_errors_are_messages():
    assert udfs.CRR(210.0, 30.0, 200.0, "maybe") == "CRR: interval must be TRUE or FALSE (it is 'maybe')"
    assert udfs.CONVERSION(700.0, 1000.0, "#N/A") == "#N/A"
    assert udfs.CONVERSION(700.0, 1000.0, 1.0) == [[pytest.approx(0.7), pytest.approx(0.67088, abs=1e-5),
                                                      pytest.approx(0.72759, abs=1e-5)]]
    # the metric's own check comes first, interval or not
    assert udfs.RETURN_RATE(120.0, 100.0, True) == udfs.RETURN_RATE(120.0, 100.0)


def test_rate_change_matches_statsmodels():
    diff, low, high, significant = udfs.RATE_CHANGE(45.0, 100.0, 30.0, 100.0)[0]
    z, p = proportions_ztest([45, 30], [100, 100])
    lo, hi = confint_proportions_2indep(45, 100, 30, 100, method="newcomb", compare="diff")
    assert diff == pytest.approx(0.15) and (low, high) == (pytest.approx(lo), pytest.approx(hi))
    assert significant is bool(p < 0.05) is True
    assert udfs.RATE_CHANGE(171.0, 300.0, 160.0, 300.0)[0][3] is False  # 57 % vs 53 % of 300: noise


def test_rate_change_bad_input():
    assert udfs.RATE_CHANGE(5.0, 0.0, 1.0, 2.0) == "RATE_CHANGE: n1 is 0, so there is no rate to compare"
    assert udfs.RATE_CHANGE(5.0, 4.0, 1.0, 2.0) == "RATE_CHANGE: successes1 (5) exceed n1 (4)"
    assert udfs.RATE_CHANGE(1.5, 4.0, 1.0, 2.0).startswith("RATE_CHANGE: successes1 must be a whole number")
    assert udfs.RATE_CHANGE("#DIV/0!", 4.0, 1.0, 2.0) == "#DIV/0!"
    assert udfs.RATE_CHANGE(None, 4.0, 1.0, 2.0) == "RATE_CHANGE: successes1 is blank"
