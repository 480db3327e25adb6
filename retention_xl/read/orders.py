"""Raw table -> ReadResult: the orders frame plus every skipped row with its reason.

Public API (used by the CLI, the Excel button and the KPI engine):

    read_orders(path, *, sheet=None, columns=ColumnChoice()) -> ReadResult
    read_values(values, *, sheet="Sheet1", first_row=1, columns=ColumnChoice()) -> ReadResult

Contract (ARCHITECTURE.md): ``rows_read == len(orders) + len(skipped)``; fully
blank rows are not data and are not counted.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from retention_xl.common.excel import ExcelError, excel_value
from retention_xl.read import headers as colmod
from retention_xl.read import cells as P
from retention_xl.read import files as reader
from retention_xl.read import statuses as _statuses
from retention_xl.read.headers import ColumnMap, map_columns
from retention_xl.common.currency import YEN_SIGN, currency_code, resolve_yen
from retention_xl.errors import InputError
from retention_xl.messages import Join, Message, Note, describe_skip
from retention_xl.settings import ColumnChoice

#: The orders frame's columns. ``returned``: flagged returned / refunded / cancelled;
#: ``unpaid`` (issue 10): the row's status says the money never came (failed, declined,
#: awaiting payment, voided, draft …, read.statuses). A negative amount is a refund whatever
#: its flags. An optional float column ``refunded`` holds the refunded part of a paid row
#: (a "Refunded Amount" column), counted as a refund while the row stays a sale.
ORDER_COLUMNS = ("row", "customer_id", "date", "amount", "order_id", "returned", "unpaid")
OPTIONAL_TEXT = ("channel", "product", "customer_name", "email", "phone")
#: Always in the orders frame (issue 18): ISO code of the row's currency, "" where the data names none.
CURRENCY_COLUMN = "currency"
_TYPED_ROLES = {"date", "amount", "quantity", "price", "score"}
_ID_ROLES = {"customer_id", "order_id", "email", "phone"}
_RAW_SEP = " | "
_MAX_SHOWN = 60  # characters of a cell quoted in a reason


@dataclass
class ReadResult:
    """What was read: used rows (``orders``), skipped rows and how the input was understood."""

    orders: pd.DataFrame
    skipped: pd.DataFrame  # columns row (int), reason (str), raw (str), parts (tuple of (code, value))
    rows_read: int
    source: str
    sheet: str | None
    columns: dict[str, str]  # role -> header as seen in the input
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    #: rows skipped only for lacking a customer id, with a readable date and amount
    #: (columns row, date, amount): the reconciliation reports them (issue 10)
    no_customer: pd.DataFrame | None = None
    #: issue 19: order sheets of the workbook that were not read (same or other columns; backups left out)
    other_sheets: list[str] = field(default_factory=list)
    #: issue 19: sheet -> the sheet whose rows it repeats (a backup copy, read once)
    backup_sheets: dict[str, str] = field(default_factory=dict)
    #: issue 19: the sheets read (more than one with --all-sheets); orders/skipped then have a "sheet" column
    sheets: list[str] = field(default_factory=list)
    #: issue 17: the known platform whose export layout was recognised (read/layouts.PLATFORMS), and which of
    #: its exports (layouts.Layout.kind); None for any other table
    platform: str | None = None
    layout: str | None = None
    #: the layout's meaning columns, "status" / "doc_type" / "refunded" -> their headers (numbers reads them)
    layout_columns: dict[str, list[str]] = field(default_factory=dict)
    #: how each needed role's column was chosen: winner, runner-up, doubt (headers.ColumnPick)
    picks: list = field(default_factory=list)

    @property
    def rows_used(self) -> int:
        return len(self.orders)

    @property
    def rows_skipped(self) -> int:
        return len(self.skipped)


# ---------------------------------------------------------------- public API


def read_orders(
    path: str | os.PathLike, *, sheet: str | None = None, columns: ColumnChoice = ColumnChoice(),
    platform: str | None = None, yen: str | None = None, all_sheets: bool = False,
) -> ReadResult:
    """Read an order export (.xlsx/.xlsm/.xls/.xlsb/.ods or .csv/.txt/.tsv).

    ``platform``: the id of the platform the export comes from (read.statuses.PLATFORMS);
    its own status words are then looked up first.
    ``yen``: what a bare ¥ means ("JPY" or "CNY"; default CNY unless the data names JPY).
    ``all_sheets``: read every sheet whose header has the same roles as the first (issue 19).
    """
    p, kind = reader.check_file(path)
    if kind == "workbook":
        return _read_workbook(p, sheet, columns, yen, all_sheets, platform=platform)
    return _read_text(p, sheet, columns, yen, platform=platform)


def read_values(
    values, *, sheet: str = "Sheet1", first_row: int = 1, columns: ColumnChoice = ColumnChoice(),
    date1904: bool = False,
    platform: str | None = None,
    yen: str | None = None, order_prefix: str = "",
) -> ReadResult:
    """Read the 2-D list an Excel range gives (xlwings ``range.value``).

    ``first_row`` is the sheet row number of ``values[0]``, so skipped rows are
    reported with the row numbers the user sees. Every cell goes through
    common.excel.excel_value (Decimal currency cells, COM error ints, ...);
    serial numbers in the date column count in the workbook's date system
    (``date1904``).
    """
    rows = _as_rows(values)
    where = f'sheet "{sheet}"'
    if not rows:
        raise InputError("error.range_empty", where=where)
    h, cmap = _find_header(rows, columns, where, first_row)
    width = max(len(r) for r in rows)
    data = [list(r) + [None] * (width - len(r)) for r in rows[h + 1:]]
    frame = pd.DataFrame(data, columns=list(range(width)), dtype=object) if data else pd.DataFrame(
        columns=list(range(width)), dtype=object
    )
    notes = [Note("range_header", row=first_row + h, sheet=sheet)]
    return _build(frame, first_row + h + 1, cmap, source=f"{sheet} (Excel range)", sheet=sheet, notes=notes, yen=yen,
                  order_prefix=order_prefix, date1904=date1904, platform=platform)


# ---------------------------------------------------------------- sources


# Cell types excel_value leaves as they are (the reader's parsers take them directly).
_PLAIN_CELLS = frozenset({float, str, type(None), bool, _dt.datetime})


def _cell_value(v):
    """common.excel.excel_value, with an error cell as its text (the parsers know the error texts)."""
    x = excel_value(v)
    return x.text if isinstance(x, ExcelError) else x


def _as_rows(values) -> list[list]:
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        return [[values]]
    if values and not any(isinstance(v, (list, tuple)) for v in values):
        values = [values]  # a single row arrives as a flat list
    rows = []
    for r in values:
        r = list(r) if isinstance(r, (list, tuple)) else [r]
        rows.append([v if type(v) in _PLAIN_CELLS else _cell_value(v) for v in r])
    return rows


def _read_workbook(p: Path, sheet: str | None, choice: ColumnChoice, yen: str | None = None,
                   all_sheets: bool = False, platform: str | None = None) -> ReadResult:
    wb = reader.open_workbook(p)
    if sheet is not None:
        name = next((s for s in wb.sheets if s == sheet), None) or next(
            (s for s in wb.sheets if s.strip().casefold() == str(sheet).strip().casefold()), None
        )
        if name is None:
            raise InputError("error.no_such_sheet", file=p.name, sheet=str(sheet),
                             sheets=Join(tuple(Message("error.quoted", text=s) for s in wb.sheets), "comma"))
        rows = wb.rows(name)
        where = f'"{p.name}", sheet "{name}"'
        if not rows:
            raise InputError("error.where_empty", where=where)
        h, cmap = _find_header(rows, choice, where, 1)
        notes: list[str] = [Note("sheet_header", sheet=name, row=h + 1)]
        return _read_sheet(p, wb, SheetTable(name, rows, h, cmap), notes, yen, platform=platform)
    order = wb.visible + [s for s in wb.sheets if s not in wb.visible]
    tables, problems = find_tables([(name, wb.rows(name), 1) for name in order], choice, f'"{p.name}", ')
    if not tables:
        if len(order) == 1:
            raise InputError(problems[0] if problems else Message("error.no_rows", where=Message("error.where_file", file=p.name)))
        raise InputError("error.no_order_sheet", file=p.name,
                         problems=Join(tuple(Message("error.bracketed", text=x) for x in problems), "spaced"))
    plan = plan_sheets(tables)
    first = tables[0]
    if not all_sheets or len(plan.read) == 1:
        notes = [Note("sheet_only" if len(wb.sheets) == 1 else "sheet_first", sheet=first.name, row=first.h + 1)]
        notes += plan.notes(all_sheets=False)
        res = _read_sheet(p, wb, first, notes, yen, platform=platform)
        return replace(res, other_sheets=plan.others(), backup_sheets=dict(plan.backups))
    parts = [_read_sheet(p, wb, t, [Note("sheet_header", sheet=t.name, row=t.h + 1)], yen, order_prefix=f"{t.name}: ",
                         platform=platform)
             for t in plan.read]
    return combine_sheets(parts, plan, source=str(p))


def _read_sheet(p: Path, wb, table: "SheetTable", notes: list[str], yen: str | None,
                order_prefix: str = "", platform: str | None = None) -> ReadResult:
    name, rows, h, cmap = table.name, table.rows, table.h, table.cmap
    width = max((len(r) for r in rows), default=0)
    filled = _fill_merged(rows, wb.merged.get(name, ()), h, cmap)
    if filled:
        notes.append(Note("merged_cells", n=f"{filled:,}"))
    uncached = {(r - h - 1, c) for r, c in wb.uncached.get(name, ()) if r > h}
    if uncached:
        r, c = min(uncached)
        notes.append(Note("uncached_formulas", cell=f"{colmod._col_letter(c)}{r + h + 2}", n=f"{len(uncached):,}"))
    data = rows[h + 1:]
    frame = pd.DataFrame(data, columns=list(range(width)), dtype=object) if data else pd.DataFrame(
        columns=list(range(width)), dtype=object
    )
    return _build(frame, h + 2, cmap, source=str(p), sheet=name, notes=notes, uncached=uncached, yen=yen,
                  order_prefix=order_prefix, date1904=reader.workbook_date1904(p), platform=platform)


# ---------------------------------------------------------------- several sheets (issue 19)


@dataclass
class SheetTable:
    """An order table found on one sheet: its rows, the header's index in them, its column map."""

    name: str
    rows: list
    h: int
    cmap: ColumnMap
    first_row: int = 1  # sheet row number of rows[0]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.cmap.roles)

    def fingerprints(self) -> set[tuple]:
        """The data rows as tuples of the role columns' texts (in role order), blank rows left out."""
        cols = [self.cmap.roles[r] for r in sorted(self.cmap.roles)]
        out = set()
        for r in self.rows[self.h + 1:]:
            t = tuple(P.cell_text(r[c]).strip() if c < len(r) else "" for c in cols)
            if any(t):
                out.add(t)
        return out


