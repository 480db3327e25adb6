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
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from retention_xl.excel import cell_input as cells_in
from retention_xl.engine import confidence as cf
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


# --- issue 13: the optional interval of a rate -------------------------------------------


def _wants_interval(name: str, flag: Any) -> bool:
    """The optional ``interval`` argument: left out, blank, FALSE or 0 = no; TRUE or 1 = yes."""
    if isinstance(flag, (list, tuple, np.ndarray)):
        flat = cells_in.cells(flag)
        if len(flat) != 1:
            raise MetricError(f"{name}: interval must be a single cell (TRUE or FALSE), not a range of {len(flat)}")
        flag = flat[0]
    if flag is None or (isinstance(flag, str) and flag == _OMITTED):
        return False
    if isinstance(flag, (bool, np.bool_)):
        return bool(flag)
    err = cells_in.excel_error_text(flag)
    if err is not None:
        raise cells_in.CellError(err)
    if isinstance(flag, str) and flag.strip().upper() in ("TRUE", "FALSE"):
        return flag.strip().upper() == "TRUE"
    try:
        x = cells_in.scalar(name, "interval", flag, 0.0)
    except MetricError:
        x = math.nan
    if x not in (0.0, 1.0):
        raise MetricError(f"{name}: interval must be TRUE or FALSE (it is {flag!r})")
    return x == 1.0


def _interval(name: str, flag: Any, value: float, make: Callable[[], cf.Interval]) -> Any:
    """The value, or with ``interval`` TRUE one row of three cells: value, 95 % low, 95 % high."""
    if not _wants_interval(name, flag):
        return value
    iv = make()
    return [[value, iv.low, iv.high]]


def _count(name: str, what: str, value: Any) -> float:
    """A whole, non-negative count (a case count of RATE_CHANGE)."""
    x = _num(name, what, value)
    if x < 0 or x != math.floor(x):
        raise MetricError(f"{name}: {what} must be a whole number of cases, 0 or more (it is {x:g})")
    return x


# --- retention ------------------------------------------------------------------


