"""Excel functions (xlwings UDFs) for every retention metric.

Each function only adapts: it reads the cells with :mod:`retention_xl.excel.cell_input`,
calls the pure metric in :mod:`retention_xl.engine.metrics` (or the shared cohort and
RFM code) and returns a number, a spilled 2-D list, or — when the input is
wrong — a short message that starts with the function name, such as
"CRR: new customers (40) exceed customers at the end (30)". No Python traceback
ever reaches a cell.

Excel error cells: every argument is declared with ``err_to_str=True`` so an
error cell arrives as its text ("#N/A") instead of looking blank. Like Excel's
AVERAGE, a function whose input holds an error returns that error. It is
returned as the error text, which is how xlwings represents cell errors: xlwings
Server, Lite and the Office.js add-ins turn "#N/A", "#DIV/0!" … into real Excel
error values (ISNA works); classic COM UDFs on Windows show the same text.

Spilled results (COHORT_RETENTION, RFM, CLV_PREDICT) are plain 2-D lists with a header row;
Excel 365 spills them into neighbouring cells without ``@xw.ret(expand=...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from retention_xl.excel import cell_input as cells_in
from retention_xl.engine import metrics
from retention_xl.errors import MetricError, RetentionXLError

#: Insert Function groups our functions under this category.
_CATEGORY = "retention_xl"

#: Default of an optional argument that was left out of the formula. A blank
#: cell arrives as None instead, so the two can be told apart.
_OMITTED = ""

#: Longest message written to a cell; longer ones are cut with "…".
_MAX_MESSAGE = 250


def _run(name: str, compute: Callable[[], Any]) -> Any:
    """Call `compute`; turn any failure into what the cell should show."""
    try:
        return compute()
    except cells_in.CellError as err:
        return err.error
    except RetentionXLError as err:
        return _message(name, str(err))
    except Exception as err:  # noqa: BLE001 - last resort: a message, never a traceback
        return _message(name, f"could not compute this ({type(err).__name__}: {err})")


def _message(name: str, text: str) -> str:
    text = " ".join(text.split())
    if not text.startswith(f"{name}:"):
        text = f"{name}: {text}"
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _num(name: str, what: str, value: Any, default: float | None = None) -> float:
    return cells_in.scalar(name, what, value, default)


# --- retention ------------------------------------------------------------------


@xw.func(category=_CATEGORY)
@xw.arg("end", err_to_str=True, doc="Customers at the end of the period (E).")
@xw.arg("new", err_to_str=True, doc="New customers gained during the period (N).")
@xw.arg("start", err_to_str=True, doc="Customers at the start of the period (S).")
def CRR(end, new, start):
    """Customer retention rate (E − N) / S as a fraction, e.g. CRR(210,30,200) = 0.90."""
    return _run(
        "CRR",
        lambda: metrics.crr(
            _num("CRR", "customers at the end", end),
            _num("CRR", "new customers", new),
            _num("CRR", "customers at the start", start),
        ),
    )


@xw.func(category=_CATEGORY)
@xw.arg("end", err_to_str=True, doc="Customers at the end of the period (E).")
@xw.arg("new", err_to_str=True, doc="New customers gained during the period (N).")
@xw.arg("start", err_to_str=True, doc="Customers at the start of the period (S).")
def CHURN(end, new, start):
    """Churn rate 1 − CRR: share of the starting customers lost in the period."""
    return _run(
        "CHURN",
        lambda: metrics.churn(
            _num("CHURN", "customers at the end", end),
            _num("CHURN", "new customers", new),
            _num("CHURN", "customers at the start", start),
        ),
    )


# --- surveys ----------------------------------------------------------------------


@xw.func(category=_CATEGORY)
@xw.arg("scores", ndim=2, err_to_str=True, doc="Range of 0–10 answers to 'How likely are you to recommend us?'. Blanks and text are ignored.")
def NPS(scores):
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6), from −100 to 100."""
    return _run("NPS", lambda: metrics.nps(cells_in.numbers(scores)))


