"""Header synonyms (English, Russian, Chinese) and column matching.

A header is normalised (Unicode NFKC, case-folded, ё -> е, spaces, punctuation and
underscores removed: "Customer ID", "customer_id" and "CUSTOMER-ID" are all
"customerid") and compared with the synonym lists below.  An exact synonym
scores its priority; a header that merely *contains* a synonym of 4+ letters
(2+ for Chinese) scores 50 less, so "Order Date (UTC)" still counts as an order
date but never beats an exact "Order Date".
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field

from retention_xl.errors import InputError
from retention_xl.messages import WORDS, Note
from retention_xl.settings import ColumnChoice

#: Roles in the order the orders frame lists them.
ROLES = (
    "customer_id", "date", "amount", "quantity", "price", "order_id", "returned",
    "channel", "product", "score", "customer_name", "email", "phone",
    "currency", "doc_type", "refunded_amount",  # issue 10 (doc_type, refunded_amount), 18 (currency): refund documents with positive sums
)

#: role -> its name in English messages (the words notes use, so they are defined once)
ROLE_LABEL = {key.split(".", 1)[1]: word for key, word in WORDS.items() if key.startswith("role.")}

#: ColumnChoice field -> role, and the command-line option that sets it.
CHOICE_ROLES = {
    "customer": ("customer_id", "--customer-col"),
    "date": ("date", "--date-col"),
    "amount": ("amount", "--amount-col"),
    "quantity": ("quantity", "--qty-col"),  # as the command line spells it
    "price": ("price", "--price-col"),
    "order": ("order_id", "--order-col"),
    "returned": ("returned", "--returned-col"),
}


def normalize(header: object) -> str:
    """Case-, space-, punctuation- and width-insensitive form of a header."""
    if header is None:
        return ""
    s = unicodedata.normalize("NFKC", str(header)).casefold().replace("ё", "е")
    return re.sub(r"[\W_]+", "", s)


def _syn(priority: int, *names: str) -> list[tuple[str, int]]:
    return [(normalize(n), priority) for n in names]


SYNONYMS: dict[str, list[tuple[str, int]]] = {
    "customer_id": (
        _syn(100, "Customer ID", "CustomerID", "Customer No", "Customer Number", "Customer Code",
             "Client ID", "ClientID", "Cust ID", "Buyer ID", "Member ID", "User ID", "Account ID",
             "Contact ID", "Customer User", "Customer Key",
             "ID клиента", "Клиент ID", "Код клиента", "Номер клиента", "ID покупателя",
             "Код покупателя", "ID контакта", "Код контрагента", "ID пользователя",
             "客户ID", "客户编号", "客户代码", "会员ID", "会员编号", "买家ID", "用户ID", "顾客ID",
             "买家会员名", "买家账号", "买家会员ID")
        + _syn(85, "Customer", "Client", "Клиент", "Покупатель", "Контрагент", "Заказчик",
               "Покупатель (Заказчик)", "客户", "买家", "顾客", "会员", "买家昵称")
        + _syn(60, "Buyer", "User", "Account", "Member", "Контакт", "Пользователь", "用户")
        + _syn(55, "Company", "Компания", "Организация", "公司")
    ),
    "customer_name": (
        _syn(90, "Customer Name", "Client Name", "Full Name", "Contact Name", "Billing Name",
             "ФИО", "ФИО клиента", "Имя клиента", "Наименование клиента", "Наименование контрагента",
             "客户名称", "客户姓名", "买家姓名", "收货人", "收货人姓名", "姓名")
        + _syn(60, "Shipping Name", "Имя", "Контактное лицо")
        + _syn(40, "Name")
    ),
    "email": _syn(90, "Email", "E-mail", "Email Address", "Customer Email", "Billing Email",
                  "Mail", "Почта", "Электронная почта", "Email клиента", "邮箱", "电子邮件",
                  "电子邮箱", "买家邮箱"),
    "phone": _syn(90, "Phone", "Phone Number", "Telephone", "Mobile", "Tel", "Billing Phone",
                  "Shipping Phone", "Телефон", "Мобильный телефон", "Тел", "电话", "手机",
                  "手机号", "手机号码", "联系电话", "收货人手机", "联系手机"),
    "date": (
        _syn(100, "Order Date", "Created at", "Created", "Invoice Date", "InvoiceDate",
             "Purchase Date", "Order Created", "Date Created", "Order Time", "Ordered at",
             "Placed at", "Transaction Date", "Sale Date", "Date Ordered", "Order Datetime",
             "Дата заказа", "Дата создания", "Дата продажи", "Дата покупки", "Дата документа",
             "Дата реализации", "Дата и время", "Дата сделки",
             "下单时间", "订单创建时间", "创建时间", "订单日期", "下单日期", "订单时间", "成交时间",
             "交易时间")
        + _syn(90, "Date", "Datetime", "Timestamp", "Дата", "日期", "Период", "Day")
        + _syn(70, "Paid at", "Payment Date", "Дата оплаты", "付款时间", "支付时间", "Time", "时间")
    ),
    "amount": (
        _syn(100, "Amount Paid", "Paid Amount", "Total Paid", "Оплачено", "Сумма оплаты",
             "实付金额", "买家实际支付金额", "实收金额", "支付金额", "成交金额")
        + _syn(95, "Total", "Order Total", "Amount", "Total Amount", "Order Amount",
             "Grand Total", "Revenue", "Sales", "Sales Amount",
             "Line Total", "Total Price", "Net Amount", "Order Value", "Sum", "Value",
             "Сумма", "Сумма заказа", "Сумма сделки", "Сумма продажи", "Сумма с НДС", "Итого",
             "Выручка", "Стоимость", "Бюджет", "Сумма документа", "订单金额", "金额",
             "总金额", "订单总额", "总价", "销售额", "合计", "应付金额")
        + _syn(60, "Subtotal", "Net Sales", "Gross Sales", "Сумма без НДС", "商品总价", "小计")
    ),
    "quantity": _syn(100, "Quantity", "Qty", "Lineitem quantity", "Units", "Pcs", "Item Quantity",
                     "Количество", "Кол-во", "Колво", "Штук", "Шт", "数量", "购买数量", "商品数量",
                     "件数"),
    "price": (
        _syn(100, "Unit Price", "UnitPrice", "Lineitem price", "Price per Unit", "Item Price",
             "Price", "Цена", "Цена за ед", "Цена за единицу", "Цена продажи", "单价", "商品单价",
             "成交单价")
        + _syn(70, "价格", "售价")
    ),
    "order_id": (
        _syn(100, "Order ID", "OrderID", "Order Number", "Order No", "Order", "Invoice No",
             "InvoiceNo", "Invoice", "Invoice Number", "Invoice ID", "Transaction ID",
             "Receipt No", "Document No", "Order Reference", "Deal ID",
             "Номер заказа", "ID заказа", "Заказ", "Номер документа", "ID сделки", "Номер сделки",
             "订单编号", "订单号", "订单ID", "主订单编号", "单号", "交易号", "发票号")
        + _syn(80, "Номер", "Документ", "Сделка", "子订单编号", "Receipt", "Transaction")
    ),
    "returned": (
        _syn(100, "Returned", "Is Returned", "Return", "Refunded", "Refund", "Cancelled",
             "Canceled", "Is Cancelled", "Return Status", "Refund Status",
             "Возврат", "Возвращен", "Отменен", "Отмена", "Статус возврата",
             "退款状态", "是否退货", "退货", "退款", "退货状态", "售后状态", "是否退款")
        + _syn(85, "Financial Status", "Order Status", "Status", "Payment Status",
               "Статус", "Статус заказа", "Статус оплаты", "订单状态", "交易状态", "状态")
        + _syn(70, "Deal Stage", "Stage", "Стадия сделки", "Этап сделки", "Стадия", "Этап")
    ),
    "channel": _syn(90, "Channel", "Sales Channel", "Source", "Source Name", "Utm Source",
                    "Marketplace", "Platform", "Store", "Канал", "Канал продаж", "Источник",
                    "Источник сделки", "渠道", "来源", "销售渠道", "店铺", "店铺名称", "平台"),
    "product": (
        _syn(100, "Product", "Product Name", "Item", "Item Name", "Description", "Lineitem name",
             "Товар", "Номенклатура", "Наименование", "Наименование товара", "Продукт", "Услуга",
             "商品", "商品名称", "宝贝标题", "产品", "品名", "商品标题", "产品名称")
        + _syn(70, "SKU", "StockCode", "Stock Code", "Lineitem sku", "Product ID", "Артикул",
               "Код товара", "商品编码", "货号", "商家编码")
    ),
    # issue 10: the document / operation type ("Возврат товаров от клиента" is a refund) and the
    # refunded part of a paid row
    "doc_type": _syn(100, "Тип документа", "Вид документа", "Вид операции", "Операция", "Тип операции",
                     "Document type", "Transaction type", "Operation type",
                     "交易类型", "单据类型", "业务类型", "账单类型")
    + _syn(70, "Type", "Тип", "类型"),
    "refunded_amount": _syn(100, "Amount Refunded", "Refunded Amount", "Refund Amount",
                            "Total Refunded", "Сумма возврата", "退款金额", "已退款金额",
                            "退款总额"),
    # issue 18: the currency of each row's amount
    "currency": (
        _syn(100, "Currency", "Currency Code", "Order Currency", "Presentment Currency", "Payment Currency",
             "Валюта", "Код валюты", "Валюта заказа", "Валюта документа", "Валюта платежа",
             "币种", "货币", "币别", "货币代码", "结算币种", "交易币种", "币种代码")
        + _syn(80, "Ccy", "Cur", "Вал")
    ),
    "score": _syn(90, "NPS", "NPS Score", "Score", "CSAT", "CSAT Score", "Rating", "Оценка",
                  "Оценка NPS", "Рейтинг", "评分", "满意度", "评价分数", "打分", "推荐值"),
}

# A "contains" match on these words would be wrong for the role.
_EXCLUDE = {
    "amount": ("discount", "tax", "vat", "shipping", "refund", "скидк", "ндс", "налог", "доставк",
               "возврат", "折扣", "优惠", "运费", "税", "退款"),
    "date": ("birth", "рожден", "生日", "update", "измен", "修改", "ship", "отгруз", "deliver",
             "доставк", "发货"),
    "customer_id": ("name", "имя", "наимен", "фио", "名", "mail", "почт", "phone", "телеф",
                    "count", "колич", "数"),
}

_ORDER_LEVEL = {normalize(h) for h in (
    "Total", "Order Total", "Order Amount", "Grand Total", "Amount Paid", "Total Paid", "Order Value",
    "Сумма заказа", "Итого", "Сумма документа", "Сумма сделки", "Бюджет",
    "实付金额", "买家实际支付金额", "订单金额", "订单总额", "应付金额", "实收金额")}

_LOOKUP: dict[str, dict[str, int]] = {}
for _role, _items in SYNONYMS.items():
    for _name, _prio in _items:
        _LOOKUP.setdefault(_name, {})
        _LOOKUP[_name][_role] = max(_LOOKUP[_name].get(_role, 0), _prio)


def _is_cjk(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


#: role -> [(synonym, contained-match score)] for synonyms long enough to be looked for inside a header
_CONTAINED: dict[str, list[tuple[str, int]]] = {
    role: [(name, prio - 50 + min(len(name), 20) // 2) for name, prio in items
           if len(name) >= (2 if _is_cjk(name) else 4)]
    for role, items in SYNONYMS.items()
}


def header_scores(header: object, shopify: bool = False) -> dict[str, int]:
    """Role -> match score for one header (empty when it matches nothing)."""
    h = normalize(header)
    if not h or h.isdigit():
        return {}
    if shopify and h == "name":
        return {"order_id": 100}
    exact = _LOOKUP.get(h)
    if exact:
        return dict(exact)
    scores: dict[str, int] = {}
    for role, items in _CONTAINED.items():
        found = [sc for name, sc in items if name in h]
        if found and not any(x in h for x in _EXCLUDE.get(role, ())):
            # the longer the synonym found inside the header, the surer the match
            scores[role] = max(found)
    return scores


def is_shopify(headers: list) -> bool:
    norm = {normalize(h) for h in headers}
    return "financialstatus" in norm or any(h.startswith("lineitem") for h in norm)


def header_row_score(cells: list) -> float:
    """How much a row looks like an order header (0 = not at all)."""
    texts = [c for c in cells if isinstance(c, str) and c.strip()]
    if not texts:
        return 0.0
    shop = is_shopify(texts)
    best: dict[str, int] = {}
    for c in texts:
        for role, sc in header_scores(c, shop).items():
            best[role] = max(best.get(role, 0), sc)
    score = sum(1.0 if s >= 60 else 0.5 for s in best.values())
    have = set(best)
    customer = bool(have & {"customer_id", "customer_name", "email", "phone"})
    money = "amount" in have or {"quantity", "price"} <= have
    score += 2 * customer + 2 * ("date" in have) + 2 * money
    # a row full of numbers / dates is data, not a header
    numeric = sum(1 for c in cells if c is not None and not isinstance(c, str))
    return score - 0.5 * numeric


@dataclass
class ColumnMap:
    """Which column (by position) serves which role."""

    roles: dict[str, int]
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    returned_extra: list[int] = field(default_factory=list)  # more status columns, OR-ed in
    customer_fallback: int | None = None  # e-mail column used where the id is blank
    amount_order_level: bool = False

    def header(self, role: str) -> str:
        return self.headers[self.roles[role]]


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def headers_list(headers: list[str]) -> str:
    seen = [h for h in headers if h]
    if not seen:
        return "(none: the header row is empty)"
    shown = ", ".join(f'"{h}"' for h in seen[:40])
    return shown + (f", … ({len(seen)} in all)" if len(seen) > 40 else "")


def _find_explicit(name: str, headers: list[str]) -> int | None:
    for i, h in enumerate(headers):
        if h == name:
            return i
    for i, h in enumerate(headers):
        if h.strip().casefold() == name.strip().casefold():
            return i
    n = normalize(name)
    hits = [i for i, h in enumerate(headers) if n and normalize(h) == n]
    if len(hits) == 1:
        return hits[0]
    s = name.strip().upper()
    if 1 <= len(s) <= 3 and s.isalpha() and all(c in string.ascii_uppercase for c in s):
        idx = 0
        for c in s:
            idx = idx * 26 + (ord(c) - 64)
        if idx - 1 < len(headers):
            return idx - 1
    return None


def map_columns(headers: list[str], choice: ColumnChoice = ColumnChoice(), where: str = "") -> ColumnMap:
    """Assign roles to columns; raise InputError when a needed one is missing.

    `where` (e.g. "sheet 'Orders', header on row 3") goes into messages.
    """
    headers = ["" if h is None else str(h).strip() for h in headers]
    notes: list[str] = []
    roles: dict[str, int] = {}
    taken: set[int] = set()
    # 1. explicit choices
    for fld, (role, option) in CHOICE_ROLES.items():
        name = getattr(choice, fld)
        if name is None or str(name).strip() == "":
            continue
        idx = _find_explicit(str(name), headers)
        if idx is None:
            raise InputError(
                f'The column "{name}" given for the {ROLE_LABEL[role]} ({option}) is not in the '
                f"header{' (' + where + ')' if where else ''}. Headers seen: {headers_list(headers)}."
            )
        roles[role] = idx
        taken.add(idx)
    # 2. synonyms: each header goes to its best role; each role takes its best header
    shop = is_shopify(headers)
    cands: list[tuple[int, int, str]] = []  # (score, -index, role)
    per_col: dict[int, dict[str, int]] = {}
    for i, h in enumerate(headers):
        if i in taken:
            continue
        sc = header_scores(h, shop)
        per_col[i] = sc
        for role, s in sc.items():
            cands.append((s, -i, role))
    cands.sort(reverse=True)
    returned_all: list[tuple[int, int]] = []
    for s, neg_i, role in cands:
        i = -neg_i
        if role == "returned" and s >= 70:
            returned_all.append((s, i))
        if role in roles or i in taken:
            continue
        # a column is given to the role it matches best
        if s < max(per_col[i].values()):
            continue
        roles[role] = i
        taken.add(i)
    # second pass: roles still empty may take a column whose best role is already filled elsewhere
    for s, neg_i, role in cands:
        i = -neg_i
        if role in roles or i in taken:
            continue
        roles[role] = i
        taken.add(i)
    cmap = ColumnMap(roles=roles, headers=headers, notes=notes)
    # the same header twice: say which column was taken
    norm = [normalize(h) for h in headers]
    for role in ROLES:
        i = roles.get(role)
        if i is None or not norm[i]:
            continue
        twins = [j for j, h in enumerate(norm) if h == norm[i] and j != i]
        if twins:
            notes.append(Note("duplicate_header", n=len(twins) + 1, header=headers[i], role=role, taken=_col_letter(i),
                              others=", ".join(_col_letter(j) for j in twins)))
    if "returned" in roles and choice.returned is None:
        main = roles["returned"]
        extra = [i for s, i in sorted(returned_all, reverse=True) if i != main and i not in roles.values()]
        cmap.returned_extra = extra[:2]
        if cmap.returned_extra:
            notes.append(Note("returned_extra", headers=", ".join(f'"{headers[i]}"' for i in cmap.returned_extra)))
    # 3. customer key
    if "customer_id" not in roles:
        for fb in ("email", "phone", "customer_name"):
            if fb in roles:
                roles["customer_id"] = roles[fb]
                notes.append(Note("customer_from", header=headers[roles[fb]], role=fb))
                break
    elif "email" in roles and choice.customer is None:
        cmap.customer_fallback = roles["email"]
    # 4. what is missing?
    missing = []
    if "customer_id" not in roles:
        missing.append("customer id (or customer name / e-mail)")
    if "date" not in roles:
        missing.append("order date")
    if "amount" not in roles and not ("quantity" in roles and "price" in roles):
        if "quantity" in roles:
            missing.append("amount (or a unit price to multiply the quantity by)")
        elif "price" in roles:
            missing.append("amount (or a quantity to multiply the unit price by)")
        else:
            missing.append("amount (or quantity and unit price)")
    if missing:
        raise InputError(
            f"Cannot build the report{' from ' + where if where else ''}: no "
            + " and no ".join(missing)
            + f" column found. Headers seen: {headers_list(headers)}. Rename the column or name it "
            "explicitly (--customer-col, --date-col, --amount-col)."
        )
    if "amount" not in roles:
        notes.append(Note("amount_product", quantity=headers[roles["quantity"]], price=headers[roles["price"]]))
    else:
        cmap.amount_order_level = normalize(headers[roles["amount"]]) in _ORDER_LEVEL
    return cmap


def column_label(headers: list[str], i: int) -> str:
    return f'"{headers[i]}" (column {_col_letter(i)})'
