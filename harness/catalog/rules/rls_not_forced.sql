-- rls-not-forced (info): the table's owner is an ordinary role, and RLS does not apply to the owner
-- unless it is forced. Functions and views owned by that role read every row.
select
  'rls-not-forced' as name,
  'info' as level,
  'RLS not forced for a non-superuser owner' as title,
  t.qualified as "table",
  null::text as persona,
  null::text as operation,
  'Row level security does not apply to a table''s owner unless it is forced.' as description,
  format('%s is owned by %s, which is not a superuser and does not bypass RLS; its policies do not '
         'apply to %s (views and SECURITY DEFINER functions it owns read every row)',
         t.qualified, o.rolname, o.rolname) as detail,
  format('alter table %I.%I force row level security; (if the owner must be bound by the policies)',
         t.nspname, t.relname) as remediation,
  jsonb_build_object('owner', o.rolname) as metadata
from harness_api_relations t
join pg_class c on c.oid = t.oid
join pg_roles o on o.oid = c.relowner
where t.relkind in ('r', 'p')
  and c.relrowsecurity
  and not c.relforcerowsecurity
  and not o.rolsuper
  and not o.rolbypassrls
order by 4
