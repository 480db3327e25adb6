"""The orders frame as arrays: rows and orders with integer codes, and per-customer reductions.

Every part of the report reads these instead of the DataFrame, so an order is grouped (and
whether it counts is decided) once; see kpi.py for the definitions (counted, returned, money rows).
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from retention_xl.common.ids import factorize
from retention_xl.errors import InputError


REQUIRED_COLUMNS = ("row", "customer_id", "date", "amount", "order_id", "returned", "unpaid")

NONE = np.iinfo(np.int64).min // 2  # "no order" day number, far in the past
_NAT_DAY = np.iinfo(np.int64).min  # a missing date (NaT) as a day number


class Rows:
    """The orders frame as aligned numpy arrays with integer codes."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.row = frame["row"].to_numpy(dtype=np.int64)
        if frame["date"].dtype.kind == "M" and getattr(frame["date"].dtype, "tz", None) is None:
            # naive datetimes (the orders frame's own): a cast to days floors each to its day
            self.day = frame["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
        else:
            dates = pd.to_datetime(frame["date"]).dt.normalize()
            self.day = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
        self.amount = frame["amount"].to_numpy(dtype=float, na_value=np.nan)
        self.flagged = frame["returned"].fillna(False).to_numpy(dtype=bool)
        self.unpaid = frame["unpaid"].fillna(False).to_numpy(dtype=bool)
        # money rows (SPEC "Money rows"): a negative amount is a refund whatever its flags; a
        # positive row flagged returned or unpaid is not a sale; a paid row's refunded part
        # (optional "refunded" column) is a refund while the row stays a sale
        self.sale = (self.amount >= 0) & ~self.flagged & ~self.unpaid
        self.not_sale = (self.amount > 0) & (self.flagged | self.unpaid)
        refunded = (frame["refunded"].fillna(0.0).to_numpy(dtype=float) if "refunded" in frame.columns
                    else np.zeros(len(frame)))
        self.gross = np.where(self.sale, self.amount, 0.0)
        self.refund = np.where(self.amount < 0, -self.amount, 0.0) + np.where(self.sale, np.abs(refunded), 0.0)
        self.net = self.gross - self.refund
        # issue 18 (engine/currency.py): rows in a currency without a rate are purchases, not money:
        # their sales and refunds stay out of every money figure (net, gross, refunds are 0 there)
        priced = (frame["in_report_currency"].to_numpy(dtype=bool) if "in_report_currency" in frame.columns
                  else None)
        self.priced = None if priced is None or priced.all() else priced
        self.order_net = self.net  # in the row's own currency: whether an order counts does not depend on rates
        if self.priced is not None:
            self.gross = np.where(self.priced, self.gross, 0.0)
            self.refund = np.where(self.priced, self.refund, 0.0)
            self.net = self.gross - self.refund
        self.customer, self.customer_ids = factorize(frame["customer_id"])
        # the contract's blank-free columns, told from the arrays above (codes -1, NaT, NaN)
        broken = [c for c, blank in (("customer_id", self.customer < 0), ("date", self.day == _NAT_DAY),
                                     ("amount", np.isnan(self.amount))) if blank.any()]
        if broken:
            raise InputError("error.orders_blank_values", columns=", ".join(broken))
        self.order, _ = factorize(frame["order_id"])
        self.n_customers = len(self.customer_ids)
        self._filled: dict[tuple[str, bool], "FilledText"] = {}

    def customer_texts(self, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
        """The ids of these customer codes as a str array, taken from the column itself where it is
        a str column (a code's first row holds its id: no check per text)."""
        col = self.frame["customer_id"]
        c = self.customer
        if isinstance(col.dtype, pd.StringDtype) and c.size and c.min() == 0:
            run = np.maximum.accumulate(c)  # codes come in order of first appearance
            first_rows = np.flatnonzero(np.r_[True, run[1:] > run[:-1]])
            if first_rows.size == self.n_customers:
                return col.array.take(first_rows[codes])
        return pd.array(np.asarray(self.customer_ids, dtype=object)[codes], dtype="str")

    @functools.cached_property
    def time_order(self) -> np.ndarray:
        """Row positions in time order (date, then row number): what "first" and "latest" row follow."""
        return np.lexsort((self.row, self.day))

    @functools.cached_property
    def time_rank(self) -> np.ndarray:
        """Each row's place in time_order."""
        rank = np.empty(self.time_order.size, dtype=np.int64)
        rank[self.time_order] = np.arange(self.time_order.size)
        return rank

    @functools.cached_property
    def first_rank(self) -> np.ndarray:
        """Per customer code, the time_rank of their first row (every customer has one)."""
        return per_customer(np.minimum, self.customer, self.time_rank, self.n_customers, np.iinfo(np.int64).max)

    @functools.cached_property
    def last_rank(self) -> np.ndarray:
        """Per customer code, the time_rank of their latest row."""
        return per_customer(np.maximum, self.customer, self.time_rank, self.n_customers, -1)

    def filled_text(self, column: str, latest: bool = False) -> "FilledText":
        """Per customer code, their first (``latest``: latest) row in time order (date, then row
        number) whose ``column`` cell holds a text that is not blank, -1 where none does: the one
        rule for "a customer's channel, first product, name". Computed once per column and direction.

        The reader passes these text columns on as written (ARCHITECTURE.md), so a text of spaces
        only is blank too and the chosen texts come back stripped (FilledText). Each customer's
        first (latest) row is looked at, once; only where its cell is blank are that customer's
        other rows looked at. A million-row column is not stripped for the one text per customer used.
        """
        key = (column, latest)
        if key not in self._filled:
            self._filled[key] = self._filled_text(self.frame[column].to_numpy(dtype=object), latest)
        return self._filled[key]

    def chosen_texts(self, column: str, codes: np.ndarray, latest: bool = False) -> pd.api.extensions.ExtensionArray:
        """The filled_text texts of these customer codes, stripped, as an array of the column's own
        texts (missing where a customer has none)."""
        chosen = self.filled_text(column, latest)
        texts = self.frame[column].array.take(chosen.at[codes], allow_fill=True)
        if len(chosen.stripped_codes):
            place = np.full(self.n_customers, -1, dtype=np.int64)
            place[codes] = np.arange(len(codes))
            where = place[chosen.stripped_codes]
            shown = where >= 0
            texts[where[shown]] = np.asarray(chosen.stripped, dtype=object)[shown]
        return texts

    def _filled_text(self, values: np.ndarray, latest: bool) -> "FilledText":
        at = self.time_order[self.last_rank if latest else self.first_rank]  # every customer code has a row
        state = text_states(values[at])
        blank = state == BLANK
        if blank.any():
            at = self._look_again(values, at, blank, latest)
            state[blank & (at >= 0)] = SPACED  # found on another row: its text, stripped
        codes = np.flatnonzero(state == SPACED)
        return FilledText(at, codes, [values[i].strip() for i in at[codes].tolist()])

    def _look_again(self, values: np.ndarray, at: np.ndarray, blank: np.ndarray, latest: bool) -> np.ndarray:
        """``at`` with the customers whose chosen cell is ``blank`` moved to their first (latest)
        row with a value, -1 where they have none."""
        if not blank.any():
            return at
        order = self.time_order
        at_rows = np.flatnonzero(blank[self.customer])
        usable = at_rows[text_states(values[at_rows]) != BLANK]
        cust, rank = self.customer[usable], self.time_rank[usable]
        if latest:
            again = per_customer(np.maximum, cust, rank, self.n_customers, -1)
        else:
            again = per_customer(np.minimum, cust, rank, self.n_customers, order.size)
            again[again == order.size] = -1
        found = blank & (again >= 0)
        at = np.where(blank, -1, at)
        at[found] = order[again[found]]
        return at


class FilledText(NamedTuple):
    """Rows.filled_text: the chosen row per customer code (-1: none), and the codes whose chosen
    text had spaces around it, with that text stripped (the others are the column's own texts)."""

    at: np.ndarray
    stripped_codes: np.ndarray
    stripped: list[str]


class Orders:
    """One entry per order id: customer, date, net amount, counted / returned."""

    def __init__(self, customer: np.ndarray, day: np.ndarray, net: np.ndarray, flagged: np.ndarray,
                 unpaid: np.ndarray | None = None, refunded: np.ndarray | None = None,
                 priced: np.ndarray | None = None) -> None:
        self.customer = customer
        #: every row of the order is in the report currency (issue 18)
        self.priced = np.ones(len(customer), dtype=bool) if priced is None else priced
        self.day = day
        self.net = net
        cents = np.round(net, 6)  # float sums of +x and −x must count as 0
        unpaid = np.zeros(len(net), dtype=bool) if unpaid is None else unpaid
        refunded = np.zeros(len(net), dtype=bool) if refunded is None else refunded
        self.unpaid = unpaid  # the money never came: neither an order nor a returned order
        self.counted = ~flagged & ~unpaid & (cents > 0)
        self.returned = ~unpaid & (flagged | (cents < 0) | (refunded & (cents <= 0)))


def orders_of(rows: Rows) -> Orders:
    """Group rows into orders: earliest date, first row's customer, net amount, any flag.

    Orders come out in order-code order, so ``od.day[rows.order]`` is each row's order date.
    """
    idx = np.lexsort((rows.row, rows.order))
    o = rows.order[idx]
    starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
    has_sale = np.logical_or.reduceat(rows.sale[idx] & (rows.amount[idx] > 0), starts)
    return Orders(
        customer=rows.customer[idx][starts],
        day=np.minimum.reduceat(rows.day[idx], starts),
        net=np.add.reduceat(rows.order_net[idx], starts),
        flagged=np.logical_or.reduceat(rows.flagged[idx] & (rows.amount[idx] >= 0), starts),
        unpaid=np.logical_or.reduceat(rows.unpaid[idx], starts) & ~has_sale,
        refunded=np.logical_or.reduceat(rows.refund[idx] > 0, starts),
        priced=None if rows.priced is None else np.logical_and.reduceat(rows.priced[idx], starts),
    )


def per_customer(ufunc: np.ufunc, cust: np.ndarray, values: np.ndarray, n: int, fill: int) -> np.ndarray:
    """ufunc (minimum/maximum) of values per customer code; fill where a customer has none."""
    out = np.full(n, fill, dtype=np.int64)
    ufunc.at(out, cust, values)
    return out


#: text_states: a text as it is, a text with spaces around it, blank (missing, empty, spaces only)
AS_IS, SPACED, BLANK = 0, 1, 2


def text_states(values: np.ndarray) -> np.ndarray:
    """Per value (object array of a text column as written) its AS_IS / SPACED / BLANK state, in
    one pass: each pass over texts scattered in memory costs a cache miss per text."""
    return np.array([((AS_IS if s is v else SPACED) if (s := v.strip()) else BLANK) if isinstance(v, str) else BLANK
                     for v in values.tolist()], dtype=np.int8)


def last_on_or_before(cust: np.ndarray, day: np.ndarray, n: int, d: int) -> np.ndarray:
    """Per customer, the latest order day on or before d (NONE if none)."""
    m = day <= d
    return per_customer(np.maximum, cust[m], day[m], n, NONE)


def money(values: Any) -> Any:
    """Sums of amounts rounded to 6 decimals: float noise of long sums off, every cent kept."""
    out = np.round(values, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(out) if np.ndim(out) == 0 else out


def distinct(keys: np.ndarray) -> np.ndarray:
    """Distinct values of an int64 array (sorted); a plain sort beats hashing here."""
    k = np.sort(keys)
    return k[np.r_[True, k[1:] != k[:-1]]] if k.size else k


def check_frame(orders: pd.DataFrame, rows_read: int, rows_skipped: int) -> None:
    """The orders frame has the contract's columns and at least one row (Rows refuses blank
    customer ids, dates and amounts: its arrays tell them without another pass)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in orders.columns]
    if missing:
        raise InputError("error.orders_columns_missing", columns=", ".join(missing))
    if len(orders) == 0:
        raise InputError("error.orders_none_usable", read=rows_read, skipped=rows_skipped)
