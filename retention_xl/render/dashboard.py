"""The Dashboard sheet: headline tiles, the S/E/N retention block, charts, monthly trend."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from retention_xl.common.calendar import DAYS_PER_MONTH
from retention_xl.render.labels import Labels
from retention_xl.engine.report import KpiReport
from retention_xl.engine.predicted_clv import PredictedClv
from retention_xl.engine.survey import Csat, Nps
from retention_xl.messages import Message
from retention_xl.render import frames
from retention_xl.render.change import tile_change
from retention_xl.render import status as st
from retention_xl.render.grid import Grid, cached, is_missing, wrapped_lines
from retention_xl.render.styles import (ACCENT, CHART_COLOURS, COUNT, DECIMAL2, FAINT, MONEY, MONEY2, MUTED,
                     PERCENT, RULE, SCORE, STATUS_COLOURS, Styles)

FIRST_COL, LAST_COL = 1, 8  # B..I: the tile grid
TABLE_LAST_COL = 8  # the monthly table has 8 columns too
COL_WIDTH = 16
TILES_PER_ROW = 4
TILE_ROWS = 7  # title, value, detail, status, interval, change against the previous period, gap
COL_PIXELS = int(COL_WIDTH * 7 + 5)
#: Characters per line in a tile (two columns, indented): bold 10 pt title, 9 pt detail.
TILE_TITLE_CHARS = 2 * COL_WIDTH * 0.95
TILE_DETAIL_CHARS = 2 * COL_WIDTH * 1.05
REVENUE_CHART_PX, CUSTOMERS_CHART_PX, CHART_Y_OFFSET = 250, 225, 4
#: Printable area of the A4 landscape page with the margins set below, in points.
PAGE_WIDTH_PT = 841.89 - 2 * 0.4 * 72
PAGE_HEIGHT_PT = 595.28 - 2 * 0.5 * 72
#: Room for programs that lay the sheet out a little larger than Excel (LibreOffice's page
#: style takes a few points more; a substitute for a missing Calibri is wider).
HEIGHT_SLACK, WIDTH_SLACK = 0.95, 1.12
#: Below this scale the monthly table is left to run on over more pages instead.
MIN_PAGE2_SCALE = 55


def _px_to_pt(px: float) -> float:
    return px * 0.75


def _column_px(width: float) -> int:
    return int(width * 7 + 0.5) + 5  # Excel's pixels for a width in characters (Calibri 11)


def print_scale(page_heights: list[float], width_pt: float) -> int:
    """The print scale (%) at which the sheet is one page wide and each page's block fits.

    The dashboard sets its page breaks itself (page 1: headline tiles, retention block
    and revenue chart; page 2: customers chart and monthly table). Excel ignores manual
    page breaks under "fit to N pages", so the scale is a fixed percentage instead.
    The second page counts only while the table is short enough to fit at a readable size.
    """
    scale = min(100.0, 100.0 * PAGE_WIDTH_PT / (width_pt * WIDTH_SLACK))
    for i, h in enumerate(page_heights):
        fit = 100.0 * PAGE_HEIGHT_PT * HEIGHT_SLACK / h if h > 0 else 100.0
        if i == 0 or fit >= MIN_PAGE2_SCALE:
            scale = min(scale, fit)
    return max(10, int(scale))


def ref(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


@dataclass
class Tile:
    title: str
    value: float | None
    num_format: str
    detail: str
    status: st.Status
    formula: Callable[[dict[str, str]], str] | None = None  # refs -> formula text
    key: str | None = None  # headline key (comparison.FIGURES) of the interval and change lines


#: The short reason a tile gives for a KpiReport.notes message (labels ``note.*``); others say the message.
SHORT_NOTES: dict[str, str] = {
    "kpi.no_customers": "note.no_customers",
    "kpi.clv_no_customers": "note.no_customers",
    "kpi.no_orders": "note.no_orders",
    "kpi.no_priced_orders": "note.no_priced_orders",
    "kpi.crr_missing": "note.crr_missing",
    "kpi.no_lost_customers": "note.no_lost_customers",
    "kpi.no_start_customers": "note.no_start_customers",
    "kpi.short_history": "note.short_history",
    "kpi.thin_base": "note.thin_base",
    "error.negative": "note.negative_value",  # metrics refuse a negative input: refunds exceed sales
}


def short_note(L: Labels, note: Message | None) -> str:
    """Why a tile has no value, short and in the report's language."""
    if note is None:
        return L("na")
    key = SHORT_NOTES.get(note.code)
    return L(key) if key is not None else L.message(note)


