"""The customers table (one row per customer, RFM scores, contact columns) and the RFM segments.

The contact columns (name, e-mail, phone: the latest non-empty; channel: the first) are the
ones engine/tables.py declares personal, so --anonymize can drop exactly them.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from retention_xl.engine import rfm
from retention_xl.engine.predicted_clv import segment_predicted_clv
from retention_xl.engine.rows import NONE, Orders, Rows, money, per_customer
from retention_xl.engine.tables import CUSTOMERS


PERSONAL_COLUMNS = CUSTOMERS.personal  # copied per customer (latest value), dropped by --anonymize


def customers(rows: Rows, od: Orders, t1: int, first: np.ndarray, active: np.ndarray,
               predicted: Callable[[], dict[str, np.ndarray]]) -> pd.DataFrame:
    """One row per customer with an order up to t1 (columns documented on KpiReport).

    ``predicted()`` gives the per-customer-code columns of the CLV forecast (empty when
    the model was not fitted); it is asked for last, so the forecast can still be running
    while the rest of the table is built. Customers without a counted order get NaN / None.
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
    last = per_customer(np.maximum, od.customer[counted], od.day[counted], n, NONE)
    present = np.zeros(n, dtype=bool)
    present[od.customer[hist & (od.counted | od.returned)]] = True  # a never-paid order makes no customer
    has = orders > 0

    # the table's rows: customers with an order, highest net revenue first (ties: order of appearance)
    keep = np.flatnonzero(present)
    keep = keep[np.argsort(-money(revenue[keep]), kind="stable")]
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
    table = pd.DataFrame({"customer_id": pd.Series(rows.customer_texts(keep), dtype="str")})
    for col, values in _contact_columns(rows, keep).items():
        table[col] = values
    rev = money(revenue[keep])
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
    for col, values in predicted().items():
        table[col] = pd.Series(values[keep], dtype="str") if values.dtype == object else values[keep]
    return table


def _contact_columns(rows: Rows, keep: np.ndarray) -> dict[str, pd.Series]:
    """Optional name/e-mail/phone (latest filled) and channel (first filled) per kept customer,
    stripped ("latest"/"first": date, then row number; Rows.filled_text)."""
    return {c: pd.Series(rows.chosen_texts(c, keep, latest=c != "channel"), dtype="str")
            for c in (*PERSONAL_COLUMNS, "channel") if c in rows.frame.columns}


def segments(customers: pd.DataFrame) -> pd.DataFrame:
    """RFM segment summary of the scored customers, with the predicted CLV per segment when fitted."""
    scored = customers["segment"].notna().to_numpy()  # the 4 columns of the scored rows, not a copy of all
    segments = rfm.segment_summary(
        pd.DataFrame(
            {
                "segment": customers["segment"][scored],
                "recency_days": customers["days_since_last_order"][scored],
                "frequency": customers["orders"][scored],
                "monetary": customers["net_revenue"][scored],
            }
        )
    )
    return segment_predicted_clv(segments, customers)


def no_customers() -> pd.DataFrame:
    """The customers table of a headline-only report: no rows, the declared columns."""
    return CUSTOMERS.empty()
