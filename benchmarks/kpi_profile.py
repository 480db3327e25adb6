"""Where the KPI stage of ``retention-xl report`` spends its time (issue 11).

    python benchmarks/kpi_profile.py ORDERS.csv [--top 40] [--runs 3] [--save REPORT.pkl]

Reads the file once (orders.read_orders, as the report does), then runs the KPI
stage — currency.prepare + kpi.build_kpis, as pipeline.build_report calls them —
``--runs`` times and prints the best wall and CPU time (CPU time is steadier on a
shared machine) and the resident memory before and at the peak of the stage (Linux),
then once more under cProfile with the ``--top`` costliest functions by cumulative and
by own time. ``--save`` pickles the KpiReport of the last run, to compare two versions
of the engine figure by figure.
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import sys
import time
from datetime import date
from pathlib import Path


def kpi_stage(read, settings):
    """currency.prepare + build_kpis, exactly as pipeline.build_report runs them."""
    from retention_xl.engine import currency as money
    from retention_xl.engine import kpi
    from retention_xl.read.orders import skip_future_dates

    read = skip_future_dates(read, settings.today or date.today())
    prepared = money.prepare(read.orders, settings.currency, None)
    report = kpi.build_kpis(prepared.orders, settings, rows_read=int(read.rows_read),
                            rows_skipped=int(len(read.skipped)),
                            score_header=(read.columns or {}).get("score"), spend=None,
                            no_customer=getattr(read, "no_customer", None))
    report.currency = prepared.summary(report.period_start, report.period_end)
    return report


def _memory_mb() -> tuple[float, float] | None:
    """(resident, peak resident) MB of this process, or None off Linux."""
    try:
        status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
        return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return None


def _reset_peak() -> None:
    """Start the peak-resident count afresh (Linux: clear_refs 5), so the stage's own peak shows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--save", type=Path)
    args = ap.parse_args()

    from retention_xl.read.orders import read_orders
    from retention_xl.settings import ReportSettings

    read = read_orders(args.csv)
    settings = ReportSettings()
    times, cpu = [], []
    before = _memory_mb()
    _reset_peak()
    for _ in range(args.runs):
        t, c = time.perf_counter(), time.process_time()
        report = kpi_stage(read, settings)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if times:
        print(f"KPI stage: best {min(times):.2f} s of {len(times)} runs ({', '.join(f'{x:.2f}' for x in times)}); "
              f"CPU best {min(cpu):.2f} s ({', '.join(f'{x:.2f}' for x in cpu)})")
        after = _memory_mb()
        if before and after:
            print(f"memory: {before[0]:.0f} MB resident after reading, peak {after[1]:.0f} MB during the KPI stage")
    prof = cProfile.Profile()
    prof.enable()
    report = kpi_stage(read, settings)
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    if args.save:
        args.save.write_bytes(pickle.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
