"""The Excel add-in assembled without Excel: package structure, ribbon, VBA callbacks, configuration.

The VBA is read back from the built file with oletools (the same parser malware
analysts use), so these tests see what Excel would load, not what we meant to write.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from retention_xl.excel import addin

olevba = pytest.importorskip("oletools.olevba")

ROOT = Path(__file__).resolve().parents[2]
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return addin.build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def parts(built) -> dict[str, bytes]:
    with zipfile.ZipFile(built) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def vba(built) -> dict[str, str]:
    """VBA module name -> source code, as stored in the built add-in."""
    parser = olevba.VBA_Parser(str(built))
    try:
        assert parser.detect_vba_macros()
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def vba_config_keys(vba: dict[str, str]) -> set[str]:
    return set(re.findall(r'GetConfig\("([^"]+)"', "\n".join(vba.values())))


def test_file_name_and_template_vba_kept_byte_for_byte(built, parts):
    assert built.name == addin.load_config().file_name == "retention_xl.xlam"
    with zipfile.ZipFile(addin.template_path()) as z:
        assert parts["xl/vbaProject.bin"] == z.read("xl/vbaProject.bin")


def test_macro_enabled_addin_content_type_and_every_part_typed(parts):
    types = ET.fromstring(parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall(f"{{{CT_NS}}}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.findall(f"{{{CT_NS}}}Default")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    for name in parts:
        if name == "[Content_Types].xml":
            continue
        assert "/" + name in overrides or name.rsplit(".", 1)[-1] in defaults, f"{name} has no content type"
    assert all(p.lstrip("/") in parts for p in overrides), "content type for a part that does not exist"


def test_ribbon_part_parses_and_is_referenced_with_the_customui_relationship(parts):
    rels = ET.fromstring(parts["_rels/.rels"])
    ui = [r for r in rels.findall(f"{{{REL_NS}}}Relationship") if r.get("Type").endswith("/ui/extensibility")]
    assert len(ui) == 1
    # Office 2007 schema (2006/01 namespace) goes with the 2006 relationship type
    assert ui[0].get("Type") == "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    target = ui[0].get("Target")
    root = ET.fromstring(parts[target])
    assert root.tag == f"{{{CUSTOMUI_NS}}}customUI"
    assert len({r.get("Id") for r in rels}) == len(list(rels)), "duplicate relationship ids"


def _customui(parts) -> ET.Element:
    return ET.fromstring(parts["customUI/customUI.xml"])


def test_retention_tab_with_large_build_button(parts):
    root = _customui(parts)
    tabs = root.findall(f".//{{{CUSTOMUI_NS}}}tab")
    assert [t.get("label") for t in tabs] == ["Retention"]
    button = root.find(f".//{{{CUSTOMUI_NS}}}button[@id='buildKpiReport']")
    assert button.get("label") == "Build KPI report"
    assert button.get("size") == "large"
    assert button.get("imageMso")  # a built-in Office icon, no image part needed
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ribbon control ids must be unique"


def test_every_onaction_names_an_existing_vba_ribbon_callback(parts, vba):
    actions = [e.get("onAction") for e in _customui(parts).iter() if e.get("onAction")]
    assert actions, "the ribbon has no button that does anything"
    for action in actions:
        module, _, proc = action.rpartition(".")
        assert module in vba, f"{action}: no VBA module {module!r} (have {sorted(vba)})"
        signature = re.compile(
            rf"^\s*(Public\s+)?Sub\s+{re.escape(proc)}\s*\(\s*(ByRef\s+|ByVal\s+)?control\s+As\s+IRibbonControl\s*\)",
            re.I | re.M,
        )
        assert signature.search(vba[module]), f"{action}: no Sub {proc}(control As IRibbonControl) in {module}"


def test_every_get_callback_also_exists(parts, vba):
    """getLabel/getVisible/... callbacks would need VBA too; we use none we do not have."""
    code = "\n".join(vba.values())
    for e in _customui(parts).iter():
        for attr, value in e.attrib.items():
            if attr.startswith("get") or attr in ("onLoad", "onChange"):
                assert re.search(rf"Sub\s+{re.escape(value.rpartition('.')[2])}\b", code), value


def _sub_body(code: str, name: str) -> str:
    m = re.search(rf"Sub\s+{name}\b.*?End Sub", code, re.S | re.I)
    assert m, name
    return m.group(0)


def test_button_vba_calls_runpython_with_module_named_after_the_addin(parts, vba):
    body = _sub_body(vba["RibbonMyAddin"], "RunMain")
    assert "RunPython" in body
    # the command RunMain builds: "import <name>;<name>.main()" with <name> = workbook name up to the last dot
    assert 'Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))' in body
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in body
    assert re.search(r"Public Function RunPython\(PythonCommand As String\)", vba["xlwings"])


def test_python_entry_point_the_vba_runs_is_importable_and_callable(built):
    module_name = addin.module_run_by_template(built.name)
    assert module_name == "retention_xl"
    command = f"import {module_name};{module_name}.main()"
    assert addin.load_config().entry_point == f"{module_name}.main"
    module = importlib.import_module(module_name)
    assert callable(module.main)
    # the exact statement compiles as Python (what xlwings passes to python -c)
    compile(command, "<RunPython>", "exec")


def test_package_entry_point_runs_the_ribbon_button(monkeypatch):
    import retention_xl
    from retention_xl.excel import ribbon

    clicks = []
    monkeypatch.setattr(ribbon, "main", lambda: clicks.append("built"))
    retention_xl.main()
    assert clicks == ["built"]


def test_configuration_sheet_is_the_one_the_vba_reads(parts, vba, built):
    project = re.search(r'PROJECT_NAME As String = "([^"]+)"', vba["xlwings"]).group(1)
    assert "GetConfigFromSheet" in vba["xlwings"] and 'wb.Sheets(PROJECT_NAME & ".conf")' in vba["xlwings"]
    workbook = ET.fromstring(parts["xl/workbook.xml"])
    names = [s.get("name") for s in workbook.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet")]
    assert names == [f"{project}.conf"]  # active (the template ships it as "_myaddin.conf")
    rows = addin.read_config_sheet(built)
    assert dict(rows)["UDF Modules"] == "retention_xl.excel.udfs"


def test_every_configuration_key_is_one_the_vba_actually_reads(built, vba):
    keys = vba_config_keys(vba)
    assert {"INTERPRETER_WIN", "INTERPRETER_MAC", "UDF MODULES", "PYTHONPATH"} <= keys
    rows = addin.read_config_sheet(built)
    # GetConfigFromSheet stores UCase(key); GetConfig looks up the literal it is called with
    written = [k for k, _ in rows]
    assert len(written) == len({k.upper() for k in written}), "duplicate key would make Dictionary.Add fail"
    for key in written:
        assert key.upper() in keys, f"{key!r} is not read by the xlwings VBA (it reads {sorted(keys)})"
    assert len(rows) == len(addin.load_config().sheet), "a blank key cut the configuration short"


def test_interpreter_values_are_written_into_the_addin(tmp_path):
    path = addin.build_addin(tmp_path, values={"interpreter_win": r"C:\Py\Scripts\pythonw.exe"})
    rows = dict(addin.read_config_sheet(path))
    assert rows["Interpreter_Win"] == r"C:\Py\Scripts\pythonw.exe"
    with pytest.raises(addin.AddinBuildError):
        addin.build_addin(tmp_path, values={"Interpreter": "x"})  # not a key of ours


def test_booleans_stay_booleans_and_workbook_folder_is_kept_off_sys_path(built):
    rows = dict(addin.read_config_sheet(built))
    assert rows["Use UDF Server"] is False and rows["Show Console"] is False
    # compared as text by xlwings.utils.prepare_sys_path: args[0].lower() == "true"
    assert rows["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"


def test_build_is_deterministic(tmp_path, built):
    again = addin.build_addin(tmp_path)
    assert again.read_bytes() == built.read_bytes()


def test_template_author_path_is_not_shipped(parts):
    assert b"felix" not in parts["xl/workbook.xml"].lower()
    assert b"felix" not in parts["docProps/core.xml"].lower()


def test_config_entry_point_must_match_file_name(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"file_name": "retention_xl.xlam", "entry_point": "retention_xl.excel.ribbon.main", "sheet": []}')
    with pytest.raises(addin.AddinBuildError, match=r"runs retention_xl\.main\(\)"):
        addin.load_config(cfg)


def test_install_py_builds_the_addin_on_this_os(tmp_path):
    out = tmp_path / "dist"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "install.py"), "--build-addin", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "retention_xl.xlam").is_file()
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- the demo workbook

DEMO = ROOT / "workbook" / "retention_xl_demo.xlsx"


def _make_demo():
    """workbook/make_demo.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "workbook" / "make_demo.py")
    make_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_demo)
    return make_demo


