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

Every function is declared once with :func:`retention_xl.excel.declare.excel_function`:
the argument annotations say how each argument is read and what Insert Function
shows for it. The cell functions (CRR, CHURN, CLV, CUSTOMER_VALUE,
PURCHASE_FREQUENCY, RETURN_RATE, CONVERSION, COMPLAINT_RATE, UPSELL_RATE,
CRR_BENCHMARK, AOV with two arguments, CAC with two ranges) also take equal-shaped
ranges and return that shape, one result or message per cell; a single cell
broadcasts. Functions that read dates learn the calling workbook's date system
(1900 or 1904) from xlwings' hidden ``caller`` argument.

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

from retention_xl.excel import cell_input as cells_in
from retention_xl.excel.declare import Arg, Cells, Number, Numbers, SpillRow, Text, each_cell, excel_function
from retention_xl.excel.declare import message as _message
from retention_xl.engine import confidence as cf
from retention_xl.engine import metrics
from retention_xl.errors import MetricError, RetentionXLError

#: Default of an optional argument that was left out of the formula. A blank
#: cell arrives as None instead, so the two can be told apart.
_OMITTED = ""


# --- issue 13: the optional interval of a rate -------------------------------------------


def _wants_interval(name: str, flag: Any) -> bool:
    """The optional ``interval`` argument: left out, blank, FALSE or 0 = no; TRUE or 1 = yes."""
    if isinstance(flag, (list, tuple, np.ndarray)):
        flat = cells_in.cells(flag)
        if len(flat) != 1:
            raise MetricError("error.interval_single_cell", fn=name, n=len(flat))
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
        raise MetricError("error.interval_flag", fn=name, value=repr(flag))
    return x == 1.0


def _interval(name: str, flag: Any, value: float, make: Callable[[], cf.Interval]) -> Any:
    """The value, or with ``interval`` TRUE one row of three cells: value, 95 % low, 95 % high."""
    if not _wants_interval(name, flag):
        return value
    iv = make()
    return SpillRow([value, iv.low, iv.high])


def _count(name: str, what: str, value: Any) -> float:
    """A whole, non-negative count (a case count of RATE_CHANGE)."""
    x = float(value) if isinstance(value, (int, float)) else cells_in.scalar(name, what, value)
    if x < 0 or x != math.floor(x):
        raise MetricError("error.whole_cases", fn=name, what=what, value=f"{x:g}")
    return x


# --- retention ------------------------------------------------------------------


@excel_function(cellwise=True)
def CRR(
    customers_end: Number("customers at the end", "Customers at the end of the period (E)."),
    new_customers: Number("new customers", "New customers gained during the period (N)."),
    customers_start: Number("customers at the start", "Customers at the start of the period (S)."),
    interval: Arg("TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).") = _OMITTED,
) -> Any:
    """Customer retention rate (E − N) / S as a fraction, e.g. CRR(210,30,200) = 0.90."""
    value = metrics.crr(customers_end, new_customers, customers_start)
    return _interval("CRR", interval, value, lambda: cf.wilson(customers_end - new_customers, customers_start))


@excel_function(cellwise=True)
def CHURN(
    customers_end: Number("customers at the end", "Customers at the end of the period (E)."),
    new_customers: Number("new customers", "New customers gained during the period (N)."),
    customers_start: Number("customers at the start", "Customers at the start of the period (S)."),
) -> float:
    """Churn rate 1 − CRR: share of the starting customers lost in the period."""
    return metrics.churn(customers_end, new_customers, customers_start)


# --- surveys ----------------------------------------------------------------------


