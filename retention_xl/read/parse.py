"""Stage 1 of the row pipeline (read/rows.py): raw cells -> RowTable, every role column parsed once.

Customer ids (with the e-mail where the id is blank), dates, amounts (or quantity × price)
with their currencies, order ids, and what says a row is no sale: status words, UCI-style
"C" invoices, refund documents with positive sums, refunded parts of paid rows.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pandas as pd

from retention_xl.common.currency import YEN_SIGN, currency_code, resolve_yen
from retention_xl.messages import Note
from retention_xl.read import cells as P
from retention_xl.read import headers as colmod
from retention_xl.read import statuses as _statuses
from retention_xl.read.headers import ColumnMap
from retention_xl.read.rows import Cells, RowTable

_MAX_SHOWN = 60  # characters of a cell quoted in a reason or a note
#: A number this large has more digits than the 15 Excel keeps (issue 16).
_EXCEL_DIGITS_LIMIT = 1e15


def quote(text: str) -> str:
    """A cell's text as a note or a skip reason quotes it: stripped, cut at 60 characters."""
    t = text.strip()
    if len(t) > _MAX_SHOWN:
        t = t[: _MAX_SHOWN - 1] + "…"
    return f"'{t}'"


def parse_rows(cells: Cells) -> tuple[RowTable, list[Note]]:
    """Parse each role column of ``cells`` once; the notes say what was seen (in reading order)."""
    cmap = cells.cmap
    frame, roles, status_extra, notes = _layout_meaning(cells)
    platform = cells.platform or (cmap.layout.platform if cmap.layout is not None else None)
    n = len(frame)
    ids: dict[int, P.IdParse] = {}

    def id_parse(i: int) -> P.IdParse:
        if i not in ids:
            ids[i] = P.parse_ids(frame[i])
        return ids[i]

    customer_ids = _customers(frame, cmap, ids, id_parse, notes)
    dp = P.parse_dates(frame[roles["date"]], cells.date1904)
    notes += [x.about(cmap.header("date")) for x in dp.notes]
    amount, amount_st, qty_st, price_st, signs = _amounts(frame, cmap, roles, cells.yen, notes)
    currency = _row_currencies(frame, cmap, signs, n, cells.yen, notes)
    # a quadrillion or more is a card number or a typo, not an order, and sums of such
    # amounts overflow to infinity
    too_large = (amount_st == P.OK) & ~(np.abs(amount) < P.MAX_AMOUNT)
    amount_st = np.where(too_large, P.BAD, amount_st).astype(np.int8)
    for role in ("customer_id", "order_id"):
        if role in roles:
            notes += _cut_id_notes(frame[roles[role]], cmap.header(role))
    order = _order_ids(frame, roles, ids, id_parse)
    order_st = order.status if order is not None else np.full(n, P.BLANK, dtype=np.int8)
    returned, unpaid = _flags(frame, cmap, roles, status_extra, platform, notes)
    if order is not None:
        returned = returned | _c_cancellations(frame[roles["order_id"]], order, cmap.header("order_id"), notes)
    if "doc_type" in roles:
        amount, returned = _refund_documents(frame[roles["doc_type"]], cmap.headers[roles["doc_type"]], amount,
                                             amount_st, returned, notes)
    refunded = _refunded(frame[roles["refunded_amount"]], cmap.headers[roles["refunded_amount"]],
                         notes) if "refunded_amount" in roles else None
    table = RowTable(
        frame=frame, cmap=cmap, roles=roles,
        row=np.arange(cells.first_row, cells.first_row + n, dtype=np.int64),
        customer_ids=customer_ids,
        date=dp.values, date_status=dp.status, amount=amount, amount_status=amount_st,
        quantity_status=qty_st, price_status=price_st, too_large=too_large,
        order=order, order_status=order_st, returned=returned, unpaid=unpaid, refunded=refunded,
        currency=currency, ids=ids, uncached=frozenset(cells.uncached),
    )
    return table, notes


