"""One-line notices the Dashboard, the command line and the button show (issues 18, 19).

* amounts in other currencies left out of the money figures (no rate for them), with
  the amount per currency and how to add rates;
* other sheets of the workbook that hold order tables and were not read.

Worded once, per language, in labels.py (``notice.*``).
"""

from __future__ import annotations

from typing import Any, Sequence

from retention_xl.render.labels import Labels


def _amounts(L: Labels, other: Sequence[Any]) -> str:
    return "; ".join(f"{L.number(o.amount, 2)} {o.currency}" for o in other)


def currency_line(report: Any, L: Labels, cli: bool = False) -> str | None:
    """The money figures leave out amounts in other currencies: which, how much, how to add rates."""
    cur = getattr(report, "currency", None)
    if cur is None or not cur.other:
        return None
    rows = sum(o.rows for o in cur.other)
    how = L("notice.rates_cli") if cli else L("notice.rates_any")
    return L("notice.other_currencies", currency=cur.currency, amounts=_amounts(L, cur.other),
             rows=L.number(rows), how=how)


def sheets_line(other_sheets: Sequence[str], L: Labels, cli: bool = False) -> str | None:
    """Other sheets hold order tables too and were not read."""
    if not other_sheets:
        return None
    names = ", ".join(L("notice.sheet_name", sheet=s) for s in other_sheets)
    how = L("notice.all_sheets_cli") if cli else L("notice.all_sheets_any")
    return L("notice.other_sheets", sheets=names, n=L.number(len(other_sheets)), how=how)


def notice_lines(report: Any, other_sheets: Sequence[str], L: Labels, cli: bool = False) -> list[str]:
    return [x for x in (sheets_line(other_sheets, L, cli), currency_line(report, L, cli)) if x]
