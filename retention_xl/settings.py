"""Report settings shared by the command line and the Excel button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReportSettings:
    """What the user may set for a KPI report; defaults follow SPEC."""

    period_start: date | None = None  # t0, exclusive; default: period_end - 365 days
    period_end: date | None = None  # t1, inclusive; default: latest order date
    active_days: int | None = None  # activity window W; None: the adaptive retention window (SPEC)
    industry: str | None = None  # key or name accepted by metrics.crr_benchmark
    lang: str = "en"  # en | ru | zh
    anonymize: bool = False  # pseudonymous ids, no names / e-mails / phones
    all_customers: bool = False  # Customers sheet lists everyone
    customer_rows: int = 2000  # default cap on the Customers sheet
    clv_months: int = 12  # predicted-CLV horizon
    annual_discount: float = 0.10  # predicted-CLV discount rate
    margin: float | None = None  # gross margin for payback (0.3 = 30 %); None: revenue as is
    today: date | None = None  # "today" for the period-end and future-date checks; None: the clock
    currency: str | None = None  # issue 18: ISO code of the report currency; None: the currency of most rows
    all_sheets: bool = False  # issue 19: read every sheet whose header has the same roles as the first


@dataclass(frozen=True)
class ColumnChoice:
    """Headers the user named explicitly; None means "find by synonyms"."""

    customer: str | None = None
    date: str | None = None
    amount: str | None = None
    quantity: str | None = None
    price: str | None = None
    order: str | None = None
    returned: str | None = None
