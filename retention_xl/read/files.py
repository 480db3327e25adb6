"""File -> raw table: safety checks, workbooks via python-calamine, CSV via pandas.

Nothing here writes: workbooks are opened read-only by calamine, CSV files are
read into memory once.  Anything wrong with the file itself (missing, locked,
empty, not what its extension says, a zip bomb, unreadable encoding) becomes an
`InputError` whose message says what is wrong with which file.
"""

from __future__ import annotations

import csv
import html
import io
import os
import posixpath
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from retention_xl.errors import InputError
from retention_xl.messages import Message, Note

WORKBOOK_EXT = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".ods"}
TEXT_EXT = {".csv", ".txt", ".tsv", ".tab"}
ZIP_WORKBOOK_EXT = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".ods"}

#: Zip-bomb limits, checked on the central directory before anything is unpacked.
MAX_UNCOMPRESSED = 2 * 1024**3  # all entries together
MAX_ENTRY_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 20 * 1024**2
MAX_ENTRIES = 20000

HEAD_ROWS = 25  # rows scanned for the header
DELIMITERS = (",", ";", "\t", "|")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIM_CODE = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}  # notes.WORDS delimiter.*


# ------------------------------------------------------------------ checks


def _describe(head: bytes) -> str:
    """What the first bytes of a file look like, in words."""
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"%pdf"):
        return "pdf"
    if h.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")):
        return "html"
    if h.startswith(b"<?xml") or h.startswith(b"<"):
        return "xml"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if b"\x00" in head:
        # NUL bytes (trailing padding, one inside a note) in what is otherwise text: Excel opens
        # such a file, so the reader drops them with a note (load_text); real binary stays binary
        rest = head.replace(b"\x00", b"")[:4096]
        if not rest.strip():
            return "binary"
        ctrl = sum(1 for b in rest if b < 9 or (13 < b < 32 and b != 27))
        return "binary" if ctrl / len(rest) > 0.05 else "text"
    sample = head[:4096]
    ctrl = sum(1 for b in sample if b < 9 or (13 < b < 32 and b != 27))
    if sample and ctrl / len(sample) > 0.05:
        return "binary"
    return "text"


def check_file(path: str | os.PathLike) -> tuple[Path, str]:
    """Validate a path; return it and its kind: "workbook" or "text"."""
    p = Path(path)
    name = p.name
    if not p.exists():
        raise InputError("error.file_not_found", path=str(p))
    if p.is_dir():
        raise InputError("error.path_is_folder", path=str(p))
    ext = p.suffix.lower()
    if ext not in WORKBOOK_EXT and ext not in TEXT_EXT:
        raise InputError("error.unknown_file_type", file=name,
                         ext=p.suffix or Message("error.no_extension"))
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(65536)
    except PermissionError:
        raise InputError("error.access_denied", file=name) from None
    except OSError as e:
        raise InputError("error.cannot_read", file=name, reason=str(e.strerror or e)) from None
    if size == 0 or not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError("error.file_empty", file=name)
    kind = _describe(head)
    if ext in ZIP_WORKBOOK_EXT:
        if kind == "zip":
            return p, "workbook"
        if kind == "ole":
            raise InputError("error.encrypted_or_renamed", file=name, ext=ext)
        raise InputError(_mismatch(name, ext, kind))
    if ext == ".xls":
        if kind in ("ole", "zip"):
            return p, "workbook"
        raise InputError(_mismatch(name, ext, kind))
    # text export
    if kind in ("text", "utf16"):
        return p, "text"
    if kind == "zip":
        raise InputError("error.workbook_not_text", file=name, ext=ext)
    if kind == "ole":
        raise InputError("error.xls_not_text", file=name, ext=ext)
    if kind in ("html", "xml"):
        raise InputError("error.web_page_not_text", file=name, ext=ext)
    raise InputError("error.binary_not_text", file=name, ext=ext)


def _mismatch(name: str, ext: str, kind: str) -> Message:
    """A workbook whose bytes are something else: what they are (``content.*``) and what to do (``fix.*``)."""
    known = ("text", "html", "xml", "pdf", "utf16", "binary", "zip", "ole")
    fix = kind if kind in ("text", "utf16", "html", "xml") else "other"
    return Message("error.not_real_workbook", file=name, ext=ext, content=kind if kind in known else "other", fix=fix)


