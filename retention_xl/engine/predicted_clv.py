"""The predicted-CLV part of a report (BG/NBD + Gamma-Gamma, kpi._predicted_clv), typed.

Why there is no fit and the caveats of a fit are each one :class:`ClvNote`: a stable
code (labels ``clv.reason.<code>`` / ``clv.note.<code>``), the numbers its sentence
needs (``fields``) and the engine's English sentence (``text``, used by the JSON and
as the fallback wording) — the shape of ``messages.Message(code, **fields)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Mapping


@dataclass(frozen=True)
class ClvNote:
    """A coded sentence about the prediction: code, its fields, and the English text."""

    code: str
    text: str
    fields: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


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
    reason: ClvNote | None = None
    notes: tuple[ClvNote, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON's "predicted_clv" (the model goes to "clv_model", see KpiReport.to_json)."""
        return {
            "months": self.months, "annual_discount": self.annual_discount, "as_of": self.as_of.isoformat(),
            "expected_revenue": self.expected_revenue, "total_clv": self.total_clv, "customers": self.customers,
            "repeat_buyers": self.repeat_buyers,
            "churn_risk": self.churn_risk.to_json() if self.churn_risk is not None else None,
            "reason": self.reason.text if self.reason is not None else None,
            "reason_code": self.reason.code if self.reason is not None else None,
            "notes": [n.text for n in self.notes],
        }
