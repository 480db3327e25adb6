"""cohort_retention on a tiny order list worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retention_xl.engine.cohorts import cohort_retention
from retention_xl.errors import MetricError

IDS = ["a", "b", "a", "c", "c", "d", "c", "a"]
DATES = ["2024-01-05", "2024-01-20", "2024-02-10", "2024-02-03", "2024-02-20", "2024-03-01", "2024-03-15",
         "2024-04-01"]


def test_monthly_matrix_by_hand():
    m = cohort_retention(IDS, DATES)
    assert list(m.index) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01")]
    assert m.index.name == "cohort"
    assert list(m.columns) == ["customers", 0, 1, 2, 3]
    assert m["customers"].tolist() == [2, 1, 1]  # {a, b}, {c}, {d}
    expected = np.array([
        [1.0, 0.5, 0.0, 0.5],  # a back in Feb and Apr, b never
        [1.0, 1.0, 0.0, np.nan],  # c twice in Feb counts once; Mar yes; Apr no; May not observed
        [1.0, 0.0, np.nan, np.nan],
    ])
    np.testing.assert_array_equal(m[[0, 1, 2, 3]].to_numpy(), expected)


def test_quarterly_and_weekly():
    q = cohort_retention(IDS, DATES, period="Q")
    assert list(q.index) == [pd.Timestamp("2024-01-01")]
    assert q.loc[pd.Timestamp("2024-01-01")].tolist() == [4, 1.0, 0.25]  # only a ordered in Q2
    w = cohort_retention(["x", "x", "y"], ["2024-01-07", "2024-01-08", "2024-01-08"], period="w")
    # Sunday 2024-01-07 is in the week starting Monday 2024-01-01; Monday the 8th starts the next
    assert list(w.index) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08")]
    assert w["customers"].tolist() == [1, 1]
    np.testing.assert_array_equal(w[[0, 1]].to_numpy(), [[1.0, 1.0], [1.0, np.nan]])


def test_float_and_text_ids_are_one_customer_and_blanks_are_ignored():
    m = cohort_retention([13607.0, "13607", None, ""], ["2024-01-01", "2024-02-01", "2024-01-01", "2024-01-01"])
    assert m["customers"].tolist() == [1]
    assert m.loc[pd.Timestamp("2024-01-01"), 1] == 1.0


def test_datetime_input_with_times():
    dates = pd.to_datetime(["2024-01-31 23:59", "2024-02-01 00:01"])
    m = cohort_retention(pd.Series(["a", "a"]), pd.Series(dates))
    assert m.loc[pd.Timestamp("2024-01-01")].tolist() == [1, 1.0, 1.0]


@pytest.mark.parametrize(
    "ids, dates, period, message",
    [
        (["a"], ["2024-01-01"], "Y", "period must be"),
        (["a", "b"], ["2024-01-01"], "M", "same number of rows"),
        ([None], ["2024-01-01"], "M", "no row has both"),
        (["a"], ["not a date"], "M", "cannot be read as dates"),
    ],
)
def test_wrong_input_says_what_is_wrong(ids, dates, period, message):
    with pytest.raises(MetricError, match=message):
        cohort_retention(ids, dates, period)


def test_numpy_inputs_as_excel_gives_them():
    """excel_input hands over float ids and datetime64[D] days; Excel serial numbers also work."""
    ids = np.array([1.0, 1.0, 2.0])
    days = np.array(["2024-01-05", "2024-02-05", "2024-02-06"], dtype="datetime64[D]")
    m = cohort_retention(ids, days)
    assert m["customers"].tolist() == [1, 1] and m.loc[pd.Timestamp("2024-01-01"), 1] == 1.0
    serials = np.array([45296.0, 45327.0, 45328.0])  # the same three days as Excel serial numbers
    pd.testing.assert_frame_equal(cohort_retention(ids, serials), m)


def test_a_far_away_date_costs_memory_for_its_cohorts_only():
    """One mistyped year (2200 for 2024) must not build a periods x periods matrix (~700 MB weekly)."""
    import tracemalloc

    tracemalloc.start()
    try:
        m = cohort_retention(["a", "b", "c"], ["2024-01-05", "2024-04-14", "2200-01-01"], period="W")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert m["customers"].tolist() == [1, 1, 1] and m.shape == (3, 1 + 9184)
    assert m.iloc[0, 1] == 1.0 and np.isnan(m.iloc[2, 2])
    assert peak < 50 * 2**20


def test_a_table_wider_than_excel_is_refused_with_the_date_span():
    with pytest.raises(MetricError) as info:
        cohort_retention(["a", "b"], np.array(["1900-01-01", "2262-01-01"], dtype="datetime64[D]"), period="W")
    assert str(info.value) == (
        "COHORT_RETENTION: the dates run from 1900-01-01 to 2262-01-01, 18,889 weeks: more columns than "
        'Excel has; check for a mistyped date, or use "M" or "Q"'
    )
