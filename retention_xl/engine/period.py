"""The report period (t0, t1], the retention measurement (W, start) and day numbers.

Which days a report covers and over which window retention is measured are decided here,
once, from the data's first and last day and the settings (SPEC and its Clarifications table).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from retention_xl.errors import InputError
from retention_xl.settings import ReportSettings


#: Retention windows the adaptive measurement tries, longest first (SPEC "Retention is measured ...").
ADAPTIVE_WINDOWS = (365, 180, 90, 30)

DEFAULT_PERIOD_DAYS = 365

EPOCH = date(1970, 1, 1)


def report_period(first_day: int, last_day: int, settings: ReportSettings) -> tuple[int, int]:
    """(t0, t1) as day numbers: settings, else the last 365 days of data or all of a shorter span."""
    t1 = day_number(settings.period_end) if settings.period_end is not None else int(last_day)
    if settings.period_start is not None:
        t0 = day_number(settings.period_start)
    else:
        t0 = t1 - DEFAULT_PERIOD_DAYS
        if t0 < first_day - 1 < t1:
            t0 = int(first_day) - 1
    if settings.period_end is not None:
        today = day_number(settings.today if settings.today is not None else date.today())
        if t1 > today:
            raise InputError("error.period_after_today", end=to_date(t1), today=to_date(today))
    if t0 >= t1:
        raise InputError("error.period_order", start=to_date(t0), end=to_date(t1))
    if t1 < first_day:  # a period after the data still says something (everyone left); before it, nothing
        raise InputError("error.period_before_data", end=to_date(t1), first=to_date(first_day),
                         last=to_date(last_day))
    return t0, t1


def retention_measurement(first_day: int, t0: int, t1: int, settings: ReportSettings) -> tuple[int, int, bool]:
    """(W, start, thin) of the retention measurement (start, t1] (SPEC and its Clarifications table).

    "The data holds W days before d" means d − first_day + 1 ≥ W (the first order day counts).
    Neither --active-days nor --period-start: the report period with W = 365 when the data
    holds 365 days before t0, else the latest (t1 − W, t1] with W the longest of 180, 90, 30
    that the data supports; W = 0 (CRR n/a) when none does. --active-days W only: the report
    period if the data holds W days before t0, else (t1 − W, t1] if it holds W days before
    that, else the report period with the thin-base warning. --period-start: exactly the
    report period, W = --active-days or 365, thin when fewer than W days precede t0.
    ``thin`` says the base rests on less history than the window.
    """
    def holds(w: int, d: int) -> bool:
        return d - first_day + 1 >= w

    given = settings.active_days
    if settings.period_start is not None:
        w = int(given) if given is not None else ADAPTIVE_WINDOWS[0]
        return w, t0, not holds(w, t0)
    if given is not None:
        w = int(given)
        if holds(w, t0):
            return w, t0, False
        if holds(w, t1 - w):
            return w, t1 - w, False
        return w, t0, True
    if holds(ADAPTIVE_WINDOWS[0], t0):
        return ADAPTIVE_WINDOWS[0], t0, False
    for w in ADAPTIVE_WINDOWS[1:]:
        if holds(w, t1 - w):
            return w, t1 - w, False
    return 0, t0, False


def day_number(value: date | datetime | str | pd.Timestamp) -> int:
    """Days since 1970-01-01 of a date setting (time of day ignored)."""
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise InputError("error.period_not_date", value=value)
    return int((ts.normalize().date() - EPOCH).days)


def to_date(day: int) -> date:
    """A day number as a date."""
    return EPOCH + timedelta(days=int(day))
