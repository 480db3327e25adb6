"""Orders frame -> KpiReport: every figure of the KPI report, computed once.

Definitions (SPEC "Definitions used by the report", made precise here):

* Dates are calendar days. An order is an ``order_id``; its date is the earliest
  date among its rows, its customer that of its first row (lowest ``row``).
* An order's net amount is the sum of all its rows' amounts. It is *counted*
  when the net amount is positive and no row is flagged returned; it is
  *returned* when a row is flagged or the net amount is negative. (An unflagged
  order netting exactly 0 is neither.) Whether an order is counted depends on
  all its rows, whatever their dates.
* Period (t0, t1]: t1 = settings.period_end or the latest date in the data;
  t0 = settings.period_start or t1 − 365 days, moved to the day before the
  first date in the data when the data starts later (so all data is inside).
* Orders are dated by their order date; money is dated by its own row. Net
  revenue is the sum of the amounts of the rows dated in the period (or month)
  that are not flagged returned; negative amounts are refunds and count in the
  period they were booked, as in the shop's books (SPEC: "sum of the amounts of
  used rows in the period").
* Active at d: the customer has a counted order dated in (d − window, d]
  (equivalently: their latest counted order on or before d is in that window),
  from all history. S, E, N, CRR = (E − N) / S, churn = 1 − CRR.
  Won back = part of N whose first counted order is on or before t0;
  brand new = part of N whose first counted order is in the period.
* Historical CLV: see engine.report.HistoricalClv.
* Tables (monthly trend, cohorts, RFM customers) use everything up to t1.
* Survey score (when the data has a score column): one answer per order, that
  of its first row with a score, for orders in the period. SPEC allows an NPS or
  a CSAT column, so the scale is decided first (survey_kind): a header that
  names NPS means NPS; one that names CSAT / satisfaction / rating means CSAT;
  any other header ("Score", "Оценка", "评分") means CSAT when every answer in
  the data is within 1–5 and NPS otherwise. NPS -> report.survey = Nps (metrics.nps);
  CSAT -> report.survey = Csat, the share of answers 4–5 on the 1–5 scale
  (metrics.csat). Read as NPS, a 1–5 column would be all detractors (−100).
* Predicted CLV (report.predicted_clv, per customer in customers_table): clv.forecast on
  the counted orders up to t1, one row per order (customer, order date, net
  amount), as_of = t1, horizon settings.clv_months, settings.annual_discount.
  When the data cannot support a fit, predicted_clv.reason carries it (also in
  notes["clv_model"]) and customers_table has no forecast columns.

Everything is vectorised over integer codes (customers, orders) and integer
day numbers (days since 1970-01-01); there is no per-customer Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.engine import cohorts as cohorts_mod
from retention_xl.engine import clv, metrics, rfm
from retention_xl.engine import comparison
from retention_xl.engine import confidence as cf
from retention_xl.errors import InputError, MetricError
from retention_xl.common.ids import factorize
from retention_xl.engine.report import (DAYS_PER_MONTH, MIN_PREVIOUS_COVERAGE, Confidence, HistoricalClv,
                                        KpiReport, PreviousPeriod, Reconciliation, Retention, WhereToAct)
from retention_xl.engine import revenue_cohorts as revenue_mod
from retention_xl.engine import second_order as second_mod
from retention_xl.engine import splits as splits_mod
from retention_xl.engine.tables import CUSTOMERS, check_report
from retention_xl.engine.predicted_clv import RISK_BANDS, ChurnRisk, ClvModelParams, ClvNote, PredictedClv
from retention_xl.engine.survey import Csat, Nps, Survey
from retention_xl.settings import ReportSettings

REQUIRED_COLUMNS = ("row", "customer_id", "date", "amount", "order_id", "returned", "unpaid")
#: Retention windows the adaptive measurement tries, longest first (SPEC "Retention is measured ...").
ADAPTIVE_WINDOWS = (365, 180, 90, 30)
PERSONAL_COLUMNS = CUSTOMERS.personal  # copied per customer (latest value), dropped by --anonymize
DEFAULT_PERIOD_DAYS = 365
_EPOCH = date(1970, 1, 1)
_NONE = np.iinfo(np.int64).min // 2  # "no order" day number, far in the past


def build_kpis(
    orders: pd.DataFrame, settings: ReportSettings, *, rows_read: int, rows_skipped: int,
    score_header: str | None = None, spend: revenue_mod.Spend | None = None,
    no_customer: pd.DataFrame | None = None,
    previous: bool = True, tables: bool = True, measurement: tuple[int, date] | None = None,
    _prepared: tuple[Any, Any] | None = None,
) -> KpiReport:
    """Every headline figure and table of the report from the orders frame (ARCHITECTURE.md).

    ``score_header`` is the input's header of the ``score`` column (ReadResult.columns["score"]):
    it tells an NPS column from a CSAT one (see survey_kind). ``spend`` is the marketing
    spend the user gave (CAC and payback on the Where-to-act sheet), None without.
    ``no_customer``: the rows the reader skipped only for lacking a customer id
    (ReadResult.no_customer: date, amount), for the reconciliation.
    ``previous``: also compute the previous period (report.previous, see previous_period).
    ``tables=False``: headline figures only — the customers table is empty and there is no
    CLV forecast (predicted_clv None); what previous_period uses, with ``measurement``
    (W, start): the retention measurement given, not chosen by the settings.
    """
    _check_frame(orders, rows_read, rows_skipped)
    if settings.active_days is not None and settings.active_days < 1:
        raise InputError(f"The activity window must be at least 1 day (it is {settings.active_days}).")
    # rows and orders do not depend on the period: the previous period reuses them (_prepared)
    rows, od = _prepared if _prepared is not None else (_Rows(orders), None)
    od = od if od is not None else _orders_of(rows)
    t0, t1 = report_period(rows.day.min(), rows.day.max(), settings)
    first_data_day = int(rows.day.min())
    if measurement is None:
        window, m_start, thin = retention_measurement(first_data_day, t0, t1, settings)
    else:  # the previous period: the current measurement (W, start) shifted back (previous_period)
        window, m_start = int(measurement[0]), _day_number(measurement[1])
        thin = window > 0 and m_start - first_data_day + 1 < window
    notes = _Notes()  # each part's notes, in the order the parts are computed (the JSON keeps it)
    period = _period_figures(rows, od, t0, t1, no_customer, notes)
    ret = _retention(rows, od, t0, t1, window, m_start, thin, settings, notes)
    historical = _historical_clv(period.revenue, period.priced_customers, t1 - t0, ret.retention.value, notes,
                                 window)
    benchmark, industry = _benchmark(settings.industry, notes)
    tbl = _tables(rows, od, ret, t0, t1, settings) if tables else _headline_tables(rows, od, t0, t1, ret)
    survey = _survey(rows, od, t0, t1, notes, score_header)
    where = (_where_to_act(rows, od, t1, ret.first, ret.active_start, ret.active_end, period.counted, period.row_in,
                           spend, settings.margin) if tables else None)
    if tbl.predicted is not None and tbl.predicted.reason is not None:
        notes("clv_model", tbl.predicted.reason.code, tbl.predicted.reason.text)
    report = KpiReport(
        settings=settings,
        period_start=_to_date(t0),
        period_end=_to_date(t1),
        rows_read=int(rows_read),
        rows_used=len(orders),
        rows_skipped=int(rows_skipped),
        customers=period.customers,
        orders=period.orders,
        revenue=period.revenue,
        repeat_purchase_rate=period.repeat_purchase_rate,
        aov=period.aov,
        purchase_frequency=period.purchase_frequency,
        return_rate=period.return_rate,
        returned_orders=period.returned_orders,
        retention=ret.retention,
        historical_clv=historical,
        benchmark_crr=benchmark,
        monthly=tbl.monthly,
        cohorts=tbl.cohorts,
        segments=tbl.segments,
        customers_table=tbl.customers,
        reconciliation=period.reconciliation,
        data_start=_to_date(first_data_day),
        data_end=_to_date(int(rows.day.max())),
        industry=industry,
        notes=notes.texts,
        note_codes=notes.codes,
        survey=survey,
        predicted_clv=tbl.predicted,  # a headline-only report (tables=False) has no forecast
        where_to_act=where,
        forecast_check=tbl.forecast_check,
    )
    # issue 13: intervals of the headline figures, and the previous period by this same function
    report.confidence = _confidence(report, od.net[period.counted], period.buyers)
    if previous:
        report.previous = previous_period(orders, settings, report, rows_read=rows_read,
                                          rows_skipped=rows_skipped, score_header=score_header,
                                          prepared=(rows, od))
    check_report(report)  # every table as engine/tables.py declares it, or a loud internal error
    return report


class _Notes:
    """Why figures are None, as the parts find out: key -> English text (KpiReport.notes) and code."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.codes: dict[str, str] = {}

    def __call__(self, key: str, code: str, text: str) -> None:
        self.texts[key] = text
        self.codes[key] = code


