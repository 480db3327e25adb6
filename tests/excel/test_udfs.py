"""The Excel functions, called with what xlwings passes them (2-D lists, None, errors)."""

from __future__ import annotations

import datetime as dt
import inspect
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retention_xl.excel import udfs
from retention_xl.engine.cohorts import cohort_retention
from retention_xl.engine.rfm import rfm_table

UDF_NAMES = [
    "CRR", "CHURN", "NPS", "CSAT", "CLV", "CUSTOMER_VALUE", "REPEAT_RATE",
    "PURCHASE_FREQUENCY", "AOV", "DAYS_TO_REPEAT", "RETURN_RATE", "CAC", "CONVERSION",
    "COMPLAINT_RATE", "UPSELL_RATE", "CRR_BENCHMARK", "COHORT_RETENTION", "RFM", "CLV_PREDICT",
    "REPEAT_WITHIN",
    "RATE_CHANGE",  # issue 13
]
RANGE_ARGS = {
    "NPS": {"scores"}, "CSAT": {"scores"}, "REPEAT_RATE": {"customer_ids"},
    "DAYS_TO_REPEAT": {"customer_ids", "dates"}, "AOV": {"revenue"}, "CAC": {"acquisition_costs"},
    "COHORT_RETENTION": {"customer_ids", "dates"}, "RFM": {"customer_ids", "dates", "amounts"},
    "CLV_PREDICT": {"customer_ids", "dates", "amounts"}, "REPEAT_WITHIN": {"customer_ids", "dates"},
    # cell functions: a range in gives the same shape out, so xlwings must keep rows and columns
    "CRR": {"customers_end", "new_customers", "customers_start", "interval"},
    "CHURN": {"customers_end", "new_customers", "customers_start"},
    "CLV": {"monthly_spend", "months", "margin", "annual_discount"},
    "CUSTOMER_VALUE": {"purchases_per_customer", "average_check"},
    "PURCHASE_FREQUENCY": {"orders", "customers", "months"},
    "RETURN_RATE": {"returned", "sold", "interval"}, "CONVERSION": {"converted", "leads", "interval"},
    "COMPLAINT_RATE": {"complaints", "customers"}, "UPSELL_RATE": {"upgraded", "customers"},
    "CRR_BENCHMARK": {"industry"},
}
RANGE_ARGS["AOV"] = {"revenue", "orders"}
RANGE_ARGS["CAC"] = {"acquisition_costs", "new_customers"}


CELL_FUNCTIONS = {
    "CRR", "CHURN", "CLV", "CUSTOMER_VALUE", "PURCHASE_FREQUENCY", "RETURN_RATE", "CAC", "CONVERSION",
    "COMPLAINT_RATE", "UPSELL_RATE", "CRR_BENCHMARK", "AOV",
}


def col(*values):
    """A one-column range as xlwings passes it with ndim=2."""
    return [[v] for v in values]


# --- metadata for Excel's Insert Function dialog ---------------------------------------
#
# Off Windows, xlwings' @xw.func/@xw.arg are no-ops (no __xlfunc__ is attached),
# so the metadata test loads a second copy of our module with xlwings' real
# Windows decorators (xlwings.udfs.xlfunc/xlarg/xlret). Importing those needs
# pywin32, which is replaced by empty stand-in modules for the duration.


@pytest.fixture(scope="module")
def windows_udfs():
    from pathlib import Path

    from tests.excel.vba.generate import load_with_xlwings_decorators

    return load_with_xlwings_decorators(Path(udfs.__file__))


@pytest.mark.parametrize("name", UDF_NAMES)
def test_every_udf_has_a_description_and_help_for_each_argument(windows_udfs, name):
    fn = getattr(windows_udfs, name)
    meta = fn.__xlfunc__
    assert meta["name"] == name
    assert meta["category"] == "retention_xl"  # grouped under our name in Insert Function
    description = meta["ret"]["doc"]
    assert description == fn.__doc__ and description.strip() and "\n" not in description.strip()
    assert len(description) <= 255  # Excel's limit for a function description
    params = list(inspect.signature(fn).parameters)
    assert [a["name"] for a in meta["args"]] == params
    for arg in meta["args"]:
        if arg["name"] == "caller":  # xlwings' hidden calling Range (date functions): not shown in Excel
            assert name in {"DAYS_TO_REPEAT", "REPEAT_WITHIN", "COHORT_RETENTION", "RFM", "CLV_PREDICT"} and arg["options"] == {}
            continue
        assert arg["doc"] and not arg["doc"].startswith("Positional argument"), (name, arg["name"])
        assert len(arg["doc"]) <= 255, (name, arg["name"])  # Excel's limit for argument help
        assert arg["options"].get("err_to_str") is True, (name, arg["name"])
        expected_ndim = 2 if arg["name"] in RANGE_ARGS.get(name, set()) else None
        assert arg["options"].get("ndim") == expected_ndim, (name, arg["name"])


