"""File-level reading: safety checks, encodings, delimiters, input untouched (retention_xl.read.files + orders)."""

from __future__ import annotations

import csv
import io
import os
import time
import zipfile

import openpyxl
import pytest

from retention_xl.read import files as reader
from retention_xl.errors import InputError
from retention_xl.read.orders import read_orders

ROWS = [
    ["Клиент", "Дата", "Сумма"],
    ["Иванов", "05.03.2024", "1 234,50"],
    ["Петров", "06.03.2024", "99,90"],
]


def write_csv(path, rows, sep=",", encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows, title="Orders"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r, start=1):
            c = ws.cell(row=i, column=j, value=v)
            if isinstance(v, str) and v.startswith("="):
                c.data_type = "s"  # text that looks like a formula, as a user may paste it
    wb.save(path)
    return path


def message(path, **kw) -> str:
    with pytest.raises(InputError) as e:
        read_orders(path, **kw)
    return str(e.value)


# ---------------------------------------------------------------- missing / empty / unknown


def test_file_not_found(tmp_path):
    msg = message(tmp_path / "nope.xlsx")
    assert "File not found" in msg and "nope.xlsx" in msg


def test_folder_is_not_a_file(tmp_path):
    d = tmp_path / "orders.csv"
    d.mkdir()
    assert "folder" in message(d)


@pytest.mark.parametrize("name", ["orders.csv", "orders.xlsx"])
def test_empty_file(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(b"")
    assert "empty" in message(p)


def test_unknown_extension(tmp_path):
    p = tmp_path / "orders.pdf"
    p.write_bytes(b"%PDF-1.4 ...")
    msg = message(p)
    assert "unknown file type" in msg and ".pdf" in msg and ".xlsx" in msg and ".csv" in msg


def test_locked_file(tmp_path, monkeypatch):
    p = write_csv(tmp_path / "orders.csv", ROWS)

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader, "open", denied, raising=False)
    msg = message(p)
    assert "access denied" in msg and "close it" in msg


# ---------------------------------------------------------------- not what the name says


def test_xlsx_that_is_really_csv(tmp_path):
    p = write_csv(tmp_path / "orders.xlsx", ROWS)
    msg = message(p)
    assert "not a real .xlsx workbook" in msg and "CSV" in msg and "Rename it to .csv" in msg


def test_xlsx_that_is_really_html(tmp_path):
    p = tmp_path / "export.xlsx"
    p.write_text("<html><body><table><tr><td>Client</td></tr></table></body></html>")
    assert "web page (HTML)" in message(p)


def test_xlsx_that_is_garbage(tmp_path):
    p = tmp_path / "orders.xlsx"
    p.write_bytes(bytes(range(256)) * 20)
    assert "not a real .xlsx workbook" in message(p)


def test_xlsx_damaged_zip(tmp_path):
    p = tmp_path / "orders.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert "damaged" in message(p)


def test_xlsx_encrypted_or_old_binary(tmp_path):
    p = tmp_path / "orders.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "password-protected" in message(p)


def test_csv_that_is_binary(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_bytes(b"\x00\x01\x02garbage\x00" * 100)
    assert "binary" in message(p)


def test_csv_that_is_a_workbook(tmp_path):
    src = write_xlsx(tmp_path / "real.xlsx", ROWS)
    p = tmp_path / "orders.csv"
    p.write_bytes(src.read_bytes())
    assert "Rename it to .xlsx" in message(p)


# ---------------------------------------------------------------- zip bombs


def test_zip_bomb_refused_quickly(tmp_path):
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * (64 * 1024 * 1024))
    assert p.stat().st_size < 1_000_000
    t = time.perf_counter()
    msg = message(p)
    assert time.perf_counter() - t < 1.0
    assert "zip bomb" in msg and "xl/worksheets/sheet1.xml" in msg


def test_total_unpacked_size_limit(tmp_path, monkeypatch):
    p = write_xlsx(tmp_path / "orders.xlsx", ROWS)
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED", 1000)
    assert "would unpack to" in message(p)


def test_too_many_parts(tmp_path, monkeypatch):
    p = write_xlsx(tmp_path / "orders.xlsx", ROWS)
    monkeypatch.setattr(reader, "MAX_ENTRIES", 3)
    assert "parts" in message(p)


