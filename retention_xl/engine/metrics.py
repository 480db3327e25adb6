"""Customer-retention metrics: pure numpy functions, no Excel knowledge.

Every function takes plain numbers or numpy arrays that are already clean (no
blanks, no text) and returns a float. Rates are fractions (0.9 = 90 %); NPS is
the one exception, a score from -100 to +100. Input that cannot give a true
answer raises :class:`~retention_xl.errors.MetricError` with a short message
that starts with the Excel function name, e.g.
``"CRR: new customers (40) exceed customers at the end (30)"``; a metric never
returns a silently wrong number.
"""

from __future__ import annotations

import math
import re
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from retention_xl.errors import MetricError
from retention_xl.common.ids import id_text, normalize_ids

__all__ = [
    "COMPLAINT_RATE_HIGH",
    "CRR_ALARMING",
    "CRR_ATTENTION_BELOW",
    "CRR_TARGET",
    "INDUSTRY_CRR",
    "NPS_EXCELLENT_ABOVE",
    "REPEAT_RATE_HEALTHY",
    "aov",
    "average_check",
    "cac",
    "churn",
    "clv",
    "complaint_rate",
    "conversion",
    "crr",
    "crr_benchmark",
    "csat",
    "customer_value",
    "days_to_repeat",
    "id_text",
    "industry_key",
    "nps",
    "purchase_frequency",
    "repeat_rate",
    "return_rate",
    "upsell_rate",
]

# --- Targets and benchmarks from the seed articles (see SPEC) -----------------

#: Customer retention rate to aim for (seeds 000, 003): 85–90 %.
CRR_TARGET: Final[tuple[float, float]] = (0.85, 0.90)
#: A CRR below this needs attention (seed 001).
CRR_ATTENTION_BELOW: Final[float] = 0.60
#: A CRR around this is alarmingly low (seed 003).
CRR_ALARMING: Final[float] = 0.15
#: Healthy repeat purchase rate range for e-commerce (seed 002): 20–40 %.
REPEAT_RATE_HEALTHY: Final[tuple[float, float]] = (0.20, 0.40)
#: An NPS above this is excellent (seed 001).
NPS_EXCELLENT_ABOVE: Final[float] = 50.0
#: A complaint rate of 7 % is high (seed 004).
COMPLAINT_RATE_HIGH: Final[float] = 0.07

#: Typical CRR by industry (seed 003, citing HubSpot). Keys are canonical names.
INDUSTRY_CRR: Final[dict[str, float]] = {
    "retail": 0.63,
    "banking": 0.75,
    "telecom": 0.78,
    "IT": 0.81,
    "insurance": 0.83,
    "professional services": 0.84,
    "media": 0.84,
}

# Names users type for each industry (lower case, single spaces, ё→е).
_INDUSTRY_SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    "retail": (
        "retail", "retail trade", "retailing", "retailer", "retailers", "shop",
        "shops", "store", "stores", "e-commerce", "ecommerce",
        "розница", "розничная торговля", "ритейл", "ретейл", "розничные продажи",
        "торговля", "магазин", "магазины",
        "零售", "零售业", "零售行业",
    ),
    "banking": (
        "banking", "bank", "banks",
        "банк", "банки", "банковское дело", "банковская сфера", "банковский сектор",
        "банковские услуги",
        "银行", "银行业",
    ),
    "telecom": (
        "telecom", "telecoms", "telecommunications", "telecommunication", "telco",
        "телеком", "телекоммуникации", "связь", "телекоммуникационные услуги",
        "电信", "电信业", "通信",
    ),
    "IT": (
        "it", "information technology", "software", "saas", "tech", "technology",
        "ит", "ай-ти", "айти", "информационные технологии",
        "программное обеспечение",
        "信息技术", "软件", "互联网", "科技",
    ),
    "insurance": (
        "insurance", "insurer", "insurers",
        "страхование", "страховка", "страховые услуги", "страховые компании",
        "保险", "保险业",
    ),
    "professional services": (
        "professional services", "professional service", "consulting", "services",
        "профессиональные услуги", "консалтинг", "услуги",
        "专业服务", "咨询",
    ),
    "media": (
        "media", "publishing", "entertainment",
        "медиа", "сми", "средства массовой информации", "издательство",
        "媒体", "传媒",
    ),
}

