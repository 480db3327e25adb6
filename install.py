#!/usr/bin/env python3
"""Install retention_xl into the Python that runs this script, and into Excel.

    python install.py                  install the package; on Windows and macOS also the Excel add-in
    python install.py --dev            also the test tools (pytest, hypothesis, oletools)
    python install.py --uninstall      remove the Excel add-in and everything else this script added
    python install.py --build-addin DIR   only assemble DIR/retention_xl.xlam (any OS, no Excel)

Run it again at any time: it only installs what is missing or out of date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import venv
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ADDIN_GLOB_PREFIX = "retention_xl"  # every add-in file we ever shipped starts with this
MAC_STARTUP_CANDIDATES = (
    "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel",
    "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel",
)
MAC_APPLESCRIPT_DIR = "Library/Application Scripts/com.microsoft.Excel"


# --------------------------------------------------------------------------- package (unchanged v1 behaviour)


def in_virtualenv() -> bool:
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def pip_install(python: str, target: str) -> subprocess.CompletedProcess:
    cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target]
    return subprocess.run(cmd, capture_output=True, text=True)


def install_package(dev: bool) -> str | None:
    """pip-install the package; return the Python it went into, or None on failure."""
    target = str(HERE) + ("[test]" if dev else "")
    python = sys.executable
    result = pip_install(python, target)
    if result.returncode != 0 and "externally-managed-environment" in result.stderr:
        env_dir = HERE / ".venv"
        if not env_dir.exists():
            print(f"This Python refuses system-wide installs; creating {env_dir}")
            venv.create(env_dir, with_pip=True)
        python = str(env_dir / ("Scripts/python.exe" if platform.system() == "Windows" else "bin/python"))
        result = pip_install(python, target)
        activate = (
            rf"{env_dir}\Scripts\activate" if platform.system() == "Windows" else f"source {env_dir}/bin/activate"
        )
        print(f"Installed into {env_dir}. Activate it with:  {activate}")
    if result.returncode != 0:
        print("Installing retention_xl failed:\n" + (result.stderr.strip() or result.stdout.strip()), file=sys.stderr)
        return None
    what = "retention_xl, its dependencies and the test tools are" if dev else "retention_xl and its dependencies are"
    print(f"{what} installed for the Python at {python}.")
    return python


# --------------------------------------------------------------------------- where things go (pure, testable)


@dataclass(frozen=True)
class Platform:
    """The machine as far as installing into Excel is concerned (a fake one in tests)."""

    system: str  # "Windows" | "Darwin" | "Linux"
    home: Path
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def current(cls) -> "Platform":
        return cls(platform.system(), Path.home(), dict(os.environ))


@dataclass(frozen=True)
class TargetInfo:
    """Facts about the Python that runs the add-in's code (asked from that Python)."""

    executable: str
    prefix: str
    base_prefix: str
    user_base: str
    xlwings_version: str
    xlwings_dir: str
    xlwings_files: tuple[str, ...] = ()  # absolute paths pip recorded for the xlwings distribution


TARGET_INFO_SCRIPT = r"""
import json, site, sys
import importlib.metadata as md
import xlwings
try:
    files = [str(f.locate()) for f in (md.distribution("xlwings").files or [])]
except Exception:
    files = []
print(json.dumps({
    "executable": sys.executable, "prefix": sys.prefix, "base_prefix": sys.base_prefix,
    "user_base": site.getuserbase(), "xlwings_version": xlwings.__version__,
    "xlwings_dir": xlwings.__path__[0],
    "xlwings_files": [f for f in files if f.lower().endswith((".dll", ".applescript"))],
}))
"""