def clv_reason(L: Labels, clv: PredictedClv) -> str:
    """Why there is no prediction, short and in the report's language (engine text if no code)."""
    reason = clv.reason
    if reason is None:
        return L("na")
    key = f"clv.reason.{clv.reason_code}"
    return L(key, **reason.fields) if L.has(key) else L.message(reason)


def _predicted_tile(L: Labels, clv: PredictedClv) -> Tile:
    title = L("tile.predicted_revenue", months=L.number(clv.months))
    value = clv.expected_revenue
    if value is None or is_missing(value):
        return Tile(title, None, MONEY, L("detail.predicted_none", reason=clv_reason(L, clv)), st.NO_DATA)
    high = clv.churn_risk.high if clv.churn_risk is not None else 0
    detail = L("detail.predicted_revenue", customers=L.number(clv.customers), high=L.number(high))
    return Tile(title, float(value), MONEY, detail, st.info_status(value))


def build_tiles(report: KpiReport, L: Labels) -> list[Tile]:
    r = report.retention
    bench = report.benchmark_crr
    if bench is not None and report.settings.industry:
        crr_target = L("target.crr_benchmark", industry=L.industry(report.settings.industry),
                       value=L.percent(bench))
    else:
        crr_target = L("target.crr")
    months = report.period_days / DAYS_PER_MONTH if report.period_days else None
    per_month = report.revenue / months if months else None
    clv = report.historical_clv
    if clv.value is not None:
        clv_detail = L("detail.clv", per_month=L.number(clv.monthly_revenue_per_customer, 2),
                       months=L.number(clv.lifetime_months, 1))
    else:
        reason = short_note(L, report.notes.get("historical_clv"))
        clv_detail = L("detail.clv_none", reason=reason)
    # yearly targets and benchmarks judge only a 365-day measurement over a 365-day period (issue 10)
    yearly = r.yearly and report.period_days == 365
    crr_status, churn_status = st.crr_status(r.value, bench), st.churn_status(r.churn)
    churn_target = L("target.churn")
    if not yearly and r.value is not None:
        word = "status.thin_base" if r.thin_base_days is not None else "status.not_yearly"
        crr_status = churn_status = st.Status(st.INFO, word)
        start = L.date(r.measured_from) if r.measured_from else L("na")
        crr_target = churn_target = L("detail.crr_window", days=L.number(r.window_days), start=start)
    tiles = [
        Tile(L("tile.crr"), r.value, PERCENT, crr_target, crr_status,
             (lambda refs: f"={refs['crr']}") if r.value is not None else None, "crr"),
        Tile(L("tile.churn"), r.churn, PERCENT, churn_target, churn_status,
             (lambda refs: f"={refs['churn']}") if r.churn is not None else None, "churn_rate"),
        Tile(L("tile.repeat"), report.repeat_purchase_rate, PERCENT, L("target.repeat"),
             st.repeat_status(report.repeat_purchase_rate), key="repeat_purchase_rate"),
        Tile(L("tile.return_rate"), report.return_rate, PERCENT, L("target.return"),
             st.return_status(report.return_rate), key="return_rate"),
        Tile(L("tile.customers"), report.customers, COUNT, L("detail.customers"),
             st.info_status(report.customers), key="customers"),
        Tile(L("tile.orders"), report.orders, COUNT,
             L("detail.orders", returned=L.number(report.returned_orders)), st.info_status(report.orders),
             key="orders"),
        Tile(L("tile.revenue"), report.revenue, MONEY, L("detail.revenue", per_month=L.number(per_month)),
             st.info_status(report.revenue), key="revenue"),
        Tile(L("tile.aov"), report.aov, MONEY2, L("detail.aov"), st.info_status(report.aov),
             (lambda refs: f"={refs['revenue']}/{refs['orders']}")
             if report.aov is not None and report.orders else None, "aov"),
        Tile(L("tile.frequency"), report.purchase_frequency, DECIMAL2, L("detail.frequency"),
             st.info_status(report.purchase_frequency), key="purchase_frequency"),
        Tile(L("tile.clv"), clv.value, MONEY2, clv_detail, st.info_status(clv.value), key="historical_clv"),
    ]
    survey = report.survey
    if isinstance(survey, Nps):
        tiles.append(Tile(L("tile.nps"), survey.value, SCORE, L("target.nps", n=L.number(survey.responses)),
                          st.nps_status(survey.value), key="nps"))
    elif isinstance(survey, Csat):
        tiles.append(Tile(L("tile.csat"), survey.value, PERCENT, L("target.csat", n=L.number(survey.responses)),
                          st.info_status(survey.value), key="csat"))
    if report.predicted_clv is not None:
        tiles.append(_predicted_tile(L, report.predicted_clv))
    return tiles


