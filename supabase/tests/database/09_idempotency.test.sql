-- Both subject migrations run again, inside this test transaction, on a database that already has
-- them and has data, and change nothing: not a policy, not a flag, not a definition, not a row.
-- (`harness migrate` proves the same for the whole migration set; this keeps it under pg_prove too.)
begin;
select plan(12);

-- Under `pg_prove -j` on one shared database, other suites hold locks on these tables. Take all
-- three at once before touching anything, so that the DDL below never waits while holding a lock
-- another suite is waiting for (a deadlock). On a database of its own this succeeds at once.
do $$
begin
  loop
    begin
      lock table public.organisations, public.users, public.peer_mentor_certifications
        in access exclusive mode nowait;
      return;
    exception when lock_not_available then
      perform pg_sleep(0.02);
    end;
  end loop;
end
$$;

\ir _setup/certification_world.psql

-- Every catalog fact of schema public the migrations own, as (kind, object, definition) rows.
create function pg_temp.public_catalog() returns table (kind text, object text, definition text)
language sql stable
as $$
  select 'policy', tablename || '.' || policyname,
         concat_ws(' | ', permissive, cmd, roles::text, qual, with_check)
    from pg_policies where schemaname = 'public'
  union all
  select 'rls', c.oid::regclass::text, c.relrowsecurity::text || '/' || c.relforcerowsecurity::text
    from pg_class as c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
  union all
  select 'column', c.oid::regclass::text || '.' || a.attname,
         concat_ws(' | ', format_type(a.atttypid, a.atttypmod), a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid),
                   a.attacl::text)
    from pg_class as c
    join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    left join pg_attrdef as d on d.adrelid = c.oid and d.adnum = a.attnum
   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
  union all
  select 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
    from pg_constraint where connamespace = 'public'::regnamespace
  union all
  select 'index', indexname, indexdef from pg_indexes where schemaname = 'public'
  union all
  select 'trigger', tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid)
    from pg_trigger where not tgisinternal and tgrelid in
      (select oid from pg_class where relnamespace = 'public'::regnamespace)
  union all
  select 'function', p.oid::regprocedure::text,
         concat_ws(' | ', md5(pg_get_functiondef(p.oid)), p.proacl::text, obj_description(p.oid, 'pg_proc'))
    from pg_proc as p where p.pronamespace = 'public'::regnamespace
  union all
  select 'grant', c.oid::regclass::text, c.relacl::text
    from pg_class as c where c.relnamespace = 'public'::regnamespace
  union all
  select 'comment', c.oid::regclass::text || coalesce('.' || a.attname, ''), d.description
    from pg_description as d
    join pg_class as c on c.oid = d.objoid and d.classoid = 'pg_class'::regclass
    left join pg_attribute as a on a.attrelid = c.oid and a.attnum = d.objsubid and d.objsubid > 0
   where c.relnamespace = 'public'::regnamespace
  union all
  select 'rows', 'public.organisations', md5(string_agg(o::text, '|' order by o.id)) from public.organisations as o
  union all
  select 'rows', 'public.users', md5(string_agg(u::text, '|' order by u.id)) from public.users as u
  union all
  select 'rows', 'public.peer_mentor_certifications', md5(string_agg(c::text, '|' order by c.id))
    from public.peer_mentor_certifications as c
$$;

create temporary table catalog_before on commit drop as select * from pg_temp.public_catalog();

-- pgTAP set_eq of the catalog facts of the given kinds, now against before.
create function pg_temp.catalog_unchanged(kinds text[], description text) returns text
language sql
as $$
  select set_eq(
    format('select object, definition from pg_temp.public_catalog() where kind = any (%L)', kinds),
    format('select object, definition from catalog_before where kind = any (%L)', kinds),
    description)
$$;
create temporary table cron_jobs_before on commit drop as select * from pg_temp.scheduled_jobs();

-- Run the migrations again, as they are on disk. An error stops the suite (ON_ERROR_STOP), which
-- fails it: the plan below is not reached.
set local client_min_messages = warning;
\ir ../../migrations/20260326000000_create_organisations_and_users.sql
\ir ../../migrations/20260326000001_create_peer_mentor_certifications.sql
reset client_min_messages;

select pass('both migrations ran a second time, on a database with data, without an error');

select pg_temp.catalog_unchanged(array['policy'],
  'every policy of schema public is unchanged (names, commands, roles, USING, WITH CHECK)');
select is(
  (select count(*)::int from pg_policies where schemaname = 'public' and tablename = 'peer_mentor_certifications'),
  5, 'the certifications table still has exactly five policies');
select pg_temp.catalog_unchanged(array['rls'], 'RLS enable/force flags are unchanged');
select pg_temp.catalog_unchanged(array['column'],
  'columns, types, NOT NULL, defaults and column privileges are unchanged');
select pg_temp.catalog_unchanged(array['constraint'], 'constraints are unchanged');
select pg_temp.catalog_unchanged(array['index', 'trigger'], 'indexes and triggers are unchanged');
select pg_temp.catalog_unchanged(array['function'],
  'function bodies, settings, privileges and comments are unchanged');
select pg_temp.catalog_unchanged(array['grant', 'comment'], 'table privileges and comments are unchanged');
select pg_temp.catalog_unchanged(array['rows'], 'no row of organisations, users or certifications changed');
select is(
  (select count(*)::int from pg_temp.public_catalog()),
  (select count(*)::int from catalog_before),
  'nothing was added to or dropped from schema public');

select set_eq(
  $$ select * from pg_temp.scheduled_jobs() $$,
  $$ select * from cron_jobs_before $$,
  'scheduled jobs are unchanged (no duplicate nightly job)');

select * from finish();
rollback;
