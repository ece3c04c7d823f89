-- Shared by the rules (and the audit's view discovery): temporary views that live as long as the
-- session, so every rule file stays one SELECT. Run before the rules.

-- Which relations each view or materialized view reads, through other views too.
create or replace temporary view harness_view_reads (view_oid, table_oid) as
with recursive reads (view_oid, table_oid) as (
  select r.ev_class, d.refobjid
  from pg_rewrite r
  join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
                  and d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class
  union
  select reads.view_oid, d.refobjid
  from reads
  join pg_class inner_view on inner_view.oid = reads.table_oid and inner_view.relkind = 'v'
  join pg_rewrite r on r.ev_class = inner_view.oid
  join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
                  and d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class
)
select view_oid, table_oid from reads;

-- The API roles that exist, the least privileged first.
create or replace temporary view harness_api_roles (rolname, rank) as
select r.rolname, r.rank
from (values ('anon'::name, 1), ('authenticated'::name, 2)) as r (rolname, rank)
where exists (select 1 from pg_roles where pg_roles.rolname = r.rolname);

-- Relations in the API schemas (harness.api_schemas: comma-separated).
create or replace temporary view harness_api_relations as
select c.oid, n.nspname, c.relname, c.relkind, n.nspname || '.' || c.relname as qualified
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any (string_to_array(current_setting('harness.api_schemas'), ','));

-- Whether a view runs with the caller's rights.
create or replace temporary view harness_invoker_views as
select c.oid
from pg_class c
where c.relkind = 'v'
  and coalesce(c.reloptions::text[] && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false);
