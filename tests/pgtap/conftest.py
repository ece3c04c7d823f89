"""The fixture project tests/pgtap/fixtures/notes (suites grouped in folders: passing, failing,
bailout, isolation), one running Workspace on it per test session, and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.config import load_config
from harness.workspace import Workspace

from .capture import CAPTURED, PROJECT, TESTS, capture_stem, group_suites, read_capture  # noqa: F401  (re-exported)

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent


@pytest.fixture(scope="session")
def notes() -> Iterator[Workspace]:
    """A server with the notes project migrated; its test template has the helpers and the seed."""
    with Workspace(load_config(PROJECT)) as workspace:
        yield workspace


def group(name: str) -> list[Path]:
    """The folder of a group of suites, as an explicit path for run_suites."""
    return [TESTS / name]


def run_harness(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python -m harness ARGS` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True, text=True, cwd=cwd, timeout=180, check=False,
        env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(REPO)},
    )
