-- The extensions every hosted project has created (besides pgcrypto and uuid-ossp in 10_schemas):
-- supabase_vault in `vault`, pg_graphql in `graphql` (Supabase's event trigger then points
-- graphql_public.graphql() at it) and pg_stat_statements in `extensions`. Created once, in the
-- cached cluster. The first two are the harness's stand-ins from its private share folder; a server
-- without them (another engine's) keeps what it has.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'supabase_vault') then
    create schema if not exists vault;
    create extension if not exists supabase_vault with schema vault;
  end if;
  if exists (select 1 from pg_available_extensions where name = 'pg_graphql') then
    create schema if not exists graphql;
    create extension if not exists pg_graphql with schema graphql;
  end if;
end
$$;
create extension if not exists pg_stat_statements with schema extensions;

-- On hosted `postgres` manages these (supautils runs its CREATE/DROP EXTENSION as the superuser);
-- here it owns them, so it may drop and re-create them as there.
update pg_extension set extowner = 'postgres'::regrole
where extname in ('supabase_vault', 'pg_graphql', 'pg_stat_statements');
