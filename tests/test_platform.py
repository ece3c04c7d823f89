"""The Supabase-compatible platform layer: a migration written for hosted Supabase applies unchanged."""

from __future__ import annotations

import json
import uuid

import pytest

from harness.config import load_config
from harness.engine.server import PLATFORM_DB, Server
from harness.migrate.run import migrate_template
from harness.personas import ANON, as_persona, member

pytestmark = pytest.mark.every_major  # run on PostgreSQL 15 and 17 (Makefile: test)

HOSTED_STYLE_MIGRATION = """
create extension if not exists "uuid-ossp" with schema extensions;
do $$
begin
  -- pg_cron where the server offers it (the harness's private share folder); else the platform's cron schema.
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema extensions;
  end if;
end
$$;

create table if not exists public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  handle text not null default 'user_' || substr(md5(uuid_generate_v4()::text), 1, 8),
  pin_hash text,
  created_at timestamptz not null default now()
);
alter table public.profiles enable row level security;
grant select on public.profiles to anon, authenticated;  -- a project created today grants explicitly

drop policy if exists "own profile" on public.profiles;
create policy "own profile" on public.profiles for select to authenticated
  using ((select auth.uid()) = id);

create or replace function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, pin_hash) values (new.id, extensions.crypt('0000', extensions.gen_salt('bf')));
  return new;
end
$$;
drop trigger if exists on_auth_user_created on auth.users;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

insert into storage.buckets (id, name, public) values ('avatars', 'avatars', false)
  on conflict (id) do nothing;
drop policy if exists "own avatar" on storage.objects;
create policy "own avatar" on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create extension if not exists pg_cron with schema pg_catalog;
select cron.schedule('nightly-cleanup', '0 3 * * *', $$delete from public.profiles where false$$);
alter publication supabase_realtime add table public.profiles;
select crypt('secret', gen_salt('md5')) is not null;
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory, pg_server: Server) -> str:
    root = tmp_path_factory.mktemp("hosted")
    (root / "supabase" / "migrations").mkdir(parents=True)
    (root / "supabase" / "migrations" / "20260101000000_hosted.sql").write_text(HOSTED_STYLE_MIGRATION)
    result = migrate_template(pg_server, load_config(root))
    assert result.applied, [f.message for f in result.findings]
    return result.template  # type: ignore[return-value]


def test_hosted_style_migration_applies_unchanged(pg_server: Server, migrated: str) -> None:
    with pg_server.connect(migrated) as conn:
        assert conn.execute("select count(*) from cron.job where jobname = 'nightly-cleanup'").fetchone()[0] == 1
        assert conn.execute(
            "select count(*) from pg_publication_tables where pubname = 'supabase_realtime'"
        ).fetchone()[0] == 1
        recorded = conn.execute("select version, name from supabase_migrations.schema_migrations").fetchall()
        assert recorded == [("20260101000000", "hosted")]


def test_a_project_created_today_grants_nothing_new_to_the_api_roles(pg_server: Server, migrated: str) -> None:
    with pg_server.connect(migrated) as conn:
        # The migration granted select to anon and authenticated; nothing else was granted.
        for role in ("anon", "authenticated", "service_role"):
            assert not conn.execute(
                "select has_table_privilege(%s, 'public.profiles', 'insert, update, delete')", (role,)
            ).fetchone()[0], role
        assert not conn.execute("select has_table_privilege('service_role', 'public.profiles', 'select')").fetchone()[0]
        # ...and auth.users is not readable by the API roles, as on hosted Supabase.
        assert not conn.execute("select has_table_privilege('anon', 'auth.users', 'select')").fetchone()[0]
        assert conn.execute("select relrowsecurity from pg_class where oid = 'auth.users'::regclass").fetchone()[0]


def test_auto_expose_new_tables_keeps_the_old_default_grants(tmp_path, pg_server: Server) -> None:
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    (tmp_path / "supabase" / "config.toml").write_text("[api]\nauto_expose_new_tables = true\n")
    (tmp_path / "supabase" / "migrations" / "20260101000000_t.sql").write_text(
        "create table public.t (id int primary key); alter table public.t enable row level security;"
    )
    result = migrate_template(pg_server, load_config(tmp_path))
    assert result.applied
    with pg_server.connect(result.template) as conn:  # type: ignore[arg-type]
        for role in ("anon", "authenticated", "service_role"):
            assert conn.execute(
                "select has_table_privilege(%s, 'public.t', 'select, insert, update, delete')", (role,)
            ).fetchone()[0], role


def test_roles_as_on_supabase(pg_server: Server) -> None:
    with pg_server.connect(PLATFORM_DB) as conn:
        flags = dict(
            (name, (login, inherit, bypass))
            for name, login, inherit, bypass in conn.execute(
                "select rolname, rolcanlogin, rolinherit, rolbypassrls from pg_roles "
                "where rolname in ('anon', 'authenticated', 'service_role')"
            )
        )
        assert flags == {  # INHERIT since 2023 on hosted (alter_api_roles_for_inherit)
            "anon": (False, True, False),
            "authenticated": (False, True, False),
            "service_role": (False, True, True),
        }
        path = conn.execute(
            "select setconfig from pg_db_role_setting where setrole = 'authenticated'::regrole and setdatabase = 0"
        ).fetchone()[0]
        assert 'search_path="$user", public, extensions' in path
        extensions = dict(conn.execute("select extname, extnamespace::regnamespace::text from pg_extension"))
        assert extensions["pgcrypto"] == "extensions"
        assert extensions["uuid-ossp"] == "extensions"
        assert "pgtap" not in extensions  # available, created by `harness test` (as `supabase test db`)


def test_pgrst_db_schemas_follow_the_configuration(pg_server: Server, migrated: str) -> None:
    with pg_server.connect(migrated) as conn:
        settings = conn.execute(
            "select setconfig from pg_db_role_setting where setrole = 'authenticator'::regrole and setdatabase = 0"
        ).fetchone()[0]
        assert "pgrst.db_schemas=public" in settings


def test_auth_helpers_read_json_claims_and_legacy_settings(pg_server: Server, migrated: str) -> None:
    user_id = uuid.uuid4()
    with pg_server.connect(migrated) as conn:
        with conn.transaction(force_rollback=True):
            conn.execute(
                "insert into auth.users (id, email, aud, role, raw_user_meta_data) values (%s, 'a@example.com', "
                "'authenticated', 'authenticated', '{}')",
                (user_id,),
            )
            profile = conn.execute("select handle, pin_hash from public.profiles where id = %s", (user_id,)).fetchone()
            assert profile[0].startswith("user_") and profile[1].startswith("$2a$")
            persona = member("someone", user_id, "a@example.com")
            with conn.transaction():
                from harness.personas import impersonate

                impersonate(conn, persona)
                row = conn.execute("select auth.uid(), auth.role(), auth.email(), auth.jwt() ->> 'aal'").fetchone()
                assert row == (user_id, "authenticated", "a@example.com", "aal1")
                assert conn.execute("select count(*) from public.profiles").fetchone()[0] == 1
            # Legacy per-claim setting (older PostgREST and many test helpers).
            conn.execute("select set_config('request.jwt.claim.sub', %s, true)", (str(user_id),))
            assert conn.execute("select auth.uid()").fetchone()[0] == user_id
    with pg_server.connect(migrated) as conn:
        # A setting left empty by an earlier transaction does not break later calls.
        conn.execute("set request.jwt.claims = ''")
        assert conn.execute("select auth.uid(), auth.jwt()").fetchone() == (None, None)


def test_anon_sees_nothing_through_rls(pg_server: Server, migrated: str) -> None:
    with pg_server.connect(migrated) as conn:
        with conn.transaction(force_rollback=True):
            conn.execute(
                "insert into auth.users (id, email) values (%s, 'b@example.com')", (uuid.uuid4(),)
            )
            with as_persona(conn, ANON):
                assert conn.execute("select count(*) from public.profiles").fetchone()[0] == 0
                claims = conn.execute("select current_setting('request.jwt.claims')").fetchone()[0]
                assert json.loads(claims) == {"role": "anon"}
                assert conn.execute("select current_user").fetchone()[0] == "anon"
