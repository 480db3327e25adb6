"""Raw table -> ReadResult: the orders frame plus every skipped row with its reason.

Public API (used by the CLI, the Excel button and the KPI engine):

    read_orders(path, *, sheet=None, columns=ColumnChoice()) -> ReadResult
    read_values(values, *, sheet="Sheet1", first_row=1, columns=ColumnChoice()) -> ReadResult

Contract (ARCHITECTURE.md): ``rows_read == len(orders) + len(skipped)``; fully
blank rows are not data and are not counted.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from retention_xl.common.excel import ExcelError, excel_value
from retention_xl.read import headers as colmod
from retention_xl.read import cells as P
from retention_xl.read import files as reader
from retention_xl.read.headers import ColumnMap, map_columns
from retention_xl.read.parse import parse_rows
from retention_xl.read.parse import quote as _quote
from retention_xl.read.rows import Cells, drop_blank_rows, fill_order_lines
from retention_xl.read.split import OPTIONAL_TEXT, split_rows
from retention_xl.read.split import RAW_SEP as _RAW_SEP
from retention_xl.errors import InputError
from retention_xl.messages import Join, Message, Note, describe_skip
from retention_xl.settings import ColumnChoice

#: The orders frame's columns. ``returned``: flagged returned / refunded / cancelled;
#: ``unpaid`` (issue 10): the row's status says the money never came (failed, declined,
#: awaiting payment, voided, draft …, read.statuses). A negative amount is a refund whatever
#: its flags. An optional float column ``refunded`` holds the refunded part of a paid row
#: (a "Refunded Amount" column), counted as a refund while the row stays a sale.
ORDER_COLUMNS = ("row", "customer_id", "date", "amount", "order_id", "returned", "unpaid")
_TYPED_ROLES = {"date", "amount", "quantity", "price", "score"}
_ID_ROLES = {"customer_id", "order_id", "email", "phone"}


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
    where = Message("error.where_sheet", sheet=sheet)
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
        where = Message("error.where_file_sheet", file=p.name, sheet=name)
        if not rows:
            raise InputError("error.where_empty", where=where)
        h, cmap = _find_header(rows, choice, where, 1)
        notes: list[str] = [Note("sheet_header", sheet=name, row=h + 1)]
        return _read_sheet(p, wb, SheetTable(name, rows, h, cmap), notes, yen, platform=platform)
    order = wb.visible + [s for s in wb.sheets if s not in wb.visible]
    tables, problems = find_tables([(name, wb.rows(name), 1) for name in order], choice, file=p.name)
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


def find_tables(sheets, choice: ColumnChoice, file: str | None = None) -> tuple[list[SheetTable], list[Message]]:
    """[(name, rows, sheet row of rows[0])] -> the sheets that hold an order header, and why the others do not."""
    tables: list[SheetTable] = []
    problems: list[Message] = []
    for name, rows, first_row in sheets:
        if not rows or not any(any(_nonblank(c) for c in r) for r in rows[: reader.HEAD_ROWS]):
            problems.append(Message("error.sheet_empty", sheet=name))
            continue
        try:
            where = (Message("error.where_sheet", sheet=name) if file is None
                     else Message("error.where_file_sheet", file=file, sheet=name))
            h, cmap = _find_header(rows, choice, where, first_row)
        except InputError as e:
            problems.append(e.message)
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
    where = Message("error.where_file", file=p.name)
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
    frame, read_as = reader.text_frame(ct, h + 1, ncols, text_cols)
    notes = list(read_as.notes)  # the body's encoding may differ from the head's
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


def _find_header(rows: list[list], choice: ColumnChoice, where: Message, first_row: int) -> tuple[int, ColumnMap]:
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
            return i, map_columns(hdrs, choice, where=Message("error.where_header_row", where=where, row=first_row + i),
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
    return i, map_columns(hdrs, choice, where=Message("error.where_first_row", where=where, row=first_row + i),
                          sample=rows[i + 1: i + 1 + colmod.SAMPLE_ROWS])


def _two_row_header(head: list[list], top: int, choice: ColumnChoice, where: Message,
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
        cmap = map_columns(names, choice, where=Message("error.where_header_rows", where=where, first=first_row + top,
                                                last=first_row + top + 1))
    except InputError:
        return None
    cmap.notes.append(Note("multi_row_header", n=2, first=first_row + top, last=first_row + top + 1))
    return top + 1, cmap


def _header_text(c) -> str:
    return P.cell_text(c).strip()


# ---------------------------------------------------------------- the row pipeline (read/rows.py)


def _build(
    frame: pd.DataFrame, first_data_row: int, cmap: ColumnMap, *, source: str, sheet: str | None,
    notes: list[str], uncached: set[tuple[int, int]] = frozenset(), date1904: bool = False,
    platform: str | None = None, yen: str | None = None, order_prefix: str = "",
) -> ReadResult:
    """The raw rows under the header -> ReadResult, through the row pipeline's four stages.

    `uncached`: (frame row, column) of formula cells without a stored result (they read as empty).
    The notes come in reading order: the layout recognised, the source's, the header's, then each stage's.
    """
    cells = Cells(frame, first_data_row, cmap, frozenset(uncached), date1904, platform, yen)
    layout = cmap.layout
    notes = ([Note("layout", kind=layout.kind)] if layout is not None else []) + list(notes) + list(cmap.notes)
    table, said = parse_rows(cells)
    notes += said
    for stage in (drop_blank_rows, fill_order_lines):
        table, said = stage(table)
        notes += said
    split, said = split_rows(table, order_prefix)
    notes += said
    headers = cmap.headers
    res = ReadResult(
        orders=split.orders, skipped=split.skipped, rows_read=split.rows_read, source=source, sheet=sheet,
        columns={role: headers[i] for role, i in table.roles.items()}, headers=list(headers), notes=notes,
        no_customer=split.no_customer,
        platform=layout.platform if layout is not None else None, layout=layout.kind if layout is not None else None,
        layout_columns={k: [headers[i] for i in v] for k, v in cmap.layout_columns.items()},
        picks=list(cmap.picks),
    )
    assert res.rows_read == len(res.orders) + len(res.skipped)
    return res


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
