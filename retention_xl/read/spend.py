"""Marketing spend as the user keeps it: month, amount and, optionally, channel.

From a CSV or workbook given with ``--spend FILE``, from a sheet of the order
workbook named "Marketing spend" / "Маркетинговые расходы" / "营销费用" (any case),
or from the Excel button's range of such a sheet. The table is small, so a row
that cannot be read stops the report with the row and column named, instead of
silently changing the CAC.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from retention_xl.engine.revenue_cohorts import Spend
from retention_xl.errors import InputError
from retention_xl.messages import Message
from retention_xl.read import cells
from retention_xl.read import files

#: Sheet names that hold marketing spend (compared case-insensitively).
SPEND_SHEET_NAMES = ("marketing spend", "маркетинговые расходы", "营销费用")

_MONTH_HEADERS = ("month", "period", "date", "месяц", "период", "дата", "月份", "月", "日期", "期间")
_AMOUNT_HEADERS = ("spend", "amount", "cost", "costs", "budget", "marketing spend", "ad spend",
                   "расходы", "сумма", "затраты", "бюджет", "расход", "费用", "金额", "花费", "支出", "营销费用")
_CHANNEL_HEADERS = ("channel", "source", "utm source", "канал", "источник", "渠道", "来源")

_YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[-./]\s*(\d{4})\s*$")


def is_spend_sheet(name: str) -> bool:
    return name.strip().casefold() in SPEND_SHEET_NAMES


def _norm(h: object) -> str:
    return " ".join(str(h or "").replace("_", " ").strip().casefold().split())


def _find(header: list[str], words: tuple[str, ...]) -> int | None:
    for w in words:
        if w in header:
            return header.index(w)
    return None


def spend_from_rows(rows: list[list], where: str | Message) -> Spend:
    """The spend table from a sheet's rows (header in one of the first ten rows)."""
    for h, raw in enumerate(rows[:10]):
        header = [_norm(c) for c in raw]
        m_col, a_col = _find(header, _MONTH_HEADERS), _find(header, _AMOUNT_HEADERS)
        if m_col is not None and a_col is not None:
            break
    else:
        raise InputError("error.spend_no_header", where=where)
    c_col = _find(header, _CHANNEL_HEADERS)
    months, amounts, channels = [], [], []
    for i, r in enumerate(rows[h + 1:], start=h + 2):
        r = list(r) + [None] * (len(header) - len(r))
        cells_ = [r[m_col], r[a_col]] + ([r[c_col]] if c_col is not None else [])
        if all(v is None or str(v).strip() == "" for v in cells_):
            continue
        month = _month(r[m_col])
        if month is None:
            raise InputError("error.spend_bad_month", where=where, row=i, header=str(raw[m_col]), value=repr(r[m_col]))
        parsed = cells.parse_numbers(pd.Series([r[a_col]], dtype=object))
        if parsed.status[0] != cells.OK or parsed.values[0] < 0:
            raise InputError("error.spend_bad_amount", where=where, row=i, header=str(raw[a_col]), value=repr(r[a_col]))
        months.append(month)
        amounts.append(float(parsed.values[0]))
        channels.append("" if c_col is None or r[c_col] is None else str(r[c_col]).strip())
    if not months:
        raise InputError("error.spend_no_rows", where=where)
    table = pd.DataFrame({"month": pd.to_datetime(months), "amount": np.asarray(amounts, dtype=float),
                          "channel": pd.Series(channels, dtype=object)})
    table = table.groupby(["month", "channel"], as_index=False, sort=True)["amount"].sum()
    return Spend(table[["month", "amount", "channel"]], where)


def _month(v: object) -> pd.Timestamp | None:
    """The month (its first day) of a cell: a date, "2024-01", "01.2024", "2024年1月", or any date text."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, str):
        for pat, (yi, mi) in ((_YEAR_MONTH, (1, 2)), (_MONTH_YEAR, (2, 1))):
            m = pat.match(v)
            if m and 1 <= int(m.group(mi)) <= 12:
                return pd.Timestamp(int(m.group(yi)), int(m.group(mi)), 1)
    parsed = cells.parse_dates(pd.Series([v], dtype=object))
    if parsed.status[0] != cells.OK:
        return None
    d = pd.Timestamp(parsed.values[0])
    return pd.Timestamp(d.year, d.month, 1)


def read_spend_file(path: str | os.PathLike) -> Spend:
    """``--spend FILE``: a CSV, or a workbook's spend sheet (else its first sheet)."""
    p, kind = files.check_file(path)
    if kind == "workbook":
        wb = files.open_workbook(p)
        name = next((s for s in wb.sheets if is_spend_sheet(s)), wb.sheets[0])
        return spend_from_rows(wb.rows(name), Message("error.where_file_sheet", file=p.name, sheet=name))
    ct = files.load_text(p)
    rows = list(csv.reader(io.StringIO(ct.full_text()), delimiter=ct.delimiter))[ct.skip_lines:]
    return spend_from_rows(rows, Message("error.where_file", file=p.name))


def spend_sheet_of(path: str | os.PathLike) -> Spend | None:
    """The spend sheet of the order workbook itself, None when it has none (or is a text file)."""
    p, kind = files.check_file(path)
    if kind != "workbook":
        return None
    wb = files.open_workbook(p)
    name = next((s for s in wb.sheets if is_spend_sheet(s)), None)
    return None if name is None else spend_from_rows(wb.rows(name), Message("error.where_file_sheet", file=Path(p).name, sheet=name))


def flat_cac(amount: float) -> Spend:
    """``--cac AMOUNT``: one acquisition cost for every new customer."""
    if not np.isfinite(amount) or amount <= 0:
        raise InputError("error.cac_not_positive", amount=f"{amount:g}")
    return Spend(pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"), "amount": pd.Series(dtype=float),
                               "channel": pd.Series(dtype=object)}), "--cac", flat_cac=float(amount))
