"""Issue 13: the previous period by the same engine — missing, partial and complete history."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from retention_xl.engine import confidence as cf
from retention_xl.engine.kpi import build_kpis
from retention_xl.engine.report import BETTER, NOISE, UNTESTED, WORSE
from retention_xl.settings import ReportSettings


def frame_of(lines: list[tuple]) -> pd.DataFrame:
    """Orders frame from (customer, date, amount[, order_id[, returned]]) tuples."""
    rows = []
    for i, line in enumerate(lines):
        cust, day, amount = line[:3]
        order_id = line[3] if len(line) > 3 and line[3] is not None else f"row {i + 2}"
        returned = bool(line[4]) if len(line) > 4 else False
        rows.append((i + 2, cust, pd.Timestamp(day), float(amount), order_id, returned))
    frame = pd.DataFrame(rows, columns=["row", "customer_id", "date", "amount", "order_id", "returned"])
    frame["unpaid"] = False  # issue 10: the money of every row came
    frame["row"] = frame["row"].astype(np.int64)
    frame["customer_id"] = frame["customer_id"].astype("str")
    frame["order_id"] = frame["order_id"].astype("str")
    frame["date"] = frame["date"].astype("datetime64[ns]")
    return frame


def build(frame: pd.DataFrame, **settings):
    return build_kpis(frame, ReportSettings(**settings), rows_read=len(frame), rows_skipped=0)


# Period (2023-01-01, 2024-01-01], P = 365; previous (2022-01-01, 2023-01-01]. Window 365.
# Previous: orders A 03-01, A 04-01, B 02-01, C 07-01 (4), C1 returned; customers A B C, A repeats;
# revenue 50+60+40+80 = 230; S at 2022-01-01 = {A}, E at 2023-01-01 = {A, B, C}, N = {B, C}: CRR 1.
# Current: A 05-01, D twice: 3 orders, customers A D, D repeats; revenue 130; S = {A, B, C},
# E = {A, D}, N = {D}: CRR 1/3.
HISTORY = [
    ("A", "2021-06-01", 100),
    ("A", "2022-03-01", 50),
    ("A", "2022-04-01", 60),
    ("B", "2022-02-01", 40),
    ("C", "2022-06-01", 30, "C1", True),
    ("C", "2022-07-01", 80),
    ("A", "2023-05-01", 70),
    ("D", "2023-03-01", 25),
    ("D", "2023-03-05", 35),
]
PERIOD = dict(period_start=date(2023, 1, 1), period_end=date(2024, 1, 1))


def test_complete_previous_period_by_hand():
    report = build(frame_of(HISTORY), **PERIOD)
    prev = report.previous
    assert (prev.start, prev.end, prev.days, prev.covered_days) == (date(2022, 1, 1), date(2023, 1, 1), 365, 365)
    p = prev.report
    assert (p.customers, p.orders, p.returned_orders, p.revenue) == (3, 4, 1, 230.0)
    assert p.repeat_purchase_rate == pytest.approx(1 / 3)
    assert p.aov == pytest.approx(57.5) and p.return_rate == pytest.approx(0.2)
    assert (p.retention.start, p.retention.end, p.retention.new, p.retention.value) == (1, 3, 2, 1.0)
    assert (report.retention.start, report.retention.end, report.retention.new) == (3, 2, 1)
    c = prev.changes
    assert c["crr"].change == pytest.approx(1 / 3 - 1)
    assert c["crr"].test == cf.two_proportion_test(1, 3, 1, 1)
    assert c["churn_rate"].test.difference == pytest.approx(2 / 3)
    assert c["customers"].relative == pytest.approx(-1 / 3) and c["customers"].verdict == UNTESTED
    assert c["revenue"].change == pytest.approx(-100.0) and c["revenue"].relative == pytest.approx(-100 / 230)
    assert c["repeat_purchase_rate"].test == cf.two_proportion_test(1, 2, 1, 3)
    assert c["return_rate"].test == cf.two_proportion_test(0, 3, 1, 5)
    # nothing here is significant on a handful of customers
    assert {c[k].verdict for k in ("crr", "churn_rate", "repeat_purchase_rate", "return_rate")} == {NOISE}


def test_previous_period_is_the_same_engine_on_the_shifted_period():
    frame = frame_of(HISTORY)
    direct = build(frame, period_start=date(2022, 1, 1), period_end=date(2023, 1, 1))
    prev = build(frame, **PERIOD).previous.report
    for key in ("customers", "orders", "revenue", "repeat_purchase_rate", "aov", "return_rate",
                "purchase_frequency", "returned_orders"):
        assert getattr(prev, key) == getattr(direct, key), key
    assert prev.retention == direct.retention
    assert prev.confidence == direct.confidence
    assert len(prev.customers_table) == 0 and prev.predicted_clv is None  # headline figures only
    # nothing shows or compares the previous period's tables: they are empty, with the declared columns
    assert len(direct.monthly) > 0 and len(direct.cohorts) > 0
    assert len(prev.monthly) == 0 and list(prev.monthly.columns) == [
        c for c in direct.monthly.columns if isinstance(c, str) and c in prev.monthly.columns]
    assert len(prev.cohorts) == 0 and prev.cohorts.index.dtype.kind == direct.cohorts.index.dtype.kind == "M"


def test_missing_previous_period_says_not_enough_history():
    # 200 days of data: the default period starts the day before the first order -> nothing before it
    frame = frame_of([("A", "2024-01-10", 10), ("B", "2024-03-01", 20), ("A", "2024-07-28", 30)])
    report = build(frame)
    prev = report.previous
    assert prev.report is None and prev.reason.code == "kpi.not_enough_history"
    assert prev.covered_days == 0 and prev.days == report.period_days
    out = json.loads(json.dumps(report.to_json(), allow_nan=False))
    assert out["previous"] is None
    assert "Not enough history" in out["notes"]["previous"]


@pytest.mark.parametrize("first_day,covered,available", [
    ("2022-01-20", 347, True),   # 20 Jan 2022 .. 1 Jan 2023: 347 of 365 days (95 %): computed
    ("2022-02-07", 329, True),   # 329 ≥ 0.9 × 365 = 328.5: still enough
    ("2022-02-08", 328, False),  # 328 < 328.5: not enough history
])
def test_partial_previous_period(first_day, covered, available):
    lines = [("Z", first_day, 15)] + [line for line in HISTORY if line[1] >= "2022-03-01"]
    report = build(frame_of(lines), **PERIOD)
    prev = report.previous
    assert prev.covered_days == covered
    assert prev.available is available
    out = report.to_json()
    if available:
        assert out["previous"]["covered_days"] == covered
        assert out["previous"]["period"] == {"start": "2022-01-01", "end": "2023-01-01", "days": 365}
    else:
        assert out["previous"] is None and prev.reason.fields["covered"] == covered


def test_significant_changes_are_better_or_worse():
    # previous: 200 customers, one order each, 2 returns; current: 200 customers, 120 order twice,
    # 30 returns. Repeat 0 -> 0.6 is better, return rate 1 % -> ~9 % worse, both far beyond noise.
    lines = []
    for i in range(200):
        lines.append((f"p{i}", pd.Timestamp("2022-03-01") + pd.Timedelta(days=i), 40 + i % 7))
    for i in range(2):
        lines.append((f"p{i}", "2022-12-01", 10, f"pr{i}", True))
    for i in range(200):
        day = pd.Timestamp("2023-02-01") + pd.Timedelta(days=i)
        lines.append((f"c{i}", day, 50 + i % 5))
        if i < 120:
            lines.append((f"c{i}", day + pd.Timedelta(days=30), 55))
    for i in range(30):
        lines.append((f"c{i}", "2023-12-01", 10, f"cr{i}", True))
    lines.append(("early", "2021-06-01", 5))
    report = build(frame_of(lines), **PERIOD)
    c = report.previous.changes
    assert c["repeat_purchase_rate"].verdict == BETTER
    assert c["repeat_purchase_rate"].change == pytest.approx(0.6)
    assert c["return_rate"].verdict == WORSE
    assert c["return_rate"].test.p_value < 0.001
    assert c["aov"].test is not None and c["aov"].test.method == cf.WELCH_T
    j = report.to_json()["previous"]["changes"]["repeat_purchase_rate"]
    assert j["verdict"] == "better" and j["test"]["significant"] is True


def test_intervals_in_the_json():
    report = build(frame_of(HISTORY), **PERIOD)
    iv = report.to_json()["intervals"]
    assert iv["crr"]["method"] == "wilson" and iv["crr"]["n"] == 3
    w = cf.wilson(1, 3)
    assert (iv["crr"]["low"], iv["crr"]["high"]) == (pytest.approx(w.low), pytest.approx(w.high))
    assert iv["churn_rate"]["high"] == pytest.approx(1 - w.low)
    # AOV 130 / 3 around its headline value, spread of the order values 70, 25, 35
    s = cf.sample_stats([70.0, 25.0, 35.0])
    assert iv["aov"]["value"] == pytest.approx(130 / 3)
    assert iv["aov"]["high"] - iv["aov"]["value"] == pytest.approx(4.302652729911275 * s.sd / np.sqrt(3))


def test_nps_change_uses_the_nps_difference_test():
    lines, scores = [], []
    for i in range(60):  # previous: 20 promoters, 30 detractors of 60 -> NPS −16.7
        lines.append((f"p{i}", pd.Timestamp("2022-05-01") + pd.Timedelta(days=i), 30))
        scores.append(10 if i < 20 else (3 if i < 50 else 8))
    for i in range(80):  # current: 50 promoters, 10 detractors of 80 -> NPS 50
        lines.append((f"c{i}", pd.Timestamp("2023-05-01") + pd.Timedelta(days=i), 30))
        scores.append(9 if i < 50 else (5 if i < 60 else 7))
    lines.append(("early", "2021-06-01", 5))
    scores.append(float("nan"))
    frame = frame_of(lines)
    frame["score"] = np.array(scores, dtype=float)
    report = build_kpis(frame, ReportSettings(**PERIOD), rows_read=len(frame), rows_skipped=0,
                        score_header="NPS")
    ch = report.previous.changes["nps"]
    assert ch.test == cf.nps_difference(cf.NpsCounts(50, 10, 80), cf.NpsCounts(20, 30, 60))
    assert ch.change == pytest.approx(50 - (20 - 30) / 60 * 100)
    assert ch.verdict == BETTER
    assert report.confidence.nps == cf.nps_interval(50, 10, 80)


# Issue 11: the previous period's retention base follows the same thin-base rule as the current one.
# HISTORY starts on 2021-06-01: the current measurement from 2023-01-01 holds 580 days of history (not
# thin), the previous one from 2022-01-01 only 215, fewer than its 365-day window. One more customer E
# ordering once moves the data's start: on 2021-01-03 (364 days up to 2022-01-01: still thin) or
# 2021-01-02 (365: enough) E is active at 2022-01-01 and joins S (S = {A, E}, CRR (3 − 2) / 2);
# on 2020-06-01 E is long gone (S = {A}, CRR 1).
@pytest.mark.parametrize("first_day, history, start, crr", [(None, 215, 1, 1.0), ("2021-01-03", 364, 2, 0.5),
                                                            ("2021-01-02", None, 2, 0.5),
                                                            ("2020-06-01", None, 1, 1.0)])
def test_previous_retention_warns_of_a_thin_base_like_the_current_one(first_day, history, start, crr):
    lines = HISTORY + ([("E", first_day, 10)] if first_day else [])
    report = build(frame_of(lines), **PERIOD)
    assert report.retention.thin_base_days is None and "crr_thin_base" not in report.notes
    prev = report.previous.report
    r = prev.retention
    assert (r.start, r.end, r.new, r.value, r.window_days) == (start, 3, 2, crr, 365)
    assert r.measured_from == date(2022, 1, 1)
    assert r.thin_base_days == history
    if history is None:
        assert "crr_thin_base" not in prev.notes and r.yearly
    else:
        assert prev.notes["crr_thin_base"].code == "kpi.thin_base" and not r.yearly
        assert prev.notes["crr_thin_base"] == (f"The retention base rests on {history} days of history before "
                                               f"2022-01-01, fewer than the 365-day window.")
        assert report.to_json()["previous"]["notes"]["crr_thin_base"] == prev.notes["crr_thin_base"]