def test_demo_workbook_is_what_make_demo_generates(tmp_path):
    make_demo = _make_demo()
    fresh = make_demo.build(tmp_path / "demo.xlsx")
    # same content: formulas, values and cached results, fitted CLV figures within 1e-6 (another
    # SciPy's optimiser moves the 8th digit; bytes differ across XlsxWriter versions)
    assert make_demo.differences(DEMO, fresh) == [], "run python workbook/make_demo.py"


def test_demo_functions_sheet_shows_formula_expected_value_and_live_formula():
    import openpyxl

    formulas = openpyxl.load_workbook(DEMO)["Functions"]
    cached = openpyxl.load_workbook(DEMO, data_only=True)["Functions"]
    rows = {}
    for r in range(5, formulas.max_row + 1):
        text, live = formulas.cell(r, 2).value, formulas.cell(r, 4).value
        if isinstance(live, str) and live.startswith("="):
            assert text == live  # the text shown is the formula that runs
            expected = formulas.cell(r, 3).value
            assert cached.cell(r, 4).value == pytest.approx(expected)  # previews show the right number
            rows[text] = expected
    # SPEC's worked examples, independent of the code that generated the file
    assert rows["=CRR(210,30,200)"] == pytest.approx(0.90)
    assert rows["=CHURN(210,30,200)"] == pytest.approx(0.10)
    assert rows["=CLV(50,24)"] == pytest.approx(1200)
    assert rows["=CONVERSION(700,1000)"] == pytest.approx(0.70)
    assert rows["=COMPLAINT_RATE(50,700)"] == pytest.approx(50 / 700)
    assert rows["=UPSELL_RATE(350,700)"] == pytest.approx(0.50)
    assert rows['=CRR_BENCHMARK("retail")'] == pytest.approx(0.63)
    assert rows["=RETURN_RATE(5,100)"] == pytest.approx(0.05)
    # every function of the add-in is shown: scalar ones in the table above, spilled
    # ones (COHORT_RETENTION, RFM, CLV_PREDICT) as a formula text somewhere in the demo
    udf_names = {n for n in dir(importlib.import_module("retention_xl.excel.udfs")) if n.isupper() and not n.startswith("_")}
    every_text = " ".join(
        str(cell.value)
        for ws in openpyxl.load_workbook(DEMO).worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    )
    shown = {t[1:t.index("(")] for t in rows} | {n for n in udf_names if f"={n}(" in every_text}
    assert {"COHORT_RETENTION", "RFM", "CLV_PREDICT"} <= shown
    assert udf_names <= shown, f"not in the demo workbook: {sorted(udf_names - shown)}"


