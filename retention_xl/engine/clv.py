"""Predicted CLV and churn risk: BG/NBD purchases x Gamma-Gamma spend, numpy/scipy only.

* ``rfm_summary`` turns orders into the per-customer (frequency, recency, T,
  monetary_value) summary the models use.
* ``fit_bg_nbd`` (Fader, Hardie & Lee 2005, "Counting your customers the easy way")
  fits how often customers buy and how likely they are to drop out.
* ``fit_gamma_gamma`` (Fader, Hardie & Lee 2005, "RFM and CLV") fits spend per order.
* ``forecast`` is the one call the KPI engine and ``CLV_PREDICT`` use: it fits both
  models and returns per-customer P(alive), expected purchases, predicted CLV and a
  churn-risk band, or a plain-language ``reason`` when the data cannot support a fit.

Time units: the summary and the BG/NBD parameters are in ``unit`` ("D" days,
"W" weeks = 7 days, "M" months = 30.44 days, the month length used across the
report). ``forecast`` fits in weeks; its horizon is in months of 30.44 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import digamma, expit, gammaln, hyp2f1

from retention_xl.common.calendar import DAYS_PER_MONTH
from retention_xl.errors import MetricError

__all__ = [
    "UNIT_DAYS",
    "MONTH_DAYS",
    "MIN_REPEAT_BUYERS",
    "P_ALIVE_LOW_RISK",
    "P_ALIVE_HIGH_RISK",
    "ClvFitError",
    "BgNbdParams",
    "GammaGammaParams",
    "BgNbdModel",
    "GammaGammaModel",
    "ClvForecast",
    "rfm_summary",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "customer_lifetime_value",
    "monthly_rate",
    "forecast",
]

MONTH_DAYS = DAYS_PER_MONTH  # average month (common.calendar: 365.25 / 12, rounded)
UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": MONTH_DAYS}
MIN_REPEAT_BUYERS = 20  # fewer repeat buyers than this cannot pin down 4 purchase parameters
P_ALIVE_LOW_RISK = 0.7  # P >= 0.7: more than twice as likely still a customer as gone
P_ALIVE_HIGH_RISK = 0.3  # P < 0.3: more than twice as likely gone as still a customer
_LOG_BOUND = np.log(1e6)  # parameters (on a rescaled time/money axis) live in [1e-6, 1e6]
_EDGE = np.log(1e4)  # a fitted parameter beyond 1e-4 .. 1e4 (rescaled) is degenerate


class ClvFitError(MetricError):
    """The data cannot support a model fit; str(error) says why in plain words.

    ``code`` is a stable key for translations: few_repeat_buyers, no_history,
    no_dropout, regular_buyers, overflow, no_convergence, spend_uniform, spend_unbounded.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- summary


def _unit_days(unit: str) -> float:
    key = str(unit).strip().upper()
    if key not in UNIT_DAYS:
        raise MetricError(f'Predicted CLV: time unit must be "D", "W" or "M", not "{unit}".')
    return UNIT_DAYS[key]


def _to_days(values: Any, what: str) -> np.ndarray:
    """Calendar days since 1970-01-01 as int64 (time of day dropped); NaT -> MetricError."""
    scalar = pd.api.types.is_scalar(values) or isinstance(values, (date, np.datetime64))
    arr = pd.to_datetime(pd.Index([values] if scalar else values), errors="coerce")
    bad = int(arr.isna().sum())
    if bad:
        raise MetricError(f"Predicted CLV: {bad} of {len(arr)} {what} are missing or not dates.")
    return arr.to_numpy().astype("datetime64[D]").astype(np.int64)


def rfm_summary(
    customer_ids: Any,
    dates: Any,
    amounts: Any,
    as_of: Any = None,
    unit: str = "D",
) -> pd.DataFrame:
    """Per-customer ``frequency, recency, T, monetary_value`` from order rows.

    Rows of one customer on one calendar day form one purchase occasion (amounts
    summed); days whose net amount is negative (refund-only days) are not
    purchases. frequency = occasions - 1 (repeat purchases); recency = first to last
    occasion; T = first occasion to ``as_of``; monetary_value = mean amount of the
    repeat occasions (0 without any). Only rows on or before ``as_of`` (default: the
    latest date) count. Times are in ``unit`` ("D", "W" = days/7, "M" = days/30.44).
    Index: customer id, in order of first appearance. Vectorised: one hash of the
    ids and one sort of (customer, day) keys, no per-customer Python.
    """
    return _summary(customer_ids, dates, amounts, as_of, unit)[0]


