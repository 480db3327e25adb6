"""The monthly trend table and the monthly cohort matrix, over all history up to t1.

Months are calendar months; the first and last may be partial (the table says so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retention_xl.engine import cohorts as cohorts_mod, sorting
from retention_xl.engine.retention import active_counts
from retention_xl.engine.rows import Orders, Rows, distinct, money, per_customer


def month_numbers(day: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    return sorting.month_numbers(day)


def monthly(rows: Rows, od: Orders, t0: int, t1: int, window: int) -> pd.DataFrame:
    """Monthly trend table (columns documented on KpiReport)."""
    hist = od.day <= t1
    first_m = int(month_numbers(np.array([min(int(rows.day.min()), t0 + 1)]))[0])
    last_m = int(month_numbers(np.array([t1]))[0])
    n = last_m - first_m + 1
    counted = od.counted & hist
    o_month = month_numbers(od.day) - first_m

    def per_month(mask: np.ndarray, weights: np.ndarray | None = None, months: np.ndarray = o_month) -> np.ndarray:
        sel = months[mask]
        ok = sel >= 0
        return np.bincount(sel[ok], weights=None if weights is None else weights[ok], minlength=n)[:n]

    orders = per_month(counted)
    returned = per_month(od.returned & hist)
    r_mask = rows.day <= t1  # money is dated by its own row
    revenue = per_month(r_mask, rows.net[r_mask], month_numbers(rows.day) - first_m)
    priced_orders = orders if rows.priced is None else per_month(counted & od.priced)
    # buyers per month: distinct (customer, month) among counted orders
    cm = distinct(od.customer[counted].astype(np.int64) * n + o_month[counted])
    buyers = np.bincount(cm % n, minlength=n)[:n]
    first_day = per_customer(np.minimum, od.customer[counted], od.day[counted], rows.n_customers,
                              np.iinfo(np.int64).max)
    has_first = first_day < np.iinfo(np.int64).max
    new = np.bincount(month_numbers(first_day[has_first]) - first_m, minlength=n)[:n]
    month_start = np.arange(first_m, last_m + 1).astype("datetime64[M]")
    month_end = ((month_start + 1).astype("datetime64[D]") - 1).astype(np.int64)
    month_end = np.minimum(month_end, t1)
    active = active_counts(od.customer[counted], od.day[counted], window, month_end)
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
            "net_revenue": money(revenue),
            "aov": aov,
            "active_customers": active.astype(np.int64),
        }
    )


def cohorts(c_cust: np.ndarray, c_day: np.ndarray) -> pd.DataFrame:
    """Monthly cohort matrix of counted orders up to t1 (empty frame when there are none)."""
    if c_cust.size == 0:
        empty = pd.DataFrame({"customers": pd.Series(dtype=np.int64)})
        empty.index = pd.DatetimeIndex([], name="cohort")
        return empty
    return cohorts_mod.retention_matrix(c_cust, cohorts_mod.period_numbers(
        pd.Series(c_day.astype("datetime64[D]")), "M"), "M")
