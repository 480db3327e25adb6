"""Seeded synthetic order exports that behave like a real small web shop.

Used by ``retention-xl demo``, the demo workbook, the tests and the benchmarks.
Everything is vectorised numpy, so a million rows take a second or two.

How the shop behaves (and why, so KPIs and the CLV model have something real to find):

* Customers are acquired over the whole period, more of them later (growth), in
  November-December (season), around Black Friday and at weekends.
* While "alive", a customer buys as a Poisson process with a personal rate drawn
  from a gamma distribution; after each repeat purchase they drop out for good with
  a personal probability drawn from a beta distribution (the BG/NBD story, rates in
  days: ``r, alpha, a, b`` below).
* Each customer has a personal typical basket (lognormal); orders scatter
  lognormally around it. An order has one or more lines (product, quantity, unit
  price, amount = quantity x unit price).
* About 3 % of orders are sent back in full (every line has Returned = "Yes");
  about 1 % get a later partial refund: a negative row with the same Order ID,
  Returned = "No" (the money is in the negative amount).
* Each order has a channel (customers mostly stick to one); about 12 % of orders
  carry a 0-10 NPS answer on their first line.
* Names and e-mails are fake: e-mails use the reserved ``example.com`` /
  ``example.net`` domains; some names are Cyrillic or Chinese, as in the users' data.

``python -m retention_xl.sample_data`` rewrites ``retention_xl/data/sample_orders.csv``
byte-identically (``--check`` only compares).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "COLUMNS",
    "SAMPLE_PATH",
    "generate_orders",
    "generate_order_rows",
    "load_sample_orders",
    "sample_csv_text",
    "main",
]

COLUMNS = [
    "Order ID",
    "Order Date",
    "Customer ID",
    "Customer Name",
    "Email",
    "Channel",
    "Product",
    "Quantity",
    "Unit Price",
    "Amount",
    "Returned",
    "NPS",
]

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "sample_orders.csv"
SAMPLE_CUSTOMERS = 600
SAMPLE_START = "2023-01-01"
SAMPLE_END = "2024-12-31"
SAMPLE_SEED = 20240601

# Purchase process, time unit = days (BG/NBD parameters of the simulated shop).
_R, _ALPHA = 0.55, 66.0  # gamma heterogeneity of purchase rates: mean 1 order / 120 days
_A, _B = 0.9, 3.5  # beta heterogeneity of dropout after each repeat purchase: mean ~0.2
_MAX_REPEATS = 150  # cap for the rare extreme buyer, keeps the simulation bounded
# Spend: customer's typical order ~ lognormal; each order scatters around it.
_SPEND_LOG_MEAN, _SPEND_SD_BETWEEN, _SPEND_SD_WITHIN = np.log(42.0), 0.55, 0.35
_EXTRA_LINES_MEAN = 0.45  # lines per order = 1 + Poisson(0.45), at most 6
_RETURN_SHARE = 0.03  # orders returned in full
_REFUND_SHARE = 0.01  # orders with a later partial refund row
_NPS_SHARE = 0.12  # orders that carry an NPS answer
_NPS_P = np.array([0.02, 0.01, 0.02, 0.02, 0.03, 0.05, 0.07, 0.12, 0.17, 0.21, 0.28])

_CHANNELS = np.array(["Online shop", "Mobile app", "Marketplace", "Retail store"])
_CHANNEL_P = np.array([0.5, 0.25, 0.15, 0.10])
# Products by unit-price band (upper edges below), so prices look plausible.
_PRICE_EDGES = np.array([12.0, 30.0, 70.0])
_PRODUCTS = [
    ["Greeting card", "Tea sampler", "Phone case", "Notebook A5", "Socks (3 pairs)"],
    ["Coffee beans 1 kg", "Scented candle", "Paperback book", "Yoga mat strap", "Water bottle"],
    ["Wireless earbuds", "Backpack", "Board game", "Desk lamp", "Running cap"],
    ["Espresso grinder", "Smart watch", "Winter jacket", "Headphones", "Gift box deluxe"],
]
_CATALOGUE = [name for band in _PRODUCTS for name in band]
_FIRST = np.array(
    ["Anna", "James", "Maria", "Lukas", "Sofia", "Daniel", "Emma", "Noah", "Olivia",
     "Mateo", "Chloe", "Liam", "Hannah", "Ethan", "Lea", "Oscar", "Mia", "Jonas",
     "Grace", "Samuel", "Ines", "Felix", "Zoe", "Adam", "Clara", "Hugo", "Nora",
     "Leo", "Alice", "Max"]
)
_LAST = np.array(
    ["Smith", "Muller", "Garcia", "Rossi", "Dubois", "Novak", "Jensen", "Kowalski",
     "Silva", "Brown", "Fischer", "Martin", "Lopez", "Bianchi", "Nielsen", "Walker",
     "Weber", "Costa", "Young", "Moreau", "Berg", "Taylor", "Schulz", "Romero"]
)
_RU = np.array(
    ["Иван Петров", "Анна Смирнова", "Ольга Иванова", "Дмитрий Соколов", "Елена Кузнецова",
     "Сергей Попов", "Мария Волкова", "Алексей Морозов"]
)
_ZH = np.array(["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄强"])


def _acquisition_weights(days: pd.DatetimeIndex) -> np.ndarray:
    """Relative chance of a first order on each day: growth x season x Black Friday x weekend."""
    n = len(days)
    growth = 1.0 + 0.6 * np.arange(n) / max(n - 1, 1)
    doy = days.day_of_year.to_numpy()
    season = 1.0 + 0.3 * np.cos(2 * np.pi * (doy - 350) / 365.25)  # peak mid-December
    month, dom = days.month.to_numpy(), days.day.to_numpy()
    black_friday = np.where((month == 11) & (dom >= 22) & (dom <= 30), 2.0, 1.0)
    weekend = np.where(days.day_of_week.to_numpy() >= 5, 1.15, 1.0)
    w = growth * season * black_friday * weekend
    return w / w.sum()


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``f"{prefix}{n:0{width}d}"`` for each number, as an object array."""
    return np.array([f"{prefix}{k:0{width}d}" for k in numbers.tolist()], dtype=object)