def test_module_exposes_exactly_the_spec_functions(windows_udfs):
    exposed = sorted(n for n in dir(windows_udfs) if hasattr(getattr(windows_udfs, n), "__xlfunc__"))
    assert exposed == sorted(UDF_NAMES)


def test_optional_arguments_are_optional_in_excel(windows_udfs):
    optional = {
        (f, a["name"]) for f in UDF_NAMES for a in getattr(windows_udfs, f).__xlfunc__["args"]
        if "optional" in a and a["name"] != "caller"
    }
    assert optional == {
        ("CSAT", "scale_max"), ("CSAT", "threshold"), ("CLV", "margin"), ("CLV", "annual_discount"),
        ("PURCHASE_FREQUENCY", "months"), ("AOV", "orders"), ("COHORT_RETENTION", "period"), ("RFM", "as_of"),
        ("CLV_PREDICT", "months"), ("CLV_PREDICT", "annual_discount"), ("CLV_PREDICT", "returns"),
        # issue 13: the optional 95 % interval of a rate
        ("CRR", "interval"), ("NPS", "interval"), ("CSAT", "interval"), ("REPEAT_RATE", "interval"),
        ("RETURN_RATE", "interval"), ("CONVERSION", "interval"),
    }


# --- SPEC worked examples through the Excel functions ------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"), [((210.0, 30.0, 200.0), 0.90), ((80.0, 0.0, 100.0), 0.80), ((8.0, 0.0, 10.0), 0.80)]
)
def test_crr_examples(args, expected):
    assert udfs.CRR(*args) == pytest.approx(expected)


def test_churn_example():
    assert udfs.CHURN(80.0, 0.0, 100.0) == pytest.approx(0.20)


def test_clv_examples():
    assert udfs.CLV(50.0, 24.0) == 1200.0
    assert udfs.CLV(50.0, 24.0, 0.5) == 600.0
    assert udfs.CLV(50.0, 24.0, None, None) == 1200.0  # blank optional cells = defaults
    assert 0 < udfs.CLV(50.0, 24.0, 1.0, 0.1) < 1200.0


def test_repeat_rate_20_of_100():
    ids = [float(i) for i in range(100)] + [float(i) for i in range(20)]
    assert udfs.REPEAT_RATE(col(*ids)) == pytest.approx(0.20)


def test_repeat_rate_ignores_blanks_and_matches_number_and_text_ids():
    assert udfs.REPEAT_RATE(col(13607.0, "13607", None, "A", "B", "B", True)) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("fn", "args", "expected"),
    [
        ("CONVERSION", (700.0, 1000.0), 0.70),
        ("COMPLAINT_RATE", (50.0, 700.0), 50 / 700),
        ("UPSELL_RATE", (350.0, 700.0), 0.50),
        ("RETURN_RATE", (5.0, 100.0), 0.05),
        ("PURCHASE_FREQUENCY", (45.0, 10.0, 3.0), 1.5),
        ("PURCHASE_FREQUENCY", (15.0, 10.0), 1.5),
        ("CUSTOMER_VALUE", (4.0, 25.0), 100.0),
        ("CRR_BENCHMARK", ("retail",), 0.63),
        ("CRR_BENCHMARK", ("розница",), 0.63),
        ("CRR_BENCHMARK", ("Розничная торговля",), 0.63),
        ("CRR_BENCHMARK", ("Telecom",), 0.78),
    ],
)
def test_scalar_functions(fn, args, expected):
    assert getattr(udfs, fn)(*args) == pytest.approx(expected)


def test_numbers_stored_as_text_with_thousands_separators():
    assert udfs.CRR("1,000", "0", "2,000") == pytest.approx(0.5)
    assert udfs.CONVERSION("700", "1,000") == pytest.approx(0.7)


def test_complaint_rate_is_about_0071():
    assert round(udfs.COMPLAINT_RATE(50.0, 700.0), 4) == 0.0714


def test_nps_ignores_blanks_text_and_booleans():
    scores = col(10.0, 9.0, None, "no answer", 8.0, 6.0, True, 0.0)
    # 2 promoters, 2 detractors of 5 answers
    assert udfs.NPS(scores) == pytest.approx(0.0)
    assert udfs.NPS(col(10.0, 9.0, 9.0, 3.0)) == pytest.approx(50.0)


