"""How sure a figure is: 95 % intervals and tests of a change (issue 13, SPEC Clarifications
"Significance"). Pure functions of counts and summary statistics; no pandas, no report.

Intervals of one figure
-----------------------
* ``wilson(successes, n)``: the Wilson score interval of a share (CRR, churn, repeat
  purchase rate, return rate, CSAT, conversion). Asymmetric near 0 and 1, never outside
  [0, 1], defined for 0 and n successes.
* ``nps_interval(promoters, detractors, n)``: NPS = 100 (p − d) with the standard
  variance Var(p − d) = (p + d − (p − d)²) / n; the normal interval, clipped to
  [−100, 100].
* ``mean_interval(mean, sd, n)``: the t interval of a mean, mean ± t(0.975, n − 1) · sd / √n
  (AOV from the spread of order values, revenue per customer from that of customer
  revenues). Chosen over a bootstrap: it is reproducible, needs only (mean, sd, n) and
  is what Welch's test below is built on; with hundreds of orders it is the bootstrap's
  answer too. Undefined (low = high = None) for fewer than two values.

Tests of a change (current − previous)
--------------------------------------
* ``two_proportion_test``: pooled two-proportion z-test, two-sided; the difference's
  interval is Newcombe's hybrid score interval (built from the two Wilson intervals).
* ``nps_difference``: NPS₁ − NPS₂ with the variances above added; z-test and the normal
  interval of the difference.
* ``welch_test``: Welch's t-test from the two means, standard deviations and sizes (what
  scipy.stats.ttest_ind_from_stats(equal_var=False) computes; a test checks it against that
  and statsmodels), and the Welch interval of the difference with the Welch–Satterthwaite
  degrees of freedom.

A change is *significant* when the test's two-sided p-value is below 1 − level
(0.05 at the default 95 %). The distributions are scipy.special's (ndtri, ndtr, stdtrit,
stdtr: what scipy.stats.norm and scipy.stats.t call), not scipy.stats itself, whose import
alone costs every report and every Excel session a third of a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

LEVEL = 0.95

WILSON = "wilson"
NPS_NORMAL = "nps_normal"
MEAN_T = "mean_t"
TWO_PROPORTION_Z = "two_proportion_z"
NPS_DIFFERENCE_Z = "nps_difference_z"
WELCH_T = "welch_t"


@dataclass(frozen=True)
class Proportion:
    """successes of n (e.g. retained customers of the starting customers)."""

    successes: int
    n: int

    @property
    def share(self) -> float | None:
        return self.successes / self.n if self.n else None


@dataclass(frozen=True)
class NpsCounts:
    """Promoters (9–10) and detractors (0–6) among n answers."""

    promoters: int
    detractors: int
    n: int


@dataclass(frozen=True)
class MeanStats:
    """mean, sample standard deviation (ddof = 1; None below 2 values) and size of a sample."""

    mean: float
    sd: float | None
    n: int


Basis = Proportion | NpsCounts | MeanStats


@dataclass(frozen=True)
class Interval:
    """A figure and its interval at ``level``; low/high None when the data cannot give one."""

    value: float
    low: float | None
    high: float | None
    method: str  # WILSON | NPS_NORMAL | MEAN_T
    level: float = LEVEL
    basis: Basis | None = None  # the counts or sample statistics it rests on

    def complement(self) -> "Interval":
        """1 − the figure (churn from CRR): the interval flips with it."""
        return Interval(1.0 - self.value, None if self.high is None else 1.0 - self.high,
                        None if self.low is None else 1.0 - self.low, self.method, self.level, self.basis)


@dataclass(frozen=True)
class Difference:
    """current − previous, its interval, the test statistic, p-value and the verdict."""

    difference: float
    low: float | None
    high: float | None
    statistic: float | None  # z or t
    p_value: float | None
    significant: bool
    method: str  # TWO_PROPORTION_Z | NPS_DIFFERENCE_Z | WELCH_T
    level: float = LEVEL
    df: float | None = None  # Welch–Satterthwaite degrees of freedom (t-test only)


def _z(level: float) -> float:
    return float(special.ndtri(0.5 + level / 2.0))


def _check_counts(successes: float, n: float, what: str = "successes") -> None:
    if n < 0 or successes < 0:
        raise ValueError(f"counts must not be negative ({what} {successes}, n {n})")
    if successes > n:
        raise ValueError(f"{what} ({successes}) cannot exceed n ({n})")


def _wilson_bounds(successes: float, n: float, z: float) -> tuple[float, float]:
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # exact at the edges (float noise would otherwise leave 1e-17 off 0 or 1)
    if successes == 0:
        low = 0.0
    if successes == n:
        high = 1.0
    return low, high


def wilson(successes: int, n: int, level: float = LEVEL) -> Interval:
    """Wilson score interval of successes / n. Raises ValueError for n == 0 or bad counts."""
    _check_counts(successes, n)
    if n == 0:
        raise ValueError("a share of 0 cases has no interval")
    low, high = _wilson_bounds(successes, n, _z(level))
    return Interval(successes / n, low, high, WILSON, level, Proportion(int(successes), int(n)))


def _nps_var(promoters: int, detractors: int, n: int) -> float:
    """Var(p − d) of one answer, in shares: p + d − (p − d)²."""
    p, d = promoters / n, detractors / n
    return max(0.0, p + d - (p - d) ** 2)


def nps_interval(promoters: int, detractors: int, n: int, level: float = LEVEL) -> Interval:
    """NPS (−100…100) with its normal interval from Var = (p + d − (p − d)²) / n."""
    if min(promoters, detractors, n) < 0 or promoters + detractors > n:
        raise ValueError(f"promoters ({promoters}) + detractors ({detractors}) must be within 0…n ({n})")
    if n == 0:
        raise ValueError("an NPS of 0 answers has no interval")
    value = 100.0 * (promoters - detractors) / n
    half = 100.0 * _z(level) * math.sqrt(_nps_var(promoters, detractors, n) / n)
    return Interval(value, max(-100.0, value - half), min(100.0, value + half), NPS_NORMAL, level,
                    NpsCounts(int(promoters), int(detractors), int(n)))


def mean_interval(mean: float, sd: float | None, n: int, level: float = LEVEL) -> Interval:
    """t interval of a mean: mean ± t(level, n − 1) · sd / √n; no bounds below 2 values."""
    basis = MeanStats(float(mean), None if sd is None or n < 2 else float(sd), int(n))
    if n < 2 or sd is None or not math.isfinite(sd):
        return Interval(float(mean), None, None, MEAN_T, level, basis)
    half = float(special.stdtrit(n - 1, 0.5 + level / 2.0)) * sd / math.sqrt(n)
    return Interval(float(mean), mean - half, mean + half, MEAN_T, level, basis)


def sample_stats(values: object) -> MeanStats:
    """MeanStats of a 1-D array-like of numbers (sd with ddof = 1)."""
    a = np.asarray(values, dtype=float)
    n = int(a.size)
    if n == 0:
        return MeanStats(math.nan, None, 0)
    return MeanStats(float(a.mean()), float(a.std(ddof=1)) if n > 1 else None, n)


def _verdict(p_value: float | None, level: float) -> bool:
    return p_value is not None and p_value < 1.0 - level


def two_proportion_test(x1: int, n1: int, x2: int, n2: int, level: float = LEVEL) -> Difference:
    """x1/n1 − x2/n2: pooled z-test (two-sided) and Newcombe's hybrid score interval."""
    _check_counts(x1, n1)
    _check_counts(x2, n2)
    if n1 == 0 or n2 == 0:
        raise ValueError("both shares need at least one case")
    p1, p2 = x1 / n1, x2 / n2
    diff = p1 - p2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se > 0:
        z = diff / se
        p_value = float(2 * special.ndtr(-abs(z)))
    else:  # both shares 0 or both 1: no difference, nothing to test
        z, p_value = 0.0, 1.0
    zc = _z(level)
    l1, u1 = _wilson_bounds(x1, n1, zc)
    l2, u2 = _wilson_bounds(x2, n2, zc)
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(diff, low, high, float(z), p_value, _verdict(p_value, level), TWO_PROPORTION_Z, level)


