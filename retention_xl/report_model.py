"""What a KPI report contains: plain dataclasses, shared by engine, writer and JSON.

The engine (kpi.py) fills these; the workbook writer, the JSON and the Excel
button only read them, so every number is computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from .settings import ReportSettings


@dataclass(frozen=True)
class Retention:
    """Headline CRR over (t0, t1]: S active at t0, E active at t1, N = E not active at t0."""

    start: int  # S
    end: int  # E
    new: int  # N: active at t1, not at t0 (brand new + won back)
    won_back: int  # part of N that ordered before t0
    brand_new: int  # part of N whose first order is in the period
    value: float | None  # (E - N) / S; None when S == 0
    churn: float | None  # 1 - value


@dataclass(frozen=True)
class HistoricalClv:
    """Average monthly net revenue per active customer x expected lifetime (1 / monthly churn)."""

    monthly_revenue_per_customer: float | None
    monthly_churn: float | None
    lifetime_months: float | None
    value: float | None
    note: str | None = None  # why value is None, in plain words


@dataclass
class KpiReport:
    """Every figure of one report. DataFrames are ready-to-show tables."""

    settings: ReportSettings
    period_start: date  # t0 (exclusive)
    period_end: date  # t1 (inclusive)
    rows_read: int
    rows_used: int
    rows_skipped: int
    customers: int
    orders: int
    revenue: float
    repeat_purchase_rate: float | None
    aov: float | None
    purchase_frequency: float | None
    return_rate: float | None
    returned_orders: int
    retention: Retention
    historical_clv: HistoricalClv
    benchmark_crr: float | None  # chosen industry's typical CRR
    monthly: pd.DataFrame  # one row per calendar month of the data
    cohorts: pd.DataFrame  # index cohort month; "customers" then 0..K shares
    segments: pd.DataFrame  # one row per RFM segment
    customers_table: pd.DataFrame  # one row per customer (all of them)
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. predicted CLV

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days

    @property
    def churn_rate(self) -> float | None:
        return self.retention.churn

    def to_json(self) -> dict[str, Any]:
        """The SPEC's machine-readable headline figures."""
        raise NotImplementedError  # kpi owner implements
