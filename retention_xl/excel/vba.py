"""The VBA that retention_xl writes or rewrites in the add-in (Windows, VBA project access).

Three pieces, all plain text so tests can compile and run them in LibreOffice's
VBA mode (tests/excel/test_vba_engine.py):

* :func:`name_problems` - function and argument names that would stop xlwings'
  generated ``xlwings_udfs`` module from compiling (VBA reserved words, names the
  generated code itself uses such as ``Range`` or ``XLPy``). One name that does not
  compile takes every function of the add-in down, so install.py refuses to import
  such a module and the test suite checks ours.
* :func:`with_error_values` - rewrites the generated module so that a result that
  is exactly an Excel error text (``"#N/A"``, ``"#DIV/0!"`` …) becomes the real error
  value (``CVErr``), which ISNA/IFERROR/IFNA catch and arithmetic propagates.
  Messages ("CRR: customers at the start is 0 …") stay text.
* :data:`GUARD_MODULE` / :data:`RIBBON_MODULE` - a check the ribbon runs before
  handing over to xlwings' RunPython: with no workbook open, or a workbook in
  Protected View, a message box says what to do instead of xlwings' VBA stopping
  with "Run-time error 91".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from retention_xl.common.excel import ERRORS

#: VBA reserved identifiers ([MS-VBAL] 3.3.5.2: statement and marker keywords,
#: operators, reserved names, special forms, types, literals) and the keywords the
#: VBA editor refuses as a parameter name. Compared case-insensitively.
VBA_RESERVED_WORDS: frozenset[str] = frozenset(
    w.lower()
    for w in """
    Abs AddressOf Alias And Any Append Array As Attribute Base Binary Boolean ByRef Byte ByVal
    Call Case CBool CByte CCur CDate CDbl CDec CDecl CInt Circle CLng CLngLng CLngPtr Close Compare Const
    CSng CStr Currency CVar CVErr Date Debug Decimal Declare DefBool DefByte DefCur DefDate DefDbl DefDec
    DefInt DefLng DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do DoEvents Double Each Else ElseIf
    Empty End EndIf Enum Eqv Erase Error Event Exit Explicit False Fix For Friend Function Get Global GoSub
    GoTo If Imp Implements In Input InputB Int Integer Is LBound Len LenB Let Lib Like Line Lock Long
    LongLong LongPtr Loop LSet Me Mid MidB Mod Module New Next Not Nothing Null Object On Open Option
    Optional Or Output ParamArray Preserve Print Private Property PSet PtrSafe Public Put RaiseEvent
    Random Read ReDim Rem Resume Return RSet Scale Seek Select Set Sgn Shared Single Spc Static Step Stop
    String Sub Tab Text Then To True Type TypeOf UBound Unlock Until Variant Wend While Width With
    WithEvents Write Xor
    """.split()
)

#: Names the code xlwings generates for each function refers to (generate_vba_wrapper
#: in xlwings/udfs.py) - an argument of that name would shadow them - and the
#: Excel/VBA globals it relies on.
WRAPPER_IDENTIFIERS: frozenset[str] = frozenset(
    w.lower()
    for w in """
    XLPy CallUDF Application Caller CommandBars Controls Enabled Volatile Range Array Err Description
    ActiveWorkbook ThisWorkbook failed argsArray k App
    """.split()
)

#: The classic error values the rewrite turns into CVErr: their text as xlwings returns it and the
#: CVErr number, from the one table of Excel's errors (common.excel.ERRORS).
EXCEL_ERRORS: Mapping[str, int] = {
    text: ERRORS[text] for text in ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")
}

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,254}\Z")


def name_problems(
    functions: Mapping[str, Sequence[str]], project_names: Iterable[str] = ()
) -> list[str]:
    """Why the wrapper module for ``functions`` ({name: [argument names]}) would not work.

    ``project_names`` are the other procedure and module names of the VBA project
    (the xlwings template's ``RunPython``, ``GetConfig`` …): a function of the same
    name is ambiguous to VBA. An empty list means every name is fine.
    """
    taken = {n.lower() for n in project_names}
    problems: list[str] = []
    for fname, args in functions.items():
        if not _IDENTIFIER.match(fname):
            problems.append(f"{fname}: not a valid VBA name")
        elif fname.lower() in VBA_RESERVED_WORDS:
            problems.append(f"{fname}: a VBA reserved word cannot name a function")
        elif fname.lower() in WRAPPER_IDENTIFIERS or fname.lower() in taken:
            problems.append(f"{fname}: clashes with a name the add-in's VBA already uses")
        for arg in args:
            where = f"{fname}({arg})"
            if not _IDENTIFIER.match(arg):
                problems.append(f"{where}: not a valid VBA name")
            elif arg.lower() in VBA_RESERVED_WORDS:
                problems.append(f"{where}: {arg!r} is a VBA reserved word")
            elif arg.lower() in WRAPPER_IDENTIFIERS or arg.lower() == fname.lower():
                problems.append(f"{where}: {arg!r} clashes with a name the generated VBA uses")
            elif arg.lower() in taken:
                problems.append(f"{where}: {arg!r} clashes with a procedure of the add-in's VBA")
    return problems


def udf_signatures(module: object) -> dict[str, list[str]]:
    """{function: [argument names]} of the xlwings functions in ``module`` (as decorated by
    xlwings' Windows decorators, which record them in ``__xlfunc__``). xlwings' reserved
    ``caller`` argument is left out: the generator writes no parameter for it (the calling
    Range is filled in on the Python side)."""
    out: dict[str, list[str]] = {}
    for attr in dir(module):
        meta = getattr(getattr(module, attr), "__xlfunc__", None)
        if meta:
            out[meta["name"]] = [a["name"] for a in meta["args"] if not a.get("vba") and a["name"] != "caller"]
    return out


# --------------------------------------------------------------------------- error values

ERROR_VALUE_FUNCTION = "RetentionXlErrorValue"

_CALL_LINE = re.compile(r"^(?P<indent>\s*)(?P<name>[A-Za-z][A-Za-z0-9_]*) = XLPy\.CallUDF\(", re.M)

_ERROR_VALUE_VBA = (
    "\n' Added by retention_xl's install.py: a result that is exactly an Excel error text\n"
    "' becomes that error value, so ISNA/IFERROR/IFNA work; any other text stays text.\n"
    f"Private Function {ERROR_VALUE_FUNCTION}(result As Variant) As Variant\n"
    "    Dim i As Long, j As Long, cells As Variant\n"
    "    If IsArray(result) Then\n"
    "        cells = result\n"
    "        On Error GoTo oneDimension\n"
    "        For i = LBound(cells, 1) To UBound(cells, 1)\n"
    "            For j = LBound(cells, 2) To UBound(cells, 2)\n"
    f"                cells(i, j) = {ERROR_VALUE_FUNCTION}(cells(i, j))\n"
    "            Next j\n"
    "        Next i\n"
    f"        {ERROR_VALUE_FUNCTION} = cells\n"
    "        Exit Function\n"
    "oneDimension:\n"
    "        For i = LBound(cells) To UBound(cells)\n"
    f"            cells(i) = {ERROR_VALUE_FUNCTION}(cells(i))\n"
    "        Next i\n"
    f"        {ERROR_VALUE_FUNCTION} = cells\n"
    "        Exit Function\n"
    "    End If\n"
    "    If VarType(result) = vbString Then\n"
    "        Select Case result\n"
    + "".join(f'            Case "{text}": {ERROR_VALUE_FUNCTION} = CVErr({code})\n' for text, code in EXCEL_ERRORS.items())
    + f"            Case Else: {ERROR_VALUE_FUNCTION} = result\n"
    "        End Select\n"
    "    Else\n"
    f"        {ERROR_VALUE_FUNCTION} = result\n"
    "    End If\n"
    "End Function\n"
)


def with_error_values(module_text: str) -> str:
    """The generated xlwings_udfs module with error texts turned into error values.

    After every ``F = XLPy.CallUDF(...)`` line a line ``F = RetentionXlErrorValue(F)``
    is added, and the (private) helper at the end of the module. Idempotent.
    """
    if f"Function {ERROR_VALUE_FUNCTION}(" in module_text:
        return module_text
    lines = module_text.splitlines()
    out: list[str] = []
    for line in lines:
        out.append(line)
        m = _CALL_LINE.match(line)
        if m:
            name = m.group("name")
            out.append(f"{m.group('indent')}{name} = {ERROR_VALUE_FUNCTION}({name})")
    return "\n".join(out).rstrip("\n") + "\n" + _ERROR_VALUE_VBA


# --------------------------------------------------------------------------- the ribbon guard

GUARD_MODULE_NAME = "retention_xl_guard"
GUARD_FUNCTION = "RetentionXlReady"

#: en / ru / zh message-box texts, chosen by Excel's user-interface language
#: (LanguageSettings.LanguageID(msoLanguageIDUI) = 2: 1049 Russian, 2052/1028/3076/4100/5124 Chinese).
GUARD_TEXTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "title": "Retention KPI report",
        "no_book": "No workbook is open. Open your order export (or paste it into a new workbook), "
        "click any cell inside it, then click the button on the Retention tab again.",
        "protected": "This workbook is open in Protected View (for example an e-mail attachment), "
        "so Excel does not let add-ins read it. Click Enable Editing in the yellow bar at the top, "
        "then click the button on the Retention tab again.",
    },
    "ru": {
        "title": "Отчёт по удержанию клиентов",
        "no_book": "Не открыта ни одна книга. Откройте выгрузку заказов (или вставьте её в новую книгу), "
        "щёлкните любую ячейку в ней и снова нажмите кнопку на вкладке Retention.",
        "protected": "Книга открыта в режиме защищённого просмотра (например, вложение из письма), "
        "и Excel не даёт надстройкам её читать. Нажмите «Разрешить редактирование» на жёлтой панели "
        "вверху и снова нажмите кнопку на вкладке Retention.",
    },
    "zh": {
        "title": "客户留存 KPI 报告",
        "no_book": "没有打开任何工作簿。请打开订单导出文件（或将其粘贴到新工作簿中），单击其中任意单元格，然后再次单击 Retention 选项卡上的按钮。",
        "protected": "此工作簿在受保护的视图中打开（例如电子邮件附件），Excel 不允许加载项读取它。"
        "请单击顶部黄色栏中的“启用编辑”，然后再次单击 Retention 选项卡上的按钮。",
    },
}


def vba_string_parts(text: str) -> list[str]:
    """``text`` as VBA expressions to concatenate: ASCII runs in quotes, other characters ChrW(n).

    VBA modules are stored in the PC's ANSI code page; ChrW keeps Russian and Chinese
    intact on any PC.
    """
    parts: list[str] = []
    run = ""
    for ch in text:
        if 32 <= ord(ch) < 127:
            run += '""' if ch == '"' else ch
        else:
            if run:
                parts.append(f'"{run}"')
                run = ""
            parts.append(f"ChrW({ord(ch)})")
    if run or not parts:
        parts.append(f'"{run}"')
    return parts


def vba_string(text: str) -> str:
    """One VBA string expression for ``text`` (see vba_string_parts)."""
    return " & ".join(vba_string_parts(text))


_MAX_LINE = 900  # VBA refuses lines over 1023 characters


def _assign_lines(target: str, text: str, indent: str) -> list[str]:
    """Statements that build ``text`` in ``target``, each line short enough for VBA."""
    lines: list[str] = []
    current: list[str] = []
    for part in vba_string_parts(text):
        if current and len(" & ".join(current)) + len(part) > _MAX_LINE:
            lines.append(" & ".join(current))
            current = []
        current.append(part)
    lines.append(" & ".join(current))
    out = [f"{indent}{target} = {lines[0]}"]
    out += [f"{indent}{target} = {target} & {line}" for line in lines[1:]]
    return out


def _texts_function() -> str:
    lines = [
        "Function RetentionXlText(key As String, lang As String) As String",
        "    Dim t As String",
        "    Select Case lang & \".\" & key",
    ]
    for lang, texts in GUARD_TEXTS.items():
        for key, text in texts.items():
            lines.append(f'        Case "{lang}.{key}"')
            lines += _assign_lines("t", text, "            ")
    lines += [
        "        Case Else",
        "            t = RetentionXlText(key, \"en\")",
        "    End Select",
        "    RetentionXlText = t",
        "End Function",
    ]
    return "\n".join(lines) + "\n"


GUARD_MODULE = (
    "' Written by retention_xl's install.py. The ribbon runs RetentionXlReady first, so a click\n"
    "' with no workbook or a Protected View window gets a message box, not a VBA error.\n"
    "Function RetentionXlLanguage() As String\n"
    "    Dim id As Long\n"
    "    On Error Resume Next\n"
    "    id = Application.LanguageSettings.LanguageID(2)\n"
    "    On Error GoTo 0\n"
    "    Select Case id\n"
    "        Case 1049: RetentionXlLanguage = \"ru\"\n"
    "        Case 2052, 1028, 3076, 4100, 5124: RetentionXlLanguage = \"zh\"\n"
    "        Case Else: RetentionXlLanguage = \"en\"\n"
    "    End Select\n"
    "End Function\n"
    "\n"
    + _texts_function()
    + "\n"
    "' The reason the button cannot run now (\"\" = it can), from what Excel has open.\n"
    "Function RetentionXlGuardMessage(protectedWindow As Variant, book As Variant, lang As String) As String\n"
    "    If IsObject(protectedWindow) Then\n"
    "        If Not protectedWindow Is Nothing Then\n"
    "            RetentionXlGuardMessage = RetentionXlText(\"protected\", lang)\n"
    "            Exit Function\n"
    "        End If\n"
    "    End If\n"
    "    If Not IsObject(book) Then\n"
    "        RetentionXlGuardMessage = RetentionXlText(\"no_book\", lang)\n"
    "    ElseIf book Is Nothing Then\n"
    "        RetentionXlGuardMessage = RetentionXlText(\"no_book\", lang)\n"
    "    Else\n"
    "        RetentionXlGuardMessage = \"\"\n"
    "    End If\n"
    "End Function\n"
    "\n"
    f"Function {GUARD_FUNCTION}() As Boolean\n"
    "    Dim pv As Object, book As Object, lang As String, msg As String\n"
    "    Set pv = Nothing\n"
    "    Set book = Nothing\n"
    "    On Error Resume Next\n"
    "    Set pv = Application.ActiveProtectedViewWindow\n"
    "    Set book = Application.ActiveWorkbook\n"
    "    On Error GoTo 0\n"
    "    lang = RetentionXlLanguage()\n"
    "    msg = RetentionXlGuardMessage(pv, book, lang)\n"
    "    If msg <> \"\" Then\n"
    "        MsgBox msg, vbExclamation, RetentionXlText(\"title\", lang)\n"
    f"        {GUARD_FUNCTION} = False\n"
    "    Else\n"
    f"        {GUARD_FUNCTION} = True\n"
    "    End If\n"
    "End Function\n"
)

#: The template's RibbonMyAddin module with the guard in front of RunPython, and the
#: "Check setup" callback.
RIBBON_MODULE = (
    "Sub RunMain(control As IRibbonControl)\n"
    f"    If Not {GUARD_FUNCTION}() Then Exit Sub\n"
    "    mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, \".\", -1, vbTextCompare) - 1))\n"
    "    RunPython \"import \" & mymodule & \";\" & mymodule & \".main()\"\n"
    "End Sub\n"
    "\n"
    "Sub RunCheckSetup(control As IRibbonControl)\n"
    f"    If Not {GUARD_FUNCTION}() Then Exit Sub\n"
    "    RunPython \"import retention_xl.excel.doctor; retention_xl.excel.doctor.excel_main()\"\n"
    "End Sub\n"
)


# --------------------------------------------------------------------------- writing it (Windows, via COM)


def _code(code_module: object) -> str:
    count = code_module.CountOfLines
    return code_module.Lines(1, count) if count else ""


def _replace_code(code_module: object, text: str) -> None:
    count = code_module.CountOfLines
    if count:
        code_module.DeleteLines(1, count)
    code_module.AddFromString(text)


def write_into_project(project: object) -> None:
    """After xlwings' import_udfs: error values in xlwings_udfs, the guard module, the guarded
    ribbon callbacks. ``project`` is the add-in's VBProject (COM, VBA project access on)."""
    components = project.VBComponents
    udfs_code = components("xlwings_udfs").CodeModule
    _replace_code(udfs_code, with_error_values(_code(udfs_code)))
    try:
        components.Remove(components(GUARD_MODULE_NAME))
    except Exception:  # noqa: BLE001 - not there yet
        pass
    guard = components.Add(1)  # vbext_ct_StdModule
    guard.Name = GUARD_MODULE_NAME
    guard.CodeModule.AddFromString(GUARD_MODULE)
    _replace_code(components("RibbonMyAddin").CodeModule, RIBBON_MODULE)