def nps_difference(a: NpsCounts, b: NpsCounts, level: float = LEVEL) -> Difference:
    """NPS(a) − NPS(b) in points, z-test with Var = Σ (p + d − (p − d)²) / n, and its interval."""
    if a.n == 0 or b.n == 0:
        raise ValueError("both NPS need at least one answer")
    diff = 100.0 * ((a.promoters - a.detractors) / a.n - (b.promoters - b.detractors) / b.n)
    se = 100.0 * math.sqrt(_nps_var(a.promoters, a.detractors, a.n) / a.n
                           + _nps_var(b.promoters, b.detractors, b.n) / b.n)
    if se > 0:
        z = diff / se
        p_value = float(2 * special.ndtr(-abs(z)))
    else:  # every answer alike in both periods (all promoters, say): a difference is certain
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p_value = 1.0 if diff == 0 else 0.0
    half = _z(level) * se
    return Difference(diff, diff - half, diff + half, float(z), p_value, _verdict(p_value, level),
                      NPS_DIFFERENCE_Z, level)


def welch_test(a: MeanStats, b: MeanStats, level: float = LEVEL) -> Difference | None:
    """a.mean − b.mean: Welch's t-test and interval; None when a side has fewer than 2 values."""
    if a.n < 2 or b.n < 2 or a.sd is None or b.sd is None:
        return None
    diff = a.mean - b.mean
    # to the last bit as scipy.stats.ttest_ind_from_stats: sd * sd as NumPy squares an array, and
    # the degrees of freedom through pow (NumPy's scalar power), which can differ from x * x by an ulp
    va, vb = a.sd * a.sd / a.n, b.sd * b.sd / b.n
    se = math.sqrt(va + vb)
    if se == 0:  # every value alike on both sides
        return Difference(diff, diff, diff, None, 1.0 if diff == 0 else 0.0, diff != 0, WELCH_T, level)
    t = diff / se
    df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1))
    half = float(special.stdtrit(df, 0.5 + level / 2.0)) * se
    p_value = float(2.0 * special.stdtr(df, -abs(t)))
    return Difference(diff, diff - half, diff + half, float(t), p_value,
                      _verdict(p_value, level), WELCH_T, level, float(df))
