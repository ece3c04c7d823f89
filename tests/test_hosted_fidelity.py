"""The platform behaves like a hosted Supabase project created today (issue 15), each case planted
as real projects write it: short migration versions, dump-style baselines, a NOSUPERUSER `postgres`,
today's grants, ICU collation, pgTAP created by the migration itself, and a 15-vs-17 difference."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from harness.config import load_config
from harness.engine.local import LocalEngine
from harness.engine.server import PLATFORM_DB, Server
from harness.migrate.run import MigrationResult, migrate_template

every_major = pytest.mark.every_major  # also run on PostgreSQL 15 (make test)

TABLE = """
create table public.notes (id uuid primary key default gen_random_uuid(), owner uuid not null, body text);
alter table public.notes enable row level security;
create policy "own notes" on public.notes for select to authenticated using ((select auth.uid()) = owner);
"""


def _migrate(server: Server, root: Path, files: dict[str, str], config_toml: str | None = None) -> MigrationResult:
    folder = root / "supabase" / "migrations"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    if config_toml is not None:
        (root / "supabase" / "config.toml").write_text(config_toml)
    return migrate_template(server, load_config(root))


def _errors(result: MigrationResult) -> list[str]:
    return [f"{f.file}: {f.message}" for f in result.findings if f.rule == "migration-error"]


@every_major
def test_a_history_of_short_versions_applies_in_file_name_order(tmp_path: Path, pg_server: Server) -> None:
    result = _migrate(pg_server, tmp_path, {
        "0001_notes.sql": TABLE,
        "0002_grants.sql": "grant select on public.notes to authenticated;",
        "0010_index.sql": "create index notes_owner on public.notes (owner);",
    })
    assert result.applied, _errors(result)
    with pg_server.connect(result.template) as conn:  # type: ignore[arg-type]
        recorded = conn.execute("select version, name from supabase_migrations.schema_migrations").fetchall()
    assert recorded == [("0001", "notes"), ("0002", "grants"), ("0010", "index")]
    assert {f.rule for f in result.findings} == {"filename"}  # warnings: not 14-digit timestamps
    assert all(f.severity.value == "warning" for f in result.findings)


@every_major
def test_migrations_run_as_a_postgres_that_is_not_a_superuser(tmp_path: Path, pg_server: Server) -> None:
    result = _migrate(pg_server, tmp_path, {"20260101000000_who.sql": (
        "create table public.who as select current_user::text as name,"
        " (select rolsuper from pg_roles where rolname = current_user) as super;"
    )})
    assert result.applied, _errors(result)
    with pg_server.connect(result.template) as conn:  # type: ignore[arg-type]
        assert conn.execute("select name, super from public.who").fetchone() == ("postgres", False)
        roles = {name: tuple(flags) for name, *flags in conn.execute(
            "select rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolcanlogin from pg_roles"
            " where rolname in ('postgres', 'supabase_admin', 'supabase_read_only_user',"
            " 'supabase_replication_admin', 'pgbouncer', 'supabase_realtime_admin')"
        )}
    assert roles["postgres"] == (False, True, True, True, True)
    assert roles["supabase_admin"] == (True, True, True, True, True)
    assert set(roles) == {"postgres", "supabase_admin", "supabase_read_only_user", "supabase_replication_admin",
                          "pgbouncer", "supabase_realtime_admin"}


@every_major
@pytest.mark.parametrize("statement, message", [
    ("create function auth.is_admin() returns boolean language sql as 'select true'", "permission denied for schema auth"),
    ("alter table auth.users add column nickname text", "must be owner of table users"),
    ("alter role authenticated bypassrls", "permission denied"),
    ("create role intruder superuser", "permission denied"),
    ("copy (select 1) to program 'touch {marker}'", "permission denied"),
])
def test_what_supautils_refuses_is_a_clean_migration_error(
    tmp_path: Path, pg_server: Server, statement: str, message: str
) -> None:
    marker = tmp_path / f"ran-{uuid.uuid4().hex}"
    result = _migrate(pg_server, tmp_path, {"20260101000000_superuser.sql": statement.format(marker=marker) + ";\n"})
    assert not result.applied
    errors = [f for f in result.findings if f.rule == "migration-error"]
    # PostgreSQL 15 words some refusals "must be superuser to ..."; 16+ says "permission denied".
    refused = message in errors[0].message or (message == "permission denied" and "must be superuser" in errors[0].message)
    assert len(errors) == 1 and refused, errors
    assert errors[0].file == "supabase/migrations/20260101000000_superuser.sql" and errors[0].line == 1
    assert not marker.exists(), "a migration ran a program on the machine"


@every_major
def test_what_supautils_permits_works(tmp_path: Path, pg_server: Server) -> None:
    result = _migrate(pg_server, tmp_path, {"20260101000000_permitted.sql": """
        create extension if not exists citext with schema extensions;  -- privileged: trusted here
        create extension pgtap;  -- real projects create it in their first migration
        create policy "read own files" on storage.objects for select to authenticated
          using (bucket_id = 'files' and owner = (select auth.uid()));
        set session_replication_role = replica;  -- GRANT SET ON PARAMETER, as supautils allows
        reset session_replication_role;
        alter publication supabase_realtime add table storage.buckets;
    """})
    assert result.applied, _errors(result)
    with pg_server.connect(result.template) as conn:  # type: ignore[arg-type]
        owners = dict(conn.execute(
            "select extname, extowner::regrole::text from pg_extension where extname in ('citext', 'pgtap')"
        ).fetchall())
    assert owners == {"citext": "postgres", "pgtap": "postgres"}


@every_major
def test_a_dump_style_baseline_does_not_leak_its_settings(tmp_path: Path, pg_server: Server) -> None:
    # `supabase db dump` writes files that clear the search_path for the session; the CLI runs
    # RESET ALL before every file, so the next file's unqualified names still resolve.
    baseline = (
        "select pg_catalog.set_config('search_path', '', false);\n"
        "set check_function_bodies = false;\n"
        "create table public.notes (id bigint primary key);\n"
    )
    result = _migrate(pg_server, tmp_path, {
        "20260101000000_remote_schema.sql": baseline,
        "20260102000000_next.sql": "create table comments (id bigint primary key, note bigint references notes);\n",
    })
    assert result.applied, _errors(result)


@every_major
def test_an_ungranted_table_is_denied_to_authenticated(tmp_path: Path, pg_server: Server) -> None:
    result = _migrate(pg_server, tmp_path, {"20260101000000_notes.sql": TABLE})
    assert result.applied, _errors(result)
    with pg_server.connect(result.template) as conn:  # type: ignore[arg-type]
        with pytest.raises(Exception, match="permission denied for table notes"):
            with conn.transaction():
                conn.execute("set local role authenticated")
                conn.execute("select * from public.notes")


@every_major
def test_text_sorts_as_on_hosted(pg_server: Server) -> None:
    with pg_server.connect(PLATFORM_DB) as conn:
        ordered = conn.execute(
            "select string_agg(x, ',' order by x) from (values ('b'), ('B'), ('a'), ('A'), ('_z')) v(x)"
        ).fetchone()[0]
    assert ordered == "_z,a,A,b,B"  # en-US (ICU); the C locale would give A,B,_z,a,b


@every_major
def test_pgtap_created_by_a_migration_and_by_the_harness_both_work(tmp_path: Path) -> None:
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    (tmp_path / "supabase" / "migrations" / "20260101000000_tap.sql").write_text(
        "create extension if not exists pgtap with schema extensions;\n"
    )
    (tmp_path / "supabase" / "tests").mkdir()
    (tmp_path / "supabase" / "tests" / "a.test.sql").write_text(
        "begin; select plan(1); select ok(true, 'pgTAP works'); select * from finish(); rollback;\n"
    )
    done = subprocess.run([sys.executable, "-m", "harness", "test", "--project", str(tmp_path), "--format", "json"],
                          capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["tests"]["passed"] == 1
    # Every report names the server and the platform model first.
    major = os.environ.get("HARNESS_PG_MAJOR", "17")
    assert report["platform"].startswith(f"PostgreSQL {major}.")
    assert report["platform"].endswith("· Supabase platform (hosted 2026 grants)")
    text = subprocess.run([sys.executable, "-m", "harness", "test", "--project", str(tmp_path)],
                          capture_output=True, text=True, env=dict(os.environ))
    assert text.stdout.splitlines()[0] == report["platform"], text.stdout


def test_regprocedure_of_a_dropped_type_differs_between_15_and_17(tmp_path: Path) -> None:
    # A real history's guard: on PostgreSQL 15 to_regprocedure() raises when the argument type is
    # gone; 16 and newer return NULL. The project's [db] major_version decides which one it gets.
    guard = """
        create type public.mood as enum ('ok');
        create function public.cheer(public.mood) returns text language sql as $$ select 'yay' $$;
        drop function public.cheer(public.mood);
        drop type public.mood;
        do $$ begin
          if to_regprocedure('public.cheer(public.mood)') is null then raise notice 'gone'; end if;
        end $$;
    """
    outcomes = {}
    for major in (15, 17):
        root = tmp_path / str(major)
        with LocalEngine(major=major) as server:
            result = _migrate(server, root, {"20260101000000_guard.sql": guard}, f"[db]\nmajor_version = {major}\n")
            outcomes[major] = _errors(result)
    assert outcomes[17] == []
    assert len(outcomes[15]) == 1 and 'type "public.mood" does not exist' in outcomes[15][0]
