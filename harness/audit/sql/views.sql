-- Views and materialized views in the API schemas that read an audited table (through other views
-- too), with their columns and whether they run with the caller's rights. Needs the catalog
-- prelude (harness/catalog/prelude.sql). %(names)s: the audited tables.
select distinct
  v.qualified as view_name,
  v.relkind::text,
  v.oid in (select oid from harness_invoker_views) as invoker,
  tn.nspname || '.' || t.relname as table_name,
  (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
    where a.attrelid = v.oid and a.attnum > 0 and not a.attisdropped) as columns
from harness_view_reads reads
join harness_api_relations v on v.oid = reads.view_oid and v.relkind in ('v', 'm')
join pg_class t on t.oid = reads.table_oid
join pg_namespace tn on tn.oid = t.relnamespace
where tn.nspname || '.' || t.relname = any (%(names)s::text[])
order by 1, 4
