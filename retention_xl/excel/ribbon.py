"""The Python side of the add-in's "Build KPI report" button.

The add-in's ribbon callback (``RibbonMyAddin.RunMain`` in the xlwings template)
runs ``RunPython "import retention_xl; retention_xl.main()"`` because the add-in
file is called ``retention_xl.xlam`` (see workbook/README.md); that delegates to
:func:`main` here, which:

1. reads the orders around the selected cell of the active sheet (its current
   region, or the sheet's used range when the selection is on an empty cell);
2. reads optional settings from a sheet called "Retention settings" / "Настройки"
   / "设置" (two columns: setting, value);
3. builds the report with the same engine as the command line
   (``orders.read_values`` -> ``pipeline.build_report``);
4. saves "<book> KPI report <YYYY-MM-DD>.xlsx" beside the workbook (or in
   Documents when the workbook was never saved, lives online or in a temporary
   folder), never overwriting a file, and opens it in Excel.

Progress goes to Excel's status bar, which is restored afterwards; problems go to
a message box in plain words - the same messages the command line prints -
never a traceback. The user's workbook is only read, never written.

Everything xlwings-specific is the handful of calls listed in
:data:`XLWINGS_CALLS`; tests drive this module with a small stand-in that offers
only those, and check that each exists on the pinned xlwings' classes.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import traceback
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Protocol

from retention_xl.common.excel import serial_to_date
from retention_xl.errors import InputError, RetentionXLError
from retention_xl.messages import Message, Note
from retention_xl.settings import ColumnChoice, ReportSettings, margin_fraction

TITLE = "Retention KPI report"

# The xlwings API this module uses: (class in xlwings.main, attribute). Nothing else.
XLWINGS_CALLS: tuple[tuple[str, str], ...] = (
    ("Book", "caller"),  # classmethod: the workbook whose button was clicked
    ("Book", "name"),
    ("Book", "fullname"),
    ("Book", "sheets"),  # .active, iteration, [name]
    ("Book", "selection"),
    ("Book", "app"),
    ("Book", "api"),  # .Date1904 (Windows) / .date_1904 (Mac): serial dates in the 1904 system
    ("Sheet", "name"),
    ("Sheet", "used_range"),
    ("Range", "current_region"),
    ("Range", "options"),  # .options(ndim=2, err_to_str=True).value
    ("Range", "value"),
    ("Range", "row"),
    ("Range", "address"),
    ("Sheets", "active"),
    ("Sheets", "__iter__"),
    ("Sheets", "__getitem__"),
    ("Books", "open"),
    ("App", "status_bar"),
    ("App", "alert"),
    ("App", "books"),  # .open(path)
)


class XlRange(Protocol):
    row: int
    address: str

    @property
    def current_region(self) -> "XlRange": ...

    def options(self, **options: Any) -> "XlRange": ...

    @property
    def value(self) -> Any: ...


class XlSheet(Protocol):
    name: str

    @property
    def used_range(self) -> XlRange: ...


class XlApp(Protocol):
    status_bar: str | bool
    books: Any  # .open(fullname)

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None) -> str: ...


class XlBook(Protocol):
    name: str
    fullname: str
    sheets: Any  # .active, iteration over XlSheet, [name]
    app: XlApp

    @property
    def selection(self) -> XlRange | None: ...


# --------------------------------------------------------------------------- entry points


def main() -> None:
    """Entry point run by the add-in's ribbon button (via xlwings RunPython).

    Writes nothing to stderr on success: xlwings shows whatever lands there in a
    message box (on macOS even when Python succeeds).
    """
    import xlwings as xw  # only here: the rest of the module works on any stand-in

    try:
        book = xw.Book.caller()
    except Exception as exc:
        # No workbook to talk to, so no message box of ours: a one-line exit message is
        # what xlwings shows in its own box - still plain words, not a traceback.
        raise SystemExit(
            f"{TITLE}: Excel did not tell Python which workbook to read ({type(exc).__name__}). "
            "Save the workbook, click a cell in the orders and try again."
        ) from None
    build_kpi_report(book)


def build_kpi_report(
    book: XlBook,
    *,
    today: date | None = None,
    documents: Path | None = None,
    open_report: bool = True,
    json_out: Path | None = None,
) -> Path | None:
    """Build the report for ``book``; return the saved path, or None after showing a problem.

    Never raises: every problem ends in a message box. ``json_out`` also writes the
    headline figures as JSON (as ``retention-xl report --json`` does).
    """
    app = book.app
    status = _StatusBar(app)
    try:
        status("reading the orders…")
        sheet, values, first_row, address = read_source(book)
        settings = read_settings(book)
        spend = read_spend(book)
        status(f"checking {len(values) - 1:,} rows from {sheet.name}!{address}…")
        from retention_xl.read import orders
        from retention_xl import pipeline  # heavy imports after the first status message

        from retention_xl.excel.cell_input import workbook_date1904

        date1904 = workbook_date1904(book)
        # Name the workbook as the source, like the CLI names its file (and let the pipeline's
        # "never overwrite the input" guard see the user's workbook).
        folder = _book_folder(book)
        source = str(folder / book.name) if folder is not None else book.name
        rates_sheet = rates_sheet_name(book)
        plan = other_order_sheets(book, sheet, values, first_row, skip={rates_sheet} if rates_sheet else set())
        if settings.all_sheets and plan is not None and len(plan.read) > 1:  # issue 19: the whole workbook
            status(f"reading {len(plan.read)} sheets…")
            parts = [orders.read_values(t.rows, sheet=t.name, first_row=t.first_row, columns=ColumnChoice(),
                                        yen=settings.currency, order_prefix=f"{t.name}: ", date1904=date1904)
                     for t in plan.read]
            read = orders.combine_sheets(parts, plan, source=source)
        else:
            read = orders.read_values(values, sheet=sheet.name, first_row=first_row, columns=ColumnChoice(),
                                      yen=settings.currency, date1904=date1904)
            read = replace(read, source=source,
                           notes=[Note("range_cells", address=address, book=book.name)] + list(read.notes or [])
                           + (plan.notes(all_sheets=False) if plan is not None else []),
                           other_sheets=plan.others() if plan is not None else [],
                           backup_sheets=dict(plan.backups) if plan is not None else {})
        rates = read_rates_sheet(book, rates_sheet) if rates_sheet else None
        out = report_path(book, today=today or date.today(), documents=documents)
        status("building the report…")
        outcome = pipeline.build_report(read, settings, out, json_out=json_out, progress=status.progress, rates=rates,
                                        spend=spend)
        _say_notices(app, outcome, settings.lang)
        if open_report:
            status(f"opening {out.name}…")
            try:
                app.books.open(str(out))
            except Exception:  # the report exists; opening it is a convenience
                _alert(app, for_excel(Message("error.report_not_opened", path=str(out)), settings.lang))
        return out
    except RetentionXLError as exc:
        _alert(app, for_excel(exc.message, _settings_lang(book)))
    except Exception as exc:  # last resort: plain words, details in a log file
        _alert(app, for_excel(_unexpected_message(exc), _settings_lang(book)))
    finally:
        status.restore()
    return None


# --------------------------------------------------------------------------- reading


def read_source(book: XlBook) -> tuple[XlSheet, list[list[Any]], int, str]:
    """The orders block of the active sheet: (sheet, 2-D values, sheet row of values[0], address).

    The current region around the selection (what Ctrl+A selects); when that is a
    single row or an empty cell, the sheet's used range.
    """
    sheet = book.sheets.active
    selection = _safe(lambda: book.selection)
    candidates = [lambda: selection.current_region] if selection is not None else []
    candidates.append(lambda: sheet.used_range)
    for get in candidates:
        rng = _safe(get)
        if rng is None:
            continue
        values = rng.options(ndim=2, err_to_str=True).value or []
        values = [list(r) for r in values]
        first_row = rng.row
        # Fully blank rows at the edges are not data (a used range may include formatted blanks).
        while values and _blank(values[0]):
            values.pop(0)
            first_row += 1
        while values and _blank(values[-1]):
            values.pop()
        if len(values) >= 2:
            return sheet, values, first_row, rng.address
    raise InputError("error.sheet_no_orders", sheet=sheet.name)


def _blank(row: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _safe(get: Callable[[], Any]) -> Any:
    try:
        return get()
    except Exception:  # e.g. a chart is selected: there is no range selection
        return None


def other_order_sheets(book: XlBook, sheet: XlSheet, values: list[list[Any]], first_row: int,
                       skip: set[str] = frozenset()) -> Any:
    """The order tables of the book's other sheets beside the clicked one (orders.SheetPlan), or None (issue 19).

    The clicked table comes first; the settings and rates sheets are not order tables.
    """
    from retention_xl.read import orders

    others = []
    for s in book.sheets:
        if s.name == sheet.name or _norm_key(s.name) in SETTINGS_SHEETS or s.name in skip:
            continue
        rng = _safe(lambda: s.used_range)
        vals = _safe(lambda: rng.options(ndim=2, err_to_str=True).value) if rng is not None else None
        if vals:
            others.append((s.name, [list(r) for r in vals], rng.row))
    if not others:
        return None
    first, _ = orders.find_tables([(sheet.name, values, first_row)], ColumnChoice())
    if not first:
        return None
    tables, _ = orders.find_tables(others, ColumnChoice())
    if not tables:
        return None
    return orders.plan_sheets(first + tables)


def _say_notices(app: XlApp, outcome: Any, lang: str) -> None:
    """After the report is saved: the same one-liners as the Dashboard (other sheets, other currencies)."""
    from retention_xl.render.labels import Labels
    from retention_xl.render.notices import notice_lines

    lines = notice_lines(outcome.report, outcome.other_sheets, Labels(lang))
    if lines:
        try:
            app.alert("\n\n".join(lines), title=TITLE, mode="info")
        except Exception:  # the report exists; the Dashboard says the same
            pass


# --------------------------------------------------------------------------- settings sheet

SETTINGS_SHEETS = ("retention settings", "settings", "настройки", "настройки удержания", "设置", "留存设置")

_SETTING_KEYS: dict[str, tuple[str, ...]] = {
    "period_start": ("period start", "start", "start date", "начало периода", "начало", "дата начала", "期间开始", "开始日期", "开始"),
    "period_end": ("period end", "end", "end date", "конец периода", "конец", "дата окончания", "期间结束", "结束日期", "结束"),
    "active_days": (
        "activity window", "activity window (days)", "active days", "window", "window (days)",
        "окно активности", "окно активности (дни)", "окно активности, дней", "活跃窗口", "活跃窗口（天）", "活跃天数",
    ),
    "industry": ("industry", "отрасль", "行业"),
    "lang": ("language", "lang", "report language", "язык", "язык отчёта", "язык отчета", "语言", "报告语言"),
    "anonymize": ("anonymize", "anonymise", "анонимизировать", "анонимизация", "匿名化", "匿名"),
    "margin": ("margin", "gross margin", "маржа", "маржинальность", "毛利率", "毛利"),
    # issues 18, 19
    "currency": ("currency", "report currency", "валюта", "валюта отчёта", "валюта отчета", "货币", "报告货币", "币种"),
    "all_sheets": ("all sheets", "read all sheets", "все листы", "читать все листы", "所有工作表", "读取所有工作表"),
}
#: The settings row naming the sheet of exchange rates (currency, rate[, month]) - issue 18.
_RATES_KEYS = ("exchange rates", "rates", "rates sheet", "курсы валют", "курсы", "лист курсов", "汇率", "汇率工作表")
_KEY_TO_FIELD = {k: f for f, keys in _SETTING_KEYS.items() for k in keys}
_LANGS = {
    "en": "en", "english": "en", "английский": "en", "英语": "en", "英文": "en",
    "ru": "ru", "russian": "ru", "русский": "ru", "俄语": "ru", "俄文": "ru",
    "zh": "zh", "chinese": "zh", "китайский": "zh", "中文": "zh", "汉语": "zh",
}
_YES = {"yes", "true", "1", "y", "да", "是", "x", "✓"}
_NO = {"no", "false", "0", "n", "нет", "否", ""}


def _norm_key(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().rstrip(":：").strip().lower()


def read_spend(book: XlBook) -> Any:
    """The marketing spend from the book's "Marketing spend" sheet (read.spend), None when it has none."""
    from retention_xl.read import spend

    sheet = next((s for s in book.sheets if spend.is_spend_sheet(s.name)), None)
    if sheet is None:
        return None
    rows = sheet.used_range.options(ndim=2, err_to_str=True).value or []
    return spend.spend_from_rows([list(r) for r in rows], Message("error.where_sheet", sheet=sheet.name))


