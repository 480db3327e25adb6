"""Pytest-side helpers for running VBA in LibreOffice's VBA mode (see lo_basic.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

RUNNER = Path(__file__).with_name("lo_basic.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's Python: the one python3-uno installs `uno` for


def _missing() -> str | None:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return "LibreOffice (soffice) is not installed"
    if not os.path.exists(SYSTEM_PYTHON):
        return f"{SYSTEM_PYTHON} is missing"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return "python3-uno is not installed (import uno fails in /usr/bin/python3)"
    return None


def require_libreoffice() -> None:
    """Skip without LibreOffice + python3-uno; under CI=true fail instead."""
    why = _missing()
    if why:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{why}; CI must run the VBA engine tests (apt-get install libreoffice-calc python3-uno)")
        pytest.skip(why)


def run_vba(modules: list[dict], calls: list[tuple[str, str, list]], timeout: float = 180) -> list:
    """Compile ``modules`` in one VBA-mode library and run ``calls``; the values they return.

    A first empty Sub is run before the calls (LibreOffice's VBA mode returns no
    value from the very first call of a document). ``None`` for every call means
    the library did not compile.
    """
    require_libreoffice()
    warm = {"name": "ZzWarmUp", "kind": "normal", "code": "Option VBASupport 1\nSub WarmUp()\nEnd Sub\n"}
    with tempfile.TemporaryDirectory(prefix="lo_vba_", ignore_cleanup_errors=True) as profile:
        job = {
            "profile": profile,
            "soffice": shutil.which("soffice") or shutil.which("libreoffice"),
            "modules": [*modules, warm],
            "calls": [{"module": "ZzWarmUp", "proc": "WarmUp", "args": []}]
            + [{"module": m, "proc": p, "args": list(a)} for m, p, a in calls],
        }
        proc = subprocess.run([SYSTEM_PYTHON, str(RUNNER)], input=json.dumps(job), capture_output=True,
                              text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(proc.stdout)["results"][1:]
    for r in results:
        assert r["ok"], r["error"]
    return [r["value"] for r in results]


def module(name: str, code: str, kind: str = "normal") -> dict:
    """A module as the VBA editor holds it: `Attribute` header lines are file-format only
    (VBComponents.Import consumes them), so they are dropped; VBA mode is switched on."""
    body = "\n".join(line for line in code.splitlines() if not line.startswith("Attribute "))
    head = "Option VBASupport 1\n" + ("Option ClassModule\n" if kind == "class" else "")
    return {"name": name, "kind": kind, "code": head + body + "\n"}


def resolve_for_excel(code: str, excel: bool = True) -> str:
    """Conditional compilation as Excel does it with ``#Const App = "Microsoft Excel"``:
    keep the ``#If App = "Microsoft Excel" Then`` branch, drop ``#Else`` … ``#End If``
    (``excel=False``: the other way round, as with any other App).
    LibreOffice 7.4 ignores ``#If``/``#Else`` and compiles both branches in a row."""
    out, keep = [], None
    for line in code.splitlines():
        s = line.strip()
        if s.startswith("#Const "):
            continue
        if re.match(r'#If App = "Microsoft Excel" Then', s):
            keep = True
            continue
        if s == "#Else" and keep is not None:
            keep = False
            continue
        if s == "#End If" and keep is not None:
            keep = None
            continue
        if keep is not None and keep != excel:
            continue
        out.append(line)
    return "\n".join(out) + "\n"


# --- stand-ins for what the generated code calls and LibreOffice does not have ----------------

#: XLPy: xlwings' VBA function that returns the Python COM server; here an object whose
#: CallUDF answers with what it was given, or with StandInResult when a test sets one.
XLPY_CLASS = module("XLPyStandIn", """
Public Function CallUDF(module_name, func_name, args, Optional wb, Optional caller)
    If StandInHasResult Then
        CallUDF = StandInResult
        Exit Function
    End If
    Dim wbText As String, callerText As String
    If IsMissing(wb) Then wbText = "missing" Else wbText = TypeName(wb)
    If IsMissing(caller) Then callerText = "missing" Else callerText = TypeName(caller)
    CallUDF = "called " & module_name & "." & func_name & " with " & (UBound(args) - LBound(args) + 1) _
        & " arguments, workbook " & wbText & ", caller " & callerText
End Function
""", kind="class")

#: Application as a worksheet cell's call sees it: Caller is a Range, the Standard
#: command bar is enabled (not in Insert Function).
APPLICATION_CLASS = module("StandInApplication", """
Public Function Caller()
    Set Caller = StandInCallerCell()
End Function
Public Function CommandBars(name)
    Set CommandBars = New StandInCommandBar
End Function
Public Function ActiveProtectedViewWindow()
    If StandInProtected Then Set ActiveProtectedViewWindow = New StandInCommandBar Else Set ActiveProtectedViewWindow = Nothing
End Function
Public Function ActiveWorkbook()
    If StandInNoBook Then Set ActiveWorkbook = Nothing Else Set ActiveWorkbook = ThisComponent
End Function
Public Function LanguageSettings()
    Set LanguageSettings = New StandInCommandBar
End Function
""", kind="class")

COMMAND_BAR_CLASS = module("StandInCommandBar", """
Public Function Controls(i)
    Set Controls = Me
End Function
Public Property Get Enabled()
    Enabled = True
End Property
Public Function LanguageID(which)
    LanguageID = StandInUiLanguage
End Function
""", kind="class")


def standin_module(extra: str = "", with_application: bool = True) -> dict:
    app = (
        "Function Application() As Object\n    Set Application = New StandInApplication\nEnd Function\n"
        if with_application else ""
    )
    return module("StandIn", f"""
Public StandInHasResult As Boolean
Public StandInResult As Variant
Public StandInProtected As Boolean
Public StandInNoBook As Boolean
Public StandInUiLanguage As Long
Public StandInMessages As String
Function XLPy() As Object
    Set XLPy = New XLPyStandIn
End Function
Function StandInCallerCell() As Object
    Set StandInCallerCell = ActiveWorkbook.Worksheets(1).Range("B2")
End Function
{app}
Function MsgBox(prompt, Optional buttons, Optional title)
    StandInMessages = StandInMessages & title & ": " & prompt & "|"
    MsgBox = 1
End Function
Function Describe(v) As String
    If IsError(v) Then
        Describe = "error " & CStr(CLng(v))
    ElseIf IsArray(v) Then
        Dim i As Long, s As String
        For i = LBound(v) To UBound(v)
            s = s & Describe(v(i)) & ";"
        Next i
        Describe = "array " & s
    ElseIf IsEmpty(v) Then
        Describe = "empty"
    Else
        Describe = TypeName(v) & " " & CStr(v)
    End If
End Function
{extra}
""")


def probe(name: str, expression: str, setup: str = "") -> str:
    """A VBA function Probe_<name> returning Describe(expression), or the runtime error."""
    return f"""
Function Probe_{name}()
    On Error GoTo bad
    {setup}
    Probe_{name} = Describe({expression})
    Exit Function
bad:
    Probe_{name} = "runtime error " & Err.Number & ": " & Err.Description
End Function
"""
