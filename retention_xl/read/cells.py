"""Vectorised cell parsing: dates, amounts, customer/order ids, returned flags.

Every parser takes one column (a pandas Series of any dtype: numbers, text,
Python objects as they come from calamine or xlwings) and returns arrays of the
same length plus a per-cell status:

    OK = 0      the value was read
    BLANK = 1   the cell is empty
    BAD = 2     the cell holds something that cannot be read

Speed: a column is factorised first and only its *distinct* values are parsed,
so a million-row column with a few thousand distinct dates or amounts costs a
hash pass plus a few thousand small parses.  Columns that pandas already read
as numbers or datetimes take a pure numpy path.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
import pandas as pd

from retention_xl.common.currency import YEN_SIGN, currency_code, resolve_yen
from retention_xl.common.excel import EXCEL_ERRORS_FOLDED, serials_to_dates
from retention_xl.common.ids import FLOAT_ID, factorize, same_case_ids  # noqa: F401 - re-used here
from retention_xl.messages import Note
from retention_xl.read import statuses as _statuses

OK, BLANK, BAD = 0, 1, 2

#: An amount of this size or more is no order (a card number, a typo) and cannot be summed safely.
MAX_AMOUNT = 1e15

_MIN_YEAR, _MAX_YEAR = 1900, 2200

# Text that means "nothing here" in an id/date/amount cell.
_NULL_TEXT = frozenset(
    {"", "nan", "none", "null", "nat", "n/a", "na", "-", "—", "–", "<na>"}
)
# Excel's error texts (common.excel, all of them), compared case-folded.
_EXCEL_ERRORS = EXCEL_ERRORS_FOLDED




def _take(values: np.ndarray, codes: np.ndarray, missing) -> np.ndarray:
    """values[codes] with `missing` where code == -1."""
    if len(values) == 0:
        out = np.empty(len(codes), dtype=values.dtype if values.dtype != object else object)
        out[...] = missing
        return out
    out = values[np.where(codes < 0, 0, codes)]
    if (codes < 0).any():
        out = out.copy()
        out[codes < 0] = missing
    return out


def _is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or v is pd.NA


def cell_text(v) -> str:
    """A cell value as the user would read it (used for skipped-row listings)."""
    if _is_missing(v):
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        if v.hour == 0 and v.minute == 0 and v.second == 0 and v.microsecond == 0:
            return v.strftime("%Y-%m-%d")
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, (_dt.time, _dt.timedelta)):
        return str(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isfinite(f) and f.is_integer() and abs(f) < 1e16:
            return str(int(f))
        return repr(f)
    return str(v)


def series_text(series: pd.Series) -> np.ndarray:
    """Object array of cell texts for a whole column (distinct values converted once)."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        codes, uniq_num = pd.factorize(series, use_na_sentinel=True)
        return _take(numeric_texts(np.asarray(uniq_num)), codes, "")
    codes, uniq = factorize(series)
    texts = np.array([cell_text(v) for v in uniq], dtype=object)
    return _take(texts, codes, "")


# ---------------------------------------------------------------- ids / text




def _id_text(v) -> str | None:
    """One id value as normalised text (None where it is no id)."""
    if type(v) is str:
        t = v.strip()
        if "\u00a0" in t:
            t = t.replace("\u00a0", " ").strip()
        if not t or (len(t) <= 14 and (t.casefold() in _NULL_TEXT or t.casefold() in _EXCEL_ERRORS)):
            return None
        if "." in t:
            m = FLOAT_ID.match(t)
            if m:
                t = m.group(1)
        return t
    if _is_missing(v) or isinstance(v, (bool, np.bool_)):
        return None
    if isinstance(v, (float, np.floating)) and not math.isfinite(float(v)):
        return None
    t = cell_text(v).strip()
    return t or None


def _id_texts_changed(uniq: np.ndarray) -> tuple[np.ndarray, bool, bool]:
    """Normalised texts of distinct id values, whether any text was changed, and whether any may be
    an e-mail (holds "@").

    The common case, distinct plain texts without anything to normalise, costs a
    strip per value and a few regex scans of the joined texts, not Python work
    per value.
    """
    out = np.empty(len(uniq), dtype=object)
    if not len(uniq):
        return out, False, False
    if pd.api.types.infer_dtype(uniq, skipna=False) != "string":
        out[:] = [_id_text(v) for v in uniq.tolist()]
        return out, True, True
    vals = uniq.tolist()
    t = [v.strip() for v in vals]
    edges = _edges(t)
    joined = edges.padded if edges is not None else "\x00" + "\x00".join(t) + "\x00"
    if "\u00a0" in joined:
        t = [x.replace("\u00a0", " ").strip() if "\u00a0" in x else x for x in t]
    if (edges is None or edges.maybe_null()) and _NULL_JOINED.search(joined.casefold()):
        nulls, errors = _NULL_TEXT, _EXCEL_ERRORS
        t = [None if (len(x) <= 14 and (x.casefold() in nulls or x.casefold() in errors)) else x for x in t]
    if ".0" in joined and _FLOAT_JOINED.search(joined):
        fmatch = FLOAT_ID.match
        for i in [i for i, x in enumerate(t) if x is not None and x[-1:] == "0" and "." in x]:
            m = fmatch(t[i])
            if m:
                t[i] = m.group(1)
    mail = "@" in joined
    if t == vals:  # nothing to normalise (the usual case): the distinct values are the ids
        return uniq, False, mail
    out[:] = t
    return out, True, mail


