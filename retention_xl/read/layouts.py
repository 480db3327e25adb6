"""Known export layouts of shop, CRM, marketplace and payment platforms (issue 17).

A layout is recognised by its *signature*: headers that all appear in the export's
header row (compared as :func:`headers.normalize` makes them: case, spaces,
punctuation and full-width brackets do not matter). When several layouts match,
the one with the longest signature (the most specific) wins.

Each layout says, per role, which of its columns carry it, in order of preference
(the first column that is filled in the rows looked at wins; the next filled one
is used where the first is blank, for the customer). It also names the columns
whose *meaning* the numbers module reads: ``status`` (order/payment status words),
``doc_type`` (document or operation type: a return document with a positive sum is
a refund) and ``refunded`` (a partial refund on a paid row). The reader records
them on ``ReadResult.layout_columns``; it does not interpret their values.

``line_total``: the amount column already is the line's total (Amazon's
``item-price``), never a unit price to multiply by the quantity.
``comment_prefix``: rows whose first cell starts with it are comments or summaries
(Alipay's ``#`` lines) and are not data. ``field_prefix``: a character put before
every field (WeChat Pay's backtick), stripped before reading. ``summary_first``:
the first cell of a summary block at the end (WeChat Pay's 总交易单数 line and the
totals under it), which is not data.

``buyers=False``: the export holds no buyer at all (a marketplace seller's
realisation report); it is refused with ``no_buyer_hint`` (where, in that
platform, to export orders with buyers).
"""

from __future__ import annotations

from dataclasses import dataclass

from retention_xl.messages import WORDS

#: Platform ids (ReadResult.platform); labels ``platform.<id>`` name them in the report.
PLATFORMS = (
    "shopify", "woocommerce", "amocrm", "bitrix24", "1c", "moysklad", "taobao", "jd", "youzan", "pinduoduo",
    "ozon", "wildberries", "wechat_pay", "alipay", "stripe", "paypal", "etsy", "amazon", "magento",
    "bigcommerce", "tilda", "insales", "square",
)


@dataclass(frozen=True)
class Layout:
    platform: str  # one of PLATFORMS
    kind: str  # which export of the platform: labels ``layout.<kind>`` word it ("read as a WeChat Pay merchant bill")
    signature: tuple[str, ...]
    customer: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    quantity: tuple[str, ...] = ()
    price: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()
    refunded: tuple[str, ...] = ()
    line_total: bool = False
    comment_prefix: str | None = None
    field_prefix: str | None = None
    summary_first: tuple[str, ...] = ()
    buyers: bool = True
    no_buyer_hint: str = ""

    #: role (as headers.ROLES spells it) -> this layout's columns for it
    def role_columns(self) -> dict[str, tuple[str, ...]]:
        return {"customer_id": self.customer, "date": self.date, "amount": self.amount,
                "quantity": self.quantity, "price": self.price, "order_id": self.order}


