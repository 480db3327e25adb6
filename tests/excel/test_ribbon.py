"""The "Build KPI report" button's Python side, driven through a small Excel stand-in.

The stand-in offers only the xlwings calls listed in ``ribbon.XLWINGS_CALLS`` (one
test checks each exists on the pinned xlwings' classes, another that the stand-in
offers nothing more), behaves like Excel where it matters (current region, used
range, values as xlwings returns them with ``ndim=2``) and cannot be written to:
a write would raise, and the cells are compared before and after.
"""

from __future__ import annotations

import copy
import inspect
import json
import string
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from retention_xl.excel import ribbon
from retention_xl.errors import InputError
from retention_xl.settings import ReportSettings


pytestmark = pytest.mark.usefixtures("system_temp")  # conftest: the button's "temp" moved aside


# --------------------------------------------------------------------------- the stand-in


def _col_letter(c: int) -> str:
    out = ""
    while c:
        c, rem = divmod(c - 1, 26)
        out = string.ascii_uppercase[rem] + out
    return out


class FakeRange:
    """Rows r0..r1, columns c0..c1 (1-based, inclusive) of a FakeSheet. Read-only."""

    def __init__(self, sheet: "FakeSheet", r0: int, c0: int, r1: int, c1: int, ndim: int | None = None):
        self._sheet, self._box, self._ndim = sheet, (r0, c0, r1, c1), ndim

    @property
    def row(self) -> int:
        return self._box[0]

    @property
    def address(self) -> str:
        r0, c0, r1, c1 = self._box
        return f"${_col_letter(c0)}${r0}:${_col_letter(c1)}${r1}"

    @property
    def current_region(self) -> "FakeRange":
        """Excel's CurrentRegion: grow while any neighbouring cell (diagonals too) is filled."""
        r0, c0, r1, c1 = self._box
        filled = self._sheet._filled
        changed = True
        while changed:
            changed = False
            if r0 > 1 and any(filled(r0 - 1, c) for c in range(max(1, c0 - 1), c1 + 2)):
                r0, changed = r0 - 1, True
            if any(filled(r1 + 1, c) for c in range(max(1, c0 - 1), c1 + 2)):
                r1, changed = r1 + 1, True
            if c0 > 1 and any(filled(r, c0 - 1) for r in range(max(1, r0 - 1), r1 + 2)):
                c0, changed = c0 - 1, True
            if any(filled(r, c1 + 1) for r in range(max(1, r0 - 1), r1 + 2)):
                c1, changed = c1 + 1, True
        return FakeRange(self._sheet, r0, c0, r1, c1)

    def options(self, **options: Any) -> "FakeRange":
        unknown = set(options) - {"ndim", "err_to_str"}
        assert not unknown, f"stand-in does not emulate options {unknown}"
        return FakeRange(self._sheet, *self._box, ndim=options.get("ndim"))

    @property
    def value(self) -> Any:
        """Like xlwings: numbers arrive as float, dates as datetime, empty cells as None."""
        r0, c0, r1, c1 = self._box
        rows = [[_as_xlwings(self._sheet.cells.get((r, c))) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
        if self._ndim == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows if len(rows) > 1 and len(rows[0]) > 1 else [v for row in rows for v in row]


def _as_xlwings(v: Any) -> Any:
    """Numbers arrive as float; an error cell's COM int (#SPILL! ...) stays the int xlwings passes."""
    from retention_xl.common.excel import COM_ERRORS

    return float(v) if isinstance(v, int) and not isinstance(v, bool) and v not in COM_ERRORS else v


class FakeSheet:
    def __init__(self, name: str, cells: dict[tuple[int, int], Any] | None = None):
        self.name = name
        self.cells = cells or {}

    def _filled(self, r: int, c: int) -> bool:
        v = self.cells.get((r, c))
        return v is not None and v != ""

    @property
    def used_range(self) -> FakeRange:
        keys = [k for k in self.cells if self._filled(*k)]
        if not keys:
            return FakeRange(self, 1, 1, 1, 1)
        rows, cols = [k[0] for k in keys], [k[1] for k in keys]
        return FakeRange(self, min(rows), min(cols), max(rows), max(cols))

    @classmethod
    def from_rows(cls, name: str, rows: list[list[Any]], top: int = 1, left: int = 1) -> "FakeSheet":
        cells = {}
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is not None:
                    cells[(top + i, left + j)] = v
        return cls(name, cells)


class FakeSheets:
    def __init__(self, sheets: list[FakeSheet], active: int = 0):
        self._sheets, self._active = sheets, active

    @property
    def active(self) -> FakeSheet:
        return self._sheets[self._active]

    def __iter__(self):
        return iter(self._sheets)

    def __getitem__(self, name: str) -> FakeSheet:
        return next(s for s in self._sheets if s.name == name)


class FakeBooks:
    def __init__(self):
        self.opened: list[str] = []

    def open(self, fullname: str):
        self.opened.append(fullname)


class FakeApp:
    def __init__(self, status_bar: str | bool = False):
        self._status = status_bar
        self.status_history: list[str | bool] = []
        self.alerts: list[dict[str, Any]] = []
        self.books = FakeBooks()

    @property
    def status_bar(self):
        return self._status

    @status_bar.setter
    def status_bar(self, value):
        self._status = value
        self.status_history.append(value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})
        return "ok"


class FakeBook:
    def __init__(self, name: str, fullname: str, sheets: list[FakeSheet], selection: tuple[int, int] | None,
                 app: FakeApp | None = None, active: int = 0):
        self.name, self.fullname = name, fullname
        self.sheets = FakeSheets(sheets, active)
        self.app = app or FakeApp()
        self._selection = selection

    @property
    def selection(self) -> FakeRange | None:
        if self._selection is None:
            return None
        r, c = self._selection
        return FakeRange(self.sheets.active, r, c, r, c)


STAND_IN = {"Book": FakeBook, "Sheet": FakeSheet, "Range": FakeRange, "App": FakeApp, "Sheets": FakeSheets,
            "Books": FakeBooks}


# --------------------------------------------------------------------------- the protocol vs. xlwings


def test_every_xlwings_call_used_exists_in_the_pinned_xlwings():
    import xlwings
    import xlwings.main as xm

    assert xlwings.__version__.startswith("0.3")
    for cls, attr in ribbon.XLWINGS_CALLS:
        assert hasattr(getattr(xm, cls), attr), f"xlwings {xlwings.__version__}: {cls}.{attr} is gone"
    assert isinstance(inspect.getattr_static(xm.Book, "caller"), classmethod)
    alert = inspect.signature(xm.App.alert).parameters
    assert {"prompt", "title", "mode"} <= set(alert)
    assert "err_to_str" in inspect.getsource(xm.Range.options)  # option documented in this version
    status = inspect.getattr_static(xm.App, "status_bar")
    assert isinstance(status, property) and status.fset is not None


def test_the_stand_in_offers_only_what_the_protocol_lists():
    allowed: dict[str, set[str]] = {}
    for cls, attr in ribbon.XLWINGS_CALLS:
        allowed.setdefault(cls, set()).add(attr)
    allowed["Range"] |= {"options", "value"}
    for cls, fake in STAND_IN.items():
        public = {n for n in vars(fake) if not n.startswith("_") and n not in ("from_rows",)}
        public |= {n for n in ("__iter__", "__getitem__") if n in vars(fake)}
        instance_attrs = {"Book": {"name", "fullname", "sheets", "app"}, "Sheet": {"name"}, "App": {"books"}}
        assert public <= allowed.get(cls, set()), f"{cls} stand-in offers {public - allowed.get(cls, set())}"
        for attr in instance_attrs.get(cls, set()):
            assert attr in allowed[cls]


# --------------------------------------------------------------------------- reading the orders

ORDERS = [
    ["Order ID", "Order date", "Customer ID", "Amount"],
    ["A1", datetime(2024, 1, 5), "C1", 40.0],
    ["A2", datetime(2024, 2, 5), "C2", 25.0],
    ["A3", datetime(2024, 3, 5), "C1", 55.0],
]


def test_reads_the_current_region_around_the_selection_with_its_sheet_row():
    sheet = FakeSheet.from_rows("Orders", [["Exported from the shop on 2024-06-01"], [], *ORDERS], top=2, left=2)
    sheet.cells[(20, 10)] = "a note far away"  # outside the region: not read
    book = FakeBook("shop.xlsx", "/data/shop.xlsx", [sheet], selection=(6, 3))
    got_sheet, values, first_row, address = ribbon.read_source(book)
    assert got_sheet is sheet
    assert values == ORDERS
    assert first_row == 4  # the header's sheet row: title on row 2, blank row 3
    assert address == "$B$4:$E$7"


def test_an_empty_selected_cell_falls_back_to_the_used_range():
    sheet = FakeSheet.from_rows("Orders", ORDERS, top=3, left=1)
    book = FakeBook("shop.xlsx", "/data/shop.xlsx", [sheet], selection=(30, 30))
    _, values, first_row, _ = ribbon.read_source(book)
    assert values == ORDERS and first_row == 3


def test_a_sheet_without_orders_is_a_plain_message():
    book = FakeBook("Book1", "Book1", [FakeSheet("Sheet1")], selection=(1, 1))
    with pytest.raises(InputError, match='sheet "Sheet1" has no orders'):
        ribbon.read_source(book)


# --------------------------------------------------------------------------- settings sheet


def test_no_settings_sheet_means_defaults():
    book = FakeBook("b.xlsx", "/d/b.xlsx", [FakeSheet.from_rows("Orders", ORDERS)], selection=(1, 1))
    assert ribbon.read_settings(book) == ReportSettings()


@pytest.mark.parametrize(
    "sheet_name, rows",
    [
        ("Retention settings", [["Setting", "Value"], ["Period start", datetime(2023, 12, 31)],
                                ["Period end", "2024-06-30"], ["Activity window (days)", 180.0],
                                ["Industry", "retail"], ["Language", "Русский"]]),
        ("Настройки", [["Начало периода:", "31.12.2023"], ["Конец периода", 45473.0],
                       ["Окно активности", "180"], ["Отрасль", "retail"], ["Язык", "ru"]]),
        ("设置", [["开始日期", "2023/12/31"], ["结束日期", "2024年6月30日"], ["活跃天数", 180],
                 ["行业", "retail"], ["语言", "ru"]]),
    ],
)
def test_settings_sheet_in_three_languages(sheet_name, rows):
    book = FakeBook("b.xlsx", "/d/b.xlsx", [FakeSheet.from_rows("Orders", ORDERS), FakeSheet.from_rows(sheet_name, rows)],
                    selection=(1, 1))
    s = ribbon.read_settings(book)
    assert (s.period_start, s.period_end, s.active_days, s.industry, s.lang) == (
        date(2023, 12, 31), date(2024, 6, 30), 180, "retail", "ru")


def test_empty_setting_values_keep_defaults_and_unknown_rows_are_ignored():
    s = ribbon.parse_settings([["Period end", None], ["Colour", "blue"], ["Language", ""], [None, 5]])
    assert s == ReportSettings()


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["Period end", "31.13.2024"]], r'setting "Period end": \'31.13.2024\' is not a date'),
        ([["Activity window (days)", "a year"]], "not a whole number of days"),
        ([["Language", "de"]], "use en, ru or zh"),
        ([["Period start", "2024-06-30"], ["Period end", "2024-01-01"]], "must be before the period end"),
    ],
)
def test_bad_settings_are_plain_messages_naming_sheet_and_setting(rows, message):
    with pytest.raises(InputError, match=message) as err:
        ribbon.parse_settings(rows, sheet_name="Retention settings")
    assert 'Sheet "Retention settings"' in str(err.value)


