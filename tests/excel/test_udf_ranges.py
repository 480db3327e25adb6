"""The cell functions over ranges, called the way xlwings calls them; the workbook's date system.

Arguments reach a UDF through xlwings' own conversion pipeline
(``xlwings.conversion.read(None, value, options)``, as ``xlwings.udfs.call_udf``
does for every argument), fed with what COM hands it: a scalar for one cell, a
tuple of row tuples for a range, ``None`` for a blank cell and the COM error code
(an int) for an error cell. The pipeline needs an engine only for its cell
cleaning step; on Linux that step is xlwings' own Windows code
(``_clean_value_data_element`` and ``cell_errors``, taken from
``xlwings/_xlwindows.py`` whose module cannot be imported off Windows).
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import inspect
import io
import re
import types
from pathlib import Path

import pytest

from test_udfs import UDF_NAMES
import xlwings
from xlwings import conversion

from retention_xl.engine import metrics
from retention_xl.excel import cell_input, declare, udfs

CELLWISE = [
    "CRR", "CHURN", "CLV", "CUSTOMER_VALUE", "PURCHASE_FREQUENCY", "RETURN_RATE", "CAC", "CONVERSION",
    "COMPLAINT_RATE", "UPSELL_RATE", "CRR_BENCHMARK", "AOV",
]
MISSING = object()  # an argument left out of the formula (COM passes DISP_E_PARAMNOTFOUND)
NA = -2146826246  # #N/A as COM passes an error cell
DIV0 = -2146826281


# --- xlwings' conversion with its Windows cell cleaning ---------------------------------------


def _windows_cleaning():
    """xlwings' own COM cell cleaning, executed from its source (pywin32 is Windows-only)."""
    source = Path(xlwings.__file__).with_name("_xlwindows.py").read_text(encoding="utf-8")
    wanted = {"cell_errors", "_com_time_to_datetime", "_clean_value_data_element"}
    nodes = [
        n for n in ast.parse(source).body
        if (isinstance(n, ast.FunctionDef) and n.name in wanted)
        or (isinstance(n, ast.Assign) and any(getattr(t, "id", None) in wanted for t in n.targets))
    ]
    assert len(nodes) == 3, "xlwings' _xlwindows changed: re-read its cell cleaning"
    ns = {"dt": dt, "time_types": (dt.date, dt.datetime)}  # pywintypes.TimeType is a datetime
    exec(compile(ast.Module(body=nodes, type_ignores=[]), "xlwings/_xlwindows.py", "exec"), ns)  # noqa: S102
    return ns


class _ComCells:
    """The part of xlwings' Windows engine the read pipeline uses (name, type, clean_value_data)."""

    name = "excel"
    type = "desktop"

    def __init__(self) -> None:
        self._clean = _windows_cleaning()["_clean_value_data_element"]

    def clean_value_data(self, data, datetime_builder, empty_as, number_builder, err_to_str):
        # xlwings._xlwindows.Engine.clean_value_data, element by element
        return [[self._clean(c, datetime_builder, empty_as, number_builder, err_to_str) for c in row] for row in data]


@pytest.fixture(scope="module")
def excel_engine():
    engine = xlwings.main.Engine(impl=_ComCells())
    xlwings.engines.add(engine)
    try:
        yield engine
    finally:
        xlwings.engines.engines.remove(engine)
        del xlwings.engines.engines_by_name["excel"]


