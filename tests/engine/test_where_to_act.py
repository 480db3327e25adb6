"""Issue 14: revenue cohorts and payback, time to the second order, splits — on a hand-worked shop.

Every expected figure below is worked out by hand in the comments from the eight rows
of SHOP; none is copied from the program's output.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from retention_xl.engine import revenue_cohorts as rc
from retention_xl.engine import second_order as so
from retention_xl.engine.kpi import build_kpis
from retention_xl.settings import ReportSettings

# customer, date, amount, order, channel, product
SHOP = [
    ("A", "2024-01-05", 100.0, "1", "Web", "Tea"),
    ("A", "2024-01-20", 50.0, "2", "Web", "Cups"),
    ("A", "2024-02-02", -20.0, "R1", "Web", "Tea"),  # a refund: subtracts, is no order
    ("A", "2024-03-10", 30.0, "3", "Web", "Tea"),
    ("B", "2024-01-15", 200.0, "4", "Shop", "Coffee"),
    ("C", "2024-02-10", 80.0, "5", "Web", "Coffee"),
    ("C", "2024-02-25", 40.0, "6", "Web", "Tea"),
    ("D", "2024-03-30", 60.0, "7", "Shop", "Tea"),
]


def shop_frame(rows=SHOP) -> pd.DataFrame:
    return pd.DataFrame({
        "row": np.arange(2, 2 + len(rows), dtype=np.int64),
        "customer_id": [r[0] for r in rows],
        "date": pd.to_datetime([r[1] for r in rows]),
        "amount": [r[2] for r in rows],
        "order_id": [r[3] for r in rows],
        "returned": False,
        "unpaid": False,
        "channel": [r[4] for r in rows],
        "product": [r[5] for r in rows],
    })


def report(spend=None, **settings):
    frame = shop_frame()
    s = ReportSettings(period_end=date(2024, 3, 31), **settings)
    return build_kpis(frame, s, rows_read=len(frame), rows_skipped=0, spend=spend)


def test_revenue_cohorts_cumulative_per_customer():
    w = report().where_to_act
    t = w.revenue_cohorts.table
    # Jan cohort = A, B: month 0 = 100 + 50 + 200 = 350 -> 175 each; month 1 adds A's refund -20 -> 165;
    # month 2 adds 30 -> 180. Feb cohort = C: 120, then nothing in March -> 120. Mar cohort = D: 60.
    assert t.loc["2024-01-01", "customers"] == 2
    assert t.loc["2024-01-01", [0, 1, 2]].tolist() == [175.0, 165.0, 180.0]
    assert t.loc["2024-02-01", [0, 1]].tolist() == [120.0, 120.0]
    assert np.isnan(t.loc["2024-02-01", 2])  # April is after the period end
    assert t.loc["2024-03-01", 0] == 60.0
    # average over the cohorts that reached k: (350 + 120 + 60) / 4, (330 + 120) / 3, 360 / 2
    assert w.revenue_cohorts.average.tolist() == [132.5, 150.0, 180.0]
    assert w.revenue_cohorts.partial_month is None  # 31 March closes the month


def test_a_partial_last_month_is_marked_and_left_out_of_the_average():
    frame = shop_frame()
    s = ReportSettings(period_end=date(2024, 3, 30))
    w = build_kpis(frame, s, rows_read=len(frame), rows_skipped=0).where_to_act.revenue_cohorts
    assert w.partial_month == pd.Timestamp("2024-03-01")
    assert bool(w.partial.loc["2024-01-01", 2]) and not bool(w.partial.loc["2024-01-01", 1])
    # month 2 is only the Jan cohort's March, partial -> no complete cell; month 0 without D's March
    assert np.isnan(w.average[2])
    assert w.average[0] == pytest.approx((350 + 120) / 3)


def test_repeat_within_counts_only_customers_who_had_the_chance():
    w = report().where_to_act.second_order
    by = {x.days: x for x in w.within}
    # 30 days: first order by 1 Mar -> A, B, C eligible; A and C came back after 15 days
    assert (by[30].eligible, by[30].repeated, by[30].share) == (3, 2, pytest.approx(2 / 3))
    # 60 days: first order by 31 Jan -> A, B; only A came back
    assert (by[60].eligible, by[60].share) == (2, 0.5)
    # 90 days: first order by 1 Jan -> nobody
    assert (by[90].eligible, by[90].share) == (0, None)
    # Kaplan–Meier: gaps 15 (A), 15 (C) observed; 76 (B) and 1 (D) censored -> S(15) = 1 − 2/3 < 0.5
    assert w.median_days == 15.0
    assert (w.customers, w.repeat_customers) == (4, 2)


def test_kaplan_meier_agrees_with_statsmodels():
    # statsmodels' SurvfuncRight is the independent Kaplan–Meier (lifelines caps pandas below 3)
    from statsmodels.duration.survfunc import SurvfuncRight

    rng = np.random.default_rng(7)
    first = rng.integers(0, 300, 500)
    gap = rng.exponential(60, 500).astype(np.int64)
    t1 = 330
    second = np.where(first + gap <= t1, first + gap, np.iinfo(np.int64).max)
    got = so.second_order(first.astype(np.int64), second.astype(np.int64), t1)
    durations = np.where(second <= t1, second - first, t1 - first)
    sf = SurvfuncRight(durations, (second <= t1).astype(int))
    assert got.median_days == sf.quantile(0.5)
    times = got.curve["days"].to_numpy()[1:]
    expected = np.array([1 - sf.surv_prob[np.searchsorted(sf.surv_times, t, side="right") - 1] for t in times])
    assert got.curve["ordered_again"].to_numpy()[1:] == pytest.approx(expected)


def test_splits_by_channel_and_first_product():
    w = report().where_to_act
    ch = w.by_channel.table.set_index("group")
    # Web = A, C: both ordered twice or more; revenue A 150 + 30 − 20 = 160, C 120 -> 140 each
    assert ch.loc["Web", "customers_acquired"] == 2
    assert ch.loc["Web", "repeat_purchase_rate"] == 1.0
    assert ch.loc["Web", "revenue_per_customer"] == 140.0
    # Shop = B, D: one order each; (200 + 60) / 2
    assert ch.loc["Shop", "repeat_purchase_rate"] == 0.0
    assert ch.loc["Shop", "revenue_per_customer"] == 130.0
    # 3-month retention: no cohort is three complete months old by March
    assert ch["retention_3m_eligible"].tolist() == [0, 0]
    first = w.by_first_product.table.set_index("group")
    assert first["customers_acquired"].to_dict() == {"Tea": 2, "Coffee": 2}  # A, D / B, C


def test_no_spend_says_what_to_add():
    a = report().where_to_act.acquisition
    assert (a.cac, a.reason, a.payback_month) == (None, "no_spend", None)


def test_cac_per_month_and_payback():
    spend = rc.Spend(pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
                                   "amount": [300.0, 100.0, 90.0], "channel": ["", "", ""]}), "test")
    a = report(spend).where_to_act.acquisition
    # new customers: Jan 2 (A, B), Feb 1 (C), Mar 1 (D)
    assert a.table["cac"].tolist() == [150.0, 100.0, 90.0]
    assert a.cac == pytest.approx(490 / 4)
    # average curve 132.5, 150, 180 reaches 122.5 in month 0; Jan cohort 175 >= 150 in month 0;
    # Mar cohort 60 never reaches 90
    assert a.payback_month == 0
    assert a.table["payback_month"].tolist()[:2] == [0, 0] and pd.isna(a.table["payback_month"].iloc[2])
    # LTV:CAC at 3 months: the curve does not reach month 3 yet
    assert a.ltv_to_cac[3] is None


def test_margin_and_flat_cac():
    a = report(rc.Spend(pd.DataFrame(columns=["month", "amount", "channel"]), "--cac", flat_cac=70.0),
               margin=0.5).where_to_act.acquisition
    # average × 0.5 = 66.25, 75, 90 -> reaches 70 in month 1
    assert a.payback_month == 1
    assert a.cac == 70.0


def test_cac_by_channel():
    spend = rc.Spend(pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-01-01"]),
                                   "amount": [50.0, 400.0], "channel": ["Web", "Shop"]}), "test")
    t = report(spend).where_to_act.acquisition.table.set_index("channel")
    assert t.loc["Web", "cac"] == 50.0  # A came by Web in January
    assert t.loc["Shop", "cac"] == 400.0  # B by Shop


def test_json_keys():
    j = report().to_json()
    assert j["repeat_within"]["30"] == {"share": pytest.approx(2 / 3), "eligible": 3}
    assert j["median_days_to_second_order"] == 15.0
    assert j["revenue_cohorts"]["2024-01"] == {"0": 175.0, "1": 165.0, "2": 180.0}
    assert j["cac"]["reason"] == "no_spend"
    assert {g["group"] for g in j["by_channel"]} == {"Web", "Shop"}


def test_split_shares_carry_their_wilson_interval():
    from statsmodels.stats.proportion import proportion_confint

    ch = report().where_to_act.by_channel.table.set_index("group")
    # Web: 2 of 2 customers ordered twice or more; Shop: 0 of 2
    for group, hits in (("Web", 2), ("Shop", 0)):
        low, high = proportion_confint(hits, 2, alpha=0.05, method="wilson")
        assert ch.loc[group, "repeat_purchase_rate_low"] == pytest.approx(low)
        assert ch.loc[group, "repeat_purchase_rate_high"] == pytest.approx(high)
    assert ch["retention_3m_low"].isna().all()  # nobody is three months old yet
