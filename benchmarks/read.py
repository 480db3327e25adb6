"""Read + parse time of orders.read_orders vs plain pandas.read_csv, same file, same run.

    /work/venv/bin/python benchmarks/read.py [rows] [--style uk|ru|shop]

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--style", choices=("uk", "ru", "shop"), default="uk")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"orders_{a.style}.csv"
        make_file(path, a.rows, a.style)
        enc = "cp1251" if a.style == "ru" else "utf-8"
        sep = ";" if a.style == "ru" else ","
        t_csv = best(lambda: pd.read_csv(path, sep=sep, encoding=enc))
        first = pd.read_csv(path, sep=sep, encoding=enc).columns
        key = [c for c in first if c in ("CustomerID", "Контрагент", "Email")][0]
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