def read_settings(book: XlBook) -> ReportSettings:
    """Settings from the book's settings sheet, or the defaults when it has none."""
    sheet = next((s for s in book.sheets if _norm_key(s.name) in SETTINGS_SHEETS), None)
    if sheet is None:
        return ReportSettings()
    rows = sheet.used_range.options(ndim=2, err_to_str=True).value or []
    from retention_xl.excel.cell_input import workbook_date1904

    return parse_settings(rows, sheet_name=sheet.name, date1904=workbook_date1904(book))


def parse_settings(rows: list[list[Any]], *, sheet_name: str = "Retention settings",
                   date1904: bool = False) -> ReportSettings:
    """Two-column (setting, value) rows -> ReportSettings; unknown rows are ignored.

    A date given as a serial number counts in the workbook's date system (``date1904``).
    """
    found: dict[str, Any] = {}
    for row in rows:
        if not row or row[0] is None:
            continue
        field_name = _KEY_TO_FIELD.get(_norm_key(row[0]))
        if field_name is None:
            continue
        value = row[1] if len(row) > 1 else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # left empty: keep the default
        label = str(row[0]).strip()
        found[field_name] = _parse_setting(field_name, value, label, sheet_name, date1904)
    settings = replace(ReportSettings(), **found)
    if settings.period_start and settings.period_end and settings.period_start >= settings.period_end:
        raise InputError("error.settings_period_order", sheet=sheet_name, start=f"{settings.period_start:%Y-%m-%d}",
                         end=f"{settings.period_end:%Y-%m-%d}")
    return settings


