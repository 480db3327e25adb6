"""One home for Excel's conventions (common/excel.py) and for customer ids (common/ids.py).

Every entry point - the file reader (read/cells.py, read_orders), the button's reader
(read/orders.read_values), the cell functions (excel/cell_input.py) and the engine's
cohort and RFM functions - must read the same cell as the same value: the same day for
a serial number in either date system or a real date, the same customer for the same id.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retention_xl.common import excel as xl
from retention_xl.common.ids import id_key, id_text, normalize_ids
from retention_xl.engine.cohorts import calendar_days, cohort_retention, customer_keys
from retention_xl.engine.rfm import rfm_table
from retention_xl.excel import cell_input as ci
from retention_xl.read import cells as P
from retention_xl.read.orders import read_orders, read_values

# --------------------------------------------------------------------------- error values


def test_every_error_excel_shows_is_known_with_its_com_int():
    # The numbers of Microsoft's XlCVError enumeration; COM passes 0x800A0000 | n.
    assert xl.ERRORS["#N/A"] == 2042 and xl.ERRORS["#SPILL!"] == 2045 and xl.ERRORS["#CALC!"] == 2050
    assert xl.com_error("#DIV/0!") == -2146826281  # what xlwings' own table says for #DIV/0!
    assert xl.com_error("#SPILL!") == -2146826243
    assert 0x800A0000 - 2**32 == xl.COM_ERROR_BASE
    for text in ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                 "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!", "#CALC!", "#DATA!", "#BUSY!",
                 "#PYTHON!"):
        assert text in xl.EXCEL_ERRORS
        assert xl.error_text(text) == text
        if xl.ERRORS[text] is not None:
            assert xl.error_text(xl.com_error(text)) == text
            assert xl.excel_value(xl.com_error(text)) == xl.ExcelError(text)


def test_xlwings_own_error_table_agrees():
    """xlwings' Windows table (read from its source: the module imports pywin32) matches ours."""
    import ast
    import importlib.util
    from pathlib import Path

    source = Path(importlib.util.find_spec("xlwings").origin).with_name("_xlwindows.py").read_text(encoding="utf-8")
    node = next(n for n in ast.walk(ast.parse(source))
                if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "cell_errors")
    table = ast.literal_eval(node.value)
    assert len(table) == 7
    for code, text in table.items():
        assert xl.COM_ERRORS[code] == text


def test_the_old_copies_are_gone():
    """The reader and the cell functions use common.excel's lists, not lists of their own."""
    assert P._EXCEL_ERRORS is xl.EXCEL_ERRORS_FOLDED
    assert ci.EXCEL_ERRORS is xl.EXCEL_ERRORS
    assert ci._COM_ERRORS is xl.COM_ERRORS


# --------------------------------------------------------------------------- serial dates


@pytest.mark.parametrize(
    "serial, date1904, day",
    [
        (1, False, dt.date(1900, 1, 1)),
        (59, False, dt.date(1900, 2, 28)),
        (60, False, dt.date(1900, 2, 28)),  # Excel's 29 Feb 1900 that never was
        (61, False, dt.date(1900, 3, 1)),
        (45000.75, False, dt.date(2023, 3, 15)),  # the time of day is dropped
        (2958465, False, dt.date(9999, 12, 31)),
        (0, True, dt.date(1904, 1, 1)),
        (1462, True, dt.date(1908, 1, 2)),
        (43538, True, dt.date(2023, 3, 15)),  # 1462 days less than in the 1900 system
    ],
)
def test_serials_in_both_date_systems(serial, date1904, day):
    assert xl.serial_to_date(serial, date1904) == day
    assert xl.serials_to_dates([serial], date1904)[0] == np.datetime64(day, "D")
    # every entry point reads it so
    assert ci.serial_to_date(serial, date1904) == day
    assert ci.dates([float(serial)], date1904=date1904)[0] == np.datetime64(day, "D")
    if day.year <= 2200:  # the file reader's plausible years
        got = P.parse_dates(pd.Series([float(serial)]), date1904).values[0]
        assert got.astype("datetime64[D]") == np.datetime64(day, "D")
    assert calendar_days([float(serial)], "T", date1904).iloc[0].date() == day


