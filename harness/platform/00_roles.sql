-- Cluster roles of a hosted Supabase project (supabase/postgres's init scripts and migrations).
-- `supabase_admin` is the bootstrap superuser (initdb -U supabase_admin): it belongs to the harness
-- alone. `postgres` owns and applies the migrations, seeds and runs the suites, as on hosted: a
-- NOSUPERUSER login with CREATEDB CREATEROLE REPLICATION BYPASSRLS ("demote-postgres"), member of the
-- API roles, not of the auth/storage/realtime admin roles (revoked from it in 2024-2025).
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'postgres') then
    create role postgres login nosuperuser createdb createrole replication bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin inherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin inherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin inherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit createrole;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_storage_admin') then
    create role supabase_storage_admin login noinherit createrole;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_realtime_admin') then
    create role supabase_realtime_admin login noinherit createrole replication;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_replication_admin') then
    create role supabase_replication_admin login replication;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_etl_admin') then
    create role supabase_etl_admin login replication;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_read_only_user') then
    create role supabase_read_only_user login bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'pgbouncer') then
    create role pgbouncer login;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'dashboard_user') then
    create role dashboard_user nologin createdb createrole replication;
  end if;
end
$$;

alter role supabase_admin with superuser createdb createrole replication bypassrls;
grant pg_read_all_data to supabase_read_only_user, supabase_etl_admin;
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to supabase_realtime_admin;
-- postgres: the API roles (so `set role authenticated` works), the monitoring roles hosted grants.
-- On PostgreSQL 16+ hosted grants them WITH ADMIN OPTION; here they are granted without it, so
-- that `alter role authenticated ...` stays refused as supautils refuses it on hosted (reserved roles).
grant anon, authenticated, service_role to postgres;
grant pg_monitor, pg_read_all_data, pg_signal_backend to postgres;
-- supautils' privileged_role_allowed_configs: postgres may set session_replication_role.
grant set on parameter session_replication_role to postgres;
-- ... and PostgREST's settings (`pgrst.*`), which projects put on the authenticator role.
grant set on parameter pgrst.db_pre_request, pgrst.db_schemas, pgrst.db_extra_search_path,
  pgrst.db_max_rows, pgrst.db_plan_enabled, pgrst.jwt_secret, pgrst.jwt_aud to postgres;
-- ... and `pgrst.*` on the authenticator role (`alter role authenticator set pgrst.db_pre_request =
-- ...`, as Supabase's docs tell projects to do). On 16+ altering another role's settings needs the
-- ADMIN option on it: granted alone, with neither membership's inheritance nor SET ROLE.
do $$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant authenticator to postgres with admin option, inherit false, set false';
  end if;
end
$$;

-- Supabase's default search_path, so `crypt()`, `gen_salt()` and `uuid_generate_v4()` resolve
-- unqualified in migrations and suites exactly as they do on a hosted project.
alter role postgres set search_path = "$user", public, extensions;
alter role anon set search_path = "$user", public, extensions;
alter role authenticated set search_path = "$user", public, extensions;
alter role service_role set search_path = "$user", public, extensions;
alter role authenticator set search_path = "$user", public, extensions;
alter role supabase_admin set search_path = "$user", public, auth, extensions;
alter role supabase_realtime_admin set search_path = public, extensions, realtime;

-- PostgREST's per-role timeouts on hosted Supabase.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
