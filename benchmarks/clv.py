"""Benchmark: RFM summary + BG/NBD fit on 1,000,000 synthetic order rows (~260,000 customers).

    python benchmarks/clv.py [--rows 1000000] [--repeat 3] [--seed 1]

Times ``clv.rfm_summary`` and ``clv.fit_bg_nbd`` and, in the same run on the same
data, a straightforward baseline: a pandas groupby summary (customer-day sums, then
per-customer first/last/count, as most RFM code does) and the same BG/NBD
likelihood evaluated per customer (no compression) and minimised by L-BFGS-B with
finite-difference gradients. Both fits must agree; the best of ``--repeat`` runs is
reported, so a busy machine distorts less.

Target: lifetimes 0.11 (``summary_data_from_transaction_data`` + ``BetaGeoFitter.fit``)
needs about 2.7 s + 3.1 s on such data on this machine; retention_xl must be at
least 5 times faster in total, i.e. at most 5.8 s / 5 = 1.16 s. The script exits 1
when it misses that.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln

from retention_xl.engine import clv
from retention_xl.sample_data import generate_order_rows

LIFETIMES_SECONDS = 2.7 + 3.1  # summary + BG/NBD fit with lifetimes 0.11 on this data, this machine
TARGET_SPEEDUP = 5.0


def baseline_summary(ids: pd.Series, dates: pd.Series, amounts: pd.Series, as_of: pd.Timestamp) -> pd.DataFrame:
    """The plain pandas way: sum per customer-day, then aggregate per customer (weeks)."""
    df = pd.DataFrame({"id": ids, "date": dates.dt.normalize(), "amount": amounts})
    df = df[df["date"] <= as_of]
    daily = df.groupby(["id", "date"], sort=True)["amount"].sum().reset_index()
    daily = daily[daily["amount"] >= 0]
    g = daily.groupby("id")
    first, last, n, total = g["date"].min(), g["date"].max(), g.size(), g["amount"].sum()
    first_amount = g["amount"].first()  # daily is sorted by (id, date)
    frequency = n - 1
    return pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last - first).dt.days / 7.0,
            "T": (as_of - first).dt.days / 7.0,
            "monetary_value": ((total - first_amount) / frequency.where(frequency > 0, 1)).where(frequency > 0, 0.0),
        }
    )


def baseline_fit(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
    """BG/NBD log-likelihood per customer, numerical gradient; returns (r, alpha, a, b)."""
    scale = T.mean()
    tx, T = tx / scale, T / scale

    def nll(theta: np.ndarray) -> float:
        r, alpha, a, b = np.exp(theta)
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        a3 = -(r + x) * np.log(alpha + T)
        with np.errstate(divide="ignore"):
            a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
        return -np.sum(a1 + a2 + np.logaddexp(a3, a4)) / len(x)

    res = minimize(nll, np.log([1.0, 1.0, 1.0, 2.0]), method="L-BFGS-B", bounds=[(-13.8, 13.8)] * 4,
                   options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9})
    r, alpha, a, b = np.exp(res.x)
    return np.array([r, alpha * scale, a, b])


def best_of(repeat: int, fn):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t0 = time.perf_counter()
    orders = generate_order_rows(args.rows, seed=args.seed)
    ids = orders["Customer ID"]
    dates = orders["Order Date"]
    amounts = orders["Amount"]
    as_of = pd.Timestamp("2024-12-31")
    print(f"generated {len(orders):,} rows, {ids.nunique():,} customers in {time.perf_counter() - t0:.2f} s")

    t_sum, summary = best_of(args.repeat, lambda: clv.rfm_summary(ids, dates, amounts, as_of=as_of, unit="W"))
    x, tx, T = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    t_fit, model = best_of(args.repeat, lambda: clv.fit_bg_nbd(x, tx, T, unit="W"))
    b_sum, base = best_of(args.repeat, lambda: baseline_summary(ids, dates, amounts, as_of))
    bx, btx, bT = (base[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    b_fit, base_params = best_of(args.repeat, lambda: baseline_fit(bx, btx, bT))

    same = summary.sort_index()
    assert np.array_equal(same["frequency"].to_numpy(), base.sort_index()["frequency"].to_numpy())
    assert np.allclose(same[["recency", "T", "monetary_value"]].to_numpy(),
                       base.sort_index()[["recency", "T", "monetary_value"]].to_numpy())
    ours = np.array(model.params)
    print(f"customers {len(summary):,}, repeat buyers {int((x > 0).sum()):,}")
    print("params  retention_xl r=%.4f alpha=%.4f a=%.4f b=%.4f" % tuple(ours))
    print("        baseline     r=%.4f alpha=%.4f a=%.4f b=%.4f (max rel. diff %.1e)"
          % (*base_params, np.max(np.abs(base_params / ours - 1))))
    print(f"{'':22}{'summary':>10}{'fit':>10}{'total':>10}")
    print(f"{'retention_xl':22}{t_sum:>9.3f}s{t_fit:>9.3f}s{t_sum + t_fit:>9.3f}s")
    print(f"{'baseline (same run)':22}{b_sum:>9.3f}s{b_fit:>9.3f}s{b_sum + b_fit:>9.3f}s")
    print(f"speed-up: summary {b_sum / t_sum:.1f}x, fit {b_fit / t_fit:.1f}x, total {(b_sum + b_fit) / (t_sum + t_fit):.1f}x")
    limit = LIFETIMES_SECONDS / TARGET_SPEEDUP
    met = t_sum + t_fit <= limit
    print(f"target: total <= {limit:.2f} s ({TARGET_SPEEDUP:.0f}x faster than lifetimes' ~2.7 s summary + ~3.1 s fit "
          f"on this machine): {'met' if met else 'MISSED'} ({LIFETIMES_SECONDS / (t_sum + t_fit):.1f}x)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
