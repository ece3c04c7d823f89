"""filename: discovery and order exactly as the Supabase CLI (pkg/migration/list.go, file.go)."""

from __future__ import annotations

from pathlib import Path

from harness.findings import Severity
from harness.sql.discovery import discover_migrations


def _folder(tmp_path: Path, *names: str) -> Path:
    migrations = tmp_path / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    for name in names:
        (migrations / name).write_text(f"select '{name}';")
    return migrations


def test_files_the_cli_skips_are_errors_and_duplicates_do_not_run(tmp_path: Path):
    migrations = _folder(
        tmp_path, "20240101000000_init.sql", "20240101000000_again.sql", "init.sql", "2024_x.SQL", "README.md"
    )
    found, findings = discover_migrations(migrations, tmp_path)
    # File-name order: `..._again` sorts before `..._init`, so the duplicate version is `_init`.
    assert [m.name for m in found] == ["again"]
    errors = sorted((f.file, f.severity) for f in findings)
    assert errors == [
        ("supabase/migrations/20240101000000_init.sql", Severity.ERROR),
        ("supabase/migrations/2024_x.SQL", Severity.ERROR),
        ("supabase/migrations/init.sql", Severity.ERROR),
    ]
    assert {f.rule for f in findings} == {"filename"} and {f.check for f in findings} == {"lint"}


def test_short_versions_run_in_file_name_order_with_a_warning(tmp_path: Path):
    # Real projects: 0001_x.sql, 001_x.sql, 12-digit prefixes. The CLI applies them all, ordered by
    # file name (so `0002` before `01`, and `10_` before `9_`), and records the digits as the version.
    migrations = _folder(tmp_path, "0001_create.sql", "0002_policies.sql", "01_extra.sql", "9_late.sql",
                         "10_later.sql", "202401011200_twelve.sql")
    found, findings = discover_migrations(migrations, tmp_path)
    assert [(m.version, m.name) for m in found] == [
        ("0001", "create"), ("0002", "policies"), ("01", "extra"), ("10", "later"),
        ("202401011200", "twelve"), ("9", "late"),
    ]
    assert len(findings) == 6 and {f.severity for f in findings} == {Severity.WARNING}
    assert "not a 14-digit timestamp" in findings[0].message


def test_a_first_old_init_file_is_skipped_as_the_cli_skips_it(tmp_path: Path):
    migrations = _folder(tmp_path, "20211001000000_init.sql", "20211002000000_next.sql")
    found, findings = discover_migrations(migrations, tmp_path)
    assert [m.name for m in found] == ["next"]
    assert findings[0].severity == Severity.ERROR and "replace" not in findings[0].message
    assert "skipped by the Supabase CLI" in findings[0].message
    # Not first in the folder, or newer than 2021-12-09: it runs.
    other = _folder(tmp_path / "b", "20211001000000_a.sql", "20211002000000_init.sql", "20220101000000_init.sql")
    found, _ = discover_migrations(other, tmp_path / "b")
    assert [m.version for m in found] == ["20211001000000", "20211002000000", "20220101000000"]


def test_well_named_files_in_version_order(tmp_path: Path):
    for name in ("20240102000000_b.sql", "20240101000000_a.sql"):
        (tmp_path / name).write_text("select 1;")
    found, findings = discover_migrations(tmp_path)
    assert [(m.version, m.name, m.sql) for m in found] == [
        ("20240101000000", "a", "select 1;"),
        ("20240102000000", "b", "select 1;"),
    ]
    assert findings == []
