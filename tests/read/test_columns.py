"""Header synonyms and column matching (retention_xl.read.headers)."""

from __future__ import annotations

import pytest

from retention_xl.read.headers import header_row_score, map_columns, normalize
from retention_xl.errors import InputError
from retention_xl.settings import ColumnChoice


def roles(headers, choice=ColumnChoice()):
    m = map_columns(headers, choice)
    return {role: headers[i] for role, i in m.roles.items()}, m


def test_normalize_is_case_space_punctuation_width_insensitive():
    assert normalize("Customer ID") == normalize("customer_id") == normalize("CUSTOMER-ID") == "customerid"
    assert normalize("  Дата  заказа ") == normalize("дата_заказа") == "датазаказа"
    assert normalize("客户ＩＤ") == "客户id"  # full-width letters
    assert normalize("Отменён") == normalize("отменен")


def test_spec_examples_for_customer_id():
    for h in ("Customer ID", "CustomerID", "Клиент", "ID клиента", "客户ID"):
        r, _ = roles([h, "Date", "Amount"])
        assert r["customer_id"] == h


def test_shopify_orders_export():
    headers = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Currency", "Subtotal",
               "Shipping", "Taxes", "Total", "Discount Amount", "Created at", "Lineitem quantity",
               "Lineitem name", "Lineitem price", "Lineitem sku", "Billing Name", "Refunded Amount", "Source", "Phone"]
    r, m = roles(headers)
    assert r["order_id"] == "Name"  # "#1001" is the order number in Shopify
    assert r["customer_id"] == "Email"
    assert r["date"] == "Created at"
    assert r["amount"] == "Total"
    assert r["returned"] == "Financial Status"
    assert r["quantity"] == "Lineitem quantity" and r["price"] == "Lineitem price"
    assert r["product"] == "Lineitem name"
    assert r["customer_name"] == "Billing Name"
    assert r["channel"] == "Source"
    assert any("Email" in n and "customers apart" in n for n in m.notes)


def test_woocommerce_export():
    headers = ["Order Number", "Order Status", "Order Date", "Customer User", "Billing First Name",
               "Billing Email", "Billing Phone", "Order Total", "Payment Method Title"]
    r, m = roles(headers)
    assert r["order_id"] == "Order Number"
    assert r["returned"] == "Order Status"
    assert r["date"] == "Order Date"
    assert r["customer_id"] == "Customer User"
    assert r["amount"] == "Order Total"
    assert r["email"] == "Billing Email" and r["phone"] == "Billing Phone"
    assert m.customer_fallback == headers.index("Billing Email")


def test_1c_sales_report():
    r, _ = roles(["Документ", "Дата", "Контрагент", "Номенклатура", "Количество", "Цена", "Сумма"])
    assert r == {"order_id": "Документ", "date": "Дата", "customer_id": "Контрагент", "product": "Номенклатура",
                 "quantity": "Количество", "price": "Цена", "amount": "Сумма"}


def test_1c_with_number_and_buyer():
    r, _ = roles(["Номер", "Дата", "Покупатель", "Сумма", "Сумма НДС"])
    assert r["order_id"] == "Номер" and r["customer_id"] == "Покупатель" and r["amount"] == "Сумма"


def test_bitrix24_deals():
    r, _ = roles(["ID", "Название сделки", "Стадия сделки", "Сумма сделки", "Контакт", "ID клиента", "Дата создания"])
    assert r["customer_id"] == "ID клиента"  # the id, not the contact name
    assert r["amount"] == "Сумма сделки"
    assert r["date"] == "Дата создания"
    assert r["returned"] == "Стадия сделки"


def test_amocrm_client_only():
    r, _ = roles(["Сделка", "Бюджет", "Клиент", "Дата создания", "Этап"])
    assert r["customer_id"] == "Клиент" and r["amount"] == "Бюджет" and r["order_id"] == "Сделка"


def test_taobao_style_chinese_export():
    headers = ["订单编号", "买家会员名", "买家应付货款", "总金额", "买家实际支付金额", "订单状态", "订单创建时间",
               "订单付款时间", "宝贝标题", "宝贝总数量", "退款状态", "店铺名称"]
    r, m = roles(headers)
    assert r["order_id"] == "订单编号"
    assert r["customer_id"] == "买家会员名"
    assert r["amount"] == "买家实际支付金额"
    assert r["date"] == "订单创建时间"
    assert r["returned"] == "退款状态"
    assert m.returned_extra == [headers.index("订单状态")]
    assert r["product"] == "宝贝标题"
    assert r["channel"] == "店铺名称"


