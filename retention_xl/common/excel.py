"""Excel's own conventions, one home for every layer: error values, serial dates, cell values.

Pure Python and numpy (no xlwings): the file reader, the button's reader
(``read.orders.read_values``), the cell functions (``excel.cell_input``) and the
engine's cohort and RFM functions all convert through this module, so a value
means the same thing whichever way it reaches the report.

**Error values.** :data:`ERRORS` lists every error text Excel shows, the classic
seven and the dynamic-array / data-type era ones, with the CVErr number where
Microsoft's ``XlCVError`` enumeration gives one (``#BUSY!``, ``#PYTHON!``,
``#DATA!``, ``#EXTERNAL!``, ``#TIMEOUT!`` have none documented; they can only
arrive as text). Through COM an error cell is the ``int`` ``0x800A0000 | n``
(signed: ``-2146828288 + n``); xlwings turns the classic seven into text with
``err_to_str=True`` (else into ``None``) and passes every other one as that raw
``int`` (:data:`COM_ERRORS`).

**Serial dates.** Excel counts days in one of two systems (File > Options >
Advanced > "Use 1904 date system"):

* 1900 system (the default): serial 1 is 1900-01-01. Excel (copying Lotus 1-2-3)
  counts a 29 February 1900 that never was, serial 60. Serials 1-59 are therefore
  one day later than a count from 1899-12-30 would say, serials from 61 on agree
  with it. Serial 60 is shown by Excel as "29.02.1900"; there is no such day, and
  here it is **1900-02-28**, the real day it follows (as openpyxl reads it, and the
  file reader always did). Serial 0 ("00.01.1900") is no date.
* 1904 system (old Mac workbooks): serial 0 is 1904-01-01, no leap-year bug.

Time of day is the fraction and is dropped: these are calendar days. Excel's last
date is 9999-12-31 (serial 2958465, 2957003 in 1904).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import numpy as np

__all__ = [
    "COM_ERROR_BASE",
    "COM_ERRORS",
    "ERRORS",
    "EXCEL_ERRORS",
    "ExcelError",
    "MAX_SERIAL",
    "com_error",
    "date_to_serial",
    "error_text",
    "excel_value",
    "serial_to_date",
    "serials_to_dates",
]

#: Every error text Excel shows -> its CVErr number (XlCVError), None where Microsoft documents none.
ERRORS: Final[dict[str, int | None]] = {
    "#NULL!": 2000,
    "#DIV/0!": 2007,
    "#VALUE!": 2015,
    "#REF!": 2023,
    "#NAME?": 2029,
    "#NUM!": 2036,
    "#N/A": 2042,
    "#GETTING_DATA": 2043,
    "#SPILL!": 2045,
    "#CONNECT!": 2046,
    "#BLOCKED!": 2047,
    "#UNKNOWN!": 2048,
    "#FIELD!": 2049,
    "#CALC!": 2050,
    "#DATA!": None,
    "#BUSY!": None,
    "#PYTHON!": None,
    "#EXTERNAL!": None,
    "#TIMEOUT!": None,
}

#: The error texts, exactly as Excel writes them.
EXCEL_ERRORS: Final[frozenset[str]] = frozenset(ERRORS)
#: The same, case-folded: for readers that compare text case-insensitively.
EXCEL_ERRORS_FOLDED: Final[frozenset[str]] = frozenset(e.casefold() for e in ERRORS)

#: 0x800A0000 as a signed 32-bit int: COM passes CVErr n as COM_ERROR_BASE + n.
COM_ERROR_BASE: Final[int] = -2146828288
#: COM int (as xlwings passes it) -> error text.
COM_ERRORS: Final[dict[int, str]] = {COM_ERROR_BASE + n: text for text, n in ERRORS.items() if n is not None}


@dataclass(frozen=True, slots=True)
class ExcelError:
    """A cell that holds an Excel error (from its COM int, or its exact error text)."""

    text: str  # "#N/A", "#SPILL!" ...

    @property
    def number(self) -> int | None:
        """The CVErr number (2042 for #N/A), None where Excel documents none."""
        return ERRORS.get(self.text)

    def __str__(self) -> str:
        return self.text


def com_error(text: str) -> int | None:
    """The COM int xlwings passes for an error text (#SPILL! -> -2146826243), None if it has none."""
    n = ERRORS.get(text)
    return None if n is None else COM_ERROR_BASE + n


def error_text(value: Any) -> str | None:
    """The error text when the value is an Excel error (its text, its COM int, an ExcelError), else None."""
    if type(value) is str:
        return value if value in EXCEL_ERRORS else None
    if type(value) is int:
        return COM_ERRORS.get(value)
    if isinstance(value, ExcelError):
        return value.text
    if isinstance(value, str):
        return str(value) if value in EXCEL_ERRORS else None
    return None


# --------------------------------------------------------------------------- serial dates

_EPOCH_1900: Final = np.datetime64("1899-12-30", "D")  # serial 61 and later count from here
_EPOCH_1904: Final = np.datetime64("1904-01-01", "D")
#: Last serial that is a date (9999-12-31) in each system.
MAX_SERIAL: Final[dict[bool, int]] = {False: 2958465, True: 2957003}
_NAT: Final = np.datetime64("NaT", "D")


def serials_to_dates(values: Any, date1904: bool = False) -> np.ndarray:
    """Excel serial numbers -> calendar days (datetime64[D]); NaT where a value is no date.

    Vectorised; any array-like of numbers (NaN for blanks). The fraction (time of day)
    is dropped; serials outside Excel's dates (below 1, or 0 in 1904; past 9999-12-31)
    are NaT. See the module doc for the 1900 leap-year bug.
    """
    x = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        s = np.floor(x)
        low = 0 if date1904 else 1
        ok = np.isfinite(s) & (s >= low) & (s <= MAX_SERIAL[date1904])
    days = np.where(ok, s, 0).astype(np.int64)
    if date1904:
        out = _EPOCH_1904 + days.astype("timedelta64[D]")
    else:
        # 1-59 count from 1899-12-31; the fictitious 60 is 1900-02-28 like 59; 61+ from 1899-12-30
        out = _EPOCH_1900 + (days + (days < 60)).astype("timedelta64[D]")
    out = np.where(ok, out, _NAT)
    return out


def serial_to_date(serial: float, date1904: bool = False) -> dt.date:
    """One Excel serial number as a calendar day; ValueError when it is no Excel date."""
    day = serials_to_dates(np.array([serial], dtype=np.float64), date1904)[0]
    if np.isnat(day):
        raise ValueError(f"{serial:g} is not an Excel date")
    return day.astype(dt.date)


def date_to_serial(day: dt.date | dt.datetime, date1904: bool = False) -> float:
    """The Excel serial number of a day (with its time of day as the fraction).

    The inverse of :func:`serial_to_date` for every real day: 1900-02-28 is 59 (Excel's
    fictitious 29 February, 60, has no real day to come from).
    """
    if isinstance(day, dt.datetime):
        base = dt.datetime(day.year, day.month, day.day)
        frac = (day.replace(tzinfo=None) - base).total_seconds() / 86400.0
        day = base.date()
    else:
        frac = 0.0
    if date1904:
        return float((day - dt.date(1904, 1, 1)).days) + frac
    n = (day - dt.date(1899, 12, 30)).days
    return float(n - 1 if n < 61 else n) + frac


# --------------------------------------------------------------------------- one cell value

#: The day COM gives a time-of-day-only cell (serial 0.x): a time, not a date.
_COM_TIME_DAY: Final = dt.date(1899, 12, 30)


def excel_value(v: Any) -> Any:
    """One value as it comes from Excel (xlwings, pywin32, a file reader) -> one plain Python value.

    * ``None``, "" and NaN -> ``None`` (a blank cell);
    * an Excel error (its COM int, its exact text, an :class:`ExcelError`) -> :class:`ExcelError`;
    * ``bool`` / numpy bool -> ``bool`` (TRUE/FALSE is no number);
    * ``Decimal`` (Windows hands currency-formatted cells over as Decimal) and numpy
      numbers -> ``float``; other ``int`` stay ``int`` (no digits lost);
    * ``datetime`` (pywin32's time type, pandas Timestamps, numpy datetime64) -> a naive
      ``datetime`` (the wall-clock time as written; a time zone is dropped); ``date`` ->
      ``datetime`` at midnight; a COM date on 1899-12-30 is a time-only cell -> ``time``;
    * ``time`` stays ``time``; any other text stays text.
    """
    if v is None:
        return None
    t = type(v)
    if t is float:
        return None if v != v else v
    if t is str:
        if not v:
            return None
        return ExcelError(v) if v in EXCEL_ERRORS else v
    if t is bool:
        return v
    if t is int:
        err = COM_ERRORS.get(v)
        return v if err is None else ExcelError(err)
    if isinstance(v, ExcelError):
        return v
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, Decimal):
        return float(v) if v.is_finite() else None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, np.datetime64):
        if np.isnat(v):
            return None
        v = v.astype("datetime64[us]").astype(dt.datetime)
        if not isinstance(v, dt.datetime):  # outside datetime's range: numpy gives an int
            return None
    if isinstance(v, dt.datetime):
        if v != v:  # pandas NaT
            return None
        if v.tzinfo is not None:
            v = v.replace(tzinfo=None)
        out = dt.datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)
        if out.date() == _COM_TIME_DAY:
            return out.time()
        return out
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    if isinstance(v, str):  # a str subclass
        return excel_value(str(v))
    return v
