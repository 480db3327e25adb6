"""Predicted CLV and churn risk per customer: BG/NBD purchases x Gamma-Gamma spend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.engine.clv._common import (
    MONTH_DAYS, P_ALIVE_HIGH_RISK, P_ALIVE_LOW_RISK, UNIT_DAYS, ClvFitError, _compress,
)
from retention_xl.engine.clv.bgnbd import BgNbdModel, BgNbdParams, fit_bg_nbd
from retention_xl.engine.clv.gamma_gamma import GammaGammaParams, fit_gamma_gamma
from retention_xl.engine.clv.summary import _occasions, _Occasions
from retention_xl.engine.clv.validation import ForecastCheck, check_forecast, holdout_days
from retention_xl.errors import MetricError
from retention_xl.messages import Message

__all__ = ["ClvForecast", "forecast", "forecast_check", "purchase_fit", "customer_lifetime_value", "monthly_rate", "RISK_DAYS", "VALUE_DAYS"]

RISK_DAYS = 90  # expected_90d: expected orders in the next 90 days
VALUE_DAYS = 365  # value_at_risk: net revenue of the last 12 months x (1 - P(alive))


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
    x, tx, T_ = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (frequency, recency, T)))
    steps = np.arange(months + 1, dtype=float)[:, None] * month  # 0, 1, ..., months (in unit)
    # E[Y(t)] = P(alive) x E[Y(t) | alive], and the second depends on (x, T) only: the discounted
    # sum is taken once per distinct (x, T), then spread over the customers
    (ux, uT), _, inv = _compress(x.ravel(), T_.ravel(), inverse=True)
    cumulative = purchases.expected_if_alive(steps, ux[None, :], uT[None, :])  # (months + 1, distinct (x, T))
    discount = (1.0 + monthly_rate(annual_discount)) ** -np.arange(1, months + 1, dtype=float)
    value = np.einsum("k,kn->n", discount, np.diff(cumulative, axis=0))
    alive = purchases.p_alive(x, tx, T_)
    clv = np.asarray(spend, dtype=float) * (value[inv].reshape(x.shape) * alive)
    return clv, cumulative[-1][inv].reshape(x.shape) * alive


def _churn_band(p: np.ndarray) -> np.ndarray:
    """"low" / "medium" / "high" per P(alive), filled straight into an object array (no unicode array)."""
    band = np.full(np.shape(p), "high", dtype=object)
    band[p >= P_ALIVE_HIGH_RISK] = "medium"
    band[p >= P_ALIVE_LOW_RISK] = "low"
    return band


@dataclass(frozen=True)
class ClvForecast:
    """Predicted CLV and churn risk for every customer, or the reason there is none.

    ``reason`` is None when the purchase model was fitted; then ``customers`` has
    one row per customer (index customer id, order of first appearance):
    frequency, recency, T (weeks), monetary_value, p_alive, p_buy (chance of at
    least one purchase within the horizon), expected_purchases (within the horizon),
    expected_spend (per order), predicted_clv (discounted), churn_risk
    ("low" / "medium" / "high"), expected_90d (expected orders in the next 90
    days), expected_gap_days (recency / repeat orders; for one-time buyers the
    median gap of repeat buyers), next_order_date (last order + expected gap),
    revenue_12m (net amounts of the last 365 days), value_at_risk (revenue_12m x
    (1 - p_alive)). Otherwise every number is None. ``check`` is the holdout
    validation; ``withheld`` is True when its error is too large to show the numbers.
    """

    reason: Message | None
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
    notes: tuple[Message, ...] = field(default_factory=tuple)  # caveats to show next to the numbers (clv.*)
    reason_code: str | None = None  # stable key of reason: no_purchases, not_finite or a ClvFitError.code
    method: str | None = None  # purchase fit: "mle" or "map" (bgnbd.FIT_METHODS)
    check: ForecastCheck | None = None  # holdout validation (None when not asked for)

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def withheld(self) -> bool:
        """The fit worked but failed its holdout check: show the reason, not the numbers."""
        return self.check is not None and self.check.withheld


def forecast(
    customer_ids: Any,
    dates: Any,
    amounts: Any,
    as_of: Any = None,
    months: int = 12,
    annual_discount: float = 0.10,
    validate: bool = True,
) -> ClvForecast:
    """Fit BG/NBD + Gamma-Gamma on the orders and predict every customer's next ``months``.

    Orders after ``as_of`` (default: the latest order date) are ignored. Time runs in
    weeks; a month is 30.44 days. Spend per order comes from the Gamma-Gamma model;
    when spend cannot be modelled the customer's own average order value is used and
    ``notes`` says so. Churn risk bands P(alive): low >= 0.7, medium 0.3-0.7, high
    < 0.3; for customers who bought only once (BG/NBD always calls them alive) the
    band uses p_buy instead. Bad arguments raise ``MetricError``; data that cannot
    support a fit gives ``reason`` and no numbers. With ``validate`` the purchase
    model is also refitted on a calibration window and checked on the held-back end
    (``validation.check_forecast``); the result is in ``check``.
    """
    months_i = _check_months(months)
    discount = _check_discount(annual_discount)
    occ = _occasions(customer_ids, dates, amounts, as_of, "W")
    summary, cutoff_day = occ.summary(), occ.cutoff
    cutoff = pd.Timestamp(np.datetime64(cutoff_day, "D"))
    base = dict(as_of=cutoff, months=months_i, annual_discount=discount, n_customers=len(summary),
                n_repeat_buyers=int((summary["frequency"] > 0).sum()))
    if len(summary) == 0:
        return ClvForecast(
            reason=Message("clv.no_purchases", cutoff=f"{cutoff:%Y-%m-%d}"), reason_code="no_purchases", **base
        )
    x = summary["frequency"].to_numpy(dtype=float)
    tx = summary["recency"].to_numpy()
    T_ = summary["T"].to_numpy()
    m = summary["monetary_value"].to_numpy()
    try:
        model = fit_bg_nbd(x, tx, T_, unit="W")
    except ClvFitError as exc:
        return ClvForecast(reason=exc.message, reason_code=exc.code, check=_check(summary, occ) if validate else None,
                           **base)
    check = _check(summary, occ, model.params) if validate else None

    notes: list[Message] = []
    spend_params: GammaGammaParams | None
    try:
        gg = fit_gamma_gamma(x, m)
        spend = gg.expected_spend(x, m)
        spend_params = gg.params
        corr = float(np.corrcoef(x[x > 0], m[x > 0])[0, 1]) if (x > 0).sum() > 2 else 0.0
        if np.isfinite(corr) and abs(corr) > 0.3:
            notes.append(Message("clv.spend_correlated", corr=corr))
    except ClvFitError as exc:
        spend_params = None
        repeat = (x > 0) & (m > 0)
        spend = np.where(repeat, m, float(m[repeat].mean()))  # the purchase fit needed repeat buyers
        notes.append(Message("clv.spend_fallback", why=exc.message))

    horizon = months_i * MONTH_DAYS / 7.0
    clv, expected = customer_lifetime_value(model, spend, x, tx, T_, months_i, discount)
    p_alive = model.p_alive(x, tx, T_)
    p_buy = model.p_buy(horizon, x, tx, T_)
    risk = _churn_band(np.where(x > 0, p_alive, p_buy))
    gap_days = _expected_gap_days(x, tx)
    last_day = cutoff_day - np.rint((T_ - tx) * 7.0).astype(np.int64)
    revenue_12m = occ.revenue_since(cutoff_day - VALUE_DAYS)
    table = summary.assign(
        p_alive=p_alive,
        p_buy=p_buy,
        expected_purchases=expected,
        expected_spend=spend,
        predicted_clv=clv,
        churn_risk=risk,
        expected_90d=model.expected_purchases(RISK_DAYS / 7.0, x, tx, T_),
        expected_gap_days=gap_days,
        next_order_date=(last_day + np.rint(gap_days).astype(np.int64)).astype("datetime64[D]"),
        revenue_12m=revenue_12m,
        value_at_risk=revenue_12m * (1.0 - p_alive),
    )
    if not (np.all(np.isfinite(clv)) and np.all(np.isfinite(expected))):
        return ClvForecast(
            reason=Message("clv.not_finite"), reason_code="not_finite",
            check=check, **base
        )
    return ClvForecast(
        reason=None,
        purchase_params=model.params,
        spend_params=spend_params,
        customers=table,
        expected_revenue=float(np.sum(expected * spend)),
        total_clv=float(clv.sum()),
        notes=tuple(notes),
        method=model.method,
        check=check,
        **base,
    )


def _expected_gap_days(x: np.ndarray, tx: np.ndarray) -> np.ndarray:
    """Mean days between orders: recency / repeat orders; one-time buyers the median of repeat buyers."""
    rep = x > 0
    gap = np.where(rep, tx * 7.0 / np.maximum(x, 1.0), np.nan)
    fill = float(np.median(gap[rep])) if rep.any() else np.nan
    return np.where(rep, gap, fill)


def purchase_fit(customer_ids: Any, dates: Any, amounts: Any,
                 as_of: Any = None) -> tuple[pd.DataFrame, BgNbdModel | None, ForecastCheck]:
    """The purchase side of ``forecast``: summary (weeks), BG/NBD fit (None if the data cannot
    support one) and the holdout check, with one sort of the order rows."""
    occ = _occasions(customer_ids, dates, amounts, as_of, "W")
    summary = occ.summary()
    if len(summary) == 0:
        return summary, None, ForecastCheck(None, None, None, 0, reason=Message("clv.check_no_customers"),
                                             reason_code="no_customers")
    x, tx, T_ = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    try:
        model: BgNbdModel | None = fit_bg_nbd(x, tx, T_, unit="W")
    except ClvFitError:
        model = None
    return summary, model, _check(summary, occ, model.params if model is not None else None)


def forecast_check(customer_ids: Any, dates: Any, amounts: Any, as_of: Any = None) -> ForecastCheck:
    """Only the holdout check of ``forecast`` (same summary, same holdout rule, same fit rules)."""
    return purchase_fit(customer_ids, dates, amounts, as_of)[2]


def _check(summary: pd.DataFrame, occ: _Occasions, initial: BgNbdParams | None = None) -> ForecastCheck:
    """Holdout check on the latest quarter of the history (validation.check_forecast)."""
    first_day = int(occ.first_day)
    holdout = holdout_days(occ.cutoff - first_day)
    cal_end = occ.cutoff - holdout
    calibration = occ.summary(cal_end)
    return check_forecast(calibration, occ.later_purchases(cal_end), first_day, occ.cutoff, holdout, initial)


def _check_months(months: Any) -> int:
    try:
        value = float(months)
    except (TypeError, ValueError):
        raise MetricError("error.clv_months_number", fn="clv", value=repr(months)) from None
    if not (np.isfinite(value) and value == int(value) and 1 <= value <= 600):
        raise MetricError("error.clv_months_range", fn="clv", value=repr(months))
    return int(value)


def _check_discount(rate: Any) -> float:
    try:
        value = float(rate)
    except (TypeError, ValueError):
        raise MetricError("error.clv_discount_number", fn="clv", value=repr(rate)) from None
    if not (np.isfinite(value) and 0.0 <= value < 10.0):
        raise MetricError("error.clv_discount_range", fn="clv", value=repr(rate))
    return value