@xw.func(category=_CATEGORY)
@xw.arg("scores", ndim=2, err_to_str=True, doc="Range of satisfaction answers. Blanks and text are ignored.")
@xw.arg("scale_max", err_to_str=True, doc="Highest answer on the scale (default 5).")
@xw.arg("threshold", err_to_str=True, doc="Lowest answer that counts as satisfied (default 4).")
def CSAT(scores, scale_max=5, threshold=4):
    """Customer satisfaction: share of answers at or above the threshold (4 and 5 of 5)."""
    return _run(
        "CSAT",
        lambda: metrics.csat(
            cells_in.numbers(scores),
            _num("CSAT", "scale maximum", scale_max, 5.0),
            _num("CSAT", "threshold", threshold, 4.0),
        ),
    )


# --- value --------------------------------------------------------------------------


@xw.func(category=_CATEGORY)
@xw.arg("monthly_spend", err_to_str=True, doc="What a customer spends per month.")
@xw.arg("months", err_to_str=True, doc="How many months a customer stays.")
@xw.arg("margin", err_to_str=True, doc="Profit margin as a fraction, e.g. 0.3 (default 1 = revenue).")
@xw.arg("annual_discount", err_to_str=True, doc="Yearly discount rate as a fraction, e.g. 0.1 (default 0 = none).")
def CLV(monthly_spend, months, margin=1, annual_discount=0):
    """Customer lifetime value: monthly spend × months × margin, discounted monthly if a rate is given."""
    return _run(
        "CLV",
        lambda: metrics.clv(
            _num("CLV", "monthly spend", monthly_spend),
            _num("CLV", "months", months),
            _num("CLV", "margin", margin, 1.0),
            _num("CLV", "annual discount rate", annual_discount, 0.0),
        ),
    )


@xw.func(category=_CATEGORY)
@xw.arg("purchases_per_customer", err_to_str=True, doc="Purchases per customer (e.g. per year).")
@xw.arg("average_check", err_to_str=True, doc="Average order value (average check).")
def CUSTOMER_VALUE(purchases_per_customer, average_check):
    """Customer value: purchases per customer × average check."""
    return _run(
        "CUSTOMER_VALUE",
        lambda: metrics.customer_value(
            _num("CUSTOMER_VALUE", "purchases per customer", purchases_per_customer),
            _num("CUSTOMER_VALUE", "average check", average_check),
        ),
    )


@xw.func(category=_CATEGORY)
@xw.arg("revenue", ndim=2, err_to_str=True, doc="Total revenue; or, with no second argument, a range of order amounts to average.")
@xw.arg("orders", err_to_str=True, doc="Number of orders (leave out to average the amounts in the first argument).")
def AOV(revenue, orders=_OMITTED):
    """Average order value (average check): revenue ÷ orders, or the average of a range of order amounts."""

    def compute() -> float:
        if isinstance(orders, str) and orders == _OMITTED:  # `==` on an array would be ambiguous
            return metrics.average_check(cells_in.numbers(revenue))
        return metrics.aov(_num("AOV", "revenue", revenue), _num("AOV", "orders", orders))

    return _run("AOV", compute)


@xw.func(category=_CATEGORY)
@xw.arg("acquisition_costs", ndim=2, err_to_str=True, doc="Total acquisition cost, or a range of costs (campaigns, months) that is summed.")
@xw.arg("new_customers", err_to_str=True, doc="New customers acquired with that spend.")
def CAC(acquisition_costs, new_customers):
    """Customer acquisition cost: total acquisition cost ÷ new customers."""
    return _run(
        "CAC",
        lambda: metrics.cac(
            cells_in.numbers(acquisition_costs), _num("CAC", "new customers", new_customers)
        ),
    )


# --- purchase behaviour ----------------------------------------------------------------


@xw.func(category=_CATEGORY)
@xw.arg("customer_ids", ndim=2, err_to_str=True, doc="Customer id of every order, one order per cell. Blanks are ignored.")
def REPEAT_RATE(customer_ids):
    """Repeat purchase rate: share of distinct customers who appear at least twice."""
    return _run("REPEAT_RATE", lambda: metrics.repeat_rate(cells_in.customer_codes(customer_ids)))


@xw.func(category=_CATEGORY)
@xw.arg("orders", err_to_str=True, doc="Number of orders in the period.")
@xw.arg("customers", err_to_str=True, doc="Number of distinct customers who ordered.")
@xw.arg("months", err_to_str=True, doc="Length of the period in months (default 1).")
def PURCHASE_FREQUENCY(orders, customers, months=1):
    """Purchase frequency: orders ÷ customers ÷ months (orders per customer per month)."""
    return _run(
        "PURCHASE_FREQUENCY",
        lambda: metrics.purchase_frequency(
            _num("PURCHASE_FREQUENCY", "orders", orders),
            _num("PURCHASE_FREQUENCY", "customers", customers),
            _num("PURCHASE_FREQUENCY", "months", months, 1.0),
        ),
    )


