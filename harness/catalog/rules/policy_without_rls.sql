-- policy-without-rls (error): policies exist but row level security is off, so none of them applies.
select
  'policy-without-rls' as name,
  'error' as level,
  'Policies exist but RLS is disabled' as title,
  t.qualified as "table",
  null::text as persona,
  null::text as operation,
  'Policies are ignored while row level security is disabled: the table is as open as its grants.' as description,
  format('%s has %s polic%s (%s) but row level security is disabled, so none of them applies',
         t.qualified, count(*), case when count(*) = 1 then 'y' else 'ies' end,
         string_agg(p.polname, ', ' order by p.polname)) as detail,
  format('alter table %I.%I enable row level security;', t.nspname, t.relname) as remediation,
  jsonb_build_object('policies', array_agg(p.polname order by p.polname)) as metadata
from harness_api_relations t
join pg_class c on c.oid = t.oid
join pg_policy p on p.polrelid = t.oid
where t.relkind in ('r', 'p')
  and not c.relrowsecurity
group by t.qualified, t.nspname, t.relname
order by 4
