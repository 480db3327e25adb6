"""The reader's row pipeline, stage by stage (read/rows.py): each stage a pure function.

Each test builds a small raw table, runs one stage on it and checks its output table, its
notes, that its input is unchanged, and that rows_read == usable + unusable still holds.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from retention_xl.read import cells as P
from retention_xl.read.headers import map_columns
from retention_xl.read.parse import parse_rows
from retention_xl.read.rows import Cells, RowTable, SplitRows, drop_blank_rows, fill_order_lines
from retention_xl.read.split import split_rows


def cells_of(headers: list[str], rows: list[list], first_row: int = 2) -> Cells:
    """Cells as the reader hands them to the pipeline: object columns 0..width-1 under a mapped header."""
    cmap = map_columns(headers, sample=rows)
    frame = pd.DataFrame(rows, columns=list(range(len(headers))), dtype=object)
    return Cells(frame, first_row, cmap)


def codes(notes) -> list[str]:
    """The notes' codes without the kind ("read.order_lines" and "order_lines" alike)."""
    return [n.code.removeprefix("read.") for n in notes]


def customer_ids(t: RowTable) -> list[str | None]:
    return [t.customers[c] if c >= 0 else None for c in t.customer]


def invariant(t: RowTable) -> None:
    assert t.rows_read == int(t.usable.sum()) + int(t.unusable.sum())
    assert not (t.usable & t.unusable).any()


def arrays(t: RowTable) -> dict[str, np.ndarray]:
    """Copies of every per-row array of a table, to check later that a stage left them alone."""
    return {k: np.array(v, copy=True) for k, v in vars(t).items() if isinstance(v, np.ndarray)}


def same_arrays(t: RowTable, before: dict[str, np.ndarray]) -> bool:
    """Every array as it was (NaT equal to NaT)."""
    return all(pd.Series(getattr(t, k)).equals(pd.Series(v)) for k, v in before.items())


H = ["Order ID", "Customer ID", "Order Date", "Amount", "Status"]


# ---------------------------------------------------------------- stage 1: parse


def test_parse_reads_each_role_column_and_leaves_the_cells_alone():
    c = cells_of(H, [
        ["A1", " C7 ", "2024-03-01", "10.50", "paid"],
        ["A2", "13607.0", "2024-03-02", "-4", "refunded"],
        ["A3", "", "not a date", "abc", "paid"],
    ], first_row=5)
    frame_before = c.frame.copy()
    t, notes = parse_rows(c)
    assert list(t.row) == [5, 6, 7]
    assert customer_ids(t) == ["C7", "13607", None]
    assert list(t.customer_status) == [P.OK, P.OK, P.BLANK]
    assert list(pd.to_datetime(t.date[:2])) == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02")]
    assert list(t.date_status) == [P.OK, P.OK, P.BAD]
    assert list(t.amount[:2]) == [10.5, -4.0] and list(t.amount_status) == [P.OK, P.OK, P.BAD]
    assert list(t.returned) == [False, True, False]
    assert t.order is not None and list(t.order_status) == [P.OK, P.OK, P.OK]
    assert "flags_returned" in codes(notes)
    assert t.rows_read == 3 and list(t.usable) == [True, True, False]
    invariant(t)
    pd.testing.assert_frame_equal(c.frame, frame_before)


def test_parse_marks_amounts_of_a_quadrillion_as_bad_and_multiplies_quantity_by_price():
    c = cells_of(["Customer", "Date", "Quantity", "Unit Price"], [
        ["a", "2024-01-05", "3", "2.50"],
        ["b", "2024-01-06", "1", "4111111111111111"],
        ["c", "2024-01-07", "", "5"],
    ])
    t, notes = parse_rows(c)
    assert t.amount[0] == 7.5
    assert list(t.too_large) == [False, True, False]
    assert list(t.amount_status) == [P.OK, P.BAD, P.BLANK]
    assert list(t.quantity_status) == [P.OK, P.OK, P.BLANK] and list(t.price_status) == [P.OK, P.OK, P.OK]
    assert "amount_product" not in codes(notes)  # the header's note is the header's, not the parse's
    invariant(t)


def test_parse_takes_the_email_where_the_customer_id_is_blank():
    c = cells_of(["Customer ID", "Email", "Date", "Amount"], [
        ["C1", "a@x.com", "2024-01-05", "5"],
        ["", "B@x.com", "2024-01-06", "6"],
        ["", "", "2024-01-07", "7"],
    ])
    t, notes = parse_rows(c)
    assert customer_ids(t) == ["C1", "B@x.com", None]
    assert "email_fallback" in codes(notes)
    assert [n for n in notes if n.code.removeprefix("read.") == "email_fallback"][0].fields["n"] == "1"
    invariant(t)


