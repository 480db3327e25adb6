"""KpiReport -> the report workbook (.xlsx, XlsxWriter). See ``write_workbook``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd
import xlsxwriter

from retention_xl import __version__
from retention_xl.render.labels import Labels
from retention_xl.engine.report import KpiReport
from retention_xl.render import frames
from retention_xl.render.dashboard import write_dashboard
from retention_xl.render.sheets import (issues_csv_frame, write_cohorts, write_customers, write_issues, write_methodology,
                     write_segments)
from retention_xl.render.forecast_check import write_forecast_check
from retention_xl.render.styles import Styles

__all__ = ["ReportSource", "WorkbookInfo", "write_workbook", "issues_csv_frame", "ISSUES_SHEET_LIMIT",
           "WORKBOOK_OPTIONS"]

#: More skipped rows than this: the sheet lists the first ones, a CSV beside has all.
ISSUES_SHEET_LIMIT = 5000

#: Text stays text (no formulas, no links, no numbers guessed from text); rows
#: stream to disk so "everyone" on the Customers sheet does not exhaust memory.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

ROLE_ORDER = ["customer", "date", "amount", "quantity", "price", "order", "returned", "channel", "product",
              "score", "customer_name", "email", "phone"]
_ROLE_ALIASES = {"customer_id": "customer", "order_id": "order"}


@dataclass(frozen=True)
class ReportSource:
    """What the report says about where its numbers came from (from orders.ReadResult)."""

    name: str  # file name as shown (no folders)
    sheet: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # role -> header seen
    headers: Sequence[str] = ()
    notes: Sequence[str] = ()
    skipped: pd.DataFrame | None = None  # row, reason, raw
    anonymized: bool = False


@dataclass(frozen=True)
class WorkbookInfo:
    path: Path
    sheets: list[str]
    customers_listed: int
    issues_listed: int


def write_workbook(report: KpiReport, path: Path, source: ReportSource, *,
                   issues_csv_name: str | None = None, generated: datetime | None = None,
                   issues_limit: int = ISSUES_SHEET_LIMIT) -> WorkbookInfo:
    """Write the report workbook to *path* (overwrites it; the pipeline writes to a temp file)."""
    L = Labels(report.settings.lang)
    generated = generated or datetime.now().replace(microsecond=0)
    skipped = source.skipped if source.skipped is not None else pd.DataFrame(columns=["row", "reason", "raw"])
    hide_raw = bool(report.settings.anonymize) and not source.anonymized
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        wb.set_properties({
            "title": L("dash.title"),
            "subject": f"{source.name}: {report.period_start:%Y-%m-%d} – {report.period_end:%Y-%m-%d}",
            "author": "retention_xl",
            "company": "",
            "comments": f"retention_xl {__version__}",
            "created": generated,
        })
        S = Styles(wb, L.lang, L("fmt.date"), L("fmt.month"))
        monthly = frames.monthly_table(report.monthly)
        write_dashboard(wb, S, L, report, _header_lines(report, source, L, generated, len(skipped)), monthly)
        write_cohorts(wb, S, L, report)
        write_segments(wb, S, L, report)
        customers_listed = write_customers(wb, S, L, report)
        write_forecast_check(wb, S, L, report)  # issue 12
        issues_listed = write_issues(wb, S, L, report, skipped, list(source.headers), issues_limit,
                                     issues_csv_name, hide_raw)
        write_methodology(wb, S, L, report, _settings_rows(report, source, L, generated),
                          _column_rows(source, L), [L.note(n) for n in source.notes])
        sheets = [ws.get_name() for ws in wb.worksheets()]
        wb.worksheets()[0].activate()
    finally:
        wb.close()
    return WorkbookInfo(Path(path), sheets, customers_listed, issues_listed)


def _period_text(report: KpiReport, L: Labels) -> str:
    # t0 is exclusive: the first day counted is the day after it
    from datetime import timedelta
    first_day = report.period_start + timedelta(days=1)
    return L("dash.period_value", start=L.date(first_day), end=L.date(report.period_end),
             days=L.number(report.period_days))


def _header_lines(report: KpiReport, source: ReportSource, L: Labels, generated: datetime,
                  n_skipped: int) -> list[str]:
    src = source.name + (f" ({L('dash.sheet')} {source.sheet})" if source.sheet else "")
    line1 = f"{L('dash.source')}: {src}   ·   {L('dash.period')}: {_period_text(report, L)}"
    rows = L("dash.rows", read=L.number(report.rows_read), used=L.number(report.rows_used),
             skipped=L.number(report.rows_skipped))
    if n_skipped:
        rows += " — " + L("dash.rows_issues", sheet=L("sheet.issues"))
    line2 = f"{L('dash.generated')}: {L.date(generated.date())} {generated:%H:%M}   ·   {rows}"
    lines = [line1, line2]
    if report.settings.anonymize:
        lines.append(L("dash.anonymized"))
    return lines


def _settings_rows(report: KpiReport, source: ReportSource, L: Labels, generated: datetime) -> list[tuple[str, str]]:
    s = report.settings
    industry = (f"{L.industry(s.industry)}: {L.percent(report.benchmark_crr)}"
                if s.industry and report.benchmark_crr is not None else L("meth.industry_none"))
    rows = [
        (L("meth.source"), source.name),
    ]
    if source.sheet:
        rows.append((L("meth.sheet"), str(source.sheet)))
    rows += [
        (L("meth.period"), L("meth.period_value", start=L.date(report.period_start), end=L.date(report.period_end),
                             days=L.number(report.period_days))),
        (L("meth.window"), L("meth.window_value", days=L.number(s.active_days))),
        (L("meth.industry"), industry),
        (L("meth.rows_read"), L.number(report.rows_read)),
        (L("meth.rows_used"), L.number(report.rows_used)),
        (L("meth.rows_skipped"), L.number(report.rows_skipped)),
    ]
    if s.anonymize:
        rows.append((L("meth.anonymization"), L("meth.anonymization_value")))
    rows += [
        (L("meth.generated"), f"{L.date(generated.date())} {generated:%H:%M}"),
        (L("meth.version"), f"retention_xl {__version__}"),
    ]
    return rows


def _column_rows(source: ReportSource, L: Labels) -> list[tuple[str, str]]:
    cols = {_ROLE_ALIASES.get(k, k): v for k, v in (source.columns or {}).items()}
    if source.anonymized:
        cols = {k: v for k, v in cols.items() if k not in ("customer_name", "email", "phone")}
    order = [r for r in ROLE_ORDER if r in cols] + [r for r in cols if r not in ROLE_ORDER]
    out = []
    for role in order:
        header = cols[role]
        if header is None or header == "":
            continue
        if isinstance(header, (list, tuple)):
            header = " × ".join(str(h) for h in header)
        key = f"role.{role}"
        out.append((L(key) if L.has(key) else str(role), str(header)))
    return out