def _order_ids(frame: pd.DataFrame, roles: dict[str, int], ids: dict[int, P.IdParse],
               id_parse: Callable[[int], P.IdParse]) -> P.IdParse | None:
    """The order id column parsed; a column already holding its ids as written is not hashed
    (cells.WrittenIds) unless a later stage asks for its codes."""
    if "order_id" not in roles:
        return None
    ci = roles["order_id"]
    return ids.get(ci) or P.written_ids(frame[ci]) or id_parse(ci)


def _layout_meaning(cells: Cells) -> tuple[pd.DataFrame, dict[str, int], list[int], list[Note]]:
    """(frame, roles, more status columns, notes): the header's columns all present, and a known
    platform's own meaning (issues 10, 17): its status words, its refund documents and refunded
    amounts, from the columns the layout names where the synonyms did not find them, and its field
    prefix stripped from the columns read (raw cells on Data issues stay as written).

    The frame returned is a new one whenever a column is added or changed; the input is left as it is.
    """
    cmap, frame = cells.cmap, cells.frame
    missing = [i for i in range(len(cmap.headers)) if i not in frame.columns]
    if missing:
        frame = frame.copy(deep=False)
        for i in missing:
            frame[i] = None
    roles = dict(cmap.roles)
    layout = cmap.layout
    if layout is None:
        return frame, roles, [], []
    notes: list[Note] = []
    lc = cmap.layout_columns
    for role, key in (("doc_type", "doc_type"), ("refunded_amount", "refunded")):
        if role not in roles and lc.get(key):
            roles[role] = lc[key][0]
    status_cols = [i for i in lc.get("status", []) if i != roles.get("returned")]
    if "returned" not in roles and status_cols:
        roles["returned"] = status_cols.pop(0)
    status_extra = [i for i in status_cols if i not in cmap.returned_extra]
    if layout.field_prefix and len(frame):
        pre = layout.field_prefix
        used_cols = set(roles.values()) | {i for v in lc.values() for i in v}
        if cmap.customer_fallback is not None:
            used_cols.add(cmap.customer_fallback)
        frame = frame.copy(deep=False)
        for c in sorted(used_cols):
            col_ = frame[c]
            if col_.dtype == object or isinstance(col_.dtype, pd.StringDtype):
                frame[c] = pd.Series([v[len(pre):] if isinstance(v, str) and v.startswith(pre) else v
                                      for v in col_], index=frame.index, dtype=object)
        notes.append(Note("field_prefix", prefix=pre))
    return frame, roles, status_extra, notes


def _customers(frame: pd.DataFrame, cmap: ColumnMap, ids: dict[int, P.IdParse],
               id_parse: Callable[[int], P.IdParse], notes: list[Note]) -> P.IdParse:
    """The customer column parsed, with the e-mail where the id is blank.

    A column whose cells are the ids as written stays a cells.WrittenIds (not hashed here);
    any change (a guest's 0, an e-mail taken) gives a new IdParse that is not ``as_written``.
    """
    ci = cmap.roles["customer_id"]
    cp = ids.get(ci) or P.written_ids(frame[ci]) or id_parse(ci)
    if colmod.normalize(cmap.header("customer_id")) == "customeruser" and cmap.customer_fallback is not None:
        zero = np.flatnonzero(np.array([u == "0" for u in cp.uniques], dtype=bool))
        if len(zero):  # customer 0 is a guest: the e-mail says who it was
            guest = cp.codes == zero[0]
            cp = P.IdParse(np.where(guest, -1, cp.codes), cp.uniques,
                           np.where(guest, P.BLANK, cp.status).astype(np.int8))
    if cmap.customer_fallback is not None:
        need = cp.status == P.BLANK
        if need.any():
            ep = id_parse(cmap.customer_fallback)
            use = need & (ep.status == P.OK)
            if use.any():
                cp = P.IdParse(np.where(use, len(cp.uniques) + ep.codes, cp.codes),
                               np.concatenate([cp.uniques, ep.uniques]),
                               np.where(use, P.OK, cp.status).astype(np.int8))
                notes.append(Note("email_fallback", header=cmap.headers[cmap.customer_fallback],
                                  n=f"{int(use.sum()):,}"))
    return cp