def rates_sheet_name(book: XlBook) -> str | None:
    """The sheet the settings sheet names for exchange rates ("Exchange rates: Rates"), or None."""
    sheet = next((s for s in book.sheets if _norm_key(s.name) in SETTINGS_SHEETS), None)
    if sheet is None:
        return None
    for row in sheet.used_range.options(ndim=2, err_to_str=True).value or []:
        if row and row[0] is not None and _norm_key(row[0]) in _RATES_KEYS and len(row) > 1 and row[1]:
            name = str(row[1]).strip()
            found = next((s.name for s in book.sheets if s.name.strip().casefold() == name.casefold()), None)
            if found is None:
                raise InputError("error.settings_no_rates_sheet", where=Message(
                    "error.where_setting", sheet=sheet.name, setting=str(row[0]).strip()), name=name)
            return found
    return None


def read_rates_sheet(book: XlBook, name: str) -> Any:
    from retention_xl.read.rates import rates_from_rows

    rows = book.sheets[name].used_range.options(ndim=2, err_to_str=True).value or []
    return rates_from_rows(rows, Message("error.where_sheet", sheet=name), name)


def _parse_setting(field_name: str, value: Any, label: str, sheet_name: str, date1904: bool = False) -> Any:
    where = Message("error.where_setting", sheet=sheet_name, setting=label)
    if field_name in ("period_start", "period_end"):
        parsed = _to_date(value, date1904)
        if parsed is None:
            raise InputError("error.setting_not_date", where=where, value=repr(value))
        return parsed
    if field_name == "active_days":
        try:
            days = float(str(value).replace(",", ".").strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            days = -1
        if days != int(days) or days < 1:
            raise InputError("error.setting_not_days", where=where, value=repr(value))
        return int(days)
    if field_name == "lang":
        lang = _LANGS.get(_norm_key(value))
        if lang is None:
            raise InputError("error.setting_not_language", where=where, value=repr(value))
        return lang
    if field_name == "currency":
        from retention_xl.engine.currency import check_code
        return check_code(str(value), where)
    if field_name in ("anonymize", "all_sheets"):
        if isinstance(value, bool):
            return value
        text = _norm_key(value)
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise InputError("error.setting_not_yes_no", where=where, value=repr(value))
    if field_name == "margin":
        m = margin_fraction(value)  # a percent cell holds 0.3; a typed "30 %" or "30" means the same
        if m is None:
            raise InputError("error.setting_not_margin", where=where, value=repr(value))
        return m
    return str(value).strip()  # industry: checked by the engine against the benchmark table


def _to_date(value: Any, date1904: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:  # an Excel serial that was not formatted as a date (common.excel's conversion)
            return serial_to_date(float(value), date1904)
        except ValueError:
            return None
    text = str(value).strip().split(" ")[0].split("T")[0]  # a time of day is ignored
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- where to save


def report_path(book: XlBook, *, today: date, documents: Path | None = None) -> Path:
    """'<book> KPI report <date>.xlsx' beside the book, else in Documents; never an existing file."""
    stem = Path(book.name).stem if "." in book.name else book.name
    stem = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", stem).strip() or "Workbook"
    folder = _book_folder(book)
    if folder is None or not _writable(folder):
        folder = documents or documents_folder()
        folder.mkdir(parents=True, exist_ok=True)
    base = f"{stem} KPI report {today:%Y-%m-%d}"
    candidate = folder / f"{base}.xlsx"
    n = 2
    while candidate.exists() or (folder / f"~${candidate.name}").exists():
        candidate = folder / f"{base} ({n}).xlsx"
        n += 1
    return candidate


def _book_folder(book: XlBook) -> Path | None:
    """The folder of a saved, local workbook; None for new, online or temporary ones."""
    full = _safe(lambda: book.fullname) or ""
    if "://" in full or not (("/" in full) or ("\\" in full)):
        return None  # never saved ("Book1") or on OneDrive/SharePoint without a local copy
    folder = Path(full).parent
    temp = Path(tempfile.gettempdir()).resolve()
    text = str(folder).lower()
    if _inside(folder, temp) or "content.outlook" in text or "inetcache" in text:
        return None  # an e-mail attachment or a downloaded preview: the report would get lost
    return folder


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent)
        return True
    except (ValueError, OSError):
        return False


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK)


