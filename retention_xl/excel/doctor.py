""""Check setup": what a support conversation with a non-programmer starts with.

``retention-xl doctor`` on the command line and the "Check setup" button on the
Retention tab (``RibbonMyAddin.RunCheckSetup`` -> :func:`excel_main`) run the same
checks on the Python that runs them - for the button, the Python Excel starts:

* the Python (path, version), retention_xl's and xlwings' versions;
* Windows: the xlwings DLL where the xlwings VBA looks for it (beside the
  interpreter, or one folder up in a virtual environment);
* the functions answer: ``CRR(210, 30, 200)`` through the UDF module Excel calls;
  from the button also through Excel itself (``Evaluate("CRR(210,30,200)")``, the
  wrapper module, xlwings and Python - the real call path);
* whether install.py imported the functions into the add-in (its install record).

Each check is a :class:`Check` with a message code and fields; the words are in
render/labels.py (``doctor.*``, en/ru/zh), with a fix for every failure and a plain
verdict at the end.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from retention_xl import __version__
from retention_xl.render.labels import Labels

CRR_FORMULA = "CRR(210,30,200)"
CRR_EXPECTED = 0.9
MIN_PYTHON = (3, 10)


@dataclass(frozen=True)
class Check:
    """One line of the setup check: ``ok`` None = does not apply on this system."""

    code: str  # label key doctor.<code>
    ok: bool | None
    fields: dict[str, Any] = field(default_factory=dict)
    fix: str | None = None  # label key doctor.fix.<fix>, when not ok
    fix_fields: dict[str, Any] = field(default_factory=dict)


def install_record(system: str, home: Path, env: dict[str, str]) -> dict[str, Any]:
    """What install.py recorded (install.json; the same place install.state_file uses)."""
    if system == "Windows":
        base = Path(env.get("APPDATA") or str(home / "AppData" / "Roaming")) / "retention_xl"
    else:
        base = home / ".retention_xl"
    try:
        return json.loads((base / "install.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _crr_answer() -> Any:
    from retention_xl.excel import udfs

    return udfs.CRR(210, 30, 200)


def _answers(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isclose(value, CRR_EXPECTED)


def run_checks(
    *,
    system: str | None = None,
    executable: str | None = None,
    version: tuple[int, ...] | None = None,
    home: Path | None = None,
    env: dict[str, str] | None = None,
    xlwings_version: Callable[[], str] | None = None,
    crr: Callable[[], Any] = _crr_answer,
    excel_crr: Callable[[], Any] | None = None,
) -> list[Check]:
    """Every check, on this machine unless told otherwise (tests pass a fake one)."""
    system = system or platform.system()
    executable = executable or sys.executable
    version = version or tuple(sys.version_info[:3])
    home = home or Path.home()
    env = dict(os.environ) if env is None else env
    checks: list[Check] = []
    vtext = ".".join(map(str, version))
    ok_python = tuple(version[:2]) >= MIN_PYTHON
    checks.append(Check("python", ok_python, {"path": executable, "version": vtext},
                        None if ok_python else "python", {"version": vtext}))
    checks.append(Check("package", True, {"version": __version__}))

    xw_version = None
    try:
        xw_version = (xlwings_version or _xlwings_version)()
        checks.append(Check("xlwings", True, {"version": xw_version}))
    except Exception:  # noqa: BLE001 - not installed or broken: that is the finding
        checks.append(Check("xlwings_missing", False, {}, "xlwings", {"python": executable}))

    if system == "Windows" and xw_version:
        name = f"xlwings64-{xw_version}.dll"
        exe = Path(executable)
        places = [exe.parent / name, exe.parent.parent / name]
        found = next((p for p in places if p.is_file()), None)
        if found is not None:
            checks.append(Check("dll", True, {"path": str(found)}))
        else:
            checks.append(Check("dll_missing", False, {"name": name, "folder": str(exe.parent)}, "dll",
                                {"python": executable}))

    try:
        value = crr()
    except Exception as exc:  # noqa: BLE001 - the finding, in one line
        value = f"{type(exc).__name__}: {exc}"
    if _answers(value):
        checks.append(Check("functions", True, {"formula": CRR_FORMULA, "value": value}))
    else:
        checks.append(Check("functions_bad", False, {"formula": CRR_FORMULA, "value": value}, "functions"))

    if system == "Windows":
        record = install_record(system, home, env)
        if record.get("udfs_imported"):
            checks.append(Check("imported", True, {"addin": record.get("addin", "")}))
        else:
            checks.append(Check("imported_no", False, {}, "imported"))
        if excel_crr is not None:
            try:
                answer = excel_crr()
            except Exception as exc:  # noqa: BLE001
                answer = f"{type(exc).__name__}: {exc}"
            if _answers(answer):
                checks.append(Check("excel", True, {"formula": CRR_FORMULA, "value": answer}))
            else:
                checks.append(Check("excel_bad", False, {"formula": CRR_FORMULA, "value": answer}, "excel"))
    else:
        checks.append(Check("functions_windows_only", None, {}))
    return checks


def _xlwings_version() -> str:
    import importlib.metadata as md

    import xlwings  # noqa: F401 - importable, not only installed

    return md.version("xlwings")


def problems(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.ok is False]


def render(checks: list[Check], lang: str = "en") -> list[str]:
    """The check as lines of text: one per check, a fix under each failure, the verdict last."""
    L = Labels(lang)
    lines = [L("doctor.title")]
    for c in checks:
        mark = {True: L("doctor.mark_ok"), False: L("doctor.mark_problem"), None: L("doctor.mark_info")}[c.ok]
        lines.append(f"{mark} {L('doctor.' + c.code, **c.fields)}")
        if c.ok is False and c.fix:
            lines.append("      " + L("doctor.fix", text=L("doctor.fix." + c.fix, **c.fix_fields)))
    bad = problems(checks)
    lines.append(L("doctor.verdict_ok") if not bad else L("doctor.verdict_bad", count=len(bad)))
    return lines


def excel_main() -> None:
    """The "Check setup" button (RunPython): the checks, also asking Excel for =CRR(210,30,200)."""
    import xlwings as xw

    book = xw.Book.caller()
    app = book.app

    def excel_crr() -> Any:
        return app.api.Evaluate(CRR_FORMULA)

    lang = _excel_language(app)
    try:
        text = "\n".join(render(run_checks(excel_crr=excel_crr), lang))
    except Exception as exc:  # noqa: BLE001 - a message box, never a traceback
        text = f"{Labels(lang)('doctor.title')}: {type(exc).__name__}: {exc}"
    app.alert(text, title=Labels(lang)("doctor.title"))


def _excel_language(app: Any) -> str:
    try:
        ui = int(app.api.LanguageSettings.LanguageID(2))
    except Exception:  # noqa: BLE001
        return "en"
    return {1049: "ru", 2052: "zh", 1028: "zh", 3076: "zh", 4100: "zh", 5124: "zh"}.get(ui, "en")