class WarningLine(str):
    """A header line that warns (the Dashboard shows it wrapped, in the amber of a warning)."""


def write_dashboard(wb: Any, S: Styles, L: Labels, report: KpiReport, header_lines: list[str],
                    monthly: pd.DataFrame) -> None:
    ws = wb.add_worksheet(L("sheet.dashboard"))
    g = Grid(ws, S.get())
    ws.hide_gridlines(2)
    ws.set_landscape()
    ws.set_paper(9)  # A4; Letter users get "fit to width" anyway
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.center_horizontally()
    ws.set_column(0, 0, 2)
    # issue 13: the monthly table gains the same month a year earlier where the data has it
    year_earlier = frames.year_earlier(monthly)
    extra = 0 if year_earlier is None else 1
    ws.set_column(FIRST_COL, TABLE_LAST_COL + extra, COL_WIDTH)
    ws.set_column(TABLE_LAST_COL + 1 + extra, TABLE_LAST_COL + 1 + extra, 2)
    ws.set_footer(f"&L&8{L('dash.title')}&R&8&P / &N")

    # header
    g.row_height(0, 32)
    g.merged_text(0, FIRST_COL, TABLE_LAST_COL, L("dash.title"), S.title())
    row = 1
    header_chars = (TABLE_LAST_COL - FIRST_COL + 1) * COL_WIDTH * 1.05
    for line in header_lines:
        if isinstance(line, WarningLine):  # e.g. ids Excel cut to 15 digits (issue 16): wrapped, in amber
            n_lines = wrapped_lines(line, (TABLE_LAST_COL - FIRST_COL + 1) * COL_WIDTH * 1.1)
            bg, ink = STATUS_COLOURS["warn"]
            g.row_height(row, 6 + 13 * n_lines)
            g.merged_text(row, FIRST_COL, TABLE_LAST_COL, line,
                          S.get(font_size=9, font_color=ink, bg_color=bg, text_wrap=True, valign="vcenter"))
        else:  # a long notice (other currencies, other sheets: issues 18, 19) wraps instead of running off
            n_lines = wrapped_lines(line, header_chars)  # a column choice in doubt may take two lines (issue 17)
            g.row_height(row, 16 if n_lines == 1 else 2 + 13.5 * n_lines)
            g.merged_text(row, FIRST_COL, TABLE_LAST_COL, line,
                          S.subtitle() if n_lines == 1
                          else S.get(font_size=10, font_color=MUTED, text_wrap=True, valign="top"))
        row += 1
    row += 1
    g.row_height(row, 22)
    g.merged_text(row, FIRST_COL, TABLE_LAST_COL, L("dash.headline"), S.section())
    row += 1

    tiles = build_tiles(report, L)
    tile_top = row
    n_tile_rows = math.ceil(len(tiles) / TILES_PER_ROW)
    block_top = tile_top + n_tile_rows * TILE_ROWS + 1
    # cell references the tile formulas use
    ret_rows = _retention_rows(report, L)
    refs: dict[str, str] = {}
    for i, item in enumerate(ret_rows):
        refs[item[0]] = ref(block_top + 1 + i, FIRST_COL + 3)
    value_cells = {}
    for i, tile in enumerate(tiles):
        tr, tc = divmod(i, TILES_PER_ROW)
        value_cells[tile.title] = ref(tile_top + tr * TILE_ROWS + 1, FIRST_COL + tc * 2)
    refs["revenue"] = value_cells[L("tile.revenue")]
    refs["orders"] = value_cells[L("tile.orders")]

    for tr in range(n_tile_rows):
        top = tile_top + tr * TILE_ROWS
        row_tiles = tiles[tr * TILES_PER_ROW:(tr + 1) * TILES_PER_ROW]
        title_lines = max(wrapped_lines(t.title, TILE_TITLE_CHARS) for t in row_tiles)
        detail_lines = max(2, max(wrapped_lines(t.detail, TILE_DETAIL_CHARS) for t in row_tiles))
        changes = [tile_change(report, L, t.key) for t in row_tiles]
        change_lines = max([wrapped_lines(c.change, TILE_DETAIL_CHARS) for c in changes if c and c.change] or [1])
        g.row_height(top, 19 if title_lines == 1 else 4 + 14 * title_lines)
        g.row_height(top + 1, 32)
        g.row_height(top + 2, 1 + 12 * detail_lines)
        g.row_height(top + 3, 18)
        g.row_height(top + 4, 14)
        g.row_height(top + 5, 3 + 12 * change_lines)
        g.row_height(top + 6, 8)
    for i, tile in enumerate(tiles):
        tr, tc = divmod(i, TILES_PER_ROW)
        _write_tile(g, S, L, tile_top + tr * TILE_ROWS, FIRST_COL + tc * 2, tile, refs,
                    tile_change(report, L, tile.key))

    # retention block (left) + revenue chart (right)
    g.row_height(block_top, 22)
    rr = report.retention
    ret_title = (L("dash.retention_window", days=L.number(rr.window_days), start=L.date(rr.measured_from))
                 if rr.window_days and rr.measured_from is not None and rr.measured_from != report.period_start
                 else L("dash.retention"))
    g.merged_text(block_top, FIRST_COL, FIRST_COL + 3, ret_title, S.section())
    for i, (key, label, value, fmt, formula) in enumerate(ret_rows):
        r = block_top + 1 + i
        g.row_height(r, 19 if key != "why" else max(19, 2 + 12 * wrapped_lines(value, 4 * COL_WIDTH * 1.15)))
        strong = key in ("crr", "churn")
        label_fmt = S.cell(None, bold=strong, border=0, bottom=1, bottom_color="#D9D9D9")
        if key != "why":
            g.merged_text(r, FIRST_COL, FIRST_COL + 2, label, label_fmt)
        value_fmt = S.cell(fmt, bold=strong, border=0, bottom=1, bottom_color="#D9D9D9", align="right")
        if key == "why":
            g.merged_text(r, FIRST_COL, FIRST_COL + 3, value,
                          S.get(italic=True, font_size=9, font_color=MUTED, text_wrap=True, valign="top"))
        elif isinstance(value, str):
            g.text(r, FIRST_COL + 3, value, S.cell(None, border=0, bottom=1, bottom_color="#D9D9D9",
                                                   font_color=FAINT, align="right"))
        elif formula is not None and value is not None:
            g.formula(r, FIRST_COL + 3, formula(refs), value_fmt, value)
        else:
            g.number(r, FIRST_COL + 3, value, value_fmt)
    block_end = block_top + len(ret_rows)
    block_end = _write_reconciliation(g, S, L, report, block_end + 1)

    # the monthly part starts one row below the retention block or the revenue chart beside it
    chart_pt = _px_to_pt(CHART_Y_OFFSET + REVENUE_CHART_PX)
    chart_end = block_top + 1
    while g.height(block_top, chart_end) < chart_pt:
        chart_end += 1
    month_top = max(block_end, chart_end) + 1
    chart_rows = 12
    table_top = month_top + chart_rows + 1
    has_months = len(monthly) > 0
    width_pt = _px_to_pt(2 * _column_px(2) + (TABLE_LAST_COL - FIRST_COL + 1 + extra) * _column_px(COL_WIDTH))
    pages = [g.height(0, month_top if has_months else g.last_row + 1)]
    if has_months:
        monthly, in_period = frames.monthly_display(monthly)
        month_labels = frames.month_labels(monthly, L.lang)
        monthly = monthly.drop(columns=list(frames.MONTHLY_PARTIAL))
        if year_earlier is not None:
            monthly = monthly.assign(revenue_year_earlier=year_earlier.to_numpy())
        cols = list(monthly.columns)
        before = report.data_start is not None and report.data_start <= report.period_start  # data before t0
        _write_monthly(g, S, L, monthly, in_period, table_top, month_labels,
                       L("dash.total_differs", start=L.date(report.period_start)) if before else None)
        first, last = table_top + 2, table_top + 1 + len(monthly)
        name = L("sheet.dashboard")
        col_of = {c: FIRST_COL + i for i, c in enumerate(cols)}
        data = {c: cached(monthly[c], "date" if c == "month" else "number") for c in cols}
        if any(lbl is not None for lbl in month_labels):  # partial months: the axis names them in text
            data["month"] = [frames.month_labels_all(monthly, L.lang, month_labels)[i] for i in range(len(monthly))]
        chart = _revenue_chart(wb, L, name, col_of, first, last, data)
        ws.insert_chart(block_top, FIRST_COL + 4, chart, {"x_offset": 12, "y_offset": CHART_Y_OFFSET})
        chart2 = _customers_chart(wb, L, name, col_of, first, last, data)
        ws.insert_chart(month_top, FIRST_COL, chart2, {"x_offset": 2, "y_offset": CHART_Y_OFFSET})
        ws.set_h_pagebreaks([month_top])
        pages.append(max(g.height(month_top, table_top), _px_to_pt(CHART_Y_OFFSET + CUSTOMERS_CHART_PX))
                     + g.height(table_top, g.last_row + 1))
    ws.set_print_scale(print_scale(pages, width_pt))
    g.flush()


