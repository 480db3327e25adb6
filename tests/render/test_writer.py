"""The report workbook, inspected with openpyxl: what a recipient would see."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import string
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from retention_xl.render import labels as LB
from retention_xl.errors import InputError
from retention_xl.pipeline import build_report, issues_csv_path
from retention_xl.settings import ReportSettings
from retention_xl.render.privacy import Pseudonymizer
from retention_xl.render import status as st
from retention_xl.render import dashboard

from conftest import HOSTILE, SAMPLE, write_hostile_csv


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _cells(path: Path, data_only: bool = False):
    wb = openpyxl.load_workbook(path, data_only=data_only)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield ws.title, c


def _tile(ws, title: str):
    for row in ws.iter_rows():
        for c in row:
            if c.value == title:
                return ws.cell(c.row + 1, c.column), ws.cell(c.row + 3, c.column)
    raise AssertionError(f"tile {title!r} not found")


# ---------------------------------------------------------------- labels


def test_every_label_exists_in_every_language_with_the_same_placeholders():
    keys = set(LB.LABELS["en"])
    for lang in LB.LANGS:
        assert set(LB.LABELS[lang]) == keys, lang
        for k in keys:
            assert _fields(LB.LABELS[lang][k]) == _fields(LB.LABELS["en"][k]), (lang, k)
            assert LB.LABELS[lang][k].strip(), (lang, k)
    for lang in LB.LANGS:
        assert set(LB.SEGMENTS[lang]) == set(LB.SEGMENTS["en"])
        assert set(LB.INDUSTRIES[lang]) == set(LB.INDUSTRIES["en"])


def test_every_reading_note_is_worded_in_every_language():
    from retention_xl import messages as notes
    for lang in LB.LANGS:
        assert set(LB.READ_NOTES[lang]) == set(notes.READ_NOTES) | {"column"}, lang
        assert set(LB.NOTE_WORDS[lang]) == set(notes.WORDS), lang
        for code, template in notes.READ_NOTES.items():
            assert _fields(LB.READ_NOTES[lang][code]) == _fields(template), (lang, code)
    note = notes.Note("text_read", encoding="cp1251", delimiter="semicolon")
    assert note == "read as Windows-1251 (Cyrillic) text, semicolon-separated"
    assert LB.Labels("ru").note(note) == "прочитан как текст в кодировке Windows-1251 (кириллица), разделитель — точка с запятой"
    about = notes.Note("decimal_comma").about("Сумма")
    assert about == '"Сумма": amounts use a decimal comma' and LB.Labels("en").note(about) == about
    assert LB.Labels("zh").note(about) == "“Сумма”：金额使用逗号作小数点"
    assert LB.Labels("ru").note("plain text stays") == "plain text stays"


def test_sheet_names_are_valid_and_distinct():
    for lang in LB.LANGS:
        names = [LB.text(lang, k) for k in LB.LABELS[lang] if k.startswith("sheet.")]
        assert len(set(names)) == len(names) == 8
        for n in names:
            assert len(n) <= 31 and not set(n) & set("[]:*?/\\")


def test_engine_segments_and_industries_are_translated():
    from retention_xl.engine import metrics, rfm
    for name in rfm.SEGMENTS:
        assert LB.segment_key(name) is not None, name
        assert LB.Labels("ru").segment(name)[0] != name
    for industry in metrics.INDUSTRY_CRR:
        assert LB.Labels("zh").industry(industry) != industry or industry == "IT"


def test_number_formatting_in_sentences():
    assert LB.fmt_percent(0.634, "en") == "63%"
    assert LB.fmt_percent(0.634, "ru", 1) == "63,4\u00a0%"
    assert LB.fmt_number(1234567.5, "ru", 1) == "1\u00a0234\u00a0567,5"
    assert LB.fmt_number(None, "zh") == LB.text("zh", "na")
    with pytest.raises(InputError, match="en, ru, zh"):
        LB.check_lang("fr")


# ---------------------------------------------------------------- status rules


@pytest.mark.parametrize("value,bench,level,word", [
    (0.92, None, "good", "status.excellent"), (0.86, None, "good", "status.on_target"),
    (0.70, None, "warn", "status.below"), (0.59, None, "bad", "status.attention"),
    (0.70, 0.63, "warn", "status.above_industry"), (0.61, 0.63, "warn", "status.below_industry"),
    (None, None, "none", "status.no_data"),
])
def test_crr_status(value, bench, level, word):
    assert st.crr_status(value, bench) == st.Status(level, word)


def test_other_statuses():
    assert st.repeat_status(0.3).level == "good" and st.repeat_status(0.15).level == "warn"
    assert st.repeat_status(0.05).level == "bad"
    assert st.return_status(0.03).level == "good" and st.return_status(0.06).level == "warn"
    assert st.return_status(0.07).level == "bad"
    assert st.nps_status(51).level == "good" and st.nps_status(50).level == "warn"
    assert st.nps_status(-5).level == "bad"
    assert st.churn_status(0.1).level == "good" and st.churn_status(0.5).level == "bad"


# ---------------------------------------------------------------- the workbook


@pytest.mark.parametrize("key", ["en", "ru", "zh"])
def test_sheets_in_the_report_language(built_reports, key):
    b = built_reports[key]
    wb = openpyxl.load_workbook(b.path)
    assert wb.sheetnames == [LB.text(b.lang, f"sheet.{s}") for s in
                             ("dashboard", "cohorts", "act", "segments", "customers", "forecast_check", "issues",
                              "methodology")]
    assert wb.worksheets[0]["B1"].value == LB.text(b.lang, "dash.title")


@pytest.mark.parametrize("key", ["en", "ru", "zh"])
def test_tiles_show_the_report_values_with_status_words(built_reports, key):
    b = built_reports[key]
    rep = b.outcome.report
    L = LB.Labels(b.lang)
    ws = openpyxl.load_workbook(b.path, data_only=True).worksheets[0]
    expected = {
        "tile.crr": rep.retention.value, "tile.churn": rep.retention.churn,
        "tile.repeat": rep.repeat_purchase_rate, "tile.return_rate": rep.return_rate,
        "tile.customers": rep.customers, "tile.orders": rep.orders, "tile.revenue": rep.revenue,
        "tile.aov": rep.aov, "tile.frequency": rep.purchase_frequency, "tile.clv": rep.historical_clv.value,
        "tile.nps": rep.survey.value,
    }
    for key_, value in expected.items():
        cell, status = _tile(ws, L(key_))
        assert cell.value == pytest.approx(value, rel=1e-12), key_
        words = {L(k) for k in LB.LABELS["en"] if k.startswith("status.")}
        assert status.value in words
        assert status.fill.fgColor.rgb not in (None, "00000000")  # coloured, and a word beside it
    crr_cell, crr_status = _tile(ws, L("tile.crr"))
    assert crr_status.value == L(st.crr_status(rep.retention.value, rep.benchmark_crr).word)


def test_crr_and_totals_are_formulas_with_their_values(built_reports):
    b = built_reports["en"]
    rep = b.outcome.report
    wf = openpyxl.load_workbook(b.path).worksheets[0]
    wv = openpyxl.load_workbook(b.path, data_only=True).worksheets[0]
    formulas = {c.coordinate: c.value for row in wf.iter_rows() for c in row if c.data_type == "f"}
    assert any(re.fullmatch(r"=\(\$E\$\d+-\$E\$\d+\)/\$E\$\d+", f) for f in formulas.values())
    assert any(f.startswith("=SUM(") for f in formulas.values())
    for coord in formulas:  # every formula carries its computed value
        assert wv[coord].value is not None, coord
    crr = [c for c, f in formulas.items() if f.startswith("=($E$")][0]
    assert wv[crr].value == pytest.approx(rep.retention.value)
    s, e, n = rep.retention.start, rep.retention.end, rep.retention.new
    assert (e - n) / s == pytest.approx(rep.retention.value)


def test_no_external_links_macros_or_addin_calls(built_reports):
    import zipfile
    for b in built_reports.values():
        with zipfile.ZipFile(b.path) as z:
            names = z.namelist()
            assert not [n for n in names if "externalLink" in n or n.endswith(".bin")]
            assert not [n for n in names if "<hyperlinks" in z.read(n).decode("utf-8", "ignore")
                        and n.startswith("xl/worksheets/")]
        for _sheet, c in _cells(b.path):
            if c.data_type == "f":
                assert re.fullmatch(r"=[-()$A-Z0-9+/:*. ]+", c.value), c.value
                assert not re.search(r"[A-Z_]{3,}\(", c.value.replace("SUM(", "")), c.value


def test_text_from_the_data_stays_text(built_reports):
    b = built_reports["hostile"]
    found = set()
    for _sheet, c in _cells(b.path):
        if isinstance(c.value, str) and c.value in HOSTILE:
            assert c.data_type == "s"
            found.add(c.value)
        if c.data_type == "f":
            assert not any(h in c.value for h in HOSTILE), c.value
    # the formula-like customer ids and names made it into the workbook as text
    assert {'=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1)"} <= found


def test_data_issues_list_every_skipped_row(built_reports):
    b = built_reports["hostile"]
    read = b.read
    assert len(read.skipped) == 3
    ws = openpyxl.load_workbook(b.path)[LB.text("en", "sheet.issues")]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "Row" and r[1] == "Reason")
    listed = [r for r in values[header + 1:] if isinstance(r[0], int)]
    assert [r[0] for r in listed] == read.skipped["row"].tolist()
    assert all(r[1] for r in listed)
    heads = values[header]
    assert "Order Date" in heads and "Customer Name" in heads  # raw values spread under their headers
    assert all(r[heads.index("Order Date")] == "not a date" for r in listed)
    counts = {r[1]: r[0] for r in values[4:header] if isinstance(r[0], int) and isinstance(r[1], str)}
    assert sum(v for k, v in counts.items() if k != "Total") == 3


def test_data_issues_speak_the_report_language_and_count_kinds_of_problem(tmp_path):
    from retention_xl.read.orders import read_values
    values = [["Customer", "Date", "Amount"],
              ["A", "31.02.2024", "5"], ["B", "30.02.2024", "x"], ["", "2024-03-01", "7"],
              ["C", "2024-03-02", "y"], ["D", "2024-03-03", "9"], ["A", "2024-04-03", "4"], ["E", "32.01.2024", "3"]]
    read = read_values(values)
    assert read.skipped["reason"].tolist() == [
        "date not readable: '31.02.2024'", "date not readable: '30.02.2024'; amount not a number: 'x'",
        "no customer id", "amount not a number: 'y'", "date not readable: '32.01.2024'"]
    out = tmp_path / "ru.xlsx"
    build_report(read, ReportSettings(lang="ru"), out)
    ws = openpyxl.load_workbook(out)[LB.text("ru", "sheet.issues")]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == LB.text("ru", "col.row"))
    assert [r[1] for r in values[header + 1:] if isinstance(r[0], int)] == [
        "дата не распознана: '31.02.2024'", "дата не распознана: '30.02.2024'; сумма — не число: 'x'",
        "не указан клиент", "сумма — не число: 'y'", "дата не распознана: '32.01.2024'"]
    counts = {r[1]: r[0] for r in values[4:header] if isinstance(r[0], int) and isinstance(r[1], str)}
    # two different unreadable dates are one kind of problem; the total closes the table
    assert counts == {"дата не распознана": 2, "дата не распознана; сумма — не число": 1,
                      "не указан клиент": 1, "сумма — не число": 1, LB.text("ru", "total"): 5}


def test_many_issues_go_to_a_csv_beside_the_report(tmp_path, anon_env):
    from retention_xl.read.orders import read_orders
    src = write_hostile_csv(tmp_path / "many.csv", bad_rows=5200)
    read = read_orders(src)
    out = tmp_path / "many report.xlsx"
    outcome = build_report(read, ReportSettings(), out)
    csv_path = issues_csv_path(out)
    assert outcome.issues_csv == csv_path and csv_path.exists()
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["Row", "Reason"]
    assert len(rows) - 1 == len(read.skipped) == 5200
    assert [int(r[0]) for r in rows[1:]] == read.skipped["row"].tolist()
    names = [r[rows[0].index("Customer Name")] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in names and "-1+1" not in names  # CSV-injection safe
    ws = openpyxl.load_workbook(out)[LB.text("en", "sheet.issues")]
    texts = [c.value for row in ws.iter_rows(max_col=1) for c in row]
    listed = [v for v in texts if isinstance(v, int)]
    assert outcome.issues_listed == 5000
    assert any(isinstance(c.value, str) and csv_path.name in c.value for row in ws.iter_rows() for c in row)
    assert len([v for v in listed if v >= 2]) >= 5000


def test_customers_sheet_is_a_selection_with_a_note(sample_read, tmp_path):
    out = tmp_path / "few.xlsx"
    outcome = build_report(sample_read, ReportSettings(customer_rows=40), out)
    ws = openpyxl.load_workbook(out)[LB.text("en", "sheet.customers")]
    assert "--all-customers" in ws["A2"].value
    assert ws.freeze_panes == "B5" and ws.auto_filter.ref.startswith("A4:")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert len(rows) == outcome.customers_listed == 40
    why = [r[-1] for r in rows]
    assert why.count("Most valuable") == 20 and why.count("At risk") == 20
    table = outcome.report.customers_table
    value = dict(zip(table["customer_id"], table["net_revenue"]))
    top_ids, risk_ids = [r[0] for r in rows[:20]], {r[0] for r in rows[20:]}
    assert [value[c] for c in top_ids] == sorted((value[c] for c in top_ids), reverse=True)
    # nobody more valuable than the 20th is missing, unless listed as at risk
    better = {c for c, v in value.items() if v > value[top_ids[-1]]}
    assert better <= set(top_ids) | risk_ids
    # at risk (issue 12): high churn risk with value at risk (net revenue of the last 12 months x
    # (1 - P(alive))), the most value at risk first
    assert outcome.report.forecast_check is not None and not outcome.report.forecast_check.withheld
    risky = table[(table["churn_risk"] == "high") & (table["value_at_risk"] > 0)]
    risky = risky.sort_values("value_at_risk", ascending=False, kind="stable")
    assert len(risky) >= 20
    assert [r[0] for r in rows[20:]] == risky["customer_id"].tolist()[:20]
    full = tmp_path / "all.xlsx"
    outcome = build_report(sample_read, ReportSettings(customer_rows=40, all_customers=True), full)
    assert outcome.customers_listed == len(table)


def test_anonymised_report_has_no_ids_names_emails_or_phones(built_reports):
    for key in ("anon", "hostile_anon"):
        b = built_reports[key]
        orders = b.read.orders
        secrets = set(orders["customer_id"].astype(str))
        for col in ("customer_name", "email", "phone"):
            if col in orders.columns:
                secrets |= set(orders[col].dropna().astype(str))
        for raw in b.read.skipped["raw"]:
            secrets |= {p for p in str(raw).split(" | ") if "@" in p or p.startswith("+7")}
        secrets = {s for s in secrets if len(s) >= 3}
        pseudonyms = 0
        for sheet, c in _cells(b.path):
            v = str(c.value)
            assert v not in secrets, (key, sheet, c.coordinate, v)
            assert not any(s in v for s in secrets if "@" in s), (key, sheet, v)
            pseudonyms += bool(re.fullmatch(r"C-[0-9A-F]{10}", v))
        assert pseudonyms > 0
        headers = {c.value for _s, c in _cells(b.path)}
        assert not headers & {"Name", "E-mail", "Phone", "Customer Name", "Email"}


def test_row_heights_hold_on_rows_without_cells(built_reports, tmp_path):
    # constant_memory XlsxWriter drops set_row() of a row that gets no cell: the Grid keeps it
    import xlsxwriter
    from retention_xl.render import WORKBOOK_OPTIONS
    from retention_xl.render.grid import Grid
    path = tmp_path / "rows.xlsx"
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    g = Grid(wb.add_worksheet("S"), wb.add_format({}))
    g.row_height(0, 30)
    g.text(0, 1, "a")
    g.row_height(1, 8)  # a gap row: no cell
    g.row_height(2, 40)
    g.text(2, 1, "b")
    g.flush()
    wb.close()
    ws = openpyxl.load_workbook(path)["S"]
    assert [ws.row_dimensions[r].height for r in (1, 2, 3)] == pytest.approx([30, 8, 40], abs=0.5)
    assert ws["B1"].value == "a" and ws["B3"].value == "b"
    # the dashboard's gaps between the rows of tiles are thin, as laid out
    L = LB.Labels("en")
    ws = openpyxl.load_workbook(built_reports["en"].path).worksheets[0]
    for title in (L("tile.crr"), L("tile.customers")):
        row = next(c.row for r in ws.iter_rows() for c in r if c.value == title)
        gap = row + dashboard.TILE_ROWS - 1  # the last row of a tile is the gap
        assert ws.row_dimensions[gap].height == pytest.approx(8, abs=0.5), title


def test_charts_carry_their_numbers_for_previews(built_reports):
    # a preview (mail, file manager, phone) draws a chart from the values cached in the chart part,
    # without reading the cells: every series caches its categories and values, equal to the cells
    import zipfile
    from datetime import datetime
    from openpyxl.utils import range_boundaries
    for key in ("en", "zh"):
        path = built_reports[key].path
        wb = openpyxl.load_workbook(path, data_only=True)
        with zipfile.ZipFile(path) as z:
            charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
            assert len(charts) == 6  # dashboard: 3; where to act: second order, LTV curves; forecast check
            for name in charts:
                xml = z.read(name).decode("utf-8")
                series = re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S)
                assert series, name
                for ser in series:
                    for part in (("cat", "val") if "<c:cat>" in ser else ("xVal", "yVal")):  # scatter: x/y
                        body = re.search(rf"<c:{part}>(.*?)</c:{part}>", ser, re.S).group(1)
                        ref = re.search(r"<c:f>(.*?)</c:f>", body).group(1)
                        sheet, cells = ref.rsplit("!", 1)
                        sheet = sheet.strip("'").replace("''", "'")
                        c1, r1, c2, r2 = range_boundaries(cells.replace("$", ""))
                        want = [wb[sheet].cell(r, c).value for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
                        assert f'<c:ptCount val="{len(want)}"/>' in body, (key, name, part, ref)
                        pts = dict(re.findall(r'<c:pt idx="(\d+)"><c:v>(.*?)</c:v></c:pt>', body))
                        got = [pts.get(str(i)) for i in range(len(want))]
                        for w, g in zip(want, got):
                            if isinstance(w, datetime):
                                w = (w - datetime(1899, 12, 30)).days
                            if isinstance(w, (int, float)):
                                assert g is not None and float(g) == pytest.approx(w), (key, name, ref)
                            else:
                                assert g == w, (key, name, ref)


def test_month_charts_label_each_month_of_the_table(tmp_path):
    # one order in March: the charts' one category is March (a date axis showed "Jan 2024")
    import zipfile
    from retention_xl.read.orders import read_values
    read = read_values([["Customer", "Date", "Amount"], ["A", "2024-03-05", "42.5"]])
    out = tmp_path / "one.xlsx"
    build_report(read, ReportSettings(), out)
    march = (pd.Timestamp("2024-03-01") - pd.Timestamp("1899-12-30")).days
    with zipfile.ZipFile(out) as z:
        for name in ("xl/charts/chart1.xml", "xl/charts/chart2.xml"):
            xml = z.read(name).decode("utf-8")
            cat_axis = re.search(r"<c:catAx>(.*?)</c:catAx>", xml, re.S).group(1)
            assert '<c:auto val="1"/>' not in cat_axis, name  # not a date axis
            assert re.search(r'<c:cat>.*?<c:pt idx="0"><c:v>' + "Mar 2024 · 5 Mar to 5 Mar</c:v>", xml, re.S), name  # a partial month, named (issue 10)


def test_anonymised_data_issues_quote_no_personal_value_in_their_reasons(tmp_path, anon_env):
    # a row's reason quotes the unreadable cell; when columns have slipped, that cell can hold an
    # e-mail, a phone or card number or a name: the anonymised report (and its CSV) must not show it
    from retention_xl.read.orders import read_values
    from retention_xl.render import issues_csv_frame
    from retention_xl.render.privacy import anonymize_skipped
    values = [["Customer ID", "Name", "Email", "Phone", "Order Date", "Amount"],
              ["C1", "Ann Lee", "ann@x.com", "+1 555 0100", "2024-01-05", "10"],
              ["C2", "Bob Stone", "bob@x.com", "+1 555 0101", "john.doe@mail.com", "20"],
              ["C3", "Cy Twombly", "cy@x.com", "+1 555 0102", "2024-02-05", "+44 (20) 7946-0958"],
              ["C4", "Di Prima", "di@x.com", "+1 555 0103", "2024-02-06", "4111 1111 1111 1111"],
              ["C5", "Ed Ruscha", "ed@x.com", "+1 555 0104", "Ed Ruscha", "12"],
              ["C6", "Fay Wray", "fay@x.com", "+1 555 0105", "31.02.2024", "13"]]
    read = read_values(values)
    assert len(read.skipped) == 5
    secrets = ["john.doe@mail.com", "7946-0958", "4111 1111 1111 1111", "Ed Ruscha"]
    for lang in ("en", "ru"):
        out = tmp_path / f"anon {lang}.xlsx"
        build_report(read, ReportSettings(anonymize=True, lang=lang), out)
        texts = [str(c.value) for _s, c in _cells(out)]
        for s in secrets:
            assert not [t for t in texts if s in t], (lang, s)
        issues = [str(c.value) for row in openpyxl.load_workbook(out)[LB.text(lang, "sheet.issues")].iter_rows()
                  for c in row if c.value is not None]
        assert any("'31.02.2024'" in t for t in issues)  # a value that is no personal data stays quoted
        if lang == "ru":
            assert not [t for t in issues if "removed" in t]  # the markers speak the report's language
    headers = [str(h) for h in read.headers]
    skipped = anonymize_skipped(read.skipped, headers, dict(read.columns), Pseudonymizer(b"k"))
    frame = issues_csv_frame(skipped, headers, False, LB.Labels("en"))
    text = frame.to_csv(index=False)
    for s in secrets:
        assert s not in text, s
    assert "'31.02.2024'" in text


def test_pseudonyms_are_stable_for_a_key_and_differ_between_keys(built_reports, sample_read, tmp_path, anon_env):
    a = built_reports["anon"].outcome.report.customers_table
    out = tmp_path / "again.xlsx"
    b = build_report(sample_read, ReportSettings(anonymize=True), out).report.customers_table
    assert a["customer_id"].tolist() == b["customer_id"].tolist()
    assert Pseudonymizer(b"k1")("13607") != Pseudonymizer(b"k2")("13607")
    p = Pseudonymizer(b"k1")
    assert p("13607") == p(" 13607") and re.fullmatch(r"C-[0-9A-F]{10}", p("13607"))


def test_json_matches_the_workbook(built_reports):
    b = built_reports["en"]
    data = json.loads(b.outcome.json.read_text(encoding="utf-8"))
    rep = b.outcome.report
    ws = openpyxl.load_workbook(b.path, data_only=True).worksheets[0]
    L = LB.Labels("en")
    assert data["crr"]["value"] == pytest.approx(_tile(ws, L("tile.crr"))[0].value)
    assert data["revenue"] == pytest.approx(_tile(ws, L("tile.revenue"))[0].value)
    assert data["customers"] == _tile(ws, L("tile.customers"))[0].value
    assert data["orders"] == _tile(ws, L("tile.orders"))[0].value
    assert data["rows"] == {"read": rep.rows_read, "used": rep.rows_used, "skipped": rep.rows_skipped}
    assert data["period"]["end"] == rep.period_end.isoformat()


def test_input_is_never_overwritten_or_changed(tmp_path, sample_read):
    from retention_xl.read.orders import read_orders
    src = tmp_path / "orders.csv"
    src.write_bytes(SAMPLE.read_bytes())
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    read = read_orders(src)
    with pytest.raises(InputError, match="must be an .xlsx"):
        build_report(read, ReportSettings(), src)
    xlsx = tmp_path / "orders.xlsx"
    build_report(read, ReportSettings(), xlsx)
    read2 = read_orders(xlsx) if False else read  # noqa: the report is not an order file
    read2.source = str(xlsx)
    with pytest.raises(InputError, match="refusing to overwrite the input"):
        build_report(read2, ReportSettings(), xlsx)
    read2.source = str(src)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]  # no temp files left


@pytest.mark.skipif(not hasattr(__import__("os"), "umask") or __import__("os").name == "nt",
                    reason="POSIX file modes")
def test_report_files_get_the_usual_permissions(tmp_path, sample_read):
    # written through a private temporary file (mode 0600), the report must still end up readable
    # like any file the user saves (umask), e.g. by colleagues in a shared folder
    import os
    import stat
    old = os.umask(0o022)
    try:
        out = tmp_path / "perm.xlsx"
        outcome = build_report(sample_read, ReportSettings(), out, tmp_path / "perm.json")
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
    finally:
        os.umask(old)
    want = stat.S_IMODE(plain.stat().st_mode)
    assert want == 0o644
    for p in (outcome.workbook, outcome.json):
        assert stat.S_IMODE(p.stat().st_mode) == want, p.name


def test_methodology_names_the_parameters(built_reports):
    b = built_reports["ru"]
    ws = openpyxl.load_workbook(b.path)[LB.text("ru", "sheet.methodology")]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "sample_orders.csv" in text and "HubSpot" in text and "розница: 63" in text
    assert "365" in text and "Customer ID" in text and "(E − N) ÷ S" in text


def _methodology_text(path: Path, lang: str) -> str:
    ws = openpyxl.load_workbook(path)[LB.text(lang, "sheet.methodology")]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)


@pytest.mark.parametrize("lang", LB.LANGS)
def test_methodology_states_the_activity_window_as_the_engine_counts_it(tmp_path, lang):
    # t0 = 2024-03-31 (period set), window 90: A's order on 2024-01-01 is exactly 90 days
    # before t0, so A is NOT active at t0 ((t0 - 90, t0]); B's on 2024-01-02 (89 days) is.
    from retention_xl.read.orders import read_orders
    src = tmp_path / "o.csv"
    src.write_text("Order ID,Order Date,Customer ID,Amount\n1,2024-01-01,A,10\n2,2024-01-02,B,10\n"
                   "3,2024-05-01,B,10\n", encoding="utf-8")
    out = build_report(read_orders(src), ReportSettings(lang=lang, period_start=pd.Timestamp("2024-03-31").date(),
                                                       active_days=90), tmp_path / "r.xlsx")
    assert out.report.retention.start == 1  # B only
    text = _methodology_text(out.workbook, lang)
    window = next(line for line in text.splitlines() if line.startswith("90 "))
    # "at most 90 days earlier" would count A's order: the text must exclude an order exactly 90 days earlier
    assert {"en": "less than 90 days", "ru": "менее чем за 90", "zh": "少于 90 天"}[lang] in window, window


def test_methodology_states_historical_clv_with_its_inputs(tmp_path):
    # Default period (2023-01-10, 2024-01-10], 365 days; window 100 days.
    # S = {A (order on t0), B}; E = {A, D}; N = {D}: CRR = (2 - 1) / 2 = 0.5.
    # The period's customers are A, C, D (3) with net revenue 100 + 60 + 40 = 200; only A and D
    # are "active" at the end, so "per active customer" would read 200 / 2, the engine divides by 3.
    from retention_xl.read.orders import read_orders
    src = tmp_path / "o.csv"
    src.write_text("Order ID,Order Date,Customer ID,Amount\n1,2023-01-10,A,100\n2,2024-01-10,A,100\n"
                   "3,2022-12-01,B,50\n4,2023-06-01,C,60\n5,2023-12-01,D,40\n", encoding="utf-8")
    # the period start given: exactly the report period, W = 100 (SPEC Clarifications); the data holds
    # only 41 days before t0, so the base is thin (a warning), and the churn over W = 100 days is made monthly
    out = build_report(read_orders(src), ReportSettings(active_days=100, period_start=date(2023, 1, 10)),
                       tmp_path / "r.xlsx")
    assert out.report.retention.thin_base_days == 41
    c = out.report.historical_clv
    months = 365 / 30.44
    churn = 1 - 0.5 ** (30.44 / 100)
    assert c.monthly_revenue_per_customer == pytest.approx(200 / 3 / months)  # 5.56
    assert c.monthly_churn == pytest.approx(churn)  # 5.62 %
    assert c.value == pytest.approx(200 / 3 / months / churn)  # 98.99
    text = _methodology_text(out.workbook, "en")
    assert "per active customer" not in text
    assert "customers with an order in the period" in text and "1 − CRR^(30.44 ÷ 100)" in text
    assert "200.00 ÷ 3 ÷ 11.99 = 5.56 a month" in text
    assert f"1 − 50.0%^(30.44 ÷ 100) = {churn:.2%}" in text and f"{1 / churn:.1f} months" in text
    assert f"CLV = {200 / 3 / months / churn:.2f}" in text


def test_methodology_states_the_engines_choices_where_spec_is_open(tmp_path):
    # Q's order X has a line of R (the order is Q's: its first row) and a line a month later.
    # P: R 90 days (t1 2024-03-31 - 2024-01-01), F 1, M 10; Q: R 0, F 2, M 45 → P (R1, F1) Lost,
    # Q (R5, F5) Champions. P and Q share no M: the segment follows R and F only.
    from retention_xl.read.orders import read_orders
    src = tmp_path / "o.csv"
    src.write_text("Order ID,Order Date,Customer ID,Amount\nP1,2024-01-01,P,10\nX,2024-02-01,Q,10\n"
                   "X,2024-03-01,R,5\nY,2024-03-31,Q,30\n", encoding="utf-8")
    out = build_report(read_orders(src), ReportSettings(), tmp_path / "r.xlsx")
    t = out.report.customers_table.set_index("customer_id")
    assert t.loc[["P", "Q"], "segment"].tolist() == ["Lost", "Champions"] and "R" not in t.index
    assert t.loc["Q", "net_revenue"] == 45.0
    text = _methodology_text(out.workbook, "en")
    assert "its customer that of its first row" in text
    assert "won back: had an order on or before the start" in text
    assert "The R and F scores give the segment; M is shown but does not change it" in text
    assert "as of 2024-03-31" in text and "tied customers share a score" in text
    assert "first counted order" in text and "up to 2024-03-31" in text
    ws = openpyxl.load_workbook(out.workbook)[LB.text("en", "sheet.segments")]
    assert "the R and F scores give the segment" in ws.cell(2, 1).value


@pytest.mark.parametrize("lang", LB.LANGS)
def test_a_csat_column_shows_a_csat_tile_not_nps(tmp_path, lang):
    from retention_xl.read.orders import read_orders
    src = tmp_path / "o.csv"
    src.write_text("Order ID,Order Date,Customer ID,Amount,CSAT\n1,2024-01-01,A,10,5\n2,2024-01-02,B,10,4\n"
                   "3,2024-01-03,C,10,5\n4,2024-01-04,D,10,2\n", encoding="utf-8")
    out = build_report(read_orders(src), ReportSettings(lang=lang), tmp_path / "r.xlsx", tmp_path / "r.json")
    data = json.loads(out.json.read_text(encoding="utf-8"))
    assert "nps" not in data and data["csat"] == {"value": 0.75, "responses": 4, "satisfied": 3,
                                                  "scale_max": 5, "threshold": 4}
    L = LB.Labels(lang)
    ws = openpyxl.load_workbook(out.workbook, data_only=True).worksheets[0]
    value, _status = _tile(ws, L("tile.csat"))
    assert value.value == 0.75
    assert L("tile.nps") not in {c.value for row in ws.iter_rows() for c in row}
    text = _methodology_text(out.workbook, lang)
    assert L("def.csat") in text
