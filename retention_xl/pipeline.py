"""Read result -> report files (workbook, optional JSON, CSV of skipped rows).

One function, :func:`build_report`, used by the command line and the Excel
button. It never touches the input file: it refuses an output path that is the
input, and writes every file to a temporary name in the target folder first,
renaming it into place only when it is complete (no half-written report is left
behind, and an existing report is replaced in one step).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from retention_xl.errors import InputError, RetentionXLError
from retention_xl.messages import Join, Message
from retention_xl.render.labels import Labels, check_lang
from retention_xl.engine.report import KpiReport
from retention_xl.settings import ReportSettings
from retention_xl.render import ISSUES_SHEET_LIMIT, ReportSource, issues_csv_frame, write_workbook
from retention_xl.render.privacy import Pseudonymizer, anonymization_key, anonymize_report, anonymize_skipped, split_raw

Progress = Callable[[str], None]



@dataclass(frozen=True)
class ReportOutcome:
    """What build_report computed and wrote."""

    report: KpiReport
    workbook: Path
    json: Path | None = None
    issues_csv: Path | None = None
    sheets: list[str] = field(default_factory=list)
    customers_listed: int = 0
    issues_listed: int = 0
    other_sheets: tuple[str, ...] = ()  # issue 19: order sheets of the workbook not read


def default_output(source: str | os.PathLike) -> Path:
    """``orders.xlsx`` -> ``orders KPI report.xlsx`` beside it."""
    p = Path(source)
    return p.with_name(f"{p.stem} KPI report.xlsx")


def issues_csv_path(out: Path) -> Path:
    return out.with_name(f"{out.stem} - data issues.csv")


def _check_some_rows_used(read: Any) -> None:
    """No usable row means no report; say why right away, with the commonest reasons.

    The report (and so its Data issues sheet) cannot be built, so the message itself
    has to carry what is wrong and where.
    """
    if len(read.orders):
        return
    where = Message("error.on_sheet", sheet=read.sheet) if getattr(read, "sheet", None) else ""
    skipped = read.skipped
    if skipped is None or len(skipped) == 0:
        raise InputError("error.no_data_rows", where=where)
    # each skipped row's parts are (reason code, value) pairs: count the codes
    codes = pd.Series([c for parts in skipped["parts"] for c, _ in parts], dtype=object)
    counts = codes.value_counts()
    reasons = Join(tuple(Message("error.reason_count", n=int(n), reason=Message(f"skip.{c}"))
                         for c, n in counts.head(3).items()))
    others = len(counts) - 3
    more = (Message("error.other_kind") if others == 1 else Message("error.other_kinds", n=others)) if others > 0 else ""
    first = skipped.iloc[0]
    first_reason = Join(tuple(Message(f"skip.{c}") if v is None else
                              Message("error.reason_value", reason=Message(f"skip.{c}"), value=v)
                              for c, v in first["parts"]))
    # issue 17: a needed column that was the only candidate and holds nothing is named
    empty = Join(tuple(Message("error.empty_column", role=p.role, header=p.header, letter=p.column)
                       for p in (getattr(read, "picks", None) or []) if p.problem == "empty"), "sentences")
    raise InputError("error.no_rows_used", rows=int(read.rows_read), where=where, reasons=reasons, more=more,
                     row=int(first["row"]), first=first_reason, empty=empty)


def build_report(read: Any, settings: ReportSettings, out: Path, json_out: Path | None = None,
                 progress: Progress | None = None, *, generated: datetime | None = None,
                 spend: Any = None, rates: Any = None) -> ReportOutcome:
    """Compute the KPIs of *read* (an ``orders.ReadResult``) and write the report files.

    ``spend`` is the marketing spend (engine.revenue_cohorts.Spend) for CAC and payback, or None.
    ``rates``: an ``engine.currency.RateTable`` (``--rates``) converting other currencies.
    Raises RetentionXLError (with a complete message) for anything the user can fix.
    """
    from retention_xl.engine import kpi  # the engine; imported here so the writer stays importable alone
    from retention_xl.engine import currency as money

    say = progress or (lambda _msg: None)
    check_lang(settings.lang)
    out = Path(out)
    json_out = Path(json_out) if json_out is not None else None
    _check_targets(read, out, json_out)
    _check_some_rows_used(read)

    from retention_xl.read.orders import skip_future_dates
    from datetime import date as _date

    read = skip_future_dates(read, settings.today or _date.today())
    _check_some_rows_used(read)
    say("calculating KPIs")
    prepared = money.prepare(read.orders, settings.currency, rates)  # issue 18: one report currency
    report = kpi.build_kpis(prepared.orders, settings, rows_read=int(read.rows_read),
                            rows_skipped=int(len(read.skipped)),
                            score_header=(read.columns or {}).get("score"), spend=spend,
                            no_customer=getattr(read, "no_customer", None))
    report.currency = prepared.summary(report.period_start, report.period_end)

    headers = [str(h) for h in (read.headers or [])]
    skipped = read.skipped if read.skipped is not None else pd.DataFrame(columns=["row", "reason", "raw"])
    L = Labels(settings.lang)
    if settings.anonymize:
        say("anonymising")
        pseudo = Pseudonymizer(anonymization_key())
        report = anonymize_report(report, pseudo)
        skipped = anonymize_skipped(skipped, headers, dict(read.columns or {}), pseudo,
                                    {"email": L("anon.email_removed"), "other": L("anon.removed")})
    else:
        skipped = _spread_raw(skipped, headers)

    csv_path = None
    if len(skipped) > ISSUES_SHEET_LIMIT:
        say(f"writing all {len(skipped):,} skipped rows to CSV")
        csv_path = issues_csv_path(out)
        frame = issues_csv_frame(skipped, headers, False, L)
        with _atomic(csv_path) as tmp:
            _write_csv(frame, tmp)

    say("writing the workbook")
    source = ReportSource(
        name=Path(str(read.source)).name if read.source else "",
        sheet=read.sheet, columns=dict(read.columns or {}), headers=headers,
        notes=list(read.notes or []), skipped=skipped, anonymized=bool(settings.anonymize),
        other_sheets=tuple(getattr(read, "other_sheets", None) or ()),
        backup_sheets=dict(getattr(read, "backup_sheets", None) or {}),
        layout=getattr(read, "layout", None), picks=tuple(getattr(read, "picks", None) or ()),
    )
    with _atomic(out) as tmp:
        info = write_workbook(report, tmp, source, issues_csv_name=csv_path.name if csv_path else None,
                              generated=generated)

    if json_out is not None:
        say("writing JSON")
        data = report_json(report)
        with _atomic(json_out) as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
                           encoding="utf-8")
    return ReportOutcome(report=report, workbook=out, json=json_out, issues_csv=csv_path,
                         sheets=info.sheets, customers_listed=info.customers_listed,
                         issues_listed=info.issues_listed, other_sheets=tuple(source.other_sheets))


def report_json(report: KpiReport) -> dict[str, Any]:
    """The JSON the pipeline writes: KpiReport.to_json() (one place the tests check it against the schema)."""
    return report.to_json()


# ------------------------------------------------------------------ helpers


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(str(a.resolve())) == os.path.normcase(str(b.resolve()))


def _check_targets(read: Any, out: Path, json_out: Path | None) -> None:
    if out.suffix.lower() != ".xlsx":
        raise InputError("error.report_not_xlsx", file=out.name)
    src = Path(str(read.source)) if getattr(read, "source", None) else None
    targets = [out] + ([json_out] if json_out else [])
    for t in targets:
        if src is not None and src.exists() and _same_file(t, src):
            raise InputError("error.overwrite_input", file=src.name)
        if t.exists() and t.is_dir():
            raise InputError("error.output_is_folder", path=str(t))
        if not t.parent.exists():
            raise InputError("error.no_output_folder", path=str(t.parent))
    if json_out is not None and _same_file(json_out, out):
        raise InputError("error.json_same_as_workbook")


class _atomic:
    """``with _atomic(path) as tmp:`` write to *tmp*; it replaces *path* on success."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        fd, name = tempfile.mkstemp(prefix=f".~{self.path.stem[:40]}.", suffix=self.path.suffix,
                                    dir=str(self.path.parent))
        os.close(fd)
        self.tmp = Path(name)
        _usual_mode(self.tmp)
        return self.tmp

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            _unlink(self.tmp)
            return
        try:
            os.replace(self.tmp, self.path)
        except PermissionError:
            _unlink(self.tmp)
            raise RetentionXLError("error.output_locked", file=self.path.name) from None
        except OSError as e:
            _unlink(self.tmp)
            raise RetentionXLError("error.cannot_write", path=str(self.path), reason=str(e.strerror or e)) from None