@pytest.mark.parametrize("serial, date1904", [(0, False), (-1, True), (2958466, False), (2957004, True)])
def test_numbers_outside_excels_dates_are_no_dates(serial, date1904):
    assert np.isnat(xl.serials_to_dates([serial], date1904)[0])
    with pytest.raises(ValueError):
        xl.serial_to_date(serial, date1904)
    assert np.isnat(ci.dates([float(serial)], date1904=date1904)[0])


def test_openpyxl_reads_serials_as_we_do():
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel

    for s in (1, 59, 60, 61, 366, 45000):
        assert from_excel(s).date() == xl.serial_to_date(s)
        assert from_excel(s, CALENDAR_MAC_1904).date() == xl.serial_to_date(s, True)


def test_a_1904_workbook_is_read_in_its_own_date_system(tmp_path):
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["Customer ID", "Order date", "Amount"])
    ws.append(["A", 43538.0, 10.0])  # a serial left as a number: 2023-03-15 in the 1904 system
    ws.append(["B", dt.datetime(2023, 3, 16), 12.0])  # a date cell
    wb.save(tmp_path / "mac.xlsx")
    got = read_orders(tmp_path / "mac.xlsx").orders["date"].dt.date.tolist()
    assert got == [dt.date(2023, 3, 15), dt.date(2023, 3, 16)]
    # the button's reader, told the workbook's date system, reads the same cells the same way
    rows = [["Customer ID", "Order date", "Amount"], ["A", 43538.0, 10.0], ["B", dt.datetime(2023, 3, 16), 12.0]]
    assert read_values(rows, date1904=True).orders["date"].dt.date.tolist() == got
    assert read_values(rows).orders["date"].dt.date.tolist()[0] == dt.date(2019, 3, 14)  # 1900 system


# --------------------------------------------------------------------------- one value, every kind

CEST = dt.timezone(dt.timedelta(hours=2))

#: (what Excel hands over, the amount it is, the order day it is) - None: not readable as that.
VALUE_KINDS = [
    (12.5, 12.5, xl.serial_to_date(12.5)),
    (45000, 45000.0, dt.date(2023, 3, 15)),  # int
    (np.float64(45001.0), 45001.0, dt.date(2023, 3, 16)),
    (Decimal("45002.00"), 45002.0, dt.date(2023, 3, 17)),  # a currency-formatted cell on Windows
    (Decimal("19.99"), 19.99, dt.date(1900, 1, 19)),
    (True, None, None),
    (dt.datetime(2024, 1, 5, 10, 30), None, dt.date(2024, 1, 5)),
    (dt.datetime(2024, 1, 5, 23, 30, tzinfo=CEST), None, dt.date(2024, 1, 5)),  # wall-clock day
    (dt.date(2024, 1, 6), None, dt.date(2024, 1, 6)),
    (pd.Timestamp("2024-01-07 08:00"), None, dt.date(2024, 1, 7)),
    (dt.datetime(1899, 12, 30, 9, 15), None, None),  # a time-only cell as COM hands it over
    (dt.time(9, 15), None, None),
    ("not a number", None, None),
]


