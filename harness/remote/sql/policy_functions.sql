-- The functions that policies call (through pg_depend), one row per function: its schema (the
-- platform's own, auth.uid() and the like, are not the migrations' to compare), whether an extension
-- owns it, its definition, and the tables whose policies call it. policy_surface.sql has the same
-- definitions per table, without the schema.
select f.oid::regprocedure::text as function,
       n.nspname::text as schema,
       exists (select 1 from pg_depend e
               where e.classid = 'pg_proc'::regclass and e.objid = f.oid and e.deptype = 'e') as extension_member,
       jsonb_build_object(
         'language', l.lanname::text,
         'body', f.prosrc,
         'security definer', f.prosecdef,
         'settings', to_jsonb(f.proconfig),
         'volatility', f.provolatile,
         'returns', pg_get_function_result(f.oid)) as definition,
       jsonb_agg(distinct format('%I.%I', tn.nspname, t.relname)) as tables
from pg_depend d
join pg_policy p on p.oid = d.objid
join pg_class t on t.oid = p.polrelid
join pg_namespace tn on tn.oid = t.relnamespace
join pg_proc f on f.oid = d.refobjid
join pg_namespace n on n.oid = f.pronamespace
join pg_language l on l.oid = f.prolang
where d.classid = 'pg_policy'::regclass and d.refclassid = 'pg_proc'::regclass
group by f.oid, n.nspname, l.lanname