def _amounts(frame: pd.DataFrame, cmap: ColumnMap, roles: dict[str, int], yen: str | None, notes: list[Note]):
    """(amount, status, quantity status, price status, currency signs) from the amount column,
    or quantity × price without one."""
    if "amount" in roles:
        ap = P.parse_numbers(frame[roles["amount"]], yen)
        notes += [x.about(cmap.header("amount")) for x in ap.notes]
        return ap.values, ap.status, None, None, ap.currency
    qp, pp = P.parse_numbers(frame[roles["quantity"]], yen), P.parse_numbers(frame[roles["price"]], yen)
    signs = pp.currency if pp.currency is not None else qp.currency
    notes += [x.about(cmap.header("quantity")) for x in qp.notes]
    notes += [x.about(cmap.header("price")) for x in pp.notes if x not in qp.notes]
    return qp.values * pp.values, np.maximum(qp.status, pp.status), qp.status, pp.status, signs


def _row_currencies(frame, cmap, signs, n, yen, notes) -> np.ndarray | None:
    """Per row, the ISO code of its amount's currency ("" unknown); None when nothing names one (issue 18).

    A currency column wins; where it is blank, the sign or code written in the amount counts.
    A bare ¥ is CNY unless ``yen`` or the data says JPY; the note says which was taken.
    """
    cur = None if signs is None else np.asarray(signs, dtype=object)
    if "currency" in cmap.roles:
        codes, uniq = P.text_codes(frame[cmap.roles["currency"]])
        mapped = np.array([(currency_code(u) or u.upper()) if u else "" for u in uniq], dtype=object)
        col_cur = P._take(mapped, codes, "") if len(uniq) else np.full(n, "", dtype=object)
        cur = col_cur if cur is None else np.where(col_cur != "", col_cur, cur)
    if cur is None:
        return None
    seen = set(pd.unique(cur).tolist()) - {""}
    if YEN_SIGN in seen:
        meant = resolve_yen(seen, yen)
        cur = np.where(cur == YEN_SIGN, meant, cur)
        notes.append(Note("yen_sign", currency=f"currency.{meant}"))
    if not (cur != "").any():
        return None
    return cur


def _cut_id_notes(series: pd.Series, header: str) -> list[Note]:
    """The ids_15_digits note when an id column holds numbers of 16+ digits (floats >= 1e15).

    Such numbers come from Excel (or a file Excel saved), which keeps 15 significant
    digits: different ids may already have become one. Text ids are never cut.
    """
    if P.is_str_column(series) or pd.api.types.is_bool_dtype(series.dtype):
        return []
    if pd.api.types.is_numeric_dtype(series.dtype):
        x = np.abs(series.to_numpy(dtype=float, na_value=np.nan))
        n = int(np.count_nonzero(np.isfinite(x) & (x >= _EXCEL_DIGITS_LIMIT)))
    else:
        codes, uniq = P.factorize(series)
        big = np.array([type(v) in (float, int) and math.isfinite(v) and abs(v) >= _EXCEL_DIGITS_LIMIT
                        for v in uniq.tolist()], dtype=bool)
        n = int(np.count_nonzero(big[codes[codes >= 0]])) if big.any() else 0
    return [Note("ids_15_digits", header, n=f"{n:,}")] if n else []


