"""Predicted CLV: BG/NBD + Gamma-Gamma against the published CDNOW results and edge cases.

Reference values not taken from the papers were computed with the `lifetimes`
package (0.11.3, in a throwaway environment, not a dependency) on the same data.
"""

from __future__ import annotations

import math

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import hyp2f1

from retention_xl.engine import clv
from retention_xl.errors import MetricError
from retention_xl.sample_data import generate_orders, load_sample_orders

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow"  # copy of shared/data/cdnow, see its README
SUMMARY_CSV = CDNOW / "cdnow_customers_summary_with_transactions.csv"
RAW_TXT = CDNOW / "CDNOW_sample.txt"

# Fader, Hardie & Lee (2005) on the CDNOW 1/10 sample, 39-week calibration
PUBLISHED_BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LL = -9582.4
# Fader, Hardie & Lee, "RFM and CLV" / the Gamma-Gamma note: 946 repeat buyers
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def cdnow_summary() -> pd.DataFrame:
    return pd.read_csv(SUMMARY_CSV)


@pytest.fixture(scope="module")
def cdnow_raw() -> pd.DataFrame:
    raw = pd.read_csv(
        RAW_TXT,
        sep=r"\s+",
        header=None,
        names=["master_id", "ID", "date", "cds", "dollars"],
        dtype={"master_id": str, "date": str},
    )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    return raw


@pytest.fixture(scope="module")
def bg(cdnow_summary) -> clv.BgNbdModel:
    return clv.fit_bg_nbd(cdnow_summary["x"], cdnow_summary["t_x"], cdnow_summary["T"], unit="W")


@pytest.fixture(scope="module")
def gg(cdnow_summary) -> clv.GammaGammaModel:
    return clv.fit_gamma_gamma(cdnow_summary["x"], cdnow_summary["zbar"])


# --------------------------------------------------------------------------- published fits


def test_bg_nbd_reproduces_published_cdnow_parameters(bg):
    for name, published in PUBLISHED_BG.items():
        assert getattr(bg.params, name) == pytest.approx(published, rel=0.005), name
    assert bg.log_likelihood == pytest.approx(PUBLISHED_LL, abs=0.05)
    assert bg.n_customers == 2357 and bg.n_repeat_buyers == 946
    assert bg.unit == "W"


def test_gamma_gamma_reproduces_published_cdnow_parameters(gg):
    assert gg.n_customers == 946  # fitted on the repeat buyers only
    for name, published in PUBLISHED_GG.items():
        assert getattr(gg.params, name) == pytest.approx(published, rel=0.01), name
    # population mean spend per order, p * gamma / (q - 1)
    assert gg.mean_spend == pytest.approx(35.17, abs=0.01)


def test_fhl_worked_example_customer_1(bg):
    # x = 2, t_x = 30.43, T = 38.86: 1.226 purchases expected in the next 39 weeks
    assert bg.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-4)
    assert bg.p_alive(2, 30.43, 38.86) == pytest.approx(0.7266, abs=1e-4)


def test_conditional_expectation_matches_lifetimes(bg):
    cases = [(1, 0, 0, 38.86), (10, 2, 30.43, 38.86), (39, 5, 10, 38.86), (52, 20, 35, 38.86), (100, 1, 1, 10), (5, 50, 30, 39)]
    lifetimes = [0.0055863513, 0.35693100865, 0.094477259644, 14.247738579, 2.1150148199, 0.0030660486787]
    ours = [float(bg.expected_purchases(*c)) for c in cases]
    np.testing.assert_allclose(ours, lifetimes, rtol=1e-6)
    # a brand-new customer (x = 0, T = 0) gets the unconditional E[X(t)]
    unconditional = [0.053184736896, 0.43176098952, 1.1950162284, 1.8579717035]
    np.testing.assert_allclose([float(bg.expected_purchases(t, 0, 0, 0)) for t in (1, 10, 39, 78)], unconditional, rtol=1e-6)


