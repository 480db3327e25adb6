"""Cohorts, Segments, Customers, Data issues and Methodology sheets."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from retention_xl.render.labels import Labels
from retention_xl.engine.predicted_clv import RISK_BANDS, ClvModelParams
from retention_xl.engine import tables
from retention_xl.engine.report import KpiReport
from retention_xl.messages import SKIP_REASONS, Message, describe_skip
from retention_xl.render.grid import Grid, as_date, cached, clip, is_missing, wrapped_lines
from retention_xl.render.styles import (ACCENT, CHART_COLOURS, COUNT, DECIMAL2, FAINT, MONEY, MONEY2, PERCENT, PERCENT0,
                                        Styles)
from retention_xl.render import frames
from retention_xl.render.change import methodology_rows


def _page_setup(ws: Any, L: Labels, landscape: bool = True) -> None:
    if landscape:
        ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.fit_to_pages(1, 0)
    ws.set_footer(f"&L&8{L('dash.title')} · &A&R&8&P / &N")


def _title(g: Grid, S: Styles, row: int, text: str, last_col: int) -> None:
    g.row_height(row, 28)
    g.text(row, 0, text, S.title())


def _note(g: Grid, S: Styles, row: int, text: str, last_col: int, width_chars: float) -> None:
    g.row_height(row, 4 + 13 * wrapped_lines(text, width_chars * 1.1))
    g.merged_text(row, 0, last_col, text, S.note())


# ---------------------------------------------------------------- cohorts


def write_cohorts(wb: Any, S: Styles, L: Labels, report: KpiReport) -> None:
    ws = wb.add_worksheet(L("sheet.cohorts"))
    g = Grid(ws, S.get())
    _page_setup(ws, L)
    cohorts = report.cohorts if report.cohorts is not None else pd.DataFrame()
    size_col = tables.COHORTS.columns[0].name  # "customers", then the months since the first order 0, 1, 2 …
    month_cols = [c for c in cohorts.columns if c != size_col]
    n_cols = 2 + len(month_cols)
    last_col = max(n_cols - 1, 9)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 11)
    ws.set_column(2, max(2, n_cols - 1), 8.5)
    _title(g, S, 0, L("cohorts.title"), last_col)
    _note(g, S, 1, L("cohorts.note"), min(last_col, 13), 18 + 11 + 8.5 * (min(last_col, 13) - 1))
    if len(cohorts) == 0:
        g.text(3, 0, L("cohorts.empty"), S.get(italic=True))
        g.flush()
        return
    hdr = 3
    g.row_height(hdr, 30)
    g.text(hdr, 0, L("col.cohort"), S.header())
    g.text(hdr, 1, L("col.cohort_size"), S.header())
    for j, c in enumerate(month_cols):
        k = _month_number(c, j)
        g.text(hdr, 2 + j, L("col.month_k", k=k), S.header())
    first = hdr + 1
    values = cohorts[month_cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    sizes = pd.to_numeric(cohorts[size_col], errors="coerce").to_numpy(dtype=float) if size_col else None
    partial = _partial_cells(report, cohorts.index, [_month_number(c, j) for j, c in enumerate(month_cols)])
    partial_fmt = S.cell(PERCENT0, align="center", border_color="#FFFFFF", italic=True, font_color="#7F7F7F",
                         pattern=8, fg_color="#D9D9D9", bg_color="#F2F2F2")
    for i, label in enumerate(cohorts.index):
        r = first + i
        d = as_date(label)
        if d is not None:
            g.date(r, 0, d, S.month(bold=True))
        else:
            g.text(r, 0, label, S.text_cell(bold=True))
        g.number(r, 1, None if sizes is None else sizes[i], S.cell(COUNT))
        for j in range(len(month_cols)):
            v = values[i, j]
            fmt = partial_fmt if partial[i, j] else S.cell(PERCENT0, align="center", border_color="#FFFFFF")
            g.number(r, 2 + j, v, fmt)
    last = first + len(cohorts) - 1
    if len(month_cols) > 1:
        # the colour scale leaves out the cells of partial months (shaded apart, issue 10)
        ranges = _ranges_without(first, 3, last, 1 + len(month_cols), partial[:, 1:], 3)
        if ranges:
            ws.conditional_format(first, 3, last, 1 + len(month_cols), {
                "type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B",
                "multi_range": " ".join(ranges),
            })
    if partial.any():
        names = [frames.month_labels(report.monthly.iloc[[k]], L.lang)[0]
                 for k in np.flatnonzero(report.monthly["partial"].to_numpy(dtype=bool))]
        _note(g, S, last + 2, L("cohorts.partial", months="”, “".join(n for n in names if n)),
              min(last_col, 13), 18 + 11 + 8.5 * (min(last_col, 13) - 1))
    ws.freeze_panes(first, 2)
    ws.repeat_rows(hdr)
    g.flush()


def _partial_cells(report: KpiReport, cohort_index: Any, ks: list[int]) -> np.ndarray:
    """(cohort, k) cells whose calendar month (cohort month + k) the data covers only in part."""
    out = np.zeros((len(cohort_index), len(ks)), dtype=bool)
    monthly = report.monthly
    if monthly is None or "partial" not in monthly.columns or not len(cohort_index):
        return out
    part = {pd.Timestamp(m).to_period("M") for m, p in zip(monthly["month"], monthly["partial"]) if p}
    if not part:
        return out
    for i, label in enumerate(cohort_index):
        d = as_date(label)
        if d is None:
            continue
        c = pd.Timestamp(d).to_period("M")
        for j, k in enumerate(ks):
            out[i, j] = (c + k) in part
    return out


def _ranges_without(r0: int, c0: int, r1: int, c1: int, skip: np.ndarray, col_offset: int) -> list[str]:
    """A1 ranges covering rows r0..r1 × cols c0..c1 minus the cells marked in ``skip`` (rows × cols)."""
    from xlsxwriter.utility import xl_range
    out = []
    for i in range(r1 - r0 + 1):
        run_start = None
        for c in range(c0, c1 + 2):
            inside = c <= c1 and not skip[i, c - col_offset]
            if inside and run_start is None:
                run_start = c
            elif not inside and run_start is not None:
                out.append(xl_range(r0 + i, run_start, r0 + i, c - 1))
                run_start = None
    return out


def _month_number(col: object, j: int) -> int:
    try:
        return int(str(col).strip().lstrip("Mm+"))
    except ValueError:
        return j


# ---------------------------------------------------------------- segments

SEGMENT_FORMATS = {"customers": COUNT, "share": PERCENT, "revenue": MONEY, "revenue_share": PERCENT,
                   "avg_recency": "#,##0", "avg_frequency": DECIMAL2, "avg_monetary": MONEY2,
                   "predicted_clv": MONEY, "avg_predicted_clv": MONEY2}  # predicted: issue 12


def write_segments(wb: Any, S: Styles, L: Labels, report: KpiReport) -> None:
    ws = wb.add_worksheet(L("sheet.segments"))
    g = Grid(ws, S.get())
    _page_setup(ws, L)
    seg = frames.segment_table(report.segments)
    cols = [c for c in seg.columns if c in SEGMENT_FORMATS or c == "segment"]
    widths = {"segment": 24, "customers": 12, "share": 12, "revenue": 14, "revenue_share": 12,
              "avg_recency": 14, "avg_frequency": 12, "avg_monetary": 14, "predicted_clv": 15,
              "avg_predicted_clv": 15}
    for j, c in enumerate(cols):
        ws.set_column(j, j, widths.get(c, 13))
    action_col = len(cols)
    ws.set_column(action_col, action_col, 58)
    _title(g, S, 0, L("segments.title"), action_col)
    _note(g, S, 1, L("segments.note") + " " + L("segments.totals", end=L.date(report.period_end)), action_col,
          sum(widths.get(c, 13) for c in cols) + 58)
    if len(seg) == 0:
        g.text(3, 0, L("segments.empty"), S.get(italic=True))
        g.flush()
        return
    hdr = 3
    g.row_height(hdr, 32)
    heads = {"segment": "col.segment", "customers": "col.customers", "share": "col.share",
             "revenue": "col.revenue", "revenue_share": "col.revenue_share",
             "avg_recency": "col.avg_recency", "avg_frequency": "col.avg_frequency",
             "avg_monetary": "col.avg_monetary", "predicted_clv": "col.segment_predicted_clv",
             "avg_predicted_clv": "col.avg_predicted_clv"}
    months = L.number(report.settings.clv_months)
    for j, c in enumerate(cols):
        g.text(hdr, j, L(heads[c], months=months), S.header())
    g.text(hdr, action_col, L("col.action"), S.header())
    first, last = hdr + 1, hdr + len(seg)
    total_row = last + 1
    col_of = {c: j for j, c in enumerate(cols)}
    totals: dict[str, float] = {}
    for c in ("customers", "revenue", "predicted_clv"):
        if c in seg.columns:
            totals[c] = float(pd.to_numeric(seg[c], errors="coerce").sum())
    from retention_xl.render.dashboard import ref
    for i, rec in enumerate(seg[cols].itertuples(index=False)):
        r = first + i
        name, action = L.segment(rec[col_of["segment"]])
        line_h = max(1, wrapped_lines(action, 58 * 1.25))
        g.row_height(r, max(18, 4 + 13 * line_h))
        for j, c in enumerate(cols):
            v = rec[j]
            if c == "segment":
                g.text(r, j, name, S.text_cell(bold=True))
            elif c == "share" and totals.get("customers"):
                cc = col_of["customers"]
                g.formula(r, j, f"={ref(r, cc)}/{ref(total_row, cc)}", S.cell(PERCENT),
                          float(rec[cc]) / totals["customers"])
            elif c == "revenue_share" and totals.get("revenue"):
                rc = col_of["revenue"]
                g.formula(r, j, f"={ref(r, rc)}/{ref(total_row, rc)}", S.cell(PERCENT),
                          float(rec[rc]) / totals["revenue"])
            elif isinstance(v, str):
                g.text(r, j, v, S.text_cell())
            else:
                g.number(r, j, v, S.cell(SEGMENT_FORMATS.get(c)))
        g.text(r, action_col, action, S.text_cell(text_wrap=True))
    g.text(total_row, 0, L("total"), S.total())
    for j, c in enumerate(cols[1:], start=1):
        fmt = S.total(SEGMENT_FORMATS.get(c))
        if c in totals:
            g.formula(total_row, j, f"=SUM({ref(first, j)}:{ref(last, j)})", fmt, totals[c])
        elif c in ("share", "revenue_share"):
            base = "customers" if c == "share" else "revenue"
            if totals.get(base):
                g.formula(total_row, j, f"=SUM({ref(first, j)}:{ref(last, j)})", fmt,
                          float(sum(float(x) for x in seg[base]) / totals[base]))
            else:
                g.blank(total_row, j, fmt)
        else:
            g.blank(total_row, j, fmt)
    g.blank(total_row, action_col, S.total())
    ws.freeze_panes(first, 1)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": L("col.customers"),
        "categories": [L("sheet.segments"), first, 0, last, 0],
        "categories_data": cached([L.segment(v)[0] for v in seg["segment"]], "text"),
        "values": [L("sheet.segments"), first, col_of["customers"], last, col_of["customers"]],
        "values_data": cached(seg["customers"]),
        "fill": {"color": CHART_COLOURS[0]}, "gap": 40,
        "data_labels": {"value": True, "num_format": "#,##0", "font": {"size": 8}},
    })
    chart.set_title({"name": L("chart.segments"), "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9}, "major_tick_mark": "none"})
    chart.set_x_axis({"num_format": "#,##0", "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": 620, "height": max(240, 28 * len(seg) + 80)})
    ws.insert_chart(total_row + 2, 0, chart, {"x_offset": 4, "y_offset": 4})
    g.flush()


# ---------------------------------------------------------------- customers

CUSTOMER_FORMATS = {
    "first_order": "date", "last_order": "date", "recency_days": COUNT, "frequency": COUNT,
    "monetary": MONEY2, "aov": MONEY2, "returned_orders": COUNT, "r_score": "0", "f_score": "0", "m_score": "0", "p_alive": PERCENT,
    "expected_purchases": DECIMAL2, "predicted_clv": MONEY2,
    "expected_90d": DECIMAL2, "next_order_date": "date", "value_at_risk": MONEY2,  # issue 12
}
CUSTOMER_WIDTHS = {"customer_id": 16, "customer_name": 24, "email": 30, "phone": 16, "first_order": 12,
                   "last_order": 12, "recency_days": 12, "frequency": 9, "monetary": 13, "r_score": 5,
                   "f_score": 5, "m_score": 5, "rfm_score": 9, "segment": 22, "p_alive": 13,
                   "expected_purchases": 13, "predicted_clv": 14, "churn_risk": 10, "why": 18, "channel": 14,
                   "returned_orders": 10, "aov": 11, "active": 11,
                   "expected_90d": 12, "next_order_date": 12, "value_at_risk": 13}


def write_customers(wb: Any, S: Styles, L: Labels, report: KpiReport) -> int:
    """Write the Customers sheet; returns the number of customers listed."""
    ws = wb.add_worksheet(L("sheet.customers"))
    g = Grid(ws, S.get())
    _page_setup(ws, L)
    settings = report.settings
    table = frames.customer_table(report.customers_table, drop_personal=settings.anonymize)
    total = len(table)
    if settings.all_customers:
        picked, why = table, None
        value_col = frames.value_column(table)
        if value_col:
            picked = table.sort_values(value_col, ascending=False, kind="stable")
        note = L("customers.all", total=L.number(total))
    else:
        picked, why = frames.select_customers(table, max(1, settings.customer_rows))
        note = (L("customers.selection", shown=L.number(len(picked)), total=L.number(total), why=L("col.why"))
                if len(picked) < total else L("customers.all", total=L.number(total)))
    note += " " + L("customers.scope", end=L.date(report.period_end))
    if "active" in picked.columns and report.active_days:
        note += " " + L("active.note", days=L.number(report.active_days))
    if settings.anonymize:
        note += " " + L("customers.anonymized")
    check = report.forecast_check
    if check is not None and check.withheld:
        note += " " + L("customers.forecast_withheld", error=L.percent(abs(check.relative_error), 0))
    cols = list(picked.columns)
    n_cols = len(cols) + (1 if why is not None else 0)
    for j, c in enumerate(cols):
        ws.set_column(j, j, CUSTOMER_WIDTHS.get(c, 14))
    if why is not None:
        ws.set_column(len(cols), len(cols), CUSTOMER_WIDTHS["why"])
    width = sum(CUSTOMER_WIDTHS.get(c, 14) for c in cols) + (18 if why is not None else 0)
    _title(g, S, 0, L("customers.title"), n_cols - 1)
    _note(g, S, 1, note, max(n_cols - 1, 0), width)
    hdr = 3
    months = L.number(settings.clv_months)
    heads = [L(f"col.{c}", months=months) if L.has(f"col.{c}") else str(c) for c in cols]
    lines = max([wrapped_lines(h, CUSTOMER_WIDTHS.get(c, 14) * 0.9) for h, c in zip(heads, cols)] + [2])
    g.row_height(hdr, 4 + 14 * lines)
    for j, head in enumerate(heads):
        g.text(hdr, j, head, S.header())
    if why is not None:
        g.text(hdr, len(cols), L("col.why"), S.header())
    g.flush()

    # stream the rows (constant_memory: strictly in order)
    fmt_text = S.text_cell()
    fmt_date = S.date()
    fmts = {c: (fmt_date if CUSTOMER_FORMATS.get(c) == "date" else S.cell(CUSTOMER_FORMATS.get(c, "General")))
            for c in cols}
    columns = [_column_values(picked[c], c, L) for c in cols]
    why_words = [L("why.top"), L("why.risk"), L("why.net_nonpositive")]
    why_fmts = [S.text_cell(), S.text_cell(font_color="#9C0006"), S.text_cell(font_color=FAINT)]
    # churn risk: centred (it sits between numbers); "high" in the same red as "At risk"
    risk_fmt = S.text_cell(align="center")
    risk_high = (L("risk.high"), S.text_cell(align="center", font_color="#9C0006"))
    col_fmt = [risk_fmt if c == "churn_risk" else fmt_text for c in cols]
    first = hdr + 1
    for i in range(len(picked)):
        r = first + i
        for j, (kind, values) in enumerate(columns):
            v = values[i]
            if kind == "text":
                f = risk_high[1] if v == risk_high[0] and col_fmt[j] is risk_fmt else col_fmt[j]
                if v is None:
                    ws.write_blank(r, j, None, f)
                else:
                    ws.write_string(r, j, clip(v), f)
            elif kind == "date":
                if v is None:
                    ws.write_blank(r, j, None, fmt_date)
                else:
                    ws.write_datetime(r, j, v, fmt_date)
            else:
                if v is None:
                    ws.write_blank(r, j, None, fmts[cols[j]])
                else:
                    ws.write_number(r, j, v, fmts[cols[j]])
        if why is not None:
            ws.write_string(r, len(cols), why_words[why[i]], why_fmts[why[i]])
    last = first + max(len(picked), 1) - 1
    ws.autofilter(hdr, 0, last, max(n_cols - 1, 0))
    ws.freeze_panes(first, 1)
    ws.repeat_rows(hdr)
    return len(picked)


def _column_values(series: pd.Series, canon: str, L: Labels) -> tuple[str, list[Any]]:
    from datetime import datetime
    kind = CUSTOMER_FORMATS.get(canon)
    if pd.api.types.is_datetime64_any_dtype(series) and getattr(series.dtype, "tz", None) is None:
        days = series.to_numpy(dtype="datetime64[D]")
        return "date", [None if d is None else datetime(d.year, d.month, d.day) for d in days.tolist()]
    if kind == "date" or pd.api.types.is_datetime64_any_dtype(series):
        out = []
        for v in series.tolist():
            d = as_date(v)
            out.append(None if d is None else datetime(d.year, d.month, d.day))
        return "date", out
    if pd.api.types.is_bool_dtype(series):
        yes, no = L("yes"), L("no")
        return "text", [None if is_missing(v) else (yes if v else no) for v in series.tolist()]
    if canon == "segment":
        return "text", [None if is_missing(v) else L.segment(v)[0] for v in series.tolist()]
    if canon == "churn_risk":
        words = {band: L(f"risk.{band}") for band in ("low", "medium", "high")}
        return "text", [None if is_missing(v) else words.get(str(v), str(v)) for v in series.tolist()]
    if canon == "customer_id" or not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "text", [None if is_missing(v) else str(v) for v in series.tolist()]
    arr = series.to_numpy(dtype=float, na_value=np.nan)
    return "number", [None if not np.isfinite(v) else float(v) for v in arr]


# ---------------------------------------------------------------- data issues


def raw_columns(skipped: pd.DataFrame, headers: Iterable[str]) -> list[str] | None:
    """Headers to spread raw values over, when every raw value is a mapping."""
    raws = skipped["raw"].tolist() if "raw" in skipped.columns else []
    if not raws or not all(isinstance(x, dict) for x in raws):
        return None
    seen: dict[str, None] = {str(h): None for h in headers}
    for x in raws:
        for k in x:
            seen.setdefault(str(k), None)
    used = {str(k) for x in raws for k in x}
    return [h for h in seen if h in used]


def raw_text(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and is_missing(raw)):
        return ""
    if isinstance(raw, dict):
        return " · ".join(f"{k}: {'' if is_missing(v) else v}" for k, v in raw.items())
    if isinstance(raw, (list, tuple)):
        return " | ".join("" if is_missing(v) else str(v) for v in raw)
    return str(raw)


def write_issues(wb: Any, S: Styles, L: Labels, report: KpiReport, skipped: pd.DataFrame,
                 headers: list[str], limit: int, csv_name: str | None, hide_raw: bool) -> int:
    """Write the Data issues sheet; returns the number of rows listed on it."""
    ws = wb.add_worksheet(L("sheet.issues"))
    g = Grid(ws, S.get())
    _page_setup(ws, L)
    n = len(skipped)
    spread = None if hide_raw else raw_columns(skipped, headers)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 46)
    if spread:
        ws.set_column(2, 2 + len(spread) - 1, 16)
    else:
        ws.set_column(2, 2, 90)
    _title(g, S, 0, L("issues.title"), 2)
    summary = (L("issues.summary", skipped=L.number(n), read=L.number(report.rows_read)) if n
               else L("issues.none", read=L.number(report.rows_read)))
    g.row_height(1, 30)
    g.merged_text(1, 0, 2, summary, S.note())
    if n == 0:
        g.flush()
        return 0
    # counts by kind of problem (the values differ from row to row; the kinds are few)
    counts = pd.Series(skip_reasons(skipped, L, with_values=False)).value_counts(sort=True)
    r = 3
    g.text(r, 0, L("issues.by_reason"), S.get(bold=True, font_size=11, font_color=ACCENT))
    r += 1
    g.text(r, 0, L("col.count"), S.header())
    g.text(r, 1, L("col.reason"), S.header())
    for reason, count in counts.items():
        r += 1
        g.number(r, 0, int(count), S.cell(COUNT))
        g.text(r, 1, reason, S.text_cell(text_wrap=True))
    r += 1
    g.number(r, 0, n, S.total(COUNT))
    g.text(r, 1, L("total"), S.total())
    r += 2
    shown = min(n, limit)
    g.text(r, 0, L("issues.rows"), S.get(bold=True, font_size=11, font_color=ACCENT))
    if shown < n:
        r += 1
        g.merged_text(r, 0, 2, L("issues.truncated", shown=L.number(shown), total=L.number(n),
                                 csv=csv_name or ""), S.get(bold=True, font_color="#9C0006", text_wrap=True))
        g.row_height(r, 30)
    if hide_raw:
        r += 1
        g.text(r, 0, L("issues.raw_hidden"), S.get(italic=True, font_size=9, font_color="#595959"))
    r += 1
    hdr = r
    # issue 19: rows read from several sheets name their sheet in a first column
    sheets = skipped["sheet"].tolist() if "sheet" in skipped.columns else None
    sc = 1 if sheets is not None else 0
    if sc:
        ws.set_column(0, 0, 14)
        ws.set_column(1, 1, 10)
        ws.set_column(2, 2, 46)
        ws.set_column(3, 3 + (len(spread) if spread else 1) - 1, 16 if spread else 90)
        g.text(hdr, 0, L("col.sheet"), S.header())
    g.row_height(hdr, 30)
    g.text(hdr, sc, L("col.row"), S.header())
    g.text(hdr, sc + 1, L("col.reason"), S.header())
    if spread:
        for j, h in enumerate(spread):
            g.text(hdr, sc + 2 + j, h, S.header())
    elif not hide_raw:
        g.text(hdr, sc + 2, L("col.raw"), S.header())
    g.flush()
    fmt_text = S.text_cell()
    fmt_row = S.cell("0", align="center")
    rows = skipped["row"].tolist()
    reasons = skip_reasons(skipped, L)
    raws = skipped["raw"].tolist() if "raw" in skipped.columns else [None] * n
    for i in range(shown):
        rr = hdr + 1 + i
        if sc:
            ws.write_string(rr, 0, clip(str(sheets[i] or "")), fmt_text)
        if is_missing(rows[i]):
            ws.write_blank(rr, sc, None, fmt_row)
        else:
            ws.write_number(rr, sc, int(rows[i]), fmt_row)
        ws.write_string(rr, sc + 1, clip(reasons[i]), fmt_text)
        if hide_raw:
            continue
        if spread:
            raw = raws[i]
            for j, h in enumerate(spread):
                v = raw.get(h)
                ws.write_string(rr, sc + 2 + j, "" if is_missing(v) else clip(v), fmt_text)
        else:
            ws.write_string(rr, sc + 2, clip(raw_text(raws[i])), fmt_text)
    last_col = sc + (1 if hide_raw else (1 + len(spread) if spread else 2))
    ws.autofilter(hdr, 0, hdr + shown, last_col)
    ws.freeze_panes(hdr + 1, 0)
    ws.repeat_rows(hdr)
    return shown


def skip_reasons(skipped: pd.DataFrame, L: Labels, with_values: bool = True) -> list[str]:
    """Each skipped row's reason in the report's language (or just the kind of problem).

    Rows without reason codes (``parts``) keep the reader's own words.
    """
    words = {code: L(f"reason.{code}") for code in SKIP_REASONS}
    parts = skipped["parts"].tolist() if "parts" in skipped.columns else [None] * len(skipped)
    return [describe_skip(p, words, with_values) if isinstance(p, tuple) and p else str(r)
            for p, r in zip(parts, skipped["reason"].tolist())]


def issues_csv_frame(skipped: pd.DataFrame, headers: list[str], hide_raw: bool, L: Labels) -> pd.DataFrame:
    """All skipped rows as a table for the CSV beside the report."""
    out = pd.DataFrame({L("col.row"): skipped["row"].to_numpy(), L("col.reason"): skip_reasons(skipped, L)})
    if "sheet" in skipped.columns:  # issue 19: rows from several sheets
        out.insert(0, L("col.sheet"), skipped["sheet"].astype(str).to_numpy())
    if hide_raw or "raw" not in skipped.columns:
        return out
    spread = raw_columns(skipped, headers)
    if spread:
        raws = skipped["raw"].tolist()
        for h in spread:
            out[h] = ["" if is_missing(x.get(h)) else str(x.get(h)) for x in raws]
    else:
        out[L("col.raw")] = [raw_text(x) for x in skipped["raw"].tolist()]
    return out


# ---------------------------------------------------------------- methodology


def write_methodology(wb: Any, S: Styles, L: Labels, report: KpiReport, settings_rows: list[tuple[str, str]],
                      column_rows: list[tuple[str, str]], notes: list[str]) -> None:
    ws = wb.add_worksheet(L("sheet.methodology"))
    g = Grid(ws, S.get())
    _page_setup(ws, L, landscape=False)
    ws.hide_gridlines(2)
    W0, W1 = 30, 92
    ws.set_column(0, 0, W0)
    ws.set_column(1, 1, W1)
    _title(g, S, 0, L("meth.title"), 1)
    _note(g, S, 1, L("meth.intro"), 1, W0 + W1)
    r = 3

    def section(title: str) -> None:
        nonlocal r
        g.row_height(r, 22)
        g.merged_text(r, 0, 1, title, S.section())
        r += 1

    def pair(a: str, b: str, bold: bool = False) -> None:
        nonlocal r
        lines = max(wrapped_lines(a, W0 * 1.05), wrapped_lines(b, W1 * 1.1))
        g.row_height(r, 4 + 13.5 * lines)
        g.text(r, 0, a, S.text_cell(bold=True, text_wrap=True, valign="top"))
        g.text(r, 1, b, S.text_cell(text_wrap=True, valign="top", bold=bold))
        r += 1

    def header(a: str, b: str) -> None:
        nonlocal r
        g.text(r, 0, a, S.header(align="left"))
        g.text(r, 1, b, S.header(align="left"))
        r += 1

    section(L("meth.parameters"))
    header(L("meth.parameter"), L("meth.value"))
    for a, b in settings_rows:
        pair(a, b)
    r += 1
    section(L("meth.columns"))
    header(L("meth.field"), L("meth.header"))
    for a, b in column_rows:
        pair(a, b)
    r += 1
    section(L("meth.formulas"))
    header(L("meth.metric"), L("meth.definition"))
    fmt_d = L.date
    for title, key, fields in [
        ("tile.revenue", "def.revenue", {}),
        ("tile.orders", "def.orders", {}),
        ("tile.customers", "def.customers", {}),
        ("tile.crr", "def.crr", {"start": fmt_d(report.retention.measured_from or report.period_start),
                                 "end": fmt_d(report.period_end)}),
        ("tile.churn", "def.churn", {}),
        ("tile.repeat", "def.repeat", {}),
        ("tile.aov", "def.aov", {}),
        ("tile.frequency", "def.frequency", {"days": L.number(report.period_days)}),
        ("tile.return_rate", "def.return_rate", {}),
        ("tile.clv", "def.clv", {"days": L.number(report.period_days),
                                 "window": L.number(report.historical_clv.window_days or report.period_days)}),
        ("tile.nps", "def.nps", {}),
        ("tile.csat", "def.csat", {}),
        ("sheet.cohorts", "def.cohorts", {"end": fmt_d(report.period_end)}),
        ("sheet.segments", "def.rfm", {"end": fmt_d(report.period_end)}),
        ("dash.period", "def.dates", {}),
    ]:
        pair(L(title), L(key, **fields))
        if key == "def.clv" and report.historical_clv.value is not None:
            pair("", clv_inputs(report, L))
    r += 1
    change_rows = methodology_rows(report, L)  # issue 13: previous period, intervals and tests
    if change_rows:
        section(L("meth.change"))
        for a, b in change_rows:
            pair(a, b)
        r += 1
    clv_rows = predicted_clv_rows(report, L)
    if clv_rows:
        section(L("meth.clv"))
        for a, b in clv_rows:
            pair(a, b)
        r += 1
    section(L("meth.targets"))
    for key in ("target.text_crr", "target.text_benchmarks", "target.text_repeat", "target.text_nps",
                "target.text_return", "target.text_colours"):
        text = L(key)
        g.row_height(r, 4 + 13.5 * wrapped_lines(text, (W0 + W1) * 1.1))
        g.merged_text(r, 0, 1, text, S.text_cell(text_wrap=True, valign="top"))
        r += 1
    if notes:
        r += 1
        section(L("meth.notes"))
        for note in notes:
            g.row_height(r, 4 + 13.5 * wrapped_lines(note, (W0 + W1) * 1.1))
            g.merged_text(r, 0, 1, note, S.text_cell(text_wrap=True, valign="top"))
            r += 1
    g.flush()


def forecast_method_rows(report: KpiReport, L: Labels, model: ClvModelParams) -> list[tuple[str, str]]:
    """Issue 12: which fit was used, and the holdout check in one line (details on "Forecast check")."""
    from retention_xl.render.forecast_check import verdict_text

    method = model.method or "mle"
    rows = [(L("meth.clv_method"), L(f"def.clv_method_{method}")),
            (L("col.expected_90d"), L("def.clv_90d")), (L("col.next_order_date"), L("def.clv_next_order"))]
    check = report.forecast_check
    if check is not None:
        rows.append((L("meth.clv_check"), L("def.clv_check", sheet=L("sheet.forecast_check"))
                     + " " + verdict_text(check, L)))
    return rows


def clv_inputs(report: KpiReport, L: Labels) -> str:
    """The historical CLV worked out with this report's numbers (SPEC: "stated with its inputs")."""
    c = report.historical_clv
    return L("def.clv_inputs", revenue=L.number(c.revenue, 2), customers=L.number(c.customers),
             months=L.number(c.months, 2), spend=L.number(c.monthly_revenue_per_customer, 2),
             crr=L.percent(c.period_crr, 1), days=L.number(c.window_days or c.period_days), churn=L.percent(c.monthly_churn, 2),
             lifetime=L.number(c.lifetime_months, 1), value=L.number(c.value, 2))


