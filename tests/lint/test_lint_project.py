"""lint_project on projects on disk: the realistic fixture, file selection, unreadable files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.config import load_config
from harness.findings import HarnessError, Severity
from harness.lint import lint_project
from harness.lint.parse import parse_file

REALISTIC = Path(__file__).parent / "fixtures" / "realistic"
SUPPRESSION = re.compile(r"^\s*-- harness: ignore.*$", re.MULTILINE)


def test_realistic_history_has_no_parse_error_and_no_error():
    findings = lint_project(load_config(REALISTIC))
    assert [f for f in findings if f.rule == "parse-error"] == []
    assert [f for f in findings if f.severity.fails_gate] == []


def test_realistic_history_is_sizeable():
    files = sorted((REALISTIC / "supabase" / "migrations").glob("*.sql"))
    statements = [s for path in files for s in parse_file(path.read_text(), path.name).statements]
    kinds = {type(s.node).__name__ for s in statements}
    assert len(files) >= 10 and len(statements) >= 180
    assert {
        "CreateStmt",
        "CreateEnumStmt",
        "CreateDomainStmt",
        "CreatePublicationStmt",
        "CreateEventTrigStmt",
        "CreateExtensionStmt",
        "CreatePolicyStmt",
        "GrantStmt",
        "CommentStmt",
        "CreateFunctionStmt",
        "ViewStmt",
        "CreateTableAsStmt",
        "DoStmt",
        "AlterDefaultPrivilegesStmt",
        "CreateTrigStmt",
        "CompositeTypeStmt",
        "CreateRangeStmt",
        "CreateStatsStmt",
        "MergeStmt",
        "DefineStmt",
    } <= kinds


def test_new_storage_policies_need_no_suppression(tmp_path: Path):
    # Creating bucket policies on storage.objects is the documented Supabase pattern, not foreign.
    project = tmp_path / "project"
    shutil.copytree(REALISTIC, project)
    storage = next((project / "supabase" / "migrations").glob("*_storage.sql"))
    storage.write_text(SUPPRESSION.sub("", storage.read_text()))
    assert [f for f in lint_project(load_config(project)) if f.rule == "foreign-policy"] == []


def test_only_the_given_files_are_reported(tmp_path: Path):
    migrations = tmp_path / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "20240101000000_a.sql").write_text("create table if not exists public.a (id uuid primary key);\n")
    (migrations / "20240102000000_b.sql").write_text("alter table public.a enable row level security;\n")
    extra = tmp_path / "draft.sql"
    extra.write_text("create policy p on public.a for select to authenticated using (true);\n")
    config = load_config(tmp_path)
    every = lint_project(config)
    assert {f.file for f in every} == {
        "supabase/migrations/20240101000000_a.sql",
        "supabase/migrations/20240102000000_b.sql",
    }
    only_b = lint_project(config, [migrations / "20240102000000_b.sql"])
    assert {f.rule for f in only_b} == {"foreign-policy"}
    draft = lint_project(config, [extra])
    assert {(f.file, f.rule) for f in draft if f.severity == Severity.ERROR} == {
        ("draft.sql", "foreign-policy"),
        ("draft.sql", "not-idempotent"),
    }


def test_unreadable_files_are_a_harness_error(tmp_path: Path):
    migrations = tmp_path / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "20240101000000_a.sql").write_bytes(b"select '\xff';")
    with pytest.raises(HarnessError, match="not UTF-8"):
        lint_project(load_config(tmp_path))
    (migrations / "20240101000000_a.sql").write_text("select 1;")
    with pytest.raises(HarnessError, match="no such file"):
        lint_project(load_config(tmp_path), [tmp_path / "missing.sql"])


def test_missing_migrations_directory(tmp_path: Path):
    with pytest.raises(HarnessError, match="migrations directory"):
        lint_project(load_config(tmp_path))
