"""Reading Excel-shaped cell values the way xlwings passes them to UDFs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retention_xl.excel import cell_input as xi
from retention_xl.errors import MetricError

NA_COM = -2146826246  # how COM passes #N/A (xlwings' own table)
SPILL_COM = -2146828288 + 2045  # #SPILL!: not in xlwings' table, arrives as a raw int


# --- shapes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "flat"),
    [
        (5.0, [5.0]),
        (None, [None]),
        ([1.0, None, "x"], [1.0, None, "x"]),
        ([[1.0, 2.0], [3.0, None]], [1.0, 2.0, 3.0, None]),
        ([[1.0], [2.0]], [1.0, 2.0]),
        (np.array([[1.0, 2.0]]), [1.0, 2.0]),
    ],
)
def test_cells_flattens_every_shape_row_by_row(values, flat):
    assert xi.cells(values) == flat


# --- numbers: like AVERAGE -------------------------------------------------------------


def test_numbers_ignore_blanks_text_and_booleans():
    rows = [[9.0, None], ["n/a", True], [False, 3.0], [7, "  "]]
    assert xi.numbers(rows).tolist() == [9.0, 3.0, 7.0]


def test_numbers_count_dates_as_their_excel_serial():
    rows = [[dt.datetime(2024, 1, 1)], [dt.date(1900, 1, 1)], [dt.datetime(2023, 3, 15, 12)]]
    assert xi.numbers(rows).tolist() == [45292.0, 1.0, 45000.5]


def test_numbers_of_a_clean_float_column_keep_order():
    rows = [[float(i)] for i in range(10)]
    assert xi.numbers(rows).tolist() == [float(i) for i in range(10)]


def test_nan_is_a_blank_cell_whatever_else_the_range_holds():
    # NaN is how numpy/pandas-converted ranges show a blank; customer_codes and
    # order_rows drop it, and numbers() did too unless every cell was a float
    assert xi.numbers([[9.0], [float("nan")]]).tolist() == [9.0]
    assert xi.numbers([[9.0], [float("nan")], [None]]).tolist() == [9.0]
    assert xi.numbers(np.array([[9.0, np.nan]])).tolist() == [9.0]


def test_numbers_of_nothing_is_empty():
    assert xi.numbers([[None], ["text"]]).size == 0


@pytest.mark.parametrize(
    "error", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"]
)
def test_an_error_cell_makes_the_result_that_error(error):
    with pytest.raises(xi.CellError) as info:
        xi.numbers([[1.0], [None], [error], ["text"]])
    assert info.value.error == error


def test_the_first_error_in_range_order_wins():
    with pytest.raises(xi.CellError) as info:
        xi.numbers([[1.0, "#REF!"], ["#N/A", 2.0]])
    assert info.value.error == "#REF!"


@pytest.mark.parametrize(("code", "error"), [(NA_COM, "#N/A"), (SPILL_COM, "#SPILL!")])
def test_com_error_codes_are_errors_not_numbers(code, error):
    with pytest.raises(xi.CellError) as info:
        xi.numbers([[1.0], [code]])
    assert info.value.error == error


def test_text_that_only_looks_like_an_error_is_just_text():
    assert xi.numbers([["#N/A please"], ["#"], [4.0]]).tolist() == [4.0]


def test_a_cell_error_is_a_metric_error_for_other_shells():
    assert issubclass(xi.CellError, MetricError)


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.floats(allow_nan=False, allow_infinity=False, width=64),
            st.text(max_size=5).filter(lambda s: s not in xi.EXCEL_ERRORS),
            st.booleans(),
        ),
        max_size=60,
    )
)
def test_numbers_equal_the_plain_python_reading(cells):
    expected = [float(v) for v in cells if isinstance(v, float)]
    assert xi.numbers([[v] for v in cells]).tolist() == expected


# --- single-cell arguments -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(30.0, 30.0), (30, 30.0), ([[30.0]], 30.0), ("30", 30.0), (" 1 200,5 ", 1200.5), ("85%", 0.85)],
)
def test_scalar_reads_numbers_and_numeric_text(value, expected):
    assert xi.scalar("CRR", "customers at the end", value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "CRR: customers at the end is blank"),
        ("abc", 'CRR: customers at the end ("abc") is not a number'),
        (True, "CRR: customers at the end is TRUE/FALSE, not a number"),
        (dt.datetime(2024, 1, 1), "CRR: customers at the end is a date, not a number"),
        ([[1.0], [2.0]], "CRR: customers at the end must be a single cell, not a range of 2"),
    ],
)
def test_scalar_says_what_is_wrong(value, message):
    with pytest.raises(MetricError) as info:
        xi.scalar("CRR", "customers at the end", value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1,000", 1000.0), ("12,345,678", 12345678.0), ("1,234.5", 1234.5), ("1.234,56", 1234.56),
     ("0,123", 0.123), ("1,5", 1.5), ("$1,200", 1200.0), ("(5)", -5.0), ("12,5%", 0.125)],
)
def test_scalar_reads_numeric_text_like_the_order_reader(value, expected):
    # "1,000" typed or imported as text is a thousand (as the report's reader reads
    # it), not 1.0; a decimal comma still works
    assert xi.scalar("CRR", "customers at the end", value) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["nan", "inf", "1,2,3", "%", "1_000"])
def test_scalar_text_that_is_no_number_says_so(value):
    with pytest.raises(MetricError, match="is not a number|is not a finite number"):
        xi.scalar("CRR", "customers at the end", value)


def test_scalar_blank_means_the_default_of_an_optional_argument():
    assert xi.scalar("CSAT", "threshold", None, 4.0) == 4.0


def test_scalar_error_cell_is_that_error():
    with pytest.raises(xi.CellError) as info:
        xi.scalar("CRR", "customers at the end", "#DIV/0!")
    assert info.value.error == "#DIV/0!"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "date"),
    [(1, dt.date(1900, 1, 1)), (59, dt.date(1900, 2, 28)), (61, dt.date(1900, 3, 1)),
     (25569, dt.date(1970, 1, 1)), (45292, dt.date(2024, 1, 1)), (45292.99, dt.date(2024, 1, 1))],
)
def test_excel_serials_are_calendar_days(serial, date):
    assert xi.serial_to_date(serial) == date


def test_dates_keep_one_entry_per_cell_with_nat_for_unreadable():
    out = xi.dates([[dt.datetime(2024, 1, 2, 23, 59)], [45292.0], [None], ["2024-01-01"], [True], [-3.0]])
    assert out.dtype == np.dtype("datetime64[D]")
    assert out[:2].tolist() == [dt.date(2024, 1, 2), dt.date(2024, 1, 1)]
    assert np.isnat(out[2:]).all()


# --- customer ids ---------------------------------------------------------------------------


def test_customer_codes_same_customer_same_code():
    codes = xi.customer_codes(
        [[13607.0], ["13607"], [" 13607 "], [1.5], [None], [True], ["1.5"], ["a"], ["a "], ["007"], [7.0]]
    )
    # blanks and TRUE are ignored: 9 ids remain
    assert codes.size == 9
    c13607, c13607b, c13607c, c15, c15b, ca, ca2, c007, c7 = codes.tolist()
    assert c13607 == c13607b == c13607c
    assert c15 == c15b
    assert ca == ca2
    assert len({c13607, c15, ca, c007, c7}) == 5  # "007" is not the number 7


def test_an_id_written_as_a_float_text_is_that_number():
    # the report's reader takes the text "13607.0" (a CSV written by pandas) as
    # customer 13607; the functions must not count it as another customer
    from decimal import Decimal

    codes = xi.customer_codes([[13607.0], ["13607.0"], [" 13607.00 "], ["13607"], [Decimal("13607.0000")], ["1.50"]])
    assert codes.tolist()[:5] == [codes[0]] * 5
    assert codes[5] != codes[0]
    rows = xi.order_rows("RFM", [["13607.0"], [13607.0], ["a"], [Decimal("7.00")]], [[45000.0]] * 4, [[1.0]] * 4)
    assert rows.customer_ids.tolist() == ["13607", "13607", "a", "7"]


def test_customer_codes_error_cell():
    with pytest.raises(xi.CellError):
        xi.customer_codes([["a"], ["#N/A"]])


# --- aligned order rows -----------------------------------------------------------------------


def test_order_rows_drop_a_bad_row_in_every_argument():
    ids = [["a"], [2.0], [None], ["  "], ["b"], ["c"], ["d"]]
    dates = [[dt.datetime(2024, 1, 2, 13)], [45000.0], [45001.0], [45002.0], ["not a date"], [45003.0], [45004.0]]
    amounts = [[10.0], [20.0], [30.0], [40.0], [50.0], ["n/a"], [70.0]]
    rows = xi.order_rows("RFM", ids, dates, amounts)
    assert rows.customer_ids.tolist() == ["a", "2", "d"]
    assert rows.dates.tolist() == [dt.date(2024, 1, 2), dt.date(2023, 3, 15), dt.date(2023, 3, 19)]
    assert rows.amounts.tolist() == [10.0, 20.0, 70.0]
    assert rows.dropped == 4


def test_order_rows_keep_numeric_ids_as_numbers():
    rows = xi.order_rows("X", [[1.0], [2.0]], [[45000.0], [45001.0]])
    assert rows.customer_ids.dtype == np.float64
    assert rows.amounts is None


def test_order_rows_ranges_of_different_size():
    with pytest.raises(MetricError, match=r"same number of cells \(customer ids 3, dates 2\)"):
        xi.order_rows("DAYS_TO_REPEAT", [["a"], ["b"], ["c"]], [[1.0], [2.0]])


def test_order_rows_with_nothing_usable():
    with pytest.raises(MetricError, match="no row has both a customer id and a date"):
        xi.order_rows("DAYS_TO_REPEAT", [[None], ["a"]], [[45000.0], [None]])


def test_order_rows_error_cell_in_any_argument():
    with pytest.raises(xi.CellError) as info:
        xi.order_rows("RFM", [["a"]], [[45000.0]], [["#VALUE!"]])
    assert info.value.error == "#VALUE!"


# --- speed --------------------------------------------------------------------------------------


def test_a_million_cells_read_in_well_under_a_few_seconds():
    import time

    rows = [[float(i % 11)] for i in range(1_000_000)]
    for i in range(0, 1_000_000, 97):
        rows[i] = [None]
    rows[5] = ["text"]
    start = time.perf_counter()
    values = xi.numbers(rows)
    elapsed = time.perf_counter() - start
    assert values.size == 1_000_000 - len(range(0, 1_000_000, 97)) - 1
    assert elapsed < 3.0  # generous: the machine is shared; benchmarks/udfs.py measures properly


def test_currency_cells_arrive_as_decimal_and_are_numbers():
    from decimal import Decimal

    assert xi.numbers([[Decimal("19.99")], [None], [2.0]]).tolist() == [19.99, 2.0]
    assert xi.numbers([[Decimal("1.5")], [dt.datetime(2024, 1, 1)]]).tolist() == [1.5, 45292.0]
    assert xi.customer_codes([[Decimal("7")], [7.0]]).tolist() == [0, 0]


def test_pandas_timestamps_are_dates():
    out = xi.dates([[pd.Timestamp("2024-01-02 10:00")]])
    assert out.tolist() == [dt.date(2024, 1, 2)]