def test_parse_strips_a_layouts_field_prefix_in_a_new_frame():
    H = ("交易时间,公众账号ID,商户号,微信订单号,商户订单号,用户标识,交易类型,交易状态,货币种类,应结订单金额,退款金额,"
         "订单金额").split(",")
    rows = [["`2024-05-01 09:12:44", "`wx1", "`100", "`W1", "`M1", "`oUser1", "`JSAPI", "`SUCCESS", "`CNY", "`12.50",
             "`0.00", "`12.50"]]
    c = cells_of(H, rows)
    assert c.cmap.layout is not None and c.cmap.layout.field_prefix == "`"
    t, notes = parse_rows(c)
    assert "field_prefix" in codes(notes)
    assert customer_ids(t) == ["oUser1"] and t.amount[0] == 12.5
    assert c.frame.iloc[0, 5] == "`oUser1"  # the caller's cells are as they were
    assert t.frame.iloc[0, 5] == "oUser1"


# ---------------------------------------------------------------- stage 2: blank rows


def test_drop_blank_rows_leaves_blank_rows_out_of_the_count():
    c = cells_of(H, [
        ["A1", "C1", "2024-03-01", "10", "paid"],
        ["", " ", None, "", ""],
        ["", "", "", "", "note: closed"],  # not blank: a cell outside the roles holds text
        ["A2", "C2", "2024-03-02", "", "paid"],
    ])
    parsed, _ = parse_rows(c)
    before = arrays(parsed)
    t, notes = drop_blank_rows(parsed)
    assert list(t.keep) == [True, False, True, True]
    assert t.rows_read == 3 and parsed.rows_read == 4
    assert list(t.usable) == [True, False, False, False]
    assert notes == []
    invariant(t)
    assert same_arrays(parsed, before)


def test_drop_blank_rows_drops_a_layouts_comment_and_summary_lines():
    H = ("交易时间,公众账号ID,商户号,微信订单号,商户订单号,用户标识,交易类型,交易状态,货币种类,应结订单金额,退款金额,"
         "订单金额").split(",")
    line = ["2024-05-01 09:12:44", "wx1", "100", "W1", "M1", "oUser1", "JSAPI", "SUCCESS", "CNY", "12.50", "0.00",
            "12.50"]
    summary = ["总交易单数", "应结订单总金额", "退款总金额", "", "", "", "", "", "", "", "", ""]
    c = cells_of(H, [line, summary, ["1", "12.50", "0.00", "", "", "", "", "", "", "", "", ""]])
    t, notes = drop_blank_rows(parse_rows(c)[0])
    assert list(t.keep) == [True, False, False]
    assert codes(notes) == ["layout_comments"] and notes[0].fields["n"] == "2"
    invariant(t)


# ---------------------------------------------------------------- stage 3: order lines


def test_fill_order_lines_gives_later_lines_the_first_lines_fields_in_a_new_table():
    c = cells_of(["Name", "Email", "Created at", "Total", "Lineitem name"], [
        ["#1001", "a@x.com", "2024-02-01 10:00", "30.00", "Mug"],
        ["#1001", "", "", "", "Plate"],
        ["#1002", "b@x.com", "2024-02-03 11:00", "12.00", "Cup"],
        ["#1003", "", "", "", "Bowl"],  # an order with no first line: nothing to take
    ])
    parsed, _ = drop_blank_rows(parse_rows(c)[0])
    before = arrays(parsed)
    t, notes = fill_order_lines(parsed)
    assert codes(notes) == ["order_lines"] and notes[0].fields["n"] == "1"
    assert customer_ids(t) == ["a@x.com", "a@x.com", "b@x.com", None]
    assert list(t.amount[:3]) == [30.0, 0.0, 12.0]
    assert t.date[1] == t.date[0]
    assert list(t.usable) == [True, True, True, False]
    invariant(t)
    assert same_arrays(parsed, before)  # the input table is as it was
    assert list(parsed.amount_status) == [P.OK, P.BLANK, P.OK, P.BLANK]
    assert customer_ids(parsed) == ["a@x.com", None, "b@x.com", None]
    assert list(parsed.customer_status) == [P.OK, P.BLANK, P.OK, P.BLANK]