def _usual_mode(p: Path) -> None:
    """mkstemp makes the file 0600; give it the mode any saved file gets (0666 less the umask),
    so a report written to a shared folder can be opened by the colleagues it is for."""
    if os.name == "nt":
        return
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(p, 0o666 & ~mask)
    except OSError:
        pass


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except OSError:
        pass


def _csv_cell(value: object) -> str:
    """Text as a CSV cell Excel will not run as a formula (OWASP CSV injection)."""
    s = "" if value is None else str(value)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(s.replace(",", "."))
            return s  # a plain number such as -12.5
        except ValueError:
            return "'" + s
    return s


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    safe = frame.copy()
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = [_csv_cell(v) for v in safe[c].tolist()]
    # utf-8 with BOM: Excel then shows Cyrillic and Chinese correctly
    safe.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def _spread_raw(skipped: pd.DataFrame, headers: Sequence[str]) -> pd.DataFrame:
    """Raw text -> {header: value} when every row lines up with the headers."""
    if "raw" not in skipped.columns or not len(skipped) or not headers:
        return skipped
    dicts = [split_raw(r, headers) for r in skipped["raw"].tolist()]
    if any(d is None for d in dicts):
        return skipped
    out = skipped.copy()
    out["raw"] = pd.Series(dicts, index=out.index, dtype=object)
    return out