def check_zip(p: Path) -> None:
    """Refuse archives whose entries would unpack past sane limits (zip bombs)."""
    name = p.name
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise InputError("error.bad_zip", file=name) from None
    except OSError as e:
        raise InputError("error.cannot_read", file=name, reason=str(e.strerror or e)) from None
    if len(infos) > MAX_ENTRIES:
        raise InputError("error.too_many_parts", file=name, n=len(infos))
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_ENTRY_RATIO * max(info.compress_size, 1):
            raise InputError("error.zip_bomb_part", file=name, part=info.filename, packed=info.compress_size,
                             unpacked=info.file_size, ratio=info.file_size / max(info.compress_size, 1))
    if total > MAX_UNCOMPRESSED:
        raise InputError("error.zip_too_big", file=name, gb=total / 1024**3, limit=MAX_UNCOMPRESSED / 1024**3)


# ------------------------------------------------------------------ sheet extent (before calamine loads a sheet)

#: rows x columns of a sheet's used area (from A1) that may be loaded.  calamine
#: allocates the whole rectangle at once: a 5 KB workbook with one cell in A1 and
#: one in XFD1048576 asks for 17 billion cells and aborts the process.
MAX_CELLS = 50_000_000
_XLSX_EXT = {".xlsx", ".xlsm", ".xltx", ".xltm"}
_SCAN_CHUNK = 4 * 1024 * 1024
_ATTR = re.compile(rb"""<(?:[\w.-]+:)?sheet\b([^>]*)>""")
_REF_SLOW = re.compile(rb"""\sr\s*=\s*(["'])(.*?)\1""", re.S)
_REF_VALUE = re.compile(rb"^([A-Z]{0,3})([0-9]{1,7})$")


def _attr(attrs: bytes, name: bytes) -> str | None:
    m = re.search(rb"(?:^|\s)" + name + rb"""\s*=\s*(["'])(.*?)\1""", attrs, re.S)
    return html.unescape(m.group(2).decode("utf-8", "replace")) if m else None


def _sheet_part(zf: zipfile.ZipFile, name: str) -> str | None:
    """Path inside the zip of the worksheet called `name` (None when it cannot be told)."""
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    targets = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>", rels):
        rid, target = _attr(m.group(1), rb"Id"), _attr(m.group(1), rb"Target")
        if rid and target:
            targets[rid] = target
    for m in _ATTR.finditer(wb):
        if _attr(m.group(1), rb"name") != name:
            continue
        rid = _attr(m.group(1), rb"(?:[\w.-]+:)?id")
        target = targets.get(rid or "")
        if not target:
            return None
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        return path
    return None


