"""Issue 13 in words: a tile's interval and change against the previous period, and the
Methodology sentences of each interval and test with this report's numbers.

Reads KpiReport.confidence and KpiReport.previous (engine/comparison.py); computes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from retention_xl.engine import confidence as cf
from retention_xl.engine.report import BETTER, NO_VALUE, WORSE, FigureChange, KpiReport
from retention_xl.render.labels import Labels

#: FigureChange.verdict -> status colour level (styles.STATUS_COLOURS); grey unless significant.
VERDICT_LEVEL = {BETTER: "good", WORSE: "bad"}

#: How a figure's values are written in a sentence: percent (digits), plain number (digits).
_STYLE: dict[str, tuple[str, int]] = {
    "crr": ("percent", 1), "churn_rate": ("percent", 1), "repeat_purchase_rate": ("percent", 1),
    "return_rate": ("percent", 1), "csat": ("percent", 1), "nps": ("number", 1),
    "aov": ("number", 2), "revenue_per_customer": ("number", 2), "historical_clv": ("number", 2),
    "purchase_frequency": ("number", 2), "customers": ("number", 0), "orders": ("number", 0),
    "revenue": ("number", 0),
}
#: The figures measured on the retention base (customers active at the start of the measurement).
RETENTION_KEYS = ("crr", "churn_rate")
#: Headline key -> tile title label.
TITLES = {
    "crr": "tile.crr", "churn_rate": "tile.churn", "repeat_purchase_rate": "tile.repeat",
    "return_rate": "tile.return_rate", "customers": "tile.customers", "orders": "tile.orders",
    "revenue": "tile.revenue", "aov": "tile.aov", "revenue_per_customer": "tile.revenue_per_customer",
    "purchase_frequency": "tile.frequency", "historical_clv": "tile.clv", "nps": "tile.nps", "csat": "tile.csat",
}


def value_text(L: Labels, key: str, value: float | None) -> str:
    kind, digits = _STYLE.get(key, ("number", 2))
    return L.percent(value, digits) if kind == "percent" else L.number(value, digits)


def _signed(text: str, value: float) -> str:
    if value > 0:
        return "+" + text
    return ("\u2212" + text) if value < 0 else text


def change_text(L: Labels, ch: FigureChange) -> str:
    """+3.1 pp (rates), +4.2 pts (NPS), +12.3 % (money and counts)."""
    if ch.change is None:
        return L("na")
    if ch.unit == "rate":
        return _signed(L("unit.pp", n=L.number(abs(ch.change) * 100, 1)), ch.change)
    if ch.unit == "points":
        return _signed(L("unit.points", n=L.number(abs(ch.change), 1)), ch.change)
    if ch.relative is None:
        return _signed(value_text(L, ch.key, abs(ch.change)), ch.change)
    return _signed(L.percent(abs(ch.relative), 1), ch.relative)


@dataclass(frozen=True)
class TileChange:
    """The two extra lines of a tile: its 95 % interval and the change against the previous period."""

    interval: str  # "" when the figure has no interval
    change: str
    level: str  # status colour level: good / bad (significant) or none (grey)


def tile_change(report: KpiReport, L: Labels, key: str | None) -> TileChange | None:
    """The interval and change lines of the tile showing ``key`` (None for tiles without a key)."""
    if key is None:
        return None
    iv = report.confidence.get(key) if report.confidence is not None else None
    interval = ""
    if iv is not None and iv.low is not None and iv.high is not None:
        interval = L("cmp.interval", low=value_text(L, key, iv.low), high=value_text(L, key, iv.high))
    prev = report.previous
    if prev is None:
        return TileChange(interval, "", "none")
    if prev.report is None:
        enough = prev.reason is None or prev.reason.code != "kpi.not_enough_history"
        return TileChange(interval, L("cmp.previous_failed" if enough else "cmp.not_enough_history"), "none")
    ch = prev.changes.get(key)
    if ch is None or ch.verdict == NO_VALUE or ch.previous is None:
        return TileChange(interval, L("cmp.previous_na"), "none")
    text = L("cmp.previous", value=value_text(L, key, ch.previous), change=change_text(L, ch))
    thin = previous_thin_base(report, key)
    if thin is not None:  # as the current tile: a CRR on a thin base is not judged (grey)
        return TileChange(interval, f"{text} · {L('cmp.thin_base', history=L.number(thin))}", "none")
    return TileChange(interval, f"{text} · {L('cmp.' + ch.verdict)}", VERDICT_LEVEL.get(ch.verdict, "none"))


def previous_thin_base(report: KpiReport, key: str | None) -> int | None:
    """Days of history the previous period's retention base rests on, when fewer than its window.

    Only the retention figures (CRR, churn) rest on that base; None for the others, for a
    previous period with no figures, and when its base is not thin.
    """
    prev = report.previous
    if key not in RETENTION_KEYS or prev is None or prev.report is None:
        return None
    return prev.report.retention.thin_base_days


# --- Methodology ----------------------------------------------------------------------------


def _p(L: Labels, p: float | None) -> str:
    if p is None:
        return L("na")
    return "< " + L.number(0.001, 3) if p < 0.001 else L.number(p, 3)


def _interval_sentence(L: Labels, key: str, iv: cf.Interval) -> str:
    title = L(TITLES[key])
    low, high = value_text(L, key, iv.low), value_text(L, key, iv.high)
    b = iv.basis
    if isinstance(b, cf.Proportion):
        return L("def.ci_prop", figure=title, successes=L.number(b.successes), n=L.number(b.n),
                 value=value_text(L, key, iv.value), low=low, high=high)
    if isinstance(b, cf.NpsCounts):
        return L("def.ci_nps", figure=title, promoters=L.number(b.promoters), detractors=L.number(b.detractors),
                 n=L.number(b.n), value=value_text(L, key, iv.value), low=low, high=high)
    if isinstance(b, cf.MeanStats):
        what = L("what.orders" if key == "aov" else "what.customers")
        if iv.low is None:
            return L("def.ci_mean_none", figure=title, value=value_text(L, key, iv.value), n=L.number(b.n), what=what)
        return L("def.ci_mean", figure=title, value=value_text(L, key, iv.value), n=L.number(b.n), what=what,
                 sd=L.number(b.sd, 2), low=low, high=high)
    return ""


def _test_sentence(L: Labels, report: KpiReport, ch: FigureChange) -> str:
    t = ch.test
    if t is None:
        return ""
    prev = report.previous.report if report.previous is not None else None
    now_iv = report.confidence.get(ch.key) if report.confidence is not None else None
    before_iv = prev.confidence.get(ch.key) if prev is not None and prev.confidence is not None else None
    if now_iv is None or before_iv is None:
        return ""
    a, b = now_iv.basis, before_iv.basis
    verdict = L("cmp." + ch.verdict)
    if t.method == cf.TWO_PROPORTION_Z and isinstance(a, cf.Proportion) and isinstance(b, cf.Proportion):
        def of(p: cf.Proportion, value: float) -> str:
            x = p.successes if ch.key != "churn_rate" else p.n - p.successes
            return L("cmp.of", x=L.number(x), n=L.number(p.n), share=value_text(L, ch.key, value))

        return L("def.test_prop", now=of(a, ch.current), before=of(b, ch.previous),
                 diff=change_text(L, ch), low=_pp(L, t.low), high=_pp(L, t.high),
                 z=L.number(t.statistic, 2), p=_p(L, t.p_value), verdict=verdict)
    if t.method == cf.NPS_DIFFERENCE_Z and isinstance(a, cf.NpsCounts) and isinstance(b, cf.NpsCounts):
        return L("def.test_nps", now=value_text(L, "nps", ch.current), n1=L.number(a.n),
                 before=value_text(L, "nps", ch.previous), n2=L.number(b.n), diff=change_text(L, ch),
                 low=L.number(t.low, 1), high=L.number(t.high, 1), z=L.number(t.statistic, 2),
                 p=_p(L, t.p_value), verdict=verdict)
    if t.method == cf.WELCH_T and isinstance(a, cf.MeanStats) and isinstance(b, cf.MeanStats):
        return L("def.test_welch", what=L("what.orders" if ch.key == "aov" else "what.customers"),
                 now=value_text(L, ch.key, ch.current), n1=L.number(a.n),
                 before=value_text(L, ch.key, ch.previous), n2=L.number(b.n),
                 diff=value_text(L, ch.key, t.difference), low=value_text(L, ch.key, t.low),
                 high=value_text(L, ch.key, t.high), t=L.number(t.statistic, 2), df=L.number(t.df, 0),
                 p=_p(L, t.p_value), verdict=verdict)
    return ""


def _pp(L: Labels, value: float | None) -> str:
    if value is None:
        return L("na")
    return _signed(L("unit.pp", n=L.number(abs(value) * 100, 1)), value)


def methodology_rows(report: KpiReport, L: Labels) -> list[tuple[str, str]]:
    """(title, text) rows of the Methodology section on the previous period, intervals and tests."""
    rows: list[tuple[str, str]] = []
    prev = report.previous
    if prev is not None:
        fields = dict(start=L.date(prev.start), end=L.date(prev.end), days=L.number(prev.days),
                      covered=L.number(prev.covered_days))
        if prev.report is not None:
            rows.append((L("meth.previous"), L("def.previous", **fields)))
        elif prev.reason is not None and prev.reason.code == "kpi.not_enough_history":
            rows.append((L("meth.previous"), L("def.previous_none", **fields)))
        else:
            error = prev.reason.fields.get("error", "") if prev.reason is not None else ""
            rows.append((L("meth.previous"), L("def.previous_failed", **fields, error=L.message(error))))
    rows.append((L("meth.how_sure"), L("def.intervals")))
    for key in TITLES:
        iv = report.confidence.get(key) if report.confidence is not None else None
        parts = [_interval_sentence(L, key, iv)] if iv is not None else []
        ch = prev.changes.get(key) if prev is not None and prev.report is not None else None
        if ch is not None and ch.test is not None:
            parts.append(_test_sentence(L, report, ch))
        elif ch is not None and ch.change is not None and iv is None:
            parts.append(L("def.untested", now=value_text(L, key, ch.current), before=value_text(L, key, ch.previous),
                           change=change_text(L, ch)))
        thin = previous_thin_base(report, key) if key == "crr" else None
        if thin is not None:
            r = report.previous.report.retention
            parts.append(L("def.previous_thin_base", start=L.date(r.measured_from), history=L.number(thin),
                           days=L.number(r.window_days)))
        parts = [p for p in parts if p]
        if parts:
            rows.append((L(TITLES[key]), " ".join(parts)))
    return rows