def documents_folder() -> Path:
    """The user's Documents folder: on Windows the one Explorer shows (OneDrive may have moved it)."""
    home = Path.home()
    if sys.platform == "win32":
        known = _windows_documents()
        if known is not None and known.is_dir():
            return known
    docs = home / "Documents"
    return docs if docs.is_dir() else home


def _windows_documents() -> Path | None:
    """Where Windows keeps Documents for this user (``%USERPROFILE%\\OneDrive\\Documents`` when
    OneDrive backs it up, a network folder under folder redirection), from the per-user shell
    folder setting; None when it cannot be read."""
    try:
        import winreg

        key = r"Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders"
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as k:
            value, _ = winreg.QueryValueEx(k, "Personal")
        return Path(winreg.ExpandEnvironmentStrings(value)) if value else None
    except Exception:  # not Windows, or no such setting
        return None


# --------------------------------------------------------------------------- Excel feedback


#: What xlwings' RunPython VBA puts in the status bar while Python runs (Application.StatusBar = "Running...").
XLWINGS_RUNNING = "Running..."


class _StatusBar:
    """Progress in Excel's status bar; restore() puts back whatever was there."""

    def __init__(self, app: XlApp) -> None:
        self.app = app
        self.saved = _safe(lambda: app.status_bar)
        self.touched = False

    def __call__(self, text: str) -> None:
        try:
            self.app.status_bar = f"{TITLE}: {text}"
            self.touched = True
        except Exception:  # a busy Excel may refuse; progress is not worth failing for
            pass

    def progress(self, *args: Any, **kwargs: Any) -> None:
        """Adapter for pipeline.build_report(progress=...): shows the first text or a fraction."""
        text = next((a for a in list(args) + list(kwargs.values()) if isinstance(a, str)), None)
        nums = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
        if text is None and len(nums) >= 2 and nums[1]:
            text = f"{100 * nums[0] / nums[1]:.0f} %"
        elif text is None and nums:
            text = f"{100 * nums[0]:.0f} %" if nums[0] <= 1 else f"step {nums[0]:g}"
        if text:
            self(text)

    def restore(self) -> None:
        if not self.touched:
            return
        # On a Mac xlwings' RunPython sets "Running..." before Python starts and only clears it
        # when the shell call returns - restoring that text would leave it there for good.
        keep = isinstance(self.saved, str) and self.saved and self.saved != XLWINGS_RUNNING
        try:
            self.app.status_bar = self.saved if keep else False
        except Exception:
            pass