def test_nps_same_answer_with_or_without_a_blank_beside_a_nan():
    assert udfs.NPS(col(9.0, float("nan"))) == udfs.NPS(col(9.0, float("nan"), None)) == 100.0


def test_csat_default_and_custom_scale():
    assert udfs.CSAT(col(5.0, 4.0, 3.0, 5.0, 1.0)) == pytest.approx(0.6)
    assert udfs.CSAT([[10.0, 8.0], [7.0, 9.0]], 10.0, 8.0) == pytest.approx(0.75)


def test_aov_two_forms():
    assert udfs.AOV([[1000.0]], 8.0) == 125.0
    assert udfs.AOV(col(10.0, None, 20.0, "refund", 60.0)) == 30.0


def test_aov_orders_as_an_array():
    assert udfs.AOV([[1000.0]], np.array([8.0])) == 125.0
    assert udfs.AOV([[1000.0]], np.array([])) == "AOV: orders must be a single cell, not a range of 0"


def test_cac_number_or_summed_range():
    assert udfs.CAC([[600.0]], 12.0) == 50.0
    assert udfs.CAC([[100.0, 200.0], [None, 300.0]], 12.0) == 50.0


def test_days_to_repeat_with_datetimes_and_serials():
    ids = col("a", "a", "b", "b", "c", None)
    dates = col(dt.datetime(2024, 1, 1, 9), 45302.0, 45300.0, dt.datetime(2024, 1, 31), 45300.0, 45301.0)
    # a: 2024-01-01 -> serial 45302 = 2024-01-11: 10 days; b: 45300 = 2024-01-09 -> 2024-01-31: 22 days
    assert udfs.DAYS_TO_REPEAT(ids, dates) == pytest.approx(16.0)


# --- error cells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fn", "args"),
    [
        ("NPS", (col(9.0, "#N/A", 10.0),)),
        ("CSAT", (col(5.0, "#N/A"),)),
        ("REPEAT_RATE", (col("a", "#N/A"),)),
        ("AOV", (col(1.0, "#N/A"),)),
        ("CAC", (col(1.0, "#N/A"), 1.0)),
        ("CRR", ("#N/A", 1.0, 2.0)),
        ("CLV", (50.0, "#N/A")),
        ("CRR_BENCHMARK", ("#N/A",)),
        ("DAYS_TO_REPEAT", (col("a", "a"), col(45000.0, "#N/A"))),
        ("COHORT_RETENTION", (col("a", "#N/A"), col(45000.0, 45001.0))),
        ("RFM", (col("a", "b"), col(45000.0, 45001.0), col(1.0, "#N/A"))),
        ("CLV_PREDICT", (col("a", "b"), col(45000.0, "#N/A"), col(1.0, 2.0))),
        ("CLV_PREDICT", (col("a", "b"), col(45000.0, 45001.0), col(1.0, 2.0), "#N/A")),
    ],
)
def test_an_error_cell_returns_that_error(fn, args):
    assert getattr(udfs, fn)(*args) == "#N/A"


def test_other_error_values_come_back_unchanged():
    assert udfs.NPS(col(9.0, "#DIV/0!")) == "#DIV/0!"
    assert udfs.NPS(col(9.0, -2146826281)) == "#DIV/0!"  # COM error code


# --- wrong input: a message, never an exception ----------------------------------------------