def _write_tile(g: Grid, S: Styles, L: Labels, top: int, col: int, tile: Tile, refs: dict[str, str],
                change: Any = None) -> None:
    edge = dict(left=1, left_color=RULE, right=1, right_color=RULE, bg_color="#FFFFFF")
    g.merged_text(top, col, col + 1, tile.title,
                  S.get(bold=True, font_size=10, font_color=MUTED, text_wrap=True, valign="top",
                        top=5, top_color=ACCENT, indent=1, **edge))
    value_fmt = S.get(font_size=22, bold=True, font_color=ACCENT, num_format=tile.num_format,
                      align="left", indent=1, **edge)
    g.merge(top + 1, col, col + 1, value_fmt)
    if tile.value is None:
        g.text(top + 1, col, "—", value_fmt)
    elif tile.formula is not None:
        g.formula(top + 1, col, tile.formula(refs), value_fmt, float(tile.value))
    else:
        g.number(top + 1, col, tile.value, value_fmt)
    g.merged_text(top + 2, col, col + 1, tile.detail,
                  S.get(font_size=9, font_color=MUTED, text_wrap=True, valign="top", indent=1, **edge))
    fill, ink = STATUS_COLOURS[tile.status.level]
    g.merged_text(top + 3, col, col + 1, L(tile.status.word),
                  S.get(bold=True, font_size=10, font_color=ink, bg_color=fill, align="center",
                        left=1, left_color=RULE, right=1, right_color=RULE, bottom=1, bottom_color=RULE))
    # issue 13: under the status, the 95 % interval and the change against the previous period,
    # the change coloured only when significant
    g.merged_text(top + 4, col, col + 1, change.interval if change is not None else "",
                  S.get(font_size=9, font_color=MUTED, valign="vcenter", indent=1, **edge))
    c_fill, c_ink = STATUS_COLOURS[change.level] if change is not None and change.level in ("good", "bad") \
        else ("#FFFFFF", FAINT)
    g.merged_text(top + 5, col, col + 1, change.change if change is not None else "",
                  S.get(font_size=9, font_color=c_ink, text_wrap=True, valign="vcenter", indent=1,
                        **{**edge, "bg_color": c_fill, "bottom": 1, "bottom_color": RULE}))


