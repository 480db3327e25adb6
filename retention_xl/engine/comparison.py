"""Every headline figure against the previous period (issue 13): pure functions of two KpiReports.

Both reports come from the same engine (kpi.build_kpis; previous.previous_period shifts the
period back by its length). Here each figure's change is measured and tested:

* rates (CRR, churn, repeat purchase rate, return rate, CSAT): pooled two-proportion
  z-test on their counts (confidence.two_proportion_test);
* NPS: difference z-test with Var = (p + d − (p − d)²) / n per period;
* AOV and revenue per customer: Welch's t-test on order values / customer revenues;
* counts and money totals (customers, orders, revenue), purchase frequency and
  historical CLV: the change only, not tested (their two periods share customers,
  so no simple test of independent samples fits).

A change is BETTER or WORSE only when its test is significant at 95 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from retention_xl.engine import confidence as cf
from retention_xl.engine.survey import Csat, Nps
from retention_xl.engine.report import (BETTER, NO_VALUE, NOISE, UNTESTED, WORSE, Confidence, FigureChange,
                                        KpiReport)


@dataclass(frozen=True)
class Figure:
    """How a headline figure is read from a report and compared."""

    key: str
    unit: str  # "rate" | "points" | "money" | "count" | "number"
    higher_is_better: bool
    test: str  # "proportion" | "nps" | "welch" | "none"


#: The headline figures in Dashboard order.
FIGURES: tuple[Figure, ...] = (
    Figure("crr", "rate", True, "proportion"),
    Figure("churn_rate", "rate", False, "proportion"),
    Figure("repeat_purchase_rate", "rate", True, "proportion"),
    Figure("return_rate", "rate", False, "proportion"),
    Figure("customers", "count", True, "none"),
    Figure("orders", "count", True, "none"),
    Figure("revenue", "money", True, "none"),
    Figure("aov", "money", True, "welch"),
    Figure("revenue_per_customer", "money", True, "welch"),
    Figure("purchase_frequency", "number", True, "none"),
    Figure("historical_clv", "money", True, "none"),
    Figure("nps", "points", True, "nps"),
    Figure("csat", "rate", True, "proportion"),
)


def figure_value(report: KpiReport, key: str) -> float | None:
    """The headline value of ``key`` as the Dashboard shows it (None when the report has none)."""
    if key == "crr":
        return report.retention.value
    if key == "churn_rate":
        return report.retention.churn
    if key == "historical_clv":
        return report.historical_clv.value
    if key == "revenue_per_customer":
        return report.revenue / report.customers if report.customers else None
    if key in ("nps", "csat"):
        kind = {"nps": Nps, "csat": Csat}[key]
        return float(report.survey.value) if isinstance(report.survey, kind) else None
    value = getattr(report, key)
    return None if value is None else float(value)


def _test(fig: Figure, now: Confidence | None, before: Confidence | None) -> cf.Difference | None:
    a = now.get(fig.key) if now is not None else None
    b = before.get(fig.key) if before is not None else None
    if a is None or b is None:
        return None
    if fig.test == "proportion" and isinstance(a.basis, cf.Proportion) and isinstance(b.basis, cf.Proportion):
        pa, pb = a.basis, b.basis
        if fig.key == "churn_rate":  # churn is 1 − CRR: the lost customers of the same base
            return cf.two_proportion_test(pa.n - pa.successes, pa.n, pb.n - pb.successes, pb.n)
        return cf.two_proportion_test(pa.successes, pa.n, pb.successes, pb.n)
    if fig.test == "nps" and isinstance(a.basis, cf.NpsCounts) and isinstance(b.basis, cf.NpsCounts):
        return cf.nps_difference(a.basis, b.basis)
    if fig.test == "welch" and isinstance(a.basis, cf.MeanStats) and isinstance(b.basis, cf.MeanStats):
        return cf.welch_test(a.basis, b.basis)
    return None


def compare(current: KpiReport, previous: KpiReport) -> dict[str, FigureChange]:
    """FigureChange of every headline figure that either period has (key -> change)."""
    out: dict[str, FigureChange] = {}
    for fig in FIGURES:
        now, before = figure_value(current, fig.key), figure_value(previous, fig.key)
        if now is None and before is None:
            continue
        if now is None or before is None:
            out[fig.key] = FigureChange(fig.key, now, before, None, None, fig.unit, fig.higher_is_better,
                                        None, NO_VALUE)
            continue
        change = now - before
        relative = change / before if fig.unit not in ("rate", "points") and before else None
        test = _test(fig, current.confidence, previous.confidence) if fig.test != "none" else None
        if test is None:
            verdict = UNTESTED
        elif not test.significant:
            verdict = NOISE
        else:
            verdict = BETTER if (test.difference > 0) == fig.higher_is_better else WORSE
        out[fig.key] = FigureChange(fig.key, now, before, change, relative, fig.unit, fig.higher_is_better,
                                    test, verdict)
    return out
