"""BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): how often
customers buy and how likely they are to drop out. ``fit_bg_nbd`` / ``BgNbdModel.fit``
fit it; the model's ``p_alive``, ``expected_purchases`` (alias ``predict``) and
``p_buy`` predict from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from scipy.optimize import minimize
from scipy.special import digamma, expit, gammaln, hyp2f1

from retention_xl.engine.clv._common import (
    _EDGE, _LOG_BOUND, MIN_REPEAT_BUYERS, ClvFitError, _as_float, _check_fit, _compress, _dot, _unit_days,
    one_blas_thread,
)
from retention_xl.errors import MetricError

__all__ = ["BgNbdParams", "BgNbdModel", "fit_bg_nbd", "DROPOUT_PRIOR_SD", "FIT_METHODS"]

#: Fallback when the likelihood runs to the boundary (a -> 0 or b -> inf: no dropout
#: visible yet): the maximum a posteriori fit with independent weakly informative
#: priors log a ~ N(0, 1.5^2), log b ~ N(0, 1.5^2) (95 % of the mass for a and b in
#: 0.05 .. 19; a and b are dimensionless, so the prior does not depend on the time
#: unit) and flat priors on log r, log alpha (those are pinned down by the data).
#: Chosen over lifetimes' penalizer (its penalty on alpha depends on the time unit) and
#: a Pareto(1, 1) prior on a + b: on simulated one-year shops where the MLE fails it
#: recovered the mean dropout a / (a + b) best (see tests/engine/test_clv_holdout.py).
DROPOUT_PRIOR_SD = 1.5
#: clv_model.method values: maximum likelihood, or the prior-stabilised fallback.
FIT_METHODS = {"mle": "maximum likelihood", "map": "maximum a posteriori, weakly informative dropout prior"}


class BgNbdParams(NamedTuple):
    """BG/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout p ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float



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
    log_likelihood: float  # total over customers (of the data; the prior is not included)
    n_customers: int
    n_repeat_buyers: int
    method: str = "mle"  # "mle" or "map" (the boundary fallback, see DROPOUT_PRIOR_SD)

    @classmethod
    def fit(cls, frequency: Any, recency: Any, T: Any, unit: str = "W", method: str = "auto") -> "BgNbdModel":
        """``fit_bg_nbd`` as a constructor (lifetimes-style ``BgNbdModel.fit(x, t_x, T)``)."""
        return fit_bg_nbd(frequency, recency, T, unit=unit, method=method)

    def predict(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Expected purchases in the next ``t`` units (same as ``expected_purchases``)."""
        return self.expected_purchases(t, frequency, recency, T)

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
            if x.ndim == 1 and t_.ndim <= 2 and t_.shape[-1:] in ((), (1,)):  # one t, or a column of t (CLV months)
                rows = grid[t_inv.ravel()]  # one row per t; its columns gathered per customer below
                # np.take keeps grid[ti, ci]'s C order (rows[:, idx] would not: the CLV sum's order would change)
                picked = np.take(rows, xT_inv.ravel(), axis=1) if t_.ndim == 2 else rows[0].take(xT_inv.ravel())
                return picked * alive
            ti, ci = np.broadcast_arrays(t_inv.reshape(t_.shape), xT_inv.reshape(x.shape))
            return grid[ti, ci] * alive
        (ut, ux, uT), _, inverse = _compress(tb.ravel(), xb.ravel(), Tb.ravel(), inverse=True)
        return self._if_alive(ut, ux, uT)[inverse].reshape(tb.shape) * alive

    def expected_if_alive(self, t: Any, frequency: Any, T: Any) -> np.ndarray:
        """E[Y(t) | alive, x, T]: expected purchases in the next ``t`` units of a customer still
        active (expected_purchases is this times p_alive). Arrays broadcast against each other."""
        t_, x, T_ = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (t, frequency, T)))
        return self._if_alive(t_.ravel(), x.ravel(), T_.ravel()).reshape(t_.shape)

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
    method: str = "auto",
) -> BgNbdModel:
    """BG/NBD fit (L-BFGS-B on log-parameters, analytic gradient).

    ``method``: "mle" maximum likelihood only; "map" the prior-stabilised fit only
    (see DROPOUT_PRIOR_SD); "auto" (default) maximum likelihood, and the MAP fit when
    the likelihood runs to a -> 0 or b -> inf (no dropout visible) or does not settle.
    The result's ``method`` says which was used. Identical (frequency, recency, T)
    rows are fitted once with a weight. Times are rescaled by their mean T for a
    well-conditioned search and alpha scaled back. Raises ``ClvFitError`` with a
    plain reason when the data cannot support a fit.
    """
    if method not in ("auto", "mle", "map"):
        raise MetricError("error.clv_method", fn="clv", method=str(method))
    x = _as_float(frequency, "frequency")
    tx = _as_float(recency, "recency")
    T_ = _as_float(T, "T")
    _unit_days(unit)
    if not (x.shape == tx.shape == T_.shape) or x.ndim != 1:
        raise MetricError("error.clv_shapes", fn="clv")
    if (x < 0).any() or (tx < 0).any() or (tx > T_ + 1e-9).any() or ((x == 0) & (tx != 0)).any():
        raise MetricError("error.clv_ranges", fn="clv")
    repeaters = int((x > 0).sum())
    if repeaters < MIN_REPEAT_BUYERS:
        raise ClvFitError("few_repeat_buyers", "few_repeat_buyer" if repeaters == 1 else None, n=repeaters,
                          min=MIN_REPEAT_BUYERS, model="purchase")
    scale = float(T_.mean())
    if not scale > 0:
        raise ClvFitError("no_history")
    if initial is None:
        r0 = 1.0  # rate ~ purchases / time, so alpha ~ r * mean T / mean x (rescaled: mean T = 1)
        theta0 = np.log([r0, r0 / max(float(x.mean()), 0.1), 1.0, 2.0])
    else:
        theta0 = np.log([initial.r, initial.alpha / scale, initial.a, initial.b])
    data = _BgNbdData(x, tx / scale, T_ / scale)
    used = "mle" if method != "map" else "map"
    res = _minimise(data.nll if used == "mle" else _posterior(data), theta0)
    if method == "auto" and _dropout_degenerate(res):
        used = "map"
        res = _minimise(_posterior(data), theta0)
    if np.all(np.isfinite(res.x)) and (np.abs(res.x[2:]) > _EDGE).any():
        raise ClvFitError("no_dropout")
    if np.all(np.isfinite(res.x)) and (np.abs(res.x[:2]) > _EDGE).any():
        raise ClvFitError("regular_buyers")
    _check_fit(res, "purchase")
    r, alpha_s, a, b = np.exp(res.x)
    params = BgNbdParams(float(r), float(alpha_s * scale), float(a), float(b))
    nll = float(data.nll(res.x)[0])
    log_lik = -nll * data.wsum - float(x.sum()) * np.log(scale)  # undo the time rescaling
    return BgNbdModel(params, str(unit).strip().upper(), log_lik, len(x), repeaters, used)


def _minimise(fun: Any, theta0: np.ndarray) -> Any:
    with one_blas_thread():
        return _lbfgsb(fun, theta0)


def _lbfgsb(fun: Any, theta0: np.ndarray) -> Any:
    return minimize(
        fun,
        np.clip(theta0, -_LOG_BOUND + 1, _LOG_BOUND - 1),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4,
        options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9},
    )


def _dropout_degenerate(res: Any) -> bool:
    """The likelihood ran to the boundary in a or b, or did not settle: the MAP fallback's cue."""
    if not np.all(np.isfinite(res.x)):
        return False  # overflow: the prior does not help, report it
    return bool((np.abs(res.x[2:]) > _EDGE).any() or not res.success)


def _posterior(data: "_BgNbdData") -> Any:
    """Mean negative log-posterior: the likelihood plus the N(0, sd^2) priors on log a, log b."""
    inv_var_n = 1.0 / (DROPOUT_PRIOR_SD**2 * data.wsum)

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = data.nll(theta)
        la, lb = theta[2], theta[3]
        return value + 0.5 * (la * la + lb * lb) * inv_var_n, grad + np.array([0.0, 0.0, la, lb]) * inv_var_n

    return fun
