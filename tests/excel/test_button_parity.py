"""The button and the command line give the same figures for the same file (issue 16, item 3).

For each of the project's own test files - the sample data, the conftest's hostile export,
the CDNOW summary, and exports the tests build the way platforms write them - the file is
given to ``retention-xl report`` as it is, and its cells are given to the button's path
(``ribbon.build_kpi_report`` on the xlwings stand-in of test_ribbon.py, which offers only
``ribbon.XLWINGS_CALLS``) as Excel holds them after opening the file on Windows in a US
locale: numbers as float (15 significant digits, leading zeros gone), ``$`` amounts as
``decimal.Decimal`` (pywin32 hands currency-formatted cells over so), ISO and US
(m/d/yyyy) dates as datetime, TRUE/FALSE as bool, the classic error values as their text
and the newer ones as the COM int (what xlwings passes with ``err_to_str=True``), other
text as text. Formulas in a CSV are kept as their text (as when a column is imported as
Text); this test runs no formula engine.

Both give the same JSON, or both refuse with the same message. Files that Excel itself
alters (ids over 15 digits) are compared by the warning the report gives (SPEC, "JSON shapes").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import SAMPLE, write_hostile_csv
from test_ribbon import FakeApp, FakeBook, FakeSheet

from retention_xl import cli
from retention_xl.common import excel as xl
from retention_xl.excel import ribbon
from retention_xl.excel.cell_input import _DATE1904_CACHE

TODAY = dt.date(2026, 12, 1)
CDNOW_SUMMARY = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "cdnow_customers_summary_with_transactions.csv"

# --------------------------------------------------------------------------- what Excel holds

#: The seven error values xlwings turns into text with err_to_str=True; the others stay COM ints.
_XLWINGS_TEXT_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?\.\d+$")
_CURRENCY = re.compile(r"^(-)?\$(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$|^\(\$(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\)$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2}))?$")


def excel_cell(text: str) -> Any:
    """One CSV field as Excel (Windows, US locale) holds it, as xlwings hands it over."""
    t = text.strip()
    if not t:
        return None
    if t.upper() in ("TRUE", "FALSE"):
        return t.upper() == "TRUE"
    if t in xl.EXCEL_ERRORS:
        return t if t in _XLWINGS_TEXT_ERRORS or xl.com_error(t) is None else xl.com_error(t)
    if _NUMBER.match(t):
        return float(f"{float(t.replace(',', '')):.15g}")  # Excel keeps 15 significant digits
    m = _CURRENCY.match(t)
    if m:
        whole, frac = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
        sign = "-" if m.group(1) or m.group(4) else ""
        return Decimal(sign + whole.replace(",", "") + (frac or ""))  # a currency cell: Decimal on Windows
    m = _ISO.match(t)
    if m:
        try:
            return dt.datetime(*(int(g) for g in m.groups() if g is not None))
        except ValueError:
            return text
    m = _US.match(t)
    if m:
        try:
            return dt.datetime(int(m.group(3)), int(m.group(1)), int(m.group(2)),
                               int(m.group(4) or 0), int(m.group(5) or 0))
        except ValueError:  # 13/01/2024 is no US date: Excel keeps the text
            return text
    return text


def excel_opens_csv(path: Path) -> list[list[Any]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [[excel_cell(c) for c in row] for row in csv.reader(f)]


def excel_opens_xlsx(path: Path) -> list[list[Any]]:
    """A workbook's first sheet as xlwings hands it over (currency-formatted numbers as Decimal)."""
    ws = openpyxl.load_workbook(path, data_only=True).active
    out = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            v = c.value
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = Decimal(f"{v:.4f}") if "$" in (c.number_format or "") else float(v)
            cells.append(v)
        out.append(cells)
    return out


