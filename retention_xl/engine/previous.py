"""The previous period: the same report for (t0 − P, t0], and every change against it (issue 13).

build_kpis computes it with the current retention measurement shifted back by P, so the
two periods are measured alike; engine/comparison.py judges the changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from retention_xl.engine import comparison
from retention_xl.engine.period import ADAPTIVE_WINDOWS, day_number, to_date
from retention_xl.engine.report import MIN_PREVIOUS_COVERAGE, KpiReport, PreviousPeriod
from retention_xl.errors import InputError, MetricError
from retention_xl.messages import Message
from retention_xl.settings import ReportSettings


def previous_period(orders: pd.DataFrame, settings: ReportSettings, current: KpiReport, *, rows_read: int,
                    rows_skipped: int, score_header: str | None = None,
                    prepared: tuple[Any, Any] | None = None) -> PreviousPeriod:
    """(t0 − P, t0] by build_kpis itself (same activity window), and every change against it.

    SPEC Clarifications "Previous period": the previous retention measurement is the current
    one shifted back by P; a previous period that the data covers for less than 90 % of P
    (the data starts later than t0 − P + 0.1 P) gives "not enough history" instead of figures.
    """
    t0 = day_number(current.period_start)
    days = current.period_days
    start = t0 - days
    first_day = day_number(current.data_start) if current.data_start is not None else t0 + 1
    covered = max(0, t0 - max(start, first_day - 1))
    out = PreviousPeriod(start=to_date(start), end=to_date(t0), days=days, covered_days=covered)
    if covered < MIN_PREVIOUS_COVERAGE * days:
        out.reason = Message("kpi.not_enough_history", start=out.start, end=out.end, days=days, covered=covered,
                             first=current.data_start.isoformat() if current.data_start else "?",
                             share=f"{MIN_PREVIOUS_COVERAGE:.0%}")
        return out
    shifted = replace(settings, period_start=out.start, period_end=out.end)
    r = current.retention
    window = getattr(r, "window_days", None) or settings.active_days or ADAPTIVE_WINDOWS[0]
    m_from = getattr(r, "measured_from", None) or current.period_start
    measurement = (int(window), to_date(day_number(m_from) - days))  # the current one, shifted back by P
    from retention_xl.engine.kpi import build_kpis  # kpi imports this module: import on use

    try:
        out.report = build_kpis(orders, shifted, rows_read=rows_read, rows_skipped=rows_skipped,
                                score_header=score_header, previous=False, tables=False,
                                measurement=measurement, _prepared=prepared)
    except (InputError, MetricError) as err:
        out.reason = Message("kpi.previous_failed", error=err.message)
        return out
    out.changes = comparison.compare(current, out.report)
    return out
