-- multiple-permissive-policies (info): more than one permissive policy for one role and command.
-- PostgreSQL evaluates every one of them for every row (they are ORed); often one policy per role
-- is intended, sometimes one of them is broader than its author thought.
with commands (cmd, operation) as (
  values ('r', 'select'), ('a', 'insert'), ('w', 'update'), ('d', 'delete')
)
select
  'multiple-permissive-policies' as name,
  'info' as level,
  'Several permissive policies for one role and command' as title,
  t.qualified as "table",
  r.rolname::text as persona,
  c.operation,
  'Permissive policies are ORed: each one of them alone grants access, and each is evaluated per row.' as description,
  format('%s has %s permissive %s policies that apply to %s: %s', t.qualified, count(*), c.operation, r.rolname,
         string_agg(pol.polname, ', ' order by pol.polname)) as detail,
  'Check that each is meant to grant access on its own; merging them into one policy is also faster.' as remediation,
  jsonb_build_object('policies', array_agg(pol.polname order by pol.polname)) as metadata
from pg_policy pol
join harness_api_relations t on t.oid = pol.polrelid
cross join commands c
cross join harness_api_roles r
where pol.polpermissive
  and (pol.polcmd = c.cmd or pol.polcmd = '*')
  and (pol.polroles @> array[0::oid] or pol.polroles @> array[(select oid from pg_roles where rolname = r.rolname)])
group by t.qualified, c.operation, r.rolname
having count(*) > 1
order by 4, 5, 6
