"""`retention-xl doctor` and the Check setup button: what they find and say, in en/ru/zh."""

from __future__ import annotations

import importlib.metadata as md
import io
import json
import sys
import types
from pathlib import Path

import pytest

from retention_xl import cli
from retention_xl.excel import doctor
from retention_xl.render.labels import LABELS, LANGS

XLWINGS = md.version("xlwings")


def windows_machine(tmp_path: Path, *, dll: bool, imported: bool) -> dict:
    venv = tmp_path / "venv"
    (venv / "Scripts").mkdir(parents=True)
    exe = venv / "Scripts" / "pythonw.exe"
    exe.write_text("")
    if dll:
        (venv / f"xlwings64-{XLWINGS}.dll").write_text("")  # the venv root: where pip puts it
    appdata = tmp_path / "AppData"
    record = appdata / "retention_xl" / "install.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"udfs_imported": imported, "addin": r"C:\XLSTART\retention_xl.xlam"}))
    return dict(system="Windows", executable=str(exe), version=(3, 12, 1), home=tmp_path,
                env={"APPDATA": str(appdata)}, xlwings_version=lambda: XLWINGS)


def test_cli_checks_this_python_for_real():
    out = io.StringIO()
    assert cli.main(["doctor"], stdout=out, stderr=io.StringIO()) == 0
    text = out.getvalue()
    assert f"Python: {sys.executable} (version {sys.version_info.major}.{sys.version_info.minor}" in text
    assert f"xlwings {XLWINGS}" in text
    assert "[OK] The functions answer: =CRR(210,30,200) gives 0.9" in text  # the UDF module, called
    assert text.rstrip().endswith("Verdict: everything is set up.")


def test_cli_says_what_to_do_when_the_functions_do_not_answer(monkeypatch):
    from retention_xl.excel import udfs

    monkeypatch.setattr(udfs, "CRR", lambda *a: "CRR: could not compute this (ImportError: numpy)")
    out = io.StringIO()
    assert cli.main(["doctor"], stdout=out, stderr=io.StringIO()) == 1
    text = out.getvalue()
    assert "[PROBLEM] The functions do not answer: =CRR(210,30,200) gives CRR: could not compute this" in text
    assert "Fix: Run  python install.py  again" in text
    assert "Verdict: 1 problem(s)" in text and "Traceback" not in text


def test_windows_with_everything_in_place(tmp_path):
    checks = doctor.run_checks(**windows_machine(tmp_path, dll=True, imported=True), excel_crr=lambda: 0.9)
    assert doctor.problems(checks) == []
    codes = [c.code for c in checks]
    assert codes == ["python", "package", "xlwings", "dll", "functions", "imported", "excel"]
    lines = doctor.render(checks)
    assert f"[OK] xlwings DLL found: {tmp_path / 'venv' / f'xlwings64-{XLWINGS}.dll'}" in lines
    assert "[OK] Excel answers =CRR(210,30,200) with 0.9" in lines


def test_windows_problems_each_come_with_their_fix(tmp_path):
    # what Excel's Evaluate gives for #NAME? (functions not imported): an error code, not 0.9
    checks = doctor.run_checks(**windows_machine(tmp_path, dll=False, imported=False), excel_crr=lambda: -2146826259)
    assert [c.code for c in doctor.problems(checks)] == ["dll_missing", "imported_no", "excel_bad"]
    lines = doctor.render(checks)
    text = "\n".join(lines)
    assert f"[PROBLEM] xlwings DLL xlwings64-{XLWINGS}.dll not found beside" in text
    assert "--force-reinstall xlwings" in text
    assert 'tick "Trust access to the VBA project object model"' in text
    assert "[PROBLEM] Excel does not answer =CRR(210,30,200): -2146826259" in text
    assert sum(line.strip().startswith("Fix:") for line in lines) == 3
    assert lines[-1] == "Verdict: 3 problem(s). Do what each Fix line says, then check again."


def test_an_old_python_and_no_xlwings(tmp_path):
    def missing():
        raise ModuleNotFoundError("No module named 'xlwings'")

    machine = windows_machine(tmp_path, dll=True, imported=True) | {"version": (3, 9, 2), "xlwings_version": missing}
    lines = doctor.render(doctor.run_checks(**machine))
    text = "\n".join(lines)
    assert "Python 3.9.2 is too old" in text
    assert "xlwings is not installed in this Python" in text and "-m pip install xlwings" in text


@pytest.mark.parametrize("lang", LANGS)
def test_every_doctor_text_is_worded_in_every_language(lang):
    keys = {k for k in LABELS["en"] if k.startswith("doctor.")}
    assert len(keys) >= 25
    assert keys <= set(LABELS[lang])
    if lang != "en":
        same = {k for k in keys if LABELS[lang][k] == LABELS["en"][k] and "{" not in LABELS["en"][k]}
        assert same <= {"doctor.mark_ok"}  # everything else is translated


def test_check_setup_button_shows_the_check_and_excels_own_answer(monkeypatch):
    alerts = []
    evaluated = []

    class Api:
        def Evaluate(self, formula):
            evaluated.append(formula)
            return 0.9

    app = types.SimpleNamespace(api=Api(), alert=lambda text, title=None: alerts.append((title, text)))
    import xlwings

    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: types.SimpleNamespace(app=app)))
    monkeypatch.setattr(doctor.platform, "system", lambda: "Windows")
    doctor.excel_main()
    ((title, text),) = alerts
    assert title == "retention_xl setup check" and evaluated == ["CRR(210,30,200)"]
    assert "Excel answers =CRR(210,30,200) with 0.9" in text