@dataclass(frozen=True)
class _PeriodFigures:
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


def _period_figures(rows: "_Rows", od: "_Orders", t0: int, t1: int, no_customer: pd.DataFrame | None,
                    note: _Notes) -> _PeriodFigures:
    """Customers, orders, revenue, repeat rate, AOV, frequency, return rate and the reconciliation."""
    in_period = (od.day > t0) & (od.day <= t1)
    counted_p = od.counted & in_period
    n_orders = int(counted_p.sum())
    n_returned = int((od.returned & in_period).sum())
    period_buyers = od.customer[counted_p]
    n_customers = int(np.count_nonzero(np.bincount(period_buyers, minlength=1)))
    row_in_period = (rows.day > t0) & (rows.day <= t1)
    revenue = _money(rows.net[row_in_period].sum())
    # issue 18: money figures count only orders whose amounts are in the report currency
    priced_p = counted_p & od.priced
    n_priced = int(priced_p.sum())
    months = (t1 - t0) / DAYS_PER_MONTH
    repeat = _rate(
        lambda: metrics.repeat_rate(period_buyers), n_customers == 0,
        "repeat_purchase_rate", "no_customers", "No customer ordered in the period.", note,
    )
    aov = _rate(
        lambda: metrics.aov(revenue, n_priced), n_priced == 0,
        "aov", *(("no_orders", "The period has no orders.") if n_orders == 0 else (
            "no_priced_orders", "No order of the period is in the report currency; the others have no exchange rate.")),
        note,
    )
    frequency = _rate(
        lambda: metrics.purchase_frequency(n_orders, n_customers, months), n_customers == 0,
        "purchase_frequency", "no_customers", "No customer ordered in the period.", note,
    )
    return_rate = _rate(
        lambda: metrics.return_rate(n_returned, n_orders + n_returned), n_orders + n_returned == 0,
        "return_rate", "no_orders", "The period has no orders and no returned orders.", note,
    )
    return _PeriodFigures(
        counted=counted_p, row_in=row_in_period, buyers=period_buyers, customers=n_customers, orders=n_orders,
        returned_orders=n_returned, revenue=revenue,
        priced_customers=int(np.count_nonzero(np.bincount(od.customer[priced_p], minlength=1))),
        repeat_purchase_rate=repeat, aov=aov, purchase_frequency=frequency, return_rate=return_rate,
        reconciliation=_reconciliation(rows, row_in_period, t0, t1, no_customer),
    )


@dataclass(frozen=True)
class _RetentionPart:
    """The headline CRR, and the per-customer facts the tables and where-to-act reuse."""

    retention: Retention
    window: int  # the window the activity counts use (W, or 365 when no window fits)
    first: np.ndarray  # per customer code: day of the first counted order up to t1 (int64 max if none)
    active_start: np.ndarray  # per customer code: active at the start of the measurement
    active_end: np.ndarray  # per customer code: active at t1
    history: np.ndarray  # per order: counted and dated up to t1


def _retention(rows: "_Rows", od: "_Orders", t0: int, t1: int, window: int, m_start: int, thin: bool,
               settings: ReportSettings, note: _Notes) -> _RetentionPart:
    """S, E, N, won back / brand new and CRR over (m_start, t1] with window W (SPEC "Retention")."""
    first_data_day = int(rows.day.min())
    hist = od.counted & (od.day <= t1)
    c_cust, c_day = od.customer[hist], od.day[hist]
    n_cust = rows.n_customers
    first = _per_customer(np.minimum, c_cust, c_day, n_cust, np.iinfo(np.int64).max)
    cw = window or ADAPTIVE_WINDOWS[0]  # no window fits: S, E, N over the report period, CRR n/a
    active_t0 = _last_on_or_before(c_cust, c_day, n_cust, m_start) > m_start - cw
    active_t1 = _last_on_or_before(c_cust, c_day, n_cust, t1) > t1 - cw
    gained = active_t1 & ~active_t0
    s, e, n = int(active_t0.sum()), int(active_t1.sum()), int(gained.sum())
    won_back = int((gained & (first <= m_start)).sum())
    crr_value: float | None = None
    churn_value: float | None = None
    crr_note: str | None = None
    if window == 0:
        crr_note = (
            f"The data holds {t1 - first_data_day + 1} days up to the period end: not enough to measure "
            f"retention over even {ADAPTIVE_WINDOWS[-1]} days with {ADAPTIVE_WINDOWS[-1]} days of history before it."
        )
        note("crr", "short_history", crr_note)
    elif s == 0:
        crr_note = (
            f"No customer was active at the start of the measurement ({_to_date(m_start).isoformat()}): "
            f"nobody had an order in the {window} days up to that day, so there is no one to retain."
        )
        note("crr", "no_start_customers", crr_note)
    else:
        try:
            crr_value = metrics.crr(e, n, s)
            churn_value = metrics.churn(e, n, s)
        except MetricError as err:  # cannot happen with consistent counts; kept for safety
            crr_note = str(err)
            note("crr", "metric_error", crr_note)
    history_days = max(0, m_start - first_data_day + 1)
    if thin and window:
        note("crr_thin_base", "thin_base",
             f"The retention base rests on {history_days} days of history before "
             f"{_to_date(m_start).isoformat()}, fewer than the {window}-day window.")
    retention = Retention(
        start=s, end=e, new=n, won_back=won_back, brand_new=n - won_back,
        value=crr_value, churn=churn_value, note=crr_note,
        window_days=window, measured_from=_to_date(m_start),
        thin_base_days=history_days if thin and window else None,
        adaptive=settings.active_days is None and settings.period_start is None,
    )
    return _RetentionPart(retention, cw, first, active_t0, active_t1, hist)


