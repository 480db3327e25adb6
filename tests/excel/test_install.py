"""install.py's Excel steps, run on Linux against a fake home folder and platform.

Nothing here starts Excel: the one step that needs it (importing the UDF wrappers
on Windows) is passed in as a function, so tests use a stand-in that edits the
file the way Excel's save would.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import zipfile
from pathlib import Path

import pytest

from retention_xl.excel import addin

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("install_script", ROOT / "install.py")
install = importlib.util.module_from_spec(spec)
sys.modules["install_script"] = install
spec.loader.exec_module(install)

ADDIN = addin.load_config().file_name
PYTHONW = r"C:\Users\ana\venvs\rx\Scripts\pythonw.exe"


def windows(tmp_path: Path) -> "install.Platform":
    home = tmp_path / "home"
    return install.Platform("Windows", home, {"APPDATA": str(home / "AppData" / "Roaming")})


def mac(tmp_path: Path) -> "install.Platform":
    return install.Platform("Darwin", tmp_path / "home", {})


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


class FakeExcelImport:
    """Stands in for Excel importing the UDF wrappers and saving the add-in."""

    def __init__(self, ok: bool = True, message: str = ""):
        self.ok, self.message, self.calls = ok, message, []

    def __call__(self, path: Path):
        self.calls.append(path)
        if self.ok:  # Excel saves the add-in with the new VBA modules in its vbaProject.bin
            with zipfile.ZipFile(path) as z:
                parts = [(i, z.read(i.filename)) for i in z.infolist()]
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for info, data in parts:
                    z.writestr(info, data + SAVED_MARK if info.filename == "xl/vbaProject.bin" else data)
        return self.ok, self.message


SAVED_MARK = b"<saved by Excel with xlwings_udfs>"


def vba_project(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def ribbon_ids(path: Path) -> set[str]:
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read(addin.CUSTOMUI_PART))
    return {e.get("id") for e in root.iter() if e.get("id")}


# --------------------------------------------------------------------------- where things go


def test_windows_startup_folder_is_the_users_xlstart(tmp_path):
    plat = windows(tmp_path)
    assert install.startup_dir(plat) == tmp_path / "home/AppData/Roaming/Microsoft/Excel/XLSTART"


def test_mac_startup_folder_prefers_the_one_that_exists(tmp_path):
    plat = mac(tmp_path)
    default = plat.home / install.MAC_STARTUP_CANDIDATES[0]
    assert install.startup_dir(plat) == default
    other = plat.home / install.MAC_STARTUP_CANDIDATES[1]
    other.mkdir(parents=True)
    assert install.startup_dir(plat) == other


def test_linux_has_no_excel_startup_folder(tmp_path):
    with pytest.raises(RuntimeError):
        install.startup_dir(install.Platform("Linux", tmp_path, {}))


def test_pythonw_beside_python_is_chosen_on_windows():
    plat = install.Platform("Windows", Path("/unused"), {})
    exists = {PYTHONW}.__contains__
    assert install.gui_interpreter(plat, PYTHONW.replace("pythonw", "python"), exists) == PYTHONW
    # no pythonw.exe (unusual builds): the full python.exe path, never a bare "python"
    assert install.gui_interpreter(plat, r"C:\Py\python.exe", lambda p: False) == r"C:\Py\python.exe"


def test_mac_interpreter_is_the_full_path_not_resolved_through_symlinks(tmp_path):
    venv_python = tmp_path / "venv/bin/python"
    venv_python.parent.mkdir(parents=True)
    venv_python.symlink_to(sys.executable)
    chosen = install.gui_interpreter(mac(tmp_path), str(venv_python))
    assert chosen == str(venv_python)  # resolving would leave the venv and lose its packages


def test_store_python_is_flagged():
    plat = install.Platform("Windows", Path("/unused"), {})
    store = r"C:\Users\a\AppData\Local\Microsoft\WindowsApps\PythonSoftwareFoundation.Python.3.11_q\python.exe"
    assert "Microsoft Store" in install.interpreter_warnings(plat, store)[0]
    assert install.interpreter_warnings(plat, PYTHONW) == []


def test_a_mac_python_path_with_a_space_gets_a_launcher_the_shell_can_run(tmp_path):
    """xlwings' AppleScript hands Interpreter_Mac to the shell unquoted (`PythonInterpreter & " -B -u ..."`),
    so /Users/ana/My Tools/.venv/bin/python would run "/Users/ana/My" and the button only say "Running...".
    Excel is pointed at a launcher without spaces instead; here the shell runs both the way xlwings does."""
    import venv

    env_dir = tmp_path / "My Tools" / "venv"
    venv.create(env_dir, symlinks=True, with_pip=False)
    spaced = env_dir / "bin" / "python"
    plat = mac(tmp_path)
    report = install.install_addin(plat, str(spaced), udf_fingerprint="v1")
    launcher = plat.home / install.MAC_LAUNCHER
    target = install.startup_dir(plat) / ADDIN
    assert dict(addin.read_config_sheet(target))["Interpreter_Mac"] == str(launcher)
    assert any(str(launcher) in line and "space" in line for line in report.changed)
    assert not install.needs_mac_launcher(str(launcher)) and os.access(launcher, os.X_OK)
    command = ' -B -u -c "import sys; print(sys.prefix)"'  # what the AppleScript appends
    import subprocess

    direct = subprocess.run(str(spaced) + command, shell=True, capture_output=True, text=True)
    assert direct.returncode != 0  # the shell split the path
    via = subprocess.run(str(launcher) + command, shell=True, capture_output=True, text=True)
    assert via.returncode == 0 and via.stdout.strip() == str(env_dir)  # still that virtual environment
    # a second run changes nothing; uninstall removes the launcher
    before = snapshot(plat.home)
    assert install.install_addin(plat, str(spaced), udf_fingerprint="v1").changed == []
    assert snapshot(plat.home) == before
    install.uninstall(plat)
    assert not launcher.exists()
    # a plain path needs no launcher; Windows quotes the path itself
    assert not install.needs_mac_launcher("/Users/ana/retention_xl/.venv/bin/python")
    assert install.interpreter_warnings(install.Platform("Windows", Path("/unused"), {}),
                                        r"C:\Users\Ana Lee\rx\Scripts\pythonw.exe") == []


def _info(prefix: Path) -> "install.TargetInfo":
    return install.TargetInfo(str(prefix / "python.exe"), str(prefix), str(prefix), "", "0.37.8", str(prefix))


class CaptureBuild:
    def __init__(self):
        self.values = []

    def __call__(self, out_dir, values):
        self.values.append(values)
        return addin.build_addin(out_dir, values=values)


@pytest.mark.parametrize(("env", "expected_env"), [("envs/rx", "rx"), ("", "base")])
def test_a_conda_python_on_windows_gets_conda_path_and_env_and_no_interpreter(tmp_path, env, expected_env):
    root = tmp_path / "miniconda3"
    prefix = root / env if env else root
    (root / "conda-meta").mkdir(parents=True)
    (prefix / "conda-meta").mkdir(parents=True, exist_ok=True)
    build = CaptureBuild()
    install.install_addin(windows(tmp_path), str(prefix / "pythonw.exe"), build=build, info=_info(prefix),
                          import_udfs=FakeExcelImport(), udf_fingerprint="v1")
    assert build.values == [{"Interpreter_Win": "", "Conda Path": str(root), "Conda Env": expected_env}]
    sheet = dict(addin.read_config_sheet(install.startup_dir(windows(tmp_path)) / ADDIN))
    assert (sheet["Interpreter_Win"], sheet["Conda Path"], sheet["Conda Env"]) == ("", str(root), expected_env)


def test_a_plain_python_keeps_its_interpreter_and_no_conda(tmp_path):
    prefix = tmp_path / "venv"
    prefix.mkdir()
    build = CaptureBuild()
    install.install_addin(windows(tmp_path), PYTHONW, build=build, info=_info(prefix),
                          import_udfs=FakeExcelImport(), udf_fingerprint="v1")
    assert build.values == [{"Interpreter_Win": PYTHONW}]
    assert install.conda_settings(str(prefix)) is None


# --------------------------------------------------------------------------- install / idempotence


def test_windows_install_writes_configured_addin_and_imports_udfs(tmp_path):
    plat = windows(tmp_path)
    excel = FakeExcelImport()
    report = install.install_addin(plat, PYTHONW, import_udfs=excel, udf_fingerprint="v1")
    target = install.startup_dir(plat) / ADDIN
    assert target.is_file()
    assert excel.calls == [target]
    assert any("Installed the Excel add-in" in line for line in report.changed)
    assert any("Imported the Excel functions" in line for line in report.changed)
    # the configuration the VBA reads names the full pythonw.exe
    clean = addin.build_addin(tmp_path / "clean", values={"Interpreter_Win": PYTHONW})
    assert addin.read_config_sheet(target) == addin.read_config_sheet(clean)
    assert dict(addin.read_config_sheet(target))["Interpreter_Win"] == PYTHONW
    assert vba_project(target) == vba_project(clean) + SAVED_MARK  # what "Excel" saved is kept
    # the VBA install.py wrote is there, so the button that calls it is shown
    assert "checkSetup" in ribbon_ids(target) and "checkSetup" not in ribbon_ids(clean)


def test_running_twice_changes_nothing(tmp_path):
    plat = windows(tmp_path)
    excel = FakeExcelImport()
    install.install_addin(plat, PYTHONW, import_udfs=excel, udf_fingerprint="v1")
    before = snapshot(plat.home)
    report = install.install_addin(plat, PYTHONW, import_udfs=excel, udf_fingerprint="v1")
    assert report.changed == []
    assert "up to date" in report.notes[0]
    assert snapshot(plat.home) == before
    assert len(excel.calls) == 1  # the UDF wrappers are not imported again


def test_new_interpreter_or_new_functions_update_the_addin(tmp_path):
    plat = windows(tmp_path)
    excel = FakeExcelImport()
    install.install_addin(plat, PYTHONW, import_udfs=excel, udf_fingerprint="v1")
    install.install_addin(plat, PYTHONW, import_udfs=excel, udf_fingerprint="v2")
    assert len(excel.calls) == 2  # functions changed: wrappers re-imported
    other = r"D:\Python312\pythonw.exe"
    report = install.install_addin(plat, other, import_udfs=excel, udf_fingerprint="v2")
    assert any("Installed" in line for line in report.changed)
    target = install.startup_dir(plat) / ADDIN
    assert dict(addin.read_config_sheet(target))["Interpreter_Win"] == other
    assert len(excel.calls) == 3  # a fresh copy has no wrappers yet


def test_without_vba_access_one_plain_manual_step_and_a_retry_next_time(tmp_path):
    plat = windows(tmp_path)
    excel = FakeExcelImport(ok=False, message="Excel does not trust access to the VBA project object model")
    report = install.install_addin(plat, PYTHONW, import_udfs=excel, udf_fingerprint="v1")
    step = [n for n in report.notes if "manual step" in n]
    assert len(step) == 1 and "Trust access to the VBA project object model" in step[0]
    assert "checkSetup" not in ribbon_ids(install.startup_dir(plat) / ADDIN)  # its macro is missing
    before = snapshot(plat.home)
    report = install.install_addin(plat, PYTHONW, import_udfs=excel, udf_fingerprint="v1")
    assert len(excel.calls) == 2 and report.changed == []
    assert snapshot(plat.home) == before


def test_stale_addins_are_removed_and_unrelated_files_kept(tmp_path):
    plat = windows(tmp_path)
    xlstart = install.startup_dir(plat)
    xlstart.mkdir(parents=True)
    for name in ("retention_xl.ribbon.xlam", "retention_xl-0.0.9.xlam", "Retention_XL old.xla"):
        (xlstart / name).write_bytes(b"old")
    (xlstart / "PERSONAL.XLSB").write_bytes(b"user macros")
    (xlstart / "other_addin.xlam").write_bytes(b"someone else's")
    (xlstart / "retention_xl notes.xlsx").write_bytes(b"a workbook, not an add-in")
    report = install.install_addin(plat, PYTHONW, import_udfs=FakeExcelImport(), udf_fingerprint="v1")
    left = sorted(p.name for p in xlstart.iterdir())
    assert left == sorted([ADDIN, "PERSONAL.XLSB", "other_addin.xlam", "retention_xl notes.xlsx"])
    assert sum("Removed an older copy" in line for line in report.changed) == 3


def test_uninstall_removes_what_install_added_and_only_that(tmp_path):
    plat = windows(tmp_path)
    info, interpreter = fake_target(tmp_path, dll_in="user_base")
    xlstart = install.startup_dir(plat)
    xlstart.mkdir(parents=True)
    (xlstart / "PERSONAL.XLSB").write_bytes(b"user macros")
    before = snapshot(plat.home)
    install.install_addin(plat, interpreter, import_udfs=FakeExcelImport(), info=info, udf_fingerprint="v1")
    copied = Path(interpreter).parent / "xlwings64-0.37.8.dll"
    assert copied.is_file()
    report = install.uninstall(plat)
    assert not (xlstart / ADDIN).exists() and not copied.exists()
    assert not install.state_file(plat).exists()
    assert snapshot(plat.home) == before
    assert any(str(xlstart / ADDIN) in line for line in report.changed)
    assert install.uninstall(plat).changed == []  # twice: nothing left to do


# --------------------------------------------------------------------------- xlwings DLLs


def fake_target(tmp_path: Path, dll_in: str):
    """A Python whose xlwings DLLs sit in `dll_in` ('prefix' of a venv, 'user_base', or 'nowhere')."""
    venv = tmp_path / "venv"
    scripts = venv / "Scripts"
    scripts.mkdir(parents=True)
    (scripts / "python.exe").write_bytes(b"")
    (scripts / "pythonw.exe").write_bytes(b"")
    user_base = tmp_path / "roaming_python"
    user_base.mkdir()
    where = {"prefix": venv, "user_base": user_base}.get(dll_in)
    if where is not None:
        for name in install.dll_names("0.37.8"):
            (where / name).write_bytes(b"MZ" + name.encode())
    info = install.TargetInfo(
        executable=str(scripts / "python.exe"),
        prefix=str(venv),
        base_prefix=str(tmp_path / "base"),
        user_base=str(user_base),
        xlwings_version="0.37.8",
        xlwings_dir=str(tmp_path / "xlwings"),
    )
    return info, str(scripts / "pythonw.exe")


def test_venv_dlls_in_the_venv_root_are_found_where_the_vba_looks(tmp_path):
    info, interpreter = fake_target(tmp_path, dll_in="prefix")
    copied, messages = install.ensure_dlls(info, interpreter)
    assert copied == [] and messages == []  # XLPyLoadDLL tries ParentFolder(ParentFolder(pythonw))


def test_dlls_installed_elsewhere_are_copied_next_to_the_interpreter(tmp_path):
    info, interpreter = fake_target(tmp_path, dll_in="user_base")  # e.g. pip install --user
    copied, messages = install.ensure_dlls(info, interpreter)
    assert sorted(p.name for p in copied) == sorted(install.dll_names("0.37.8"))
    assert all(p.parent == Path(interpreter).parent for p in copied)
    assert install.ensure_dlls(info, interpreter) == ([], [])  # idempotent


def test_missing_dlls_give_a_plain_fix(tmp_path):
    info, interpreter = fake_target(tmp_path, dll_in="nowhere")
    copied, messages = install.ensure_dlls(info, interpreter)
    assert copied == []
    assert len(messages) == 1 and "pip install --force-reinstall xlwings" in messages[0]


# --------------------------------------------------------------------------- macOS


def test_mac_install_enables_runpython_and_says_udfs_are_windows_only(tmp_path):
    plat = mac(tmp_path)
    script = tmp_path / "xlwings-0.37.8.applescript"
    script.write_text("on VbaHandler(x)\nend VbaHandler\n")
    report = install.install_addin(plat, "/Users/ana/venv/bin/python", applescript=script, udf_fingerprint="v1")
    target = install.startup_dir(plat) / ADDIN
    assert dict(addin.read_config_sheet(target))["Interpreter_Mac"] == "/Users/ana/venv/bin/python"
    assert (plat.home / install.MAC_APPLESCRIPT_DIR / script.name).read_text() == script.read_text()
    assert any("Windows-only" in n for n in report.notes)
    before = snapshot(plat.home)
    assert install.install_addin(plat, "/Users/ana/venv/bin/python", applescript=script).changed == []
    assert snapshot(plat.home) == before
    install.uninstall(plat)
    assert not target.exists() and not (plat.home / install.MAC_APPLESCRIPT_DIR / script.name).exists()


def test_mac_uninstall_keeps_an_applescript_that_was_there_before(tmp_path):
    plat = mac(tmp_path)
    script = tmp_path / "xlwings-0.37.8.applescript"
    script.write_text("same")
    existing = plat.home / install.MAC_APPLESCRIPT_DIR / script.name
    existing.parent.mkdir(parents=True)
    existing.write_text("same")  # another xlwings project enabled RunPython already
    install.install_addin(plat, "/usr/local/bin/python3", applescript=script)
    install.uninstall(plat)
    assert existing.is_file()


# --------------------------------------------------------------------------- the command on Linux


def test_main_on_linux_skips_excel_and_says_why(monkeypatch, capsys):
    monkeypatch.setattr(install.platform, "system", lambda: "Linux")
    monkeypatch.setattr(install, "install_package", lambda dev: sys.executable)
    assert install.main([]) == 0
    out = capsys.readouterr().out
    assert "was not installed: it needs Excel, on Windows or macOS" in out
    assert "retention-xl demo" in out
    assert "--build-addin" in out


def test_main_build_addin(tmp_path, capsys):
    assert install.main(["--build-addin", str(tmp_path)]) == 0
    assert (tmp_path / ADDIN).is_file()
    assert os.fspath(tmp_path / ADDIN) in capsys.readouterr().out


def test_manual_step_matches_the_reason():
    trust = install.manual_udf_step(Path("x.xlam"), "Excel does not trust access to the VBA project object model")
    assert "Trust access to the VBA project object model" in trust
    no_excel = install.manual_udf_step(Path("x.xlam"), "Excel could not be started from Python: class not registered")
    assert "Trust Center" not in no_excel and "start Excel once" in no_excel
    assert all("button works" in m for m in (trust, no_excel))


def test_same_name_in_other_case_is_not_treated_as_stale(tmp_path):
    folder = tmp_path / "XLSTART"
    folder.mkdir()
    (folder / ADDIN.upper()).write_bytes(b"x")  # on Windows/macOS this *is* our file
    (folder / "retention_xl.ribbon.xlam").write_bytes(b"x")
    assert [p.name for p in install.stale_addins(folder, keep=ADDIN)] == ["retention_xl.ribbon.xlam"]


def test_the_addin_is_built_by_the_python_excel_will_run(tmp_path, monkeypatch, capsys):
    """The add-in's VBA names the xlwings version it talks to (xlwings64-<v>.dll, xlwings-<v>.applescript),
    so it must come from the xlwings of the Python written into it - not from whatever Python runs
    install.py. They differ whenever pip refuses the running Python (Homebrew's, Debian's: install.py
    then installs into .venv), and that running Python usually has no xlwings at all."""
    monkeypatch.setattr(install.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(install.Path, "home", classmethod(lambda cls: tmp_path / "home"))
    target = tmp_path / "venv" / "bin" / "python"  # stands in for .venv/bin/python: has xlwings
    target.parent.mkdir(parents=True)
    target.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    target.chmod(0o755)
    monkeypatch.setattr(install, "install_package", lambda dev: str(target))

    def no_xlwings_in_the_running_python():
        raise addin.AddinBuildError("xlwings is not installed; run install.py first.")

    monkeypatch.setattr(addin, "xlwings_dir", no_xlwings_in_the_running_python)
    assert install.main([]) == 0
    installed = install.startup_dir(install.Platform.current()) / ADDIN
    info = install.target_info(str(target))
    assert dict(addin.read_config_sheet(installed))["Interpreter_Mac"] == info.executable
    with zipfile.ZipFile(installed) as z, zipfile.ZipFile(Path(info.xlwings_dir) / addin.TEMPLATE_NAME) as t:
        assert z.read("xl/vbaProject.bin") == t.read("xl/vbaProject.bin")  # the target's own VBA
    assert "Installed the Excel add-in" in capsys.readouterr().out


def test_a_failed_build_is_one_plain_line_and_exit_code_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(install.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(install.Path, "home", classmethod(lambda cls: tmp_path / "home"))
    broken = tmp_path / "broken" / "python"
    broken.parent.mkdir()
    broken.write_text("#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho 'ModuleNotFoundError: no xlwings' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(install, "install_package", lambda dev: sys.executable)
    real = install.build_addin_with
    monkeypatch.setattr(install, "build_addin_with", lambda python: real(str(broken)))
    assert install.main([]) == 1
    err = capsys.readouterr().err
    assert "Building the Excel add-in" in err and "ModuleNotFoundError: no xlwings" in err and "Traceback" not in err
    assert not (install.startup_dir(install.Platform.current()) / ADDIN).exists()


# --------------------------------------------------------------------------- Windows: the UDF import script

FAKE_XLWINGS = '''
import os
LOG, MODE = os.environ["FAKE_XL_LOG"], os.environ["FAKE_XL_MODE"]


def log(what):
    with open(LOG, "a") as f:
        f.write(what + "\\n")


NOT_TRUSTED = ("(-2147352567, 'Exception occurred.', (0, 'Microsoft Excel', 'Programmatic access to Visual "
               "Basic Project is not trusted', None, 0, -2146827284), None)")


def _record(f):
    import inspect
    f.__xlfunc__ = {"name": f.__name__, "args": [{"name": n} for n in inspect.signature(f).parameters]}
    return f


def func(f=None, **kwargs):  # what the name check reads of xlwings' Windows decorator
    return _record(f) if f is not None else _record


def arg(*args, **kwargs):
    return lambda f: f


ret = arg


class _CodeModule:
    def __init__(self, name, text):
        self.name, self.text = name, text

    @property
    def CountOfLines(self):
        return len(self.text.splitlines())

    def Lines(self, start, count):
        return "\\n".join(self.text.splitlines()[start - 1:start - 1 + count])

    def DeleteLines(self, start, count):
        lines = self.text.splitlines()
        self.text = "\\n".join(lines[:start - 1] + lines[start - 1 + count:])

    def AddFromString(self, text):
        self.text = (self.text + "\\n" if self.text else "") + text
        with open(os.path.join(os.path.dirname(LOG), self.name + ".bas"), "w") as f:
            f.write(self.text)


class _Component:
    def __init__(self, name, text=""):
        self._name, self.CodeModule = name, _CodeModule(name, text)

    @property
    def Name(self):
        return self._name

    @Name.setter
    def Name(self, value):
        log("name " + value)
        self._name = self.CodeModule.name = value


class _Components:
    Count = 3

    def __init__(self):
        self.items = {
            "xlwings_udfs": _Component("xlwings_udfs", 'Function CRR(customers_end)\\n'
                                       '    CRR = XLPy.CallUDF("m", "CRR", Array(customers_end))\\nEnd Function'),
            "RibbonMyAddin": _Component("RibbonMyAddin", "Sub RunMain(control As IRibbonControl)\\nEnd Sub"),
        }

    def __call__(self, name):
        return self.items[name]

    def Remove(self, component):
        log("remove " + component.Name)

    def Add(self, kind):
        log(f"add {kind}")
        return _Component("new")


class _Api:
    @property
    def VBProject(self):
        log("VBProject")
        if MODE == "untrusted":
            raise RuntimeError(NOT_TRUSTED)
        return _PROJECT


_PROJECT = type("P", (), {"VBComponents": _Components()})()


class Book:
    api = _Api()

    def save(self):
        log("save")


class _Books:
    def open(self, path):
        log("open " + os.path.basename(path))
        return Book()


class App:
    def __init__(self, visible=True, add_book=True):
        if MODE == "hang":  # e.g. a first-start dialog of an Excel never started before, invisible
            import time
            time.sleep(60)
        if MODE == "no_excel":
            raise RuntimeError("Invalid class string")
        self.books, self.display_alerts = _Books(), True

    def quit(self):
        log("quit")
'''

FAKE_UDFS = '''
from xlwings import log


def import_udfs(module_names, xl_workbook):
    log("import_udfs " + module_names)
    xl_workbook.VBProject.VBComponents  # untrusted: xlwings then runs its VBA fallback (ActiveWorkbook...)
'''


def fake_excel(tmp_path: Path, monkeypatch, mode: str) -> Path:
    pkg = tmp_path / "fake" / "xlwings"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(FAKE_XLWINGS)
    (pkg / "udfs.py").write_text(FAKE_UDFS)
    log = tmp_path / "excel.log"
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "fake"))
    monkeypatch.setenv("FAKE_XL_LOG", str(log))
    monkeypatch.setenv("FAKE_XL_MODE", mode)
    return log


def test_udf_import_imports_saves_and_quits(tmp_path, monkeypatch):
    log = fake_excel(tmp_path, monkeypatch, "ok")
    assert install.import_udfs_with_excel(sys.executable)(tmp_path / ADDIN) == (True, "")
    assert log.read_text().splitlines() == [
        f"open {ADDIN}", "VBProject", "import_udfs retention_xl.excel.udfs", "VBProject", "VBProject",
        "add 1", "name retention_xl_guard", "save", "quit",
    ]
    from retention_xl.excel import vba

    generated = 'Function CRR(customers_end)\n    CRR = XLPy.CallUDF("m", "CRR", Array(customers_end))\nEnd Function'
    assert (tmp_path / "xlwings_udfs.bas").read_text() == vba.with_error_values(generated)
    assert "CRR = RetentionXlErrorValue(CRR)" in vba.with_error_values(generated)
    assert (tmp_path / "retention_xl_guard.bas").read_text() == vba.GUARD_MODULE
    assert (tmp_path / "RibbonMyAddin.bas").read_text() == vba.RIBBON_MODULE


def test_udf_import_refuses_names_vba_cannot_compile(tmp_path, monkeypatch):
    """One reserved word and the generated module would not compile: nothing is imported."""
    log = fake_excel(tmp_path, monkeypatch, "ok")
    bad = tmp_path / "fake" / "retention_xl" / "excel"
    bad.mkdir(parents=True)
    for folder in (bad.parent, bad):
        (folder / "__init__.py").write_text("")
    (bad / "udfs.py").write_text("import xlwings as xw\n\n@xw.func\ndef CRR(end, new, start):\n    return 0\n")
    (bad / "vba.py").write_text((ROOT / "retention_xl" / "excel" / "vba.py").read_text())
    monkeypatch.setattr(install, "HERE", tmp_path / "fake")
    ok, message = install.import_udfs_with_excel(sys.executable)(tmp_path / ADDIN)
    assert not ok and "CRR(end): 'end' is a VBA reserved word" in message and "CRR(new)" in message
    assert not any(s.startswith("import_udfs") for s in log.read_text().splitlines())


def test_udf_import_without_vba_access_asks_before_xlwings_tries(tmp_path, monkeypatch):
    """Without 'Trust access to the VBA project object model' xlwings' import_udfs falls back to
    running the add-in's VBA ImportXlwingsUdfsModule, which uses ActiveWorkbook - Nothing in a hidden
    Excel with only an add-in open - so a VBA error dialog would wait, invisible, for a click. Ask
    Excel first and never get there."""
    log = fake_excel(tmp_path, monkeypatch, "untrusted")
    ok, message = install.import_udfs_with_excel(sys.executable)(tmp_path / ADDIN)
    assert not ok and "does not trust access to the VBA project" in message
    steps = log.read_text().splitlines()
    assert not any(s.startswith("import_udfs") for s in steps) and "save" not in steps
    assert steps[-1] == "quit"
    assert "Trust access to the VBA project object model" in install.manual_udf_step(tmp_path / ADDIN, message)


def test_udf_import_without_excel_says_so(tmp_path, monkeypatch):
    fake_excel(tmp_path, monkeypatch, "no_excel")
    ok, message = install.import_udfs_with_excel(sys.executable)(tmp_path / ADDIN)
    assert not ok and message.startswith("Excel could not be started from Python")
    assert "start Excel once" in install.manual_udf_step(tmp_path / ADDIN, message)


def test_an_excel_that_does_not_answer_does_not_hang_the_installer(tmp_path, monkeypatch):
    fake_excel(tmp_path, monkeypatch, "hang")
    ok, message = install.import_udfs_with_excel(sys.executable, timeout=2)(tmp_path / ADDIN)
    assert not ok and "did not answer" in message and "Task Manager" in message
    step = install.manual_udf_step(tmp_path / ADDIN, message)
    assert "start Excel once" in step and "Trust Center" not in step
