"""Generate workbook/retention_xl_demo.xlsx - the workbook to try the add-in with.

    python workbook/make_demo.py            (re)write the demo workbook
    python workbook/make_demo.py --check    exit 1 when the committed file's content is out of date

Sheets:
* "Read me"            - what to do, in three steps;
* "Orders"             - the shipped sample orders (retention_xl/data/sample_orders.csv),
                         header in A1, real dates and numbers: click a cell, press the button;
* "Functions"          - every Excel function on small example data: the formula as text,
                         the value it should return (computed here by retention_xl's own
                         Python functions), the same formula live, and a check cell;
* "Retention settings" - the optional settings the button reads (all defaults here).

Why both an "expected" value and a live formula: the live formulas call add-in
functions, so they show #NAME? for anyone without the add-in (Excel recalculates
on open). The expected column is plain values and always readable; the check
column says "OK" when the add-in computes the same value. Each live formula
also stores the expected value as its cached result, so previews show numbers.

The output is reproducible (fixed document dates); --check compares content, not bytes
(XlsxWriter versions differ in bytes, SciPy versions in the 8th digit of fitted CLVs).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retention_xl.excel import udfs  # noqa: E402  (xlwings decorators are inert off Windows)

OUT = Path(__file__).resolve().parent / "retention_xl_demo.xlsx"
SAMPLE = ROOT / "retention_xl" / "data" / "sample_orders.csv"
FIXED_DATE = datetime(2024, 1, 1)

# Small example data on the Functions sheet (rows 5..14, columns I..M)
EXAMPLE_HEADER = ["Customer", "Order date", "Amount", "NPS answer", "CSAT answer"]
EXAMPLE_ROWS = [
    ["C1", datetime(2024, 1, 5), 40.0, 10, 5],
    ["C2", datetime(2024, 1, 9), 25.0, 9, 4],
    ["C1", datetime(2024, 2, 14), 55.0, 8, 4],
    ["C3", datetime(2024, 2, 20), 30.0, 7, 3],
    ["C2", datetime(2024, 3, 2), 45.0, 6, 5],
    ["C4", datetime(2024, 3, 15), 20.0, 10, 2],
    ["C1", datetime(2024, 4, 1), 60.0, 9, 5],
    ["C5", datetime(2024, 4, 18), 35.0, 3, 1],
    ["C3", datetime(2024, 5, 6), 50.0, 9, 4],
    ["C6", datetime(2024, 5, 30), 15.0, 10, 5],
]
FIRST = 5  # sheet row of the first example row
LAST = FIRST + len(EXAMPLE_ROWS) - 1
IDS, DATES, AMOUNTS, NPS_, CSAT_ = (f"{c}{FIRST}:{c}{LAST}" for c in "IJKLM")


def _col(i: int) -> list[list[Any]]:
    """A column of the example data the way xlwings passes a range with ndim=2."""
    return [[row[i]] for row in EXAMPLE_ROWS]


# (function, formula, expected value, number format, what it means)
def examples() -> list[tuple[str, str, Any, str, str]]:
    pct, num, money = "0.0%", "0.00", "#,##0.00"
    return [
        ("CRR", "=CRR(210,30,200)", udfs.CRR(210, 30, 200), pct, "customers_end 210, new_customers 30, customers_start 200: 90 % retained"),
        ("CHURN", "=CHURN(210,30,200)", udfs.CHURN(210, 30, 200), pct, "1 - CRR (same three arguments)"),
        ("NPS", f"=NPS({NPS_})", udfs.NPS(_col(3)), "0", "% promoters (9-10) - % detractors (0-6)"),
        ("CSAT", f"=CSAT({CSAT_})", udfs.CSAT(_col(4)), pct, "Share of answers 4 or 5 on a 1-5 scale"),
        ("CLV", "=CLV(50,24)", udfs.CLV(50, 24), money, "50 a month for 24 months"),
        ("CLV", "=CLV(50,24,0.3,0.1)", udfs.CLV(50, 24, 0.3, 0.1), money, "30 % margin, 10 % yearly discount rate"),
        ("CUSTOMER_VALUE", "=CUSTOMER_VALUE(1.5,40)", udfs.CUSTOMER_VALUE(1.5, 40), money, "Purchases per customer x average check"),
        ("AOV", "=AOV(12000,300)", udfs.AOV([[12000]], 300), money, "Revenue / orders"),
        ("AOV", f"=AOV({AMOUNTS})", udfs.AOV(_col(2)), money, "Average of the order amounts"),
        ("CAC", "=CAC(5000,125)", udfs.CAC([[5000]], 125), money, "Acquisition cost / new customers"),
        ("REPEAT_RATE", f"=REPEAT_RATE({IDS})", udfs.REPEAT_RATE(_col(0)), pct, "Share of customers with 2+ orders"),
        ("PURCHASE_FREQUENCY", "=PURCHASE_FREQUENCY(450,300,1)", udfs.PURCHASE_FREQUENCY(450, 300, 1), num, "Orders / customers / months"),
        ("DAYS_TO_REPEAT", f"=DAYS_TO_REPEAT({IDS},{DATES})", udfs.DAYS_TO_REPEAT(_col(0), _col(1)), "0.0", "Mean days from first to second order"),
        ("REPEAT_WITHIN", f"=REPEAT_WITHIN({IDS},{DATES},90)", udfs.REPEAT_WITHIN(_col(0), _col(1), 90), "0%", "Share who ordered again within 90 days"),
        ("RETURN_RATE", "=RETURN_RATE(5,100)", udfs.RETURN_RATE(5, 100), pct, "Returned / sold"),
        ("CONVERSION", "=CONVERSION(700,1000)", udfs.CONVERSION(700, 1000), pct, "700 of 1000 leads bought the entry product"),
        ("COMPLAINT_RATE", "=COMPLAINT_RATE(50,700)", udfs.COMPLAINT_RATE(50, 700), pct, "50 complaints from 700 customers: high"),
        ("UPSELL_RATE", "=UPSELL_RATE(350,700)", udfs.UPSELL_RATE(350, 700), pct, "350 of 700 bought the paid offer"),
        ("CRR_BENCHMARK", '=CRR_BENCHMARK("retail")', udfs.CRR_BENCHMARK("retail"), pct, "Typical CRR of retail (HubSpot)"),
    ]


def _read_orders() -> tuple[list[str], list[list[Any]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    kinds = {"Order Date": "date", "Quantity": "int", "Unit Price": "float", "Amount": "float", "NPS": "int"}
    out = []
    for row in body:
        typed: list[Any] = []
        for name, text in zip(header, row):
            kind = kinds.get(name)
            if text == "":
                typed.append(None)
            elif kind == "date":
                typed.append(datetime.strptime(text, "%Y-%m-%d"))
            elif kind == "int":
                typed.append(int(text))
            elif kind == "float":
                typed.append(float(text))
            else:
                typed.append(text)
        out.append(typed)
    return header, out


def _orders_col(name: str) -> list[list[Any]]:
    """A column of the Orders sheet the way xlwings passes it (typed like the sheet's cells)."""
    header, rows = _read_orders()
    i = header.index(name)
    return [[row[i]] for row in rows]


def _orders_range(name: str) -> str:
    """The Orders sheet's cells of a column, e.g. Orders!C2:C2432."""
    header, rows = _read_orders()
    letter = chr(ord("A") + header.index(name))
    return f"Orders!{letter}2:{letter}{len(rows) + 1}"


# CLV_PREDICT needs a shop's history (at least 20 repeat buyers): it runs on the Orders sheet
CLV_FORMULA = (f"=CLV_PREDICT({_orders_range('Customer ID')},{_orders_range('Order Date')},"
               f"{_orders_range('Amount')})")

# (function, formula, compute, number format of the table's float cells, rows shown of the expected
#  table (None: all), what it means)
SPILL_NOTE = "Spills a table: expected values first, then the live formula (Excel 365)."
SPILLS = [
    ("COHORT_RETENTION", f"=COHORT_RETENTION({IDS},{DATES})", lambda: udfs.COHORT_RETENTION(_col(0), _col(1)), "0%",
     None, SPILL_NOTE),
    ("RFM", f"=RFM({IDS},{DATES},{AMOUNTS})", lambda: udfs.RFM(_col(0), _col(1), _col(2)), "#,##0.00", None,
     SPILL_NOTE),
    ("CLV_PREDICT", CLV_FORMULA,
     lambda: udfs.CLV_PREDICT(_orders_col("Customer ID"), _orders_col("Order Date"), _orders_col("Amount")),
     "#,##0.00", 10,
     "On the Orders sheet: chance each customer is still buying, expected purchases and discounted CLV over the "
     "next 12 months, churn risk. 'Expected' shows the first 10 customers; the live formula spills all of them."),
]

# issue 13: one-row spills — a rate with its 95 % interval, and the change of a rate with its test
ROW_SPILLS = [
    ("CRR", "=CRR(210,30,200,TRUE)", lambda: udfs.CRR(210, 30, 200, True)[0], "0.0%",
     "With TRUE last: the value and its 95 % interval (Wilson), in three cells."),
    ("RATE_CHANGE", "=RATE_CHANGE(45,100,30,100)", lambda: udfs.RATE_CHANGE(45, 100, 30, 100)[0], "0.0%",
     "45 of 100 now against 30 of 100 before: difference, its 95 % interval, significant (pooled z-test)."),
]


def build(out: Path = OUT) -> Path:
    wb = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "retention_xl demo", "author": "retention_xl", "created": FIXED_DATE})
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    money_fmt = wb.add_format({"num_format": "#,##0.00"})
    code = wb.add_format({"font_name": "Consolas"})
    formats: dict[str, Any] = {}

    def fmt(num_format: str, **extra: Any):
        key = num_format + repr(sorted(extra.items()))
        if key not in formats:
            formats[key] = wb.add_format({"num_format": num_format, **extra})
        return formats[key]

    # ---- Read me
    readme = wb.add_worksheet("Read me")
    readme.set_column("A:A", 110, wrap)
    lines = [
        ("retention_xl demo workbook", title),
        ("1. Install the add-in (python install.py). A 'Retention' tab appears in Excel's ribbon.", None),
        ("2. Go to the sheet 'Orders' and click any cell inside the orders.", None),
        ("3. Click Retention > Build KPI report. A new workbook '<this book> KPI report <date>.xlsx' "
         "opens next to this one; this workbook is not changed.", None),
        ("Optional: change the period, activity window, industry or language on the sheet 'Retention settings'.", None),
        ("The sheet 'Functions' shows every Excel function on small example data: the formula, the value "
         "it should return, and the same formula live. The live column needs the add-in on Windows; "
         "without it Excel shows #NAME? there, and the 'Expected' column still shows the right values.", None),
        ("Orders are the synthetic sample shipped with retention_xl (retention_xl/data/sample_orders.csv); "
         "this file is generated by workbook/make_demo.py.", None),
    ]
    for i, (text, f) in enumerate(lines):
        readme.write_string(i, 0, text, f)

    # ---- Orders (header in A1 so the current region is the whole table)
    orders = wb.add_worksheet("Orders")
    header, rows = _read_orders()
    for c, name in enumerate(header):
        orders.write_string(0, c, name, head)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime):
                orders.write_datetime(r, c, value, date_fmt)
            elif isinstance(value, (int, float)):
                orders.write_number(r, c, value, money_fmt if isinstance(value, float) else None)
            else:
                orders.write_string(r, c, value)  # data is text, never a formula
    widths = {"Order ID": 11, "Order Date": 11, "Customer ID": 11, "Customer Name": 18, "Email": 34,
              "Channel": 13, "Product": 20}
    for c, name in enumerate(header):
        orders.set_column(c, c, widths.get(name, 10))
    orders.freeze_panes(1, 0)
    orders.autofilter(0, 0, len(rows), len(header) - 1)

    # ---- Functions
    fn = wb.add_worksheet("Functions")
    fn.write_string(0, 0, "Every retention_xl function, with the value it should return", title)
    fn.write_string(1, 0, "Live formulas need the retention_xl add-in on Windows (xlwings functions are "
                    "Windows-only); without it they show #NAME? and 'Check' says so. 'Expected' is "
                    "computed by retention_xl's Python and always readable.")
    cols = ["Function", "Formula", "Expected", "Live formula", "Check", "What it means"]
    for c, name in enumerate(cols):
        fn.write_string(3, c, name, head)
    for c, name in enumerate(EXAMPLE_HEADER):
        fn.write_string(3, 8 + c, name, head)
    for r, row in enumerate(EXAMPLE_ROWS, start=FIRST - 1):
        fn.write_string(r, 8, row[0])
        fn.write_datetime(r, 9, row[1], date_fmt)
        for c in (2, 3, 4):
            fn.write_number(r, 8 + c, row[c])
    r = FIRST - 1
    for name, formula, expected, num_format, meaning in examples():
        if not isinstance(expected, (int, float)):
            raise SystemExit(f"{formula} returned {expected!r} in Python; fix the example or the function")
        excel_row = r + 1
        fn.write_string(r, 0, name, bold)
        fn.write_string(r, 1, formula, code)
        fn.write_number(r, 2, expected, fmt(num_format))
        fn.write_formula(r, 3, formula, fmt(num_format), expected)
        check = (f'=IFERROR(IF(ABS(D{excel_row}-C{excel_row})<=1E-9*MAX(1,ABS(C{excel_row})),"OK","differs"),'
                 '"needs the add-in")')
        fn.write_formula(r, 4, check, None, "OK")
        fn.write_string(r, 5, meaning)
        r += 1
    r += 1
    for name, formula, compute, float_format, shown, meaning in SPILLS:
        table = compute()
        if not isinstance(table, list):
            raise SystemExit(f"{formula} returned {table!r} in Python")
        fn.write_string(r, 0, name, bold)
        fn.write_string(r, 1, formula, code)
        fn.write_string(r, 5, meaning)
        r += 1
        expected = table if shown is None else table[: shown + 1]
        fn.write_string(r, 0, "Expected:")
        for i, row in enumerate(expected):
            for j, value in enumerate(row):
                _write_value(fn, r + i, 1 + j, value, head if i == 0 else fmt(float_format))
        r += len(expected) + 1
        fn.write_string(r, 0, "Live:")
        fn.write_dynamic_array_formula(r, 1, r, 1, formula, None, table[0][0])
        r += len(table) + 2
    for name, formula, compute, num_format, meaning in ROW_SPILLS:
        values = compute()
        if not isinstance(values, list):
            raise SystemExit(f"{formula} returned {values!r} in Python")
        fn.write_string(r, 0, name, bold)
        fn.write_string(r, 1, formula, code)
        fn.write_string(r, 5, meaning)
        fn.write_string(r + 1, 0, "Expected:")
        for j, value in enumerate(values):
            _write_value(fn, r + 1, 1 + j, value, fmt(num_format))
        fn.write_string(r + 2, 0, "Live:")
        fn.write_dynamic_array_formula(r + 2, 1, r + 2, 1, formula, fmt(num_format), values[0])
        r += 4
    fn.set_column("A:A", 20)
    fn.set_column("B:B", 36)
    fn.set_column("C:E", 14)
    fn.set_column("F:F", 44)
    fn.set_column("I:M", 12)

    # ---- Retention settings (read by the button; empty value = default)
    st = wb.add_worksheet("Retention settings")
    st.write_string(0, 0, "Setting", head)
    st.write_string(0, 1, "Value", head)
    st.write_string(0, 2, "Meaning", head)
    settings = [
        ("Period start", None, "First day of the period minus one (empty: 365 days before the end)"),
        ("Period end", None, "Last day of the period (empty: the latest order date)"),
        ("Activity window (days)", 365, "A customer is active if they ordered within this many days"),
        ("Industry", "retail", "For the CRR benchmark: retail, banking, telecom, IT, insurance, ..."),
        ("Language", "en", "Report language: en, ru or zh"),
    ]
    for i, (key, value, meaning) in enumerate(settings, start=1):
        st.write_string(i, 0, key, bold)
        if isinstance(value, (int, float)):
            st.write_number(i, 1, value)
        elif value is not None:
            st.write_string(i, 1, value)
        st.write_string(i, 2, meaning)
    st.set_column("A:A", 24)
    st.set_column("B:B", 14)
    st.set_column("C:C", 70)

    orders.activate()
    wb.close()
    return out