class BookWithApi(FakeBook):
    """The stand-in with ``Book.api`` (in ribbon.XLWINGS_CALLS): Excel's Date1904 property."""

    class _Api:
        def __init__(self, date1904: bool):
            self.Date1904 = date1904

    def __init__(self, *args: Any, date1904: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.api = self._Api(date1904)


# --------------------------------------------------------------------------- the two paths


def run_cli(path: Path, out: Path) -> tuple[dict | None, str]:
    import io

    err = io.StringIO()
    out.mkdir()
    code = cli.main(["report", str(path), "-o", str(out / "report.xlsx"), "--json", str(out / "kpis.json")],
                    stderr=err)
    if code != 0:
        return None, err.getvalue().strip().removeprefix("retention-xl: ")
    return json.loads((out / "kpis.json").read_text(encoding="utf-8")), ""


def run_button(cells: list[list[Any]], out: Path, name: str, date1904: bool = False) -> tuple[dict | None, str, Path | None]:
    out.mkdir()
    app = FakeApp()
    book = BookWithApi(name, str(out / name), [FakeSheet.from_rows("Orders", cells)], selection=(1, 1), app=app,
                       date1904=date1904)
    _DATE1904_CACHE.pop(str(out / name), None)
    report = ribbon.build_kpi_report(book, today=TODAY, open_report=False, json_out=out / "kpis.json",
                                     documents=out)
    if report is None:
        (alert,) = app.alerts
        return None, alert["prompt"], None
    assert app.alerts == [] and report.parent == out  # (tmp_path is a temp folder: Documents = out)
    return json.loads((out / "kpis.json").read_text(encoding="utf-8")), "", report


def _finding(message: str) -> str:
    """A refusal without where it happened (a file vs. a sheet) and without the advice for its tool."""
    body = re.sub(r'"[^"]*\.(?:csv|txt|tsv|xlsx|xlsm|xls)"(?:, sheet "[^"]*")?|sheet "[^"]*"', "<source>", message)
    return body.split(" Rename")[0].strip()  # the CLI and Excel word their advice differently (hint.*)


def assert_same(cli_json, cli_msg, button_json, button_msg):
    if cli_json is None or button_json is None:
        assert cli_json is None and button_json is None, f"only one refused: {cli_msg or button_msg}"
        assert _finding(cli_msg) == _finding(button_msg)
        assert "Traceback" not in button_msg
        return
    assert button_json == cli_json


def _sheet_text(path: Path, sheet: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


# --------------------------------------------------------------------------- test files


def _write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def us_pos_export(path: Path) -> Path:
    """A US point-of-sale export: m/d/yyyy dates, $ amounts (some negative refunds), e-mails as ids."""
    rows = [["Receipt", "Date", "Customer Email", "Total"]]
    for i in range(60):
        mail = ["Anna.K@Example.com", "anna.k@example.com", "bob@shop.com", "Carol@Shop.com", "carol@shop.com"][i % 5]
        day = dt.date(2024, 1 + i % 6, 1 + (i * 7) % 28)
        total = f"${(i * 37) % 400 + 5:,}.{i % 100:02d}" if i % 11 else f"(${i % 30 + 1}.00)"
        rows.append([f"R{1000 + i}", f"{day.month}/{day.day}/{day.year}", mail, total])
    return _write_rows(path, rows)


def errors_export(path: Path) -> Path:
    """Formulas that failed before the export: #N/A, #DIV/0!, #SPILL!, #CALC! cells among the amounts."""
    rows = [["Order ID", "Order Date", "Customer ID", "Amount"]]
    errors = ["#N/A", "#DIV/0!", "#SPILL!", "#CALC!", "#GETTING_DATA", "#VALUE!"]
    for i in range(40):
        amount = errors[i % len(errors)] if i % 7 == 3 else f"{10 + i}.5"
        rows.append([f"O{i}", f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}", f"{13600 + i % 9}", amount])
    return _write_rows(path, rows)


def shop_export_with_float_ids(path: Path) -> Path:
    """pandas-written ids ("13607.0"), thousands separators, TRUE/FALSE refunds, ISO times."""
    rows = [["Order ID", "Created at", "Customer ID", "Total", "Refunded"]]
    for i in range(50):
        rows.append([f"{5000 + i}", f"2024-{1 + i % 9:02d}-{1 + i % 25:02d} {i % 24:02d}:15:00",
                     f"{13600 + i % 13}.0" if i % 2 else f"{13600 + i % 13}", f"{1000 + i * 17:,}.25",
                     "TRUE" if i % 9 == 0 else "FALSE"])
    return _write_rows(path, rows)


def no_amount_export(path: Path) -> Path:
    return _write_rows(path, [["Order ID", "Order Date", "Customer ID"], ["A1", "2024-01-05", "C1"],
                              ["A2", "2024-02-05", "C2"]])


def taobao_export(path: Path) -> Path:
    """19-digit order numbers and buyer ids, as Taobao writes them: Excel keeps 15 digits of each."""
    rows = [["订单编号", "买家会员名", "订单付款时间", "实付金额"]]
    for i in range(30):
        rows.append([str(3_456_789_012_345_678_900 + i), str(2_200_000_000_000_000_000 + i % 7),
                     f"2024-{1 + i % 6:02d}-{1 + i % 28:02d} 10:00:00", f"{20 + i}.00"])
    return _write_rows(path, rows)


def mac_workbook(path: Path) -> Path:
    """A 1904-date-system workbook: serial numbers left as numbers, currency-formatted amounts."""
    wb = openpyxl.Workbook()
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Orders"
    ws.append(["Customer ID", "Order date", "Amount"])
    for i in range(40):
        ws.append([f"M{i % 8}", 43466.0 + i * 9, 12.5 + i])  # 43466 is 2023-01-02 in the 1904 system
        ws.cell(ws.max_row, 3).number_format = '"$"#,##0.00'
    wb.save(path)
    return path


CSV_FILES = {
    "sample_orders": lambda d: SAMPLE,
    "hostile": lambda d: write_hostile_csv(d / "hostile.csv"),
    "cdnow_summary": lambda d: CDNOW_SUMMARY,  # no order date: both refuse
    "us_pos": lambda d: us_pos_export(d / "pos.csv"),
    "errors": lambda d: errors_export(d / "errors.csv"),
    "float_ids": lambda d: shop_export_with_float_ids(d / "shop.csv"),
    "no_amount": lambda d: no_amount_export(d / "no_amount.csv"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CSV_FILES))
def test_button_gives_the_clis_figures_for_the_same_file(tmp_path, name):
    src = CSV_FILES[name](tmp_path)
    cli_json, cli_msg = run_cli(src, tmp_path / "cli")
    button_json, button_msg, _ = run_button(excel_opens_csv(src), tmp_path / "excel", src.stem + ".xlsx")
    if name == "us_pos" and cli_json is not None and button_json is not None:
        # Excel turns "$12.00" into the number 12 formatted as currency, and xlwings hands the button
        # the Decimal without its format: the file names USD, the cells do not. Every figure agrees;
        # only the report currency's name is lost (a known gap, see the closing note of issue 16/18).
        assert cli_json["currency"] == "USD" and button_json["currency"] is None
        for data in (cli_json, button_json):
            data["currency"] = data["reconciliation"]["currency"] = None
    assert_same(cli_json, cli_msg, button_json, button_msg)
    if name in ("cdnow_summary", "no_amount"):
        assert cli_json is None  # these are the refusals
    else:
        assert cli_json["rows"]["used"] > 0


def test_a_settings_serial_counts_in_the_workbooks_date_system():
    rows = [["Period end", 43465.0]]  # a date typed as a number
    assert ribbon.parse_settings(rows).period_end == dt.date(2018, 12, 31)
    assert ribbon.parse_settings(rows, date1904=True).period_end == dt.date(2023, 1, 1)


def test_the_stand_ins_cells_are_what_excel_holds(tmp_path):
    """The simulation itself: Decimal for $, datetimes for US dates, COM ints for new errors, 15 digits."""
    cells = excel_opens_csv(us_pos_export(tmp_path / "pos.csv"))
    assert cells[1][1] == dt.datetime(2024, 1, 1) and isinstance(cells[2][3], Decimal)
    assert excel_cell("13/01/2024") == "13/01/2024"  # no US date: Excel keeps the text
    assert excel_cell("($12.00)") == Decimal("-12.00")
    assert excel_cell("#SPILL!") == -2146826243 and excel_cell("#N/A") == "#N/A"
    assert excel_cell("3456789012345678901") == 3456789012345680000.0
    assert excel_cell("007") == 7.0


@pytest.mark.slow
def test_a_1904_workbook_gives_the_clis_figures(tmp_path):
    src = mac_workbook(tmp_path / "mac.xlsx")
    cli_json, cli_msg = run_cli(src, tmp_path / "cli")
    cells = excel_opens_xlsx(src)
    assert isinstance(cells[1][2], Decimal)  # the currency cells
    button_json, button_msg, _ = run_button(cells, tmp_path / "excel", "mac.xlsx", date1904=True)
    assert_same(cli_json, cli_msg, button_json, button_msg)
    assert cli_json["period"]["end"] == str(dt.date(2023, 1, 2) + dt.timedelta(days=39 * 9))


@pytest.mark.slow
@pytest.mark.parametrize("lang, words", [("en", "15 digits"), ("ru", "15 цифр"), ("zh", "15 位")])
def test_ids_excel_cut_to_15_digits_are_compared_by_the_warning(tmp_path, lang, words):
    """Excel has merged different 19-digit ids; the button cannot undo it, so the report says so."""
    src = taobao_export(tmp_path / "taobao.csv")
    cli_json, _ = run_cli(src, tmp_path / "cli")
    cells = excel_opens_csv(src)
    settings = FakeSheet.from_rows("Retention settings", [["Language", lang]])
    (tmp_path / "excel").mkdir()
    app = FakeApp()
    book = FakeBook("taobao.xlsx", str(tmp_path / "excel" / "taobao.xlsx"),
                    [FakeSheet.from_rows("Orders", cells), settings], selection=(1, 1), app=app)
    out = ribbon.build_kpi_report(book, today=TODAY, open_report=False, json_out=tmp_path / "excel" / "kpis.json",
                                  documents=tmp_path / "excel")
    assert app.alerts == [] and out.parent == tmp_path / "excel"
    button_json = json.loads((tmp_path / "excel" / "kpis.json").read_text(encoding="utf-8"))
    # Excel really did merge ids: the figures differ, which is why the report must warn
    assert button_json["orders"] < cli_json["orders"] == 30
    assert button_json["rows"] == cli_json["rows"]
    from retention_xl.render.labels import LABELS

    dash, meth = _sheet_text(out, LABELS[lang]["sheet.dashboard"]), _sheet_text(out, LABELS[lang]["sheet.methodology"])
    for text in (dash, meth):
        assert words in text and "retention-xl report" in text
    assert dash.count(words) == 2  # both id columns: the order numbers and the buyer ids
    # the file itself keeps the ids as text: the CLI's report has no such warning
    cli_dash = _sheet_text(tmp_path / "cli" / "report.xlsx", "Dashboard")
    assert "15 digits" not in cli_dash