def workbook_date1904(path: Path) -> bool:
    """Whether an .xlsx/.xlsm workbook counts serial dates in the 1904 system (workbookPr date1904).

    Other formats, and anything that cannot be read, mean the 1900 system (Excel's default).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            wb = zf.read("xl/workbook.xml")
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError):
        return False
    m = re.search(rb"<(?:[\w.-]+:)?workbookPr\b([^>]*)>", wb)
    value = _attr(m.group(1), rb"date1904") if m else None
    return (value or "").strip().lower() in ("1", "true")


def _scan_refs(a: np.ndarray, start: int, stop: int) -> tuple[int, int, bool]:
    """Largest row and column among the r="..." references starting in a[start:stop].

    Vectorised: for every ` r="` the bytes after it are split into column letters
    and row digits; among the references with the most digits (letters), the
    largest is the one whose bytes compare largest, so only that one is decoded.
    The third value is True when a reference is not a plain A1-style one or an
    attribute is written with spaces around "=" (then the slow exact scan decides).
    """
    if stop <= start:
        return 0, 0, False
    cand = np.flatnonzero(a[start + 1:stop + 1] == 114) + start  # p: a[p + 1] == "r"
    w, nxt, q = a[cand], a[cand + 2], a[cand + 3]
    is_ws = (w == 32) | (w == 9) | (w == 10) | (w == 13)
    eq = nxt == 61
    odd = bool((is_ws & ((nxt == 32) | (eq & ((q == 32) | (q == 9) | (q == 10))))).any())
    pos = cand[is_ws & eq & ((q == 34) | (q == 39))] + 4
    if not len(pos):
        return 0, 0, odd
    win = _windows(a)[pos]  # (refs, 12) bytes after the quote
    is_l = (win[:, :4] - np.uint8(65)) < 26
    l0 = is_l[:, 0]
    l1 = l0 & is_l[:, 1]
    l2 = l1 & is_l[:, 2]
    n_l = l0.astype(np.int8) + l1 + l2
    is_q = (win == 34) | (win == 39)
    e = np.argmax(is_q, axis=1)  # closing quote
    n_d = e - n_l
    is_d = (win - np.uint8(48)) < 10
    # everything between the letters and the quote is a digit
    digits_ok = (is_d & (_AR12 < e[:, None])).sum(axis=1) == n_d
    bad = (l2 & is_l[:, 3]) | ~is_q.any(axis=1) | (n_d < 1) | (n_d > 7) | ~digits_ok
    ok = ~bad
    odd |= bool(bad.any())
    if not ok.any():
        return 0, 0, odd
    pos, n_l, n_d = pos[ok], n_l[ok], n_d[ok]
    # row: the largest of the references with the most digits, compared as bytes
    d_max = int(n_d.max())
    sel = np.flatnonzero(n_d == d_max)
    dig = _windows(a)[pos[sel] + n_l[sel]][:, :8].copy()
    dig[:, d_max:] = 0
    top = int(np.argmax(dig.view(">u8")[:, 0]))
    row = int(bytes(dig[top, :d_max]).decode())
    # column: the same with the letters
    c_max = int(n_l.max())
    col = 0
    if c_max:
        sel = np.flatnonzero(n_l == c_max)
        let = _windows(a)[pos[sel]][:, :4].copy()
        let[:, c_max:] = 0
        top = int(np.argmax(let.view(">u4")[:, 0]))
        for ch in let[top, :c_max]:
            col = col * 26 + int(ch) - 64
    return row, col, odd


_AR12 = np.arange(12)


def _windows(a: np.ndarray) -> np.ndarray:
    return np.lib.stride_tricks.sliding_window_view(a, 12)


def _scan_refs_slow(buf: bytes) -> tuple[int, int, bool]:
    """Exact scan of one chunk: (max row, max column, an entity or garbage in a reference)."""
    rmax = cmax = 0
    bad = False
    for m in _REF_SLOW.finditer(buf):
        v = m.group(2).strip()
        mm = _REF_VALUE.match(v)
        if not mm:
            bad |= b"&" in v
            continue
        c = 0
        for ch in mm.group(1):
            c = c * 26 + ch - 64
        rmax, cmax = max(rmax, int(mm.group(2))), max(cmax, c)
    return rmax, cmax, bad


def sheet_extent(zf: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell reference of a worksheet part."""
    rmax = cmax = 0
    with zf.open(part) as fh:
        carry = b""
        while True:
            chunk = fh.read(_SCAN_CHUNK)
            buf = carry + chunk
            last = not chunk
            pad = buf + b"\x00" * 32
            a = np.frombuffer(pad, dtype=np.uint8)
            stop = len(buf) if last else max(len(buf) - 32, 0)
            r, c, odd = _scan_refs(a, 0, stop)
            if odd:
                r2, c2, bad = _scan_refs_slow(buf)
                if bad:
                    raise ValueError("cell references written with XML entities")
                r, c = max(r, r2), max(c, c2)
            rmax, cmax = max(rmax, r), max(cmax, c)
            if last:
                break
            carry = buf[stop:]
    return rmax, cmax


_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_HAS_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*>[^<]")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")
_STR_RESULT = re.compile(rb"""\st\s*=\s*["']str["']""")
_REF_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")


def uncached_formulas(path: Path, name: str) -> list[tuple[int, int]]:
    """(row, column), 0-based, of the formula cells of a worksheet that hold no stored result.

    Excel stores each formula's last result; a file written by a program that does not
    calculate (openpyxl, some exporters) has only the formula, and every reader that does
    not calculate, this one included, sees an empty cell.  Chunks without a formula cost
    a substring search.
    """
    if path.suffix.lower() not in _XLSX_EXT:
        return []
    found: list[tuple[int, int]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, name)
            if part is None:
                return []
            with zf.open(part) as fh:
                carry = b""
                while True:
                    chunk = fh.read(_SCAN_CHUNK)
                    buf = carry + chunk
                    cut = len(buf) if not chunk else buf.rfind(b"</c>") + 4 if b"</c>" in buf else 0
                    body, carry = buf[:cut], buf[cut:]
                    if b"<f" in body or b":f" in body:
                        for m in _CELL.finditer(body):
                            inner = m.group(2) or b""
                            if _FORMULA.search(inner) and not _HAS_VALUE.search(inner) \
                                    and not _STR_RESULT.search(m.group(1)):
                                ref = _REF_ATTR.search(m.group(1))
                                if ref:
                                    col = 0
                                    for ch in ref.group(1):
                                        col = col * 26 + ch - 64
                                    found.append((int(ref.group(2)) - 1, col - 1))
                    if not chunk:
                        break
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError):
        return []  # calamine has read the sheet; this is only a hint
    return found


