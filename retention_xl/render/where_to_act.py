"""The "Where to act" sheet: time to the second order, revenue cohorts and payback, channel and product splits."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from retention_xl.engine.report import KpiReport, WhereToAct
from retention_xl.engine.revenue_cohorts import REVENUE_COHORT_SIZE
from retention_xl.engine.splits import NO_VALUE, OTHER, SPLIT_COLUMNS, Split
from retention_xl.render.grid import Grid, cached, wrapped_lines
from retention_xl.render.labels import Labels
from retention_xl.render.styles import CHART_COLOURS, COUNT, DECIMAL2, MONEY, MONEY2, PERCENT, Styles

#: Columns A (labels) and B.. (figures), in characters; charts sit right of the tables.
LABEL_WIDTH, FIGURE_WIDTH = 30, 10.5
#: Cohorts drawn on the LTV chart besides the all-cohort average (spread over the history).
CHART_COHORTS = 5
PARTIAL_FILL = "#D9D9D9"
#: First of the two hidden columns holding the Kaplan–Meier curve the chart draws.
CURVE_COLUMN = 40
#: At most this many points of the curve are written (every step is kept when there are fewer).
CURVE_POINTS = 200

_SPLIT_FORMATS = {"customers_acquired": COUNT, "customers": COUNT, "repeat_purchase_rate": PERCENT,
                  "crr_start": COUNT, "crr": PERCENT, "revenue_per_customer": MONEY2,
                  "retention_3m_eligible": COUNT, "retention_3m": PERCENT}


def write_where_to_act(wb: Any, S: Styles, L: Labels, report: KpiReport) -> None:
    w = report.where_to_act
    ws = wb.add_worksheet(L("sheet.act"))
    g = Grid(ws, S.get())
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.fit_to_pages(1, 0)
    ws.set_footer(f"&L&8{L('dash.title')} · &A&R&8&P / &N")
    ws.set_column(0, 0, LABEL_WIDTH)
    ws.set_column(1, 30, FIGURE_WIDTH)
    g.row_height(0, 28)
    g.text(0, 0, L("act.title"), S.title())
    _note(g, S, 1, L("act.note"), 9)
    row = 3
    if w is None:
        g.text(row, 0, L("act.empty"), S.get(italic=True))
        g.flush()
        return
    row = _second_order(wb, ws, g, S, L, w, row)
    row = _revenue_cohorts(wb, ws, g, S, L, w, row + 1)
    row = _acquisition(g, S, L, w, row + 1)
    for split, key in ((w.by_channel, "act.by_channel"), (w.by_first_product, "act.by_first_product")):
        row = _split(g, S, L, split, key, row + 1)
    g.flush()


def _note(g: Grid, S: Styles, row: int, text: str, last_col: int) -> None:
    g.row_height(row, 4 + 13 * wrapped_lines(text, (LABEL_WIDTH + FIGURE_WIDTH * last_col) * 1.1))
    g.merged_text(row, 0, last_col, text, S.note())


def _section(g: Grid, S: Styles, row: int, text: str) -> int:
    g.row_height(row, 20)
    g.text(row, 0, text, S.section())
    return row + 1


def _second_order(wb: Any, ws: Any, g: Grid, S: Styles, L: Labels, w: WhereToAct, row: int) -> int:
    t = w.second_order
    row = _section(g, S, row, L("act.second_order"))
    _note(g, S, row, L("act.second_order_note"), 9)
    hdr = row + 1
    for j, key in enumerate(("act.within", "act.share", "act.eligible", "act.repeated")):
        g.text(hdr, j, L(key), S.header())
    g.row_height(hdr, 42)
    for i, x in enumerate(t.within):
        r = hdr + 1 + i
        g.text(r, 0, L("act.within_days", days=x.days), S.text_cell())
        g.number(r, 1, x.share, S.cell(PERCENT))
        g.number(r, 2, x.eligible, S.cell(COUNT))
        g.number(r, 3, x.repeated, S.cell(COUNT))
    r = hdr + 1 + len(t.within)
    g.text(r, 0, L("act.median"), S.total())
    if t.median_days is None:
        g.merged_text(r, 1, 3, L("act.median_none"), S.total())
    else:
        g.number(r, 1, t.median_days, S.total(COUNT))
        g.text(r, 2, L("act.days"), S.total())
        g.blank(r, 3, S.total())
    # the curve, for the chart: days and the share ordered again, in hidden-looking columns far right
    curve = _thin(t.curve)
    if len(curve) > 1:
        c0 = CURVE_COLUMN
        ws.set_column(c0, c0 + 1, FIGURE_WIDTH, None, {"hidden": True})
        g.text(hdr, c0, L("act.days_after_first"), S.header())
        g.text(hdr, c0 + 1, L("act.ordered_again"), S.header())
        days = curve["days"].to_numpy(dtype=float)
        share = curve["ordered_again"].to_numpy(dtype=float)
        for i, (d, s) in enumerate(zip(days, share)):
            g.number(hdr + 1 + i, c0, d, S.cell(COUNT))
            g.number(hdr + 1 + i, c0 + 1, s, S.cell(PERCENT))
        last = hdr + len(curve)
        sheet = L("sheet.act")
        chart = wb.add_chart({"type": "scatter", "subtype": "straight"})
        chart.add_series({
            "name": L("act.ordered_again"),
            "categories": [sheet, hdr + 1, c0, last, c0], "categories_data": cached(days),
            "values": [sheet, hdr + 1, c0 + 1, last, c0 + 1], "values_data": cached(share),
            "line": {"color": CHART_COLOURS[0], "width": 2}, "marker": {"type": "none"},
        })
        chart.show_hidden_data()  # the curve's points sit in hidden columns, off the printed page
        _style(chart, L("act.chart_second_order"), 560, 260)
        chart.set_x_axis({"name": L("act.days_after_first"), "min": 0, "num_font": {"size": 8},
                          "name_font": {"size": 8}, "major_gridlines": {"visible": False}})
        chart.set_y_axis({"num_format": "0%", "min": 0, "num_font": {"size": 8},
                          "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
        ws.insert_chart(hdr, 5, chart, {"x_offset": 8, "y_offset": 0, "object_position": 1})
        chart_rows = 14
    else:
        chart_rows = 0
    return max(r + 1, hdr + chart_rows) + 1


def _thin(curve: pd.DataFrame) -> pd.DataFrame:
    """At most CURVE_POINTS rows of a step curve, first and last kept."""
    if len(curve) <= CURVE_POINTS:
        return curve
    idx = np.unique(np.r_[np.linspace(0, len(curve) - 1, CURVE_POINTS).round().astype(int), len(curve) - 1])
    return curve.iloc[idx]


def _revenue_cohorts(wb: Any, ws: Any, g: Grid, S: Styles, L: Labels, w: WhereToAct, row: int) -> int:
    rc = w.revenue_cohorts
    row = _section(g, S, row, L("act.revenue_cohorts"))
    _note(g, S, row, L("act.revenue_cohorts_note"), 9)
    row += 1
    table = rc.table
    if len(table) == 0:
        g.text(row, 0, L("cohorts.empty"), S.get(italic=True))
        return row + 2
    ks = [c for c in table.columns if c != REVENUE_COHORT_SIZE]
    hdr = row
    g.row_height(hdr, 30)
    g.text(hdr, 0, L("col.cohort"), S.header())
    g.text(hdr, 1, L("col.cohort_size"), S.header())
    for j, k in enumerate(ks):
        g.text(hdr, 2 + j, L("col.month_k", k=k), S.header())
    values = table[ks].to_numpy(dtype=float)
    partial = rc.partial[ks].to_numpy(dtype=bool) if len(rc.partial.columns) else np.zeros_like(values, bool)
    plain = S.cell(MONEY, align="center", border_color="#FFFFFF")
    grey = S.cell(MONEY, align="center", border_color="#FFFFFF", bg_color=PARTIAL_FILL, italic=True)
    for i, label in enumerate(table.index):
        r = hdr + 1 + i
        g.date(r, 0, label, S.month(bold=True))
        g.number(r, 1, table[REVENUE_COHORT_SIZE].iloc[i], S.cell(COUNT))
        for j in range(len(ks)):
            g.number(r, 2 + j, values[i, j], grey if partial[i, j] else plain)
    avg_row = hdr + 1 + len(table)
    g.text(avg_row, 0, L("act.all_cohorts"), S.total())
    g.number(avg_row, 1, int(table[REVENUE_COHORT_SIZE].sum()), S.total(COUNT))
    for j, k in enumerate(ks):
        g.number(avg_row, 2 + j, rc.average.get(k, np.nan), S.total(MONEY))
    first, last = hdr + 1, avg_row - 1
    if len(ks) > 1:
        ws.conditional_format(first, 2, last, 1 + len(ks), {
            "type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#63BE7B"})
    legend = avg_row + 1
    if rc.partial_month is not None:
        g.text(legend, 0, L("act.partial_legend", month=_month(L, rc.partial_month)), S.get(italic=True))
        legend += 1
    # LTV chart: the most recent cohorts with three or more months, and the average
    sheet = L("sheet.act")
    chart = wb.add_chart({"type": "line"})
    reached = (~np.isnan(values)).sum(axis=1)
    long_enough = [i for i in range(len(table)) if reached[i] >= 3]
    step = max(1, -(-len(long_enough) // CHART_COHORTS))
    picks = long_enough[::step][:CHART_COHORTS]  # spread over time, the oldest first
    cats = [L("col.month_k", k=k) for k in ks]  # the header cells the categories point at
    for n, i in enumerate(picks):
        r = first + i
        chart.add_series({
            "name": _month(L, table.index[i]),
            "categories": [sheet, hdr, 2, hdr, 1 + len(ks)], "categories_data": cats,
            "values": [sheet, r, 2, r, 1 + len(ks)], "values_data": cached(values[i]),
            "line": {"color": CHART_COLOURS[(n + 2) % len(CHART_COLOURS)], "width": 1.25},
            "marker": {"type": "none"},
        })
    chart.add_series({
        "name": L("act.all_cohorts"),
        "categories": [sheet, hdr, 2, hdr, 1 + len(ks)], "categories_data": cats,
        "values": [sheet, avg_row, 2, avg_row, 1 + len(ks)],
        "values_data": cached(rc.average.reindex(ks).to_numpy(dtype=float)),
        "line": {"color": CHART_COLOURS[0], "width": 3}, "marker": {"type": "none"},
    })
    _style(chart, L("act.chart_ltv"), 620, 280)
    chart.set_x_axis({"name": L("act.months_after_first"), "num_font": {"size": 8}, "name_font": {"size": 8}})
    chart.set_y_axis({"num_format": "#,##0", "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    ws.insert_chart(legend + 1, 0, chart, {"x_offset": 4, "y_offset": 4, "object_position": 1})
    return legend + 1 + 15


def _acquisition(g: Grid, S: Styles, L: Labels, w: WhereToAct, row: int) -> int:
    a = w.acquisition
    row = _section(g, S, row, L("act.acquisition"))
    if a.reason == "no_spend":
        _note(g, S, row, L("act.no_spend"), 9)
        return row + 2
    if a.reason is not None:
        _note(g, S, row, L(f"act.reason.{a.reason}"), 9)
        return row + 2
    lines = [(L("act.cac"), a.cac, MONEY2)]
    for k, v in a.ltv_to_cac.items():
        lines.append((L("act.ltv_cac", k=k), v, DECIMAL2))
    for i, (label, value, fmt) in enumerate(lines):
        g.text(row + i, 0, label, S.text_cell())
        g.number(row + i, 1, value, S.cell(fmt))
    r = row + len(lines)
    g.text(r, 0, L("act.payback"), S.total())
    if a.payback_month is None:
        g.merged_text(r, 1, 4, L("act.payback_none"), S.total())
    else:
        g.text(r, 1, L("col.month_k", k=a.payback_month), S.total())
    r += 1
    if a.margin is not None:
        g.text(r, 0, L("act.margin", margin=L.percent(a.margin, 0)), S.get(italic=True))
        r += 1
    if len(a.table):
        hdr = r + 1
        keys = ["month", "channel", "spend", "new_customers", "cac", "payback_month"]
        for j, key in enumerate(keys):
            g.text(hdr, j, L(f"act.col.{key}"), S.header())
        g.row_height(hdr, 30)
        for i, rec in enumerate(a.table.itertuples(index=False)):
            rr = hdr + 1 + i
            g.date(rr, 0, rec.month, S.month())
            g.text(rr, 1, rec.channel or "—", S.text_cell())
            g.number(rr, 2, rec.spend, S.cell(MONEY))
            g.number(rr, 3, rec.new_customers, S.cell(COUNT))
            g.number(rr, 4, rec.cac, S.cell(MONEY2))
            if pd.isna(rec.payback_month):
                g.text(rr, 5, "—", S.text_cell(align="center"))
            else:
                g.text(rr, 5, L("col.month_k", k=int(rec.payback_month)), S.text_cell(align="center"))
        r = hdr + 1 + len(a.table)
    return r + 1


def _split(g: Grid, S: Styles, L: Labels, split: Split | None, key: str, row: int) -> int:
    row = _section(g, S, row, L(key))
    if split is None:
        g.text(row, 0, L(f"{key}_none"), S.get(italic=True))
        return row + 2
    _note(g, S, row, L("act.split_note"), 9)
    hdr = row + 1
    cols = [c for c in SPLIT_COLUMNS if not c.endswith(("_low", "_high"))]
    g.row_height(hdr, 42)
    for j, c in enumerate(cols):
        g.text(hdr, j, L(f"act.split.{c}"), S.header())
    for i, rec in enumerate(split.table.to_dict("records")):
        r = hdr + 1 + i
        name = rec["group"]
        shown = L("act.group_none") if name == NO_VALUE else (L("act.group_other") if name == OTHER else name)
        g.text(r, 0, shown, S.text_cell(bold=True))
        for j, c in enumerate(cols[1:], start=1):
            g.number(r, j, rec[c], S.cell(_SPLIT_FORMATS[c]))
        # the 95 % intervals of the two shares, as text beside the table: small groups read with care
        for k, rate in enumerate(("repeat_purchase_rate", "retention_3m")):
            low, high = rec[f"{rate}_low"], rec[f"{rate}_high"]
            text = "" if pd.isna(low) else f"{L.percent(low, 0)}–{L.percent(high, 0)}"
            g.text(r, len(cols) + k, text, S.text_cell(align="center"))
    for k, rate in enumerate(("repeat_purchase_rate", "retention_3m")):
        g.text(hdr, len(cols) + k, L("act.split.interval", what=L(f"act.split.{rate}")), S.header())
    return hdr + 2 + len(split.table)


def _style(chart: Any, title: str, width: int, height: int) -> None:
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True, "color": "#262626"}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_plotarea({"border": {"none": True}})
    chart.set_size({"width": width, "height": height})


def _month(L: Labels, value: object) -> str:
    """"Mar 2024" / "мар 2024" / "2024年3月" for a month's first day."""
    ts = pd.Timestamp(value)
    return L("act.month", name=L("act.month_names").split(",")[ts.month - 1], year=ts.year)
