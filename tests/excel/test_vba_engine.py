"""The add-in's VBA, compiled and run in a real VBA engine (LibreOffice's VBA mode).

The wrapper module comes from xlwings' own generator (xlwings.udfs.generate_vba_wrapper,
run on Linux with only pythoncom/pywintypes/win32com stubbed, see tests/excel/vba/generate.py);
the rewrite and the ribbon guard are what install.py writes into the add-in on Windows.
xlwings' runtime (XLPy.CallUDF, a COM server) and Excel's Application.Caller do not
exist in LibreOffice, so small stand-ins (tests/excel/vba/engine.py) answer in their place:
they show that every declaration compiles, passes all its arguments under the right
function name, and hands back what Python returned.
"""

from __future__ import annotations

import inspect

import textwrap
from pathlib import Path

import pytest

from retention_xl.excel import udfs, vba
from test_udfs import UDF_NAMES
from tests.excel.vba import engine
from tests.excel.vba.generate import generate_wrapper, load_with_xlwings_decorators, project_wrapper

SPEC_FUNCTIONS = set(UDF_NAMES)  # one list of the add-in's functions, kept in test_udfs
MODULE = "retention_xl.excel.udfs"


@pytest.fixture(scope="module")
def windows_udfs():
    from retention_xl.excel import udfs

    return load_with_xlwings_decorators(Path(udfs.__file__))


@pytest.fixture(scope="module")
def signatures(windows_udfs):
    sigs = vba.udf_signatures(windows_udfs)
    assert set(sigs) == SPEC_FUNCTIONS
    return sigs


@pytest.fixture(scope="module")
def wrapper():
    return project_wrapper()


def template_procedures() -> set[str]:
    """Procedure and module names of the xlwings add-in template's VBA project (read with oletools)."""
    from oletools.olevba import VBA_Parser

    from retention_xl.excel.addin import template_path

    names: set[str] = set()
    parser = VBA_Parser(str(template_path()))
    try:
        for _, _, module_name, code in parser.extract_macros():
            names.add(module_name.rsplit(".", 1)[0])
            for line in code.splitlines():
                words = line.split("(")[0].split()
                for i, w in enumerate(words[:-1]):
                    if w in ("Function", "Sub") and (i == 0 or words[i - 1] in ("Public", "Private", "Friend")):
                        names.add(words[i + 1])
    finally:
        parser.close()
    return names


# --- names -----------------------------------------------------------------------------------


def test_every_function_and_argument_name_survives_vba(signatures):
    project = template_procedures()
    assert {"RunPython", "XLPy", "GetConfig", "RunMain"} <= project  # the list is the real one
    assert vba.name_problems(signatures, project) == []


def test_crr_and_churn_arguments_read_well_in_insert_function(signatures):
    assert signatures["CHURN"] == ["customers_end", "new_customers", "customers_start"]
    assert signatures["CRR"] == ["customers_end", "new_customers", "customers_start", "interval"]  # issue 13


@pytest.mark.parametrize(
    ("functions", "expected"),
    [
        ({"CRR": ["end", "new", "start"]}, ["CRR(end): 'end' is a VBA reserved word", "CRR(new): 'new' is a VBA reserved word"]),
        ({"F": ["Range"]}, ["F(Range): 'Range' clashes with a name the generated VBA uses"]),
        ({"F": ["f"]}, ["F(f): 'f' clashes with a name the generated VBA uses"]),
        ({"RunPython": ["a"]}, ["RunPython: clashes with a name the add-in's VBA already uses"]),
        ({"F": ["_x"]}, ["F(_x): not a valid VBA name"]),
        ({"Date": ["a"]}, ["Date: a VBA reserved word cannot name a function"]),
    ],
)
def test_name_check_names_each_problem(functions, expected):
    assert vba.name_problems(functions, ["RunPython"]) == expected


def test_generator_honours_call_in_wizard_false(wrapper):
    heavy = {"RFM", "COHORT_RETENTION", "CLV_PREDICT"}
    for name in SPEC_FUNCTIONS:
        block = wrapper.split(f"Function {name}(", 1)[1].split("End Function", 1)[0]
        skips_wizard = 'Application.CommandBars("Standard").Controls(1).Enabled' in block
        assert skips_wizard == (name in heavy), name