@pytest.fixture(scope="module")
def windows_xlwings():
    """xlwings.udfs with its real Windows decorators, pywin32 stubbed; our module loaded through them."""
    from tests.excel.vba.generate import windows_xlwings as stubbed

    with stubbed() as real:
        spec = importlib.util.spec_from_file_location("retention_xl.excel._udfs_windows", udfs.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield real, module


@pytest.fixture(scope="module")
def call(windows_xlwings, excel_engine):
    """Call a UDF as xlwings.udfs.call_udf does: each COM value through conversion.read with its options."""
    _, module = windows_xlwings

    def call_udf(name, *com_values, caller=None):
        meta = getattr(module, name).__xlfunc__
        args = []
        for info in meta["args"]:
            value = com_values[info["pos"]] if info["pos"] < len(com_values) else MISSING
            if info["name"] == "caller":  # call_udf puts the calling Range there, then converts it too
                args.append(conversion.read(None, caller, info["options"]))
            elif value is MISSING:
                args.append(info.get("optional"))
            else:
                args.append(conversion.read(None, value, info["options"]))
        return getattr(udfs, name)(*args)

    return call_udf


def column(*cells):
    """A one-column range as COM's Range.Value gives it: a tuple of one-cell rows."""
    return tuple((c,) for c in cells)


# --- what xlwings hands the functions -------------------------------------------------------------


def test_xlwings_hands_cell_function_arguments_as_lists_of_rows(windows_xlwings, excel_engine):
    _, module = windows_xlwings
    opts = {a["name"]: a["options"] for a in module.CRR.__xlfunc__["args"]}
    assert opts["customers_end"] == {"err_to_str": True, "ndim": 2}
    assert conversion.read(None, column(1.0, None, NA), opts["customers_end"]) == [[1.0], [None], ["#N/A"]]
    assert conversion.read(None, 210.0, opts["customers_end"]) == [[210.0]]  # a number typed in the formula
    assert conversion.read(None, ((1.0, 2.0),), opts["customers_end"]) == [[1.0, 2.0]]  # a row stays a row
    # without ndim a column would arrive flat and a row could not be told from it
    assert conversion.read(None, column(1.0, 2.0), {"err_to_str": True}) == [1.0, 2.0]
    assert conversion.read(None, ((1.0, 2.0),), {"err_to_str": True}) == [1.0, 2.0]


# --- every cell function over an Excel column: good rows, wrong rows, blank and error rows ---------

# (function, COM arguments, expected column): the expected values come from the metric
# itself called on one row's numbers, or are the message that row must show.
CASES = {
    "CRR": (
        (column(210.0, 30.0, None, NA, "1,000", 50.0), column(30.0, 40.0, None, 1.0, "900", 5.0), 200.0),
        [metrics.crr(210, 30, 200), "CRR: new customers (40) exceed customers at the end (30)", None, "#N/A",
         metrics.crr(1000, 900, 200), metrics.crr(50, 5, 200)],
    ),
    "CHURN": (
        (column(210.0, 30.0, None), column(30.0, 40.0, None), column(200.0, 100.0, None)),
        [metrics.churn(210, 30, 200), "CHURN: new customers (40) exceed customers at the end (30)", None],
    ),
    "CLV": (
        (column(50.0, "x", 100.0, None), column(24.0, 12.0, 6.0, None), column(None, 0.5, 30.0, None)),
        [metrics.clv(50, 24, 1.0, 0.0), 'CLV: monthly spend ("x") is not a number',
         "CLV: margin (30) must be a fraction of spend, e.g. 0.3 for 30 %", None],
    ),
    "CUSTOMER_VALUE": (
        (column(4.0, -1.0, DIV0), 25.0),
        [100.0, "CUSTOMER_VALUE: purchases per customer (-1) cannot be negative", "#DIV/0!"],
    ),
    "PURCHASE_FREQUENCY": (
        (column(45.0, 10.0, 15.0), column(10.0, 0.0, 10.0), column(3.0, 1.0, None)),
        [1.5, "PURCHASE_FREQUENCY: customers is 0 (division by zero)", 1.5],  # blank months = 1
    ),
    "RETURN_RATE": (
        (column(5.0, 12.0, None, 3.0), column(100.0, 10.0, None, None)),
        [0.05, "RETURN_RATE: returned (12) exceed sold (10)", None, "RETURN_RATE: sold is blank"],
    ),
    "CAC": (
        (column(600.0, 100.0, -5.0), column(12.0, 0.0, 1.0)),
        [50.0, "CAC: new customers is 0 (division by zero)", "CAC: 1 of 1 acquisition costs are negative"],
    ),
    "CONVERSION": (
        (column(700.0, 1200.0, True), 1000.0),
        [0.7, "CONVERSION: converted (1200) exceed leads (1000)", "CONVERSION: converted is TRUE/FALSE, not a number"],
    ),
    "COMPLAINT_RATE": (
        (column(50.0, 5.0), column(700.0, 0.0)),
        [metrics.complaint_rate(50, 700), "COMPLAINT_RATE: customers is 0 (division by zero)"],
    ),
    "UPSELL_RATE": (
        (column(350.0, 800.0, None), column(700.0, 700.0, 700.0)),
        [0.5, "UPSELL_RATE: upgraded customers (800) exceed customers (700)", "UPSELL_RATE: upgraded customers is blank"],
    ),
    "CRR_BENCHMARK": (
        (column("retail", "розница", None, "Telecom", NA, 5.0),),
        [0.63, 0.63, None, 0.78, "#N/A", "CRR_BENCHMARK: industry must be text"],
    ),
    "AOV": (
        (column(1000.0, 100.0, None), column(8.0, 0.0, None)),
        [125.0, "AOV: orders is 0 (division by zero)", None],
    ),
}


def test_every_cell_function_has_a_range_case():
    assert sorted(CASES) == sorted(CELLWISE)


@pytest.mark.parametrize("name", CELLWISE)
def test_a_column_in_gives_a_column_out(call, name):
    com_args, expected = CASES[name]
    out = call(name, *com_args)
    assert isinstance(out, list) and all(isinstance(r, list) and len(r) == 1 for r in out), out
    got = [r[0] for r in out]
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        if isinstance(e, float):
            assert g == pytest.approx(e), (got, expected)
        else:
            assert g == e, (got, expected)


@pytest.mark.parametrize("name", CELLWISE)
def test_each_row_of_a_range_is_the_single_cell_call_of_that_row(call, name):
    com_args, _ = CASES[name]
    out = call(name, *com_args)
    for i, row in enumerate(out):
        one = [a[i][0] if isinstance(a, tuple) else a for a in com_args]
        if all(v is None for v, a in zip(one, com_args) if isinstance(a, tuple)):
            assert row == [None]  # an all-blank row: a blank cell, not "is blank"
        else:
            assert row == [call(name, *one)]


def test_a_row_range_gives_a_row_and_a_block_gives_a_block(call):
    assert call("CONVERSION", ((700.0, 500.0),), 1000.0) == [[0.7, 0.5]]
    assert call("RETURN_RATE", ((1.0, 2.0), (3.0, 4.0)), ((10.0, 10.0), (10.0, 8.0))) == [[0.1, 0.2], [0.3, 0.5]]


def test_single_cells_still_give_one_value(call):
    assert call("CRR", 210.0, 30.0, 200.0) == pytest.approx(0.9)
    assert call("CRR", None, 0.0, 10.0) == "CRR: customers at the end is blank"  # one blank cell is a message
    assert call("CLV", 50.0, 24.0) == 1200.0  # optional arguments left out
    assert call("CRR_BENCHMARK", "retail") == 0.63


def test_ranges_of_different_shapes_give_one_message(call):
    assert call("CRR", column(1.0, 2.0, 3.0), column(0.0, 0.0), 10.0) == (
        "CRR: the ranges must have the same shape (customers at the end 3×1, new customers 2×1, "
        "customers at the start 1 cell)"
    )
    assert call("CONVERSION", column(1.0, 2.0), ((10.0, 20.0),)).startswith("CONVERSION: the ranges must have the same shape")


def test_cac_with_one_count_sums_the_costs_range(call):
    assert call("CAC", column(100.0, 200.0, None, 300.0), 12.0) == 50.0
    assert call("CAC", ((100.0, 200.0), (None, 300.0)), 12.0) == 50.0
    assert call("CAC", column(100.0, 200.0), column(2.0, 4.0)) == [[50.0], [50.0]]  # two ranges: per row


def test_aov_with_one_argument_is_still_the_average_check(call):
    assert call("AOV", column(10.0, None, 20.0, "refund", 60.0)) == 30.0
    assert call("AOV", 1000.0, 8.0) == 125.0


def test_an_array_call_over_many_rows_matches_the_single_calls(call):
    rows = [(float(200 + i % 50), float(i % 40), float(180 + i % 30)) for i in range(3000)]
    rows[7] = (None, None, None)
    rows[11] = (10.0, 20.0, 100.0)
    out = call("CRR", column(*(r[0] for r in rows)), column(*(r[1] for r in rows)), column(*(r[2] for r in rows)))
    assert [r[0] for r in out] == [None if r[0] is None else udfs.CRR(*r) for r in rows]
    assert out[11] == ["CRR: new customers (20) exceed customers at the end (10)"]


# --- the declarations as xlwings sees them, and its VBA generator -------------------------------------


def _vba(windows_xlwings) -> str:
    real, module = windows_xlwings
    text = io.StringIO()
    real.generate_vba_wrapper("retention_xl.excel.udfs", module, text, types.SimpleNamespace(Name="retention_xl.xlam"))
    return text.getvalue()


def test_the_vba_generator_writes_every_function_with_its_arguments(windows_xlwings):
    vba = _vba(windows_xlwings)
    declared = dict(re.findall(r"^Function (\w+)\(([^)]*)\)", vba, flags=re.M))
    _, module = windows_xlwings
    names = sorted(n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__"))
    assert sorted(declared) == names == sorted(UDF_NAMES)
    for name in names:
        params = [p for p in inspect.signature(getattr(udfs, name)).parameters if p != "caller"]
        optional = {a["name"] for a in getattr(module, name).__xlfunc__["args"] if "optional" in a}
        shown = [f"Optional {p}" if p in optional else p for p in params]
        assert declared[name] == ", ".join(shown), name
    assert declared["CHURN"] == "customers_end, new_customers, customers_start"
    assert declared["CRR"] == "customers_end, new_customers, customers_start, Optional interval"
    assert "caller" not in vba.lower().replace("application.caller", "")  # never a visible Excel argument
    # the hidden caller goes to Python as Nothing; xlwings' call_udf puts the calling Range there
    assert 'XLPy.CallUDF("retention_xl.excel.udfs", "RFM", Array(customer_ids, dates, amounts, as_of, Nothing)' in vba


def test_heavy_functions_are_not_run_while_typing_in_insert_function(windows_xlwings):
    vba = _vba(windows_xlwings)
    blocks = dict(re.findall(r"^Function (\w+)\(.*?\)\n(.*?)^End Function", vba, flags=re.M | re.S))
    skip = 'If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function'
    assert {n for n, body in blocks.items() if skip in body} == {"RFM", "COHORT_RETENTION", "CLV_PREDICT"}


def test_declared_options_reach_xlwings(windows_xlwings):
    _, module = windows_xlwings
    meta = {n: getattr(module, n).__xlfunc__ for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")}
    for name, m in meta.items():
        assert m["category"] == "retention_xl" and m["ret"]["options"] == {}, name
        for a in m["args"]:
            if a["name"] == "caller":
                assert a["options"] == {} and a["optional"] is None, name  # the Range object, unconverted
            elif name in CELLWISE:
                assert a["options"] == {"err_to_str": True, "ndim": 2}, (name, a["name"])
    assert meta["CSAT"]["args"][1]["options"] == {"err_to_str": True}  # a setting, not a range: no ndim
    assert meta["CLV"]["args"][2]["optional"] == 1 and meta["AOV"]["args"][1]["optional"] == ""


def test_an_argument_without_a_declaration_is_refused():
    with pytest.raises(TypeError, match="argument x needs a declaration"):
        @declare.excel_function
        def F(x):  # noqa: N802 - an Excel name
            """Doc."""


# --- the 1904 date system ---------------------------------------------------------------------------


class _Workbook:
    """What xlwings' Book impl answers: the full name and the COM object (api) with Date1904."""

    def __init__(self, fullname: str, date1904: bool) -> None:
        self.fullname = fullname
        self.asked = 0
        outer = self

        class _Api:
            @property
            def Date1904(self):  # noqa: N802 - the COM property
                outer.asked += 1
                return date1904

        self.api = _Api()


def caller_in(book: _Workbook) -> xlwings.Range:
    """A real xlwings Range whose impl chain (sheet -> book) ends at `book`."""
    sheet = types.SimpleNamespace(book=book)
    return xlwings.Range(impl=types.SimpleNamespace(sheet=sheet))


@pytest.fixture(autouse=True)
def _fresh_date_system_cache():
    cell_input._DATE1904_CACHE.clear()
    yield
    cell_input._DATE1904_CACHE.clear()


def test_the_date_system_is_read_once_per_workbook():
    mac = _Workbook(r"C:\data\mac_export.xlsx", True)
    win = _Workbook(r"C:\data\report.xlsx", False)
    assert [declare.workbook_date1904(caller_in(b)) for b in (mac, win, mac, mac, win)] == [True, False, True, True, False]
    assert (mac.asked, win.asked) == (1, 1)
    assert declare.workbook_date1904(None) is False  # called from Python
    assert declare.workbook_date1904("not a range") is False


def test_1904_serials_are_dates_four_years_later():
    assert cell_input.serial_to_date(0.0, date1904=True) == dt.date(1904, 1, 1)
    assert cell_input.serial_to_date(43830.0, date1904=True) == dt.date(2024, 1, 1)
    assert cell_input.serial_to_date(45292.0) == dt.date(2024, 1, 1)
    days = cell_input.dates([[43830.0], [dt.datetime(2024, 1, 1, 9)], [-1.0]], date1904=True)
    assert days.tolist() == [dt.date(2024, 1, 1), dt.date(2024, 1, 1), None]  # a date cell is a date in both


IDS = column("a", "a", "b", "b")
SERIALS_1900 = (45292.0, 45302.0, 45300.0, 45322.0)  # 2024-01-01, -01-11, -01-09, -01-31


def test_days_to_repeat_reads_numbers_in_the_callers_date_system(call):
    book = _Workbook("mac.xlsx", True)
    in_1904 = column(*(s - 1462 for s in SERIALS_1900))
    assert call("DAYS_TO_REPEAT", IDS, in_1904, caller=caller_in(book)) == pytest.approx(16.0)
    assert call("DAYS_TO_REPEAT", IDS, column(*SERIALS_1900), caller=caller_in(_Workbook("win.xlsx", False))) == 16.0


def test_cohorts_rfm_and_clv_predict_read_1904_serials(call):
    mac, win = caller_in(_Workbook("mac.xlsx", True)), caller_in(_Workbook("win.xlsx", False))
    in_1904 = column(*(s - 1462 for s in SERIALS_1900))
    amounts = column(10.0, 20.0, 5.0, 7.0)
    assert call("COHORT_RETENTION", IDS, in_1904, caller=mac) == call("COHORT_RETENTION", IDS, column(*SERIALS_1900), caller=win)
    rfm_1904 = call("RFM", IDS, in_1904, amounts, 45310.0 - 1462, caller=mac)
    assert rfm_1904 == call("RFM", IDS, column(*SERIALS_1900), amounts, 45310.0, caller=win)
    # as of 2024-01-19: a last ordered 01-11 (8 days), b 01-09 (10 days; its 01-31 order is after as-of)
    assert [r[:2] for r in rfm_1904[1:]] == [["a", 8], ["b", 10]]
    clv_1904 = call("CLV_PREDICT", IDS, in_1904, amounts, caller=mac)
    assert clv_1904 == call("CLV_PREDICT", IDS, column(*SERIALS_1900), amounts, caller=win)
    # the same numbers read in the 1900 system are four years (1462 days) earlier
    assert call("COHORT_RETENTION", IDS, in_1904, caller=mac)[1][0] == "2024-01"
    assert call("COHORT_RETENTION", IDS, in_1904, caller=win)[1][0] == "2019-12"
    # a date cell is the same day in both systems: as-of 2024-01-19 against 1904 serials
    assert call("RFM", IDS, in_1904, amounts, dt.datetime(2024, 1, 19), caller=mac) == rfm_1904