# --------------------------------------------------------------------------- where the report goes


def test_report_goes_beside_the_saved_book_and_never_overwrites(tmp_path):
    book = FakeBook("shop orders.xlsx", str(tmp_path / "shop orders.xlsx"), [FakeSheet("Orders")], None)
    first = ribbon.report_path(book, today=date(2024, 7, 1))
    assert first == tmp_path / "shop orders KPI report 2024-07-01.xlsx"
    first.write_bytes(b"x")
    second = ribbon.report_path(book, today=date(2024, 7, 1))
    assert second.name == "shop orders KPI report 2024-07-01 (2).xlsx"
    second.write_bytes(b"x")
    assert ribbon.report_path(book, today=date(2024, 7, 1)).name.endswith("(3).xlsx")


@pytest.mark.parametrize("fullname", ["Book1", "https://d.docs.live.net/abc/shop.xlsx"])
def test_unsaved_or_online_books_report_into_documents(tmp_path, fullname):
    book = FakeBook(fullname.rsplit("/", 1)[-1], fullname, [FakeSheet("Orders")], None)
    out = ribbon.report_path(book, today=date(2024, 7, 1), documents=tmp_path / "Documents")
    assert out.parent == tmp_path / "Documents"
    assert out.name.endswith("KPI report 2024-07-01.xlsx")


