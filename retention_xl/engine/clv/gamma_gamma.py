"""Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): spend per order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from scipy.optimize import minimize
from scipy.special import digamma, gammaln

from retention_xl.engine.clv._common import (
    _EDGE, _LOG_BOUND, MIN_REPEAT_BUYERS, ClvFitError, _as_float, _check_fit, _dot, one_blas_thread,
)

__all__ = ["GammaGammaParams", "GammaGammaModel", "fit_gamma_gamma"]


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
        raise ClvFitError("few_repeat_buyers", "few_repeat_buyer" if len(x) == 1 else None, n=len(x),
                          min=MIN_REPEAT_BUYERS, model="spend")
    scale = float(m.mean())
    data = _GammaGammaData(x, m / scale)
    wsum = data.n
    with one_blas_thread():
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
        raise ClvFitError("spend_uniform")
    _check_fit(res, "spend")
    if q <= 1.0 + 1e-6:
        raise ClvFitError("spend_unbounded")
    log_lik = -float(res.fun) * wsum - len(x) * np.log(scale)  # undo the money rescaling
    return GammaGammaModel(GammaGammaParams(float(p), float(q), float(g_s * scale)), log_lik, len(x))

