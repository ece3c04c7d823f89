-- rls-disabled (critical): a table in an API schema that anon or authenticated can reach through
-- the API while row level security is off. Nothing but the grants stands between it and the world.
with reach as (
  select t.*, r.rolname, r.rank,
         array_remove(array[
           case when has_table_privilege(r.rolname, t.oid, 'SELECT')
                  or has_any_column_privilege(r.rolname, t.oid, 'SELECT') then 'select' end,
           case when has_table_privilege(r.rolname, t.oid, 'INSERT')
                  or has_any_column_privilege(r.rolname, t.oid, 'INSERT') then 'insert' end,
           case when has_table_privilege(r.rolname, t.oid, 'UPDATE')
                  or has_any_column_privilege(r.rolname, t.oid, 'UPDATE') then 'update' end,
           case when has_table_privilege(r.rolname, t.oid, 'DELETE') then 'delete' end
         ], null) as privileges
  from harness_api_relations t
  join pg_class c on c.oid = t.oid
  cross join harness_api_roles r
  where t.relkind in ('r', 'p')
    and not c.relrowsecurity
    and has_schema_privilege(r.rolname, t.nspname, 'USAGE')
)
select distinct on (qualified)
  'rls-disabled' as name,
  'critical' as level,
  'RLS disabled on a table the API exposes' as title,
  qualified as "table",
  rolname::text as persona,
  null::text as operation,
  'Row level security is off, so every row is open to whoever holds a privilege on the table.' as description,
  format('%s has row level security disabled and %s can %s every row of it through the API',
         qualified, rolname, array_to_string(privileges, ', ')) as detail,
  format('alter table %I.%I enable row level security; then create policies for the access you intend '
         '(or revoke the privileges of anon and authenticated if the API must not reach it)', nspname, relname)
    as remediation,
  jsonb_build_object('role', rolname, 'privileges', privileges) as metadata
from reach
where cardinality(privileges) > 0
order by qualified, rank