def _summary(customer_ids: Any, dates: Any, amounts: Any, as_of: Any, unit: str) -> tuple[pd.DataFrame, int]:
    """``rfm_summary`` and the as-of day it used (days since 1970-01-01)."""
    unit_days = _unit_days(unit)
    ids = pd.Series(np.asarray(customer_ids, dtype=object) if not isinstance(customer_ids, pd.Series) else customer_ids)
    n = len(ids)
    days = _to_days(dates, "dates")
    amt = pd.to_numeric(pd.Series(np.asarray(amounts, dtype=object) if not isinstance(amounts, pd.Series) else amounts), errors="coerce").to_numpy(dtype=float)
    if not (len(days) == n == len(amt)):
        raise MetricError(
            f"Predicted CLV: customer ids ({n}), dates ({len(days)}) and amounts ({len(amt)}) must have the same length."
        )
    bad = int((~np.isfinite(amt)).sum())
    if bad:
        raise MetricError(f"Predicted CLV: {bad} of {n} amounts are missing or not numbers.")
    codes, uniques = pd.factorize(ids, sort=False, use_na_sentinel=True)  # sorting: +50 % time
    if (codes < 0).any():
        raise MetricError(f"Predicted CLV: {int((codes < 0).sum())} of {n} customer ids are missing.")
    cutoff = int(days.max()) if as_of is None else int(_to_days(as_of, "as_of dates")[0])
    cols = ["frequency", "recency", "T", "monetary_value"]
    empty = pd.DataFrame({c: pd.Series(dtype=np.int64 if c == "frequency" else float) for c in cols})
    empty.index = pd.Index(uniques[:0], name="customer_id")
    keep = days <= cutoff
    if not keep.all():
        codes, days, amt = codes[keep], days[keep], amt[keep]
    if len(codes) == 0:
        return empty, cutoff

    # one int64 key per (customer, day); sorting it groups customers, days ascending
    day0 = int(days.min())
    span = cutoff - day0 + 1
    key = codes.astype(np.int64) * span + (days - day0)
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    occ_amount = np.add.reduceat(amt[order], starts)
    occ_key = key[starts]
    purchase = occ_amount >= 0  # a refund-only day is not a purchase; a free order is
    occ_key, occ_amount = occ_key[purchase], occ_amount[purchase]
    if len(occ_key) == 0:  # refunds only: nobody has bought anything
        return empty, cutoff
    occ_cust, occ_day = np.divmod(occ_key, span)

    first = np.flatnonzero(np.r_[True, occ_cust[1:] != occ_cust[:-1]])
    last = np.r_[first[1:], len(occ_cust)] - 1
    count = last - first + 1
    total = np.add.reduceat(occ_amount, first) if len(first) else np.zeros(0)
    frequency = count - 1
    repeat_total = total - occ_amount[first]
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0)
    out = pd.DataFrame(
        {
            "frequency": frequency.astype(np.int64),
            "recency": (occ_day[last] - occ_day[first]) / unit_days,
            "T": (span - 1 - occ_day[first]) / unit_days,
            "monetary_value": monetary,
        },
        index=pd.Index(np.asarray(uniques)[occ_cust[first]], name="customer_id"),
    )
    return out, cutoff


# --------------------------------------------------------------------------- BG/NBD


