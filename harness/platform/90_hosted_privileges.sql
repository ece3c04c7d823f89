-- What `postgres` may do to the platform's own objects, applied after every other platform file.
--
-- Hosted Supabase lets the NOSUPERUSER `postgres` create policies on storage and realtime tables
-- it does not own (supautils' policy grants). Without supautils the nearest honest model is to
-- make `postgres` their owner: policies, RLS flags and grants then work as on hosted (a migration
-- could also alter their columns here, which hosted refuses). auth.* stays owned by
-- supabase_auth_admin, so `alter table auth.users add column` fails as on hosted.
do $$
declare
  target regclass;
begin
  foreach target in array array[
    to_regclass('storage.buckets'), to_regclass('storage.objects'), to_regclass('realtime.messages')
  ] loop
    if target is not null then
      execute format('alter table %s owner to postgres', target);
    end if;
  end loop;
end
$$;

-- Everything in auth, storage and realtime is usable by postgres as on hosted ("demote-postgres"),
-- without CREATE on those schemas.
do $$
declare
  schema_name text;
begin
  foreach schema_name in array array['auth', 'storage', 'realtime', 'cron', 'vault', 'net', 'pgmq'] loop
    if exists (select 1 from pg_namespace where nspname = schema_name) then
      execute format('grant usage on schema %I to postgres', schema_name);
      execute format('grant all on all tables in schema %I to postgres', schema_name);
      execute format('grant all on all sequences in schema %I to postgres', schema_name);
      execute format('grant all on all routines in schema %I to postgres', schema_name);
    end if;
  end loop;
end
$$;
