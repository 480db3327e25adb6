"""Compile and run VBA in LibreOffice's VBA mode (Option VBASupport 1), driven over UNO.

Test tooling, run by Debian's /usr/bin/python3 (the Python that has python3-uno):

    /usr/bin/python3 tests/excel/vba/lo_basic.py < job.json > result.json

job.json: {"profile": "/tmp/lo_x", "modules": [{"name": "M", "kind": "normal"|"class", "code": "..."}],
           "calls": [{"module": "M", "proc": "F", "args": [...]}, ...]}
result.json: {"results": [{"ok": true, "value": ...} | {"ok": false, "error": "..."}]}

The modules go into the Standard library of a new, hidden Calc document whose
library container is in VBA compatibility mode, each with its VBA module type, the
way LibreOffice imports an Excel workbook's VBA project. Calls go through the
document's script provider. LibreOffice reports a module that does not compile by
running nothing in that library: every call returns no value (None), which is how
a test sees a compile error (Excel, too, runs no function of a module that does not
compile).
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno  # noqa: E402  (only in the system Python with python3-uno)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.script import ModuleInfo


def _prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _plain(value):
    """A UNO value as JSON: tuples (Basic arrays) become lists."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def run(job):
    profile = job.get("profile") or tempfile.mkdtemp(prefix="lo_vba_")
    pipe = "retention_xl_vba_%d" % os.getpid()
    soffice = os.path.realpath(job.get("soffice") or "/usr/bin/soffice")
    binary = os.path.join(os.path.dirname(soffice), "soffice.bin")
    if os.path.exists(binary):  # the real process: the soffice script's children outlive a kill
        soffice = binary
    args = [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         "-env:UserInstallation=file://" + profile,
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        deadline = time.time() + float(job.get("timeout", 90))
        while ctx is None:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            except NoConnectException:
                if proc.poll() == 81:  # a new profile: soffice.bin asks to be started again
                    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    continue
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("LibreOffice did not start (soffice exit code %s)" % proc.poll())
                time.sleep(0.3)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (_prop("Hidden", True),))
        libs = doc.BasicLibraries
        libs.VBACompatibilityMode = True
        lib = libs.getByName("Standard") if libs.hasByName("Standard") else libs.createLibrary("Standard")
        for module in job["modules"]:
            info = ModuleInfo()
            info.ModuleType = uno.getConstantByName("com.sun.star.script.ModuleType." + module.get("kind", "normal").upper())
            lib.insertModuleInfo(module["name"], info)
            lib.insertByName(module["name"], module["code"])
        provider = doc.getScriptProvider()
        results = []
        for call in job["calls"]:
            uri = "vnd.sun.star.script:Standard.%s.%s?language=Basic&location=document" % (call["module"], call["proc"])
            try:
                value = provider.getScript(uri).invoke(tuple(call.get("args", ())), (), ())[0]
                results.append({"ok": True, "value": _plain(value)})
            except Exception as exc:  # a runtime error in the Basic code, or no such procedure
                results.append({"ok": False, "error": "%s: %s" % (type(exc).__name__, getattr(exc, "Message", exc))})
        # LibreOffice 7.4 may crash while closing a VBA-mode document; the results are in already.
        try:
            desktop.terminate()
        except Exception:
            pass
        return {"results": results}
    finally:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
