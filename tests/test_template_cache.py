"""The migrated-template cache: a key that changes with every input, replay of the migrate run's
findings, and never a stale entry."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from harness.config import load_config
from harness.engine import local
from harness.engine.binaries import find_binaries
from harness.migrate import template_cache
from harness.migrate.run import check_idempotency
from harness.workspace import Workspace

FIRST = """
create table public.orgs (id uuid primary key default gen_random_uuid(), name text not null);
alter table public.orgs enable row level security;
create policy "read" on public.orgs for select to authenticated using (true);
"""
FOREIGN = 'drop policy "read" on public.orgs;'


def _key(binaries, root: Path) -> str:  # type: ignore[no-untyped-def]
    return template_cache.template_key(template_cache.key_inputs(binaries, load_config(root)))


def test_the_key_changes_with_every_input(make_project, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": FIRST})
    binaries = find_binaries(None)
    base = _key(binaries, root)
    assert _key(binaries, root) == base  # stable

    migration = root / "supabase" / "migrations" / "20260101000000_a.sql"
    migration.write_text(FIRST + "\n")  # one byte
    assert _key(binaries, root) != base
    migration.write_text(FIRST)
    assert _key(binaries, root) == base

    (root / "supabase" / "migrations" / "20260102000000_b.sql").write_text("select 1;")  # a file added
    assert _key(binaries, root) != base
    (root / "supabase" / "migrations" / "20260102000000_b.sql").unlink()

    assert _key(dataclasses.replace(binaries, major=binaries.major + 2, version=f"{binaries.major + 2}.0"), root) != base

    extensions = tmp_path / "share" / "extension"
    extensions.mkdir(parents=True)
    (extensions / "pgtap.control").write_text("default_version = '1.3.3'\n")
    with_pgtap = _key(dataclasses.replace(binaries, sharedir=tmp_path / "share"), root)
    (extensions / "vector.control").write_text("default_version = '0.8.0'\n")
    assert _key(dataclasses.replace(binaries, sharedir=tmp_path / "share"), root) != with_pgtap

    (root / "harness.toml").write_text('[project]\napi_schemas = ["public", "api"]\n')
    assert _key(binaries, root) != base
    (root / "harness.toml").unlink()
    assert _key(binaries, root) == base

    platform = local.platform_sources()
    monkeypatch.setattr(local, "platform_sources", lambda: platform[:-1] + ((platform[-1][0], platform[-1][1] + b"\n-- changed\n"),))
    assert _key(binaries, root) != base


@pytest.fixture
def cache_dir(tmp_path_factory, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """A cache folder of the test's own, with the platform cluster of the user's cache linked in."""
    cache = tmp_path_factory.mktemp("cache")
    cache.chmod(0o755)
    with local.LocalEngine() as _:  # make sure the shared platform cluster exists
        pass
    (cache / "clusters").symlink_to(local.cache_root() / "clusters")
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(cache))
    monkeypatch.delenv("HARNESS_NO_TEMPLATE_CACHE", raising=False)
    return cache


def _run(root: Path) -> tuple[bool, list[tuple[str, str | None]], list[str]]:
    """(replayed from the cache?, findings of migrate and apply-twice, tables in the template)"""
    config = load_config(root)
    with Workspace(config) as workspace:
        migration = workspace.migration
        findings = list(migration.findings) + check_idempotency(workspace.server, config, migration)
        tables: list[str] = []
        if migration.template is not None:
            with workspace.server.connect(migration.template) as conn:
                tables = [r[0] for r in conn.execute("select relname::text from pg_class where relnamespace = "
                                                     "'public'::regnamespace and relkind = 'r' order by 1")]
    return migration.cached, sorted((f.rule, f.file) for f in findings), tables


def test_an_unchanged_history_is_replayed_and_a_changed_one_is_not(cache_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": FIRST, "20260102000000_b.sql": FOREIGN})
    cached, findings, tables = _run(root)
    assert not cached
    assert findings == [("foreign-policy", "supabase/migrations/20260102000000_b.sql"),
                        ("not-idempotent", "supabase/migrations/20260101000000_a.sql")]
    assert tables == ["orgs"]
    assert _run(root) == (True, findings, tables)  # the same findings, the same database, nothing applied

    (root / "supabase" / "migrations" / "20260102000000_b.sql").write_text("create table public.notes (id int);")
    cached, findings, tables = _run(root)
    assert not cached
    assert findings == [("not-idempotent", "supabase/migrations/20260101000000_a.sql")]
    assert tables == ["notes", "orgs"]


def test_a_failing_history_is_replayed_too(cache_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": "create table public.t (id int);\nselect 1/0;"})
    first = _run(root)
    assert first[:2] == (False, [("migration-error", "supabase/migrations/20260101000000_a.sql")])
    assert _run(root) == (True, *first[1:])


def test_the_cache_can_be_turned_off(cache_dir: Path, make_project, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": "create table if not exists public.t (id int);"})
    monkeypatch.setenv("HARNESS_NO_TEMPLATE_CACHE", "1")
    assert _run(root)[0] is False
    assert _run(root)[0] is False
    assert not (cache_dir / "templates").exists()