#: Every character str.strip() removes (Unicode's spaces all lie below U+3001; a test checks them all).
_STRIPPED = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


#: The UTF-8 bytes a text begins or ends with when it begins or ends with a space (a superset:
#: a continuation byte also ends other letters, which are then looked at one by one).
_SPACE_FIRST_BYTES = np.array(sorted({chr(c).encode()[0] for c in _STRIPPED.tolist()}), dtype=np.uint8)
_SPACE_LAST_BYTES = np.array(sorted({chr(c).encode()[-1] for c in _STRIPPED.tolist()}), dtype=np.uint8)
#: The first UTF-8 byte of every null text and Excel error text, in either case (0: an empty text).
_NULL_FIRST_BYTES = np.array(sorted({c.encode()[0] for x in _NULL_TEXT | _EXCEL_ERRORS
                                     for c in {x[:1], x[:1].upper(), x[:1].lower()} if c} | {0}), dtype=np.uint8)


#: Texts looked at together by _edges: its joined text and byte arrays stay a few dozen MB
#: however long the column (a joined column of ten million e-mails would be 1 GB of them).
_EDGE_CHUNK = 1 << 18


def _chunks(vals: list[str]) -> list[list[str]]:
    return [vals[i:i + _EDGE_CHUNK] for i in range(0, len(vals), _EDGE_CHUNK)] or [vals]


@dataclass(frozen=True)
class _Edges:
    """Texts joined by \\x00 and the first and last UTF-8 byte of each (0 if empty)."""

    texts: list[str]
    joined: str
    first: np.ndarray
    last: np.ndarray

    @property
    def padded(self) -> str:
        """The joined texts with a \\x00 at each end too: every text stands between two."""
        return "\x00" + self.joined + "\x00"

    def to_strip(self) -> bool:
        """Whether str.strip() would change some text: those whose edge bytes may be a space are
        looked at one by one (a handful, or none, in a column of ids or names)."""
        maybe = np.flatnonzero(np.isin(self.first, _SPACE_FIRST_BYTES) | np.isin(self.last, _SPACE_LAST_BYTES))
        texts = self.texts
        return any(texts[i] != texts[i].strip() for i in maybe.tolist())

    def maybe_null(self) -> bool:
        """Whether some text may be a null or error text (starts as one does, or is empty)."""
        return bool(np.isin(self.first, _NULL_FIRST_BYTES).any())


def _edges(vals: list[str]) -> _Edges | None:
    """The _Edges of these texts in a few numpy passes over their joined UTF-8 bytes (no UTF-8
    sequence holds a zero byte), no Python work per text; None when a value is no text (NaN: an
    empty cell), when a text holds \\x00 itself (then the joined text does not tell them apart) or
    is no valid Unicode."""
    try:
        joined = "\x00".join(vals)
    except TypeError:  # an empty cell (NaN) or a number among them
        return None
    if not vals:
        return _Edges(vals, joined, np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=np.uint8))
    try:
        a = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    sep = np.flatnonzero(a == 0)
    if len(sep) != len(vals) - 1:
        return None
    # a text begins after a separator and ends before the next; an empty text's "first byte" is
    # then the next separator and its "last byte" the one before: 0 either way
    first = np.zeros(len(vals), dtype=np.uint8)
    last = np.zeros(len(vals), dtype=np.uint8)
    if a.size:
        first[0], last[-1] = a[0], a[-1]
        first[1:] = a[np.minimum(sep + 1, a.size - 1)]
        last[:-1] = a[sep - 1]
        first[1:][sep + 1 == a.size] = 0  # the last text is empty
        last[:-1][sep == 0] = 0  # the first text is empty
    return _Edges(vals, joined, first, last)


_NULL_JOINED = re.compile(
    "\x00(?:" + "|".join(re.escape(x) for x in sorted(_NULL_TEXT | _EXCEL_ERRORS, key=len, reverse=True)) + ")\x00"
)
_FLOAT_JOINED = re.compile(r"\x00[+-]?\d+\.0+\x00")


@dataclass
class IdParse:
    codes: np.ndarray  # per row: index into uniques, -1 where empty
    uniques: np.ndarray  # normalised distinct ids (object, no duplicates, no None)
    status: np.ndarray  # int8 OK / BLANK
    #: every cell is a str that needed no normalising: the column itself is the ids
    as_written: bool = False

    @property
    def values(self) -> np.ndarray:
        """Per row id text (object, None where missing)."""
        return _take(self.uniques, self.codes, None)


