"""Stage 4 of the row pipeline (read/rows.py): RowTable -> SplitRows, used rows and skipped rows.

A row that is data is used when it has a customer, a date and an amount; otherwise it is
skipped with its reason as (code, value) parts (messages.describe_skip words them) and its
cells as written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retention_xl.messages import Note, describe_skip
from retention_xl.read import cells as P
from retention_xl.read.parse import quote
from retention_xl.read.rows import RowTable, SplitRows

#: Optional text columns of the orders frame where the input has them. A text column of them is
#: passed on exactly as written (not stripped, missing where empty): the engine uses one value per
#: customer (their first channel and product, their latest name) and strips that one (Rows.filled_text).
OPTIONAL_TEXT = ("channel", "product", "customer_name", "email", "phone")
RAW_SEP = " | "  # between the cells of a skipped row's raw text


def split_rows(table: RowTable, order_prefix: str = "") -> tuple[SplitRows, list[Note]]:
    """The orders frame of the usable rows and the skipped frame of the others (no notes of its own).

    ``order_prefix`` goes before "row <n>", the order id of a row without one (a sheet's name
    when several sheets are read).
    """
    used, skip = table.usable, table.unusable
    no_cust = np.flatnonzero(skip & (table.customer_status != P.OK) & (table.date_status == P.OK)
                             & (table.amount_status == P.OK))
    no_customer = pd.DataFrame({
        "row": pd.Series(table.row[no_cust], dtype="int64"),
        "date": pd.Series(table.date[no_cust], dtype="datetime64[ns]"),
        "amount": pd.Series(table.amount[no_cust], dtype="float64"),
    })
    out = SplitRows(orders=orders_frame(table, used, order_prefix), skipped=skipped_frame(table, skip),
                    no_customer=no_customer, rows_read=table.rows_read)
    return out, []


def orders_frame(table: RowTable, used: np.ndarray, order_prefix: str = "") -> pd.DataFrame:
    """The orders frame (ARCHITECTURE.md, "The orders frame") of the rows marked ``used``."""
    frame, roles = table.frame, table.cmap.roles
    idx = np.flatnonzero(used)
    every = len(idx) == len(used)  # every row is used (the usual case): the arrays as they are, no copy

    def pick(values: np.ndarray) -> np.ndarray:
        return values if every else values[idx]

    r = pick(table.row)
    op = table.order
    if op is not None and op.as_written:  # the column as written is the order ids
        order = pd.Series(P.column_str(frame[roles["order_id"]], idx))
    elif op is not None and (op.codes[idx] >= 0).all():
        order = pd.Series(P.str_take(op.uniques, op.codes[idx]))
    else:  # no order column, or rows without an order id: each such row is its own order
        o = op.values[idx].copy() if op is not None else np.full(len(idx), None, dtype=object)
        missing = np.flatnonzero(pd.isna(o))
        o[missing] = [f"{order_prefix}row {x}" for x in r[missing]]
        order = pd.Series(o, dtype="str")
    if table.customer_ids.as_written:
        # every customer cell was a clean id (no blanks, so no e-mail fallback or order-line filling)
        customer = pd.Series(P.column_str(frame[roles["customer_id"]], idx))
    else:
        customer = pd.Series(P.str_take(table.customers, table.customer[idx]))
    data = {
        "row": pd.Series(r, dtype="int64"),
        "customer_id": customer,
        "date": pd.Series(pick(table.date), dtype="datetime64[ns]"),
        "amount": pd.Series(pick(table.amount), dtype="float64"),
        "order_id": order,
        "returned": pd.Series(pick(table.returned), dtype="bool"),
        "unpaid": pd.Series(pick(table.unpaid), dtype="bool"),
    }
    if table.refunded is not None:
        data["refunded"] = pd.Series(pick(table.refunded), dtype="float64")
    for role in OPTIONAL_TEXT:
        if role in roles:
            ci = roles[role]
            if ci in table.ids:  # already normalised as the customer key
                data[role] = pd.Series(P.str_take(table.ids[ci].uniques, table.ids[ci].codes[idx]))
            elif P.is_str_column(frame[ci]):
                data[role] = pd.Series(P.column_str(frame[ci], idx))
            else:
                data[role] = pd.Series(P.text_array(frame[ci], idx))
    if "score" in roles:
        sp = P.parse_numbers(frame[roles["score"]].iloc[idx])
        data["score"] = pd.Series(sp.values, dtype="float64")
    # issue 18: the currency of each row's amount, "" where the data names none
    if table.currency is None:  # one "" for every row: a str array of one text, repeated without a check per row
        data["currency"] = pd.Series(pd.array([""], dtype="str").take(np.zeros(len(idx), dtype=np.intp)))
    else:
        c_codes, c_uniq = pd.factorize(table.currency[idx])
        data["currency"] = pd.Series(P.str_take(np.asarray(c_uniq, dtype=object), c_codes))
    return pd.DataFrame(data, copy=False)  # no copy of a million-row str column (copy-on-write keeps shared ones safe)


def skipped_frame(table: RowTable, skip: np.ndarray) -> pd.DataFrame:
    """Rows marked ``skip``: row, reason (English), raw (the cells joined by " | "), parts ((code, value) pairs)."""
    idx = np.flatnonzero(skip)
    if len(idx) == 0:
        return pd.DataFrame({"row": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype="str"),
                             "raw": pd.Series([], dtype="str"), "parts": pd.Series([], dtype=object)})
    sub = table.frame.iloc[idx]
    texts = {c: P.series_text(sub[c]) for c in sub.columns}
    all_parts = [_reasons(table, i, k, texts) for k, i in enumerate(idx)]
    cols = list(sub.columns)
    raw = []
    for k in range(len(idx)):
        vals = [texts[c][k] for c in cols]
        while vals and not vals[-1].strip():
            vals.pop()
        raw.append(RAW_SEP.join(vals))
    return pd.DataFrame({
        "row": pd.Series(table.row[idx], dtype="int64"),
        "reason": pd.Series([describe_skip(p) for p in all_parts], dtype="str"),
        "raw": pd.Series(raw, dtype="str"),
        "parts": pd.Series(all_parts, dtype=object),
    })


def _reasons(table: RowTable, i: int, k: int, texts: dict) -> tuple:
    """Why row ``i`` (the k-th skipped row; ``texts``: the skipped rows' cell texts) is skipped, as parts."""
    roles = table.cmap.roles
    checks = [("customer", table.customer_status, "customer_id"), ("date", table.date_status, "date")]
    if table.quantity_status is None:
        checks.append(("amount", table.amount_status, "amount"))
    else:
        checks += [("quantity", table.quantity_status, "quantity"), ("price", table.price_status, "price")]
    too_large = bool(table.too_large[i])
    parts = []
    for what, status, role in checks:
        if too_large and what in ("amount", "quantity", "price"):
            continue  # read, but too large: said once below
        if status[i] == P.BLANK or (what == "customer" and status[i] != P.OK):
            formula = (i, roles[role]) in table.uncached
            parts.append((f"{'nocalc' if formula else 'no'}_{what}", None))
        elif status[i] == P.BAD:
            parts.append((f"bad_{what}", quote(texts[roles[role]][k])))
    if too_large:
        cell = texts[roles["amount"]][k] if table.quantity_status is None else \
            f"{texts[roles['quantity']][k]} × {texts[roles['price']][k]}"
        parts.append(("big_amount", quote(cell)))
    return tuple(parts) or (("unusable", None),)
