"""Revenue cohorts (LTV curves) and, with marketing spend, acquisition cost and payback.

For each first-order month c: the cumulative net revenue per cohort customer by
month since the first order (k = 0, 1, 2 …). Money is dated by its own row, as
everywhere in the report, and refunds subtract. A cell whose month lies after the
period end is not there yet (NaN); a cell in a month the data does not cover to its
end is *partial* and left out of the all-cohort average, so a short month does not
read as a flattening curve.

CAC of a month = spend of that month ÷ new customers of that month (per channel
when the spend names channels). LTV:CAC at k months = the all-cohort average
cumulative revenue per customer at month k (× margin) ÷ CAC; the payback month
is the first k whose cumulative revenue per customer × margin reaches CAC.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from retention_xl.engine import sorting

#: Months since the first order at which LTV:CAC is stated.
LTV_CAC_MONTHS = (3, 6, 12)

#: Columns of RevenueCohorts.table after the cohort index: "customers", then 0..K.
REVENUE_COHORT_SIZE = "customers"

#: Columns of Acquisition.table, declared once (name -> dtype).
ACQUISITION_COLUMNS: dict[str, str] = {
    "month": "datetime64[ns]",
    "channel": "str",
    "spend": "float64",
    "new_customers": "int64",
    "cac": "float64",
    "payback_month": "Int64",
}


@dataclass(frozen=True)
class RevenueCohorts:
    """Cumulative net revenue per cohort customer; see the module doc."""

    table: pd.DataFrame  # index "cohort" (month start); "customers", then int columns 0..K
    partial: pd.DataFrame  # same shape as table's 0..K block: True where the cell's month is partial
    average: pd.Series  # k -> all-cohort average over complete cells (NaN where none)
    partial_month: pd.Timestamp | None  # the month of the period end when it is not complete

    def to_json(self) -> dict[str, dict[str, float | None]]:
        """{"YYYY-MM": {"0": value, "1": …}} for the JSON (None for cells not reached yet)."""
        out: dict[str, dict[str, float | None]] = {}
        ks = [c for c in self.table.columns if c != REVENUE_COHORT_SIZE]
        for label, row in self.table.iterrows():
            out[pd.Timestamp(label).strftime("%Y-%m")] = {
                str(k): (None if pd.isna(row[k]) else round(float(row[k]), 6)) for k in ks
            }
        return out


@dataclass(frozen=True)
class Spend:
    """Marketing spend as the user gave it: one row per month (and channel)."""

    table: pd.DataFrame  # month (month start), amount (float), channel (str, "" when none)
    source: str  # what the user gave: a file, a sheet or --cac
    flat_cac: float | None = None  # --cac AMOUNT: one acquisition cost for every new customer


@dataclass(frozen=True)
class Acquisition:
    """CAC per month (and channel), LTV:CAC and the payback month; reason when not computable."""

    table: pd.DataFrame  # ACQUISITION_COLUMNS
    cac: float | None  # total spend ÷ new customers of the months with spend (or --cac)
    ltv_to_cac: dict[int, float | None] = field(default_factory=dict)  # LTV_CAC_MONTHS -> ratio
    payback_month: int | None = None  # first k with cumulative revenue per customer × margin ≥ CAC
    margin: float | None = None
    reason: str | None = None  # message code when there is no figure: "no_spend", "no_new_customers"

    def to_json(self) -> dict[str, object]:
        rows = []
        for rec in self.table.to_dict("records"):
            rows.append({
                "month": pd.Timestamp(rec["month"]).strftime("%Y-%m"),
                "channel": rec["channel"] or None,
                "spend": float(rec["spend"]),
                "new_customers": int(rec["new_customers"]),
                "cac": None if pd.isna(rec["cac"]) else float(rec["cac"]),
                "payback_month": None if pd.isna(rec["payback_month"]) else int(rec["payback_month"]),
            })
        return {
            "cac": self.cac,
            "ltv_to_cac": {str(k): v for k, v in self.ltv_to_cac.items()},
            "payback_month": self.payback_month,
            "margin": self.margin,
            "by_month": rows,
            "reason": self.reason,
        }


def month_numbers(day: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers (days since 1970-01-01)."""
    return sorting.month_numbers(day)


def _month_start(m: int) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(int(m), "M").astype("datetime64[D]"))


def period_end_is_partial(t1: int) -> bool:
    """True when the day t1 is not the last day of its month."""
    return bool(month_numbers(np.array([t1 + 1]))[0] == month_numbers(np.array([t1]))[0])


