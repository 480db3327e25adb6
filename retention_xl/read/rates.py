"""The exchange-rates file of ``--rates`` (issue 18): CSV or a sheet ``currency,rate[,month]``.

``rate`` is the value of one unit of ``currency`` in the report currency (with USD as
the report currency, ``RUB,0.011``). An optional ``month`` column (2024-03, 03.2024,
a date in the month) gives monthly rates; a row without a month is the rate for every
month that has none of its own. Headers may be written in English, Russian or Chinese.
A row that cannot be used stops the report with the file, the row and what is wrong.
"""

from __future__ import annotations

import csv
import os
import re
from datetime import date, datetime
from pathlib import Path

from retention_xl.common.currency import currency_code
from retention_xl.engine.currency import Rate, RateTable, check_code
from retention_xl.errors import InputError
from retention_xl.messages import Join, Message
from retention_xl.read import cells as P
from retention_xl.read import files as reader
from retention_xl.read.headers import normalize

_HEADERS = {
    "currency": {"currency", "code", "currencycode", "валюта", "кодвалюты", "币种", "货币", "货币代码"},
    "rate": {"rate", "exchangerate", "value", "курс", "курсвалюты", "汇率", "兑换率"},
    "month": {"month", "period", "date", "месяц", "период", "дата", "月份", "月", "日期"},
}
_MONTH = re.compile(r"^\s*(\d{4})[-./](\d{1,2})\s*$|^\s*(\d{1,2})[-./](\d{4})\s*$")
RATES_SHEETS = ("rates", "exchange rates", "курсы", "курсы валют", "汇率")


def read_rates(path: str | os.PathLike, sheet: str | None = None) -> RateTable:
    """The rates of a CSV file or of a workbook's sheet (named ``sheet``, "Rates"/"Курсы"/"汇率", or the first)."""
    p = Path(path)
    if not p.exists():
        raise InputError("error.no_rates_file", path=str(p))
    p, kind = reader.check_file(p)
    if kind == "workbook":
        wb = reader.open_workbook(p)
        name = sheet or next((s for s in wb.sheets if s.strip().casefold() in RATES_SHEETS), wb.sheets[0])
        if name not in wb.sheets:
            raise InputError("error.no_sheet_named", file=p.name, sheet=str(name))
        return rates_from_rows(wb.rows(name), Message("error.where_file_sheet", file=p.name, sheet=name), f"{p.name} ({name})")
    ct = reader.load_text(p)
    text = ct.full_text() if ct.text is None else ct.text
    lines = text.splitlines()[ct.skip_lines:]
    rows = list(csv.reader(lines, delimiter=ct.delimiter or ","))
    return rates_from_rows(rows, Message("error.where_file", file=p.name), p.name)


def rates_from_rows(rows: list[list], where: str | Message, source: str) -> RateTable:
    """Rows of a rates table (header first) -> RateTable; InputError naming ``where`` and the row."""
    rows = [list(r) for r in rows]
    h = next((i for i, r in enumerate(rows) if any(P.cell_text(c).strip() for c in r)), None)
    if h is None:
        raise InputError("error.rates_empty", where=where)
    header = [normalize(P.cell_text(c)) for c in rows[h]]
    col: dict[str, int] = {}
    for role, names in _HEADERS.items():
        for i, name in enumerate(header):
            if name in names and i not in col.values():
                col[role] = i
                break
    missing = [r for r in ("currency", "rate") if r not in col]
    if missing:
        seen = tuple(Message("error.quoted", text=P.cell_text(c).strip()) for c in rows[h] if P.cell_text(c).strip())
        raise InputError("error.rates_no_columns", where=where, missing=Join(tuple(missing), "and_no"), row=h + 1,
                         headers=Join(seen, "comma") if seen else Message("error.none_seen"))
    out: list[Rate] = []
    seen_keys: dict[tuple[str, date | None], int] = {}
    for i, r in enumerate(rows[h + 1:], start=h + 2):
        cells = [P.cell_text(c).strip() if c is not None else "" for c in r]
        if not any(cells):
            continue

        def cell(role: str) -> str:
            j = col.get(role)
            return cells[j] if j is not None and j < len(cells) else ""

        raw = cell("currency")
        code = currency_code(raw)
        if code is None or code == "¥":
            code = raw
        code = check_code(code, Message("error.where_row", where=where, row=i))
        rate_text = cell("rate")
        rate = P._to_float(P._clean_amount(rate_text) or "", None) if rate_text else None
        if rate is None or not rate > 0:
            raise InputError("error.rate_not_positive", where=where, row=i, rate=rate_text, currency=code)
        month = None
        m_text = cell("month") if "month" in col else ""
        if m_text:
            month = _month(r[col["month"]], m_text)
            if month is None:
                raise InputError("error.rate_bad_month", where=where, row=i, month=m_text)
        key = (code, month)
        if key in seen_keys:
            raise InputError("error.rate_twice", where=where, row=i, currency=code, first=seen_keys[key],
                             month=Message("error.in_month", month=month.isoformat()[:7]) if month else "")
        seen_keys[key] = i
        out.append(Rate(code, float(rate), month, i))
    if not out:
        raise InputError("error.rates_no_rows", where=where)
    return RateTable(tuple(out), source)


def _month(value, text: str) -> date | None:
    if isinstance(value, (datetime, date)):
        d = value.date() if isinstance(value, datetime) else value
        return d.replace(day=1)
    m = _MONTH.match(text)
    if m:
        y, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if 1 <= int(mo) <= 12:
            return date(int(y), int(mo), 1)
        return None
    import pandas as pd

    parsed = P.parse_dates(pd.Series([value], dtype=object))
    if parsed.status[0] == P.OK:
        d = pd.Timestamp(parsed.values[0]).date()
        return d.replace(day=1)
    return None
