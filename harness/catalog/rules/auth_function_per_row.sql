-- auth-function-per-row (warning): a policy calls auth.uid(), auth.jwt(), auth.role(),
-- auth.email() or current_setting() bare, so PostgreSQL calls it once per row. Wrapped as
-- (select auth.uid()) it becomes an InitPlan, computed once per statement.
with expressions as (
  select pol.polname, pol.polcmd, t.qualified, t.nspname, t.relname, kind.which,
         pg_get_expr(case kind.which when 'using' then pol.polqual else pol.polwithcheck end, pol.polrelid) as expr
  from pg_policy pol
  join harness_api_relations t on t.oid = pol.polrelid
  cross join (values ('using'), ('with check')) as kind (which)
),
bare as (
  select e.*, array(
    select distinct m[1]
    from regexp_matches(
      regexp_replace(e.expr, '\(\s*SELECT\s+(auth\.(uid|jwt|role|email)\(\)|current_setting\([^()]*\))\s+AS\s+\w+\)', '', 'gi'),
      '(auth\.(?:uid|jwt|role|email)\(\)|current_setting\()', 'gi') as m
  ) as calls
  from expressions e
  where e.expr is not null
)
select distinct on (qualified, polname)
  'auth-function-per-row' as name,
  'warning' as level,
  'Policy calls auth functions once per row' as title,
  qualified as "table",
  null::text as persona,
  case polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' end as operation,
  'auth.uid() and friends in a policy are evaluated for every row unless wrapped in a sub-select.' as description,
  format('policy %s on %s calls %s per row (in its %s expression)', polname, qualified,
         array_to_string(calls, ', '), which) as detail,
  format('write (select auth.uid()) instead of auth.uid() in policy %s (drop and create it again)', polname)
    as remediation,
  jsonb_build_object('policy', polname, 'calls', calls) as metadata
from bare
where cardinality(calls) > 0
order by qualified, polname, which desc