def for_excel(message: Message, lang: str = "en") -> str:
    """A message as the button says it: in the settings sheet's language, with Excel's advice (hint.*.excel)."""
    from retention_xl.render.labels import Labels

    return Labels(lang).message(message, shell="excel")


def _settings_lang(book: XlBook) -> str:
    """The settings sheet's language for a message box (even when another setting is wrong), else English."""
    try:
        sheet = next((s for s in book.sheets if _norm_key(s.name) in SETTINGS_SHEETS), None)
        for row in (sheet.used_range.options(ndim=2, err_to_str=True).value or []) if sheet is not None else []:
            if row and row[0] is not None and _KEY_TO_FIELD.get(_norm_key(row[0])) == "lang" and len(row) > 1:
                return _LANGS.get(_norm_key(row[1]), "en") if row[1] is not None else "en"
    except Exception:  # the message box must still come up
        pass
    return "en"


def _alert(app: XlApp, message: str) -> None:
    try:
        app.alert(message, title=TITLE, mode="critical")
    except Exception:  # no message box possible: at least leave it in the status bar
        try:
            app.status_bar = f"{TITLE}: {message.splitlines()[0]}"
        except Exception:
            pass


def _unexpected_message(exc: BaseException) -> Message:
    log_file = Path(tempfile.gettempdir()) / "retention_xl_error.log"
    try:
        log_file.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where: Message | str = Message("error.details_in_log", path=str(log_file))
    except OSError:
        where = ""
    return Message("error.unexpected", kind=type(exc).__name__, reason=str(exc), log=where)
