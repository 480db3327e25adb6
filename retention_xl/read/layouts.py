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

``source``: the public file or page the header set was checked against (``owner/repo:path@commit``
or a URL), or, where none was found, "no public sample found" and what the headers rest on.

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
    source: str = ""  # where the header set was checked, or that no public sample was found (issue 17)

    #: role (as headers.ROLES spells it) -> this layout's columns for it
    def role_columns(self) -> dict[str, tuple[str, ...]]:
        return {"customer_id": self.customer, "date": self.date, "amount": self.amount,
                "quantity": self.quantity, "price": self.price, "order_id": self.order}


L = Layout
#: ``source``: where the header set was checked (issue 17). A file is named ``owner/repo:path@commit``;
#: "public parsers (code index)" means the headers were seen, spelled exactly so, in several public
#: repositories that read this export, but the index did not name them, so no file is cited.
AIRBYTE_SP = ("airbytehq/airbyte:airbyte-integrations/connectors/source-amazon-seller-partner/"
              "source_amazon_seller_partner/schemas/")
LAYOUTS: tuple[Layout, ...] = (
    # ---- shops
    L("shopify", "shopify_orders", ("Name", "Email", "Financial Status", "Lineitem name"),
      customer=("Email", "Phone"), date=("Created at", "Paid at"), amount=("Total",), order=("Name",),
      quantity=("Lineitem quantity",), price=("Lineitem price",),
      status=("Financial Status",), refunded=("Refunded Amount",),
      source="laplace-live/shopify-csv-converter:src/types/index.d.ts@307e9e3218d3b105a2df93962f0fbb356c88929f "
             "(the orders-CSV columns; full order also in jadwro/allegro_csv_parser:"
             "src/Shopify/types/ShopifyOrderTypeCSV.ts)"),
    L("woocommerce", "woocommerce_orders", ("Order Number", "Order Status", "Order Date", "Email (Billing)"),
      customer=("Email (Billing)", "Customer User ID", "Phone (Billing)"), date=("Order Date", "Paid Date"),
      amount=("Order Total Amount", "Order Total"), order=("Order Number", "Order ID"),
      status=("Order Status",), refunded=("Order Refund Amount", "Refund Amount"),
      source="Advanced Order Export For WooCommerce, field labels and default (checked) fields: "
             "Bertrand74/woocommerce-order-export:classes/core/class-wc-order-export-data-extractor-ui.php"
             "@7f7cd6928f4724771614acf94b010e447073052c"),
    # the grid exports its visible columns; Customer Email / Customer Group / Customer Name are hidden
    # by default, so the signature holds only default columns and the customer falls back to Bill-to Name
    L("magento", "magento_orders", ("Purchase Point", "Purchase Date", "Bill-to Name", "Grand Total (Purchased)"),
      customer=("Customer Email", "Customer Name", "Bill-to Name"), date=("Purchase Date",),
      amount=("Grand Total (Purchased)", "Grand Total (Base)"), order=("ID",), status=("Status",),
      refunded=("Total Refunded",),
      source="magento/magento2:app/code/Magento/Sales/view/adminhtml/ui_component/sales_order_grid.xml"
             "@0150eaeced63bfe4bed9bd9e532a578da18709e6 (column labels; visible=false marks the hidden ones)"),
    L("bigcommerce", "bigcommerce_orders", ("Order ID", "Order Total (inc tax)", "Order Status", "Customer Email"),
      customer=("Customer Email", "Customer ID"), date=("Order Date",),
      amount=("Order Total (inc tax)", "Order Total (ex tax)"), order=("Order ID",), status=("Order Status",),
      refunded=("Refund Amount",),
      source="public parsers (code index) of the default Export Orders template: Order ID, Customer ID, "
             "Customer Name, Customer Email, Customer Phone, Order Date, Order Status, Subtotal (inc tax), ..., "
             "Order Total (inc tax), Order Total (ex tax), Payment Method, Total Quantity; no file citable"),
    L("etsy", "etsy_sold_orders", ("Sale Date", "Buyer User ID", "Order Value", "Order Net"),
      customer=("Buyer User ID", "Buyer"), date=("Sale Date",), amount=("Order Total", "Order Value"),
      order=("Order ID",), status=("Status",),
      source="EtsySoldOrders CSV (UK wording: Delivery, Sales tax, Order total): YitongM/Etsy2ParcelMonkeyCSV:"
             "Etsy2ParcelMonkeyCSV/Mapping/EtsyMapping.cs@99335915a380a4531248bd1bbc65945367c11965"),
    # item-price is the line's price for its quantity: "the value of ItemPrice is equal to the selling price of the
    # item multiplied by the quantity ordered" (Amazon's Orders API docs, quoted at
    # https://www.metacpan.org/pod/Amazon::MWS::XML::OrderlineItem), never a unit price
    L("amazon", "amazon_order_report", ("order-id", "order-item-id", "buyer-email", "item-price"),
      customer=("buyer-email", "buyer-name"), date=("purchase-date", "payments-date"), amount=("item-price",),
      quantity=("quantity-purchased",), order=("order-id",), line_total=True,
      source=AIRBYTE_SP + "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL.json"
             "@adc4d57a1b59f6ce69ce72c28ebdc6d0ce96f2e7 (the order report's fields order-id ... buyer-email, "
             "buyer-name, quantity-purchased, item-price; report attributes also at "
             "https://developer-docs.amazon.com/sp-api/docs/order-reports-attributes)"),
    L("amazon", "amazon_all_orders", ("amazon-order-id", "merchant-order-id", "purchase-date", "item-price"),
      buyers=False, no_buyer_hint="amazon",
      source="https://app.unpkg.com/amazon-sp-api@1.1.6/files/lib/typings/download.ts (All Orders fields in "
             "order, no buyer field; also " + AIRBYTE_SP + "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL.json"
             "@06b14c5751484bbf9ef4af9506babfa6398b5012)"),
    L("square", "square_transactions", ("Gross Sales", "Net Sales", "Total Collected", "Transaction ID"),
      customer=("Customer ID", "Customer Name"), date=("Date",), amount=("Total Collected", "Gross Sales"),
      order=("Transaction ID",), doc_type=("Event Type",), refunded=("Partial Refunds",),
      source="Transactions CSV header: PratikeshG/BenNJerry:src/test/java/vfcorp/smartwool/CsvExamples.java"
             "@34fc37c0ea3ed72dc95fd1061bf62b9248d5c429"),
    L("tilda", "tilda_leads", ("tranid", "formid"),
      customer=("Email", "Phone", "Name"), date=("sent", "Created", "Date"),
      amount=("payment_amount", "Payment Amount", "price", "Amount", "Сумма"), order=("tranid",),
      status=("paymentstatus", "Payment status", "Статус оплаты"),
      source="no public sample of Tilda's leads CSV found; tranid (the submission id) is seen in form scripts "
             "in the code index, formid and the rest unverified; the other columns are the form's own fields"),
    L("insales", "insales_orders", ("Номер заказа", "Статус оплаты", "Способ доставки", "Сумма заказа"),
      customer=("Email", "Телефон", "Контактное лицо"), date=("Дата создания",), amount=("Сумма заказа", "Итого"),
      order=("Номер заказа",), status=("Статус оплаты", "Статус заказа"),
      source="no public sample of the InSales orders export found (its help pages describe the order card, "
             "not the export's columns); headers unverified"),
    # ---- CRM and accounting
    L("amocrm", "amocrm_deals", ("Название сделки", "Бюджет", "Этап сделки"),
      customer=("Полное имя контакта", "Компания контакта", "Основной контакт", "Компания"),
      date=("Дата закрытия", "Дата создания сделки", "Дата создания"), amount=("Бюджет",), order=("ID",),
      status=("Этап сделки",),
      source="public parsers (code index) of the deals export: ID, Название сделки, «Бюджет » (with a "
             "trailing space), Ответственный, Дата создания сделки, Кем создана сделка, Дата редактирования, "
             "Дата закрытия, Теги, Этап сделки, Воронка, Полное имя контакта, Компания контакта; no file citable"),
    L("bitrix24", "bitrix24_deals", ("Стадия сделки", "Ответственный", "Дата создания", "Сумма"),
      customer=("Контакт", "Компания"), date=("Дата создания", "Дата начала"), amount=("Сумма",), order=("ID",),
      status=("Стадия сделки",),
      source="no public sample of the Excel export found; Стадия сделки, Сумма, Ответственный, Дата создания, "
             "Компания are Bitrix24's deal field titles as public API-based exports (code index) spell them"),
    L("bitrix24", "bitrix24_invoices", ("Дата выставления", "Срок оплаты", "Статус", "Сумма"),
      customer=("Компания", "Контакт"), date=("Дата оплаты", "Дата выставления"), amount=("Сумма",),
      order=("Номер счёта", "Номер", "ID"), status=("Статус",),
      source="no public sample of the invoices export found; headers unverified"),
    L("1c", "1c_checks", ("Касса ККМ", "Дисконтная карта", "Сумма документа"),
      customer=("Дисконтная карта", "Покупатель", "Контрагент"), date=("Дата",), amount=("Сумма документа",),
      order=("Номер",), doc_type=("Операция", "Вид операции"), status=("Статус чека", "Статус"),
      source="no public sample of a saved «Чеки ККМ» list found; Касса ККМ, Сумма документа, Вид операции are "
             "the attribute titles of 1C's documents as public 1C metadata code (code index) spells them"),
    L("1c", "1c_sales", ("Контрагент", "Договор", "Организация", "Сумма"),
      customer=("Контрагент",), date=("Дата",), amount=("Сумма", "Сумма документа"), order=("Номер",),
      doc_type=("Вид операции", "Операция"),
      source="no public sample of a saved «Реализация товаров и услуг» list found; headers from the "
             "document's attribute titles (Дата, Номер, Контрагент, Договор, Организация, Сумма)"),
    L("moysklad", "moysklad_orders", ("№", "Время", "Контрагент", "Организация"),
      customer=("Контрагент",), date=("Время",), amount=("Сумма",), order=("№",), status=("Статус",),
      source="no public sample of a МойСклад list export found; headers unverified (the issue names «Время» and "
             "«Контрагент» from a real export)"),
    # ---- Chinese marketplaces and payments
    L("taobao", "taobao_orders", ("订单编号", "买家会员名", "买家实际支付金额", "订单状态"),
      customer=("买家会员名", "买家支付宝账号"), date=("订单创建时间", "订单付款时间"), amount=("买家实际支付金额", "总金额"),
      order=("订单编号",), status=("退款状态", "订单状态"), refunded=("退款金额",),
      source="public parsers (code index) of the 已卖出的宝贝 order report: 订单编号, 买家会员名, 买家实际支付金额, "
             "总金额, 收货地址, 订单创建时间, 订单付款时间, 宝贝总数量, 退款金额; no file citable"),
    L("jd", "jd_orders", ("订单号", "下单帐号", "客户地址", "应付金额"),
      customer=("下单帐号", "客户姓名"), date=("下单时间",), amount=("应付金额", "订单金额"),
      quantity=("订购数量",), order=("订单号",), status=("订单状态",),
      source="public parsers (code index) of the 京东商家后台 order export: 订单号, 商品名称, 订购数量, 下单时间, "
             "应付金额, 下单帐号, 客户姓名, 客户地址, 联系电话; no file citable"),
    L("youzan", "youzan_orders", ("买家昵称", "买家手机号", "订单实付金额"),
      customer=("买家手机号", "买家昵称"), date=("订单创建时间", "买家付款时间"), amount=("订单实付金额",),
      order=("订单号",), status=("订单状态",), refunded=("订单已退款金额", "退款金额"),
      source="no public sample of the Youzan order export found; headers unverified (the issue names 买家昵称, "
             "mostly «微信用户», from a real export)"),
    # the order export as public parsers read it has no receiver columns, so no buyer: it is refused unless
    # 收货人 (and 手机) are in it
    L("pinduoduo", "pinduoduo_orders", ("订单号", "用户实付金额(元)", "商家实收金额(元)", "商品数量(件)"),
      buyers=False, no_buyer_hint="pinduoduo",
      source="public parsers (code index) of the 订单查询 export (the 23 columns below); no file citable"),
    L("pinduoduo", "pinduoduo_orders", ("订单号", "用户实付金额(元)", "商家实收金额(元)", "收货人"),
      customer=("手机", "收货人"), date=("订单成交时间", "支付时间", "拼单成功时间"),
      amount=("用户实付金额(元)", "商家实收金额(元)"), quantity=("商品数量(件)",), order=("订单号",),
      status=("订单状态", "售后状态"),
      source="public parsers (code index) of the 订单查询 export: 订单成交时间, 商品, 订单号, 订单状态, 商品总价(元), "
             "邮费(元), 店铺优惠折扣(元), 平台优惠折扣(元), 多多支付立减金额(元), 用户实付金额(元), 商家实收金额(元), "
             "商品数量(件), 发货时间, 确认收货时间, 商品id, 商品规格, ..., 售后状态, 快递单号, 快递公司; the receiver "
             "columns 收货人 / 手机 are in no public sample (unverified); no file citable"),
    L("wechat_pay", "wechat_pay_bill", ("交易时间", "公众账号ID", "微信订单号", "用户标识"),
      customer=("用户标识",), date=("交易时间",), amount=("应结订单金额", "总金额", "订单金额"),
      order=("商户订单号", "微信订单号"), status=("交易状态",), refunded=("退款金额",),
      field_prefix="`", summary_first=("总交易单数",),
      source="https://pay.weixin.qq.com/doc/v2/merchant/4011987833 (下载交易账单: ALL fields, a ` before every "
             "field, the 总交易单数 summary; field list mirrored at "
             "https://apifox.com/apidoc/project-1172626/api-26085739)"),
    L("alipay", "alipay_bill", ("支付宝交易号", "商户订单号", "业务类型", "对方账户"),
      customer=("对方账户",), date=("创建时间", "完成时间"), amount=("订单金额(元)", "商家实收(元)"),
      order=("商户订单号", "支付宝交易号"), doc_type=("业务类型",), comment_prefix="#",
      source="业务明细.csv of the trade bill (https://opendocs.alipay.com/apis/api_15/"
             "alipay.data.dataservice.bill.downloadurl.query, bill_type=trade); its 25-column header and the "
             "#-----业务明细列表结束----- line as public parsers (code index) read them"),
    # ---- payments (international)
    # the Dashboard's payments export writes "Created date (UTC)"; older exports wrote "Created (UTC)"
    L("stripe", "stripe_payments", ("Amount Refunded", "Statement Descriptor", "Status"),
      customer=("Customer ID", "Customer Email"), date=("Created date (UTC)", "Created (UTC)"),
      amount=("Amount", "Converted Amount"), order=("id",), status=("Status",), refunded=("Amount Refunded",),
      source="public parsers (code index) of unified_payments.csv (id, Created date (UTC), Amount, Amount "
             "Refunded, Currency, Captured, ..., Statement Descriptor, Status, Customer ID, Customer Email) and "
             "of the older export (id, Description, Seller Message, Created (UTC), Amount, ...); no file citable"),
    L("paypal", "paypal_activity", ("TimeZone", "Gross", "Fee", "Net", "From Email Address"),
      customer=("From Email Address", "Name"), date=("Date",), amount=("Gross",), order=("Transaction ID",),
      status=("Status",), doc_type=("Type",),
      source="simonmichael/hledger:examples/csv/paypal-2018.csv.rules@61163b757f5b707b1ae95a93c3eb2974c9dd5a42 "
             "(Activity download, default fields)"),
    # ---- Russian marketplaces
    L("ozon", "ozon_postings_buyers", ("Номер отправления", "Принят в обработку", "Покупатель"),
      customer=("Телефон покупателя", "Email покупателя", "Покупатель"), date=("Принят в обработку",),
      amount=("Сумма отправления", "Оплачено покупателем"), order=("Номер заказа", "Номер отправления"),
      status=("Статус",),
      source="no public sample of a postings export with buyer columns found; the postings columns as below, "
             "the buyer columns assumed for realFBS orders, whose order page names the buyer"),
    L("ozon", "ozon_postings", ("Номер отправления", "Принят в обработку", "Сумма отправления"),
      buyers=False, no_buyer_hint="ozon",
      source="https://docs.ozon.ru/global/am/analytics/fulfillment-reports/report-orders (Все отправления → "
             "Экспорт CSV; analytics data: the buyer's region and city only) and public parsers (code index): "
             "Номер заказа, Номер отправления, Принят в обработку, Дата отгрузки, Статус, Дата доставки, "
             "Фактическая дата передачи в доставку, Сумма отправления, ..., Количество"),
    L("ozon", "ozon_realisation", ("Реализовано: кол-во", "Реализовано: на сумму, руб."),
      buyers=False, no_buyer_hint="ozon",
      source="public code (code index) naming the realisation report's columns: № п/п, Название товара, "
             "Артикул, SKU, Штрих-код товара, Реализовано: кол-во, Реализовано: цена реализации, руб., "
             "Реализовано: на сумму, руб., ..., Возвращено: кол-во, Возвращено: на сумму, руб.; no file citable"),
    L("wildberries", "wildberries_tasks_buyers", ("Номер задания", "ФИО покупателя"),
      customer=("Телефон покупателя", "ФИО покупателя"), date=("Дата создания", "Дата заказа"),
      amount=("Цена", "Сумма"), order=("Номер задания",), status=("Статус",),
      source="no public sample of the assembly-tasks export found; that DBS tasks carry the buyer's name and "
             "phone (once moved to assembly): https://dev.wildberries.ru/openapi/orders-dbs"),
    L("wildberries", "wildberries_realisation", ("Тип документа", "Обоснование для оплаты",
                                                 "Вайлдберриз реализовал Товар (Пр)"),
      buyers=False, no_buyer_hint="wildberries",
      source="public parsers (code index) of «Детализация отчёта о реализации»: Номер поставки, Предмет, Код "
             "номенклатуры, Бренд, Артикул поставщика, Название, Размер, Баркод, Тип документа, Обоснование для "
             "оплаты, Дата заказа покупателем, Дата продажи, Кол-во, Цена розничная, Вайлдберриз реализовал "
             "Товар (Пр), ..., К перечислению Продавцу за реализованный Товар; no file citable"),
)
del L, AIRBYTE_SP

#: no_buyer_hint -> where, in that platform, an export with buyers is found (English; the message says it)
NO_BUYER_HINTS: dict[str, str] = {k.split(".", 1)[1]: w for k, w in WORDS.items() if k.startswith("advice.")}


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