@dataclass
class SheetPlan:
    """Which order tables of a workbook are read: the first, its same-role siblings, backups, others."""

    read: list  # SheetTable: the first table, and with --all-sheets the others with the same roles
    same: list[str]  # sheets with the same roles as the first one (not backups), the first excluded
    backups: list[tuple[str, str]]  # (sheet, the sheet whose rows it repeats)
    different: list[str]  # order tables whose columns map to other roles

    def others(self) -> list[str]:
        """Order sheets not read without --all-sheets (backups left out)."""
        return list(self.same) + list(self.different)

    def notes(self, all_sheets: bool) -> list[Note]:
        out: list[Note] = []
        if self.same and not all_sheets:
            out.append(Note("other_sheets", sheets=_names(self.same)))
        if self.different:
            out.append(Note("different_sheets", sheets=_names(self.different)))
        for b, orig in self.backups:
            out.append(Note("backup_sheet", sheet=b, original=orig))
        return out


def _names(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def find_tables(sheets, choice: ColumnChoice, where_prefix: str = "") -> tuple[list[SheetTable], list[str]]:
    """[(name, rows, sheet row of rows[0])] -> the sheets that hold an order header, and why the others do not."""
    tables: list[SheetTable] = []
    problems: list[str] = []
    for name, rows, first_row in sheets:
        if not rows or not any(any(_nonblank(c) for c in r) for r in rows[: reader.HEAD_ROWS]):
            problems.append(f'sheet "{name}" is empty')
            continue
        try:
            h, cmap = _find_header(rows, choice, f'{where_prefix}sheet "{name}"', first_row)
        except InputError as e:
            problems.append(str(e))
            continue
        tables.append(SheetTable(name, rows, h, cmap, first_row))
    return tables, problems


def plan_sheets(tables: list[SheetTable]) -> SheetPlan:
    """Sort order tables: the first; those with the same roles; backups (all rows repeat earlier sheets)."""
    first = tables[0]
    read = [first]
    same: list[str] = []
    backups: list[tuple[str, str]] = []
    different: list[str] = []
    if len(tables) == 1:
        return SheetPlan(read, same, backups, different)
    seen: list[tuple[str, frozenset, set]] = [(first.name, first.roles, first.fingerprints())]
    for t in tables[1:]:
        fp = t.fingerprints()
        # a copy: every data row is on an earlier sheet (compared by role, so column order does not matter)
        orig = next((n for n, roles, f in seen if roles == t.roles and fp and fp <= f), None)
        if orig is None and fp and t.roles == first.roles:
            union = set().union(*(f for n, roles, f in seen if roles == t.roles))
            if fp <= union:
                orig = next(n for n, roles, f in seen if roles == t.roles and fp & f)
        if orig is not None:
            backups.append((t.name, orig))
            continue
        seen.append((t.name, t.roles, fp))
        if t.roles == first.roles:
            same.append(t.name)
            read.append(t)
        else:
            different.append(t.name)
    return SheetPlan(read, same, backups, different)


def _raw_dict(raw: str, headers: list[str]):
    """A skipped row's raw text as {header: value} of its own sheet's headers (the text when it does not line up)."""
    vals = str(raw).split(_RAW_SEP)
    if len(vals) > len(headers):
        return raw
    return {h: v for h, v in zip(headers, vals) if h}


def combine_sheets(parts: list[ReadResult], plan: SheetPlan, *, source: str) -> ReadResult:
    """One ReadResult from several sheets' results; orders and skipped rows keep a ``sheet`` column."""
    orders = pd.concat([r.orders.assign(sheet=pd.Series([r.sheet] * len(r.orders), dtype="str"))
                        for r in parts], ignore_index=True)
    headers = list(dict.fromkeys(h for r in parts for h in r.headers))
    same_headers = all(list(r.headers) == list(parts[0].headers) for r in parts)
    skipped_parts = []
    for r in parts:
        sk = r.skipped.assign(sheet=pd.Series([r.sheet] * len(r.skipped), dtype="str"))
        if not same_headers and len(sk):  # each sheet's raw values under its own headers
            split = [_raw_dict(x, r.headers) for x in sk["raw"].tolist()]
            sk["raw"] = pd.Series(split, dtype=object)
        skipped_parts.append(sk)
    skipped = pd.concat(skipped_parts, ignore_index=True)
    names = [r.sheet for r in parts]
    notes: list[str] = [Note("sheets_read", sheets=_names(names), n=len(names))]
    notes += plan.notes(all_sheets=True)
    for r in parts:
        notes += [x for x in r.notes]
    res = ReadResult(
        orders=orders, skipped=skipped, rows_read=sum(r.rows_read for r in parts), source=source,
        sheet=", ".join(names), columns=dict(parts[0].columns), headers=headers, notes=notes,
        other_sheets=list(plan.different), backup_sheets=dict(plan.backups), sheets=names,
    )
    assert res.rows_read == len(res.orders) + len(res.skipped)
    return res


def _fill_merged(rows: list[list], merged, h: int, cmap: ColumnMap) -> int:
    """Give every cell of a merged area below the header the value Excel shows in it.

    A 1C-style report merges an order's number, date and customer over its lines;
    the file holds the value only in the first line.  Amount, quantity, price and
    score cells are left as they are: a merged amount is one amount (the order's
    total), counted once, not once per line.  Returns the number of cells filled.
    """
    keep = {cmap.roles[r] for r in ("amount", "quantity", "price", "score") if r in cmap.roles}
    n = 0
    for (r0, c0), (r1, c1) in merged:
        if r0 <= h or r0 >= len(rows):
            continue  # the header and titles above it stay as they are
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if not _nonblank(value):
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0) and c not in keep and not _nonblank(row[c]):
                    row[c] = value
                    n += 1
    return n


