"""The pure metrics: SPEC worked examples, wrong-input messages, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retention_xl.engine import metrics as m
from retention_xl.errors import MetricError

# --- SPEC worked examples --------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "new", "start", "expected"),
    [(210, 30, 200, 0.90), (80, 0, 100, 0.80), (8, 0, 10, 0.80)],
)
def test_crr_spec_examples(end, new, start, expected):
    assert m.crr(end, new, start) == pytest.approx(expected, abs=1e-12)


def test_churn_is_one_minus_crr_in_the_spec_example():
    # "CRR 80 % → churn 20 %"
    assert m.churn(80, 0, 100) == 0.2
    assert m.churn(210, 30, 200) == pytest.approx(0.1)


def test_clv_spec_example_and_margin():
    assert m.clv(50, 24) == 1200.0
    assert m.clv(50, 24, margin=0.3) == pytest.approx(360.0)


def test_clv_discount_matches_the_monthly_sum_in_the_docstring():
    spend, months, margin, annual = 50.0, 24, 0.4, 0.12
    r_m = (1 + annual) ** (1 / 12) - 1
    expected = sum(spend * margin / (1 + r_m) ** k for k in range(1, months + 1))
    assert m.clv(spend, months, margin, annual) == pytest.approx(expected, rel=1e-12)
    # discounting can only lower the value, and a year at 0 % is the plain product
    assert m.clv(spend, months, margin, annual) < m.clv(spend, months, margin)
    assert m.clv(100, 12, 1, 0) == 1200


def test_repeat_rate_20_of_100_customers_reorder():
    ids = np.concatenate([np.arange(100), np.arange(20)])  # 20 customers twice
    assert m.repeat_rate(ids) == pytest.approx(0.20)


def test_repeat_rate_text_ids_and_number_ids_are_one_customer():
    ids = np.array([13607.0, "13607", "A", "B", "B"], dtype=object)
    # customers 13607 (twice), A (once), B (twice) -> 2 of 3
    assert m.repeat_rate(ids) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("fn", "args", "expected"),
    [
        (m.conversion, (700, 1000), 0.70),
        (m.complaint_rate, (50, 700), 50 / 700),
        (m.upsell_rate, (350, 700), 0.50),
        (m.return_rate, (5, 100), 0.05),
        (m.purchase_frequency, (45, 10, 3), 1.5),
        (m.purchase_frequency, (15, 10), 1.5),
        (m.aov, (1000, 8), 125.0),
        (m.customer_value, (4, 25), 100.0),
        (m.cac, (np.array([100.0, 200.0, 300.0]), 12), 50.0),
        (m.cac, (600.0, 12), 50.0),
    ],
)
def test_ratio_metrics(fn, args, expected):
    assert fn(*args) == pytest.approx(expected)


def test_complaint_rate_spec_value_is_about_0071_and_counts_as_high():
    rate = m.complaint_rate(50, 700)
    assert round(rate, 3) == 0.071
    assert rate > m.COMPLAINT_RATE_HIGH


def test_average_check_is_the_mean_of_the_amounts():
    assert m.average_check(np.array([10.0, 20.0, 60.0])) == 30.0


def test_nps_counts_promoters_minus_detractors():
    scores = np.array([10, 9, 9, 8, 7, 6, 0, 10, 3, 9], dtype=float)  # 5 promoters, 3 detractors
    assert m.nps(scores) == pytest.approx(20.0)
    assert m.nps(np.full(10, 10.0)) == 100.0
    assert m.nps(np.zeros(4)) == -100.0


def test_csat_share_at_or_above_threshold():
    assert m.csat(np.array([5, 4, 3, 5, 1], dtype=float)) == pytest.approx(0.6)
    assert m.csat(np.array([10, 8, 7, 9], dtype=float), scale_max=10, threshold=8) == 0.75


def test_days_to_repeat_uses_first_and_second_purchase_day():
    ids = np.array(["a", "a", "a", "b", "b", "c", "d", "d"], dtype=object)
    dates = np.array(
        ["2024-01-01", "2024-01-31", "2024-03-01", "2024-02-10", "2024-02-01",
         "2024-05-05", "2024-06-01", "2024-06-01"],
        dtype="datetime64[D]",
    )
    # a: 30 days; b: 9 days (rows out of order); c once; d twice on one day -> not a repeat
    assert m.days_to_repeat(ids, dates) == pytest.approx((30 + 9) / 2)


def test_days_to_repeat_accepts_excel_serials_and_ignores_time_of_day():
    ids = np.array([1.0, 1.0, 2.0, 2.0])
    serials = np.array([45292.25, 45302.9, 45300.0, 45301.0])
    assert m.days_to_repeat(ids, serials) == pytest.approx((10 + 1) / 2)


# --- benchmarks and targets ------------------------------------------------------------


def test_industry_table_matches_seed_003():
    assert m.INDUSTRY_CRR == {
        "retail": 0.63, "banking": 0.75, "telecom": 0.78, "IT": 0.81,
        "insurance": 0.83, "professional services": 0.84, "media": 0.84,
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("retail", "retail"), ("  RETAIL ", "retail"), ("розница", "retail"),
        ("Розничная торговля", "retail"), ("零售", "retail"),
        ("Банковское дело", "banking"), ("Telecommunications", "telecom"),
        ("Телекоммуникации", "telecom"), ("it", "IT"), ("IT", "IT"),
        ("Страхование", "insurance"), ("Professional  Services", "professional services"),
        ("Профессиональные услуги", "professional services"), ("Медиа", "media"),
        ("媒体", "media"),
    ],
)
def test_industry_names_in_english_russian_chinese(name, key):
    assert m.industry_key(name) == key
    assert m.crr_benchmark(name) == m.INDUSTRY_CRR[key]


def test_crr_benchmark_retail_is_063():
    assert m.crr_benchmark("retail") == 0.63
    assert m.crr_benchmark("розница") == 0.63
    assert m.crr_benchmark("Розничная торговля") == 0.63


def test_unknown_industry_lists_the_known_ones():
    with pytest.raises(MetricError, match=r'unknown industry "mining".*retail.*media'):
        m.crr_benchmark("mining")


def test_targets_from_the_spec():
    assert m.CRR_TARGET == (0.85, 0.90)
    assert m.CRR_ATTENTION_BELOW == 0.60
    assert m.CRR_ALARMING == 0.15
    assert m.REPEAT_RATE_HEALTHY == (0.20, 0.40)
    assert m.NPS_EXCELLENT_ABOVE == 50
    assert m.COMPLAINT_RATE_HIGH == 0.07


# --- wrong input: a specific message, never a number ----------------------------------


@pytest.mark.parametrize(
    ("fn", "args", "message"),
    [
        (m.crr, (30, 40, 100), "CRR: new customers (40) exceed customers at the end (30)"),
        (m.crr, (10, 0, 0), "CRR: customers at the start is 0 (division by zero)"),
        (m.crr, (-1, 0, 10), "CRR: customers at the end (-1) cannot be negative"),
        (m.crr, (250, 0, 200), "CRR: customers kept (end − new = 250) exceed customers at the start (200)"),
        (m.crr, (float("nan"), 0, 10), "CRR: customers at the end must be a finite number"),
        (m.crr, ("abc", 0, 10), "CRR: customers at the end must be a number"),
        (m.churn, (30, 40, 100), "CHURN: new customers (40) exceed customers at the end (30)"),
        (m.nps, (np.r_[np.full(113, 9.0), np.full(7, 11.0)],), "NPS: 7 of 120 scores are outside 0–10"),
        (m.nps, (np.array([7.5, 9.0]),), "NPS: 1 of 2 scores are not whole numbers 0–10"),
        (m.nps, (np.array([]),), "NPS: no scores (the range has no numbers)"),
        (m.csat, (np.array([6.0, 5.0]),), "CSAT: 1 of 2 scores are outside 0–5"),
        (m.csat, (np.array([5.0]), 5, 6), "CSAT: threshold (6) must be between 0 and the scale maximum (5)"),
        (m.clv, (50, 24, 30), "CLV: margin (30) must be a fraction of spend, e.g. 0.3 for 30 %"),
        (m.clv, (50, 24, 1, 10), "CLV: annual discount rate (10) must be a fraction, e.g. 0.1 for 10 %"),
        (m.clv, (-50, 24), "CLV: monthly spend (-50) cannot be negative"),
        (m.aov, (100, 0), "AOV: orders is 0 (division by zero)"),
        (m.average_check, (np.array([]),), "AOV: no order amounts (the range has no numbers)"),
        (m.cac, (np.array([100.0, -5.0]), 3), "CAC: 1 of 2 acquisition costs are negative"),
        (m.cac, (100, 0), "CAC: new customers is 0 (division by zero)"),
        (m.conversion, (1200, 1000), "CONVERSION: converted (1200) exceed leads (1000)"),
        (m.upsell_rate, (800, 700), "UPSELL_RATE: upgraded customers (800) exceed customers (700)"),
        (m.return_rate, (5, 0), "RETURN_RATE: sold is 0 (division by zero)"),
        (m.complaint_rate, (-2, 700), "COMPLAINT_RATE: complaints (-2) cannot be negative"),
        (m.purchase_frequency, (10, 5, 0), "PURCHASE_FREQUENCY: months is 0 (division by zero)"),
        (m.repeat_rate, (np.array([]),), "REPEAT_RATE: no customer ids (the range is empty)"),
        (m.days_to_repeat, (np.array(["a", "b"]), np.array(["2024-01-01", "2024-02-01"], dtype="datetime64[D]")),
         "DAYS_TO_REPEAT: no customer bought on two different days"),
        (m.days_to_repeat, (np.array(["a", "a"]), np.array(["2024-01-01"], dtype="datetime64[D]")),
         "DAYS_TO_REPEAT: 2 customer ids but 1 dates; give ranges of the same size"),
    ],
)
def test_wrong_input_raises_a_specific_message(fn, args, message):
    with pytest.raises(MetricError) as info:
        fn(*args)
    assert str(info.value) == message


def test_metric_error_is_a_value_error_for_python_callers():
    with pytest.raises(ValueError):
        m.crr(1, 2, 3)


# --- invariants ---------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10**9)


@given(start=st.integers(min_value=1, max_value=10**9), kept=counts, new=counts)
def test_crr_is_a_share_and_churn_its_complement(start, kept, new):
    kept = min(kept, start)  # 0 ≤ N ≤ E and E − N ≤ S
    end = kept + new
    rate = m.crr(end, new, start)
    assert 0.0 <= rate <= 1.0
    assert rate == pytest.approx(kept / start)
    assert m.churn(end, new, start) == pytest.approx(1.0 - rate, abs=1e-12)


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=500))
def test_nps_is_between_minus_100_and_100(scores):
    value = m.nps(np.array(scores, dtype=float))
    assert -100.0 <= value <= 100.0
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert value == pytest.approx(100 * (promoters - detractors) / len(scores))


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=300), st.randoms())
def test_repeat_rate_does_not_depend_on_row_order(ids, rnd):
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    rate = m.repeat_rate(np.array(ids))
    assert rate == m.repeat_rate(np.array(shuffled))
    distinct = set(ids)
    assert rate == sum(ids.count(c) >= 2 for c in distinct) / len(distinct)


@given(
    spend=st.floats(min_value=0, max_value=1e6),
    months=st.integers(min_value=0, max_value=240),
    margin=st.floats(min_value=0, max_value=1),
    annual=st.floats(min_value=0.0, max_value=1.0),
)
def test_clv_discounted_never_exceeds_undiscounted(spend, months, margin, annual):
    plain = m.clv(spend, months, margin)
    discounted = m.clv(spend, months, margin, annual)
    assert 0 <= discounted <= plain * (1 + 1e-12) + 1e-9
    assert math.isfinite(discounted)


@pytest.mark.parametrize(
    ("fn", "args"),
    [
        (m.cac, (1.0, 5e-324)),
        (m.aov, (1e308, 1e-10)),
        (m.customer_value, (1e200, 1e200)),
        (m.average_check, (np.array([1e308, 1e308]),)),
        (m.clv, (1e308, 10)),
        (m.complaint_rate, (1.0, 5e-324)),
        (m.purchase_frequency, (1e308, 1e-10)),
    ],
)
def test_an_overflowing_result_is_an_error_not_infinity(fn, args):
    with pytest.raises(MetricError, match="the result is too large to compute"):
        fn(*args)