def check_sheet_size(path: Path, name: str) -> None:
    """Refuse a worksheet whose used area would not fit in memory (see MAX_CELLS)."""
    if path.suffix.lower() not in _XLSX_EXT:
        return
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, name)
            if part is not None:
                parts = [part]
            else:  # cannot tell which part it is: every worksheet must pass
                parts = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            rows = cols = 0
            for part in parts:
                r, c = sheet_extent(zf, part)
                if r * c > rows * cols:
                    rows, cols = r, c
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise InputError("error.sheet_damaged", sheet=name, file=path.name, reason=str(e)) from None
    except ValueError:
        raise InputError("error.sheet_xml_entities", sheet=name, file=path.name) from None
    except KeyError:
        return
    if rows * cols > MAX_CELLS:
        raise InputError("error.sheet_too_many_cells", sheet=name, file=path.name, cell=f"{_col_name(cols)}{rows}",
                         rows=rows, cols=cols, cells=rows * cols, limit=MAX_CELLS)


def _col_name(i: int) -> str:
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s or "A"


# ------------------------------------------------------------------ workbooks


@dataclass
class Workbook:
    path: Path
    book: object  # python_calamine.CalamineWorkbook
    sheets: list[str]
    visible: list[str]
    #: sheet -> merged areas ((first row, first col), (last row, last col)), 0-based from A1,
    #: of the sheets read so far (.xlsx/.xls; calamine gives none for .ods)
    merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = field(default_factory=dict)
    #: sheet -> (row, column) of formula cells without a stored result (read as empty)
    uncached: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def rows(self, name: str) -> list[list]:
        """All rows of a sheet from A1 (empty cells are ''); its merged areas go to `merged`."""
        import python_calamine as pc

        check_sheet_size(self.path, name)
        try:
            sheet = self.book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            self.merged[name] = list(sheet.merged_cell_ranges or [])
            self.uncached[name] = uncached_formulas(self.path, name)
            return rows
        except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError) as e:  # damaged files
            raise InputError("error.on_sheet_refused", sheet=name, reason=_calamine_message(self.path.name, e)) from None


def open_workbook(path: str | os.PathLike) -> Workbook:
    p, kind = check_file(path)
    if kind != "workbook":
        raise InputError("error.text_not_workbook", file=p.name)
    if p.suffix.lower() in ZIP_WORKBOOK_EXT:
        check_zip(p)
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(p))
        meta = book.sheets_metadata
    except pc.PasswordError:
        raise InputError("error.password", file=p.name) from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as e:
        raise InputError(_calamine_message(p.name, e)) from None
    sheets, visible = [], []
    for m in meta:
        if m.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # chart sheets, macro sheets
        sheets.append(m.name)
        if m.visible == pc.SheetVisibleEnum.Visible:
            visible.append(m.name)
    if not sheets:
        raise InputError("error.no_worksheets", file=p.name)
    return Workbook(p, book, sheets, visible)


def _calamine_message(name: str, e: Exception) -> Message:
    text = str(e).strip().rstrip(".")  # the reader library's own words, shown as they are
    if "cell limit" in text.lower():  # e.g. an .ods whose rows / cells are "repeated" a billion times
        return Message("error.cells_span_too_far", file=name, reason=text)
    if "declared uncompressed size" in text:  # a zip whose directory lies about what it unpacks to
        return Message("error.part_over_declared", file=name)
    return Message("error.workbook_unreadable", file=name, reason=text)


# ------------------------------------------------------------------ text

HEAD_BYTES = 262144  # bytes decoded in Python to find the encoding, delimiter and header