def test_demo_orders_sheet_holds_the_sample_orders_from_a1():
    import csv

    import openpyxl

    ws = openpyxl.load_workbook(DEMO, read_only=True)["Orders"]
    rows = list(ws.iter_rows(values_only=True))
    with (ROOT / "retention_xl" / "data" / "sample_orders.csv").open(encoding="utf-8") as f:
        sample = list(csv.reader(f))
    assert list(rows[0]) == sample[0]
    assert len(rows) == len(sample)
    assert rows[1][1].year >= 2000  # real dates, not text


def test_make_demo_check_accepts_the_committed_workbook(capsys):
    """`make_demo.py --check` is what the README tells a release manager to run; it must agree with the
    test above (same cells, fitted CLV figures within 1e-6), not fail on another SciPy's 8th digit."""
    make_demo = _make_demo()
    assert make_demo.main(["--check"]) == 0, capsys.readouterr().out
    assert "up to date" in capsys.readouterr().out


def test_make_demo_check_still_catches_a_changed_value(tmp_path, monkeypatch):
    import shutil

    import openpyxl

    make_demo = _make_demo()
    stale = tmp_path / "demo.xlsx"
    shutil.copy(DEMO, stale)
    wb = openpyxl.load_workbook(stale)
    wb["Functions"]["C5"] = wb["Functions"]["C5"].value * 1.001  # an expected value that moved
    wb.save(stale)
    monkeypatch.setattr(make_demo, "OUT", stale)
    assert make_demo.main(["--check"]) == 1


@pytest.mark.libreoffice
def test_libreoffice_opens_the_addin_as_an_intact_macro_workbook(built, tmp_path):
    """A second reader of the package: LibreOffice loads the .xlam (with its VBA-aware filter; its type
    detection does not know the add-in content type, for xlwings' own template neither) and finds the
    configuration sheet with every key and value - not 'could not be loaded' or a repaired file."""
    import shutil

    import openpyxl

    from conftest import soffice_path

    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "out"
    cmd = [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
           "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "xlsx", "--outdir", str(out), str(built)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    converted = out / "retention_xl.xlsx"
    assert converted.is_file(), proc.stdout + proc.stderr
    assert "could not be loaded" not in proc.stdout + proc.stderr
    ws = openpyxl.load_workbook(converted)["myaddin.conf"]
    rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert list(rows) == [k for k, _ in addin.load_config().sheet]
    assert rows["UDF Modules"] == "retention_xl.excel.udfs"
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_per_call_lookups_are_answered_by_the_sheet_with_empty_values(built, vba):
    """The xlwings VBA asks for these on every call (RunPython, XLPyCommand); a key missing from
    the sheet makes GetConfig go on to the directory and user config files on disk (issue 9, item 5)."""
    per_call = ("ONEDRIVE_CONSUMER_WIN", "ONEDRIVE_COMMERCIAL_WIN", "SHAREPOINT_WIN", "LICENSE_KEY")
    for key in per_call:
        assert f'GetConfig("{key}"' in vba["xlwings"], key
    assert "If GetConfigFromSheet(ActiveWorkbook).Exists(configKey) = True Then" in vba["xlwings"] or \
        "If GetConfigFromSheet(ThisWorkbook).Exists(configKey) = True Then" in vba["xlwings"]
    rows = dict(addin.read_config_sheet(built))
    assert {key: rows[key] for key in per_call} == dict.fromkeys(per_call, "")
