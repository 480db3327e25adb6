"""Orders -> the per-customer (frequency, recency, T, monetary_value) summary the models use."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.engine import sorting
from retention_xl.engine.clv._common import _unit_days
from retention_xl.errors import MetricError

__all__ = ["rfm_summary"]


def _to_days(values: Any, what: str) -> np.ndarray:
    """Calendar days since 1970-01-01 as int64 (time of day dropped); NaT -> MetricError."""
    scalar = pd.api.types.is_scalar(values) or isinstance(values, (date, np.datetime64))
    arr = pd.to_datetime(pd.Index([values] if scalar else values), errors="coerce")
    bad = int(arr.isna().sum())
    if bad:
        raise MetricError("error.clv_bad_dates", fn="clv", bad=bad, n=len(arr), what=what)
    return arr.to_numpy().astype("datetime64[D]").astype(np.int64)


def rfm_summary(
    customer_ids: Any,
    dates: Any,
    amounts: Any,
    as_of: Any = None,
    unit: str = "D",
) -> pd.DataFrame:
    """Per-customer ``frequency, recency, T, monetary_value`` from order rows.

    Rows of one customer on one calendar day form one purchase occasion (amounts
    summed); days whose net amount is negative (refund-only days) are not
    purchases. frequency = occasions - 1 (repeat purchases); recency = first to last
    occasion; T = first occasion to ``as_of``; monetary_value = mean amount of the
    repeat occasions (0 without any). Only rows on or before ``as_of`` (default: the
    latest date) count. Times are in ``unit`` ("D", "W" = days/7, "M" = days/30.44).
    Index: customer id, in order of first appearance. Vectorised: one hash of the
    ids and one sort of (customer, day) keys, no per-customer Python.
    """
    return _summary(customer_ids, dates, amounts, as_of, unit)[0]


def _summary(customer_ids: Any, dates: Any, amounts: Any, as_of: Any, unit: str) -> tuple[pd.DataFrame, int]:
    """``rfm_summary`` and the as-of day it used (days since 1970-01-01)."""
    occ = _occasions(customer_ids, dates, amounts, as_of, unit)
    return occ.summary(), occ.cutoff


class _Occasions:
    """Purchase occasions (one per customer and day, refund-only days dropped), sorted by
    customer then day, from which summaries at the as-of day or any earlier day are cut
    without sorting again (the holdout check needs both)."""

    def __init__(self, uniques: Any, cutoff: int, unit_days: float, cust: np.ndarray, day: np.ndarray,
                 amount: np.ndarray, rows: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        self.uniques, self.cutoff, self.unit_days = uniques, cutoff, unit_days
        self.cust, self.day, self.amount = cust, day, amount  # day: days since 1970-01-01
        self.rows = rows  # (customer code, day, amount) of the order rows up to the cutoff

    @property
    def first_day(self) -> int | None:
        return int(self.day.min()) if len(self.day) else None

    def summary(self, as_of_day: int | None = None) -> pd.DataFrame:
        """The summary at ``as_of_day`` (default: the cutoff), only occasions on or before it."""
        cutoff = self.cutoff if as_of_day is None else int(as_of_day)
        cust, day, amount = self.cust, self.day, self.amount
        if cutoff < self.cutoff:
            keep = day <= cutoff
            cust, day, amount = cust[keep], day[keep], amount[keep]
        if len(cust) == 0:
            cols = ["frequency", "recency", "T", "monetary_value"]
            empty = pd.DataFrame({c: pd.Series(dtype=np.int64 if c == "frequency" else float) for c in cols})
            empty.index = pd.Index(self.uniques[:0], name="customer_id")
            return empty
        first = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]])
        last = np.r_[first[1:], len(cust)] - 1
        count = last - first + 1
        total = np.add.reduceat(amount, first)
        frequency = count - 1
        repeat_total = total - amount[first]
        with np.errstate(invalid="ignore", divide="ignore"):
            monetary = np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0)
        return pd.DataFrame(
            {
                "frequency": frequency.astype(np.int64),
                "recency": (day[last] - day[first]) / self.unit_days,
                "T": (cutoff - day[first]) / self.unit_days,
                "monetary_value": monetary,
            },
            index=pd.Index(np.asarray(self.uniques)[cust[first]], name="customer_id"),
        )

    def later_purchases(self, as_of_day: int) -> np.ndarray:
        """Per customer of ``summary(as_of_day)`` (same order): their occasions after that day."""
        n = len(self.uniques)
        firsts = np.flatnonzero(np.r_[True, self.cust[1:] != self.cust[:-1]]) if len(self.cust) else np.zeros(0, int)
        known = self.cust[firsts][self.day[firsts] <= as_of_day]
        return np.bincount(self.cust[self.day > as_of_day], minlength=n)[known]

    def revenue_since(self, after_day: int) -> np.ndarray:
        """Sum of the row amounts dated in (after_day, cutoff], per customer of ``summary()``."""
        codes, days, amt = self.rows
        keep = days > after_day
        sums = np.bincount(codes[keep], weights=amt[keep], minlength=len(self.uniques))
        return sums[self.cust[np.flatnonzero(np.r_[True, self.cust[1:] != self.cust[:-1]])]] if len(self.cust) else sums[:0]


def _occasions(customer_ids: Any, dates: Any, amounts: Any, as_of: Any, unit: str) -> _Occasions:
    unit_days = _unit_days(unit)
    ids = pd.Series(np.asarray(customer_ids, dtype=object) if not isinstance(customer_ids, pd.Series) else customer_ids)
    n = len(ids)
    days = _to_days(dates, "dates")
    amt = pd.to_numeric(pd.Series(np.asarray(amounts, dtype=object) if not isinstance(amounts, pd.Series) else amounts), errors="coerce").to_numpy(dtype=float)
    if not (len(days) == n == len(amt)):
        raise MetricError("error.clv_lengths", fn="clv", ids=n, dates=len(days), amounts=len(amt))
    bad = int((~np.isfinite(amt)).sum())
    if bad:
        raise MetricError("error.clv_bad_amounts", fn="clv", bad=bad, n=n)
    codes, uniques = pd.factorize(ids, sort=False, use_na_sentinel=True)  # sorting: +50 % time
    if (codes < 0).any():
        raise MetricError("error.clv_missing_ids", fn="clv", bad=int((codes < 0).sum()), n=n)
    cutoff = int(days.max()) if as_of is None else int(_to_days(as_of, "as_of dates")[0])
    keep = days <= cutoff
    if not keep.all():
        codes, days, amt = codes[keep], days[keep], amt[keep]
    none = np.zeros(0, dtype=np.int64)
    if len(codes) == 0:
        return _Occasions(uniques, cutoff, unit_days, none, none, np.zeros(0), (codes, days, amt))

    # one int64 key per (customer, day); sorting it groups customers, days ascending
    day0 = int(days.min())
    span = cutoff - day0 + 1
    key = codes.astype(np.int64) * span + (days - day0)
    order = sorting.stable_argsort(key)  # rows of one occasion keep their order: same sums
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    occ_amount = np.add.reduceat(amt[order], starts)
    occ_key = key[starts]
    purchase = occ_amount >= 0  # a refund-only day is not a purchase; a free order is
    occ_key, occ_amount = occ_key[purchase], occ_amount[purchase]
    occ_cust, occ_day = np.divmod(occ_key, span)
    return _Occasions(uniques, cutoff, unit_days, occ_cust, occ_day + day0, occ_amount, (codes, days, amt))
