"""The fast paths of the KPI stage (issue 11) give exactly what the slow numpy calls gave."""

from __future__ import annotations

import numpy as np
import pytest

from retention_xl.engine import sorting, splits
from retention_xl.engine.clv._common import _compress
from retention_xl.engine.rfm import quintile_scores


def _lexsort_compress(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The former _compress: one lexsort, changes between neighbours."""
    n = len(columns[0])
    order = np.lexsort(columns[::-1])
    cols = [c[order] for c in columns]
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for c in cols:
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    inv = np.empty(n, dtype=np.int64)
    inv[order] = np.cumsum(change) - 1
    return [c[starts] for c in cols], np.diff(np.r_[starts, n]).astype(float), inv


@pytest.mark.parametrize("seed", range(20))
def test_stable_argsort_is_numpys_stable_argsort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, int(rng.integers(1, 10**6)), int(rng.integers(1, 5000)))
    assert np.array_equal(sorting.stable_argsort(keys), np.argsort(keys, kind="stable"))


def test_stable_argsort_keeps_ties_in_order_and_falls_back() -> None:
    assert sorting.stable_argsort(np.array([2, 1, 2, 1, 0])).tolist() == [4, 1, 3, 0, 2]
    huge = np.array([2**61, 5, 2**61, 0])  # key * n would overflow: numpy's own stable sort
    assert sorting.stable_argsort(huge).tolist() == [3, 1, 0, 2]
    negative = np.array([3, -1, 3, -7])
    assert sorting.stable_argsort(negative).tolist() == [3, 1, 0, 2]
    assert sorting.stable_argsort(np.zeros(0, dtype=np.int64)).size == 0


@pytest.mark.parametrize("seed", range(20))
def test_sorted_pairs_is_lexsort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    major, minor = rng.integers(-5, 400, n), rng.integers(-100, 100, n)
    idx = np.lexsort((minor, major))
    a, b = sorting.sorted_pairs(major, minor)
    assert np.array_equal(a, major[idx]) and np.array_equal(b, minor[idx])


def test_sorted_pairs_wide_range_and_empty() -> None:
    a, b = sorting.sorted_pairs(np.array([2**40, 0, 2**40]), np.array([2**30, 7, -2**30]))
    assert a.tolist() == [0, 2**40, 2**40] and b.tolist() == [7, -2**30, 2**30]
    a, b = sorting.sorted_pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    assert a.size == b.size == 0


@pytest.mark.parametrize("span", [1, 31, 400, 3000])
def test_month_numbers_table_is_datetime64(span: int) -> None:
    days = np.random.default_rng(span).integers(18_000, 18_000 + span, 5000)
    expected = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    assert np.array_equal(sorting.month_numbers(days), expected)
    # month edges: 2020-01-31 -> 600, 2020-02-01 -> 601, 1969-12-31 -> -1
    edges = np.array([18292, 18293, -1] * 30)
    assert sorting.month_numbers(edges)[:3].tolist() == [600, 601, -1]


@pytest.mark.parametrize("seed", range(10))
def test_compress_matches_lexsort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 2000))
    cols = [np.round(rng.random(n) * 30, 1) for _ in range(int(rng.integers(1, 4)))]
    want = _lexsort_compress(*cols)
    got = _compress(*cols, inverse=True)
    assert all(np.array_equal(w, g) for w, g in zip(want[0], got[0]))
    assert np.array_equal(want[1], got[1]) and np.array_equal(want[2], got[2])


def test_compress_keeps_nan_rows_apart() -> None:
    (x,), w, inv = _compress(np.array([1.0, np.nan, 1.0, np.nan]), inverse=True)
    assert w.tolist() == [2.0, 1.0, 1.0] and inv.tolist() == [0, 1, 0, 2]


def _searchsorted_quintiles(v: np.ndarray) -> np.ndarray:
    beaten = np.searchsorted(np.sort(v), v, side="left")
    return np.minimum(1 + np.floor(5.0 * beaten / (v.size - 1)).astype(np.int64), 5)


@pytest.mark.parametrize("values", [
    np.array([0, 0, 0, 1, 1, 2, 5, 9, 9, 30], dtype=float),  # whole numbers: counted
    np.array([3.5, 1.25, 1.25, 8.0, 0.1, 2.0]),  # money: np.unique
    np.array([10**9, 0, 5, 5], dtype=float),  # whole numbers in a wide range: np.unique
    np.array([2, np.nan, 1, 1, np.nan, 7], dtype=float),  # NaN ranks above every number
])
def test_quintile_scores_equal_sort_and_searchsorted(values: np.ndarray) -> None:
    assert np.array_equal(quintile_scores(values), _searchsorted_quintiles(values))
    assert np.array_equal(quintile_scores(values, higher_is_better=False), _searchsorted_quintiles(-values))


def _facts(n: int) -> splits.CustomerFacts:
    ones = np.ones(n, dtype=bool)
    return splits.CustomerFacts(acquired=ones, period_orders=np.ones(n, dtype=np.int64),
                                period_revenue=np.ones(n), active_start=ones, active_end=ones,
                                retention_3m_eligible=ones, retention_3m=ones)


def test_split_groups_stripped_text_in_order_of_appearance() -> None:
    group_of = np.array([" web", "shop", None, "web ", "  ", "shop", "web"], dtype=object)
    table = splits.split("channel", group_of, _facts(7)).table
    assert table["group"].tolist() == ["web", "shop", ""]  # largest first; "" = none given (3 blank/None)
    assert table["customers_acquired"].tolist() == [3, 2, 2]


def test_split_numbers_that_hash_alike_stay_apart_by_their_text() -> None:
    table = splits.split("channel", np.array([3, 3.0, 3, "x"], dtype=object), _facts(4)).table
    assert dict(zip(table["group"], table["customers_acquired"])) == {"3": 2, "3.0": 1, "x": 1}


def test_split_top_products_ties_go_to_the_first_seen() -> None:
    group_of = np.array(["c", "b", "a", "b", "c", "a", "d"], dtype=object)  # a, b, c tie at 2
    table = splits.split("first_product", group_of, _facts(7), top=2).table
    assert table["group"].tolist() == ["c", "b", splits.OTHER]
    assert table["customers_acquired"].tolist() == [2, 2, 3]
