"""Simulated shops for the CLV tests: purchases drawn from BG/NBD with known parameters.

Each customer joins on a uniformly random day of the history, buys then, and keeps
buying at a Poisson rate lambda ~ Gamma(r, alpha) (per week) until dropping out,
which happens after each repeat purchase with probability p ~ Beta(a, b)
(Fader, Hardie & Lee 2005). Times are whole days, so two purchases on one day are
one purchase occasion, as the report counts them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate_orders(n: int, r: float, alpha: float, a: float, b: float, weeks: int = 52,
                    seed: int = 0, start: str = "2025-01-01") -> pd.DataFrame:
    """Order rows (customer_id, date, amount) of ``n`` customers over ``weeks`` weeks."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)  # purchases per week
    p = rng.beta(a, b, n)
    days = weeks * 7
    join = rng.integers(0, days, n)  # day of the first purchase, 0 .. days - 1
    cust, day = [np.arange(n)], [join.copy()]
    t = join.astype(float)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        t = t + rng.exponential(7.0 / np.maximum(lam, 1e-12))
        alive &= t < days
        idx = np.flatnonzero(alive)
        cust.append(idx)
        day.append(np.floor(t[idx]).astype(np.int64))
        alive &= ~(rng.random(n) < p)
    c = np.concatenate(cust)
    d = np.concatenate(day)
    spend = rng.gamma(6.0, 1.0 / rng.gamma(3.7, 1.0 / 15.0, n))  # Gamma-Gamma spend per customer
    amount = np.round(rng.gamma(6.0, spend[c] / 6.0), 2) + 1.0
    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in c],
        "date": pd.Timestamp(start) + pd.to_timedelta(d, unit="D"),
        "amount": amount,
    })


def holdout_counts(orders: pd.DataFrame, calibration_end: pd.Timestamp) -> pd.DataFrame:
    """Per customer who bought by calibration_end: repeat purchase days up to it and purchase days after it.

    Counted straight from the simulated rows (distinct days per customer), without the engine.
    """
    days = orders.assign(day=orders["date"].dt.normalize()).drop_duplicates(["customer_id", "day"])
    cal = days[days["day"] <= calibration_end].groupby("customer_id").size() - 1
    after = days[days["day"] > calibration_end].groupby("customer_id").size()
    return pd.DataFrame({"calibration_repeats": cal, "holdout": after.reindex(cal.index).fillna(0).astype(int)})
