"""One report currency: the typed step between the reader and the KPI engine (issue 18).

The reader keeps each row's currency (orders frame column ``currency``: an ISO code,
"" where the data names none). :func:`prepare` chooses the report currency and
converts what it can:

* the report currency is the one asked for (``--currency``, the settings sheet), else
  the currency of the most rows (amounts in different currencies cannot be compared
  to pick one); rows whose currency is unknown ("") are taken to be in it;
* with a :class:`RateTable` (value of one unit in the report currency, optionally per
  month) rows in other currencies are converted: ``amount`` × rate;
* rows in a currency without a rate keep their own amount in ``amount`` - it still
  decides whether the order is a sale or a refund, so they count for customers, orders,
  retention, cohorts and repeat rate - and get ``in_report_currency = False``: the
  engine leaves them out of every money figure (revenue, AOV, CLV, RFM money, forecasts).

The result frame is the orders frame with ``amount`` in the report currency where it
could be converted and the bool column :data:`IN_REPORT_CURRENCY`; the engine reads
nothing else of this module. :meth:`Prepared.summary` gives the report part
(:class:`CurrencyReport`): the report currency, the rates used and, per other
currency, the rows and amount of the period left out.

Pure: no files, no I/O (the rates file is read by ``read.rates``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.common.currency import ISO_CODES
from retention_xl.errors import InputError
from retention_xl.messages import Message

#: Column the engine reads: False where the row's amount is in a currency without a rate.
IN_REPORT_CURRENCY = "in_report_currency"
CURRENCY = "currency"


@dataclass(frozen=True)
class Rate:
    """Value of one unit of ``currency`` in the report currency, for one month or (month None) any."""

    currency: str
    rate: float
    month: date | None = None  # first day of the month the rate is for
    row: int = 0  # row of the rates file (for messages)


@dataclass(frozen=True)
class RateTable:
    rates: tuple[Rate, ...]
    source: str = ""  # file (and sheet) name, as the Methodology sheet names it


@dataclass(frozen=True)
class OtherCurrency:
    """Rows in a currency without a rate: counted as purchases, their amounts left out of money figures."""

    currency: str
    rows: int  # rows of the period in this currency
    amount: float  # their net amount (rows not flagged returned), in their own currency


@dataclass(frozen=True)
class ConvertedCurrency:
    """Rows converted into the report currency, and the rates used (month None: one rate for all months)."""

    currency: str
    rows: int  # rows converted (all dates)
    rates: tuple[tuple[date | None, float], ...]


@dataclass(frozen=True)
class CurrencyReport:
    """The currency part of a KpiReport (JSON keys ``currency`` and ``other_currencies``)."""

    currency: str | None  # ISO code of the money figures; None when the data names no currency
    chosen_by: str  # "setting" | "most_rows" | "none"
    other: tuple[OtherCurrency, ...] = ()
    converted: tuple[ConvertedCurrency, ...] = ()
    rates_source: str | None = None
    #: rows per currency in the data (all dates), most first
    rows_by_currency: tuple[tuple[str, int], ...] = ()

    @property
    def other_currencies(self) -> dict[str, float]:
        """Currency -> amount of the period not converted (left out of the money figures)."""
        return {o.currency: o.amount for o in self.other}

    def to_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "other_currencies": self.other_currencies,
            "currency_rates": [
                {"currency": c.currency, "month": m.isoformat()[:7] if m else None, "rate": r, "rows": c.rows}
                for c in self.converted for m, r in c.rates
            ],
        }


@dataclass
class Prepared:
    """The orders frame in the report currency, and what the summary needs."""

    orders: pd.DataFrame
    currency: str | None
    chosen_by: str
    converted: tuple[ConvertedCurrency, ...] = ()
    rates_source: str | None = None
    rows_by_currency: tuple[tuple[str, int], ...] = ()
    _excluded: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def summary(self, period_start: date, period_end: date) -> CurrencyReport:
        """The report part: amounts left out per currency, for rows dated in (period_start, period_end]."""
        other: list[OtherCurrency] = []
        ex = self._excluded
        if ex.any():
            f = self.orders
            day = pd.to_datetime(f["date"]).dt.normalize()
            in_p = ((day > pd.Timestamp(period_start)) & (day <= pd.Timestamp(period_end))).to_numpy()
            sel = ex & in_p
            flagged = f["returned"].fillna(False).to_numpy(dtype=bool)
            cur = f[CURRENCY].to_numpy(dtype=object)
            amt = f["amount"].to_numpy(dtype=float)
            for code in sorted(set(cur[ex].tolist())):
                m = sel & (cur == code)
                total = float(np.round(amt[m & ~flagged].sum(), 6)) + 0.0
                other.append(OtherCurrency(code, int(m.sum()), total))
        return CurrencyReport(self.currency, self.chosen_by, tuple(other), self.converted, self.rates_source,
                              self.rows_by_currency)


def check_code(code: str, where: str | Message) -> str:
    """An ISO 4217 code in upper case, or InputError saying where the unknown one was given."""
    c = str(code).strip().upper()
    if c not in ISO_CODES:
        raise InputError("error.not_currency_code", where=where, code=str(code))
    return c


def prepare(orders: pd.DataFrame, currency: str | None = None, rates: RateTable | None = None) -> Prepared:
    """Choose the report currency and convert amounts (see the module doc)."""
    n = len(orders)
    cur = (orders[CURRENCY].fillna("").to_numpy(dtype=object) if CURRENCY in orders.columns
           else np.full(n, "", dtype=object))
    codes, uniq = pd.factorize(cur)
    counts = np.bincount(codes, minlength=len(uniq)) if n else np.zeros(0, dtype=np.int64)
    known = [(str(u), int(c)) for u, c in zip(uniq, counts) if u]
    by_rows = tuple(sorted(known, key=lambda t: -t[1]))  # stable: ties in order of first appearance
    if currency:
        report, chosen = check_code(currency, "--currency"), "setting"
    elif by_rows:
        report, chosen = by_rows[0][0], "most_rows"
    else:
        report, chosen = None, "none"
    frame = orders
    # per distinct code, then gathered: two comparisons of a million objects cost 0.04 s
    if report and n and (codes >= 0).all():
        foreign = np.array([u != "" and u != report for u in uniq], dtype=bool)[codes]
    else:
        foreign = (cur != "") & (cur != report) if report else np.zeros(n, dtype=bool)
    converted: list[ConvertedCurrency] = []
    amount = frame["amount"].to_numpy(dtype=float)
    if foreign.any() and rates is not None and rates.rates:
        amount = amount.copy()
        month = pd.to_datetime(frame["date"]).to_numpy(dtype="datetime64[M]")
        for code in sorted(set(cur[foreign].tolist())):
            mine = [r for r in rates.rates if r.currency == code]
            if not mine:
                continue
            rows_c = foreign & (cur == code)
            general = [r for r in mine if r.month is None]
            factor = np.full(n, general[-1].rate if general else np.nan)
            used: dict[date | None, float] = {}
            if general:
                used[None] = general[-1].rate
            for r in mine:
                if r.month is not None:
                    m = rows_c & (month == np.datetime64(r.month, "M"))
                    if m.any():
                        factor[m] = r.rate
                        used[r.month] = r.rate
            ok = rows_c & np.isfinite(factor)
            if not ok.any():
                continue
            amount[ok] = amount[ok] * factor[ok]
            foreign = foreign & ~ok
            if general and not (rows_c & ok & (factor == general[-1].rate)).any():
                used.pop(None, None)
            converted.append(ConvertedCurrency(code, int(ok.sum()),
                                               tuple(sorted(used.items(), key=lambda t: (t[0] is not None, t[0] or date.min)))))
    if not foreign.any() and not converted:
        # every amount is in the report currency: the frame as it is (no copy of a million rows)
        return Prepared(orders, report, chosen, (), rates.source if rates is not None else None, by_rows,
                        foreign)
    out = frame.assign(amount=pd.Series(amount, dtype="float64", index=frame.index),
                       **{IN_REPORT_CURRENCY: pd.Series(~foreign, dtype="bool", index=frame.index)})
    return Prepared(out, report, chosen, tuple(converted), rates.source if rates is not None else None, by_rows,
                    foreign)

