"""Every table of a KpiReport, its columns declared once: name, kind of values, meaning.

The engine checks what it returns against these (:func:`check_report`, called by
kpi.build_kpis), so a table that loses, renames or retypes a column fails loudly
inside the engine instead of showing up as a blank column in the workbook. The
writer (render/frames.py) and the anonymisation (render/privacy.py) read these
declarations: which columns exist, and which hold personal data.

Kinds are broad on purpose (pandas may hand back int64 or Int64, datetime64[ns] or [s]):
"int", "float", "bool", "date", "text".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Literal

import pandas as pd
from pandas.api import types as pdt

from retention_xl.engine.splits import SPLIT_COLUMNS

if TYPE_CHECKING:
    from retention_xl.engine.report import KpiReport

Kind = Literal["int", "float", "bool", "date", "text"]


class TableContractError(RuntimeError):
    """The engine returned a table that breaks its own declaration: a bug of ours, not a data problem."""


@dataclass(frozen=True)
class Column:
    """One declared column. ``optional``: only under a condition (said in ``meaning``)."""

    name: str
    kind: Kind
    meaning: str
    personal: bool = False  # a person's name or contact: dropped by --anonymize
    optional: bool = False


@dataclass(frozen=True)
class Table:
    """A table's columns (in their order unless ``ordered`` is False); ``then`` declares trailing
    columns 0, 1, 2 … (cohort offsets)."""

    name: str
    columns: tuple[Column, ...]
    then: Column | None = None
    index: Column | None = None  # a meaningful index (cohort month); None: a plain 0..n-1 index
    ordered: bool = True  # False: the columns are a set (their order carries nothing)

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __getitem__(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} declares no column {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def personal(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.personal)

    def empty(self) -> pd.DataFrame:
        """No rows, the required columns with their kinds (a headline-only report's tables)."""
        index = None if self.index is None else pd.Index([], dtype=_EMPTY_DTYPES[self.index.kind], name=self.index.name)
        return pd.DataFrame({c.name: pd.Series(dtype=_EMPTY_DTYPES[c.kind], index=index)
                             for c in self.columns if not c.optional}, index=index)

    def check(self, frame: pd.DataFrame) -> None:
        """Raise TableContractError unless ``frame`` has the declared columns, in order, of the declared kinds."""
        cols = list(frame.columns)
        fixed = [c for c in cols if isinstance(c, str)]
        trailing = [c for c in cols if not isinstance(c, str)]
        if trailing and self.then is None:
            raise TableContractError(f"engine table {self.name}: undeclared columns {trailing!r}")
        if trailing and trailing != list(range(len(trailing))):
            raise TableContractError(f"engine table {self.name}: trailing columns are not 0, 1, 2 …: {trailing!r}")
        if cols[:len(fixed)] != fixed:
            raise TableContractError(f"engine table {self.name}: named columns must come before 0, 1, 2 …")
        declared = self.names
        unknown = [c for c in fixed if c not in declared]
        missing = [c.name for c in self.columns if not c.optional and c.name not in fixed]
        if unknown or missing:
            raise TableContractError(
                f"engine table {self.name}: undeclared columns {unknown!r}, missing columns {missing!r}")
        if self.ordered and fixed != [c for c in declared if c in fixed]:
            raise TableContractError(f"engine table {self.name}: columns out of the declared order: {fixed!r}")
        for c in fixed:
            _check_kind(self.name, self[c], frame[c].dtype)
        if self.then is not None:
            for c in trailing:
                _check_kind(self.name, self.then, frame[c].dtype, str(c))
        if self.index is not None:
            _check_kind(self.name, self.index, frame.index.dtype, "index")


_EMPTY_DTYPES = {"int": "int64", "float": "float64", "bool": "bool", "date": "datetime64[ns]", "text": "str"}
_KIND_TESTS = {
    "int": lambda d: pdt.is_integer_dtype(d) and not pdt.is_bool_dtype(d),
    "float": pdt.is_float_dtype,
    "bool": pdt.is_bool_dtype,
    "date": pdt.is_datetime64_any_dtype,
    "text": lambda d: pdt.is_string_dtype(d) or pdt.is_object_dtype(d),
}


def _check_kind(table: str, col: Column, dtype: object, name: str | None = None) -> None:
    if not _KIND_TESTS[col.kind](dtype):
        raise TableContractError(
            f"engine table {table}: column {name or col.name!r} is {dtype}, declared {col.kind}")


def _c(name: str, kind: Kind, meaning: str, **kw: bool) -> Column:
    return Column(name, kind, meaning, **kw)


MONTHLY = Table("monthly", (
    _c("month", "date", "first day of the calendar month"),
    _c("in_period", "bool", "the month overlaps the report period"),
    _c("partial", "bool", "a first or last month of the data not covered to its end or from its start"),
    _c("covered_from", "date", "first day of the month the data covers"),
    _c("covered_to", "date", "last day of the month the data covers"),
    _c("new_customers", "int", "customers whose first counted order is in the month"),
    _c("returning_customers", "int", "customers who ordered in the month, first order earlier"),
    _c("customers", "int", "customers with a counted order in the month"),
    _c("orders", "int", "counted orders by order date"),
    _c("returned_orders", "int", "returned orders by order date"),
    _c("net_revenue", "float", "net amounts of the rows dated in the month (refunds count)"),
    _c("aov", "float", "net_revenue ÷ orders in the report currency; NaN without orders"),
    _c("active_customers", "int", "customers active at the month's last day (or the period end)"),
))

COHORTS = Table("cohorts", (
    _c("customers", "int", "customers whose first counted order is in the cohort month"),
), then=_c("months_since_first", "float", "share of the cohort with an order k months after its first"),
    index=_c("cohort", "date", "cohort month"))

SEGMENTS = Table("segments", (
    _c("segment", "text", "RFM segment name (rfm.SEGMENTS), all 11, best first"),
    _c("customers", "int", "customers in the segment"),
    _c("share", "float", "customers ÷ customers with a segment"),
    _c("revenue", "float", "net revenue of the segment's customers"),
    _c("revenue_share", "float", "revenue ÷ revenue of all segments"),
    _c("avg_recency_days", "float", "mean days since the last order"),
    _c("avg_frequency", "float", "mean counted orders"),
    _c("avg_monetary", "float", "mean net revenue"),
    _c("predicted_clv", "float", "sum of the customers' predicted CLV (when the CLV model was fitted)",
       optional=True),
    _c("avg_predicted_clv", "float", "mean predicted CLV (when the CLV model was fitted)", optional=True),
))

#: Per-customer forecast columns, present when the CLV model was fitted and not withheld.
_FORECAST = dict(optional=True)

CUSTOMERS = Table("customers_table", (
    _c("customer_id", "text", "normalised customer id"),
    _c("customer_name", "text", "latest non-empty name (when the data has names)", personal=True, optional=True),
    _c("email", "text", "latest non-empty e-mail (when the data has e-mails)", personal=True, optional=True),
    _c("phone", "text", "latest non-empty phone (when the data has phones)", personal=True, optional=True),
    _c("channel", "text", "earliest non-empty channel: how they came (when the data has channels)", optional=True),
    _c("first_order_date", "date", "first counted order; NaT if none"),
    _c("last_order_date", "date", "last counted order; NaT if none"),
    _c("orders", "int", "counted orders up to the period end"),
    _c("returned_orders", "int", "returned orders up to the period end"),
    _c("net_revenue", "float", "net amounts of the customer's rows up to the period end"),
    _c("aov", "float", "net_revenue ÷ orders; NaN without orders"),
    _c("days_since_last_order", "float", "days from the last counted order to the period end; NaN if none"),
    _c("r_score", "int", "recency score 1–5; <NA> without counted orders"),
    _c("f_score", "int", "frequency score 1–5"),
    _c("m_score", "int", "monetary score 1–5"),
    _c("segment", "text", "RFM segment name; missing without counted orders"),
    _c("active", "bool", "active at the period end"),
    _c("p_alive", "float", "probability the customer is still buying at the period end", **_FORECAST),
    _c("churn_risk", "text", '"low" / "medium" / "high"', **_FORECAST),
    _c("expected_90d", "float", "expected orders in the next 90 days", **_FORECAST),
    _c("next_order_date", "date", "expected date of the next order", **_FORECAST),
    _c("expected_purchases", "float", "expected orders in the CLV horizon", **_FORECAST),
    _c("predicted_clv", "float", "discounted predicted CLV over the horizon", **_FORECAST),
    _c("value_at_risk", "float", "net revenue of the last 12 months × (1 − p_alive)", **_FORECAST),
))

REVENUE_COHORTS = Table("where_to_act.revenue_cohorts", (
    _c("customers", "int", "customers acquired in the cohort month"),
), then=_c("months_since_first", "float", "cumulative net revenue per cohort customer after k months"),
    index=_c("cohort", "date", "cohort month"))

#: splits.SPLIT_COLUMNS (name -> dtype, with their meanings there) as a declaration.
SPLITS = Table("where_to_act.by_*", tuple(
    Column(name, {"str": "text", "int64": "int", "float64": "float"}[dtype], "see splits.SPLIT_COLUMNS")  # type: ignore[arg-type]
    for name, dtype in SPLIT_COLUMNS.items()), ordered=False)

FORECAST_BUCKETS = Table("forecast_check.buckets", (
    _c("repeat_purchases", "int", "repeat purchases in the calibration window (the last row: that many or more)"),
    _c("customers", "int", "customers with that many repeat purchases"),
    _c("predicted", "float", "expected holdout purchases of these customers"),
    _c("actual", "int", "their purchases in the holdout"),
    _c("predicted_per_customer", "float", "predicted ÷ customers"),
    _c("actual_per_customer", "float", "actual ÷ customers"),
))


def check_report(report: KpiReport) -> None:
    """Check every table of a KpiReport against its declaration (TableContractError if one breaks it)."""
    MONTHLY.check(report.monthly)
    COHORTS.check(report.cohorts)
    SEGMENTS.check(report.segments)
    CUSTOMERS.check(report.customers_table)
    w = report.where_to_act
    if w is not None:
        REVENUE_COHORTS.check(w.revenue_cohorts.table)
        for split in (w.by_channel, w.by_first_product):
            if split is not None:
                SPLITS.check(split.table)
    if report.forecast_check is not None:
        FORECAST_BUCKETS.check(report.forecast_check.buckets)
