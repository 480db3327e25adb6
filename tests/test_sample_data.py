"""The synthetic shop: deterministic, realistic shape, shipped CSV up to date."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from retention_xl import sample_data as sd


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return sd.generate_orders()


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return pd.read_csv(sd.SAMPLE_PATH, encoding="utf-8", dtype=str, keep_default_na=False)


def test_same_seed_same_frame_other_seed_other_frame():
    a = sd.generate_orders(50, seed=7)
    b = sd.generate_orders(50, seed=7)
    c = sd.generate_orders(50, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["Amount"].equals(c["Amount"])


def test_shipped_csv_is_byte_identical_to_generator():
    assert sd.SAMPLE_PATH.read_bytes() == sd.sample_csv_text().encode("utf-8")


def test_entry_point_check_and_write(tmp_path):
    out = tmp_path / "orders.csv"
    run = [sys.executable, "-m", "retention_xl.sample_data"]
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 0
    assert subprocess.run([*run, "--check", "-o", str(out)], capture_output=True).returncode == 1
    assert subprocess.run([*run, "-o", str(out)], capture_output=True).returncode == 0
    assert out.read_bytes() == sd.SAMPLE_PATH.read_bytes()


def test_shipped_csv_shape(shipped):
    assert list(shipped.columns) == sd.COLUMNS
    assert shipped["Customer ID"].nunique() == 600
    assert 1500 <= len(shipped) <= 5000
    dates = pd.to_datetime(shipped["Order Date"], format="%Y-%m-%d")  # ISO only
    assert dates.min() >= pd.Timestamp("2023-01-01") and dates.max() <= pd.Timestamp("2024-12-31")
    assert (dates.max() - dates.min()).days > 700  # about two years
    assert set(shipped["Returned"]) == {"Yes", "No"}
    assert shipped["Amount"].str.fullmatch(r"-?\d+\.\d\d").all()
    assert shipped["Customer Name"].str.contains("[А-Яа-я]").any()  # UTF-8 really used


def test_amount_is_quantity_times_unit_price(orders):
    assert np.allclose(orders["Amount"], orders["Quantity"] * orders["Unit Price"], atol=0.005)
    assert (orders.loc[orders["Amount"] > 0, "Unit Price"] >= 0.99).all()


def test_orders_have_lines_returns_refunds_and_nps(orders):
    lines = orders[orders["Amount"] > 0].groupby("Order ID").size()
    assert 0.15 < (lines > 1).mean() < 0.6  # some multi-line orders
    refunds = orders[orders["Amount"] < 0]
    assert len(refunds) > 0
    assert (refunds["Returned"] == "No").all() and (refunds["Quantity"] == -1).all()
    first_date = orders[orders["Amount"] > 0].groupby("Order ID")["Order Date"].min()
    assert (refunds["Order Date"].to_numpy() > first_date[refunds["Order ID"]].to_numpy()).all()
    per_order = orders.groupby("Order ID").agg(
        flagged=("Returned", lambda s: (s == "Yes").any()), refunded=("Amount", lambda s: (s < 0).any())
    )
    assert 0.03 <= (per_order.flagged | per_order.refunded).mean() <= 0.06
    # a flagged order is flagged on all of its lines
    assert orders.groupby("Order ID")["Returned"].agg(lambda s: s.nunique()).max() == 1
    nps = orders["NPS"].dropna()
    assert nps.between(0, 10).all() and 0.08 < len(nps) / orders["Order ID"].nunique() < 0.16


def test_customers_behave_like_a_shop(orders):
    per_customer = orders.groupby("Customer ID").agg(
        orders=("Order ID", "nunique"), first=("Order Date", "min"), channel=("Channel", lambda s: s.mode()[0])
    )
    one_timers = (per_customer["orders"] == 1).mean()
    assert 0.3 < one_timers < 0.7  # many buy once, a minority keeps buying
    assert per_customer["orders"].max() >= 10  # heavy buyers exist
    # acquisition has a season: Nov-Dec gets more first orders per day than Feb-Mar
    month = per_customer["first"].dt.month
    assert (month.isin([11, 12]).sum() / 61) > 1.2 * (month.isin([2, 3]).sum() / 59)
    assert set(per_customer["channel"]) <= set(sd._CHANNELS)
    assert orders.groupby("Customer ID")["Customer Name"].nunique().max() == 1
    mails = orders["Email"][orders["Email"] != ""]
    assert mails.str.fullmatch(r"[a-z0-9.]+@example\.(com|net)").all()


def test_order_rows_for_benchmarks_exact_count():
    for n in (1, 9, 5_000):
        frame = sd.generate_order_rows(n, seed=3)
        assert len(frame) == n
    frame = sd.generate_order_rows(40_000, seed=3)
    assert 3.4 < len(frame) / frame["Customer ID"].nunique() < 4.2  # 1M rows ~ 260k customers
    assert frame["Order Date"].is_monotonic_increasing


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        sd.generate_orders(0)
    with pytest.raises(ValueError):
        sd.generate_order_rows(0)
    with pytest.raises(ValueError):
        sd.generate_orders(10, start="2024-01-02", end="2024-01-01")
