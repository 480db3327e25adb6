"""Assemble the retention_xl Excel add-in (.xlam) without Excel, on any OS.

The add-in is the custom-ribbon add-in template that ships inside the installed
xlwings package (``quickstart_addin_ribbon.xlam``, what ``xlwings quickstart NAME
--addin --ribbon`` copies; xlwings is BSD-licensed) with our reviewable text parts
from ``workbook/`` injected into its zip:

* ``workbook/customUI.xml``     -> part ``customUI/customUI.xml``, referenced from
  ``_rels/.rels`` with the Office 2007 customUI relationship type;
* ``workbook/addin_config.json`` -> the add-in's configuration sheet
  ``myaddin.conf`` (the sheet the template's VBA reads with ``GetConfig``),
  the add-in's file name and document title.

The template's ``xl/vbaProject.bin`` is copied byte for byte: it already holds the
xlwings ``RunPython`` machinery and the ribbon callback ``RibbonMyAddin.RunMain``
(see workbook/README.md for why we reuse it instead of writing VBA).

Nothing here imports xlwings (only its package directory is located), so this
runs on Linux and in tests.
"""

from __future__ import annotations

import importlib.util
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
CONFIG_SHEET = "myaddin.conf"  # PROJECT_NAME & ".conf" in the template's VBA
TEMPLATE_CONFIG_SHEET = "_myaddin.conf"  # the template ships it deactivated
CUSTOMUI_PART = "customUI/customUI.xml"
CUSTOMUI_REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CUSTOMUI_REL_TYPES = (
    CUSTOMUI_REL_TYPE,
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # deterministic zip: same inputs, same bytes


class AddinBuildError(RuntimeError):
    """The add-in cannot be assembled; the message says why in plain words."""


def workbook_dir() -> Path:
    """The repository's ``workbook/`` folder (our ribbon XML and configuration)."""
    return Path(__file__).resolve().parents[2] / "workbook"


def xlwings_dir() -> Path:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise AddinBuildError("xlwings is not installed; run install.py first.")
    return Path(list(spec.submodule_search_locations)[0])


def template_path() -> Path:
    path = xlwings_dir() / TEMPLATE_NAME
    if not path.is_file():
        raise AddinBuildError(f"The xlwings add-in template {path} is missing; reinstall xlwings.")
    return path


@dataclass(frozen=True)
class AddinConfig:
    """workbook/addin_config.json, read and checked."""

    file_name: str
    entry_point: str
    title: str
    sheet: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def entry_module(self) -> str:
        return self.entry_point.rpartition(".")[0]

    def with_values(self, **values: Any) -> "AddinConfig":
        """A copy with some sheet values replaced, keys matched case-insensitively."""
        upper = {k.upper(): v for k, v in values.items()}
        unknown = set(upper) - {k.upper() for k, _ in self.sheet}
        if unknown:
            raise AddinBuildError(f"Unknown add-in configuration keys: {', '.join(sorted(unknown))}")
        sheet = [(k, upper.get(k.upper(), v)) for k, v in self.sheet]
        return AddinConfig(self.file_name, self.entry_point, self.title, sheet)

    def value(self, key: str) -> Any:
        for k, v in self.sheet:
            if k.upper() == key.upper():
                return v
        raise KeyError(key)


def module_run_by_template(file_name: str) -> str:
    """The module RibbonMyAddin.RunMain imports: the workbook name up to its last dot."""
    return file_name[: file_name.rindex(".")]


def load_config(path: Path | None = None) -> AddinConfig:
    path = path or workbook_dir() / "addin_config.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    cfg = AddinConfig(
        file_name=data["file_name"],
        entry_point=data["entry_point"],
        title=data.get("title", ""),
        sheet=[(str(k), v) for k, v in data["sheet"]],
    )
    if not cfg.file_name.endswith(".xlam"):
        raise AddinBuildError(f"{path}: file_name must end in .xlam")
    if cfg.entry_point != module_run_by_template(cfg.file_name) + ".main":
        raise AddinBuildError(
            f"{path}: the template's ribbon callback runs "
            f"{module_run_by_template(cfg.file_name)}.main(), but entry_point says {cfg.entry_point}"
        )
    keys = [k.upper() for k, _ in cfg.sheet]
    if len(keys) != len(set(keys)):
        raise AddinBuildError(f"{path}: a configuration key appears twice (the VBA would fail)")
    if any(not k.strip() for k in keys):
        raise AddinBuildError(f"{path}: empty configuration key (the VBA stops reading at a blank row)")
    return cfg