class BgNbdParams(NamedTuple):
    """BG/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout p ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


def _compress(*columns: np.ndarray, inverse: bool = False) -> Any:
    """Distinct rows of the given 1-D columns and how often each occurs (one lexsort).

    With ``inverse=True`` also returns, per input row, the index of its distinct row.
    """
    n = len(columns[0])
    if n == 0:
        empty = [c[:0] for c in columns]
        return (empty, np.zeros(0), np.zeros(0, dtype=np.int64)) if inverse else (empty, np.zeros(0))
    order = np.lexsort(columns[::-1])
    sorted_cols = [c[order] for c in columns]
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for c in sorted_cols:
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    weights = np.diff(np.r_[starts, n]).astype(float)
    distinct = [c[starts] for c in sorted_cols]
    if not inverse:
        return distinct, weights
    inv = np.empty(n, dtype=np.int64)
    inv[order] = np.cumsum(change) - 1
    return distinct, weights, inv


def _dot(u: np.ndarray, v: np.ndarray) -> float:
    """Inner product without BLAS: a threaded BLAS dot on a busy machine is 10x slower."""
    return float(np.einsum("i,i->", u, v))


def _as_float(values: Any, name: str) -> np.ndarray:
    if isinstance(values, (pd.Series, pd.Index)):  # np.asarray would probe the index (slow)
        values = values.to_numpy()
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise MetricError(f"Predicted CLV: {name} has missing or infinite values.")
    return arr


class _BgNbdData:
    """Fitting data compressed to what the likelihood needs.

    frequency takes few distinct values, and recency and T few distinct values
    (whole days), so special functions and logarithms are evaluated on distinct
    values only and gathered back by index. One-time buyers collapse to a weight per
    T; repeat buyers to weighted distinct (frequency, recency, T) patterns.
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> None:
        self.wsum = float(len(x))
        self.ux, x_idx = np.unique(x, return_inverse=True)
        self.wx = np.bincount(x_idx, minlength=len(self.ux)).astype(float)  # customers per frequency
        rep = x > 0
        self.uT, T_idx = np.unique(T, return_inverse=True)
        self.w0T = np.bincount(T_idx[~rep], minlength=len(self.uT)).astype(float)  # one-timers per T
        self.utx, tx_idx = np.unique(tx[rep], return_inverse=True)
        # distinct repeat-buyer patterns via one integer key (indices are small)
        key = (x_idx[rep].astype(np.int64) * len(self.utx) + tx_idx) * len(self.uT) + T_idx[rep]
        ukey, counts = np.unique(key, return_counts=True)
        rest, self.T1_idx = np.divmod(ukey, len(self.uT))
        self.x1_idx, self.tx1_idx = np.divmod(rest, len(self.utx))
        self.x1 = self.ux[self.x1_idx]
        self.w1 = counts.astype(float)

    def nll(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean negative log-likelihood (FHL 2005, eq. 6) and its gradient in log-parameters.

        ll = A(x) + log(exp(A3) + [x>0] exp(A4)) with A3 = -(r+x) log(alpha+T) and
        A4 = log(a/(b+x-1)) - (r+x) log(alpha+t_x); the sum is taken as a logaddexp.
        """
        r, alpha, a, b = np.exp(theta)
        ux, wx = self.ux, self.wx
        # terms that depend on the frequency only
        a_x = gammaln(r + ux) + gammaln(b + ux) - gammaln(a + b + ux)
        ll = _dot(wx, a_x) + self.wsum * (r * np.log(alpha) - gammaln(r) + gammaln(a + b) - gammaln(b))
        g_r = _dot(wx, digamma(r + ux)) + self.wsum * (np.log(alpha) - digamma(r))
        g_alpha = self.wsum * r / alpha
        g_a = self.wsum * digamma(a + b) - _dot(wx, digamma(a + b + ux))
        g_b = self.wsum * (digamma(a + b) - digamma(b)) + _dot(wx, digamma(b + ux) - digamma(a + b + ux))
        log_aT = np.log(alpha + self.uT)
        inv_aT = 1.0 / (alpha + self.uT)
        # one-time buyers: the likelihood is exp(A3) only
        lT0 = _dot(self.w0T, log_aT)
        ll -= r * lT0
        g_r -= lT0
        g_alpha -= r * _dot(self.w0T, inv_aT)
        # repeat buyers: logaddexp of "still alive" (A3) and "dropped after last purchase" (A4)
        rx = r + self.x1
        lT1 = log_aT[self.T1_idx]
        ltx = np.log(alpha + self.utx)[self.tx1_idx]
        bx1 = b + np.maximum(ux, 1.0) - 1.0  # b + x - 1 (x = 0 rows are never gathered)
        log_ratio = (np.log(a) - np.log(bx1))[self.x1_idx]
        a3 = -rx * lT1
        d = log_ratio - rx * (ltx - lT1)  # A4 - A3
        e = np.exp(-np.abs(d))  # stable softplus and logistic from one exponential
        w4 = np.where(d >= 0, 1.0, e) / (1.0 + e)  # share of "dropped after the last purchase"
        ll += _dot(self.w1, a3 + np.maximum(d, 0.0) + np.log1p(e))
        w1w3, w1w4 = self.w1 * (1.0 - w4), self.w1 * w4
        g_r -= _dot(w1w3, lT1) + _dot(w1w4, ltx)
        g_alpha -= _dot(w1w3 * rx, inv_aT[self.T1_idx]) + _dot(w1w4 * rx, (1.0 / (alpha + self.utx))[self.tx1_idx])
        g_a += w1w4.sum() / a
        g_b -= _dot(w1w4, (1.0 / bx1)[self.x1_idx])
        grad = np.array([r * g_r, alpha * g_alpha, a * g_a, b * g_b])
        return -ll / self.wsum, -grad / self.wsum


@dataclass(frozen=True)
class BgNbdModel:
    """A fitted BG/NBD model; times are in ``unit`` (same as the summary it was fitted on)."""

    params: BgNbdParams
    unit: str
    log_likelihood: float  # total over customers
    n_customers: int
    n_repeat_buyers: int

    def p_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(still a customer at T | x repeat purchases, last at recency). 1 when x = 0."""
        r, alpha, a, b = self.params
        x, tx, T_ = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (frequency, recency, T)))
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds_dead = np.log(a) - np.log(b + x - 1.0) + (r + x) * (np.log(alpha + T_) - np.log(alpha + tx))
        return np.where(x > 0, expit(-log_odds_dead), 1.0)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Expected purchases in the next ``t`` units given the history (FHL 2005, eq. 10).

        Uses the Euler transform (1-z)^(r+x) 2F1(r+x, b+x; c; z)
        = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z), c = a+b+x-1, z = t/(alpha+T+t), so no
        huge 2F1 value is multiplied by a tiny power when x or t is large.
        """
        r, alpha, a, b = self.params
        x, tx, T_ = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (frequency, recency, T)))
        alive = self.p_alive(x, tx, T_)
        # E[Y(t) | alive] depends on (t, x, T) only: evaluate each distinct value once
        t_ = np.asarray(t, dtype=float)
        tb, xb, Tb = np.broadcast_arrays(t_, x, T_)
        ut, t_inv = np.unique(t_, return_inverse=True)
        (ux, uT), _, xT_inv = _compress(x.ravel(), T_.ravel(), inverse=True)
        if ut.size * ux.size <= tb.size:  # few horizons (CLV months): distinct t x distinct (x, T)
            gt, gx, gT = (g.ravel() for g in np.broadcast_arrays(ut[:, None], ux[None, :], uT[None, :]))
            grid = self._if_alive(gt, gx, gT).reshape(ut.size, ux.size)
            ti, ci = np.broadcast_arrays(t_inv.reshape(t_.shape), xT_inv.reshape(x.shape))
            return grid[ti, ci] * alive
        (ut, ux, uT), _, inverse = _compress(tb.ravel(), xb.ravel(), Tb.ravel(), inverse=True)
        return self._if_alive(ut, ux, uT)[inverse].reshape(tb.shape) * alive

    def _if_alive(self, t: np.ndarray, x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """E[Y(t) | alive, x, T] on 1-D arrays."""
        r, alpha, a, b = self.params
        if abs(a - 1.0) < 1e-6:  # removable singularity at a = 1: average both sides
            lo = _expected_if_alive(r, alpha, 1.0 - 1e-6, b, t, x, T)
            hi = _expected_if_alive(r, alpha, 1.0 + 1e-6, b, t, x, T)
            return 0.5 * (lo + hi)
        return _expected_if_alive(r, alpha, a, b, t, x, T)

    def p_buy(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(at least one purchase in the next ``t`` units): alive now and the Poisson clock ticks.

        Given alive, the purchase rate's posterior is Gamma(r + x, alpha + T), so
        P(no purchase in t) = ((alpha + T) / (alpha + T + t))^(r + x).
        """
        r, alpha, _, _ = self.params
        t_, x, tx, T_ = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (t, frequency, recency, T)))
        silent = np.exp((r + x) * (np.log(alpha + T_) - np.log(alpha + T_ + t_)))
        return self.p_alive(x, tx, T_) * (1.0 - silent)


