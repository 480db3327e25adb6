"""Messages are data: every sentence the user reads is a :class:`Message` (code + fields).

One registry (:data:`ENGLISH`) holds every code with its English sentence, grouped by
kind: ``read.*`` what the reader noticed about the input (:data:`READ_NOTES`),
``skip.*`` why a row was skipped (:data:`SKIP_REASONS`), ``kpi.*`` why a figure of the
report is None (:data:`KPI_NOTES`, ``KpiReport.notes``), ``clv.*`` what the CLV forecast
says of itself (:data:`CLV_NOTES`), ``error.*`` why nothing could
be done (``error_texts.ERRORS``) and ``hint.*`` advice that depends on the shell
(``error_texts.HINTS``: the command line and Excel say it differently). Russian and
Chinese word the same codes once each in ``render/`` (labels, message_words_*); the
shells render a message in their language, nobody parses the English.

A Message is a ``str`` holding its English sentence, so the command line, the UDF
cells and the tests use it as text. Field values that are words of ours rather than
the user's data (an encoding, a delimiter, a column role) are codes themselves and
are worded through :data:`WORDS` (``{field}.{value}``); a field may also hold another
Message (said in the same language) or a hint code (``hint`` fields).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Callable

from retention_xl.error_texts import ERRORS, HINTS, WORDS as ERROR_WORDS  # English of error.*, hint.*

#: code -> English sentence. Counts come after a colon so no language needs plural forms.
READ_NOTES: dict[str, str] = {
    # where the table was found
    "text_read": "read as {encoding} text, {delimiter}-separated",
    "header_line": "header on line {line}",
    "utf8_damaged": 'bytes that are not UTF-8, shown as "\ufffd" (first on line {line}): {n}',
    "sheet_header": 'sheet "{sheet}", header on row {row}',
    "sheet_only": 'sheet "{sheet}" used (the only sheet), header on row {row}',
    "sheet_first": 'sheet "{sheet}" used (the first sheet with an order header), header on row {row}',
    "range_header": 'header on row {row} of sheet "{sheet}"',
    "range_cells": "cells {address} of {book}",
    "text_no_sheets": '"{file}" is a text file with no sheets: sheet "{sheet}" ignored',
    "merged_cells": "cells of merged areas that take the value shown in the merged cell: {n}",
    "uncached_formulas": (
        "formula cells without a stored result, read as empty (first: {cell}): {n}. The file was saved by "
        "a program that does not calculate: open it in Excel or LibreOffice, save it, and run the report again"
    ),
    "longer_rows": (
        "rows with more cells than the header's {width} (first: row {row}): {n}; the extra cells are not "
        "read. If a value there holds an unquoted delimiter (1,234.50 in a comma-separated file), the cells "
        "after it have moved one column to the right"
    ),
    # several order sheets (issue 19)
    "other_sheets": "other sheets hold order tables too, not read: {sheets}. Use --all-sheets (or \"All sheets: yes\" on the settings sheet) to read them all into one report",
    "different_sheets": "sheets with order tables whose columns differ, not read: {sheets}",
    "backup_sheet": 'sheet "{sheet}" repeats the rows of sheet "{original}" (a backup copy): read once',
    "sheets_read": "sheets read into one report ({n}): {sheets}",
    # currencies (issue 18)
    "yen_sign": "amounts with a bare ¥ sign are read as {currency}; set the report currency (--currency JPY or CNY) if they are the other one",
    # how the columns were understood
    "duplicate_header": '{n} columns are called "{header}": {role} taken from column {taken}, not {others}',
    "returned_extra": "returned/cancelled also read from {headers}",
    "customer_from": 'no customer-id column: "{header}" ({role}) is used to tell customers apart',
    "amount_product": 'no amount column: amount = "{quantity}" × "{price}"',
    "email_fallback": 'rows without a customer id, identified by their e-mail ("{header}"): {n}',
    # issue 17: platform layouts and columns chosen by their values
    "layout": "read as a {kind}",
    "customer_instead": 'customers told apart by "{header}": "{weak}" holds {problem}',
    "layout_comments": "comment and summary lines of the export, not read as data: {n}",
    "field_prefix": 'the character {prefix} before every field removed',
    # how values were read (shown after the column's header)
    "dates_yyyymmdd": "dates given as yyyymmdd numbers",
    "dates_serial": "dates given as Excel serial numbers",
    "dates_us": "dates read month-first (US style, mm/dd/yyyy): no value fits day-first",
    "dates_mixed": "dates mix day-first and month-first values; read day-first, the others are listed as unreadable",
    "two_digit_years": "two-digit years read as 20xx (70-99 as 19xx)",
    "decimal_comma": "amounts use a decimal comma",
    "flags_returned": "rows marked {values} are treated as returned/cancelled",
    "flags_unknown": "values not recognised as returned/cancelled, read as not returned: {values}",
    # issue 10: money rows
    "flags_unpaid": "rows marked {values} were never paid (not sales, listed in the reconciliation)",
    "flags_sale": "rows marked {values} are sales",
    "refund_documents": 'rows whose "{header}" says return are refunds (amount subtracted): {n}',
    "refunded_amounts": '"{header}": refunded parts of paid rows counted as refunds: {n}',
    "nul_bytes": "NUL bytes dropped (first on line {line}): {n}",
    "multi_row_header": "header of {n} rows (rows {first}-{last}): group titles joined with the names below",
    # order lines and cancellations
    "c_cancellations": 'rows whose "{header}" starts with "C" are cancellations (negative amounts are refunds): {n}',
    "order_lines": (
        "order lines without an amount of their own (the order's total is on its first line), "
        "counted with amount 0 and their order's customer and date: {n}"
    ),
    "repeated_total": (
        '"{header}" is an order total repeated on each line of an order: counted once per order '
        "(orders: {orders}; repeated line amounts set to 0: {lines})"
    ),
    # ids Excel has already cut (issue 16): on the Dashboard too (DASHBOARD_NOTES)
    "ids_15_digits": (
        "ids held as numbers of 16 or more digits: {n}. Excel keeps only 15 digits of a number, so "
        "different ids may have merged into one and customers, orders and repeat rate may be wrong. "
        "To avoid it, import this column as Text, or run `retention-xl report` on the file itself"
    ),
}

#: Notes the Dashboard repeats under its title, because they change its figures (issue 16).
DASHBOARD_NOTES: frozenset[str] = frozenset({"read.ids_15_digits"})

#: field.value -> English word, for field values that are our words, not the user's data.
WORDS: dict[str, str] = {
    "encoding.utf8": "UTF-8",
    "encoding.utf8_bom": "UTF-8 (with BOM)",
    "encoding.utf16": "UTF-16",
    "encoding.cp1251": "Windows-1251 (Cyrillic)",
    "encoding.gbk": "GBK (Chinese)",
    "encoding.cp1252": "Windows-1252 (Western European)",
    "delimiter.comma": "comma",
    "delimiter.semicolon": "semicolon",
    "delimiter.tab": "tab",
    "delimiter.bar": "vertical bar",
    "role.customer_id": "customer id",
    "role.date": "order date",
    "role.amount": "amount",
    "role.quantity": "quantity",
    "role.price": "unit price",
    "role.order_id": "order id",
    "role.returned": "returned/cancelled flag or status",
    "role.channel": "channel",
    "role.product": "product",
    "role.score": "score (NPS/CSAT)",
    "role.customer_name": "customer name",
    "role.email": "e-mail",
    "role.phone": "phone",
    "role.doc_type": "document or operation type",
    "role.refunded_amount": "refunded amount",
    "role.currency": "currency",
    "currency.CNY": "Chinese yuan (CNY)",
    "currency.JPY": "Japanese yen (JPY)",
    # issue 17: the known platform export layouts (read/layouts.py) and what a candidate column looks like
    "kind.shopify_orders": "Shopify orders export",
    "kind.woocommerce_orders": "WooCommerce orders export",
    "kind.magento_orders": "Magento orders grid export",
    "kind.bigcommerce_orders": "BigCommerce orders export",
    "kind.etsy_sold_orders": "Etsy sold orders file",
    "kind.amazon_order_report": "Amazon order report",
    "kind.amazon_all_orders": "Amazon All Orders report",
    "kind.square_transactions": "Square transactions export",
    "kind.tilda_leads": "Tilda orders (leads) export",
    "kind.insales_orders": "InSales orders export",
    "kind.amocrm_deals": "amoCRM deals export",
    "kind.bitrix24_deals": "Bitrix24 deals export",
    "kind.bitrix24_invoices": "Bitrix24 invoices export",
    "kind.1c_checks": "1C cash-register checks list",
    "kind.1c_sales": "1C sales documents list",
    "kind.moysklad_orders": "MoySklad (МойСклад) documents export",
    "kind.taobao_orders": "Taobao orders report",
    "kind.jd_orders": "JD orders export",
    "kind.youzan_orders": "Youzan orders export",
    "kind.pinduoduo_orders": "Pinduoduo orders export",
    "kind.wechat_pay_bill": "WeChat Pay merchant bill",
    "kind.alipay_bill": "Alipay merchant bill",
    "kind.stripe_payments": "Stripe payments export",
    "kind.paypal_activity": "PayPal activity download",
    "kind.ozon_postings_buyers": "Ozon rFBS orders export",
    "kind.ozon_postings": "Ozon postings export",
    "kind.ozon_realisation": "Ozon realisation report",
    "kind.wildberries_tasks_buyers": "Wildberries DBS assembly tasks export",
    "kind.wildberries_realisation": "Wildberries realisation report",
    "problem.empty": "empty",
    "problem.blank": "mostly blank",
    "problem.one_value": "one value in most rows",
    "problem.few_values": "only a handful of values (group names)",
    "problem.address": "addresses",
    "problem.zeros": "mostly zero",
    "problem.not_numbers": "mostly not numbers",
    "problem.not_dates": "mostly not dates",
}
WORDS.update(ERROR_WORDS)  # the words of ours the error messages use (error_texts.WORDS)


#: Why a row was skipped: code -> the English words (ReadResult.skipped["parts"] holds the codes;
#: the report words them in its language, labels ``reason.<code>``).
SKIP_REASONS: dict[str, str] = {
    "no_customer": "no customer id",
    "no_date": "no date",
    "bad_date": "date not readable",
    "no_amount": "no amount",
    "bad_amount": "amount not a number",
    "no_quantity": "no quantity",
    "bad_quantity": "quantity not a number",
    "no_price": "no unit price",
    "bad_price": "unit price not a number",
    "big_amount": "amount too large",
    "nocalc_customer": "no customer id: its formula has no stored result",
    "nocalc_date": "no date: its formula has no stored result",
    "nocalc_amount": "no amount: its formula has no stored result",
    "nocalc_quantity": "no quantity: its formula has no stored result",
    "nocalc_price": "no unit price: its formula has no stored result",
    "unusable": "not usable",
    "future_date": "date in the future",
}


def describe_skip(parts, words: dict[str, str] = SKIP_REASONS, with_values: bool = True) -> str:
    """A skipped row's reason in words, e.g. "date not readable: '31.02.2024'; no amount".

    ``parts`` is the row's ``skipped["parts"]``; ``words`` gives the words of each code
    (the report passes its own language's); without values it names the kind of problem.
    """
    return "; ".join(words[c] + (f": {v}" if with_values and v is not None else "") for c, v in parts)


#: Why a figure of the report is None (KpiReport.notes, the JSON's "notes"): code -> English.
#: A metric that refused its inputs gives its own error.* message instead.
KPI_NOTES: dict[str, str] = {
    "no_customers": "No customer ordered in the period.",
    "no_orders": "The period has no orders.",
    "no_priced_orders": "No order of the period is in the report currency; the others have no exchange rate.",
    "no_orders_or_returns": "The period has no orders and no returned orders.",
    "clv_no_customers": "No customer ordered in the period, so there is no revenue per customer.",
    "crr_missing": "CRR of the period is not available, so the monthly churn is unknown.",
    "no_lost_customers": ("No customer active at the start of the period was lost (CRR 100 %), "
                          "so the expected lifetime has no limit."),
    "short_history": ("The data holds {days} days up to the period end: not enough to measure "
                      "retention over even {window} days with {window} days of history before it."),
    "no_start_customers": ("No customer was active at the start of the measurement ({date}): "
                           "nobody had an order in the {window} days up to that day, so there is no one to retain."),
    "thin_base": ("The retention base rests on {days} days of history before {date}, "
                  "fewer than the {window}-day window."),
    "no_answers": "No order in the period has a score ({kind} answer).",
    # the previous period (PreviousPeriod.reason, notes["previous"])
    "not_enough_history": ("Not enough history for the previous period ({start} to {end}, {days} days): "
                           "the data starts on {first} and covers {covered} of its days; at least {share} are needed."),
    "previous_failed": "The previous period could not be computed: {error}",
}

#: What the Predicted CLV says of its forecast (PredictedClv.reason / .notes): code -> English.
#: Why the models cannot fit the data is their ClvFitError's own error.clv_* message.
CLV_NOTES: dict[str, str] = {
    "no_purchases": "There are no purchases on or before {cutoff}.",
    "not_finite": "The purchase model produced numbers that are not finite on this data.",
    "failed": "The prediction could not be computed ({kind}: {error}).",
    "withheld": ("The forecast missed the held-back last {days} days by {error_pct}% of the actual repeat orders, "
                 "too far to be useful."),
    "spend_correlated": ("Spend per order and number of orders are correlated ({corr:+.2f}); the spend model assumes "
                         "they are independent, so predicted CLV may be less reliable."),
    "spend_fallback": "{why} Predicted CLV uses each customer's own average order value instead.",
    # why the holdout check could not be made (ForecastCheck.reason)
    "check_short_history": ("The history ({days} days) is too short to hold back {holdout} days "
                            "and still learn from the rest."),
    "check_no_holdout_orders": "Nobody bought in the held-back days, so the error has no base.",
    "check_no_customers": "There are no purchases.",
}

#: Every message code -> its English template, one registry grouped by kind.
ENGLISH: dict[str, str] = {
    **{f"read.{c}": t for c, t in READ_NOTES.items()},
    **{f"skip.{c}": t for c, t in SKIP_REASONS.items()},
    **{f"kpi.{c}": t for c, t in KPI_NOTES.items()},
    **{f"clv.{c}": t for c, t in CLV_NOTES.items()},
    **{f"error.{c}": t for c, t in ERRORS.items()},
    **{f"hint.{c}": t for c, t in HINTS.items()},
}

#: The shells; a ``hint`` field is worded as ``hint.<value>.<shell>``.
SHELLS: tuple[str, ...] = ("cli", "excel")


@dataclass(frozen=True)
class Voice:
    """How one language in one shell says messages: its templates, its words, its way with numbers."""

    template: Callable[[str], str]  # code -> template (also "column" and "join.<sep>")
    words: dict[str, str]  # field.value -> word
    shell: str = "cli"
    numbers: string.Formatter = string.Formatter()  # formats the fields ({n:,} is 1,234 in English)

    def fill(self, template: str, fields: dict[str, Any]) -> str:
        return self.numbers.vformat(template, (), fields)


def word_fields(fields: dict[str, Any], voice: Voice) -> dict[str, Any]:
    """The fields as they read in a sentence: our word codes worded, inner messages said, hints chosen."""
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if isinstance(v, Message):
            out[k] = v.say(voice)
        elif isinstance(v, Join):
            out[k] = voice.template(f"join.{v.sep}").join(
                x.say(voice) if isinstance(x, Message) else str(voice.words.get(f"{k}.{x}", x)) for x in v.items)
        elif k != "hint":
            out[k] = voice.words.get(f"{WORD_KINDS.get(k, k)}.{v}", v)
    if fields.get("hint"):  # advice worded by the shell that shows it, with the message's own fields
        out["hint"] = voice.fill(voice.template(f"hint.{fields['hint']}.{voice.shell}"), out)
    elif "hint" in fields:
        out["hint"] = ""
    return out


#: fields worded from another field's words (a metric's part and whole are arguments, like ``what``)
WORD_KINDS: dict[str, str] = {"part": "what", "whole": "what"}


@dataclass(frozen=True)
class Join:
    """A field holding several values or messages, joined by ``join.<sep>`` of the language."""

    items: tuple[Any, ...]
    sep: str = "list"


JOINS: dict[str, str] = {"list": "; ", "comma": ", ", "sentences": "", "spaced": " ", "and_no": " and no "}


class Message(str):
    """One message: its English sentence as the str value, plus ``code``, ``fields`` and ``column``.

    ``column`` is the header a reading note is about; the sentence then starts with it
    in quotes ('"Amount": amounts use a decimal comma').
    """

    code: str
    fields: dict[str, Any]
    column: str | None

    def __new__(cls, code: str, /, **fields: Any) -> "Message":
        return cls._make(code, None, fields)

    @classmethod
    def _make(cls, code: str, column: str | None, fields: dict[str, Any]) -> "Message":
        self = super().__new__(cls, _english(code, column, fields))
        self.code, self.fields, self.column = code, fields, column
        return self

    def say(self, voice: Voice) -> str:
        """This message as a language and shell say it (render/labels.Labels.message builds the voice)."""
        said = voice.fill(voice.template(self.code), word_fields(self.fields, voice))
        return said if self.column is None else voice.template("column").format(column=self.column, text=said)

    def about(self, column: str) -> "Message":
        """The same message, said of the column with this header."""
        return type(self)._make(self.code, column, self.fields)

    def but(self, **fields: Any) -> "Message":
        """The same message with some fields changed (CHURN says CRR's message under its own name)."""
        return type(self)._make(self.code, self.column, {**self.fields, **fields})

    def __reduce__(self) -> tuple:  # pickles (and copies) as a Message, not a bare str
        return (_rebuild, (type(self), self.code, self.column, self.fields))


class Note(Message):
    """A reading note: ``Note("dates_us")`` is the message ``read.dates_us``."""

    def __new__(cls, code: str, column: str | None = None, **fields: Any) -> "Note":
        return cls._make(code if code.startswith("read.") else f"read.{code}", column, fields)


def english_template(code: str) -> str:
    """The English wording of a message code (and of the ``column`` and ``join.*`` frames)."""
    if code.startswith("join."):
        return JOINS[code[5:]]
    return '"{column}": {text}' if code == "column" else ENGLISH[code]


ENGLISH_CLI = Voice(english_template, WORDS)  # str(message): English, as the command line says it


def _english(code: str, column: str | None, fields: dict[str, Any]) -> str:
    said = ENGLISH_CLI.fill(english_template(code), word_fields(fields, ENGLISH_CLI))
    return said if column is None else f'"{column}": {said}'


def english(message: Message, shell: str = "cli") -> str:
    """The message in English as the given shell says it (str(message) is the command line's)."""
    return message.say(Voice(english_template, WORDS, shell))


def _rebuild(cls: type, code: str, column: str | None, fields: dict[str, Any]) -> Message:
    return cls._make(code, column, fields)