@dataclass(frozen=True)
class _Tables:
    """The report's tables (engine/tables.py) and the CLV forecast the customers table carries."""

    monthly: pd.DataFrame
    cohorts: pd.DataFrame
    customers: pd.DataFrame
    segments: pd.DataFrame
    predicted: PredictedClv | None
    forecast_check: clv.ForecastCheck | None


def _tables(rows: "_Rows", od: "_Orders", ret: _RetentionPart, t0: int, t1: int,
            settings: ReportSettings) -> _Tables:
    """Monthly trend, cohorts, the customers table with the CLV forecast, and the RFM segments.

    The tables look at all history up to t1, not only the period.
    """
    fc = ret.history & od.priced  # issue 18: the forecast sees only amounts in the report currency
    predicted, per_customer, check = _predicted_clv(od.customer[fc], od.day[fc], od.net[fc], rows.n_customers,
                                                    t1, settings)
    customers = _customers(rows, od, t1, ret.first, ret.active_end, per_customer)
    return _Tables(monthly=_monthly(rows, od, t0, t1, ret.window),
                   cohorts=_cohorts(od.customer[ret.history], od.day[ret.history]),
                   customers=customers, segments=_segments(customers), predicted=predicted, forecast_check=check)


def _headline_tables(rows: "_Rows", od: "_Orders", t0: int, t1: int, ret: _RetentionPart) -> _Tables:
    """A headline-only report's tables (the previous period): no customers, no forecast."""
    customers = _no_customers()
    return _Tables(monthly=_monthly(rows, od, t0, t1, ret.window),
                   cohorts=_cohorts(od.customer[ret.history], od.day[ret.history]),
                   customers=customers, segments=_segments(customers), predicted=None, forecast_check=None)


def _segments(customers: pd.DataFrame) -> pd.DataFrame:
    """RFM segment summary of the scored customers, with the predicted CLV per segment when fitted."""
    scored = customers[customers["segment"].notna()]
    segments = rfm.segment_summary(
        pd.DataFrame(
            {
                "segment": scored["segment"],
                "recency_days": scored["days_since_last_order"],
                "frequency": scored["orders"],
                "monetary": scored["net_revenue"],
            }
        )
    )
    return _segment_predicted_clv(segments, customers)


def report_period(first_day: int, last_day: int, settings: ReportSettings) -> tuple[int, int]:
    """(t0, t1) as day numbers: settings, else the last 365 days of data or all of a shorter span."""
    t1 = _day_number(settings.period_end) if settings.period_end is not None else int(last_day)
    if settings.period_start is not None:
        t0 = _day_number(settings.period_start)
    else:
        t0 = t1 - DEFAULT_PERIOD_DAYS
        if t0 < first_day - 1 < t1:
            t0 = int(first_day) - 1
    if settings.period_end is not None:
        today = _day_number(settings.today if settings.today is not None else date.today())
        if t1 > today:
            raise InputError(
                f"The period end {_to_date(t1).isoformat()} is after today ({_to_date(today).isoformat()}): "
                "a report cannot cover days that have not happened."
            )
    if t0 >= t1:
        raise InputError(
            f"The report period must start before it ends: start {_to_date(t0).isoformat()}, "
            f"end {_to_date(t1).isoformat()}."
        )
    if t1 < first_day:  # a period after the data still says something (everyone left); before it, nothing
        raise InputError(
            f"The report period ends on {_to_date(t1).isoformat()}, before the first order in the data "
            f"({_to_date(first_day).isoformat()}); the orders run from {_to_date(first_day).isoformat()} "
            f"to {_to_date(last_day).isoformat()}."
        )
    return t0, t1


def retention_measurement(first_day: int, t0: int, t1: int, settings: ReportSettings) -> tuple[int, int, bool]:
    """(W, start, thin) of the retention measurement (start, t1] (SPEC and its Clarifications table).

    "The data holds W days before d" means d − first_day + 1 ≥ W (the first order day counts).
    Neither --active-days nor --period-start: the report period with W = 365 when the data
    holds 365 days before t0, else the latest (t1 − W, t1] with W the longest of 180, 90, 30
    that the data supports; W = 0 (CRR n/a) when none does. --active-days W only: the report
    period if the data holds W days before t0, else (t1 − W, t1] if it holds W days before
    that, else the report period with the thin-base warning. --period-start: exactly the
    report period, W = --active-days or 365, thin when fewer than W days precede t0.
    ``thin`` says the base rests on less history than the window.
    """
    def holds(w: int, d: int) -> bool:
        return d - first_day + 1 >= w

    given = settings.active_days
    if settings.period_start is not None:
        w = int(given) if given is not None else ADAPTIVE_WINDOWS[0]
        return w, t0, not holds(w, t0)
    if given is not None:
        w = int(given)
        if holds(w, t0):
            return w, t0, False
        if holds(w, t1 - w):
            return w, t1 - w, False
        return w, t0, True
    if holds(ADAPTIVE_WINDOWS[0], t0):
        return ADAPTIVE_WINDOWS[0], t0, False
    for w in ADAPTIVE_WINDOWS[1:]:
        if holds(w, t1 - w):
            return w, t1 - w, False
    return 0, t0, False


