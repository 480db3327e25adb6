"""Shared fixtures: report workbooks built once per session from real order files."""

from __future__ import annotations

import csv
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from retention_xl.settings import ReportSettings

SAMPLE = Path(__file__).resolve().parents[1] / "retention_xl" / "data" / "sample_orders.csv"
ANON_KEY = "test-key-not-secret"

# Text a spreadsheet would run if it were written with write(): it must stay text.
HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1)",
           "=1+1", "http://example.com/phish"]


@dataclass
class Built:
    read: object
    outcome: object
    path: Path
    lang: str
    anonymize: bool


def write_hostile_csv(path: Path, bad_rows: int = 3) -> Path:
    """A small order export with formula-like names/ids, phones and a few unusable rows."""
    rows = [["Order ID", "Order Date", "Customer ID", "Customer Name", "Email", "Phone", "Amount"]]
    n = 0
    for i, name in enumerate(HOSTILE * 4):
        n += 1
        cust = f"K{(i % 9) + 1:03d}" if i % 5 else HOSTILE[i % len(HOSTILE)]
        month = 1 + (i * 7) % 12
        rows.append([f"O{n}", f"2024-{month:02d}-{1 + i % 27:02d}", cust, name,
                     f"person{i % 9}@example.com", f"+7 900 000-00-{i % 9:02d}", f"{10 + i * 3}.50"])
    for j in range(bad_rows):
        rows.append([f"B{j}", "not a date", f"K{j % 9 + 1:03d}", HOSTILE[j % len(HOSTILE)],
                     f"bad{j}@example.com", f"+7 911 111-11-{j % 100:02d}", "5"])
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def system_temp(tmp_path, monkeypatch) -> Path:
    """pytest's tmp_path lives in the real temp folder, which the button avoids; move "temp" aside."""
    from retention_xl.excel import ribbon

    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(ribbon.tempfile, "gettempdir", lambda: str(temp))
    return temp


@pytest.fixture(scope="session")
def anon_env():
    old = os.environ.get("RETENTION_XL_ANON_KEY")
    os.environ["RETENTION_XL_ANON_KEY"] = ANON_KEY
    yield ANON_KEY
    if old is None:
        os.environ.pop("RETENTION_XL_ANON_KEY", None)
    else:
        os.environ["RETENTION_XL_ANON_KEY"] = old


@pytest.fixture(scope="session")
def sample_read():
    from retention_xl.read.orders import read_orders
    return read_orders(SAMPLE)


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory, sample_read, anon_env):
    """en / ru / zh sample reports, an anonymised one, and the hostile-data report."""
    from retention_xl.read.orders import read_orders
    from retention_xl.pipeline import build_report

    d = tmp_path_factory.mktemp("reports")
    out: dict[str, Built] = {}
    for key, lang, anon in (("en", "en", False), ("ru", "ru", False), ("zh", "zh", False),
                            ("anon", "en", True)):
        settings = ReportSettings(lang=lang, anonymize=anon, industry="retail" if lang != "zh" else "零售")
        path = d / f"sample {key}.xlsx"
        outcome = build_report(sample_read, settings, path, d / f"sample {key}.json")
        out[key] = Built(sample_read, outcome, path, lang, anon)
    hostile_csv = write_hostile_csv(d / "hostile.csv")
    for key, anon in (("hostile", False), ("hostile_anon", True)):
        read = read_orders(hostile_csv)
        path = d / f"{key}.xlsx"
        outcome = build_report(read, ReportSettings(anonymize=anon), path, d / f"{key}.json")
        out[key] = Built(read, outcome, path, "en", anon)
    return out


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# --- every report JSON the tests make is checked against the shipped schema -------------------

_SCHEMA_CHECKED: list[int] = []


@pytest.fixture(autouse=True)
def _report_json_follows_the_schema(monkeypatch):
    """Wrap pipeline.report_json: each JSON a test builds through the pipeline must validate."""
    import json

    import jsonschema

    from retention_xl import pipeline
    from retention_xl.engine.report_json import SCHEMA_PATH

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    original = pipeline.report_json

    def checked(report):
        data = original(report)
        jsonschema.validate(json.loads(json.dumps(data)), schema)
        _SCHEMA_CHECKED.append(1)
        return data

    monkeypatch.setattr(pipeline, "report_json", checked)