def _expected_if_alive(r: float, alpha: float, a: float, b: float, t, x, T) -> np.ndarray:
    """(a+b+x-1)/(a-1) * (1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)): E[Y(t)] if alive.

    c = a+b+x-1 = 0 (x = 0 and a + b = 1) is a removable pole of c * 2F1(.; c; z):
    those entries average the values at b -/+ 1e-7.
    """
    out = _expected_core(r, alpha, a, b, t, x, T)
    pole = np.abs(a + b + x - 1.0) < 1e-9
    if pole.any():
        tp, xp, Tp = t[pole], x[pole], T[pole]
        out[pole] = 0.5 * (
            _expected_core(r, alpha, a, b - 1e-7, tp, xp, Tp) + _expected_core(r, alpha, a, b + 1e-7, tp, xp, Tp)
        )
    return out


def _expected_core(r: float, alpha: float, a: float, b: float, t, x, T) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # the c = 0 pole, repaired by the caller
        return _expected_formula(r, alpha, a, b, t, x, T)


def _expected_formula(r: float, alpha: float, a: float, b: float, t, x, T) -> np.ndarray:
    c = a + b + x - 1.0
    z = t / (alpha + T + t)
    log1mz = -np.log1p(t / (alpha + T))  # log(1 - z) without cancellation
    f = _hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)
    g = np.exp((a - 1.0) * log1mz) * f
    out = c / (a - 1.0) * (1.0 - g)
    return np.where(t > 0, np.maximum(out, 0.0), 0.0)


