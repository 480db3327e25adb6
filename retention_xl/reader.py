"""File -> raw table: safety checks, workbooks via python-calamine, CSV via pandas.

Nothing here writes: workbooks are opened read-only by calamine, CSV files are
read into memory once.  Anything wrong with the file itself (missing, locked,
empty, not what its extension says, a zip bomb, unreadable encoding) becomes an
`InputError` whose message says what is wrong with which file.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError

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
_DELIM_NAME = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


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
        return "binary"
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
        raise InputError(f"File not found: {p}")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not a file. Give the path of an .xlsx or .csv file.")
    ext = p.suffix.lower()
    if ext not in WORKBOOK_EXT and ext not in TEXT_EXT:
        raise InputError(
            f'"{name}": unknown file type "{p.suffix or "(no extension)"}". Accepted: Excel workbooks '
            "(.xlsx, .xlsm, .xls, .xlsb, .ods) and text exports (.csv, .txt, .tsv)."
        )
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(65536)
    except PermissionError:
        raise InputError(
            f'Cannot open "{name}": access denied. If the file is open in Excel or another program, '
            "close it (or save a copy) and try again."
        ) from None
    except OSError as e:
        raise InputError(f'Cannot read "{name}": {e.strerror or e}.') from None
    if size == 0 or not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError(f'"{name}" is empty: there are no rows to read.')
    kind = _describe(head)
    if ext in ZIP_WORKBOOK_EXT:
        if kind == "zip":
            return p, "workbook"
        if kind == "ole":
            raise InputError(
                f'"{name}" is not a plain {ext} workbook: it is password-protected (encrypted) or an old '
                "binary .xls saved under a new name. Open it in Excel and save it as .xlsx without a "
                "password."
            )
        raise InputError(_mismatch(name, ext, kind))
    if ext == ".xls":
        if kind in ("ole", "zip"):
            return p, "workbook"
        raise InputError(_mismatch(name, ext, kind))
    # text export
    if kind in ("text", "utf16"):
        return p, "text"
    if kind == "zip":
        raise InputError(
            f'"{name}" is an Excel workbook (zip file), not a {ext} text file. Rename it to .xlsx.'
        )
    if kind == "ole":
        raise InputError(f'"{name}" is an old binary Excel file (.xls), not a {ext} text file. Rename it to .xls.')
    if kind in ("html", "xml"):
        raise InputError(
            f'"{name}" contains a web page (HTML/XML), not {ext} text. Open it in Excel and save it as .xlsx or .csv.'
        )
    raise InputError(f'"{name}" is a binary file, not {ext} text. Export the orders as .csv or .xlsx.')


def _mismatch(name: str, ext: str, kind: str) -> str:
    what = {
        "text": "plain text (probably CSV)",
        "html": "a web page (HTML), as some banks and shops produce",
        "xml": "XML (perhaps an Excel 2003 XML spreadsheet)",
        "pdf": "a PDF document",
        "utf16": "plain text (UTF-16)",
        "binary": "not a spreadsheet (unrecognised binary data)",
        "zip": "a zip archive",
        "ole": "an old binary Office file",
    }.get(kind, "something else")
    fix = {
        "text": "Rename it to .csv, or open it in Excel and save as .xlsx.",
        "utf16": "Rename it to .txt or .csv.",
        "html": "Open it in Excel and save it as .xlsx.",
        "xml": "Open it in Excel and save it as .xlsx.",
    }.get(kind, "Export the orders again as .xlsx or .csv.")
    return f'"{name}" is not a real {ext} workbook: its content is {what}. {fix}'


def check_zip(p: Path) -> None:
    """Refuse archives whose entries would unpack past sane limits (zip bombs)."""
    name = p.name
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise InputError(f'"{name}" is damaged: it is not a readable workbook (bad zip structure).') from None
    except OSError as e:
        raise InputError(f'Cannot read "{name}": {e.strerror or e}.') from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(f'"{name}" is refused: it holds {len(infos)} parts, far more than a workbook has.')
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_ENTRY_RATIO * max(info.compress_size, 1):
            raise InputError(
                f'"{name}" is refused: its part "{info.filename}" would unpack from '
                f"{info.compress_size:,} bytes to {info.file_size:,} bytes "
                f"(ratio {info.file_size / max(info.compress_size, 1):,.0f}:1), which is what a zip "
                "bomb looks like, not a workbook."
            )
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            f'"{name}" is refused: it would unpack to {total / 1024**3:.1f} GB '
            f"(limit {MAX_UNCOMPRESSED / 1024**3:.0f} GB)."
        )


# ------------------------------------------------------------------ workbooks


@dataclass
class Workbook:
    path: Path
    book: object  # python_calamine.CalamineWorkbook
    sheets: list[str]
    visible: list[str]

    def rows(self, name: str) -> list[list]:
        """All rows of a sheet from A1 (empty cells are '')."""
        import python_calamine as pc

        try:
            sheet = self.book.get_sheet_by_name(name)
            return sheet.to_python(skip_empty_area=False)
        except (pc.CalamineError, pc.ZipError, pc.XmlError) as e:  # pragma: no cover - damaged files
            raise InputError(f'Cannot read sheet "{name}" of "{self.path.name}": {e}') from None


def open_workbook(path: str | os.PathLike) -> Workbook:
    p, kind = check_file(path)
    if kind != "workbook":
        raise InputError(f'"{p.name}" is a text file, not a workbook.')
    if p.suffix.lower() in ZIP_WORKBOOK_EXT:
        check_zip(p)
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(p))
        meta = book.sheets_metadata
    except pc.PasswordError:
        raise InputError(f'"{p.name}" is password-protected. Save a copy without a password and try again.') from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as e:
        raise InputError(f'"{p.name}" could not be read as a workbook ({e}). Is it damaged?') from None
    sheets, visible = [], []
    for m in meta:
        if m.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # chart sheets, macro sheets
        sheets.append(m.name)
        if m.visible == pc.SheetVisibleEnum.Visible:
            visible.append(m.name)
    if not sheets:
        raise InputError(f'"{p.name}" has no worksheets.')
    return Workbook(p, book, sheets, visible)


# ------------------------------------------------------------------ text


@dataclass
class CsvText:
    path: Path
    data: bytes  # file bytes after any BOM
    encoding: str  # codec for data
    text: str | None  # decoded text when it had to be decoded in Python
    delimiter: str
    skip_lines: int = 0  # leading "sep=;" line
    notes: list[str] = field(default_factory=list)

    def stream(self):
        return io.StringIO(self.text) if self.text is not None else io.BytesIO(self.data)

    def head_text(self, limit: int = 262144) -> str:
        if self.text is not None:
            return self.text[:limit]
        chunk = self.data[:limit]
        return chunk.decode(self.encoding, errors="ignore")


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


def load_text(path: str | os.PathLike) -> CsvText:
    """Read a CSV/TXT export: detect encoding (utf-8, utf-8-sig, utf-16, cp1251) and delimiter."""
    p, kind = check_file(path)
    if kind != "text":
        raise InputError(f'"{p.name}" is a workbook, not a text file.')
    try:
        raw = p.read_bytes()
    except PermissionError:
        raise InputError(
            f'Cannot open "{p.name}": access denied. If it is open in another program, close it and try again.'
        ) from None
    notes: list[str] = []
    text = None
    if raw.startswith(b"\xef\xbb\xbf"):
        data, enc = raw[3:], "utf-8"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f'"{p.name}" says it is UTF-8 but byte {e.start + 3} is not valid UTF-8.') from None
        enc_name = "UTF-8 (with BOM)"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f'"{p.name}" starts like UTF-16 text but cannot be decoded as UTF-16.') from None
        data, enc, enc_name = b"", "utf-16", "UTF-16"
    else:
        data = raw
        try:
            data.decode("utf-8")
            enc, enc_name = "utf-8", "UTF-8"
        except UnicodeDecodeError:
            try:
                data.decode("cp1251")
            except UnicodeDecodeError as e:
                raise InputError(
                    f'"{p.name}": the text encoding is not recognised (byte {e.start} is neither UTF-8 nor '
                    "Windows-1251). Save the export as UTF-8 CSV."
                ) from None
            enc, enc_name = "cp1251", "Windows-1251 (Cyrillic)"
    if text is not None and "\x00" in text[:65536]:
        raise InputError(f'"{p.name}" is a binary file, not text.')
    ct = CsvText(p, data, enc, text, ",")
    head = ct.head_text()
    lines = head.splitlines()[:60]
    if head and len(head) == 262144 and lines:
        lines = lines[:-1]  # last line may be cut
    first = lines[0].strip().lower() if lines else ""
    if first.startswith("sep=") and len(first) in (5, 6):
        ct.delimiter = lines[0].strip()[4:5] or ","
        ct.skip_lines = 1
    else:
        d = _sniff_delimiter(lines)
        ct.delimiter = d or ","
    notes.append(f"read as {enc_name} text, {_DELIM_NAME.get(ct.delimiter, repr(ct.delimiter))}-separated")
    ct.notes = notes
    return ct


def text_head_rows(ct: CsvText, n: int = HEAD_ROWS) -> tuple[list[list[str]], list[int]]:
    """The first n records and, for each, the number of lines read up to its end."""
    lines = ct.head_text().splitlines(keepends=True)[ct.skip_lines:]
    rdr = csv.reader(lines, delimiter=ct.delimiter)
    rows, ends = [], []
    try:
        for rec in rdr:
            rows.append(rec)
            ends.append(rdr.line_num)
            if len(rows) >= n:
                break
    except csv.Error as e:
        raise InputError(f'"{ct.path.name}" is not readable as delimited text near line {rdr.line_num}: {e}') from None
    return rows, ends


def text_frame(ct: CsvText, skip_lines: int, ncols: int, text_cols: set[int]) -> pd.DataFrame:
    """Records after the header, columns 0..ncols-1 (more when some rows are longer).

    Blank lines are kept (as empty rows) so that row numbers stay true.
    """
    dtype = {i: "str" for i in text_cols if i < ncols}
    try:
        df = pd.read_csv(
            ct.stream(),
            sep=ct.delimiter,
            header=None,
            names=list(range(ncols)),
            skiprows=skip_lines + ct.skip_lines,
            dtype=dtype,
            encoding=ct.encoding if ct.text is None else None,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            index_col=False,
            low_memory=False,
            engine="c",
        )
        return df
    except pd.errors.ParserError:
        pass  # some row has more fields than the header: read it the slow, exact way
    except (UnicodeDecodeError, ValueError) as e:
        raise InputError(f'"{ct.path.name}" could not be read as text: {e}') from None
    text = ct.text if ct.text is not None else ct.data.decode(ct.encoding)
    lines = text.splitlines(keepends=True)[skip_lines + ct.skip_lines:]
    try:
        rows = list(csv.reader(lines, delimiter=ct.delimiter))
    except csv.Error as e:
        raise InputError(f'"{ct.path.name}" is not readable as delimited text: {e}') from None
    width = max([ncols] + [len(r) for r in rows])
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=list(range(width)), dtype=object)
