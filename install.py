#!/usr/bin/env python3
"""Install retention_xl into the Python that runs this script.

    python install.py            install the package and its dependencies
    python install.py --dev      also the test tools (pytest, hypothesis, oletools)

Run it again at any time: it only installs what is missing or out of date.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent


def in_virtualenv() -> bool:
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def pip_install(python: str, target: str) -> subprocess.CompletedProcess:
    cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target]
    return subprocess.run(cmd, capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also install the test tools")
    args = parser.parse_args(argv)
    target = str(HERE) + ("[test]" if args.dev else "")

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
        return 1
    print(f"retention_xl and its dependencies are installed in {python}" + (" (with test tools)" if args.dev else ""))
    if platform.system() not in ("Windows", "Darwin"):
        print("Excel add-in: skipped, it needs Excel on Windows or macOS.")
        print("The command-line tool is ready: retention-xl demo -o demo_report.xlsx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
