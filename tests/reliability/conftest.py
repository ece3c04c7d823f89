"""Shared by the reliability tests: the CLI as CI runs it (no terminal), small projects, and what a run
must not leave behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent.parent
TABLE = "create table public.t (id int primary key);\n"
PASSING_SUITE = "begin;\nselect plan(1);\nselect ok(true, 'fine');\nselect * from finish();\nrollback;\n"


def run_harness(*args: str, timeout: float = 180, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m harness ARGS` with stdout and stderr captured (not a terminal, as on CI)."""
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
        env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(REPO), **(env or {})},
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stdout, result.stdout[-3000:]


def json_report(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert_no_traceback(result)
    assert result.stdout.strip(), f"empty report (exit {result.returncode}): {result.stderr[-2000:]}"
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["exit_code"] == result.returncode
    return report


def rules(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["check"], f["rule"]) for f in report["findings"]}


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that name `text` (a run folder, a project path)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline and "pytest" not in cmdline:
            found.append(f"{proc.name}: {cmdline}")
    return found
