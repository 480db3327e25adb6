"""retention-xl on the command line: exit codes, one-line messages, outputs."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest

from retention_xl import cli
from retention_xl.render.labels import text

from conftest import SAMPLE


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def orders_csv(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_bytes(SAMPLE.read_bytes())
    return p


def test_report_success_default_output_json(orders_csv, tmp_path):
    code, out, err = run("report", str(orders_csv), "--json", str(tmp_path / "k.json"), "--industry", "retail")
    assert code == 0, err
    report = tmp_path / "orders KPI report.xlsx"
    assert report.exists() and str(report) in out
    assert err == ""  # no progress chatter when stderr is not a terminal
    data = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))
    for key in ("period", "rows", "customers", "orders", "revenue", "repeat_purchase_rate", "aov",
                "return_rate", "crr", "churn_rate"):
        assert key in data
    assert set(data["crr"]) >= {"start", "end", "new", "won_back", "value"}
    assert set(data["period"]) >= {"start", "end"} and set(data["rows"]) == {"read", "used", "skipped"}
    assert data["rows"]["read"] == data["rows"]["used"] + data["rows"]["skipped"]
    ws = openpyxl.load_workbook(report, data_only=True).worksheets[0]
    by_text: dict = {}
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                by_text.setdefault(c.value, ws.cell(c.row + 1, c.column).value)  # first one: the tile
    assert by_text[text("en", "tile.customers")] == data["customers"]
    assert by_text[text("en", "tile.orders")] == data["orders"]
    assert by_text[text("en", "tile.revenue")] == pytest.approx(data["revenue"])
    assert by_text[text("en", "tile.crr")] == pytest.approx(data["crr"]["value"])
    assert by_text[text("en", "tile.aov")] == pytest.approx(data["aov"])
    assert f"{data['customers']:,}" in out
    # predicted CLV: the model's parameters and the dashboard's predicted revenue
    assert set(data["clv_model"]) == {"r", "alpha", "a", "b", "p", "q", "gamma", "unit", "method"}
    assert data["clv_model"]["unit"] == "weeks" and data["clv_model"]["r"] > 0
    tile = text("en", "tile.predicted_revenue", months=12)
    assert by_text[tile] == pytest.approx(data["predicted_clv"]["expected_revenue"])


def test_settings_reach_the_report(orders_csv, tmp_path):
    out_path = tmp_path / "r.xlsx"
    code, out, err = run("report", str(orders_csv), "-o", str(out_path), "--json", str(tmp_path / "k.json"),
                         "--period-start", "2024-03-31", "--period-end", "2024-09-30", "--active-days", "90",
                         "--lang", "ru")
    assert code == 0, err
    data = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))
    assert data["period"] == {"start": "2024-03-31", "end": "2024-09-30", "days": 183}
    assert data["active_days"] == 90
    assert openpyxl.load_workbook(out_path).sheetnames[0] == "Сводка"
    assert "Отчёт сохранён" in out


def test_missing_column_names_it_and_the_headers_seen(tmp_path):
    p = tmp_path / "nodate.csv"
    p.write_text("Customer ID,Amount\nA,10\nB,20\n", encoding="utf-8")
    code, out, err = run("report", str(p))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "date" in err.lower() and "Customer ID" in err and "Amount" in err
    assert not (tmp_path / "nodate KPI report.xlsx").exists()


def test_header_without_data_rows_says_so(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("Customer ID,Order Date,Amount\n", encoding="utf-8")
    code, out, err = run("report", str(p))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "no data rows" in err
    assert not (tmp_path / "empty KPI report.xlsx").exists()


def test_no_usable_row_names_the_reasons_and_the_first_row(tmp_path):
    # the report cannot be written, so the message itself must say what is wrong and where
    p = tmp_path / "bad.csv"
    p.write_text("Customer ID,Order Date,Amount\nA,31.02.2024,10\nB,2024-13-01,20\nC,,5\n,2024-01-01,5\n",
                 encoding="utf-8")
    code, out, err = run("report", str(p))
    assert code == 1 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "none of the 4 data rows" in err
    assert "2 × date not readable" in err and "1 × no date" in err and "1 × no customer id" in err
    assert "row 2, date not readable: '31.02.2024'" in err


def test_explicit_column_that_is_not_there(orders_csv):
    code, _out, err = run("report", str(orders_csv), "--amount-col", "Total")
    assert code == 1 and '"Total"' in err and "Order Date" in err and err.count("\n") == 1


@pytest.mark.parametrize("content,name", [(b"PK\x03\x04 this is not really a zip", "broken.xlsx"),
                                          (b"\x00\x01\x02\x03" * 100, "binary.xlsx")])
def test_bad_file_is_one_line(tmp_path, content, name):
    p = tmp_path / name
    p.write_bytes(content)
    code, _out, err = run("report", str(p))
    assert code == 1 and err.startswith("retention-xl: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_missing_input_and_bad_usage(tmp_path):
    code, _out, err = run("report", str(tmp_path / "nope.xlsx"))
    assert code == 1 and "cannot find" in err
    code, _out, err = run("report", "x.csv", "--lang", "fr")
    assert code == 2 and err.count("\n") == 1
    code, _out, err = run("report", "x.csv", "--period-end", "31/02/2024")
    assert code == 2 and "not a date" in err
    code, _out, err = run("report", str(tmp_path / "x.csv"), "--industry", "spaceflight")
    assert code == 1 and "retail" in err


def test_output_must_not_be_the_input(orders_csv, tmp_path):
    x = tmp_path / "orders.xlsx"
    code, _out, err = run("report", str(orders_csv), "-o", str(orders_csv))
    assert code == 1 and ".xlsx" in err
    assert orders_csv.read_bytes() == SAMPLE.read_bytes()


def test_unexpected_error_is_one_line_without_traceback(orders_csv, monkeypatch):
    import retention_xl.pipeline as pl

    def boom(*a, **k):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(pl, "build_report", boom)
    monkeypatch.delenv("RETENTION_XL_DEBUG", raising=False)
    code, _out, err = run("report", str(orders_csv))
    assert code == cli.EXIT_BUG and err.count("\n") == 1
    assert "unexpected error: ZeroDivisionError: float division by zero" in err and "Traceback" not in err
    monkeypatch.setenv("RETENTION_XL_DEBUG", "1")
    code, _out, err = run("report", str(orders_csv))
    assert code == cli.EXIT_BUG and "Traceback" in err


def test_demo_and_python_dash_m(tmp_path):
    out = tmp_path / "demo.xlsx"
    proc = subprocess.run([sys.executable, "-m", "retention_xl", "demo", "-o", str(out), "--lang", "zh"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "报告已保存" in proc.stdout
    assert openpyxl.load_workbook(out).sheetnames[0] == "概览"
    proc = subprocess.run([sys.executable, "-m", "retention_xl", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "retention-xl" in proc.stdout


def test_progress_only_on_a_terminal():
    err = io.StringIO()
    p = cli.Progress(err)
    p("reading")
    assert err.getvalue() == ""
    p = cli.Progress(err, enabled=True)
    p("reading orders.csv")
    p.done()
    assert "reading orders.csv" in err.getvalue()
