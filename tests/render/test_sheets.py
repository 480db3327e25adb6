"""Issue 19: a workbook with one sheet per month is one report, not a report of January.

Workbooks are written with openpyxl and read back through the real reader and CLI; the
button goes through the Excel stand-in of test_ribbon. Expected figures are counted here
from the rows written.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from retention_xl import cli
from retention_xl.excel import ribbon
from retention_xl.read.orders import read_orders
from retention_xl.render.labels import text
from test_ribbon import FakeApp, FakeBook, FakeSheet

EN = ["Order ID", "Order date", "Customer ID", "Amount"]
RU = ["Сумма", "Клиент", "Номер заказа", "Дата заказа"]  # same roles, other words and order
ZH = ["下单日期", "订单号", "金额", "客户ID"]

pytestmark = pytest.mark.usefixtures("system_temp")  # conftest: the button's "temp" moved aside


def month_rows(month: int, n: int = 10, bad: int | None = None) -> list[list]:
    """n orders of 2024-<month>: order id, date, customer, amount (row `bad` has no customer)."""
    rows = []
    for i in range(n):
        cust = None if bad == i else f"C{(month * 3 + i) % 7 + 1}"
        rows.append([f"{month:02d}-{i + 1}", datetime(2024, month, 1 + i * 2), cust, 10.0 * month + i])
    return rows


def _reorder(rows: list[list], header: list[str]) -> list[list]:
    """Rows (order id, date, customer, amount) in the column order of a ru/zh header."""
    role = {"Order ID": 0, "Order date": 1, "Customer ID": 2, "Amount": 3, "Сумма": 3, "Клиент": 2,
            "Номер заказа": 0, "Дата заказа": 1, "下单日期": 1, "订单号": 0, "金额": 3, "客户ID": 2}
    return [[r[role[h]] for h in header] for r in rows]


def workbook(path: Path, sheets: list[tuple[str, list[str], list[list]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, header, rows in sheets:
        ws = wb.create_sheet(name)
        ws.append(header)
        for r in (rows if header == EN or header[0] not in RU + ZH else _reorder(rows, header)):
            ws.append(r)
    wb.save(path)
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def report(tmp_path: Path, src: Path, *extra: str) -> tuple[dict, str, Path]:
    out = tmp_path / "r.xlsx"
    code, stdout, err = run("report", str(src), "-o", str(out), "--json", str(tmp_path / "r.json"), *extra)
    assert code == 0, err
    return json.loads((tmp_path / "r.json").read_text(encoding="utf-8")), stdout, out


def sheet_texts(path: Path, title: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[title]
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


MONTHS = [("Jan", EN, month_rows(1)), ("Feb", EN, month_rows(2)), ("Mar", EN, month_rows(3))]


def test_three_monthly_sheets_without_the_option_say_that_two_are_not_read(tmp_path):
    data, stdout, out = report(tmp_path, workbook(tmp_path / "shop.xlsx", MONTHS))
    assert data["orders"] == 10 and data["rows"]["read"] == 10  # January only, as before
    lines = [ln for ln in stdout.splitlines() if "--all-sheets" in ln]
    assert len(lines) == 1 and "“Feb”, “Mar”" in lines[0]
    assert any("“Feb”, “Mar”" in t and "--all-sheets" in t for t in sheet_texts(out, "Dashboard"))
    assert any('"Feb", "Mar"' in t and "--all-sheets" in t for t in sheet_texts(out, "Methodology"))


def test_three_monthly_sheets_with_the_option_are_one_report(tmp_path):
    data, stdout, out = report(tmp_path, workbook(tmp_path / "shop.xlsx", MONTHS), "--all-sheets")
    rows = [r for _, _, rs in MONTHS for r in rs]
    assert data["orders"] == 30 and data["rows"] == {"read": 30, "used": 30, "skipped": 0}
    assert data["revenue"] == pytest.approx(sum(r[3] for r in rows))
    assert data["customers"] == len({r[2] for r in rows})
    assert "--all-sheets" not in stdout
    assert any('"Jan", "Feb", "Mar"' in t for t in sheet_texts(out, "Methodology"))


def test_monthly_sheets_plus_a_summary_sheet(tmp_path):
    summary = ("Summary", ["Month", "Orders", "Revenue"], [["Jan", 10, 145.0], ["Feb", 10, 245.0]])
    src = workbook(tmp_path / "shop.xlsx", MONTHS + [summary])
    read = read_orders(src)
    assert read.other_sheets == ["Feb", "Mar"]  # the summary is no order table
    read = read_orders(src, all_sheets=True)
    assert read.sheets == ["Jan", "Feb", "Mar"] and len(read.orders) == 30
    assert read.orders.groupby("sheet").size().to_dict() == {"Jan": 10, "Feb": 10, "Mar": 10}


def test_a_backup_copy_is_named_and_read_once(tmp_path):
    sheets = MONTHS[:2] + [("Jan (2)", EN, month_rows(1))]
    src = workbook(tmp_path / "shop.xlsx", sheets)
    read = read_orders(src)
    assert read.other_sheets == ["Feb"] and read.backup_sheets == {"Jan (2)": "Jan"}
    data, stdout, out = report(tmp_path, src, "--all-sheets")
    assert data["orders"] == 20 and data["rows"]["read"] == 20  # not 30: the copy is read once
    assert any('"Jan (2)"' in t and '"Jan"' in t and "backup" in t for t in sheet_texts(out, "Methodology"))


def test_sheets_with_headers_in_other_languages_but_the_same_roles(tmp_path):
    sheets = [("Jan", EN, month_rows(1)), ("Февраль", RU, month_rows(2, bad=3)), ("三月", ZH, month_rows(3))]
    src = workbook(tmp_path / "shop.xlsx", sheets)
    data, stdout, out = report(tmp_path, src, "--all-sheets")
    good = [r for _, _, rs in sheets for r in rs if r[2] is not None]
    assert data["rows"] == {"read": 30, "used": 29, "skipped": 1}
    assert data["orders"] == 29 and data["revenue"] == pytest.approx(sum(r[3] for r in good))
    # Data issues names the sheet and the sheet's own row number (header on row 1, bad = 4th data row)
    ws = openpyxl.load_workbook(out)["Data issues"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[:2] == ["Sheet", "Row"])
    assert [r[:3] for r in rows[start + 1:] if r[0]] == [["Февраль", 5, "no customer id"]]


def test_order_ids_made_from_row_numbers_do_not_merge_across_sheets(tmp_path):
    head = ["Order date", "Customer ID", "Amount"]  # no order column: each row is an order
    sheets = [(n, head, [[r[1], r[2], r[3]] for r in rs]) for n, _, rs in MONTHS]
    data, _, _ = report(tmp_path, workbook(tmp_path / "shop.xlsx", sheets), "--all-sheets")
    assert data["orders"] == 30


# ---------------------------------------------------------------- the button



def _book(tmp_path: Path, sheets: list[tuple[str, list[str], list[list]]], settings: list[list] | None = None):
    fake = [FakeSheet.from_rows(name, [header] + (rows if header == EN else _reorder(rows, header)))
            for name, header, rows in sheets]
    if settings is not None:
        fake.append(FakeSheet.from_rows("Retention settings", settings))
    app = FakeApp()
    return FakeBook("shop.xlsx", str(tmp_path / "shop.xlsx"), fake, selection=(2, 2), app=app), app


def test_the_button_says_which_other_sheets_hold_orders(tmp_path):
    book, app = _book(tmp_path, MONTHS)
    out = ribbon.build_kpi_report(book, today=date(2024, 7, 1), open_report=False, json_out=tmp_path / "k.json")
    assert out is not None
    assert json.loads((tmp_path / "k.json").read_text())["orders"] == 10  # the clicked table
    (alert,) = app.alerts
    assert "“Feb”, “Mar”" in alert["prompt"] and "All sheets: yes" in alert["prompt"]
    assert any("“Feb”, “Mar”" in t for t in sheet_texts(out, "Dashboard"))


def test_the_settings_sheet_asks_for_all_sheets_currency_and_rates(tmp_path):
    jan = [r[:3] + [f"{r[3]:g} ₽"] for r in month_rows(1)]
    feb = [r[:3] + [f"${r[3]:g}"] for r in month_rows(2)]
    rates = FakeSheet.from_rows("Rates", [["currency", "rate"], ["USD", 90.0]])
    settings = [["Setting", "Value"], ["All sheets", "yes"], ["Currency", "RUB"], ["Exchange rates", "Rates"]]
    book, app = _book(tmp_path, [("Jan", EN, jan), ("Feb", EN, feb), ("Jan (copy)", EN, jan)], settings)
    book.sheets._sheets.append(rates)
    out = ribbon.build_kpi_report(book, today=date(2024, 7, 1), open_report=False, json_out=tmp_path / "k.json")
    assert out is not None, app.alerts
    data = json.loads((tmp_path / "k.json").read_text())
    assert data["orders"] == 20 and data["currency"] == "RUB" and data["other_currencies"] == {}
    assert data["revenue"] == pytest.approx(sum(r[3] for r in month_rows(1)) + 90 * sum(r[3] for r in month_rows(2)))
    assert app.alerts == []  # nothing left out: no notice
    assert any('"Jan (copy)"' in t for t in sheet_texts(out, "Methodology"))


def test_settings_in_russian_and_a_bad_currency(tmp_path):
    s = ribbon.parse_settings([["Все листы", "да"], ["Валюта", "cny"]])
    assert s.all_sheets is True and s.currency == "CNY"
    from retention_xl.errors import InputError

    with pytest.raises(InputError, match='setting "Currency".*"rubles" is not a currency code'):
        ribbon.parse_settings([["Currency", "rubles"]])
    assert text("ru", "notice.all_sheets_any")  # worded in every language