L = Layout
LAYOUTS: tuple[Layout, ...] = (
    # ---- shops
    L("shopify", "shopify_orders", ("Name", "Email", "Financial Status", "Lineitem name"),
      customer=("Email", "Phone"), date=("Created at", "Paid at"), amount=("Total",), order=("Name",),
      quantity=("Lineitem quantity",), price=("Lineitem price",),
      status=("Financial Status",), refunded=("Refunded Amount",)),
    L("woocommerce", "woocommerce_orders", ("Order Number", "Order Status", "Order Date", "Email (Billing)"),
      customer=("Email (Billing)", "Customer User ID", "Phone (Billing)"), date=("Order Date", "Paid Date"),
      amount=("Order Total Amount", "Order Total"), order=("Order Number", "Order ID"),
      status=("Order Status",), refunded=("Order Refund Amount", "Refund Amount")),
    L("magento", "magento_orders", ("Purchase Point", "Grand Total (Purchased)", "Customer Group"),
      customer=("Customer Email", "Customer Name", "Bill-to Name"), date=("Purchase Date",),
      amount=("Grand Total (Purchased)", "Grand Total (Base)"), order=("ID",), status=("Status",),
      refunded=("Total Refunded",)),
    L("bigcommerce", "bigcommerce_orders", ("Order ID", "Order Total (inc tax)", "Order Status", "Customer Email"),
      customer=("Customer Email", "Customer ID"), date=("Order Date",),
      amount=("Order Total (inc tax)", "Order Total (ex tax)"), order=("Order ID",), status=("Order Status",),
      refunded=("Refund Amount",)),
    L("etsy", "etsy_sold_orders", ("Sale Date", "Buyer User ID", "Order Value", "Order Net"),
      customer=("Buyer User ID", "Buyer"), date=("Sale Date",), amount=("Order Total", "Order Value"),
      order=("Order ID",), status=("Status",)),
    L("amazon", "amazon_order_report", ("order-id", "order-item-id", "buyer-email", "item-price"),
      customer=("buyer-email", "buyer-name"), date=("purchase-date", "payments-date"), amount=("item-price",),
      quantity=("quantity-purchased",), order=("order-id",), line_total=True),
    L("amazon", "amazon_all_orders", ("amazon-order-id", "merchant-order-id", "purchase-date", "item-price"),
      buyers=False, no_buyer_hint="amazon"),
    L("square", "square_transactions", ("Gross Sales", "Net Sales", "Total Collected", "Transaction ID"),
      customer=("Customer ID", "Customer Name"), date=("Date",), amount=("Total Collected", "Gross Sales"),
      order=("Transaction ID",), doc_type=("Event Type",), refunded=("Partial Refunds",)),
    L("tilda", "tilda_leads", ("tranid", "formid"),
      customer=("Email", "Phone", "Name"), date=("sent", "Created", "Date"),
      amount=("payment_amount", "Payment Amount", "price", "Amount", "Сумма"), order=("tranid",),
      status=("paymentstatus", "Payment status", "Статус оплаты")),
    L("insales", "insales_orders", ("Номер заказа", "Статус оплаты", "Способ доставки", "Сумма заказа"),
      customer=("Email", "Телефон", "Контактное лицо"), date=("Дата создания",), amount=("Сумма заказа", "Итого"),
      order=("Номер заказа",), status=("Статус оплаты", "Статус заказа")),
    # ---- CRM and accounting
    L("amocrm", "amocrm_deals", ("Название сделки", "Бюджет", "Этап сделки"),
      customer=("Полное имя контакта", "Компания контакта", "Основной контакт", "Компания"),
      date=("Дата закрытия", "Дата создания"), amount=("Бюджет",), order=("ID",), status=("Этап сделки",)),
    L("bitrix24", "bitrix24_deals", ("Стадия сделки", "Ответственный", "Дата создания", "Сумма"),
      customer=("Контакт", "Компания"), date=("Дата создания", "Дата начала"), amount=("Сумма",), order=("ID",),
      status=("Стадия сделки",)),
    L("bitrix24", "bitrix24_invoices", ("Дата выставления", "Срок оплаты", "Статус", "Сумма"),
      customer=("Компания", "Контакт"), date=("Дата оплаты", "Дата выставления"), amount=("Сумма",),
      order=("Номер счёта", "Номер", "ID"), status=("Статус",)),
    L("1c", "1c_checks", ("Касса ККМ", "Дисконтная карта", "Сумма документа"),
      customer=("Дисконтная карта", "Покупатель", "Контрагент"), date=("Дата",), amount=("Сумма документа",),
      order=("Номер",), doc_type=("Операция", "Вид операции"), status=("Статус чека", "Статус")),
    L("1c", "1c_sales", ("Контрагент", "Договор", "Организация", "Сумма"),
      customer=("Контрагент",), date=("Дата",), amount=("Сумма", "Сумма документа"), order=("Номер",),
      doc_type=("Вид операции", "Операция")),
    L("moysklad", "moysklad_orders", ("№", "Время", "Контрагент", "Организация"),
      customer=("Контрагент",), date=("Время",), amount=("Сумма",), order=("№",), status=("Статус",)),
    # ---- Chinese marketplaces and payments
    L("taobao", "taobao_orders", ("订单编号", "买家会员名", "买家实际支付金额", "订单状态"),
      customer=("买家会员名", "买家支付宝账号"), date=("订单创建时间", "订单付款时间"), amount=("买家实际支付金额", "总金额"),
      order=("订单编号",), status=("退款状态", "订单状态"), refunded=("退款金额",)),
    L("jd", "jd_orders", ("订单号", "下单帐号", "客户地址", "应付金额"),
      customer=("下单帐号", "客户姓名"), date=("下单时间",), amount=("应付金额", "订单金额"),
      quantity=("订购数量",), order=("订单号",), status=("订单状态",)),
    L("youzan", "youzan_orders", ("买家昵称", "买家手机号", "订单实付金额"),
      customer=("买家手机号", "买家昵称"), date=("订单创建时间", "买家付款时间"), amount=("订单实付金额",),
      order=("订单号",), status=("订单状态",), refunded=("订单已退款金额", "退款金额")),
    L("pinduoduo", "pinduoduo_orders", ("订单号", "用户实付金额(元)", "商家实收金额(元)", "收货人"),
      customer=("手机", "收货人"), date=("订单成交时间", "支付时间", "拼单成功时间"),
      amount=("用户实付金额(元)", "商家实收金额(元)"), quantity=("商品数量(件)",), order=("订单号",),
      status=("订单状态", "售后状态")),
    L("wechat_pay", "wechat_pay_bill", ("交易时间", "公众账号ID", "微信订单号", "用户标识"),
      customer=("用户标识",), date=("交易时间",), amount=("应结订单金额", "总金额", "订单金额"),
      order=("商户订单号", "微信订单号"), status=("交易状态",), refunded=("退款金额",),
      field_prefix="`", summary_first=("总交易单数",)),
    L("alipay", "alipay_bill", ("支付宝交易号", "商户订单号", "业务类型", "对方账户"),
      customer=("对方账户",), date=("创建时间", "完成时间"), amount=("订单金额(元)", "商家实收(元)"),
      order=("商户订单号", "支付宝交易号"), doc_type=("业务类型",), comment_prefix="#"),
    # ---- payments (international)
    L("stripe", "stripe_payments", ("Created (UTC)", "Amount Refunded", "Status"),
      customer=("Customer ID", "Customer Email"), date=("Created (UTC)",), amount=("Amount", "Converted Amount"),
      order=("id",), status=("Status",), refunded=("Amount Refunded",)),
    L("paypal", "paypal_activity", ("TimeZone", "Gross", "Fee", "Net", "From Email Address"),
      customer=("From Email Address", "Name"), date=("Date",), amount=("Gross",), order=("Transaction ID",),
      status=("Status",), doc_type=("Type",)),
    # ---- Russian marketplaces
    L("ozon", "ozon_postings_buyers", ("Номер отправления", "Принят в обработку", "Покупатель"),
      customer=("Телефон покупателя", "Email покупателя", "Покупатель"), date=("Принят в обработку",),
      amount=("Сумма отправления", "Оплачено покупателем"), order=("Номер заказа", "Номер отправления"),
      status=("Статус",)),
    L("ozon", "ozon_postings", ("Номер отправления", "Принят в обработку", "Сумма отправления"),
      buyers=False, no_buyer_hint="ozon"),
    L("ozon", "ozon_realisation", ("Реализовано: на сумму, руб.", "Возвращено клиентом: кол-во"),
      buyers=False, no_buyer_hint="ozon"),
    L("wildberries", "wildberries_tasks_buyers", ("Номер задания", "ФИО покупателя"),
      customer=("Телефон покупателя", "ФИО покупателя"), date=("Дата создания", "Дата заказа"),
      amount=("Цена", "Сумма"), order=("Номер задания",), status=("Статус",)),
    L("wildberries", "wildberries_realisation", ("Тип документа", "Обоснование для оплаты",
                                                 "Вайлдберриз реализовал Товар (Пр)"),
      buyers=False, no_buyer_hint="wildberries"),
)
del L