@xw.func(category=_CATEGORY)
@xw.arg("customers_end", err_to_str=True, doc="Customers at the end of the period (E).")
@xw.arg("new_customers", err_to_str=True, doc="New customers gained during the period (N).")
@xw.arg("customers_start", err_to_str=True, doc="Customers at the start of the period (S).")
@xw.arg("interval", err_to_str=True, doc="TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).")
def CRR(customers_end, new_customers, customers_start, interval=_OMITTED):
    """Customer retention rate (E − N) / S as a fraction, e.g. CRR(210,30,200) = 0.90."""

    def compute() -> Any:
        e = _num("CRR", "customers at the end", customers_end)
        n = _num("CRR", "new customers", new_customers)
        s = _num("CRR", "customers at the start", customers_start)
        value = metrics.crr(e, n, s)
        return _interval("CRR", interval, value, lambda: cf.wilson(e - n, s))

    return _run("CRR", compute)


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
@xw.arg("interval", err_to_str=True, doc="TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).")
def NPS(scores, interval=_OMITTED):
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6), from −100 to 100."""

    def compute() -> Any:
        answers = cells_in.numbers(scores)
        value = metrics.nps(answers)  # checks the answers are whole numbers 0–10
        return _interval("NPS", interval, value, lambda: cf.nps_interval(
            int(np.count_nonzero(answers >= 9)), int(np.count_nonzero(answers <= 6)), answers.size))

    return _run("NPS", compute)


@xw.func(category=_CATEGORY)
@xw.arg("scores", ndim=2, err_to_str=True, doc="Range of satisfaction answers. Blanks and text are ignored.")
@xw.arg("scale_max", err_to_str=True, doc="Highest answer on the scale (default 5).")
@xw.arg("threshold", err_to_str=True, doc="Lowest answer that counts as satisfied (default 4).")
@xw.arg("interval", err_to_str=True, doc="TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).")
def CSAT(scores, scale_max=5, threshold=4, interval=_OMITTED):
    """Customer satisfaction: share of answers at or above the threshold (4 and 5 of 5)."""

    def compute() -> Any:
        answers = cells_in.numbers(scores)
        value = metrics.csat(
            answers,
            _num("CSAT", "scale maximum", scale_max, 5.0),
            _num("CSAT", "threshold", threshold, 4.0),
        )
        return _interval("CSAT", interval, value, lambda: cf.wilson(round(value * answers.size), answers.size))

    return _run("CSAT", compute)


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
@xw.arg("interval", err_to_str=True, doc="TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).")
def REPEAT_RATE(customer_ids, interval=_OMITTED):
    """Repeat purchase rate: share of distinct customers who appear at least twice."""

    def compute() -> Any:
        codes = cells_in.customer_codes(customer_ids)
        value = metrics.repeat_rate(codes)
        distinct = int(np.unique(codes).size)
        return _interval("REPEAT_RATE", interval, value, lambda: cf.wilson(round(value * distinct), distinct))

    return _run("REPEAT_RATE", compute)


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
@xw.arg("interval", err_to_str=True, doc="TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).")
def RETURN_RATE(returned, sold, interval=_OMITTED):
    """Return rate: returned ÷ sold."""

    def compute() -> Any:
        r, n = _num("RETURN_RATE", "returned", returned), _num("RETURN_RATE", "sold", sold)
        value = metrics.return_rate(r, n)
        return _interval("RETURN_RATE", interval, value, lambda: cf.wilson(r, n))

    return _run("RETURN_RATE", compute)


# --- funnel and service ------------------------------------------------------------------


@xw.func(category=_CATEGORY)
@xw.arg("converted", err_to_str=True, doc="Leads that became customers (e.g. bought the entry product).")
@xw.arg("leads", err_to_str=True, doc="All leads.")
@xw.arg("interval", err_to_str=True, doc="TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).")
def CONVERSION(converted, leads, interval=_OMITTED):
    """Conversion rate: converted ÷ leads, e.g. CONVERSION(700,1000) = 0.70."""

    def compute() -> Any:
        c, n = _num("CONVERSION", "converted", converted), _num("CONVERSION", "leads", leads)
        value = metrics.conversion(c, n)
        return _interval("CONVERSION", interval, value, lambda: cf.wilson(c, n))

    return _run("CONVERSION", compute)


@xw.func(category=_CATEGORY)
@xw.arg("successes1", err_to_str=True, doc="Successes in the first (e.g. current) period: retained, converted, returned …")
@xw.arg("n1", err_to_str=True, doc="Cases in the first period (customers at the start, leads, orders …).")
@xw.arg("successes2", err_to_str=True, doc="Successes in the second (e.g. previous) period.")
@xw.arg("n2", err_to_str=True, doc="Cases in the second period.")
def RATE_CHANGE(successes1, n1, successes2, n2):
    """Change of a rate, successes1/n1 − successes2/n2: spills difference, 95 % low, high, significant (TRUE/FALSE)."""

    def compute() -> list[list[Any]]:
        x1, m1 = _count("RATE_CHANGE", "successes1", successes1), _count("RATE_CHANGE", "n1", n1)
        x2, m2 = _count("RATE_CHANGE", "successes2", successes2), _count("RATE_CHANGE", "n2", n2)
        for x, m, i in ((x1, m1, 1), (x2, m2, 2)):
            if m == 0:
                raise MetricError(f"RATE_CHANGE: n{i} is 0, so there is no rate to compare")
            if x > m:
                raise MetricError(f"RATE_CHANGE: successes{i} ({x:g}) exceed n{i} ({m:g})")
        d = cf.two_proportion_test(x1, m1, x2, m2)
        return [[d.difference, d.low, d.high, bool(d.significant)]]

    return _run("RATE_CHANGE", compute)


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
def CLV_PREDICT(customer_ids, dates, amounts, months=12, annual_discount=0.1):
    """Spills per customer the chance they are still a customer (P(alive)), expected purchases and predicted lifetime value over the coming months, and churn risk (BG/NBD and Gamma-Gamma models)."""

    def compute() -> list[list[Any]]:
        from retention_xl.engine import clv

        rows = cells_in.order_rows("CLV_PREDICT", customer_ids, dates, amounts)
        horizon = _num("CLV_PREDICT", "months", months, 12.0)
        rate = _num("CLV_PREDICT", "annual discount rate", annual_discount, 0.1)
        try:
            fc = clv.forecast(rows.customer_ids, rows.dates, rows.amounts,
                              months=int(horizon) if horizon.is_integer() and abs(horizon) <= 1e6 else horizon,
                              annual_discount=rate)
        except MetricError as err:  # clv words its messages for the report: "Predicted CLV: ..."
            raise MetricError(str(err).removeprefix("Predicted CLV: ")) from None
        if not fc.ok:
            return _message("CLV_PREDICT", str(fc.reason))
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