def _reconciliation(rows: "_Rows", in_period: np.ndarray, t0: int, t1: int,
                    no_customer: pd.DataFrame | None) -> Reconciliation:
    """Gross sales, refunds, net revenue, not-a-sale and no-customer rows of the period (row dates)."""
    nc_rows, nc_amount = 0, 0.0
    if no_customer is not None and len(no_customer):
        d = pd.to_datetime(no_customer["date"]).dt.normalize().to_numpy(dtype="datetime64[D]").astype(np.int64)
        m = (d > t0) & (d <= t1)
        nc_rows = int(m.sum())
        nc_amount = _money(no_customer["amount"].to_numpy(dtype=float)[m].sum())
    ns = rows.not_sale & in_period
    return Reconciliation(
        gross_sales=_money(rows.gross[in_period].sum()),
        refunds=_money(rows.refund[in_period].sum()),
        net_revenue=_money(rows.net[in_period].sum()),
        not_a_sale_rows=int(ns.sum()),
        not_a_sale_amount=_money(rows.amount[ns].sum()),
        unpaid_rows=int((ns & rows.unpaid).sum()),
        no_customer_rows=nc_rows,
        no_customer_amount=nc_amount,
    )


# --- rows and orders ------------------------------------------------------------------


class _Rows:
    """The orders frame as aligned numpy arrays with integer codes."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.row = frame["row"].to_numpy(dtype=np.int64)
        dates = pd.to_datetime(frame["date"]).dt.normalize()
        self.day = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
        self.amount = frame["amount"].to_numpy(dtype=float)
        self.flagged = frame["returned"].fillna(False).to_numpy(dtype=bool)
        self.unpaid = frame["unpaid"].fillna(False).to_numpy(dtype=bool)
        # money rows (SPEC "Money rows"): a negative amount is a refund whatever its flags; a
        # positive row flagged returned or unpaid is not a sale; a paid row's refunded part
        # (optional "refunded" column) is a refund while the row stays a sale
        self.sale = (self.amount >= 0) & ~self.flagged & ~self.unpaid
        self.not_sale = (self.amount > 0) & (self.flagged | self.unpaid)
        refunded = (frame["refunded"].fillna(0.0).to_numpy(dtype=float) if "refunded" in frame.columns
                    else np.zeros(len(frame)))
        self.gross = np.where(self.sale, self.amount, 0.0)
        self.refund = np.where(self.amount < 0, -self.amount, 0.0) + np.where(self.sale, np.abs(refunded), 0.0)
        self.net = self.gross - self.refund
        # issue 18 (engine/currency.py): rows in a currency without a rate are purchases, not money:
        # their sales and refunds stay out of every money figure (net, gross, refunds are 0 there)
        priced = (frame["in_report_currency"].to_numpy(dtype=bool) if "in_report_currency" in frame.columns
                  else None)
        self.priced = None if priced is None or priced.all() else priced
        self.order_net = self.net  # in the row's own currency: whether an order counts does not depend on rates
        if self.priced is not None:
            self.gross = np.where(self.priced, self.gross, 0.0)
            self.refund = np.where(self.priced, self.refund, 0.0)
            self.net = self.gross - self.refund
        self.customer, self.customer_ids = factorize(frame["customer_id"])
        self.order, _ = factorize(frame["order_id"])
        self.n_customers = len(self.customer_ids)


class _Orders:
    """One entry per order id: customer, date, net amount, counted / returned."""

    def __init__(self, customer: np.ndarray, day: np.ndarray, net: np.ndarray, flagged: np.ndarray,
                 unpaid: np.ndarray | None = None, refunded: np.ndarray | None = None,
                 priced: np.ndarray | None = None) -> None:
        self.customer = customer
        #: every row of the order is in the report currency (issue 18)
        self.priced = np.ones(len(customer), dtype=bool) if priced is None else priced
        self.day = day
        self.net = net
        cents = np.round(net, 6)  # float sums of +x and −x must count as 0
        unpaid = np.zeros(len(net), dtype=bool) if unpaid is None else unpaid
        refunded = np.zeros(len(net), dtype=bool) if refunded is None else refunded
        self.unpaid = unpaid  # the money never came: neither an order nor a returned order
        self.counted = ~flagged & ~unpaid & (cents > 0)
        self.returned = ~unpaid & (flagged | (cents < 0) | (refunded & (cents <= 0)))


def _orders_of(rows: _Rows) -> _Orders:
    """Group rows into orders: earliest date, first row's customer, net amount, any flag.

    Orders come out in order-code order, so ``od.day[rows.order]`` is each row's order date.
    """
    idx = np.lexsort((rows.row, rows.order))
    o = rows.order[idx]
    starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
    has_sale = np.logical_or.reduceat(rows.sale[idx] & (rows.amount[idx] > 0), starts)
    return _Orders(
        customer=rows.customer[idx][starts],
        day=np.minimum.reduceat(rows.day[idx], starts),
        net=np.add.reduceat(rows.order_net[idx], starts),
        flagged=np.logical_or.reduceat(rows.flagged[idx] & (rows.amount[idx] >= 0), starts),
        unpaid=np.logical_or.reduceat(rows.unpaid[idx], starts) & ~has_sale,
        refunded=np.logical_or.reduceat(rows.refund[idx] > 0, starts),
        priced=None if rows.priced is None else np.logical_and.reduceat(rows.priced[idx], starts),
    )


def _per_customer(ufunc: np.ufunc, cust: np.ndarray, values: np.ndarray, n: int, fill: int) -> np.ndarray:
    """ufunc (minimum/maximum) of values per customer code; fill where a customer has none."""
    out = np.full(n, fill, dtype=np.int64)
    ufunc.at(out, cust, values)
    return out


def _last_on_or_before(cust: np.ndarray, day: np.ndarray, n: int, d: int) -> np.ndarray:
    """Per customer, the latest order day on or before d (_NONE if none)."""
    m = day <= d
    return _per_customer(np.maximum, cust[m], day[m], n, _NONE)


def _active_counts(cust: np.ndarray, day: np.ndarray, window: int, query: np.ndarray) -> np.ndarray:
    """Customers active at each query day: a counted order in (d − window, d].

    Each order keeps its customer active on days [o, o + window); overlapping
    spans of one customer are merged, then starts minus ends are counted.
    """
    if cust.size == 0:
        return np.zeros(len(query), dtype=np.int64)
    idx = np.lexsort((day, cust))
    c, d = cust[idx], day[idx]
    same_prev = np.r_[False, c[1:] == c[:-1]]
    gap_prev = np.r_[0, d[1:] - d[:-1]]
    begins = ~same_prev | (gap_prev >= window)
    same_next = np.r_[c[1:] == c[:-1], False]
    gap_next = np.r_[d[1:] - d[:-1], 0]
    ends = ~same_next | (gap_next >= window)
    start_days = np.sort(d[begins])
    end_days = np.sort(d[ends] + window)
    q = np.asarray(query, dtype=np.int64)
    return np.searchsorted(start_days, q, side="right") - np.searchsorted(end_days, q, side="right")


# --- headline helpers -------------------------------------------------------------------


def _rate(compute: Any, empty: bool, key: str, code: str, reason: str, note: Any) -> float | None:
    """metrics' value, or None with a plain reason when the metric is undefined."""
    if empty:
        note(key, code, reason)
        return None
    try:
        return float(compute())
    except MetricError as err:
        text = str(err)
        note(key, "negative_value" if "negative" in text else "metric_error", text)
        return None