#: The workbook's wording of the forecast's caveats (labels ``clv.note.*``); others say the message.
CLV_NOTE_LABELS: dict[str, str] = {"clv.spend_correlated": "clv.note.clv_spend_correlated",
                                   "clv.spend_fallback": "clv.note.clv_spend_fallback"}


def clv_note(L: Labels, note: Message) -> str:
    """A caveat of the CLV forecast as the Methodology says it, in the report's language."""
    key = CLV_NOTE_LABELS.get(note.code)
    if key is None or not L.has(key):
        return L.message(note)
    fields = dict(note.fields)
    if "corr" in fields:
        fields["corr"] = L.number(fields["corr"], 2)
    return L(key, **fields)


def predicted_clv_rows(report: KpiReport, L: Labels) -> list[tuple[str, str]]:
    """Methodology rows for the predicted CLV (report.predicted_clv): models in words, fitted numbers, bands."""
    from retention_xl.render.dashboard import clv_reason

    clv = report.predicted_clv
    if clv is None:
        return []
    months = L.number(clv.months)
    as_of = L.date(clv.as_of)
    rows = [(L("meth.clv_purchases"), L("def.clv_purchases")), (L("meth.clv_spend"), L("def.clv_spend"))]
    model = clv.model
    if model is None:
        reason = clv_reason(L, clv)
        if L.lang == "en" and clv.reason:
            reason = str(clv.reason).rstrip(".")  # the engine's own words are the most specific
        rows.append((L("meth.clv_none"), L("def.clv_none", reason=reason)))
        return rows

    def num(value: Any, digits: int = 3) -> str:
        return L.number(value, digits)

    r_, alpha, a, b = model.r, model.alpha, model.a, model.b
    rows.append((L("meth.clv_purchase_params"), L(
        "def.clv_purchase_params", r=num(r_), alpha=num(alpha), a=num(a), b=num(b),
        rate=num(r_ / alpha), drop=L.percent(a / (a + b), 1))))
    rows.extend(forecast_method_rows(report, L, model))  # issue 12
    if model.p is not None and model.q is not None and model.gamma is not None:
        p, q, gamma = model.p, model.q, model.gamma
        rows.append((L("meth.clv_spend_params"), L(
            "def.clv_spend_params", p=num(p), q=num(q), gamma=num(gamma), spend=L.number(p * gamma / (q - 1.0), 2))))
    else:
        rows.append((L("meth.clv_spend_params"), L("def.clv_spend_params_none")))
    rows.append((L("meth.clv_data"), L("def.clv_data", customers=L.number(clv.customers),
                                       repeat=L.number(clv.repeat_buyers), as_of=as_of)))
    rows.append((L("meth.clv_horizon"), L("def.clv_horizon", months=months, as_of=as_of)))
    rate = float(clv.annual_discount or 0.0)
    rate_digits = 0 if abs(rate * 100 - round(rate * 100)) < 1e-9 else 2
    rows.append((L("meth.clv_discount"), L("def.clv_discount", rate=L.percent(rate, rate_digits),
                                           monthly=L.percent((1.0 + rate) ** (1 / 12) - 1.0, 2))))
    rows.append((L("meth.clv_revenue"), L("def.clv_revenue", months=months,
                                          value=L.number(clv.expected_revenue, 2))))
    rows.append((L("meth.clv_value"), L("def.clv_value", months=months, as_of=as_of,
                                        total=L.number(clv.total_clv, 2))))
    risk = clv.churn_risk.to_json() if clv.churn_risk is not None else {}
    rows.append((L("meth.clv_risk"), L("def.clv_risk", months=months, **{
        band: L.number(risk.get(band, 0)) for band in RISK_BANDS})))
    rows.append((L("meth.clv_atrisk"), L("def.clv_atrisk")))
    for note in clv.notes:
        rows.append(("", clv_note(L, note)))
    return rows
