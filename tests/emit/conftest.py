"""Shared by the `harness emit` tests: the repository, its subject, and running the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
OUT = Path("supabase/tests/database/harness")
ASSERTION = re.compile(r"^select (is|ok|lives_ok|throws_ok|pg_temp\.harness_cannot_move(?:_object)?|tests\.rls_enabled)\(",
                       re.MULTILINE)


def run_harness(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python -m harness ARGS` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True, text=True, cwd=cwd, timeout=300, check=False,
        env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(REPO)},
    )


def planned(text: str) -> int:
    found = re.search(r"^select plan\((\d+)\);$", text, re.MULTILINE)
    assert found, "no plan"
    return int(found.group(1))