def _write_value(ws, r: int, c: int, value: Any, f) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, f)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, f if isinstance(value, float) else None)
    else:
        ws.write_string(r, c, str(value), f)


def differences(committed: Path, fresh: Path, rel: float = 1e-6) -> list[str]:
    """Where two demo workbooks differ in content (formulas, values, cached results).

    Floats may differ by ``rel``: the fitted CLV figures move in the 8th digit with
    another SciPy's optimiser, and the bytes with another XlsxWriter.
    """
    import math

    import openpyxl

    def cells(path: Path) -> dict[str, list[tuple]]:
        out = {}
        for data_only in (False, True):
            for ws in openpyxl.load_workbook(path, data_only=data_only).worksheets:
                out[f"{ws.title}{' (values)' if data_only else ''}"] = [
                    tuple((v.ref, v.text) if v.__class__.__name__ == "ArrayFormula" else v for v in row)
                    for row in ws.iter_rows(values_only=True)
                ]
        return out

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b, rel_tol=rel)
        return a == b

    old, new = cells(committed), cells(fresh)
    if old.keys() != new.keys():
        return [f"sheets {sorted(old)} != {sorted(new)}"]
    found = []
    for sheet in old:
        if len(old[sheet]) != len(new[sheet]):
            found.append(f"{sheet}: {len(old[sheet])} rows, now {len(new[sheet])}")
            continue
        for r, (a, b) in enumerate(zip(old[sheet], new[sheet]), start=1):
            if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b)):
                found.append(f"{sheet} row {r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the committed file is up to date")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = build(Path(tmp) / OUT.name)
            found = ["missing"] if not OUT.is_file() else differences(OUT, fresh)
        if found:
            print(f"{OUT}: OUT OF DATE ({'; '.join(found[:5])}) - run python workbook/make_demo.py")
            return 1
        print(f"{OUT}: up to date")
        return 0
    print(f"wrote {build()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
