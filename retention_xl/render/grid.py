"""Row-ordered cell writing, so the workbook can use XlsxWriter's constant_memory.

In constant_memory mode a sheet's rows are flushed to disk as soon as a later row
is written; anything written to an earlier row is silently lost. Small sheets
(dashboard, methodology …) are laid out freely into a :class:`Grid` and emitted
sorted by row; the big tables (customers, issues) are streamed row by row.

Every piece of text goes through ``write_string``: a value such as
``=HYPERLINK(…)`` or ``+cmd|' /C calc'!A0`` stays text.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime
from typing import Any, Callable

import pandas as pd

from retention_xl.common.excel import date_to_serial

MAX_CELL_TEXT = 32767  # Excel's limit for one cell
DEFAULT_ROW_PT = 15.0  # XlsxWriter's default row height


def clip(text: object) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= MAX_CELL_TEXT else s[: MAX_CELL_TEXT - 1] + "…"


def is_missing(value: object) -> bool:
    if isinstance(value, str):  # most cells: no pd.isna call
        return False
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_date(value: object) -> date | None:
    """A calendar date from a date, datetime, Timestamp, Period or ISO text."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Period):
        return value.start_time.date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return pd.Timestamp(str(value)).date()
    except (ValueError, TypeError):
        return None


def cached(values: Any, kind: str = "number") -> list[Any]:
    """A column as a chart caches it: what the Grid writes to its cells, dates as serial numbers.

    The chart parts carry these values so a preview that does not read the cells (XlsxWriter
    cannot fill the caches itself in constant_memory mode) still draws the chart.
    """
    out: list[Any] = []
    for v in list(values):
        if kind == "date":
            d = as_date(v)
            out.append(None if d is None else date_to_serial(d))  # common.excel's serials
        elif kind == "text":
            out.append("" if is_missing(v) else str(v))
        else:
            out.append(None if is_missing(v) else float(v))
    return out


def display_width(text: str) -> int:
    """Width in "Latin characters": CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width_chars: float) -> int:
    lines = 0
    for part in str(text).split("\n"):
        lines += max(1, math.ceil(display_width(part) / max(width_chars, 1.0)))
    return lines


class Grid:
    """Collects writes for one worksheet and emits them in (row, column) order.

    *filler* is a plain cell format: a row that has a height but no cell gets a
    blank cell in that format in column A, since XlsxWriter's constant_memory mode
    drops the height of a row with no cell (a dashboard's thin gap rows came out
    15 pt high, and the first page no longer fitted).
    """

    def __init__(self, ws: Any, filler: Any = None) -> None:
        self.ws = ws
        self.filler = filler
        self._ops: list[tuple[int, int, int, Callable[..., Any], tuple[Any, ...]]] = []
        self._seq = 0
        self.last_row = -1
        self.heights: dict[int, float] = {}

    def _add(self, row: int, col: int, fn: Callable[..., Any], *args: Any) -> None:
        self._ops.append((row, col, self._seq, fn, args))
        self._seq += 1
        self.last_row = max(self.last_row, row)

    def row_height(self, row: int, height: float, fmt: Any = None) -> None:
        self.heights[row] = height
        self._add(row, -1, self.ws.set_row, row, height, fmt)

    def height(self, first: int, last: int) -> float:
        """Points from the top of row *first* to the top of row *last* (default rows 15 pt)."""
        return sum(self.heights.get(r, DEFAULT_ROW_PT) for r in range(first, last))

    def text(self, row: int, col: int, value: object, fmt: Any = None) -> None:
        self._add(row, col, self.ws.write_string, row, col, clip(value), fmt)

    def number(self, row: int, col: int, value: object, fmt: Any = None) -> None:
        if is_missing(value):
            self._add(row, col, self.ws.write_blank, row, col, None, fmt)
        else:
            self._add(row, col, self.ws.write_number, row, col, float(value), fmt)

    def date(self, row: int, col: int, value: object, fmt: Any = None) -> None:
        d = as_date(value)
        if d is None:
            self._add(row, col, self.ws.write_blank, row, col, None, fmt)
        else:
            self._add(row, col, self.ws.write_datetime, row, col, datetime(d.year, d.month, d.day), fmt)

    def formula(self, row: int, col: int, formula: str, fmt: Any, value: float | str) -> None:
        """A formula that carries its computed value (previews show numbers)."""
        self._add(row, col, self.ws.write_formula, row, col, formula, fmt, value)

    def blank(self, row: int, col: int, fmt: Any) -> None:
        self._add(row, col, self.ws.write_blank, row, col, None, fmt)

    def merge(self, row: int, first_col: int, last_col: int, fmt: Any) -> None:
        """Merge cells of one row; write the content to ``first_col`` afterwards."""
        if last_col > first_col:
            self._add(row, first_col, self.ws.merge_range, row, first_col, row, last_col, "", fmt)
        else:
            self.blank(row, first_col, fmt)

    def merged_text(self, row: int, first_col: int, last_col: int, value: object, fmt: Any) -> None:
        self.merge(row, first_col, last_col, fmt)
        self.text(row, first_col, value, fmt)

    def flush(self) -> None:
        if self.filler is not None:
            with_cells = {row for row, col, *_ in self._ops if col >= 0}
            for row in sorted({row for row, col, *_ in self._ops if col < 0} - with_cells):
                self._add(row, 0, self.ws.write_blank, row, 0, None, self.filler)
        for _row, _col, _seq, fn, args in sorted(self._ops, key=lambda op: op[:3]):
            fn(*args)
        self._ops.clear()
