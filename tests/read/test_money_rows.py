"""Issue 10: numbers a finance lead would sign.

Refunds always subtract, unpaid statuses are not sales, the reconciliation, the adaptive
retention window, future dates, partial months, two-row headers and NUL bytes. Every
expected figure is computed here independently, with plain pandas over the rows written,
never copied from the report.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from retention_xl import cli
from retention_xl.engine.kpi import build_kpis
from retention_xl.errors import InputError
from retention_xl.pipeline import build_report
from retention_xl.read.orders import read_orders
from retention_xl.read.statuses import PLATFORM_STATUSES, PLATFORMS, status_word
from retention_xl.render import frames
from retention_xl.settings import ColumnChoice, ReportSettings

TODAY = date(2026, 12, 1)


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


# ---------------------------------------------------------------- UCI Online Retail style


def uci_rows(seed: int = 7) -> list[list]:
    """Invoice lines of one year (2010-12-01 .. 2011-12-09) in the UCI Online Retail layout.

    Cancellations are "C…" invoices with negative quantities; some lines have no CustomerID.
    Customer 99999 buys 3,380 and cancels 3,700 (a net below zero).
    """
    rng = np.random.default_rng(seed)
    head = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
    rows = [head]
    start = pd.Timestamp("2010-12-01 08:26")
    inv = 536365
    for _ in range(420):
        day = start + pd.Timedelta(days=int(rng.integers(0, 374)), minutes=int(rng.integers(0, 600)))
        cust = "" if rng.random() < 0.12 else f"{int(rng.integers(12346, 12420))}.0"
        lines = int(rng.integers(1, 4))
        for _ in range(lines):
            rows.append([str(inv), f"85{int(rng.integers(100, 999))}", "MUG", int(rng.integers(1, 12)),
                         day.strftime("%m/%d/%Y %H:%M"), f"{rng.choice([1.25, 2.55, 4.95, 12.75])}", cust,
                         "United Kingdom"])
        if cust and rng.random() < 0.15:  # a cancellation of part of it, later
            cday = day + pd.Timedelta(days=int(rng.integers(0, 20)))
            if cday <= pd.Timestamp("2011-12-09 12:00"):
                rows.append([f"C{inv + 900000}", "85123", "MUG", -int(rng.integers(1, 4)),
                             cday.strftime("%m/%d/%Y %H:%M"), "2.55", cust, "United Kingdom"])
        inv += 1
    # the big buyer who cancelled more than they bought
    rows.append(["581000", "22423", "CAKESTAND", 260, "06/01/2011 10:00", "13.0", "99999", "United Kingdom"])
    rows.append(["C581001", "22423", "CAKESTAND", -200, "06/20/2011 10:00", "18.5", "99999", "United Kingdom"])
    # the last day of the data: 9 December 2011
    rows.append(["581587", "22613", "PENS", 12, "12/09/2011 12:50", "0.85", "12680.0", "France"])
    return rows


def uci_frame(rows: list[list]) -> pd.DataFrame:
    df = pd.DataFrame(rows[1:], columns=rows[0])
    df["amount"] = df["Quantity"].astype(float) * df["UnitPrice"].astype(float)
    df["day"] = pd.to_datetime(df["InvoiceDate"], format="%m/%d/%Y %H:%M").dt.normalize()
    df["cust"] = df["CustomerID"].str.replace(".0", "", regex=False)
    return df


@pytest.fixture(scope="module")
def uci(tmp_path_factory):
    rows = uci_rows()
    path = write_csv(tmp_path_factory.mktemp("uci") / "Online Retail.csv", rows)
    read = read_orders(path)
    out = build_report(read, ReportSettings(today=TODAY), path.with_name("r.xlsx"), path.with_name("k.json"))
    return rows, read, out


def test_uci_cancellations_subtract_and_the_reconciliation_adds_up(uci):
    rows, read, out = uci
    df = uci_frame(rows)
    r = out.report
    t1 = df["day"].max()
    t0 = t1 - pd.Timedelta(days=365)
    assert (pd.Timestamp(r.period_start), pd.Timestamp(r.period_end)) == (t0, t1)
    in_p = df[(df["day"] > t0) & (df["day"] <= t1)]
    known = in_p[in_p["cust"] != ""]
    rec = r.reconciliation
    assert rec.gross_sales == pytest.approx(known.loc[known["amount"] > 0, "amount"].sum())
    assert rec.refunds == pytest.approx(-known.loc[known["amount"] < 0, "amount"].sum())
    assert r.revenue == rec.net_revenue == pytest.approx(known["amount"].sum())  # C-invoices subtract
    assert (rec.not_a_sale_rows, rec.not_a_sale_amount) == (0, 0.0)
    nocust = in_p[in_p["cust"] == ""]
    assert rec.no_customer_rows == len(nocust) and rec.no_customer_amount == pytest.approx(nocust["amount"].sum())
    # orders: invoices (not C) with a positive net; customers: their buyers
    inv = known[~known["InvoiceNo"].str.startswith("C")].groupby("InvoiceNo").agg(net=("amount", "sum"),
                                                                                cust=("cust", "first"))
    assert r.orders == int((inv["net"] > 0).sum())
    assert r.customers == inv.loc[inv["net"] > 0, "cust"].nunique()
    assert r.aov == pytest.approx(known["amount"].sum() / r.orders)
    data = json.loads(out.json.read_text(encoding="utf-8"))
    assert data["reconciliation"] == {
        "gross_sales": rec.gross_sales, "refunds": rec.refunds, "net_revenue": rec.net_revenue,
        "not_a_sale": {"rows": 0, "amount": 0.0, "unpaid_rows": 0},
        "no_customer": {"rows": len(nocust), "amount": pytest.approx(nocust["amount"].sum())},
        "currency": None, "other_currencies": {},  # the file names no currency (issue 18)
    }


def test_one_year_of_history_measures_retention_over_180_days(uci):
    rows, read, out = uci
    df = uci_frame(rows)
    r = out.report.retention
    t1 = df["day"].max()
    first_day = df.loc[df["cust"] != "", "day"].min()
    # 365 days do not fit before t0 (9 days of data before it); 180 days do before t1 − 180
    assert (t1 - pd.Timedelta(days=365) - first_day).days + 1 < 365
    m = t1 - pd.Timedelta(days=180)
    assert (m - first_day).days + 1 >= 180
    assert (r.window_days, pd.Timestamp(r.measured_from), r.thin_base_days) == (180, m, None)
    # S, E, N by hand over counted orders (non-C invoices netting above zero), W = 180
    known = df[df["cust"] != ""]
    inv = known[~known["InvoiceNo"].str.startswith("C")].groupby("InvoiceNo").agg(
        net=("amount", "sum"), cust=("cust", "first"), day=("day", "min"))
    counted = inv[inv["net"] > 0]

    def active(d):
        return set(counted.loc[(counted["day"] > d - pd.Timedelta(days=180)) & (counted["day"] <= d), "cust"])

    s, e = active(m), active(t1)
    first = counted.groupby("cust")["day"].min()
    won_back = {c for c in e - s if first[c] <= m}
    assert (r.start, r.end, r.new, r.won_back) == (len(s), len(e), len(e - s), len(won_back))
    crr = len(s & e) / len(s)
    assert r.value == pytest.approx(crr)
    c = out.report.historical_clv
    assert c.monthly_churn == pytest.approx(1 - crr ** (30.44 / 180))
    data = json.loads(out.json.read_text(encoding="utf-8"))
    assert data["crr"]["window_days"] == 180 and data["crr"]["measured_from"] == m.date().isoformat()
    assert data["active_days"] == 180


def test_a_customer_whose_cancellations_exceed_the_purchases_is_never_most_valuable(uci):
    _, _, out = uci
    t = out.report.customers_table.set_index("customer_id")
    assert t.loc["99999", "net_revenue"] == pytest.approx(260 * 13.0 - 200 * 18.5)  # 3,380 − 3,700
    table = frames.customer_table(out.report.customers_table, drop_personal=False)
    picked, why = frames.select_customers(table, 5)
    listed = dict(zip(picked["customer_id"], why))
    assert listed.get("99999", 2) != 0
    assert all(v > 0 for v, w in zip(picked["monetary"], why) if w == 0)
    picked_all, why_all = frames.select_customers(table, 10_000)
    assert dict(zip(picked_all["customer_id"], why_all))["99999"] in (1, 2)


def test_the_dashboard_shows_the_reconciliation_and_names_the_measurement(uci):
    _, _, out = uci
    wb = openpyxl.load_workbook(out.workbook)
    texts = [str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert "Revenue reconciliation (period)" in texts and "Gross sales" in texts
    m = out.report.retention.measured_from
    assert any(t.startswith("180-day retention: of the customers who ordered in the 180 days before "
                            f"{m.isoformat()}") for t in texts)
    assert "Not judged: not a yearly figure" in texts  # a 180-day CRR is not coloured as yearly
    assert "Dec 2011 · to 9 Dec" in texts  # the last, partial month


# ---------------------------------------------------------------- statuses of shop exports


def test_woocommerce_failed_and_pending_orders_are_not_sales(tmp_path):
    rows = [
        ["Order ID", "Order Status", "Order Date", "Billing Email", "Order Total"],
        ["101", "wc-completed", "2024-03-01", "ann@example.com", "100.00"],
        ["102", "wc-processing", "2024-03-02", "bob@example.com", "50.00"],
        ["103", "wc-failed", "2024-03-03", "bob@example.com", "40.00"],
        ["104", "wc-pending", "2024-03-04", "eve@example.com", "70.00"],  # eve never paid: no customer
        ["105", "wc-refunded", "2024-03-05", "ann@example.com", "30.00"],
        ["106", "wc-on-hold", "2024-03-06", "ann@example.com", "20.00"],
    ]
    read = read_orders(write_csv(tmp_path / "woo.csv", rows))
    assert read.orders["unpaid"].tolist() == [False, False, True, True, False, False]
    assert read.orders["returned"].tolist() == [False, False, False, False, True, False]
    r = build_kpis(read.orders, ReportSettings(), rows_read=read.rows_read, rows_skipped=0)
    assert r.revenue == 100 + 50 + 20 and r.orders == 3 and r.customers == 2
    assert r.returned_orders == 1 and r.return_rate == pytest.approx(1 / 4)  # failed/pending are neither
    assert (r.reconciliation.not_a_sale_rows, r.reconciliation.not_a_sale_amount) == (3, 140.0)
    assert r.reconciliation.unpaid_rows == 2
    assert "eve@example.com" not in set(r.customers_table["customer_id"])
    notes = [str(n) for n in read.notes]
    assert any("never paid" in n and "'wc-failed' (1)" in n for n in notes)


def test_shopify_pending_is_a_sale_voided_is_not(tmp_path):
    rows = [
        ["Name", "Email", "Financial Status", "Created at", "Total"],
        ["#1", "ann@example.com", "paid", "2024-03-01 10:00:00 +0300", "35.00"],
        ["#2", "bob@example.com", "pending", "2024-03-02 10:00:00 +0300", "20.00"],
        ["#3", "bob@example.com", "voided", "2024-03-03 10:00:00 +0300", "15.00"],
        ["#4", "ann@example.com", "partially_refunded", "2024-03-04 10:00:00 +0300", "10.00"],
    ]
    read = read_orders(write_csv(tmp_path / "orders_export.csv", rows))
    assert read.orders["unpaid"].tolist() == [False, False, True, False]
    r = build_kpis(read.orders, ReportSettings(), rows_read=4, rows_skipped=0)
    assert r.revenue == 35 + 20 + 10 and r.orders == 3
    # with the platform named, Shopify's own list decides the same way
    shop = read_orders(write_csv(tmp_path / "orders_export.csv", rows), platform="shopify")
    assert shop.orders["unpaid"].tolist() == [False, False, True, False]


def test_amocrm_lost_deals_are_never_paid(tmp_path):
    rows = [
        ["ID", "Название сделки", "Статус", "Бюджет", "Контакт", "Дата создания"],
        ["1", "Сделка 1", "Успешно реализовано", "15 000", "Анна", "05.03.2024"],
        ["2", "Сделка 2", "Закрыто и не реализовано", "7 000", "Борис", "06.03.2024"],
        ["3", "Сделка 3", "Успешно реализовано", "5 000", "Борис", "07.03.2024"],
    ]
    read = read_orders(write_csv(tmp_path / "amocrm.csv", rows))
    assert read.orders["unpaid"].tolist() == [False, True, False]
    r = build_kpis(read.orders, ReportSettings(), rows_read=3, rows_skipped=0)
    assert r.revenue == 20_000 and r.orders == 2 and r.returned_orders == 0
    # with the platform named, an open stage is not money yet either
    assert status_word("Переговоры", "amocrm") == "unpaid" and status_word("Переговоры") is None


def test_taobao_unpaid_and_closed_trades_and_a_refunded_part(tmp_path):
    rows = [
        ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "订单创建时间", "退款金额"],
        ["2024030500001", "小明", "128.00", "交易成功", "2024-03-05 10:15:33", "20.00"],
        ["2024030500002", "小红", "59.00", "等待买家付款", "2024-03-06 11:00:00", "0"],
        ["2024030500003", "小红", "88.00", "交易关闭", "2024-03-07 12:00:00", "0"],
        ["2024030500004", "小刚", "300.00", "卖家已发货", "2024-03-08 09:00:00", ""],
    ]
    read = read_orders(write_csv(tmp_path / "taobao.csv", rows, encoding="utf-8-sig"))
    assert read.columns["refunded_amount"] == "退款金额"
    assert read.orders["unpaid"].tolist() == [False, True, True, False]
    r = build_kpis(read.orders, ReportSettings(), rows_read=4, rows_skipped=0)
    rec = r.reconciliation
    assert (rec.gross_sales, rec.refunds, rec.net_revenue) == (428.0, 20.0, 408.0)
    assert r.revenue == 408.0 and r.orders == 2 and r.customers == 2
    assert (rec.not_a_sale_rows, rec.not_a_sale_amount) == (2, 147.0)


def test_a_1c_return_document_with_a_positive_sum_is_a_refund(tmp_path):
    rows = [
        ["Вид операции", "Номер", "Дата", "Контрагент", "Сумма"],
        ["Реализация товаров и услуг", "0001", "05.03.2024", "ООО Ромашка", "12 000,00"],
        ["Возврат товаров от клиента", "0002", "12.03.2024", "ООО Ромашка", "2 000,00"],
        ["Реализация товаров и услуг", "0003", "14.03.2024", "ИП Иванов", "3 000,00"],
    ]
    read = read_orders(write_csv(tmp_path / "1c.csv", rows, encoding="cp1251"))
    assert read.orders["amount"].tolist() == [12000.0, -2000.0, 3000.0]
    r = build_kpis(read.orders, ReportSettings(), rows_read=3, rows_skipped=0)
    assert (r.reconciliation.gross_sales, r.reconciliation.refunds, r.revenue) == (15000.0, 2000.0, 13000.0)
    assert r.orders == 2 and r.returned_orders == 1
    assert any("says return" in str(n) for n in read.notes)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_has_a_status_table(platform):
    table = PLATFORM_STATUSES[platform]
    assert table and set(table.values()) <= {"sale", "returned", "unpaid"}
    for word, kind in table.items():
        assert status_word(word, platform) == kind


def test_bare_pending_is_a_sale_without_a_platform_and_follows_the_platform_with_one():
    assert status_word("pending") == "sale" and status_word("Pending") == "sale"
    assert status_word("pending", "shopify") == "sale"
    for platform in ("woocommerce", "magento", "bigcommerce", "amazon", "paypal"):
        assert status_word("pending", platform) == "unpaid", platform
    assert status_word("Awaiting payment") == "unpaid" and status_word("wc-pending") == "unpaid"


# ---------------------------------------------------------------- periods


def frame_of(lines: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame({
        "row": np.arange(2, len(lines) + 2, dtype=np.int64),
        "customer_id": pd.Series([c for c, _, _ in lines], dtype="str"),
        "date": pd.Series([pd.Timestamp(d) for _, d, _ in lines], dtype="datetime64[ns]"),
        "amount": [float(a) for _, _, a in lines],
        "order_id": pd.Series([f"o{i}" for i in range(len(lines))], dtype="str"),
        "returned": False, "unpaid": False,
    })


def test_a_period_end_after_today_is_refused_in_one_line():
    f = frame_of([("A", "2024-01-05", 10), ("B", "2024-02-05", 20)])
    with pytest.raises(InputError) as e:
        build_kpis(f, ReportSettings(period_end=date(2030, 1, 1), today=date(2024, 6, 1)), rows_read=2,
                   rows_skipped=0)
    assert "2030-01-01 is after today (2024-06-01)" in str(e.value) and "\n" not in str(e.value)
    # on or before today it is allowed, and the Dashboard names the distance to the last order
    r = build_kpis(f, ReportSettings(period_end=date(2024, 2, 27), today=date(2024, 6, 1)), rows_read=2,
                   rows_skipped=0)
    assert r.period_end == date(2024, 2, 27) and (r.period_end - r.data_end).days == 22


def test_the_cli_refuses_a_future_period_end(tmp_path):
    p = write_csv(tmp_path / "o.csv", [["Customer ID", "Order Date", "Amount"], ["A", "2024-01-05", "10"]])
    err = io.StringIO()
    code = cli.main(["report", str(p), "--period-end", "2999-01-01", "-o", str(tmp_path / "r.xlsx")],
                    stdout=io.StringIO(), stderr=err)
    assert code != 0 and "after today" in err.getvalue() and not (tmp_path / "r.xlsx").exists()
    assert "Traceback" not in err.getvalue()


def test_rows_dated_after_tomorrow_are_skipped_as_future_dates(tmp_path):
    rows = [["Customer ID", "Order Date", "Amount"], ["A", "2024-05-01", "10"], ["B", "2024-06-02", "20"],
            ["C", "2052-05-03", "30"]]  # 2052 for 2025: a mistyped year
    read = read_orders(write_csv(tmp_path / "o.csv", rows))
    out = build_report(read, ReportSettings(today=date(2024, 6, 1)), tmp_path / "r.xlsx")
    r = out.report
    assert (r.rows_read, r.rows_used, r.rows_skipped) == (3, 2, 1)
    assert r.data_end == date(2024, 6, 2)  # tomorrow is still allowed (time zones)
    wb = openpyxl.load_workbook(out.workbook)
    issues = [str(c.value) for row in wb["Data issues"].iter_rows() for c in row if c.value is not None]
    assert any("date in the future" in t and "2052-05-03" in t for t in issues)


def test_partial_first_and_last_months_are_marked(tmp_path):
    rows = [["Customer ID", "Order Date", "Amount"], ["A", "2024-01-15", "10"], ["B", "2024-02-10", "20"],
            ["A", "2024-03-10", "30"]]
    read = read_orders(write_csv(tmp_path / "o.csv", rows))
    out = build_report(read, ReportSettings(today=TODAY), tmp_path / "r.xlsx")
    m = out.report.monthly
    assert m["partial"].tolist() == [True, False, True]
    assert m["covered_from"].iloc[0] == pd.Timestamp("2024-01-15")
    assert m["covered_to"].iloc[-1] == pd.Timestamp("2024-03-10")
    wb = openpyxl.load_workbook(out.workbook)
    dash = [str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert "Jan 2024 · from 15 Jan" in dash and "Mar 2024 · to 10 Mar" in dash
    coh = wb["Cohorts"]
    texts = [str(c.value) for row in coh.iter_rows() for c in row if c.value is not None]
    assert any(t.startswith("Grey cells in italics fall in a month the data covers only in part") for t in texts)
    # the January cohort's month 2 (March) is shaded apart: a pattern fill, not the plain cell
    jan_row = next(r for r in range(1, coh.max_row + 1) if coh.cell(r, 2).value == 2 or
                   (coh.cell(r, 1).value is not None and str(coh.cell(r, 1).value).startswith("2024-01")))
    assert coh.cell(jan_row, 5).fill.patternType not in (None, "solid")
    assert coh.cell(jan_row, 4).fill.patternType in (None, "solid")


def test_explicit_window_with_little_history_warns_how_many_days_s_rests_on():
    f = frame_of([("A", "2024-01-01", 10), ("B", "2024-02-01", 20), ("A", "2024-06-01", 30)])
    r = build_kpis(f, ReportSettings(period_start=date(2024, 2, 15), active_days=90), rows_read=3, rows_skipped=0)
    assert r.retention.window_days == 90 and r.retention.measured_from == date(2024, 2, 15)
    assert r.retention.thin_base_days == (date(2024, 2, 15) - date(2024, 1, 1)).days + 1
    assert r.notes["crr_thin_base"].code == "kpi.thin_base"
    # --active-days only: the latest (t1 − W, t1] when the data holds W days before it
    r2 = build_kpis(f, ReportSettings(active_days=60), rows_read=3, rows_skipped=0)
    assert r2.retention.measured_from == date(2024, 6, 1) - timedelta(days=60)
    assert r2.retention.thin_base_days is None


def test_lang_is_case_insensitive_on_the_command_line(tmp_path):
    p = write_csv(tmp_path / "o.csv", [["Customer ID", "Order Date", "Amount"], ["A", "2024-01-05", "10"],
                                       ["A", "2024-03-05", "12"]])
    err = io.StringIO()
    code = cli.main(["report", str(p), "--lang", "RU", "-o", str(tmp_path / "r.xlsx")], stdout=io.StringIO(),
                    stderr=err)
    assert code == 0, err.getvalue()
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[0] != "Dashboard"


# ---------------------------------------------------------------- reader


def test_a_1c_report_with_a_two_row_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Продажи"
    ws.append(["Продажи за март 2024"])
    ws.append([])
    ws.append(["Контрагент", "Дата", "Номенклатура", "Продажи", None])
    ws.append([None, None, None, "Количество", "Сумма"])
    for rng in ("D3:E3", "A3:A4", "B3:B4", "C3:C4"):
        ws.merge_cells(rng)
    ws.append(["ООО Ромашка", "05.03.2024", "Стул", 2, "3 000,00"])
    ws.append(["ИП Иванов", "06.03.2024", "Стол", 1, "12 000,00"])
    p = tmp_path / "1c.xlsx"
    wb.save(p)
    for choice in (ColumnChoice(), ColumnChoice(amount="Сумма"), ColumnChoice(customer="Контрагент")):
        r = read_orders(p, columns=choice)
        assert r.columns["amount"] == "Сумма" and r.columns["customer_id"] == "Контрагент"
        assert r.orders["amount"].tolist() == [3000.0, 12000.0]
        assert r.orders["row"].tolist() == [5, 6] and r.rows_read == 2
        assert any("header of 2 rows (rows 3-4)" in str(n) for n in r.notes)


def test_nul_bytes_in_a_csv_are_dropped_with_a_note(tmp_path):
    p = tmp_path / "o.csv"
    p.write_bytes(b"Customer ID,Order Date,Amount,Note\r\nA,2024-01-05,10,ok\r\nB,2024-01-06,20,bad\x00note\r\n"
                  + b"\x00" * 300)
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["A", "B"] and r.orders["amount"].tolist() == [10.0, 20.0]
    assert r.rows_read == 2 and len(r.skipped) == 0
    assert any(str(n) == "NUL bytes dropped (first on line 3): 301" for n in r.notes)
    # a real binary file is still refused
    b = tmp_path / "b.csv"
    b.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError, match="binary"):
        read_orders(b)


def test_status_words_say_better_or_worse_than_the_target():
    from retention_xl.render import status as st
    from retention_xl.render.labels import Labels
    churn = st.churn_status(0.30)  # above the 15 % target: worse
    crr = st.crr_status(0.70, benchmark=0.60)  # below target, above the industry: better than it
    words = {lang: (Labels(lang)(churn.word), Labels(lang)(crr.word)) for lang in ("en", "ru", "zh")}
    assert words == {"en": ("Worse than target", "Better than the industry average"),
                     "ru": ("Хуже цели", "Лучше среднего по отрасли"),
                     "zh": ("差于目标", "优于行业平均")}
    for lang in ("en", "ru", "zh"):
        L = Labels(lang)
        said = [L(k) for k in ("status.below", "status.above_target", "status.high", "status.above_industry",
                               "status.below_industry")]
        assert not any(w in s.lower() for s in said for w in ("above", "below", "выше", "ниже", "高于", "低于"))


def test_chinese_wording_fixes():
    from retention_xl.render.labels import Labels
    L = Labels("zh")
    assert L.segment("Can't lose them")[0] == "重要挽留客户"
    assert "前 {shown} 行" in L("issues.truncated", shown="{shown}", total="{total}", csv="{csv}")


def test_the_dashboard_names_a_period_end_after_the_last_order(tmp_path):
    rows = [["Customer ID", "Order Date", "Amount"], ["A", "2024-01-05", "10"], ["B", "2024-02-05", "20"]]
    read = read_orders(write_csv(tmp_path / "o.csv", rows))
    out = build_report(read, ReportSettings(period_end=date(2024, 2, 27), today=date(2024, 6, 1)),
                       tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out.workbook)
    texts = [str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert "The period ends 22 days after the last order in the file (2024-02-05)." in texts


def test_future_rows_keep_their_values_under_their_headers_and_stay_anonymous(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_XL_ANON_KEY", "k" * 32)
    rows = [["Order", "Customer ID", "Email", "Order Date", "Amount"], ["1", "A", "a@x.com", "2024-05-01", "10"],
            ["3", "C", "c@x.com", "2052-05-03", "30"]]
    read = read_orders(write_csv(tmp_path / "o.csv", rows))
    out = build_report(read, ReportSettings(today=date(2024, 6, 1), anonymize=True), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out.workbook)
    cells = [c for row in wb["Data issues"].iter_rows(values_only=True) for c in row if c is not None]
    assert "c@x.com" not in cells and "C" not in cells and "2052-05-03" in cells
