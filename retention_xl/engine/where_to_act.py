"""The Where-to-act part: revenue cohorts, CAC and payback, time to the second order, splits.

Splits are by each customer's first channel and first product (their earliest row with one).
"""

from __future__ import annotations

import numpy as np

from retention_xl.engine import revenue_cohorts as revenue_mod
from retention_xl.engine import second_order as second_mod
from retention_xl.engine import splits as splits_mod
from retention_xl.engine.report import WhereToAct
from retention_xl.engine.rows import Orders, Rows


def where_to_act(rows: Rows, od: Orders, t1: int, first: np.ndarray, active_start: np.ndarray,
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


def _first_value(rows: Rows, column: str) -> np.ndarray | None:
    """Per customer code, the column's text on their earliest row (date, then row number) that has
    one, stripped (Rows.filled_text), None where no row has; None when no row of the column has one."""
    if column not in rows.frame.columns:
        return None
    chosen = rows.filled_text(column)
    if not (chosen.at >= 0).any():
        return None
    out = np.asarray(rows.chosen_texts(column, np.arange(rows.n_customers)), dtype=object)
    out[chosen.at < 0] = None
    return out
