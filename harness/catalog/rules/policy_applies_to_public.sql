-- policy-applies-to-public (warning): a policy with no TO clause applies to every role, anon
-- included. Name the roles it is meant for.
select
  'policy-applies-to-public' as name,
  'warning' as level,
  'Policy applies to PUBLIC' as title,
  t.qualified as "table",
  'anon' as persona,
  case pol.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' end
    as operation,
  'A policy without TO applies to PUBLIC: to anon as much as to signed-in users.' as description,
  format('%s policy %s on %s has no TO clause, so it applies to every role, anon included',
         case when pol.polpermissive then 'permissive' else 'restrictive' end, pol.polname, t.qualified) as detail,
  format('drop policy %I on %I.%I; then create it again with TO authenticated (or the roles it is meant for)',
         pol.polname, t.nspname, t.relname) as remediation,
  jsonb_build_object('policy', pol.polname, 'permissive', pol.polpermissive) as metadata
from pg_policy pol
join harness_api_relations t on t.oid = pol.polrelid
where pol.polroles = array[0::oid]
order by 4, pol.polname
