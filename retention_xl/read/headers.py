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

import numpy as np
import pandas as pd

from retention_xl.errors import InputError
from retention_xl.messages import Join, Message, Note
from retention_xl.read import layouts as layout_mod
from retention_xl.settings import ColumnChoice

#: Roles in the order the orders frame lists them.
ROLES = (
    "customer_id", "date", "amount", "quantity", "price", "order_id", "returned",
    "channel", "product", "score", "customer_name", "email", "phone",
    "currency", "doc_type", "refunded_amount",  # issue 10 (doc_type, refunded_amount), 18 (currency): refund documents with positive sums
)

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
             "买家会员名", "买家账号", "买家会员ID",
             # issue 17: common headers that were not recognised
             "Дисконтная карта", "Номер дисконтной карты", "Карта лояльности", "对方账户", "对方账号",
             "下单帐号", "下单账号", "用户标识", "Buyer User ID", "buyer-email", "From Email Address")
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
             "交易时间",
             # issue 17
             "Created (UTC)", "Created date (UTC)", "Sale Date", "purchase-date", "Purchase Date",
             "Принят в обработку", "订单成交时间")
        + _syn(90, "Date", "Datetime", "Timestamp", "Дата", "日期", "Период", "Day")
        + _syn(70, "Paid at", "Payment Date", "Дата оплаты", "付款时间", "支付时间", "Time", "时间",
               "Время")
    ),
    "amount": (
        _syn(100, "Amount Paid", "Paid Amount", "Total Paid", "Оплачено", "Сумма оплаты",
             "实付金额", "买家实际支付金额", "实收金额", "支付金额", "成交金额",
             # issue 17
             "订单实付金额", "用户实付金额(元)", "应结订单金额", "Order Total (inc tax)", "Grand Total (Purchased)",
             "Total Collected", "Gross", "Сумма документа", "Сумма отправления")
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
                    "count", "колич", "数",
                    # a courier or carrier company is not the buyer (Pinduoduo's 快递公司, issue 17)
                    "courier", "carrier", "shipping", "доставк", "перевоз", "курьер", "快递", "物流", "承运"),
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


@dataclass(frozen=True)
class ColumnPick:
    """How one role's column was chosen (issue 17): the winner, what it looks like, the runner-up.

    ``problem`` / ``runner_problem`` are codes of what the values look like (labels
    ``pick.<code>``): empty, blank (mostly blank), one_value (one value covers most
    rows), few_values (a handful of group names), address, zeros (mostly 0),
    not_numbers, not_dates; None when the column looks right. ``doubt`` is "close"
    (the runner-up scored nearly as well) or "wrong" (the winner looks wrong), else
    None; the Dashboard names the columns of the picks with a doubt.
    """

    role: str
    header: str
    column: str  # letter
    problem: str | None = None
    runner_up: str | None = None
    runner_column: str | None = None
    runner_problem: str | None = None
    doubt: str | None = None
    by: str = "header"  # "given" (named by the user), "layout" (a known platform layout), "header"


@dataclass
class ColumnMap:
    """Which column (by position) serves which role."""

    roles: dict[str, int]
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    returned_extra: list[int] = field(default_factory=list)  # more status columns, OR-ed in
    customer_fallback: int | None = None  # e-mail column used where the id is blank
    amount_order_level: bool = False
    layout: "layout_mod.Layout | None" = None  # the known platform layout recognised, if any
    #: the layout's meaning columns: "status" / "doc_type" / "refunded" -> column positions
    layout_columns: dict[str, list[int]] = field(default_factory=dict)
    picks: list[ColumnPick] = field(default_factory=list)

    def header(self, role: str) -> str:
        return self.headers[self.roles[role]]


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def headers_list(headers: list[str]) -> Message:
    """The headers a refusal shows, each quoted the way the reader's language quotes (at most 40)."""
    seen = [h for h in headers if h]
    if not seen:
        return Message("error.no_headers_seen")
    shown = Join(tuple(Message("error.quoted", text=h) for h in seen[:40]), "comma")
    return Message("error.headers_seen", headers=shown,
                   more=Message("error.headers_in_all", n=len(seen)) if len(seen) > 40 else "")


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


# ---------------------------------------------------------------- content (issue 17)

