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

This module composes the report from its parts, one module each (ARCHITECTURE.md):
rows.py (the frame as arrays), period.py (period, measurement, day numbers),
headline.py (the period's figures, historical CLV, benchmark, intervals), retention.py,
monthly.py (monthly trend, cohorts), customers.py (customers table, segments),
survey.py, predicted_clv.py, where_to_act.py and previous.py (the previous period).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from retention_xl.engine import clv
from retention_xl.engine import revenue_cohorts as revenue_mod
from retention_xl.engine.report import KpiReport
from retention_xl.engine.tables import COHORTS, MONTHLY, check_report
from retention_xl.errors import InputError
from retention_xl.messages import Message
from retention_xl.settings import ReportSettings
# the parts, under the names build_kpis composes them by
from retention_xl.engine.customers import customers as _customers, no_customers as _no_customers
from retention_xl.engine.customers import segments as _segments
from retention_xl.engine.headline import benchmark as _benchmark, confidence as _confidence
from retention_xl.engine.headline import historical_clv as _historical_clv, period_figures as _period_figures
from retention_xl.engine.monthly import cohorts as _cohorts, monthly as _monthly
from retention_xl.engine.period import day_number as _day_number, to_date as _to_date
from retention_xl.engine.predicted_clv import PredictedClv, predicted_clv as _predicted_clv
from retention_xl.engine.retention import RetentionPart as _RetentionPart, retention as _retention
from retention_xl.engine.rows import Orders as _Orders, Rows as _Rows, check_frame as _check_frame
from retention_xl.engine.rows import orders_of as _orders_of
from retention_xl.engine.survey import survey as _survey
from retention_xl.engine.where_to_act import where_to_act as _where_to_act
# public names callers have always imported from kpi
from retention_xl.engine.period import report_period, retention_measurement
from retention_xl.engine.predicted_clv import CLV_COLUMNS
from retention_xl.engine.previous import previous_period
from retention_xl.engine.survey import survey_kind

__all__ = ["build_kpis", "report_period", "retention_measurement", "previous_period", "survey_kind", "CLV_COLUMNS"]


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
    ``tables=False``: headline figures only — every table is empty and there is no
    CLV forecast (predicted_clv None); what previous_period uses, with ``measurement``
    (W, start): the retention measurement given, not chosen by the settings.
    """
    if _prepared is None:  # prepared rows come from a frame build_kpis has checked already
        _check_frame(orders, rows_read, rows_skipped)
    if settings.active_days is not None and settings.active_days < 1:
        raise InputError("error.active_days_min", days=settings.active_days)
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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="retention_xl-clv") as beside:
        # the CLV forecast, the slowest part (NumPy and SciPy, which let go of the GIL), is fitted
        # beside the parts that do not need it; the customers table waits for it (_tables)
        forecast = _forecast(beside, rows, od, ret, t1, settings) if tables else None
        survey = _survey(rows, od, t0, t1, notes, score_header)
        where = (_where_to_act(rows, od, t1, ret.first, ret.active_start, ret.active_end, period.counted,
                               period.row_in, spend, settings.margin) if tables else None)
        tbl = _tables(rows, od, ret, t0, t1, forecast) if forecast is not None else _headline_tables()
    if tbl.predicted is not None and tbl.predicted.reason is not None:
        notes("clv_model", tbl.predicted.reason)
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
        notes=notes.messages,
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
    """Why figures are None, as the parts find out: key -> Message (KpiReport.notes)."""

    def __init__(self) -> None:
        self.messages: dict[str, Message] = {}

    def __call__(self, key: str, message: Message) -> None:
        self.messages[key] = message


@dataclass(frozen=True)
class _Tables:
    """The report's tables (engine/tables.py) and the CLV forecast the customers table carries."""

    monthly: pd.DataFrame
    cohorts: pd.DataFrame
    customers: pd.DataFrame
    segments: pd.DataFrame
    predicted: PredictedClv | None
    forecast_check: clv.ForecastCheck | None


#: what predicted_clv returns: the PredictedClv part, per-customer-code columns, the holdout check
_Forecast = tuple[PredictedClv, dict[str, Any], "clv.ForecastCheck | None"]


def _forecast(beside: ThreadPoolExecutor, rows: "_Rows", od: "_Orders", ret: _RetentionPart, t1: int,
              settings: ReportSettings) -> "Future[_Forecast]":
    """predicted_clv on the counted orders up to t1, started on ``beside``."""
    fc = ret.history & od.priced  # issue 18: the forecast sees only amounts in the report currency
    return beside.submit(_predicted_clv, od.customer[fc], od.day[fc], od.net[fc], rows.n_customers, t1, settings)


def _tables(rows: "_Rows", od: "_Orders", ret: _RetentionPart, t0: int, t1: int,
            forecast: "Future[_Forecast]") -> _Tables:
    """Monthly trend, cohorts, the customers table with the CLV forecast, and the RFM segments.

    The tables look at all history up to t1, not only the period.
    """
    monthly = _monthly(rows, od, t0, t1, ret.window)
    cohorts = _cohorts(od.customer[ret.history], od.day[ret.history])
    customers = _customers(rows, od, t1, ret.first, ret.active_end, lambda: forecast.result()[1])
    predicted, _, check = forecast.result()
    return _Tables(monthly=monthly, cohorts=cohorts, customers=customers, segments=_segments(customers),
                   predicted=predicted, forecast_check=check)


def _headline_tables() -> _Tables:
    """A headline-only report's tables (the previous period, which only its headline figures are
    compared by): every table empty with its declared columns, no forecast."""
    customers = _no_customers()
    return _Tables(monthly=MONTHLY.empty(), cohorts=COHORTS.empty(),
                   customers=customers, segments=_segments(customers), predicted=None, forecast_check=None)