# --- the generated module in a VBA engine ----------------------------------------------------------


def _args(n: int) -> str:
    return ", ".join(str(i + 1) for i in range(n))


def _run_wrapper(code: str, signatures: dict[str, list[str]], extra: str = "", calls=None):
    probes = "".join(engine.probe(n, f"{n}({_args(len(a))})") for n, a in signatures.items())
    modules = [engine.XLPY_CLASS, engine.APPLICATION_CLASS, engine.COMMAND_BAR_CLASS,
               engine.standin_module(probes + extra), engine.module("xlwings_udfs", code)]
    calls = calls or [("StandIn", f"Probe_{n}", []) for n in signatures]
    return engine.run_vba(modules, calls)


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("branch", ["as generated", "Excel branch", "other branch"])
def test_every_generated_declaration_compiles_and_answers(wrapper, signatures, branch):
    """LibreOffice ignores ``#If App = "Microsoft Excel"`` and compiles both branches, running the
    first: "as generated" proves the whole text compiles. The Excel branch alone (5-argument
    CallUDF with the workbook and Application.Caller, as Excel compiles it) and the other
    branch alone are run by resolving the directive in Python."""
    code = {"as generated": wrapper, "Excel branch": engine.resolve_for_excel(wrapper),
            "other branch": engine.resolve_for_excel(wrapper, excel=False)}[branch]
    got = _run_wrapper(code, signatures)
    tail = "workbook missing, caller missing" if branch == "other branch" else "workbook Workbook, caller Range"
    # xlwings' hidden ``caller`` argument has no VBA parameter, but the wrapper passes it (Nothing)
    passed = {n: len(a) + ("caller" in inspect.signature(getattr(udfs, n)).parameters) for n, a in signatures.items()}
    expected = [f"String called {MODULE}.{n} with {passed[n]} arguments, {tail}" for n in signatures]
    assert got == expected


BAD_UDFS = '''
import xlwings as xw

@xw.func
def GOOD(amount):
    return amount

@xw.func
def PICKY({arg}, amount):
    return amount
'''


@pytest.mark.slow
@pytest.mark.libreoffice
def test_one_reserved_word_takes_every_function_down_and_the_check_says_so(tmp_path):
    results = {}
    for arg in ("end", "customers_end"):
        path = tmp_path / f"udfs_{arg}.py"
        path.write_text(BAD_UDFS.format(arg=arg), encoding="utf-8")
        mod = load_with_xlwings_decorators(path, f"_bad_udfs_{arg}")
        sigs = vba.udf_signatures(mod)
        code = generate_wrapper(mod, module_name="bad_udfs")
        assert f"Function PICKY({arg}, amount)" in code  # what xlwings writes, unchanged
        results[arg] = (vba.name_problems(sigs), _run_wrapper(engine.resolve_for_excel(code), sigs))
    problems, values = results["end"]
    assert problems == ["PICKY(end): 'end' is a VBA reserved word"]
    assert values == [None, None]  # the module does not compile: GOOD is gone too
    problems, values = results["customers_end"]
    assert problems == []
    assert values == [
        "String called bad_udfs.GOOD with 1 arguments, workbook Workbook, caller Range",
        "String called bad_udfs.PICKY with 2 arguments, workbook Workbook, caller Range",
    ]


# --- install.py's rewrite: error texts become error values -------------------------------------------