@excel_function
def NPS(
    scores: Numbers("Range of 0–10 answers to 'How likely are you to recommend us?'. Blanks and text are ignored."),
    interval: Arg("TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).") = _OMITTED,
) -> Any:
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6), from −100 to 100."""
    value = metrics.nps(scores)  # checks the answers are whole numbers 0–10
    return _interval("NPS", interval, value, lambda: cf.nps_interval(
        int(np.count_nonzero(scores >= 9)), int(np.count_nonzero(scores <= 6)), scores.size))


@excel_function
def CSAT(
    scores: Numbers("Range of satisfaction answers. Blanks and text are ignored."),
    scale_max: Number("scale maximum", "Highest answer on the scale (default 5).") = 5,
    threshold: Number("threshold", "Lowest answer that counts as satisfied (default 4).") = 4,
    interval: Arg("TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).") = _OMITTED,
) -> Any:
    """Customer satisfaction: share of answers at or above the threshold (4 and 5 of 5)."""
    value = metrics.csat(scores, scale_max, threshold)
    return _interval("CSAT", interval, value, lambda: cf.wilson(round(value * scores.size), scores.size))


# --- value --------------------------------------------------------------------------


@excel_function(cellwise=True)
def CLV(
    monthly_spend: Number("monthly spend", "What a customer spends per month."),
    months: Number("months", "How many months a customer stays."),
    margin: Number("margin", "Profit margin as a fraction, e.g. 0.3 (default 1 = revenue).") = 1,
    annual_discount: Number("annual discount rate", "Yearly discount rate as a fraction, e.g. 0.1 (default 0 = none).") = 0,
) -> float:
    """Customer lifetime value: monthly spend × months × margin, discounted monthly if a rate is given."""
    return metrics.clv(monthly_spend, months, margin, annual_discount)


@excel_function(cellwise=True)
def CUSTOMER_VALUE(
    purchases_per_customer: Number("purchases per customer", "Purchases per customer (e.g. per year)."),
    average_check: Number("average check", "Average order value (average check)."),
) -> float:
    """Customer value: purchases per customer × average check."""
    return metrics.customer_value(purchases_per_customer, average_check)


@excel_function
def AOV(
    revenue: Cells("Total revenue; or, with no second argument, a range of order amounts to average."),
    orders: Cells("Number of orders (leave out to average the amounts in the first argument).") = _OMITTED,
) -> Any:
    """Average order value (average check): revenue ÷ orders, or the average of a range of order amounts."""
    if isinstance(orders, str) and orders == _OMITTED:  # `==` on an array would be ambiguous
        return metrics.average_check(cells_in.numbers(revenue))
    return each_cell("AOV", metrics.aov, [(Number("revenue", ""), revenue, None), (Number("orders", ""), orders, None)])


@excel_function
def CAC(
    acquisition_costs: Cells("Total acquisition cost, or a range of costs (campaigns, months) that is summed."),
    new_customers: Cells("New customers acquired with that spend."),
) -> Any:
    """Customer acquisition cost: total acquisition cost ÷ new customers."""
    if len(cells_in.cells(new_customers)) == 1:  # one count: the costs range is summed
        return metrics.cac(cells_in.numbers(acquisition_costs), cells_in.scalar("CAC", "new customers", new_customers))
    return each_cell(
        "CAC", metrics.cac,
        [(Number("acquisition cost", ""), acquisition_costs, None), (Number("new customers", ""), new_customers, None)],
    )


# --- purchase behaviour ----------------------------------------------------------------


@excel_function
def REPEAT_RATE(
    customer_ids: Cells("Customer id of every order, one order per cell. Blanks are ignored."),
    interval: Arg("TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).") = _OMITTED,
) -> Any:
    """Repeat purchase rate: share of distinct customers who appear at least twice."""
    codes = cells_in.customer_codes(customer_ids)
    value = metrics.repeat_rate(codes)
    distinct = int(np.unique(codes).size)
    return _interval("REPEAT_RATE", interval, value, lambda: cf.wilson(round(value * distinct), distinct))


@excel_function(cellwise=True)
def PURCHASE_FREQUENCY(
    orders: Number("orders", "Number of orders in the period."),
    customers: Number("customers", "Number of distinct customers who ordered."),
    months: Number("months", "Length of the period in months (default 1).") = 1,
) -> float:
    """Purchase frequency: orders ÷ customers ÷ months (orders per customer per month)."""
    return metrics.purchase_frequency(orders, customers, months)


@excel_function
def DAYS_TO_REPEAT(
    customer_ids: Cells("Customer id of every order."),
    dates: Cells("Order date of every order, same rows as the ids (dates or Excel date numbers)."),
    date1904: bool = False,
) -> float:
    """Average days from a customer's first purchase to the second, over customers who came back."""
    rows = cells_in.order_rows("DAYS_TO_REPEAT", customer_ids, dates, date1904=date1904)
    return metrics.days_to_repeat(rows.customer_ids, rows.dates)


