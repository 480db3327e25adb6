"""Issue 13 on the Dashboard and Methodology: intervals, previous values and changes, in words."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from retention_xl.engine import comparison
from retention_xl.engine.report import BETTER, WORSE
from retention_xl.pipeline import build_report
from retention_xl.read.orders import read_orders
from retention_xl.render import labels as LB
from retention_xl.render.change import change_text, value_text
from retention_xl.render.styles import STATUS_COLOURS
from retention_xl.settings import ReportSettings

KEYED = {"crr": "tile.crr", "churn_rate": "tile.churn", "repeat_purchase_rate": "tile.repeat",
         "return_rate": "tile.return_rate", "customers": "tile.customers", "orders": "tile.orders",
         "revenue": "tile.revenue", "aov": "tile.aov", "purchase_frequency": "tile.frequency",
         "historical_clv": "tile.clv", "nps": "tile.nps"}


def _tile_cells(ws, title: str):
    for row in ws.iter_rows():
        for c in row:
            if c.value == title:
                return [ws.cell(c.row + k, c.column) for k in range(6)]
    raise AssertionError(f"tile {title!r} not found")


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:].upper()


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_tiles_show_interval_previous_value_and_change(built_reports, lang):
    built = built_reports[lang]
    report = built.outcome.report
    L = LB.Labels(lang)
    assert report.previous is not None and report.previous.available  # the sample has two years
    ws = openpyxl.load_workbook(built.path).worksheets[0]
    for key, title in KEYED.items():
        cells = _tile_cells(ws, L(title))
        iv = report.confidence.get(key)
        if iv is not None:
            assert cells[4].value == L("cmp.interval", low=value_text(L, key, iv.low),
                                       high=value_text(L, key, iv.high)), key
        ch = report.previous.changes[key]
        previous = L('cmp.previous', value=value_text(L, key, ch.previous), change=change_text(L, ch))
        if key in ("crr", "churn_rate"):  # the sample's previous base: 1 day of history (issue 11)
            assert cells[5].value == f"{previous} · {L('cmp.thin_base', history='1')}", key
            assert _fill(cells[5]) == "FFFFFF", key
            continue
        assert cells[5].value == f"{previous} · {L('cmp.' + ch.verdict)}", key
        expected = {BETTER: STATUS_COLOURS["good"][0], WORSE: STATUS_COLOURS["bad"][0]}.get(ch.verdict, "#FFFFFF")
        assert _fill(cells[5]) == expected.lstrip("#").upper(), key
    assert report.previous.report.retention.thin_base_days == 1 and report.retention.thin_base_days is None


def test_sample_change_values_are_the_engine_figures(built_reports):
    report = built_reports["en"].outcome.report
    prev = report.previous.report
    for key in KEYED:
        ch = report.previous.changes[key]
        assert ch.current == comparison.figure_value(report, key)
        assert ch.previous == comparison.figure_value(prev, key)
    data = json.loads(built_reports["en"].outcome.json.read_text(encoding="utf-8"))
    assert data["previous"]["customers"] == prev.customers
    assert data["previous"]["changes"]["crr"]["test"]["method"] == "two_proportion_z"
    assert set(data["intervals"]) >= {"crr", "churn_rate", "repeat_purchase_rate", "return_rate", "aov", "nps"}
    for v in data["intervals"].values():
        assert v["low"] <= v["value"] <= v["high"]


def test_methodology_states_each_test_with_its_numbers(built_reports):
    built = built_reports["en"]
    report = built.outcome.report
    L = LB.Labels("en")
    wb = openpyxl.load_workbook(built.path)
    texts = [c.value for row in wb[L("sheet.methodology")].iter_rows() for c in row if isinstance(c.value, str)]
    crr = report.previous.changes["crr"]
    basis = report.confidence.crr.basis
    line = next(t for t in texts if t.startswith("Customer retention rate (CRR): "))
    assert f"{basis.successes:,} of {basis.n:,}" in line
    assert f"z = {crr.test.statistic:,.2f}" in line and "Pooled two-proportion z-test" in line
    aov = next(t for t in texts if t.startswith("Average order value (AOV): "))
    assert "Welch's t-test on the order values" in aov and f"t = {report.previous.changes['aov'].test.statistic:,.2f}" in aov
    nps = next(t for t in texts if t.startswith("Net Promoter Score (NPS): "))
    assert "NPS difference z-test" in nps and f"{report.confidence.nps.basis.n:,} answers" in nps
    assert any(t.startswith("After ") and "calculated by the same engine" in t for t in texts)


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_short_history_greys_every_tile_with_not_enough_history(tmp_path, lang):
    csv = tmp_path / "short.csv"
    lines = ["Order ID,Order Date,Customer ID,Amount"]
    for i in range(40):
        lines.append(f"O{i},2024-{1 + i % 6:02d}-{1 + i % 27:02d},C{i % 13},{10 + i}")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_orders(csv)
    out = build_report(read, ReportSettings(lang=lang), tmp_path / "short.xlsx", tmp_path / "short.json")
    assert out.report.previous.reason.code == "kpi.not_enough_history"
    L = LB.Labels(lang)
    ws = openpyxl.load_workbook(out.workbook).worksheets[0]
    for key in ("crr", "repeat_purchase_rate", "customers", "revenue", "aov"):
        cells = _tile_cells(ws, L(KEYED[key]))
        assert cells[5].value == L("cmp.not_enough_history"), key
        assert _fill(cells[5]) == "FFFFFF"
    data = json.loads(out.json.read_text(encoding="utf-8"))
    assert data["previous"] is None and data["notes"]["previous"].startswith("Not enough history")
    meth = [c.value for row in openpyxl.load_workbook(out.workbook)[L("sheet.methodology")].iter_rows()
            for c in row if isinstance(c.value, str)]
    assert L("def.previous_none", start=L.date(out.report.previous.start), end=L.date(out.report.previous.end),
             days=L.number(out.report.previous.days), covered="0") in meth


def _previous_period_csv(path, first_day: str):
    """Two shops' years: the current period (2023-01-01, 2024-01-01] and the previous one, from ``first_day``.

    S of the previous measurement (from 2022-01-01, W = 365) is C0–C9 (orders in 2021's second half)
    and Z when its one order, on the first day, is less than 365 days before 2022-01-01; 40 of the 60
    customers of the current period also bought in the previous one.
    """
    lines = ["Order ID,Order Date,Customer ID,Amount", f"O0,{first_day},Z,15"]
    for i in range(10):
        lines.append(f"A{i},2021-{7 + i % 5:02d}-{1 + i:02d},C{i},{20 + i}")
    for i in range(50):
        lines.append(f"P{i},2022-{1 + i % 12:02d}-{1 + i % 27:02d},C{i},{30 + i}")
    for i in range(60):
        lines.append(f"N{i},2023-{1 + i % 12:02d}-{2 + i % 26:02d},C{i + 10},{25 + i}")
    lines.append("L,2024-01-01,C0,40")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
@pytest.mark.parametrize("first_day, history, start", [("2021-06-01", 215, 11), ("2020-12-01", None, 10)])
def test_previous_crr_on_a_thin_base_is_not_judged_like_the_current_one(tmp_path, lang, first_day, history, start):
    # issue 11: the previous period's base rests on 215 days of history before 2022-01-01 (thin) when the
    # data starts on 2021-06-01, on 397 (enough) when it starts on 2020-12-01; the current base is never thin
    csv = _previous_period_csv(tmp_path / "two years.csv", first_day)
    out = build_report(read_orders(csv), ReportSettings(lang=lang), tmp_path / "r.xlsx", tmp_path / "r.json")
    report, L = out.report, LB.Labels(lang)
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == ("2023-01-01", "2024-01-01")
    prev = report.previous.report
    assert report.retention.thin_base_days is None
    assert prev.retention.thin_base_days == history and prev.retention.start == start
    ws = openpyxl.load_workbook(out.workbook).worksheets[0]
    for key in ("crr", "churn_rate"):
        ch = report.previous.changes[key]
        line = _tile_cells(ws, L(KEYED[key]))[5]
        previous = L("cmp.previous", value=value_text(L, key, ch.previous), change=change_text(L, ch))
        if history is None:
            assert line.value == f"{previous} · {L('cmp.' + ch.verdict)}", key
        else:
            assert line.value == f"{previous} · {L('cmp.thin_base', history=L.number(history))}", key
            assert _fill(line) == "FFFFFF", key  # grey words on white: not judged
    meth = [c.value for row in openpyxl.load_workbook(out.workbook)[L("sheet.methodology")].iter_rows()
            for c in row if isinstance(c.value, str)]
    said = L("def.previous_thin_base", start=L.date(prev.retention.measured_from), history=L.number(history or 0),
             days="365")
    assert any(said in t for t in meth) == (history is not None)
    data = json.loads(out.json.read_text(encoding="utf-8"))
    assert ("crr_thin_base" in data["previous"]["notes"]) == (history is not None)
    assert "crr_thin_base" not in data["notes"]


def test_monthly_table_has_the_same_month_a_year_earlier(built_reports):
    built = built_reports["en"]
    L = LB.Labels("en")
    ws = openpyxl.load_workbook(built.path).worksheets[0]
    head = next(c for r in ws.iter_rows() for c in r if c.value == L("col.revenue_year_earlier"))
    month_col = next(c.column for c in ws[head.row] if c.value == L("col.month"))
    rev_col = next(c.column for c in ws[head.row] if c.value == L("col.revenue"))
    monthly = built.outcome.report.monthly.set_index("month")["net_revenue"]
    checked = 0
    for r in range(head.row + 1, ws.max_row + 1):
        month = ws.cell(r, month_col).value
        if not hasattr(month, "year"):
            break
        before = pd.Timestamp(month.year - 1, month.month, 1)
        cell = ws.cell(r, head.column).value
        if before in monthly.index:  # the data has that month: its revenue, as the engine counted it
            assert cell == pytest.approx(monthly[before]) and ws.cell(r - 12, rev_col).value == pytest.approx(cell)
            checked += 1
        else:
            assert cell is None
    assert checked == 12  # the sample runs Jan 2023 - Dec 2024: every month of 2024 has one
