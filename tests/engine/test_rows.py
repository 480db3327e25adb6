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


def test_filled_text_is_each_customers_first_or_latest_filled_cell():
    """The one rule behind the customers table's contact columns and where_to_act's split keys:
    the earliest (latest) row, by date then row number, whose cell is not blank."""
    from retention_xl.engine.where_to_act import _first_value

    f = frame(["a", "a", "b", "b", "c", "d", "a"],
              ["2024-01-02", "2024-01-01", "2024-01-01", "2024-01-03", "2024-01-01", "2024-01-05", "2024-01-03"])
    f["channel"] = pd.Series(["Shop", "  ", None, " App", "", "Site", ""], dtype=object)
    rows = Rows(f)  # codes: a 0, b 1, c 2, d 3
    # a: its first row (01-01) is only spaces, so the 01-02 row; b: first is missing, then " App"; c: none
    assert rows.filled_text("channel").at.tolist() == [0, 3, -1, 5]
    # latest: a's 01-03 row is empty, so again the 01-02 row; b's latest is " App"
    assert rows.filled_text("channel", latest=True).at.tolist() == [0, 3, -1, 5]
    f.loc[1, "channel"] = "Web"
    rows = Rows(f)
    assert rows.filled_text("channel").at.tolist() == [1, 3, -1, 5]
    assert rows.filled_text("channel", latest=True).at.tolist() == [0, 3, -1, 5]
    assert rows.filled_text("channel") is rows.filled_text("channel")  # once per column and direction
    assert _first_value(rows, "channel").tolist() == ["Web", "App", None, "Site"]
    assert list(rows.chosen_texts("channel", np.array([3, 1, 2]))) == ["Site", "App", np.nan]
    f["channel"] = pd.Series(["", " ", None, "", "", None, None], dtype=object)
    assert _first_value(Rows(f), "channel") is None
    assert _first_value(Rows(f.drop(columns="channel")), "channel") is None


def test_filled_text_strips_only_the_chosen_texts():
    """A personal column arrives as written: the latest text that is not blank (nor spaces only) is
    chosen, and only the chosen texts with spaces around them come back stripped."""
    f = frame(["a", "a", "b", "b", "c", "d"],
              ["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-03", "2024-01-01", "2024-01-05"])
    f["customer_name"] = pd.Series([" Ann ", "\u3000 ", "Bob", "Bob Lee", None, "\tDee"], dtype="str")
    chosen = Rows(f).filled_text("customer_name", latest=True)  # codes: a 0, b 1, c 2, d 3
    assert chosen.at.tolist() == [0, 3, -1, 5]  # a: its latest is spaces only, so the earlier " Ann "
    assert chosen.stripped_codes.tolist() == [0, 3] and chosen.stripped == ["Ann", "Dee"]
