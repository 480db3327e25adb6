"""The tree shows the flow: read -> engine -> render / excel; the engine knows no shell."""

from __future__ import annotations

import ast
from pathlib import Path

import retention_xl

PACKAGE = Path(retention_xl.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("retention_xl")}


def _layer_imports(layer: str) -> dict[str, set[str]]:
    return {str(p.relative_to(PACKAGE)): _imports(p) for p in sorted((PACKAGE / layer).rglob("*.py"))}


FORBIDDEN_FOR_ENGINE = ("retention_xl.read", "retention_xl.render", "retention_xl.excel",
                        "retention_xl.pipeline", "retention_xl.cli")


def test_engine_imports_nothing_from_read_render_or_excel():
    bad = {f: sorted(m for m in mods if m.startswith(FORBIDDEN_FOR_ENGINE))
           for f, mods in _layer_imports("engine").items()}
    assert {f: m for f, m in bad.items() if m} == {}


def test_common_concepts_import_only_each_other():
    bad = {f: sorted(m for m in mods if not m.startswith(("retention_xl.common", "retention_xl.errors")))
           for f, mods in _layer_imports("common").items()}
    assert {f: m for f, m in bad.items() if m} == {}


def test_reader_and_renderer_do_not_import_excel_shell():
    for layer in ("read", "render"):
        bad = {f: sorted(m for m in mods if m.startswith("retention_xl.excel"))
               for f, mods in _layer_imports(layer).items()}
        assert {f: m for f, m in bad.items() if m} == {}, layer


def test_the_checker_sees_a_forbidden_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from retention_xl.read.cells import parse_ids\nimport retention_xl.render.labels\n")
    assert _imports(probe) >= {"retention_xl.read.cells", "retention_xl.render.labels"}
