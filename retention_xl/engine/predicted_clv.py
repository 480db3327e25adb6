"""The predicted-CLV part of a report (BG/NBD + Gamma-Gamma): its types and predicted_clv() that fills it.

Why there is no fit (``reason``) and the caveats of a fit (``notes``) are ``messages.Message``s:
the models' own ``error.clv_*`` message, or a ``clv.*`` one. ``reason_code`` (clv_few_repeat_buyers …)
is the stable key the JSON writes and the Dashboard words shortly (labels ``clv.reason.<code>``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.engine import clv
from retention_xl.engine.period import to_date
from retention_xl.engine.rows import money
from retention_xl.errors import MetricError
from retention_xl.messages import Message
from retention_xl.settings import ReportSettings


@dataclass(frozen=True)
class ClvModelParams:
    """Fitted parameters: BG/NBD r, alpha (per ``unit``), a, b; Gamma-Gamma p, q, gamma.

    p, q and gamma are None when spend fell back to each customer's own average order value.
    ``method``: "mle" or "map" (clv.FIT_METHODS).
    """

    r: float
    alpha: float
    a: float
    b: float
    p: float | None
    q: float | None
    gamma: float | None
    method: str
    unit: str = "weeks"

    @property
    def has_spend_model(self) -> bool:
        return self.p is not None

    def to_json(self) -> dict[str, Any]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b, "p": self.p, "q": self.q,
                "gamma": self.gamma, "unit": self.unit, "method": self.method}


#: Churn-risk bands of the customers table's churn_risk column, in the order they are shown.
RISK_BANDS = ("low", "medium", "high")


@dataclass(frozen=True)
class ChurnRisk:
    """Customers per churn-risk band of the forecast."""

    low: int
    medium: int
    high: int

    def to_json(self) -> dict[str, int]:
        return {"low": self.low, "medium": self.medium, "high": self.high}


@dataclass(frozen=True)
class PredictedClv:
    """The forecast of the next ``months`` months from the counted orders up to ``as_of`` (t1).

    customers / repeat_buyers: as the model saw them. expected_revenue: undiscounted revenue
    expected from these customers in the horizon (the Dashboard's "predicted revenue");
    total_clv: the discounted sum of the customers table's predicted_clv. Without a fit (or
    when the holdout check withheld it) ``model`` or the figures are None and ``reason`` says
    why; ``notes`` are the caveats of a fit.
    """

    months: int
    annual_discount: float
    as_of: date
    customers: int = 0
    repeat_buyers: int = 0
    expected_revenue: float | None = None
    total_clv: float | None = None
    model: ClvModelParams | None = None
    churn_risk: ChurnRisk | None = None
    reason: Message | None = None  # why there are no predicted figures
    reason_code: str | None = None  # its stable key: clv_no_purchases, clv_few_repeat_buyers, … (_CLV_REASONS)
    notes: tuple[Message, ...] = ()  # caveats of a fit (clv.spend_correlated, clv.spend_fallback)

    def to_json(self) -> dict[str, Any]:
        """The JSON's "predicted_clv" (the model goes to "clv_model", see KpiReport.to_json)."""
        return {
            "months": self.months, "annual_discount": self.annual_discount, "as_of": self.as_of.isoformat(),
            "expected_revenue": self.expected_revenue, "total_clv": self.total_clv, "customers": self.customers,
            "repeat_buyers": self.repeat_buyers,
            "churn_risk": self.churn_risk.to_json() if self.churn_risk is not None else None,
            "reason": str(self.reason) if self.reason is not None else None,
            "reason_code": self.reason_code,
            "notes": [str(n) for n in self.notes],
        }


#: Per-customer forecast columns merged into customers_table (clv.ClvForecast names).
CLV_COLUMNS = ("p_alive", "churn_risk", "expected_90d", "next_order_date", "expected_purchases", "predicted_clv",
               "value_at_risk")