# --------------------------------------------------------------------------- parts


def _config_sheet_xml(rows: list[tuple[str, Any]]) -> str:
    """The configuration sheet: keys in A1:A<n> without gaps (GetConfigFromSheet reads
    A1 down to the first blank), values in column B as inline strings or booleans."""
    out = []
    for i, (key, value) in enumerate(rows, start=1):
        cells = f'<c r="A{i}" s="1" t="inlineStr"><is><t>{escape(key)}</t></is></c>'
        if isinstance(value, bool):
            cells += f'<c r="B{i}" s="1" t="b"><v>{int(value)}</v></c>'
        elif value not in (None, ""):
            cells += f'<c r="B{i}" s="1" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
        out.append(f'<row r="{i}">{cells}</row>')
    last = max(len(rows), 1)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
        f'<sheetPr codeName="Sheet2"/><dimension ref="A1:B{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="30" style="1" customWidth="1"/>'
        '<col min="2" max="2" width="60" style="1" customWidth="1"/></cols>'
        f'<sheetData>{"".join(out)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _workbook_xml(template_xml: str) -> str:
    if f'name="{TEMPLATE_CONFIG_SHEET}"' not in template_xml:
        raise AddinBuildError(f"The xlwings template has no {TEMPLATE_CONFIG_SHEET} sheet; its layout changed.")
    xml = template_xml.replace(f'name="{TEMPLATE_CONFIG_SHEET}"', f'name="{CONFIG_SHEET}"')
    # The template remembers the folder it was saved from on its author's PC; drop it.
    xml = re.sub(r"<mc:AlternateContent\b.*?</mc:AlternateContent>", "", xml, flags=re.S)
    return xml


def _root_rels_xml(template_xml: str) -> str:
    root = ET.fromstring(template_xml)
    rels = [
        (r.get("Id"), r.get("Type"), r.get("Target"))
        for r in root.findall(f"{{{NS_PKG_REL}}}Relationship")
        if r.get("Type") not in CUSTOMUI_REL_TYPES
    ]
    ids = {rid for rid, _, _ in rels}
    n = 1
    while f"rIdCustomUI{n}" in ids:
        n += 1
    rels.append((f"rIdCustomUI{n}", CUSTOMUI_REL_TYPE, CUSTOMUI_PART))
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{escape(g)}"/>' for i, t, g in rels)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{NS_PKG_REL}">{body}</Relationships>'


def _content_types_xml(template_xml: str) -> str:
    root = ET.fromstring(template_xml)
    overrides = {o.get("PartName"): o.get("ContentType") for o in root.findall(f"{{{NS_CT}}}Override")}
    if overrides.get("/xl/workbook.xml") != ADDIN_CONTENT_TYPE:
        raise AddinBuildError("The xlwings template is not a macro-enabled add-in; its layout changed.")
    defaults = {d.get("Extension"): d.get("ContentType") for d in root.findall(f"{{{NS_CT}}}Default")}
    defaults.setdefault("rels", "application/vnd.openxmlformats-package.relationships+xml")
    defaults.setdefault("xml", "application/xml")  # covers customUI/customUI.xml
    overrides.pop("/" + CUSTOMUI_PART, None)
    body = "".join(f'<Default Extension="{e}" ContentType="{c}"/>' for e, c in defaults.items())
    body += "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides.items())
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{NS_CT}">{body}</Types>'


def _core_xml(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title>"
        "<dc:description>Customer-retention KPI report button and functions. "
        "Built from the xlwings custom add-in template (BSD-3-Clause).</dc:description>"
        "<dc:creator>retention_xl</dc:creator>"
        "</cp:coreProperties>"
    )


#: customUI elements with this tag call VBA that install.py writes (Windows, VBA project access).
NEEDS_VBA_TAG = "needs-retention-vba"
_NEEDS_VBA_ELEMENT = re.compile(
    r'\n?[ \t]*<(?P<tag>group|button)\b[^>]*\btag="' + NEEDS_VBA_TAG + r'"[^>]*?(?:/>|>.*?</(?P=tag)>)', re.S
)


