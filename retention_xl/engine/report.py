"""What a KPI report contains: plain dataclasses, shared by engine, writer and JSON.

The engine (kpi.py and the part modules it composes) fills these; the workbook writer, the JSON and the Excel
button only read them, so every number is computed once.

A rate that cannot be computed is ``None`` (never NaN); ``KpiReport.notes``
then holds the reason under the field's name as a ``messages.Message`` (``kpi.*``,
or the ``error.*`` message of the metric that refused its inputs): the JSON writes
its English, the workbook says it in the report's language.
Tables use NaN for "not defined" cells (e.g. AOV of a month without orders).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.common.calendar import DAYS_PER_MONTH
from retention_xl.engine.revenue_cohorts import Acquisition, RevenueCohorts
from retention_xl.engine.second_order import SecondOrder
from retention_xl.engine.splits import Split
from retention_xl.engine.currency import CurrencyReport
from retention_xl.engine.clv.validation import ForecastCheck
from retention_xl.engine.confidence import Difference, Interval
from retention_xl.engine.predicted_clv import PredictedClv
from retention_xl.engine.survey import Csat, Nps
from retention_xl.messages import Message
from retention_xl.settings import ReportSettings

@dataclass(frozen=True)
class Retention:
    """Headline CRR over (t0, t1]: S active at t0, E active at t1, N = E not active at t0."""

    start: int  # S: customers active at t0
    end: int  # E: customers active at t1
    new: int  # N: active at t1, not at t0 (brand new + won back)
    won_back: int  # part of N whose first order is on or before t0 (ordered before the period)
    brand_new: int  # part of N whose first order is in the period (t0, t1]
    value: float | None  # CRR = (E - N) / S; None when S == 0
    churn: float | None  # 1 - CRR; None when CRR is None
    note: Message | None = None  # why value is None (the same Message as KpiReport.notes["crr"])
    # issue 10: the measurement (measured_from, period end] with window W (period.retention_measurement)
    window_days: int = 365  # W; 0 when not even 30 days of history fit (value is then None)
    measured_from: date | None = None  # start of the measurement: t0, or t1 − W for the adaptive window
    thin_base_days: int | None = None  # days of history S rests on, when fewer than W (a warning)
    adaptive: bool = False  # neither the window nor the period start was given: the default rule

    @property
    def yearly(self) -> bool:
        """True when the figure is a 365-day measurement, the only one yearly targets may judge."""
        return self.window_days == 365 and self.thin_base_days is None


@dataclass(frozen=True)
class Reconciliation:
    """Revenue reconciliation of the period (rows dated in (t0, t1]), in the file's currency.

    gross_sales = the sale rows (positive, not flagged returned, not unpaid); refunds = the
    refund rows (negative amounts, as a positive sum) plus the refunded parts of paid rows;
    net_revenue = gross_sales − refunds (= KpiReport.revenue). Not a sale: positive rows
    flagged returned/refunded/cancelled or never paid (unpaid_rows of them never paid),
    left out of revenue and orders. No customer: rows the reader skipped for lacking a
    customer id that had a readable date in the period and an amount.
    """

    gross_sales: float
    refunds: float
    net_revenue: float
    not_a_sale_rows: int
    not_a_sale_amount: float
    unpaid_rows: int
    no_customer_rows: int
    no_customer_amount: float

    def to_json(self) -> dict[str, Any]:
        return {
            "gross_sales": self.gross_sales,
            "refunds": self.refunds,
            "net_revenue": self.net_revenue,
            "not_a_sale": {"rows": self.not_a_sale_rows, "amount": self.not_a_sale_amount,
                           "unpaid_rows": self.unpaid_rows},
            "no_customer": {"rows": self.no_customer_rows, "amount": self.no_customer_amount},
        }


@dataclass(frozen=True)
class HistoricalClv:
    """Average monthly net revenue per customer × expected lifetime in months.

    monthly_revenue_per_customer = period net revenue ÷ period customers ÷ months
    monthly_churn = 1 − CRR^(DAYS_PER_MONTH / W)   (the churn over the W-day measurement as a monthly rate)
    lifetime_months = 1 ÷ monthly_churn
    value = monthly_revenue_per_customer × lifetime_months   (metrics.clv, no margin or discount)
    """

    monthly_revenue_per_customer: float | None
    monthly_churn: float | None
    lifetime_months: float | None
    value: float | None
    note: Message | None = None  # why value is None (the same Message as KpiReport.notes["historical_clv"])
    revenue: float = 0.0  # input: net revenue of the period
    customers: int = 0  # input: customers of the period
    months: float = 0.0  # input: period days ÷ 30.44
    period_crr: float | None = None  # input: headline CRR of the period
    period_days: int = 0  # input: length of the period in days
    window_days: int = 0  # input: W of the retention measurement the churn is over


@dataclass(frozen=True)
class WhereToAct:
    """What to do about it: revenue cohorts and payback, time to the second order, splits."""

    revenue_cohorts: RevenueCohorts
    acquisition: Acquisition  # reason "no_spend" without marketing spend
    second_order: SecondOrder
    by_channel: Split | None  # None when the data has no channel column
    by_first_product: Split | None  # None when the data has no product column

    def to_json(self) -> dict[str, Any]:
        """The SPEC keys: revenue_cohorts, cac, repeat_within, median_days_to_second_order, by_*."""
        return {
            "revenue_cohorts": self.revenue_cohorts.to_json(),
            "cac": self.acquisition.to_json(),
            "repeat_within": self.second_order.to_json(),
            "median_days_to_second_order": self.second_order.median_days,
            "by_channel": self.by_channel.to_json() if self.by_channel else None,
            "by_first_product": self.by_first_product.to_json() if self.by_first_product else None,
        }


#: Headline figures with a 95 % interval (Confidence fields, JSON "intervals" keys).
INTERVAL_KEYS = ("crr", "churn_rate", "repeat_purchase_rate", "return_rate", "aov", "revenue_per_customer",
                 "nps", "csat")


@dataclass(frozen=True)
class Confidence:
    """95 % intervals of the headline figures (issue 13; headline.confidence, engine/confidence.py).

    Each is None when the figure is. Rates and CSAT: Wilson score intervals of their counts;
    churn: 1 − the CRR interval; NPS: normal interval with Var = (p + d − (p − d)²) / n; AOV
    and revenue per customer: t interval around the headline figure with the spread of the
    counted orders' net amounts (of the customers' summed net amounts). ``Interval.basis``
    holds the counts (Proportion, NpsCounts) or MeanStats(mean = the headline figure, sd, n)
    that the previous-period tests compare.
    """

    crr: Interval | None = None
    churn_rate: Interval | None = None
    repeat_purchase_rate: Interval | None = None
    return_rate: Interval | None = None
    aov: Interval | None = None
    revenue_per_customer: Interval | None = None
    nps: Interval | None = None
    csat: Interval | None = None

    def get(self, key: str) -> Interval | None:
        return getattr(self, key) if key in INTERVAL_KEYS else None

    def to_json(self) -> dict[str, Any]:
        """{key: {"value", "low", "high", "method", "level", "n"}} for each figure that has one."""
        out: dict[str, Any] = {}
        for key in INTERVAL_KEYS:
            iv = getattr(self, key)
            if iv is not None:
                out[key] = {"value": iv.value, "low": iv.low, "high": iv.high, "method": iv.method,
                            "level": iv.level, "n": getattr(iv.basis, "n", None)}
        return out


#: FigureChange.verdict values: better / worse only when the test says significant.
BETTER, WORSE, NOISE, UNTESTED, NO_VALUE = "better", "worse", "within_noise", "untested", "no_value"


@dataclass(frozen=True)
class FigureChange:
    """One headline figure now and in the previous period (engine/comparison.py).

    change = current − previous in the figure's own unit (a fraction for rates, so 0.031 is
    3.1 percentage points; points for NPS; money or count otherwise); relative = change ÷
    previous for money and counts (None for rates, or when previous is 0). ``test`` is the
    significance test of the change (None for counts and money totals, which are not tested,
    or when a side has too little data); verdict: BETTER / WORSE (significant), NOISE (tested,
    not significant), UNTESTED, NO_VALUE (a side has no figure).
    """

    key: str
    current: float | None
    previous: float | None
    change: float | None
    relative: float | None
    unit: str  # "rate" (shown in pp), "points" (NPS), "money", "count", "number"
    higher_is_better: bool
    test: Difference | None
    verdict: str

    def to_json(self) -> dict[str, Any]:
        t = self.test
        return {
            "current": self.current, "previous": self.previous, "change": self.change,
            "relative": self.relative, "unit": self.unit, "verdict": self.verdict,
            "test": None if t is None else {
                "method": t.method, "difference": t.difference, "low": t.low, "high": t.high,
                "statistic": t.statistic, "p_value": t.p_value, "significant": t.significant,
                "level": t.level, "df": t.df,
            },
        }


#: Share of the previous period the data must cover (SPEC Clarifications "Previous period").
MIN_PREVIOUS_COVERAGE = 0.9


@dataclass
class PreviousPeriod:
    """The previous period (t0 − P, t0] computed by the same engine, and every change (issue 13).

    ``report`` is kpi.build_kpis on the shifted period (headline figures only: its tables
    and the CLV forecast are empty); None with ``reason`` when the data covers less than
    MIN_PREVIOUS_COVERAGE of it (``kpi.not_enough_history``) or the engine refused it
    (``kpi.previous_failed``, the engine's message in its ``error`` field). ``changes``: headline key -> FigureChange.
    """

    start: date  # t0 − P (exclusive)
    end: date  # t0 (inclusive)
    days: int  # P
    covered_days: int  # days of (start, end] on or after the first date in the data
    report: "KpiReport | None" = None
    changes: dict[str, FigureChange] = field(default_factory=dict)
    reason: Message | None = None  # why report is None

    @property
    def available(self) -> bool:
        return self.report is not None

    def to_json(self) -> dict[str, Any] | None:
        """The previous period's headline keys (as KpiReport.to_json) plus covered_days and changes."""
        if self.report is None:
            return None
        full = self.report.to_json()
        out = {k: full[k] for k in _PREVIOUS_JSON if k in full}
        out["covered_days"] = self.covered_days
        out["changes"] = {k: c.to_json() for k, c in self.changes.items()}
        return out


#: Keys of the previous report's JSON repeated under "previous".
_PREVIOUS_JSON = ("period", "customers", "orders", "revenue", "repeat_purchase_rate", "aov", "return_rate",
                  "crr", "churn_rate", "returned_orders", "purchase_frequency", "active_days", "historical_clv",
                  "nps", "csat", "intervals", "notes")


@dataclass
class KpiReport:
    """Every figure of one report. DataFrames are ready-to-show tables.

    Period figures (customers … return_rate) count orders whose order date
    (earliest date of its rows) is in (period_start, period_end]; revenue is
    dated by each row's own date (a refund counts when it was booked, see
    kpi.py). Tables look at all data up to period_end (history before the
    period included).

    Tables (column: meaning)
    ------------------------
    monthly, one row per calendar month from the first month with data (or of the
    period, if earlier) to the month of period_end:
        month (Timestamp, first day), in_period (bool: month overlaps the period),
        partial (bool: a first or last month of the data not covered to its end or from its
        start), covered_from / covered_to (Timestamps: the days of the month the data covers),
        new_customers (first order in the month), returning_customers (ordered in
        the month, first order earlier), customers (ordered in the month),
        orders, returned_orders (by order date), net_revenue (rows dated in
        the month, not flagged returned; money sums are rounded to 6 decimals),
        aov (net_revenue ÷ orders; NaN without orders),
        active_customers (active at the month's last day, or at period_end for
        its month — so the last row equals retention.end).
    cohorts: see cohorts.cohort_retention (monthly cohorts of counted orders).
    segments: see rfm.segment_summary (all 11 segments, best first).
    customers_table, one row per customer with an order dated up to period_end,
    sorted by net_revenue (highest first; ties in order of first appearance):
        customer_id; optional customer_name, email, phone (latest non-empty
        value), channel (earliest non-empty value: how they came); first_order_date,
        last_order_date (counted orders; NaT if none); orders (counted orders);
        returned_orders; net_revenue (rows not flagged returned, refunds count);
        aov (net_revenue ÷ orders; NaN without orders); days_since_last_order
        (to period_end; NaN if none); r_score, f_score, m_score (Int64, <NA>
        without counted orders; R from days_since_last_order, F from orders, M
        from net_revenue); segment (str, missing without counted orders);
        active (bool: active at period_end); when the CLV model was fitted
        (predicted_clv.model not None) also p_alive (probability the customer
        is still buying at period_end), expected_purchases and predicted_clv
        (next settings.clv_months months; CLV discounted) and churn_risk
        ("low" / "medium" / "high") — NaN / missing without counted orders.
    engine/tables.py declares every table's columns and dtypes; build_kpis checks them.

    Typed parts
    -----------
    survey: Nps (0–10 answers) or Csat (1–5 answers) of the period, None without answers.
    predicted_clv: the BG/NBD + Gamma-Gamma forecast (engine/predicted_clv.py); None only in a
    headline-only report (the previous period).
    """

    settings: ReportSettings
    period_start: date  # t0 (exclusive)
    period_end: date  # t1 (inclusive)
    rows_read: int  # data rows under the header (from the reader)
    rows_used: int  # rows in the orders frame
    rows_skipped: int  # rows the reader skipped (listed on "Data issues")
    customers: int  # distinct customers with a counted order in the period
    orders: int  # counted orders in the period (net amount > 0, not flagged returned)
    revenue: float  # net revenue: amounts of the period's rows not flagged returned (refunds count)
    repeat_purchase_rate: float | None  # share of the period's customers with 2+ orders in it
    aov: float | None  # revenue ÷ orders
    purchase_frequency: float | None  # orders ÷ customers ÷ months
    return_rate: float | None  # returned_orders ÷ (orders + returned_orders)
    returned_orders: int  # orders in the period with a flagged row or a negative net amount
    retention: Retention  # headline CRR (S, E, N, won back, brand new, value, churn)
    historical_clv: HistoricalClv  # average monthly revenue per customer × lifetime, with inputs
    benchmark_crr: float | None  # chosen industry's typical CRR (None: no or unknown industry)
    monthly: pd.DataFrame  # one row per calendar month (see class doc)
    cohorts: pd.DataFrame  # index cohort month; "customers" then 0..K shares
    segments: pd.DataFrame  # one row per RFM segment
    customers_table: pd.DataFrame  # one row per customer (all of them)
    reconciliation: Reconciliation | None = None  # gross sales, refunds, net revenue, left-out rows
    data_start: date | None = None  # earliest date in the orders frame
    data_end: date | None = None  # latest date in the orders frame
    industry: str | None = None  # canonical industry key of benchmark_crr (metrics.INDUSTRY_CRR)
    notes: dict[str, Message] = field(default_factory=dict)  # field name -> why it is None
    survey: Nps | Csat | None = None  # NPS or CSAT of the period (see the class doc)
    predicted_clv: PredictedClv | None = None  # the forecast; None in a headline-only report
    where_to_act: WhereToAct | None = None  # revenue cohorts, CAC, second order, splits (issue 14)
    #: issue 18: the report currency and the amounts of other currencies left out (engine/currency.py);
    #: None when the report was built without the currency step (then JSON currency null, no other currencies)
    currency: CurrencyReport | None = None
    # issue 12: holdout validation of the predicted CLV (JSON "clv_validation"); None when no fit was tried
    forecast_check: ForecastCheck | None = None
    # issue 13: 95 % intervals of the headline figures, and the previous period with every change
    confidence: Confidence | None = None
    previous: PreviousPeriod | None = None

    @property
    def period_days(self) -> int:
        """Length of the period (t0, t1] in days."""
        return (self.period_end - self.period_start).days

    @property
    def months(self) -> float:
        """Period length in average months (days ÷ 30.44), as purchase frequency uses it."""
        return self.period_days / DAYS_PER_MONTH

    @property
    def active_days(self) -> int:
        """The activity window W of the retention measurement, in days (adaptive unless set)."""
        return self.retention.window_days

    @property
    def churn_rate(self) -> float | None:
        return self.retention.churn

    def to_json(self) -> dict[str, Any]:
        """The SPEC's machine-readable headline figures plus the typed parts; JSON-safe (null, never NaN).

        ``json.dumps(report.to_json(), allow_nan=False)`` always works.

        The survey is "nps" or "csat" (Nps/Csat.to_json()); predicted CLV is written as two keys:

        * ``"clv_model"``: the fitted parameters ``{"r", "alpha", "a", "b", "p", "q",
          "gamma", "unit", "method"}`` — ``method`` "mle" or "map" (clv.FIT_METHODS); BG/NBD r, alpha (in ``unit``, always ``"weeks"``), a, b;
          Gamma-Gamma p, q, gamma (money; null when spend fell back to each
          customer's own average). ``null`` when the data cannot support a fit;
          the reason is then under ``notes["clv_model"]``.
        * ``"clv_validation"``: ``ForecastCheck.to_json()`` — calibration_end,
          holdout_days, predicted_repeat_orders, actual_repeat_orders,
          relative_error, verdict, withheld and the per-bucket table (``buckets``).
        * ``"predicted_clv"``: ``{"months", "annual_discount", "as_of",
          "expected_revenue", "total_clv", "customers", "repeat_buyers",
          "churn_risk": {"low", "medium", "high"}, "reason", "reason_code", "notes"}``;
          ``expected_revenue`` is the dashboard's "predicted revenue from existing
          customers" (null without a fit, ``reason`` then says why).
        """
        r = self.retention
        c = self.historical_clv
        out: dict[str, Any] = {
            "period": {
                "start": self.period_start.isoformat(),
                "end": self.period_end.isoformat(),
                "days": self.period_days,
            },
            "rows": {"read": self.rows_read, "used": self.rows_used, "skipped": self.rows_skipped},
            "customers": self.customers,
            "orders": self.orders,
            "revenue": self.revenue,
            "repeat_purchase_rate": self.repeat_purchase_rate,
            "aov": self.aov,
            "return_rate": self.return_rate,
            "crr": {
                "start": r.start,
                "end": r.end,
                "new": r.new,
                "won_back": r.won_back,
                "brand_new": r.brand_new,
                "value": r.value,
                "window_days": r.window_days,
                "measured_from": r.measured_from.isoformat() if r.measured_from else None,
            },
            "churn_rate": r.churn,
            "returned_orders": self.returned_orders,
            "purchase_frequency": self.purchase_frequency,
            "active_days": self.active_days,
            "historical_clv": {
                "value": c.value,
                "monthly_revenue_per_customer": c.monthly_revenue_per_customer,
                "monthly_churn": c.monthly_churn,
                "lifetime_months": c.lifetime_months,
                "note": c.note,
            },
            "benchmark": {"industry": self.industry, "crr": self.benchmark_crr},
            "data": {
                "first_date": self.data_start.isoformat() if self.data_start else None,
                "last_date": self.data_end.isoformat() if self.data_end else None,
            },
            "notes": {k: str(m) for k, m in self.notes.items()},  # the English sentences
        }
        if self.where_to_act is not None:
            out.update(self.where_to_act.to_json())
        if self.reconciliation is not None:
            out["reconciliation"] = self.reconciliation.to_json()
        out["intervals"] = self.confidence.to_json() if self.confidence is not None else {}
        # issue 13: the previous period, or null with its reason under notes["previous"]
        out["previous"] = self.previous.to_json() if self.previous is not None else None
        if self.previous is not None and self.previous.report is None and self.previous.reason:
            out["notes"]["previous"] = str(self.previous.reason)
        if isinstance(self.survey, Nps):
            out["nps"] = self.survey.to_json()
        elif isinstance(self.survey, Csat):
            out["csat"] = self.survey.to_json()
        if self.predicted_clv is not None:
            p = self.predicted_clv
            out["clv_model"] = p.model.to_json() if p.model is not None else None
            out["predicted_clv"] = p.to_json()
        cur = (self.currency or CurrencyReport(None, "none")).to_json()  # issue 18
        out.update(cur)
        if isinstance(out.get("reconciliation"), dict):  # the reconciliation says its currency, too
            out["reconciliation"].update(currency=cur["currency"], other_currencies=cur["other_currencies"])
        if self.forecast_check is not None:
            out["clv_validation"] = self.forecast_check.to_json()
        return _json_safe(out)


def _json_safe(value: Any) -> Any:
    """Plain Python types only; NaN/inf become None."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)  # a Message is written as its English sentence
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else None
    if isinstance(value, (date, pd.Timestamp)):
        return value.isoformat()
    return str(value)
