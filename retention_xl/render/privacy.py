"""Stable pseudonyms for customer ids and removal of personal columns.

Decision (see README "Anonymised reports"): a pseudonym is ``C-`` + the first 10
hex digits of HMAC-SHA256(key, customer id). The key is secret and local:

* ``RETENTION_XL_ANON_KEY`` when set (share it between machines that must agree);
* otherwise a random 256-bit key created on first use in the user's settings
  folder (``%APPDATA%\\retention_xl\\anonymize.key`` or
  ``~/.config/retention_xl/anonymize.key``).

So the same customer gets the same pseudonym in every report made with that key
(month-on-month follow-up works), while a recipient cannot recover ids by hashing
candidate ids, as they could with a fixed published salt (customer ids are
usually short numbers, so an unkeyed or fixed-salt hash is trivially reversible).
A fresh random key per report would be safe too but breaks that stability.
10 hex digits = 40 bits: collisions are unlikely even for a million customers and
are resolved by lengthening the colliding pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from retention_xl.errors import RetentionXLError
from retention_xl.engine.report import KpiReport
from retention_xl.engine import tables

KEY_ENV = "RETENTION_XL_ANON_KEY"
HOME_ENV = "RETENTION_XL_HOME"
PREFIX = "C-"
DIGITS = 10
PERSONAL_ROLES = ("customer_name", "email", "phone")  # the reader's column roles of personal data
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_RAW_SEP = " | "


def key_path() -> Path:
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home) / "anonymize.key"
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "retention_xl" / "anonymize.key"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "retention_xl" / "anonymize.key"


def anonymization_key() -> bytes:
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    path = key_path()
    try:
        if path.exists():
            text = path.read_text(encoding="ascii").strip()
            if text:
                return text.encode("ascii")
        path.parent.mkdir(parents=True, exist_ok=True)
        text = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text + "\n")
        return text.encode("ascii")
    except FileExistsError:  # another run created it a moment ago
        return path.read_text(encoding="ascii").strip().encode("ascii")
    except OSError as exc:
        raise RetentionXLError("error.anonymize_key", path=str(path), reason=str(exc.strerror or exc),
                               env=KEY_ENV) from None


class Pseudonymizer:
    """id -> "C-XXXXXXXXXX", consistent within a report, collision-free."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._map: dict[str, str] = {}
        self._used: dict[str, str] = {}

    def _digest(self, cid: str) -> str:
        return hmac.new(self._key, cid.encode("utf-8"), hashlib.sha256).hexdigest().upper()

    def __call__(self, cid: object) -> str | None:
        if cid is None or (isinstance(cid, float) and np.isnan(cid)):
            return None
        s = str(cid).strip()
        if not s:
            return ""
        got = self._map.get(s)
        if got is not None:
            return got
        digest = self._digest(s)
        n = DIGITS
        name = PREFIX + digest[:n]
        while name in self._used and self._used[name] != s:
            n += 2
            name = PREFIX + digest[:n]
        self._map[s] = name
        self._used[name] = s
        return name

    def many(self, ids: Iterable[object]) -> list[str | None]:
        return [self(x) for x in ids]


def _anonymize_customers(frame: pd.DataFrame, pseudo: Pseudonymizer) -> pd.DataFrame:
    """The customers table without the columns tables.CUSTOMERS declares personal, ids pseudonymised."""
    out = frame.drop(columns=[c for c in tables.CUSTOMERS.personal if c in frame.columns])
    out["customer_id"] = pd.Series(pseudo.many(out["customer_id"].tolist()), index=out.index, dtype=object)
    return out


def anonymize_report(report: KpiReport, pseudo: Pseudonymizer) -> KpiReport:
    """A copy of *report* whose tables carry pseudonyms and no personal columns.

    Only the customers table holds customers; the typed parts hold figures.
    """
    return replace(report, customers_table=_anonymize_customers(report.customers_table, pseudo))


def split_raw(raw: object, headers: Sequence[str]) -> dict[str, str] | None:
    """The reader's raw text ("v1 | v2 | …", in header order) as {header: value}.

    None when the text does not line up with the headers (a value containing
    " | " itself): such a row cannot be cleaned reliably.
    """
    if isinstance(raw, dict):
        return {str(k): "" if v is None else str(v) for k, v in raw.items()}
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return {}
    parts = str(raw).split(_RAW_SEP)
    if len(parts) > len(headers):
        return None
    return {str(h): v for h, v in zip(headers, parts)}