def _read_text(p: Path, sheet: str | None, choice: ColumnChoice, yen: str | None = None,
               platform: str | None = None) -> ReadResult:
    ct = reader.load_text(p)
    head, _ = reader.text_head_rows(ct, reader.HEAD_ROWS + colmod.SAMPLE_ROWS)
    where = f'"{p.name}"'
    if not any(any(c.strip() for c in r) for r in head):
        raise InputError("error.where_no_rows", where=where)
    h, cmap = _find_header(head, choice, where, 1 + ct.skip_lines)
    # ids are read as written ("000123", "13607.0", a 19-digit order number stay text, as
    # the source system knows them), and so is any other column whose sample shows
    # digits a number would change; dates, amounts and the rest are typed by pandas'
    # C reader (text stays text) and normalised afterwards
    ncols = max([len(head[h])] + [len(r) for r in head[h + 1:]])
    text_cols = {i for role, i in cmap.roles.items() if role in _ID_ROLES}
    if cmap.customer_fallback is not None:
        text_cols.add(cmap.customer_fallback)
    typed = {i for role, i in cmap.roles.items() if role in _TYPED_ROLES}
    text_cols |= {i for i in range(ncols) if i not in typed and any(i < len(r) and _keeps_text(r[i]) for r in head[h + 1:])}
    # records, not lines: a quoted field may span lines, and Excel shows such a record as one row
    frame = reader.text_frame(ct, h + 1, ncols, text_cols)
    notes = list(ct.notes)  # after reading: the encoding may have been corrected
    if sheet is not None:
        notes.append(Note("text_no_sheets", file=p.name, sheet=sheet))
    header_row = ct.skip_lines + h + 1
    notes.append(Note("header_line", line=header_row))
    notes += _longer_rows_note(frame, len(head[h]), header_row + 1)
    return _build(frame, header_row + 1, cmap, source=str(p), sheet=None, notes=notes, yen=yen, platform=platform)


