-- rls-no-policy (info): row level security is on and no policy exists: the API sees nothing.
-- Often intended (a table only the service role uses); sometimes a policy was forgotten.
select
  'rls-no-policy' as name,
  'info' as level,
  'RLS enabled, no policy' as title,
  t.qualified as "table",
  null::text as persona,
  null::text as operation,
  'With row level security on and no policy, anon and authenticated get no row at all.' as description,
  format('%s has row level security enabled and no policy: only roles that bypass RLS can use it',
         t.qualified) as detail,
  'Add policies for the access the API needs, or leave it so if only the service role uses the table.' as remediation,
  '{}'::jsonb as metadata
from harness_api_relations t
join pg_class c on c.oid = t.oid
where t.relkind in ('r', 'p')
  and c.relrowsecurity
  and not exists (select 1 from pg_policy p where p.polrelid = t.oid)
order by 4