def _hyp2f1(A: float, B: float, C: np.ndarray, z: np.ndarray) -> np.ndarray:
    """scipy's 2F1, with the plain power series where scipy returns inf/NaN.

    scipy fails in a few exact corners (e.g. A = B = -0.5, C = 99, z = 10/11: C - A - B
    an integer and z near 1). Here |z| < 1, so the series converges; it is only
    summed for the failing entries.
    """
    f = np.array(hyp2f1(A, B, C, z), dtype=float)  # a writable copy
    bad = ~np.isfinite(f)
    if bad.any():
        Cb, zb = np.broadcast_to(C, f.shape)[bad], np.broadcast_to(z, f.shape)[bad]
        term, total = np.ones_like(zb), np.ones_like(zb)
        for n in range(200_000):
            term = term * ((A + n) * (B + n) / ((Cb + n) * (n + 1.0)) * zb)
            total += term
            if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
                break
        f[bad] = total
    return f


def fit_bg_nbd(
    frequency: Any,
    recency: Any,
    T: Any,
    unit: str = "W",
    initial: BgNbdParams | None = None,
) -> BgNbdModel:
    """Maximum-likelihood BG/NBD fit (L-BFGS-B on log-parameters, analytic gradient).

    Identical (frequency, recency, T) rows are fitted once with a weight. Times are
    rescaled by their mean T for a well-conditioned search and alpha scaled back.
    Raises ``ClvFitError`` with a plain reason when the data cannot support a fit.
    """
    x = _as_float(frequency, "frequency")
    tx = _as_float(recency, "recency")
    T_ = _as_float(T, "T")
    _unit_days(unit)
    if not (x.shape == tx.shape == T_.shape) or x.ndim != 1:
        raise MetricError("Predicted CLV: frequency, recency and T must be 1-D and of the same length.")
    if (x < 0).any() or (tx < 0).any() or (tx > T_ + 1e-9).any() or ((x == 0) & (tx != 0)).any():
        raise MetricError("Predicted CLV: need frequency >= 0 and 0 <= recency <= T (recency 0 when frequency is 0).")
    repeaters = int((x > 0).sum())
    if repeaters < MIN_REPEAT_BUYERS:
        raise ClvFitError(
            f"Only {repeaters} customer{'s' if repeaters != 1 else ''} bought more than once; "
            f"at least {MIN_REPEAT_BUYERS} are needed to fit the purchase model.",
            "few_repeat_buyers",
        )
    scale = float(T_.mean())
    if not scale > 0:
        raise ClvFitError("All customers bought for the first time on the last day; there is no history to learn from.", "no_history")
    if initial is None:
        r0 = 1.0  # rate ~ purchases / time, so alpha ~ r * mean T / mean x (rescaled: mean T = 1)
        theta0 = np.log([r0, r0 / max(float(x.mean()), 0.1), 1.0, 2.0])
    else:
        theta0 = np.log([initial.r, initial.alpha / scale, initial.a, initial.b])
    data = _BgNbdData(x, tx / scale, T_ / scale)
    wsum = data.wsum
    res = minimize(
        data.nll,
        np.clip(theta0, -_LOG_BOUND + 1, _LOG_BOUND - 1),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4,
        options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9},
    )
    if np.all(np.isfinite(res.x)) and (np.abs(res.x[2:]) > _EDGE).any():
        raise ClvFitError(
            "Customers show almost no sign of dropping out in this history, so the chance that a "
            "customer has left cannot be estimated yet; a longer history usually helps.",
            "no_dropout",
        )
    if np.all(np.isfinite(res.x)) and (np.abs(res.x[:2]) > _EDGE).any():
        raise ClvFitError(
            "Customers buy at almost the same pace as each other, which this model (made for shops "
            "where customers buy whenever they like) cannot describe; subscriptions need a different model.",
            "regular_buyers",
        )
    _check_fit(res, "purchase")
    r, alpha_s, a, b = np.exp(res.x)
    params = BgNbdParams(float(r), float(alpha_s * scale), float(a), float(b))
    log_lik = -float(res.fun) * wsum - float(x.sum()) * np.log(scale)  # undo the time rescaling
    return BgNbdModel(params, str(unit).strip().upper(), log_lik, len(x), repeaters)


