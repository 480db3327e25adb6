"""What the reader noticed about the input, as notes the report can word in any language.

A :class:`Note` is a ``str`` holding its English sentence, so the command line, the
Excel button and the tests use it as text; it also keeps a stable ``code`` and the
``fields`` of the sentence, so the report's Methodology sheet can say it in Russian
or Chinese (labels ``read.<code>``). Field values that are words of ours rather than
the user's data (an encoding, a delimiter, a column role) are codes themselves and
are worded through :data:`WORDS`. The reasons a row was skipped are coded the same
way (:data:`SKIP_REASONS`, labels ``reason.<code>``).
"""

from __future__ import annotations

from typing import Any

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
DASHBOARD_NOTES: frozenset[str] = frozenset({"ids_15_digits"})

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


class Note(str):
    """One note: its English sentence as the str value, plus ``code``, ``fields`` and ``column``.

    ``column`` is the header the note is about; the sentence then starts with it in
    quotes ('"Amount": amounts use a decimal comma').
    """

    code: str
    fields: dict[str, Any]
    column: str | None

    def __new__(cls, code: str, column: str | None = None, **fields: Any) -> "Note":
        words = {k: WORDS.get(f"{k}.{v}", v) for k, v in fields.items()}
        text = READ_NOTES[code].format(**words)
        self = super().__new__(cls, text if column is None else f'"{column}": {text}')
        self.code, self.fields, self.column = code, fields, column
        return self

    def about(self, column: str) -> "Note":
        """The same note, said of the column with this header."""
        return Note(self.code, column, **self.fields)

    def __reduce__(self) -> tuple:  # pickles (and copies) as a Note, not a bare str
        return (_rebuild, (self.code, self.column, self.fields))


def _rebuild(code: str, column: str | None, fields: dict[str, Any]) -> Note:
    return Note(code, column, **fields)

