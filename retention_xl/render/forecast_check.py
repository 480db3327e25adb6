"""The "Forecast check" sheet (issue 12): how well the purchase model predicted a held-back end.

Reads ``KpiReport.forecast_check`` (engine.clv.validation.ForecastCheck) only; the
table's columns are ``BUCKET_COLUMNS`` in that order, each with a ``fc.col.*`` label.
"""

from __future__ import annotations

from typing import Any

from retention_xl.engine.clv.validation import BUCKET_COLUMNS, MAX_BUCKET, WITHHOLD_ERROR, ForecastCheck
from retention_xl.engine.report import KpiReport
from retention_xl.render.grid import Grid, cached, wrapped_lines
from retention_xl.render.labels import Labels
from retention_xl.render.sheets import _note, _page_setup, _title
from retention_xl.render.styles import CHART_COLOURS, COUNT, DECIMAL2, Styles

__all__ = ["write_forecast_check", "verdict_text"]

_FORMATS = {"repeat_purchases": "0", "customers": COUNT, "predicted": "#,##0.0", "actual": COUNT,
            "predicted_per_customer": DECIMAL2, "actual_per_customer": DECIMAL2}
_WIDTHS = (16, 12, 14, 14, 14, 14)
_VERDICT_COLOURS = {"good": "#006100", "fair": "#7F6000", "poor": "#9C5700", "withheld": "#9C0006",
                    "unchecked": "#595959"}


def verdict_text(check: ForecastCheck, L: Labels) -> str:
    """The verdict in plain words, with the error and the threshold."""
    verdict = check.verdict
    if verdict == "unchecked":
        key = f"fc.reason.{check.reason_code}"
        reason = L(key) if check.reason_code and L.has(key) else (L.message(check.reason) if check.reason else L("na"))
        return L("fc.verdict.unchecked", reason=reason)
    err = check.relative_error or 0.0
    return L(f"fc.verdict.{verdict}", error=L.percent(abs(err), 0), limit=L.percent(WITHHOLD_ERROR, 0),
             direction=L("fc.over" if err > 0 else "fc.under"))


def write_forecast_check(wb: Any, S: Styles, L: Labels, report: KpiReport) -> None:
    check = report.forecast_check
    if check is None:
        return
    sheet = L("sheet.forecast_check")
    ws = wb.add_worksheet(sheet)
    g = Grid(ws, S.get())
    _page_setup(ws, L)
    for j, w in enumerate(_WIDTHS):
        ws.set_column(j, j, w)
    last_col = len(_WIDTHS) - 1
    width = sum(_WIDTHS)
    _title(g, S, 0, L("fc.title"), last_col)
    intro = L("fc.intro", days=L.number(check.holdout_days), cal_start=L.date(check.calibration_start),
              cal_end=L.date(check.calibration_end), end=L.date(check.holdout_end))
    _note(g, S, 1, intro, last_col, width)
    verdict = verdict_text(check, L)
    g.row_height(3, 6 + 15 * wrapped_lines(verdict, width * 0.95))
    g.merged_text(3, 0, last_col, verdict,
                  S.text_cell(bold=True, text_wrap=True, valign="top", font_color=_VERDICT_COLOURS[check.verdict]))
    r = 5
    label_fmt = S.text_cell(bold=True)
    facts: list[tuple[str, Any, str | None]] = [
        (L("fc.calibration"), L("fc.window", start=L.date(check.calibration_start), end=L.date(check.calibration_end)), None),
        (L("fc.holdout"), L("fc.window_days", days=L.number(check.holdout_days), end=L.date(check.holdout_end)), None),
        (L("fc.customers"), check.customers, COUNT),
    ]
    if check.checked:
        facts += [
            (L("fc.predicted"), check.predicted_repeat_orders, "#,##0.0"),
            (L("fc.actual"), check.actual_repeat_orders, COUNT),
            (L("fc.error"), check.relative_error, "+0.0%;-0.0%;0.0%"),
            (L("fc.method"), L(f"fc.method_{check.method}"), None),
        ]
    for name, value, fmt in facts:
        g.merged_text(r, 0, 1, name, label_fmt)
        if fmt is None:
            g.merged_text(r, 2, last_col, value, S.text_cell())
        else:
            g.number(r, 2, value, S.cell(fmt))
        r += 1
    if not check.checked or len(check.buckets) == 0:
        g.flush()
        return
    r += 1
    hdr = r
    g.row_height(hdr, 32)
    for j, col in enumerate(BUCKET_COLUMNS):
        g.text(hdr, j, L(f"fc.col.{col}"), S.header())
    table = check.buckets
    first = hdr + 1
    labels = [str(v) if v < MAX_BUCKET else f"{MAX_BUCKET}+" for v in table["repeat_purchases"]]
    for i, rec in enumerate(table[list(BUCKET_COLUMNS)].itertuples(index=False)):
        row = first + i
        for j, col in enumerate(BUCKET_COLUMNS):
            if col == "repeat_purchases":
                g.text(row, j, labels[i], S.text_cell(align="center"))
            else:
                g.number(row, j, float(rec[j]), S.cell(_FORMATS[col]))
    last = first + len(table) - 1
    total = last + 1
    g.text(total, 0, L("total"), S.total())
    for j, col in enumerate(BUCKET_COLUMNS[1:], start=1):
        if col in ("customers", "predicted", "actual"):
            g.number(total, j, float(table[col].sum()), S.total(_FORMATS[col]))
        else:
            g.blank(total, j, S.total())
    chart = wb.add_chart({"type": "column"})
    for k, (col, colour) in enumerate((("predicted_per_customer", CHART_COLOURS[0]),
                                       ("actual_per_customer", CHART_COLOURS[1]))):
        j = BUCKET_COLUMNS.index(col)
        chart.add_series({
            "name": L(f"fc.col.{col}"),
            "categories": [sheet, first, 0, last, 0], "categories_data": labels,
            "values": [sheet, first, j, last, j], "values_data": cached(table[col]),
            "fill": {"color": colour}, "gap": 60,
        })
    chart.set_title({"name": L("fc.chart", days=L.number(check.holdout_days)),
                     "name_font": {"size": 11, "bold": True, "color": "#262626"}})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_x_axis({"name": L("fc.col.repeat_purchases"), "name_font": {"size": 9}, "num_font": {"size": 9}})
    chart.set_y_axis({"name": L("fc.axis"), "name_font": {"size": 9}, "num_font": {"size": 9},
                      "num_format": "0.0", "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": 520, "height": 340})
    ws.set_column(len(_WIDTHS), len(_WIDTHS), 3)
    ws.insert_chart(5, len(_WIDTHS) + 1, chart, {"x_offset": 4, "y_offset": 0})  # beside the figures: one page
    g.flush()