def test_expected_spend_and_clv_match_lifetimes(cdnow_summary, bg, gg):
    np.testing.assert_allclose(
        gg.expected_spend([1, 2, 10], [20.0, 35.0, 5.0]), [24.629861823, 35.030791535, 6.2694108057], rtol=1e-6
    )
    spend = gg.expected_spend(cdnow_summary["x"], cdnow_summary["zbar"])
    # lifetimes: 12 months, 1 % a month, freq="W" (its month is 4.345 weeks, ours 30.44 / 7 = 4.349)
    value, purchases = clv.customer_lifetime_value(
        bg, spend, cdnow_summary["x"], cdnow_summary["t_x"], cdnow_summary["T"], months=12, annual_discount=1.01**12 - 1
    )
    assert value.sum() == pytest.approx(71509.899, rel=2e-3)
    np.testing.assert_allclose(value[:2], [36.278495764, 4.6374663286], rtol=2e-3)
    assert purchases.shape == (2357,) and (purchases >= 0).all()


# --------------------------------------------------------------------------- summary from raw orders


def test_rfm_summary_from_raw_cdnow_matches_published_summary(cdnow_raw, cdnow_summary):
    # calibration: 1997-01-01 .. 1997-09-30 inclusive = 39 weeks; the raw file runs to 1998-06-30
    assert cdnow_raw["date"].max() > pd.Timestamp("1997-09-30")
    ours = clv.rfm_summary(cdnow_raw["ID"], cdnow_raw["date"], cdnow_raw["dollars"], as_of="1997-09-30", unit="W")
    ref = cdnow_summary.set_index("ID")
    assert len(ours) == len(ref) == 2357  # includes the 8 customers whose only order was $0
    ours = ours.loc[ref.index]
    assert (ours["frequency"].to_numpy() == ref["x"].to_numpy()).sum() == 2357  # every frequency exact
    # the CSV rounds weeks and dollars to 2 decimals: agree within half a cent / 0.005 weeks
    for mine, theirs in (("recency", "t_x"), ("T", "T"), ("monetary_value", "zbar")):
        assert np.abs(ours[mine].to_numpy() - ref[theirs].to_numpy()).max() <= 0.005 + 1e-9, mine
    assert (ours["recency"].round(2).to_numpy() == ref["t_x"].to_numpy()).all()
    assert (ours["T"].round(2).to_numpy() == ref["T"].to_numpy()).all()
    assert ours["T"].max() == pytest.approx(272 / 7)  # first order 1997-01-01 -> 38.86 weeks
    # amounts are dollars summed per day: 2284 of 2357 means equal after rounding, the rest are
    # half-cent ties that the published file rounded the other way
    assert (ours["monetary_value"].round(2).to_numpy() == ref["zbar"].to_numpy()).sum() >= 2280


def test_fit_from_raw_orders_gives_published_parameters(cdnow_raw):
    summary = clv.rfm_summary(cdnow_raw["ID"], cdnow_raw["date"], cdnow_raw["dollars"], as_of="1997-09-30", unit="W")
    model = clv.fit_bg_nbd(summary["frequency"], summary["recency"], summary["T"])
    for name, published in PUBLISHED_BG.items():
        assert getattr(model.params, name) == pytest.approx(published, rel=0.005), name
    spend = clv.fit_gamma_gamma(summary["frequency"], summary["monetary_value"])
    for name, published in PUBLISHED_GG.items():
        assert getattr(spend.params, name) == pytest.approx(published, rel=0.01), name


def test_rfm_summary_small_example():
    ids = ["A", "A", "A", "B", "A", "C", "C"]
    dates = ["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-05", "2024-01-15", "2024-01-20", "2024-02-01"]
    amounts = [10.0, 5.0, 20.0, 7.0, 30.0, 50.0, -50.0]
    out = clv.rfm_summary(ids, dates, amounts, as_of="2024-01-22", unit="D")
    assert list(out.index) == ["A", "B", "C"]  # first appearance; C's refund is after as_of
    # A: occasions 1 Jan (10 + 5), 8 Jan (20), 15 Jan (30)
    assert out.loc["A"].tolist() == [2, 14.0, 21.0, 25.0]
    assert out.loc["B"].tolist() == [0, 0.0, 17.0, 0.0]
    assert out.loc["C"].tolist() == [0, 0.0, 2.0, 0.0]
    weeks = clv.rfm_summary(ids, dates, amounts, as_of="2024-01-22", unit="W")
    assert weeks.loc["A", "T"] == pytest.approx(3.0) and weeks.loc["A", "recency"] == pytest.approx(2.0)
    for as_of in (pd.Timestamp("2024-01-22"), date(2024, 1, 22), np.datetime64("2024-01-22"), "2024-01-22 18:30"):
        pd.testing.assert_frame_equal(clv.rfm_summary(ids, dates, amounts, as_of=as_of), out)
    months = clv.rfm_summary(ids, dates, amounts, as_of="2024-01-22", unit="M")
    assert months.loc["A", "T"] == pytest.approx(21 / 30.44)
    assert out["frequency"].dtype == np.int64