@pytest.mark.parametrize("where", ["system-temp/xl", "AppData/Local/Microsoft/Windows/INetCache/Content.Outlook/X1"])
def test_a_book_opened_from_a_temporary_folder_reports_into_documents(tmp_path, where):
    (tmp_path / where).mkdir(parents=True)
    book = FakeBook("a.xlsx", str(tmp_path / where / "a.xlsx"), [FakeSheet("Orders")], None)
    out = ribbon.report_path(book, today=date(2024, 7, 1), documents=tmp_path / "Documents")
    assert out.parent == tmp_path / "Documents"  # an e-mail attachment's folder would lose the report


# --------------------------------------------------------------------------- the whole click, failure paths


def _book(tmp_path: Path, rows: list[list[Any]], app: FakeApp | None = None) -> FakeBook:
    return FakeBook("shop.xlsx", str(tmp_path / "shop.xlsx"), [FakeSheet.from_rows("Orders", rows)],
                    selection=(2, 2), app=app)


def test_a_sheet_without_a_customer_column_ends_in_the_clis_plain_message(tmp_path):
    from retention_xl.read import orders

    rows = [["Order date", "Amount"], [datetime(2024, 1, 5), 40.0], [datetime(2024, 2, 5), 25.0]]
    with pytest.raises(InputError) as cli_error:  # what the CLI would print for the same cells
        orders.read_values(copy.deepcopy(rows), sheet="Orders", first_row=1)
    app = FakeApp(status_bar="Ready to go")
    book = _book(tmp_path, rows, app)
    before = copy.deepcopy(book.sheets.active.cells)
    assert ribbon.build_kpi_report(book, today=date(2024, 7, 1)) is None
    assert [a["prompt"] for a in app.alerts] == [ribbon.for_excel(cli_error.value.message)]
    assert str(cli_error.value).split(" Rename")[0] in app.alerts[0]["prompt"]
    assert "customer" in app.alerts[0]["prompt"].lower()
    assert "Traceback" not in app.alerts[0]["prompt"]
    assert app.status_bar == "Ready to go"  # restored
    assert book.sheets.active.cells == before
    assert [p.name for p in tmp_path.iterdir()] == ["system-temp"]  # nothing written


