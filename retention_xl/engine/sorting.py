"""Fast exact replacements for the slow numpy calls of the KPI stage (issue 11).

On a million order rows ``np.lexsort`` of two int columns and a stable ``argsort`` of
int64 keys cost 0.1-0.3 s each, and turning day numbers into months through
datetime64 costs 0.03 s; numpy's plain ``np.sort`` of int64 (a SIMD sort) takes 0.02 s.
These helpers give the same answers through that sort, or through a table.
"""

from __future__ import annotations

import numpy as np


def stable_argsort(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` of non-negative int64 keys, via one plain sort.

    Each key is made unique by its position (key * n + i), so an unstable sort gives the
    stable order; when key * n could overflow int64 the stable argsort itself is used.
    """
    k = np.asarray(keys, dtype=np.int64)
    n = k.size
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    lo, hi = int(k.min()), int(k.max())
    if lo < 0 or (hi + 1) * n >= 2**62:
        return np.argsort(k, kind="stable")
    return (np.sort(k * n + np.arange(n, dtype=np.int64)) % n).astype(np.intp)


def sorted_pairs(major: np.ndarray, minor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(major, minor) int pairs sorted by major, then minor: np.lexsort((minor, major)) applied to both."""
    a = np.asarray(major, dtype=np.int64)
    b = np.asarray(minor, dtype=np.int64)
    if a.size == 0:
        return a.copy(), b.copy()
    b0 = int(b.min())
    span = int(b.max()) - b0 + 1
    a0 = int(a.min())
    if (int(a.max()) - a0 + 1) * span >= 2**62:
        idx = np.lexsort((b, a))
        return a[idx], b[idx]
    key = np.sort((a - a0) * span + (b - b0))
    hi, low = np.divmod(key, span)
    return hi + a0, low + b0


def month_numbers(day: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers (days since 1970-01-01), through a table of the days' span."""
    d = np.asarray(day, dtype=np.int64)
    lo, hi = (int(d.min()), int(d.max())) if d.size else (0, 0)
    if d.size < 64 or hi - lo >= d.size:  # the table would not be smaller than the input
        return d.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    table = np.arange(lo, hi + 1, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return table[d - lo]