def test_rfm_summary_of_refunds_only_is_empty():
    out = clv.rfm_summary(["a", "b"], ["2024-01-01", "2024-01-02"], [-1.0, -5.0])
    assert len(out) == 0 and list(out.columns) == ["frequency", "recency", "T", "monetary_value"]


def test_rfm_summary_refund_only_day_is_not_a_purchase_and_free_order_is():
    ids = ["A", "A", "A", "A"]
    dates = pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-10", "2024-01-20"])
    # 10 Jan nets to 0 (a free order); 20 Jan is a refund only
    out = clv.rfm_summary(ids, dates, [40.0, 15.0, -15.0, -40.0], as_of="2024-01-31")
    assert out.loc["A"].tolist() == [1, 9.0, 30.0, 0.0]


def test_rfm_summary_matches_a_plain_groupby_on_synthetic_orders():
    orders = generate_orders(300, seed=11)
    ours = clv.rfm_summary(orders["Customer ID"], orders["Order Date"], orders["Amount"], as_of="2024-06-30", unit="W")
    df = orders[orders["Order Date"] <= "2024-06-30"]
    daily = df.groupby(["Customer ID", "Order Date"])["Amount"].sum().reset_index()
    daily = daily[daily["Amount"] >= 0]
    g = daily.groupby("Customer ID")
    first, last, n = g["Order Date"].min(), g["Order Date"].max(), g.size()
    first_amount = daily.sort_values("Order Date").groupby("Customer ID")["Amount"].first()
    expected = pd.DataFrame(
        {
            "frequency": n - 1,
            "recency": (last - first).dt.days / 7,
            "T": (pd.Timestamp("2024-06-30") - first).dt.days / 7,
            "monetary_value": ((g["Amount"].sum() - first_amount) / (n - 1)).where(n > 1, 0.0),
        }
    )
    pd.testing.assert_frame_equal(
        ours.sort_index(), expected.sort_index(), check_names=False, check_dtype=False, check_index_type=False
    )


def test_rfm_summary_rejects_bad_input_with_messages():
    with pytest.raises(MetricError, match="time unit"):
        clv.rfm_summary(["a"], ["2024-01-01"], [1.0], unit="Y")
    with pytest.raises(MetricError, match="same length"):
        clv.rfm_summary(["a", "b"], ["2024-01-01"], [1.0, 2.0])
    with pytest.raises(MetricError, match="1 of 2 dates"):
        clv.rfm_summary(["a", "b"], ["2024-01-01", "not a date"], [1.0, 2.0])
    with pytest.raises(MetricError, match="1 of 2 amounts"):
        clv.rfm_summary(["a", "b"], ["2024-01-01", "2024-01-02"], [1.0, "x"])
    empty = clv.rfm_summary(["a"], ["2024-03-01"], [1.0], as_of="2024-01-01")
    assert len(empty) == 0 and list(empty.columns) == ["frequency", "recency", "T", "monetary_value"]


# --------------------------------------------------------------------------- model behaviour


def _model(r=0.243, alpha=4.414, a=0.793, b=2.426) -> clv.BgNbdModel:
    return clv.BgNbdModel(clv.BgNbdParams(r, alpha, a, b), "W", float("nan"), 0, 0)


def test_no_repeat_purchase_means_alive():
    model = _model()
    assert np.all(model.p_alive(0, 0, [0.0, 10.0, 1000.0]) == 1.0)


def test_p_alive_falls_as_last_purchase_ages():
    model = _model()
    recency = np.linspace(38.0, 0.0, 20)  # last purchase further and further back, T fixed
    p = model.p_alive(3, recency, 38.0)
    assert np.all(np.diff(p) < 0) and p[-1] < 0.01
    # bought just now: only the chance of dropping out right after this purchase, a / (b + x - 1)
    assert p[0] == pytest.approx(1 / (1 + 0.793 / (2.426 + 2)))


def test_expected_purchases_grow_with_horizon():
    model = _model()
    t = np.array([0.0, 1.0, 4.0, 13.0, 52.0, 104.0, 520.0])
    e = model.expected_purchases(t, 4, 30.0, 38.86)
    assert e[0] == 0.0 and np.all(np.diff(e) > 0)