@excel_function
def REPEAT_WITHIN(
    customer_ids: Cells("Customer id of every order."),
    dates: Cells("Order date of every order, same rows as the ids (dates or Excel date numbers)."),
    days: Number("days", "Within how many days of the first purchase, e.g. 30, 60, 90 or 180."),
    date1904: bool = False,
) -> float:
    """Share of first-time customers who bought again within the days given (only those who had the time)."""
    rows = cells_in.order_rows("REPEAT_WITHIN", customer_ids, dates, date1904=date1904)
    return metrics.repeat_within(rows.customer_ids, rows.dates, days)


@excel_function(cellwise=True)
def RETURN_RATE(
    returned: Number("returned", "Items (or orders) returned."),
    sold: Number("sold", "Items (or orders) sold."),
    interval: Arg("TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).") = _OMITTED,
) -> Any:
    """Return rate: returned ÷ sold."""
    value = metrics.return_rate(returned, sold)
    return _interval("RETURN_RATE", interval, value, lambda: cf.wilson(returned, sold))


# --- funnel and service ------------------------------------------------------------------


@excel_function(cellwise=True)
def CONVERSION(
    converted: Number("converted", "Leads that became customers (e.g. bought the entry product)."),
    leads: Number("leads", "All leads."),
    interval: Arg("TRUE to spill three cells: the value and its 95 % interval low and high (default FALSE).") = _OMITTED,
) -> Any:
    """Conversion rate: converted ÷ leads, e.g. CONVERSION(700,1000) = 0.70."""
    value = metrics.conversion(converted, leads)
    return _interval("CONVERSION", interval, value, lambda: cf.wilson(converted, leads))


@excel_function
def RATE_CHANGE(
    successes1: Number("successes1", "Successes in the first (e.g. current) period: retained, converted, returned …"),
    n1: Number("n1", "Cases in the first period (customers at the start, leads, orders …)."),
    successes2: Number("successes2", "Successes in the second (e.g. previous) period."),
    n2: Number("n2", "Cases in the second period."),
) -> Any:
    """Change of a rate, successes1/n1 − successes2/n2: spills difference, 95 % low, high, significant (TRUE/FALSE)."""
    x1, m1 = _count("RATE_CHANGE", "successes1", successes1), _count("RATE_CHANGE", "n1", n1)
    x2, m2 = _count("RATE_CHANGE", "successes2", successes2), _count("RATE_CHANGE", "n2", n2)
    for x, m, i in ((x1, m1, 1), (x2, m2, 2)):
        if m == 0:
            raise MetricError("error.rate_change_zero", fn="RATE_CHANGE", i=i)
        if x > m:
            raise MetricError("error.rate_change_exceed", fn="RATE_CHANGE", i=i, x=f"{x:g}", m=f"{m:g}")
    d = cf.two_proportion_test(x1, m1, x2, m2)
    return [[d.difference, d.low, d.high, bool(d.significant)]]


@excel_function(cellwise=True)
def COMPLAINT_RATE(
    complaints: Number("complaints", "Number of complaints in the period."),
    customers: Number("customers", "Number of customers in the period."),
) -> float:
    """Complaint rate: complaints ÷ customers (7 % is high)."""
    return metrics.complaint_rate(complaints, customers)


@excel_function(cellwise=True)
def UPSELL_RATE(
    upgraded: Number("upgraded customers", "Customers who bought the paid offer on top of the entry product."),
    customers: Number("customers", "Customers who bought the entry product."),
) -> float:
    """Upsell rate: share of customers who bought the paid offer on top of the entry product."""
    return metrics.upsell_rate(upgraded, customers)


@excel_function(cellwise=True)
def CRR_BENCHMARK(
    industry: Text("industry", 'Industry, e.g. "retail", "banking", "telecom", "IT", "insurance", "professional services", "media" (English, Russian or Chinese).'),
) -> float:
    """Typical customer retention rate of an industry (HubSpot), e.g. retail = 0.63."""
    return metrics.crr_benchmark(industry)


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


@excel_function(call_in_wizard=False)
def COHORT_RETENTION(
    customer_ids: Cells("Customer id of every order."),
    dates: Cells("Order date of every order, same rows as the ids."),
    period: Arg('"M" month (default), "Q" quarter or "W" week.') = "M",
    date1904: bool = False,
) -> list[list[Any]]:
    """Spills a cohort table: customers grouped by the month (or week, quarter) of their first order, and the share of each group that ordered 0, 1, 2 … periods later."""
    from retention_xl.engine.cohorts import cohort_retention

    code = cells_in.text("COHORT_RETENTION", "period", period, "M").upper()
    rows = cells_in.order_rows("COHORT_RETENTION", customer_ids, dates, date1904=date1904)
    table = cohort_retention(rows.customer_ids, rows.dates, period=code)
    lags = [c for c in table.columns if c != "customers"]
    out: list[list[Any]] = [["Cohort", "Customers", *[int(k) for k in lags]]]
    shares = table[lags].to_numpy(dtype=np.float64)
    for start, size, row in zip(table.index, table["customers"], shares):
        out.append([_cohort_label(start, code[:1]), int(size), *map(_cell, row)])
    return out


