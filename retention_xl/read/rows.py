"""The reader's row pipeline: one typed table per stage, each stage a pure function.

    Cells                                   the raw table under the header and how to read it
      -> parse.parse_rows(cells)            RowTable: every role column parsed once
      -> drop_blank_rows(table)             RowTable: blank rows, a layout's comments and summary dropped
      -> fill_order_lines(table)            RowTable: an order's later lines take its first line's fields
      -> split.split_rows(table)            SplitRows: the orders frame, the skipped rows, no-customer rows

Every stage returns ``(next table, its notes)`` and never writes into its input (arrays it
changes are copied). After every stage ``table.rows_read == usable + unusable``: each row
that is data is either used or skipped, and ``SplitRows`` checks the same of its frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np
import pandas as pd

from retention_xl.messages import Note
from retention_xl.read import cells as P
from retention_xl.read.headers import ColumnMap


@dataclass(frozen=True)
class Cells:
    """The rows under the header, as read (columns 0..width-1), and how they are to be read."""

    frame: pd.DataFrame
    first_row: int  # the row number the user sees for frame row 0
    cmap: ColumnMap
    #: (frame row, column) of formula cells without a stored result (they read as empty)
    uncached: frozenset[tuple[int, int]] = frozenset()
    date1904: bool = False
    platform: str | None = None  # read.statuses platform id whose status words come first
    yen: str | None = None  # what a bare ¥ means


@dataclass(frozen=True)
class RowTable:
    """Every input row, parsed: one array per field, all as long as ``frame``.

    Statuses are cells.OK / BLANK / BAD. Customers are an IdParse: codes into distinct ids (no
    per-row strings until the orders frame), or the column itself when its cells are the ids as
    written (cells.WrittenIds, hashed only when a stage asks for codes). ``keep`` marks the rows
    that are data.
    """

    frame: pd.DataFrame  # the cells (a layout's field prefix stripped from the columns read)
    cmap: ColumnMap
    roles: Mapping[str, int]  # role -> column, with a layout's status / document / refund columns
    row: np.ndarray  # int64 row numbers as the user sees them
    customer_ids: P.IdParse  # the customer column parsed, with the e-mail where the id is blank
    date: np.ndarray  # datetime64[ns]
    date_status: np.ndarray
    amount: np.ndarray  # float64 (quantity × price without an amount column)
    amount_status: np.ndarray
    quantity_status: np.ndarray | None  # without an amount column: why a row has no amount
    price_status: np.ndarray | None
    too_large: np.ndarray  # bool: an amount read but a quadrillion or more (status BAD)
    order: P.IdParse | None  # the order id column parsed (None without one)
    order_status: np.ndarray
    returned: np.ndarray  # bool
    unpaid: np.ndarray  # bool
    refunded: np.ndarray | None  # float: refunded part of a paid row
    currency: np.ndarray | None  # object: ISO code per row, "" unknown; None when nothing names one
    ids: Mapping[int, P.IdParse]  # id columns parsed so far (column -> parse), reused for the output
    uncached: frozenset[tuple[int, int]] = frozenset()
    keep: np.ndarray = field(default=None)  # bool: the row is data (all True after parsing)

    def __post_init__(self) -> None:
        if self.keep is None:
            object.__setattr__(self, "keep", np.ones(len(self.row), dtype=bool))

    def __len__(self) -> int:
        return len(self.row)

    @property
    def customer_status(self) -> np.ndarray:
        return self.customer_ids.status

    @property
    def customers(self) -> np.ndarray:
        """Distinct customer ids (object)."""
        return self.customer_ids.uniques

    @property
    def customer(self) -> np.ndarray:
        """Per row, the code of its customer in ``customers`` (-1 where none)."""
        return self.customer_ids.codes

    @property
    def rows_read(self) -> int:
        return int(self.keep.sum())

    @property
    def usable(self) -> np.ndarray:
        """Rows that will be used: data with a customer, a date and an amount."""
        return self.keep & (self.customer_status == P.OK) & (self.date_status == P.OK) & (self.amount_status == P.OK)

    @property
    def unusable(self) -> np.ndarray:
        """Rows that will be skipped: data without a readable customer, date or amount."""
        return self.keep & ~self.usable


@dataclass(frozen=True)
class SplitRows:
    """The last stage's table: used rows (the orders frame) and skipped rows with their reasons."""

    orders: pd.DataFrame
    skipped: pd.DataFrame  # row, reason, raw, parts
    #: rows skipped only for lacking a customer, with a readable date and amount (row, date, amount)
    no_customer: pd.DataFrame
    rows_read: int

    def __post_init__(self) -> None:
        if self.rows_read != len(self.orders) + len(self.skipped):
            raise ValueError(f"{self.rows_read} rows read but {len(self.orders)} used + {len(self.skipped)} skipped")


# ---------------------------------------------------------------- stage 2: rows that are not data


