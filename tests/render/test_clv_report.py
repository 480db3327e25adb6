"""Predicted CLV and churn risk in the KPI report: engine, workbook, JSON and CLI.

The engine feeds clv.forecast the counted orders up to t1 and merges its per-customer
table into customers_table; the workbook shows a dashboard tile, four Customers
columns and a Methodology section; the JSON carries "clv_model" and "predicted_clv".
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from retention_xl.engine import clv, kpi, predicted_clv
from retention_xl.render import labels as LB
from retention_xl.engine.kpi import build_kpis
from retention_xl.pipeline import build_report
from retention_xl.sample_data import generate_orders
from retention_xl.settings import ReportSettings
from retention_xl.render import frames, sheets

from test_kpi import SHOP, orders_frame


def shop_frame(n_customers: int = 400, seed: int = 3) -> pd.DataFrame:
    """A simulated shop (sample_data) as the orders frame of ARCHITECTURE.md."""
    o = generate_orders(n_customers, seed=seed)
    frame = pd.DataFrame({
        "row": np.arange(2, len(o) + 2, dtype=np.int64),
        "customer_id": o["Customer ID"].astype("str"),
        "date": o["Order Date"].astype("datetime64[ns]"),
        "amount": o["Amount"].astype(float),
        "order_id": o["Order ID"].astype("str"),
        "returned": (o["Returned"].astype("str") == "Yes").to_numpy(),
        "unpaid": False,
    })
    return frame


def build(frame: pd.DataFrame, **settings):
    return build_kpis(frame, ReportSettings(**settings), rows_read=len(frame), rows_skipped=0)


def counted_orders(frame: pd.DataFrame, t1: pd.Timestamp) -> pd.DataFrame:
    """SPEC's counted orders written out plainly: one row per order id with a positive net
    amount and no returned flag; its date is its earliest row's, its customer its first row's."""
    g = frame.sort_values("row").groupby("order_id", sort=False)
    orders = pd.DataFrame({"customer_id": g["customer_id"].first(), "date": g["date"].min(),
                           "net": g["amount"].sum(), "flag": g["returned"].any()})
    orders = orders[~orders["flag"] & (orders["net"].round(6) > 0) & (orders["date"] <= t1)]
    return orders


@pytest.fixture(scope="module")
def shop():
    frame = shop_frame()
    return frame, build(frame)


# ---------------------------------------------------------------- engine


def test_the_model_sees_the_counted_orders_up_to_the_period_end(monkeypatch):
    seen = {}
    real = clv.forecast

    def spy(ids, dates, amounts, **kwargs):
        seen.update(ids=np.asarray(ids), dates=np.asarray(dates), amounts=np.asarray(amounts), **kwargs)
        return real(ids, dates, amounts, **kwargs)

    monkeypatch.setattr(kpi.clv, "forecast", spy)
    frame = orders_frame([
        ("A", "2024-01-03", 30, "o1"), ("A", "2024-01-02", 20, "o1"),  # two lines: one order, 50, 2 Jan
        ("A", "2024-02-01", 40, "o2"),
        ("B", "2024-01-10", 25, "o3", True),  # flagged returned: not a purchase
        ("B", "2024-01-11", 60, "o4"), ("B", "2024-01-20", -60, "o4"),  # refunded in full: net 0
        ("C", "2024-01-15", 35, "o5"),
        ("C", "2024-03-05", 45, "o6"),  # after the period end
    ])
    r = build(frame, period_end=date(2024, 3, 1), clv_months=6, annual_discount=0.05)
    ids = np.asarray(pd.factorize(frame["customer_id"])[1])[seen["ids"]]
    got = sorted(zip(ids, seen["dates"].astype("datetime64[D]").astype(str), seen["amounts"]))
    assert got == [("A", "2024-01-02", 50.0), ("A", "2024-02-01", 40.0), ("C", "2024-01-15", 35.0)]
    assert seen["as_of"] == pd.Timestamp("2024-03-01")
    assert seen["months"] == 6 and seen["annual_discount"] == 0.05
    assert r.predicted_clv.months == 6 and r.predicted_clv.as_of == date(2024, 3, 1)


def test_forecast_is_merged_per_customer_and_equals_a_direct_call(shop):
    frame, r = shop
    t1 = pd.Timestamp(r.period_end)
    orders = counted_orders(frame, t1)
    fc = clv.forecast(orders["customer_id"], orders["date"], orders["net"], as_of=t1)
    assert fc.ok
    info = r.predicted_clv
    assert info.reason is None and info.customers == fc.n_customers
    assert info.repeat_buyers == fc.n_repeat_buyers
    assert info.expected_revenue == pytest.approx(fc.expected_revenue, rel=1e-9)
    assert info.total_clv == pytest.approx(fc.total_clv, rel=1e-9)
    m = info.model
    assert [m.r, m.alpha, m.a, m.b] == pytest.approx(list(fc.purchase_params), rel=1e-9)
    assert [m.p, m.q, m.gamma] == pytest.approx(list(fc.spend_params), rel=1e-9)
    assert m.unit == "weeks"
    bands = fc.customers["churn_risk"].value_counts()
    assert info.churn_risk.to_json() == {b: int(bands.get(b, 0)) for b in ("low", "medium", "high")}

    table = r.customers_table.set_index("customer_id")
    mine = fc.customers
    for col in ("p_alive", "expected_purchases", "predicted_clv"):
        np.testing.assert_allclose(table.loc[mine.index, col].to_numpy(float), mine[col].to_numpy(float), rtol=1e-9)
    assert table.loc[mine.index, "churn_risk"].tolist() == mine["churn_risk"].tolist()
    # customers with only returned or refunded orders have no forecast
    others = table.index.difference(mine.index)
    assert len(others) > 0 and table.loc[others, "p_alive"].isna().all()
    assert table.loc[others, "churn_risk"].isna().all()
    assert (table.loc[others, "orders"] == 0).all()


def test_json_has_the_model_and_the_predicted_revenue(shop):
    _frame, r = shop
    j = json.loads(json.dumps(r.to_json(), allow_nan=False))
    info = r.predicted_clv
    assert j["clv_model"] == {k: pytest.approx(v) if isinstance(v, float) else v
                              for k, v in info.model.to_json().items()}
    assert set(j["clv_model"]) == {"r", "alpha", "a", "b", "p", "q", "gamma", "unit", "method"}
    assert j["clv_model"]["unit"] == "weeks"
    p = j["predicted_clv"]
    assert p["expected_revenue"] == pytest.approx(info.expected_revenue)
    assert p["total_clv"] == pytest.approx(info.total_clv) and p["total_clv"] < p["expected_revenue"]
    assert p["months"] == 12 and p["annual_discount"] == 0.1 and p["as_of"] == r.period_end.isoformat()
    assert p["reason"] is None and p["reason_code"] is None and "clv_model" not in j["notes"]
    assert sum(p["churn_risk"].values()) == p["customers"]
    assert "clv" not in j  # the typed part is written as the two keys above


def test_thin_data_gives_a_reason_instead_of_numbers():
    r = build(orders_frame(SHOP))
    info = r.predicted_clv
    assert info.reason_code == "clv_few_repeat_buyers" and (info.reason.fields["n"], info.reason.fields["min"]) == (2, 20)
    assert info.expected_revenue is None and info.model is None and info.churn_risk is None
    assert not set(kpi.CLV_COLUMNS) & set(r.customers_table.columns)
    j = r.to_json()
    assert j["clv_model"] is None and j["predicted_clv"]["expected_revenue"] is None
    assert j["notes"]["clv_model"] == j["predicted_clv"]["reason"] == str(info.reason)
    assert r.notes["clv_model"].code == "error.clv_few_repeat_buyers" and j["predicted_clv"]["reason_code"] == "clv_few_repeat_buyers"
    # the other figures are untouched
    assert r.orders == 5 and r.retention.value == pytest.approx(1 / 3)


def test_a_failing_model_never_breaks_the_report(monkeypatch):
    frame = shop_frame(120, seed=1)
    r = build(frame, clv_months=0)  # a horizon the model refuses
    assert r.predicted_clv.reason_code == "clv_settings" and "months" in r.predicted_clv.reason

    def boom(*_a, **_k):
        raise FloatingPointError("overflow in the fit")

    monkeypatch.setattr(kpi.clv, "forecast", boom)
    r = build(frame)
    assert r.predicted_clv.reason_code == "clv_failed"
    assert r.notes["clv_model"] == "The prediction could not be computed (FloatingPointError: overflow in the fit)."
    assert r.customers > 0 and "p_alive" not in r.customers_table.columns


def test_nobody_dropping_out_is_explained():
    rng = np.random.default_rng(0)
    lines = []
    for c in range(40):  # everyone buys every week right up to the end
        first = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 60)))
        lines += [(f"c{c}", first + pd.Timedelta(days=k), 10.0) for k in range(0, 300, 7)]
    r = build(orders_frame(lines), period_end=date(2024, 12, 31))
    assert r.predicted_clv.reason_code in ("clv_no_dropout", "clv_regular_buyers")
    assert r.predicted_clv.repeat_buyers == 40


def test_caveats_of_a_fit_come_with_codes():
    frame = shop_frame(800, seed=3)
    counted = frame[~frame["returned"] & (frame["amount"] > 0)]
    n = counted.groupby("customer_id")["date"].transform("nunique")  # spend grows with orders
    frame.loc[counted.index, "amount"] = 5.0 + 8.0 * n + np.random.default_rng(0).uniform(0, 3, len(counted))
    r = build(frame)
    (note,) = r.predicted_clv.notes
    assert note.code == "clv.spend_correlated" and note.fields["corr"] > 0.8
    assert f"({note.fields['corr']:+.2f})" in note  # the number clv.forecast reported

    flat = shop_frame(600, seed=2)
    flat = flat[~flat["returned"]].drop_duplicates(["customer_id", "date"]).assign(amount=25.0)
    r = build(flat)
    assert [n.code for n in r.predicted_clv.notes] == ["clv.spend_fallback"]
    assert r.predicted_clv.model.p is None and r.predicted_clv.model.r > 0
    assert r.to_json()["clv_model"]["gamma"] is None


# ---------------------------------------------------------------- Customers selection


def test_at_risk_includes_repeat_customers_the_model_sees_slipping_away():
    table = pd.DataFrame({
        "customer_id": list("abcdef"),
        "monetary": [600.0, 500.0, 400.0, 300.0, 200.0, 100.0],
        "frequency": [9, 8, 1, 5, 4, 3],
        "segment": ["Champions", "Loyal", "New", "Lost", "At risk", "Loyal"],
        "churn_risk": ["low", "medium", "high", "high", "low", "high"],
    })
    picked, why = frames.select_customers(table, 4)
    # at risk: b (medium, 8 orders), e (RFM at risk), f (high, 3 orders); not c (one order), not d (Lost)
    assert picked["customer_id"].tolist() == ["a", "c", "b", "e"] and why.tolist() == [0, 0, 1, 1]
    everyone, why = frames.select_customers(table, 10)
    assert dict(zip(everyone["customer_id"], why)) == {"a": 0, "b": 1, "c": 0, "d": 0, "e": 1, "f": 1}


# ---------------------------------------------------------------- workbook and JSON


def _tile(ws, title: str):
    for row in ws.iter_rows():
        for c in row:
            if c.value == title:
                return ws.cell(c.row + 1, c.column), ws.cell(c.row + 2, c.column), ws.cell(c.row + 3, c.column)
    raise AssertionError(f"tile {title!r} not found")


def _text(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("key", ["en", "ru", "zh"])
def test_dashboard_tile_equals_the_json(built_reports, key):
    b = built_reports[key]
    L = LB.Labels(b.lang)
    data = json.loads(b.outcome.json.read_text(encoding="utf-8"))
    info = b.outcome.report.predicted_clv
    ws = openpyxl.load_workbook(b.path, data_only=True).worksheets[0]
    value, detail, status = _tile(ws, L("tile.predicted_revenue", months="12"))
    assert value.value == pytest.approx(data["predicted_clv"]["expected_revenue"], rel=1e-12)
    assert value.value == pytest.approx(info.expected_revenue, rel=1e-12) and value.value > 1000
    assert value.number_format == "#,##0"
    assert detail.value == L("detail.predicted_revenue", customers=L.number(info.customers),
                             high=L.number(info.churn_risk.high))
    assert status.value == L("status.info")
    assert data["clv_model"]["r"] == pytest.approx(info.model.r)


@pytest.mark.parametrize("key", ["en", "ru", "zh"])
def test_customers_sheet_shows_the_forecast_with_translated_headers_and_bands(built_reports, key):
    b = built_reports[key]
    L = LB.Labels(b.lang)
    ws = openpyxl.load_workbook(b.path, data_only=True)[L("sheet.customers")]
    header = [c.value for c in ws[4]]
    cols = {h: i for i, h in enumerate(header)}
    heads = {k: L(f"col.{k}", months="12") for k in ("p_alive", "expected_purchases", "predicted_clv", "churn_risk")}
    assert set(heads.values()) <= set(cols)
    assert "{" not in "".join(heads.values())
    table = b.outcome.report.customers_table.set_index("customer_id")
    words = {L(f"risk.{band}"): band for band in ("low", "medium", "high")}
    seen = set()
    for row in ws.iter_rows(min_row=5, values_only=True):
        cid = row[0]
        expected = table.loc[cid]
        if pd.isna(expected["p_alive"]):
            assert row[cols[heads["p_alive"]]] is None and row[cols[heads["churn_risk"]]] is None
            continue
        assert row[cols[heads["p_alive"]]] == pytest.approx(expected["p_alive"], rel=1e-12)
        assert row[cols[heads["expected_purchases"]]] == pytest.approx(expected["expected_purchases"], rel=1e-12)
        assert row[cols[heads["predicted_clv"]]] == pytest.approx(expected["predicted_clv"], rel=1e-12)
        band = words[row[cols[heads["churn_risk"]]]]  # a translated word, never the engine's
        assert band == expected["churn_risk"]
        seen.add(band)
    assert seen == {"low", "medium", "high"}
    fmt = ws.cell(5, cols[heads["p_alive"]] + 1).number_format
    assert "%" in fmt


@pytest.mark.parametrize("key", ["en", "ru", "zh"])
def test_methodology_explains_the_models_with_the_fitted_numbers(built_reports, key):
    b = built_reports[key]
    L = LB.Labels(b.lang)
    text = _text(openpyxl.load_workbook(b.path)[L("sheet.methodology")])
    model = b.outcome.report.predicted_clv.model.to_json()
    assert L("meth.clv") in text and L("def.clv_purchases") in text and L("def.clv_spend") in text
    for k in ("r", "alpha", "a", "b", "p", "q", "gamma"):
        assert L.number(model[k], 3) in text, k
    assert "α" in text and "γ" in text
    assert L("def.clv_atrisk") in text
    assert L.percent(0.1) in text  # the discount rate


def test_no_fit_report_says_why_on_the_tile_in_methodology_and_json(tmp_path):
    from retention_xl.read.orders import read_orders

    csv = tmp_path / "few.csv"
    csv.write_text("Customer ID,Order Date,Amount\n" + "\n".join(
        f"{c},2024-0{m}-1{d},{10 + m}" for c, m, d in
        [("a", 1, 1), ("a", 2, 1), ("b", 1, 5), ("b", 3, 1), ("c", 2, 2), ("c", 2, 8), ("d", 1, 9), ("e", 3, 3)]
    ) + "\n", encoding="utf-8")
    read = read_orders(csv)
    for lang in ("en", "ru", "zh"):
        L = LB.Labels(lang)
        out = tmp_path / f"few {lang}.xlsx"
        outcome = build_report(read, ReportSettings(lang=lang), out, tmp_path / f"few {lang}.json")
        data = json.loads(outcome.json.read_text(encoding="utf-8"))
        assert data["clv_model"] is None and data["predicted_clv"]["expected_revenue"] is None
        assert data["notes"]["clv_model"].startswith("Only 3 customers bought more than once")
        wb = openpyxl.load_workbook(out, data_only=True)
        value, detail, status = _tile(wb.worksheets[0], L("tile.predicted_revenue", months="12"))
        reason = L("clv.reason.clv_few_repeat_buyers", n=3, min=20)
        assert value.value == "—" and detail.value == L("detail.predicted_none", reason=reason)
        assert status.value == L("status.no_data")
        meth = _text(wb[L("sheet.methodology")])
        assert L("meth.clv_none") in meth and L("def.clv_purchases") in meth
        if lang == "en":
            assert "Not calculated: Only 3 customers bought more than once; at least 20 are needed" in meth
        else:
            assert L("def.clv_none", reason=reason) in meth
        headers = {c.value for c in wb[L("sheet.customers")][4]}
        assert L("col.churn_risk") not in headers and L("col.p_alive") not in headers


def test_every_clv_reason_and_note_code_is_translated():
    reasons = set(predicted_clv._CLV_REASONS.values()) | {"clv_no_fit", "clv_settings", "clv_failed", "clv_withheld"}
    keys = {f"clv.reason.{c}" for c in reasons} | set(sheets.CLV_NOTE_LABELS.values())
    for lang in LB.LANGS:
        for key in keys:
            assert key in LB.LABELS[lang], (lang, key)
