"""Fixture projects for `harness explain`, and a way to run the CLI in-process and read its JSON."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "project"
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    code: int
    report: dict[str, Any]
    stderr: str

    def targets(self) -> dict[str, dict[str, Any]]:
        return {t["name"]: t for t in self.report["details"]["explain"]["targets"]}

    def rules(self) -> list[tuple[str, str | None]]:
        return sorted((f["rule"], f["evidence"].get("target")) for f in self.report["findings"])


def target_toml(name: str, query: str, **keys: object) -> str:
    """One more [[explain]] table (values written as JSON, which TOML reads for strings and numbers)."""
    lines = ["[[explain]]", f"name = {json.dumps(name)}", f"query = {json.dumps(query)}"]
    lines += [f"{'as' if key == 'persona' else key} = {json.dumps(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def copy_fixture_project(root: Path, extra_toml: str = "", migrations: dict[str, str] | None = None) -> Path:
    project = root / "project"
    shutil.copytree(FIXTURE, project)
    if extra_toml:
        with open(project / "harness.toml", "a", encoding="utf-8") as handle:
            handle.write("\n" + extra_toml)
    for name, text in (migrations or {}).items():
        (project / "supabase" / "migrations" / name).write_text(text, encoding="utf-8")
    return project


def run_explain_cli(project: Path, *args: str) -> Outcome:
    """`harness explain --format json` in this process; its exit code, report and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited, redirect_stdout(out), redirect_stderr(err):
        main(["explain", "--project", str(project), "--format", "json", *args])
    report = json.loads(out.getvalue()) if out.getvalue().strip() else {}
    return Outcome(int(exited.value.code or 0), report, err.getvalue())