_RFM_HEADER = ["Customer", "Recency (days)", "Frequency", "Monetary", "R", "F", "M", "Segment"]


@excel_function(call_in_wizard=False)
def RFM(
    customer_ids: Cells("Customer id of every order."),
    dates: Cells("Order date of every order, same rows as the ids."),
    amounts: Cells("Amount of every order, same rows as the ids."),
    as_of: Arg("Date recency is measured to; orders after it are left out (default: the latest order date).") = _OMITTED,
    date1904: bool = False,
) -> list[list[Any]]:
    """Spills an RFM table: per customer the days since the last order, number of orders, total spent, R/F/M scores 1–5 and a segment such as Champions or At risk."""
    from retention_xl.engine.rfm import rfm_table

    ref = _as_of_date(as_of, date1904)
    rows = cells_in.order_rows("RFM", customer_ids, dates, amounts, date1904=date1904)
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


_CLV_HEADER = ["Customer", "P(alive)", "Expected purchases", "Predicted CLV", "Churn risk"]
_CLV_BANDS = {"low": "Low", "medium": "Medium", "high": "High"}


@excel_function(call_in_wizard=False)
def CLV_PREDICT(
    customer_ids: Cells("Customer id of every order."),
    dates: Cells("Order date of every order, same rows as the ids."),
    amounts: Cells("Amount of every order, same rows as the ids. Rows of one customer on one day are one purchase."),
    months: Arg("Forecast horizon in months (default 12).") = 12,
    annual_discount: Arg("Yearly discount rate as a fraction, e.g. 0.1 (default 0.1 = 10 %).") = 0.1,
    returns: Arg('"customers" (default): one row per customer; "check": the forecast check (the model refitted '
                'without the latest quarter of the history, predicted vs actual repeat orders).') = _OMITTED,
    date1904: bool = False,
) -> list[list[Any]] | str:
    """Per customer: P(alive), expected purchases, predicted CLV, churn risk (BG/NBD + Gamma-Gamma, the report's fit rules). returns "check": the holdout forecast check. A forecast off by over 50 % on its check is withheld."""
    from retention_xl.engine import clv

    rows = cells_in.order_rows("CLV_PREDICT", customer_ids, dates, amounts, date1904=date1904)
    want = _clv_output(returns)
    horizon = cells_in.scalar("CLV_PREDICT", "months", months, 12.0)
    rate = cells_in.scalar("CLV_PREDICT", "annual discount rate", annual_discount, 0.1)
    try:
        fc = clv.forecast(rows.customer_ids, rows.dates, rows.amounts,
                          months=int(horizon) if horizon.is_integer() and abs(horizon) <= 1e6 else horizon,
                          annual_discount=rate)
    except MetricError as err:  # clv names itself "Predicted CLV" for the report; a cell names the function
        raise MetricError(err.message.but(fn="CLV_PREDICT") if "fn" in err.message.fields else err.message) from None
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


def _clv_output(value: Any) -> str:
    """CLV_PREDICT's returns argument (not "output": a VBA reserved word): "customers" or "check"."""
    text = "" if value is None or value == _OMITTED else str(value).strip().lower()
    if text in ("", "customers"):
        return "customers"
    if text == "check":
        return "check"
    raise MetricError("error.clv_returns", value=str(value))


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


def _as_of_date(value: Any, date1904: bool = False) -> dt.date | None:
    """The optional as-of date: omitted/blank → None, a date cell or an Excel serial → date."""
    if isinstance(value, (list, tuple, np.ndarray)):  # a range where one cell belongs
        flat = cells_in.cells(value)
        if len(flat) != 1:
            raise MetricError("error.single_cell", fn="RFM", what="as-of date", n=len(flat))
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
            return cells_in.serial_to_date(float(value), date1904)
        except RetentionXLError:
            pass
    raise MetricError("error.rfm_as_of", fn="RFM", value=repr(value))
