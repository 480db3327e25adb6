"""Read + parse time of orders.read_orders vs plain pandas.read_csv, same file, same run.

    /work/venv/bin/python benchmarks/read.py [rows] [--style uk|ru|shop|sample]
    /work/venv/bin/python benchmarks/read.py --xlsx-cap     # issue 17: the row-cap workbook

With ``--xlsx-cap`` it writes an .xlsx at Excel's row cap (1,048,575 data rows under
the header) and times, in the same run, python-calamine loading the sheet's rows
(the baseline: every workbook read starts with it) against orders.read_orders on
the same file (header and content scoring, layout check, parsing), each in its own
process so that its peak memory (ru_maxrss) is its own. Targets: < 30 s, < 2 GB.

Writes a synthetic order export to a temporary folder (1,000,000 rows by
default), then times, best of 3 each:
  * pandas.read_csv(path)                       - the baseline
  * pandas.read_csv(path) + groupby customer sum - the report budget is 3x this
  * orders.read_orders(path)                    - read, find columns, parse everything
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from retention_xl.read.orders import read_orders


def make_file(path: Path, n: int, style: str) -> None:
    if style == "sample":  # the rows benchmarks/report.py reads (retention_xl.sample_data, seed 1)
        from retention_xl.sample_data import generate_order_rows, sample_csv_text

        path.write_text(sample_csv_text(generate_order_rows(n, seed=1)), encoding="utf-8")
        return
    rng = np.random.default_rng(0)
    cust = rng.integers(10000, 60000, n)
    days = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    price = np.round(rng.random(n) * 100, 2)
    qty = rng.integers(1, 20, n)
    if style == "uk":  # UCI Online Retail style: qty x price, float customer ids, day-first dates
        df = pd.DataFrame({
            "InvoiceNo": (500000 + np.arange(n) // 3).astype(str),
            "StockCode": rng.integers(10000, 99999, n).astype(str),
            "Quantity": qty,
            "InvoiceDate": days.strftime("%d/%m/%Y %H:%M"),
            "UnitPrice": price,
            "CustomerID": cust.astype(float),
            "Country": "United Kingdom",
        })
        df.to_csv(path, index=False)
    elif style == "ru":  # 1C style: semicolon, decimal comma, dd.mm.yyyy, cp1251
        df = pd.DataFrame({
            "Номер": (np.arange(n) // 2).astype(str),
            "Дата": days.strftime("%d.%m.%Y"),
            "Контрагент": np.char.add("Клиент ", cust.astype(str)),
            "Сумма": np.char.replace((price * qty).round(2).astype(str), ".", ","),
        })
        df.to_csv(path, index=False, sep=";", encoding="cp1251")
    else:  # shop: ISO timestamps, amount column, e-mail as customer key
        secs = rng.integers(0, 86400, n)
        ts = (days + pd.to_timedelta(secs, unit="s")).strftime("%Y-%m-%d %H:%M:%S")
        df = pd.DataFrame({
            "Order ID": np.arange(n).astype(str),
            "Created at": ts,
            "Email": np.char.add(cust.astype(str), "@example.com"),
            "Total": (price * qty).round(2),
            "Financial Status": np.where(rng.random(n) < 0.03, "refunded", "paid"),
        })
        df.to_csv(path, index=False)


def best(fn, reps: int = 3) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


XLSX_CAP_ROWS = 1_048_575  # data rows under the header: the sheet's 1,048,576 rows in all


def make_xlsx(path: Path, n: int) -> None:
    """A Shopify-like order sheet of n data rows, streamed (xlsxwriter constant_memory)."""
    import xlsxwriter

    rng = np.random.default_rng(1)
    cust = rng.integers(10000, 200000, n)
    days = rng.integers(0, 730, n)
    amount = np.round(rng.random(n) * 200, 2)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Orders")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["Order ID", "Customer ID", "Order Date", "Amount", "Status", "Customer Group"])
    base = 44927  # 2023-01-01 as an Excel serial
    for i in range(n):
        ws.write_number(i + 1, 0, 100000 + i)
        ws.write_string(i + 1, 1, f"C{cust[i]}")
        ws.write_number(i + 1, 2, base + int(days[i]), date_fmt)
        ws.write_number(i + 1, 3, float(amount[i]))
        ws.write_string(i + 1, 4, "paid" if i % 31 else "refunded")
        ws.write_string(i + 1, 5, "General" if i % 2 else "Wholesale")
    wb.close()


_CHILD = """
import resource, sys, time
t = time.perf_counter()
if sys.argv[1] == "calamine":
    import python_calamine as pc
    book = pc.CalamineWorkbook.from_path(sys.argv[2])
    rows = book.get_sheet_by_index(0).to_python()
    n = len(rows)