@pytest.mark.parametrize(
    ("fn", "args", "message"),
    [
        ("CRR", (30.0, 40.0, 100.0), "CRR: new customers (40) exceed customers at the end (30)"),
        ("CRR", (30.0, 0.0, 0.0), "CRR: customers at the start is 0 (division by zero)"),
        ("CRR", (None, 0.0, 10.0), "CRR: customers at the end is blank"),
        ("CRR", ("thirty", 0.0, 10.0), 'CRR: customers at the end ("thirty") is not a number'),
        ("CRR", (col(1.0, 2.0), col(0.0), col(1.0, 2.0, 3.0)),
         "CRR: the ranges must have the same shape (customers at the end 2×1, new customers 1 cell, "
         "customers at the start 3×1)"),
        ("CHURN", (30.0, 40.0, 100.0), "CHURN: new customers (40) exceed customers at the end (30)"),
        ("NPS", (col(*([9.0] * 113 + [11.0] * 7)),), "NPS: 7 of 120 scores are outside 0–10"),
        ("NPS", (col(None, "x"),), "NPS: no scores (the range has no numbers)"),
        ("CSAT", (col(7.0, 5.0),), "CSAT: 1 of 2 scores are outside 0–5"),
        ("CSAT", (col(5.0), 5.0, 9.0), "CSAT: threshold (9) must be between 0 and the scale maximum (5)"),
        ("CLV", (50.0, 24.0, 30.0), "CLV: margin (30) must be a fraction of spend, e.g. 0.3 for 30 %"),
        ("CLV", (None, 24.0), "CLV: monthly spend is blank"),
        ("CUSTOMER_VALUE", (-1.0, 5.0), "CUSTOMER_VALUE: purchases per customer (-1) cannot be negative"),
        ("REPEAT_RATE", (col(None, True),), "REPEAT_RATE: no customer ids (the range is empty)"),
        ("PURCHASE_FREQUENCY", (10.0, 0.0), "PURCHASE_FREQUENCY: customers is 0 (division by zero)"),
        ("AOV", ([[100.0]], 0.0), "AOV: orders is 0 (division by zero)"),
        ("AOV", ([[100.0]], None), "AOV: orders is blank"),
        ("AOV", (col("a", None),), "AOV: no order amounts (the range has no numbers)"),
        ("DAYS_TO_REPEAT", (col("a", "b"), col(45000.0)),
         "DAYS_TO_REPEAT: the ranges must have the same number of cells (customer ids 2, dates 1)"),
        ("DAYS_TO_REPEAT", (col("a", "b"), col(45000.0, 45001.0)),
         "DAYS_TO_REPEAT: no customer bought on two different days"),
        ("RETURN_RATE", (5.0, 0.0), "RETURN_RATE: sold is 0 (division by zero)"),
        ("RETURN_RATE", (12.0, 10.0), "RETURN_RATE: returned (12) exceed sold (10)"),
        ("CAC", (col("x"), 3.0), "CAC: no acquisition costs (the range has no numbers)"),
        ("CAC", ([[100.0]], 0.0), "CAC: new customers is 0 (division by zero)"),
        ("CONVERSION", (1200.0, 1000.0), "CONVERSION: converted (1200) exceed leads (1000)"),
        ("COMPLAINT_RATE", (5.0, 0.0), "COMPLAINT_RATE: customers is 0 (division by zero)"),
        ("UPSELL_RATE", (800.0, 700.0), "UPSELL_RATE: upgraded customers (800) exceed customers (700)"),
        ("CRR_BENCHMARK", (None,), "CRR_BENCHMARK: industry is blank"),
        ("CRR_BENCHMARK", (5.0,), "CRR_BENCHMARK: industry must be text"),
        ("COHORT_RETENTION", (col("a"), col(45000.0), "Y"),
         'COHORT_RETENTION: period must be "M" (month), "W" (week) or "Q" (quarter), not "Y"'),
        ("COHORT_RETENTION", (col(None), col(45000.0)),
         "COHORT_RETENTION: no row has both a customer id and a date"),
        ("RFM", (col("a"), col(45000.0), col(1.0), "soon"), "RFM: as-of date ('soon') is not a date"),
        ("RFM", (col("a", "b"), col(45000.0, 45001.0), col("x", None)),
         "RFM: no row has a customer id, a date and a numeric amount (amounts typed as text are not read)"),
        ("DAYS_TO_REPEAT", (col("a", "a"), col("2024-01-01", "2024-02-01")),
         "DAYS_TO_REPEAT: no row has both a customer id and a date (dates typed as text are not read)"),
        ("RFM", (col("a", "b"), col(45000.0, 45001.0), col(1.0)),
         "RFM: the ranges must have the same number of cells (customer ids 2, dates 2, amounts 1)"),
        ("CLV_PREDICT", (col("a", "a", "b"), col(45000.0, 45010.0, 45020.0), col(1.0, 2.0, 3.0)),
         "CLV_PREDICT: Only 1 customer bought more than once; at least 20 are needed to fit the purchase model."),
        ("CLV_PREDICT", (col("a"), col(45000.0), col(1.0), 0.0),
         "CLV_PREDICT: months must be a whole number from 1 to 600, not 0."),
        ("CLV_PREDICT", (col("a"), col(45000.0), col(1.0), 1e300),
         "CLV_PREDICT: months must be a whole number from 1 to 600, not 1e+300."),
        ("CLV_PREDICT", (col("a"), col(45000.0), col(1.0), 6.5),
         "CLV_PREDICT: months must be a whole number from 1 to 600, not 6.5."),
        ("CLV_PREDICT", (col("a"), col(45000.0), col(1.0), 12.0, "ten"),
         'CLV_PREDICT: annual discount rate ("ten") is not a number'),
        ("CLV_PREDICT", (col("a", "b"), col(45000.0, 45001.0), col(1.0)),
         "CLV_PREDICT: the ranges must have the same number of cells (customer ids 2, dates 2, amounts 1)"),
    ],
)
def test_wrong_input_returns_a_specific_message(fn, args, message):
    assert getattr(udfs, fn)(*args) == message