@xw.func(category=_CATEGORY)
@xw.arg("customer_ids", ndim=2, err_to_str=True, doc="Customer id of every order.")
@xw.arg("dates", ndim=2, err_to_str=True, doc="Order date of every order, same rows as the ids (dates or Excel date numbers).")
def DAYS_TO_REPEAT(customer_ids, dates):
    """Average days from a customer's first purchase to the second, over customers who came back."""

    def compute() -> float:
        rows = cells_in.order_rows("DAYS_TO_REPEAT", customer_ids, dates)
        return metrics.days_to_repeat(rows.customer_ids, rows.dates)

    return _run("DAYS_TO_REPEAT", compute)


@xw.func(category=_CATEGORY)
@xw.arg("returned", err_to_str=True, doc="Items (or orders) returned.")
@xw.arg("sold", err_to_str=True, doc="Items (or orders) sold.")
def RETURN_RATE(returned, sold):
    """Return rate: returned ÷ sold."""
    return _run(
        "RETURN_RATE",
        lambda: metrics.return_rate(
            _num("RETURN_RATE", "returned", returned), _num("RETURN_RATE", "sold", sold)
        ),
    )


# --- funnel and service ------------------------------------------------------------------


@xw.func(category=_CATEGORY)
@xw.arg("converted", err_to_str=True, doc="Leads that became customers (e.g. bought the entry product).")
@xw.arg("leads", err_to_str=True, doc="All leads.")
def CONVERSION(converted, leads):
    """Conversion rate: converted ÷ leads, e.g. CONVERSION(700,1000) = 0.70."""
    return _run(
        "CONVERSION",
        lambda: metrics.conversion(
            _num("CONVERSION", "converted", converted), _num("CONVERSION", "leads", leads)
        ),
    )


@xw.func(category=_CATEGORY)
@xw.arg("complaints", err_to_str=True, doc="Number of complaints in the period.")
@xw.arg("customers", err_to_str=True, doc="Number of customers in the period.")
def COMPLAINT_RATE(complaints, customers):
    """Complaint rate: complaints ÷ customers (7 % is high)."""
    return _run(
        "COMPLAINT_RATE",
        lambda: metrics.complaint_rate(
            _num("COMPLAINT_RATE", "complaints", complaints),
            _num("COMPLAINT_RATE", "customers", customers),
        ),
    )


@xw.func(category=_CATEGORY)
@xw.arg("upgraded", err_to_str=True, doc="Customers who bought the paid offer on top of the entry product.")
@xw.arg("customers", err_to_str=True, doc="Customers who bought the entry product.")
def UPSELL_RATE(upgraded, customers):
    """Upsell rate: share of customers who bought the paid offer on top of the entry product."""
    return _run(
        "UPSELL_RATE",
        lambda: metrics.upsell_rate(
            _num("UPSELL_RATE", "upgraded customers", upgraded),
            _num("UPSELL_RATE", "customers", customers),
        ),
    )


@xw.func(category=_CATEGORY)
@xw.arg("industry", err_to_str=True, doc='Industry, e.g. "retail", "banking", "telecom", "IT", "insurance", "professional services", "media" (English, Russian or Chinese).')
def CRR_BENCHMARK(industry):
    """Typical customer retention rate of an industry (HubSpot), e.g. retail = 0.63."""
    return _run(
        "CRR_BENCHMARK",
        lambda: metrics.crr_benchmark(cells_in.text("CRR_BENCHMARK", "industry", industry)),
    )


# --- spilled tables ---------------------------------------------------------------------------


def _cohort_label(start: pd.Timestamp, period: str) -> str:
    """Readable cohort name: 2024-01 (month), 2024-Q1 (quarter), 2024-01-01 (week start)."""
    if period == "M":
        return f"{start.year}-{start.month:02d}"
    if period == "Q":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%Y-%m-%d")


