"""Customer and order ids: one normalisation for the reader, the engine and the cell functions.

The rule (SPEC, "Input"): an id is its text with surrounding whitespace trimmed; a
whole number written with a decimal point is that number (13607.0, "13607.0" and
" 13607" are one customer, shown "13607"); an id that is an e-mail address (it
holds "@") is compared case-insensitively ("Anna.K@Example.com" is
"anna.k@example.com") and shown as first seen. :func:`id_text` is the text of one
value, :func:`id_key` what two ids are compared by, :func:`same_case_ids` maps the
distinct texts of a column to their first-seen spelling, :func:`normalize_ids`
does all of it for a column.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

#: A whole number written with a decimal point, "13607.0" (pandas' CSVs, float exports):
#: the same id as "13607" here and in the Excel functions (id_text below).
FLOAT_ID = re.compile(r"^([+-]?\d+)\.0+$")


def id_text(value: object) -> str:
    """A customer id as text: 13607.0, "13607.0" and "13607 " all become "13607".

    The same normalisation as the order reader's (read.cells.parse_ids): whole
    numbers lose their ".0" whether they arrive as numbers (float, numpy,
    Decimal from currency cells) or as text; other text is only stripped.
    """
    if isinstance(value, str):
        t = value.strip()
        m = FLOAT_ID.match(t) if "." in t else None
        return m.group(1) if m else t
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    return str(value).strip()

def factorize(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for missing) and distinct values (object array) of a column."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "python":
        # the str array's own object values hash faster than the array does (no NA conversion)
        codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
        return codes, np.asarray(uniques, dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def id_key(text: str) -> str:
    """What an id text is compared by: e-mail addresses case-insensitively, other ids exactly."""
    return text.lower() if "@" in text else text


def same_case_ids(texts: np.ndarray) -> np.ndarray | None:
    """Distinct id texts (object array, None allowed) -> each e-mail as its first-seen spelling.

    ``texts`` are in order of first appearance (as pd.factorize gives them). None when
    no two e-mails differ only by case (nothing to merge), so the common case (no
    e-mails, or e-mails all in lower case) costs a join and a comparison.
    """
    lst = texts.tolist()
    try:
        joined = "\x00".join(lst)
    except TypeError:  # None among them
        joined = "\x00".join(t for t in lst if t is not None)
    if "@" not in joined or joined == joined.lower():
        return None  # no e-mail, or nothing but lower case: no two can differ only by case
    mail = [i for i, t in enumerate(lst) if t is not None and "@" in t]
    mails = [lst[i] for i in mail]
    joined = "\x00".join(mails)
    if joined == joined.lower():
        return None
    keys = joined.lower().split("\x00")  # id_key of each, in one pass
    if len(keys) != len(mails):  # an id that holds a NUL itself
        keys = [m.lower() for m in mails]
    codes, uniq = pd.factorize(np.array(keys, dtype=object))
    if len(uniq) == len(mails):
        return None
    first = np.full(len(uniq), -1, dtype=np.int64)
    order = np.arange(len(codes))[::-1]
    first[codes[order]] = order  # the last write wins: the earliest position of each key
    out = np.array(texts, dtype=object, copy=True)
    idx = np.array(mail, dtype=np.int64)
    out[idx] = texts[idx[first[codes]]]
    return out


def normalize_ids(values: object) -> np.ndarray:
    """Any 1-D ids (numbers, text, blanks) -> object array of id texts, None where there is no id.

    Text is trimmed, whole floats lose their ".0", e-mails that differ only by case
    become the first-seen spelling; blank text, None, NaN and TRUE/FALSE are no id.
    """
    arr = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else np.asarray(values, dtype=object).ravel()
    codes, uniq = pd.factorize(arr, use_na_sentinel=True)
    texts = np.empty(len(uniq), dtype=object)
    texts[:] = [_one_id(v) for v in uniq.tolist()]
    merged = same_case_ids(texts)
    if merged is not None:
        texts = merged
    out = np.empty(len(arr), dtype=object)
    if len(texts):
        out[:] = texts[np.maximum(codes, 0)]
    out[codes < 0] = None
    return out


def _one_id(value: object) -> str | None:
    if value is None or isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    t = id_text(value)
    return t or None