def test_an_unexpected_error_is_a_message_box_not_a_traceback(tmp_path, monkeypatch, system_temp):
    from retention_xl.read import orders

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(orders, "read_values", boom)
    app = FakeApp()
    assert ribbon.build_kpi_report(_book(tmp_path / "src", ORDERS, app), today=date(2024, 7, 1),
                                   documents=tmp_path / "docs") is None
    (alert,) = app.alerts
    assert "unexpected problem" in alert["prompt"] and "ZeroDivisionError" in alert["prompt"]
    assert "Traceback" not in alert["prompt"] and 'File "' not in alert["prompt"]
    assert "Traceback" in (system_temp / "retention_xl_error.log").read_text()  # for support, not for the user
    assert app.status_bar is False


def test_main_is_the_entry_point_and_uses_book_caller(monkeypatch):
    import xlwings as xw

    seen = []
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: "the calling book"))
    monkeypatch.setattr(ribbon, "build_kpi_report", lambda book, **kw: seen.append(book))
    ribbon.main()
    assert seen == ["the calling book"]


# --------------------------------------------------------------------------- same engine as the CLI

SAMPLE = Path(__file__).resolve().parents[2] / "retention_xl" / "data" / "sample_orders.csv"


def pasted_orders(n: int = 400) -> list[list[Any]]:
    """The first n sample orders as Excel cells, plus rows a real export has: no customer, bad date, no amount."""
    import csv

    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[: n + 1]
    header = rows[0]
    kinds = {"Order Date": "date", "Quantity": "num", "Unit Price": "num", "Amount": "num", "NPS": "num"}
    out: list[list[Any]] = [header]
    for row in rows[1:]:
        cells: list[Any] = []
        for name, text in zip(header, row):
            kind = kinds.get(name)
            if text == "":
                cells.append(None)
            elif kind == "date":
                cells.append(datetime.strptime(text, "%Y-%m-%d"))
            elif kind == "num":
                cells.append(float(text))
            else:
                cells.append(text)
        out.append(cells)
    col = {name: i for i, name in enumerate(header)}
    no_customer = list(out[5]); no_customer[col["Customer ID"]] = None
    bad_date = list(out[8]); bad_date[col["Order Date"]] = "unknown"
    formula_text = list(out[12]); formula_text[col["Customer Name"]] = "=HYPERLINK(\"http://x\")"
    out[6:6] = [no_customer]
    out[10:10] = [bad_date]
    out[14:14] = [formula_text]
    return out