@pytest.mark.parametrize("a", [0.793, 1.0])
def test_expected_purchases_on_a_grid_equals_one_call_per_cell(a):
    # the horizon x customers grid (CLV months) is evaluated per distinct t and distinct (x, T)
    model = _model(a=a)
    rng = np.random.default_rng(1)
    x = rng.integers(0, 4, 60).astype(float)
    T = rng.choice([10.0, 26.0, 39.0], 60)
    tx = np.where(x > 0, T * rng.uniform(0.2, 1.0, 60), 0.0)
    t = np.array([4.35, 0.0, 52.2, 4.35])[:, None]
    grid = model.expected_purchases(t, x, tx, T)
    one_by_one = np.array([[model.expected_purchases(tk, xi, ti, Ti) for xi, ti, Ti in zip(x, tx, T)]
                           for tk in t[:, 0]])
    assert grid.shape == (4, 60)
    np.testing.assert_allclose(grid, one_by_one, rtol=1e-13, atol=0)
    # one horizon per customer (no grid to share): the same numbers
    per_customer = model.expected_purchases(np.linspace(1.0, 60.0, 60), x, tx, T)
    np.testing.assert_allclose(per_customer, [model.expected_purchases(tk, xi, ti, Ti) for tk, xi, ti, Ti
                                              in zip(np.linspace(1.0, 60.0, 60), x, tx, T)], rtol=1e-13)


@pytest.mark.parametrize("a", [0.5, 0.793, 1.0, 1.5, 3.0])
def test_extreme_inputs_stay_finite(a):
    model = _model(a=a)
    t = np.array([1e-6, 1.0, 52.0, 1e4, 1e6, 1e9])[:, None]
    x = np.array([0, 1, 500, 500, 500, 10_000])
    tx = np.array([0.0, 1.0, 10_000.0, 9_000.0, 10.0, 9_999.0])
    T = np.array([0.0, 10_000.0, 10_000.0, 10_000.0, 10_000.0, 10_000.0])
    e = model.expected_purchases(t, x, tx, T)
    assert e.shape == (6, 6) and np.all(np.isfinite(e)) and np.all(e >= 0)
    assert np.all(np.diff(e, axis=0) >= -1e-12 * np.abs(e[1:]))
    p = model.p_alive(x, tx, T)
    assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
    # 500 purchases, the last one just now: almost surely alive, buying ~0.05 a week
    assert p[2] == pytest.approx(1 / (1 + a / (2.426 + 499)))
    assert e[2, 2] == pytest.approx(p[2] * 52 * 500.24 / (4.414 + 10_000), rel=0.02)


def test_a_equal_one_is_continuous():
    args = (52.0, 3, 20.0, 38.0)
    at_one = float(_model(a=1.0).expected_purchases(*args))
    near = [float(_model(a=1.0 + d).expected_purchases(*args)) for d in (-1e-3, 1e-3)]
    assert at_one == pytest.approx(np.mean(near), rel=1e-4)


def _direct_formula(model, t, x, tx, T):
    """FHL eq. 10 as printed (no transformation): fine for moderate x and t."""
    r, alpha, a, b = model.params
    z = t / (alpha + T + t)
    core = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))
    return core * model.p_alive(x, tx, T)


@settings(max_examples=150, deadline=None)
@given(
    r=st.floats(0.05, 5.0),
    alpha=st.floats(0.5, 50.0),
    a=st.floats(0.1, 5.0),
    b=st.floats(0.2, 10.0),
    x=st.integers(0, 15),
    frac=st.floats(0.0, 1.0),
    T=st.floats(0.5, 100.0),
    t=st.floats(0.1, 60.0),
)
def test_transformed_hypergeometric_equals_the_printed_formula(r, alpha, a, b, x, frac, T, t):
    if abs(a - 1.0) < 1e-3:
        a += 2e-3
    if abs(a + b + x - 1.0) < 1e-3:  # the printed formula is 0 x 2F1(c = 0), a pole: see the test below
        b += 2e-3
    model = _model(r, alpha, a, b)
    tx = frac * T if x > 0 else 0.0
    ours = float(model.expected_purchases(t, x, tx, T))
    direct = float(_direct_formula(model, t, x, tx, T))
    assert ours == pytest.approx(direct, rel=1e-6, abs=1e-9)


