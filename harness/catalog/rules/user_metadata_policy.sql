-- user-metadata-policy (error): a policy, or a function it calls (directly or through other
-- functions), reads user_metadata / raw_user_meta_data, which every user can edit for themselves.
with recursive tainted (oid, via) as (
  select p.oid, array[format('%s.%s()', n.nspname, p.proname)]
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  where p.prosrc ~* '(user_metadata|raw_user_meta_data)'
    and n.nspname not in ('pg_catalog', 'information_schema', 'harness_audit')
  union
  select caller.oid, format('%s.%s()', n.nspname, caller.proname) || tainted.via
  from tainted
  join pg_proc callee on callee.oid = tainted.oid
  join pg_proc caller on caller.prosrc ~* ('\m' || callee.proname || '\s*\(') and caller.oid <> callee.oid
  join pg_namespace n on n.oid = caller.pronamespace
  where n.nspname not in ('pg_catalog', 'information_schema', 'harness_audit')
    and cardinality(tainted.via) < 4
),
policies as (
  select pol.oid, pol.polname, pol.polcmd, c.oid as table_oid, n.nspname || '.' || c.relname as qualified,
         coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') || ' ' ||
         coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '') as expressions
  from pg_policy pol
  join pg_class c on c.oid = pol.polrelid
  join pg_namespace n on n.oid = c.relnamespace
),
hits as (
  select p.*, null::text[] as via
  from policies p
  where p.expressions ~* '(user_metadata|raw_user_meta_data)'
  union all
  select p.*, t.via
  from policies p
  join tainted t on exists (
    select 1 from pg_depend d
    where d.classid = 'pg_policy'::regclass and d.objid = p.oid and d.refclassid = 'pg_proc'::regclass
      and d.refobjid = t.oid
  ) or p.expressions ~* ('\m' || (select proname from pg_proc where oid = t.oid) || '\s*\(')
)
select distinct on (oid)
  'user-metadata-policy' as name,
  'error' as level,
  'Policy trusts user_metadata' as title,
  qualified as "table",
  null::text as persona,
  case polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' end as operation,
  'user_metadata (raw_user_meta_data) is written by the user: supabase.auth.updateUser({ data }) sets '
  'anything. Authorization read from it can be forged.' as description,
  format('policy %s on %s reads user_metadata%s', polname, qualified,
         case when via is null then '' else ' through ' || array_to_string(via, ' -> ') end) as detail,
  'Read roles and tenants from a table of your own (or from app_metadata, which only the service role can write).'
    as remediation,
  jsonb_build_object('policy', polname, 'via', via) as metadata
from hits
order by oid, via nulls first