@pytest.mark.parametrize("value, amount, day", VALUE_KINDS, ids=lambda v: repr(v)[:30])
def test_each_value_kind_reads_the_same_through_the_button_and_the_cell_functions(value, amount, day):
    rows = [["Customer ID", "Order date", "Amount"], ["C1", value, value], ["C1", dt.datetime(2024, 2, 1), 1.0]]
    res = read_values(rows)
    used = res.orders[res.orders["row"] == 2]
    # the button's reader
    if amount is None or day is None:
        assert used.empty
    else:
        assert used["amount"].iloc[0] == pytest.approx(amount)
        assert used["date"].iloc[0].date() == day
    # the cell functions: the same amount and the same day
    got_amount = ci.numbers([value]) if not isinstance(value, (dt.date, dt.time, str, bool)) else np.array([])
    assert (got_amount.tolist() or [None])[0] == (pytest.approx(amount) if amount is not None else None)
    got_day = ci.dates([value])[0]
    assert (None if np.isnat(got_day) else got_day.astype(dt.date)) == day
    # the one conversion both stand on
    v = xl.excel_value(value)
    if amount is not None:
        assert isinstance(v, (float, int)) and float(v) == pytest.approx(amount)


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#SPILL!", "#CALC!", "#GETTING_DATA", "#BUSY!"])
def test_error_cells_are_errors_in_both_paths(error):
    com = xl.com_error(error)
    handed = error if com is None or error in ("#N/A", "#DIV/0!") else com  # xlwings: texts for the classic 7
    rows = [["Customer ID", "Order date", "Amount"], ["C1", dt.datetime(2024, 1, 5), handed],
            ["C2", dt.datetime(2024, 1, 6), 5.0]]
    res = read_values(rows)
    assert res.orders["customer_id"].tolist() == ["C2"]  # never an amount of -2,146,826,243
    (skip,) = res.skipped.itertuples()
    assert error in skip.raw
    with pytest.raises(ci.CellError) as err:
        ci.numbers([1.0, handed])
    assert err.value.error == error


def test_single_cell_arguments_go_through_the_same_conversion():
    from retention_xl.errors import MetricError

    assert ci.scalar("CLV", "months", Decimal("24.00")) == 24.0  # a currency-formatted cell
    assert ci.scalar("CLV", "months", np.int64(24)) == 24.0
    with pytest.raises(ci.CellError) as err:
        ci.scalar("CLV", "months", xl.com_error("#SPILL!"))
    assert err.value.error == "#SPILL!"
    with pytest.raises(MetricError, match="is blank"):
        ci.scalar("CLV", "months", float("nan"))  # how numpy writes a blank cell
    with pytest.raises(MetricError, match="is a time"):
        ci.scalar("CLV", "months", dt.datetime(1899, 12, 30, 9, 15))  # a time-only cell from COM


def test_currency_cells_are_amounts_for_the_button():
    """Issue 16: a US POS export opened in Excel hands its $ amounts over as Decimal."""
    rows = [["Customer", "Date", "Total"]] + [
        [f"K{i % 4}", dt.datetime(2024, 1, 1 + i), Decimal(f"{10 + i}.25")] for i in range(14)]
    res = read_values(rows)
    assert res.rows_used == 14 and res.rows_skipped == 0
    assert res.orders["amount"].sum() == pytest.approx(sum(10.25 + i for i in range(14)))


# --------------------------------------------------------------------------- ids


def test_one_id_rule():
    assert id_text(13607.0) == id_text("13607.0") == id_text(" 13607 ") == id_text(Decimal("13607")) == "13607"
    assert id_key("Anna.K@Example.com") == id_key("anna.k@example.com")
    assert id_key("AB-1") != id_key("ab-1")  # only e-mails ignore case
    got = normalize_ids(["Anna.K@Example.com", "anna.k@example.com", 13607.0, "13607.0", " x ", "", None, True])
    assert got.tolist() == ["Anna.K@Example.com", "Anna.K@Example.com", "13607", "13607", "x", None, None, None]


def test_cohorts_keep_no_float_spelling():
    assert customer_keys(["13607.0", 13607.0, "13607"]).tolist() == ["13607"] * 3