# ---------------------------------------------------------------- encodings and delimiters


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, sep):
    p = write_csv(tmp_path / "orders.csv", ROWS, sep=sep, encoding=encoding)
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["Иванов", "Петров"]
    assert r.orders["amount"].tolist() == [1234.5, 99.9]
    assert r.columns == {"customer_id": "Клиент", "date": "Дата", "amount": "Сумма"}
    expect_enc = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (with BOM)", "cp1251": "Windows-1251", "utf-16": "UTF-16"}[encoding]
    assert any(expect_enc in n for n in r.notes)


def test_semicolon_file_with_decimal_commas_not_mistaken_for_comma(tmp_path):
    p = write_csv(tmp_path / "o.csv", [["Client", "Date", "Amount"], ["A", "05.03.2024", "12,5"], ["B", "06.03.2024", "7,25"]], sep=";")
    r = read_orders(p)
    assert r.orders["amount"].tolist() == [12.5, 7.25]
    assert any("semicolon" in n for n in r.notes)


def test_excel_sep_line(tmp_path):
    p = write_csv(tmp_path / "o.csv", [["sep=;"], ["Client", "Date", "Amount"], ["A", "05.03.2024", "12,5"]], sep=";")
    r = read_orders(p)
    assert r.orders["row"].tolist() == [3]
    assert r.orders["amount"].tolist() == [12.5]


def test_tsv_and_txt_extensions(tmp_path):
    for name in ("o.tsv", "o.txt"):
        p = write_csv(tmp_path / name, [["Customer ID", "Order Date", "Total"], ["1", "2024-03-05", "10"]], sep="\t")
        assert read_orders(p).orders["amount"].tolist() == [10.0]


def test_stray_byte_of_no_known_text_is_read_as_western_and_its_row_listed(tmp_path):
    # 0x98 is no letter in UTF-8 or Windows-1251; Windows-1252 reads every byte (here "˜"),
    # so the file is read and the damaged amount shows on Data issues instead of a refusal
    p = tmp_path / "o.csv"
    p.write_bytes("Client,Date,Amount\n".encode() + b"A,2024-03-05,1\x98\nB,2024-03-06,2\n")
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["B"]
    assert r.skipped["reason"].tolist() == ["amount not a number: '1\u02dc'"]


def test_csv_rows_longer_than_header_are_kept(tmp_path):
    p = write_csv(tmp_path / "o.csv", [["Client", "Date", "Amount"], ["A", "2024-03-05", "1"], ["B", "2024-03-06", "2", "extra", "more"]])
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["A", "B"]