@pytest.mark.parametrize("fn", ["RFM", "CLV_PREDICT"])
def test_a_lone_blank_for_the_amounts_is_a_blank_amount(fn):
    # xlwings hands a blank cell to an ndim=2 argument as [[None]]; a bare None
    # (another caller) must mean the same, not "no amounts argument"
    assert getattr(udfs, fn)("a", 45000.0, None) == getattr(udfs, fn)("a", 45000.0, [[None]])
    assert getattr(udfs, fn)("a", 45000.0, None).startswith(f"{fn}: no row has")


def test_an_unexpected_failure_becomes_a_short_message(monkeypatch):
    def boom(_scores):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(udfs.metrics, "nps", boom)
    out = udfs.NPS(col(9.0))
    assert out == "NPS: could not compute this (RuntimeError: disk on fire)"


_TZ = dt.timezone(dt.timedelta(hours=3))
JUNK = st.one_of(
    st.none(), st.booleans(), st.text(max_size=8),
    st.sampled_from(["", " ", "\u00a0", "1,000", "85%", "13607", "13607.0", "M", "W", "retail", "nan", "1e400"]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from([1e308, -1e308, 5e-324, 1.0, 60.0, 61.0, 2958465.0, 2958466.0, -0.0]),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),  # pywin32: currency-formatted cells
    st.dates(min_value=dt.date(1900, 1, 1)).map(lambda d: dt.datetime(d.year, d.month, d.day)),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)).map(lambda d: d.replace(tzinfo=_TZ)),
    st.sampled_from([np.float64(3.0), np.int64(4), np.bool_(True), pd.Timestamp("2024-01-02"), pd.NaT]),
    st.sampled_from(["#N/A", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA"]),
    st.sampled_from([-2146826246, -2146826281, -2146828288 + 2045]),  # COM error codes
)
CELLS = st.one_of(
    JUNK,
    st.lists(st.lists(JUNK, min_size=1, max_size=3), min_size=1, max_size=6),
    st.lists(JUNK, max_size=6),  # a row or column as a flat list
    st.lists(st.floats(), max_size=6).map(np.array),
    st.just([]), st.just([[]]),
)
_SPILL_CELL_TYPES = (float, int, bool, str, dt.datetime, type(None))  # bool: TRUE/FALSE (RATE_CHANGE)


@pytest.mark.parametrize("name", UDF_NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_no_input_ever_raises(name, data):
    from retention_xl.excel.cell_input import EXCEL_ERRORS

    fn = getattr(udfs, name)
    n = len(inspect.signature(fn).parameters)
    args = [data.draw(CELLS) for _ in range(n)]
    out = fn(*args)
    if isinstance(out, str):
        assert out.startswith(f"{name}:") or out in EXCEL_ERRORS, out
        assert "Traceback" not in out and len(out) <= 250
        assert "could not compute this" not in out, out  # the last resort says nothing useful
    elif isinstance(out, list) and name in CELL_FUNCTIONS:  # a range in: one result per cell
        rows = out if out and isinstance(out[0], list) else [out]
        assert out and all(isinstance(r, list) and len(r) == len(rows[0]) for r in rows)  # rectangular
        for cell in (c for r in rows for c in r):
            if isinstance(cell, str):
                assert cell.startswith(f"{name}:") or cell in EXCEL_ERRORS, cell
                assert "could not compute this" not in cell and len(cell) <= 250, cell
            else:
                assert cell is None or (type(cell) is float and math.isfinite(cell)), cell
    elif isinstance(out, list):
        assert out and all(isinstance(r, list) and len(r) == len(out[0]) for r in out)  # rectangular
        for cell in (c for r in out for c in r):
            assert type(cell) in _SPILL_CELL_TYPES, type(cell)  # what xlwings can write
            assert not isinstance(cell, float) or math.isfinite(cell), cell
    else:
        assert type(out) is float and math.isfinite(out)


# --- invariants through the Excel layer --------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 20).map(float), st.none(), st.sampled_from(["x", "C1", "C2"])),
                min_size=1, max_size=80), st.randoms())
def test_repeat_rate_unchanged_by_row_order(ids, rnd):
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    assert udfs.REPEAT_RATE(col(*ids)) == udfs.REPEAT_RATE(col(*shuffled))


