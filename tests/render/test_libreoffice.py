"""The generated workbooks opened in LibreOffice: recalculated formulas agree with
the values stored in the file, and every workbook prints to PDF.

LibreOffice stands in for "a recipient's spreadsheet program without Python or
the add-in". Each run uses a private profile (parallel runs do not collide) that
tells Calc to always recalculate on load; a control file whose stored value is
deliberately wrong proves that recalculation really happened.
"""

from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from conftest import soffice_path

pytestmark = pytest.mark.libreoffice

SOFFICE = soffice_path()
if SOFFICE is None:
    pytest.skip("LibreOffice (soffice) is not installed: cannot check the report in a second spreadsheet program",
                allow_module_level=True)

KEYS = ("en", "ru", "zh", "anon", "hostile")

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _soffice(profile: Path, fmt: str, outdir: Path, files: list[Path]) -> None:
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def converted(built_reports, sample_read, tmp_path_factory):
    work = tmp_path_factory.mktemp("lo")
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    src = work / "src"
    src.mkdir()
    files = []
    for key in KEYS:
        p = src / f"{key}.xlsx"
        shutil.copyfile(built_reports[key].path, p)
        files.append(p)
    # the sample with default settings (no industry benchmark row): the plainest dashboard
    from retention_xl.pipeline import build_report
    from retention_xl.settings import ReportSettings
    build_report(sample_read, ReportSettings(), src / "plain.xlsx")
    files.append(src / "plain.xlsx")
    control = src / "control.xlsx"
    wb = xlsxwriter.Workbook(str(control))
    ws = wb.add_worksheet("S")
    ws.write_number(0, 0, 2)
    ws.write_formula(1, 0, "=A1*3", None, 999)  # wrong on purpose: LibreOffice must say 6
    wb.close()
    files.append(control)
    xlsx_out, pdf_out = work / "xlsx", work / "pdf"
    _soffice(profile, 'xlsx:Calc MS Excel 2007 XML', xlsx_out, files)
    _soffice(profile, "pdf", pdf_out, files[:-1])
    return {"src": src, "xlsx": xlsx_out, "pdf": pdf_out}


def test_libreoffice_really_recalculates(converted):
    ws = openpyxl.load_workbook(converted["xlsx"] / "control.xlsx", data_only=True)["S"]
    assert ws["A2"].value == 6


@pytest.mark.parametrize("key", KEYS)
def test_recalculated_formulas_equal_stored_values(converted, key):
    original = converted["src"] / f"{key}.xlsx"
    formulas = openpyxl.load_workbook(original)
    stored = openpyxl.load_workbook(original, data_only=True)
    recalculated = openpyxl.load_workbook(converted["xlsx"] / f"{key}.xlsx", data_only=True)
    assert recalculated.sheetnames == formulas.sheetnames
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                want = stored[ws.title][c.coordinate].value
                got = recalculated[ws.title][c.coordinate].value
                assert isinstance(want, (int, float)), (ws.title, c.coordinate, c.value, want)
                assert isinstance(got, (int, float)), (ws.title, c.coordinate, c.value, got)
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (ws.title, c.coordinate, c.value)
                checked += 1
    assert checked >= 10  # CRR, churn, retained, AOV, monthly and segment totals, shares


@pytest.mark.parametrize("key", KEYS)
def test_every_workbook_prints(converted, key):
    pdf = converted["pdf"] / f"{key}.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    assert pages >= 6  # at least one page per sheet


def _page_words(pdf: Path, page: int) -> list[tuple[float, str]]:
    """(top, word) of every word on one page, top first (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = [(float(y), html.unescape(w)) for y, w in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]
    return sorted(words)


def _page_text(pdf: Path, page: int) -> str:
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
@pytest.mark.parametrize("key", ["en", "ru", "zh", "plain"])
def test_dashboard_prints_as_two_whole_pages(converted, built_reports, key):
    # page 1: header, tiles, the S/E/N block with the revenue chart beside it; page 2: the customers
    # chart and the monthly table (24 months in the sample) -- nothing cut by a page edge, no blank page
    from retention_xl.render.labels import Labels
    L = Labels(built_reports[key].lang if key in built_reports else "en")
    pdf = converted["pdf"] / f"{key}.pdf"
    page1, page2 = _page_text(pdf, 1), _page_text(pdf, 2)
    assert L("dash.title") in page1 and L("ret.start") in page1 and L("ret.churn") in page1
    assert L("chart.revenue_orders") in page1
    # the first thing on page 2 is the customers chart's title, not the rest of page 1
    words2 = _page_words(pdf, 2)
    assert words2 and L("chart.customers").startswith(words2[0][1]), words2[:5]
    for label in ("ret.start", "ret.end", "ret.crr", "ret.churn", "chart.revenue_orders"):
        assert L(label) not in page2, label
    assert L("dash.monthly") in page2
    assert L("dash.total_all") in page2 and L("dash.outside_period") in page2  # the table ends on this page