def _flags(frame: pd.DataFrame, cmap: ColumnMap, roles: dict[str, int], status_extra: list[int],
           platform: str | None, notes: list[Note]) -> tuple[np.ndarray, np.ndarray]:
    """(returned, unpaid) per row from the status columns, with a note of the words seen in each."""
    n = len(frame)
    returned = np.zeros(n, dtype=bool)
    unpaid = np.zeros(n, dtype=bool)
    if "returned" not in roles:
        return returned, unpaid
    for ci in [roles["returned"]] + list(cmap.returned_extra) + status_extra:
        fp = P.parse_flags(frame[ci], platform)
        returned |= fp.values
        unpaid |= fp.unpaid
        for kind, code in (("returned", "flags_returned"), ("unpaid", "flags_unpaid"), ("sale", "flags_sale")):
            said = sorted((t for t, (k, _) in fp.kinds.items() if k == kind), key=lambda t: -fp.kinds[t][1])
            if said and (kind != "sale" or fp.values.any() or fp.unpaid.any()):
                desc = ", ".join(f"{quote(t)} ({fp.kinds[t][1]:,})" for t in said[:8])
                notes.append(Note(code, cmap.headers[ci], values=desc))
        if fp.unknown:
            unk = ", ".join(f"{quote(t)} ({c})" for t, c in list(fp.unknown.items())[:6])
            notes.append(Note("flags_unknown", cmap.headers[ci], values=unk))
    return returned, unpaid


def _c_cancellations(series: pd.Series, op: P.IdParse, header: str, notes: list[Note]) -> np.ndarray:
    """UCI Online Retail: invoice "C536379" cancels. Rows so marked (bool); looked at only when some id
    starts with C, and only when most rows' orders are plain numbers."""
    n = len(op.status)
    none = np.zeros(n, dtype=bool)
    if not n or pd.api.types.is_numeric_dtype(series.dtype):
        return none
    if isinstance(op, P.WrittenIds) and op.first_bytes is not None and not op.first_bytes & {"C", "c"}:
        return none  # the reader saw every id's first letter: none is a C
    # the cells themselves when they are the ids as written (no hashing), else the distinct ids
    texts = series.to_numpy(dtype=object).tolist() if isinstance(op, P.WrittenIds) else op.uniques.tolist()
    joined = "\x00" + "\x00".join(texts)  # neither holds None
    if not texts or ("\x00C" not in joined and "\x00c" not in joined):
        return none
    ul = op.uniques.tolist()
    c_u = np.array([u is not None and u[:1] in ("C", "c") and u[1:].isdigit() for u in ul], dtype=bool)
    if not c_u.any():
        return none
    cancel = (op.codes >= 0) & c_u[np.maximum(op.codes, 0)]
    if not cancel.any():
        return none
    counts = np.bincount(op.codes[op.codes >= 0], minlength=len(op.uniques))
    d_u = np.array([u is not None and u.isdigit() for u in op.uniques], dtype=bool)
    if counts[d_u].sum() < 0.5 * counts.sum():
        return none
    notes.append(Note("c_cancellations", header=header, n=f"{int(cancel.sum()):,}"))
    return cancel


def _refund_documents(series: pd.Series, header: str, amount: np.ndarray, amount_st: np.ndarray,
                      returned: np.ndarray, notes: list[Note]) -> tuple[np.ndarray, np.ndarray]:
    """Refund documents with positive sums (issue 10): the document type says return, so the
    amount turns negative, and a return document is a refund, not a flagged-returned sale."""
    codes_d, uniq_d = P.factorize(series)
    ret_u = np.array([_statuses.is_return_document(P.cell_text(u)) for u in uniq_d], dtype=bool)
    doc_return = (codes_d >= 0) & ret_u[np.maximum(codes_d, 0)] if len(uniq_d) else np.zeros(len(series), dtype=bool)
    flip = doc_return & (amount_st == P.OK) & (amount > 0)
    if flip.any():
        amount = np.where(flip, -amount, amount)
        notes.append(Note("refund_documents", header=header, n=f"{int(flip.sum()):,}"))
    return amount, returned & ~doc_return


def _refunded(series: pd.Series, header: str, notes: list[Note]) -> np.ndarray | None:
    """The refunded part of each paid row (a "Refunded Amount" column); None when none is refunded."""
    rp = P.parse_numbers(series)
    refunded = np.where((rp.status == P.OK) & np.isfinite(rp.values), np.abs(rp.values), 0.0)
    n_ref = int(np.count_nonzero(refunded > 0))
    if not n_ref:
        return None
    notes.append(Note("refunded_amounts", header=header, n=f"{n_ref:,}"))
    return refunded
