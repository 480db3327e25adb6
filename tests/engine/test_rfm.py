"""RFM scores and segments on a tiny order list worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retention_xl.errors import MetricError
from retention_xl.engine.rfm import SEGMENT_GRID, SEGMENTS, quintile_scores, rfm_table, segment_of, segment_summary
from retention_xl.engine import tables

ORDERS = [
    ("x", "2024-01-01", 10), ("x", "2024-03-01", 20),
    ("y", "2024-02-15", 5),
    ("z", "2024-03-10", 100), ("z", "2024-03-11", 50), ("z", "2024-03-12", 50),
    ("w", "2023-10-01", 30),
    ("v", "2024-03-12", 8),
]


@pytest.fixture
def table():
    ids, dates, amounts = zip(*ORDERS)
    return rfm_table(ids, dates, amounts, as_of=pd.Timestamp("2024-03-12")).set_index("customer_id")


def test_recency_frequency_monetary(table):
    assert table.loc[["v", "w", "x", "y", "z"], "recency_days"].tolist() == [0, 163, 11, 26, 0]
    assert table.loc[["v", "w", "x", "y", "z"], "frequency"].tolist() == [1, 1, 2, 1, 3]
    assert table.loc[["v", "w", "x", "y", "z"], "monetary"].tolist() == [8.0, 30.0, 30.0, 5.0, 200.0]


def test_scores_by_hand(table):
    # share of the other 4 customers beaten: 0 → 1, 1/4 → 2, 2/4 → 3, 3/4 → 4, 4/4 → 5; ties share
    scores = table.loc[["v", "w", "x", "y", "z"], ["r_score", "f_score", "m_score"]].to_numpy().tolist()
    assert scores == [[4, 1, 2], [1, 1, 3], [3, 4, 3], [2, 1, 1], [4, 5, 5]]


def test_segments_by_hand(table):
    assert table.loc[["v", "w", "x", "y", "z"], "segment"].tolist() == [
        "Promising", "Lost", "Loyal", "Hibernating", "Loyal"]


def test_segment_summary(table):
    s = segment_summary(table.reset_index()).set_index("segment")
    assert list(s.index) == list(SEGMENTS)
    loyal = s.loc["Loyal"]
    assert (loyal.customers, loyal.share, loyal.revenue) == (2, 0.4, 230.0)
    assert loyal.revenue_share == pytest.approx(230 / 273)
    assert (loyal.avg_recency_days, loyal.avg_frequency, loyal.avg_monetary) == (5.5, 2.5, 115.0)
    assert s.loc["Champions", "customers"] == 0 and np.isnan(s.loc["Champions", "avg_monetary"])
    # the declared columns, no more: what to do about a segment is worded by the report's labels
    assert ["segment", *s.columns] == [c.name for c in tables.SEGMENTS if not c.optional]


def test_default_as_of_is_the_latest_date():
    t = rfm_table(["a", "b"], ["2024-01-01", "2024-01-11"], [1, 2])
    assert t["recency_days"].tolist() == [10, 0]


def test_orders_after_the_as_of_date_are_left_out():
    # RFM "as of" a date sees the orders up to that day, like the report's tables
    # and CLV_PREDICT; a later order would give a negative recency
    ids, dates, amounts = zip(*ORDERS)
    t = rfm_table(ids, dates, amounts, as_of=pd.Timestamp("2024-03-01")).set_index("customer_id")
    assert t.index.tolist() == ["w", "x", "y"]  # v and z only ordered after 1 March
    assert t["recency_days"].tolist() == [152, 0, 15]
    assert t["frequency"].tolist() == [1, 2, 1] and t["monetary"].tolist() == [30.0, 30.0, 5.0]


def test_an_as_of_date_before_every_order_is_refused():
    with pytest.raises(MetricError, match=r"RFM: no order on or before the as-of date 2023-12-31 \(the first is 2024-01-01\)"):
        rfm_table(["a", "b"], ["2024-01-01", "2024-01-11"], [1, 2], as_of=pd.Timestamp("2023-12-31"))


def test_quintile_scores_ties_and_few_customers():
    assert quintile_scores(range(10)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert quintile_scores([1, 1, 1, 2, 3]).tolist() == [1, 1, 1, 4, 5]  # one-timers all get 1
    assert quintile_scores([7]).tolist() == [3]  # nobody to compare with
    assert quintile_scores([4, 4, 4]).tolist() == [3, 3, 3]
    assert quintile_scores([5, 9]).tolist() == [1, 5]
    assert quintile_scores([10, 0], higher_is_better=False).tolist() == [1, 5]


def test_grid_covers_every_score_pair():
    r, f = np.meshgrid(np.arange(1, 6), np.arange(1, 6))
    names = set(segment_of(r.ravel(), f.ravel()))
    assert names == set(SEGMENTS)
    assert SEGMENT_GRID[4][0] == "New" and SEGMENT_GRID[0][4] == "Can't lose them"


def test_blank_rows_are_ignored_and_float_ids_merge():
    t = rfm_table([13607.0, "13607", None], ["2024-01-01", "2024-01-02", "2024-01-03"], [1, 2, 3])
    assert t["customer_id"].tolist() == ["13607"] and t["frequency"].tolist() == [2]


def test_mismatched_ranges():
    with pytest.raises(MetricError, match="same number of rows"):
        rfm_table(["a"], ["2024-01-01", "2024-01-02"], [1])
