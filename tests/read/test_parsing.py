"""Cell parsing: dates, amounts, ids, returned flags (retention_xl.read.cells)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from retention_xl.read.cells import BAD, BLANK, OK, cell_text, flag_word, parse_dates, parse_flags, parse_ids, parse_numbers


def D(s: str) -> np.datetime64:
    return np.datetime64(s, "ns")


def dates(values, dtype=object):
    return parse_dates(pd.Series(values, dtype=dtype))


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05", "2024-03-05 10:15:00", "2024-03-05T23:30:00-05:00", "2024-03-05 10:15:00 +0300",
        "05.03.2024", "05.03.2024 12:00:00", "5.3.2024", "05/03/2024", "2024/03/05", "2024/3/5 8:00",
        "2024年3月5日", "2024年3月5日 10:15", "20240305", "05-03-2024", "5 марта 2024 г.", "Mar 5, 2024",
        "5 March 2024", "05-Mar-2024", "  2024-03-05  ",
    ],
)
def test_date_texts_read_as_calendar_day(text):
    r = dates([text])
    assert r.status.tolist() == [OK]
    assert r.values[0] == D("2024-03-05")


def test_real_dates_serials_and_times_dropped():
    r = dates([dt.datetime(2024, 3, 5, 23, 59), dt.date(2024, 3, 5), pd.Timestamp("2024-03-05 08:00"), 45356.0, 45356.75, "45356"])
    assert r.status.tolist() == [OK] * 6
    assert (r.values == D("2024-03-05")).all()


def test_numeric_column_is_excel_serials():
    r = parse_dates(pd.Series([45356.0, 45357.5, np.nan]))
    assert list(r.values[:2]) == [D("2024-03-05"), D("2024-03-06")]
    assert r.status.tolist() == [OK, OK, BLANK]


def test_numeric_yyyymmdd_column():
    r = parse_dates(pd.Series([20240305, 20231231]))
    assert list(r.values) == [D("2024-03-05"), D("2023-12-31")]


def test_datetime_column_drops_time():
    r = parse_dates(pd.Series(pd.to_datetime(["2024-03-05 13:00", None])))
    assert r.values[0] == D("2024-03-05")
    assert r.status.tolist() == [OK, BLANK]


def test_slash_dates_default_day_first():
    r = dates(["05/03/2024", "01/02/2024"])
    assert list(r.values) == [D("2024-03-05"), D("2024-02-01")]
    assert not any("month-first" in n for n in r.notes)


def test_column_with_first_part_over_12_is_day_first():
    r = dates(["13/03/2024", "05/03/2024"])
    assert list(r.values) == [D("2024-03-13"), D("2024-03-05")]


def test_us_month_first_detected_when_only_reading_that_works():
    r = dates(["12/13/2024", "1/2/2024", "3/31/2024 8:26"])
    assert list(r.values) == [D("2024-12-13"), D("2024-01-02"), D("2024-03-31")]
    assert any("month-first" in n for n in r.notes)


def test_mixed_day_and_month_first_reads_day_first_and_flags_others():
    r = dates(["13/03/2024", "03/13/2024"])
    assert r.status.tolist() == [OK, BAD]
    assert any("mix" in n for n in r.notes)


@pytest.mark.parametrize("bad", ["31.02.2024", "abc", "2024-13-01", "32/01/2024", "1", "TRUE", "12:30"])
def test_unreadable_dates_are_bad(bad):
    assert dates([bad]).status.tolist() == [BAD]


@pytest.mark.parametrize("blank", ["", "   ", None, np.nan, "NaN", "null"])
def test_blank_dates(blank):
    assert dates([blank]).status.tolist() == [BLANK]


@pytest.mark.parametrize("text", ["0001-01-01", "01.01.0001", "0024-03-05", "5 марта 0024", "9999-12-31", "1899-12-31"])
def test_years_written_with_four_digits_are_taken_as_written(text):
    # '0001' is year 1 (outside 1900-2200, so unreadable), never 2001
    assert dates([text]).status.tolist() == [BAD]


def test_two_digit_year():
    r = dates(["05.03.24"])
    assert r.values[0] == D("2024-03-05")
    assert any("two-digit" in n for n in r.notes)


def test_many_distinct_timestamps_fast_path_matches_slow_path():
    n = 60000
    ts = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) * 37, unit="s")
    texts = list(ts.strftime("%Y-%m-%d %H:%M:%S"))
    texts[5] = "31.02.2024 10:00"
    texts[6] = "5 March 2024 10:00"
    texts[7] = ""
    r = parse_dates(pd.Series(texts, dtype="str"))
    assert r.status[5] == BAD and r.status[7] == BLANK
    assert r.values[6] == D("2024-03-05")
    assert r.values[0] == D("2024-01-01") and r.values[-1] == np.datetime64(ts[-1].normalize(), "ns")
    assert (r.status == OK).sum() == n - 2


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "text,value",
    [
        ("12.50", 12.5), ("12,50", 12.5), ("1 234,56", 1234.56), ("1\u00a0234,56", 1234.56),
        ("1\u202f234,56", 1234.56), ("1\u2009234.56", 1234.56), ("1'234.50", 1234.5), ("1,234.56", 1234.56),
        ("1.234,56", 1234.56), ("(12.50)", -12.5), ("12.50-", -12.5), ("-12,5", -12.5), ("−5", -5.0),
        ("₽ 1 000", 1000.0), ("1000 руб.", 1000.0), ("1 000 р.", 1000.0), ("$1,000.00", 1000.0),
        ("€12,50", 12.5), ("¥50", 50.0), ("50元", 50.0), ("100 USD", 100.0), ("USD 100", 100.0),
        ("1,234,567", 1234567.0), ("1.234.567", 1234567.0), ("0,5", 0.5), ("7", 7.0),
    ],
)
def test_amount_texts(text, value):
    r = parse_numbers(pd.Series([text], dtype=object))
    assert r.status.tolist() == [OK]
    assert r.values[0] == pytest.approx(value)


@pytest.mark.parametrize("bad", ["abc", "12abc", "1,2,3", "TRUE", "inf", "#VALUE!"])
def test_amount_not_a_number(bad):
    assert parse_numbers(pd.Series([bad], dtype=object)).status.tolist() == [BAD]


def test_amount_blank_and_python_objects():
    r = parse_numbers(pd.Series(["", None, np.nan, 3.5, 7, True, dt.date(2024, 1, 1)], dtype=object))
    assert r.status.tolist() == [BLANK, BLANK, BLANK, OK, OK, BAD, BAD]
    assert r.values[3:5].tolist() == [3.5, 7.0]


def test_decimal_comma_column_reads_dot_groups_as_thousands():
    r = parse_numbers(pd.Series(["1.234", "2,5", "1.234,50"], dtype=object))
    assert r.values.tolist() == [1234.0, 2.5, 1234.5]
    assert any("decimal comma" in n for n in r.notes)


def test_comma_groups_in_point_column_are_thousands():
    r = parse_numbers(pd.Series(["1,234", "2,500", "10.5"], dtype=object))
    assert r.values.tolist() == [1234.0, 2500.0, 10.5]


def test_numeric_column_fast_path():
    r = parse_numbers(pd.Series([1.5, np.nan, -2.0]))
    assert r.status.tolist() == [OK, BLANK, OK]
    assert np.isnan(r.values[1])


# ---------------------------------------------------------------- ids


def test_float_ids_equal_text_ids():
    r = parse_ids(pd.Series([13607.0, "13607", " 13607.0 ", 13607, "A-17 "], dtype=object))
    assert r.values.tolist() == ["13607"] * 4 + ["A-17"]
    assert r.status.tolist() == [OK] * 5


def test_float_id_column_and_blank_ids():
    r = parse_ids(pd.Series([17850.0, np.nan, 12346.0]))
    assert r.values.tolist() == ["17850", None, "12346"]
    assert r.status.tolist() == [OK, BLANK, OK]
    r = parse_ids(pd.Series(["", "  ", None, "nan", "NULL", "#N/A"], dtype=object))
    assert r.status.tolist() == [BLANK] * 6


def test_leading_zeros_kept():
    assert parse_ids(pd.Series(["000123", "123"], dtype=object)).values.tolist() == ["000123", "123"]


@pytest.mark.parametrize("dtype", [object, "str"])
def test_equal_ids_share_one_code(dtype):
    # a str column (as CSV text is read) and an object column (as a workbook gives it)
    vals = ["13607.0", " 13607", "13607", "A1", "A1\u00a0", "null", "", "#N/A", "C1", "n/a", "None"]
    r = parse_ids(pd.Series(vals, dtype=dtype))
    assert r.values.tolist() == ["13607"] * 3 + ["A1"] * 2 + [None] * 3 + ["C1", None, None]
    assert r.codes.tolist() == [0, 0, 0, 1, 1, -1, -1, -1, 2, -1, -1]
    assert r.uniques.tolist() == ["13607", "A1", "C1"]


def test_plain_text_ids_keep_their_codes():
    r = parse_ids(pd.Series(["b", "a", "b", None, "nancy", "-5"], dtype="str"))
    assert r.values.tolist() == ["b", "a", "b", None, "nancy", "-5"]
    assert r.status.tolist() == [OK, OK, OK, BLANK, OK, OK]


# ---------------------------------------------------------------- flags


@pytest.mark.parametrize(
    "word",
    ["yes", "Y", "TRUE", "1", "returned", "Refunded", "cancelled", "canceled", "да", "Возврат",
     "Отменен", "отменён", "是", "已退款", "退货", "取消", "退款成功", True, 1.0],
)
def test_returned_words(word):
    assert flag_word(word) is True


@pytest.mark.parametrize(
    "word",
    ["voided", "交易关闭", "Сделка провалена", "Закрыто и не реализовано", "wc-failed", "failed", "declined",
     "Payment failed", "wc-pending", "awaiting payment", "draft", "Ошибка оплаты", "Не оплачен", "未付款",
     "等待买家付款", "支付失败"],
)
def test_unpaid_words_are_neither_sales_nor_returns(word):
    """SPEC "Money rows": these statuses say the money never came (issue 10)."""
    assert flag_word(word) is False
    r = parse_flags(pd.Series([word, "paid"], dtype=object))
    assert r.unpaid.tolist() == [True, False] and r.values.tolist() == [False, False]


@pytest.mark.parametrize(
    "word",
    ["no", "N", "false", "0", "", None, "paid", "partially_refunded", "pending", "нет", "Выполнен", "否",
     "无", "没有申请退款", "无退款", "交易成功", "Не возвращен", "not returned", "Сделка успешна", False, 0.0],
)
def test_not_returned_words(word):
    assert flag_word(word) is False


def test_unknown_flag_values_reported():
    r = parse_flags(pd.Series(["paid", "refunded", "weird", "weird", None], dtype=object))
    assert r.values.tolist() == [False, True, False, False, False]
    assert r.unknown == {"weird": 2}


def test_cell_text():
    assert cell_text(13607.0) == "13607"
    assert cell_text(2.5) == "2.5"
    assert cell_text(dt.datetime(2024, 3, 5)) == "2024-03-05"
    assert cell_text(dt.datetime(2024, 3, 5, 8, 30)) == "2024-03-05 08:30:00"
    assert cell_text(None) == "" and cell_text(True) == "TRUE"
    assert cell_text("=HYPERLINK(\"x\")") == "=HYPERLINK(\"x\")"


def test_ids_as_written_only_when_nothing_to_normalise():
    assert parse_ids(pd.Series(["A1", "B2", "A1"], dtype="str")).as_written
    for vals in (["A1", " B2"], ["A1", None], ["A1", "13607.0"], ["A1", "NULL"]):
        assert not parse_ids(pd.Series(vals, dtype="str")).as_written
    assert not parse_ids(pd.Series(["A1", "B2"], dtype=object)).as_written  # workbook cells: not a str column


@pytest.mark.parametrize("text,value", [
    ("1 234,56", 1234.56), ("1 234 567.89", 1234567.89), ("€ 1 234", 1234.0), ("(1 234,50)", -1234.5),
    ("1 234,50-", -1234.5), ("1'234.50", 1234.5), ("5 000 руб.", 5000.0), ("1\u00a0234\u00a0567", 1234567.0),
])
def test_thousands_separators_between_whole_groups(text, value):
    r = parse_numbers(pd.Series([text], dtype=object))
    assert r.values.tolist() == [value] and r.status.tolist() == [OK]


@pytest.mark.parametrize("text", ["+44 7700 900123", "1234 5", "1 23", "4111 1111 1111 1111"])
def test_digits_split_otherwise_are_not_an_amount(text):
    # a phone or card number in a slipped amount column was read as 447,700,900,123
    r = parse_numbers(pd.Series([text], dtype=object))
    assert r.status.tolist() == [BAD]


@pytest.mark.parametrize("null", ["NULL", "null", "N/A", "na", "-", "—", "–", "<NA>", "#N/A", "#value!", "   "])
def test_a_null_text_among_plain_str_ids_is_no_id(null):
    # the str-column fast path looks for null texts only when some id starts like one: each must still be found
    r = parse_ids(pd.Series(["A1", null, "Nora", "A1"], dtype="str"))
    assert r.values.tolist() == ["A1", None, "Nora", "A1"]
    assert r.status.tolist() == [OK, BLANK, OK, OK] and not r.as_written


def test_clean_str_ids_keep_their_distinct_values_and_the_column_as_written():
    r = parse_ids(pd.Series(["nA-1", "-5", "#7", "nA-1", "12.5"], dtype="str"))
    assert r.uniques.tolist() == ["nA-1", "-5", "#7", "12.5"]
    assert r.codes.tolist() == [0, 1, 2, 0, 3] and r.as_written


def test_text_array_keeps_a_clean_column_and_strips_or_blanks_the_others():
    from retention_xl.read.cells import text_array

    clean = pd.Series(["Shop", "App", "Shop"], dtype="str")
    assert text_array(clean).tolist() == ["Shop", "App", "Shop"]
    assert text_array(clean, np.array([2, 0])).tolist() == ["Shop", "Shop"]
    messy = pd.Series([" Shop", None, "App "], dtype="str")
    out = text_array(messy)
    assert out.tolist() == ["Shop", "", "App"] and str(out.dtype) == "str"
    assert messy.tolist()[0] == " Shop"
    assert text_array(messy, np.array([2])).tolist() == ["App"]


@pytest.mark.parametrize("cells", [
    ["Shop", "App\t"], ["\u3000店铺", "App"], ["Магазин", "Приложение\u2009"], ["a", "\x85b"],
    ["a", ""], ["a\x00 ", "b"], ["\u00a0a", "b"], ["a", "b\r\n"], [" a", "b"], ["a", "b "], ["", "b "],
    [" ", "b"], ["Ё", " b"], ["Ё ", "b"], ["Ё", "b\u3000"], ["", ""], ["一", "\u2000x"], ["x\u202f", "一"],
    ["\ud800", "a"],
])
def test_text_is_stripped_of_every_kind_of_space_at_either_end(cells):
    """Both paths agree with str.strip for every Unicode space, in ASCII and in other scripts:
    text_array (columns not read as text) and Rows.filled_text, which strips the text each
    customer shows of a column the reader passes on as written."""
    from retention_xl.engine.rows import Rows
    from retention_xl.read.cells import text_array

    col = pd.Series(cells, dtype="str")
    assert text_array(col).tolist() == [c.strip() for c in cells]
    assert text_array(col, np.array([1])).tolist() == [cells[1].strip()]
    frame = _one_row_per_customer(len(cells))
    frame["customer_name"] = col
    rows = Rows(frame)
    shown = rows.chosen_texts("customer_name", np.arange(len(cells)), latest=True)
    assert [None if pd.isna(t) else t for t in shown] == [c.strip() or None for c in cells]


def _one_row_per_customer(n: int) -> pd.DataFrame:
    """An orders frame of n customers with one order each (the engine's input contract)."""
    return pd.DataFrame({
        "row": np.arange(2, n + 2, dtype=np.int64),
        "customer_id": pd.Series([f"c{i}" for i in range(n)], dtype="str"),
        "date": pd.to_datetime(["2024-01-01"] * n),
        "amount": np.full(n, 10.0),
        "order_id": pd.Series([f"o{i}" for i in range(n)], dtype="str"),
        "returned": np.zeros(n, dtype=bool),
        "unpaid": np.zeros(n, dtype=bool),
    })


@pytest.mark.parametrize("vals", [[], [""], ["", ""], ["a"], [" a ", "", "bc"], ["Ё", "", " ж"], ["", "x", ""]])
def test_edges_are_each_texts_first_and_last_byte(vals):
    from retention_xl.read.cells import _edges

    e = _edges(vals)
    assert e.first.tolist() == [v.encode()[0] if v else 0 for v in vals]
    assert e.last.tolist() == [v.encode()[-1] if v else 0 for v in vals]
    assert e.padded.split("\x00")[1:-1] == vals or not vals


def test_the_space_table_holds_every_character_str_strip_removes():
    from retention_xl.read.cells import _STRIPPED

    assert _STRIPPED.tolist() == [c for c in range(0x110000) if chr(c).isspace()]


@pytest.mark.parametrize("cells", [["Магазин", "店铺", "Shop"], ["a" * 300, "b"], ["😀", "x"], ["一", "三"], ["さくら", "x"]])
def test_clean_texts_in_any_script_are_shown_as_they_are(cells):
    """Nothing to strip: every text shown is the column's own (no stripped copy of any)."""
    from retention_xl.engine.rows import Rows

    frame = _one_row_per_customer(len(cells))
    frame["customer_name"] = pd.Series(cells, dtype="str")
    rows = Rows(frame)
    assert rows.filled_text("customer_name", latest=True).stripped_codes.size == 0
    shown = rows.chosen_texts("customer_name", np.arange(len(cells)), latest=True)
    assert all(a is b for a, b in zip(shown, frame["customer_name"].array))


def test_written_ids_stand_for_parse_ids_on_a_clean_str_column():
    from retention_xl.read.cells import WrittenIds, written_ids

    col = pd.Series(["SO-2", "SO-1", "SO-2", "C17"], dtype="str")
    w, p = written_ids(col), parse_ids(col)
    assert isinstance(w, WrittenIds) and w.as_written and p.as_written
    assert w.status.tolist() == p.status.tolist() == [OK] * 4
    assert w.codes.tolist() == p.codes.tolist() == [0, 1, 0, 2]  # hashed only when asked
    assert w.uniques.tolist() == p.uniques.tolist() and w.values.tolist() == p.values.tolist()


@pytest.mark.parametrize("cells", [["A1", " A2"], ["A1", None], ["A1", "NULL"], ["A1", "#N/A"], ["A1", "12.0"],
                                   ["x\u00a0y", "z"], ["a@X.com", "A@x.com"], ["A1", "B2\u3000"],
                                   ["Ид1", "\u2003Ид2"], ["A1", ""], ["A1", "n/a"], ["A1", "Nan"]])
def test_written_ids_leave_any_column_with_something_to_normalise_to_parse_ids(cells):
    from retention_xl.read.cells import written_ids

    assert written_ids(pd.Series(cells, dtype="str")) is None
    assert not parse_ids(pd.Series(cells, dtype="str")).as_written


def test_written_ids_know_the_first_letter_of_every_id():
    """What lets the reader skip the UCI "C" invoice check of a column where no id begins with C."""
    from retention_xl.read.cells import written_ids

    assert written_ids(pd.Series(["SO-1", "SO-2", "c7", "Ёж"], dtype="str")).first_bytes == {"S", "c", "\xd0"}


def test_an_id_holding_the_join_separator_is_left_to_parse_ids_and_kept_whole():
    from retention_xl.read.cells import written_ids

    col = pd.Series(["A\x001", "B"], dtype="str")
    assert written_ids(col) is None  # the joined text cannot tell its ids apart
    assert parse_ids(col).uniques.tolist() == ["A\x001", "B"]


def test_written_ids_leave_e_mails_in_upper_case_to_parse_ids():
    from retention_xl.read.cells import written_ids

    col = pd.Series(["a@X.com", "b"], dtype="str")
    assert written_ids(col) is None  # parse_ids tells whether two differ only by case
    assert parse_ids(col).as_written


@pytest.mark.parametrize("cells, clean", [
    (["a", "b", "c ", "d"], False), (["a", "b", "c", " d"], False), (["a"] * 7, True), (["a"] * 6 + [" a"], False),
])
def test_the_edge_check_sees_a_space_in_any_chunk_of_a_long_column(monkeypatch, cells, clean):
    """The edge check reads a long column in chunks (to bound its memory): a text at a chunk's
    border counts like any other."""
    from retention_xl.read import cells as cells_mod

    monkeypatch.setattr(cells_mod, "_EDGE_CHUNK", 3)
    col = pd.Series(cells, dtype="str")
    assert cells_mod.text_array(col).tolist() == [c.strip() for c in cells]
    assert (cells_mod.written_ids(col) is not None) == clean  # nothing to strip in any chunk


@pytest.mark.parametrize("cells, written", [
    (["a", "b", "NULL", "d"], False), (["a", "b", "c", "d ", "e"], False), (["a", "b", "c", "C1"], True),
])
def test_written_ids_look_at_every_chunk_of_a_long_column(monkeypatch, cells, written):
    from retention_xl.read import cells as cells_mod

    monkeypatch.setattr(cells_mod, "_EDGE_CHUNK", 3)
    w = cells_mod.written_ids(pd.Series(cells, dtype="str"))
    assert (w is not None) == written
    if written:
        assert w.first_bytes == {"a", "b", "c", "C"}