def _sheet_values(path: Path) -> dict[str, list[list[Any]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_button_builds_the_same_report_and_json_as_the_cli(tmp_path, monkeypatch):
    import openpyxl

    from retention_xl import cli, render as writer

    from retention_xl.read import orders

    class Clock(datetime):
        """Both reports print the minute they were made; runs straddling a minute must not differ."""

        @classmethod
        def now(cls, tz=None):
            return cls(2024, 7, 1, 9, 30)

    monkeypatch.setattr(writer, "datetime", Clock)
    rows = pasted_orders()
    # the CLI reads the same cells from a saved file
    (tmp_path / "cli").mkdir()
    src = tmp_path / "cli" / "shop.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Orders"
    for row in rows:
        wb.active.append(row)
    for row in wb.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # pasted text, as in the Excel sheet - not a formula
    wb.save(src)
    cli_out, cli_json = tmp_path / "cli" / "report.xlsx", tmp_path / "cli" / "kpis.json"
    assert cli.main(["report", str(src), "-o", str(cli_out), "--json", str(cli_json)]) == 0

    # the button, on the same cells pasted into the active sheet of a saved workbook
    (tmp_path / "excel").mkdir()
    app = FakeApp(status_bar=False)
    sheet = FakeSheet.from_rows("Orders", rows)
    book = FakeBook("shop.xlsx", str(tmp_path / "excel" / "shop.xlsx"), [sheet], selection=(20, 3), app=app)
    before = copy.deepcopy(sheet.cells)
    out = ribbon.build_kpi_report(book, today=date(2024, 7, 1), json_out=tmp_path / "excel" / "kpis.json")

    assert app.alerts == []
    assert out == tmp_path / "excel" / "shop KPI report 2024-07-01.xlsx"
    assert app.books.opened == [str(out)]
    assert sheet.cells == before  # the user's sheet is untouched
    assert sorted(p.name for p in (tmp_path / "excel").iterdir()) == ["kpis.json", out.name]

    figures = json.loads((tmp_path / "excel" / "kpis.json").read_text(encoding="utf-8"))
    assert figures == json.loads(cli_json.read_text(encoding="utf-8"))
    assert figures["rows"]["skipped"] >= 2
    assert figures["rows"]["read"] == figures["rows"]["used"] + figures["rows"]["skipped"] == len(rows) - 1

    ours, theirs = _sheet_values(out), _sheet_values(cli_out)
    assert list(ours) == list(theirs)
    # How the input was read is noted differently (a file vs. a range); everything else is identical.
    notes = set(orders.read_orders(src).notes) | {n for n in orders.read_values(rows, sheet="Orders").notes}
    notes.add(f"cells $A$1:$L${len(rows)} of shop.xlsx")
    for name in ours:
        a = [r for r in ours[name] if not (r and r[0] in notes)]
        b = [r for r in theirs[name] if not (r and r[0] in notes)]
        assert a == b, f"sheet {name} differs"
    # progress went to the status bar, and the status bar was given back
    assert any("calculating" in str(s) for s in app.status_history)
    assert app.status_bar is False


def test_skipped_rows_are_listed_with_their_sheet_row_numbers(tmp_path):
    rows = pasted_orders(60)
    title = [["Order export, June"], [None]]
    sheet = FakeSheet.from_rows("Orders", title + rows, top=3, left=2)  # header on sheet row 5
    app = FakeApp()
    book = FakeBook("shop.xlsx", str(tmp_path / "shop.xlsx"), [sheet], selection=(9, 4), app=app)
    out = ribbon.build_kpi_report(book, today=date(2024, 7, 1), open_report=False)
    assert app.alerts == [] and app.books.opened == []
    issues = _sheet_values(out)["Data issues"]
    start = next(i for i, r in enumerate(issues) if r[0] == "Row")
    listed = {r[0]: r[1] for r in issues[start + 1:] if isinstance(r[0], int)}
    # rows[6] and rows[10] are the bad ones; the header (rows[0]) is on sheet row 5
    assert listed == {5 + 6: "no customer id", 5 + 10: "date not readable: 'unknown'"}


def test_a_missing_amount_column_is_the_same_message_as_the_cli(tmp_path, capsys):
    import openpyxl

    from retention_xl import cli

    rows = [[r[0], r[1], r[2]] for r in pasted_orders(20)]  # order id, date, customer: no amount
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "no_amount.xlsx")
    assert cli.main(["report", str(tmp_path / "no_amount.xlsx"), "-o", str(tmp_path / "r.xlsx")]) != 0
    cli_message = capsys.readouterr().err.strip()

    app = FakeApp(status_bar="Ready")
    book = FakeBook("no_amount.xlsx", str(tmp_path / "no_amount.xlsx"), [FakeSheet.from_rows("Sheet", rows)],
                    selection=(1, 1), app=app)
    assert ribbon.build_kpi_report(book, today=date(2024, 7, 1)) is None
    (alert,) = app.alerts
    message = alert["prompt"]
    # the same finding, in the same words, as the command line
    core = 'no amount (or quantity and unit price) column found. Headers seen: "Order ID", "Order Date", "Customer ID".'
    assert core in message and core in cli_message
    # ...without advice that only works on a command line
    assert "--amount-col" in cli_message and "--" not in message
    assert "Rename that column's header in your sheet" in message
    assert app.status_bar == "Ready"


def test_without_a_calling_workbook_the_exit_message_is_one_plain_line(monkeypatch, capsys):
    import xlwings as xw

    def no_caller(cls):
        raise KeyError("book1.xlsx")

    monkeypatch.setattr(xw.Book, "caller", classmethod(no_caller))
    with pytest.raises(SystemExit) as exit_:
        ribbon.main()
    message = str(exit_.value.code)
    assert "workbook" in message and "Traceback" not in message and "\n" not in message


def test_a_report_that_excel_cannot_open_is_still_reported_with_its_path(tmp_path):
    class RefusingBooks(FakeBooks):
        def open(self, fullname):
            raise RuntimeError("Excel is busy")

    app = FakeApp()
    app.books = RefusingBooks()
    book = FakeBook("shop.xlsx", str(tmp_path / "shop.xlsx"), [FakeSheet.from_rows("Orders", pasted_orders(30))],
                    selection=(2, 2), app=app)
    out = ribbon.build_kpi_report(book, today=date(2024, 7, 1))
    assert out is not None and out.is_file()
    (alert,) = app.alerts
    assert str(out) in alert["prompt"] and "Traceback" not in alert["prompt"]


def test_documents_is_the_folder_windows_calls_documents(tmp_path, monkeypatch):
    """With OneDrive backing up Documents (the default on new Windows 11 PCs, and common in companies)
    the folder is %USERPROFILE%\\OneDrive\\Documents and %USERPROFILE%\\Documents does not exist;
    a report for an unsaved book must still land in Documents, not loose in the profile folder."""
    import sys

    if sys.platform != "win32":
        assert ribbon._windows_documents() is None  # no registry: never an exception
    home = tmp_path / "ana"
    onedrive_docs = home / "OneDrive" / "Documents"
    onedrive_docs.mkdir(parents=True)
    monkeypatch.setattr(ribbon.Path, "home", classmethod(lambda cls: home))
    monkeypatch.setattr(ribbon.sys, "platform", "win32")
    monkeypatch.setattr(ribbon, "_windows_documents", lambda: onedrive_docs)
    assert ribbon.documents_folder() == onedrive_docs
    book = FakeBook("Book1", "Book1", [FakeSheet("Orders")], None)
    assert ribbon.report_path(book, today=date(2024, 7, 1)).parent == onedrive_docs
    # the shell cannot tell (or names a folder that is gone): the usual places, as before
    monkeypatch.setattr(ribbon, "_windows_documents", lambda: None)
    assert ribbon.documents_folder() == home
    (home / "Documents").mkdir()
    assert ribbon.documents_folder() == home / "Documents"
    monkeypatch.setattr(ribbon, "_windows_documents", lambda: home / "gone")
    assert ribbon.documents_folder() == home / "Documents"


def test_xlwings_running_text_is_not_put_back_in_the_status_bar(tmp_path):
    """On a Mac the status bar already says xlwings' "Running..." when Python starts; restoring
    that would leave it there after the report is done (issue 9, item 7)."""
    from oletools.olevba import VBA_Parser

    from retention_xl.excel.addin import template_path

    parser = VBA_Parser(str(template_path()))
    try:
        vba_code = "".join(code for _, _, _, code in parser.extract_macros())
    finally:
        parser.close()
    assert f'Application.StatusBar = "{ribbon.XLWINGS_RUNNING}"' in vba_code  # the text xlwings really sets
    app = FakeApp(status_bar=ribbon.XLWINGS_RUNNING)
    assert ribbon.build_kpi_report(_book(tmp_path, ORDERS, app), today=date(2024, 7, 1), open_report=False)
    assert app.status_bar is False