def _write_reconciliation(g: Grid, S: Styles, L: Labels, report: KpiReport, top: int) -> int:
    """Gross sales − refunds = net revenue, and what was left out (issue 10); returns the next free row."""
    rec = report.reconciliation
    if rec is None:
        return top - 1
    g.row_height(top, 22)
    g.merged_text(top, FIRST_COL, FIRST_COL + 3, L("dash.reconciliation"), S.section())
    label_fmt = S.cell(None, border=0, bottom=1, bottom_color="#D9D9D9")
    money = S.cell(MONEY, border=0, bottom=1, bottom_color="#D9D9D9", align="right")
    strong_label = S.cell(None, bold=True, border=0, bottom=1, bottom_color="#D9D9D9")
    strong = S.cell(MONEY, bold=True, border=0, bottom=1, bottom_color="#D9D9D9", align="right")
    r0 = top + 1
    lines = [
        (L("rec.gross"), rec.gross_sales, None),
        (L("rec.refunds"), -rec.refunds, None),
        (L("rec.net"), rec.net_revenue, f"={ref(r0, FIRST_COL + 3)}+{ref(r0 + 1, FIRST_COL + 3)}"),
        (L("rec.not_a_sale", rows=L.number(rec.not_a_sale_rows)), rec.not_a_sale_amount, None),
        (L("rec.no_customer", rows=L.number(rec.no_customer_rows)), rec.no_customer_amount, None),
    ]
    for i, (label, value, formula) in enumerate(lines):
        r = r0 + i
        g.row_height(r, 19)
        bold = i == 2
        g.merged_text(r, FIRST_COL, FIRST_COL + 2, label, strong_label if bold else label_fmt)
        if formula is not None:
            g.formula(r, FIRST_COL + 3, formula, strong, value)
        else:
            g.number(r, FIRST_COL + 3, value, strong if bold else money)
    return r0 + len(lines) - 1


