"""The report's tables are declared once (engine/tables.py); the engine is held to it, the writer reads it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from retention_xl.engine import kpi, rfm, tables
from retention_xl.engine.tables import TableContractError
from retention_xl.render import frames, privacy
from retention_xl.render import labels as LB
from retention_xl.settings import ReportSettings


def _shop(n_customers: int = 60, seed: int = 4) -> pd.DataFrame:
    """Orders of a small shop with names, e-mails, phones and channels (every optional column)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_customers):
        for k in range(1 + c % 4):
            rows.append((f"K{c:03d}", pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 700))),
                         float(rng.integers(10, 200)), f"Name {c}", f"p{c}@example.com", f"+1 555 01{c:02d}",
                         ["web", "shop"][c % 2]))
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "customer_name", "email", "phone", "channel"])
    frame.insert(0, "row", np.arange(2, len(frame) + 2, dtype=np.int64))
    frame["order_id"] = [f"O{i}" for i in range(len(frame))]
    frame["returned"] = False
    frame["unpaid"] = False
    for c in ("customer_id", "order_id", "customer_name", "email", "phone", "channel"):
        frame[c] = frame[c].astype("str")
    return frame


@pytest.fixture(scope="module")
def report():
    frame = _shop()
    return kpi.build_kpis(frame, ReportSettings(), rows_read=len(frame), rows_skipped=0)


def test_every_table_of_a_real_report_is_as_declared(report):
    tables.check_report(report)  # build_kpis did it too; the columns below are the declaration's
    assert list(report.monthly.columns) == list(tables.MONTHLY.names)
    assert [c for c in report.customers_table.columns] == [
        c for c in tables.CUSTOMERS.names if c in report.customers_table.columns]
    assert {"customer_name", "email", "phone", "channel"} <= set(report.customers_table.columns)
    assert list(report.cohorts.columns[:1]) == ["customers"] and report.cohorts.columns[1] == 0


def test_optional_columns_may_be_absent():
    frame = _shop().drop(columns=["customer_name", "email", "phone", "channel"])
    r = kpi.build_kpis(frame.iloc[:5], ReportSettings(), rows_read=5, rows_skipped=0)  # too few for a CLV fit
    assert r.predicted_clv.model is None and "p_alive" not in r.customers_table.columns
    assert "customer_name" not in r.customers_table.columns and "predicted_clv" not in r.segments.columns
    tables.check_report(r)


@pytest.mark.parametrize("breakage", ["rename", "drop", "retype", "extra", "reorder"])
def test_the_check_fires_when_a_table_breaks_its_declaration(report, breakage):
    m = report.monthly
    broken = {
        "rename": lambda: m.rename(columns={"net_revenue": "revenue"}),
        "drop": lambda: m.drop(columns=["active_customers"]),
        "retype": lambda: m.assign(orders=m["orders"].astype(float)),
        "extra": lambda: m.assign(sales=1.0),
        "reorder": lambda: m[list(m.columns[::-1])],
    }[breakage]()
    with pytest.raises(TableContractError, match="engine table monthly"):
        tables.MONTHLY.check(broken)


def test_build_kpis_refuses_to_return_a_table_that_breaks_the_contract(monkeypatch):
    real = kpi._monthly
    monkeypatch.setattr(kpi, "_monthly", lambda *a, **k: real(*a, **k).rename(columns={"customers": "buyers"}))
    frame = _shop()
    with pytest.raises(TableContractError, match=r"undeclared columns \['buyers'\], missing columns \['customers'\]"):
        kpi.build_kpis(frame, ReportSettings(), rows_read=len(frame), rows_skipped=0)


def test_cohort_offsets_must_be_0_1_2(report):
    c = report.cohorts
    with pytest.raises(TableContractError, match="0, 1, 2"):
        tables.COHORTS.check(c.rename(columns={0: 1, 1: 0}))
    with pytest.raises(TableContractError, match="declared float"):
        tables.COHORTS.check(c.assign(**{}).astype({0: str}))


def test_anonymisation_drops_the_columns_declared_personal(report, monkeypatch):
    pseudo = privacy.Pseudonymizer(b"k")
    out = privacy.anonymize_report(report, pseudo).customers_table
    assert set(tables.CUSTOMERS.personal) == {"customer_name", "email", "phone"}
    assert not set(tables.CUSTOMERS.personal) & set(out.columns)
    assert "channel" in out.columns  # not personal: kept
    assert out["customer_id"].tolist() == [pseudo(c) for c in report.customers_table["customer_id"]]
    # the declaration decides, not the column's name: declare channel personal and it goes too
    cols = tuple(replace(c, personal=True) if c.name == "channel" else c for c in tables.CUSTOMERS.columns)
    monkeypatch.setattr(tables, "CUSTOMERS", replace(tables.CUSTOMERS, columns=cols))
    out = privacy.anonymize_report(report, privacy.Pseudonymizer(b"k")).customers_table
    assert "channel" not in out.columns and "segment" in out.columns


def test_the_writer_names_only_declared_columns():
    with pytest.raises(TableContractError, match="undeclared"):
        frames._shown_as(tables.MONTHLY, {"sales": "revenue"}, [])
    with pytest.raises(TableContractError, match="undeclared"):
        frames._shown_as(tables.MONTHLY, {}, ["buyers"])
    shown = frames.customer_table(tables.CUSTOMERS.empty(), drop_personal=False)
    assert {"monetary", "frequency", "recency_days", "first_order", "last_order"} <= set(shown.columns)


def test_segment_labels_are_keyed_by_the_engines_segment_names():
    assert set(LB.SEGMENT_KEYS) == set(rfm.SEGMENTS)
    assert LB.segment_key("at_risk") is None  # no guessing at other spellings
    for lang in LB.LANGS:
        for name in rfm.SEGMENTS:
            label, action = LB.Labels(lang).segment(name)
            assert label and len(action) > 10, (lang, name)
