"""The report JSON is declared once as types (engine.report_json); the shipped schema is generated from them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from retention_xl.engine import report_json

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_schema_is_the_one_the_types_give():
    assert report_json.SCHEMA_PATH.read_text(encoding="utf-8") == report_json.schema_text(), (
        "run: python -m retention_xl.engine.report_json"
    )


def test_a_report_validates_and_a_wrong_one_does_not(tmp_path):
    from retention_xl import cli

    out = tmp_path / "kpis.json"
    assert cli.main(["demo", "-o", str(tmp_path / "demo.xlsx"), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads(report_json.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    for broken in ({**data, "surprise": 1}, {k: v for k, v in data.items() if k != "crr"},
                   {**data, "customers": "460"}, {**data, "crr": {**data["crr"], "value": "50 %"}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_the_readme_json_example_validates():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### JSON"):]
    example = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    schema = json.loads(report_json.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(example), schema)
