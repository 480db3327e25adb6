"""The JSON of a report (``--json``), written down once as types; the JSON Schema is generated from them.

``KpiReport.to_json()`` returns a :class:`ReportJson`. :func:`json_schema` turns these
TypedDicts into a JSON Schema (draft 2020-12); the package ships it as
``retention_xl/data/report.schema.json`` (``python -m retention_xl.engine.report_json``
writes it) and the tests validate every report JSON they make against it.
"""

import json
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, TypedDict, Union

#: Where the generated schema ships (package data).
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "report.schema.json"

Number = float  # a JSON number: int or float
Date = str  # "YYYY-MM-DD"
Month = str  # "YYYY-MM"


class Period(TypedDict):
    start: Date  # t0, excluded
    end: Date  # t1, included
    days: int


class Rows(TypedDict):
    read: int
    used: int
    skipped: int


class Crr(TypedDict):
    start: int  # S
    end: int  # E
    new: int  # N
    won_back: int
    brand_new: int
    value: Number | None
    window_days: int  # W of the retention measurement
    measured_from: Date  # the start of the measurement (S is counted there)


class NotASale(TypedDict):
    rows: int
    amount: Number
    unpaid_rows: int  # of them, rows whose payment never came


class RowsAndAmount(TypedDict):
    rows: int
    amount: Number


class _ReconciliationCore(TypedDict):
    gross_sales: Number
    refunds: Number  # a positive sum
    net_revenue: Number
    not_a_sale: NotASale
    no_customer: RowsAndAmount


class ReconciliationJson(_ReconciliationCore, total=False):
    """Gross sales − refunds = net revenue, and what was left out (SPEC), in the report currency."""

    currency: str | None  # issue 18: the report currency (ISO code), None when the data names none
    other_currencies: dict[str, Number]  # amount per currency left out for want of a rate


class CurrencyRate(TypedDict):
    currency: str
    month: Month | None  # None: one rate for every month
    rate: Number  # the value of one unit in the report currency
    rows: int


class HistoricalClvJson(TypedDict):
    value: Number | None
    monthly_revenue_per_customer: Number | None
    monthly_churn: Number | None
    lifetime_months: Number | None
    note: str | None


class Benchmark(TypedDict):
    industry: str | None
    crr: Number | None


class DataSpan(TypedDict):
    first_date: Date | None
    last_date: Date | None


class NpsJson(TypedDict):
    value: Number
    responses: int
    promoters: int
    detractors: int


class CsatJson(TypedDict):
    value: Number
    responses: int
    satisfied: int
    scale_max: int
    threshold: int


class ChurnRiskJson(TypedDict):
    low: int
    medium: int
    high: int


class PredictedClvJson(TypedDict):
    """engine/predicted_clv.PredictedClv.to_json(); the model is under "clv_model"."""

    months: int
    annual_discount: Number
    as_of: Date
    expected_revenue: Number | None  # null without a fit (or withheld by the holdout check)
    total_clv: Number | None
    customers: int
    repeat_buyers: int
    churn_risk: ChurnRiskJson | None
    reason: str | None  # why there is no prediction, in English
    reason_code: str | None
    notes: list[str]  # caveats of a fit, in English


class ClvModelJson(TypedDict):
    r: Number
    alpha: Number
    a: Number
    b: Number
    p: Number | None
    q: Number | None
    gamma: Number | None
    unit: Literal["weeks"]
    method: Literal["mle", "map"]  # issue 12: maximum likelihood, or the stabilised (MAP) fit


class ForecastBucket(TypedDict):
    repeat_purchases: int  # calibration repeat orders (the last bucket: that many or more)
    customers: int
    predicted: Number
    actual: Number
    predicted_per_customer: Number | None
    actual_per_customer: Number | None


class ClvValidationJson(TypedDict):
    """Issue 12: the model refitted without the latest part of the history, its holdout predicted vs actual."""

    calibration_start: Date | None
    calibration_end: Date | None
    holdout_end: Date | None
    holdout_days: int | None
    customers: int | None
    predicted_repeat_orders: Number | None
    actual_repeat_orders: Number | None
    relative_error: Number | None
    method: str | None
    params: dict[str, Number] | None
    verdict: str  # good / fair / poor / withheld / not checked
    withheld: bool
    reason: str | None
    reason_code: str | None
    buckets: list[ForecastBucket]


