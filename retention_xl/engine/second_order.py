"""Time to the second order: when first-time customers come back, so the shop knows when to remind them.

The share who ordered again within d days counts only the customers whose first
order is at least d days before the end of the data (t1): nobody is counted as
"not yet" who had no chance. The median days to the second order is the
Kaplan–Meier median, first orders without a second one being censored at t1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from retention_xl.engine import sorting

#: Days within which the share of customers ordering again is stated.
REPEAT_WITHIN_DAYS = (30, 60, 90, 180)

#: Columns of SecondOrder.curve, declared once (name -> dtype).
CURVE_COLUMNS: dict[str, str] = {
    "days": "int64",  # days after the first order
    "ordered_again": "float64",  # Kaplan–Meier share with a second order by then (1 − S(t))
    "at_risk": "int64",  # customers still without a second order and still observed
}


@dataclass(frozen=True)
class RepeatWithin:
    """Of the customers who could be seen for `days` days, the share who ordered again."""

    days: int
    share: float | None  # None when nobody is eligible
    eligible: int  # customers whose first order is at least `days` before t1
    repeated: int  # of them, those with a second order within `days`


@dataclass(frozen=True)
class SecondOrder:
    within: tuple[RepeatWithin, ...]
    median_days: float | None  # Kaplan–Meier median; None while fewer than half have come back
    customers: int  # customers with a first order up to t1
    repeat_customers: int  # of them, with a second order up to t1
    curve: pd.DataFrame  # CURVE_COLUMNS, one row per day with a second order (and day 0)

    def to_json(self) -> dict[str, dict[str, float | int | None]]:
        return {str(w.days): {"share": w.share, "eligible": w.eligible} for w in self.within}


def first_two_orders(customer: np.ndarray, day: np.ndarray, n_customers: int) -> tuple[np.ndarray, np.ndarray]:
    """Per customer code: the day of their first and of their second order (int64 max when none).

    ``customer`` / ``day`` are one entry per counted order; two orders on the same
    day are two orders (the second is then 0 days after the first).
    """
    none = np.iinfo(np.int64).max
    first = np.full(n_customers, none, dtype=np.int64)
    second = np.full(n_customers, none, dtype=np.int64)
    if customer.size == 0:
        return first, second
    c, d = sorting.sorted_pairs(customer, day)  # by customer, then day (lexsort's order, 10x faster)
    starts = np.r_[True, c[1:] != c[:-1]]
    first[c[starts]] = d[starts]
    nxt = np.flatnonzero(starts) + 1
    ok = nxt < c.size
    nxt = nxt[ok]
    same = c[nxt] == c[nxt - 1]
    second[c[nxt[same]]] = d[nxt[same]]
    return first, second


def kaplan_meier(durations: np.ndarray, observed: np.ndarray) -> pd.DataFrame:
    """Survival S(t) at each event time: product of (1 − events ÷ at risk), censored at their time."""
    durations = np.asarray(durations, dtype=np.int64)
    observed = np.asarray(observed, dtype=bool)
    times, inverse = np.unique(durations, return_inverse=True)
    events = np.bincount(inverse, weights=observed.astype(float), minlength=times.size)
    leaving = np.bincount(inverse, minlength=times.size)
    at_risk = durations.size - np.r_[0, np.cumsum(leaving)[:-1]]
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(at_risk > 0, 1.0 - events / np.maximum(at_risk, 1), 1.0)
    survival = np.cumprod(factor)
    has_event = events > 0
    return pd.DataFrame({"days": times[has_event], "survival": survival[has_event],
                         "at_risk": at_risk[has_event].astype(np.int64)})


def second_order(first: np.ndarray, second: np.ndarray, t1: int,
                 within_days: tuple[int, ...] = REPEAT_WITHIN_DAYS) -> SecondOrder:
    """Repeat-within shares, the Kaplan–Meier curve and median (see the module doc)."""
    has = first <= t1
    f = first[has]
    s = second[has]
    came_back = s <= t1
    gap = np.where(came_back, s - f, t1 - f)
    within = []
    for d in within_days:
        eligible = f <= t1 - d
        repeated = eligible & came_back & (gap <= d)
        n = int(eligible.sum())
        within.append(RepeatWithin(d, float(repeated.sum()) / n if n else None, n, int(repeated.sum())))
    km = kaplan_meier(gap, came_back) if f.size else pd.DataFrame({"days": [], "survival": [], "at_risk": []})
    below = km["survival"].to_numpy() <= 0.5
    median = float(km["days"].to_numpy()[below][0]) if below.any() else None
    curve = pd.DataFrame({
        "days": np.r_[0, km["days"].to_numpy(dtype=np.int64)] if (km.empty or km["days"].iloc[0] != 0)
        else km["days"].to_numpy(dtype=np.int64),
    })
    ordered = 1.0 - km["survival"].to_numpy(dtype=float)
    at_risk = km["at_risk"].to_numpy(dtype=np.int64)
    if km.empty or km["days"].iloc[0] != 0:
        ordered = np.r_[0.0, ordered]
        at_risk = np.r_[int(f.size), at_risk]
    curve["ordered_again"] = ordered
    curve["at_risk"] = at_risk.astype(np.int64)
    return SecondOrder(tuple(within), median, int(f.size), int(came_back.sum()), curve.astype(CURVE_COLUMNS))
