-- function-search-path-mutable (warning; error for SECURITY DEFINER): a function of the project
-- without a fixed search_path resolves unqualified names through the caller's search_path, which a
-- caller can point at objects of its own.
select
  'function-search-path-mutable' as name,
  case when p.prosecdef then 'error' else 'warning' end as level,
  'Function with a mutable search_path' as title,
  null::text as "table",
  null::text as persona,
  null::text as operation,
  'Without SET search_path, unqualified names in the body resolve through the caller''s search_path.' as description,
  format('%s.%s(%s)%s has no fixed search_path', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
         case when p.prosecdef then ' is SECURITY DEFINER and' else '' end) as detail,
  format('alter function %I.%I(%s) set search_path = ''''; (and qualify every name in its body)',
         n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as remediation,
  jsonb_build_object('function', format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
                     'security_definer', p.prosecdef) as metadata
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_language l on l.oid = p.prolang
where l.lanname in ('sql', 'plpgsql')
  and n.nspname not in ('pg_catalog', 'information_schema', 'auth', 'storage', 'extensions', 'cron',
                        'graphql', 'graphql_public', 'realtime', 'supabase_functions', 'supabase_migrations',
                        'vault', 'pgsodium', 'pgsodium_masks', 'net', 'pgbouncer', 'tests', 'harness_audit')
  and n.nspname not like 'pg\_%'
  and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) as setting where setting like 'search\_path=%')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
order by n.nspname, p.proname
