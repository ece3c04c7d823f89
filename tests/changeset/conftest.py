"""Fixtures for the change-set tests (helpers in git_repo.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from git_repo import Repo, make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    """The shipped history on `main`, checked out on a branch `pr` (no change yet)."""
    repo = make_repo(tmp_path / "project")
    repo.git("checkout", "-q", "-b", "pr")
    yield repo
    shutil.rmtree(tmp_path / "project", ignore_errors=True)