def test_email_ids_are_one_customer_everywhere_shown_as_first_seen():
    ids = ["Anna.K@Example.com", "anna.k@example.com", "ANNA.K@EXAMPLE.COM", "bob@example.com"]
    days = [dt.datetime(2024, 1, 5), dt.datetime(2024, 2, 5), dt.datetime(2024, 3, 5), dt.datetime(2024, 1, 9)]
    rows = [["Customer ID", "Order date", "Amount"]] + [[c, d, 10.0] for c, d in zip(ids, days)]
    res = read_values(rows)
    assert sorted(set(res.orders["customer_id"])) == ["Anna.K@Example.com", "bob@example.com"]
    assert P.parse_ids(pd.Series(ids, dtype=object)).uniques.tolist() == ["Anna.K@Example.com", "bob@example.com"]
    assert len(set(ci.customer_codes(ids).tolist())) == 2
    rows_in = ci.order_rows("RFM", ids, days, [10.0] * 4)
    table = rfm_table(rows_in.customer_ids, rows_in.dates, rows_in.amounts)
    assert table.set_index("customer_id")["frequency"].to_dict() == {"Anna.K@Example.com": 3, "bob@example.com": 1}
    assert cohort_retention(rows_in.customer_ids, rows_in.dates)["customers"].sum() == 2


# --------------------------------------------------------------------------- property: every entry point agrees

_LAST_SERIAL = {False: xl.date_to_serial(dt.date(2200, 12, 31)), True: xl.date_to_serial(dt.date(2200, 12, 31), True)}


def _days(a) -> list:
    return [None if np.isnat(x) else x.astype("datetime64[D]").astype(dt.date) for x in np.asarray(a)]


@st.composite
def serial_columns(draw):
    date1904 = draw(st.booleans())
    low = 0 if date1904 else 1
    whole = st.integers(low, int(_LAST_SERIAL[date1904]))
    serial = st.one_of(whole.map(float), st.builds(lambda n, f: n + f, whole, st.floats(0, 0.999)))
    return date1904, draw(st.lists(serial, min_size=1, max_size=25))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(serial_columns())
def test_serial_dates_agree_at_every_entry_point(col):
    date1904, serials = col
    expect = [xl.serial_to_date(s, date1904) for s in serials]
    # the file reader's parser (read_orders uses it with the workbook's date system)
    assert _days(P.parse_dates(pd.Series(serials, dtype=float), date1904).values) == expect
    # objects, as calamine and xlwings hand over mixed columns
    assert _days(P.parse_dates(pd.Series(serials + ["x"], dtype=object), date1904).values)[:-1] == expect
    # the button's reader
    rows = [["Customer ID", "Order date", "Amount"]] + [[f"C{i}", s, 1.0] for i, s in enumerate(serials)]
    assert read_values(rows, date1904=date1904).orders["date"].dt.date.tolist() == expect
    # the cell functions
    assert _days(ci.dates(serials, date1904=date1904)) == expect
    got = ci.order_rows("T", [f"C{i}" for i in range(len(serials))], serials, date1904=date1904)
    assert _days(got.dates) == expect
    # cohorts and RFM
    assert calendar_days(serials, "T", date1904).dt.date.tolist() == expect
    table = rfm_table([f"C{i}" for i in range(len(serials))], serials, [1.0] * len(serials), date1904=date1904)
    last = max(expect)
    assert sorted(table["recency_days"].tolist()) == sorted((last - d).days for d in expect)
    # and back: the serial of the day is the serial without its time
    for s, d in zip(serials, expect):
        if not (s >= 60 and s < 61 and not date1904):  # 60 is the fictitious 29 Feb 1900
            assert xl.date_to_serial(d, date1904) == np.floor(s)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 12, 31)),
                min_size=1, max_size=20))
