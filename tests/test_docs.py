"""The README and docs/ cannot drift from the program: their commands parse, their examples compute."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from retention_xl.cli import build_parser
from retention_xl.excel import udfs

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
METRICS = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}")
    nxt = text.find("\n## ", start + 1)
    return text[start: nxt if nxt > 0 else None]


def _command_lines(text: str) -> list[str]:
    """Shell lines of indented or fenced code blocks, comments and prompts removed."""
    lines, fenced = [], False
    for raw in text.splitlines():
        if raw.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or raw.startswith("    "):
            line = raw.strip().removeprefix("$ ").split("  #")[0].strip()
            if line:
                lines.append(line)
    return lines


def _cli_commands(text: str) -> list[list[str]]:
    found = []
    for line in _command_lines(text):
        for part in re.split(r"\s*(?:&&|;)\s*", line):
            words = shlex.split(part)
            if words and words[0] == "retention-xl":
                found.append(words[1:])
    return found


def test_readme_names_no_path_outside_the_repository():
    links = re.findall(r"\]\(([^)]+)\)", README)
    outside = [link for link in links if link.startswith("..") or (link.startswith("/") and "://" not in link)]
    assert outside == []
    for link in links:
        if "://" not in link and not link.startswith("#"):
            assert (ROOT / link.split("#")[0]).exists(), link


@pytest.mark.parametrize("args", _cli_commands(README), ids=lambda a: " ".join(a)[:60])
def test_every_retention_xl_command_in_the_readme_parses(args):
    build_parser().parse_args(args)  # argparse exits (SystemExit 2) on an unknown command or option


def test_the_readme_has_commands_to_check():
    assert len(_cli_commands(_section(README, "Quick start"))) >= 1
    assert any(a and a[0] == "report" for a in _cli_commands(README))


def test_a_wrong_option_would_be_caught():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["report", "x.csv", "--no-such-option"])


# --- docs/metrics.md: every "`=F(literal, …)` | result" example is what the function returns

_EXAMPLE = re.compile(r"`=([A-Z_]+)\(([-\d., ]+)\)`\s*\|\s*≈?\s*([-\d.]+)\s*\|")


def _examples() -> list[tuple[str, list[float], float]]:
    out = []
    for name, args, result in _EXAMPLE.findall(METRICS):
        out.append((name, [float(a) for a in args.split(",")], float(result)))
    return out


def test_metrics_doc_has_worked_examples():
    assert {name for name, _, _ in _examples()} >= {"CRR"}
    assert len(_examples()) >= 3


@pytest.mark.parametrize(("name", "args", "expected"), _examples(), ids=lambda v: str(v))
def test_metrics_doc_example_is_what_the_function_returns(name, args, expected):
    got = getattr(udfs, name)(*args)
    assert got == pytest.approx(expected, abs=0.005)


def test_metrics_doc_inline_examples():
    # the prose examples: "`=CLV(50, 24)` = 1200", "`=CUSTOMER_VALUE(3, 40)` = 120"
    found = re.findall(r"`=([A-Z_]+)\(([-\d., ]+)\)` = ([-\d.]+)", METRICS)
    assert len(found) >= 3
    for name, args, expected in found:
        assert getattr(udfs, name)(*[float(a) for a in args.split(",")]) == pytest.approx(float(expected)), name


def test_report_help_names_every_format_the_reader_accepts(capsys):
    from retention_xl.read.files import TEXT_EXT, WORKBOOK_EXT

    with pytest.raises(SystemExit):
        build_parser().parse_args(["report", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert {ext for ext in WORKBOOK_EXT | TEXT_EXT if ext not in help_text} == set()


def test_demo_help_does_not_speak_of_an_input(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "input" not in help_text.lower()
    assert "current folder" in help_text


def _quick_start_setup_lines() -> list[str]:
    return [line for line in _command_lines(_section(README, "Quick start")) if line.startswith("python install.py")]


def test_quick_start_has_two_setup_lines_and_ci_runs_the_test_one():
    lines = _quick_start_setup_lines()
    assert len(lines) == 2, lines
    run_line, test_line = lines
    assert "retention-xl demo" in run_line
    assert "--dev" in test_line and "pytest" in test_line
    test_command = test_line.split("&&", 1)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python install.py --dev" in ci
    assert test_command in ci  # the CI runs exactly the README's test command


def test_quick_start_installer_options_exist():
    install_help = __import__("subprocess").run(
        [__import__("sys").executable, str(ROOT / "install.py"), "--help"], capture_output=True, text=True,
        timeout=120,
    ).stdout
    for line in _quick_start_setup_lines():
        for word in shlex.split(line.split("&&", 1)[0])[2:]:
            if word.startswith("--"):
                assert word in install_help, word