_INDUSTRY_LOOKUP: Final[dict[str, str]] = {
    name: key for key, names in _INDUSTRY_SYNONYMS.items() for name in names
}


# --- small helpers -------------------------------------------------------------


def _fmt(x: float) -> str:
    """A number as a user would write it: 30, 0.5, 1e+12."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:g}"


def _number(fn: str, what: str, value: object) -> float:
    """`value` as a finite float, else a MetricError naming the argument."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise MetricError("error.not_a_number", fn=fn, what=what)
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MetricError("error.not_a_number", fn=fn, what=what) from None
    if not math.isfinite(x):
        raise MetricError("error.not_finite", fn=fn, what=what)
    return x


def _count(fn: str, what: str, value: object) -> float:
    """A non-negative number of things (customers, orders, leads …)."""
    x = _number(fn, what, value)
    if x < 0:
        raise MetricError("error.negative", fn=fn, what=what, value=_fmt(x))
    return x


def _positive(fn: str, what: str, value: object) -> float:
    """A divisor: must be above zero, else the metric is undefined."""
    x = _count(fn, what, value)
    if x == 0:
        raise MetricError("error.zero_divisor", fn=fn, what=what)
    return x


def _share(fn: str, part_name: str, part: object, whole_name: str, whole: object) -> float:
    """part ÷ whole where the part is a subset of the whole (so ≤ 1)."""
    p = _count(fn, part_name, part)
    w = _positive(fn, whole_name, whole)
    if p > w:
        raise MetricError("error.part_exceeds_whole", fn=fn, part=part_name, part_value=_fmt(p), whole=whole_name,
                          whole_value=_fmt(w))
    return p / w


def _finite(fn: str, result: float) -> float:
    """The result, unless it overflowed (e.g. 1e308 × 10 or 1 ÷ 5e-324)."""
    if not math.isfinite(result):
        raise MetricError("error.too_large", fn=fn)
    return float(result)


def _values(fn: str, what: str, values: npt.ArrayLike) -> np.ndarray:
    """A 1-D float array with at least one value, all finite."""
    a = np.asarray(values, dtype=np.float64).ravel()
    if a.size == 0:
        raise MetricError("error.no_values", fn=fn, what=what)
    bad = int(np.count_nonzero(~np.isfinite(a)))
    if bad:
        raise MetricError("error.values_not_numbers", fn=fn, what=what, bad=bad, n=a.size)
    return a


# --- retention -----------------------------------------------------------------


def crr(end: float, new: float, start: float) -> float:
    """Customer retention rate (E − N) / S: share of the starting customers kept.

    E customers at the end of the period, N customers gained during it, S at its
    start. N may not exceed E, and the customers kept (E − N) may not exceed S,
    because either would mean the counts do not describe one period.
    """
    e = _count("CRR", "customers_at_the_end", end)
    n = _count("CRR", "new_customers", new)
    s = _positive("CRR", "customers_at_the_start", start)
    if n > e:
        raise MetricError("error.crr_new_exceed_end", fn="CRR", new=_fmt(n), end=_fmt(e))
    if e - n > s:
        raise MetricError("error.crr_kept_exceed_start", fn="CRR", kept=_fmt(e - n), start=_fmt(s))
    return (e - n) / s


def churn(end: float, new: float, start: float) -> float:
    """Churn rate 1 − CRR: share of the starting customers lost in the period.

    Computed as lost ÷ S with lost = S − (E − N), so CRR 0.8 gives exactly 0.2.
    """
    try:
        crr(end, new, start)  # same checks and messages as CRR
    except MetricError as err:  # CRR's message, under CHURN's name
        raise MetricError(err.message.but(fn="CHURN")) from None
    s = float(start)
    return (s - (float(end) - float(new))) / s


# --- surveys -------------------------------------------------------------------