def _historical_clv(revenue: float, customers: int, days: int, crr: float | None, note: Any,
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
    text: str | None = None
    code = ""
    if spend is None:
        code, text = "no_customers", "No customer ordered in the period, so there is no revenue per customer."
    elif crr is None:
        code, text = "crr_missing", "CRR of the period is not available, so the monthly churn is unknown."
    elif lifetime is None:
        code, text = "no_lost_customers", (
            "No customer active at the start of the period was lost (CRR 100 %), "
            "so the expected lifetime has no limit."
        )
    else:
        try:
            value = float(metrics.clv(spend, lifetime))
        except MetricError as err:
            text = str(err)
            code = "negative_value" if "negative" in text else "metric_error"
    if text is not None:
        note("historical_clv", code, text)
    return HistoricalClv(
        monthly_revenue_per_customer=spend, monthly_churn=monthly_churn, lifetime_months=lifetime,
        value=value, note=text, revenue=revenue, customers=customers, months=months,
        period_crr=crr, period_days=days, window_days=w,
    )


def _benchmark(industry: str | None, note: Any) -> tuple[float | None, str | None]:
    """(typical CRR, canonical key) of the chosen industry, via metrics."""
    if industry is None or not str(industry).strip():
        return None, None
    try:
        key = metrics.industry_key(industry)
        return float(metrics.crr_benchmark(key)), key
    except MetricError as err:
        note("benchmark_crr", "unknown_industry", str(err))
        return None, None


#: Words in a score column's header (lower case) that say which survey it holds.
NPS_HEADER_WORDS = ("nps", "net promoter", "promoter", "промоутер", "推荐")
CSAT_HEADER_WORDS = ("csat", "satisf", "rating", "рейтинг", "удовлетвор", "满意")
#: CSAT scale the report assumes (1–5, satisfied = 4 or 5), as metrics.csat's defaults.
CSAT_SCALE_MAX, CSAT_THRESHOLD = 5, 4


def survey_kind(header: str | None, answers: np.ndarray) -> str:
    """"nps" or "csat": what the score column holds, from its header, else from its answers.

    A header naming NPS wins, then one naming CSAT / satisfaction / rating; otherwise
    every answer within 1–5 is a 5-point satisfaction scale (an NPS answer runs 0–10).
    """
    h = str(header or "").strip().lower()
    if any(w in h for w in NPS_HEADER_WORDS):
        return "nps"
    if any(w in h for w in CSAT_HEADER_WORDS):
        return "csat"
    a = answers[~np.isnan(answers)]
    return "csat" if a.size and a.min() >= 1 and a.max() <= CSAT_SCALE_MAX else "nps"


def _survey(rows: _Rows, od: _Orders, t0: int, t1: int, note: Any, header: str | None) -> Survey:
    """NPS or CSAT of the period from the optional ``score`` column: one answer per order (its first row's).

    None when the data has no score column, no answer in the period, or answers off the
    scale (then a note under "nps" / "csat" says so).
    """
    if "score" not in rows.frame.columns:
        return None
    score = pd.to_numeric(rows.frame["score"], errors="coerce").to_numpy(dtype=float)
    has = np.flatnonzero(~np.isnan(score))
    if has.size == 0:
        return None
    kind = survey_kind(header, score[has])
    idx = has[np.lexsort((rows.row[has], rows.order[has]))]
    o = rows.order[idx]
    first = idx[np.r_[True, o[1:] != o[:-1]]]  # first answered row of each order
    day = od.day[rows.order[first]]
    answers = score[first][(day > t0) & (day <= t1)]
    if answers.size == 0:
        note(kind, "no_answers", f"No order in the period has a score ({kind.upper()} answer).")
        return None
    try:
        if kind == "csat":
            value = float(metrics.csat(answers, CSAT_SCALE_MAX, CSAT_THRESHOLD))
        else:
            value = float(metrics.nps(answers))
    except MetricError as err:
        note(kind, "metric_error", str(err))
        return None
    if kind == "csat":
        return Csat(value=value, responses=int(answers.size),
                    satisfied=int(np.count_nonzero(answers >= CSAT_THRESHOLD)),
                    scale_max=CSAT_SCALE_MAX, threshold=CSAT_THRESHOLD)
    return Nps(value=value, responses=int(answers.size), promoters=int(np.count_nonzero(answers >= 9)),
               detractors=int(np.count_nonzero(answers <= 6)))


#: Per-customer forecast columns merged into customers_table (clv.ClvForecast names).
CLV_COLUMNS = ("p_alive", "churn_risk", "expected_90d", "next_order_date", "expected_purchases", "predicted_clv",
               "value_at_risk")


def _predicted_clv(c_cust: np.ndarray, c_day: np.ndarray, c_net: np.ndarray, n_customers: int, t1: int,
                   settings: ReportSettings) -> tuple[PredictedClv, dict[str, np.ndarray], clv.ForecastCheck | None]:
    """BG/NBD + Gamma-Gamma forecast on the counted orders up to t1 (see engine/predicted_clv.py).

    One row per counted order: its customer code, date and net amount; as_of = t1;
    horizon and discount rate from the settings. Returns the PredictedClv part, the
    per-customer columns (arrays indexed by customer code; empty when not fitted or
    withheld by the holdout check) and the holdout check. Whatever goes wrong in the model
    becomes a reason, never an exception: the prediction is one figure of the report, not a
    condition for it.
    """
    base = PredictedClv(months=settings.clv_months, annual_discount=settings.annual_discount, as_of=_to_date(t1))
    try:
        fc = clv.forecast(pd.Series(c_cust, dtype=np.int64), c_day.astype("datetime64[D]"),
                          pd.Series(c_net, dtype=float), as_of=pd.Timestamp(_to_date(t1)),
                          months=settings.clv_months, annual_discount=settings.annual_discount)
    except MetricError as err:  # settings the model refuses (months, rate)
        return replace(base, reason=ClvNote("clv_settings", str(err))), {}, None
    except Exception as err:  # noqa: BLE001 - a failed prediction must not cost the whole report
        text = f"The prediction could not be computed ({type(err).__name__}: {err})."
        return replace(base, reason=ClvNote("clv_failed", text)), {}, None
    base = replace(base, customers=fc.n_customers, repeat_buyers=fc.n_repeat_buyers)
    if not fc.ok:
        code, fields = _clv_reason_code(fc)
        return replace(base, reason=ClvNote(code, str(fc.reason), fields)), {}, fc.check
    r, alpha, a, b = fc.purchase_params
    spend = fc.spend_params
    model = ClvModelParams(r=r, alpha=alpha, a=a, b=b, p=spend.p if spend else None, q=spend.q if spend else None,
                           gamma=spend.gamma if spend else None, method=fc.method)
    table = fc.customers
    risk = table["churn_risk"].to_numpy(dtype=object)
    coded = (_clv_note_code(c, table) for c in fc.note_codes)
    notes = tuple(ClvNote(code, text, fields) for text, (code, fields) in zip(fc.notes, coded))
    fitted = replace(base, model=model, notes=notes)
    if fc.withheld:  # the holdout check failed: the reason instead of confident numbers
        err = fc.check.relative_error
        reason = ClvNote("clv_withheld", f"The forecast missed the held-back last {fc.check.holdout_days} days by "
                                         f"{abs(err):.0%} of the actual repeat orders, too far to be useful.",
                         {"error_pct": int(round(100 * abs(err)))})
        return replace(fitted, reason=reason), {}, fc.check
    fitted = replace(fitted, expected_revenue=_money(fc.expected_revenue), total_clv=_money(fc.total_clv),
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


def _segment_predicted_clv(segments: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Segments table plus predicted_clv (sum over the segment) and avg_predicted_clv, when fitted."""
    if "predicted_clv" not in customers.columns or "segment" not in segments.columns:
        return segments
    g = customers[customers["segment"].notna()].groupby("segment", sort=False)["predicted_clv"]
    out = segments.copy()
    out["predicted_clv"] = out["segment"].map(g.sum()).fillna(0.0).to_numpy(dtype=float)
    out["avg_predicted_clv"] = out["segment"].map(g.mean()).to_numpy(dtype=float)
    return out


#: clv.ClvForecast.reason_code -> NOTE_CODES code; any other code is "clv_no_fit".
_CLV_REASONS = {
    "no_purchases": "clv_no_purchases",
    "few_repeat_buyers": "clv_few_repeat_buyers",
    "no_dropout": "clv_no_dropout",
    "regular_buyers": "clv_regular_buyers",
    "no_history": "clv_no_history",
}


def _clv_reason_code(fc: clv.ClvForecast) -> tuple[str, dict[str, Any]]:
    """The NOTE_CODES code (and the numbers its text needs) of why clv.forecast gave no prediction."""
    code = _CLV_REASONS.get(fc.reason_code or "", "clv_no_fit")
    if code == "clv_few_repeat_buyers":
        return code, {"n": fc.n_repeat_buyers, "min": clv.MIN_REPEAT_BUYERS}
    return code, {}


def _clv_note_code(code: str, table: pd.DataFrame) -> tuple[str, dict[str, Any]]:
    """(code, fields) of a caveat clv.forecast attached to its numbers (ClvForecast.note_codes)."""
    if code == "spend_correlated":  # the correlation clv.forecast tested, recomputed for the text
        rep = table[table["frequency"] > 0]
        corr = float(np.corrcoef(rep["frequency"].to_numpy(float), rep["monetary_value"].to_numpy(float))[0, 1])
        return "clv_spend_correlated", {"corr": corr}
    return f"clv_{code}", {}


# --- where to act ------------------------------------------------------------------------


def _where_to_act(rows: _Rows, od: _Orders, t1: int, first: np.ndarray, active_start: np.ndarray,
                  active_end: np.ndarray, counted_p: np.ndarray, row_in_period: np.ndarray,
                  spend: revenue_mod.Spend | None, margin: float | None) -> WhereToAct:
    """Revenue cohorts, CAC and payback, time to the second order, splits by channel and first product."""
    n = rows.n_customers
    none = np.iinfo(np.int64).max
    first = np.where(first == np.iinfo(np.int64).max, none, first)
    hist = od.counted & (od.day <= t1)
    row_customer = od.customer[rows.order]
    # money as everywhere in the report: each row's net (sales less refunds; not-a-sale rows are 0)
    curves = revenue_mod.revenue_cohorts(first, row_customer, rows.day, rows.net, t1)
    f, s = second_mod.first_two_orders(od.customer[hist], od.day[hist], n)
    timing = second_mod.second_order(f, s, t1)

    cohort_m = np.where(first < none, revenue_mod.month_numbers(np.minimum(first, t1)), -10**6)
    last_m = int(revenue_mod.month_numbers(np.array([t1]))[0])
    complete_last = last_m - (1 if revenue_mod.period_end_is_partial(t1) else 0)
    eligible = (first < none) & (cohort_m + 3 <= complete_last)
    o_months = revenue_mod.month_numbers(od.day[hist]) - cohort_m[od.customer[hist]]
    retained = np.zeros(n, dtype=bool)
    retained[od.customer[hist][o_months == 3]] = True
    facts = splits_mod.CustomerFacts(
        acquired=first < none,
        period_orders=np.bincount(od.customer[counted_p], minlength=n),
        period_revenue=np.bincount(row_customer[row_in_period], weights=rows.net[row_in_period], minlength=n),
        active_start=active_start, active_end=active_end,
        retention_3m_eligible=eligible, retention_3m=retained,
    )
    channel = _first_value(rows, "channel")
    product = _first_value(rows, "product")
    by_channel = splits_mod.split("channel", channel, facts) if channel is not None else None
    by_product = (splits_mod.split("first_product", product, facts, top=splits_mod.TOP_PRODUCTS)
                  if product is not None else None)
    acquisition = revenue_mod.acquisition(spend, curves, first, channel, margin)
    return WhereToAct(curves, acquisition, timing, by_channel, by_product)


def _first_value(rows: _Rows, column: str) -> np.ndarray | None:
    """Per customer code, the column's value on their earliest row (date, then row number) that has one.

    Blank text is judged once per distinct value (a channel or product column has few), not per row.
    """
    if column not in rows.frame.columns:
        return None
    codes, uniques = factorize(rows.frame[column])
    filled_u = np.array([str(u).strip() != "" for u in uniques], dtype=bool)
    usable = (codes >= 0) & (filled_u[np.maximum(codes, 0)] if len(uniques) else False)
    if not usable.any():
        return None
    order = np.lexsort((rows.row, rows.day))
    order = order[usable[order]]
    cust = rows.customer[order]
    _, first_pos = np.unique(cust, return_index=True)
    out = np.full(rows.n_customers, None, dtype=object)
    out[cust[first_pos]] = uniques[codes[order[first_pos]]]
    return out


# --- tables -----------------------------------------------------------------------------


def _month_numbers(day: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    return day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _monthly(rows: _Rows, od: _Orders, t0: int, t1: int, window: int) -> pd.DataFrame:
    """Monthly trend table (columns documented on KpiReport)."""
    hist = od.day <= t1
    first_m = int(_month_numbers(np.array([min(int(rows.day.min()), t0 + 1)]))[0])
    last_m = int(_month_numbers(np.array([t1]))[0])
    n = last_m - first_m + 1
    counted = od.counted & hist
    o_month = _month_numbers(od.day) - first_m

    def per_month(mask: np.ndarray, weights: np.ndarray | None = None, months: np.ndarray = o_month) -> np.ndarray:
        sel = months[mask]
        ok = sel >= 0
        return np.bincount(sel[ok], weights=None if weights is None else weights[ok], minlength=n)[:n]

    orders = per_month(counted)
    returned = per_month(od.returned & hist)
    r_mask = rows.day <= t1  # money is dated by its own row
    revenue = per_month(r_mask, rows.net[r_mask], _month_numbers(rows.day) - first_m)
    priced_orders = orders if rows.priced is None else per_month(counted & od.priced)
    # buyers per month: distinct (customer, month) among counted orders
    cm = _distinct(od.customer[counted].astype(np.int64) * n + o_month[counted])
    buyers = np.bincount(cm % n, minlength=n)[:n]
    first_day = _per_customer(np.minimum, od.customer[counted], od.day[counted], rows.n_customers,
                              np.iinfo(np.int64).max)
    has_first = first_day < np.iinfo(np.int64).max
    new = np.bincount(_month_numbers(first_day[has_first]) - first_m, minlength=n)[:n]
    month_start = np.arange(first_m, last_m + 1).astype("datetime64[M]")
    month_end = ((month_start + 1).astype("datetime64[D]") - 1).astype(np.int64)
    month_end = np.minimum(month_end, t1)
    active = _active_counts(od.customer[counted], od.day[counted], window, month_end)
    starts_d = month_start.astype("datetime64[D]").astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        aov = np.where(priced_orders > 0, revenue / np.maximum(priced_orders, 1), np.nan)
    # partial months: the first month of the data from its first day, the last up to t1
    full_end = ((month_start + 1).astype("datetime64[D]") - 1).astype(np.int64)
    cov_from = starts_d.copy()
    cov_to = full_end.copy()
    data_first = int(rows.day.min())
    if n and data_first > starts_d[0] and data_first <= full_end[0]:
        cov_from[0] = data_first
    if n:
        cov_to[-1] = min(int(full_end[-1]), t1)
    partial = (cov_from > starts_d) | (cov_to < full_end)
    return pd.DataFrame(
        {
            "month": pd.DatetimeIndex(month_start.astype("datetime64[ns]")),
            "in_period": (month_end > t0) & (starts_d <= t1),
            "partial": partial,
            "covered_from": pd.DatetimeIndex(cov_from.astype("datetime64[D]").astype("datetime64[ns]")),
            "covered_to": pd.DatetimeIndex(cov_to.astype("datetime64[D]").astype("datetime64[ns]")),
            "new_customers": new.astype(np.int64),
            "returning_customers": (buyers - new).astype(np.int64),
            "customers": buyers.astype(np.int64),
            "orders": orders.astype(np.int64),
            "returned_orders": returned.astype(np.int64),
            "net_revenue": _money(revenue),
            "aov": aov,
            "active_customers": active.astype(np.int64),
        }
    )


def _cohorts(c_cust: np.ndarray, c_day: np.ndarray) -> pd.DataFrame:
    """Monthly cohort matrix of counted orders up to t1 (empty frame when there are none)."""
    if c_cust.size == 0:
        empty = pd.DataFrame({"customers": pd.Series(dtype=np.int64)})
        empty.index = pd.DatetimeIndex([], name="cohort")
        return empty
    return cohorts_mod.retention_matrix(c_cust, cohorts_mod.period_numbers(
        pd.Series(c_day.astype("datetime64[D]")), "M"), "M")


def _customers(rows: _Rows, od: _Orders, t1: int, first: np.ndarray, active: np.ndarray,
               predicted: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per customer with an order up to t1 (columns documented on KpiReport).

    ``predicted`` holds per-customer-code columns of the CLV forecast (empty when
    the model was not fitted); customers without a counted order get NaN / None.
    """
    n = rows.n_customers
    hist = od.day <= t1
    counted = od.counted & hist
    orders = np.bincount(od.customer[counted], minlength=n)
    returned = np.bincount(od.customer[od.returned & hist], minlength=n)
    r_mask = rows.day <= t1
    row_customer = od.customer[rows.order]  # each row belongs to its order's customer
    revenue = np.bincount(row_customer[r_mask], weights=rows.net[r_mask], minlength=n)
    priced_orders = orders if rows.priced is None else np.bincount(od.customer[counted & od.priced], minlength=n)
    last = _per_customer(np.maximum, od.customer[counted], od.day[counted], n, _NONE)
    present = np.zeros(n, dtype=bool)
    present[od.customer[hist & (od.counted | od.returned)]] = True  # a never-paid order makes no customer
    has = orders > 0

    keep = np.flatnonzero(present)
    k_has = has[keep]
    scores = rfm.rfm_scores(t1 - last[keep][k_has], orders[keep][k_has], revenue[keep][k_has])
    r = np.zeros(keep.size, dtype=np.int64)
    f, m = r.copy(), r.copy()
    seg = np.full(keep.size, None, dtype=object)
    r[k_has], f[k_has], m[k_has] = scores["r_score"], scores["f_score"], scores["m_score"]
    seg[k_has] = scores["segment"].to_numpy(dtype=object)

    def day_col(values: np.ndarray) -> pd.Series:
        d = values[keep].astype("datetime64[D]").astype("datetime64[ns]")
        return pd.Series(np.where(k_has, d, np.datetime64("NaT")), dtype="datetime64[ns]")

    def score_col(values: np.ndarray) -> pd.Series:
        return pd.Series(pd.array(np.where(k_has, values, 0), dtype="Int64")).mask(~k_has)

    with np.errstate(invalid="ignore", divide="ignore"):
        aov = np.where(k_has & (priced_orders[keep] > 0), revenue[keep] / np.maximum(priced_orders[keep], 1), np.nan)
    table = pd.DataFrame({"customer_id": pd.Series(np.asarray(rows.customer_ids)[keep], dtype="str")})
    for col, values in _contact_columns(rows, keep).items():
        table[col] = values
    rev = _money(revenue[keep])
    table["first_order_date"] = day_col(first)
    table["last_order_date"] = day_col(last)
    table["orders"] = orders[keep].astype(np.int64)
    table["returned_orders"] = returned[keep].astype(np.int64)
    table["net_revenue"] = rev
    table["aov"] = aov
    table["days_since_last_order"] = np.where(k_has, (t1 - last[keep]).astype(float), np.nan)
    table["r_score"] = score_col(r)
    table["f_score"] = score_col(f)
    table["m_score"] = score_col(m)
    table["segment"] = pd.Series(seg, dtype="str")
    table["active"] = active[keep]
    for col, values in predicted.items():
        table[col] = pd.Series(values[keep], dtype="str") if values.dtype == object else values[keep]
    order = np.argsort(-table["net_revenue"].to_numpy(), kind="stable")  # ties: order of appearance
    return table.iloc[order].reset_index(drop=True)


def _contact_columns(rows: _Rows, keep: np.ndarray) -> dict[str, pd.Series]:
    """Optional name/e-mail/phone (latest non-empty) and channel (first non-empty) per kept customer.

    "Latest"/"first" follow the date, then the row number. Text is only compared
    for the rows picked (and, if one is blank, for that customer's rows), so a
    million-row column costs no per-row string work.
    """
    frame = rows.frame
    wanted = [c for c in (*PERSONAL_COLUMNS, "channel") if c in frame.columns]
    if not wanted:
        return {}
    order = np.lexsort((rows.row, rows.day))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)  # position of each row in time order
    if_none = np.iinfo(np.int64).max
    out: dict[str, pd.Series] = {}
    for c in wanted:
        values = frame[c].to_numpy(dtype=object)  # a str column's own array, not a copy
        usable = frame[c].notna().to_numpy()  # the column's own mask: faster than pd.isna(values)
        earliest = c == "channel"

        def pick(mask: np.ndarray) -> np.ndarray:
            """Per customer, the time rank of the chosen row among ``mask`` (-1 / max if none)."""
            if earliest:
                return _per_customer(np.minimum, rows.customer[mask], rank[mask], rows.n_customers, if_none)
            return _per_customer(np.maximum, rows.customer[mask], rank[mask], rows.n_customers, -1)

        best = pick(usable)
        chosen = values[order[np.clip(best, 0, order.size - 1)]]
        blank = (chosen == "") & (best >= 0) & (best != if_none)
        if blank.any():  # look again, text-wise, at the rows of those customers only
            redo = usable & blank[rows.customer]
            redo[redo] = values[redo] != ""
            again = pick(redo)
            best = np.where(blank, again, best)
        found = (best >= 0) & (best != if_none)
        text = np.full(rows.n_customers, None, dtype=object)
        text[found] = values[order[best[found]]]
        out[c] = pd.Series(text[keep], dtype="str")
    return out


# --- small helpers --------------------------------------------------------------------------


def _money(values: Any) -> Any:
    """Sums of amounts rounded to 6 decimals: float noise of long sums off, every cent kept."""
    out = np.round(values, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(out) if np.ndim(out) == 0 else out


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Distinct values of an int64 array (sorted); a plain sort beats hashing here."""
    k = np.sort(keys)
    return k[np.r_[True, k[1:] != k[:-1]]] if k.size else k


def _check_frame(orders: pd.DataFrame, rows_read: int, rows_skipped: int) -> None:
    """The orders frame has the contract's columns and at least one row."""
    missing = [c for c in REQUIRED_COLUMNS if c not in orders.columns]
    if missing:
        raise InputError(f"The orders table lacks the column(s) {', '.join(missing)}.")
    broken = [c for c in ("customer_id", "date", "amount") if orders[c].isna().any()]
    if broken:
        raise InputError(
            f"The orders table has blank values in {', '.join(broken)}; "
            "such rows should have been skipped when the file was read."
        )
    if len(orders) == 0:
        raise InputError(
            f"No usable order rows: of {rows_read} rows read, {rows_skipped} were skipped "
            "(see the Data issues list). A row needs a customer id, a readable date and an amount."
        )


def _day_number(value: date | datetime | str | pd.Timestamp) -> int:
    """Days since 1970-01-01 of a date setting (time of day ignored)."""
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise InputError(f"The period date {value!r} is not a date.")
    return int((ts.normalize().date() - _EPOCH).days)


def _to_date(day: int) -> date:
    """A day number as a date."""
    return _EPOCH + timedelta(days=int(day))


# --- issue 13: intervals and the previous period ----------------------------------------------


def _no_customers() -> pd.DataFrame:
    """The customers table of a headline-only report: no rows, the declared columns."""
    return CUSTOMERS.empty()


def _confidence(report: KpiReport, order_values: np.ndarray, buyers: np.ndarray) -> Confidence:
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


def previous_period(orders: pd.DataFrame, settings: ReportSettings, current: KpiReport, *, rows_read: int,
                    rows_skipped: int, score_header: str | None = None,
                    prepared: tuple[Any, Any] | None = None) -> PreviousPeriod:
    """(t0 − P, t0] by build_kpis itself (same activity window), and every change against it.

    SPEC Clarifications "Previous period": the previous retention measurement is the current
    one shifted back by P; a previous period that the data covers for less than 90 % of P
    (the data starts later than t0 − P + 0.1 P) gives "not enough history" instead of figures.
    """
    t0 = _day_number(current.period_start)
    days = current.period_days
    start = t0 - days
    first_day = _day_number(current.data_start) if current.data_start is not None else t0 + 1
    covered = max(0, t0 - max(start, first_day - 1))
    out = PreviousPeriod(start=_to_date(start), end=_to_date(t0), days=days, covered_days=covered)
    fields = {"start": out.start, "end": out.end, "days": days, "covered": covered,
              "first": current.data_start}
    if covered < MIN_PREVIOUS_COVERAGE * days:
        out.reason_code, out.reason_fields = "not_enough_history", fields
        out.reason = (
            f"Not enough history for the previous period ({out.start.isoformat()} to {out.end.isoformat()}, "
            f"{days} days): the data starts on {current.data_start.isoformat() if current.data_start else '?'} "
            f"and covers {covered} of its days; at least {MIN_PREVIOUS_COVERAGE:.0%} are needed."
        )
        return out
    shifted = replace(settings, period_start=out.start, period_end=out.end)
    r = current.retention
    window = getattr(r, "window_days", None) or settings.active_days or ADAPTIVE_WINDOWS[0]
    m_from = getattr(r, "measured_from", None) or current.period_start
    measurement = (int(window), _to_date(_day_number(m_from) - days))  # the current one, shifted back by P
    try:
        out.report = build_kpis(orders, shifted, rows_read=rows_read, rows_skipped=rows_skipped,
                                score_header=score_header, previous=False, tables=False,
                                measurement=measurement, _prepared=prepared)
    except (InputError, MetricError) as err:
        out.reason_code, out.reason_fields = "previous_failed", {**fields, "error": str(err)}
        out.reason = f"The previous period could not be computed: {err}"
        return out
    out.changes = comparison.compare(current, out.report)
    return out