def _within_group_rank(group: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... inside each run of equal values of a sorted ``group`` array."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    lengths = np.diff(np.r_[starts, n])
    return np.arange(n) - np.repeat(starts, lengths)


def generate_orders(
    n_customers: int = SAMPLE_CUSTOMERS,
    start: str | pd.Timestamp = SAMPLE_START,
    end: str | pd.Timestamp = SAMPLE_END,
    seed: int = SAMPLE_SEED,
) -> pd.DataFrame:
    """Order lines of ``n_customers`` simulated customers between ``start`` and ``end``.

    One row per order line (plus refund rows), sorted by date and Order ID, with the
    English export headers in ``COLUMNS``. Same arguments, same frame. Channel,
    Product and Returned are categoricals (few distinct values; cheap at 1M rows).
    """
    return _simulate(n_customers, start, end, seed)[0]


def _simulate(
    n_customers: int, start: str | pd.Timestamp, end: str | pd.Timestamp, seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """The order frame and, per row, the customer's number (0 = first acquired)."""
    if n_customers < 1:
        raise ValueError("n_customers must be at least 1")
    days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), freq="D")
    n_days = len(days)
    if n_days < 1:
        raise ValueError("end must not be before start")
    rng = np.random.default_rng(seed)
    n = int(n_customers)

    # --- customers: acquisition day, purchase rate, dropout, spend, channel, name
    acq = np.sort(rng.choice(n_days, size=n, p=_acquisition_weights(days)))
    lam = rng.gamma(_R, 1.0 / _ALPHA, size=n)
    p_drop = rng.beta(_A, _B, size=n)
    alive_repeats = rng.geometric(p_drop)  # repeat purchases until (and including) dropout
    window = (n_days - 1 - acq).astype(float)  # days after the first order still in range
    n_poisson = np.minimum(rng.poisson(lam * window), _MAX_REPEATS)
    n_repeat = np.minimum(alive_repeats, n_poisson)
    cust_spend = np.exp(rng.normal(_SPEND_LOG_MEAN, _SPEND_SD_BETWEEN, size=n))
    cust_channel = rng.choice(len(_CHANNELS), size=n, p=_CHANNEL_P)

    # --- repeat purchase times: Poisson events are uniform on the window; keep the
    # first n_repeat of them (the customer is gone after that).
    owner = np.repeat(np.arange(n), n_poisson)
    t = rng.random(len(owner)) * window[owner]
    order_ix = np.lexsort((t, owner))
    owner, t = owner[order_ix], t[order_ix]
    keep = _within_group_rank(owner) < n_repeat[owner]
    rep_owner = owner[keep]
    rep_day = acq[rep_owner] + np.minimum(np.ceil(t[keep]).astype(np.int64), window[rep_owner].astype(np.int64))

    o_cust = np.r_[np.arange(n), rep_owner]
    o_day = np.r_[acq, rep_day]
    srt = np.lexsort((o_cust, o_day))
    o_cust, o_day = o_cust[srt], o_day[srt]
    n_orders = len(o_cust)

    # --- order value, channel, lines
    o_value = cust_spend[o_cust] * np.exp(
        rng.normal(-0.5 * _SPEND_SD_WITHIN**2, _SPEND_SD_WITHIN, size=n_orders)
    )
    o_channel = np.where(
        rng.random(n_orders) < 0.85, cust_channel[o_cust], rng.choice(len(_CHANNELS), size=n_orders, p=_CHANNEL_P)
    )
    o_lines = 1 + np.minimum(rng.poisson(_EXTRA_LINES_MEAN, size=n_orders), 5)
    o_returned = rng.random(n_orders) < _RETURN_SHARE
    o_nps = np.where(rng.random(n_orders) < _NPS_SHARE, rng.choice(11, size=n_orders, p=_NPS_P), -1)

    l_order = np.repeat(np.arange(n_orders), o_lines)
    l_rank = _within_group_rank(l_order)
    share = rng.gamma(2.0, 1.0, size=len(l_order))
    share /= np.bincount(l_order, weights=share)[l_order]
    qty = rng.choice(np.array([1, 2, 3, 4]), size=len(l_order), p=[0.74, 0.18, 0.06, 0.02])
    unit = np.maximum(np.round(o_value[l_order] * share / qty, 2), 0.99)
    band = np.searchsorted(_PRICE_EDGES, unit)
    pick = rng.integers(0, 5, size=len(l_order))
    product = band * 5 + pick  # code into the flattened catalogue
    amount = np.round(qty * unit, 2)

    # --- refund rows: one unit of the first line, 3-30 days later (still in range)
    refund = np.flatnonzero(~o_returned & (rng.random(n_orders) < _REFUND_SHARE))
    first_line = np.flatnonzero(l_rank == 0)  # index of each order's first line
    r_line = first_line[refund]
    r_day = np.minimum(o_day[refund] + rng.integers(3, 31, size=len(refund)), n_days - 1)

    # --- assemble rows: lines then refunds
    row_order = np.r_[l_order, refund]
    row_day = np.r_[o_day[l_order], r_day]
    row_rank = np.r_[l_rank, np.full(len(refund), 99)]  # refunds after the lines
    row_qty = np.r_[qty, -np.ones(len(refund), dtype=np.int64)]
    row_unit = np.r_[unit, unit[r_line]]
    row_amount = np.r_[amount, -unit[r_line]]
    row_product = np.r_[product, product[r_line]]
    row_returned = np.r_[o_returned[l_order], np.zeros(len(refund), dtype=bool)]
    row_nps = np.r_[np.where(l_rank == 0, o_nps[l_order], -1), np.full(len(refund), -1)]
    srt = np.lexsort((row_rank, row_order, row_day))

    # Customer ids follow acquisition order; order ids follow (date, customer).
    width = max(5, len(str(n)))
    cust_id = _ids("C", np.arange(1, n + 1), width)
    names, emails = _customer_names(rng, n)
    order_id = _ids("SO-", np.arange(100001, 100001 + n_orders), 6)
    rc = o_cust[row_order[srt]]
    nps = row_nps[srt]
    frame = pd.DataFrame(
        {
            "Order ID": order_id[row_order[srt]],
            "Order Date": days.to_numpy()[row_day[srt]],
            "Customer ID": cust_id[rc],
            "Customer Name": names[rc],
            "Email": emails[rc],
            "Channel": pd.Categorical.from_codes(o_channel[row_order[srt]], _CHANNELS),
            "Product": pd.Categorical.from_codes(row_product[srt], _CATALOGUE),
            "Quantity": row_qty[srt].astype(np.int64),
            "Unit Price": row_unit[srt],
            "Amount": row_amount[srt],
            "Returned": pd.Categorical.from_codes(row_returned[srt].astype(np.int8), ["No", "Yes"]),
            "NPS": pd.array(np.where(nps >= 0, nps, 0), dtype="Int64"),
        }
    )
    frame.loc[nps < 0, "NPS"] = pd.NA
    return frame, rc