def _retention_rows(report: KpiReport, L: Labels) -> list[tuple[str, str, Any, str, Any]]:
    r = report.retention
    rows: list[tuple[str, str, Any, str, Any]] = [
        ("start", L("ret.start"), r.start, COUNT, None),
        ("end", L("ret.end"), r.end, COUNT, None),
        ("new", L("ret.new"), r.new, COUNT, None),
        ("brand_new", L("ret.brand_new"), r.brand_new, COUNT, None),
        ("won_back", L("ret.won_back"), r.won_back, COUNT, None),
        ("retained", L("ret.retained"), r.end - r.new, COUNT,
         lambda refs: f"={refs['end']}-{refs['new']}"),
    ]
    if r.value is not None and r.start:
        rows.append(("crr", L("ret.crr"), r.value, PERCENT,
                     lambda refs: f"=({refs['end']}-{refs['new']})/{refs['start']}"))
        rows.append(("churn", L("ret.churn"), r.churn, PERCENT, lambda refs: f"=1-{refs['crr']}"))
    else:
        rows.append(("crr", L("ret.crr"), "—", PERCENT, None))
        rows.append(("churn", L("ret.churn"), "—", PERCENT, None))
        none = L("ret.short_history") if r.window_days == 0 else L("ret.none")
        rows.append(("why", "", none, PERCENT, None))
    if r.window_days and r.measured_from is not None:
        if r.adaptive and r.measured_from != report.period_start:
            said = L("ret.measurement", days=L.number(r.window_days), start=L.date(r.measured_from))
        else:
            said = L("ret.measurement_period", days=L.number(r.window_days))
        rows.append(("why", "", said, PERCENT, None))
        if r.thin_base_days is not None:
            rows.append(("why", "", L("ret.thin_base", start=L.date(r.measured_from),
                                      history=L.number(r.thin_base_days), days=L.number(r.window_days)),
                         PERCENT, None))
    if report.benchmark_crr is not None and report.settings.industry:
        rows.append(("benchmark", L("ret.benchmark", industry=L.industry(report.settings.industry)),
                     report.benchmark_crr, PERCENT, None))
    return rows