@dataclass(frozen=True)
class CsvText:
    """A text export, sniffed from its first bytes; the body is parsed by pandas' C reader.

    Nothing but the head is decoded in Python: the whole file goes to pandas by
    path (no copy in memory), and an encoding error there is settled by
    `_body_encoding` (damaged UTF-8, or a legacy encoding): `text_frame` then returns
    a new CsvText with the encoding the body was read with and its notes.
    """

    path: Path
    encoding: str  # codec pandas reads the file with
    text: str | None  # whole decoded text, only when it had to be decoded in Python (UTF-16)
    head: str  # decoded first HEAD_BYTES (whole lines only)
    delimiter: str
    skip_lines: int = 0  # leading "sep=;" line
    bom: bool = False
    notes: list[str] = field(default_factory=list)

    def head_text(self, limit: int = HEAD_BYTES) -> str:
        return self.head[:limit]

    def full_text(self) -> str:
        """The whole file as text (slow path for ragged rows only)."""
        if self.text is not None:
            return self.text
        raw = self.path.read_bytes()
        if self.bom:
            raw = raw[3:]
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError:
            raise InputError(_bad_bytes(self.path.name, self.bom)) from None


def _bad_bytes(name: str, bom: bool) -> Message:
    return Message("error.bom_not_utf8" if bom else "error.unknown_encoding", file=name)


def _sniff_delimiter(sample_lines: list[str]) -> str | None:
    best, best_key = None, None
    for d in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample_lines, delimiter=d) if r and any(x.strip() for x in r)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        if mode < 2:
            continue
        consistency = counts.count(mode) / len(counts)
        if consistency < 0.5:
            continue
        key = (mode * consistency, consistency)
        if best_key is None or key > best_key:
            best, best_key = d, key
    return best


def _decode_head(chunk: bytes, complete: bool, encoding: str) -> str:
    """Decode the head of a file; a multi-byte character cut at the end is dropped."""
    try:
        return chunk.decode(encoding)
    except UnicodeDecodeError as e:
        if not complete and e.reason in ("unexpected end of data", "incomplete multibyte sequence") \
                and e.start >= len(chunk) - 4:
            return chunk[: e.start].decode(encoding)
        raise


def load_text(path: str | os.PathLike) -> CsvText:
    """Sniff a CSV/TXT export: encoding (UTF-8 with or without BOM, UTF-16, Windows-1251/1252, GBK) and delimiter."""
    p, kind = check_file(path)
    if kind != "text":
        raise InputError("error.workbook_not_text_file", file=p.name)
    try:
        with open(p, "rb") as fh:
            raw = fh.read(HEAD_BYTES + 1)
            complete = len(raw) <= HEAD_BYTES
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raw += fh.read()
                complete = True
            else:
                raw = raw[:HEAD_BYTES]
    except PermissionError:
        raise InputError("error.access_denied_text", file=p.name) from None
    except OSError as e:
        raise InputError("error.cannot_read", file=p.name, reason=str(e.strerror or e)) from None
    text = None
    bom = False
    if raw.startswith(b"\xef\xbb\xbf"):
        bom = True
        try:
            head = _decode_head(raw[3:], complete, "utf-8")
        except UnicodeDecodeError:
            raise InputError(_bad_bytes(p.name, True)) from None
        enc, enc_name = "utf-8", "utf8_bom"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("error.bad_utf16", file=p.name) from None
        if "\x00" in text[:65536]:
            raise InputError("error.binary_file", file=p.name)
        head, enc, enc_name = text[:HEAD_BYTES], "utf-16", "utf16"
    else:
        try:
            head = _decode_head(raw, complete, "utf-8")
            enc, enc_name = "utf-8", "utf8"
        except UnicodeDecodeError:
            head, enc, enc_name = _legacy_head(p.name, raw, complete)
    nul_note = None
    if text is None and _has_nul(p):
        # drop the NUL bytes and read the rest as the text it is (in memory, like UTF-16)
        data = p.read_bytes()
        first_nul = data.index(b"\x00")
        line = data.count(b"\n", 0, first_nul) + 1
        n_nul = data.count(b"\x00")
        data = data.replace(b"\x00", b"")
        if bom:
            data = data[3:]
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            if bom:
                raise InputError(_bad_bytes(p.name, True)) from None
            enc, enc_name = _legacy_encodings(data)[0]
            text = data.decode(enc, errors="replace")
        head, complete = text[:HEAD_BYTES], len(text) <= HEAD_BYTES
        nul_note = Note("nul_bytes", line=f"{line:,}", n=f"{n_nul:,}")
    if not complete:  # the last line may be cut
        cut = max(head.rfind("\n"), head.rfind("\r"))
        head = head[: cut + 1] if cut >= 0 else head
    lines = head.splitlines()[:60]
    first = lines[0].strip().lower() if lines else ""
    if first.startswith("sep=") and len(first) in (5, 6):
        delimiter, skip_lines = lines[0].strip()[4:5] or ",", 1
    else:
        delimiter, skip_lines = _sniff_delimiter(lines) or ",", 0
    notes = [_encoding_note(enc_name, delimiter)] + ([nul_note] if nul_note is not None else [])
    return CsvText(p, enc, text, head, delimiter, skip_lines=skip_lines, bom=bom, notes=notes)