@settings(max_examples=50, deadline=None)
@given(start=st.integers(1, 10**6), kept=st.integers(0, 10**6), new=st.integers(0, 10**6))
def test_crr_and_churn_through_excel(start, kept, new):
    kept = min(kept, start)
    args = (float(kept + new), float(new), float(start))
    rate = udfs.CRR(*args)
    assert 0.0 <= rate <= 1.0
    assert udfs.CHURN(*args) == pytest.approx(1.0 - rate, abs=1e-12)


# --- spilled tables call the shared cohort and RFM code ------------------------------------------

ORDERS_IDS = ["a", "a", "b", 7.0, "7", "c", None, "d", "d"]
ORDERS_DATES = [
    dt.datetime(2024, 1, 5), dt.datetime(2024, 2, 10, 15, 30), 45306.0,  # 45306 = 2024-01-15
    dt.datetime(2024, 2, 1), dt.datetime(2024, 3, 3), dt.datetime(2024, 3, 9), dt.datetime(2024, 3, 9),
    "not a date", 45362.0,  # 2024-03-11
]
ORDERS_AMOUNTS = [10.0, 20.0, 5.0, 7.0, 8.0, 100.0, 1.0, 50.0, 30.0]


def test_cohort_retention_spills_the_shared_matrix_with_a_header():
    out = udfs.COHORT_RETENTION(col(*ORDERS_IDS), col(*ORDERS_DATES))
    kept = [0, 1, 2, 3, 4, 5, 8]  # row 6 has no id, row 7 no date
    expected = cohort_retention(
        ["a", "a", "b", "7", "7", "c", "d"],
        pd.to_datetime([ORDERS_DATES[0], ORDERS_DATES[1], "2024-01-15", ORDERS_DATES[3],
                        ORDERS_DATES[4], ORDERS_DATES[5], "2024-03-11"]),
    )
    assert len(kept) == 7
    assert out[0] == ["Cohort", "Customers", 0, 1, 2]
    assert [r[0] for r in out[1:]] == ["2024-01", "2024-02", "2024-03"]
    assert [r[1] for r in out[1:]] == expected["customers"].tolist() == [2, 1, 2]
    # January cohort (a, b): a ordered again in February -> 0.5; nobody in March -> 0.0
    assert out[1][2:] == [1.0, 0.5, 0.0]
    assert out[2][2:] == [1.0, 1.0, None]  # 7 came back in March; month 2 not yet happened
    assert out[3][2:] == [1.0, None, None]
    assert np.allclose(np.array(out[1][2:], dtype=float), expected.iloc[0, 1:].to_numpy(dtype=float))


def test_cohort_retention_quarter_labels():
    out = udfs.COHORT_RETENTION(col(*ORDERS_IDS), col(*ORDERS_DATES), "Q")
    assert out[0] == ["Cohort", "Customers", 0]
    assert out[1] == ["2024-Q1", 5, 1.0]  # a, b, 7, c, d all start in Q1


def test_cohort_retention_with_a_mistyped_year():
    out = udfs.COHORT_RETENTION(col("a", "b", "c"), col(45300.0, 45400.0, 109575.0), "W")  # 2200-01-01
    assert len(out) == 4 and len(out[0]) == 2 + 9183 and all(len(r) == len(out[0]) for r in out)
    assert udfs.COHORT_RETENTION(col("a", "b"), col(1.0, 132220.0), "W").startswith(
        "COHORT_RETENTION: the dates run from 1900-01-01 to 2262-01-01, 18,889 weeks: more columns than Excel has")


def test_dates_up_to_excels_last_day_are_dates():
    # Excel dates run to 9999-12-31 (a common "no end" placeholder); pandas'
    # nanosecond timestamps stop in 2262, which made RFM and COHORT_RETENTION fail
    last = dt.datetime(9999, 12, 31)
    out = udfs.RFM(col("a", "a", "b"), col(45300.0, last, 45310.0), col(1.0, 2.0, 3.0))
    assert [r[:4] for r in out[1:]] == [["a", 0, 2, 3.0], ["b", 2913155, 1, 3.0]]
    out = udfs.RFM(col("a"), col(45300.0), col(1.0), last)
    assert out[1][:2] == ["a", 2913165]
    assert udfs.COHORT_RETENTION(col("a", "b"), col(45300.0, last), "Q").startswith(
        "COHORT_RETENTION: the dates run from 2024-01-09 to 9999-12-31, 31,904 quarters: more columns than Excel has")
    assert udfs.COHORT_RETENTION(col("a", "b"), col(2958465.0, last)) == [["Cohort", "Customers", 0], ["9999-12", 2, 1.0]]


