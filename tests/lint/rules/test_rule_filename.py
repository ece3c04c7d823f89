"""filename: migration files the Supabase CLI would skip."""

from __future__ import annotations

from pathlib import Path

from harness.sql.discovery import discover_migrations


def test_misnamed_and_duplicate_files(tmp_path: Path):
    migrations = tmp_path / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    for name in ("20240101000000_init.sql", "20240101000000_again.sql", "2024_init.sql", "init.sql", "README.md"):
        (migrations / name).write_text("select 1;")
    found, findings = discover_migrations(migrations, tmp_path)
    assert [m.name for m in found] == ["again"]
    assert sorted(f.file for f in findings) == [
        "supabase/migrations/20240101000000_init.sql",
        "supabase/migrations/2024_init.sql",
        "supabase/migrations/init.sql",
    ]
    assert {f.rule for f in findings} == {"filename"} and {f.check for f in findings} == {"lint"}


def test_well_named_files_in_version_order(tmp_path: Path):
    for name in ("20240102000000_b.sql", "20240101000000_a.sql"):
        (tmp_path / name).write_text("select 1;")
    found, findings = discover_migrations(tmp_path)
    assert [(m.version, m.name, m.sql) for m in found] == [
        ("20240101000000", "a", "select 1;"),
        ("20240102000000", "b", "select 1;"),
    ]
    assert findings == []