def _has_nul(p: Path) -> bool:
    """True when the file holds a NUL byte anywhere (a fast scan in 8 MB blocks)."""
    with open(p, "rb") as fh:
        while True:
            block = fh.read(1 << 23)
            if not block:
                return False
            if b"\x00" in block:
                return True


#: Encodings of exports that are not UTF-8: 1C and Russian Excel (Windows-1251), Excel's
#: "CSV" on a Western Windows (Windows-1252), Taobao, JD and Chinese Excel (GBK, read as its
#: superset GB18030). (codec, notes.WORDS encoding.*)
_CYRILLIC, _WESTERN, _GBK = ("cp1251", "cp1251"), ("cp1252", "cp1252"), ("gb18030", "gbk")


def _letters_in_runs(raw: bytes) -> bool:
    """Most non-ASCII bytes stand next to another one, as the letters of Cyrillic (or
    Chinese) words do; the accented letters of a Western text stand alone (José, Müller)."""
    high = np.frombuffer(raw, dtype=np.uint8) >= 0x80
    n = int(np.count_nonzero(high))
    return n == 0 or int(np.count_nonzero(high[1:] & high[:-1])) >= 0.5 * n


def _legacy_encodings(raw: bytes) -> tuple[tuple[str, str], ...]:
    """The legacy encodings in the order they win a tie: Cyrillic (then GBK) first when
    the non-ASCII letters stand in runs, Western first when they stand alone."""
    return (_CYRILLIC, _GBK, _WESTERN) if _letters_in_runs(raw) else (_WESTERN, _CYRILLIC, _GBK)


def _legacy_head(name: str, raw: bytes, complete: bool) -> tuple[str, str, str]:
    """(head, codec, notes.WORDS code) of a file that is not UTF-8: the legacy encoding
    under which a header is found.

    Almost any bytes decode as Windows-1251 or Windows-1252, GBK text included (as
    nonsense), so the encoding is the one whose text holds a recognisable order header;
    on a tie, the first of `_legacy_encodings`.
    """
    from retention_xl.read.headers import header_row_score

    best = None
    for codec, label in _legacy_encodings(raw):
        try:
            head = _decode_head(raw, complete, codec)
        except UnicodeDecodeError:
            continue
        lines = head.splitlines()[:HEAD_ROWS]
        score = max((header_row_score(r) for d in DELIMITERS for r in csv.reader(lines, delimiter=d)), default=0.0)
        if best is None or score > best[0]:
            best = (score, head, codec, label)
    if best is None:
        raise InputError(_bad_bytes(name, False))
    return best[1], best[2], best[3]


def _encoding_note(encoding: str, delimiter: str) -> Note:
    """How a text file was read; ``encoding`` is a notes.WORDS code (utf8, cp1251 …)."""
    return Note("text_read", encoding=encoding, delimiter=_DELIM_CODE.get(delimiter, repr(delimiter)))


def text_head_rows(ct: CsvText, n: int = HEAD_ROWS) -> tuple[list[list[str]], list[int]]:
    """The first n records and, for each, the number of lines read up to its end."""
    lines = ct.head.splitlines(keepends=True)[ct.skip_lines:]
    rdr = csv.reader(lines, delimiter=ct.delimiter)
    rows, ends = [], []
    try:
        for rec in rdr:
            rows.append(rec)
            ends.append(rdr.line_num)
            if len(rows) >= n:
                break
    except csv.Error as e:
        raise InputError("error.csv_unreadable_near", file=ct.path.name, line=rdr.line_num, reason=str(e)) from None
    return rows, ends


_FIELDS_SAW = re.compile(r"Expected \d+ fields in line \d+, saw (\d+)")


