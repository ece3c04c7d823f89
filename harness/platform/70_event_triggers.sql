-- Supabase's event triggers, where they change what a migration sees:
--   * CREATE EXTENSION pg_cron / pg_net: the grants hosted hands `postgres` (and the API roles) on
--     the new schema, so `grant ... on cron.job` or `select net.http_post(...)` as `postgres` behave
--     as there;
--   * CREATE FUNCTION graphql.resolve (pg_graphql): graphql_public.graphql() forwards to it;
--     DROP EXTENSION pg_graphql: graphql_public.graphql() becomes the placeholder that says so;
-- PostgREST's schema-cache watchers (pgrst_ddl_watch, pgrst_drop_watch) are left out: they only
-- NOTIFY a PostgREST that is not here, and would run on every DDL statement of every migration.
-- On hosted, supautils runs a privileged extension's CREATE/DROP as the superuser, event triggers
-- included; here the NOSUPERUSER `postgres` fires them, so the ones that grant run as their owner.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'supabase_functions_admin') then
    create role supabase_functions_admin noinherit createrole login noreplication;
  end if;
end
$$;

create or replace function extensions.grant_pg_cron_access() returns event_trigger
language plpgsql
security definer
as $$
begin
  if exists (select 1 from pg_event_trigger_ddl_commands() ev join pg_extension e on ev.objid = e.oid
             where e.extname = 'pg_cron') then
    grant usage on schema cron to postgres with grant option;
    alter default privileges in schema cron grant all on tables to postgres with grant option;
    alter default privileges in schema cron grant all on functions to postgres with grant option;
    alter default privileges in schema cron grant all on sequences to postgres with grant option;
    alter default privileges for user supabase_admin in schema cron grant all on sequences to postgres with grant option;
    alter default privileges for user supabase_admin in schema cron grant all on tables to postgres with grant option;
    alter default privileges for user supabase_admin in schema cron grant all on functions to postgres with grant option;
    grant all privileges on all tables in schema cron to postgres with grant option;
    revoke all on table cron.job from postgres;
    grant select on table cron.job to postgres with grant option;
  end if;
end
$$;
comment on function extensions.grant_pg_cron_access() is 'Grants access to pg_cron';

create or replace function extensions.grant_pg_net_access() returns event_trigger
language plpgsql
security definer
as $$
begin
  if exists (select 1 from pg_event_trigger_ddl_commands() ev join pg_extension e on ev.objid = e.oid
             where e.extname = 'pg_net') then
    grant usage on schema net to supabase_functions_admin, postgres, anon, authenticated, service_role;
  end if;
end
$$;
comment on function extensions.grant_pg_net_access() is 'Grants access to pg_net';

create or replace function extensions.grant_pg_graphql_access() returns event_trigger
language plpgsql
security definer
as $outer$
begin
  if exists (select 1 from pg_event_trigger_ddl_commands() ev join pg_proc p on ev.objid = p.oid
             where p.proname = 'resolve' and p.pronamespace::regnamespace::text = 'graphql') then
    drop function if exists graphql_public.graphql;
    create or replace function graphql_public.graphql(
      "operationName" text default null, query text default null, variables jsonb default null,
      extensions jsonb default null
    ) returns jsonb
    language sql
    as $$
      select graphql.resolve(query := query, variables := coalesce(variables, '{}'),
                             "operationName" := "operationName", extensions := extensions)
    $$;
    grant usage on schema graphql to postgres, anon, authenticated, service_role;
    grant select on all tables in schema graphql to postgres, anon, authenticated, service_role;
    grant execute on all functions in schema graphql to postgres, anon, authenticated, service_role;
    grant all on all sequences in schema graphql to postgres, anon, authenticated, service_role;
    alter default privileges in schema graphql grant all on tables to postgres, anon, authenticated, service_role;
    alter default privileges in schema graphql grant all on functions to postgres, anon, authenticated, service_role;
    alter default privileges in schema graphql grant all on sequences to postgres, anon, authenticated, service_role;
    grant usage on schema graphql_public to postgres with grant option;
    grant usage on schema graphql to postgres with grant option;
  end if;
end
$outer$;
comment on function extensions.grant_pg_graphql_access() is 'Grants access to pg_graphql';

create or replace function extensions.set_graphql_placeholder() returns event_trigger
language plpgsql
security definer
as $outer$
begin
  if exists (select 1 from pg_event_trigger_dropped_objects() ev where ev.schema_name = 'graphql_public') then
    create or replace function graphql_public.graphql(
      "operationName" text default null, query text default null, variables jsonb default null,
      extensions jsonb default null
    ) returns jsonb
    language sql
    as $$
      select jsonb_build_object('errors', jsonb_build_array(
        jsonb_build_object('message', 'pg_graphql extension is not enabled.')))
    $$;
  end if;
end
$outer$;
comment on function extensions.set_graphql_placeholder() is 'Reintroduces placeholder function for graphql_public.graphql';

-- The placeholder a project without pg_graphql has.
do $$
begin
  if to_regprocedure('graphql_public.graphql(text, text, jsonb, jsonb)') is null then
    create function graphql_public.graphql(
      "operationName" text default null, query text default null, variables jsonb default null,
      extensions jsonb default null
    ) returns jsonb
    language sql
    as $body$
      select jsonb_build_object('errors', jsonb_build_array(
        jsonb_build_object('message', 'pg_graphql extension is not enabled.')))
    $body$;
  end if;
end
$$;
grant execute on function graphql_public.graphql(text, text, jsonb, jsonb) to postgres, anon, authenticated, service_role;

do $$
declare
  trigger_function regprocedure;
begin
  for trigger_function in
    select p.oid::regprocedure from pg_proc p
    where p.pronamespace = 'extensions'::regnamespace and p.prorettype = 'event_trigger'::regtype
  loop
    execute format('alter function %s owner to supabase_admin', trigger_function);
  end loop;
end
$$;

drop event trigger if exists issue_pg_cron_access;
create event trigger issue_pg_cron_access on ddl_command_end when tag in ('CREATE EXTENSION')
  execute function extensions.grant_pg_cron_access();
drop event trigger if exists issue_pg_net_access;
create event trigger issue_pg_net_access on ddl_command_end when tag in ('CREATE EXTENSION')
  execute function extensions.grant_pg_net_access();
drop event trigger if exists issue_pg_graphql_access;
create event trigger issue_pg_graphql_access on ddl_command_end when tag in ('CREATE FUNCTION')
  execute function extensions.grant_pg_graphql_access();
drop event trigger if exists issue_graphql_placeholder;
create event trigger issue_graphql_placeholder on sql_drop when tag in ('DROP EXTENSION')
  execute function extensions.set_graphql_placeholder();