#: rows under the header whose values are looked at to judge a candidate column
SAMPLE_ROWS = 1000
#: roles whose candidates are judged by their values as well as their header
_CONTENT_ROLES = ("customer_id", "date", "amount", "quantity", "price", "order_id")
_CUSTOMER_KEYS = ("email", "phone", "customer_name")
_ADDRESS_WORDS = ("address", "адрес", "地址", "street", "улица")
_ADDRESS_VALUE = re.compile(r"\d.*[,，\s].*\S|[省市区县路街号]|ул\.|улица|street|\bst\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Quality:
    q: float  # 0..1: how well the values fit the role
    problem: str | None


_GOOD = _Quality(1.0, None)


def _sample_frame(sample: list[list] | None, width: int) -> pd.DataFrame | None:
    if sample is None:
        return None
    def blank(c) -> bool:
        return c is None or (isinstance(c, str) and not c.strip()) or (isinstance(c, float) and c != c)

    # fully blank rows are not data: they neither fill nor empty a column
    rows = [list(r)[:width] + [None] * (width - len(r)) for r in sample[:SAMPLE_ROWS]
            if not all(blank(c) for c in r)]
    return pd.DataFrame(rows, columns=list(range(width)), dtype=object) if rows else pd.DataFrame(
        columns=list(range(width)), dtype=object)


def _quality(role: str, col: pd.Series | None, header: str) -> _Quality:
    """How well a column's values fit a role (1 = fully; 0 = empty)."""
    if col is None:
        return _GOOD
    from retention_xl.read import cells as P

    if not len(col):
        return _GOOD
    ids = P.parse_ids(col)
    filled = ids.status == P.OK
    n = len(col)
    nf = int(filled.sum())
    if nf == 0:
        return _Quality(0.0, "empty")
    fill = nf / n
    if role in ("customer_id",) + _CUSTOMER_KEYS:
        counts = np.bincount(ids.codes[filled], minlength=len(ids.uniques))
        distinct = int((counts > 0).sum())
        q, problem = fill, ("blank" if fill < 0.5 else None)
        h = normalize(header)
        if (nf >= 10 and distinct <= 3) or (nf >= 50 and distinct <= 5) or (nf >= 500 and distinct <= 10):
            q, problem = q * 0.1, "few_values"
        elif nf >= 10 and counts.max() > 0.5 * nf:
            q, problem = q * 0.2, "one_value"
        elif any(w in h for w in _ADDRESS_WORDS) and not any(w in h for w in ("mail", "почт", "邮")):
            q, problem = q * 0.1, "address"
        else:
            vals = [str(v) for v in ids.uniques[:200]]
            long_addr = sum(1 for v in vals if len(v) > 20 and _ADDRESS_VALUE.search(v) and "@" not in v)
            if vals and long_addr > 0.6 * len(vals):
                q, problem = q * 0.1, "address"
        return _Quality(q, problem)
    if role in ("amount", "quantity", "price"):
        num = P.parse_numbers(col)
        ok = num.status == P.OK
        share = ok.sum() / nf
        if share < 0.5:
            return _Quality(fill * share, "not_numbers")
        nonzero = (np.abs(num.values[ok]) > 0).mean() if ok.any() else 0.0
        if nonzero < 0.2:
            return _Quality(fill * share * 0.1, "zeros")
        return _Quality(fill * share, "blank" if fill < 0.5 else None)
    if role == "date":
        dp = P.parse_dates(col)
        share = (dp.status == P.OK).sum() / nf
        if share < 0.5:
            return _Quality(fill * share, "not_dates")
        return _Quality(fill * share, "blank" if fill < 0.5 else None)
    return _Quality(fill, "blank" if fill < 0.5 else None)


def _weight(q: float) -> float:
    """Header score multiplier for a content quality: a filled, fitting column keeps its score."""
    return 0.02 if q <= 0 else 0.3 + 0.7 * q


def _no_buyer(layout: "layout_mod.Layout", where: str | Message) -> InputError:
    advice = layout.no_buyer_hint if layout.no_buyer_hint in layout_mod.NO_BUYER_HINTS else ""
    return InputError("error.no_buyer_column", where=_from(where), kind=layout.kind, advice=advice)


def _from(where: str | Message) -> Message | str:
    """' from <where>' of a refusal (where the header was read), or nothing."""
    return Message("error.from_where", where=where) if where else ""


def map_columns(headers: list[str], choice: ColumnChoice = ColumnChoice(), where: str | Message = "",
                sample: list[list] | None = None) -> ColumnMap:
    """Assign roles to columns; raise InputError when a needed one is missing.

    `where` (e.g. "sheet 'Orders', header on row 3") goes into messages. `sample`:
    the data rows under the header (the first SAMPLE_ROWS are looked at); with it,
    each candidate column is judged by its values as well as its header, and a
    known platform layout (layouts.py) decides the columns it knows.
    """
    headers = ["" if h is None else str(h).strip() for h in headers]
    notes: list[str] = []
    roles: dict[str, int] = {}
    taken: set[int] = set()
    by: dict[str, str] = {}
    layout = layout_mod.detect(headers)
    if layout is not None and not layout.buyers and choice.customer is None:
        raise _no_buyer(layout, where)
    frame = _sample_frame(sample, len(headers))
    if frame is not None and layout is not None and layout.field_prefix:
        for c in frame.columns:
            frame[c] = frame[c].map(lambda v, p=layout.field_prefix: v[len(p):] if isinstance(v, str) and v.startswith(p)
                                    else v)
    if frame is not None and layout is not None and (layout.comment_prefix or layout.summary_first):
        first = frame[0].map(lambda v: str(v).strip() if v is not None else "")
        drop = np.zeros(len(frame), dtype=bool)
        if layout.comment_prefix:
            drop |= first.str.startswith(layout.comment_prefix).to_numpy()
        if layout.summary_first:
            hit = np.flatnonzero(first.isin(layout.summary_first).to_numpy())
            if len(hit):
                drop[hit[0]:] = True
        frame = frame[~drop].reset_index(drop=True)
    qcache: dict[tuple[str, int], _Quality] = {}

    def quality(role: str, i: int) -> _Quality:
        key = (role, i)
        if key not in qcache:
            qcache[key] = _quality(role, None if frame is None else frame[i], headers[i])
        return qcache[key]
    # 1. explicit choices
    for fld, (role, option) in CHOICE_ROLES.items():
        name = getattr(choice, fld)
        if name is None or str(name).strip() == "":
            continue
        idx = _find_explicit(str(name), headers)
        if idx is None:
            raise InputError("error.given_column_missing", name=str(name), role=role, option=option,
                             where=Message("error.in_where", where=where) if where else "",
                             headers=headers_list(headers))
        roles[role] = idx
        taken.add(idx)
        by[role] = "given"
    # 1b. a known platform layout decides the columns it knows (the first filled one of its list)
    customer_fallback: int | None = None
    layout_columns: dict[str, list[int]] = {}
    if layout is not None:
        for role, names in layout.role_columns().items():
            found = [i for i in layout_mod.find(headers, names) if i not in taken]
            if role in roles or not found:
                continue
            filled = [i for i in found if quality(role, i).q >= 0.5] or [i for i in found if quality(role, i).q > 0]
            idx = (filled or found)[0]
            roles[role] = idx
            taken.add(idx)
            by[role] = "layout"
            if role == "customer_id":
                hs = header_scores(headers[idx])
                key = next((k for k in _CUSTOMER_KEYS if k in hs), None) if "customer_id" not in hs else None
                if key is not None:
                    notes.append(Note("customer_from", header=headers[idx], role=key))
            if role == "customer_id" and choice.customer is None:
                # where the key is blank, the next filled column tells customers apart; never one that
                # lumps them together ("微信用户" as a nickname)
                rest = [i for i in found if i != idx and quality(role, i).q > 0 and quality(role, i).problem is None]
                if rest:
                    customer_fallback = rest[0]
        for what in ("status", "doc_type", "refunded"):
            cols = layout_mod.find(headers, getattr(layout, what))
            if cols:
                layout_columns[what] = cols
        if "returned" not in roles and layout.status:
            st = [i for i in layout_mod.find(headers, layout.status) if i not in taken]
            if st:
                roles["returned"] = st[0]
                taken.add(st[0])
                by["returned"] = "layout"
    # 2. synonyms: each header goes to its best role; each role takes its best header. A
    # candidate's header score is weighed by how well its values fit the role (issue 17).
    shop = is_shopify(headers)
    cands: list[tuple[float, int, str]] = []  # (score, -index, role)
    per_col: dict[int, dict[str, float]] = {}
    for i, h in enumerate(headers):
        if i in taken:
            continue
        sc: dict[str, float] = dict(header_scores(h, shop))
        for role in sc:
            if role in _CONTENT_ROLES:
                sc[role] = sc[role] * _weight(quality(role, i).q)
        per_col[i] = sc
        for role, s in sc.items():
            cands.append((s, -i, role))
    cands.sort(reverse=True)
    returned_all: list[tuple[float, int]] = []
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
    cmap = ColumnMap(roles=roles, headers=headers, notes=notes, layout=layout, layout_columns=layout_columns)
    if customer_fallback is not None:
        cmap.customer_fallback = customer_fallback
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
    # 3. customer key: an id column whose values do not tell customers apart (blank, one
    # value, a handful of group names, addresses) gives way to a filled e-mail, phone or name
    if "customer_id" in roles and by.get("customer_id", "header") == "header":
        if quality("customer_id", roles["customer_id"]).q < 0.5:
            alt = [(quality(fb, roles[fb]).q, fb) for fb in _CUSTOMER_KEYS if fb in roles]
            alt = [(q, fb) for q, fb in alt if q >= 0.8]
            if alt:
                q, fb = max(alt, key=lambda t: t[0])
                weak = roles.pop("customer_id")
                taken.discard(weak)
                by.pop("customer_id", None)
                notes.append(Note("customer_instead", header=headers[roles[fb]], weak=headers[weak],
                                  problem=quality("customer_id", weak).problem or "blank"))
    if "customer_id" not in roles:
        keys = [fb for fb in _CUSTOMER_KEYS if fb in roles]
        if frame is not None:
            keys.sort(key=lambda fb: -quality(fb, roles[fb]).q)  # stable: e-mail first among equals
        for fb in keys:
            roles["customer_id"] = roles[fb]
            by["customer_id"] = "header"
            notes.append(Note("customer_from", header=headers[roles[fb]], role=fb))
            break
    elif "email" in roles and choice.customer is None and cmap.customer_fallback is None \
            and roles["email"] != roles["customer_id"]:
        cmap.customer_fallback = roles["email"]
    # 4. what is missing?
    missing = []
    if "customer_id" not in roles:
        missing.append("customer_id")
    if "date" not in roles:
        missing.append("date")
    if "amount" not in roles and not ("quantity" in roles and "price" in roles):
        if "quantity" in roles:
            missing.append("amount_qty")
        elif "price" in roles:
            missing.append("amount_price")
        else:
            missing.append("amount")
    if missing:
        raise InputError("error.missing_columns", where=_from(where), missing=Join(tuple(missing), "and_no"),
                         headers=headers_list(headers), hint="rename_column")
    if "amount" not in roles:
        notes.append(Note("amount_product", quantity=headers[roles["quantity"]], price=headers[roles["price"]]))
    else:
        cmap.amount_order_level = normalize(headers[roles["amount"]]) in _ORDER_LEVEL and not (
            layout is not None and layout.line_total)
    cmap.picks = _picks(roles, headers, by, quality, shop)
    return cmap


def hs_direct(header: str, shop: object) -> set[str]:
    """The roles a header names by itself (its header scores), e.g. {"customer_id"} for "Customer ID"."""
    return set(header_scores(header, shop))


def _picks(roles, headers, by, quality, shop) -> list[ColumnPick]:
    """Each needed role's column, its runner-up and whether the choice is in doubt."""
    out = []
    main = {roles[r] for r in ("customer_id", "date", "amount", "quantity", "price", "order_id") if r in roles}
    for role in ("customer_id", "date", "amount", "quantity", "price", "order_id"):
        if role not in roles:
            continue
        if role in ("quantity", "price") and "amount" in roles:
            continue
        i = roles[role]
        qw = quality(role, i)
        hs = header_scores(headers[i], shop).get(role)
        if hs is None:  # a layout's or the user's column, or a customer key from e-mail / phone / name
            hs = max(header_scores(headers[i], shop).values(), default=60)
        win = hs * _weight(qw.q)
        best = None
        for j, h in enumerate(headers):
            if j == i or j in main:
                continue
            sc = header_scores(h, shop)
            s = sc.get(role)
            fallback = False
            if s is None and role == "customer_id":
                s = max((sc[k] for k in _CUSTOMER_KEYS if k in sc), default=None)
                fallback = True  # a name / e-mail / phone column: a stand-in for an id, not a rival to one
            if s is None:
                continue
            qj = quality(role, j)
            s_eff = s * _weight(qj.q)
            if best is None or s_eff > best[0]:
                best = (s_eff, j, qj, fallback)
        doubt = None
        if qw.problem is not None:
            doubt = "wrong"
        elif best is not None and by.get(role, "header") == "header" and best[0] >= 0.9 * win \
                and best[2].problem is None and not (best[3] and role in hs_direct(headers[i], shop)):
            doubt = "close"
        out.append(ColumnPick(
            role=role, header=headers[i], column=_col_letter(i), problem=qw.problem,
            runner_up=headers[best[1]] if best else None, runner_column=_col_letter(best[1]) if best else None,
            runner_problem=best[2].problem if best else None, doubt=doubt, by=by.get(role, "header"),
        ))
    return out


def column_label(headers: list[str], i: int) -> str:
    return f'"{headers[i]}" (column {_col_letter(i)})'
