"""Retention by acquisition channel and by first product: which doors bring customers who stay.

Each customer belongs to one group: the channel of their first order (how they
came) or the product of their first order. Per group: the customers acquired, the
period's customers, repeat purchase rate, CRR (the headline measurement restricted
to the group's customers), net revenue per customer of the period, and the 3-month
cohort retention — of the group's customers whose first-order month is at least
three months before the period end's month, the share with an order in the third
month after it. Products beyond the top 10 (by customers) are grouped as "other".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from retention_xl.engine.confidence import wilson

#: First products listed by name; the rest share one row.
TOP_PRODUCTS = 10
#: Group name of the customers whose first order has no channel / product.
NO_VALUE = ""
#: Group name of the products beyond TOP_PRODUCTS.
OTHER = "\x00other"

#: Columns of Split.table, declared once (name -> dtype).
SPLIT_COLUMNS: dict[str, str] = {
    "group": "str",  # channel or product; NO_VALUE = none given, OTHER = the rest
    "customers_acquired": "int64",  # customers whose first order is in this group (up to t1)
    "customers": "int64",  # of them, with a counted order in the period
    "repeat_purchase_rate": "float64",  # period customers with 2+ period orders ÷ period customers
    "repeat_purchase_rate_low": "float64",  # its 95 % Wilson interval (engine.confidence)
    "repeat_purchase_rate_high": "float64",
    "crr_start": "int64",  # S of the group
    "crr": "float64",  # (E − N) ÷ S of the group; NaN without S
    "revenue_per_customer": "float64",  # period net revenue ÷ period customers
    "retention_3m_eligible": "int64",
    "retention_3m": "float64",  # share of eligible customers with an order 3 months after their first
    "retention_3m_low": "float64",  # its 95 % Wilson interval
    "retention_3m_high": "float64",
}


@dataclass(frozen=True)
class Split:
    """One table per grouping; ``by`` is "channel" or "first_product"."""

    by: str
    table: pd.DataFrame  # SPLIT_COLUMNS, largest group first

    def to_json(self) -> list[dict[str, object]]:
        out = []
        for rec in self.table.to_dict("records"):
            g = rec["group"]
            out.append({
                "group": None if g == NO_VALUE else ("other" if g == OTHER else g),
                **{k: (None if pd.isna(v) else (int(v) if SPLIT_COLUMNS[k] == "int64" else float(v)))
                   for k, v in rec.items() if k != "group"},
            })
        return out


@dataclass(frozen=True)
class CustomerFacts:
    """Per customer code, what the splits count (arrays of one length, from the engine)."""

    acquired: np.ndarray  # bool: has a counted order up to t1
    period_orders: np.ndarray  # int: counted orders in the period
    period_revenue: np.ndarray  # float: net revenue of the period's rows
    active_start: np.ndarray  # bool: active at the start of the retention measurement
    active_end: np.ndarray  # bool: active at its end
    retention_3m_eligible: np.ndarray  # bool
    retention_3m: np.ndarray  # bool: ordered in the third month after the first


def _group_codes(group_of: np.ndarray, acquired: np.ndarray, top: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Per customer the code of their group, and the group names in order of first appearance.

    A group name is the value's text stripped (NO_VALUE when missing); with ``top``, names
    beyond the ``top`` most common among acquired customers (ties: first seen) become OTHER.
    Text work is done once per distinct value (a channel or product column has few), the
    rest on integer codes: on 261,000 customers a per-customer strip cost 0.15 s per split.
    """
    values = np.asarray(group_of, dtype=object)
    raw_codes, raw_uniq = pd.factorize(values, use_na_sentinel=True)
    if not all(isinstance(v, str) for v in raw_uniq):  # 3 and 3.0 hash alike but read "3" and "3.0"
        raw_codes, raw_uniq = pd.factorize(
            np.array([NO_VALUE if c < 0 else str(v).strip() for c, v in zip(raw_codes, values)], dtype=object))
    text = [NO_VALUE, *(str(v).strip() for v in raw_uniq)]  # index 0: no value
    t_codes, names = pd.factorize(np.array(text, dtype=object))
    names = np.asarray(names, dtype=object)
    per = t_codes[raw_codes + 1]  # each customer's stripped name, as a code into names
    if top is not None:
        counts = np.bincount(per[acquired], minlength=len(names))
        seen = _first_seen(per[acquired], len(names))
        ranked = [i for i in np.lexsort((seen, -counts)) if counts[i] > 0 and names[i] != NO_VALUE]
        keep = set(ranked[:top])
        merged = np.array([n if (i in keep or n == NO_VALUE) else OTHER for i, n in enumerate(names)], dtype=object)
        m_codes, names = pd.factorize(merged)
        names = np.asarray(names, dtype=object)
        per = m_codes[per]
    seen = _first_seen(per, len(names))  # groups numbered in order of first appearance
    present = np.flatnonzero(seen < per.size)
    order = present[np.argsort(seen[present], kind="stable")]
    renumber = np.full(len(names), -1, dtype=np.int64)
    renumber[order] = np.arange(order.size)
    return renumber[per], names[order]


def _first_seen(codes: np.ndarray, n: int) -> np.ndarray:
    """Per code 0..n-1, the position of its first occurrence (len(codes) when absent)."""
    first = np.full(n, codes.size, dtype=np.int64)
    np.minimum.at(first, codes[::-1], np.arange(codes.size - 1, -1, -1))
    return first


def split(by: str, group_of: np.ndarray, facts: CustomerFacts, top: int | None = None) -> Split:
    """Aggregate the facts per group (``group_of`` holds each customer's group name, object array)."""
    codes, uniq = _group_codes(group_of, facts.acquired, top)
    n = len(uniq)
    acquired = facts.acquired

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes[mask], minlength=n)

    in_period = facts.period_orders > 0
    cust = count(acquired & in_period)
    repeaters = count(acquired & (facts.period_orders >= 2))
    s = count(facts.active_start)
    e = count(facts.active_end)
    new = count(facts.active_end & ~facts.active_start)
    revenue = np.bincount(codes[in_period], weights=facts.period_revenue[in_period], minlength=n)
    elig = count(facts.retention_3m_eligible)
    kept = count(facts.retention_3m_eligible & facts.retention_3m)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({
            "group": uniq,
            "customers_acquired": count(acquired),
            "customers": cust,
            "repeat_purchase_rate": np.where(cust > 0, repeaters / np.maximum(cust, 1), np.nan),
            "crr_start": s,
            "crr": np.where(s > 0, (e - new) / np.maximum(s, 1), np.nan),
            "revenue_per_customer": np.where(cust > 0, revenue / np.maximum(cust, 1), np.nan),
            "retention_3m_eligible": elig,
            "retention_3m": np.where(elig > 0, kept / np.maximum(elig, 1), np.nan),
        })
    for rate, hits, cases in (("repeat_purchase_rate", repeaters, cust), ("retention_3m", kept, elig)):
        bounds = [wilson(int(h), int(c)) if c > 0 else None for h, c in zip(hits, cases)]
        table[f"{rate}_low"] = [b.low if b else np.nan for b in bounds]
        table[f"{rate}_high"] = [b.high if b else np.nan for b in bounds]
    table = table[table["customers_acquired"] > 0]
    rank = np.where(table["group"] == OTHER, 1, 0)  # "other" after the named groups
    table = table.assign(_r=rank).sort_values(["_r", "customers_acquired"], ascending=[True, False],
                                              kind="stable").drop(columns="_r")
    return Split(by, table.reset_index(drop=True).astype(SPLIT_COLUMNS))
