"""The generated workbooks opened in LibreOffice: recalculated formulas agree with
the values stored in the file, and every workbook prints to PDF.

LibreOffice stands in for "a recipient's spreadsheet program without Python or
the add-in". Each run uses a private profile (parallel runs do not collide) that
tells Calc to always recalculate on load; a control file whose stored value is
deliberately wrong proves that recalculation really happened.
"""

from __future__ import annotations

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
def converted(built_reports, tmp_path_factory):
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
