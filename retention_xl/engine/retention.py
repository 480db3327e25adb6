"""Retention: who was active at the start and at the end of the measurement, and the CRR.

S, E, N, won back / brand new and CRR = (E − N) / S over (start, t1] with window W
(SPEC "Retention"), and the count of active customers on any day (the monthly trend's column).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from retention_xl.engine import metrics
from retention_xl.engine.period import ADAPTIVE_WINDOWS, to_date
from retention_xl.engine.report import Retention
from retention_xl.engine.rows import Orders, Rows, last_on_or_before, per_customer
from retention_xl.errors import MetricError
from retention_xl.messages import Message
from retention_xl.settings import ReportSettings

if TYPE_CHECKING:
    from retention_xl.engine.kpi import _Notes


@dataclass(frozen=True)
class RetentionPart:
    """The headline CRR, and the per-customer facts the tables and where-to-act reuse."""

    retention: Retention
    window: int  # the window the activity counts use (W, or 365 when no window fits)
    first: np.ndarray  # per customer code: day of the first counted order up to t1 (int64 max if none)
    active_start: np.ndarray  # per customer code: active at the start of the measurement
    active_end: np.ndarray  # per customer code: active at t1
    history: np.ndarray  # per order: counted and dated up to t1


def retention(rows: Rows, od: Orders, t0: int, t1: int, window: int, m_start: int, thin: bool,
               settings: ReportSettings, note: _Notes) -> RetentionPart:
    """S, E, N, won back / brand new and CRR over (m_start, t1] with window W (SPEC "Retention")."""
    first_data_day = int(rows.day.min())
    hist = od.counted & (od.day <= t1)
    c_cust, c_day = od.customer[hist], od.day[hist]
    n_cust = rows.n_customers
    first = per_customer(np.minimum, c_cust, c_day, n_cust, np.iinfo(np.int64).max)
    cw = window or ADAPTIVE_WINDOWS[0]  # no window fits: S, E, N over the report period, CRR n/a
    active_t0 = last_on_or_before(c_cust, c_day, n_cust, m_start) > m_start - cw
    active_t1 = last_on_or_before(c_cust, c_day, n_cust, t1) > t1 - cw
    gained = active_t1 & ~active_t0
    s, e, n = int(active_t0.sum()), int(active_t1.sum()), int(gained.sum())
    won_back = int((gained & (first <= m_start)).sum())
    crr_value: float | None = None
    churn_value: float | None = None
    crr_note: Message | None = None
    if window == 0:
        crr_note = Message("kpi.short_history", days=t1 - first_data_day + 1, window=ADAPTIVE_WINDOWS[-1])
    elif s == 0:
        crr_note = Message("kpi.no_start_customers", date=to_date(m_start), window=window)
    else:
        try:
            crr_value = metrics.crr(e, n, s)
            churn_value = metrics.churn(e, n, s)
        except MetricError as err:  # cannot happen with consistent counts; kept for safety
            crr_note = err.message
    if crr_note is not None:
        note("crr", crr_note)
    history_days = max(0, m_start - first_data_day + 1)
    if thin and window:
        note("crr_thin_base", Message("kpi.thin_base", days=history_days, date=to_date(m_start), window=window))
    retention = Retention(
        start=s, end=e, new=n, won_back=won_back, brand_new=n - won_back,
        value=crr_value, churn=churn_value, note=crr_note,
        window_days=window, measured_from=to_date(m_start),
        thin_base_days=history_days if thin and window else None,
        adaptive=settings.active_days is None and settings.period_start is None,
    )
    return RetentionPart(retention, cw, first, active_t0, active_t1, hist)


def active_counts(cust: np.ndarray, day: np.ndarray, window: int, query: np.ndarray) -> np.ndarray:
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
