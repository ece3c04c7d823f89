-- Schemas and extensions a clean Supabase project has. Extensions live in `extensions`. Loaded by
-- the bootstrap superuser `supabase_admin`; `postgres` gets what hosted gives it.
set search_path = "$user", public, extensions;

create schema if not exists extensions;
create schema if not exists auth authorization supabase_auth_admin;
create schema if not exists storage authorization supabase_storage_admin;
create schema if not exists supabase_migrations authorization postgres;
create schema if not exists graphql_public;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
-- pgTAP is available (the private share folder has it on every major), not created: `harness test`
-- creates it when absent, after the seed, as `supabase test db` does.

grant usage on schema public to postgres, anon, authenticated, service_role;
grant all on schema extensions to postgres;
grant usage on schema extensions to anon, authenticated, service_role;
grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema storage to postgres, anon, authenticated, service_role;
grant usage on schema graphql_public to postgres, anon, authenticated, service_role;
-- Hosted revoked CREATE on auth and storage from postgres (2024-2025): usage only.
grant usage on schema auth, storage to postgres;
grant all on all tables in schema extensions to postgres;
grant all on all routines in schema extensions to postgres;

-- The initial schema's grants and default privileges: everything in `public` granted to the API
-- roles. A project created today then loses the defaults for what `postgres` creates
-- (harness/data_api_grants.sql, per project, unless `[api] auto_expose_new_tables = true`).
grant all on all tables in schema public to postgres, anon, authenticated, service_role;
grant all on all functions in schema public to postgres, anon, authenticated, service_role;
grant all on all sequences in schema public to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema extensions
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema extensions
  grant all on functions to postgres, anon, authenticated, service_role;

-- The CLI creates the history table as `postgres`, which records every file it applies.
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
alter table supabase_migrations.schema_migrations owner to postgres;

-- Realtime's publication exists on every project; migrations (as postgres) add tables to it.
do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    -- Warns that wal_level is not logical: nothing here replicates, so that is expected.
    set local client_min_messages = error;
    create publication supabase_realtime;
  end if;
end
$$;
alter publication supabase_realtime owner to postgres;