def _cell(value: Any) -> Any:
    """A numpy/pandas value as a plain cell value; NaN as a blank cell."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


@xw.func(category=_CATEGORY)
@xw.arg("customer_ids", ndim=2, err_to_str=True, doc="Customer id of every order.")
@xw.arg("dates", ndim=2, err_to_str=True, doc="Order date of every order, same rows as the ids.")
@xw.arg("period", err_to_str=True, doc='"M" month (default), "Q" quarter or "W" week.')
def COHORT_RETENTION(customer_ids, dates, period="M"):
    """Spills a cohort table: customers grouped by the month (or week, quarter) of their first order, and the share of each group that ordered 0, 1, 2 … periods later."""

    def compute() -> list[list[Any]]:
        from retention_xl.engine.cohorts import cohort_retention

        code = cells_in.text("COHORT_RETENTION", "period", period, "M").upper()
        rows = cells_in.order_rows("COHORT_RETENTION", customer_ids, dates)
        table = cohort_retention(rows.customer_ids, rows.dates, period=code)
        lags = [c for c in table.columns if c != "customers"]
        out: list[list[Any]] = [["Cohort", "Customers", *[int(k) for k in lags]]]
        shares = table[lags].to_numpy(dtype=np.float64)
        for start, size, row in zip(table.index, table["customers"], shares):
            out.append([_cohort_label(start, code[:1]), int(size), *map(_cell, row)])
        return out

    return _run("COHORT_RETENTION", compute)


_RFM_HEADER = ["Customer", "Recency (days)", "Frequency", "Monetary", "R", "F", "M", "Segment"]


@xw.func(category=_CATEGORY)
@xw.arg("customer_ids", ndim=2, err_to_str=True, doc="Customer id of every order.")
@xw.arg("dates", ndim=2, err_to_str=True, doc="Order date of every order, same rows as the ids.")
@xw.arg("amounts", ndim=2, err_to_str=True, doc="Amount of every order, same rows as the ids.")
@xw.arg("as_of", err_to_str=True, doc="Date recency is measured to; orders after it are left out (default: the latest order date).")
def RFM(customer_ids, dates, amounts, as_of=_OMITTED):
    """Spills an RFM table: per customer the days since the last order, number of orders, total spent, R/F/M scores 1–5 and a segment such as Champions or At risk."""

    def compute() -> list[list[Any]]:
        from retention_xl.engine.rfm import rfm_table

        ref = _as_of_date(as_of)
        rows = cells_in.order_rows("RFM", customer_ids, dates, amounts)
        table = rfm_table(rows.customer_ids, rows.dates, rows.amounts, as_of=ref)
        numeric_ids = rows.customer_ids.dtype.kind == "f"
        if numeric_ids:  # rfm_table sorts ids as text: 1, 10, 2; numbers go 1, 2, 10
            table = table.iloc[np.argsort(table["customer_id"].astype(float).to_numpy(), kind="stable")]
        out: list[list[Any]] = [list(_RFM_HEADER)]
        for rec in table.itertuples(index=False):
            cid = float(rec.customer_id) if numeric_ids else rec.customer_id
            out.append(
                [cid, int(rec.recency_days), int(rec.frequency), float(rec.monetary),
                 int(rec.r_score), int(rec.f_score), int(rec.m_score), str(rec.segment)]
            )
        return out

    return _run("RFM", compute)


_CLV_HEADER = ["Customer", "P(alive)", "Expected purchases", "Predicted CLV", "Churn risk"]
_CLV_BANDS = {"low": "Low", "medium": "Medium", "high": "High"}


@xw.func(category=_CATEGORY)
@xw.arg("customer_ids", ndim=2, err_to_str=True, doc="Customer id of every order.")
@xw.arg("dates", ndim=2, err_to_str=True, doc="Order date of every order, same rows as the ids.")
@xw.arg("amounts", ndim=2, err_to_str=True, doc="Amount of every order, same rows as the ids. Rows of one customer on one day are one purchase.")
@xw.arg("months", err_to_str=True, doc="Forecast horizon in months (default 12).")
@xw.arg("annual_discount", err_to_str=True, doc="Yearly discount rate as a fraction, e.g. 0.1 (default 0.1 = 10 %).")
@xw.arg("output", err_to_str=True, doc='"customers" (default): one row per customer; "check": the forecast check (the model refitted without the latest quarter of the history, predicted vs actual repeat orders).')
def CLV_PREDICT(customer_ids, dates, amounts, months=12, annual_discount=0.1, output=_OMITTED):
    """Per customer: P(alive), expected purchases, predicted CLV, churn risk (BG/NBD + Gamma-Gamma, the report's fit rules). output "check": the holdout forecast check. A forecast off by over 50 % on its check is withheld."""

    def compute() -> list[list[Any]]:
        from retention_xl.engine import clv

        rows = cells_in.order_rows("CLV_PREDICT", customer_ids, dates, amounts)
        want = _clv_output(output)
        horizon = _num("CLV_PREDICT", "months", months, 12.0)
        rate = _num("CLV_PREDICT", "annual discount rate", annual_discount, 0.1)
        try:
            fc = clv.forecast(rows.customer_ids, rows.dates, rows.amounts,
                              months=int(horizon) if horizon.is_integer() and abs(horizon) <= 1e6 else horizon,
                              annual_discount=rate)
        except MetricError as err:  # clv words its messages for the report: "Predicted CLV: ..."
            raise MetricError(str(err).removeprefix("Predicted CLV: ")) from None
        if want == "check":
            return _clv_check_rows(fc.check)
        if not fc.ok:
            return _message("CLV_PREDICT", str(fc.reason))
        if fc.withheld:
            return _message("CLV_PREDICT", f"forecast withheld: on the latest {fc.check.holdout_days} days it was off "
                                           f"by {abs(fc.check.relative_error):.0%} of the actual repeat orders "
                                           '(see CLV_PREDICT(…, "check"))')
        table = fc.customers
        numeric_ids = rows.customer_ids.dtype.kind == "f"
        out: list[list[Any]] = [list(_CLV_HEADER)]
        for cid, p_alive, expected, value, band in zip(
            table.index, table["p_alive"], table["expected_purchases"], table["predicted_clv"], table["churn_risk"]
        ):
            out.append([float(cid) if numeric_ids else str(cid), float(p_alive), float(expected), float(value),
                        _CLV_BANDS.get(band, str(band))])
        return out

    return _run("CLV_PREDICT", compute)


def _clv_output(value: Any) -> str:
    """CLV_PREDICT's output argument: omitted/blank/"customers" or "check"."""
    text = "" if value is None or value == _OMITTED else str(value).strip().lower()
    if text in ("", "customers"):
        return "customers"
    if text == "check":
        return "check"
    raise MetricError(f'output must be "customers" or "check", not "{value}"')


def _clv_check_rows(check: Any) -> list[list[Any]]:
    """The forecast check as a 3-column spill: label, predicted, actual."""
    if check is None or not check.checked:
        reason = check.reason if check is not None else "no check was made"
        return [["Forecast check", "Predicted", "Actual"], [f"Not checked: {reason}", "", ""]]
    out: list[list[Any]] = [["Forecast check", "Predicted", "Actual"],
                            [f"Repeat orders in the held-back {check.holdout_days} days",
                             float(check.predicted_repeat_orders), float(check.actual_repeat_orders)]]
    for rec in check.buckets.itertuples(index=False):
        k = int(rec.repeat_purchases)
        label = f"{k}+" if k == int(check.buckets["repeat_purchases"].max()) else str(k)
        out.append([f"Customers with {label} repeat orders before", float(rec.predicted), float(rec.actual)])
    out += [["Relative error", float(check.relative_error), ""],
            ["Verdict", check.verdict, ""],
            ["Fit", check.method, ""],
            ["Fitted up to", check.calibration_end.isoformat(), ""]]
    return out


def _as_of_date(value: Any) -> dt.date | None:
    """The optional as-of date: omitted/blank → None, a date cell or an Excel serial → date."""
    if isinstance(value, (list, tuple, np.ndarray)):  # a range where one cell belongs
        flat = cells_in.cells(value)
        if len(flat) != 1:
            raise MetricError(f"RFM: as-of date must be a single cell, not a range of {len(flat)}")
        value = flat[0]
    if value is _OMITTED or value is None or value is pd.NaT or (isinstance(value, str) and not value.strip()):
        return None  # NaT: how pandas-minded callers write a blank date
    err = cells_in.excel_error_text(value)
    if err is not None:
        raise cells_in.CellError(err)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return cells_in.serial_to_date(float(value))
        except RetentionXLError:
            pass
    raise MetricError(f"RFM: as-of date ({value!r}) is not a date")
