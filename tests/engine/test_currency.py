"""Issue 18: orders in more than one currency never add roubles to dollars.

Every expected figure is computed here by hand from the rows written (a currency
column, signs in the amounts, both mixed), independently of the engine.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from retention_xl import cli
from retention_xl.engine import currency as money
from retention_xl.errors import InputError
from retention_xl.read.cells import parse_numbers
from retention_xl.read.orders import read_orders
from retention_xl.read.rates import read_rates
from retention_xl.render.labels import text

# (order id, date, customer, amount, currency): 3 USD rows, 2 RUB, 1 CNY
ROWS = [
    ("O1", "2024-01-05", "A", 100.0, "USD"),
    ("O2", "2024-01-10", "B", 9000.0, "RUB"),
    ("O3", "2024-02-01", "A", 50.0, "USD"),
    ("O4", "2024-02-15", "C", 700.0, "CNY"),
    ("O5", "2024-03-01", "B", 4500.0, "RUB"),
    ("O6", "2024-03-03", "D", 20.0, "USD"),
]
SIGNED = {"O1": "$100.00", "O2": "9 000 ₽", "O3": "$50", "O4": "¥700", "O5": "4 500 руб.", "O6": "USD 20"}


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header] + rows)
    return path


def column_csv(path: Path) -> Path:
    return _write(path, ["Order ID", "Order Date", "Customer ID", "Amount", "Currency"],
                  [[o, d, c, f"{a:g}", cur] for o, d, c, a, cur in ROWS])


def signs_csv(path: Path) -> Path:
    return _write(path, ["Order ID", "Order Date", "Customer ID", "Amount"],
                  [[o, d, c, SIGNED[o]] for o, d, c, a, cur in ROWS])


def mixed_csv(path: Path) -> Path:
    """A currency column filled on some rows; the others carry the sign in the amount."""
    rows = []
    for i, (o, d, c, a, cur) in enumerate(ROWS):
        rows.append([o, d, c, SIGNED[o] if i % 2 else f"{a:g}", "" if i % 2 else cur])
    return _write(path, ["Order ID", "Order Date", "Customer ID", "Amount", "Валюта"], rows)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def expected(rates: dict | None = None) -> dict:
    """The figures by hand: USD rows are money; others only with a rate (per month or for all months)."""
    usd = [r for r in ROWS if r[4] == "USD"]
    revenue, priced_orders = sum(r[3] for r in usd), len(usd)
    other: dict[str, float] = {}
    for o, d, c, a, cur in ROWS:
        if cur == "USD":
            continue
        rate = None
        if rates and cur in rates:
            rate = rates[cur].get(d[:7], rates[cur].get(None))
        if rate is None:
            other[cur] = other.get(cur, 0.0) + a
        else:
            revenue += a * rate
            priced_orders += 1
    return {"revenue": revenue, "aov": revenue / priced_orders, "other": other, "orders": len(ROWS),
            "customers": len({r[2] for r in ROWS})}


def _json(tmp_path: Path, src: Path, *extra: str) -> dict:
    out = tmp_path / "r.xlsx"
    code, stdout, err = run("report", str(src), "-o", str(out), "--json", str(tmp_path / "r.json"), *extra)
    assert code == 0, err
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    data["_stdout"] = stdout
    return data


# ---------------------------------------------------------------- the reader keeps the currency


@pytest.mark.parametrize("text_, value, code", [
    ("$1,234.50", 1234.5, "USD"), ("1 200 ₽", 1200.0, "RUB"), ("¥88", 88.0, "CNY"), ("USD 12", 12.0, "USD"),
    ("12 руб.", 12.0, "RUB"), ("€5,50", 5.5, "EUR"), ("100 円", 100.0, "JPY"), ("42", 42.0, ""),
])
def test_the_amount_parser_returns_the_currency_it_saw(text_, value, code):
    r = parse_numbers(pd.Series([text_, "7"], dtype=object))
    assert r.values[0] == pytest.approx(value)
    assert (r.currency[0] if r.currency is not None else "") == code


def test_a_bare_yen_sign_is_yuan_unless_the_data_or_the_setting_says_yen():
    assert parse_numbers(pd.Series(["¥88", "¥5"], dtype=object)).currency.tolist() == ["CNY", "CNY"]
    assert parse_numbers(pd.Series(["¥88", "JPY 5"], dtype=object)).currency.tolist() == ["JPY", "JPY"]
    assert parse_numbers(pd.Series(["¥88"], dtype=object), yen="JPY").currency.tolist() == ["JPY"]


@pytest.mark.parametrize("make", [column_csv, signs_csv, mixed_csv])
def test_every_row_keeps_its_currency(tmp_path, make):
    read = read_orders(make(tmp_path / "o.csv"))
    assert read.orders["currency"].tolist() == [r[4] for r in ROWS]
    assert read.orders["amount"].tolist() == [r[3] for r in ROWS]


def test_a_file_without_currency_has_an_empty_currency_column(tmp_path):
    src = _write(tmp_path / "o.csv", ["Order ID", "Order Date", "Customer ID", "Amount"],
                 [[o, d, c, f"{a:g}"] for o, d, c, a, cur in ROWS])
    read = read_orders(src)
    assert read.orders["currency"].tolist() == [""] * len(ROWS)
    assert money.prepare(read.orders).currency is None


# ---------------------------------------------------------------- money figures never mix


@pytest.mark.parametrize("make", [column_csv, signs_csv, mixed_csv])
def test_without_rates_other_currencies_count_as_orders_not_as_money(tmp_path, make):
    data = _json(tmp_path, make(tmp_path / "o.csv"))
    exp = expected()
    assert data["currency"] == "USD"  # the currency of the most rows
    assert data["revenue"] == pytest.approx(exp["revenue"])  # 170, not 14,370
    assert data["aov"] == pytest.approx(exp["aov"])
    assert data["orders"] == exp["orders"] and data["customers"] == exp["customers"]
    assert data["repeat_purchase_rate"] == pytest.approx(0.5)  # A and B ordered twice, whatever the currency
    assert data["other_currencies"] == pytest.approx(exp["other"])
    # the command line says so, with the amounts and how to add rates
    assert "13,500.00 RUB" in data["_stdout"] and "700.00 CNY" in data["_stdout"] and "--rates" in data["_stdout"]


def test_customers_table_and_rfm_money_leave_out_unconverted_amounts(tmp_path):
    read = read_orders(column_csv(tmp_path / "o.csv"))
    from retention_xl.engine.kpi import build_kpis
    from retention_xl.settings import ReportSettings

    prepared = money.prepare(read.orders)
    rep = build_kpis(prepared.orders, ReportSettings(), rows_read=read.rows_read, rows_skipped=0)
    table = rep.customers_table.set_index("customer_id")
    assert table.loc["A", "net_revenue"] == pytest.approx(150.0)
    assert table.loc["B", "net_revenue"] == 0.0 and table.loc["B", "orders"] == 2  # RUB: orders, no money
    assert np.isnan(table.loc["B", "aov"])
    monthly = rep.monthly.set_index("month")
    assert monthly.loc["2024-01-01", "net_revenue"] == pytest.approx(100.0)
    assert monthly.loc["2024-01-01", "orders"] == 2
    assert monthly.loc["2024-01-01", "aov"] == pytest.approx(100.0)  # one USD order in January


def test_rates_convert_other_currencies(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,rate\nRUB,0.011\nCNY,0.14\n", encoding="utf-8")
    data = _json(tmp_path, column_csv(tmp_path / "o.csv"), "--rates", str(rates))
    exp = expected({"RUB": {None: 0.011}, "CNY": {None: 0.14}})
    assert data["revenue"] == pytest.approx(exp["revenue"])  # 170 + 148.5 + 98
    assert data["aov"] == pytest.approx(exp["aov"])
    assert data["other_currencies"] == {}
    assert {(r["currency"], r["rate"]) for r in data["currency_rates"]} == {("RUB", 0.011), ("CNY", 0.14)}
    meth = openpyxl.load_workbook(tmp_path / "r.xlsx")[text("en", "sheet.methodology")]
    cells = [str(c.value) for row in meth.iter_rows() for c in row if c.value is not None]
    assert any("1 RUB = 0.011 USD" in c and "rates.csv" in c for c in cells)


def test_monthly_rates_and_a_rate_for_the_other_months(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("currency;month;rate\nRUB;2024-01;0,0112\nRUB;03.2024;0,0108\nCNY;;0,14\n", encoding="utf-8")
    data = _json(tmp_path, signs_csv(tmp_path / "o.csv"), "--rates", str(rates))
    exp = expected({"RUB": {"2024-01": 0.0112, "2024-03": 0.0108}, "CNY": {None: 0.14}})
    assert data["revenue"] == pytest.approx(exp["revenue"])  # 170 + 100.8 + 48.6 + 98
    months = {(r["currency"], r["month"]): r["rate"] for r in data["currency_rates"]}
    assert months == {("RUB", "2024-01"): 0.0112, ("RUB", "2024-03"): 0.0108, ("CNY", None): 0.14}


def test_a_currency_without_a_rate_stays_out_even_when_others_have_one(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,rate\nCNY,0.14\n", encoding="utf-8")
    data = _json(tmp_path, column_csv(tmp_path / "o.csv"), "--rates", str(rates))
    exp = expected({"CNY": {None: 0.14}})
    assert data["revenue"] == pytest.approx(exp["revenue"]) and data["other_currencies"] == {"RUB": 13500.0}


def test_the_report_currency_can_be_chosen(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,rate\nUSD,90\nCNY,12.5\n", encoding="utf-8")
    data = _json(tmp_path, column_csv(tmp_path / "o.csv"), "--currency", "rub", "--rates", str(rates))
    assert data["currency"] == "RUB"
    assert data["revenue"] == pytest.approx(13500 + 170 * 90 + 700 * 12.5)


def test_an_unknown_code_in_the_rates_file_names_the_file_and_row(tmp_path):
    rates = tmp_path / "my rates.csv"
    rates.write_text("currency,rate\nRUB,0.011\nXYZ,0.5\n", encoding="utf-8")
    code, out, err = run("report", str(column_csv(tmp_path / "o.csv")), "-o", str(tmp_path / "r.xlsx"),
                         "--rates", str(rates))
    assert code == 1 and "Traceback" not in err
    assert '"my rates.csv", row 3' in err and '"XYZ" is not a currency code' in err
    with pytest.raises(InputError, match=r"row 2: the rate \"abc\""):
        rates.write_text("currency,rate\nRUB,abc\n", encoding="utf-8")
        read_rates(rates)
    code, out, err = run("report", str(column_csv(tmp_path / "o.csv")), "--currency", "dollars")
    assert code == 1 and '"dollars" is not a currency code' in err


def test_rates_from_a_workbook_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Курсы"
    for r in (["Валюта", "Курс"], ["RUB", 0.011], ["CNY", 0.14]):
        ws.append(r)
    wb.save(tmp_path / "rates.xlsx")
    table = read_rates(tmp_path / "rates.xlsx")
    assert [(r.currency, r.rate, r.row) for r in table.rates] == [("RUB", 0.011, 2), ("CNY", 0.14, 3)]


# ---------------------------------------------------------------- one currency: as today, with its symbol


def _money_formats(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value in (text("en", "tile.revenue"), text("en", "tile.customers")):
                out.setdefault(c.value, ws.cell(c.row + 1, c.column).number_format)
    return out


def test_a_single_currency_file_behaves_as_today_with_the_symbol(tmp_path):
    src = _write(tmp_path / "o.csv", ["Order ID", "Order Date", "Customer ID", "Amount"],
                 [[o, d, c, f"{a:,.0f} ₽".replace(",", " ")] for o, d, c, a, cur in ROWS])
    data = _json(tmp_path, src)
    assert data["currency"] == "RUB" and data["other_currencies"] == {}
    assert data["revenue"] == pytest.approx(sum(r[3] for r in ROWS))
    fmts = _money_formats(tmp_path / "r.xlsx")
    assert "₽" in fmts[text("en", "tile.revenue")]
    assert "₽" not in fmts[text("en", "tile.customers")]  # counts carry no symbol
    plain = _write(tmp_path / "p.csv", ["Order ID", "Order Date", "Customer ID", "Amount"],
                   [[o, d, c, f"{a:g}"] for o, d, c, a, cur in ROWS])
    data = _json(tmp_path, plain)
    assert data["currency"] is None and data["other_currencies"] == {}
    assert _money_formats(tmp_path / "r.xlsx")[text("en", "tile.revenue")] == "#,##0"


def test_prepare_is_pure_and_leaves_the_frame_alone(tmp_path):
    read = read_orders(column_csv(tmp_path / "o.csv"))
    before = read.orders.copy()
    rates = money.RateTable((money.Rate("RUB", 0.5),), "x")
    p = money.prepare(read.orders, None, rates)
    pd.testing.assert_frame_equal(read.orders, before)
    assert p.orders["amount"].tolist() == [100.0, 4500.0, 50.0, 700.0, 2250.0, 20.0]
    assert p.orders[money.IN_REPORT_CURRENCY].tolist() == [True, True, True, False, True, True]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_shows_the_currency_symbols(tmp_path):
    """The number formats '#,##0 "₽"' and '[$$-409]#,##0' as a second spreadsheet program prints them."""
    import os
    import shutil
    import subprocess

    from conftest import soffice_path

    soffice = soffice_path()
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice and poppler's pdftotext are needed for this test")
        pytest.skip("LibreOffice or pdftotext is not installed")
    made = []
    for name, fmt in (("rub", "{:,.0f} ₽"), ("usd", "${:,.0f}")):
        src = _write(tmp_path / f"{name}.csv", ["Order ID", "Order Date", "Customer ID", "Amount"],
                     [[o, d, c, fmt.format(a).replace(",", " ") if name == "rub" else fmt.format(a)]
                      for o, d, c, a, cur in ROWS])
        code, _, err = run("report", str(src), "-o", str(tmp_path / f"{name}.xlsx"))
        assert code == 0, err
        made.append(tmp_path / f"{name}.xlsx")
    profile = tmp_path / "lo_profile"
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, made)],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    total = sum(r[3] for r in ROWS)  # 14,370: net revenue of each file
    pages = {}
    for name in ("rub", "usd"):
        pages[name] = subprocess.run(["pdftotext", "-l", "1", str(tmp_path / f"{name}.pdf"), "-"],
                                     capture_output=True, text=True, check=True).stdout
    assert f"{total:,.0f} ₽" in pages["rub"] and "$" not in pages["rub"]
    assert f"${total:,.0f}" in pages["usd"] and "₽" not in pages["usd"]


def test_a_report_currency_no_order_is_in_says_why_aov_is_missing(tmp_path):
    data = _json(tmp_path, column_csv(tmp_path / "o.csv"), "--currency", "EUR")
    assert data["currency"] == "EUR" and data["revenue"] == 0.0 and data["aov"] is None
    assert "report currency" in data["notes"]["aov"]
    assert data["orders"] == 6  # every order still counts
    assert data["other_currencies"] == pytest.approx({"USD": 170.0, "RUB": 13500.0, "CNY": 700.0})