def test_rfm_spills_the_shared_table_with_a_header():
    out = udfs.RFM(col(*ORDERS_IDS), col(*ORDERS_DATES), col(*ORDERS_AMOUNTS))
    expected = rfm_table(
        ["a", "a", "b", "7", "7", "c", "d"],
        pd.to_datetime(["2024-01-05", "2024-02-10", "2024-01-15", "2024-02-01", "2024-03-03",
                        "2024-03-09", "2024-03-11"]),
        [10.0, 20.0, 5.0, 7.0, 8.0, 100.0, 30.0],
    )
    assert out[0] == ["Customer", "Recency (days)", "Frequency", "Monetary", "R", "F", "M", "Segment"]
    assert len(out) == 1 + len(expected) == 6
    body = [[str(r[0])] + r[1:] for r in out[1:]]
    assert body == [[str(c)] + [int(rd), int(f), float(mo), int(r), int(fs), int(ms), str(s)]
                    for c, rd, f, mo, r, fs, ms, s in expected.itertuples(index=False)]
    by_id = {r[0]: r for r in out[1:]}
    assert by_id["a"][1:4] == [30, 2, 30.0]  # latest 2024-02-10, 30 days before 2024-03-11
    assert by_id["7"][1:4] == [8, 2, 15.0]  # the number 7 and the text "7" are one customer


def test_float_text_ids_are_the_same_customer_in_every_function():
    ids = col(13607.0, "13607.0", "x")
    dates = col(45300.0, 45340.0, 45300.0)
    assert udfs.REPEAT_RATE(ids) == pytest.approx(0.5)
    assert udfs.DAYS_TO_REPEAT(ids, dates) == 40.0
    assert [r[:3] for r in udfs.RFM(ids, dates, col(1.0, 2.0, 3.0))[1:]] == [["13607", 0, 2], ["x", 40, 1]]
    assert [r[:2] for r in udfs.COHORT_RETENTION(ids, dates)[1:]] == [["2024-01", 2]]


def test_rfm_as_of_before_the_latest_order_never_gives_a_negative_recency():
    out = udfs.RFM(col(*ORDERS_IDS), col(*ORDERS_DATES), col(*ORDERS_AMOUNTS), dt.datetime(2024, 2, 10))
    assert [r[:4] for r in out[1:]] == [["7", 9, 1, 7.0], ["a", 0, 2, 30.0], ["b", 26, 1, 5.0]]


def test_rfm_amounts_too_large_to_add_up_are_a_message_not_infinity():
    out = udfs.RFM(col("a", "a", "b"), col(45300.0, 45301.0, 45302.0), col(1e308, 1e308, 1.0))
    assert out == "RFM: the amounts of customer a add up to more than Excel can hold; check the amounts"


def test_rfm_as_of_from_a_one_cell_range_or_a_wrong_range():
    args = (col(1.0, 1.0, 2.0), col(45292.0, 45300.0, 45310.0), col(5.0, 5.0, 9.0))
    assert udfs.RFM(*args, [[45323.0]]) == udfs.RFM(*args, 45323.0)
    assert udfs.RFM(*args, [45323.0, 45324.0]) == "RFM: as-of date must be a single cell, not a range of 2"


def test_rfm_as_of_not_a_time_is_blank():
    args = (col("a", "b"), col(45000.0, 45001.0), col(1.0, 2.0))
    assert udfs.RFM(*args, pd.NaT) == udfs.RFM(*args, None) == udfs.RFM(*args)


def test_rfm_numeric_ids_are_listed_in_numeric_order():
    ids = col(10.0, 2.0, 1.0, 2.0, 33.0, 1.5)
    out = udfs.RFM(ids, col(*[45300.0 + i for i in range(6)]), col(*[1.0] * 6))
    assert [r[0] for r in out[1:]] == [1.0, 1.5, 2.0, 10.0, 33.0]  # not "1", "10", "1.5", "2", "33"


def test_rfm_as_of_date_and_numeric_ids():
    out = udfs.RFM(col(1.0, 1.0, 2.0), col(45292.0, 45300.0, 45310.0), col(5.0, 5.0, 9.0),
                   dt.datetime(2024, 2, 1))
    assert [r[:4] for r in out[1:]] == [[1.0, 23, 2, 10.0], [2.0, 13, 1, 9.0]]
    serial = udfs.RFM(col(1.0, 1.0, 2.0), col(45292.0, 45300.0, 45310.0), col(5.0, 5.0, 9.0), 45323.0)
    assert serial == out