def predicted_clv(c_cust: np.ndarray, c_day: np.ndarray, c_net: np.ndarray, n_customers: int, t1: int,
                   settings: ReportSettings) -> tuple[PredictedClv, dict[str, np.ndarray], clv.ForecastCheck | None]:
    """BG/NBD + Gamma-Gamma forecast on the counted orders up to t1 (see engine/predicted_clv.py).

    One row per counted order: its customer code, date and net amount; as_of = t1;
    horizon and discount rate from the settings. Returns the PredictedClv part, the
    per-customer columns (arrays indexed by customer code; empty when not fitted or
    withheld by the holdout check) and the holdout check. Whatever goes wrong in the model
    becomes a reason, never an exception: the prediction is one figure of the report, not a
    condition for it.
    """
    base = PredictedClv(months=settings.clv_months, annual_discount=settings.annual_discount, as_of=to_date(t1))
    try:
        fc = clv.forecast(pd.Series(c_cust, dtype=np.int64), c_day.astype("datetime64[D]"),
                          pd.Series(c_net, dtype=float), as_of=pd.Timestamp(to_date(t1)),
                          months=settings.clv_months, annual_discount=settings.annual_discount)
    except MetricError as err:  # settings the model refuses (months, rate)
        return replace(base, reason=err.message, reason_code="clv_settings"), {}, None
    except Exception as err:  # noqa: BLE001 - a failed prediction must not cost the whole report
        failed = Message("clv.failed", kind=type(err).__name__, error=str(err))
        return replace(base, reason=failed, reason_code="clv_failed"), {}, None
    base = replace(base, customers=fc.n_customers, repeat_buyers=fc.n_repeat_buyers)
    if not fc.ok:
        code = _CLV_REASONS.get(fc.reason_code or "", "clv_no_fit")
        return replace(base, reason=fc.reason, reason_code=code), {}, fc.check
    r, alpha, a, b = fc.purchase_params
    spend = fc.spend_params
    model = ClvModelParams(r=r, alpha=alpha, a=a, b=b, p=spend.p if spend else None, q=spend.q if spend else None,
                           gamma=spend.gamma if spend else None, method=fc.method)
    table = fc.customers
    risk = table["churn_risk"].to_numpy(dtype=object)
    fitted = replace(base, model=model, notes=fc.notes)
    if fc.withheld:  # the holdout check failed: the reason instead of confident numbers
        reason = Message("clv.withheld", days=fc.check.holdout_days,
                         error_pct=int(round(100 * abs(fc.check.relative_error))))
        return replace(fitted, reason=reason, reason_code="clv_withheld"), {}, fc.check
    fitted = replace(fitted, expected_revenue=money(fc.expected_revenue), total_clv=money(fc.total_clv),
                     churn_risk=ChurnRisk(*(int(np.count_nonzero(risk == band)) for band in RISK_BANDS)))
    codes = table.index.to_numpy(dtype=np.int64)
    per_customer: dict[str, np.ndarray] = {}
    for col in CLV_COLUMNS:
        dtype = {"churn_risk": object, "next_order_date": "datetime64[D]"}.get(col, float)
        values = table[col].to_numpy(dtype=dtype)
        fill = {"churn_risk": None, "next_order_date": np.datetime64("NaT")}.get(col, np.nan)
        out = np.full(n_customers, fill, dtype=dtype)
        out[codes] = values
        per_customer[col] = out
    return fitted, per_customer, fc.check


def segment_predicted_clv(segments: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Segments table plus predicted_clv (sum over the segment) and avg_predicted_clv, when fitted."""
    if "predicted_clv" not in customers.columns or "segment" not in segments.columns:
        return segments
    scored = customers["segment"].notna().to_numpy()
    g = customers["predicted_clv"][scored].groupby(customers["segment"][scored], sort=False)
    out = segments.copy()
    out["predicted_clv"] = out["segment"].map(g.sum()).fillna(0.0).to_numpy(dtype=float)
    out["avg_predicted_clv"] = out["segment"].map(g.mean()).to_numpy(dtype=float)
    return out


#: clv.ClvForecast.reason_code -> PredictedClv.reason_code; any other code is "clv_no_fit".
_CLV_REASONS = {
    "no_purchases": "clv_no_purchases",
    "few_repeat_buyers": "clv_few_repeat_buyers",
    "no_dropout": "clv_no_dropout",
    "regular_buyers": "clv_regular_buyers",
    "no_history": "clv_no_history",
}
