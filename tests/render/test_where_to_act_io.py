"""Issue 14 through the shells: the spend input (file, sheet, --cac, the button), the sheet, the cell function."""

from __future__ import annotations

import json
from datetime import date, datetime

import openpyxl
import pytest
import xlsxwriter

from retention_xl import cli
from retention_xl.errors import InputError
from retention_xl.excel import ribbon, udfs
from retention_xl.read import spend as spend_mod
from test_ribbon import FakeBook, FakeSheet
from test_where_to_act import SHOP

HEADER = ["Customer", "Order date", "Amount", "Order", "Channel", "Product"]


def _shop_csv(tmp_path):
    p = tmp_path / "shop.csv"
    p.write_text("\n".join([",".join(HEADER)] + [",".join(map(str, r[:1] + r[1:])) for r in SHOP]) + "\n",
                 encoding="utf-8")
    return p


def _run(tmp_path, *args):
    out = tmp_path / "r.xlsx"
    code = cli.main(["report", str(_shop_csv(tmp_path)), "-o", str(out), "--json", str(tmp_path / "k.json"),
                     "--period-end", "2024-03-31", *args])
    return code, out, (json.loads((tmp_path / "k.json").read_text()) if code == 0 else None)


def test_spend_csv_gives_cac_per_month(tmp_path):
    sp = tmp_path / "spend.csv"
    sp.write_text("Month;Spend\n2024-01;300\n01.2024;0\n2024-02;100\n2024-03;90\n", encoding="utf-8")
    code, _, j = _run(tmp_path, "--spend", str(sp))
    assert code == 0
    assert [m["cac"] for m in j["cac"]["by_month"]] == [150.0, 100.0, 90.0]  # 300 / 2, 100 / 1, 90 / 1
    assert j["cac"]["cac"] == pytest.approx(490 / 4)


def test_cac_and_margin_options(tmp_path):
    code, _, j = _run(tmp_path, "--cac", "70", "--margin", "50%")
    assert code == 0
    assert (j["cac"]["cac"], j["cac"]["payback_month"], j["cac"]["margin"]) == (70.0, 1, 0.5)


def test_spend_and_cac_together_are_refused(tmp_path, capsys):
    sp = tmp_path / "spend.csv"
    sp.write_text("month,amount\n2024-01,1\n", encoding="utf-8")
    code, _, _ = _run(tmp_path, "--spend", str(sp), "--cac", "5")
    assert code == 1
    assert "either --spend FILE or --cac AMOUNT" in capsys.readouterr().err


def test_an_unreadable_spend_row_is_named(tmp_path):
    sp = tmp_path / "spend.csv"
    sp.write_text("month,amount\n2024-01,100\nsomewhen,50\n", encoding="utf-8")
    with pytest.raises(InputError, match=r'"spend.csv", row 3, column "month": \'somewhen\' is not a month'):
        spend_mod.read_spend_file(sp)
    sp.write_text("month,amount\n2024-01,lots\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2, column \"amount\": 'lots' is not an amount"):
        spend_mod.read_spend_file(sp)


def test_the_order_workbook_spend_sheet_is_read_without_an_option(tmp_path):
    p = tmp_path / "shop.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Orders")
    ws.write_row(0, 0, HEADER)
    for i, r in enumerate(SHOP, start=1):
        ws.write_row(i, 0, [r[0], r[1], r[2], r[3], r[4], r[5]])
    sp = wb.add_worksheet("Маркетинговые расходы")
    sp.write_row(0, 0, ["Месяц", "Расходы", "Канал"])
    sp.write_row(1, 0, ["2024-01", 50, "Web"])
    sp.write_row(2, 0, ["2024-01", 400, "Shop"])
    wb.close()
    out = tmp_path / "r.xlsx"
    assert cli.main(["report", str(p), "-o", str(out), "--json", str(tmp_path / "k.json"),
                     "--period-end", "2024-03-31", "--lang", "ru"]) == 0
    j = json.loads((tmp_path / "k.json").read_text())
    assert {(m["channel"], m["cac"]) for m in j["cac"]["by_month"]} == {("Web", 50.0), ("Shop", 400.0)}
    book = openpyxl.load_workbook(out, read_only=True)
    assert "Где действовать" in book.sheetnames
    assert book.sheetnames.index("Где действовать") == book.sheetnames.index("Когорты") + 1