def text_frame(ct: CsvText, skip_records: int, ncols: int,
               text_cols: set[int] = frozenset()) -> tuple[pd.DataFrame, CsvText]:
    """Records after the header (the header is record `skip_records` - 1), columns 0..ncols-1 or more,
    and the text as read: `ct` itself, or a copy with the encoding its body turned out to be in
    and the notes that say so.

    Blank lines are kept (as empty rows) so that row numbers stay true; a quoted
    field may span lines (it is one record, one row, as in Excel).  `text_cols`
    (ids, columns whose sample shows "000123") are read as text, exactly as
    written; pandas' C reader types the others.  A column that comes back with
    mixed types (numbers in one part of the file, text in another) is read again
    as text, so that all its values are interpreted with one rule for the whole
    column and none loses how it was written.
    """
    width = ncols
    for _attempt in range(4):
        try:
            df, ct = _read_csv(ct, skip_records, width, {i: "str" for i in text_cols if i < width})
        except pd.errors.ParserError as e:
            m = _FIELDS_SAW.search(str(e))
            if m and int(m.group(1)) > width:
                width = int(m.group(1))  # a row longer than the header: read it all, wider
                continue
            break
        mixed = [i for i in range(width) if df[i].dtype == object] if len(df) else []
        if mixed:
            try:
                again, ct = _read_csv(ct, skip_records, width, {i: "str" for i in range(width)}, usecols=mixed)
            except pd.errors.ParserError:
                break  # pandas' chunked reader trips over the widened rows: read it the exact way below
            for i in mixed:
                df[i] = again[i]
        return df, ct
    # still ragged: read it the slow, exact way
    lines = ct.full_text().splitlines(keepends=True)
    try:
        rows = list(csv.reader(lines, delimiter=ct.delimiter))[skip_records + ct.skip_lines:]
    except csv.Error as e:
        raise InputError("error.csv_unreadable", file=ct.path.name, reason=str(e)) from None
    width = max([ncols] + [len(r) for r in rows])
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=list(range(width)), dtype=object), ct


def _read_csv(ct: CsvText, skip_records: int, width: int, dtype: dict,
              usecols=None) -> tuple[pd.DataFrame, CsvText]:
    """pandas' C reader on the text; with the CsvText the body was read as (a new one when its
    encoding differs from the head's: damaged UTF-8, or a legacy encoding after an ASCII head)."""
    kw = dict(
        sep=ct.delimiter, header=None, names=list(range(width)), skiprows=skip_records + ct.skip_lines,
        dtype=dtype, keep_default_na=False, na_values=[""], skip_blank_lines=False, index_col=False,
        engine="c", usecols=usecols,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        if ct.text is not None:
            return pd.read_csv(io.StringIO(ct.text), **kw), ct
        try:
            return pd.read_csv(ct.path, encoding=ct.encoding, **kw), ct
        except UnicodeDecodeError:
            if ct.bom or ct.encoding != "utf-8":
                raise InputError(_bad_bytes(ct.path.name, ct.bom)) from None
        # UTF-8 at the start, something else further on
        encoding, word, damaged = _body_encoding(ct.path)
        ct = replace(ct, encoding=encoding, notes=[_encoding_note(word, ct.delimiter)] + damaged + ct.notes[1:])
        try:
            return pd.read_csv(ct.path, encoding=ct.encoding, encoding_errors="replace" if damaged else "strict",
                               **kw), ct
        except UnicodeDecodeError:
            raise InputError(_bad_bytes(ct.path.name, False)) from None
        except OSError as e:
            raise InputError("error.cannot_read", file=ct.path.name, reason=str(e.strerror or e)) from None


def _body_encoding(path: Path) -> tuple[str, str, list[Note]]:
    """(codec, notes.WORDS code, notes) of a file whose first part is UTF-8 but not the rest.

    Either it is UTF-8 with a few damaged bytes (it holds more good UTF-8 letters than
    bad bytes: they become "\ufffd" and a note says where the first one is), or its first
    part was plain ASCII and it is in the legacy encoding a tie goes to (`_legacy_encodings`:
    without a header to tell, by how its letters stand).
    """
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError("error.cannot_read", file=path.name, reason=str(e.strerror or e)) from None
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    letters = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    if letters > bad:
        line = text.count("\n", 0, text.index("\ufffd")) + 1
        return "utf-8", "utf8", [Note("utf8_damaged", n=f"{bad:,}", line=f"{line:,}")]
    codec, word = _legacy_encodings(raw)[0]
    return codec, word, []
