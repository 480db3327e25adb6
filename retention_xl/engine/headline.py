"""The period's headline figures: customers, orders, revenue, rates, historical CLV, benchmark, intervals.

Each figure that cannot be computed is None with a plain reason in the notes, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from retention_xl.engine import confidence as cf
from retention_xl.engine import metrics
from retention_xl.engine.report import DAYS_PER_MONTH, Confidence, HistoricalClv, KpiReport, Reconciliation
from retention_xl.engine.rows import Orders, Rows, money
from retention_xl.engine.survey import Csat, Nps
from retention_xl.errors import MetricError
from retention_xl.messages import Message

if TYPE_CHECKING:
    from retention_xl.engine.kpi import _Notes


@dataclass(frozen=True)
class PeriodFigures:
    """The headline figures of (t0, t1], and the masks the other parts reuse."""

    counted: np.ndarray  # per order: counted and dated in the period
    row_in: np.ndarray  # per row: dated in the period
    buyers: np.ndarray  # customer code of each counted order of the period
    customers: int
    orders: int
    returned_orders: int
    revenue: float
    priced_customers: int  # customers with a counted order in the report currency (issue 18)
    repeat_purchase_rate: float | None
    aov: float | None
    purchase_frequency: float | None
    return_rate: float | None
    reconciliation: Reconciliation


def period_figures(rows: Rows, od: Orders, t0: int, t1: int, no_customer: pd.DataFrame | None,
                    note: _Notes) -> PeriodFigures:
    """Customers, orders, revenue, repeat rate, AOV, frequency, return rate and the reconciliation."""
    in_period = (od.day > t0) & (od.day <= t1)
    counted_p = od.counted & in_period
    n_orders = int(counted_p.sum())
    n_returned = int((od.returned & in_period).sum())
    period_buyers = od.customer[counted_p]
    n_customers = int(np.count_nonzero(np.bincount(period_buyers, minlength=1)))
    row_in_period = (rows.day > t0) & (rows.day <= t1)
    revenue = money(rows.net[row_in_period].sum())
    # issue 18: money figures count only orders whose amounts are in the report currency
    priced_p = counted_p & od.priced
    n_priced = int(priced_p.sum())
    months = (t1 - t0) / DAYS_PER_MONTH
    repeat = _rate(
        lambda: metrics.repeat_rate(period_buyers), n_customers == 0,
        "repeat_purchase_rate", "no_customers", note,
    )
    aov = _rate(
        lambda: metrics.aov(revenue, n_priced), n_priced == 0,
        "aov", "no_orders" if n_orders == 0 else "no_priced_orders", note,
    )
    frequency = _rate(
        lambda: metrics.purchase_frequency(n_orders, n_customers, months), n_customers == 0,
        "purchase_frequency", "no_customers", note,
    )
    return_rate = _rate(
        lambda: metrics.return_rate(n_returned, n_orders + n_returned), n_orders + n_returned == 0,
        "return_rate", "no_orders_or_returns", note,
    )
    return PeriodFigures(
        counted=counted_p, row_in=row_in_period, buyers=period_buyers, customers=n_customers, orders=n_orders,
        returned_orders=n_returned, revenue=revenue,
        priced_customers=int(np.count_nonzero(np.bincount(od.customer[priced_p], minlength=1))),
        repeat_purchase_rate=repeat, aov=aov, purchase_frequency=frequency, return_rate=return_rate,
        reconciliation=_reconciliation(rows, row_in_period, t0, t1, no_customer),
    )


def _reconciliation(rows: Rows, in_period: np.ndarray, t0: int, t1: int,
                    no_customer: pd.DataFrame | None) -> Reconciliation:
    """Gross sales, refunds, net revenue, not-a-sale and no-customer rows of the period (row dates)."""
    nc_rows, nc_amount = 0, 0.0
    if no_customer is not None and len(no_customer):
        d = pd.to_datetime(no_customer["date"]).dt.normalize().to_numpy(dtype="datetime64[D]").astype(np.int64)
        m = (d > t0) & (d <= t1)
        nc_rows = int(m.sum())
        nc_amount = money(no_customer["amount"].to_numpy(dtype=float)[m].sum())
    ns = rows.not_sale & in_period
    return Reconciliation(
        gross_sales=money(rows.gross[in_period].sum()),
        refunds=money(rows.refund[in_period].sum()),
        net_revenue=money(rows.net[in_period].sum()),
        not_a_sale_rows=int(ns.sum()),
        not_a_sale_amount=money(rows.amount[ns].sum()),
        unpaid_rows=int((ns & rows.unpaid).sum()),
        no_customer_rows=nc_rows,
        no_customer_amount=nc_amount,
    )


def _rate(compute: Any, empty: bool, key: str, reason: str, note: Any) -> float | None:
    """metrics' value, or None with its reason (kpi.<reason>, or the metric's own message)."""
    if empty:
        note(key, Message(f"kpi.{reason}"))
        return None
    try:
        return float(compute())
    except MetricError as err:
        note(key, err.message)
        return None


def historical_clv(revenue: float, customers: int, days: int, crr: float | None, note: Any,
                    window: int = 0) -> HistoricalClv:
    """Average monthly net revenue per customer × 1 ÷ monthly churn (see HistoricalClv).

    The churn c = 1 − CRR of the retention measurement over W days becomes a monthly churn
    1 − (1 − c)^(30.44 / W) (SPEC Clarifications).
    """
    months = days / DAYS_PER_MONTH
    spend = revenue / customers / months if customers else None
    w = window or days
    monthly_churn = 1.0 - max(crr, 0.0) ** (DAYS_PER_MONTH / w) if crr is not None else None
    lifetime = 1.0 / monthly_churn if monthly_churn else None
    value: float | None = None
    why: Message | None = None
    if spend is None:
        why = Message("kpi.clv_no_customers")
    elif crr is None:
        why = Message("kpi.crr_missing")
    elif lifetime is None:
        why = Message("kpi.no_lost_customers")
    else:
        try:
            value = float(metrics.clv(spend, lifetime))
        except MetricError as err:
            why = err.message
    if why is not None:
        note("historical_clv", why)
    return HistoricalClv(
        monthly_revenue_per_customer=spend, monthly_churn=monthly_churn, lifetime_months=lifetime,
        value=value, note=why, revenue=revenue, customers=customers, months=months,
        period_crr=crr, period_days=days, window_days=w,
    )


def benchmark(industry: str | None, note: Any) -> tuple[float | None, str | None]:
    """(typical CRR, canonical key) of the chosen industry, via metrics."""
    if industry is None or not str(industry).strip():
        return None, None
    try:
        key = metrics.industry_key(industry)
        return float(metrics.crr_benchmark(key)), key
    except MetricError as err:
        note("benchmark_crr", err.message)
        return None, None


def confidence(report: KpiReport, order_values: np.ndarray, buyers: np.ndarray) -> Confidence:
    """95 % intervals of the report's headline figures (see report.Confidence).

    ``order_values``: net amounts of the period's counted orders; ``buyers``: their customer
    codes. AOV and revenue per customer keep their headline value as the centre; the
    spread is that of the order values and of the customers' summed order values.
    """
    r = report.retention
    crr = cf.wilson(r.end - r.new, r.start) if r.value is not None and r.start > 0 else None
    per_customer = np.bincount(buyers, minlength=1)
    repeaters = int(np.count_nonzero(per_customer >= 2))
    repeat = cf.wilson(repeaters, report.customers) if report.repeat_purchase_rate is not None else None
    trials = report.orders + report.returned_orders
    returns = cf.wilson(report.returned_orders, trials) if report.return_rate is not None and trials else None
    aov = None
    if report.aov is not None:
        s = cf.sample_stats(order_values)
        aov = cf.mean_interval(report.aov, s.sd, s.n)
    rpc = None
    if report.customers:
        spend = np.bincount(buyers, weights=order_values, minlength=1)[per_customer > 0]
        s = cf.sample_stats(spend)
        rpc = cf.mean_interval(report.revenue / report.customers, s.sd, s.n)
    nps = csat = None
    survey = report.survey
    if isinstance(survey, Nps) and survey.responses:
        nps = cf.nps_interval(survey.promoters, survey.detractors, survey.responses)
    if isinstance(survey, Csat) and survey.responses:
        csat = cf.wilson(survey.satisfied, survey.responses)
    return Confidence(crr=crr, churn_rate=crr.complement() if crr is not None else None,
                      repeat_purchase_rate=repeat, return_rate=returns, aov=aov, revenue_per_customer=rpc,
                      nps=nps, csat=csat)