def _customui_xml(path: Path, with_vba: bool = False) -> str:
    """The ribbon XML; without ``with_vba`` the controls whose callbacks install.py writes are
    left out (a button whose macro is missing would only say "Cannot run the macro")."""
    text = path.read_text(encoding="utf-8")
    try:
        ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise AddinBuildError(f"{path} is not well-formed XML: {exc}") from exc
    return text if with_vba else _NEEDS_VBA_ELEMENT.sub("", text)


def show_vba_buttons(addin: Path | str, customui: Path | None = None) -> None:
    """Put the full ribbon (with the controls that need install.py's VBA) into a built add-in,
    after that VBA was written into it. Every other part is copied unchanged."""
    addin = Path(addin)
    xml = _customui_xml(customui or workbook_dir() / "customUI.xml", with_vba=True).encode("utf-8")
    with zipfile.ZipFile(addin) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    tmp = addin.with_name(addin.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            zout.writestr(info, xml if info.filename == CUSTOMUI_PART else data)
    tmp.replace(addin)


# --------------------------------------------------------------------------- build


def build_addin(
    out_dir: Path | str,
    *,
    config: AddinConfig | None = None,
    values: dict[str, Any] | None = None,
    template: Path | None = None,
    customui: Path | None = None,
) -> Path:
    """Write ``out_dir/<file_name>`` and return its path.

    ``values`` overrides configuration-sheet values (e.g. ``Interpreter_Win``).
    The output depends only on the inputs (fixed zip timestamps), so building twice
    gives the same bytes.
    """
    config = config or load_config()
    if values:
        config = config.with_values(**values)
    template = template or template_path()
    customui = customui or workbook_dir() / "customUI.xml"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / config.file_name

    with zipfile.ZipFile(template) as zin:
        parts = {name: zin.read(name) for name in zin.namelist() if not name.endswith("/")}

    parts["[Content_Types].xml"] = _content_types_xml(parts["[Content_Types].xml"].decode("utf-8")).encode()
    parts["_rels/.rels"] = _root_rels_xml(parts["_rels/.rels"].decode("utf-8")).encode()
    parts[CUSTOMUI_PART] = _customui_xml(customui).encode("utf-8")
    parts["xl/workbook.xml"] = _workbook_xml(parts["xl/workbook.xml"].decode("utf-8")).encode()
    sheet_part = _config_sheet_part(parts)
    parts[sheet_part] = _config_sheet_xml(config.sheet).encode("utf-8")
    parts["docProps/core.xml"] = _core_xml(config.title).encode("utf-8")

    order = ["[Content_Types].xml", "_rels/.rels"] + sorted(
        n for n in parts if n not in ("[Content_Types].xml", "_rels/.rels")
    )
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, parts[name])
    tmp.replace(target)
    return target


def _config_sheet_part(parts: dict[str, bytes]) -> str:
    """The worksheet part of the configuration sheet, found through workbook.xml's rels."""
    wb = ET.fromstring(parts["xl/workbook.xml"])
    rid = None
    for sheet in wb.iter(f"{{{NS_MAIN}}}sheet"):
        if sheet.get("name") == CONFIG_SHEET:
            rid = sheet.get(f"{{{NS_REL}}}id")
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    for rel in rels.findall(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("Id") == rid:
            return posixpath.normpath(posixpath.join("xl", rel.get("Target")))
    raise AddinBuildError("Cannot find the configuration sheet inside the xlwings template.")


def read_config_sheet(addin: Path | str) -> list[tuple[str, Any]]:
    """The (key, value) rows of a built add-in's configuration sheet, as the VBA sees them."""
    with zipfile.ZipFile(addin) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    root = ET.fromstring(parts[_config_sheet_part(parts)])
    rows: list[tuple[str, Any]] = []
    for row in root.iter(f"{{{NS_MAIN}}}row"):
        cells = {}
        for c in row.findall(f"{{{NS_MAIN}}}c"):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            if c.get("t") == "b":
                cells[col] = c.findtext(f"{{{NS_MAIN}}}v") == "1"
            else:
                cells[col] = "".join(t.text or "" for t in c.iter(f"{{{NS_MAIN}}}t"))
        if cells.get("A", "") == "":
            break  # GetConfigFromSheet stops at the first blank key
        rows.append((cells["A"], cells.get("B", "")))
    return rows