MONTHLY_FORMATS = {
    "orders": COUNT, "customers": COUNT, "new_customers": COUNT, "returning_customers": COUNT,
    "active_customers": COUNT, "revenue": MONEY, "aov": MONEY2, "returned_orders": COUNT,
    "revenue_year_earlier": MONEY,
}
SUMMABLE = {"orders", "new_customers", "revenue", "returned_orders"}


def _write_monthly(g: Grid, S: Styles, L: Labels, monthly: pd.DataFrame, in_period: Any, top: int,
                   month_labels: list[str | None] | None = None, differs: str | None = None) -> None:
    """``differs``: the note to show when the months add up to more than the period (it starts mid-month)."""
    cols = list(monthly.columns)
    g.row_height(top, 22)
    g.merged_text(top, FIRST_COL, max(FIRST_COL + len(cols) - 1, TABLE_LAST_COL), L("dash.monthly"), S.section())
    g.row_height(top + 1, 30)
    for j, c in enumerate(cols):
        key = f"col.{c}"
        g.text(top + 1, FIRST_COL + j, L(key) if L.has(key) else str(c), S.header())
    first = top + 2
    for i, rec in enumerate(monthly.itertuples(index=False)):
        r = first + i
        band: dict[str, Any] = {"bg_color": "#F7F9FC"} if i % 2 else {}
        if not in_period[i]:
            band["font_color"] = FAINT
        for j, c in enumerate(cols):
            v = rec[j]
            if c == "month" and month_labels is not None and month_labels[i] is not None:
                g.text(r, FIRST_COL + j, month_labels[i], S.text_cell(italic=True, **band))
            elif c == "month":
                g.date(r, FIRST_COL + j, v, S.month(**band))
            elif isinstance(v, str):
                g.text(r, FIRST_COL + j, v, S.text_cell(**band))
            else:
                g.number(r, FIRST_COL + j, v, S.cell(MONTHLY_FORMATS.get(c, "#,##0.##"), **band))
    last = first + len(monthly) - 1
    total = last + 1
    note_row = total + 1
    if not all(in_period):
        g.merged_text(note_row, FIRST_COL, TABLE_LAST_COL, L("dash.outside_period"), S.note())
        note_row += 1
    elif differs is not None:
        g.merged_text(note_row, FIRST_COL, TABLE_LAST_COL, differs, S.note())
        note_row += 1
    if month_labels is not None and any(lbl is not None for lbl in month_labels):
        g.merged_text(note_row, FIRST_COL, TABLE_LAST_COL, L("dash.partial_months"), S.note())
    g.text(total, FIRST_COL, L("total") if all(in_period) and differs is None else L("dash.total_all"), S.total())
    col_of = {c: FIRST_COL + j for j, c in enumerate(cols)}
    for j, c in enumerate(cols[1:], start=1):
        col = FIRST_COL + j
        fmt = S.total(MONTHLY_FORMATS.get(c, "#,##0.##"))
        if c in SUMMABLE:
            values = pd.to_numeric(monthly[c], errors="coerce")
            g.formula(total, col, f"=SUM({ref(first, col)}:{ref(last, col)})", fmt, float(values.sum()))
        elif c == "aov":
            orders = float(pd.to_numeric(monthly["orders"], errors="coerce").sum())
            revenue = float(pd.to_numeric(monthly["revenue"], errors="coerce").sum())
            if orders:
                g.formula(total, col, f"={ref(total, col_of['revenue'])}/{ref(total, col_of['orders'])}",
                          fmt, revenue / orders)
            else:
                g.blank(total, col, fmt)
        else:
            g.blank(total, col, fmt)


