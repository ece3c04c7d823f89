"""The command line as users and CI meet it: exit codes, JSON keys, clear errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import __version__

FINDING_KEYS = {"check", "rule", "severity", "message", "file", "line", "table", "persona", "operation", "evidence"}


def harness(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )


def test_version() -> None:
    result = harness("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_migrate_passes_with_exit_0_and_contract_json(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_t.sql": "create table if not exists public.t (id int);\n"
                                                 "alter table public.t enable row level security;"})
    out = tmp_path / "report.json"
    result = harness("migrate", "--project", str(root), "--format", "json", "--output", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["ok"] is True and report["exit_code"] == 0 and report["command"] == "migrate"
    assert report["findings"] == []
    assert report["summary"] == {"tests": {"passed": 0, "failed": 0},
                                 "findings": {"critical": 0, "error": 0, "warning": 0, "info": 0}}
    assert report["timings"]["total_s"] > 0


def test_migrate_fails_with_exit_1_and_every_finding_key(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_t.sql": "create table public.t (id int);"})
    result = harness("migrate", "--project", str(root), "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["exit_code"] == 1
    [finding] = report["findings"]
    assert FINDING_KEYS <= finding.keys()
    assert (finding["check"], finding["rule"], finding["severity"]) == ("migrate", "not-idempotent", "error")
    assert finding["file"] == "supabase/migrations/20260101000000_t.sql" and finding["line"] == 1


def test_text_report_names_the_problem_and_the_place(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_t.sql": "select 1;\nselect nope;"})
    result = harness("migrate", "--project", str(root))
    assert result.returncode == 1
    assert "migrate/migration-error" in result.stdout
    assert "supabase/migrations/20260101000000_t.sql:2:8" in result.stdout
    assert "FAILED" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("migrate", "--project", "/no/such/folder"), "does not exist"),
        (("migrate", "--format", "yaml"), "Invalid value for '--format'"),
        (("migrate", "--engine", "url"), "--engine url needs --db-url"),
        (("migrate", "--pg-bin", "/nowhere"), "does not hold `initdb` and `postgres`"),
    ],
)
def test_user_mistakes_exit_2_with_one_clear_message(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = harness(*args, cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_no_migrations_is_exit_2(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({})
    result = harness("migrate", "--project", str(root))
    assert result.returncode == 2
    assert "no migrations found" in result.stderr and "Traceback" not in result.stderr


def test_invalid_configuration_is_exit_2_naming_file_line_and_key(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_t.sql": "select 1;"}, toml="[project]\napi_schemas = 'public'\n")
    result = harness("migrate", "--project", str(root))
    assert result.returncode == 2
    assert "harness.toml:2: [project.api_schemas] expected a list of non-empty strings" in result.stderr


def test_output_into_a_missing_folder_is_exit_2(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_t.sql": "select 1;"})
    result = harness("migrate", "--project", str(root), "--format", "json", "--output", str(tmp_path / "no" / "r.json"))
    assert result.returncode == 2 and "does not exist" in result.stderr
