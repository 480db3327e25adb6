"""Time NPS, CSAT and REPEAT_RATE on 1,000,000 cells against a plain baseline.

Run:  python benchmarks/udfs.py [--cells N] [--repeat R]

Input is what xlwings hands a UDF for a one-column range with ndim=2: a list of
1,000,000 one-element lists of floats, with about 1 % blank cells (None) and
0.1 % text cells. The baseline, measured in the same run on the same list,
converts it to a numpy array the plain way and computes the metric directly,
with none of the Excel conventions (no error-cell detection, booleans not
excluded, no input checks, no messages):

    numbers:  pd.to_numeric(np.array(values, dtype=object).ravel(), errors="coerce"),
              NaN dropped (numpy alone cannot turn a mixed list into floats
              without a Python loop, so pandas' C converter is the fair floor)
    NPS:      100 × (mean(x ≥ 9) − mean(x ≤ 6))
    CSAT:     mean(x ≥ 4)
    REPEAT:   ids = object array without None; codes = pd.factorize(ids);
              mean(bincount(codes) ≥ 2)

Each timing is the best of --repeat runs (the machine may be shared). The
target is UDF time ≤ 2 × baseline time; the script exits 1 if any ratio misses it.

Array formulas (issue 9 item 4), ``--rows`` rows (default 10,000): one call of a
cell function over whole columns (``=CRR(B2:B10001, C2:C10001, D2:D10001)``)
against one call per row (``=CRR(B2, C2, D2)`` filled down), both on the Python
side only: each single call gets its cells as xlwings passes them with
``ndim=2`` (``[[x]]``), the array call gets the columns as lists of rows. About
1 % of the rows are blank and some are wrong (a message in their cell), as in a
real sheet. Excel's own cost per single-cell call (a COM round trip into
Python for each cell) comes on top of the single calls and is not measured
here. Target: the array call at least 2 × faster; the results must be equal
cell by cell (a blank row is a blank cell in the array, a "blank" message alone).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.excel import udfs

TARGET_RATIO = 2.0
ARRAY_TARGET_SPEEDUP = 2.0


def excel_column(n: int, value: Callable[[random.Random], Any], seed: int) -> list[list[Any]]:
    """n × 1 range as xlwings passes it: floats, ~1 % blanks, ~0.1 % text."""
    rnd = random.Random(seed)
    rows: list[list[Any]] = [[value(rnd)] for _ in range(n)]
    for i in range(0, n, 97):
        rows[i] = [None]
    for i in range(5, n, 1009):
        rows[i] = ["no answer"]
    return rows


def baseline_numbers(values: list[list[Any]]) -> np.ndarray:
    x = np.asarray(pd.to_numeric(np.array(values, dtype=object).ravel(), errors="coerce"), dtype=float)
    return x[~np.isnan(x)]


def baseline_nps(values: list[list[Any]]) -> float:
    x = baseline_numbers(values)
    return float(100.0 * (np.mean(x >= 9) - np.mean(x <= 6)))


def baseline_csat(values: list[list[Any]]) -> float:
    x = baseline_numbers(values)
    return float(np.mean(x >= 4))


def baseline_repeat_rate(values: list[list[Any]]) -> float:
    ids = np.array(values, dtype=object).ravel()
    ids = ids[ids != None]  # noqa: E711 - elementwise comparison with None
    codes, _ = pd.factorize(ids)
    return float(np.mean(np.bincount(codes) >= 2))


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def cell_rows(n: int, seed: int, make: Callable[[random.Random], tuple[float, ...]]) -> list[tuple[Any, ...]]:
    """n rows of a cell function's inputs; every 97th row blank."""
    rnd = random.Random(seed)
    rows: list[tuple[Any, ...]] = [make(rnd) for _ in range(n)]
    width = len(rows[0])
    for i in range(0, n, 97):
        rows[i] = (None,) * width
    return rows


def array_vs_single(name: str, udf: Callable[..., Any], rows: list[tuple[Any, ...]], repeat: int) -> tuple[float, float]:
    columns = [[[r[i]] for r in rows] for i in range(len(rows[0]))]
    t_array, out = best_time(lambda: udf(*columns), repeat)
    t_single, singles = best_time(lambda: [udf(*[[[v]] for v in r]) for r in rows], repeat)
    expected = [None if all(v is None for v in r) else s for r, s in zip(rows, singles)]
    if [c[0] for c in out] != expected:
        raise SystemExit(f"{name}: the array call and the single calls disagree")
    return t_array, t_single


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the array-formula comparison")
    parser.add_argument("--arrays-only", action="store_true", help="only the array-formula comparison")
    args = parser.parse_args(argv)
    n = args.cells
    ok = True

    m = args.rows
    print(f"Array formulas: one call over {m:,} rows vs {m:,} single calls (Python side), best of {args.repeat}")
    print(f"{'function':<12} {'array s':>8} {'singles s':>10} {'speed-up':>9}")
    array_cases = [
        ("CRR", udfs.CRR, cell_rows(m, 4, lambda r: (float(r.randint(150, 250)), float(r.randint(0, 40)), float(r.randint(150, 250))))),
        ("CONVERSION", udfs.CONVERSION, cell_rows(m, 5, lambda r: (float(r.randint(0, 1100)), float(r.randint(1, 1000))))),
        ("CLV", udfs.CLV, cell_rows(m, 6, lambda r: (r.uniform(10, 100), float(r.randint(1, 36)), r.uniform(0.1, 0.6), 0.1))),
    ]
    for name, udf, rows in array_cases:
        t_array, t_single = array_vs_single(name, udf, rows, args.repeat)
        speedup = t_single / t_array
        ok &= speedup >= ARRAY_TARGET_SPEEDUP
        flag = "" if speedup >= ARRAY_TARGET_SPEEDUP else f"  MISSES the {ARRAY_TARGET_SPEEDUP:g}x target"
        print(f"{name:<12} {t_array:8.3f} {t_single:10.3f} {speedup:8.1f}x{flag}")
    if args.arrays_only:
        return 0 if ok else 1
    print()

    cases = [
        ("NPS", excel_column(n, lambda r: float(r.randint(0, 10)), 1), udfs.NPS, baseline_nps),
        ("CSAT", excel_column(n, lambda r: float(r.randint(1, 5)), 2), udfs.CSAT, baseline_csat),
        (
            "REPEAT_RATE",
            excel_column(n, lambda r: float(r.randint(1, n // 3)), 3),
            udfs.REPEAT_RATE,
            baseline_repeat_rate,
        ),
    ]
    print(f"{n:,} cells (1 % blank, 0.1 % text), best of {args.repeat} runs")
    print(f"{'function':<12} {'UDF s':>8} {'baseline s':>11} {'ratio':>6}  result (UDF / baseline)")
    for name, values, udf, baseline in cases:
        t_udf, r_udf = best_time(lambda: udf(values), args.repeat)
        t_base, r_base = best_time(lambda: baseline(values), args.repeat)
        ratio = t_udf / t_base
        ok &= ratio <= TARGET_RATIO
        flag = "" if ratio <= TARGET_RATIO else f"  MISSES the {TARGET_RATIO:g}x target"
        print(f"{name:<12} {t_udf:8.3f} {t_base:11.3f} {ratio:6.2f}  {r_udf!r} / {r_base!r}{flag}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