else:
    from retention_xl.read.orders import read_orders
    r = read_orders(sys.argv[2])
    n = r.rows_read
    assert r.columns["customer_id"] == "Customer ID", r.columns
dt = time.perf_counter() - t
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, n)
"""


def xlsx_cap(keep: str | None = None) -> None:
    import subprocess
    import sys

    with tempfile.TemporaryDirectory() as d:
        path = Path(keep) if keep else Path(d) / "row_cap.xlsx"
        if not path.exists():
            t = time.perf_counter()
            make_xlsx(path, XLSX_CAP_ROWS)
            print(f"wrote {XLSX_CAP_ROWS:,} data rows ({path.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - t:.0f} s")
        out = {}
        for what in ("calamine", "read_orders"):
            res = subprocess.run([sys.executable, "-c", _CHILD, what, str(path)], capture_output=True, text=True)
            if res.returncode:
                raise SystemExit(res.stderr)
            secs, mb, n = res.stdout.split()
            out[what] = (float(secs), float(mb), int(n))
    (tc, mc, _), (tr, mr, nr) = out["calamine"], out["read_orders"]
    print(f"python-calamine rows (baseline) {tc:6.2f} s  peak {mc:7.0f} MB")
    print(f"orders.read_orders              {tr:6.2f} s  peak {mr:7.0f} MB  = {tr / tc:.2f}x baseline; rows read {nr:,}")
    print(f"targets: < 30 s {'ok' if tr < 30 else 'MISSED'}, < 2048 MB {'ok' if mr < 2048 else 'MISSED'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--style", choices=("uk", "ru", "shop", "sample"), default="uk")
    ap.add_argument("--xlsx-cap", action="store_true", help="time a workbook at Excel's row cap")
    ap.add_argument("--keep", help="with --xlsx-cap: the workbook's path, written once and reused (not committed)")
    a = ap.parse_args()
    if a.xlsx_cap:
        xlsx_cap(a.keep)
        return
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"orders_{a.style}.csv"
        make_file(path, a.rows, a.style)
        enc = "cp1251" if a.style == "ru" else "utf-8"
        sep = ";" if a.style == "ru" else ","
        t_csv = best(lambda: pd.read_csv(path, sep=sep, encoding=enc))
        first = pd.read_csv(path, sep=sep, encoding=enc).columns
        key = [c for c in first if c in ("CustomerID", "Контрагент", "Email", "Customer ID")][0]
        t_grp = best(lambda: pd.read_csv(path, sep=sep, encoding=enc).groupby(key).size())
        res = read_orders(path)
        t_read = best(lambda: read_orders(path))
        size = path.stat().st_size / 1e6
    print(f"file: {a.rows:,} rows, {size:.0f} MB, style {a.style}")
    print(f"pandas.read_csv                 {t_csv:6.2f} s")
    print(f"pandas.read_csv + groupby       {t_grp:6.2f} s   (report budget 3x = {3 * t_grp:.2f} s)")
    print(f"orders.read_orders (read+parse) {t_read:6.2f} s   = {t_read / t_csv:.1f}x read_csv")
    print(f"rows read {res.rows_read:,}, used {len(res.orders):,}, skipped {len(res.skipped):,}")


if __name__ == "__main__":
    main()
