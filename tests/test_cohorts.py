"""cohort_retention on a tiny order list worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retention_xl.cohorts import cohort_retention
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