def _axis_font() -> dict[str, Any]:
    return {"size": 8, "color": "#595959"}


def _revenue_chart(wb: Any, L: Labels, sheet: str, col_of: dict[str, int], first: int, last: int,
                   data: dict[str, list[Any]]) -> Any:
    mc = col_of["month"]
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": L("axis.revenue"),
        "categories": [sheet, first, mc, last, mc], "categories_data": data["month"],
        "values": [sheet, first, col_of["revenue"], last, col_of["revenue"]], "values_data": data["revenue"],
        "fill": {"color": CHART_COLOURS[0]}, "gap": 60,
    })
    line = wb.add_chart({"type": "line"})
    line.add_series({
        "name": L("axis.orders"),
        "categories": [sheet, first, mc, last, mc], "categories_data": data["month"],
        "values": [sheet, first, col_of["orders"], last, col_of["orders"]], "values_data": data["orders"],
        "y2_axis": True, "line": {"color": CHART_COLOURS[1], "width": 2.25},
        "marker": {"type": "none"},
    })
    chart.combine(line)
    line.set_y2_axis({"name": L("axis.orders"), "num_font": _axis_font(), "name_font": _axis_font(),
                      "major_gridlines": {"visible": False}, "num_format": "#,##0"})
    _style_chart(chart, L("chart.revenue_orders"), 4 * COL_PIXELS - 14, REVENUE_CHART_PX, L("fmt.month"))
    chart.set_y_axis({"name": L("axis.revenue"), "num_format": "#,##0", "num_font": _axis_font(),
                      "name_font": _axis_font(), "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    return chart


def _customers_chart(wb: Any, L: Labels, sheet: str, col_of: dict[str, int], first: int, last: int,
                     data: dict[str, list[Any]]) -> Any:
    mc = col_of["month"]
    series = ("new_customers", "returning_customers")
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for i, c in enumerate(series):
        chart.add_series({
            "name": L(f"col.{c}"),
            "categories": [sheet, first, mc, last, mc], "categories_data": data["month"],
            "values": [sheet, first, col_of[c], last, col_of[c]], "values_data": data[c],
            "fill": {"color": CHART_COLOURS[i]}, "gap": 50, "overlap": 100,
        })
    _style_chart(chart, L("chart.customers"), 8 * COL_PIXELS - 8, CUSTOMERS_CHART_PX, L("fmt.month"))
    chart.set_y_axis({"name": L("axis.customers"), "num_format": "#,##0", "num_font": _axis_font(),
                      "name_font": _axis_font(), "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    return chart


def _style_chart(chart: Any, title: str, width: int, height: int, month_format: str) -> None:
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True, "color": "#262626"}})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    # a text axis: one label per month as the table has it (a date axis of a single month was
    # drawn from the start of the year, labelled "Jan 2024" for March)
    chart.set_x_axis({"num_font": {"size": 8, "rotation": -45, "color": "#595959"}, "num_format": month_format,
                      "text_axis": True,
                      "line": {"color": "#BFBFBF"}, "major_tick_mark": "none"})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_plotarea({"border": {"none": True}})
    chart.set_size({"width": width, "height": height})