#: no_buyer_hint -> where, in that platform, an export with buyers is found (English; the message says it)
NO_BUYER_HINTS: dict[str, str] = {k.split(".", 1)[1]: w for k, w in WORDS.items() if k.startswith("advice.")}


#: layout kind -> its English name (the words live in messages.WORDS, ``kind.<kind>``)
KIND_NAMES: dict[str, str] = {k.split(".", 1)[1]: w for k, w in WORDS.items() if k.startswith("kind.")}


def _norm(h: object) -> str:
    from retention_xl.read.headers import normalize
    return normalize(h)


_SIGS: list[tuple[Layout, frozenset[str]]] = []


def detect(headers: list[str]) -> Layout | None:
    """The known layout whose signature headers all appear in *headers* (the most specific one)."""
    if not _SIGS:  # built on first use: headers.normalize imports this module
        _SIGS.extend((lay, frozenset(_norm(h) for h in lay.signature)) for lay in LAYOUTS)
    have = {_norm(h) for h in headers if h}
    best: Layout | None = None
    best_len = 0
    for lay, sig in _SIGS:
        if sig <= have and len(sig) > best_len:
            # an export with a buyer column is the buyer layout, never its buyer-less sibling
            best, best_len = lay, len(sig)
    if best is not None and not best.buyers:
        with_buyers = [lay for lay, sig in _SIGS if lay.platform == best.platform and lay.buyers and sig <= have]
        if with_buyers:
            return with_buyers[0]
    return best


def find(headers: list[str], names: tuple[str, ...]) -> list[int]:
    """Positions of the layout's column *names* in *headers*, in the layout's order of preference."""
    norm = [_norm(h) for h in headers]
    out = []
    for name in names:
        n = _norm(name)
        for i, h in enumerate(norm):
            if h == n and i not in out:
                out.append(i)
                break
    return out
