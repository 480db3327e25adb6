"""Raw table -> ReadResult: the orders frame plus every skipped row with its reason.

Public API (used by the CLI, the Excel button and the KPI engine):

    read_orders(path, *, sheet=None, columns=ColumnChoice()) -> ReadResult
    read_values(values, *, sheet="Sheet1", first_row=1, columns=ColumnChoice()) -> ReadResult

Contract (ARCHITECTURE.md): ``rows_read == len(orders) + len(skipped)``; fully
blank rows are not data and are not counted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from retention_xl.read import headers as colmod
from retention_xl.read import cells as P
from retention_xl.read import files as reader
from retention_xl.read.headers import ColumnMap, map_columns
from retention_xl.errors import InputError
from retention_xl.messages import Note, describe_skip
from retention_xl.settings import ColumnChoice

ORDER_COLUMNS = ("row", "customer_id", "date", "amount", "order_id", "returned")
OPTIONAL_TEXT = ("channel", "product", "customer_name", "email", "phone")
_TYPED_ROLES = {"date", "amount", "quantity", "price", "score"}
_ID_ROLES = {"customer_id", "order_id", "email", "phone"}
_RAW_SEP = " | "
_MAX_SHOWN = 60  # characters of a cell quoted in a reason


@dataclass
class ReadResult:
    """What was read: used rows (``orders``), skipped rows and how the input was understood."""

    orders: pd.DataFrame
    skipped: pd.DataFrame  # columns row (int), reason (str), raw (str), parts (tuple of (code, value))
    rows_read: int
    source: str
    sheet: str | None
    columns: dict[str, str]  # role -> header as seen in the input
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    #: issue 17: the known platform whose export layout was recognised (read/layouts.PLATFORMS), and which of
    #: its exports (layouts.Layout.kind); None for any other table
    platform: str | None = None
    layout: str | None = None
    #: the layout's meaning columns, "status" / "doc_type" / "refunded" -> their headers (numbers reads them)
    layout_columns: dict[str, list[str]] = field(default_factory=dict)
    #: how each needed role's column was chosen: winner, runner-up, doubt (headers.ColumnPick)
    picks: list = field(default_factory=list)

    @property
    def rows_used(self) -> int:
        return len(self.orders)

    @property
    def rows_skipped(self) -> int:
        return len(self.skipped)


# ---------------------------------------------------------------- public API


def read_orders(
    path: str | os.PathLike, *, sheet: str | None = None, columns: ColumnChoice = ColumnChoice()
) -> ReadResult:
    """Read an order export (.xlsx/.xlsm/.xls/.xlsb/.ods or .csv/.txt/.tsv)."""
    p, kind = reader.check_file(path)
    if kind == "workbook":
        return _read_workbook(p, sheet, columns)
    return _read_text(p, sheet, columns)


def read_values(
    values, *, sheet: str = "Sheet1", first_row: int = 1, columns: ColumnChoice = ColumnChoice()
) -> ReadResult:
    """Read the 2-D list an Excel range gives (xlwings ``range.value``).

    ``first_row`` is the sheet row number of ``values[0]``, so skipped rows are
    reported with the row numbers the user sees.
    """
    rows = _as_rows(values)
    where = f'sheet "{sheet}"'
    if not rows:
        raise InputError(f"The selected range on {where} is empty: there are no rows to read.")
    h, cmap = _find_header(rows, columns, where, first_row)
    width = max(len(r) for r in rows)
    data = [list(r) + [None] * (width - len(r)) for r in rows[h + 1:]]
    frame = pd.DataFrame(data, columns=list(range(width)), dtype=object) if data else pd.DataFrame(
        columns=list(range(width)), dtype=object
    )
    notes = [Note("range_header", row=first_row + h, sheet=sheet)]
    return _build(frame, first_row + h + 1, cmap, source=f"{sheet} (Excel range)", sheet=sheet, notes=notes)


# ---------------------------------------------------------------- sources


_XLWINGS_ERRORS = {
    -2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
    -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!",
}


def _as_rows(values) -> list[list]:
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        return [[values]]
    if values and not any(isinstance(v, (list, tuple)) for v in values):
        values = [values]  # a single row arrives as a flat list
    rows = []
    for r in values:
        r = list(r) if isinstance(r, (list, tuple)) else [r]
        rows.append([_XLWINGS_ERRORS.get(v, v) if isinstance(v, int) and not isinstance(v, bool) else v for v in r])
    return rows


def _read_workbook(p: Path, sheet: str | None, choice: ColumnChoice) -> ReadResult:
    wb = reader.open_workbook(p)
    notes: list[str] = []
    if sheet is not None:
        name = next((s for s in wb.sheets if s == sheet), None) or next(
            (s for s in wb.sheets if s.strip().casefold() == str(sheet).strip().casefold()), None
        )
        if name is None:
            raise InputError(
                f'"{p.name}" has no sheet named "{sheet}". Sheets: ' + ", ".join(f'"{s}"' for s in wb.sheets) + "."
            )
        rows = wb.rows(name)
        where = f'"{p.name}", sheet "{name}"'
        if not rows:
            raise InputError(f"{where} is empty: there are no rows to read.")
        h, cmap = _find_header(rows, choice, where, 1)
        notes.append(Note("sheet_header", sheet=name, row=h + 1))
    else:
        order = wb.visible + [s for s in wb.sheets if s not in wb.visible]
        problems: list[str] = []
        found = None
        for name in order:
            rows = wb.rows(name)
            if not rows or not any(any(_nonblank(c) for c in r) for r in rows[: reader.HEAD_ROWS]):
                problems.append(f'sheet "{name}" is empty')
                continue
            try:
                h, cmap = _find_header(rows, choice, f'"{p.name}", sheet "{name}"', 1)
            except InputError as e:
                problems.append(str(e))
                continue
            found = name
            break
        if found is None:
            if len(order) == 1:
                raise InputError(problems[0] if problems else f'"{p.name}" has no rows.')
            raise InputError(
                f'No sheet of "{p.name}" has an order header (customer, date, amount). ' + " ".join(
                    f"[{x}]" for x in problems
                )
            )
        name = found
        notes.append(Note("sheet_only" if len(wb.sheets) == 1 else "sheet_first", sheet=name, row=h + 1))
    width = max((len(r) for r in rows), default=0)
    filled = _fill_merged(rows, wb.merged.get(name, ()), h, cmap)
    if filled:
        notes.append(Note("merged_cells", n=f"{filled:,}"))
    uncached = {(r - h - 1, c) for r, c in wb.uncached.get(name, ()) if r > h}
    if uncached:
        r, c = min(uncached)
        notes.append(Note("uncached_formulas", cell=f"{colmod._col_letter(c)}{r + h + 2}", n=f"{len(uncached):,}"))
    data = rows[h + 1:]
    frame = pd.DataFrame(data, columns=list(range(width)), dtype=object) if data else pd.DataFrame(
        columns=list(range(width)), dtype=object
    )
    return _build(frame, h + 2, cmap, source=str(p), sheet=name, notes=notes, uncached=uncached)


def _fill_merged(rows: list[list], merged, h: int, cmap: ColumnMap) -> int:
    """Give every cell of a merged area below the header the value Excel shows in it.

    A 1C-style report merges an order's number, date and customer over its lines;
    the file holds the value only in the first line.  Amount, quantity, price and
    score cells are left as they are: a merged amount is one amount (the order's
    total), counted once, not once per line.  Returns the number of cells filled.
    """
    keep = {cmap.roles[r] for r in ("amount", "quantity", "price", "score") if r in cmap.roles}
    n = 0
    for (r0, c0), (r1, c1) in merged:
        if r0 <= h or r0 >= len(rows):
            continue  # the header and titles above it stay as they are
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if not _nonblank(value):
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0) and c not in keep and not _nonblank(row[c]):
                    row[c] = value
                    n += 1
    return n


def _read_text(p: Path, sheet: str | None, choice: ColumnChoice) -> ReadResult:
    ct = reader.load_text(p)
    head, _ = reader.text_head_rows(ct, reader.HEAD_ROWS + colmod.SAMPLE_ROWS)
    where = f'"{p.name}"'
    if not any(any(c.strip() for c in r) for r in head):
        raise InputError(f"{where} has no rows to read.")
    h, cmap = _find_header(head, choice, where, 1 + ct.skip_lines)
    # ids are read as written ("000123", "13607.0", a 19-digit order number stay text, as
    # the source system knows them), and so is any other column whose sample shows
    # digits a number would change; dates, amounts and the rest are typed by pandas'
    # C reader (text stays text) and normalised afterwards
    ncols = max([len(head[h])] + [len(r) for r in head[h + 1:]])
    text_cols = {i for role, i in cmap.roles.items() if role in _ID_ROLES}
    if cmap.customer_fallback is not None:
        text_cols.add(cmap.customer_fallback)
    typed = {i for role, i in cmap.roles.items() if role in _TYPED_ROLES}
    text_cols |= {i for i in range(ncols) if i not in typed and any(i < len(r) and _keeps_text(r[i]) for r in head[h + 1:])}
    # records, not lines: a quoted field may span lines, and Excel shows such a record as one row
    frame = reader.text_frame(ct, h + 1, ncols, text_cols)
    notes = list(ct.notes)  # after reading: the encoding may have been corrected
    if sheet is not None:
        notes.append(Note("text_no_sheets", file=p.name, sheet=sheet))
    header_row = ct.skip_lines + h + 1
    notes.append(Note("header_line", line=header_row))
    notes += _longer_rows_note(frame, len(head[h]), header_row + 1)
    return _build(frame, header_row + 1, cmap, source=str(p), sheet=None, notes=notes)


def _longer_rows_note(frame: pd.DataFrame, width: int, first_row: int) -> list[Note]:
    """A note naming the rows with text beyond the header's last column (they are read as usual).

    In a text file such a row has often been cut by a delimiter inside an unquoted
    value ("$1,234.50" in a comma-separated file), and the cells after it have moved
    one column to the right: the user should look at it.
    """
    if frame.shape[1] <= width:
        return []
    longer = np.zeros(len(frame), dtype=bool)
    for c in frame.columns[width:]:
        longer |= np.array([bool(t.strip()) for t in P.series_text(frame[c])], dtype=bool)
    if not longer.any():
        return []
    pos = np.flatnonzero(longer)
    return [Note("longer_rows", width=width, row=f"{first_row + int(pos[0]):,}", n=f"{len(pos):,}")]


def _keeps_text(cell: str) -> bool:
    """A number pandas would change: leading zeros ("000123") or more digits than a float keeps."""
    t = cell.strip().lstrip("+-")
    return (len(t) > 1 and t[0] == "0" and t[1].isdigit()) or (t.isdigit() and len(t) > 15)


# ---------------------------------------------------------------- header


def _nonblank(c) -> bool:
    return not (c is None or (isinstance(c, str) and not c.strip()) or (isinstance(c, float) and c != c))


def _find_header(rows: list[list], choice: ColumnChoice, where: str, first_row: int) -> tuple[int, ColumnMap]:
    """Index (in rows) of the header row and its column map; InputError when unusable.

    The header is looked for in the first HEAD_ROWS rows; the rows under it (up to
    headers.SAMPLE_ROWS) are the sample whose values judge the candidate columns.
    """
    head = rows[: reader.HEAD_ROWS]
    explicit = {colmod.normalize(getattr(choice, f)) for f in colmod.CHOICE_ROLES if getattr(choice, f)}
    scored = []
    for i, r in enumerate(head):
        s = colmod.header_row_score(r)
        if explicit:
            s += 3 * sum(1 for c in r if isinstance(c, str) and colmod.normalize(c) in explicit)
        if s > 0:
            scored.append((s, -i))
    scored.sort(reverse=True)
    first_error = None
    for s, neg_i in scored[:6]:
        i = -neg_i
        hdrs = [_header_text(c) for c in head[i]]
        try:
            return i, map_columns(hdrs, choice, where=f"{where}, header on row {first_row + i}",
                                  sample=rows[i + 1: i + 1 + colmod.SAMPLE_ROWS])
        except InputError as e:
            first_error = first_error or e
    if first_error is not None:
        raise first_error
    # nothing looks like a header: show the first non-blank row as what was seen
    i = next((k for k, r in enumerate(head) if any(_nonblank(c) for c in r)), 0)
    hdrs = [_header_text(c) for c in head[i]] if head else []
    return i, map_columns(hdrs, choice, where=f"{where}, first non-blank row {first_row + i}",
                          sample=rows[i + 1: i + 1 + colmod.SAMPLE_ROWS])


def _header_text(c) -> str:
    return P.cell_text(c).strip()


# ---------------------------------------------------------------- core


def _quote(text: str) -> str:
    t = text.strip()
    if len(t) > _MAX_SHOWN:
        t = t[: _MAX_SHOWN - 1] + "…"
    return f"'{t}'"


def _blank_cells(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """For the given row positions: True where every cell is blank."""
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    sub = frame.iloc[rows]
    blank = np.ones(len(rows), dtype=bool)
    for c in sub.columns:
        txt = P.series_text(sub[c])
        blank &= np.array([not t.strip() for t in txt], dtype=bool)
    return blank


def _build(
    frame: pd.DataFrame, first_data_row: int, cmap: ColumnMap, *, source: str, sheet: str | None,
    notes: list[str], uncached: set[tuple[int, int]] = frozenset(),
) -> ReadResult:
    """`uncached`: (frame row, column) of formula cells without a stored result (they read as empty)."""
    notes = list(notes) + list(cmap.notes)
    roles = cmap.roles
    headers = cmap.headers
    n = len(frame)
    rows = np.arange(first_data_row, first_data_row + n, dtype=np.int64)
    # make sure every header column exists in the frame
    for i in range(len(headers)):
        if i not in frame.columns:
            frame[i] = None
    layout = cmap.layout
    if layout is not None:
        notes.insert(0, Note("layout", kind=layout.kind))
        if layout.field_prefix and n:
            pre = layout.field_prefix
            used_cols = set(roles.values()) | {i for v in cmap.layout_columns.values() for i in v}
            if cmap.customer_fallback is not None:
                used_cols.add(cmap.customer_fallback)
            for c in sorted(used_cols):  # the columns read; raw cells on Data issues stay as written
                col_ = frame[c]
                if col_.dtype == object or isinstance(col_.dtype, pd.StringDtype):
                    frame[c] = pd.Series([v[len(pre):] if isinstance(v, str) and v.startswith(pre) else v
                                          for v in col_], index=frame.index, dtype=object)
            notes.append(Note("field_prefix", prefix=pre))

    def col(role: str) -> pd.Series:
        return frame[roles[role]]

    id_cache: dict[int, P.IdParse] = {}

    def ids(i: int) -> P.IdParse:
        if i not in id_cache:
            id_cache[i] = P.parse_ids(frame[i])
        return id_cache[i]

    # --- customer id (with the e-mail where the id is blank)
    cp = ids(roles["customer_id"])
    # customers are kept as codes into cust_u: no per-row strings until the output
    cust_u, cust_c, cust_st = cp.uniques, cp.codes.copy(), cp.status.copy()
    if colmod.normalize(cmap.header("customer_id")) == "customeruser" and cmap.customer_fallback is not None:
        zero = np.flatnonzero(np.array([u == "0" for u in cust_u], dtype=bool))
        if len(zero):
            guest = cust_c == zero[0]
            cust_c[guest] = -1
            cust_st[guest] = P.BLANK
    if cmap.customer_fallback is not None:
        need = cust_st == P.BLANK
        if need.any():
            ep = ids(cmap.customer_fallback)
            use = need & (ep.status == P.OK)
            if use.any():
                cust_c[use] = len(cust_u) + ep.codes[use]
                cust_u = np.concatenate([cust_u, ep.uniques])
                cust_st[use] = P.OK
                notes.append(Note("email_fallback", header=headers[cmap.customer_fallback], n=f"{int(use.sum()):,}"))
    # --- date
    dp = P.parse_dates(col("date"))
    dates, date_st = dp.values, dp.status
    notes += [x.about(cmap.header("date")) for x in dp.notes]
    # --- amount (or quantity x price)
    qty_st = price_st = None
    if "amount" in roles:
        ap = P.parse_numbers(col("amount"))
        amount, amount_st = ap.values, ap.status
        notes += [x.about(cmap.header("amount")) for x in ap.notes]
    else:
        qp, pp = P.parse_numbers(col("quantity")), P.parse_numbers(col("price"))
        amount = qp.values * pp.values
        qty_st, price_st = qp.status, pp.status
        amount_st = np.maximum(qty_st, price_st)
        notes += [x.about(cmap.header("quantity")) for x in qp.notes]
        notes += [x.about(cmap.header("price")) for x in pp.notes if x not in qp.notes]
    # a quadrillion or more is a card number or a typo, not an order, and sums of such
    # amounts overflow to infinity
    too_large = (amount_st == P.OK) & ~(np.abs(amount) < P.MAX_AMOUNT)
    amount_st[too_large] = P.BAD
    # --- order id
    if "order_id" in roles:
        op = ids(roles["order_id"])
        oid_st = op.status
    else:
        oid_st = np.full(n, P.BLANK, dtype=np.int8)
    # --- returned
    returned = np.zeros(n, dtype=bool)
    if "returned" in roles:
        for ci in [roles["returned"]] + list(cmap.returned_extra):
            fp = P.parse_flags(frame[ci])
            returned |= fp.values
            flagged = sorted((t for t, (w, _) in fp.counts.items() if w), key=lambda t: -fp.counts[t][1])
            if flagged:
                desc = ", ".join(f"{_quote(t)} ({fp.counts[t][1]})" for t in flagged[:6])
                notes.append(Note("flags_returned", headers[ci], values=desc))
            if fp.unknown:
                unk = ", ".join(f"{_quote(t)} ({c})" for t, c in list(fp.unknown.items())[:6])
                notes.append(Note("flags_unknown", headers[ci], values=unk))
    if "order_id" in roles and len(op.uniques) and not pd.api.types.is_numeric_dtype(col("order_id").dtype):
        # UCI Online Retail: invoice "C536379" cancels; look only when some id starts with C
        ul = op.uniques.tolist()
        joined = "\x00" + "\x00".join(ul)  # IdParse.uniques holds no None
        if "\x00C" in joined or "\x00c" in joined:
            c_u = np.array([u is not None and u[:1] in ("C", "c") and u[1:].isdigit() for u in ul], dtype=bool)
        else:
            c_u = np.zeros(len(ul), dtype=bool)
        cancel = (op.codes >= 0) & c_u[np.maximum(op.codes, 0)] if c_u.any() else np.zeros(n, dtype=bool)
        if cancel.any():
            counts = np.bincount(op.codes[op.codes >= 0], minlength=len(op.uniques))
            d_u = np.array([u is not None and u.isdigit() for u in op.uniques], dtype=bool)
            if counts[d_u].sum() < 0.5 * counts.sum():
                cancel[:] = False
        if cancel.any():
            returned |= cancel
            notes.append(Note("c_cancellations", header=cmap.header("order_id"), n=f"{int(cancel.sum()):,}"))
    # --- fully blank rows are not data
    candidates = np.flatnonzero((cust_st == P.BLANK) & (date_st == P.BLANK) & (amount_st == P.BLANK) & (oid_st == P.BLANK))
    keep = np.ones(n, dtype=bool)
    if len(candidates):
        keep[candidates[_blank_cells(frame, candidates)]] = False
    if layout is not None and (layout.comment_prefix or layout.summary_first) and n:
        # the export's own comment lines (Alipay "#") and closing summary (WeChat Pay 总交易单数) are not data
        first = np.array([t.strip() for t in P.series_text(frame[0])], dtype=object)
        extra = np.zeros(n, dtype=bool)
        if layout.comment_prefix:
            extra |= np.array([t.startswith(layout.comment_prefix) for t in first], dtype=bool)
        if layout.summary_first:
            hit = np.flatnonzero(np.isin(first, list(layout.summary_first)))
            if len(hit):
                extra[hit[0]:] = True
        extra &= keep
        if extra.any():
            keep &= ~extra
            notes.append(Note("layout_comments", n=f"{int(extra.sum()):,}"))
    # --- order lines that carry the order's fields only on its first line
    if "order_id" in roles and "amount" in roles:
        _fill_order_lines(cmap, op.codes, oid_st, cust_c, cust_st, dates, date_st, amount, amount_st, returned, keep, notes)
    # --- used / skipped
    used = keep & (cust_st == P.OK) & (date_st == P.OK) & (amount_st == P.OK)
    skip = keep & ~used
    rows_read = int(keep.sum())
    orders = _orders_frame(frame, cmap, rows, used, cust_u, cust_c, dates, amount, op if "order_id" in roles else None,
                           returned, id_cache)
    skipped = _skipped_frame(frame, cmap, rows, skip, cust_st, date_st, amount_st, qty_st, price_st, too_large,
                             uncached)
    columns = {role: headers[i] for role, i in roles.items()}
    res = ReadResult(
        orders=orders, skipped=skipped, rows_read=rows_read, source=source, sheet=sheet,
        columns=columns, headers=list(headers), notes=notes,
        platform=layout.platform if layout is not None else None, layout=layout.kind if layout is not None else None,
        layout_columns={k: [headers[i] for i in v] for k, v in cmap.layout_columns.items()},
        picks=list(cmap.picks),
    )
    assert res.rows_read == len(res.orders) + len(res.skipped)
    return res


def _fill_order_lines(cmap, oid_codes, oid_st, cust_c, cust_st, dates, date_st, amount, amount_st, returned, keep, notes):
    """Shopify-style exports put customer, date and total only on an order's first line.

    Later lines of the same order whose amount cell is empty are counted with
    amount 0 (their order's total is already on the first line), and take the
    first line's customer and date where theirs are empty.  When an order-level
    total is repeated on every line of an order it is counted once.
    """
    has = (oid_st == P.OK) & keep
    if not has.any():
        return
    codes = np.where(has, oid_codes, -1)
    complete = has & (amount_st == P.OK)
    if not complete.any():
        return
    if not (has & (amount_st == P.BLANK)).any() and not (
        cmap.amount_order_level and {"product", "quantity", "price"} & set(cmap.roles)
    ):
        return  # every line has its own amount: nothing to fill, no repeated totals to look for
    df = pd.DataFrame({"code": codes, "complete": complete, "pos": np.arange(len(codes))})
    firsts = df[df["complete"]].groupby("code")["pos"].min()
    first_pos = np.full(codes.max() + 1, -1, dtype=np.int64)
    first_pos[firsts.index.to_numpy()] = firsts.to_numpy()
    fp = np.where(codes >= 0, first_pos[np.maximum(codes, 0)], -1)
    cont = has & (amount_st == P.BLANK) & (fp >= 0) & (fp < np.arange(len(codes)))
    if cont.any():
        src = fp[cont]
        amount[cont] = 0.0
        amount_st[cont] = P.OK
        idx = np.flatnonzero(cont)
        c_blank = cust_st[idx] == P.BLANK
        cust_c[idx[c_blank]] = cust_c[src[c_blank]]
        cust_st[idx[c_blank]] = cust_st[src[c_blank]]
        d_blank = date_st[idx] == P.BLANK
        dates[idx[d_blank]] = dates[src[d_blank]]
        date_st[idx[d_blank]] = date_st[src[d_blank]]
        returned[idx] |= returned[src]
        notes.append(Note("order_lines", n=f"{int(cont.sum()):,}"))
    if cmap.amount_order_level and {"product", "quantity", "price"} & set(cmap.roles):
        ok = complete & (amount_st == P.OK)
        d = pd.DataFrame({"code": codes[ok], "amount": amount[ok], "pos": np.flatnonzero(ok)})
        g = d.groupby("code")["amount"].agg(["size", "nunique"])
        rep = g[(g["size"] > 1) & (g["nunique"] == 1)]
        if len(rep) and len(rep) >= 0.5 * (g["size"] > 1).sum():
            dup = d[d["code"].isin(rep.index)]
            later = dup["pos"].to_numpy()[dup.duplicated("code").to_numpy()]
            amount[later] = 0.0
            notes.append(Note("repeated_total", header=cmap.header("amount"), orders=f"{len(rep):,}",
                              lines=f"{len(later):,}"))


def _orders_frame(frame, cmap, rows, used, cust_u, cust_c, dates, amount, op, returned, id_cache) -> pd.DataFrame:
    idx = np.flatnonzero(used)
    r = rows[idx]
    if op is not None and op.as_written:  # the column as written is the order ids
        order = pd.Series(P.column_str(frame[cmap.roles["order_id"]], idx))
    elif op is not None and (op.codes[idx] >= 0).all():
        order = pd.Series(P.str_take(op.uniques, op.codes[idx]))
    else:  # no order column, or rows without an order id: each such row is its own order
        o = op.values[idx].copy() if op is not None else np.full(len(idx), None, dtype=object)
        missing = np.flatnonzero(pd.isna(o))
        o[missing] = [f"row {x}" for x in r[missing]]
        order = pd.Series(o, dtype="str")
    cp = id_cache[cmap.roles["customer_id"]]
    if cp.as_written and cust_u is cp.uniques:
        # every customer cell was a clean id (no blanks, so no e-mail fallback or order-line filling)
        customer = pd.Series(P.column_str(frame[cmap.roles["customer_id"]], idx))
    else:
        customer = pd.Series(P.str_take(cust_u, cust_c[idx]))
    data = {
        "row": pd.Series(r, dtype="int64"),
        "customer_id": customer,
        "date": pd.Series(dates[idx], dtype="datetime64[ns]"),
        "amount": pd.Series(amount[idx], dtype="float64"),
        "order_id": order,
        "returned": pd.Series(returned[idx], dtype="bool"),
    }
    for role in OPTIONAL_TEXT:
        if role in cmap.roles:
            ci = cmap.roles[role]
            if ci in id_cache:  # already normalised as the customer key
                codes, uniq = id_cache[ci].codes, id_cache[ci].uniques
                data[role] = pd.Series(P.str_take(uniq, codes[idx]))
            else:
                data[role] = pd.Series(P.text_array(frame[ci], idx))
    if "score" in cmap.roles:
        sp = P.parse_numbers(frame[cmap.roles["score"]].iloc[idx])
        data["score"] = pd.Series(sp.values, dtype="float64")
    return pd.DataFrame(data, copy=False)  # no copy of a million-row str column (copy-on-write keeps shared ones safe)


def _skipped_frame(frame, cmap, rows, skip, cust_st, date_st, amount_st, qty_st, price_st, too_large,
                   uncached) -> pd.DataFrame:
    idx = np.flatnonzero(skip)
    if len(idx) == 0:
        return pd.DataFrame({"row": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype="str"),
                             "raw": pd.Series([], dtype="str"), "parts": pd.Series([], dtype=object)})
    sub = frame.iloc[idx]
    texts = {c: P.series_text(sub[c]) for c in sub.columns}
    roles = cmap.roles

    def cell(role, k):
        return texts[roles[role]][k]

    checks = [("customer", cust_st, "customer_id"), ("date", date_st, "date")]
    if qty_st is None:
        checks.append(("amount", amount_st, "amount"))
    else:
        checks += [("quantity", qty_st, "quantity"), ("price", price_st, "price")]
    all_parts = []
    for k, i in enumerate(idx):
        parts = []
        for what, status, role in checks:
            if too_large[i] and what in ("amount", "quantity", "price"):
                continue  # read, but too large: said once below
            if status[i] == P.BLANK or (what == "customer" and status[i] != P.OK):
                formula = (i, roles[role]) in uncached
                parts.append((f"{'nocalc' if formula else 'no'}_{what}", None))
            elif status[i] == P.BAD:
                parts.append((f"bad_{what}", _quote(cell(role, k))))
        if too_large[i]:
            big = cell("amount", k) if qty_st is None else f"{cell('quantity', k)} × {cell('price', k)}"
            parts.append(("big_amount", _quote(big)))
        all_parts.append(tuple(parts) or (("unusable", None),))
    reasons = [describe_skip(p) for p in all_parts]
    cols = list(sub.columns)
    raw = []
    for k in range(len(idx)):
        vals = [texts[c][k] for c in cols]
        while vals and not vals[-1].strip():
            vals.pop()
        raw.append(_RAW_SEP.join(vals))
    return pd.DataFrame({
        "row": pd.Series(rows[idx], dtype="int64"),
        "reason": pd.Series(reasons, dtype="str"),
        "raw": pd.Series(raw, dtype="str"),
        "parts": pd.Series(all_parts, dtype=object),
    })