def parse_ids(series: pd.Series) -> IdParse:
    """Normalised id texts and status.

    Ids that arrive as floats (13607.0 or the text "13607.0") become "13607";
    surrounding whitespace is stripped; "", "nan", "NULL", "#N/A" are no id;
    e-mails that differ only by case are one id, shown as first seen (common.ids).
    Equal ids after normalising share one code ("13607.0", " 13607" and 13607).
    """
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype(object)
    if pd.api.types.is_numeric_dtype(series.dtype):
        codes, uniq_num = pd.factorize(series, use_na_sentinel=True)
        norm = numeric_texts(np.asarray(uniq_num))
        changed = False  # distinct numbers have distinct texts
        if uniq_num.dtype.kind == "f":
            fin = np.isfinite(np.asarray(uniq_num, dtype=float))
            if not fin.all():  # inf is no id
                norm[~fin] = None
                changed = True
    else:
        codes, uniq = factorize(series)
        norm, changed, mail = _id_texts_changed(uniq)
        merged = same_case_ids(norm) if mail else None  # e-mails compare case-insensitively, shown as first seen
        if merged is not None:
            norm, changed = merged, True
    # one code per distinct normalised id; -1 where there is no id
    n_u = len(norm)
    if n_u and changed:
        none_u = np.fromiter((v is None for v in norm), dtype=bool, count=n_u)
        keep = norm[~none_u]
        c2, canon = pd.factorize(keep) if len(keep) else (np.zeros(0, np.intp), np.empty(0, object))
        if none_u.any() or len(canon) < n_u:
            remap = np.full(n_u, -1, dtype=np.intp)
            remap[~none_u] = c2
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
            norm = np.asarray(canon, dtype=object)
    status = np.where(codes < 0, BLANK, OK).astype(np.int8)
    as_written = is_str_column(series) and not changed and bool((codes >= 0).all())
    return IdParse(codes, norm, status, as_written)


class WrittenIds(IdParse):
    """The IdParse of a column whose cells are its ids as written (`written_ids`): the status and
    ``as_written`` at once, the codes and distinct ids only when something asks for them.

    An order column of a million distinct ids is output as it is, so in the usual case (every
    line has its own amount, no "C" invoices) its hashing is never paid for.
    """

    def __init__(self, series: pd.Series, first_bytes: frozenset[str] | None = None):  # noqa: D107
        self._series = series
        self.status = np.full(len(series), OK, dtype=np.int8)
        self.as_written = True
        #: the first UTF-8 byte of every id, as a latin-1 character ("C": some id begins with C); None: not known
        self.first_bytes = first_bytes

    @functools.cached_property
    def _parsed(self) -> IdParse:
        return parse_ids(self._series)

    @property
    def codes(self) -> np.ndarray:  # type: ignore[override]
        return self._parsed.codes

    @property
    def uniques(self) -> np.ndarray:  # type: ignore[override]
        return self._parsed.uniques


def written_ids(series: pd.Series) -> WrittenIds | None:
    """A WrittenIds when every cell of a str column is an id as it is (none empty, none to strip,
    no null text, no 13607.0, no e-mail in upper case); None otherwise (then parse_ids decides).

    Costs a join of the texts and a few numpy passes over their bytes (_edges), no hashing.
    """
    if not is_str_column(series) or not len(series):
        return None
    vals = series.to_numpy(dtype=object).tolist()  # an empty cell is NaN here: _edges tells
    # the first cells first: a column of "17850.0" ids is told at once, not after a million strips
    if not _ids_as_they_are(vals[:_HEAD_CELLS]):
        return None
    seen = np.zeros(256, dtype=np.int64)
    for part in _chunks(vals):
        edges = _ids_as_they_are(part)
        if edges is None:
            return None
        seen += np.bincount(edges.first, minlength=256)
    return WrittenIds(series, frozenset(chr(b) for b in np.flatnonzero(seen).tolist()))


_HEAD_CELLS = 2000


def _ids_as_they_are(vals: list[str]) -> _Edges | None:
    """The texts' _Edges when there is no text to strip, no null or error text, no 13607.0, no e-mail
    in upper case (see written_ids); None otherwise."""
    edges = _edges(vals)
    if edges is None or edges.to_strip():
        return None
    joined = edges.joined
    if "\u00a0" in joined or (edges.maybe_null() and _NULL_JOINED.search(edges.padded.casefold())):
        return None
    if (".0" in joined and _FLOAT_JOINED.search(edges.padded)) or ("@" in joined and joined != joined.lower()):
        return None
    return edges


