"""What an order's status says about its money: a sale, returned, or never paid.

    status_word(text, platform=None) -> "sale" | "returned" | "unpaid" | None

* ``"sale"``: the money came (paid, completed, shipped, processing …).
* ``"returned"``: the order was returned, refunded or cancelled after the sale.
* ``"unpaid"``: the money never came: failed, declined, awaiting payment, unpaid,
  voided, draft, a lost deal, a closed unpaid trade (SPEC "Money rows").
* ``None``: the word is not recognised (the reader lists it and counts the row as a sale).

Without a platform the generic vocabulary (English, Russian, Chinese) applies; in it
a bare "pending" is a sale, as Shopify counts it (SPEC Clarifications), while
"awaiting payment", WooCommerce's ``wc-pending``, failed, declined, unpaid, voided and
draft are not. With a platform id (the one the export was recognised as) that
platform's own status list is looked up first: each table follows the statuses the
platform documents for its orders or payments and how its own sales reports count them
(e.g. WooCommerce's "Pending payment" and Magento's ``pending`` are orders without
payment; Shopify's ``pending`` payment status is a sale in Shopify's reports).

Words are compared after Unicode NFKC, case folding, ё → е and dropping spaces,
punctuation and underscores ("Payment failed", "payment_failed" and "PAYMENT-FAILED"
are one word).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

StatusWord = Literal["sale", "returned", "unpaid"]

#: Platform ids an export may be recognised as (the keys of PLATFORM_STATUSES).
PLATFORMS = (
    "shopify", "woocommerce", "amocrm", "bitrix24", "1c", "moysklad", "taobao", "jd", "youzan",
    "pinduoduo", "ozon", "wildberries", "wechat_pay", "alipay", "stripe", "paypal", "etsy", "amazon",
    "magento", "bigcommerce", "tilda", "insales", "square",
)


def norm_word(text: object) -> str:
    """The compared form of a status text (see module doc)."""
    s = unicodedata.normalize("NFKC", str(text)).casefold().replace("ё", "е")
    return re.sub(r"[\W_]+", "", s)


def _words(*texts: str) -> frozenset[str]:
    return frozenset(norm_word(t) for t in texts)


# ----------------------------------------------------------------- generic vocabulary

SALE = _words(
    "no", "n", "false", "0", "", "none", "paid", "completed", "complete", "delivered", "fulfilled",
    "unfulfilled", "shipped", "processing", "pending", "on hold", "on-hold", "authorized", "authorised",
    "partially paid", "partially refunded", "success", "successful", "succeeded", "won", "closed won",
    "new", "open", "active", "ok", "normal", "sale", "sold", "purchase", "order", "captured", "settled",
    "wc-processing", "wc-completed", "wc-on-hold",
    "нет", "н", "ложь", "выполнен", "выполнено", "оплачен", "оплачено", "оплачена", "доставлен",
    "завершен", "завершено", "в работе", "новая", "новый", "сделка успешна", "успешно",
    "успешно реализовано", "продажа", "отгружен", "отгружено", "проведен", "частично оплачен",
    "否", "不", "无", "没有", "正常", "交易成功", "已完成", "完成", "已发货", "已付款", "已支付",
    "等待发货", "待发货", "已签收", "没有申请退款", "无退款", "未退款", "卖家已发货", "买家已付款",
    "等待买家确认收货", "支付成功", "付款成功", "已收款",
)
RETURNED = _words(
    "yes", "y", "true", "1", "x", "returned", "return", "refunded", "refund", "fully refunded",
    "cancelled", "canceled", "cancel", "cancellation", "chargeback", "reversed", "rejected",
    "wc-cancelled", "wc-refunded",
    "да", "д", "истина", "возврат", "возвращен", "возвращено", "возвращена", "вернули", "отменен",
    "отменена", "отменено", "отмена", "аннулирован", "аннулировано", "сторно", "отказ",
    "是", "是的", "已退款", "退款", "退款成功", "退货", "已退货", "退货成功", "取消", "已取消",
    "作废", "转入退款",
)
UNPAID = _words(
    "unpaid", "not paid", "failed", "fail", "payment failed", "declined", "payment declined",
    "awaiting payment", "pending payment", "payment pending", "voided", "void", "draft",
    "checkout draft", "expired", "abandoned", "incomplete", "lost", "closed lost", "deal failed",
    "wc-pending", "wc-failed", "wc-checkout-draft",
    "не оплачен", "не оплачено", "не оплачена", "неоплачен", "ошибка оплаты", "оплата не прошла",
    "ожидает оплаты", "ожидается оплата", "ожидание оплаты", "черновик", "не проведен",
    "провалена", "сделка провалена", "закрыто и не реализовано", "отклонен", "отклонена",
    "未付款", "待付款", "等待付款", "等待买家付款", "待支付", "未支付", "支付失败", "付款失败",
    "交易关闭", "关闭", "已关闭", "交易失败", "草稿",
)
#: Stems looked for inside a longer status ("Payment failed (card)", "Ошибка оплаты картой").
_UNPAID_STEMS = ("unpaid", "notpaid", "fail", "declin", "awaitingpay", "pendingpay", "draft",
                 "неоплач", "ошибкаоплат", "ожидаетоплат", "ожидаетсяоплат", "черновик", "отклон",
                 "未付款", "待付款", "等待付款", "未支付", "待支付", "失败", "草稿")
_RETURNED_STEMS = ("refund", "return", "cancel", "возврат", "возвращ", "отмен", "аннулир",
                   "退款", "退货", "取消")
_NEGATION = re.compile(r"^(?:no|not|non|без|не|нет|无|未|没有|不)")


# ----------------------------------------------------------------- platform tables

def _table(sale: tuple[str, ...] = (), returned: tuple[str, ...] = (),
           unpaid: tuple[str, ...] = ()) -> dict[str, StatusWord]:
    out: dict[str, StatusWord] = {}
    for kind, texts in (("sale", sale), ("returned", returned), ("unpaid", unpaid)):
        for t in texts:
            out[norm_word(t)] = kind  # type: ignore[assignment]
    return out


#: platform id -> normalised status -> kind. Only what differs from, or is missing in,
#: the generic vocabulary needs to be here, but each table lists the platform's whole
#: documented status set so that the Methodology can say what each word was read as.
PLATFORM_STATUSES: dict[str, dict[str, StatusWord]] = {
    # Shopify order export, "Financial Status": pending/authorized count as sales in Shopify's reports
    "shopify": _table(
        sale=("pending", "authorized", "partially_paid", "paid", "partially_refunded", "fulfilled",
              "unfulfilled", "partial", "partially fulfilled"),
        returned=("refunded", "restocked"),
        unpaid=("voided", "expired"),
    ),
    # WooCommerce order statuses (wc-…): "Pending payment" and "Failed" have no payment
    "woocommerce": _table(
        sale=("processing", "completed", "on-hold", "on hold", "wc-processing", "wc-completed", "wc-on-hold"),
        returned=("cancelled", "refunded", "wc-cancelled", "wc-refunded"),
        unpaid=("pending", "pending payment", "failed", "draft", "checkout-draft", "wc-pending",
                "wc-failed", "wc-checkout-draft"),
    ),
    # amoCRM deals: only "Успешно реализовано" (142) is money; "Закрыто и не реализовано" (143) never paid
    "amocrm": _table(
        sale=("успешно реализовано", "closed - won", "closed won", "142"),
        unpaid=("закрыто и не реализовано", "closed - lost", "closed lost", "143", "первичный контакт",
                "переговоры", "принимают решение", "согласование договора", "неразобранное"),
    ),
    # Bitrix24 deal stages (WON / LOSE) and invoice / shop order statuses
    "bitrix24": _table(
        sale=("сделка успешна", "won", "оплачен", "выполнен", "оплачен, формируется к отправке", "отгружен"),
        returned=("отменен", "возврат"),
        unpaid=("сделка провалена", "lose", "анализ причины провала", "принят, ожидается оплата",
                "ожидается оплата", "отклонен", "черновик", "новая", "подготовка документов",
                "счёт на предоплату", "в работе"),
    ),
    # 1C: posted / not posted documents, "Возврат товаров от клиента", order payment states
    "1c": _table(
        sale=("проведен", "закрыт", "к отгрузке", "отгружен", "оплачен"),
        returned=("возврат товаров от клиента", "возврат", "сторно"),
        unpaid=("не проведен", "помечен на удаление", "не согласован", "ожидается оплата",
                "ожидается предоплата", "ожидается предоплата до отгрузки", "черновик"),
    ),
    # МойСклад customer orders and shipments
    "moysklad": _table(
        sale=("новый", "подтвержден", "собран", "отгружен", "доставлен"),
        returned=("возврат", "отменен"),
        unpaid=("не оплачен", "ожидает оплаты"),
    ),
    # Taobao / Tmall seller order export, 订单状态
    "taobao": _table(
        sale=("交易成功", "买家已付款，等待卖家发货", "等待卖家发货", "卖家已发货，等待买家确认",
              "卖家已发货", "买家已付款", "等待买家确认收货"),
        returned=("交易关闭(退款)", "退款成功", "已退款"),
        unpaid=("等待买家付款", "交易关闭", "付款以前，卖家或买家主动关闭交易"),
    ),
    # JD.com POP order export
    "jd": _table(
        sale=("等待出库", "等待确认收货", "完成", "已完成", "等待发货", "已发货"),
        returned=("已取消", "退款成功"),
        unpaid=("等待付款", "锁定", "未付款"),
    ),
    # Youzan (有赞) order list
    "youzan": _table(
        sale=("待发货", "已发货", "已完成", "交易成功", "待成团"),
        returned=("退款中", "已退款", "交易关闭(退款)"),
        unpaid=("待付款", "已关闭", "交易关闭"),
    ),
    # Pinduoduo (拼多多) merchant order export
    "pinduoduo": _table(
        sale=("已支付", "待发货", "已发货，待签收", "已发货待签收", "已签收", "交易成功"),
        returned=("已取消", "退款成功", "售后完成"),
        unpaid=("待支付", "未支付", "未成团"),
    ),
    # Ozon seller orders (FBS/FBO) with buyers
    "ozon": _table(
        sale=("ожидает сборки", "ожидает отгрузки", "доставляется", "доставлен", "awaiting_packaging",
              "awaiting_deliver", "delivering", "delivered"),
        returned=("отменен", "cancelled", "возврат", "returned"),
        unpaid=("ожидает оплаты", "awaiting_payment", "ожидает регистрации", "awaiting_registration"),
    ),
    # Wildberries sales report: "Продажа" / "Возврат"; orders: "Отмена"
    "wildberries": _table(
        sale=("продажа", "sale", "заказ"),
        returned=("возврат", "return", "отмена", "отказ"),
        unpaid=(),
    ),
    # WeChat Pay trade_state
    "wechat_pay": _table(
        sale=("success", "支付成功", "买家已支付"),
        returned=("refund", "转入退款", "已退款", "全额退款"),
        unpaid=("notpay", "未支付", "closed", "已关闭", "revoked", "已撤销", "userpaying", "用户支付中",
                "payerror", "支付失败"),
    ),
    # Alipay trade_status
    "alipay": _table(
        sale=("trade_success", "trade_finished", "交易成功", "交易完成", "支付成功"),
        returned=("退款成功", "已退款"),
        unpaid=("wait_buyer_pay", "等待买家付款", "trade_closed", "交易关闭"),
    ),
    # Stripe payments export: charges and payment intents
    "stripe": _table(
        sale=("paid", "succeeded", "partially refunded", "pending", "processing"),
        returned=("refunded", "disputed", "lost dispute"),
        unpaid=("failed", "uncaptured", "canceled", "requires_payment_method", "requires_confirmation",
                "requires_action", "requires_capture", "blocked", "incomplete"),
    ),
    # PayPal activity: pending money is not in the balance yet
    "paypal": _table(
        sale=("completed", "partially refunded", "cleared"),
        returned=("refunded", "reversed"),
        unpaid=("pending", "denied", "failed", "canceled", "cancelled", "voided", "expired", "unclaimed",
                "held", "on hold"),
    ),
    # Etsy orders CSV
    "etsy": _table(
        sale=("paid", "completed", "shipped", "open"),
        returned=("canceled", "cancelled", "refunded", "fully refunded"),
        unpaid=("unpaid", "payment pending"),
    ),
    # Amazon Seller Central order report: "Pending" orders are not yet paid
    "amazon": _table(
        sale=("shipped", "unshipped", "partiallyshipped", "shipping", "shipped - delivered to buyer",
              "invoiceunconfirmed"),
        returned=("canceled", "cancelled", "returned"),
        unpaid=("pending", "pendingavailability", "unfulfillable"),
    ),
    # Magento / Adobe Commerce order states and statuses
    "magento": _table(
        sale=("processing", "complete", "holded", "on hold"),
        returned=("closed", "canceled", "cancelled"),
        unpaid=("pending", "pending_payment", "payment_review", "suspected fraud", "fraud", "new"),
    ),
    # BigCommerce order statuses
    "bigcommerce": _table(
        sale=("awaiting fulfillment", "awaiting shipment", "awaiting pickup", "partially shipped",
              "completed", "shipped", "partially refunded"),
        returned=("cancelled", "refunded", "disputed"),
        unpaid=("pending", "incomplete", "awaiting payment", "declined", "manual verification required"),
    ),
    # Tilda orders: payment status
    "tilda": _table(
        sale=("оплачено", "paid", "success"),
        returned=("возврат", "refunded"),
        unpaid=("не оплачено", "not paid", "unpaid", "ожидает оплаты"),
    ),
    # InSales orders: fulfilment and financial status
    "insales": _table(
        sale=("новый", "принят", "в обработке", "отгружен", "доставлен", "оплачен", "paid", "delivered",
              "accepted", "dispatched"),
        returned=("отменен", "возвращен", "declined", "returned"),
        unpaid=("не оплачен", "pending", "ожидает оплаты"),
    ),
    # Square transactions / orders
    "square": _table(
        sale=("completed", "complete", "approved", "captured"),
        returned=("refunded", "refund"),
        unpaid=("pending", "failed", "canceled", "cancelled", "voided", "open", "draft"),
    ),
}


def status_word(text: object, platform: str | None = None) -> StatusWord | None:
    """What a status text says about the order's money (see module doc); None if not recognised."""
    w = norm_word(text)
    if platform is not None:
        hit = PLATFORM_STATUSES.get(platform, {}).get(w)
        if hit is not None:
            return hit
    if w in UNPAID:
        return "unpaid"
    if w in RETURNED:
        return "returned"
    if w in SALE:
        return "sale"
    if any(st in w for st in _UNPAID_STEMS):
        return "unpaid"
    neg = _NEGATION.match(w)
    if neg and any(st in w for st in ("paid", "pay", "оплач", "付款", "支付")):
        return "unpaid"
    if any(st in w for st in _RETURNED_STEMS):
        return "sale" if neg else "returned"
    return None


#: Stems of a document / operation type that books a return ("Возврат товаров от клиента",
#: "Return", "Refund", "Credit note", 退货, 退款).
_RETURN_DOCUMENT_STEMS = ("возврат", "сторно", "return", "refund", "creditnote", "creditmemo", "chargeback",
                          "退货", "退款", "冲销")


def is_return_document(text: object) -> bool:
    """True when a document or operation type says the row books a return (its sum is a refund)."""
    w = norm_word(text)
    if not w:
        return False
    if _NEGATION.match(w) and not w.startswith(("note", "nota")):  # "не возврат", "no refund", 无退款
        return False
    return any(st in w for st in _RETURN_DOCUMENT_STEMS)