class IntervalJson(TypedDict):
    """Issue 13: a headline figure with its 95 % interval and how it was computed."""

    value: Number | None
    low: Number | None
    high: Number | None
    method: str  # wilson, nps_normal, mean_t
    level: Number
    n: int


class ShareWithin(TypedDict):
    share: Number | None
    eligible: int


class AcquisitionMonth(TypedDict):
    month: Month
    channel: str | None
    spend: Number
    new_customers: int
    cac: Number | None
    payback_month: int | None


class CacJson(TypedDict):
    cac: Number | None
    ltv_to_cac: dict[str, Number | None]
    payback_month: int | None
    margin: Number | None
    by_month: list[AcquisitionMonth]
    reason: Literal["no_spend", "no_new_customers"] | None


class SplitGroup(TypedDict):
    group: str | None  # None: no channel / product given; "other": the products beyond the top 10
    customers_acquired: int
    customers: int
    repeat_purchase_rate: Number | None
    repeat_purchase_rate_low: Number | None  # 95 % Wilson interval
    repeat_purchase_rate_high: Number | None
    crr_start: int
    crr: Number | None
    revenue_per_customer: Number | None
    retention_3m_eligible: int
    retention_3m: Number | None
    retention_3m_low: Number | None
    retention_3m_high: Number | None


class _Headline(TypedDict):
    """The keys every report has."""

    period: Period
    rows: Rows
    customers: int
    orders: int
    revenue: Number
    repeat_purchase_rate: Number | None
    aov: Number | None
    return_rate: Number | None
    crr: Crr
    churn_rate: Number | None
    returned_orders: int
    purchase_frequency: Number | None
    active_days: int
    historical_clv: HistoricalClvJson
    benchmark: Benchmark
    data: DataSpan
    notes: dict[str, str]  # field -> why it is null, in plain words
    reconciliation: ReconciliationJson
    intervals: dict[str, IntervalJson]  # issue 13: for each rate and mean
    previous: dict[str, Any] | None  # issue 13: the previous period's headline keys and changes, or null


class ReportJson(_Headline, total=False):
    """The report's JSON: the headline keys, and the parts the data and the settings allow."""

    # one report currency (issue 18)
    currency: str | None
    other_currencies: dict[str, Number]
    currency_rates: list[CurrencyRate]
    nps: NpsJson
    csat: CsatJson
    clv_model: ClvModelJson | None
    predicted_clv: PredictedClvJson
    clv_validation: ClvValidationJson
    # where to act (issue 14)
    revenue_cohorts: dict[Month, dict[str, Number | None]]
    cac: CacJson
    repeat_within: dict[str, ShareWithin]
    median_days_to_second_order: Number | None
    by_channel: list[SplitGroup] | None
    by_first_product: list[SplitGroup] | None


# --- TypedDict -> JSON Schema ----------------------------------------------------------------


def json_schema(root: type = ReportJson) -> dict[str, Any]:
    """A JSON Schema (2020-12) of ``root`` and every TypedDict it uses (as ``$defs``)."""
    defs: dict[str, Any] = {}
    body = _schema(root, defs)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "retention_xl report",
            **body, "$defs": dict(sorted(defs.items()))}


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if _is_typeddict(tp):
        name = tp.__name__
        if name not in defs and tp is not ReportJson:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _object(tp, defs)
        return _object(tp, defs) if tp is ReportJson else {"$ref": f"#/$defs/{name}"}
    if origin in (Union, types.UnionType):
        options = [_schema(a, defs) for a in typing.get_args(tp)]
        return {"anyOf": options}
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin is dict:
        _, value = typing.get_args(tp)
        return {"type": "object", "additionalProperties": _schema(value, defs)}
    if origin is list:
        return {"type": "array", "items": _schema(typing.get_args(tp)[0], defs)}
    if tp is Any:
        return {}
    simple = {int: {"type": "integer"}, float: {"type": "number"}, str: {"type": "string"},
              bool: {"type": "boolean"}, type(None): {"type": "null"}}
    if tp in simple:
        return dict(simple[tp])
    raise TypeError(f"no JSON Schema for {tp!r}")


def _object(tp: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(tp)
    props = {k: _schema(v, defs) for k, v in hints.items()}
    return {"type": "object", "properties": props, "required": sorted(tp.__required_keys__),
            "additionalProperties": False}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m retention_xl.engine.report_json: write the shipped schema
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
