"""Cohort retention: customers grouped by the period of their first order.

Cell (c, k) is the share of cohort c (customers whose first order falls in
period c) who ordered in period c + k. Column 0 is therefore 1.0. Cells for
periods after the last period in the data are NaN (not yet observed), so a
heatmap shows them blank rather than as 0 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.common.excel import serials_to_dates
from retention_xl.common.ids import normalize_ids
from retention_xl.engine import sorting
from retention_xl.errors import MetricError

#: Period codes: month, week (Monday to Sunday), quarter.
PERIODS = {"M": "month", "W": "week", "Q": "quarter"}

#: Most periods a cohort table may span: one column each, beside the cohort and
#: its size, in Excel's 16,384 columns.
MAX_PERIODS = 16_384 - 2


def cohort_retention(
    customer_ids: Sequence[Any] | pd.Series | np.ndarray,
    dates: Sequence[Any] | pd.Series | np.ndarray,
    period: str = "M",
    *,
    date1904: bool = False,
) -> pd.DataFrame:
    """Cohort × periods-since-first-order matrix of shares (see module doc).

    One input row per order (or order line; several rows in one period count
    once). Returns a DataFrame indexed by the cohort's period start (Timestamp,
    name "cohort"), column "customers" (cohort size, int) then integer columns
    0..K (float shares, NaN after the data ends). Rows without a customer id or
    a date are ignored.
    """
    code = str(period).strip().upper()[:1]
    if code not in PERIODS:
        raise MetricError("error.cohort_period", fn="COHORT_RETENTION", period=str(period))
    ids = customer_keys(customer_ids)
    day = calendar_days(dates, "COHORT_RETENTION", date1904)
    if len(ids) != len(day):
        raise MetricError("error.cohort_sizes", fn="COHORT_RETENTION", ids=len(ids), dates=len(day))
    ok = (ids.notna() & day.notna()).to_numpy()
    if not ok.any():
        raise MetricError("error.cohort_no_rows", fn="COHORT_RETENTION")
    cust, _ = pd.factorize(ids[ok])
    per = period_numbers(day[ok], code)
    n_periods = int(per.max()) - int(per.min()) + 1
    if n_periods > MAX_PERIODS:
        first, last = day[ok].min(), day[ok].max()
        raise MetricError("error.cohort_too_wide", fn="COHORT_RETENTION", first=f"{first:%Y-%m-%d}",
                          last=f"{last:%Y-%m-%d}", n=n_periods, periods=code, coarser=code)
    return retention_matrix(cust, per, code)


def period_numbers(days: pd.Series, code: str) -> np.ndarray:
    """Consecutive integer number of each date's month, ISO week or quarter."""
    d = days.to_numpy(dtype="datetime64[D]")
    if code == "M":
        return sorting.month_numbers(d.astype(np.int64))
    if code == "Q":
        return sorting.month_numbers(d.astype(np.int64)) // 3
    # 1970-01-01 was a Thursday: shift by 3 days so weeks start on Monday.
    return (d.astype(np.int64) + 3) // 7


def period_starts(numbers: np.ndarray, code: str) -> pd.DatetimeIndex:
    """First day of each period number from :func:`period_numbers`."""
    n = np.asarray(numbers, dtype=np.int64)
    if code == "M":
        d = n.astype("datetime64[M]").astype("datetime64[D]")
    elif code == "Q":
        d = (n * 3).astype("datetime64[M]").astype("datetime64[D]")
    else:
        d = (n * 7 - 3).astype("datetime64[D]")
    return pd.DatetimeIndex(d.astype("datetime64[s]"))  # [s]: Excel's dates reach 9999


