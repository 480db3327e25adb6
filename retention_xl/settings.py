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


def margin_fraction(value: object) -> float | None:
    """A gross margin as the user writes it — 0.3, "30%", "30 %", "0,3" or 30 — as a fraction in (0, 1].

    None when it is not such a number; the command line and the settings sheet each say so in
    their own words. A number above 1 is read as percent, as a typed "30" means 30 %.
    """
    text = str(value).strip()
    try:
        m = float(text.rstrip("%").strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if isinstance(value, str) and text.endswith("%") or m > 1:
        m /= 100
    return m if 0 < m <= 1 else None