def _longer_rows_note(frame: pd.DataFrame, width: int, first_row: int) -> list[Note]:
    """A note naming the rows with text beyond the header's last column (they are read as usual).

    In a text file such a row has often been cut by a delimiter inside an unquoted
    value ("$1,234.50" in a comma-separated file), and the cells after it have moved
    one column to the right: the user should look at it.
    """
    if frame.shape[1] <= width:
        return []
    longer = np.zeros(len(frame), dtype=bool)
    for c in frame.columns[width:]:
        longer |= np.array([bool(t.strip()) for t in P.series_text(frame[c])], dtype=bool)
    if not longer.any():
        return []
    pos = np.flatnonzero(longer)
    return [Note("longer_rows", width=width, row=f"{first_row + int(pos[0]):,}", n=f"{len(pos):,}")]


def _keeps_text(cell: str) -> bool:
    """A number pandas would change: leading zeros ("000123") or more digits than a float keeps."""
    t = cell.strip().lstrip("+-")
    return (len(t) > 1 and t[0] == "0" and t[1].isdigit()) or (t.isdigit() and len(t) > 15)


# ---------------------------------------------------------------- header


def _nonblank(c) -> bool:
    return not (c is None or (isinstance(c, str) and not c.strip()) or (isinstance(c, float) and c != c))


def _find_header(rows: list[list], choice: ColumnChoice, where: str, first_row: int) -> tuple[int, ColumnMap]:
    """Index (in rows) of the header row and its column map; InputError when unusable.

    The header is looked for in the first HEAD_ROWS rows; the rows under it (up to
    headers.SAMPLE_ROWS) are the sample whose values judge the candidate columns.
    """
    head = rows[: reader.HEAD_ROWS]
    explicit = {colmod.normalize(getattr(choice, f)) for f in colmod.CHOICE_ROLES if getattr(choice, f)}
    scored = []
    for i, r in enumerate(head):
        s = colmod.header_row_score(r)
        if explicit:
            s += 3 * sum(1 for c in r if isinstance(c, str) and colmod.normalize(c) in explicit)
        if s > 0:
            scored.append((s, -i))
    scored.sort(reverse=True)
    first_error = None
    for s, neg_i in scored[:6]:
        i = -neg_i
        hdrs = [_header_text(c) for c in head[i]]
        try:
            return i, map_columns(hdrs, choice, where=f"{where}, header on row {first_row + i}",
                                  sample=rows[i + 1: i + 1 + colmod.SAMPLE_ROWS])
        except InputError as e:
            first_error = first_error or e
        # a header of two rows: group titles (merged over their columns, as 1C writes them) above
        # the real names, or names above a row of sub-names (issue 10)
        for top in (i, i - 1):
            found = _two_row_header(head, top, choice, where, first_row)
            if found is not None:
                return found
    if first_error is not None:
        raise first_error
    # nothing looks like a header: show the first non-blank row as what was seen
    i = next((k for k, r in enumerate(head) if any(_nonblank(c) for c in r)), 0)
    hdrs = [_header_text(c) for c in head[i]] if head else []
    return i, map_columns(hdrs, choice, where=f"{where}, first non-blank row {first_row + i}",
                          sample=rows[i + 1: i + 1 + colmod.SAMPLE_ROWS])


def _two_row_header(head: list[list], top: int, choice: ColumnChoice, where: str,
                    first_row: int) -> tuple[int, ColumnMap] | None:
    """(index of the lower header row, column map) when rows top and top + 1 together make the header.

    Each column takes its name from the lower row, or from the upper row where the lower is blank.
    A ``--*-col`` name may come from either row: a name seen only in the upper row stands for its
    column. Returns None when the two rows do not make a usable header.
    """
    if top < 0 or top + 1 >= len(head):
        return None
    upper, lower = head[top], head[top + 1]
    if not any(_nonblank(c) for c in upper) or not any(_nonblank(c) for c in lower):
        return None
    if any(c is not None and not isinstance(c, str) and _nonblank(c) for c in lower):
        return None  # numbers or dates: the lower row is data
    width = max(len(upper), len(lower))
    names = []
    for k in range(width):
        lo = _header_text(lower[k]) if k < len(lower) and _nonblank(lower[k]) else ""
        up = _header_text(upper[k]) if k < len(upper) and _nonblank(upper[k]) else ""
        names.append(lo or up)
    if colmod.header_row_score(names) <= max(colmod.header_row_score(list(upper)), colmod.header_row_score(list(lower))):
        return None
    # explicit names from the upper row stand for their column's combined name
    fields = {}
    for f in colmod.CHOICE_ROLES:
        given = getattr(choice, f)
        if not given or any(n.strip().casefold() == str(given).strip().casefold() for n in names):
            continue
        for k in range(min(width, len(upper))):
            if _nonblank(upper[k]) and _header_text(upper[k]).casefold() == str(given).strip().casefold():
                fields[f] = names[k]
                break
    if fields:
        from dataclasses import replace as _replace
        choice = _replace(choice, **fields)
    try:
        cmap = map_columns(names, choice, where=f"{where}, header on rows {first_row + top}-{first_row + top + 1}")
    except InputError:
        return None
    cmap.notes.append(Note("multi_row_header", n=2, first=first_row + top, last=first_row + top + 1))
    return top + 1, cmap


def _header_text(c) -> str:
    return P.cell_text(c).strip()


# ---------------------------------------------------------------- core


def _quote(text: str) -> str:
    t = text.strip()
    if len(t) > _MAX_SHOWN:
        t = t[: _MAX_SHOWN - 1] + "…"
    return f"'{t}'"