# --- CLV_PREDICT: the report's forecast, one row per customer ------------------------------------


@pytest.fixture(scope="module")
def sample_cells():
    from retention_xl.sample_data import load_sample_orders

    o = load_sample_orders()
    ids = o["Customer ID"].tolist()
    dates = [d.to_pydatetime() for d in o["Order Date"]]
    return o, col(*ids), col(*dates), col(*o["Amount"].tolist())


def test_clv_predict_spills_the_shared_forecast_with_a_header(sample_cells):
    from retention_xl.engine import clv

    o, ids, dates, amounts = sample_cells
    out = udfs.CLV_PREDICT(ids, dates, amounts)
    fc = clv.forecast(o["Customer ID"], o["Order Date"], o["Amount"], months=12, annual_discount=0.1)
    assert out[0] == ["Customer", "P(alive)", "Expected purchases", "Predicted CLV", "Churn risk"]
    assert len(out) == 1 + len(fc.customers) == 601
    t = fc.customers
    assert [r[0] for r in out[1:]] == t.index.tolist()
    np.testing.assert_allclose([r[1] for r in out[1:]], t["p_alive"], rtol=1e-12)
    np.testing.assert_allclose([r[2] for r in out[1:]], t["expected_purchases"], rtol=1e-12)
    np.testing.assert_allclose([r[3] for r in out[1:]], t["predicted_clv"], rtol=1e-12)
    assert [r[4] for r in out[1:]] == [b.capitalize() for b in t["churn_risk"]]
    assert {r[4] for r in out[1:]} == {"Low", "Medium", "High"}
    assert all(0.0 <= r[1] <= 1.0 and r[2] >= 0 and r[3] >= 0 for r in out[1:])
    assert sum(r[3] for r in out[1:]) == pytest.approx(fc.total_clv)


def test_clv_predict_on_refunds_only_says_there_are_no_purchases():
    out = udfs.CLV_PREDICT(col("a", "b"), col(45000.0, 45001.0), col(-1.0, -5.0))
    assert out == "CLV_PREDICT: There are no purchases on or before 2023-03-16."


def test_clv_predict_horizon_discount_and_numeric_ids(sample_cells):
    o, ids, dates, amounts = sample_cells
    year = udfs.CLV_PREDICT(ids, dates, amounts)
    blank = udfs.CLV_PREDICT(ids, dates, amounts, None, None)  # blank optional cells = defaults
    assert blank == year
    half = udfs.CLV_PREDICT(ids, dates, amounts, 6)
    undiscounted = udfs.CLV_PREDICT(ids, dates, amounts, 12, 0)
    for y, h, u in zip(year[1:], half[1:], undiscounted[1:]):
        assert h[2] <= y[2] and h[3] <= y[3] + 1e-9  # a shorter horizon expects less
        assert y[3] <= u[3] + 1e-9  # discounting lowers the value
        assert y[1] == h[1] and y[4] == u[4]  # P(alive) does not depend on the horizon
    numbers = udfs.CLV_PREDICT(col(*[float(i[0][1:]) for i in ids]), dates, amounts)
    assert numbers[1][0] == 1.0 and [r[1:] for r in numbers[1:]] == [r[1:] for r in year[1:]]


def test_clv_predict_check_spills_the_reports_forecast_check(sample_cells):
    # issue 12: the same fit rules and the same holdout check as the report
    from retention_xl.engine import clv

    o, ids, dates, amounts = sample_cells
    out = udfs.CLV_PREDICT(ids, dates, amounts, None, None, "check")
    check = clv.forecast(o["Customer ID"], o["Order Date"], o["Amount"]).check
    assert out[0] == ["Forecast check", "Predicted", "Actual"]
    assert out[1][0] == f"Repeat orders in the held-back {check.holdout_days} days"
    assert out[1][1] == pytest.approx(check.predicted_repeat_orders) and out[1][2] == check.actual_repeat_orders
    assert [r[2] for r in out[2:9]] == check.buckets["actual"].tolist()
    assert out[8][0] == "Customers with 6+ repeat orders before"
    assert out[9] == ["Relative error", pytest.approx(check.relative_error), ""]
    assert out[10] == ["Verdict", check.verdict, ""] and out[11] == ["Fit", check.method, ""]
    assert udfs.CLV_PREDICT(ids, dates, amounts, 12, 0.1, "Customers") == udfs.CLV_PREDICT(ids, dates, amounts)
    assert udfs.CLV_PREDICT(ids, dates, amounts, 12, 0.1, "both") == (
        'CLV_PREDICT: returns must be "customers" or "check", not "both"')
