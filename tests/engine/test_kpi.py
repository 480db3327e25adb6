"""build_kpis on tiny order sets whose every figure was worked out by hand."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from retention_xl.errors import InputError
from retention_xl.engine.kpi import build_kpis
from retention_xl.engine.report import DAYS_PER_MONTH
from retention_xl.settings import ReportSettings
from retention_xl.engine.survey import Csat, Nps


def orders_frame(lines: list[tuple], **extra: list) -> pd.DataFrame:
    """ARCHITECTURE.md orders frame from (customer, date, amount[, order_id[, returned]]) tuples."""
    rows = []
    for i, line in enumerate(lines):
        cust, day, amount = line[:3]
        order_id = line[3] if len(line) > 3 and line[3] is not None else f"row {i + 2}"
        returned = bool(line[4]) if len(line) > 4 else False
        unpaid = bool(line[5]) if len(line) > 5 else False
        rows.append((i + 2, cust, pd.Timestamp(day), float(amount), order_id, returned, unpaid))
    frame = pd.DataFrame(rows, columns=["row", "customer_id", "date", "amount", "order_id", "returned", "unpaid"])
    frame["row"] = frame["row"].astype(np.int64)
    frame["customer_id"] = frame["customer_id"].astype("str")
    frame["order_id"] = frame["order_id"].astype("str")
    frame["date"] = frame["date"].astype("datetime64[ns]")
    for col, values in extra.items():
        frame[col] = pd.Series(values, dtype="str")
    return frame


def build(frame: pd.DataFrame, **settings) -> object:
    return build_kpis(frame, ReportSettings(**settings), rows_read=len(frame) + 1, rows_skipped=1)


# A: bought before and during the period (retained).  B: active at t0, then lost.
# C: last order 2021 (inactive at t0), back in 2023: won back.  D: brand new, two orders
# on one day.  E: only a flagged return.  F: ordered exactly on t0, then lost.
SHOP = [
    ("A", "2022-03-10", 100),
    ("A", "2023-05-01", 50),
    ("A", "2023-12-31", 70),
    ("B", "2022-06-01", 40),
    ("C", "2021-06-01", 30),
    ("C", "2023-02-01", 60),
    ("D", "2023-07-15", 25, "D1"),
    ("D", "2023-07-15", 35, "D2"),
    ("E", "2023-08-01", 80, "E1", True),
    ("F", "2022-12-31", 20),
]


@pytest.fixture
def shop():
    return build(orders_frame(SHOP))


def test_default_period_is_the_last_365_days(shop):
    assert shop.period_end == date(2023, 12, 31)
    assert shop.period_start == date(2022, 12, 31)
    assert shop.period_days == 365
    assert shop.data_start == date(2021, 6, 1)


def test_headline_crr_with_won_back_and_brand_new(shop):
    r = shop.retention
    assert (r.start, r.end, r.new, r.won_back, r.brand_new) == (3, 3, 2, 1, 1)  # S={A,B,F} E={A,C,D}
    assert r.value == pytest.approx(1 / 3)
    assert shop.churn_rate == pytest.approx(2 / 3)
    assert r.note is None


def test_period_counts_revenue_and_rates(shop):
    assert shop.orders == 5  # A×2, C, D×2
    assert shop.customers == 3
    assert shop.returned_orders == 1  # E1
    assert shop.revenue == pytest.approx(240.0)  # 50 + 70 + 60 + 25 + 35; E1 flagged
    assert shop.aov == pytest.approx(48.0)
    assert shop.repeat_purchase_rate == pytest.approx(2 / 3)  # A and D
    assert shop.return_rate == pytest.approx(1 / 6)  # 1 / (5 + 1)
    assert shop.purchase_frequency == pytest.approx(5 / 3 / (365 / 30.44))
    # every period figure is defined; only the CLV model lacks data (A and C bought twice)
    assert shop.notes == {"clv_model": "Only 2 customers bought more than once; at least 20 are needed "
                                       "to fit the purchase model."}


def test_historical_clv_from_period_crr(shop):
    c = shop.historical_clv
    months = 365 / DAYS_PER_MONTH
    spend = 240 / 3 / months
    monthly_churn = 1 - (1 / 3) ** (30.44 / 365)
    assert c.monthly_revenue_per_customer == pytest.approx(spend)
    assert c.monthly_churn == pytest.approx(monthly_churn)
    assert c.lifetime_months == pytest.approx(1 / monthly_churn)
    assert c.value == pytest.approx(spend / monthly_churn)
    assert (c.customers, c.revenue, c.period_days) == (3, pytest.approx(240.0), 365)
    assert c.note is None


def test_monthly_trend(shop):
    m = shop.monthly.set_index("month")
    assert len(m) == 31  # 2021-06 … 2023-12, months without orders included
    assert m.index[0] == pd.Timestamp("2021-06-01") and m.index[-1] == pd.Timestamp("2023-12-01")
    jul = m.loc[pd.Timestamp("2023-07-01")]
    assert (jul.new_customers, jul.returning_customers, jul.customers, jul.orders) == (1, 0, 1, 2)
    assert jul.net_revenue == pytest.approx(60.0) and jul.aov == pytest.approx(30.0)
    feb = m.loc[pd.Timestamp("2023-02-01")]
    assert (feb.new_customers, feb.returning_customers) == (0, 1)  # C came back
    aug = m.loc[pd.Timestamp("2023-08-01")]
    assert (aug.orders, aug.returned_orders, aug.net_revenue) == (0, 1, 0.0)
    assert math.isnan(aug.aov)
    assert m.loc[pd.Timestamp("2022-05-01"), "active_customers"] == 2  # C (2021-06-01) and A
    assert m.loc[pd.Timestamp("2022-06-01"), "active_customers"] == 2  # C dropped out, B in
    assert m.loc[pd.Timestamp("2022-12-01"), "active_customers"] == shop.retention.start
    assert m.loc[pd.Timestamp("2023-12-01"), "active_customers"] == shop.retention.end
    assert not m.loc[pd.Timestamp("2022-12-01"), "in_period"]  # t0 = 2022-12-31 is not in (t0, t1]
    assert m.loc[pd.Timestamp("2023-01-01"), "in_period"]
    assert int(m["orders"].sum()) == 9 and int(m["returned_orders"].sum()) == 1


def test_customers_table_rfm_and_segments(shop):
    t = shop.customers_table.set_index("customer_id")
    assert list(shop.customers_table["customer_id"]) == ["A", "C", "D", "B", "F", "E"]  # by net revenue
    a = t.loc["A"]
    assert (a.orders, a.net_revenue, a.aov, a.days_since_last_order) == (3, 220.0, pytest.approx(220 / 3), 0)
    assert a.first_order_date == pd.Timestamp("2022-03-10") and a.last_order_date == pd.Timestamp("2023-12-31")
    assert t.loc["B", "days_since_last_order"] == 578
    # R: A0 D169 C333 F365 B578; F: A3 C2 D2 B1 F1; M: A220 C90 D60 B40 F20
    scores = t[["r_score", "f_score", "m_score"]].loc[["A", "B", "C", "D", "F"]].astype(int).values.tolist()
    assert scores == [[5, 5, 5], [1, 1, 2], [3, 3, 4], [4, 3, 3], [2, 1, 1]]
    assert t["segment"].loc[["A", "B", "C", "D", "F"]].tolist() == [
        "Champions", "Lost", "Need attention", "Potential loyalist", "Hibernating"]
    assert list(t["active"].loc[["A", "B", "C", "D", "E", "F"]]) == [True, False, True, True, False, False]
    e = t.loc["E"]
    assert (e.orders, e.returned_orders, e.net_revenue) == (0, 1, 0.0)
    assert pd.isna(e.r_score) and pd.isna(e.segment) and pd.isna(e.first_order_date)
    seg = shop.segments.set_index("segment")
    assert int(seg["customers"].sum()) == 5
    assert seg.loc["Champions", "revenue"] == 220.0 and seg.loc["Champions", "share"] == pytest.approx(0.2)


def test_cohorts_are_monthly_first_orders(shop):
    c = shop.cohorts
    assert list(c.index[:2]) == [pd.Timestamp("2021-06-01"), pd.Timestamp("2022-03-01")]
    assert c.loc[pd.Timestamp("2021-06-01"), "customers"] == 1
    assert c.loc[pd.Timestamp("2021-06-01"), 20] == 1.0  # C again in 2023-02
    assert c.loc[pd.Timestamp("2023-07-01"), "customers"] == 1  # D; E has no counted order


def test_line_items_across_rows_and_first_row_customer():
    frame = orders_frame([
        ("P", "2024-01-31", 10, "X"),
        ("P", "2024-02-01", 15, "X"),  # second line of X, a day later
        ("Q", "2024-02-10", 30, "Y"),
        ("R", "2024-02-05", 5, "Z"),  # first row of Z: Z is R's order …
        ("S", "2024-02-04", 5, "Z"),  # … dated by its earliest row
    ])
    r = build(frame)
    assert (r.orders, r.customers, r.revenue) == (3, 3, 65.0)
    assert r.aov == pytest.approx(65 / 3)
    m = r.monthly.set_index("month")
    # the order X counts in January (its earliest row); each line's money in its own month
    assert (m.loc["2024-01-01", "orders"], m.loc["2024-01-01", "net_revenue"]) == (1, 10.0)
    assert (m.loc["2024-02-01", "orders"], m.loc["2024-02-01", "net_revenue"]) == (2, 55.0)
    t = r.customers_table.set_index("customer_id")
    assert t.loc["P", "first_order_date"] == pd.Timestamp("2024-01-31")
    assert t.loc["R", "first_order_date"] == pd.Timestamp("2024-02-04")
    assert t.loc["R", "net_revenue"] == 10.0
    assert "S" not in t.index  # S only appears on a line of R's order


def test_short_data_span_starts_the_day_before_the_first_order_and_crr_has_no_base():
    frame = orders_frame([("P", "2024-01-31", 10), ("Q", "2024-02-10", 30), ("P", "2024-02-09", 5)])
    r = build(frame)
    assert (r.period_start, r.period_end, r.period_days) == (date(2024, 1, 30), date(2024, 2, 10), 11)
    assert r.orders == 3 and r.customers == 2
    assert r.purchase_frequency == pytest.approx(3 / 2 / (11 / 30.44))
    assert (r.retention.start, r.retention.end, r.retention.new, r.retention.brand_new) == (0, 2, 2, 2)
    assert r.retention.value is None and r.churn_rate is None
    # 12 days of data: not even a 30-day window has 30 days of history before it (issue 10)
    assert r.retention.window_days == 0 and "not enough to measure retention" in r.retention.note
    assert r.notes["crr"] == r.retention.note and r.notes["crr"].code == "kpi.short_history"
    assert r.historical_clv.value is None and r.notes["historical_clv"].code == "kpi.crr_missing"
    assert r.to_json()["crr"]["value"] is None


def test_returns_by_flag_and_by_negative_amount():
    frame = orders_frame([
        ("A", "2024-03-01", 100, "o1"),
        ("A", "2024-03-01", 50, "o1", True),  # a flagged line makes o1 a returned order
        ("B", "2024-03-02", 80, "o2"),
        ("B", "2024-03-05", -30, "o3"),  # refund under its own id: negative net
        ("C", "2024-03-03", 60, "o4"),
        ("C", "2024-03-03", -60, "o4"),  # nets to 0 after its refund: a returned order (SPEC)
        ("D", "2024-03-04", 40, "o5"),
    ])
    r = build(frame)
    assert (r.orders, r.returned_orders, r.customers) == (2, 3, 2)  # o2, o5 | o1, o3, o4 | B, D
    assert r.return_rate == pytest.approx(3 / 5)
    assert r.revenue == pytest.approx(100 + 80 - 30 + 60 - 60 + 40)  # flagged 50 left out
    assert r.aov == pytest.approx(190 / 2)
    t = r.customers_table.set_index("customer_id")
    assert t.loc[["A", "B", "C", "D"], "orders"].tolist() == [0, 1, 0, 1]
    assert t.loc[["A", "B", "C", "D"], "returned_orders"].tolist() == [1, 1, 1, 0]
    assert t.loc[["A", "B", "C", "D"], "net_revenue"].tolist() == [100.0, 50.0, 0.0, 40.0]


def test_all_returns():
    frame = orders_frame([("A", "2024-03-01", 10, "o1", True), ("B", "2024-03-02", -5, "o2")])
    r = build(frame)
    assert (r.orders, r.customers, r.returned_orders, r.revenue) == (0, 0, 2, -5.0)
    assert r.aov is None and r.notes["aov"].code == "kpi.no_orders"
    assert r.repeat_purchase_rate is None and r.purchase_frequency is None
    assert r.return_rate == 1.0
    assert r.retention.value is None and r.historical_clv.value is None
    assert r.cohorts.empty and int(r.segments["customers"].sum()) == 0
    assert r.customers_table["segment"].isna().all()
    json.dumps(r.to_json(), allow_nan=False)


def test_single_customer_single_order():
    r = build(orders_frame([("solo", "2024-05-05", 42)]))
    assert (r.period_start, r.period_end) == (date(2024, 5, 4), date(2024, 5, 5))
    assert (r.orders, r.customers, r.revenue, r.aov, r.repeat_purchase_rate) == (1, 1, 42.0, 42.0, 0.0)
    assert r.retention.start == 0 and r.retention.value is None
    row = r.customers_table.iloc[0]
    assert (row.r_score, row.f_score, row.m_score, row.segment) == (3, 3, 3, "Need attention")
    assert r.cohorts.loc[pd.Timestamp("2024-05-01"), 0] == 1.0
    assert len(r.monthly) == 1 and r.monthly.loc[0, "active_customers"] == 1


def test_explicit_period():
    r = build(orders_frame(SHOP), period_start=date(2023, 6, 30), period_end=date(2023, 9, 30))
    assert (r.period_start, r.period_end) == (date(2023, 6, 30), date(2023, 9, 30))
    ret = r.retention
    assert (ret.start, ret.end, ret.new, ret.brand_new, ret.won_back) == (3, 4, 1, 1, 0)  # S={A,C,F}
    assert ret.value == 1.0
    assert (r.orders, r.returned_orders, r.revenue) == (2, 1, 60.0)
    assert r.monthly["month"].iloc[-1] == pd.Timestamp("2023-09-01")  # nothing after the period end
    a = r.customers_table.set_index("customer_id").loc["A"]
    assert (a.orders, a.net_revenue, a.days_since_last_order) == (2, 150.0, 152)
    assert r.to_json()["period"] == {"start": "2023-06-30", "end": "2023-09-30", "days": 92}


def test_only_period_end_set_keeps_365_days():
    r = build(orders_frame(SHOP), period_end=date(2023, 6, 30))
    assert (r.period_start, r.period_end) == (date(2022, 6, 30), date(2023, 6, 30))


def test_period_start_after_end_is_an_input_error():
    with pytest.raises(InputError, match="must start before it ends"):
        build(orders_frame(SHOP), period_start=date(2023, 6, 30), period_end=date(2023, 6, 1))


def test_shorter_activity_window():
    r = build(orders_frame(SHOP), active_days=90)
    ret = r.retention
    # S: orders in (2022-10-02, 2022-12-31] -> F; E: (2023-10-02, 2023-12-31] -> A, who was inactive at t0
    assert (ret.start, ret.end, ret.new, ret.won_back, ret.brand_new) == (1, 1, 1, 1, 0)
    assert ret.value == 0.0 and ret.churn == 1.0
    assert r.historical_clv.monthly_churn == 1.0 and r.historical_clv.lifetime_months == 1.0
    assert r.historical_clv.value == pytest.approx(r.historical_clv.monthly_revenue_per_customer)
    assert r.to_json()["active_days"] == 90


def test_no_customer_lost_gives_clv_note():
    frame = orders_frame([("A", "2023-01-01", 10), ("A", "2023-06-01", 10), ("A", "2024-01-15", 10)])
    r = build(frame)
    assert r.retention.value == 1.0
    assert r.historical_clv.value is None and r.notes["historical_clv"].code == "kpi.no_lost_customers"


def test_benchmark_from_industry_name():
    assert build(orders_frame(SHOP), industry="розница").benchmark_crr == 0.63
    r = build(orders_frame(SHOP), industry="astrology")
    assert r.benchmark_crr is None and r.notes["benchmark_crr"].code == "error.industry_unknown"
    assert build(orders_frame(SHOP)).to_json()["benchmark"] == {"industry": None, "crr": None}


def test_contact_columns_latest_value_and_first_channel():
    frame = orders_frame(
        [("A", "2024-01-01", 10), ("A", "2024-02-01", 10), ("A", "2024-03-01", 10), ("B", "2024-03-01", 5)],
        customer_name=["Ann", "Ann Lee", "", None],
        channel=["web", "shop", "app", "shop"],
    )
    t = build(frame).customers_table.set_index("customer_id")
    assert t.loc["A", "customer_name"] == "Ann Lee" and t.loc["A", "channel"] == "web"
    assert pd.isna(t.loc["B", "customer_name"]) and t.loc["B", "channel"] == "shop"
    # names arrive as written (the reader strips only what is grouped on): the one shown is stripped,
    # and a latest name of spaces only is as blank as an empty one
    frame["customer_name"] = pd.Series([" Ann ", "\u00a0Ann Lee\t", "   ", " Bo "], dtype="str")
    t = build(frame).customers_table.set_index("customer_id")
    assert t.loc["A", "customer_name"] == "Ann Lee" and t.loc["B", "customer_name"] == "Bo"


def test_float_noise_in_refunds_counts_as_zero():
    frame = orders_frame([("A", "2024-01-01", 0.1, "o"), ("A", "2024-01-01", 0.2, "o"), ("A", "2024-01-02", -0.3, "o"),
                          ("B", "2024-01-02", 5)])
    r = build(frame)
    assert (r.orders, r.returned_orders) == (1, 1)  # "o" nets to 0 after its refund: returned
    assert r.revenue == 5.0


def test_empty_orders_is_an_input_error():
    with pytest.raises(InputError, match="No usable order rows"):
        build_kpis(orders_frame([]), ReportSettings(), rows_read=3, rows_skipped=3)


def test_json_has_the_spec_keys_and_types(shop):
    j = shop.to_json()
    text = json.dumps(j, allow_nan=False)
    assert json.loads(text) == j
    spec = {"period", "rows", "customers", "orders", "revenue", "repeat_purchase_rate", "aov",
            "return_rate", "crr", "churn_rate"}
    assert spec <= set(j)
    assert j["period"]["start"] == "2022-12-31" and j["period"]["end"] == "2023-12-31"
    assert j["rows"] == {"read": 11, "used": 10, "skipped": 1}
    assert {k: j["crr"][k] for k in ("start", "end", "new", "won_back")} == {"start": 3, "end": 3, "new": 2, "won_back": 1}
    assert isinstance(j["customers"], int) and isinstance(j["orders"], int)
    for key in ("revenue", "repeat_purchase_rate", "aov", "return_rate", "churn_rate"):
        assert isinstance(j[key], float), key
    assert j["crr"]["value"] == pytest.approx(1 / 3) and j["revenue"] == 240.0
    assert j["purchase_frequency"] == pytest.approx(shop.purchase_frequency)
    assert j["historical_clv"]["value"] == pytest.approx(shop.historical_clv.value)


def test_blank_values_in_the_orders_frame_are_refused():
    frame = orders_frame([("A", "2024-01-01", 10), ("B", "2024-01-02", 5)])
    frame.loc[1, "amount"] = np.nan
    with pytest.raises(InputError, match="blank values in amount"):
        build(frame)
    frame.loc[0, "customer_id"] = None
    frame.loc[0, "date"] = pd.NaT
    with pytest.raises(InputError, match="blank values in customer_id, date, amount"):
        build(frame)
    frame["date"] = frame["date"].dt.tz_localize("Europe/Berlin")  # the other date path
    with pytest.raises(InputError, match="blank values in customer_id, date, amount"):
        build(frame)


def test_nps_one_answer_per_order_in_the_period():
    frame = orders_frame([
        ("A", "2023-01-01", 10, "old"),  # before the period: its answer does not count
        ("A", "2024-01-10", 10, "o1"),
        ("A", "2024-01-10", 10, "o1"),  # second line repeats the score: still one answer
        ("B", "2024-01-11", 10, "o2"),
        ("C", "2024-01-12", 10, "o3"),
        ("D", "2024-01-13", 10, "o4"),
    ])
    frame["score"] = [0.0, 10.0, 10.0, 9.0, 3.0, np.nan]
    r = build(frame, period_start=date(2024, 1, 1))
    assert r.survey == Nps(value=pytest.approx(100 * (2 - 1) / 3), responses=3, promoters=2, detractors=1)
    assert r.to_json()["nps"]["responses"] == 3
    frame["score"] = [np.nan, 11.0, 11.0, np.nan, np.nan, np.nan]
    r = build(frame, period_start=date(2024, 1, 1))
    assert r.survey is None and "outside 0–10" in r.notes["nps"]
    assert build(orders_frame(SHOP)).survey is None


def _reference(frame: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp, window: int) -> dict:
    """The SPEC definitions written out plainly, one customer and one order at a time."""
    orders = {}
    for rec in frame.sort_values("row").itertuples():
        o = orders.setdefault(rec.order_id, {"customer": rec.customer_id, "day": rec.date, "net": 0.0,
                                             "flag": False, "unpaid": False, "sale": False, "refund": False})
        o["day"] = min(o["day"], rec.date)
        refund = rec.amount < 0  # a refund whatever its flags
        sale = rec.amount >= 0 and not rec.returned and not rec.unpaid
        if refund or sale:
            o["net"] += rec.amount
        o["refund"] |= refund
        o["sale"] |= sale and rec.amount > 0
        o["flag"] |= rec.returned and not refund
        o["unpaid"] |= rec.unpaid
    for o in orders.values():
        unpaid = o["unpaid"] and not o["sale"]
        net = round(o["net"], 6)
        o["counted"] = not o["flag"] and not unpaid and net > 0
        o["returned"] = not unpaid and (o["flag"] or net < 0 or (o["refund"] and net <= 0))
    in_p = [o for o in orders.values() if t0 < o["day"] <= t1]
    counted = [o for o in orders.values() if o["counted"] and o["day"] <= t1]

    def active(d):
        return {o["customer"] for o in counted if d - pd.Timedelta(days=window) < o["day"] <= d}

    s, e = active(t0), active(t1)
    first = {}
    for o in counted:
        first[o["customer"]] = min(first.get(o["customer"], o["day"]), o["day"])
    month_ends = pd.date_range(frame["date"].min().to_period("M").to_timestamp(), t1, freq="MS")
    return {
        "orders": sum(o["counted"] for o in in_p),
        "returned": sum(o["returned"] for o in in_p),
        "customers": len({o["customer"] for o in in_p if o["counted"]}),
        "revenue": sum(r.amount for r in frame.itertuples()
                       if (r.amount < 0 or not (r.returned or r.unpaid)) and t0 < r.date <= t1),
        "S": len(s), "E": len(e), "N": len(e - s),
        "won_back": len({c for c in e - s if first[c] <= t0}),
        "active_by_month": [len(active(min(m + pd.offsets.MonthEnd(0), t1))) for m in month_ends],
        "orders_by_customer": pd.Series([o["customer"] for o in counted]).value_counts().to_dict(),
    }


@pytest.mark.parametrize("seed", range(6))
def test_matches_a_plain_reference_on_random_shops(seed):
    rng = np.random.default_rng(seed)
    n = 400
    order_no = np.sort(rng.integers(0, 220, n))
    cust_of_order = rng.integers(0, 40, 220)
    base_day = rng.integers(0, 900, 220)
    lines = [
        (f"c{cust_of_order[o]}", pd.Timestamp("2022-01-01") + pd.Timedelta(days=int(base_day[o] + rng.integers(0, 2))),
         float(rng.choice([-20.0, 15.5, 30.0, 42.25, 0.0])), f"o{o}", bool(rng.random() < 0.05),
         bool(rng.random() < 0.05))
        for o in order_no
    ]
    frame = orders_frame(lines)
    window = int(rng.choice([30, 180, 365]))
    r = build(frame, active_days=window)
    ref = _reference(frame, pd.Timestamp(r.period_start), pd.Timestamp(r.period_end), window)
    assert (r.orders, r.returned_orders, r.customers) == (ref["orders"], ref["returned"], ref["customers"])
    assert r.revenue == pytest.approx(ref["revenue"])
    ret = r.retention
    assert (ret.start, ret.end, ret.new, ret.won_back) == (ref["S"], ref["E"], ref["N"], ref["won_back"])
    assert r.monthly["active_customers"].tolist() == ref["active_by_month"]
    t = r.customers_table.set_index("customer_id")
    assert t["orders"][t["orders"] > 0].to_dict() == ref["orders_by_customer"]


def test_a_period_that_ends_before_the_first_order_is_refused_with_the_data_span():
    frame = orders_frame([("A", "2024-01-05", 10, "o1"), ("B", "2024-02-05", 20, "o2")])
    with pytest.raises(InputError, match=r"ends on 2020-01-01, before the first order in the data \(2024-01-05\)"):
        build(frame, period_end=date(2020, 1, 1))
    # a period after the data is allowed: everyone active at its start has left by its end
    r = build(frame, period_start=date(2024, 3, 1), period_end=date(2025, 6, 1))
    assert (r.retention.start, r.retention.end, r.retention.value) == (2, 0, 0.0)


def _scored(scores: list[float]) -> pd.DataFrame:
    frame = orders_frame([(c, f"2024-01-1{i}", 10, f"o{i}") for i, c in enumerate("ABCD")])
    frame["score"] = scores
    return frame


def test_a_csat_column_gives_csat_not_nps():
    # 5, 4, 5, 2 on a 1–5 satisfaction scale: 3 of 4 answers are 4 or 5 → CSAT 0.75.
    # Read as NPS answers (0–10) all four would be detractors: NPS −100, which no analyst means.
    for header in ("CSAT", "Rating", "Score", "Оценка", "满意度", None):
        r = build_kpis(_scored([5.0, 4.0, 5.0, 2.0]), ReportSettings(), rows_read=5, rows_skipped=0,
                       score_header=header)
        assert r.survey == Csat(value=0.75, responses=4, satisfied=3, scale_max=5, threshold=4), header
        assert r.to_json()["csat"]["value"] == 0.75
    # a header that says NPS is NPS whatever the answers: 0 promoters, 4 detractors
    r = build_kpis(_scored([5.0, 4.0, 5.0, 2.0]), ReportSettings(), rows_read=5, rows_skipped=0,
                   score_header="NPS")
    assert isinstance(r.survey, Nps) and r.survey.value == -100.0
    # answers beyond 5 (or a 0) are on the 0–10 scale: NPS (promoters 10, 9; detractors 5, 0) = 0
    for scores in ([10.0, 9.0, 5.0, 0.0], [10.0, 9.0, 5.0, 3.0]):
        r = build_kpis(_scored(scores), ReportSettings(), rows_read=5, rows_skipped=0, score_header="Score")
        assert isinstance(r.survey, Nps) and r.survey.value == 0.0
    # a CSAT header with answers off the 1–5 scale: no figure, a note that says why
    r = build_kpis(_scored([5.0, 4.0, 8.0, 2.0]), ReportSettings(), rows_read=5, rows_skipped=0,
                   score_header="CSAT")
    assert r.survey is None and "outside 0–5" in r.notes["csat"]