def _check_fit(res: Any, which: str) -> None:
    if not np.all(np.isfinite(res.x)) or not np.isfinite(res.fun):
        raise ClvFitError(f"The {which} model could not be computed on this data (numbers overflowed).", "overflow")
    if not res.success:
        raise ClvFitError(
            f"The {which} model did not settle on an answer ({res.message}); the data may be too short or too irregular.",
            "no_convergence",
        )


# --------------------------------------------------------------------------- Gamma-Gamma


class GammaGammaParams(NamedTuple):
    """Gamma-Gamma parameters: spend per order ~ Gamma(p, nu), nu ~ Gamma(q, gamma)."""

    p: float
    q: float
    gamma: float


class _GammaGammaData:
    """Repeat buyers' (x, mean spend) with the x-only terms evaluated per distinct x."""

    def __init__(self, x: np.ndarray, m: np.ndarray) -> None:
        self.n = float(len(x))
        self.ux, self.x_idx = np.unique(x, return_inverse=True)
        self.wx = np.bincount(self.x_idx, minlength=len(self.ux)).astype(float)
        self.x, self.m = x, m
        self.sum_log_m = float(np.log(m).sum())
        self.x_log_xm = _dot(x, np.log(x) + np.log(m))

    def nll(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean negative log-likelihood of the mean spend m over x orders, gradient in log-params.

        ll = lnG(px+q) - lnG(px) - lnG(q) + q ln(gamma) + (px-1) ln m + px ln x - (px+q) ln(gamma + x m)
        """
        p, q, g = np.exp(theta)
        ux, wx = self.ux, self.wx
        pux = p * ux
        log_gxm = np.log(g + self.x * self.m)
        sum_log = _dot(wx, gammaln(pux + q) - gammaln(pux))
        ll = sum_log + self.n * (q * np.log(g) - gammaln(q)) + p * self.x_log_xm - self.sum_log_m
        xw = np.bincount(self.x_idx, weights=log_gxm, minlength=len(ux))  # sum of ln(gamma + x m) per x
        ll -= _dot(pux + q, xw)
        dg_sum = digamma(pux + q)
        d_p = _dot(wx * ux, dg_sum - digamma(pux)) + self.x_log_xm - _dot(ux, xw)
        d_q = _dot(wx, dg_sum) + self.n * (np.log(g) - digamma(q)) - float(xw.sum())
        inv = np.bincount(self.x_idx, weights=1.0 / (g + self.x * self.m), minlength=len(ux))
        d_g = self.n * q / g - _dot(pux + q, inv)
        grad = np.array([p * d_p, q * d_q, g * d_g])
        return -ll / self.n, -grad / self.n


@dataclass(frozen=True)
class GammaGammaModel:
    """A fitted Gamma-Gamma spend model (money in the data's currency)."""

    params: GammaGammaParams
    log_likelihood: float
    n_customers: int

    @property
    def mean_spend(self) -> float:
        """Population mean spend per order, p * gamma / (q - 1) (finite because q > 1)."""
        p, q, g = self.params
        return p * g / (q - 1.0)

    def expected_spend(self, frequency: Any, monetary_value: Any) -> np.ndarray:
        """E[spend per order | x repeat orders averaging m]: a weighted mix of the
        population mean and the customer's own mean; x = 0 gives the population mean."""
        p, q, g = self.params
        x, m = np.broadcast_arrays(np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float))
        has = (x > 0) & (m > 0)
        xs = np.where(has, x, 0.0)
        return (g + xs * np.where(has, m, 0.0)) * p / (p * xs + q - 1.0)


def fit_gamma_gamma(frequency: Any, monetary_value: Any) -> GammaGammaModel:
    """Maximum-likelihood Gamma-Gamma fit on customers with frequency > 0 and spend > 0.

    Spend is rescaled by its mean for the search (gamma scaled back). Raises
    ``ClvFitError`` when too few repeat buyers or the fit is degenerate (q <= 1 means
    the average spend would be infinite).
    """
    x_all = _as_float(frequency, "frequency")
    m_all = _as_float(monetary_value, "monetary_value")
    use = (x_all > 0) & (m_all > 0)
    x, m = x_all[use], m_all[use]
    if len(x) < MIN_REPEAT_BUYERS:
        raise ClvFitError(
            f"Only {len(x)} customer{'s' if len(x) != 1 else ''} bought more than once; "
            f"at least {MIN_REPEAT_BUYERS} are needed to fit the spend model.",
            "few_repeat_buyers",
        )
    scale = float(m.mean())
    data = _GammaGammaData(x, m / scale)
    wsum = data.n
    res = minimize(
        data.nll,
        np.log([1.0, 2.0, 1.0]),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 3,
        options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9},
    )
    p, q, g_s = np.exp(res.x)
    if np.all(np.isfinite(res.x)) and (np.abs(res.x) > _EDGE).any():
        raise ClvFitError("Spend per order is too uniform to fit the spend model.", "spend_uniform")
    _check_fit(res, "spend")
    if q <= 1.0 + 1e-6:
        raise ClvFitError("Spend per order varies too wildly to fit the spend model (its average would be unbounded).", "spend_unbounded")
    log_lik = -float(res.fun) * wsum - len(x) * np.log(scale)  # undo the money rescaling
    return GammaGammaModel(GammaGammaParams(float(p), float(q), float(g_s * scale)), log_lik, len(x))


