"""Benchmark: RFM summary + BG/NBD fit + holdout check on 1,000,000 order rows, against lifetimes.

    python benchmarks/clv.py [--rows 1000000] [--repeat 2] [--seed 1]

In the same run and on the same data it times

* retention_xl: ``clv.purchase_fit`` — the summary, the BG/NBD fit (the report's fit
  rules) and the holdout check (calibration summary, refit on the calibration
  window, holdout prediction and comparison: the work the report adds for issue 12);
* lifetimes 0.11 (the baseline, measured here, never a remembered number):
  ``utils.summary_data_from_transaction_data`` + ``BetaGeoFitter().fit`` on its
  summary — without any holdout check.

lifetimes' summary counts refund-only days as purchases (retention_xl does not), so
as a cross-check lifetimes is also fitted on retention_xl's summary (not timed): the
two fits must find the same parameters. The best of
``--repeat`` runs of each side is reported. Target: retention_xl at least 5x faster
than lifetimes; the script prints the ratio and exits 1 when it misses, 2 when
lifetimes (a test dependency: ``pip install lifetimes dill``) is not installed.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np
import pandas as pd

from retention_xl.engine import clv
from retention_xl.sample_data import generate_order_rows

TARGET_SPEEDUP = 5.0


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
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    try:
        import lifetimes
        from lifetimes import BetaGeoFitter
        from lifetimes.utils import summary_data_from_transaction_data
    except ImportError as err:
        print(f"lifetimes cannot be imported ({err}); there is no baseline to compare with. "
              "Install the test dependencies: pip install lifetimes dill")
        return 2

    t0 = time.perf_counter()
    orders = generate_order_rows(args.rows, seed=args.seed)
    ids = orders["Customer ID"]
    dates = orders["Order Date"]
    amounts = orders["Amount"]
    as_of = pd.Timestamp("2024-12-31")
    print(f"generated {len(orders):,} rows, {ids.nunique():,} customers in {time.perf_counter() - t0:.2f} s")

    t_ours, (summary, model, check) = best_of(args.repeat, lambda: clv.purchase_fit(ids, dates, amounts, as_of=as_of))

    frame = pd.DataFrame({"id": ids, "date": dates, "amount": amounts})
    frame = frame[frame["date"] <= as_of]

    def theirs_summary():
        return summary_data_from_transaction_data(frame, "id", "date", monetary_value_col="amount",
                                                  observation_period_end=as_of, freq="D")

    b_sum, base = best_of(args.repeat, theirs_summary)

    def theirs_fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return BetaGeoFitter().fit(base["frequency"], base["recency"] / 7.0, base["T"] / 7.0)  # weeks

    b_fit, bgf = best_of(args.repeat, theirs_fit)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cross = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    ours = np.array(model.params)
    theirs = cross.params_[["r", "alpha", "a", "b"]].to_numpy(dtype=float)
    own = bgf.params_[["r", "alpha", "a", "b"]].to_numpy(dtype=float)
    print(f"lifetimes {lifetimes.__version__}; customers {len(summary):,} (lifetimes: {len(base):,}), repeat buyers "
          f"{int((summary['frequency'] > 0).sum()):,}")
    print("params  retention_xl          r=%.4f alpha=%.4f a=%.4f b=%.4f (fit: %s)" % (*ours, model.method))
    print("        lifetimes, our summary r=%.4f alpha=%.4f a=%.4f b=%.4f (max rel. diff %.1e)"
          % (*theirs, np.max(np.abs(theirs / ours - 1))))
    print("        lifetimes, own summary r=%.4f alpha=%.4f a=%.4f b=%.4f (refund-only days count there)" % tuple(own))
    print(f"holdout check: {check.holdout_days} days, predicted {check.predicted_repeat_orders:,.0f} vs actual "
          f"{check.actual_repeat_orders:,} repeat orders ({check.relative_error:+.1%}, {check.verdict})")
    base_total = b_sum + b_fit
    print(f"retention_xl summary + fit + holdout check: {t_ours:8.3f} s")
    print(f"lifetimes summary + fit (no check):         {base_total:8.3f} s  (summary {b_sum:.3f} s + fit {b_fit:.3f} s)")
    ratio = base_total / t_ours
    met = ratio >= TARGET_SPEEDUP
    print(f"speed-up: {ratio:.1f}x (target {TARGET_SPEEDUP:.0f}x: {'met' if met else 'MISSED'})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
