-- security-definer-view (error): a view or materialized view in an API schema that anon or
-- authenticated can read, and that reads an RLS-protected table with its owner's rights (a view
-- without security_invoker, or any materialized view): the table's policies see the owner, not
-- the caller.
with exposed as (
  select v.oid, v.nspname, v.relname, v.relkind, pg_get_userbyid(c.relowner) as owner,
         (select r.rolname from harness_api_roles r
          where has_schema_privilege(r.rolname, v.nspname, 'USAGE') and has_table_privilege(r.rolname, v.oid, 'SELECT')
          order by r.rank limit 1) as reader
  from harness_api_relations v
  join pg_class c on c.oid = v.oid
  where v.relkind in ('v', 'm')
    and v.oid not in (select oid from harness_invoker_views)
)
select
  'security-definer-view' as name,
  'error' as level,
  'View reads RLS-protected tables with its owner''s rights' as title,
  e.nspname || '.' || e.relname as "table",
  e.reader::text as persona,
  'select' as operation,
  'A view runs with its owner''s rights unless it has security_invoker; a materialized view always '
  'does. Policies of the tables it reads then judge the owner, not the caller.' as description,
  format('%s %s.%s is readable by %s and reads %s with the rights of its owner %s, so their row level '
         'security does not apply to the caller',
         case e.relkind when 'm' then 'materialized view' else 'view' end, e.nspname, e.relname, e.reader,
         string_agg(tn.nspname || '.' || t.relname, ', ' order by tn.nspname, t.relname), e.owner) as detail,
  case e.relkind
    when 'm' then format('revoke select on %I.%I from anon, authenticated; (a materialized view cannot apply '
                         'the caller''s policies: filter it through a function, or move it out of the API '
                         'schemas)', e.nspname, e.relname)
    else format('alter view %I.%I set (security_invoker = true);', e.nspname, e.relname)
  end as remediation,
  jsonb_build_object('owner', e.owner, 'reads', array_agg(tn.nspname || '.' || t.relname order by tn.nspname, t.relname),
                     'kind', case e.relkind when 'm' then 'materialized view' else 'view' end) as metadata
from exposed e
join harness_view_reads reads on reads.view_oid = e.oid
join pg_class t on t.oid = reads.table_oid and t.relkind in ('r', 'p') and t.relrowsecurity
join pg_namespace tn on tn.oid = t.relnamespace
where e.reader is not null
group by e.oid, e.nspname, e.relname, e.relkind, e.owner, e.reader
order by 4