_PERSONAL_HEADER = re.compile(
    r"(e[-_ ]?mail|mail|phone|tel|mobile|name|address|"
    r"почт|телефон|тел\.|мобил|имя|фио|фамил|адрес|"
    r"邮箱|邮件|电话|手机|姓名|名字|地址)",
    re.IGNORECASE,
)


def looks_personal(header: object) -> bool:
    """Input headers that carry personal data (names, e-mails, phones, addresses).

    Only for the skipped rows' raw cells, which keep every input column; the report's own
    tables drop what tables.py declares personal.
    """
    return bool(_PERSONAL_HEADER.search(str(header)))


#: Words put where a personal value was (the pipeline passes the report's language).
REMOVED_MARKS = {"email": "[e-mail removed]", "other": "[removed]"}
_PHONE_CHARS = re.compile(r"\+?[\d\s().\-/]+")


def looks_like_phone(text: str) -> bool:
    """A whole cell that is a phone (or card) number: digits and phone punctuation only, and
    9 or more digits (7 after a leading +). Dates such as 31.02.2024 have 8 and stay."""
    t = text.strip()
    digits = sum(ch.isdigit() for ch in t)
    return bool(_PHONE_CHARS.fullmatch(t)) and (digits >= 9 or (t.startswith("+") and digits >= 7))


def _scrub(value: str, personal: set[str], marks: Mapping[str, str]) -> str:
    """One cell's text (or a reason's quoted value) without personal data."""
    quoted = len(value) >= 2 and value[0] == value[-1] == "'"
    core = value[1:-1] if quoted else value
    if core.strip() in personal or looks_like_phone(core):
        core = marks["other"]
    else:
        core = _EMAIL.sub(marks["email"], core)
    return f"'{core}'" if quoted else core


_QUOTED = re.compile(r"'[^']*'")


def anonymize_skipped(skipped: pd.DataFrame, headers: Sequence[str], columns: Mapping[str, Any],
                      pseudo: Pseudonymizer, marks: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Skipped rows with personal values removed and the customer id pseudonymised.

    ``raw`` becomes a dict {header: value} without personal columns; rows whose
    raw text cannot be aligned with the headers lose their raw values entirely.
    The reason quotes the cell it could not read; when columns have slipped that
    cell may hold an e-mail, a phone number or a name, so the quoted values (and
    the other raw values) are cleaned too: e-mails, phone-like numbers and any
    value of a personal column of the skipped rows are replaced by *marks*.
    """
    marks = {**REMOVED_MARKS, **(marks or {})}
    personal_cols = {str(columns[r]) for r in PERSONAL_ROLES if columns.get(r)}
    personal_cols |= {str(h) for h in headers if looks_personal(h)}
    id_header = columns.get("customer_id") or columns.get("customer")
    split = [split_raw(raw, headers)
             for raw in (skipped["raw"].tolist() if "raw" in skipped.columns else [None] * len(skipped))]
    personal_values = {str(v).strip() for d in split if d for h, v in d.items()
                       if h in personal_cols and len(str(v).strip()) >= 3}
    raws = []
    for d in split:
        if d is None:
            raws.append({})
            continue
        clean = {}
        for h, v in d.items():
            if h in personal_cols:
                continue
            if id_header is not None and h == str(id_header):
                v = pseudo(v) or ""
            else:
                v = _scrub(v, personal_values, marks)
            clean[h] = v
        raws.append(clean)
    out = skipped.copy()
    out["raw"] = pd.Series(raws, index=out.index, dtype=object)
    if "parts" in out.columns:
        out["parts"] = pd.Series(
            [tuple((code, None if v is None else _scrub(str(v), personal_values, marks)) for code, v in p)
             if isinstance(p, tuple) else p for p in out["parts"].tolist()], index=out.index, dtype=object)
    if "reason" in out.columns:
        out["reason"] = pd.Series(
            [_EMAIL.sub(marks["email"], _QUOTED.sub(lambda m: _scrub(m.group(0), personal_values, marks), str(r)))
             for r in out["reason"].tolist()], index=out.index, dtype="str")
    return out