def _customer_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Fake names (mostly Latin, ~8 % Cyrillic, ~5 % Chinese) and example.* e-mails."""
    first = rng.integers(0, len(_FIRST), size=n).tolist()
    last = rng.integers(0, len(_LAST), size=n).tolist()
    script = rng.random(n)
    ru_pick = rng.integers(0, len(_RU), size=n).tolist()
    zh_pick = rng.integers(0, len(_ZH), size=n).tolist()
    no_mail = (rng.random(n) < 0.04).tolist()  # some customers left no e-mail
    first_s, last_s = _FIRST.tolist(), _LAST.tolist()
    names, emails = [], []
    for i, (f, g, s) in enumerate(zip(first, last, script.tolist())):
        if s < 0.08:
            names.append(str(_RU[ru_pick[i]]))
            mail = f"customer{i + 1:04d}@example.net"
        elif s < 0.13:
            names.append(str(_ZH[zh_pick[i]]))
            mail = f"customer{i + 1:04d}@example.net"
        else:
            names.append(f"{first_s[f]} {last_s[g]}")
            mail = f"{first_s[f].lower()}.{last_s[g].lower()}{i + 1:04d}@example.com"
        emails.append("" if no_mail[i] else mail)
    return np.array(names, dtype=object), np.array(emails, dtype=object)


def generate_order_rows(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """Exactly ``n_rows`` order rows for benchmarks (~3.8 rows per customer).

    Customers are simulated over 2023-2024 and whole customers, picked at random,
    are kept until ``n_rows`` is reached; only the last one picked may lose rows.
    """
    if n_rows < 1:
        raise ValueError("n_rows must be at least 1")
    n_customers = max(1, int(n_rows / _ROWS_PER_CUSTOMER * 1.05) + 10)
    while True:
        frame, customer = _simulate(n_customers, SAMPLE_START, SAMPLE_END, seed)
        if len(frame) >= n_rows:
            break
        n_customers = int(n_customers * 1.2) + 10
    # Keep whole customers in a random order (acquisition order would favour the
    # early customers, who have more orders); the one that crosses n_rows is cut.
    position = np.empty(n_customers, dtype=np.int64)
    position[np.random.default_rng(seed).permutation(n_customers)] = np.arange(n_customers)
    row_pos = position[customer]
    cum = np.cumsum(np.bincount(row_pos, minlength=n_customers))
    last = int(np.searchsorted(cum, n_rows))  # position of the customer that crosses n_rows
    room = n_rows - (int(cum[last - 1]) if last > 0 else 0)
    keep = (row_pos < last) | ((row_pos == last) & (np.cumsum(row_pos == last) <= room))
    return frame[keep].reset_index(drop=True)


_ROWS_PER_CUSTOMER = 3.8  # measured on the default shop over 2023-2024


def sample_csv_text(frame: pd.DataFrame | None = None) -> str:
    """The CSV text of the shipped sample (ISO dates, 2-decimal money, blank NPS when missing)."""
    if frame is None:
        frame = generate_orders()
    out = frame.copy()
    out["Order Date"] = out["Order Date"].dt.strftime("%Y-%m-%d")
    for col in ("Unit Price", "Amount"):
        out[col] = [f"{v:.2f}" for v in out[col].to_numpy()]
    out["NPS"] = out["NPS"].astype("string").fillna("")
    return out.to_csv(index=False, lineterminator="\n")


def load_sample_orders() -> pd.DataFrame:
    """The shipped sample as a DataFrame (dates parsed)."""
    return pd.read_csv(SAMPLE_PATH, encoding="utf-8", parse_dates=["Order Date"], dtype={"NPS": "Int64"})


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, verify) the shipped sample CSV."""
    parser = argparse.ArgumentParser(prog="python -m retention_xl.sample_data", description=main.__doc__)
    parser.add_argument("-o", "--out", type=Path, default=SAMPLE_PATH, help="where to write the CSV")
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    text = sample_csv_text().encode("utf-8")
    if args.check:
        ok = args.out.exists() and args.out.read_bytes() == text
        print(f"{args.out}: {'up to date' if ok else 'DIFFERS from the generator'}")
        return 0 if ok else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text)
    rows = text.count(b"\n") - 1
    print(f"wrote {args.out} ({rows} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