def test_expected_purchases_is_continuous_where_the_printed_formula_has_a_pole():
    # a + b + x = 1 makes the printed formula 0 x 2F1(..; c = 0; ..) = NaN (hypothesis found a = b = 0.5,
    # x = 0); the model's value there lies between its values just either side
    at = float(_model(1.0, 5.0, 0.5, 0.5).expected_purchases(10.0, 0, 0.0, 20.0))
    below = float(_model(1.0, 5.0, 0.5, 0.499).expected_purchases(10.0, 0, 0.0, 20.0))
    above = float(_model(1.0, 5.0, 0.5, 0.501).expected_purchases(10.0, 0, 0.0, 20.0))
    assert math.isfinite(at) and min(below, above) <= at <= max(below, above)
    assert abs(above - below) < 1e-3


@settings(max_examples=150, deadline=None)
@given(
    r=st.floats(0.01, 50.0),
    alpha=st.floats(0.01, 1e3),
    a=st.floats(0.01, 50.0),
    b=st.floats(0.01, 50.0),
    x=st.integers(0, 2000),
    frac=st.floats(0.0, 1.0),
    T=st.floats(0.0, 2e4),
    t1=st.floats(0.0, 1e5),
    dt=st.floats(0.0, 1e5),
)
def test_predictions_are_probabilities_and_monotone(r, alpha, a, b, x, frac, T, t1, dt):
    model = _model(r, alpha, a, b)
    tx = frac * T if x > 0 else 0.0
    p = float(model.p_alive(x, tx, T))
    assert 0.0 <= p <= 1.0
    e1, e2 = model.expected_purchases(np.array([t1, t1 + dt]), x, tx, T)
    assert np.isfinite(e1) and np.isfinite(e2) and 0.0 <= e1 <= e2 * (1 + 1e-9) + 1e-12
    buy = float(model.p_buy(t1, x, tx, T))
    assert 0.0 <= buy <= p + 1e-12


def test_gamma_gamma_expected_spend_shrinks_towards_population_mean(gg):
    pop = gg.mean_spend
    assert gg.expected_spend(0, 0) == pytest.approx(pop)
    few, many = gg.expected_spend([1, 50], [100.0, 100.0])
    assert pop < few < many < 100.0


def test_parameters_are_recovered_from_simulated_shop():
    # the generator simulates BG/NBD in days with r=0.55, alpha=66, a=0.9, b=3.5
    orders = generate_orders(20_000, seed=5)
    orders = orders[orders["Amount"] > 0]
    s = clv.rfm_summary(orders["Customer ID"], orders["Order Date"], orders["Amount"], as_of="2024-12-31", unit="D")
    fit = clv.fit_bg_nbd(s["frequency"], s["recency"], s["T"], unit="D")
    assert fit.params.r == pytest.approx(0.55, rel=0.15)
    assert fit.params.alpha == pytest.approx(66.0, rel=0.2)
    assert fit.params.a == pytest.approx(0.9, rel=0.3)
    assert fit.params.b == pytest.approx(3.5, rel=0.3)


def test_fit_refuses_with_reason_when_too_few_repeat_buyers():
    with pytest.raises(clv.ClvFitError, match="Only 3 customers bought more than once; at least 20"):
        clv.fit_bg_nbd([1, 2, 1, 0, 0], [1.0, 2.0, 3.0, 0.0, 0.0], [5.0, 5.0, 5.0, 5.0, 5.0])
    with pytest.raises(MetricError, match="recency <= T"):
        clv.fit_bg_nbd([1], [6.0], [5.0])


# --------------------------------------------------------------------------- forecast


@pytest.fixture(scope="module")
def sample_forecast() -> clv.ClvForecast:
    orders = load_sample_orders()
    return clv.forecast(orders["Customer ID"], orders["Order Date"], orders["Amount"], months=12, annual_discount=0.10)