@pytest.mark.slow
@pytest.mark.libreoffice
def test_error_texts_become_excel_error_values_and_messages_stay_text(wrapper, signatures):
    code = engine.resolve_for_excel(vba.with_error_values(wrapper))
    assert vba.with_error_values(vba.with_error_values(wrapper)) == vba.with_error_values(wrapper)
    cases = {
        **{f"e{code_}": (f'"{text}"', f"error {code_}") for text, code_ in vba.EXCEL_ERRORS.items()},
        "message": ('"CRR: customers at the start is 0 (division by zero)"',
                    "String CRR: customers at the start is 0 (division by zero)"),
        "lookalike": ('"#N/A is not an error"', "String #N/A is not an error"),
        "number": ("0.9", "Double 0.9"),
    }
    extra = "".join(
        engine.probe(f"case_{key}", "CRR(210, 30, 200)", setup=f"StandInHasResult = True: StandInResult = {value}")
        for key, (value, _) in cases.items()
    )
    extra += textwrap.dedent('''
        Function SpillCell(i, j)
            Dim a(0 To 1, 0 To 1) As Variant
            a(0, 0) = "Customer": a(0, 1) = "Segment": a(1, 0) = "#N/A": a(1, 1) = "At risk"
            StandInHasResult = True
            StandInResult = a
            SpillCell = Describe(RFM(1, 2, 3)(i, j))
        End Function
    ''')
    calls = [("StandIn", "Probe_NPS", [])]  # before any stand-in result is set
    calls += [("StandIn", f"Probe_case_{k}", []) for k in cases]
    calls += [("StandIn", "SpillCell", [i, j]) for i in (0, 1) for j in (0, 1)]
    got = _run_wrapper(code, signatures, extra, calls)
    assert got[0] == f"String called {MODULE}.NPS with 2 arguments, workbook Workbook, caller Range"
    assert got[1: len(cases) + 1] == [want for _, want in cases.values()]
    assert got[len(cases) + 1:] == ["String Customer", "String Segment", "error 2042", "String At risk"]


# --- the ribbon guard -------------------------------------------------------------------------------------

RIBBON_STANDINS = textwrap.dedent('''
    Sub RunPython(command)
        StandInMessages = StandInMessages & "RunPython: " & command & "|"
    End Sub
    Function ThisWorkbook() As Object
        Set ThisWorkbook = New StandInBook
    End Function
    Function Click(protectedView, noBook, uiLanguage, which)
        StandInMessages = ""
        StandInProtected = protectedView
        StandInNoBook = noBook
        StandInUiLanguage = uiLanguage
        If which = "report" Then
            Call RunMain(Nothing)
        Else
            Call RunCheckSetup(Nothing)
        End If
        ' MsgBox itself is LibreOffice's (a no-op when headless): show the text it was given
        Click = StandInMessages & RetentionXlGuardMessage(Application.ActiveProtectedViewWindow, _
            Application.ActiveWorkbook, RetentionXlLanguage())
    End Function
''')
BOOK_CLASS = engine.module("StandInBook", 'Public Property Get Name()\n    Name = "retention_xl.xlam"\nEnd Property\n', kind="class")
RIBBON_CONTROL_CLASS = engine.module("IRibbonControl", "Public Id As String\n", kind="class")


@pytest.mark.slow
@pytest.mark.libreoffice
def test_ribbon_guard_explains_instead_of_a_vba_error():
    modules = [engine.APPLICATION_CLASS, engine.COMMAND_BAR_CLASS, BOOK_CLASS, RIBBON_CONTROL_CLASS,
               # the VBA editor adds Option Explicit to a new module when "Require Variable Declaration" is on
               engine.standin_module(RIBBON_STANDINS),
               engine.module(vba.GUARD_MODULE_NAME, "Option Explicit\n" + vba.GUARD_MODULE),
               engine.module("RibbonMyAddin", vba.RIBBON_MODULE)]
    calls = [
        ("StandIn", "Click", [False, False, 1033, "report"]),
        ("StandIn", "Click", [False, True, 1033, "report"]),
        ("StandIn", "Click", [True, True, 1033, "report"]),
        ("StandIn", "Click", [False, True, 1049, "report"]),
        ("StandIn", "Click", [True, True, 2052, "check"]),
        ("StandIn", "Click", [False, False, 2052, "check"]),
    ]
    got = engine.run_vba(modules, calls)
    en, ru, zh = (vba.GUARD_TEXTS[k] for k in ("en", "ru", "zh"))
    assert got == [
        "RunPython: import retention_xl;retention_xl.main()|",  # nothing to explain: xlwings runs
        en["no_book"],  # RunPython is not called
        en["protected"],
        ru["no_book"],
        zh["protected"],
        "RunPython: import retention_xl.excel.doctor; retention_xl.excel.doctor.excel_main()|",
    ]


def test_guard_text_is_ascii_vba_source():
    """VBA modules are stored in the PC's ANSI code page: non-ASCII text must be ChrW()."""
    assert vba.GUARD_MODULE.isascii() and vba.RIBBON_MODULE.isascii()
    assert vba.vba_string('Say "hi" Привет') == '"Say ""hi"" " & ' + " & ".join(f"ChrW({ord(c)})" for c in "Привет")