# --------------------------------------------------------------------------- CLV


def monthly_rate(annual_discount: float) -> float:
    """The monthly rate that compounds to ``annual_discount`` over 12 months."""
    return float((1.0 + annual_discount) ** (1.0 / 12.0) - 1.0)


def customer_lifetime_value(
    purchases: BgNbdModel,
    spend: np.ndarray | float,
    frequency: Any,
    recency: Any,
    T: Any,
    months: int = 12,
    annual_discount: float = 0.10,
) -> tuple[np.ndarray, np.ndarray]:
    """Discounted revenue per customer over the next ``months`` months, and the expected purchases.

    Month k (k = 1..months) contributes spend x (E[Y(k m)] - E[Y((k-1) m)]) / (1 + d)^k,
    with m = 30.44 days in the model's unit and d the monthly rate equivalent to
    ``annual_discount`` (like lifetimes' customer_lifetime_value with monthly steps,
    but with an annual rate). Returns (clv, expected purchases over the horizon).
    """
    month = MONTH_DAYS / UNIT_DAYS[purchases.unit]
    x = np.asarray(frequency, dtype=float)
    tx = np.asarray(recency, dtype=float)
    T_ = np.asarray(T, dtype=float)
    steps = np.arange(months + 1, dtype=float)[:, None] * month  # 0, 1, ..., months (in unit)
    cumulative = purchases.expected_purchases(steps, x, tx, T_)  # (months + 1, customers)
    per_month = np.diff(cumulative, axis=0)
    discount = (1.0 + monthly_rate(annual_discount)) ** -np.arange(1, months + 1, dtype=float)
    clv = np.asarray(spend, dtype=float) * np.einsum("k,kn->n", discount, per_month)
    return clv, cumulative[-1]


def _churn_band(p: np.ndarray) -> np.ndarray:
    return np.where(p >= P_ALIVE_LOW_RISK, "low", np.where(p >= P_ALIVE_HIGH_RISK, "medium", "high")).astype(object)


@dataclass(frozen=True)
class ClvForecast:
    """Predicted CLV and churn risk for every customer, or the reason there is none.

    ``reason`` is None when the purchase model was fitted; then ``customers`` has
    one row per customer (index customer id, order of first appearance):
    frequency, recency, T (weeks), monetary_value, p_alive, p_buy (chance of at
    least one purchase within the horizon), expected_purchases (within the horizon),
    expected_spend (per order), predicted_clv (discounted), churn_risk
    ("low" / "medium" / "high"). Otherwise every number is None.
    """

    reason: str | None
    as_of: pd.Timestamp | None
    months: int
    annual_discount: float
    unit: str = "W"  # time unit of recency, T and the purchase parameters
    n_customers: int = 0
    n_repeat_buyers: int = 0
    purchase_params: BgNbdParams | None = None  # r, alpha (weeks), a, b
    spend_params: GammaGammaParams | None = None  # p, q, gamma (currency); None if the spend model fell back
    customers: pd.DataFrame | None = None
    expected_revenue: float | None = None  # undiscounted revenue expected from existing customers in the horizon
    total_clv: float | None = None  # discounted: the sum of predicted_clv
    notes: tuple[str, ...] = field(default_factory=tuple)  # caveats to show next to the numbers
    reason_code: str | None = None  # stable key of reason: no_purchases, not_finite or a ClvFitError.code
    note_codes: tuple[str, ...] = field(default_factory=tuple)  # per note: spend_correlated, spend_fallback

    @property
    def ok(self) -> bool:
        return self.reason is None