def test_forecast_on_shipped_sample(sample_forecast):
    fc = sample_forecast
    assert fc.ok and fc.reason is None and fc.reason_code is None
    assert all(n.code.startswith("clv.") for n in fc.notes)
    assert fc.as_of == pd.Timestamp("2024-12-31") and fc.months == 12 and fc.unit == "W"
    assert fc.n_customers == 600 and fc.n_repeat_buyers > 300
    table = fc.customers
    assert list(table.columns) == [
        "frequency", "recency", "T", "monetary_value", "p_alive", "p_buy",
        "expected_purchases", "expected_spend", "predicted_clv", "churn_risk",
        "expected_90d", "expected_gap_days", "next_order_date", "revenue_12m", "value_at_risk",
    ]
    assert len(table) == 600 and table.notna().all().all()
    assert set(table["churn_risk"]) == {"low", "medium", "high"}
    rep = table[table["frequency"] > 0]
    assert (rep.loc[rep["p_alive"] >= 0.7, "churn_risk"] == "low").all()
    assert (rep.loc[rep["p_alive"] < 0.3, "churn_risk"] == "high").all()
    once = table[table["frequency"] == 0]
    assert (once["p_alive"] == 1.0).all()
    assert (once.loc[once["p_buy"] < 0.3, "churn_risk"] == "high").all()
    assert fc.total_clv == pytest.approx(table["predicted_clv"].sum())
    assert 0 < fc.total_clv < fc.expected_revenue  # discounting lowers the value
    # simulated shop: about 2 600 EUR-ish orders a month; sanity range for a year from 600 customers
    assert 10_000 < fc.expected_revenue < 100_000


def test_forecast_without_discount_equals_expected_revenue():
    orders = load_sample_orders()
    fc = clv.forecast(orders["Customer ID"], orders["Order Date"], orders["Amount"], months=6, annual_discount=0)
    assert fc.total_clv == pytest.approx(fc.expected_revenue, rel=1e-9)
    table = fc.customers
    np.testing.assert_allclose(table["predicted_clv"], table["expected_purchases"] * table["expected_spend"], rtol=1e-9)


def test_forecast_gives_reason_not_numbers_for_thin_data():
    ids = ["a", "a", "b", "b", "c", "c", "d", "e"]
    dates = ["2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01", "2024-02-02", "2024-02-20", "2024-01-09", "2024-03-03"]
    fc = clv.forecast(ids, dates, [10, 20, 30, 40, 50, 60, 70, 80])
    assert not fc.ok
    assert fc.reason == "Only 3 customers bought more than once; at least 20 are needed to fit the purchase model."
    assert fc.reason_code == "few_repeat_buyers"
    assert fc.customers is None and fc.total_clv is None and fc.purchase_params is None
    assert fc.n_customers == 5 and fc.n_repeat_buyers == 3
    none = clv.forecast(ids, dates, [10] * 8, as_of="2023-12-31")
    assert none.reason == "There are no purchases on or before 2023-12-31."
    assert none.reason_code == "no_purchases"


def test_forecast_reason_when_nobody_seems_to_drop_out():
    # 40 customers buying every week right up to the cut-off: no dropout to learn from
    rng = np.random.default_rng(0)
    ids, dates = [], []
    for c in range(40):
        first = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 60)))
        for k in range(0, 300, 7):
            ids.append(f"c{c}")
            dates.append(first + pd.Timedelta(days=k))
    fc = clv.forecast(ids, dates, np.full(len(ids), 10.0), as_of="2024-12-31")
    assert not fc.ok and fc.customers is None
    assert fc.reason_code in {"no_dropout", "regular_buyers"}
    assert "dropping out" in fc.reason or "same pace" in fc.reason


def test_forecast_falls_back_to_own_average_when_spend_is_uniform():
    orders = generate_orders(800, seed=2).drop_duplicates(["Customer ID", "Order Date"])  # one row a day
    fc = clv.forecast(orders["Customer ID"], orders["Order Date"], np.full(len(orders), 25.0))
    assert fc.ok and fc.spend_params is None
    assert any("too uniform" in note for note in fc.notes) and "clv.spend_fallback" in {n.code for n in fc.notes}
    assert np.allclose(fc.customers["expected_spend"], 25.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"months": 0}, "months must be a whole number from 1 to 600"),
        ({"months": 1.5}, "months must be a whole number from 1 to 600"),
        ({"months": "twelve"}, "months must be a whole number of months"),
        ({"annual_discount": -0.1}, "between 0 and 10"),
        ({"annual_discount": "ten"}, "must be a number such as 0.1"),
    ],
)
def test_forecast_rejects_bad_arguments(kwargs, message):
    with pytest.raises(MetricError, match=message):
        clv.forecast(["a"], ["2024-01-01"], [1.0], **kwargs)


def test_monthly_rate_compounds_to_annual():
    assert (1 + clv.monthly_rate(0.10)) ** 12 == pytest.approx(1.10)
    assert clv.monthly_rate(0.0) == 0.0