def test_fill_order_lines_counts_an_order_total_repeated_on_every_line_once():
    c = cells_of(["Order ID", "Customer", "Order Date", "Product", "Order Total"], [
        ["1", "ann", "2024-02-01", "Mug", "40"],
        ["1", "ann", "2024-02-01", "Plate", "40"],
        ["2", "bob", "2024-02-02", "Cup", "15"],
        ["2", "bob", "2024-02-02", "Bowl", "15"],
        ["3", "cy", "2024-02-03", "Jug", "9"],
    ])
    assert c.cmap.amount_order_level
    parsed, _ = drop_blank_rows(parse_rows(c)[0])
    t, notes = fill_order_lines(parsed)
    assert list(t.amount) == [40.0, 0.0, 15.0, 0.0, 9.0]
    assert list(parsed.amount) == [40.0, 40.0, 15.0, 15.0, 9.0]
    assert codes(notes) == ["repeated_total"]
    assert notes[0].fields["orders"] == "2" and notes[0].fields["lines"] == "2"
    invariant(t)


def test_fill_order_lines_passes_a_table_whose_lines_all_have_amounts():
    c = cells_of(H, [["A1", "C1", "2024-03-01", "10", "paid"], ["A1", "C1", "2024-03-01", "5", "paid"]])
    parsed, _ = drop_blank_rows(parse_rows(c)[0])
    t, notes = fill_order_lines(parsed)
    assert t is parsed and notes == []


# ---------------------------------------------------------------- stage 4: used / skipped


def test_split_rows_gives_the_orders_frame_and_each_skipped_rows_reason():
    c = cells_of(H, [
        ["A1", "C1", "2024-03-01", "10.50", "paid"],
        ["A2", "", "2024-03-02", "8", "paid"],
        ["", "", "", "", ""],
        ["A3", "C3", "32/13/2024", "abc", "paid"],
        ["", "C4", "2024-03-04", "3", "refunded"],
    ], first_row=2)
    t = fill_order_lines(drop_blank_rows(parse_rows(c)[0])[0])[0]
    out, notes = split_rows(t, order_prefix="Sheet2: ")
    assert isinstance(out, SplitRows) and notes == []
    assert out.rows_read == 4 == len(out.orders) + len(out.skipped)
    o = out.orders
    assert list(o["row"]) == [2, 6]
    assert list(o["customer_id"]) == ["C1", "C4"]
    assert list(o["order_id"]) == ["A1", "Sheet2: row 6"]
    assert list(o["amount"]) == [10.5, 3.0] and list(o["returned"]) == [False, True]
    assert str(o["date"].dtype) == "datetime64[ns]" and list(o["currency"]) == ["", ""]
    s = out.skipped
    assert list(s["row"]) == [3, 5]
    assert s["parts"][0] == (("no_customer", None),)
    assert s["parts"][1] == (("bad_date", "'32/13/2024'"), ("bad_amount", "'abc'"))
    assert s["raw"][1] == "A3 | C3 | 32/13/2024 | abc | paid"
    assert list(out.no_customer["row"]) == [3] and list(out.no_customer["amount"]) == [8.0]


def test_split_rows_refuses_counts_that_do_not_add_up():
    orders = pd.DataFrame({"row": [2]})
    skipped = pd.DataFrame({"row": [3]})
    with pytest.raises(ValueError):
        SplitRows(orders, skipped, pd.DataFrame({"row": []}), rows_read=3)


def test_stages_end_to_end_match_read_values():
    from retention_xl.read.orders import read_values

    header = ["Name", "Email", "Created at", "Total", "Lineitem name"]
    rows = [["#1", "a@x.com", "2024-02-01", "30", "Mug"], ["#1", "", "", "", "Plate"], ["", "", "", "", ""],
            ["#2", "", "2024-02-03", "12", "Cup"]]
    r = read_values([header] + copy.deepcopy(rows))
    t = fill_order_lines(drop_blank_rows(parse_rows(cells_of(header, rows))[0])[0])[0]
    out, _ = split_rows(t)
    assert r.rows_read == out.rows_read == 3
    pd.testing.assert_frame_equal(r.orders, out.orders)
    assert list(r.skipped["row"]) == list(out.skipped["row"]) == [5]


def test_a_clean_str_customer_column_is_output_as_written_without_hashing():
    frame = pd.DataFrame({0: pd.Series(["C2", "C1", "C2"], dtype="str"),
                          1: pd.Series(["2024-01-01", "2024-01-02", "2024-01-03"], dtype="str"),
                          2: pd.Series([1.0, 2.0, 3.0])})
    cells = Cells(frame, 2, map_columns(["Customer ID", "Date", "Amount"]))
    t = fill_order_lines(drop_blank_rows(parse_rows(cells)[0])[0])[0]
    assert isinstance(t.customer_ids, P.WrittenIds) and "_parsed" not in vars(t.customer_ids)
    out, _ = split_rows(t)
    assert list(out.orders["customer_id"]) == ["C2", "C1", "C2"]
    assert "_parsed" not in vars(t.customer_ids)  # never hashed
    assert customer_ids(t) == ["C2", "C1", "C2"]  # and the codes when asked