def test_youzan_jd_style():
    r, _ = roles(["订单号", "客户ID", "下单时间", "付款时间", "数量", "单价", "实付金额", "订单状态"])
    assert r["customer_id"] == "客户ID" and r["date"] == "下单时间" and r["amount"] == "实付金额"
    assert r["quantity"] == "数量" and r["price"] == "单价" and r["order_id"] == "订单号"


def test_online_retail_invoice_lines():
    headers = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
    r, m = roles(headers)
    assert r["order_id"] == "InvoiceNo" and r["customer_id"] == "CustomerID" and r["date"] == "InvoiceDate"
    assert r["quantity"] == "Quantity" and r["price"] == "UnitPrice" and "amount" not in r
    assert r["product"] == "Description"
    assert any("Quantity" in n and "UnitPrice" in n for n in m.notes)


def test_online_retail_ii_headers():
    r, _ = roles(["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"])
    assert r["order_id"] == "Invoice" and r["price"] == "Price" and r["customer_id"] == "Customer ID"


def test_most_specific_customer_column_wins():
    r, m = roles(["Customer Name", "Customer ID", "Email", "Date", "Amount"])
    assert r["customer_id"] == "Customer ID"
    assert r["customer_name"] == "Customer Name" and r["email"] == "Email"
    assert not any("customers apart" in n for n in m.notes)


def test_name_only_used_as_key_with_note():
    r, m = roles(["ФИО", "Дата", "Сумма"])
    assert r["customer_id"] == "ФИО"
    assert any("ФИО" in n for n in m.notes)


def test_contains_match_and_exclusions():
    r, _ = roles(["Client", "Order Date (UTC)", "Discount amount", "Amount, $"])
    assert r["date"] == "Order Date (UTC)" and r["amount"] == "Amount, $"


def test_explicit_columns_override_synonyms():
    r, _ = roles(["Who", "When", "HowMuch", "Customer"],
                 ColumnChoice(customer="Who", date="when", amount="How much"))
    assert r["customer_id"] == "Who" and r["date"] == "When" and r["amount"] == "HowMuch"


def test_explicit_column_letter():
    r, _ = roles(["x", "y", "z"], ColumnChoice(customer="A", date="B", amount="C"))
    assert r["customer_id"] == "x" and r["amount"] == "z"


def test_explicit_missing_column_lists_headers():
    with pytest.raises(InputError) as e:
        map_columns(["Client", "Date", "Sum"], ColumnChoice(amount="Revenue"))
    msg = str(e.value)
    assert '"Revenue"' in msg and "--amount-col" in msg and '"Client", "Date", "Sum"' in msg


@pytest.mark.parametrize(
    "headers,missing",
    [
        (["Date", "Amount"], "customer id"),
        (["Customer", "Amount"], "order date"),
        (["Customer", "Date", "Comment"], "amount (or quantity and unit price)"),
        (["Customer", "Date", "Quantity"], "unit price"),
    ],
)
def test_missing_needed_column_message(headers, missing):
    with pytest.raises(InputError) as e:
        map_columns(headers, where='sheet "Orders", header on row 3')
    msg = str(e.value)
    assert missing in msg
    assert 'sheet "Orders"' in msg
    assert all(f'"{h}"' in msg for h in headers)


def test_header_row_score_prefers_header_over_title_and_data():
    title = ["Sales report for 2024", None, None]
    header = ["Customer", "Order date", "Amount"]
    data = ["C1", "2024-01-01", 10.0]
    assert header_row_score(header) > header_row_score(title)
    assert header_row_score(header) > header_row_score(data)


def test_messages_name_the_real_command_line_options():
    from retention_xl.cli import build_parser
    from retention_xl.read.headers import CHOICE_ROLES

    parser = build_parser()
    for _role, option in CHOICE_ROLES.values():
        parser.parse_args(["report", "orders.csv", option, "H"])  # exits (SystemExit) if there is no such option
    with pytest.raises(InputError) as e:
        map_columns(["Client", "Date", "Qty", "Price"], ColumnChoice(quantity="Menge"))
    assert "--qty-col" in str(e.value)