def test_the_sheet_says_what_to_add_without_spend(tmp_path):
    code, out, j = _run(tmp_path)
    assert code == 0 and j["cac"]["reason"] == "no_spend"
    ws = openpyxl.load_workbook(out, read_only=True)["Where to act"]
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("Marketing spend" in t and "--spend FILE" in t for t in texts)
    assert "Median days to the second order" in texts


def test_button_reads_the_spend_sheet_like_the_settings_sheet(tmp_path):
    orders = FakeSheet.from_rows("Orders", [HEADER] + [[r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5]]
                                                       for r in SHOP])
    spend = FakeSheet.from_rows("Marketing spend", [["month", "amount"], [datetime(2024, 1, 1), 300.0],
                                                    ["2024-02", 100.0], ["2024-03", 90.0]])
    settings = FakeSheet.from_rows("Retention settings", [["Period end", datetime(2024, 3, 31)], ["Margin", 1.0]])
    folder = tmp_path / "book"
    folder.mkdir()
    book = FakeBook("shop.xlsx", str(folder / "shop.xlsx"), [orders, spend, settings], selection=(2, 2))
    out = ribbon.build_kpi_report(book, today=date(2024, 7, 1), documents=tmp_path, open_report=False,
                                  json_out=tmp_path / "k.json")
    assert out is not None, book.app.alerts
    j = json.loads((tmp_path / "k.json").read_text())
    assert [m["cac"] for m in j["cac"]["by_month"]] == [150.0, 100.0, 90.0]
    assert j["cac"]["margin"] == 1.0


def test_a_bad_margin_setting_is_named():
    with pytest.raises(InputError, match='setting "Margin"'):
        ribbon.parse_settings([["Margin", "a lot"]])
    assert ribbon.parse_settings([["Margin", "30 %"]]).margin == pytest.approx(0.3)


def test_repeat_within_in_a_cell_is_the_reports_figure(tmp_path):
    # one row per order, as a user pastes them; the refund row is no purchase in a cell range
    rows = [r for r in SHOP if r[2] > 0]
    ids = [[r[0]] for r in rows] + [["X"]]
    dates = [[datetime.fromisoformat(r[1])] for r in rows] + [[datetime(2024, 3, 31)]]  # the data end, 31 March
    code, _, j = _run(tmp_path)
    assert udfs.REPEAT_WITHIN(ids, dates, 30) == pytest.approx(j["repeat_within"]["30"]["share"])
    assert udfs.REPEAT_WITHIN(ids, dates, 60) == j["repeat_within"]["60"]["share"]
    assert udfs.REPEAT_WITHIN(ids, dates, 90).startswith("REPEAT_WITHIN: no customer's first purchase")
    assert udfs.REPEAT_WITHIN(ids, dates, "soon").startswith("REPEAT_WITHIN:")


@pytest.mark.parametrize(("given", "expected"), [("30%", 0.3), ("30 %", 0.3), ("0,3", 0.3), ("30", 0.3),
                                                 (0.3, 0.3), (1.0, 1.0), ("0", None), ("150%", None),
                                                 ("a lot", None), (-0.2, None)])
def test_the_cli_and_the_settings_sheet_read_a_margin_alike(given, expected):
    from retention_xl.settings import margin_fraction

    got = margin_fraction(given)
    assert got == (pytest.approx(expected) if expected is not None else None)
    if expected is None:
        with pytest.raises(InputError, match="is not a margin"):
            ribbon.parse_settings([["Margin", given]])
    else:
        assert ribbon.parse_settings([["Margin", given]]).margin == pytest.approx(expected)
    if isinstance(given, str):
        code = cli.main(["demo", "--margin", given, "-o", "/nonexistent/x.xlsx"]) if expected is None else None
        assert code in (None, 2)