def _blank_cells(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """For the given row positions: True where every cell is blank."""
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    sub = frame.iloc[rows]
    blank = np.ones(len(rows), dtype=bool)
    for c in sub.columns:
        txt = P.series_text(sub[c])
        blank &= np.array([not t.strip() for t in txt], dtype=bool)
    return blank


def _build(
    frame: pd.DataFrame, first_data_row: int, cmap: ColumnMap, *, source: str, sheet: str | None,
    notes: list[str], uncached: set[tuple[int, int]] = frozenset(), date1904: bool = False,
    platform: str | None = None, yen: str | None = None, order_prefix: str = "",
) -> ReadResult:
    """`uncached`: (frame row, column) of formula cells without a stored result (they read as empty)."""
    notes = list(notes) + list(cmap.notes)
    roles = cmap.roles
    headers = cmap.headers
    n = len(frame)
    rows = np.arange(first_data_row, first_data_row + n, dtype=np.int64)
    # make sure every header column exists in the frame
    for i in range(len(headers)):
        if i not in frame.columns:
            frame[i] = None
    layout = cmap.layout
    status_extra: list[int] = []
    if layout is not None:
        # the platform's own meaning (issues 10, 17): its status words, its refund documents and
        # refunded amounts, from the columns the layout names where the synonyms did not find them
        platform = platform or layout.platform
        roles = dict(roles)
        lc = cmap.layout_columns
        for role, key in (("doc_type", "doc_type"), ("refunded_amount", "refunded")):
            if role not in roles and lc.get(key):
                roles[role] = lc[key][0]
        status_cols = [i for i in lc.get("status", []) if i != roles.get("returned")]
        if "returned" not in roles and status_cols:
            roles["returned"] = status_cols.pop(0)
        status_extra = [i for i in status_cols if i not in cmap.returned_extra]
        notes.insert(0, Note("layout", kind=layout.kind))
        if layout.field_prefix and n:
            pre = layout.field_prefix
            used_cols = set(roles.values()) | {i for v in cmap.layout_columns.values() for i in v}
            if cmap.customer_fallback is not None:
                used_cols.add(cmap.customer_fallback)
            for c in sorted(used_cols):  # the columns read; raw cells on Data issues stay as written
                col_ = frame[c]
                if col_.dtype == object or isinstance(col_.dtype, pd.StringDtype):
                    frame[c] = pd.Series([v[len(pre):] if isinstance(v, str) and v.startswith(pre) else v
                                          for v in col_], index=frame.index, dtype=object)
            notes.append(Note("field_prefix", prefix=pre))

    def col(role: str) -> pd.Series:
        return frame[roles[role]]

    id_cache: dict[int, P.IdParse] = {}

    def ids(i: int) -> P.IdParse:
        if i not in id_cache:
            id_cache[i] = P.parse_ids(frame[i])
        return id_cache[i]

    # --- customer id (with the e-mail where the id is blank)
    cp = ids(roles["customer_id"])
    # customers are kept as codes into cust_u: no per-row strings until the output
    cust_u, cust_c, cust_st = cp.uniques, cp.codes.copy(), cp.status.copy()
    if colmod.normalize(cmap.header("customer_id")) == "customeruser" and cmap.customer_fallback is not None:
        zero = np.flatnonzero(np.array([u == "0" for u in cust_u], dtype=bool))
        if len(zero):
            guest = cust_c == zero[0]
            cust_c[guest] = -1
            cust_st[guest] = P.BLANK
    if cmap.customer_fallback is not None:
        need = cust_st == P.BLANK
        if need.any():
            ep = ids(cmap.customer_fallback)
            use = need & (ep.status == P.OK)
            if use.any():
                cust_c[use] = len(cust_u) + ep.codes[use]
                cust_u = np.concatenate([cust_u, ep.uniques])
                cust_st[use] = P.OK
                notes.append(Note("email_fallback", header=headers[cmap.customer_fallback], n=f"{int(use.sum()):,}"))
    # --- date
    dp = P.parse_dates(col("date"), date1904)
    dates, date_st = dp.values, dp.status
    notes += [x.about(cmap.header("date")) for x in dp.notes]
    # --- amount (or quantity x price)
    qty_st = price_st = None
    if "amount" in roles:
        ap = P.parse_numbers(col("amount"), yen)
        amount, amount_st = ap.values, ap.status
        notes += [x.about(cmap.header("amount")) for x in ap.notes]
        signs = ap.currency
    else:
        qp, pp = P.parse_numbers(col("quantity"), yen), P.parse_numbers(col("price"), yen)
        signs = pp.currency if pp.currency is not None else qp.currency
        amount = qp.values * pp.values
        qty_st, price_st = qp.status, pp.status
        amount_st = np.maximum(qty_st, price_st)
        notes += [x.about(cmap.header("quantity")) for x in qp.notes]
        notes += [x.about(cmap.header("price")) for x in pp.notes if x not in qp.notes]
    currency = _row_currencies(frame, cmap, signs, n, yen, notes)
    # a quadrillion or more is a card number or a typo, not an order, and sums of such
    # amounts overflow to infinity
    too_large = (amount_st == P.OK) & ~(np.abs(amount) < P.MAX_AMOUNT)
    amount_st[too_large] = P.BAD
    for role in ("customer_id", "order_id"):
        if role in roles:
            notes += _cut_id_notes(frame[roles[role]], cmap.header(role))
    # --- order id
    if "order_id" in roles:
        op = ids(roles["order_id"])
        oid_st = op.status
    else:
        oid_st = np.full(n, P.BLANK, dtype=np.int8)
    # --- returned
    returned = np.zeros(n, dtype=bool)
    unpaid = np.zeros(n, dtype=bool)
    if "returned" in roles:
        for ci in [roles["returned"]] + list(cmap.returned_extra) + status_extra:
            fp = P.parse_flags(frame[ci], platform)
            returned |= fp.values
            unpaid |= fp.unpaid
            for kind, code in (("returned", "flags_returned"), ("unpaid", "flags_unpaid"), ("sale", "flags_sale")):
                said = sorted((t for t, (k, _) in fp.kinds.items() if k == kind), key=lambda t: -fp.kinds[t][1])
                if said and (kind != "sale" or fp.values.any() or fp.unpaid.any()):
                    desc = ", ".join(f"{_quote(t)} ({fp.kinds[t][1]:,})" for t in said[:8])
                    notes.append(Note(code, headers[ci], values=desc))
            if fp.unknown:
                unk = ", ".join(f"{_quote(t)} ({c})" for t, c in list(fp.unknown.items())[:6])
                notes.append(Note("flags_unknown", headers[ci], values=unk))
    if "order_id" in roles and len(op.uniques) and not pd.api.types.is_numeric_dtype(col("order_id").dtype):
        # UCI Online Retail: invoice "C536379" cancels; look only when some id starts with C
        ul = op.uniques.tolist()
        joined = "\x00" + "\x00".join(ul)  # IdParse.uniques holds no None
        if "\x00C" in joined or "\x00c" in joined:
            c_u = np.array([u is not None and u[:1] in ("C", "c") and u[1:].isdigit() for u in ul], dtype=bool)
        else:
            c_u = np.zeros(len(ul), dtype=bool)
        cancel = (op.codes >= 0) & c_u[np.maximum(op.codes, 0)] if c_u.any() else np.zeros(n, dtype=bool)
        if cancel.any():
            counts = np.bincount(op.codes[op.codes >= 0], minlength=len(op.uniques))
            d_u = np.array([u is not None and u.isdigit() for u in op.uniques], dtype=bool)
            if counts[d_u].sum() < 0.5 * counts.sum():
                cancel[:] = False
        if cancel.any():
            returned |= cancel
            notes.append(Note("c_cancellations", header=cmap.header("order_id"), n=f"{int(cancel.sum()):,}"))
    # --- refund documents with positive sums (issue 10): the document type says return
    if "doc_type" in roles:
        ci = roles["doc_type"]
        codes_d, uniq_d = P.factorize(frame[ci])
        ret_u = np.array([_statuses.is_return_document(P.cell_text(u)) for u in uniq_d], dtype=bool)
        doc_return = (codes_d >= 0) & ret_u[np.maximum(codes_d, 0)] if len(uniq_d) else np.zeros(n, dtype=bool)
        flip = doc_return & (amount_st == P.OK) & (amount > 0)
        if flip.any():
            amount[flip] = -amount[flip]
            notes.append(Note("refund_documents", header=headers[ci], n=f"{int(flip.sum()):,}"))
        # a return document is a refund, not a flagged-returned sale
        returned &= ~doc_return
    refunded = None
    if "refunded_amount" in roles:
        rp = P.parse_numbers(frame[roles["refunded_amount"]])
        refunded = np.where((rp.status == P.OK) & np.isfinite(rp.values), np.abs(rp.values), 0.0)
        n_ref = int(np.count_nonzero(refunded > 0))
        if n_ref:
            notes.append(Note("refunded_amounts", header=cmap.header("refunded_amount"), n=f"{n_ref:,}"))
        else:
            refunded = None
    # --- fully blank rows are not data
    candidates = np.flatnonzero((cust_st == P.BLANK) & (date_st == P.BLANK) & (amount_st == P.BLANK) & (oid_st == P.BLANK))
    keep = np.ones(n, dtype=bool)
    if len(candidates):
        keep[candidates[_blank_cells(frame, candidates)]] = False
    if layout is not None and (layout.comment_prefix or layout.summary_first) and n:
        # the export's own comment lines (Alipay "#") and closing summary (WeChat Pay 总交易单数) are not data
        first = np.array([t.strip() for t in P.series_text(frame[0])], dtype=object)
        extra = np.zeros(n, dtype=bool)
        if layout.comment_prefix:
            extra |= np.array([t.startswith(layout.comment_prefix) for t in first], dtype=bool)
        if layout.summary_first:
            hit = np.flatnonzero(np.isin(first, list(layout.summary_first)))
            if len(hit):
                extra[hit[0]:] = True
        extra &= keep
        if extra.any():
            keep &= ~extra
            notes.append(Note("layout_comments", n=f"{int(extra.sum()):,}"))
    # --- order lines that carry the order's fields only on its first line
    if "order_id" in roles and "amount" in roles:
        _fill_order_lines(cmap, op.codes, oid_st, cust_c, cust_st, dates, date_st, amount, amount_st, returned, keep, notes,
                          unpaid)
    # --- used / skipped
    used = keep & (cust_st == P.OK) & (date_st == P.OK) & (amount_st == P.OK)
    skip = keep & ~used
    rows_read = int(keep.sum())
    orders = _orders_frame(frame, cmap, rows, used, cust_u, cust_c, dates, amount, op if "order_id" in roles else None,
                           returned, id_cache, unpaid, refunded, currency, order_prefix)
    skipped = _skipped_frame(frame, cmap, rows, skip, cust_st, date_st, amount_st, qty_st, price_st, too_large,
                             uncached)
    columns = {role: headers[i] for role, i in roles.items()}
    no_cust = np.flatnonzero(skip & (cust_st != P.OK) & (date_st == P.OK) & (amount_st == P.OK))
    no_customer = pd.DataFrame({
        "row": pd.Series(rows[no_cust], dtype="int64"),
        "date": pd.Series(dates[no_cust], dtype="datetime64[ns]"),
        "amount": pd.Series(amount[no_cust], dtype="float64"),
    })
    res = ReadResult(
        orders=orders, skipped=skipped, rows_read=rows_read, source=source, sheet=sheet,
        columns=columns, headers=list(headers), notes=notes, no_customer=no_customer,
        platform=layout.platform if layout is not None else None, layout=layout.kind if layout is not None else None,
        layout_columns={k: [headers[i] for i in v] for k, v in cmap.layout_columns.items()},
        picks=list(cmap.picks),
    )
    assert res.rows_read == len(res.orders) + len(res.skipped)
    return res


#: A number this large has more digits than the 15 Excel keeps (issue 16).
_EXCEL_DIGITS_LIMIT = 1e15


def _cut_id_notes(series: pd.Series, header: str) -> list[Note]:
    """The ids_15_digits note when an id column holds numbers of 16+ digits (floats >= 1e15).

    Such numbers come from Excel (or a file Excel saved), which keeps 15 significant
    digits: different ids may already have become one. Text ids are never cut.
    """
    if P._is_str_column(series) or pd.api.types.is_bool_dtype(series.dtype):
        return []
    if pd.api.types.is_numeric_dtype(series.dtype):
        x = np.abs(series.to_numpy(dtype=float, na_value=np.nan))
        n = int(np.count_nonzero(np.isfinite(x) & (x >= _EXCEL_DIGITS_LIMIT)))
    else:
        codes, uniq = P.factorize(series)
        big = np.array([type(v) in (float, int) and math.isfinite(v) and abs(v) >= _EXCEL_DIGITS_LIMIT
                        for v in uniq.tolist()], dtype=bool)
        n = int(np.count_nonzero(big[codes[codes >= 0]])) if big.any() else 0
    return [Note("ids_15_digits", header, n=f"{n:,}")] if n else []


def _fill_order_lines(cmap, oid_codes, oid_st, cust_c, cust_st, dates, date_st, amount, amount_st, returned, keep, notes,
                      unpaid=None):
    """Shopify-style exports put customer, date and total only on an order's first line.

    Later lines of the same order whose amount cell is empty are counted with
    amount 0 (their order's total is already on the first line), and take the
    first line's customer and date where theirs are empty.  When an order-level
    total is repeated on every line of an order it is counted once.
    """
    has = (oid_st == P.OK) & keep
    if not has.any():
        return
    codes = np.where(has, oid_codes, -1)
    complete = has & (amount_st == P.OK)
    if not complete.any():
        return
    if not (has & (amount_st == P.BLANK)).any() and not (
        cmap.amount_order_level and {"product", "quantity", "price"} & set(cmap.roles)
    ):
        return  # every line has its own amount: nothing to fill, no repeated totals to look for
    df = pd.DataFrame({"code": codes, "complete": complete, "pos": np.arange(len(codes))})
    firsts = df[df["complete"]].groupby("code")["pos"].min()
    first_pos = np.full(codes.max() + 1, -1, dtype=np.int64)
    first_pos[firsts.index.to_numpy()] = firsts.to_numpy()
    fp = np.where(codes >= 0, first_pos[np.maximum(codes, 0)], -1)
    cont = has & (amount_st == P.BLANK) & (fp >= 0) & (fp < np.arange(len(codes)))
    if cont.any():
        src = fp[cont]
        amount[cont] = 0.0
        amount_st[cont] = P.OK
        idx = np.flatnonzero(cont)
        c_blank = cust_st[idx] == P.BLANK
        cust_c[idx[c_blank]] = cust_c[src[c_blank]]
        cust_st[idx[c_blank]] = cust_st[src[c_blank]]
        d_blank = date_st[idx] == P.BLANK
        dates[idx[d_blank]] = dates[src[d_blank]]
        date_st[idx[d_blank]] = date_st[src[d_blank]]
        returned[idx] |= returned[src]
        if unpaid is not None:
            unpaid[idx] |= unpaid[src]
        notes.append(Note("order_lines", n=f"{int(cont.sum()):,}"))
    if cmap.amount_order_level and {"product", "quantity", "price"} & set(cmap.roles):
        ok = complete & (amount_st == P.OK)
        d = pd.DataFrame({"code": codes[ok], "amount": amount[ok], "pos": np.flatnonzero(ok)})
        g = d.groupby("code")["amount"].agg(["size", "nunique"])
        rep = g[(g["size"] > 1) & (g["nunique"] == 1)]
        if len(rep) and len(rep) >= 0.5 * (g["size"] > 1).sum():
            dup = d[d["code"].isin(rep.index)]
            later = dup["pos"].to_numpy()[dup.duplicated("code").to_numpy()]
            amount[later] = 0.0
            notes.append(Note("repeated_total", header=cmap.header("amount"), orders=f"{len(rep):,}",
                              lines=f"{len(later):,}"))


def _row_currencies(frame, cmap, signs, n, yen, notes) -> np.ndarray | None:
    """Per row, the ISO code of its amount's currency ("" unknown); None when nothing names one (issue 18).

    A currency column wins; where it is blank, the sign or code written in the amount counts.
    A bare ¥ is CNY unless ``yen`` or the data says JPY; the note says which was taken.
    """
    cur = None if signs is None else np.asarray(signs, dtype=object)
    if "currency" in cmap.roles:
        codes, uniq = P.text_codes(frame[cmap.roles["currency"]])
        mapped = np.array([(currency_code(u) or u.upper()) if u else "" for u in uniq], dtype=object)
        col_cur = P._take(mapped, codes, "") if len(uniq) else np.full(n, "", dtype=object)
        cur = col_cur if cur is None else np.where(col_cur != "", col_cur, cur)
    if cur is None:
        return None
    seen = set(pd.unique(cur).tolist()) - {""}
    if YEN_SIGN in seen:
        meant = resolve_yen(seen, yen)
        cur = np.where(cur == YEN_SIGN, meant, cur)
        notes.append(Note("yen_sign", currency=f"currency.{meant}"))
    if not (cur != "").any():
        return None
    return cur


def _orders_frame(frame, cmap, rows, used, cust_u, cust_c, dates, amount, op, returned, id_cache,
                  unpaid=None, refunded=None, currency=None, order_prefix="") -> pd.DataFrame:
    idx = np.flatnonzero(used)
    r = rows[idx]
    if op is not None and op.as_written:  # the column as written is the order ids
        order = pd.Series(P.column_str(frame[cmap.roles["order_id"]], idx))
    elif op is not None and (op.codes[idx] >= 0).all():
        order = pd.Series(P.str_take(op.uniques, op.codes[idx]))
    else:  # no order column, or rows without an order id: each such row is its own order
        o = op.values[idx].copy() if op is not None else np.full(len(idx), None, dtype=object)
        missing = np.flatnonzero(pd.isna(o))
        o[missing] = [f"{order_prefix}row {x}" for x in r[missing]]
        order = pd.Series(o, dtype="str")
    cp = id_cache[cmap.roles["customer_id"]]
    if cp.as_written and cust_u is cp.uniques:
        # every customer cell was a clean id (no blanks, so no e-mail fallback or order-line filling)
        customer = pd.Series(P.column_str(frame[cmap.roles["customer_id"]], idx))
    else:
        customer = pd.Series(P.str_take(cust_u, cust_c[idx]))
    data = {
        "row": pd.Series(r, dtype="int64"),
        "customer_id": customer,
        "date": pd.Series(dates[idx], dtype="datetime64[ns]"),
        "amount": pd.Series(amount[idx], dtype="float64"),
        "order_id": order,
        "returned": pd.Series(returned[idx], dtype="bool"),
        "unpaid": pd.Series(unpaid[idx] if unpaid is not None else np.zeros(len(idx), dtype=bool), dtype="bool"),
    }
    if refunded is not None:
        data["refunded"] = pd.Series(refunded[idx], dtype="float64")
    for role in OPTIONAL_TEXT:
        if role in cmap.roles:
            ci = cmap.roles[role]
            if ci in id_cache:  # already normalised as the customer key
                codes, uniq = id_cache[ci].codes, id_cache[ci].uniques
                data[role] = pd.Series(P.str_take(uniq, codes[idx]))
            else:
                data[role] = pd.Series(P.text_array(frame[ci], idx))
    if "score" in cmap.roles:
        sp = P.parse_numbers(frame[cmap.roles["score"]].iloc[idx])
        data["score"] = pd.Series(sp.values, dtype="float64")
    # issue 18: the currency of each row's amount, "" where the data names none
    if currency is None:
        data["currency"] = pd.Series(P.str_take(np.empty(0, dtype=object), np.full(len(idx), -1, dtype=np.intp)))
    else:
        c_codes, c_uniq = pd.factorize(currency[idx])
        data["currency"] = pd.Series(P.str_take(np.asarray(c_uniq, dtype=object), c_codes))
    return pd.DataFrame(data, copy=False)  # no copy of a million-row str column (copy-on-write keeps shared ones safe)


def _skipped_frame(frame, cmap, rows, skip, cust_st, date_st, amount_st, qty_st, price_st, too_large,
                   uncached) -> pd.DataFrame:
    idx = np.flatnonzero(skip)
    if len(idx) == 0:
        return pd.DataFrame({"row": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype="str"),
                             "raw": pd.Series([], dtype="str"), "parts": pd.Series([], dtype=object)})
    sub = frame.iloc[idx]
    texts = {c: P.series_text(sub[c]) for c in sub.columns}
    roles = cmap.roles

    def cell(role, k):
        return texts[roles[role]][k]

    checks = [("customer", cust_st, "customer_id"), ("date", date_st, "date")]
    if qty_st is None:
        checks.append(("amount", amount_st, "amount"))
    else:
        checks += [("quantity", qty_st, "quantity"), ("price", price_st, "price")]
    all_parts = []
    for k, i in enumerate(idx):
        parts = []
        for what, status, role in checks:
            if too_large[i] and what in ("amount", "quantity", "price"):
                continue  # read, but too large: said once below
            if status[i] == P.BLANK or (what == "customer" and status[i] != P.OK):
                formula = (i, roles[role]) in uncached
                parts.append((f"{'nocalc' if formula else 'no'}_{what}", None))
            elif status[i] == P.BAD:
                parts.append((f"bad_{what}", _quote(cell(role, k))))
        if too_large[i]:
            big = cell("amount", k) if qty_st is None else f"{cell('quantity', k)} × {cell('price', k)}"
            parts.append(("big_amount", _quote(big)))
        all_parts.append(tuple(parts) or (("unusable", None),))
    reasons = [describe_skip(p) for p in all_parts]
    cols = list(sub.columns)
    raw = []
    for k in range(len(idx)):
        vals = [texts[c][k] for c in cols]
        while vals and not vals[-1].strip():
            vals.pop()
        raw.append(_RAW_SEP.join(vals))
    return pd.DataFrame({
        "row": pd.Series(rows[idx], dtype="int64"),
        "reason": pd.Series(reasons, dtype="str"),
        "raw": pd.Series(raw, dtype="str"),
        "parts": pd.Series(all_parts, dtype=object),
    })