def test_real_dates_agree_at_every_entry_point(stamps):
    expect = [s.date() for s in stamps]
    assert _days(P.parse_dates(pd.Series(stamps, dtype=object)).values) == expect
    rows = [["Customer ID", "Order date", "Amount"]] + [[f"C{i}", s, 1.0] for i, s in enumerate(stamps)]
    assert read_values(rows).orders["date"].dt.date.tolist() == expect
    assert _days(ci.dates(stamps)) == expect
    assert calendar_days(stamps, "T").dt.date.tolist() == expect
    # a date cell counts as its serial in the cell functions (AVERAGE of dates), as Excel does
    assert [xl.serial_to_date(s) for s in ci.numbers(stamps)] == expect


_WORDS = st.text("abcXYZ", min_size=1, max_size=3)
_ID_VALUE = st.one_of(
    st.integers(0, 10**6).map(float),  # numbers, as Excel hands them over
    st.integers(0, 10**6).map(str),
    st.integers(0, 10**6).map(lambda n: f"{n}.0"),  # pandas' float CSVs
    st.integers(0, 10**6).map(lambda n: f" {n} "),
    st.integers(0, 10**6).map(Decimal),
    _WORDS,
    st.builds(lambda a, b: f"{a}@{b}.com", _WORDS, _WORDS),  # e-mails in any case
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_ID_VALUE, min_size=1, max_size=30))
def test_ids_agree_at_every_entry_point(ids):
    keys = [id_key(id_text(v)) for v in ids]
    expect_groups = len(set(keys))
    first_seen = {}
    for v, k in zip(ids, keys):
        first_seen.setdefault(k, id_text(v))

    def partition(labels) -> list[int]:
        seen: dict = {}
        return [seen.setdefault(x, len(seen)) for x in labels]

    want = partition(keys)
    # the file reader's parser
    p = P.parse_ids(pd.Series(ids, dtype=object))
    assert partition(p.codes.tolist()) == want
    assert sorted(p.uniques.tolist()) == sorted(first_seen.values())
    # the button's reader
    day = dt.datetime(2024, 1, 5)
    res = read_values([["Customer ID", "Order date", "Amount"]] + [[v, day, 1.0] for v in ids])
    assert partition(res.orders["customer_id"].tolist()) == want
    assert sorted(set(res.orders["customer_id"])) == sorted(first_seen.values())
    # the cell functions
    assert partition(ci.customer_codes(ids).tolist()) == want
    rows = ci.order_rows("T", ids, [day] * len(ids))
    assert partition([id_key(id_text(v)) for v in rows.customer_ids]) == want
    # cohorts and RFM, on the cell functions' rows and on the raw values
    assert partition(customer_keys(ids).tolist()) == want
    assert cohort_retention(rows.customer_ids, rows.dates)["customers"].sum() == expect_groups
    table = rfm_table(ids, [day] * len(ids), [1.0] * len(ids))
    assert sorted(table["customer_id"]) == sorted(first_seen.values())
    # the pure metric, given the values themselves
    from collections import Counter

    from retention_xl.engine import metrics

    counts = Counter(keys)
    want_rate = sum(1 for c in counts.values() if c >= 2) / len(counts)
    assert metrics.repeat_rate(np.array(ids, dtype=object)) == pytest.approx(want_rate)


def test_the_workbooks_date_system_is_read_once_and_cached():
    class Api:
        reads = 0

        @property
        def Date1904(self):  # Windows: Workbook.Date1904 through COM
            Api.reads += 1
            return True

    class MacProp:
        def get(self):
            return True

    class MacApi:  # macOS: appscript's date_1904 property
        date_1904 = MacProp()

    class Book:
        def __init__(self, fullname, api):
            self.fullname, self.api = fullname, api

    ci._DATE1904_CACHE.clear()
    win = Book("C:/data/mac-made.xlsx", Api())
    assert ci.workbook_date1904(win) and ci.workbook_date1904(win)
    assert Api.reads == 1
    assert ci.workbook_date1904(Book("/Users/a/old.xlsx", MacApi()))
    assert ci.workbook_date1904(type("NoApi", (), {"fullname": "Book1"})()) is False  # the stand-in: 1900
    ci._DATE1904_CACHE.clear()
