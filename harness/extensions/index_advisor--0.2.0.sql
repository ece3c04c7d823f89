-- index_advisor 0.2.0's interface, written here: index_advisor(query) plans the query (a generic
-- plan when it has $n parameters), adds a hypothetical single-column btree index (hypopg) on every
-- column of the tables it reads that has none, plans again, and proposes the indexes the new plan
-- uses, with the costs before and after.
\echo Use "CREATE EXTENSION index_advisor" to load this file. \quit

create function @extschema@.index_advisor(query text)
returns table (
  startup_cost_before jsonb, startup_cost_after jsonb, total_cost_before jsonb, total_cost_after jsonb,
  index_statements text[], errors text[]
)
language plpgsql
volatile
as $$
declare
  parameter_count integer := coalesce(
    (select max(m[1]::integer) from regexp_matches(query, '\$(\d+)', 'g') m), 0);
  explain_sql text;
  plan_before jsonb;
  plan_after jsonb;
  candidate record;
  created record;
  proposals text[] := '{}';
  statements jsonb := '{}';
begin
  execute 'set local plan_cache_mode = force_generic_plan';
  if exists (select 1 from pg_prepared_statements where name = 'harness_index_advisor') then
    deallocate harness_index_advisor;
  end if;
  execute 'prepare harness_index_advisor as ' || query;
  explain_sql := 'explain (format json, verbose) execute harness_index_advisor'
    || case when parameter_count > 0
            then '(' || array_to_string(array_fill('null'::text, array[parameter_count]), ', ') || ')' else '' end;
  execute explain_sql into plan_before;

  for candidate in
    select distinct n.nspname, c.relname, a.attname
    from jsonb_path_query(plan_before, 'strict $.**."Relation Name"') as rel(name)
    join pg_class c on c.relname = rel.name #>> '{}'
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    join pg_type t on t.oid = a.atttypid
    where c.relkind in ('r', 'm', 'p')
      and n.nspname not in ('pg_catalog', 'information_schema')
      and exists (select 1 from pg_opclass o join pg_am am on am.oid = o.opcmethod
                  where am.amname = 'btree' and o.opcdefault and o.opcintype = t.oid)
      and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum)
  loop
    select * into created from hypopg_create_index(
      format('create index on %I.%I (%I)', candidate.nspname, candidate.relname, candidate.attname));
    statements := statements || jsonb_build_object(created.indexname,
      format('CREATE INDEX ON %I.%I USING btree (%I)', candidate.nspname, candidate.relname, candidate.attname));
  end loop;

  -- A prepared statement keeps its generic plan: prepare again so the planner sees the new indexes.
  deallocate harness_index_advisor;
  execute 'prepare harness_index_advisor as ' || query;
  execute explain_sql into plan_after;
  select coalesce(array_agg(distinct statements ->> (used #>> '{}')), '{}') into proposals
  from jsonb_path_query(plan_after, 'strict $.**."Index Name"') as used
  where statements ? (used #>> '{}');

  perform hypopg_reset();
  deallocate harness_index_advisor;
  return query select
    plan_before -> 0 -> 'Plan' -> 'Startup Cost', plan_after -> 0 -> 'Plan' -> 'Startup Cost',
    plan_before -> 0 -> 'Plan' -> 'Total Cost', plan_after -> 0 -> 'Plan' -> 'Total Cost',
    proposals, '{}'::text[];
exception when others then
  perform hypopg_reset();
  if exists (select 1 from pg_prepared_statements where name = 'harness_index_advisor') then
    deallocate harness_index_advisor;
  end if;
  return query select null::jsonb, null::jsonb, null::jsonb, null::jsonb, '{}'::text[], array[sqlerrm];
end
$$;