def retention_matrix(cust: np.ndarray, per: np.ndarray, code: str) -> pd.DataFrame:
    """Cohort matrix from integer customer codes and period numbers (see cohort_retention).

    Memory is cohorts x periods: only periods in which some customer first
    ordered get a row, so one far-away date adds columns, not a square matrix.
    """
    n_cust = int(cust.max()) + 1
    first = np.full(n_cust, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, cust, per)
    p0, p_last = int(per.min()), int(per.max())
    n_periods = p_last - p0 + 1
    lag = per - first[cust]  # periods since first order
    # one count per customer and (cohort, lag): unique (customer, lag) pairs
    key = np.sort(cust.astype(np.int64) * n_periods + lag)  # sort + compare: np.unique hashes, 40x slower here
    key = key[np.r_[True, key[1:] != key[:-1]]]
    u_cust, u_lag = key // n_periods, key % n_periods
    seen = first != np.iinfo(np.int64).max  # codes may skip customers without rows here
    cohorts, sizes = np.unique(first[seen], return_counts=True)  # period numbers of the cohorts
    row = np.searchsorted(cohorts, first[u_cust])
    counts = np.bincount(row * n_periods + u_lag, minlength=cohorts.size * n_periods)
    shares = counts.reshape(cohorts.size, n_periods) / sizes[:, None]
    # lag k observable for cohort c only while c + k <= last period
    observable = (cohorts - p0)[:, None] + np.arange(n_periods)[None, :] < n_periods
    shares = np.where(observable, shares, np.nan)
    frame = pd.DataFrame(shares, columns=list(range(n_periods)))
    frame.insert(0, "customers", sizes.astype(np.int64))
    frame.index = period_starts(cohorts, code)
    frame.index.name = "cohort"
    return frame


def customer_keys(customer_ids: Any) -> pd.Series:
    """Customer ids as text by common.ids' one rule (object Series, None where blank).

    Trimmed; 13607.0, "13607.0" and "13607" are one id; e-mails that differ only by
    case are one id, shown as first seen.
    """
    raw = _series(customer_ids)
    if pd.api.types.is_float_dtype(raw) or pd.api.types.is_integer_dtype(raw):
        raw = raw.astype(object).where(raw.notna(), None)
    return pd.Series(normalize_ids(raw), dtype=object)


def _series(values: Any) -> pd.Series:
    """Any 1-D input as a Series with a fresh index; numpy dtypes kept, lists as objects."""
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, (np.ndarray, pd.Index, pd.api.extensions.ExtensionArray)):
        return pd.Series(np.ravel(values) if isinstance(values, np.ndarray) else values).reset_index(drop=True)
    return pd.Series(np.asarray(list(values), dtype=object))


_NUMBER_KINDS = frozenset({"floating", "integer", "mixed-integer-float", "decimal"})


def calendar_days(dates: Any, fn: str, date1904: bool = False) -> pd.Series:
    """Dates as calendar days (time dropped); blanks become NaT; unreadable dates raise MetricError.

    Numbers are Excel serial dates, converted by common.excel.serials_to_dates
    (1900 system with its leap-year bug, or the 1904 system); a number that is
    no Excel date raises MetricError. The
    result has second resolution, so every Excel date up to 9999-12-31 fits
    (nanosecond timestamps end in 2262).
    """
    raw = _series(dates)
    try:
        if pd.api.types.is_datetime64_any_dtype(raw):
            out = raw
        elif (pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw)) or (
            raw.dtype == object and pd.api.types.infer_dtype(raw, skipna=True) in _NUMBER_KINDS
        ):  # a list of numbers arrives as objects
            x = raw.to_numpy(dtype=float, na_value=np.nan)
            days = serials_to_dates(x, date1904)  # Excel serial numbers
            if (np.isnat(days) & ~np.isnan(x)).any():
                bad = x[np.isnat(days) & ~np.isnan(x)][0]
                raise ValueError(f"{bad:g} is not an Excel date")
            out = pd.Series(days.astype("datetime64[s]"))
        else:
            out = pd.to_datetime(raw, errors="raise")
    except (ValueError, TypeError) as exc:  # OutOfBoundsDatetime is a ValueError
        raise MetricError("error.dates_unreadable", fn=fn, reason=str(exc)) from None
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out.astype("datetime64[s]").dt.normalize()