def forecast(
    customer_ids: Any,
    dates: Any,
    amounts: Any,
    as_of: Any = None,
    months: int = 12,
    annual_discount: float = 0.10,
) -> ClvForecast:
    """Fit BG/NBD + Gamma-Gamma on the orders and predict every customer's next ``months``.

    Orders after ``as_of`` (default: the latest order date) are ignored. Time runs in
    weeks; a month is 30.44 days. Spend per order comes from the Gamma-Gamma model;
    when spend cannot be modelled the customer's own average order value is used and
    ``notes`` says so. Churn risk bands P(alive): low >= 0.7, medium 0.3-0.7, high
    < 0.3; for customers who bought only once (BG/NBD always calls them alive) the
    band uses p_buy instead. Bad arguments raise ``MetricError``; data that cannot
    support a fit gives ``reason`` and no numbers.
    """
    months_i = _check_months(months)
    discount = _check_discount(annual_discount)
    summary, cutoff_day = _summary(customer_ids, dates, amounts, as_of, "W")
    cutoff = pd.Timestamp(np.datetime64(cutoff_day, "D"))
    base = dict(as_of=cutoff, months=months_i, annual_discount=discount, n_customers=len(summary),
                n_repeat_buyers=int((summary["frequency"] > 0).sum()))
    if len(summary) == 0:
        return ClvForecast(
            reason=f"There are no purchases on or before {cutoff:%Y-%m-%d}.", reason_code="no_purchases", **base
        )
    x = summary["frequency"].to_numpy(dtype=float)
    tx = summary["recency"].to_numpy()
    T_ = summary["T"].to_numpy()
    m = summary["monetary_value"].to_numpy()
    try:
        model = fit_bg_nbd(x, tx, T_, unit="W")
    except ClvFitError as exc:
        return ClvForecast(reason=str(exc), reason_code=exc.code, **base)

    notes: list[str] = []
    note_codes: list[str] = []
    spend_params: GammaGammaParams | None
    try:
        gg = fit_gamma_gamma(x, m)
        spend = gg.expected_spend(x, m)
        spend_params = gg.params
        corr = float(np.corrcoef(x[x > 0], m[x > 0])[0, 1]) if (x > 0).sum() > 2 else 0.0
        if np.isfinite(corr) and abs(corr) > 0.3:
            notes.append(
                f"Spend per order and number of orders are correlated ({corr:+.2f}); the spend model assumes "
                "they are independent, so predicted CLV may be less reliable."
            )
            note_codes.append("spend_correlated")
    except ClvFitError as exc:
        spend_params = None
        repeat = (x > 0) & (m > 0)
        spend = np.where(repeat, m, float(m[repeat].mean()))  # the purchase fit needed repeat buyers
        notes.append(f"{exc} Predicted CLV uses each customer's own average order value instead.")
        note_codes.append("spend_fallback")

    horizon = months_i * MONTH_DAYS / 7.0
    clv, expected = customer_lifetime_value(model, spend, x, tx, T_, months_i, discount)
    p_alive = model.p_alive(x, tx, T_)
    p_buy = model.p_buy(horizon, x, tx, T_)
    risk = _churn_band(np.where(x > 0, p_alive, p_buy))
    table = summary.assign(
        p_alive=p_alive,
        p_buy=p_buy,
        expected_purchases=expected,
        expected_spend=spend,
        predicted_clv=clv,
        churn_risk=risk,
    )
    if not (np.all(np.isfinite(clv)) and np.all(np.isfinite(expected))):
        return ClvForecast(
            reason="The purchase model produced numbers that are not finite on this data.", reason_code="not_finite", **base
        )
    return ClvForecast(
        reason=None,
        purchase_params=model.params,
        spend_params=spend_params,
        customers=table,
        expected_revenue=float(np.sum(expected * spend)),
        total_clv=float(clv.sum()),
        notes=tuple(notes),
        note_codes=tuple(note_codes),
        **base,
    )


def _check_months(months: Any) -> int:
    try:
        value = float(months)
    except (TypeError, ValueError):
        raise MetricError(f"Predicted CLV: months must be a whole number of months, not {months!r}.") from None
    if not (np.isfinite(value) and value == int(value) and 1 <= value <= 600):
        raise MetricError(f"Predicted CLV: months must be a whole number from 1 to 600, not {months!r}.")
    return int(value)


def _check_discount(rate: Any) -> float:
    try:
        value = float(rate)
    except (TypeError, ValueError):
        raise MetricError(f"Predicted CLV: the annual discount rate must be a number such as 0.1, not {rate!r}.") from None
    if not (np.isfinite(value) and 0.0 <= value < 10.0):
        raise MetricError(
            f"Predicted CLV: the annual discount rate must be between 0 and 10 (0.1 = 10 %), not {rate!r}."
        )
    return value
