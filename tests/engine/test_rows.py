"""engine/rows.py: the orders frame as arrays — codes, days, time order, the customers' id texts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retention_xl.engine.rows import Rows


def frame(customers, dates, dtype="str") -> pd.DataFrame:
    n = len(customers)
    return pd.DataFrame({
        "row": np.arange(2, n + 2, dtype=np.int64),
        "customer_id": pd.Series(customers, dtype=dtype),
        "date": pd.Series(pd.to_datetime(dates)),
        "amount": np.full(n, 10.0),
        "order_id": pd.Series([f"o{i}" for i in range(n)], dtype="str"),
        "returned": np.zeros(n, dtype=bool),
        "unpaid": np.zeros(n, dtype=bool),
    })


@pytest.mark.parametrize("dtype", ["str", object])
def test_customer_texts_are_the_ids_of_the_codes_asked_for(dtype):
    rows = Rows(frame(["b", "a", "b", "c", "a"], ["2024-01-0%d" % d for d in range(1, 6)], dtype))
    assert rows.customer_ids.tolist() == ["b", "a", "c"]
    out = rows.customer_texts(np.array([2, 0, 0, 1]))
    assert out.tolist() == ["c", "b", "b", "a"] and str(out.dtype) == "str"


def test_days_drop_the_time_of_day_before_and_after_1970():
    rows = Rows(frame(["a", "b", "c"], ["1969-12-31 23:00", "2024-03-05 18:30", "1899-05-05 13:00"]))
    assert rows.day.astype("datetime64[D]").astype(str).tolist() == ["1969-12-31", "2024-03-05", "1899-05-05"]


def test_time_order_is_by_date_then_row_and_computed_once():
    rows = Rows(frame(["a", "b", "c", "d"], ["2024-01-02", "2024-01-01", "2024-01-02", "2024-01-01"]))
    assert rows.time_order.tolist() == [1, 3, 0, 2]
    assert rows.time_order is rows.time_order