def target_info(python: str) -> TargetInfo:
    out = subprocess.run([python, "-c", TARGET_INFO_SCRIPT], capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    data["xlwings_files"] = tuple(data["xlwings_files"])
    return TargetInfo(**data)


def gui_interpreter(plat: Platform, python: str, exists: Callable[[str], bool] = os.path.exists) -> str:
    """The interpreter Excel should start, as a full path.

    Windows: pythonw.exe beside python.exe (no console window flashing up) when it
    exists. Elsewhere the python itself. Never resolved through symlinks: a virtual
    environment's bin/python *is* the environment.
    """
    if plat.system == "Windows":
        exe = PureWindowsPath(python)
        if exe.name.lower() == "python.exe":
            pythonw = str(exe.with_name("pythonw.exe"))
            if exists(pythonw):
                return pythonw
        return str(exe)
    return python


def interpreter_warnings(plat: Platform, interpreter: str) -> list[str]:
    warnings = []
    if plat.system == "Windows" and "\\windowsapps\\" in interpreter.lower():
        warnings.append(
            "This Python comes from the Microsoft Store. Excel cannot start such a Python "
            "(you would see 'Could not find Interpreter!'). Install Python from python.org and run "
            "install.py with it."
        )
    return warnings


def startup_dir(plat: Platform) -> Path:
    """The per-user folder whose files Excel opens at start-up."""
    if plat.system == "Windows":
        appdata = plat.env.get("APPDATA") or str(plat.home / "AppData" / "Roaming")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if plat.system == "Darwin":
        for rel in MAC_STARTUP_CANDIDATES:
            if (plat.home / rel).is_dir():
                return plat.home / rel
        return plat.home / MAC_STARTUP_CANDIDATES[0]
    raise RuntimeError("Excel add-ins need Windows or macOS")


def state_file(plat: Platform) -> Path:
    """What install.py put where, so that a second run and --uninstall know."""
    if plat.system == "Windows":
        base = Path(plat.env.get("APPDATA") or str(plat.home / "AppData" / "Roaming")) / "retention_xl"
    else:
        base = plat.home / ".retention_xl"
    return base / "install.json"


def load_state(plat: Platform) -> dict[str, Any]:
    try:
        return json.loads(state_file(plat).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_state(plat: Platform, state: dict[str, Any]) -> None:
    path = state_file(plat)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = json.dumps(state, indent=2, sort_keys=True)
    if not path.exists() or path.read_text(encoding="utf-8") != new:
        path.write_text(new, encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def stale_addins(folder: Path, keep: str) -> list[Path]:
    """Older or differently named copies of our add-in in the start-up folder."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.name.lower().startswith(ADDIN_GLOB_PREFIX)
        and p.suffix.lower() in (".xlam", ".xla")
        and p.name.lower() != keep.lower()  # Windows and macOS file names ignore case
    )


# --------------------------------------------------------------------------- xlwings DLLs (Windows)


def dll_names(version: str) -> tuple[str, str]:
    return (f"xlwings64-{version}.dll", f"xlwings32-{version}.dll")


def dll_search_dirs(interpreter: str) -> tuple[Path, Path]:
    """Where the xlwings VBA (XLPyLoadDLL) looks: beside the interpreter, then one folder up
    (a virtual environment's root, where pip puts the DLLs of a venv)."""
    exe = Path(interpreter)
    return (exe.parent, exe.parent.parent)


def find_dll_sources(info: TargetInfo) -> dict[str, Path]:
    """The xlwings DLLs pip installed for the target Python (any of the usual places)."""
    found: dict[str, Path] = {}
    for name in dll_names(info.xlwings_version):
        candidates = [Path(f) for f in info.xlwings_files if Path(f).name.lower() == name.lower()]
        for base in (info.prefix, info.base_prefix, info.user_base):
            if base:
                candidates += [Path(base) / name, Path(base) / "Scripts" / name]
        for c in candidates:
            if c.is_file():
                found[name] = c
                break
    return found


def ensure_dlls(info: TargetInfo, interpreter: str) -> tuple[list[Path], list[str]]:
    """Make xlwings64/32-<version>.dll loadable by the VBA; return (copied files, messages)."""
    copied: list[Path] = []
    messages: list[str] = []
    near, venv_root = dll_search_dirs(interpreter)
    sources = find_dll_sources(info)
    for name in dll_names(info.xlwings_version):
        if (near / name).is_file() or (venv_root / name).is_file():
            continue
        src = sources.get(name)
        if src is None:
            if name.startswith("xlwings64"):
                messages.append(
                    f"{name} was not found for {interpreter}; Excel functions (UDFs) will fail with "
                    "'Could not load xlwings64...dll'. Reinstall xlwings with this Python: "
                    f'"{info.executable}" -m pip install --force-reinstall xlwings'
                )
            continue
        try:
            near.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, near / name)
            copied.append(near / name)
            messages.append(f"Copied {name} next to the interpreter ({near}) so Excel finds it.")
        except OSError as exc:
            messages.append(
                f"Could not copy {src} to {near} ({exc.strerror}). Copy it there by hand, "
                "or run install.py from a Python in a folder you can write to (e.g. a virtual environment)."
            )
    return copied, messages


# --------------------------------------------------------------------------- the add-in


def _addin_module():
    """retention_xl.excel.addin from this folder (it needs no xlwings and no Excel)."""
    sys.path.insert(0, str(HERE))
    try:
        from retention_xl.excel import addin
    finally:
        sys.path.remove(str(HERE))
    return addin


def build_addin(out_dir: Path, values: dict[str, Any] | None = None) -> Path:
    return _addin_module().build_addin(out_dir, values=values)


BUILD_ADDIN_SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from retention_xl.excel import addin
print(json.dumps(str(addin.build_addin(sys.argv[2], values=json.loads(sys.argv[3])))))
"""


class InstallError(RuntimeError):
    """A step of install.py failed; the message says why in plain words."""


def build_addin_with(python: str) -> Callable[[Path, dict[str, Any]], Path]:
    """build_addin run by ``python``, the interpreter written into the add-in.

    The add-in's VBA comes from the xlwings template of the Python that builds it and names
    that xlwings' version (xlwings64-<version>.dll, xlwings-<version>.applescript), so it must
    be built by the Python Excel will start - not by the one running install.py, which may
    differ (install.py falls back to .venv when pip refuses it) and may have no xlwings at all.
    """

    def run(out_dir: Path, values: dict[str, Any]) -> Path:
        proc = subprocess.run(
            [python, "-c", BUILD_ADDIN_SCRIPT, str(HERE), str(out_dir), json.dumps(values)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            lines = (proc.stderr or proc.stdout).strip().splitlines()
            raise InstallError(f"Building the Excel add-in with {python} failed: {lines[-1] if lines else 'no output'}")
        return Path(json.loads(proc.stdout.strip().splitlines()[-1]))

    return run


def conda_settings(prefix: str, is_dir: Callable[[Path], bool] = Path.is_dir) -> tuple[str, str] | None:
    """(Conda Path, Conda Env) when ``prefix`` is a conda environment (it has ``conda-meta``), else None.

    An environment under ``<root>/envs/<name>`` is ``name`` of the installation ``root``;
    the installation's own prefix is its ``base`` environment.
    """
    env = Path(prefix)
    if not is_dir(env / "conda-meta"):
        return None
    if env.parent.name.lower() == "envs" and is_dir(env.parent.parent / "conda-meta"):
        return str(env.parent.parent), env.name
    return str(env), "base"


def addin_values(plat: Platform, interpreter: str, info: TargetInfo | None = None) -> dict[str, str]:
    """The add-in's configuration-sheet values for this machine.

    conda on Windows: xlwings must activate the environment itself (Conda Path / Conda Env)
    and the interpreter stays empty - with a plain interpreter path NumPy fails with
    "DLL load failed" (xlwings docs; xlwings issues #977, #1136, #1807).
    """
    if plat.system == "Windows":
        conda = conda_settings(info.prefix) if info is not None else None
        if conda is not None:
            return {"Interpreter_Win": "", "Conda Path": conda[0], "Conda Env": conda[1]}
        return {"Interpreter_Win": interpreter}
    return {"Interpreter_Mac": interpreter}


MAC_LAUNCHER = ".retention_xl/bin/python"


def needs_mac_launcher(interpreter: str) -> bool:
    """xlwings' AppleScript builds ``PythonInterpreter & " -B -u ..."`` for the shell without quotes."""
    return any(c.isspace() or c in "\"'$`\\|;&<>()*?[]{}!#~" for c in interpreter)


def mac_launcher(plat: Platform, interpreter: str) -> tuple[Path, str]:
    """(path, text) of the small launcher Excel on a Mac starts instead of a Python whose path
    the shell would split: a script in a folder without spaces that runs the real one."""
    import shlex

    path = plat.home / MAC_LAUNCHER
    if needs_mac_launcher(str(path)):
        path = Path("/Users/Shared/retention_xl") / (plat.env.get("USER") or "user").replace(" ", "_") / "python"
    text = (
        "#!/bin/sh\n"
        "# Written by retention_xl's install.py: Excel passes the Python path to the shell unquoted,\n"
        "# and the real one has a space (or quote) in it.\n"
        f"exec {shlex.quote(interpreter)} \"$@\"\n"
    )
    return path, text


@dataclass
class Report:
    """What a step did, for the user (plain sentences) and for tests."""

    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def print(self) -> None:
        for line in self.changed + self.notes:
            print(line)


def install_addin(
    plat: Platform,
    interpreter: str,
    *,
    build: Callable[[Path, dict[str, Any]], Path] = build_addin,
    import_udfs: Callable[[Path], tuple[bool, str]] | None = None,
    info: TargetInfo | None = None,
    applescript: Path | None = None,
    udf_fingerprint: str | None = None,
) -> Report:
    """Put the configured add-in into Excel's start-up folder; idempotent.

    import_udfs(path) -> (ok, message) adds the UDF wrappers on Windows (needs Excel);
    they are imported again when udf_fingerprint (the UDF source) changes.
    """
    if udf_fingerprint is None:
        udf_fingerprint = _udf_fingerprint()
    report = Report()
    state = load_state(plat)
    folder = startup_dir(plat)
    report.notes += interpreter_warnings(plat, interpreter)
    if plat.system == "Darwin" and needs_mac_launcher(interpreter):
        launcher, text = mac_launcher(plat, interpreter)
        if not launcher.is_file() or launcher.read_text(encoding="utf-8") != text:
            launcher.parent.mkdir(parents=True, exist_ok=True)
            launcher.write_text(text, encoding="utf-8")
            launcher.chmod(0o755)
            report.changed.append(
                f"Excel on a Mac cannot start a Python whose path has a space ({interpreter}); "
                f"it starts {launcher} instead, which runs that Python."
            )
        state["copied_files"] = sorted(set(state.get("copied_files", [])) | {str(launcher)})
        interpreter = str(launcher)

    with tempfile.TemporaryDirectory() as tmp:
        built = build(Path(tmp), addin_values(plat, interpreter, info))
        built_sha = sha256(built)
        target = folder / built.name
        current = (
            target.is_file()
            and state.get("addin") == str(target)
            and state.get("built_sha256") == built_sha
            and state.get("installed_sha256") == sha256(target)
        )
        if not current:
            folder.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(built, target)
            except PermissionError:
                report.notes.append(
                    f"Could not write {target}: Excel has the add-in open. Quit Excel and run install.py again."
                )
                return report
            except OSError as exc:
                report.notes.append(f"Could not write {target} ({exc.strerror or exc}).")
                return report
            state.update(addin=str(target), built_sha256=built_sha, installed_sha256=sha256(target), udfs_imported=False)
            report.changed.append(f"Installed the Excel add-in: {target}")

    for old in stale_addins(folder, keep=target.name) + _previous_addin(state, target):
        try:
            old.unlink()
            report.changed.append(f"Removed an older copy of the add-in: {old}")
        except OSError as exc:
            report.notes.append(f"Could not remove the old add-in {old} ({exc.strerror}); quit Excel and delete it.")

    if plat.system == "Windows":
        if info is not None:
            copied, messages = ensure_dlls(info, interpreter)
            state["copied_files"] = sorted(set(state.get("copied_files", [])) | {str(p) for p in copied})
            report.changed += [m for m in messages if m.startswith("Copied")]
            report.notes += [m for m in messages if not m.startswith("Copied")]
        if not state.get("udfs_imported") or state.get("udf_fingerprint") != udf_fingerprint:
            ok, message = import_udfs(target) if import_udfs else (False, "")
            if ok:
                # The import also wrote the ribbon guard and the Check setup callback: show the button.
                _addin_module().show_vba_buttons(target)
                state.update(udfs_imported=True, udf_fingerprint=udf_fingerprint, installed_sha256=sha256(target))
                report.changed.append("Imported the Excel functions (CRR, NPS, CLV, ...) into the add-in.")
            else:
                report.notes.append(manual_udf_step(target, message))
    elif plat.system == "Darwin":
        if applescript is not None:
            dest = plat.home / MAC_APPLESCRIPT_DIR / applescript.name
            if not dest.is_file() or dest.read_bytes() != applescript.read_bytes():
                dest.parent.mkdir(parents=True, exist_ok=True)
                if not dest.exists():
                    state["applescript"] = str(dest)  # ours to remove on --uninstall
                shutil.copyfile(applescript, dest)
                report.changed.append(f"Enabled RunPython for Excel (copied {applescript.name} to {dest.parent}).")
        report.notes.append(
            "On macOS the KPI report button works; the Excel functions (=CRR(...), =NPS(...)) are "
            "Windows-only in xlwings, so on a Mac use them through the report or the command line."
        )
    save_state(plat, state)
    if not report.changed:
        report.notes.insert(0, f"The Excel add-in is up to date: {target}")
    return report


def _udf_fingerprint() -> str:
    """Changes whenever the Excel functions may have changed (their wrappers must be re-imported)."""
    parts = [HERE / "retention_xl" / "excel" / "udfs.py", HERE / "retention_xl" / "excel" / "vba.py"]
    return hashlib.sha256("".join(sha256(p) for p in parts if p.is_file()).encode()).hexdigest()


def _previous_addin(state: dict[str, Any], target: Path) -> list[Path]:
    old = state.get("addin")
    if old and str(old).lower() != str(target).lower() and Path(old).is_file():
        return [Path(old)]
    return []


def manual_udf_step(addin: Path, why: str = "") -> str:
    """The one thing left for the user when the UDF wrappers could not be imported automatically."""
    if not why or "trust" in why.lower():
        step = (
            "in Excel open File > Options > Trust Center > Trust Center Settings > Macro Settings, tick "
            '"Trust access to the VBA project object model", close Excel, and run install.py again'
        )
    else:
        step = "start Excel once, close it again, and run install.py again"
    return (
        "One manual step is left for the Excel functions (=CRR(...) etc.)"
        + (f" ({why})" if why else "")
        + f": {step}. The KPI report button works without this."
    )


def uninstall(plat: Platform) -> Report:
    """Remove every file install.py put in place (add-in, old copies, DLL copies, AppleScript)."""
    report = Report()
    state = load_state(plat)
    targets: list[Path] = []
    if plat.system in ("Windows", "Darwin"):
        targets += stale_addins(startup_dir(plat), keep="")
    for key in ("addin", "applescript"):
        if state.get(key):
            targets.append(Path(state[key]))
    targets += [Path(p) for p in state.get("copied_files", [])]
    for path in dict.fromkeys(targets):
        if path.is_file():
            try:
                path.unlink()
                report.changed.append(f"Removed {path}")
            except OSError as exc:
                report.notes.append(f"Could not remove {path} ({exc.strerror}); quit Excel and delete it by hand.")
    sf = state_file(plat)
    if sf.exists():
        sf.unlink()
        try:
            sf.parent.rmdir()
        except OSError:
            pass
    if not report.changed:
        report.notes.append("Nothing of retention_xl was installed in Excel.")
    return report


# --------------------------------------------------------------------------- Windows: UDF import through Excel

IMPORT_UDFS_SCRIPT = r"""
import json, sys
path = sys.argv[1]
result = {"ok": False, "message": ""}
app = None
try:
    import xlwings as xw
    from xlwings.udfs import import_udfs
    app = xw.App(visible=False, add_book=False)
    app.display_alerts = False
    book = app.books.open(path)
    try:
        # Ask first: without access, import_udfs falls back to the add-in's VBA ImportXlwingsUdfsModule,
        # which uses ActiveWorkbook (Nothing here) - a VBA error dialog in an invisible Excel.
        book.api.VBProject.VBComponents.Count
    except Exception:
        result["message"] = "Excel does not trust access to the VBA project object model"
    else:
        try:
            sys.path.insert(0, sys.argv[2])
            import retention_xl.excel.udfs as udfs
            from retention_xl.excel import vba
            problems = vba.name_problems(vba.udf_signatures(udfs))
            if problems:  # one name VBA refuses and no function of the add-in would work
                raise RuntimeError("function names VBA refuses: " + "; ".join(problems))
            import_udfs("retention_xl.excel.udfs", book.api)
            vba.write_into_project(book.api.VBProject)
            book.save()
            result["ok"] = True
        except Exception as exc:
            text = str(exc)
            if "not trusted" in text.lower() or "-2146827284" in text:
                result["message"] = "Excel does not trust access to the VBA project object model"
            else:
                result["message"] = f"Excel refused: {text[:200]}"
except Exception as exc:
    result["message"] = f"Excel could not be started from Python: {str(exc)[:200]}"
finally:
    if app is not None:
        try:
            app.quit()
        except Exception:
            pass
print(json.dumps(result))
"""


def import_udfs_with_excel(python: str, timeout: float = 300) -> Callable[[Path], tuple[bool, str]]:
    """Import the UDF wrappers with a hidden Excel; give up after ``timeout`` seconds.

    An Excel that was never started may sit on an invisible first-start dialog
    (licence, privacy, sign-in) instead of answering; the installer must not wait forever.
    """

    def run(addin: Path) -> tuple[bool, str]:
        try:
            proc = subprocess.run(
                [python, "-c", IMPORT_UDFS_SCRIPT, str(addin), str(HERE)], capture_output=True, text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return False, (
                f"Excel did not answer within {timeout:g} seconds; if EXCEL.EXE is still listed in "
                "Task Manager without a window, end it there"
            )
        try:
            result = json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return False, "Excel could not be driven from Python"
        return bool(result["ok"]), result["message"]

    return run


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also install the test tools")
    parser.add_argument("--uninstall", action="store_true", help="remove the Excel add-in and what install.py added")
    parser.add_argument("--build-addin", metavar="DIR", help="only assemble the add-in into DIR")
    parser.add_argument("--no-excel", action="store_true", help="install the package only, leave Excel alone")
    args = parser.parse_args(argv)
    plat = Platform.current()

    if args.build_addin:
        path = build_addin(Path(args.build_addin))
        print(f"Built {path}")
        return 0

    if args.uninstall:
        excel = plat.system in ("Windows", "Darwin")
        report = uninstall(plat) if excel else Report(notes=["No Excel on this system: no add-in to remove."])
        report.print()
        local_venv = HERE / ".venv" / ("Scripts/python.exe" if plat.system == "Windows" else "bin/python")
        python = str(local_venv) if local_venv.is_file() else sys.executable
        proc = subprocess.run(
            [python, "-m", "pip", "uninstall", "-y", "-q", "retention-xl"], capture_output=True, text=True
        )
        if proc.returncode == 0 and "Skipping" not in proc.stderr:
            print(f"Removed the retention-xl package from {python} (its dependencies are left in place).")
        return 0

    python = install_package(args.dev)
    if python is None:
        return 1
    if plat.system not in ("Windows", "Darwin"):
        print("The Excel add-in was not installed: it needs Excel, on Windows or macOS.")
        print("The command-line tool is ready. Try it on the bundled sample:  retention-xl demo")
        print("To look at the add-in file anyway:  python install.py --build-addin FOLDER")
        return 0
    if args.no_excel:
        print("The Excel add-in was not installed, as --no-excel asked.")
        return 0

    info = target_info(python)
    interpreter = gui_interpreter(plat, info.executable)
    try:
        report = install_addin(
            plat,
            interpreter,
            build=build_addin_with(python),
            import_udfs=import_udfs_with_excel(python) if plat.system == "Windows" else None,
            info=info,
            applescript=Path(info.xlwings_dir) / f"xlwings-{info.xlwings_version}.applescript",
        )
    except InstallError as exc:
        print(exc, file=sys.stderr)
        return 1
    report.print()
    print("Start Excel (or restart it) and look for the Retention tab.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
