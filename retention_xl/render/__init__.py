"""KpiReport -> the report workbook (.xlsx, XlsxWriter). See ``write_workbook``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd
import xlsxwriter

from retention_xl import __version__
from retention_xl.messages import DASHBOARD_NOTES
from retention_xl.render.labels import Labels
from retention_xl.engine.report import KpiReport
from retention_xl.render import frames
from retention_xl.render.dashboard import WarningLine, write_dashboard
from retention_xl.render.sheets import (issues_csv_frame, write_cohorts, write_customers, write_issues, write_methodology,
                     write_segments)
from retention_xl.render.notices import notice_lines
from retention_xl.render.forecast_check import write_forecast_check
from retention_xl.render.styles import Styles
from retention_xl.render.where_to_act import write_where_to_act

__all__ = ["ReportSource", "WorkbookInfo", "write_workbook", "issues_csv_frame", "ISSUES_SHEET_LIMIT",
           "WORKBOOK_OPTIONS", "input_lines"]

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
              "score", "customer_name", "email", "phone", "currency"]
_ROLE_ALIASES = {"customer_id": "customer", "order_id": "order"}


@dataclass(frozen=True)
class ReportSource:
    """What the report says about where its numbers came from (from orders.ReadResult)."""

    name: str  # file name as shown (no folders)
    sheet: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # role -> header seen
    headers: Sequence[str] = ()
    notes: Sequence[str] = ()
    skipped: pd.DataFrame | None = None  # row, reason, raw (and sheet, when several sheets were read)
    anonymized: bool = False
    other_sheets: Sequence[str] = ()  # issue 19: order sheets not read (orders.ReadResult.other_sheets)
    backup_sheets: Mapping[str, str] = field(default_factory=dict)  # issue 19: backup copy -> its original
    layout: str | None = None  # issue 17: the platform export layout recognised (layouts.Layout.kind)
    picks: Sequence[Any] = ()  # issue 17: headers.ColumnPick of each needed role


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
        S = Styles(wb, L.lang, L("fmt.date"), L("fmt.month"),
                   currency=report.currency.currency if report.currency is not None else None)
        monthly = frames.monthly_table(report.monthly)
        write_dashboard(wb, S, L, report, _header_lines(report, source, L, generated, len(skipped)), monthly)
        write_cohorts(wb, S, L, report)
        write_where_to_act(wb, S, L, report)
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
    if report.data_end is not None and report.period_end > report.data_end:
        lines.append(L("dash.after_last_order", days=L.number((report.period_end - report.data_end).days),
                       last=L.date(report.data_end)))
    if report.settings.anonymize:
        lines.append(L("dash.anonymized"))
    # notes that change the Dashboard's own figures (ids Excel cut to 15 digits), also on Methodology
    lines += [WarningLine(L.note(n)) for n in source.notes if getattr(n, "code", None) in DASHBOARD_NOTES]
    lines += notice_lines(report, source.other_sheets, L)  # issues 18, 19
    lines += input_lines(source, L)
    return lines


def _pick_role(role: str, L: Labels) -> str:
    return L(f"role.{_ROLE_ALIASES.get(role, role)}")


def input_lines(source: ReportSource, L: Labels) -> list[str]:
    """Issue 17: the platform layout recognised, and each column choice that is in doubt."""
    out = []
    if source.layout:
        out.append(L("dash.layout", kind=L(f"layout.{source.layout}")))
    for p in source.picks:
        if p.doubt is None:
            continue
        used = L("pick.column", header=p.header, column=p.column)
        if p.runner_up is not None:
            other = L("pick.column", header=p.runner_up, column=p.runner_column)
            if p.runner_problem:
                other += f" ({L('problem.' + p.runner_problem)})"
        else:
            other = L("pick.none")
        key = "dash.pick_wrong" if p.doubt == "wrong" else "dash.pick_close"
        out.append(L(key, role=_pick_role(p.role, L), used=used, other=other,
                     problem=L(f"problem.{p.problem}") if p.problem else ""))
    return out


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
        (L("meth.window"), L("meth.window_value", days=L.number(report.active_days))
         if not report.retention.adaptive or not report.active_days else
         L("meth.window_adaptive", days=L.number(report.active_days),
           start=L.date(report.retention.measured_from))),
        (L("meth.money_rows"), L("meth.money_rows_value")),
        (L("meth.industry"), industry),
        (L("meth.rows_read"), L.number(report.rows_read)),
        (L("meth.rows_used"), L.number(report.rows_used)),
        (L("meth.rows_skipped"), L.number(report.rows_skipped)),
    ]
    rows += _currency_rows(report, L)  # issue 18
    if s.anonymize:
        rows.append((L("meth.anonymization"), L("meth.anonymization_value")))
    rows += [
        (L("meth.generated"), f"{L.date(generated.date())} {generated:%H:%M}"),
        (L("meth.version"), f"retention_xl {__version__}"),
    ]
    return rows


def _currency_rows(report: KpiReport, L: Labels) -> list[tuple[str, str]]:
    """Methodology: the report currency, how it was chosen, and the exchange rates used (issue 18)."""
    cur = report.currency
    if cur is None:
        return []
    if cur.currency is None:
        return [(L("meth.currency"), L("meth.currency_none"))]
    rows = [(L("meth.currency"), L(f"meth.currency_{cur.chosen_by}", currency=cur.currency))]
    items = [L("meth.rate_item", currency=c.currency, rate=L.number(r, 6).rstrip("0").rstrip(".,"),
               report=cur.currency, month=f" ({m:%Y-%m})" if m else "")
             for c in cur.converted for m, r in c.rates]
    if items:
        rows.append((L("meth.rates"), L("meth.rates_value", source=cur.rates_source or "", rates="; ".join(items))))
    elif cur.other:
        rows.append((L("meth.rates"), L("meth.rates_none")))
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
        out.append((L(key) if L.has(key) else str(role), str(header) + _pick_text(source, role, L)))
    return out


def _pick_text(source: ReportSource, role: str, L: Labels) -> str:
    """Issue 17: how the column was chosen and the runner-up, after the header on Methodology."""
    pick = next((p for p in source.picks if _ROLE_ALIASES.get(p.role, p.role) == role), None)
    if pick is None:
        return ""
    text = f" ({L('pick.column_only', column=pick.column)}; {L('pick.by_' + pick.by)}"
    if pick.problem:
        text += f"; {L('problem.' + pick.problem)}"
    if pick.runner_up is not None:
        other = L("pick.column", header=pick.runner_up, column=pick.runner_column)
        if pick.runner_problem:
            other += f" — {L('problem.' + pick.runner_problem)}"
        text += f"; {L('meth.runner_up', other=other)}"
    else:
        text += f"; {L('meth.runner_up', other=L('pick.none'))}"
    return text + ")"
