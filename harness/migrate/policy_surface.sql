-- What a migration must not change on a table it did not create: its RLS flags, its policies,
-- and the functions those policies call (found through pg_depend). One row per table. Also sent as
-- is to a live project (harness.remote), and read for some tables only (migrate's DDL watch).
with watched as (
  select c.oid, n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p')
    and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
)
select w.oid::bigint as table_oid,
       quote_ident(w.nspname) || '.' || quote_ident(w.relname) as table_name,
       w.relrowsecurity as rls,
       w.relforcerowsecurity as force_rls,
       coalesce((
         select jsonb_object_agg(p.polname, jsonb_build_object(
                  'command', case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                                           when 'd' then 'DELETE' else 'ALL' end,
                  'permissive', p.polpermissive,
                  'roles', (select array_agg(pr.name order by pr.name) from
                            (select case when rid = 0 then 'public' else pg_get_userbyid(rid)::text end as name
                             from unnest(p.polroles) rid) pr),
                  'using', pg_get_expr(p.polqual, p.polrelid),
                  'with check', pg_get_expr(p.polwithcheck, p.polrelid)))
         from pg_policy p where p.polrelid = w.oid), '{}'::jsonb) as policies,
       coalesce((
         select jsonb_object_agg(f.oid::regprocedure::text, jsonb_build_object(
                  'body', f.prosrc, 'security definer', f.prosecdef, 'settings', to_jsonb(f.proconfig),
                  'volatility', f.provolatile, 'returns', pg_get_function_result(f.oid)))
         from (select distinct d.refobjid
               from pg_policy p
               join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = p.oid
                               and d.refclassid = 'pg_proc'::regclass
               where p.polrelid = w.oid) called
         join pg_proc f on f.oid = called.refobjid), '{}'::jsonb) as functions
from watched w