def nps(scores: npt.ArrayLike) -> float:
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6), −100…100.

    Every answer must be a whole number from 0 to 10; anything else is a typo or
    a different scale, so it is reported instead of being guessed at.
    """
    s = _values("NPS", "scores", scores)
    outside = int(np.count_nonzero((s < 0) | (s > 10)))
    if outside:
        raise MetricError("error.nps_outside", fn="NPS", bad=outside, n=s.size)
    fractional = int(np.count_nonzero(s != np.floor(s)))
    if fractional:
        raise MetricError("error.nps_fractional", fn="NPS", bad=fractional, n=s.size)
    promoters = int(np.count_nonzero(s >= 9))
    detractors = int(np.count_nonzero(s <= 6))
    return 100.0 * (promoters - detractors) / s.size


def csat(scores: npt.ArrayLike, scale_max: float = 5, threshold: float = 4) -> float:
    """Customer satisfaction: share of answers at or above `threshold`.

    Answers must lie on the scale 0…`scale_max` (1–5 by default, where 4 and 5
    count as satisfied).
    """
    top = _positive("CSAT", "scale_maximum", scale_max)
    cut = _number("CSAT", "threshold", threshold)
    if not 0 < cut <= top:
        raise MetricError("error.csat_threshold", fn="CSAT", cut=_fmt(cut), top=_fmt(top))
    s = _values("CSAT", "scores", scores)
    outside = int(np.count_nonzero((s < 0) | (s > top)))
    if outside:
        raise MetricError("error.csat_outside", fn="CSAT", bad=outside, n=s.size, top=_fmt(top))
    return int(np.count_nonzero(s >= cut)) / s.size


# --- value -----------------------------------------------------------------------


def clv(
    monthly_spend: float, months: float, margin: float = 1.0, annual_discount: float = 0.0
) -> float:
    """Customer lifetime value: monthly spend × months × margin.

    With an `annual_discount` rate r (a fraction, 0.1 = 10 %) each month's
    margin is discounted at the equivalent monthly rate r_m = (1 + r)^(1/12) − 1,
    paid at the end of the month: sum over m = 1..months of
    spend·margin / (1 + r_m)^m. The closed form spend·margin·(1 − (1 + r_m)^−months) / r_m
    is used, which equals that sum for whole months and extends it smoothly to
    fractional ones.
    """
    spend = _count("CLV", "monthly_spend", monthly_spend)
    n = _count("CLV", "months", months)
    m = _count("CLV", "margin", margin)
    if m > 1:
        raise MetricError("error.clv_margin", fn="CLV", value=_fmt(m))
    r = _count("CLV", "annual_discount_rate", annual_discount)
    if r > 1:
        raise MetricError("error.clv_discount", fn="CLV", value=_fmt(r))
    per_month = spend * m
    r_m = math.expm1(math.log1p(r) / 12.0)  # (1 + r)^(1/12) − 1 without underflow
    if r_m == 0.0:
        return _finite("CLV", per_month * n)
    return _finite("CLV", per_month * -math.expm1(-n * math.log1p(r_m)) / r_m)


def customer_value(purchases_per_customer: float, average_check: float) -> float:
    """Customer value: purchases per customer × average check (seed 003)."""
    p = _count("CUSTOMER_VALUE", "purchases_per_customer", purchases_per_customer)
    c = _count("CUSTOMER_VALUE", "average_check", average_check)
    return _finite("CUSTOMER_VALUE", p * c)


def aov(revenue: float, orders: float) -> float:
    """Average order value (average check): revenue ÷ orders."""
    r = _count("AOV", "revenue", revenue)
    o = _positive("AOV", "orders", orders)
    return _finite("AOV", r / o)


def average_check(amounts: npt.ArrayLike) -> float:
    """Average order value from a list of order amounts: their mean."""
    a = _values("AOV", "order_amounts", amounts)
    with np.errstate(over="ignore"):
        return _finite("AOV", float(np.mean(a)))


def cac(acquisition_costs: float | npt.ArrayLike, new_customers: float) -> float:
    """Customer acquisition cost: total acquisition cost ÷ new customers.

    `acquisition_costs` may be one total or several costs (campaigns, months)
    that are summed.
    """
    costs = np.asarray(acquisition_costs, dtype=np.float64).ravel()
    if costs.size == 0:
        raise MetricError("error.no_values", fn="CAC", what="acquisition_costs")
    if not np.all(np.isfinite(costs)):
        raise MetricError("error.cac_not_numbers", fn="CAC")
    negative = int(np.count_nonzero(costs < 0))
    if negative:
        raise MetricError("error.cac_negative", fn="CAC", bad=negative, n=costs.size)
    n = _positive("CAC", "new_customers", new_customers)
    with np.errstate(over="ignore"):
        return _finite("CAC", float(costs.sum()) / n)


# --- purchase behaviour -----------------------------------------------------------




def _customer_codes(fn: str, customer_ids: npt.ArrayLike) -> np.ndarray:
    """Integer code per row, equal codes = same customer (any id dtype).

    Hash-based (pandas.factorize), so a million text ids take milliseconds
    where sorting Python strings would take a second.
    """
    ids = np.asarray(customer_ids).ravel()
    if ids.size == 0:
        raise MetricError("error.no_customer_ids", fn=fn)
    if ids.dtype.kind == "f" and not np.all(np.isfinite(ids)):
        raise MetricError("error.blank_customer_ids", fn=fn)
    if ids.dtype.kind in "OUS":
        # common.ids' one rule: trimmed, 13607.0 and "13607" alike, e-mails ignore case
        ids = normalize_ids(ids)
    codes, _ = pd.factorize(ids, use_na_sentinel=False)
    return codes


def repeat_rate(customer_ids: npt.ArrayLike) -> float:
    """Repeat purchase rate: share of distinct customers appearing at least twice.

    One row per order, so a customer listed twice ordered twice.
    """
    ids = np.asarray(customer_ids).ravel()
    if ids.dtype.kind in "iu" and ids.size and 0 <= int(ids.min()) and int(ids.max()) <= 4 * ids.size:
        # the engine's customer codes: counted directly, no hashing (same counts, same ratio)
        counts = np.bincount(ids)
        return int(np.count_nonzero(counts >= 2)) / int(np.count_nonzero(counts))
    codes = _customer_codes("REPEAT_RATE", customer_ids)
    counts = np.bincount(codes)
    return int(np.count_nonzero(counts >= 2)) / counts.size


def purchase_frequency(orders: float, customers: float, months: float = 1.0) -> float:
    """Purchase frequency: orders ÷ customers ÷ months (orders per customer per month)."""
    o = _count("PURCHASE_FREQUENCY", "orders", orders)
    c = _positive("PURCHASE_FREQUENCY", "customers", customers)
    m = _positive("PURCHASE_FREQUENCY", "months", months)
    return _finite("PURCHASE_FREQUENCY", o / c / m)


def _day_numbers(fn: str, dates: npt.ArrayLike) -> np.ndarray:
    """Whole calendar days as int64 from datetime64 values or day-count floats."""
    d = np.asarray(dates).ravel()
    if d.dtype.kind == "M":
        if np.any(np.isnat(d)):
            raise MetricError("error.blank_dates", fn=fn)
        return d.astype("datetime64[D]").astype(np.int64)
    try:
        f = d.astype(np.float64)
    except (TypeError, ValueError):
        raise MetricError("error.dates_not_dates", fn=fn) from None
    if not np.all(np.isfinite(f)):
        raise MetricError("error.blank_dates", fn=fn)
    return np.floor(f).astype(np.int64)


def repeat_within(customer_ids: npt.ArrayLike, dates: npt.ArrayLike, days: float) -> float:
    """Share of first-time customers who bought again within ``days`` days of their first purchase.

    Counted over the customers whose first purchase is at least ``days`` before the
    latest date of the range (the end of the data), as the report's "time to the
    second order" does (engine.second_order). Rows on the same calendar day are one
    purchase, as in DAYS_TO_REPEAT.
    """
    from retention_xl.engine import second_order

    if not (isinstance(days, (int, float)) and math.isfinite(days)) or days < 0:
        raise MetricError("error.repeat_days", fn="REPEAT_WITHIN", days=days)
    codes = _customer_codes("REPEAT_WITHIN", customer_ids)
    day = _day_numbers("REPEAT_WITHIN", dates)
    if day.size != codes.size:
        raise MetricError("error.ids_dates_sizes", fn="REPEAT_WITHIN", ids=codes.size, dates=day.size)
    keys = np.unique(np.stack([codes.astype(np.int64), day.astype(np.int64)]), axis=1)  # one purchase a day
    first, second = second_order.first_two_orders(keys[0], keys[1], int(codes.max()) + 1)
    t1 = int(day.max())
    share = second_order.second_order(first, second, t1, (int(days),)).within[0]
    if share.share is None:
        raise MetricError("error.repeat_no_chance", fn="REPEAT_WITHIN", days=int(days))
    return share.share


def days_to_repeat(customer_ids: npt.ArrayLike, dates: npt.ArrayLike) -> float:
    """Mean days from a customer's first to second purchase day.

    Averaged over customers who bought on two or more different days. Rows on the
    same calendar day count as one purchase, because order exports often list
    each order line on its own row. Dates are datetime64 values or day numbers
    (Excel serials); the time of day is ignored.
    """
    codes = _customer_codes("DAYS_TO_REPEAT", customer_ids)
    days = _day_numbers("DAYS_TO_REPEAT", dates)
    if days.size != codes.size:
        raise MetricError("error.ids_dates_sizes", fn="DAYS_TO_REPEAT", ids=codes.size, dates=days.size)
    order = np.lexsort((days, codes))
    c, d = codes[order], days[order]
    distinct = np.ones(c.size, dtype=bool)
    distinct[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    c, d = c[distinct], d[distinct]
    first = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    has_second = first + 1 < c.size
    has_second[has_second] = c[first[has_second] + 1] == c[first[has_second]]
    first = first[has_second]
    if first.size == 0:
        raise MetricError("error.no_repeat_days", fn="DAYS_TO_REPEAT")
    return float(np.mean(d[first + 1] - d[first]))


def return_rate(returned: float, sold: float) -> float:
    """Return rate: items (or orders) returned ÷ items (or orders) sold."""
    return _share("RETURN_RATE", "returned", returned, "sold", sold)


# --- funnel and service -------------------------------------------------------------


def conversion(converted: float, leads: float) -> float:
    """Conversion rate: leads that became customers ÷ leads."""
    return _share("CONVERSION", "converted", converted, "leads", leads)


def complaint_rate(complaints: float, customers: float) -> float:
    """Complaint rate: complaints ÷ customers (7 % is high, seed 004).

    Not capped at 1: one customer may complain more than once.
    """
    c = _count("COMPLAINT_RATE", "complaints", complaints)
    n = _positive("COMPLAINT_RATE", "customers", customers)
    return _finite("COMPLAINT_RATE", c / n)


def upsell_rate(upgraded: float, customers: float) -> float:
    """Upsell rate: customers who bought the paid offer on top of the entry product ÷ customers."""
    return _share("UPSELL_RATE", "upgraded_customers", upgraded, "customers", customers)


# --- benchmarks ---------------------------------------------------------------------


def industry_key(name: str) -> str:
    """Canonical industry key of INDUSTRY_CRR for an English, Russian or Chinese name.

    Case, extra spaces, ё/е and trailing punctuation do not matter.
    """
    if not isinstance(name, str) or not name.strip():
        raise MetricError("error.industry_missing", fn="CRR_BENCHMARK", choices=", ".join(INDUSTRY_CRR))
    text = re.sub(r"\s+", " ", name.strip().lower().replace("ё", "е")).strip(" .,;:!")
    text = text.replace("–", "-").replace("—", "-")
    key = _INDUSTRY_LOOKUP.get(text)
    if key is None:
        raise MetricError("error.industry_unknown", fn="CRR_BENCHMARK", name=name.strip(),
                          choices=", ".join(INDUSTRY_CRR))
    return key


def crr_benchmark(industry: str) -> float:
    """Typical customer retention rate of an industry (HubSpot figures, seed 003)."""
    return INDUSTRY_CRR[industry_key(industry)]
