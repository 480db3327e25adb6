"""Order files -> ReadResult (retention_xl.read.orders): real export layouts, row accounting, messages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retention_xl.errors import InputError
from retention_xl.read.orders import ReadResult, read_orders, read_values
from retention_xl.settings import ColumnChoice


def write_csv(path, rows, sep=",", encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path, sheets: dict[str, list[list]], hidden=()):
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        if name in hidden:
            ws.hide()
        elif not any(w.selected for w in wb.worksheets()[:-1]):
            ws.activate()
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is None:
                    continue
                if isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(i, j, v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day), date_fmt)
                elif isinstance(v, str):
                    ws.write_string(i, j, v)  # text stays text, even "=..."
                else:
                    ws.write(i, j, v)
    wb.close()
    return path


def check_contract(r: ReadResult):
    assert r.rows_read == len(r.orders) + len(r.skipped)
    o = r.orders
    assert list(o.columns[:6]) == ["row", "customer_id", "date", "amount", "order_id", "returned"]
    assert o["row"].dtype == np.int64
    assert pd.api.types.is_string_dtype(o["customer_id"]) and pd.api.types.is_string_dtype(o["order_id"])
    assert o["date"].dtype == "datetime64[ns]"
    assert (o["date"] == o["date"].dt.normalize()).all()
    assert o["amount"].dtype == np.float64 and o["returned"].dtype == bool
    assert list(r.skipped.columns) == ["row", "reason", "raw", "parts"]
    from retention_xl.messages import Note
    assert all(isinstance(n, Note) for n in r.notes), [n for n in r.notes if not isinstance(n, Note)]  # worded in ru/zh too
    assert r.skipped["row"].dtype == np.int64
    from retention_xl.messages import SKIP_REASONS, describe_skip
    for parts, reason in zip(r.skipped["parts"], r.skipped["reason"]):
        assert parts and all(code in SKIP_REASONS for code, _ in parts)
        assert describe_skip(parts) == reason  # the codes say what the words say
    assert not set(o["row"]) & set(r.skipped["row"])


D = pd.Timestamp


# ---------------------------------------------------------------- workbook layout


def test_title_rows_above_header_and_real_row_numbers(tmp_path):
    p = write_xlsx(tmp_path / "o.xlsx", {"Orders": [
        ["Отчёт о продажах за март 2024"],
        [],
        [None, "Клиент", "Дата", "Сумма, руб."],
        [None, "Иванов", dt.date(2024, 3, 5), 1500],
        [None, "Петров", "31.02.2024", 200],
        [],
        [None, None, "06.03.2024", "abc"],
        [None, 13607.0, 45357, "1 234,50"],
    ]})
    r = read_orders(p)
    check_contract(r)
    assert r.sheet == "Orders"
    assert r.columns == {"customer_id": "Клиент", "date": "Дата", "amount": "Сумма, руб."}
    assert r.orders["row"].tolist() == [4, 8]
    assert r.orders["customer_id"].tolist() == ["Иванов", "13607"]
    assert r.orders["date"].tolist() == [D("2024-03-05"), D("2024-03-06")]
    assert r.orders["amount"].tolist() == [1500.0, 1234.5]
    assert r.orders["order_id"].tolist() == ["row 4", "row 8"]
    assert r.rows_read == 4  # the blank row 6 is not data
    sk = r.skipped.set_index("row")
    assert sk.loc[5, "reason"] == "date not readable: '31.02.2024'"
    assert sk.loc[7, "reason"] == "no customer id; amount not a number: 'abc'"
    assert sk.loc[5, "raw"] == " | Петров | 31.02.2024 | 200"
    assert any("header on row 3" in n for n in r.notes)


def test_first_sheet_with_order_header_is_used_and_named(tmp_path):
    p = write_xlsx(tmp_path / "o.xlsx", {
        "Readme": [["This workbook holds our orders"], ["Updated monthly"]],
        "Empty": [],
        "Orders": [["Customer ID", "Order Date", "Amount"], ["C1", "2024-03-05", 10]],
        "Other": [["Customer ID", "Order Date", "Amount"], ["X", "2024-03-05", 99]],
    })
    r = read_orders(p)
    assert r.sheet == "Orders" and r.orders["customer_id"].tolist() == ["C1"]
    assert any('sheet "Orders" used' in n for n in r.notes)


def test_sheet_chosen_by_name(tmp_path):
    p = write_xlsx(tmp_path / "o.xlsx", {
        "Orders": [["Customer ID", "Order Date", "Amount"], ["C1", "2024-03-05", 10]],
        "2023": [["Customer ID", "Order Date", "Amount"], ["X", "2023-03-05", 99]],
    })
    assert read_orders(p, sheet="2023").orders["customer_id"].tolist() == ["X"]
    assert read_orders(p, sheet=" orders ").sheet == "Orders"
    with pytest.raises(InputError) as e:
        read_orders(p, sheet="2022")
    assert '"2022"' in str(e.value) and '"Orders", "2023"' in str(e.value)


def test_hidden_sheets_come_after_visible_ones(tmp_path):
    p = write_xlsx(tmp_path / "o.xlsx", {
        "Old": [["Customer ID", "Order Date", "Amount"], ["OLD", "2020-03-05", 1]],
        "Orders": [["Customer ID", "Order Date", "Amount"], ["NEW", "2024-03-05", 1]],
    }, hidden=("Old",))
    assert read_orders(p).sheet == "Orders"


def test_no_sheet_has_an_order_header(tmp_path):
    p = write_xlsx(tmp_path / "o.xlsx", {
        "A": [["Product", "Price"], ["x", 1]],
        "B": [["Client", "Comment"], ["y", "z"]],
    })
    with pytest.raises(InputError) as e:
        read_orders(p)
    msg = str(e.value)
    assert 'sheet "A"' in msg and 'sheet "B"' in msg
    assert '"Product", "Price"' in msg and '"Client", "Comment"' in msg


def test_missing_column_message_names_sheet_and_headers(tmp_path):
    p = write_xlsx(tmp_path / "o.xlsx", {"Orders": [["Report"], ["Client", "Amount", "Note"], ["A", 1, ""]]})
    with pytest.raises(InputError) as e:
        read_orders(p)
    msg = str(e.value)
    assert "no order date column" in msg
    assert 'sheet "Orders"' in msg and "row 2" in msg
    assert '"Client", "Amount", "Note"' in msg


def test_explicit_columns(tmp_path):
    p = write_csv(tmp_path / "o.csv", [["Who", "When", "Paid", "Ref"], ["A", "2024-03-05", "10", "R1"]])
    r = read_orders(p, columns=ColumnChoice(customer="Who", date="When", amount="Paid", order="Ref"))
    assert r.orders[["customer_id", "order_id", "amount"]].values.tolist() == [["A", "R1", 10.0]]
    with pytest.raises(InputError) as e:
        read_orders(p, columns=ColumnChoice(customer="Client"))
    assert '"Client"' in str(e.value) and '"Who", "When", "Paid", "Ref"' in str(e.value)


# ---------------------------------------------------------------- real export layouts


def test_shopify_export(tmp_path):
    head = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Subtotal", "Total",
            "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Billing Name"]
    rows = [
        head,
        ["#1001", "ann@example.com", "paid", "2024-03-05 10:16:00 +0300", "fulfilled", "30.00", "35.00",
         "2024-03-05 10:15:00 +0300", "1", "Mug", "10.00", "Ann Lee"],
        ["#1001", "ann@example.com", "", "", "", "", "", "2024-03-05 10:15:00 +0300", "2", "Cup", "10.00", ""],
        ["#1002", "bob@example.com", "refunded", "", "", "20.00", "20.00", "2024-03-06 09:00:00 +0300", "1",
         "Mug", "20.00", "Bob"],
        ["#1003", "ann@example.com", "voided", "", "", "5.00", "5.00", "2024-03-07 09:00:00 +0300", "1", "Pen",
         "5.00", "Ann Lee"],
    ]
    r = read_orders(write_csv(tmp_path / "orders_export.csv", rows))
    check_contract(r)
    o = r.orders
    assert r.rows_read == 4 and len(r.skipped) == 0
    assert o["order_id"].tolist() == ["#1001", "#1001", "#1002", "#1003"]
    assert o["customer_id"].tolist() == ["ann@example.com", "ann@example.com", "bob@example.com", "ann@example.com"]
    assert o["amount"].tolist() == [35.0, 0.0, 20.0, 5.0]  # the total once, on the order's first line
    assert o["returned"].tolist() == [False, False, True, False]
    assert o["unpaid"].tolist() == [False, False, False, True]  # Shopify "voided": the money never came
    assert o["date"].tolist() == [D("2024-03-05")] * 2 + [D("2024-03-06"), D("2024-03-07")]
    # a personal column as written (the customers table strips the one name it shows): empty is missing
    assert o["customer_name"].fillna("<missing>").tolist() == ["Ann Lee", "<missing>", "Bob", "Ann Lee"]
    assert any("customers apart" in n for n in r.notes)
    assert any("first" in n and "line" in n for n in r.notes)


def test_woocommerce_export_with_guest_orders(tmp_path):
    rows = [
        ["Order Number", "Order Status", "Order Date", "Customer User", "Billing Email", "Order Total"],
        ["101", "completed", "2024-03-05 12:00", "17", "ann@example.com", "49.90"],
        ["102", "cancelled", "2024-03-06 12:00", "0", "guest@example.com", "10.00"],
        ["103", "refunded", "2024-03-07 12:00", "17", "ann@example.com", "5.00"],
        ["104", "processing", "2024-03-08 12:00", "0", "", "7.00"],
    ]
    r = read_orders(write_csv(tmp_path / "woo.csv", rows))
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["17", "guest@example.com", "17"]
    assert r.orders["returned"].tolist() == [False, True, True]
    assert r.skipped[["row", "reason"]].values.tolist() == [[5, "no customer id"]]


def test_1c_export_cp1251_semicolon(tmp_path):
    rows = [
        ["Продажи за период: Март 2024"],
        [],
        ["Документ", "Дата", "Контрагент", "Номенклатура", "Количество", "Цена", "Сумма"],
        ["Реализация товаров 0001", "05.03.2024 12:00:00", "ООО Ромашка", "Стул", "2", "1 500,00", "3 000,00"],
        ["Реализация товаров 0001", "05.03.2024 12:00:00", "ООО Ромашка", "Стол", "1", "12 000,00", "12 000,00"],
        ["Возврат товаров 0002", "06.03.2024", "ИП Сидоров", "Стул", "-1", "1 500,00", "-1 500,00"],
        ["Итого", "", "", "", "3", "", "13 500,00"],
    ]
    r = read_orders(write_csv(tmp_path / "1c.csv", rows, sep=";", encoding="cp1251"))
    check_contract(r)
    assert r.orders["amount"].tolist() == [3000.0, 12000.0, -1500.0]
    assert r.orders["order_id"].tolist() == ["Реализация товаров 0001"] * 2 + ["Возврат товаров 0002"]
    assert r.orders["product"].tolist() == ["Стул", "Стол", "Стул"]
    assert r.orders["row"].tolist() == [4, 5, 6]
    assert r.skipped[["row", "reason"]].values.tolist() == [[7, "no customer id; no date"]]
    assert r.skipped["raw"].tolist() == ["Итого |  |  |  | 3 |  | 13 500,00"]


def test_bitrix24_deals_xlsx(tmp_path):
    p = write_xlsx(tmp_path / "deals.xlsx", {"Сделки": [
        ["ID", "Название", "Стадия сделки", "Сумма сделки", "Контакт", "ID клиента", "Дата создания"],
        [1, "Заказ 1", "Сделка успешна", "15 000 ₽", "Анна", 501, "05.03.2024 10:00:00"],
        [2, "Заказ 2", "Сделка провалена", "7 000 ₽", "Борис", 502, "06.03.2024 11:00:00"],
    ]})
    r = read_orders(p)
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["501", "502"]
    assert r.orders["amount"].tolist() == [15000.0, 7000.0]
    # a lost deal was never paid: not a sale, and not a return either (issue 10)
    assert r.orders["returned"].tolist() == [False, False]
    assert r.orders["unpaid"].tolist() == [False, True]


def test_taobao_style_export_utf8_bom(tmp_path):
    rows = [
        ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "订单创建时间", "宝贝标题", "退款状态"],
        ["2024030512345", "小明", "¥128.00", "交易成功", "2024-03-05 10:15:33", "茶杯", "没有申请退款"],
        ["2024030612346", "小红", "99.50元", "交易关闭", "2024/3/6 9:00", "茶壶", "退款成功"],
        ["2024030712347", "小明", "59", "交易成功", "2024年3月7日", "茶叶", "无退款"],
    ]
    r = read_orders(write_csv(tmp_path / "taobao.csv", rows, encoding="utf-8-sig"))
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["小明", "小红", "小明"]
    assert r.orders["amount"].tolist() == [128.0, 99.5, 59.0]
    assert r.orders["date"].tolist() == [D("2024-03-05"), D("2024-03-06"), D("2024-03-07")]
    assert r.orders["returned"].tolist() == [False, True, False]
    assert r.orders["order_id"].tolist()[0] == "2024030512345"


def test_online_retail_invoice_lines(tmp_path):
    rows = [
        ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"],
        ["536365", "85123A", "WHITE HANGING HEART", "6", "12/1/2010 8:26", "2.55", "17850.0", "United Kingdom"],
        ["536365", "71053", "WHITE METAL LANTERN", "6", "12/1/2010 8:26", "3.39", "17850.0", "United Kingdom"],
        ["C536379", "D", "Discount", "-1", "12/1/2010 9:41", "27.50", "14527.0", "United Kingdom"],
        ["536414", "22139", "?", "56", "12/1/2010 11:52", "0", "", "United Kingdom"],
        ["536520", "21123", "SET/10 IVORY", "1", "12/13/2010 12:43", "1.25", "14729", "United Kingdom"],
    ]
    r = read_orders(write_csv(tmp_path / "Online Retail.csv", rows))
    check_contract(r)
    o = r.orders
    assert o["customer_id"].tolist() == ["17850", "17850", "14527", "14729"]
    assert o["amount"].round(2).tolist() == [15.3, 20.34, -27.5, 1.25]
    assert o["returned"].tolist() == [False, False, True, False]
    assert o["date"].tolist() == [D("2010-12-01")] * 3 + [D("2010-12-13")]  # month-first: 12/13 exists
    assert any("month-first" in n for n in r.notes)
    assert any('starts with "C"' in n for n in r.notes)
    assert r.skipped[["row", "reason"]].values.tolist() == [[5, "no customer id"]]


def test_optional_columns_channel_score_and_personal(tmp_path):
    rows = [["Customer ID", "Name", "E-mail", "Phone", "Date", "Amount", "Channel", "NPS", "Returned"],
            ["1", "Ann", "a@x.com", "+7 900 000-00-00", "2024-03-05", "10", "Instagram", "9", "нет"],
            ["2", " Bob ", "b@x.com", "", "2024-03-06", "20", " Site ", "", "да"]]
    r = read_orders(write_csv(tmp_path / "o.csv", rows))
    o = r.orders
    assert o["score"].tolist()[0] == 9.0 and np.isnan(o["score"].tolist()[1])
    # text columns as written (the engine strips the one value per customer it uses: Rows.filled_text)
    assert o["channel"].tolist() == ["Instagram", " Site "]
    assert o["customer_name"].tolist() == ["Ann", " Bob "] and o["email"].tolist() == ["a@x.com", "b@x.com"]
    assert o["phone"].tolist()[0] == "+7 900 000-00-00" and pd.isna(o["phone"].tolist()[1])
    assert o["returned"].tolist() == [False, True]


def test_order_total_repeated_on_every_line_counted_once(tmp_path):
    rows = [["Order ID", "Customer", "Date", "Order Total", "Product", "Quantity"],
            ["A1", "c1", "2024-03-05", "30", "Mug", "1"],
            ["A1", "c1", "2024-03-05", "30", "Cup", "2"],
            ["A2", "c2", "2024-03-06", "15", "Pen", "1"]]
    r = read_orders(write_csv(tmp_path / "o.csv", rows))
    assert r.orders["amount"].tolist() == [30.0, 0.0, 15.0]
    assert any("counted once" in n for n in r.notes)


def test_leading_zero_ids_kept_from_csv(tmp_path):
    rows = [["Код клиента", "Дата", "Сумма"], ["000123", "05.03.2024", "1"], ["123", "05.03.2024", "2"]]
    r = read_orders(write_csv(tmp_path / "o.csv", rows))
    assert r.orders["customer_id"].tolist() == ["000123", "123"]


# ---------------------------------------------------------------- read_values (the Excel button)


def test_read_values_from_xlwings_range():
    values = [
        ["Orders March", None, None, None],
        [None, None, None, None],
        ["Customer ID", "Order Date", "Amount", "Returned"],
        [13607.0, dt.datetime(2024, 3, 5, 14, 30), 120.0, False],
        ["13607", "06/03/2024", "1 200,50", "yes"],
        [None, None, None, None],
        [None, dt.datetime(2024, 3, 7), 5.0, None],
        ["X1", -2146826246, 5.0, None],  # #N/A as xlwings gives it on Windows
        ['=HYPERLINK("http://evil","x")', dt.datetime(2024, 3, 8), 1.0, None],
    ]
    r = read_values(values, sheet="Data", first_row=10)
    check_contract(r)
    assert r.sheet == "Data"
    assert r.orders["row"].tolist() == [13, 14, 18]
    assert r.orders["customer_id"].tolist() == ["13607", "13607", '=HYPERLINK("http://evil","x")']
    assert r.orders["amount"].tolist() == [120.0, 1200.5, 1.0]
    assert r.orders["returned"].tolist() == [False, True, False]
    assert r.skipped[["row", "reason"]].values.tolist() == [[16, "no customer id"], [17, "date not readable: '#N/A'"]]
    assert r.rows_read == 5


def test_read_values_single_row_and_empty():
    with pytest.raises(InputError) as e:
        read_values([], sheet="Data")
    assert "empty" in str(e.value)
    r = read_values(["Customer", "Date", "Amount"])  # xlwings gives a flat list for one row
    assert r.rows_read == 0 and len(r.orders) == 0


def test_read_values_missing_column():
    with pytest.raises(InputError) as e:
        read_values([["Client", "Sum"], ["a", 1]], sheet="Лист1")
    assert "no order date column" in str(e.value) and 'sheet "Лист1"' in str(e.value)


# ---------------------------------------------------------------- every row accounted for

_cell = st.one_of(
    st.none(), st.just(""), st.just("  "), st.text(max_size=6), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10, 50000), st.booleans(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
    st.sampled_from(["05.03.2024", "31.02.2024", "2024-03-05", "1 234,50", "abc", "C123", "13607.0", "#N/A"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cell, min_size=4, max_size=4), max_size=25))
def test_every_row_is_used_or_skipped(rows):
    values = [["Customer ID", "Order Date", "Amount", "Order"]] + rows
    r = read_values(values, sheet="S", first_row=3)
    check_contract(r)
    def empty(v):
        return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)

    blank = sum(1 for row in rows if all(empty(v) for v in row))
    assert r.rows_read == len(rows) - blank
    all_rows = sorted(r.orders["row"].tolist() + r.skipped["row"].tolist())
    assert len(all_rows) == len(set(all_rows))
    assert all(4 <= x <= 3 + len(rows) for x in all_rows)
    assert all(reason for reason in r.skipped["reason"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["", "c1", " 42 ", "42.0"]),
                          st.sampled_from(["", "2024-03-05", "05.03.2024 10:00", "bad"]),
                          st.sampled_from(["", "10", "1 234,5", "x"])), max_size=20))
def test_csv_rows_accounted_for(tmp_path, rows):
    p = write_csv(tmp_path / "h.csv", [["Client", "Date", "Amount"]] + [list(r) for r in rows])
    r = read_orders(p)
    check_contract(r)
    assert r.rows_read == sum(1 for row in rows if any(row))
    assert set(r.orders["customer_id"]) <= {"c1", "42"}


# ---------------------------------------------------------------- odd layouts and formats


def test_table_starting_in_column_c_below_titles(tmp_path):
    rows = [["Sales 2024"], [], [None, None, "Customer", "Date", "Amount"],
            [None, None, "A", dt.date(2024, 3, 5), 10], [None, None, "B", "06.03.2024", "1 234,50"]]
    for p in (write_xlsx(tmp_path / "c.xlsx", {"Orders": rows}),
              write_csv(tmp_path / "c.csv", [["" if v is None else str(v) for v in r] for r in rows])):
        r = read_orders(p)
        check_contract(r)
        assert r.orders["customer_id"].tolist() == ["A", "B"] and r.orders["row"].tolist() == [4, 5]
        assert r.orders["amount"].tolist() == [10.0, 1234.5]
        assert r.columns["customer_id"] == "Customer"


def test_duplicate_header_names_first_column_taken_and_said(tmp_path):
    p = write_csv(tmp_path / "d.csv", [["Customer", "Date", "Amount", "Amount"], ["A", "2024-03-05", "10", "99"]])
    r = read_orders(p)
    assert r.orders["amount"].tolist() == [10.0]
    assert any('2 columns are called "Amount"' in n and "column C" in n for n in r.notes)


def test_one_column_file_names_what_is_missing(tmp_path):
    p = tmp_path / "one.csv"
    p.write_text("Customer\nA\nB\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_orders(p)
    msg = str(e.value)
    assert "no order date" in msg and "amount" in msg and 'Headers seen: "Customer"' in msg and "one.csv" in msg


@pytest.mark.parametrize("body", ["", ",,\n\n"])
def test_header_only_file_reads_no_rows(tmp_path, body):
    p = tmp_path / "h.csv"
    p.write_text("Customer,Date,Amount\n" + body, encoding="utf-8")
    r = read_orders(p)
    check_contract(r)
    assert r.rows_read == 0


def test_dates_detected_per_column(tmp_path):
    p = write_csv(tmp_path / "d.csv", [
        ["Customer", "Date", "Shipped", "Amount"],
        ["A", "03/15/2024", "15/03/2024", "1"], ["B", "01/02/2024", "01/02/2024", "2"],
        ["C", "2024年3月5日", "2024-03-05T10:00:00", "3"],
    ])
    r = read_orders(p)
    # the order date column is US month-first (15 cannot be a month); "01/02" follows the column
    assert r.orders["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-15", "2024-01-02", "2024-03-05"]


def _ods(path, rows_xml: str):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Orders">' + rows_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   "</manifest:manifest>")
        z.writestr("content.xml", content)
    return path


def _cell(v) -> str:
    if isinstance(v, float):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    if isinstance(v, dt.date):
        return f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}"><text:p>x</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


def test_ods_workbook(tmp_path):
    rows = "".join("<table:table-row>" + "".join(_cell(v) for v in r) + "</table:table-row>" for r in [
        ["Клиент", "Дата", "Сумма"], [13607.0, dt.date(2024, 3, 5), 12.5], ["13607", dt.date(2024, 3, 6), 2.0]])
    r = read_orders(_ods(tmp_path / "o.ods", rows))
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["13607", "13607"] and r.sheet == "Orders"


def test_ods_with_billions_of_repeated_cells_is_refused(tmp_path):
    rows = "<table:table-row>" + "".join(_cell(v) for v in ["Customer", "Date", "Amount"]) + "</table:table-row>"
    rows += ('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
             'table:number-columns-repeated="16000" office:value-type="float" office:value="1"/></table:table-row>')
    with pytest.raises(InputError) as e:
        read_orders(_ods(tmp_path / "bomb.ods", rows))
    assert "refused" in str(e.value) and "bomb.ods" in str(e.value)


@pytest.fixture(scope="module")
def xls_file(tmp_path_factory):
    import shutil
    import subprocess
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is needed to make an .xls")
    d = tmp_path_factory.mktemp("xls")
    src = write_xlsx(d / "orders.xlsx", {"Orders": [["Customer ID", "Order Date", "Amount"],
                                                     [13607.0, dt.date(2024, 3, 5), 12.5], ["X1", "05.03.2024", "7,5"]]})
    subprocess.run([soffice, "--headless", "--convert-to", "xls", "--outdir", str(d), str(src)],
                   capture_output=True, timeout=120, check=False)
    out = d / "orders.xls"
    if not out.exists():
        pytest.skip("LibreOffice could not convert to .xls here")
    return out


def test_old_binary_xls(xls_file):
    r = read_orders(xls_file)
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["13607", "X1"]
    assert r.orders["amount"].tolist() == [12.5, 7.5]


def test_xls_that_is_really_a_web_page(tmp_path):
    p = tmp_path / "bank.xls"
    p.write_text("<html><body><table><tr><td>Client</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_orders(p)
    assert "web page (HTML)" in str(e.value) and "\n" not in str(e.value)


def test_absurdly_large_amounts_are_skipped_with_a_reason(tmp_path):
    # 1.7e308 twice overflows every sum to inf (the workbook got <v>inf</v>, which Excel calls
    # corrupt); an amount of a quadrillion or more is a card number or a typo, not an order
    p = write_csv(tmp_path / "huge.csv", [
        ["Customer ID", "Order Date", "Amount", "Quantity", "Unit Price"],
        ["a", "2024-01-01", "1.7e308", "1", "1"],
        ["b", "2024-01-02", "1.7e308", "1", "1"],
        ["c", "2024-01-03", "4111111111111111", "1", "1"],
        ["d", "2024-01-04", "999999999999.99", "1", "1"],
        ["e", "2024-01-05", "-5", "1", "1"],
    ])
    r = read_orders(p)
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["d", "e"]
    assert r.skipped["row"].tolist() == [2, 3, 4]
    assert r.skipped["reason"].tolist()[0].startswith("amount too large: '1.7e")
    q = read_orders(p, columns=ColumnChoice(quantity="Amount", price="Unit Price", amount=None))
    check_contract(q)
    assert q.orders["customer_id"].tolist() == ["d", "e"]
    assert q.skipped["reason"].str.startswith("amount too large").all()

def test_merged_order_cells_apply_to_every_line_of_the_order(tmp_path):
    # 1C-style report: number, date and customer merged over the order's lines, one amount
    # per line; and an order total merged over the lines, which is one amount, not three
    p = tmp_path / "1c.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Продажи")
    date_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    ws.write_row(0, 0, ["Номер", "Дата", "Контрагент", "Товар", "Сумма", "Сумма документа"])
    for o, (first, lines) in enumerate(((1, 3), (4, 2))):
        last = first + lines - 1
        ws.merge_range(first, 0, last, 0, f"N{o}")
        ws.merge_range(first, 1, last, 1, "", date_fmt)
        ws.write_datetime(first, 1, dt.datetime(2024, 3, 1 + o), date_fmt)
        ws.merge_range(first, 2, last, 2, f"ООО К{o}")
        ws.merge_range(first, 5, last, 5, 100 * lines)
        for k in range(lines):
            ws.write_string(first + k, 3, f"товар {k}")
            ws.write_number(first + k, 4, 100)
    wb.close()
    r = read_orders(p)
    check_contract(r)
    assert len(r.skipped) == 0
    o = r.orders
    assert o["order_id"].tolist() == ["N0"] * 3 + ["N1"] * 2
    assert o["customer_id"].tolist() == ["ООО К0"] * 3 + ["ООО К1"] * 2
    assert o["date"].tolist() == [D("2024-03-01")] * 3 + [D("2024-03-02")] * 2
    assert o.groupby("order_id")["amount"].sum().tolist() == [300, 200]
    assert any("merged" in n for n in r.notes)
    t = read_orders(p, columns=ColumnChoice(amount="Сумма документа"))
    check_contract(t)
    assert t.orders.groupby("order_id")["amount"].sum().tolist() == [300, 200]


def test_rows_longer_than_the_header_are_named_in_the_notes(tmp_path):
    # "$1,234.50" unquoted in a comma-separated file: the row is one cell longer and its
    # amount reads as 1; the row is kept (as before), the notes say where to look
    p = tmp_path / "woo.csv"
    p.write_text("Order ID,Order Date,Customer,Order Total,Item\n501,2024-01-02,a,$1,234.50,Hat\n"
                 "502,2024-01-03,b,$20.00,Hat\n", encoding="utf-8")
    r = read_orders(p)
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["a", "b"]
    note = next(n for n in r.notes if "more cells than the header" in n)
    assert note.startswith("rows with more cells than the header's 5 (first: row 2): 1;")


def test_formulas_without_a_stored_result_are_named(tmp_path):
    # openpyxl (and some exporters) write formulas without their result: every reader that
    # does not calculate sees empty cells; the user sees numbers in Excel and needs to be told
    p = tmp_path / "script.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Customer ID", "Order Date", "Quantity", "Amount"])
    ws.append(["a", dt.datetime(2024, 3, 1), 2, "=C2*5"])
    ws.append(["b", dt.datetime(2024, 3, 2), 1, 7.5])
    wb.save(p)
    r = read_orders(p)
    check_contract(r)
    assert r.orders["customer_id"].tolist() == ["b"]
    assert r.skipped["reason"].tolist() == ["no amount: its formula has no stored result"]
    assert any("without a stored result, read as empty (first: D2): 1." in n for n in r.notes)
