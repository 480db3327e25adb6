"""Excel cell values (as xlwings passes them to UDFs) -> clean numpy arrays.

xlwings gives a UDF a scalar, a 1-D list or (with ``ndim=2``) a list of rows.
Cells arrive as ``float`` (numbers; ``Decimal`` for currency-formatted cells
on Windows), ``str`` (text), ``bool``, ``datetime``
(date-formatted cells), ``None`` (blank), or — for error cells — the error text
such as ``"#N/A"`` when the argument is declared with ``err_to_str=True`` (by
default xlwings turns error cells into ``None``, which would make them look
blank). On Windows, errors that xlwings' table does not name (``#SPILL!``,
``#CALC!``, ``#GETTING_DATA`` …) arrive as the raw COM error code, a large
negative ``int``; they are recognised here too.

Ranges follow Excel's AVERAGE: blank cells, text and TRUE/FALSE are ignored;
date cells count as their Excel serial number; any error cell makes the result
that error (:class:`CellError`). Paired ranges (ids + dates [+ amounts]) are
read row by row and a row is dropped, in every argument at once, when its id is
blank or its date (or amount) cannot be read.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import chain, compress, repeat
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from retention_xl.common import excel as xl
from retention_xl.common.excel import COM_ERRORS as _COM_ERRORS
from retention_xl.common.excel import EXCEL_ERRORS
from retention_xl.errors import MetricError
from retention_xl.messages import Join, Message
from retention_xl.common.ids import id_key, id_text, normalize_ids
from retention_xl.read.cells import OK as NUMBER_OK
from retention_xl.read.cells import parse_numbers

__all__ = [
    "EXCEL_ERRORS",
    "CellError",
    "OrderRows",
    "cells",
    "customer_codes",
    "dates",
    "excel_error_text",
    "numbers",
    "order_rows",
    "scalar",
    "serial_to_date",
    "text",
    "workbook_date1904",
]

# Error texts (EXCEL_ERRORS), their COM ints and the serial-date systems live in
# retention_xl.common.excel, shared with the order reader and the engine.

_NONE_T = type(None)
# Cell kinds, one small int per Python type, so a whole range is classified
# with C-level map/fromiter instead of a Python loop.
_BLANK, _NUMBER, _TEXT, _BOOL, _DATE, _INT, _OTHER = range(7)
_KIND: Final[dict[type, int]] = {
    float: _NUMBER,
    _NONE_T: _BLANK,
    str: _TEXT,
    bool: _BOOL,
    int: _INT,
    dt.datetime: _DATE,
    dt.date: _DATE,
    pd.Timestamp: _DATE,
    Decimal: _NUMBER,  # pywin32 passes currency-formatted cells as Decimal
    np.float64: _NUMBER,
    np.float32: _NUMBER,
    np.int64: _INT,
    np.bool_: _BOOL,
}


# Types of a range without dates; for these numbers() maps type -> NaN in C.
_SIMPLE_TYPES: Final[frozenset[type]] = frozenset(
    {float, int, str, bool, _NONE_T, Decimal, np.float64, np.float32, np.int64, np.bool_}
)
# dict.get(type(v), v): NaN for non-numbers, the value itself for numbers.
_NAN_UNLESS_NUMBER: Final[dict[type, float]] = {
    str: math.nan,
    bool: math.nan,
    np.bool_: math.nan,
    _NONE_T: math.nan,
}


_DATE1904_CACHE: dict[str, bool] = {}


def workbook_date1904(book: Any) -> bool:
    """Whether an xlwings Book uses the 1904 date system; read once per workbook and cached.

    Windows: ``book.api.Date1904`` (COM); macOS: ``book.api.date_1904.get()``
    (appscript). A stand-in without ``api``, or any failure, means the 1900
    system (Excel's default). The cache is keyed by the workbook's full name.
    """
    key = str(getattr(book, "fullname", "") or id(book))
    if key in _DATE1904_CACHE:
        return _DATE1904_CACHE[key]
    found = False
    try:
        api = book.api
        value = getattr(api, "Date1904", None)
        if value is None and hasattr(api, "date_1904"):
            value = api.date_1904.get()
        found = bool(value) if isinstance(value, (bool, int, np.bool_)) else False
    except Exception:  # no COM/appscript here (a stand-in, a closed book): Excel's default
        found = False
    _DATE1904_CACHE[key] = found
    return found


class CellError(MetricError):
    """A cell in the input holds an Excel error; the result is that error."""

    def __init__(self, error: str, message: Message | None = None) -> None:
        self.error = error
        super().__init__(message or Message("error.cell_error", error=error))


class OrderRows(NamedTuple):
    """Aligned order rows: one entry per kept row in every array."""

    customer_ids: np.ndarray  # float64 when every id is a number, else str objects
    dates: np.ndarray  # datetime64[D]: calendar days, time of day dropped
    amounts: np.ndarray | None  # float64, or None when no amounts were given
    dropped: int  # rows left out (blank id, unreadable date or amount)


# --- shape --------------------------------------------------------------------


def cells(values: Any) -> list[Any]:
    """All cells of a scalar, 1-D or 2-D range as one flat list, row by row."""
    if isinstance(values, np.ndarray):
        return values.ravel().tolist()
    if isinstance(values, (list, tuple)):
        if values and isinstance(values[0], (list, tuple)):
            return list(chain.from_iterable(values))
        return list(values)
    return [values]


def _kinds(flat: list[Any]) -> np.ndarray:
    """Kind code of every cell (see _KIND), vectorised through the C map."""
    return np.fromiter(
        map(_KIND.get, map(type, flat), repeat(_OTHER)), dtype=np.int8, count=len(flat)
    )


def excel_error_text(value: Any) -> str | None:
    """The error text ("#N/A" …) when the cell value is an Excel error, else None (common.excel.error_text)."""
    return xl.error_text(value)


def _first_error(flat: list[Any]) -> str | None:
    """The first Excel error value in range order, or None (slow path, rare)."""
    for v in flat:
        if type(v) is str or type(v) is int:
            err = excel_error_text(v)
            if err is not None:
                return err
    return None


def _check_errors(flat: list[Any], present: set[type]) -> None:
    """Raise CellError if any cell is an Excel error value (first one wins).

    The membership tests run in C over the text (and int) cells only, so a
    clean range of a million cells costs a few milliseconds.
    """
    found = False
    if str in present:
        found = not EXCEL_ERRORS.isdisjoint(compress(flat, map(isinstance, flat, repeat(str))))
    if not found and int in present:
        found = not _COM_ERRORS.keys().isdisjoint(
            v for v in compress(flat, map(isinstance, flat, repeat(int))) if type(v) is int
        )
    if found:
        err = _first_error(flat)
        if err is not None:
            raise CellError(err)


# --- dates ----------------------------------------------------------------------


def _date_days(values: Iterable[Any]) -> np.ndarray:
    """datetime/date objects -> int64 days since 1970-01-01 (time of day dropped)."""
    naive = [v.replace(tzinfo=None) if isinstance(v, dt.datetime) and v.tzinfo else v for v in values]
    if not naive:
        return np.empty(0, dtype=np.int64)
    return np.array(naive, dtype="datetime64[us]").astype("datetime64[D]").astype(np.int64)


def _serial_days(serials: np.ndarray, date1904: bool = False) -> np.ndarray:
    """Excel serial numbers -> float days since 1970-01-01 (NaN when not a date; common.excel)."""
    day = xl.serials_to_dates(serials, date1904)
    out = day.astype(np.int64).astype(np.float64)
    out[np.isnat(day)] = np.nan
    return out


def serial_to_date(serial: float, date1904: bool = False) -> dt.date:
    """One Excel serial number as a calendar date; MetricError when it is no Excel date."""
    try:
        return xl.serial_to_date(serial, date1904)
    except ValueError:
        raise MetricError("error.not_excel_date", value=f"{serial:g}") from None


def _excel_serials(values: Iterable[Any], date1904: bool = False) -> np.ndarray:
    """datetime/date objects -> Excel serial numbers (fractional for times; common.excel)."""
    return np.array([xl.date_to_serial(v, date1904) for v in values], dtype=np.float64)


# --- ranges ---------------------------------------------------------------------


def numbers(values: Any, *, date1904: bool = False) -> np.ndarray:
    """The numbers of a range, like Excel's AVERAGE sees them.

    Blank cells (None, or NaN as numpy/pandas write a blank), text and
    TRUE/FALSE are ignored, dates count as their serial number (in the
    workbook's date system, ``date1904``), and an error cell raises
    :class:`CellError` with that error.
    """
    flat = cells(values)
    present = set(map(type, flat))
    if present <= {float}:
        a = np.array(flat, dtype=np.float64)
        nan = np.isnan(a)
        return a[~nan] if nan.any() else a
    _check_errors(flat, present)
    if present <= _SIMPLE_TYPES:
        # One C-level pass: text, blanks and booleans become NaN, numbers stay.
        a = np.fromiter(
            map(_NAN_UNLESS_NUMBER.get, map(type, flat), flat), dtype=np.float64, count=len(flat)
        )
        return a[~np.isnan(a)]
    kinds = _kinds(flat)
    if (kinds == _OTHER).any():
        bad = flat[int(np.flatnonzero(kinds == _OTHER)[0])]
        raise MetricError("error.cell_type", type=type(bad).__name__)
    out = np.full(len(flat), np.nan)
    is_num = (kinds == _NUMBER) | (kinds == _INT)
    out[is_num] = np.fromiter(compress(flat, is_num.tolist()), dtype=np.float64)
    is_date = kinds == _DATE
    out[is_date] = _excel_serials(compress(flat, is_date.tolist()), date1904)
    return out[~np.isnan(out)]


def customer_codes(values: Any) -> np.ndarray:
    """One int64 code per non-blank id cell, in range order: equal code = same customer.

    Numbers and text are both ids; blanks and TRUE/FALSE are ignored and an
    error cell raises CellError. Text that is exactly how a number is written
    ("13607") is the same customer as that number (13607.0). Only codes are
    built, never a million Python strings, so this stays close to numpy speed.
    """
    flat = cells(values)
    present = set(map(type, flat))
    _check_errors(flat, present)
    if present <= {float, _NONE_T}:
        key = np.array(flat, dtype=np.float64)
        key = key[~np.isnan(key)]
        return pd.factorize(key)[0].astype(np.int64) if key.size else np.empty(0, np.int64)
    kinds = _kinds(flat)
    is_num = (kinds == _NUMBER) | (kinds == _INT)
    is_text = kinds == _TEXT
    # A float key per cell: the number, or the number a text spells; NaN otherwise.
    key = np.full(len(flat), np.nan)
    key[is_num] = np.fromiter(compress(flat, is_num.tolist()), dtype=np.float64)
    text_code = np.full(len(flat), -1, dtype=np.int64)
    if is_text.any():
        # trimmed; e-mails compare case-insensitively (common.ids.id_key)
        stripped = np.array([id_key(t.strip()) for t in compress(flat, is_text.tolist())], dtype=object)
        codes_t, distinct = pd.factorize(stripped)
        as_number = np.array([_spelled_number(t) for t in distinct], dtype=np.float64)
        key[is_text] = as_number[codes_t]
        plain = np.isnan(as_number) & (np.asarray(distinct, dtype=object) != "")
        text_code[is_text] = np.where(plain[codes_t], codes_t, -1)
    codes = np.full(len(flat), -1, dtype=np.int64)
    numeric = ~np.isnan(key)
    if numeric.any():
        codes[numeric] = pd.factorize(key[numeric])[0]
    is_plain_text = text_code >= 0
    codes[is_plain_text] = text_code[is_plain_text] + int(codes.max()) + 1
    return codes[codes >= 0]


def _spelled_number(text: str) -> float:
    """The number a text id spells exactly as id_text writes it ("13607", "13607.0"), else NaN."""
    try:
        x = float(text)
    except ValueError:
        return math.nan
    return x if math.isfinite(x) and id_text(x) == id_text(text) else math.nan


def scalar(fn: str, what: str, value: Any, default: float | None = None) -> float:
    """One cell argument as a number, or MetricError saying what is wrong with it.

    A blank cell is an error for a required argument (it is almost always a
    reference to the wrong cell) and means `default` for an optional one.
    Numeric text such as "30" or "85%" is read like Excel reads it in arithmetic.
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        flat = cells(value)
        if len(flat) != 1:
            raise MetricError("error.single_cell", fn=fn, what=what, n=len(flat))
        value = flat[0]
    value = xl.excel_value(value)  # the one conversion of a cell (Decimal, numpy, COM errors, NaN ...)
    if isinstance(value, xl.ExcelError):
        raise CellError(value.text)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is not None:
            return default
        raise MetricError("error.arg_blank", fn=fn, what=what)
    if isinstance(value, dt.time):
        raise MetricError("error.arg_time", fn=fn, what=what)
    if isinstance(value, (bool, np.bool_)):
        raise MetricError("error.arg_bool", fn=fn, what=what)
    if isinstance(value, (dt.date, dt.datetime)):
        raise MetricError("error.arg_date", fn=fn, what=what)
    if isinstance(value, str):
        return _number_text(fn, what, value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise MetricError("error.arg_not_number", fn=fn, what=what) from None
    if not math.isfinite(x):
        raise MetricError("error.arg_not_finite", fn=fn, what=what)
    return x


def _number_text(fn: str, what: str, value: str) -> float:
    """Text typed as a number ("30", "1,000", "1 200,5", "85%") -> float, else MetricError.

    Read exactly as the order reader reads one amount: "1,000" and "1,234.5" use
    thousands separators, "1,5", "0,123" and "1.234,56" a decimal comma, and
    currency signs and (5) for negatives are understood.
    """
    t = value.strip()
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    parsed = parse_numbers(pd.Series([t], dtype=object))
    x = float(parsed.values[0])
    if parsed.status[0] != NUMBER_OK or not math.isfinite(x):
        shown = value if len(value) <= 30 else value[:27] + "..."
        raise MetricError("error.arg_text_not_number", fn=fn, what=what, value=shown)
    return x / 100.0 if percent else x


def text(fn: str, what: str, value: Any, default: str | None = None) -> str:
    """One cell argument as text (e.g. an industry name or a period code)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        flat = cells(value)
        if len(flat) != 1:
            raise MetricError("error.single_cell", fn=fn, what=what, n=len(flat))
        value = flat[0]
    err = excel_error_text(value)
    if err is not None:
        raise CellError(err)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is not None:
            return default
        raise MetricError("error.arg_blank", fn=fn, what=what)
    if not isinstance(value, str):
        raise MetricError("error.arg_not_text", fn=fn, what=what)
    return value.strip()


def dates(values: Any, *, date1904: bool = False) -> np.ndarray:
    """Every cell of a range as a calendar day (datetime64[D]); NaT where unreadable.

    Date cells (datetime) and Excel serial numbers are dates; serials count in
    the workbook's date system (``date1904``, see common.excel); blanks, text,
    TRUE/FALSE and numbers outside Excel's date range are NaT. An error cell
    raises CellError. The result has one entry per cell so rows stay aligned.
    """
    flat = cells(values)
    _check_errors(flat, set(map(type, flat)))
    return _dates_from(flat, _kinds(flat), date1904)


_FIRST_DAY_1900: Final[int] = int(np.datetime64("1900-01-01", "D").astype(np.int64))


def _dates_from(flat: list[Any], kinds: np.ndarray, date1904: bool = False) -> np.ndarray:
    days = np.full(len(flat), np.nan)
    is_num = (kinds == _NUMBER) | (kinds == _INT)
    if is_num.any():
        serials = np.fromiter(compress(flat, is_num.tolist()), dtype=np.float64)
        days[is_num] = _serial_days(serials, date1904)
    is_date = kinds == _DATE
    if is_date.any():
        d = _date_days(compress(flat, is_date.tolist())).astype(np.float64)
        # before 1900-01-01 is no Excel date: 1899-12-30 is how COM hands over a time-only cell
        d[d < _FIRST_DAY_1900] = np.nan
        days[is_date] = d
    out = np.full(len(flat), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(days)
    out[ok] = days[ok].astype(np.int64).astype("datetime64[D]")
    return out


def _aligned_cells(fn: str, named: Sequence[tuple[str, Any]]) -> list[list[Any]]:
    """Flatten each argument and insist that all have the same number of cells."""
    flats = [cells(v) for _, v in named]
    sizes = {len(f) for f in flats}
    if len(sizes) > 1:
        described = Join(tuple(Message("error.range_size", what=name, n=len(f)) for (name, _), f in zip(named, flats)),
                         "comma")
        raise MetricError("error.range_sizes", fn=fn, sizes=described)
    return flats


#: order_rows' default for "no amounts argument" (None is a blank cell).
_NO_AMOUNTS: Final[object] = object()


def order_rows(
    fn: str, ids_values: Any, date_values: Any, amount_values: Any = _NO_AMOUNTS, *, date1904: bool = False
) -> OrderRows:
    """Read ids, dates and optional amounts as aligned order rows.

    Cell i of each range belongs to the same order; serial dates count in the
    workbook's date system (``date1904``); text ids follow common.ids (trimmed,
    "13607.0" is 13607, e-mails compared case-insensitively, shown as first seen). A row is dropped from every
    array when its id is blank (or TRUE/FALSE), its date is not a date, or —
    when amounts are given — its amount is not a number. Any error cell raises
    CellError. Raises MetricError when the ranges differ in size or no row is left.
    """
    named: list[tuple[str, Any]] = [("customer_ids", ids_values), ("dates", date_values)]
    if amount_values is not _NO_AMOUNTS:
        named.append(("amounts", amount_values))
    flats = _aligned_cells(fn, named)
    for f in flats:
        _check_errors(f, set(map(type, f)))
    kinds = [_kinds(f) for f in flats]
    id_flat, id_kinds = flats[0], kinds[0]
    is_text = id_kinds == _TEXT
    is_num = (id_kinds == _NUMBER) | (id_kinds == _INT)
    id_num = np.full(len(id_flat), np.nan)
    id_num[is_num] = np.fromiter(compress(id_flat, is_num.tolist()), dtype=np.float64)
    id_ok = is_num & np.isfinite(id_num)
    if is_text.any():
        # Whitespace-only text is a blank id.
        filled = [bool(s.strip()) for s in compress(id_flat, is_text.tolist())]
        id_ok[np.flatnonzero(is_text)[np.array(filled, dtype=bool)]] = True
    day = _dates_from(flats[1], kinds[1], date1904)
    keep = id_ok & ~np.isnat(day)
    amounts = None
    if amount_values is not _NO_AMOUNTS:
        a_kinds = kinds[2]
        a_num = (a_kinds == _NUMBER) | (a_kinds == _INT)
        amt = np.full(len(flats[2]), np.nan)
        amt[a_num] = np.fromiter(compress(flats[2], a_num.tolist()), dtype=np.float64)
        keep &= np.isfinite(amt)
        amounts = amt[keep]
    if is_text[keep].any():
        ids = normalize_ids(list(compress(id_flat, keep.tolist())))
    else:
        ids = id_num[keep]
    rows = OrderRows(ids, day[keep], amounts, int(keep.size - keep.sum()))
    if rows.dates.size == 0:
        hints = []
        if (id_ok & (kinds[1] == _TEXT)).any():
            hints.append(Message("error.text_dates"))
        if amounts is not None and (id_ok & ~np.isnat(day) & (kinds[2] == _TEXT)).any():
            hints.append(Message("error.text_amounts"))
        raise MetricError("error.no_usable_row" if amounts is None else "error.no_usable_order_row", fn=fn,
                          why=Message("error.in_brackets", text=Join(tuple(hints))) if hints else "")
    return rows