def revenue_cohorts(first_day: np.ndarray, row_customer: np.ndarray, row_day: np.ndarray,
                    row_amount: np.ndarray, t1: int) -> RevenueCohorts:
    """Cumulative net revenue per cohort customer by month since the first order.

    ``first_day`` is each customer's first counted order day (int64 max when they
    have none: no cohort); rows are the money rows that count (refunds included,
    not-a-sale rows left out) with their customer codes and day numbers.
    """
    none = np.iinfo(np.int64).max
    has = first_day < none
    last_m = int(month_numbers(np.array([t1]))[0])
    partial_last = period_end_is_partial(t1)
    if not has.any():
        empty = pd.DataFrame({REVENUE_COHORT_SIZE: pd.Series(dtype=np.int64)},
                             index=pd.DatetimeIndex([], name="cohort"))
        return RevenueCohorts(empty, pd.DataFrame(index=empty.index), pd.Series(dtype=float),
                              _month_start(last_m) if partial_last else None)
    cohort_m = np.full(first_day.size, -1, dtype=np.int64)
    cohort_m[has] = month_numbers(first_day[has])
    first_c = int(cohort_m[has].min())
    n_cohorts = last_m - first_c + 1
    n_k = n_cohorts
    sizes = np.bincount(cohort_m[has] - first_c, minlength=n_cohorts)

    keep = (row_day <= t1) & has[row_customer]
    c_of_row = cohort_m[row_customer[keep]]
    k_of_row = month_numbers(row_day[keep]) - c_of_row
    ok = k_of_row >= 0  # money booked before a customer's first order has no month in the curve
    cell = (c_of_row[ok] - first_c) * n_k + k_of_row[ok]
    sums = np.bincount(cell, weights=row_amount[keep][ok], minlength=n_cohorts * n_k)[: n_cohorts * n_k]
    cumulative = np.cumsum(sums.reshape(n_cohorts, n_k), axis=1)
    ci = np.arange(n_cohorts)[:, None]
    ki = np.arange(n_k)[None, :]
    reached = first_c + ci + ki <= last_m
    with np.errstate(invalid="ignore", divide="ignore"):
        per_customer = np.where(reached & (sizes[:, None] > 0), cumulative / np.maximum(sizes[:, None], 1), np.nan)
    partial = reached & (first_c + ci + ki == last_m) & partial_last

    rows = sizes > 0
    index = pd.DatetimeIndex([_month_start(first_c + i) for i in np.flatnonzero(rows)], name="cohort")
    table = pd.DataFrame(np.round(per_customer[rows], 6), index=index, columns=list(range(n_k)))
    table.insert(0, REVENUE_COHORT_SIZE, sizes[rows].astype(np.int64))
    partial_frame = pd.DataFrame(partial[rows], index=index, columns=list(range(n_k)))

    complete = reached & ~partial & (sizes[:, None] > 0)
    weight = np.where(complete, sizes[:, None], 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = np.where(weight.sum(axis=0) > 0,
                       np.where(complete, cumulative, 0.0).sum(axis=0) / np.maximum(weight.sum(axis=0), 1), np.nan)
    average = pd.Series(np.round(avg, 6), index=list(range(n_k)), name="average")
    # trailing all-NaN months (never reached) are dropped
    reached_any = np.flatnonzero(reached[rows].any(axis=0)) if rows.any() else np.array([], int)
    last_k = int(reached_any.max()) if reached_any.size else 0
    keep_cols = [REVENUE_COHORT_SIZE, *range(last_k + 1)]
    return RevenueCohorts(table[keep_cols], partial_frame[list(range(last_k + 1))],
                          average.iloc[: last_k + 1], _month_start(last_m) if partial_last else None)


def acquisition(spend: Spend | None, curves: RevenueCohorts, first_day: np.ndarray,
                first_channel: np.ndarray | None, margin: float | None) -> Acquisition:
    """CAC per month (and channel), LTV:CAC at LTV_CAC_MONTHS and the payback month."""
    m = 1.0 if margin is None else float(margin)
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in ACQUISITION_COLUMNS.items()})
    if spend is None:
        return Acquisition(empty, None, {}, None, margin, "no_spend")
    none = np.iinfo(np.int64).max
    has = first_day < none
    new_m = month_numbers(first_day[has])
    if spend.flat_cac is not None:
        cac = float(spend.flat_cac)
        table = empty
    else:
        sp = spend.table.copy()
        sp["m"] = month_numbers(sp["month"].to_numpy(dtype="datetime64[D]").astype(np.int64))
        by_channel = bool((sp["channel"] != "").any()) and first_channel is not None
        recs = []
        for (mm, ch), grp in sp.groupby(["m", "channel"] if by_channel else ["m", pd.Series("", index=sp.index)]):
            in_month = new_m == mm
            if by_channel:
                new = int(np.count_nonzero(in_month & (first_channel[has] == ch)))
            else:
                new = int(np.count_nonzero(in_month))
            amount = float(grp["amount"].sum())
            recs.append((_month_start(int(mm)), ch if by_channel else "", amount, new,
                         amount / new if new else np.nan))
        table = pd.DataFrame(recs, columns=["month", "channel", "spend", "new_customers", "cac"])
        total_new = int(table["new_customers"].sum())
        total_spend = float(table["spend"].sum())
        if total_new == 0:
            table["payback_month"] = pd.array([pd.NA] * len(table), dtype="Int64")
            return Acquisition(table.astype(ACQUISITION_COLUMNS), None, {}, None, margin, "no_new_customers")
        cac = total_spend / total_new
        paybacks = []
        for rec in table.itertuples():
            cohort = pd.Timestamp(rec.month)
            if cohort in curves.table.index and not np.isnan(rec.cac):
                row = curves.table.loc[cohort].drop(REVENUE_COHORT_SIZE).astype(float).to_numpy()
                paybacks.append(_payback(row * m, rec.cac))
            else:
                paybacks.append(None)
        table["payback_month"] = pd.array(paybacks, dtype="Int64")
    ratios = {}
    avg = curves.average.to_numpy(dtype=float)
    for k in LTV_CAC_MONTHS:
        ratios[k] = float(avg[k] * m / cac) if k < avg.size and not np.isnan(avg[k]) and cac > 0 else None
    return Acquisition(table.astype(ACQUISITION_COLUMNS) if len(table) else empty, cac, ratios,
                       _payback(avg * m, cac), margin, None)


def _payback(curve: np.ndarray, cac: float) -> int | None:
    """First month index whose cumulative revenue per customer reaches cac."""
    hit = np.flatnonzero(np.nan_to_num(curve, nan=-np.inf) >= cac)
    return int(hit[0]) if hit.size else None