def drop_blank_rows(table: RowTable) -> tuple[RowTable, list[Note]]:
    """Rows that are not data: fully blank rows, and a known layout's comment and summary lines.

    Blank rows are not counted at all (rows_read leaves them out); the layout's own comment
    lines (Alipay "#") and closing summary (WeChat Pay 总交易单数) are said in a note.
    """
    notes: list[Note] = []
    n = len(table)
    candidates = np.flatnonzero((table.customer_status == P.BLANK) & (table.date_status == P.BLANK)
                                & (table.amount_status == P.BLANK) & (table.order_status == P.BLANK))
    keep = table.keep.copy()
    if len(candidates):
        keep[candidates[_blank_cells(table.frame, candidates)]] = False
    layout = table.cmap.layout
    if layout is not None and (layout.comment_prefix or layout.summary_first) and n:
        first = np.array([t.strip() for t in P.series_text(table.frame[0])], dtype=object)
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
    return replace(table, keep=keep), notes


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


# ---------------------------------------------------------------- stage 3: order lines


def fill_order_lines(table: RowTable) -> tuple[RowTable, list[Note]]:
    """Shopify-style exports put customer, date and total only on an order's first line.

    Later lines of the same order whose amount cell is empty are counted with amount 0
    (their order's total is already on the first line), and take the first line's
    customer and date where theirs are empty (and its returned / unpaid flags). When an
    order-level total is repeated on every line of an order it is counted once.
    Tables without an order id and an amount column pass unchanged.
    """
    cmap = table.cmap
    if table.order is None or "amount" not in table.roles:
        return table, []
    has = (table.order_status == P.OK) & table.keep
    if not has.any():
        return table, []
    complete = has & (table.amount_status == P.OK)
    if not complete.any():
        return table, []
    order_level = cmap.amount_order_level and bool({"product", "quantity", "price"} & set(cmap.roles))
    blank_amount = has & (table.amount_status == P.BLANK)
    if not blank_amount.any() and not order_level:
        return table, []  # every line has its own amount: nothing to fill, no repeated totals to look for
    codes = np.where(has, table.order.codes, -1)
    notes: list[Note] = []
    out = table
    df = pd.DataFrame({"code": codes, "complete": complete, "pos": np.arange(len(codes))})
    firsts = df[df["complete"]].groupby("code")["pos"].min()
    first_pos = np.full(codes.max() + 1, -1, dtype=np.int64)
    first_pos[firsts.index.to_numpy()] = firsts.to_numpy()
    fp = np.where(codes >= 0, first_pos[np.maximum(codes, 0)], -1)
    cont = blank_amount & (fp >= 0) & (fp < np.arange(len(codes)))
    if cont.any():
        out = _from_first_lines(table, np.flatnonzero(cont), fp[cont])
        notes.append(Note("order_lines", n=f"{int(cont.sum()):,}"))
    if order_level:
        amount = out.amount
        ok = complete & (out.amount_status == P.OK)
        d = pd.DataFrame({"code": codes[ok], "amount": amount[ok], "pos": np.flatnonzero(ok)})
        g = d.groupby("code")["amount"].agg(["size", "nunique"])
        rep = g[(g["size"] > 1) & (g["nunique"] == 1)]
        if len(rep) and len(rep) >= 0.5 * (g["size"] > 1).sum():
            dup = d[d["code"].isin(rep.index)]
            later = dup["pos"].to_numpy()[dup.duplicated("code").to_numpy()]
            amount = amount.copy()
            amount[later] = 0.0
            out = replace(out, amount=amount)
            notes.append(Note("repeated_total", header=cmap.header("amount"), orders=f"{len(rep):,}",
                              lines=f"{len(later):,}"))
    return out, notes


def _from_first_lines(table: RowTable, idx: np.ndarray, src: np.ndarray) -> RowTable:
    """Rows ``idx`` (later lines with an empty amount) get amount 0 and, where blank, the
    customer and date of rows ``src`` (their orders' first lines); copies, not the inputs."""
    amount, amount_st = table.amount.copy(), table.amount_status.copy()
    amount[idx] = 0.0
    amount_st[idx] = P.OK
    customer_ids = table.customer_ids
    c_blank = customer_ids.status[idx] == P.BLANK
    if c_blank.any():
        customer, cust_st = customer_ids.codes.copy(), customer_ids.status.copy()
        customer[idx[c_blank]] = customer[src[c_blank]]
        cust_st[idx[c_blank]] = cust_st[src[c_blank]]
        customer_ids = P.IdParse(customer, customer_ids.uniques, cust_st)
    date, date_st = table.date.copy(), table.date_status.copy()
    d_blank = date_st[idx] == P.BLANK
    date[idx[d_blank]] = date[src[d_blank]]
    date_st[idx[d_blank]] = date_st[src[d_blank]]
    returned, unpaid = table.returned.copy(), table.unpaid.copy()
    returned[idx] |= returned[src]
    unpaid[idx] |= unpaid[src]
    return replace(table, amount=amount, amount_status=amount_st, customer_ids=customer_ids,
                   date=date, date_status=date_st, returned=returned, unpaid=unpaid)