def _raw_in_header_order(result: ReadResult, rows: pd.DataFrame, dates: list[str]) -> list[str]:
    """The values the orders frame kept of these rows, each under its own header's position.

    The Data issues sheet (and the anonymiser, which finds personal columns by position) read
    a skipped row's raw text column by column, so it must follow the input's header order.
    """
    role_of = {h: r for r, h in (result.columns or {}).items()}
    out = []
    for k, rec in enumerate(rows.to_dict("records")):
        cells = []
        for h in result.headers:
            role = role_of.get(h)
            if role == "date":
                cells.append(dates[k])
            elif role in rec and role in ("customer_id", "amount", "order_id", *OPTIONAL_TEXT):
                v = rec[role]
                cells.append("" if v is None or (isinstance(v, float) and v != v) else
                             (f"{v:g}" if isinstance(v, float) else str(v)))
            else:
                cells.append("")
        while cells and not cells[-1]:
            cells.pop()
        out.append(_RAW_SEP.join(cells))
    return out


def skip_future_dates(result: ReadResult, today) -> ReadResult:
    """Move order rows dated more than one day after ``today`` to the skipped list ("date in the future").

    A mistyped year (2052 for 2025) must not stretch the report period (SPEC Clarifications,
    "Dates after today"). ``today`` is a date (ReportSettings.today, injectable for tests).
    The row count stays whole: rows_read = used + skipped.
    """
    if len(result.orders) == 0:
        return result
    limit = pd.Timestamp(today) + pd.Timedelta(days=1)
    dates = pd.to_datetime(result.orders["date"]).dt.normalize()
    future = (dates > limit).to_numpy()
    if not future.any():
        return result
    fut = result.orders[future]
    shown = [d.date().isoformat() for d in pd.to_datetime(fut["date"])]
    parts = [(("future_date", _quote(s)),) for s in shown]
    extra = pd.DataFrame({
        "row": fut["row"].astype("int64").to_numpy(),
        "reason": [describe_skip(p) for p in parts],
        "raw": _raw_in_header_order(result, fut, shown),
        "parts": pd.Series(parts, dtype=object),
    })
    skipped = pd.concat([result.skipped, extra], ignore_index=True).sort_values("row", kind="stable")
    return ReadResult(
        orders=result.orders[~future].reset_index(drop=True), skipped=skipped.reset_index(drop=True),
        rows_read=result.rows_read, source=result.source, sheet=result.sheet, columns=result.columns,
        headers=result.headers, notes=result.notes, no_customer=result.no_customer,
    )