def is_str_column(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "python"


def column_str(series: pd.Series, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The given rows of a str column as a str array, without copying when it is all of them."""
    arr = series.array
    return arr if len(rows) == len(arr) else arr.take(rows)


def numeric_texts(x: np.ndarray) -> np.ndarray:
    """Texts of numbers as a user reads them: 13607.0 -> "13607", 2.5 -> "2.5" (object array)."""
    if x.dtype.kind in "iu":
        return x.astype(str).astype(object)
    x = x.astype(float)
    out = np.empty(len(x), dtype=object)
    whole = np.isfinite(x) & (x == np.floor(x)) & (np.abs(x) < 1e15)
    out[whole] = x[whole].astype(np.int64).astype(str)
    rest = np.flatnonzero(~whole)
    out[rest] = [cell_text(float(v)) for v in x[rest]]
    return out


def text_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Plain text column (channel, product, name...) as codes and stripped distinct texts."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        codes, uniq_num = pd.factorize(series, use_na_sentinel=True)
        return codes, numeric_texts(np.asarray(uniq_num))
    codes, uniq = factorize(series)
    norm = np.array([v.strip() if type(v) is str else cell_text(v).strip() for v in uniq], dtype=object)
    return codes, norm


def text_array(series: pd.Series, rows: np.ndarray | None = None) -> pd.api.extensions.ExtensionArray:
    """A text column not read as text (numbers, Excel cells) as a pandas str array: each distinct
    value's text, stripped, '' where empty. `rows` (positions) selects rows.

    A column read as text reaches the orders frame as written instead (split.orders_frame): the
    engine strips the one text per customer it uses (engine/rows.py, Rows.filled_text).
    """
    codes, uniq = text_codes(series)
    return str_take(uniq, codes if rows is None else codes[rows])


def str_take(uniques: np.ndarray, codes: np.ndarray, missing: str = "") -> pd.arrays.StringArray:
    """A pandas str array uniques[codes] ('missing' where code < 0) without per-row checks."""
    texts = np.empty(len(uniques) + 1, dtype=object)
    texts[:-1] = [missing if u is None else u for u in uniques]
    texts[-1] = missing
    arr = pd.array(texts, dtype="str")
    return arr.take(np.where(codes < 0, len(uniques), codes))


# ---------------------------------------------------------------- dates


_DATE_PART = re.compile(r"^(\d{1,4})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,4})\s*日?$")
_NUMERIC = re.compile(r"^\d+(?:\.\d+)?$")
_MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # Russian (nominative, genitive, short)
    "январь": 1, "января": 1, "янв": 1, "февраль": 2, "февраля": 2, "фев": 2, "март": 3, "марта": 3,
    "мар": 3, "апрель": 4, "апреля": 4, "апр": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июн": 6,
    "июль": 7, "июля": 7, "июл": 7, "август": 8, "августа": 8, "авг": 8, "сентябрь": 9,
    "сентября": 9, "сен": 9, "сент": 9, "октябрь": 10, "октября": 10, "окт": 10, "ноябрь": 11,
    "ноября": 11, "ноя": 11, "нояб": 11, "декабрь": 12, "декабря": 12, "дек": 12,
}
_TOKENS = re.compile(r"\d+|[^\W\d_]+")


@dataclass
class DateParse:
    values: np.ndarray  # datetime64[ns], NaT where not read
    status: np.ndarray  # int8 OK / BLANK / BAD
    notes: list[str] = field(default_factory=list)


def _year(y: int) -> int:
    if y < 100:
        return 2000 + y if y < 70 else 1900 + y
    return y


def _make_date(y: int, m: int, d: int):
    """The day, or None outside 1900-2200 or the calendar (a written '0001' is year 1, not 2001)."""
    if not (_MIN_YEAR <= y <= _MAX_YEAR):
        return None
    try:
        return np.datetime64(_dt.date(y, m, d), "D")
    except ValueError:
        return None


def _serial_to_date(x: float, date1904: bool = False):
    """One Excel serial as a day (common.excel's conversion), None outside 1900-2200."""
    d = serials_to_dates(np.array([x], dtype=np.float64), date1904)[0]
    if np.isnat(d):
        return None
    y = d.astype("datetime64[Y]").astype(int) + 1970
    return d if _MIN_YEAR <= y <= _MAX_YEAR else None


def _words_date(s: str):
    """'5 March 2024', 'Mar 5, 2024', '05-мар-2024', '5 марта 2024 г.' (time ignored)."""
    toks = _TOKENS.findall(s.casefold())
    month = None
    nums: list[str] = []
    for t in toks:
        if t.isdigit():
            nums.append(t)
        elif month is None and t in _MONTHS:
            month = _MONTHS[t]
        elif month is None and t[:3] in _MONTHS and len(t) >= 3 and t[:3] not in ("мая",):
            month = _MONTHS[t[:3]]
    if month is None or len(nums) < 2:
        return None
    year_i = next((i for i, t in enumerate(nums) if len(t) == 4), None)
    if year_i is None:
        # '5 Mar 24' -> day first, year last
        day, year = nums[0], nums[1]
    else:
        year = nums[year_i]
        rest = [t for i, t in enumerate(nums) if i != year_i]
        day = rest[0] if rest else None
        if day is None:
            return None
    return _make_date(_year(int(year)) if len(year) <= 2 else int(year), month, int(day))


def parse_dates(series: pd.Series, date1904: bool = False) -> DateParse:
    """Calendar days from real dates, Excel serials or text.

    Serial numbers count in the workbook's date system (``date1904``: the 1904
    system, see common.excel); the conversion is common.excel.serials_to_dates.

    Text: ISO (with optional time / time zone), dd.mm.yyyy, dd/mm/yyyy,
    mm/dd/yyyy (only when the column can be read no other way), yyyy/mm/dd,
    2024年3月5日, yyyymmdd, month names (en/ru).  Time of day is dropped.
    """
    n = len(series)
    notes: list[str] = []
    dtype = series.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        s = series
        if getattr(dtype, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        vals = np.array(s.to_numpy(dtype="datetime64[ns]"), copy=True).astype("datetime64[D]").astype("datetime64[ns]")
        status = np.where(np.isnat(vals), BLANK, OK).astype(np.int8)
        return DateParse(vals, status, notes)
    if pd.api.types.is_bool_dtype(dtype):
        return DateParse(np.full(n, np.datetime64("NaT"), "datetime64[ns]"), np.full(n, BAD, np.int8))
    if pd.api.types.is_numeric_dtype(dtype):
        x = np.array(series.to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True)
        finite = x[~np.isnan(x)]
        if len(finite) and np.all((finite >= 19000101) & (finite <= 22001231) & (finite == np.floor(finite))):
            txt = pd.Series(np.where(np.isnan(x), "", np.nan_to_num(x).astype(np.int64).astype(str)))
            res = parse_dates(txt.astype(object), date1904)
            res.notes.append(Note("dates_yyyymmdd"))
            return res
        status = np.where(np.isnan(x), BLANK, OK).astype(np.int8)
        days = serials_to_dates(x, date1904)
        status[np.isnat(days) & (status == OK)] = BAD
        vals = days.astype("datetime64[ns]")
        vals[status != OK] = np.datetime64("NaT")
        years = vals.astype("datetime64[Y]").astype(np.int64) + 1970
        out_of_range = (status == OK) & ((years < _MIN_YEAR) | (years > _MAX_YEAR))
        status[out_of_range] = BAD
        vals[out_of_range] = np.datetime64("NaT")
        if (status == OK).any():
            notes.append(Note("dates_serial"))
        return DateParse(vals, status, notes)

    if _many_distinct(series):
        return _parse_timestamps(series, date1904)
    codes, uniq = factorize(series)
    m = len(uniq)
    u_val = np.full(m, np.datetime64("NaT"), dtype="datetime64[D]")
    u_st = np.full(m, BAD, dtype=np.int8)
    str_idx: list[int] = []
    strs: list[str] = []
    for i, v in enumerate(uniq):
        if isinstance(v, str):
            s = v.strip()
            if s.casefold() in _NULL_TEXT:
                u_st[i] = BLANK
            else:
                str_idx.append(i)
                strs.append(s)
        elif _is_missing(v):
            u_st[i] = BLANK
        elif isinstance(v, (_dt.datetime, pd.Timestamp)):
            d = _make_date(v.year, v.month, v.day)
            if d is not None:
                u_val[i], u_st[i] = d, OK
        elif isinstance(v, _dt.date):
            d = _make_date(v.year, v.month, v.day)
            if d is not None:
                u_val[i], u_st[i] = d, OK
        elif isinstance(v, np.datetime64):
            if not np.isnat(v):
                u_val[i], u_st[i] = v.astype("datetime64[D]"), OK
        elif isinstance(v, Real) and not isinstance(v, (bool, np.bool_)):
            d = _serial_to_date(float(v), date1904)
            if d is not None:
                u_val[i], u_st[i] = d, OK
        # bools, times and anything else stay BAD
    if strs:
        _parse_date_texts(strs, str_idx, u_val, u_st, notes, date1904)
    vals = _take(u_val, codes, np.datetime64("NaT")).astype("datetime64[ns]")
    status = _take(u_st, codes, BLANK).astype(np.int8)
    return DateParse(vals, status, notes)


def _many_distinct(series: pd.Series, sample: int = 5000) -> bool:
    """A big column whose values are mostly distinct (timestamps with a time of day)."""
    if len(series) < 50000:
        return False
    head = series.iloc[:sample].tolist()
    return len(set(head)) > sample // 2


def _date_head(v: str) -> str:
    p = (v.strip() if v[:1] == " " else v).partition(" ")[0]
    return p.partition("T")[0] if "T" in p else p


_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d|$)")


def _parse_iso(series: pd.Series, date1904: bool = False) -> DateParse | None:
    """pandas' C ISO-8601 parser for columns of ISO timestamps; None when it does not apply."""
    head = [v for v in series.iloc[:2000].tolist() if type(v) is str and v.strip()][:500]
    if not head or not all(_ISO_START.match(v.strip()) for v in head):
        return None
    try:
        ts = pd.to_datetime(series, format="ISO8601", errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return None  # e.g. mixed UTC offsets: the text path keeps each row's own calendar day
    if getattr(ts.dtype, "tz", None) is not None:
        ts = ts.dt.tz_localize(None)  # wall-clock day as written
    vals = np.array(ts.to_numpy(dtype="datetime64[ns]"), copy=True).astype("datetime64[D]")
    years = vals.astype("datetime64[Y]").astype(np.int64) + 1970
    vals[(years < _MIN_YEAR) | (years > _MAX_YEAR)] = np.datetime64("NaT")
    vals = vals.astype("datetime64[ns]")
    status = np.where(np.isnat(vals), BAD, OK).astype(np.int8)
    rest = np.flatnonzero(status != OK)
    if len(rest):
        other = parse_dates(pd.Series(series.to_numpy(dtype=object)[rest], dtype=object), date1904)
        vals[rest] = other.values
        status[rest] = other.status
    return DateParse(vals, status, [])


def _parse_timestamps(series: pd.Series, date1904: bool = False) -> DateParse:
    """Many distinct date-times: cut each text to its date part first, then parse the few days."""
    iso = _parse_iso(series, date1904)
    if iso is not None:
        return iso
    arr = series.to_numpy(dtype=object)
    parts = [_date_head(v) if type(v) is str else v for v in arr]
    res = parse_dates(pd.Series(parts, dtype=object), date1904)
    bad = np.flatnonzero(res.status != OK)
    if len(bad):
        # the whole text may still be a date ("5 March 2024 10:00", or blank after all)
        full = parse_dates(pd.Series(arr[bad], dtype=object).iloc[:], date1904)
        res.values[bad] = full.values
        res.status[bad] = full.status
    return res


def _parse_date_texts(strs, idx, u_val, u_st, notes, date1904: bool = False) -> None:
    # 1. The date part of each text (drop the time), deduplicated: a column of a
    #    million distinct timestamps has only a few hundred distinct days.
    parts = [_date_head(s) for s in strs]
    p_codes, p_uniq = pd.factorize(np.array(parts, dtype=object))
    matches = [_DATE_PART.match(p) for p in p_uniq]
    # 2. Decide day-first / month-first for the column from the x/y/yyyy texts.
    first_gt12 = second_gt12 = False
    for mt in matches:
        if mt and len(mt.group(1)) <= 2:
            a, b = int(mt.group(1)), int(mt.group(2))
            first_gt12 |= a > 12
            second_gt12 |= b > 12
    month_first = second_gt12 and not first_gt12
    if month_first:
        notes.append(Note("dates_us"))
    elif first_gt12 and second_gt12:
        notes.append(Note("dates_mixed"))
    two_digit = False
    p_val: list = []
    for p, mt in zip(p_uniq, matches):
        d = None
        if mt:
            a, b, c = mt.group(1), mt.group(2), mt.group(3)
            if len(a) == 4:
                d = _make_date(int(a), int(b), int(c)) if len(c) <= 2 else None
            elif len(c) in (2, 4):
                two_digit |= len(c) == 2
                day, month = (int(b), int(a)) if month_first else (int(a), int(b))
                d = _make_date(_year(int(c)) if len(c) == 2 else int(c), month, day)
        elif _NUMERIC.match(p):
            if len(p) == 8 and p.isdigit():
                d = _make_date(int(p[:4]), int(p[4:6]), int(p[6:]))
            else:
                x = float(p)
                d = _serial_to_date(x, date1904) if 10000 <= x < 100000 else None
        p_val.append(d)
    if two_digit:
        notes.append(Note("two_digit_years"))
    for j, (i, s) in enumerate(zip(idx, strs)):
        d = p_val[p_codes[j]]
        if d is None and (mt := _words_date(s)) is not None:
            d = mt
        if d is not None:
            u_val[i], u_st[i] = d, OK


# ---------------------------------------------------------------- amounts


_CURRENCY = re.compile(
    r"(?i)(?:us\$|c\$|a\$|hk\$|cn¥|rmb|usd|eur|rub|rur|cny|gbp|jpy|kzt|uah|byn|chf|руб\.?|р\.|грн\.?|тг\.?|"
    r"[₽$€¥￥£₴₸元円₩₹]|(?<![^\W\d_])р(?![^\W\d_]))"
)
_SEP = r"[\s\u00a0\u2007\u2009\u202f'’ʼ`]"  # what people put between thousands
#: a character no plain number has: where a currency sign or code may be
_NOT_NUMBER = re.compile(r"[^\d\s\u00a0\u2007\u2009\u202f'’ʼ`.,+\-()\x00]")
_SPACES = re.compile(_SEP)
_SEP_IN_NUMBER = re.compile(rf"\d{_SEP}+\d")
# separators only between whole groups of three: "1 234 567,89", not "+44 7700 900123"
_GROUPED = re.compile(rf"^[+-]?{_SEP}*\d{{1,3}}(?:{_SEP}+\d{{3}})+(?:[.,]\d*)?{_SEP}*-?$")
_AMOUNT_CHARS = re.compile(r"^[+-]?[\d.,]+$")
_COMMA_DECIMAL = re.compile(r"(?:\d,\d{1,2}$)|(?:\d,\d{4,}$)|(?:\.\d{3},\d)|(?:^[+-]?0,\d)")
_COMMA_THOUSANDS = re.compile(r"(?:,\d{3}\.\d)|(?:,\d{3},\d{3}(?!\d))")
_DOT_GROUPS = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_COMMA_GROUPS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")


@dataclass
class NumberParse:
    values: np.ndarray  # float64, NaN where not read
    status: np.ndarray  # int8 OK / BLANK / BAD
    notes: list[str] = field(default_factory=list)
    #: per row: ISO code of the currency sign or code written in the cell ("$1,234.50" -> "USD"),
    #: "" where the cell names none; None when no cell of the column names one (issue 18)
    currency: np.ndarray | None = None


def amount_currency(text: str) -> str | None:
    """The currency a written amount names ("1 200 ₽" -> "RUB", "USD 12" -> "USD"); a bare ¥ gives YEN_SIGN."""
    m = _CURRENCY.search(text)
    return currency_code(m.group(0)) if m else None


def _clean_amount(s: str) -> str | None:
    """Strip currency, spaces and sign conventions; None when it is not an amount."""
    s = s.strip()
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1].strip()
    s = s.replace("\u2212", "-").replace("\u2013", "-")
    if _NOT_NUMBER.search(s):  # only a text with a letter or sign can hold a currency (the regex is slow)
        s = _CURRENCY.sub("", s).strip()
    if _SEP_IN_NUMBER.search(s) and not _GROUPED.match(s):
        return None  # digits split otherwise: a phone or card number, or two numbers
    s = _SPACES.sub("", s)
    if s.endswith("-") and len(s) > 1 and s[-2].isdigit():
        neg, s = not neg, s[:-1]
    if s.startswith("(") and s.endswith(")"):
        neg, s = not neg, s[1:-1]
    if not s or not _AMOUNT_CHARS.match(s) or not any(c.isdigit() for c in s):
        return None
    if neg:
        s = s[1:] if s.startswith("-") else s
        s = "-" + s
    return s


def _to_float(s: str, comma_decimal: bool | None) -> float | None:
    has_c, has_d = "," in s, "." in s
    if has_c and has_d:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif has_c:
        if s.count(",") > 1 or (comma_decimal is not True and _COMMA_GROUPS.match(s)):
            if not _COMMA_GROUPS.match(s):
                return None
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif has_d:
        if s.count(".") > 1 or (comma_decimal is True and _DOT_GROUPS.match(s)):
            if not _DOT_GROUPS.match(s):
                return None
            s = s.replace(".", "")
    try:
        f = float(s)
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def parse_numbers(series: pd.Series, yen: str | None = None) -> NumberParse:
    """Amounts / quantities / prices / scores as float64.

    Accepts decimal comma or point ("1,234.56" and "1.234,56"), spaces, NBSP,
    thin spaces and apostrophes as thousands separators, currency symbols and
    codes, and negatives written -5, (5) or 5-. The currency a cell names is kept
    (``NumberParse.currency``); a bare ¥ is CNY unless ``yen`` or the column says JPY.
    """
    n = len(series)
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return NumberParse(np.full(n, np.nan), np.full(n, BAD, np.int8))
    if pd.api.types.is_numeric_dtype(dtype):
        x = np.array(series.to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True)
        status = np.where(np.isnan(x), BLANK, OK).astype(np.int8)
        bad = np.isinf(x)
        status[bad] = BAD
        x[bad] = np.nan
        return NumberParse(x, status)
    codes, uniq = factorize(series)
    m = len(uniq)
    u_val = np.full(m, np.nan)
    u_st = np.full(m, BAD, dtype=np.int8)
    s_idx: list[int] = []
    strs: list[str] = []
    for i, v in enumerate(uniq):
        if isinstance(v, str):
            t = v.strip()
            if t.casefold() in _NULL_TEXT and t not in ("-",):
                u_st[i] = BLANK
            elif t == "":
                u_st[i] = BLANK
            else:
                s_idx.append(i)
                strs.append(t)
        elif _is_missing(v):
            u_st[i] = BLANK
        elif isinstance(v, (bool, np.bool_)):
            pass
        elif isinstance(v, Real):
            f = float(v)
            if math.isfinite(f):
                u_val[i], u_st[i] = f, OK
    notes: list[str] = []
    currency = None
    if strs:
        _parse_number_texts(strs, s_idx, u_val, u_st, notes)
        u_cur = _currencies(strs, s_idx, m, u_st, yen)
        if u_cur is not None:
            currency = _take(u_cur, codes, "")
    vals = _take(u_val, codes, np.nan).astype(float)
    status = _take(u_st, codes, BLANK).astype(np.int8)
    return NumberParse(vals, status, notes, currency)


#: str.translate table deleting digits and what numbers are written with
_NUMBER_CHARS = {ord(c): None for c in "0123456789 \t\n\r\u00a0\u2007\u2009\u202f'’ʼ`.,+-()"}


def _currencies(strs: list[str], idx: list[int], m: int, u_st: np.ndarray, yen: str | None) -> np.ndarray | None:
    """Per distinct value, the currency its text names ("" for none); None when no text names one."""
    if not _NOT_NUMBER.search("\x00".join(strs)):  # digits and separators only: no currency anywhere
        return None
    # what is left of each text without its digits and separators ("₽", "руб.", "USD"): few distinct ones
    rest = np.array([t.translate(_NUMBER_CHARS) for t in strs], dtype=object)
    r_codes, r_uniq = pd.factorize(rest)
    r_cur = np.array([(amount_currency(r) or "") if r else "" for r in r_uniq], dtype=object)
    ok = u_st[np.asarray(idx, dtype=np.intp)] == OK
    per = r_cur[r_codes] if len(r_uniq) else np.full(len(strs), "", dtype=object)
    per = np.where(ok, per, "")
    out = np.full(m, "", dtype=object)
    out[np.asarray(idx, dtype=np.intp)] = per
    seen = set(per.tolist()) - {""}
    if not seen:
        return None
    if YEN_SIGN in seen:
        out[out == YEN_SIGN] = resolve_yen(seen, yen)
    return out


_SIMPLE_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def _parse_number_texts(strs: list[str], idx: list[int], u_val, u_st, notes: list[str]) -> None:
    """Distinct number texts -> floats, with one decimal convention for the column."""
    fast = pd.to_numeric(pd.Series(np.array(strs, dtype=object), dtype=object), errors="coerce").to_numpy(dtype=float)
    dot_groups: list[int] = []  # "1.234": a thousands group if the column uses a decimal comma
    simple: list[int] = []  # "12,5" / "1,234": decimal comma unless the column says thousands
    cleaned: dict[int, str] = {}
    c_dec = c_thou = False
    simple_match, dot_match = _SIMPLE_COMMA.match, _DOT_GROUPS.match
    for j, t in enumerate(strs):
        f = fast[j]
        if f == f:  # read by pandas
            if math.isinf(f):
                continue
            u_val[idx[j]], u_st[idx[j]] = f, OK
            if "." in t and dot_match(t):
                dot_groups.append(j)
        elif simple_match(t):
            simple.append(j)
            c_dec = c_dec or len(t) - t.index(",") - 1 != 3 or t.lstrip("+-").startswith("0,")
        else:
            c = _clean_amount(t)
            if c is not None:
                cleaned[j] = c
                if "," in c:
                    c_dec = c_dec or bool(_COMMA_DECIMAL.search(c))
                    c_thou = c_thou or bool(_COMMA_THOUSANDS.search(c))
    comma_decimal: bool | None = None
    if c_dec and not c_thou:
        comma_decimal = True
        notes.append(Note("decimal_comma"))
    elif c_thou and not c_dec:
        comma_decimal = False
    for j in simple:
        t = strs[j]
        if comma_decimal is not True and _COMMA_GROUPS.match(t):
            g = float(t.replace(",", ""))
        else:
            g = float(t.replace(",", "."))
        u_val[idx[j]], u_st[idx[j]] = g, OK
    if comma_decimal is True:
        for j in dot_groups:
            u_val[idx[j]] = float(strs[j].replace(".", ""))
    for j, c in cleaned.items():
        g = _to_float(c, comma_decimal)
        if g is not None:
            u_val[idx[j]], u_st[idx[j]] = g, OK


# ---------------------------------------------------------------- flags


@dataclass
class FlagParse:
    values: np.ndarray  # bool: flagged returned / refunded / cancelled
    unknown: dict[str, int] = field(default_factory=dict)  # text -> rows, read as a sale
    counts: dict[str, tuple[bool, int]] = field(default_factory=dict)  # text -> (returned, rows)
    unpaid: np.ndarray | None = None  # bool: the status says the money never came
    kinds: dict[str, tuple[str, int]] = field(default_factory=dict)  # text -> (statuses kind, rows)


def status_kind(v, platform: str | None = None) -> str | None:
    """"sale" / "returned" / "unpaid" of a flag or status cell (read.statuses); None = not recognised.

    Booleans and numbers are yes/no flags: true / non-zero means returned.
    """
    if _is_missing(v):
        return "sale"
    if isinstance(v, (bool, np.bool_)):
        return "returned" if v else "sale"
    if isinstance(v, Real):
        return "returned" if float(v) != 0 else "sale"
    return _statuses.status_word(str(v), platform)


def flag_word(v) -> bool | None:
    """True = returned/cancelled, False = a sale or never paid, None = not recognised."""
    kind = status_kind(v)
    return None if kind is None else kind == "returned"


def parse_flags(series: pd.Series, platform: str | None = None) -> FlagParse:
    codes, uniq = factorize(series)
    kinds_u = [status_kind(v, platform) for v in uniq]
    ret_u = np.array([k == "returned" for k in kinds_u], dtype=bool)
    unp_u = np.array([k == "unpaid" for k in kinds_u], dtype=bool)
    vals = _take(ret_u, codes, False).astype(bool)
    unpaid = _take(unp_u, codes, False).astype(bool)
    counts_arr = np.bincount(codes[codes >= 0], minlength=len(uniq)) if len(uniq) else np.array([], int)
    unknown: dict[str, int] = {}
    counts: dict[str, tuple[bool, int]] = {}
    kinds: dict[str, tuple[str, int]] = {}
    for v, k, c in zip(uniq, kinds_u, counts_arr):
        t = cell_text(v).strip()
        if k is None:
            unknown[t] = unknown.get(t, 0) + int(c)
        elif t:
            prev = counts.get(t, (k == "returned", 0))
            counts[t] = (k == "returned", prev[1] + int(c))
            kinds[t] = (k, kinds.get(t, (k, 0))[1] + int(c))
    return FlagParse(vals, unknown, counts, unpaid, kinds)
