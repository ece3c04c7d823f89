-- SECURITY DEFINER functions in the API schemas that anon or authenticated may execute (an RPC that
-- runs with its owner's rights) and that the access spec does not cover. Extension members and
-- trigger functions are not callable as RPCs. %(schemas)s: the API schemas; %(names)s: the spec's.
select format('%%s.%%s', n.nspname, p.proname) as name,
       format('%%s.%%s(%%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as signature,
       array(select r from unnest(array['anon', 'authenticated']) as r
             where exists (select 1 from pg_roles where rolname = r)
               and has_schema_privilege(r, n.oid, 'USAGE')
               and has_function_privilege(r, p.oid, 'EXECUTE')) as callers
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where p.prosecdef
  and p.prokind = 'f'
  and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
  and n.nspname = any (%(schemas)s::text[])
  and format('%%s.%%s', n.nspname, p.proname) <> all (%(names)s::text[])
  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
order by 1, 2