def test_quoted_fields_with_delimiters_and_newlines(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text('Client,Comment,Date,Amount\r\nA,"hello, world",2024-03-05,"1,234.50"\r\nB,"two\nlines",2024-03-06,2\r\n', encoding="utf-8")
    r = read_orders(p)
    assert r.orders["amount"].tolist() == [1234.5, 2.0]


# ---------------------------------------------------------------- the input is never modified


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_input_file_unchanged(tmp_path, kind):
    rows = ROWS + [["Сидоров", "31.02.2024", "abc"], ['=HYPERLINK("http://x","y")', "07.03.2024", "5"]]
    p = write_csv(tmp_path / "o.csv", rows) if kind == "csv" else write_xlsx(tmp_path / "o.xlsx", rows)
    old = os.stat(p).st_mtime_ns - 5_000_000_000
    os.utime(p, ns=(old, old))
    before = p.read_bytes()
    r = read_orders(p)
    assert r.rows_read == 4 and len(r.skipped) == 1
    assert p.read_bytes() == before
    assert os.stat(p).st_mtime_ns == old
    assert sorted(os.listdir(tmp_path)) == [p.name]
    # text from the data stays text
    assert '=HYPERLINK("http://x","y")' in r.orders["customer_id"].tolist()


# ---------------------------------------------------------------- records, not lines; whole-column rules


def test_title_with_quoted_newline_above_header(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text('"Sales report\nQ1 2024",,\n\nClient,Date,Amount\nA,2024-03-05,1\n\nB,2024-03-06,2\n', encoding="utf-8")
    r = read_orders(p)
    # rows as Excel shows the file: the two-line title is row 1, the header row 3
    assert r.orders["customer_id"].tolist() == ["A", "B"]
    assert r.orders["row"].tolist() == [4, 6]
    assert r.rows_read == 2


def test_utf8_head_then_cp1251_further_down(tmp_path):
    p = tmp_path / "o.csv"
    body = "".join(f"A{i},2024-03-05,1\n" for i in range(30000)).encode()
    p.write_bytes(b"Client,Date,Amount\n" + body + "Сидоров,2024-03-06,2\n".encode("cp1251"))
    assert p.stat().st_size > reader.HEAD_BYTES
    r = read_orders(p)
    assert r.orders["customer_id"].iloc[-1] == "Сидоров"
    assert any("Windows-1251" in n for n in r.notes) and not any("UTF-8" in n for n in r.notes)


def _big_csv(path, n, last_rows, customer="C{i}"):
    lines = ["Customer,Date,Amount,Note"]
    lines += [f"{customer.format(i=i % 5000)},2024-03-{1 + i % 28:02d},{i % 97}.5,0007" for i in range(n)]
    lines += last_rows
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_big_file_one_rule_per_column(tmp_path):
    # > 5 MB: pandas reads it in parallel chunks and types each chunk on its own;
    # the amount column is plain numbers at first and decimal-comma text at the end
    p = _big_csv(tmp_path / "o.csv", 260_000, ["A,2024-03-05,\"1.234\",x", "B,2024-03-05,\"1 234,50\",x"])
    assert p.stat().st_size > 5 * 1024 * 1024
    r = read_orders(p)
    tail = r.orders.tail(2)
    assert tail["amount"].tolist() == [1234.0, 1234.5]  # "1.234" is a thousands group in this column
    assert r.rows_read == 260_002 and len(r.skipped) == 0


def test_ids_keep_leading_zeros_beyond_the_sample(tmp_path):
    p = _big_csv(tmp_path / "o.csv", 2000, ["000123,2024-03-05,1,x", "123,2024-03-05,2,x"], customer="{i}")
    r = read_orders(p)
    assert r.orders["customer_id"].tail(2).tolist() == ["000123", "123"]


def test_skipped_rows_show_cells_as_written(tmp_path):
    p = _big_csv(tmp_path / "o.csv", 10, ["A,someday,1,0007"])
    r = read_orders(p)
    assert r.skipped["raw"].tolist() == ["A | someday | 1 | 0007"]
    assert r.skipped["row"].tolist() == [12]


def test_big_file_with_a_long_row_far_down(tmp_path):
    p = _big_csv(tmp_path / "o.csv", 260_000, ["Z,2024-03-05,3,x,extra,more"])
    t = time.perf_counter()
    r = read_orders(p)
    assert r.orders["customer_id"].iloc[-1] == "Z" and r.rows_read == 260_001
    assert time.perf_counter() - t < 15


def test_long_order_numbers_and_zero_padded_codes_keep_every_digit(tmp_path):
    p = write_csv(tmp_path / "o.csv", [
        ["订单编号", "买家会员名", "订单创建时间", "实付金额", "商家编码"],
        ["2024030512345678901", "买家1", "2024-03-05 10:00:00", "12.50", "000123"],
        ["2024030512345678902", "买家1", "2024-03-06 11:00:00", "7", "004567"],
    ])
    r = read_orders(p)
    assert r.orders["order_id"].tolist() == ["2024030512345678901", "2024030512345678902"]
    assert r.orders["product"].tolist() == ["000123", "004567"]


# ---------------------------------------------------------------- cells far from the table


def _rewrite_sheet(path, fn):
    """Rewrite the first worksheet's XML of an xlsx (to build hostile files openpyxl would not)."""
    src = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = fn(data)
            zout.writestr(info.filename, data)
    return path


def test_one_cell_at_the_end_of_the_sheet_is_refused_not_a_crash(tmp_path):
    # calamine allocates the rectangle A1:XFD1048576 (17 billion cells) and aborts the process
    p = write_xlsx(tmp_path / "far.xlsx", ROWS)
    wb = openpyxl.load_workbook(p)
    wb["Orders"]["XFD1048576"] = "x"
    wb.save(p)
    assert p.stat().st_size < 20_000
    t = time.perf_counter()
    msg = message(p)
    assert time.perf_counter() - t < 2
    assert 'Sheet "Orders"' in msg and "XFD1048576" in msg and "Ctrl+End" in msg


@pytest.mark.parametrize("ref", [b'r = "XFD1048576"', b"r='XFD1048576'", b'\tr="XFD1048576"'])
def test_far_cell_written_unusually_is_still_seen(tmp_path, ref):
    p = write_xlsx(tmp_path / "far.xlsx", ROWS)
    _rewrite_sheet(p, lambda x: x.replace(b"</sheetData>", b'<row r="1048576"><c ' + ref + b' t="n"><v>1</v></c></row></sheetData>'))
    assert "XFD1048576" in message(p)


def test_cell_reference_with_xml_entities_is_refused(tmp_path):
    p = write_xlsx(tmp_path / "far.xlsx", ROWS)
    _rewrite_sheet(p, lambda x: x.replace(b"</sheetData>", b'<row r="9"><c r="&#88;FD9" t="n"><v>1</v></c></row></sheetData>'))
    assert "unusual" in message(p)


def test_stray_cell_not_far_away_is_fine(tmp_path):
    p = write_xlsx(tmp_path / "o.xlsx", ROWS)
    wb = openpyxl.load_workbook(p)
    wb["Orders"]["Z5000"] = "note"
    wb.save(p)
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["Иванов", "Петров"]


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/worksheets/sheet1.xml"])
def test_zip_whose_directory_lies_about_sizes(tmp_path, part):
    # the directory says 3,000 bytes, the part unpacks to 30 MB: the ratio check cannot see it
    import struct

    src = write_xlsx(tmp_path / "src.xlsx", ROWS)
    p = tmp_path / "lie.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                k = data.rfind(b"</")
                data = data[:k] + b" " * (30 * 1024 * 1024) + data[k:]
            zout.writestr(info.filename, data)
    b = bytearray(p.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(b))) as zf:
        offset = zf.getinfo(part).header_offset
    struct.pack_into("<I", b, offset + 22, 3000)  # local header
    pos = b.find(b"PK\x01\x02")
    while pos >= 0:
        n = struct.unpack_from("<H", b, pos + 28)[0]
        if bytes(b[pos + 46:pos + 46 + n]) == part.encode():
            struct.pack_into("<I", b, pos + 24, 3000)  # central directory
        pos = b.find(b"PK\x01\x02", pos + 4)
    p.write_bytes(bytes(b))
    t = time.perf_counter()
    msg = message(p)
    assert time.perf_counter() - t < 3
    assert "lie.xlsx" in msg and ("damaged" in msg or "zip bomb" in msg) and "\n" not in msg


def test_gbk_export_from_taobao(tmp_path):
    # Taobao's seller centre and Chinese Excel save CSV as GBK; decoded as Windows-1251 the
    # header was Cyrillic nonsense and the file was refused for having no order columns
    p = tmp_path / "taobao.csv"
    p.write_bytes("订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间\r\n"
                  "1234567890123456789,张三,100.00,交易成功,2024-03-05 10:00:00\r\n"
                  "1234567890123456790,李四,50.50,交易关闭,2024-03-06 10:00:00\r\n".encode("gbk"))
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["张三", "李四"]
    # 交易关闭 closes a trade that was never paid (SPEC "Money rows", issue 10): not a sale, not a return
    assert r.orders["returned"].tolist() == [False, False] and r.orders["unpaid"].tolist() == [False, True]
    assert any("GBK" in n for n in r.notes)


def test_western_excel_csv_is_read_as_windows_1252(tmp_path):
    # Excel's "CSV (Comma delimited)" on a Western Windows: Zoë and José were read as Cyrillic
    p = tmp_path / "shop.csv"
    p.write_bytes("Customer,Date,Amount\r\nZoë Müller,2024-03-05,12.50\r\nJosé Peña,2024-03-06,€5\r\n".encode("cp1252"))
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["Zoë Müller", "José Peña"]
    assert r.orders["amount"].tolist() == [12.5, 5.0]
    assert any("Windows-1252" in n for n in r.notes)


def test_utf8_file_with_a_damaged_byte_far_down_is_read_and_the_line_named(tmp_path):
    p = tmp_path / "o.csv"
    body = "".join(f"Клиент {i},2024-03-05,1\n" for i in range(20000)).encode()
    p.write_bytes(b"Client,Date,Amount\n" + body + b"Bad \xff name,2024-03-06,2\nLast,2024-03-07,3\n")
    assert p.stat().st_size > reader.HEAD_BYTES
    r = read_orders(p)
    assert r.rows_read == 20002 and len(r.orders) == 20002
    assert r.orders["customer_id"].iloc[0] == "Клиент 0"  # still UTF-8, not Windows-1251 nonsense
    assert r.orders["customer_id"].iloc[-2] == "Bad \ufffd name"
    assert any("not UTF-8" in n and "line 20,002" in n for n in r.notes)


def test_cp1251_export_still_read_as_cyrillic(tmp_path):
    p = tmp_path / "1c.csv"
    p.write_bytes("Контрагент;Дата;Сумма\r\nООО Ромашка;05.03.2024;1 234,56\r\n".encode("cp1251"))
    r = read_orders(p)
    assert r.orders["customer_id"].tolist() == ["ООО Ромашка"]
    assert any("Windows-1251" in n for n in r.notes)
