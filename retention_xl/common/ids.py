"""Customer and order ids: one normalisation for the reader, the engine and the cell functions."""

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
